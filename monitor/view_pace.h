/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * When a uevent's fresh view may be read: the daemon reads one after sd
 * and dm devices come, go and change, coalesced over a short delay (a
 * login brings a burst).  Each view asks multipathd for every map, which
 * it answers under the lock its checker and its map reloads take; at 64
 * LUNs under TCG one view took 0.3-4 s, and while multipathd reloaded
 * map after map (a bring-up, a promotion) the reloads' own dm uevents
 * kept a view going every 300 ms: 2.5-2.7 views a second for minutes
 * while the lab configured itself (377 s against stock's 240 s), and
 * 1.1-1.6 a second in the 30 s measured idle after a failback, with
 * multipathd at 37 % of a core.
 *
 * So a uevent's view comes no sooner than VIEW_PACE times the last
 * view's own time after that view ended, and no later for it than
 * VIEW_PACE_MAX_NS (a view stuck on a hung multipathd's 4 s timeout must
 * not leave the next one 12 s away): the daemon's views take at most a
 * quarter of multipathd's time however many uevents come, while a view
 * costs under VIEW_PACE_MAX_NS / VIEW_PACE.  At one LUN (a view of about
 * 70 ms) nothing changes.  The views an ALUA change
 * reads (the RTPG batches) are not paced: they are the failover.
 */
#ifndef PW_MONITOR_VIEW_PACE_H
#define PW_MONITOR_VIEW_PACE_H

#include <stdint.h>

#define VIEW_PACE 3
#define VIEW_PACE_MAX_NS 5000000000ull

/* The time (ns, the loop's clock) a view wanted @delay_ns after @now may
 * be read, the last view having ended at @last_end_ns after taking
 * @last_cost_ns (0, 0: none read yet). */
uint64_t view_pace_at(uint64_t now, uint64_t delay_ns, uint64_t last_end_ns,
		      uint64_t last_cost_ns);

#endif
