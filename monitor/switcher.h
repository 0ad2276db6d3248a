/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Getting multipathd onto the newly optimized group at once.
 *
 * multipathd 0.9.4 ignores the SCSI uevent of an ALUA change and only
 * re-reads prios at its next check of a path (up to max_polling_interval).
 * "switchgroup map M group N" makes dm use group N right away.  It is not
 * undone by failback as long as prios agree with it: at its next check
 * multipathd refreshes the checked path's prio, sees it changed, reloads
 * the map with all prios refreshed (group_by_prio + failback immediate),
 * and group_by_prio then puts the same AO paths first.  If prios do not
 * follow the ALUA state (detect_prio turning our prio into something
 * else, a const prio), failback reverts the switch; the guard below sees
 * that and stops after a few reverts instead of fighting.
 */
#ifndef PW_MONITOR_SWITCHER_H
#define PW_MONITOR_SWITCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

enum switch_action {
	SW_NONE,	/* nothing to do, or not safe to decide */
	SW_SWITCH,	/* send switchgroup to *group */
	SW_HELD,	/* would switch, but multipathd kept reverting */
};

#define SW_REVERT_LIMIT 3
#define SW_REVERT_SPAN_NS (60ull * 1000000000ull)
#define SW_HOLD_NS (300ull * 1000000000ull)
#define SW_RESEND_NS (5ull * 1000000000ull)

/*
 * A path group known by its paths, not its number: multipathd renumbers
 * the groups when it reloads a map by prio, which after an ALUA change
 * it may do within a second of our switchgroup (in the lab the daemon's
 * view showed hpms02's group 2 as group 1 0.50 s after the switch was
 * sent), so "dm uses group 2" is no proof either way.
 */
#define SW_GROUP_PATHS 16

struct switch_group_id {
	size_t n;			/* its paths, 0 no group */
	char dev[SW_GROUP_PATHS][32];	/* the first SW_GROUP_PATHS of them */
};

/* @id names group @group of @m (none when it has no path). */
void switch_group_id(const struct pw_map *m, unsigned int group,
		     struct switch_group_id *id);
/* The number @id's group has in @m now: the group holding as many paths
 * as @id, @id's among them; 0 when none does (gone, or merged). */
unsigned int switch_group_now(const struct pw_map *m,
			      const struct switch_group_id *id);
/* True when that group is the one dm uses: I/O goes where the switch
 * sent it. */
bool switch_group_seen(const struct pw_map *m,
		       const struct switch_group_id *id);

/*
 * Our last switch, known by its group's paths: a renumbering right after
 * it (hpms02's group 2 becoming group 1) is neither a revert nor a reason
 * to hold back a switch to the new group 2 (hpms01's, promoted back).
 */
struct switch_guard {
	struct switch_group_id sent;	/* our last switch, n 0 none */
	unsigned int sent_group;	/* the number it was sent to */
	bool taken;			/* dm seen on its paths since */
	uint64_t last_switch_ns;
	unsigned int reverts;
	uint64_t first_revert_ns;
	uint64_t hold_until_ns;
};

enum switch_action switch_decide(const struct pw_map *m,
				 const struct switch_guard *g, uint64_t now,
				 unsigned int *group, char *why, size_t len);
/* A switchgroup to group @group of @m was sent at @now. */
void switch_note_sent(struct switch_guard *g, const struct pw_map *m,
		      unsigned int group, uint64_t now);
enum switch_seen {
	SW_SEEN_NOTHING,	/* no revert (or nothing to judge) */
	SW_SEEN_REVERT,		/* dm left our group, still the right one */
	SW_SEEN_MISSENT,	/* the number we sent named other paths by
				 * the time dm took it: multipathd renumbered
				 * the groups in between; no revert */
};

/*
 * After a fresh look at the map: a revert when dm left our group while it
 * is still the optimized one and can serve, counted towards holding off.
 * A switch sent by a number multipathd had given to other paths since
 * (the view it was decided on one look old) is no revert; either way the
 * switch may be sent again at once.
 */
enum switch_seen switch_note_observed(struct switch_guard *g,
				      const struct pw_map *m, uint64_t now);

/*
 * Paths multipathd should check now, when no path group is wholly
 * optimized but the RTPG answers say some paths are: with group_by_prio
 * that is a merged group.  Between a cluster's demote of the old master
 * and its promote of the new one both nodes are non-optimized, and
 * multipathd puts all paths in one group; the new master's paths keep
 * their old prio until multipathd next checks them (up to
 * max_polling_interval, 20 s by default), and until then there is no
 * group to switch to.  No multipathd command re-reads a prio, but from
 * 0.11 on "reinstate path" makes multipathd check the path at its next
 * tick (0.9 only reinstates), and it is nothing to dm for a path dm
 * uses.  So: the optimized paths whose
 * prio multipathd has not caught up with, that dm uses and whose checker
 * is up.  Fills @idx (indexes into m->paths) with at most @max; returns
 * how many.
 */
size_t switch_recheck_paths(const struct pw_map *m, size_t *idx, size_t max);

#endif
