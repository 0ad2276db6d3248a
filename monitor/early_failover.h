/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Early failover (opt-in, "early-failover yes"): when the prober of a map
 * has an I/O stuck for longer than early-failover-ms AND every portal of
 * the node that carries the map's I/O has stopped answering TCP probes
 * (two failures in a row each), fail that node's paths in multipathd
 * instead of waiting for the NOP-Out timers and recovery_tmo.  Both
 * signals are needed: a slow disk alone, or a portal probe lost under
 * load alone, never triggers it.  And the node to fail over to must have
 * answered every probe of every portal for as long as the I/O has to be
 * stuck: probes failing to both nodes say the host itself is starved
 * (the impaired soak with a 200 ms connect bound: a CPU hog and a
 * stalled backstore failed them to both, one of hpms02's answered again,
 * and hpms01 was cut loose 0.2 s later with nothing wrong with it).
 */
#ifndef PW_MONITOR_EARLY_FAILOVER_H
#define PW_MONITOR_EARLY_FAILOVER_H

#include <stddef.h>
#include <stdint.h>

#include "portal_probe.h"
#include "topology.h"

/*
 * True when @m's I/O should be moved off *@node now.  @inflight_since is
 * the issue time of the prober's I/O in flight (0 none).  The group in
 * use is the kernel's as @m's dm fields last read it (view_read_dm_map):
 * the caller reads them again first, since multipathd fails back without
 * a uevent the daemon would hear.
 */
bool early_decide(const struct pw_map *m, const struct portal_probe *pp,
		  unsigned int n_portals, uint64_t inflight_since,
		  uint64_t now, uint64_t min_stall_ns,
		  const struct conf_node **node, char *why, size_t len);

/* Some node has every portal silent (the cheap half of the decision). */
bool early_any_silent(const struct portal_probe *pp, unsigned int n_portals);

#endif
