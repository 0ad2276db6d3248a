// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>

#include "sess_track.h"

static bool alive(int sid, const struct iscsi_sess *live, size_t n_live)
{
	for (size_t i = 0; i < n_live; i++)
		if (live[i].sid == sid)
			return true;
	return false;
}

unsigned int sess_track_prune(struct sess_track *t, unsigned int n,
			      const struct iscsi_sess *live, size_t n_live)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < n; i++)
		if (alive(t[i].sid, live, n_live))
			t[kept++] = t[i];
	return kept;
}
