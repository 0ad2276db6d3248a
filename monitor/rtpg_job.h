/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One RTPG batch at a time on a thread of its own, for the daemon: its
 * loop must never wait on a target.  The loop starts a batch, goes on
 * answering status requests, metrics scrapes and uevents, and collects the
 * answers when the job's eventfd becomes readable.
 */
#ifndef PW_MONITOR_RTPG_JOB_H
#define PW_MONITOR_RTPG_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "rtpg_batch.h"

struct rtpg_job {
	int efd;			/* readable when the batch is done */
	int pfd;			/* readable when answers came before
					 * that (rtpg_batch_ask_notify) */
	bool running;
	pthread_t thread;
	struct rtpg_batch batch;	/* the thread's until collected */
	struct rtpg_source *src;
	unsigned int timeout_ms;
	uint64_t event_ns;		/* the caller's: what it answers */
	uint64_t started_ns;		/* CLOCK_MONOTONIC */
};

/* -errno when no eventfd could be had (both closed again). */
int rtpg_job_init(struct rtpg_job *j);
/*
 * Ask @b (taken over: the job frees it) on the job's thread.  False, with
 * @b freed, when a batch is still running or no thread could be started.
 */
bool rtpg_job_start(struct rtpg_job *j, struct rtpg_batch *b,
		    struct rtpg_source *src, unsigned int timeout_ms,
		    uint64_t event_ns);
/* After the eventfd became readable: the answered batch into @out (the
 * caller frees it).  False when no batch had finished. */
bool rtpg_job_collect(struct rtpg_job *j, struct rtpg_batch *out);
/*
 * The running batch, to read its ready items from (rtpg_item_ready())
 * after @pfd became readable (drained by rtpg_job_drain_progress()); NULL
 * when none runs.  Its items stay where they are until collected.
 */
const struct rtpg_batch *rtpg_job_running(const struct rtpg_job *j);
void rtpg_job_drain_progress(struct rtpg_job *j);
/* Waits for a running batch (at most its timeout), frees everything. */
void rtpg_job_fini(struct rtpg_job *j);

#endif
