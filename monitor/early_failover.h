/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Early failover (opt-in, "early-failover yes"): when the prober of a map
 * has an I/O stuck for longer than early-failover-ms AND every portal of
 * the node that carries the map's I/O has stopped answering TCP probes
 * (two failures in a row each), fail that node's paths in multipathd
 * instead of waiting for the NOP-Out timers and recovery_tmo.  Both
 * signals are needed: a slow disk alone, or a portal probe lost under
 * load alone, never triggers it.
 */
#ifndef PW_MONITOR_EARLY_FAILOVER_H
#define PW_MONITOR_EARLY_FAILOVER_H

#include <stddef.h>
#include <stdint.h>

#include "portal_probe.h"
#include "topology.h"

/*
 * True when @m's I/O should be moved off *@node now.  @inflight_since is
 * the issue time of the prober's I/O in flight (0 none).
 */
bool early_decide(const struct pw_map *m, const struct portal_probe *pp,
		  unsigned int n_portals, uint64_t inflight_since,
		  uint64_t now, uint64_t min_stall_ns,
		  const struct conf_node **node, char *why, size_t len);

#endif
