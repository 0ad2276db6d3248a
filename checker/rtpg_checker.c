/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathd path checker "rtpg": judges a path by the ALUA state of its
 * own target port group, from one REPORT TARGET PORT GROUPS per check.
 *
 * This file holds what every multipath-tools series shares: the message
 * table and the mapping of the core's verdict to multipathd's path states.
 * How a check is started and collected differs per series and lives in
 * checker_thread.c (0.9, 0.11) and checker_async.c (0.15), the only other
 * checker files; the ABI itself is declared in mpt/.
 */
#include <stdio.h>
#include <string.h>

#include "rtpg_checker.h"

#define IDX(m) ((m) - CHECKER_FIRST_MSGID)

static const enum alua_state msg_states[7] = {
	ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED, ALUA_STANDBY,
	ALUA_UNAVAILABLE, ALUA_LBA_DEPENDENT, ALUA_OFFLINE, ALUA_TRANSITIONING,
};

/* Per-group texts: the table holds pointers into this, filled at load. */
static char group_texts[10 * 7][40];
static char state_texts[7][40];
static char peer_texts[7][72];

PLUGIN_API const char *libcheck_msgtable[IDX(MSG_END) + 1] = {
	[IDX(MSG_RUNNING)] = " still running",
	[IDX(MSG_TIMEOUT)] = " timed out",
	[IDX(MSG_NOT_ALUA)] = " device does not support ALUA; use path_checker tur",
	[IDX(MSG_NO_GROUP_ID)] = " no target port group in VPD page 0x83",
	[IDX(MSG_GROUP_MISSING)] = " own target port group missing from RTPG",
	[IDX(MSG_SENSE)] = " RTPG failed with sense data",
	[IDX(MSG_REJECTED)] = " RTPG rejected by the target (illegal request)",
	[IDX(MSG_BAD_STATUS)] = " RTPG got a busy status",
	[IDX(MSG_BAD_RESPONSE)] = " malformed RTPG response",
	[IDX(MSG_TRANSPORT)] = " transport error",
	[IDX(MSG_NOT_SCSI)] = " not a SCSI device",
	[IDX(MSG_OS_ERROR)] = " SG_IO failed",
	[IDX(MSG_NO_MEMORY)] = " out of memory",
	[IDX(MSG_END)] = NULL,
};

__attribute__((constructor)) static void build_msgtable(void)
{
	for (int s = 0; s < 7; s++) {
		snprintf(state_texts[s], sizeof(state_texts[s]), " tpg %s",
			 alua_state_name(msg_states[s]));
		libcheck_msgtable[IDX(MSG_STATE_BASE) + s] = state_texts[s];
		snprintf(peer_texts[s], sizeof(peer_texts[s]),
			 " no answer; another path reports its tpg %s",
			 alua_state_name(msg_states[s]));
		libcheck_msgtable[IDX(MSG_PEER_BASE) + s] = peer_texts[s];
		for (int g = 0; g < 10; g++) {
			char *t = group_texts[g * 7 + s];

			snprintf(t, sizeof(group_texts[0]), " tpg %d %s", g,
				 alua_state_name(msg_states[s]));
			libcheck_msgtable[IDX(MSG_GROUP_BASE) + g * 7 + s] = t;
		}
	}
}

static short state_msgid(const struct tpg_desc *own, bool from_peer)
{
	int s;

	for (s = 0; s < 7; s++)
		if (msg_states[s] == own->state)
			break;
	if (s == 7)
		return MSG_BAD_RESPONSE;
	if (from_peer)
		return (short)(MSG_PEER_BASE + s);
	if (own->group_id < 10)
		return (short)(MSG_GROUP_BASE + own->group_id * 7 + s);
	return (short)(MSG_STATE_BASE + s);
}

static short result_msgid(enum tpg_result r)
{
	switch (r) {
	case TPG_OK:
		return CHECKER_MSGID_NONE;
	case TPG_NOT_ALUA:
		return MSG_NOT_ALUA;
	case TPG_NO_GROUP_ID:
		return MSG_NO_GROUP_ID;
	case TPG_GROUP_MISSING:
		return MSG_GROUP_MISSING;
	case TPG_SENSE:
		return MSG_SENSE;
	case TPG_REJECTED:
		return MSG_REJECTED;
	case TPG_BAD_STATUS:
		return MSG_BAD_STATUS;
	case TPG_BAD_RESPONSE:
		return MSG_BAD_RESPONSE;
	case TPG_TRANSPORT:
		return MSG_TRANSPORT;
	case TPG_TIMEOUT:
		return MSG_TIMEOUT;
	case TPG_NOT_SCSI:
		return MSG_NOT_SCSI;
	case TPG_OS_ERROR:
		return MSG_OS_ERROR;
	case TPG_NO_MEMORY:
		return MSG_NO_MEMORY;
	}
	return MSG_OS_ERROR;
}

int rtpg_judge(const struct tpg_answer *ans, short *msgid)
{
	if (ans->result == TPG_OK || ans->from_peer)
		*msgid = state_msgid(&ans->own, ans->from_peer);
	else
		*msgid = result_msgid(ans->result);
	switch (tpg_verdict(ans)) {
	case PV_UP:
		return PATH_UP;
	case PV_GHOST:
		return PATH_GHOST;
	case PV_PENDING:
		return PATH_PENDING;
	case PV_DOWN:
		return PATH_DOWN;
	case PV_TIMEOUT:
		return PATH_TIMEOUT;
	case PV_UNSUPPORTED:
		return PATH_WILD;
	}
	return PATH_DOWN;
}
