// SPDX-License-Identifier: GPL-2.0-or-later
/* Which paths of a group of both nodes the daemon fails in dm; see
 * merged_group.h. */
#include <string.h>

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

bool merged_group_suspect(const struct pw_map *m)
{
	const struct mp_map *mp = m->mp;

	if (m->ao_group)
		return false;
	for (size_t g = 0; g < mp->n_groups; g++) {
		const struct mp_group *grp = &mp->groups[g];
		const struct pw_path *first = &m->paths[grp->first_path];
		bool ao = false, other = false, one_prio = true;

		for (size_t i = 0; i < grp->n_paths; i++) {
			const struct pw_path *p = &m->paths[grp->first_path + i];

			one_prio &= p->mp->pri == first->mp->pri;
			if (!p->mp->dm_active)
				continue;
			ao |= carries(p);
			other |= second_best(p);
		}
		if (ao && other && one_prio)
			return true;
	}
	return false;
}

static const struct pw_path *path_of(const struct pw_map *m,
				     const char *devt, size_t *at)
{
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (!strcmp(m->paths[i].mp->devt, devt)) {
			*at = i;
			return &m->paths[i];
		}
	return NULL;
}

size_t merged_group_to_fail(const struct pw_map *m,
			    const struct dm_mpath_status *st, size_t *idx,
			    size_t max)
{
	size_t n = 0, at;
	bool ao = false;

	if (!st->next_group)
		return 0;
	for (unsigned int k = 0; k < st->n_paths; k++) {
		const struct pw_path *p;

		if (st->paths[k].group != st->next_group ||
		    !st->paths[k].active)
			continue;
		p = path_of(m, st->paths[k].devt, &at);
		if (!p)
			continue;
		if (carries(p))
			ao = true;
		else if (second_best(p) && n < max)
			idx[n++] = at;
	}
	return ao ? n : 0;
}
