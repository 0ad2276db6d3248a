// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "strutil.h"
#include "switcher.h"


/* Whether @p's target port group, by its identity (VPD 0x83, as the
 * answers carry it), is that of every path of @m's optimized group whose
 * identity is known, one at least: the same node's ports. */
static bool same_port_group(const struct pw_map *m, const struct pw_path *p)
{
	size_t known = 0;

	if (!p->rtpg_done || !p->rtpg.group_known)
		return false;
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *q = &m->paths[i];

		if (q->mp->group != m->ao_group || !q->rtpg_done ||
		    !q->rtpg.group_known)
			continue;
		if (q->rtpg.own.group_id != p->rtpg.own.group_id)
			return false;
		known++;
	}
	return known > 0;
}

enum switch_action switch_decide(const struct pw_map *m,
				 const struct switch_guard *g, uint64_t now,
				 unsigned int *group, char *why, size_t len)
{
	const struct mp_map *mp = m->mp;
	unsigned int usable = 0;

	*group = 0;
	if (!m->ao_group) {
		snprintf(why, len, "no path group is wholly active/optimized");
		return SW_NONE;
	}
	if (m->ao_group == m->active_group) {
		snprintf(why, len, "already on the optimized group %u",
			 m->ao_group);
		return SW_NONE;
	}
	/* Both nodes optimized, or AO paths in two groups: that is for the
	 * cluster to settle, not for us to pick a side.  Paths of the
	 * optimized group's own target port group that multipathd holds in
	 * another group of its (their prio not refreshed yet) pick no
	 * side. */
	for (size_t i = 0; i < mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (p->mp->group == m->ao_group) {
			usable += p->judge.class == PATH_CLASS_USABLE;
			continue;
		}
		if (path_state_known(p) &&
		    p->judge.state == ALUA_ACTIVE_OPTIMIZED &&
		    !same_port_group(m, p)) {
			snprintf(why, len, "paths outside group %u are "
				 "optimized too (%s)", m->ao_group, p->mp->dev);
			return SW_NONE;
		}
	}
	if (!usable) {
		snprintf(why, len, "no usable path in the optimized group %u",
			 m->ao_group);
		return SW_NONE;
	}
	*group = m->ao_group;
	/* Sent already and not seen reverted: give dm and multipathd time
	 * rather than repeating it at every look. */
	if (g->sent.n && switch_group_now(m, &g->sent) == m->ao_group &&
	    now - g->last_switch_ns < SW_RESEND_NS) {
		snprintf(why, len, "switch to group %u already sent",
			 m->ao_group);
		return SW_NONE;
	}
	if (g->hold_until_ns > now) {
		snprintf(why, len, "multipathd reverted %u switches; holding "
			 "off (do prios follow ALUA? see pathwarden doctor)",
			 g->reverts);
		return SW_HELD;
	}
	snprintf(why, len, "group %u is optimized, dm uses group %u",
		 m->ao_group, m->active_group);
	return SW_SWITCH;
}

size_t switch_recheck_paths(const struct pw_map *m, size_t *idx, size_t max)
{
	size_t n = 0;

	if (m->ao_group)
		return 0;
	for (size_t i = 0; i < m->mp->n_paths && n < max; i++) {
		const struct pw_path *p = &m->paths[i];

		if (!path_state_known(p) ||
		    p->judge.state != ALUA_ACTIVE_OPTIMIZED ||
		    p->judge.class != PATH_CLASS_USABLE)
			continue;
		if (p->expected_pri < 0 || p->mp->pri == p->expected_pri)
			continue;
		if (p->mp->dm_active && p->mp->chk_up)
			idx[n++] = i;
	}
	return n;
}

void switch_note_sent(struct switch_guard *g, const struct pw_map *m,
		      unsigned int group, uint64_t now)
{
	switch_group_id(m, group, &g->sent);
	g->sent_group = group;
	g->taken = false;
	g->last_switch_ns = now;
}

void switch_group_id(const struct pw_map *m, unsigned int group,
		     struct switch_group_id *id)
{
	const struct mp_map *mp = m->mp;
	const struct mp_group *grp;

	id->n = 0;
	if (!group || group > mp->n_groups)
		return;
	grp = &mp->groups[group - 1];
	id->n = grp->n_paths;
	for (size_t i = 0; i < grp->n_paths && i < SW_GROUP_PATHS; i++)
		str_copy(id->dev[i], sizeof(id->dev[i]),
			 mp->paths[grp->first_path + i].dev);
}

static bool group_has(const struct mp_map *mp, const struct mp_group *grp,
		      const char *dev)
{
	for (size_t i = 0; i < grp->n_paths; i++)
		if (!strcmp(mp->paths[grp->first_path + i].dev, dev))
			return true;
	return false;
}

unsigned int switch_group_now(const struct pw_map *m,
			      const struct switch_group_id *id)
{
	const struct mp_map *mp = m->mp;

	for (size_t k = 0; id->n && k < mp->n_groups; k++) {
		const struct mp_group *grp = &mp->groups[k];
		size_t i = 0;

		if (grp->n_paths != id->n)
			continue;
		while (i < id->n && i < SW_GROUP_PATHS &&
		       group_has(mp, grp, id->dev[i]))
			i++;
		if (i == id->n || i == SW_GROUP_PATHS)
			return (unsigned int)k + 1;
	}
	return 0;
}

bool switch_group_seen(const struct pw_map *m,
		       const struct switch_group_id *id)
{
	unsigned int k = switch_group_now(m, id);

	return k && k == m->active_group;
}

/* Some path of group @group usable, and active in the kernel's dm. */
static bool group_serves(const struct pw_map *m, unsigned int group)
{
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (p->mp->group == group && p->dm_kernel_active &&
		    p->judge.class == PATH_CLASS_USABLE)
			return true;
	}
	return false;
}

enum switch_seen switch_note_observed(struct switch_guard *g,
				      const struct pw_map *m, uint64_t now)
{
	unsigned int ours;

	if (!g->sent.n || now - g->last_switch_ns > SW_REVERT_SPAN_NS)
		return SW_SEEN_NOTHING;
	/* Only the kernel's status can tell: multipathd's own answer still
	 * shows the old group after a switch it did not make itself. */
	if (!m->dm_group)
		return SW_SEEN_NOTHING;
	ours = switch_group_now(m, &g->sent);
	if (ours && m->active_group == ours)
		g->taken = true;
	if (!ours || m->active_group == ours)
		return SW_SEEN_NOTHING;
	/* dm leaving a group none of whose paths can serve (a node's links
	 * lost: dm failed them; the group in standby) is dm's own failover,
	 * not a revert, and ends the switch: dm still on the other group
	 * when ours serves again is a failback to make, not multipathd
	 * undoing ours (on bookworm the standby scenario's three failbacks
	 * in a minute were counted so, and the switch held off for 300 s). */
	if (!group_serves(m, ours)) {
		g->sent.n = 0;
		return SW_SEEN_NOTHING;
	}
	if (m->ao_group != ours)
		return SW_SEEN_NOTHING;
	if (!g->taken && m->active_group == g->sent_group &&
	    ours != g->sent_group) {
		g->sent.n = 0;
		return SW_SEEN_MISSENT;
	}
	/* Ours was reverted while it is still the right group. */
	if (!g->reverts || now - g->first_revert_ns > SW_REVERT_SPAN_NS) {
		g->reverts = 0;
		g->first_revert_ns = now;
	}
	g->reverts++;
	g->sent.n = 0;
	if (g->reverts >= SW_REVERT_LIMIT)
		g->hold_until_ns = now + SW_HOLD_NS;
	return SW_SEEN_REVERT;
}
