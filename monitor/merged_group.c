// SPDX-License-Identifier: GPL-2.0-or-later
/* Which paths of a group of both nodes the daemon fails in dm; see
 * merged_group.h. */
#include "merged_group.h"

/* The device's word on the path's group (its own answer or its node's),
 * not the kernel's access_state nor multipathd's prio. */
static bool device_says(const struct pw_path *p)
{
	return p->judge.source == PATH_STATE_RTPG ||
	       p->judge.source == PATH_STATE_PEER;
}

static bool carries(const struct pw_path *p)
{
	return device_says(p) && p->judge.state == ALUA_ACTIVE_OPTIMIZED &&
	       p->judge.class == PATH_CLASS_USABLE && p->mp->chk_up;
}

static bool second_best(const struct pw_path *p)
{
	return device_says(p) &&
	       (p->judge.state == ALUA_ACTIVE_NONOPTIMIZED ||
		p->judge.state == ALUA_STANDBY);
}

/* A group of dm's whose paths the device all says are optimized: a switch
 * serves, not a fail.  By dm's groups, not multipathd's: the view's may
 * be a reload old. */
static bool dm_has_ao_group(const struct pw_map *m)
{
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		unsigned int g = m->paths[i].dm_kernel_group;
		size_t ao = 0, known = 0, j;

		for (j = 0; j < i && m->paths[j].dm_kernel_group != g; j++)
			;
		if (!g || j < i)
			continue;	/* unknown, or counted already */
		for (j = i; j < m->mp->n_paths; j++) {
			const struct pw_path *p = &m->paths[j];

			if (p->dm_kernel_group != g || !path_state_known(p))
				continue;
			known++;
			ao += p->judge.state == ALUA_ACTIVE_OPTIMIZED;
		}
		if (ao && ao == known)
			return true;
	}
	return false;
}

size_t merged_group_to_fail(const struct pw_map *m, size_t *idx, size_t max)
{
	const struct pw_path *first = NULL;
	bool ao = false, one_prio = true, one_mp_group = true;
	size_t n = 0;

	if (!m->dm_next || dm_has_ao_group(m))
		return 0;
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (p->dm_kernel_group != m->dm_next)
			continue;
		if (!first)
			first = p;
		one_prio &= p->mp->pri == first->mp->pri;
		one_mp_group &= p->mp->group == first->mp->group;
		if (!p->dm_kernel_active)
			continue;
		if (carries(p))
			ao = true;
		else if (second_best(p) && n < max)
			idx[n++] = i;
	}
	/* mixed prios in one group of multipathd's too: a policy's */
	return ao && (one_prio || !one_mp_group) ? n : 0;
}

bool merged_group_split(const struct pw_map *m, size_t i)
{
	size_t ao = 0;

	if (!m->dm_next || i >= m->mp->n_paths ||
	    !m->paths[i].dm_kernel_group ||
	    m->paths[i].dm_kernel_group == m->dm_next)
		return false;
	for (size_t j = 0; j < m->mp->n_paths; j++) {
		const struct pw_path *p = &m->paths[j];

		if (p->dm_kernel_group != m->dm_next)
			continue;
		if (!device_says(p) || p->judge.state != ALUA_ACTIVE_OPTIMIZED)
			return false;
		ao++;
	}
	return ao > 0;
}
