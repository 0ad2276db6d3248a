/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Groups that do not serve, watched until they do.
 *
 * A target raises the unit attention for a group's change on that
 * group's own ports, and a group in standby, unavailable or offline
 * carries no I/O: nothing sends its paths a command but multipathd's
 * checker, every polling_interval (5 s) for a failed path and up to
 * max_polling_interval (20 s) for a ghost one.  So the end of such a
 * state reaches the kernel, multipathd and the daemon only then, and the
 * failback with it.  While a map has such a group the daemon asks it
 * again itself, one path of each such group every group-watch-ms, and
 * treats a changed answer as an ALUA change (switch at once).  A map
 * whose groups all serve costs nothing.
 */
#ifndef PW_MONITOR_GROUP_WATCH_H
#define PW_MONITOR_GROUP_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "rtpg_batch.h"
#include "topology.h"

/* Whether any group of @v's maps does not serve (the batch below would
 * not be empty). */
bool group_watch_wanted(const struct pw_view *v);

/* One path of each group of @v's maps that does not serve, into @b (made
 * empty first).  False on out-of-memory; an empty batch: nothing to
 * watch. */
bool group_watch_batch(const struct pw_view *v, struct rtpg_batch *b);

/* Whether an answer of @b says a state other than @v holds for its path;
 * the first such path's map and device and the new state in @what. */
bool group_watch_news(const struct pw_view *v, const struct rtpg_batch *b,
		      char *what, size_t len);

/*
 * Paths multipathd should put back now: its checker failed them while
 * their group was unavailable or offline, and their own RTPG says the
 * group serves again (AO or ANO) while their session and disk are up.
 * multipathd's checker would reinstate them at its next check of a
 * failed path (up to polling_interval later); "reinstate path" does it
 * now, and from multipath-tools 0.11 on also makes it check the path at
 * once.  Fills @idx (indexes into m->paths) with at most @max; returns
 * how many.
 */
size_t group_watch_reinstate(const struct pw_map *m, size_t *idx, size_t max);

#endif
