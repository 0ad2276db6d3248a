/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Early failover's cut (early_failover.h decides when).  A command in
 * flight on a silent node's session waits in the kernel for the NOP-Out
 * timers and then the session's recovery_tmo before the SCSI layer fails
 * it back to dm; failing the path in dm does not touch it, so with the
 * shipped timeouts the application's I/O stalled 3 s with early failover
 * or without (lab, 2026-12-07).  The cut sets each of the node's
 * sessions' recovery_tmo to 0, so the kernel fails a blocked session's
 * commands at once, then closes their TCP connections (sock_kill.h),
 * which the initiator takes as a connection failure at once: dm retries
 * the commands on the other node's paths.  The kernel takes a
 * recovery_tmo only from a logged-in session (EBUSY otherwise) and keeps
 * a value written through sysfs over iscsid's at the next login, so each
 * session's old value goes back once the session is logged in again
 * after its failure (iscsid's reconnect), or EARLY_CUT_RESTORE_NS after
 * the cut if it never failed.
 */
#ifndef PW_MONITOR_EARLY_CUT_H
#define PW_MONITOR_EARLY_CUT_H

#include <stdint.h>

#include "topology.h"

#define EARLY_CUT_MAX 32
#define EARLY_CUT_RESTORE_NS (5ULL * 1000000000ULL)

struct early_cut {
	struct {
		int sid;
		int old_tmo;
		uint64_t at;
		bool left;	/* seen out of LOGGED_IN since the cut */
	} s[EARLY_CUT_MAX];
	unsigned int n;
};

struct early_cut_result {
	unsigned int sessions;		/* recovery_tmo set to 0 */
	unsigned int connections;	/* TCP connections closed */
	unsigned int failed;		/* writes or closes that failed */
	int first_err;			/* the first failure's -errno */
};

/*
 * Cut @node's sessions among @m's paths loose (under sysfs @root).  A
 * session whose recovery_tmo is unknown keeps it and only loses its
 * connection; one already cut is not cut twice.
 */
void early_cut(struct early_cut *c, const char *root, const struct pw_map *m,
	       const struct conf_node *node, uint64_t now,
	       struct early_cut_result *r);

/*
 * Give back the recovery_tmo of every cut session that is logged in
 * again, or still logged in EARLY_CUT_RESTORE_NS after its cut; forget
 * the ones that are gone.  With @all (at exit) try every one whatever
 * its state, and log the ones the kernel refused.  Returns how many are
 * still waiting.
 */
unsigned int early_cut_settle(struct early_cut *c, const char *root,
			      uint64_t now, bool all);

#endif
