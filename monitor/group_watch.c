// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "group_watch.h"

static bool serves(enum alua_state s)
{
	return s == ALUA_ACTIVE_OPTIMIZED || s == ALUA_ACTIVE_NONOPTIMIZED ||
	       s == ALUA_LBA_DEPENDENT;
}

/*
 * Standby, unavailable and offline: states that end with a unit
 * attention nobody collects.  A transition is parked_io's, which watches
 * it while I/O waits on it; a path whose state nobody knows (its session
 * down, the kernel silent) is the portal probe's.
 */
static bool watched(const struct pw_path *p)
{
	return path_wants_rtpg(p) && path_state_known(p) &&
	       !serves(p->judge.state) && p->judge.state != ALUA_TRANSITIONING;
}

bool group_watch_wanted(const struct pw_view *v)
{
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++)
			if (watched(&v->maps[i].paths[j]))
				return true;
	return false;
}

/* Whether two paths answer for the same group: the group their RTPG
 * named, else the node they lead to (one group per node, as the seed
 * cluster has it); neither known, they are taken apart. */
static bool same_group(const struct pw_path *a, const struct pw_path *b)
{
	if (a->rtpg_done && a->rtpg.group_known && b->rtpg_done &&
	    b->rtpg.group_known)
		return a->rtpg.own.group_id == b->rtpg.own.group_id;
	return a->node && a->node == b->node;
}

bool group_watch_batch(const struct pw_view *v, struct rtpg_batch *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < v->n_maps; i++) {
		const struct pw_map *m = &v->maps[i];

		for (size_t j = 0; j < m->mp->n_paths; j++) {
			const struct pw_path *p = &m->paths[j];
			bool seen = false;

			if (!watched(p))
				continue;
			/* one per group: they all answer for it */
			for (size_t k = 0; k < j; k++)
				seen |= watched(&m->paths[k]) &&
					same_group(&m->paths[k], p);
			if (!seen && !rtpg_batch_add(b, m->mp->name, p->mp->dev)) {
				rtpg_batch_free(b);
				return false;
			}
		}
	}
	return true;
}

bool group_watch_news(const struct pw_view *v, const struct rtpg_batch *b,
		      char *what, size_t len)
{
	for (size_t i = 0; i < v->n_maps; i++) {
		const struct pw_map *m = &v->maps[i];

		for (size_t j = 0; j < m->mp->n_paths; j++) {
			const struct pw_path *p = &m->paths[j];
			const struct rtpg_item *it;
			enum alua_state st;
			bool pref;

			it = rtpg_batch_find(b, m->mp->name, p->mp->dev);
			if (!it || !it->done ||
			    !tpg_answer_state(&it->ans, &st, &pref))
				continue;
			if (path_state_known(p) && st == p->judge.state)
				continue;
			snprintf(what, len, "%s: %s now %s", m->mp->name,
				 p->mp->dev, alua_state_name(st));
			return true;
		}
	}
	return false;
}

size_t group_watch_reinstate(const struct pw_map *m, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->mp->n_paths && n < max; i++) {
		const struct pw_path *p = &m->paths[i];

		/* its own answer: a peer's word does not reach the path */
		if (!p->rtpg_done || p->rtpg.result != TPG_OK ||
		    p->rtpg.from_peer || !serves(p->rtpg.own.state))
			continue;
		/* up for multipathd, or active in dm already (a reinstate
		 * its checker has not seen yet) */
		if ((!p->mp->dm_failed && p->mp->chk_up) ||
		    p->dm_kernel_active)
			continue;
		if (!path_wants_rtpg(p) || strcmp(p->sd->state, "running"))
			continue;
		idx[n++] = i;
	}
	return n;
}
