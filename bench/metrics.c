// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

const char *bench_kind_name(enum bench_kind k)
{
	switch (k) {
	case BENCH_KIND_PATH:
		return "path";
	case BENCH_KIND_STAY:
		return "stay";
	default:
		return "switch";
	}
}

const char *bench_group_name(int group, const char *const *node_names)
{
	switch (group) {
	case BENCH_GROUP_NONE: return "none";
	case BENCH_GROUP_MIXED: return "mixed";
	case BENCH_GROUP_UNKNOWN: return "unknown";
	default: return group >= 0 ? node_names[group] : "?";
	}
}

static const struct bench_obs_path *find_path(const struct bench_obs *o,
					      const char *devt)
{
	for (unsigned int i = 0; i < o->n_paths; i++)
		if (!strcmp(o->paths[i].devt, devt))
			return &o->paths[i];
	return NULL;
}

size_t bench_obs_changes(const struct bench_obs *prev,
			 const struct bench_obs *cur, struct bench_event *ev,
			 size_t cap)
{
	size_t n = 0;

#define EMIT(k, p, g, dg) do { \
		if (n < cap) \
			ev[n++] = (struct bench_event){ .t_ns = cur->t_ns, \
				.kind = (k), .path = (p), .group = (g), \
				.dm_group = (dg) }; \
	} while (0)
	for (unsigned int i = 0; i < cur->n_paths; i++) {
		const struct bench_obs_path *p = &cur->paths[i];
		const struct bench_obs_path *was = find_path(prev, p->devt);

		if (!was)
			EMIT(BEV_PATH_ADDED, p, 0, 0);
		else if (was->active && !p->active)
			EMIT(BEV_PATH_FAILED, p, 0, 0);
		else if (!was->active && p->active)
			EMIT(BEV_PATH_REINSTATED, p, 0, 0);
	}
	for (unsigned int i = 0; i < prev->n_paths; i++)
		if (!find_path(cur, prev->paths[i].devt))
			EMIT(BEV_PATH_GONE, &prev->paths[i], 0, 0);
	if (prev->dm_group != cur->dm_group || prev->group != cur->group)
		EMIT(BEV_GROUP_SWITCHED, NULL, cur->group, cur->dm_group);
#undef EMIT
	return n;
}

void bench_event_label(const struct bench_event *e,
		       const char *const *node_names, char *buf, size_t len)
{
	static const char *const verbs[] = {
		[BEV_PATH_FAILED] = "failed",
		[BEV_PATH_REINSTATED] = "reinstated",
		[BEV_PATH_GONE] = "left the map",
		[BEV_PATH_ADDED] = "joined the map",
	};

	if (e->kind == BEV_GROUP_SWITCHED) {
		snprintf(buf, len, "I/O to %s (group %u)",
			 bench_group_name(e->group, node_names), e->dm_group);
		return;
	}
	snprintf(buf, len, "%s %s (%s)",
		 e->path->sd[0] ? e->path->sd : e->path->devt, verbs[e->kind],
		 e->path->node >= 0 ? node_names[e->path->node] : "unknown");
}

bool bench_obs_baseline(const struct bench_obs *o, int home)
{
	if (!o || o->group != home || o->n_paths == 0)
		return false;
	for (unsigned int i = 0; i < o->n_paths; i++)
		if (!o->paths[i].active)
			return false;
	return true;
}

const struct bench_obs *bench_state_at(const struct bench_trace *t,
				       int64_t when)
{
	size_t lo = 0, hi = t->n_obs;

	/* first observation after @when, then one back */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->obs[mid].t_ns <= when)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &t->obs[lo - 1] : NULL;
}

static bool completed(const struct bench_io *io)
{
	return io->result != BIO_ERROR;
}

static bool home_path_failed(const struct bench_obs *o, int home)
{
	for (unsigned int i = 0; i < o->n_paths; i++)
		if (o->paths[i].node == home && !o->paths[i].active)
			return true;
	return false;
}

enum wanted { ON_PEER, ON_HOME_DEGRADED, ON_HOME_WHOLE, AT_BASELINE };

static bool holds(const struct bench_obs *o, const struct bench_marks *m,
		  enum wanted w)
{
	if (!o)
		return false;
	switch (w) {
	case ON_PEER:
		return o->group == m->peer;
	case ON_HOME_DEGRADED:
		return o->group == m->home && home_path_failed(o, m->home);
	case ON_HOME_WHOLE:
		return o->group == m->home && !home_path_failed(o, m->home);
	case AT_BASELINE:
		return bench_obs_baseline(o, m->home);
	}
	return false;
}

/* The first completion in [from, to) at which @w holds. */
static bool first_completion(const struct bench_trace *t,
			     const struct bench_marks *m, enum wanted w,
			     int64_t from, int64_t to, int64_t *when)
{
	for (size_t i = 0; i < t->n_io; i++) {
		const struct bench_io *io = &t->io[i];

		if (!completed(io) || io->end_ns < from || io->end_ns >= to)
			continue;
		if (holds(bench_state_at(t, io->end_ns), m, w)) {
			*when = io->end_ns;
			return true;
		}
	}
	return false;
}

bool bench_effect_at(const struct bench_trace *t, const struct bench_marks *m,
		     int64_t *when)
{
	switch (m->kind) {
	case BENCH_KIND_SWITCH:
		return first_completion(t, m, ON_PEER, m->t0_ns,
					m->restore_ns, when);
	case BENCH_KIND_PATH:
		return first_completion(t, m, ON_HOME_DEGRADED, m->t0_ns,
					m->restore_ns, when);
	case BENCH_KIND_STAY:
		/* after the fault as the hook gave it: a completion before
		 * it shows nothing about riding the fault out */
		return first_completion(t, m, ON_HOME_WHOLE,
					bench_fault_ns(m), m->restore_ns, when);
	}
	return false;
}

bool bench_failback_at(const struct bench_trace *t,
		       const struct bench_marks *m, int64_t *when)
{
	if (m->restore_ns == BENCH_NOT_YET)
		return false;
	return first_completion(t, m, AT_BASELINE, m->restore_ns,
				BENCH_NOT_YET, when);
}

/* The first path failure or group change dm shows after the fault. */
static bool detect_at(const struct bench_trace *t, const struct bench_marks *m,
		      int64_t *when)
{
	for (size_t i = 1; i < t->n_obs; i++) {
		struct bench_event ev[2 * BENCH_OBS_PATHS + 1];
		size_t n;

		if (t->obs[i].t_ns < bench_fault_ns(m))
			continue;
		if (t->obs[i].t_ns > m->restore_ns)
			break;
		n = bench_obs_changes(&t->obs[i - 1], &t->obs[i], ev,
				      sizeof(ev) / sizeof(ev[0]));
		for (size_t k = 0; k < n; k++)
			if (ev[k].kind == BEV_PATH_FAILED ||
			    ev[k].kind == BEV_PATH_GONE ||
			    ev[k].kind == BEV_GROUP_SWITCHED) {
				*when = t->obs[i].t_ns;
				return true;
			}
	}
	return false;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The largest gap between consecutive completions, over the gaps that end
 * after the fault and start before the restore (so a stall that outlasts
 * the restore counts whole).  False when I/O never completed after the
 * fault, or had not resumed when the recording stopped: a stall without
 * an end has no length to report.
 */
static bool largest_stall(const struct bench_trace *t,
			  const struct bench_marks *m, int64_t *stall,
			  int64_t *resumed)
{
	int64_t *ends = malloc((t->n_io ? t->n_io : 1) * sizeof(*ends));
	size_t n = 0;
	bool found = false;

	if (!ends)
		return false;
	for (size_t i = 0; i < t->n_io; i++)
		if (completed(&t->io[i]))
			ends[n++] = t->io[i].end_ns;
	/* one synchronous load thread completes in order; sorted anyway,
	 * so the answer never depends on it */
	qsort(ends, n, sizeof(*ends), cmp_i64);
	*stall = -1;
	for (size_t k = 0; k < n; k++) {
		int64_t prev = k ? ends[k - 1] : m->t0_ns;

		if (ends[k] < m->t0_ns)
			continue;
		if (prev > m->restore_ns)
			break;
		if (ends[k] - prev > *stall) {
			*stall = ends[k] - prev;
			*resumed = ends[k];
			found = true;
		}
	}
	if (found && m->end_ns != BENCH_NOT_YET && ends[n - 1] <= m->restore_ns &&
	    m->end_ns - ends[n - 1] > *stall)
		found = false;
	free(ends);
	return found;
}

static void set(struct bench_record *r, enum bench_metric k, int64_t ns)
{
	r->has[k] = true;
	r->ms[k] = (double)ns / 1e6;
}

void bench_metrics(const struct bench_trace *t, const struct bench_marks *m,
		   struct bench_record *r)
{
	int64_t when, stall, resumed;

	for (int k = 0; k < BM_N; k++) {
		r->has[k] = false;
		r->ms[k] = 0;
	}
	r->io_errors = r->mismatches = 0;
	for (size_t i = 0; i < t->n_io; i++) {
		r->io_errors += t->io[i].result == BIO_ERROR;
		r->mismatches += t->io[i].result == BIO_MISMATCH;
	}
	if (largest_stall(t, m, &stall, &resumed)) {
		set(r, BM_STALL, stall);
		set(r, BM_RESUME, resumed - bench_fault_ns(m));
	}
	if (detect_at(t, m, &when))
		set(r, BM_DETECT, when - bench_fault_ns(m));
	if (m->kind == BENCH_KIND_SWITCH && bench_effect_at(t, m, &when))
		set(r, BM_SWITCH, when - bench_fault_ns(m));
	/* I/O that never left home has nothing to come back from */
	if (m->kind != BENCH_KIND_STAY && bench_failback_at(t, m, &when))
		set(r, BM_FAILBACK, when - bench_back_ns(m));
	if (m->fault_ns)
		set(r, BM_FAULT, m->fault_ns - m->t0_ns);
	if (m->back_ns && m->restore_ns != BENCH_NOT_YET)
		set(r, BM_BACK, m->back_ns - m->restore_ns);
}
