// SPDX-License-Identifier: GPL-2.0-or-later
/* Which paths the daemon fails in multipathd at once; see refused_path.h. */
#include <string.h>

#include "refused_path.h"

bool refused_path_in_use(const struct pw_map *m, size_t i)
{
	const struct pw_path *p = &m->paths[i];

	if (!p->rtpg_done || !p->mp->dm_active)
		return false;
	if (p->rtpg.result == TPG_REJECTED)
		return true;
	/* the device's word (its own or a peer's), not the kernel's */
	return (p->judge.source == PATH_STATE_RTPG ||
		p->judge.source == PATH_STATE_PEER) &&
	       (p->judge.state == ALUA_OFFLINE ||
		p->judge.state == ALUA_UNAVAILABLE);
}
