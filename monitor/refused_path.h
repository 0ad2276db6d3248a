/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A path dm still uses though the target refuses it.
 *
 * LIO answers every command on a port whose group is offline with ILLEGAL
 * REQUEST (05/24/00); the kernel takes that for a target error, which
 * dm-multipath hands to the application (EREMOTEIO) instead of retrying
 * it on another path.  multipathd learns of it at its next check of the
 * path, up to max_polling_interval (20 s) later: thousands of failed
 * reads in the lab.  The daemon's RTPG after the unit attention knows at
 * once, so it fails such a path in dm right away (dm_fail_path: not
 * multipathd's "fail path", which would disable the checker until an
 * operator reinstates the path); multipathd's own checker (rtpg) keeps
 * it failed and reinstates it when the group serves again.  Unavailable is treated alike: its NOT READY is a path
 * error, but only after an I/O has met it.
 */
#ifndef PW_MONITOR_REFUSED_PATH_H
#define PW_MONITOR_REFUSED_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

/* Path @i of @m is active in dm, and its own RTPG was refused, or its
 * group (by its own answer or a peer's) is offline or unavailable. */
bool refused_path_in_use(const struct pw_map *m, size_t i);

#endif
