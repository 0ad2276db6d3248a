// SPDX-License-Identifier: GPL-2.0-or-later
/* When a uevent's fresh view may be read; see view_pace.h. */
#include "view_pace.h"

uint64_t view_pace_at(uint64_t now, uint64_t delay_ns, uint64_t last_end_ns,
		      uint64_t last_cost_ns)
{
	uint64_t at = now + delay_ns, pause = VIEW_PACE * last_cost_ns;
	uint64_t calm;

	if (pause > VIEW_PACE_MAX_NS)
		pause = VIEW_PACE_MAX_NS;
	calm = last_end_ns + pause;

	return calm > at ? calm : at;
}
