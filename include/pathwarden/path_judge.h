/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one judge of a path.  From the device's RTPG answer and, where the
 * caller has them, the kernel's word (scsi_dh_alua's access_state, the
 * disk's and the session's state) and multipathd's (the path failed in dm,
 * its checker's state), one judgement with one vocabulary, read by the
 * daemon's view, the switcher, status, doctor and metrics.  Inside
 * multipathd, where multipathd holds the rest of the path's picture, the
 * checker and the prio use the judge's first steps on the answer alone:
 * its verdict (tpg_verdict) and its state (tpg_answer_state).
 */
#ifndef PATHWARDEN_PATH_JUDGE_H
#define PATHWARDEN_PATH_JUDGE_H

#include <stdbool.h>

#include "pathwarden/alua.h"
#include "pathwarden/tpg_query.h"

/* What is known of one path; a caller leaves out what it does not have. */
struct path_facts {
	const struct tpg_answer *rtpg;	/* its RTPG answer; NULL: not asked */
	/* the kernel: NULL / -1 when not read */
	const char *access_state;	/* scsi_dh_alua's, "active/optimized" */
	int sysfs_preferred;		/* its preferred_path, -1 unknown */
	bool gone;			/* the kernel no longer has the disk */
	bool transport_down;		/* disk offline, session not logged in */
	/* multipathd: false when not asked */
	bool mp_down;			/* failed in dm, or its checker is */
	bool mp_ghost;			/* its checker says ghost */
	/* the kernel's dm status, read after multipathd: it has the path
	 * active (false: failed, or not read) */
	bool dm_kernel_active;
};

enum path_class {
	PATH_CLASS_USABLE,	/* I/O may go there now */
	PATH_CLASS_STANDBY,	/* reachable, its group takes no I/O now */
	PATH_CLASS_DOWN,	/* a layer below says no */
	PATH_CLASS_GONE,	/* the kernel has no such disk */
};

/* Where the ALUA state was learned. */
enum path_state_source {
	PATH_STATE_NONE,
	PATH_STATE_RTPG,	/* the path's own answer */
	PATH_STATE_PEER,	/* another path's report of its group */
	PATH_STATE_KERNEL,	/* scsi_dh_alua's access_state */
};

struct path_judgement {
	enum path_class class;
	/* the device's own word: what the checker tells multipathd */
	enum path_verdict verdict;
	bool heard;			/* the device answered something */
	/* the state of the path's group, as freshly as known */
	enum path_state_source source;
	enum alua_state state;		/* valid unless source is NONE */
	bool preferred;
};

void path_judge(const struct path_facts *f, struct path_judgement *j);

#endif
