/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's memory of each iSCSI session's state, from one look at
 * sysfs to the next: a change is an event, a FREE session's re-login
 * waits for a portal answer newer than its failure (since_ns), and one
 * back from FREE is said.  A session gone from sysfs (logged out, or
 * replaced by a re-login's new one) is forgotten, so the table holds the
 * sessions there are, not every one seen since the start: full, it would
 * track no new session, and a FREE one it does not track is never
 * logged out and in.
 */
#ifndef PW_MONITOR_SESS_TRACK_H
#define PW_MONITOR_SESS_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "iscsi_sessions.h"

#define MAX_SESS 128

struct sess_track {
	int sid;
	char state[24];
	uint64_t since_ns;	/* in that state since (as looked), loop clock */
};

/* Keeps of @t[0..@n) the sessions @live[0..@n_live) has, in their order;
 * returns how many. */
unsigned int sess_track_prune(struct sess_track *t, unsigned int n,
			      const struct iscsi_sess *live, size_t n_live);

#endif
