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

/* Filled at load: the results' texts are the core's (tpg_result_name),
 * the states' are built from the core's state names. */
PLUGIN_API const char *libcheck_msgtable[IDX(MSG_END) + 1];

static const enum tpg_result msg_results[] = {
	TPG_NOT_ALUA, TPG_NO_GROUP_ID, TPG_GROUP_MISSING, TPG_SENSE,
	TPG_REJECTED, TPG_BAD_STATUS, TPG_BAD_RESPONSE, TPG_TRANSPORT,
	TPG_TIMEOUT, TPG_NOT_SCSI, TPG_OS_ERROR, TPG_NO_MEMORY,
};
#define N_RESULTS (sizeof(msg_results) / sizeof(msg_results[0]))
static char result_texts[N_RESULTS][72];

static short result_msgid(enum tpg_result r);

__attribute__((constructor)) static void build_msgtable(void)
{
	libcheck_msgtable[IDX(MSG_RUNNING)] = " still running";
	/* multipathd prints "<checker>: <dev>" before the text: a space */
	for (size_t i = 0; i < N_RESULTS; i++) {
		snprintf(result_texts[i], sizeof(result_texts[i]), " %s",
			 tpg_result_name(msg_results[i]));
		libcheck_msgtable[IDX(result_msgid(msg_results[i]))] =
			result_texts[i];
	}
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
	/* the judge's verdict on the answer (path_judge's first step):
	 * multipathd holds the rest of the path's picture */
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
