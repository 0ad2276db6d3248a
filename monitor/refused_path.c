// SPDX-License-Identifier: GPL-2.0-or-later
/* Which paths the daemon fails in multipathd at once; see refused_path.h. */
#include <string.h>

#include "refused_path.h"

bool refused_path_in_use(const struct pw_map *m, size_t i)
{
	const struct pw_path *p = &m->paths[i];
	enum alua_state st;
	bool pref;

	if (!p->rtpg_done || strcmp(p->mp->dm_st, "active"))
		return false;
	if (p->rtpg.result == TPG_REJECTED)
		return true;
	return tpg_answer_state(&p->rtpg, &st, &pref) &&
	       (st == ALUA_OFFLINE || st == ALUA_UNAVAILABLE);
}
