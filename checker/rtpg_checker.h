/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the rtpg checker: what the per-series entry points share.
 */
#ifndef PW_RTPG_CHECKER_H
#define PW_RTPG_CHECKER_H

#include "abi.h"	/* mpt/: the series' declared ABI */

#include "pathwarden/async_check.h"

#define PLUGIN_API __attribute__((visibility("default")))

enum {
	MSG_RUNNING = CHECKER_FIRST_MSGID,
	MSG_TIMEOUT,
	MSG_NOT_ALUA,
	MSG_NO_GROUP_ID,
	MSG_GROUP_MISSING,
	MSG_SENSE,
	MSG_REJECTED,
	MSG_BAD_STATUS,
	MSG_BAD_RESPONSE,
	MSG_TRANSPORT,
	MSG_NOT_SCSI,
	MSG_OS_ERROR,
	MSG_NO_MEMORY,
	MSG_STATE_BASE,		/* one per state, group id not shown */
	MSG_GROUP_BASE = MSG_STATE_BASE + 7,	/* groups 0..9 x 7 states */
	MSG_PEER_BASE = MSG_GROUP_BASE + 10 * 7,	/* one per state */
	MSG_END = MSG_PEER_BASE + 7,
};

_Static_assert(MSG_END - CHECKER_FIRST_MSGID < CHECKER_MSGTABLE_SIZE,
	       "checker message table must fit multipathd's limit");

PLUGIN_API extern const char *libcheck_msgtable[MSG_END - CHECKER_FIRST_MSGID + 1];

/* The path state for multipathd and the message id that explains it. */
int rtpg_judge(const struct tpg_answer *ans, short *msgid);

#endif
