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

size_t merged_group_to_fail(const struct pw_map *m, size_t *idx, size_t max)
{
	const struct pw_path *first = NULL;
	bool ao = false, one_prio = true;
	size_t n = 0;

	if (m->ao_group || !m->dm_group)
		return 0;
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (p->dm_kernel_group != m->dm_group)
			continue;
		if (!first)
			first = p;
		one_prio &= p->mp->pri == first->mp->pri;
		if (!p->dm_kernel_active)
			continue;
		if (carries(p))
			ao = true;
		else if (second_best(p) && n < max)
			idx[n++] = i;
	}
	return ao && one_prio ? n : 0;
}
