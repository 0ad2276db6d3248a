// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "early_failover.h"

static bool node_silent(const struct conf_node *node,
			const struct portal_probe *pp, unsigned int n)
{
	unsigned int seen = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (pp[i].node != node)
			continue;
		if (pp[i].state != PORTAL_DOWN)
			return false;
		seen++;
	}
	return seen == node->n_portals && seen > 0;
}

/* Every portal of @node up, and none failed a probe since @since. */
static bool node_steady(const struct conf_node *node,
			const struct portal_probe *pp, unsigned int n,
			uint64_t since)
{
	unsigned int seen = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (pp[i].node != node)
			continue;
		if (pp[i].state != PORTAL_UP || pp[i].failed_ns >= since)
			return false;
		seen++;
	}
	return seen > 0;
}

bool early_any_silent(const struct portal_probe *pp, unsigned int n_portals)
{
	for (unsigned int i = 0; i < n_portals; i++)
		if (pp[i].state == PORTAL_DOWN &&
		    node_silent(pp[i].node, pp, n_portals))
			return true;
	return false;
}

/* @p is in the group dm sends I/O to: by the kernel's own status where
 * it was read (its numbering, which a reload by multipathd may have
 * changed since the view's), else by the view's group. */
static bool carries_io(const struct pw_map *m, const struct pw_path *p)
{
	if (m->dm_next)
		return p->dm_kernel_group == m->dm_next;
	return p->mp->group == m->active_group;
}

bool early_decide(const struct pw_map *m, const struct portal_probe *pp,
		  unsigned int n_portals, uint64_t inflight_since,
		  uint64_t now, uint64_t min_stall_ns,
		  const struct conf_node **node, char *why, size_t len)
{
	const struct conf_node *active = NULL, *shaky = NULL;
	bool other_ok = false;

	*node = NULL;
	if (!inflight_since || now - inflight_since < min_stall_ns) {
		snprintf(why, len, "no I/O stalled long enough");
		return false;
	}
	/* The node behind the group in use; a group spanning nodes is
	 * doctor's business, not ours to split. */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (!carries_io(m, p))
			continue;
		if (!p->node || (active && active != p->node)) {
			snprintf(why, len, "group in use is not one node's");
			return false;
		}
		active = p->node;
	}
	if (!active) {
		snprintf(why, len, "no group in use");
		return false;
	}
	if (!node_silent(active, pp, n_portals)) {
		snprintf(why, len, "a portal of %s still answers",
			 active->name);
		return false;
	}
	/* Somewhere to go: a path of another node that is up, whose node
	 * answered every probe while the I/O has had to be stuck. */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (!p->node || p->node == active ||
		    p->verdict == PW_PATH_DOWN || p->verdict == PW_PATH_GONE ||
		    p->verdict == PW_PATH_STANDBY)
			continue;
		if (node_steady(p->node, pp, n_portals,
				now > min_stall_ns ? now - min_stall_ns : 0))
			other_ok = true;
		else
			shaky = p->node;
	}
	if (!other_ok) {
		if (shaky)
			snprintf(why, len, "%s's portals did not answer every "
				 "probe either", shaky->name);
		else
			snprintf(why, len, "no other node's path to fail over "
				 "to");
		return false;
	}
	*node = active;
	snprintf(why, len, "I/O stuck %.1f s and every portal of %s silent",
		 (double)(now - inflight_since) / 1e9, active->name);
	return true;
}
