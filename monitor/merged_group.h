/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A path group of both nodes that dm uses once one of them is optimized.
 *
 * Between a cluster's demotion of the old master and its promotion of the
 * new one both nodes' groups are non-optimized, and a multipathd reload in
 * that window (its checker saw the demotion) puts all of a map's paths in
 * one group by their equal prio (group_by_prio).  After the promotion dm
 * goes on sending I/O round-robin over all of them, half of it to the
 * node that is no longer optimized, until multipathd re-reads the new
 * master's prios and regroups, at its next check of those paths: 1.1 s in
 * one of ten switchovers at 1 LUN, and seconds for 6 maps of 64 at 64
 * LUNs, where multipathd checks 256 paths on a busy host.  No group is
 * wholly optimized, so there is nothing to switch to (switcher.h asks
 * multipathd to check the optimized paths, which it does at its pace).
 *
 * The daemon fails the group's non-optimized paths in dm (dm_fail_path,
 * as it does refused paths): I/O goes to the optimized ones alone at
 * once.  multipathd learns of it by the dm event, checks those paths at
 * its next tick, finds them up, reinstates them and, a path being back,
 * refreshes every path's prio and reloads the map, which gives the
 * optimized paths a group of their own (check_path in 0.9.4,
 * update_path_state and update_mpp_prio in 0.11.1).  Should the optimized
 * paths fail meanwhile, dm queues (no_path_retry) until multipathd's next
 * check reinstates the others: the same checker interval, no I/O error.
 */
#ifndef PW_MONITOR_MERGED_GROUP_H
#define PW_MONITOR_MERGED_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

/*
 * The paths of @m to fail in dm, by the kernel's status as the view read
 * it last (dm_next, each path's dm_kernel_group and dm_kernel_active; the
 * daemon reads it again with the RTPG answers, view_read_dm, when
 * multipathd's part of the view may be a reload old): when no group of
 * dm's is wholly optimized, those of dm's next group that dm uses and the
 * device (their own RTPG or their node's) says are non-optimized or
 * standby, provided the group holds a path dm uses that the device says
 * is optimized and whose checker is up, and is not a policy's: a group
 * multipathd's view also has as one, of mixed prios (multibus), is left
 * alone; one of a single prio is group_by_prio's merge, and paths the view
 * has in groups apart were merged by a reload since.  Fills @idx (indexes into m->paths)
 * with at most @max; returns how many.
 */
size_t merged_group_to_fail(const struct pw_map *m, size_t *idx, size_t max);

/*
 * Whether path @i of @m, failed in dm by merged_group_to_fail, may be
 * given back now: multipathd has regrouped the map since, so dm's next
 * group holds optimized paths only (by the device's word) and the path
 * is in another group of dm's, where it carries no I/O.  Until then its
 * reinstatement would put it back beside the optimized paths; after,
 * waiting for multipathd's next check of it (a polling_interval: 5.2-6.0
 * s after the daemon failed it in the lab, the regroup 0.15 s after
 * the failing) only keeps the map degraded.
 */
bool merged_group_split(const struct pw_map *m, size_t i);

#endif
