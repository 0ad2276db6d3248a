/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One path's asynchronous check, independent of multipath-tools: the
 * checker shim starts the worker through multipathd's start_checker_thread()
 * and maps the verdict to its own path states.
 *
 * One worker at a time per path: a worker that outlives its deadline makes
 * every later poll report PV_TIMEOUT until it returns, so a dead target can
 * never pile up threads.  The object is reference-counted: a worker still
 * blocked in SG_IO keeps it alive after the checker is freed.
 */
#ifndef PATHWARDEN_ASYNC_CHECK_H
#define PATHWARDEN_ASYNC_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "pathwarden/tpg_cache.h"
#include "pathwarden/tpg_query.h"

struct async_check;

/* @extra bytes are kept for the caller (the shim's thread context). */
struct async_check *async_check_new(size_t extra);
void *async_check_extra(struct async_check *ac);
struct async_check *async_check_from_extra(void *extra);
/* Drop the caller's reference. */
void async_check_put(struct async_check *ac);

enum async_poll {
	ASYNC_IDLE,		/* no worker, nothing to collect */
	ASYNC_DONE,		/* *ans holds a fresh answer */
	ASYNC_RUNNING,		/* worker busy, still within its deadline */
	ASYNC_TIMED_OUT,	/* worker past its deadline */
	ASYNC_START,		/* caller must start a worker, then wait */
};

/*
 * Poll the check: collect a finished answer, or say a worker must be
 * started.  After ASYNC_START the caller starts a thread that runs
 * async_check_work(), or calls async_check_start_failed().
 */
enum async_poll async_check_poll(struct async_check *ac, int fd,
				 unsigned int timeout_ms,
				 struct tpg_answer *ans);
void async_check_start_failed(struct async_check *ac);
/*
 * Collect without starting anything (multipath-tools 0.11's
 * libcheck_pending): ASYNC_DONE, ASYNC_RUNNING, ASYNC_TIMED_OUT or
 * ASYNC_IDLE.
 */
enum async_poll async_check_collect(struct async_check *ac,
				    struct tpg_answer *ans);
/* A worker runs, or its answer waits: worth waiting for (need_wait). */
bool async_check_outstanding(struct async_check *ac);
/* Wait up to @wait_ms for the worker; ASYNC_DONE or ASYNC_RUNNING. */
enum async_poll async_check_wait(struct async_check *ac, unsigned int wait_ms,
				 struct tpg_answer *ans);
/* The worker body; drops the worker's reference. */
void async_check_work(struct async_check *ac);

/* Synchronous check (multipath(8) runs checkers in sync mode). */
void async_check_sync(struct async_check *ac, int fd, unsigned int timeout_ms,
		      struct tpg_answer *ans);

/*
 * One check start to end on the caller's thread, for a caller whose own
 * framework runs it off the checker loop and bounds it (multipath-tools
 * 0.15's runners).  @st keeps the path's identity between checks; a zeroed
 * one reads it afresh.  Plain data: the caller may copy it around.
 */
struct path_check_state {
	bool have_key;
	struct dev_key key;
	struct tpg_identity id;
};
void path_check_once(struct path_check_state *st, int fd,
		     unsigned int timeout_ms, struct tpg_answer *ans);

/* The backend the worker uses; tests substitute the replay backend. */
void async_check_set_backend(struct async_check *ac,
			     const struct scsi_backend *backend, void *priv);

#endif
