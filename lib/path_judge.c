// SPDX-License-Identifier: GPL-2.0-or-later
#include "pathwarden/path_judge.h"

/* The device told us something: not merely "we could not ask it". */
static bool heard(const struct tpg_answer *a)
{
	if (!a)
		return false;
	switch (a->result) {
	case TPG_OS_ERROR:	/* no node to open, SG_IO refused */
	case TPG_NO_MEMORY:
	case TPG_NOT_SCSI:
		return false;
	default:
		return true;
	}
}

static void judge_state(const struct path_facts *f, struct path_judgement *j)
{
	j->source = PATH_STATE_NONE;
	if (f->rtpg && tpg_answer_state(f->rtpg, &j->state, &j->preferred)) {
		/* a follower of its node's asked path (the daemon's batch)
		 * sent nothing itself: another path's word too */
		j->source = f->rtpg->result == TPG_OK && !f->rtpg->from_peer ?
			    PATH_STATE_RTPG : PATH_STATE_PEER;
		return;
	}
	/* A failure the device gave is newer than the kernel's word. */
	if (j->heard && f->rtpg->result != TPG_NOT_ALUA)
		return;
	if (f->access_state && alua_state_parse(f->access_state, &j->state)) {
		j->preferred = f->sysfs_preferred == 1;
		j->source = PATH_STATE_KERNEL;
	}
}

/* Each layer can say no, from the lowest up; the device's own verdict
 * comes before the state, as the checker makes it. */
static enum path_class judge_class(const struct path_facts *f,
				   const struct path_judgement *j)
{
	bool known = j->source != PATH_STATE_NONE;

	if (f->gone)
		return PATH_CLASS_GONE;
	if (f->transport_down)
		return PATH_CLASS_DOWN;
	/* multipathd's down is its last check's word, or a failure dm has
	 * seen since; a path dm has active again (a reinstate since) whose
	 * own answer says its group serves is up, as its next check will
	 * find */
	if (f->mp_down && !(f->dm_kernel_active &&
			    j->source == PATH_STATE_RTPG &&
			    j->verdict == PV_UP))
		return PATH_CLASS_DOWN;
	if (j->heard && (j->verdict == PV_DOWN || j->verdict == PV_TIMEOUT))
		return PATH_CLASS_DOWN;
	if (j->heard && j->verdict == PV_GHOST)
		return PATH_CLASS_STANDBY;
	if (known && (j->state == ALUA_UNAVAILABLE ||
		      j->state == ALUA_OFFLINE))
		return PATH_CLASS_DOWN;
	if (known && !alua_state_usable(j->state))
		return PATH_CLASS_STANDBY;
	/* multipathd's ghost is its last check's word: the device's own
	 * answer since, that its group serves, is newer (a standby that
	 * ended; dm keeps ghost paths active, so I/O can go there) */
	if (f->mp_ghost && j->source != PATH_STATE_RTPG)
		return PATH_CLASS_STANDBY;
	return PATH_CLASS_USABLE;
}

void path_judge(const struct path_facts *f, struct path_judgement *j)
{
	*j = (struct path_judgement){ 0 };
	j->heard = heard(f->rtpg);
	j->verdict = f->rtpg ? tpg_verdict(f->rtpg) : PV_UNSUPPORTED;
	judge_state(f, j);
	j->class = judge_class(f, j);
}
