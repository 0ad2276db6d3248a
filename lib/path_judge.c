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
		j->source = f->rtpg->result == TPG_OK ? PATH_STATE_RTPG
						      : PATH_STATE_PEER;
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

void path_judge(const struct path_facts *f, struct path_judgement *j)
{
	bool known;

	*j = (struct path_judgement){ 0 };
	j->heard = heard(f->rtpg);
	j->verdict = f->rtpg ? tpg_verdict(f->rtpg) : PV_UNSUPPORTED;
	judge_state(f, j);
	known = j->source != PATH_STATE_NONE;
	if (f->gone) {
		j->class = PATH_CLASS_GONE;
		return;
	}
	if (f->mp_down || f->transport_down) {
		j->class = PATH_CLASS_DOWN;
		return;
	}
	/* The device's verdict first, as the checker makes it. */
	if (j->heard) {
		switch (j->verdict) {
		case PV_DOWN:
		case PV_TIMEOUT:
			j->class = PATH_CLASS_DOWN;
			return;
		case PV_GHOST:
			j->class = PATH_CLASS_STANDBY;
			return;
		case PV_UP:
		case PV_PENDING:
		case PV_UNSUPPORTED:
			break;
		}
	}
	if (known && (j->state == ALUA_UNAVAILABLE ||
		      j->state == ALUA_OFFLINE)) {
		j->class = PATH_CLASS_DOWN;
		return;
	}
	if ((known && !alua_state_usable(j->state)) || f->mp_ghost) {
		j->class = PATH_CLASS_STANDBY;
		return;
	}
	j->class = PATH_CLASS_USABLE;
}

const char *path_class_name(enum path_class c)
{
	switch (c) {
	case PATH_CLASS_USABLE:
		return "usable";
	case PATH_CLASS_STANDBY:
		return "standby";
	case PATH_CLASS_DOWN:
		return "down";
	case PATH_CLASS_GONE:
		return "gone";
	}
	return "?";
}
