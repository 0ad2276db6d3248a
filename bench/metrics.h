/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From one repetition's recorded I/Os and dm observations to the states
 * the runner waits for and the metrics bench/bench_records.h defines.
 *
 * No clock is read here: the marks carry every time, so the tests replay
 * synthetic sequences with exact times.  "Completed" means an I/O that
 * came back without an error (a mismatching read did come back; it is
 * counted apart); the group an I/O completed on is the one dm was last
 * seen sending I/O to at its completion, so times that depend on dm's
 * state are as exact as the observer's poll period (50 ms).
 */
#ifndef PW_BENCH_METRICS_H
#define PW_BENCH_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_records.h"
#include "samples.h"

/* What a scenario's fault is expected to do. */
enum bench_kind {
	BENCH_KIND_SWITCH,	/* I/O must move to the peer's group */
	BENCH_KIND_PATH,	/* a home path fails, I/O stays home */
	BENCH_KIND_STAY,	/* no home path fails, I/O stays home: a fault
				 * behind the target (the replication link)
				 * that the initiator must ride out */
};

const char *bench_kind_name(enum bench_kind k);

struct bench_trace {
	const struct bench_io *io;	/* in issue order */
	size_t n_io;
	const struct bench_obs *obs;	/* one per change, in time order */
	size_t n_obs;
};

#define BENCH_NOT_YET INT64_MAX

struct bench_marks {
	enum bench_kind kind;
	int home, peer;			/* node indices */
	int64_t t0_ns;			/* the inject hook started */
	int64_t restore_ns;		/* the restore hook started */
	int64_t end_ns;			/* the recording stopped */
	/* When the hooks said their change took effect (PW_BENCH_MARK);
	 * 0 when they did not: the hooks' starts count then. */
	int64_t fault_ns;
	int64_t back_ns;
};

/* The fault's and the restore's moments: the hook's word, or its start. */
static inline int64_t bench_fault_ns(const struct bench_marks *m)
{
	return m->fault_ns ? m->fault_ns : m->t0_ns;
}

static inline int64_t bench_back_ns(const struct bench_marks *m)
{
	return m->back_ns ? m->back_ns : m->restore_ns;
}

enum bench_event_kind {
	BEV_PATH_FAILED,
	BEV_PATH_REINSTATED,
	BEV_PATH_GONE,			/* left the map */
	BEV_PATH_ADDED,
	BEV_GROUP_SWITCHED,		/* dm's next group changed */
};

struct bench_event {
	int64_t t_ns;
	enum bench_event_kind kind;
	const struct bench_obs_path *path;	/* NULL for a group switch */
	int group;				/* the new group's node */
	unsigned int dm_group;			/* the new group's number */
};

/* What changed from @prev to @cur, at @cur's time; at most @cap events
 * (2 * BENCH_OBS_PATHS + 1 always fit). */
size_t bench_obs_changes(const struct bench_obs *prev,
			 const struct bench_obs *cur, struct bench_event *ev,
			 size_t cap);
/* "sdc failed (hpms01)", "I/O to hpms02 (group 2)" */
void bench_event_label(const struct bench_event *e,
		       const char *const *node_names, char *buf, size_t len);
/* A node's name, or "none", "mixed", "unknown". */
const char *bench_group_name(int group, const char *const *node_names);

/* The baseline: dm's next group holds only @home's paths and every path
 * of the map is active. */
bool bench_obs_baseline(const struct bench_obs *o, int home);
/* The last observation at or before @when; NULL when there is none. */
const struct bench_obs *bench_state_at(const struct bench_trace *t,
				       int64_t when);

/* The first completion at which the scenario's expected state holds:
 * switch: on the peer's group; path: on home's group with one of home's
 * paths failed.  Only completions before the restore count. */
bool bench_effect_at(const struct bench_trace *t, const struct bench_marks *m,
		     int64_t *when);
/* The first completion after the restore at the baseline. */
bool bench_failback_at(const struct bench_trace *t,
		       const struct bench_marks *m, int64_t *when);

/* Every metric of records.h from @t (null where not reached), and the
 * I/O errors and mismatches among its I/Os.  Names, rep and timeline of
 * @r are left as they are. */
void bench_metrics(const struct bench_trace *t, const struct bench_marks *m,
		   struct bench_record *r);

#endif
