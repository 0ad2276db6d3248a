/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathd path checker "rtpg": judges a path by the ALUA state of its
 * own target port group, from one REPORT TARGET PORT GROUPS per check.
 *
 * This file is the paper-thin shim between multipathd's checker ABI and the
 * core (lib/async_check.c, lib/tpg_query.c): it copies fd and timeout out of
 * struct checker, starts the worker through libmultipath so the DSO stays
 * loaded while a worker runs, and maps the core's verdict to PATH_* states.
 * It is the only checker file that includes multipath-tools headers.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "checkers.h"
#include "debug.h"
#include "version.h"

#include "pathwarden/async_check.h"

/*
 * The checker ABI changes between releases and libmultipath promises no
 * stability: build only for the versions this file was written for.
 *   0.9.4 (Debian 12): libcheck_check starts and collects.  Tested.
 *   0.11.x (Debian 13): libcheck_check starts, libcheck_pending collects,
 *   libcheck_need_wait says a worker is outstanding; struct checker gains
 *   path_state.  Written for, compiled against 0.11.1's headers, not run.
 */
#if VERSION_CODE == 0x000904
#define MPT_PENDING_API 0
#elif VERSION_CODE >= 0x000b00 && VERSION_CODE < 0x000c00
#define MPT_PENDING_API 1
#else
#error "the rtpg checker is not written for this multipath-tools version"
#endif

#define PLUGIN_API __attribute__((visibility("default")))

/* Time we give a fresh worker before returning PATH_PENDING, as tur does. */
#define FIRST_WAIT_MS 1
#define WORKER_STACK (128 * 1024)

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

static int judge(struct checker *c, const struct tpg_answer *ans)
{
	if (ans->result == TPG_OK || ans->from_peer)
		c->msgid = state_msgid(&ans->own, ans->from_peer);
	else
		c->msgid = result_msgid(ans->result);
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

PLUGIN_API int libcheck_init(struct checker *c)
{
	struct async_check *ac;
	struct checker_context *ctx;

	ac = async_check_new(sizeof(*ctx));
	if (!ac)
		return 1;
	ctx = async_check_extra(ac);
	ctx->cls = c->cls;
	c->context = ac;
	return 0;
}

PLUGIN_API void libcheck_free(struct checker *c)
{
	/* a worker still in SG_IO holds its own reference */
	async_check_put(c->context);
	c->context = NULL;
}

PLUGIN_API void *libcheck_thread(struct checker_context *ctx)
{
	async_check_work(async_check_from_extra(ctx));
	return NULL;
}

static int start_worker(struct async_check *ac)
{
	pthread_attr_t attr;
	pthread_t thread;
	int rc;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	rc = start_checker_thread(&thread, &attr, async_check_extra(ac));
	pthread_attr_destroy(&attr);
	return rc;
}

PLUGIN_API int libcheck_check(struct checker *c)
{
	struct async_check *ac = c->context;
	unsigned int timeout_ms = c->timeout * 1000;
	struct tpg_answer ans;

	if (!ac)
		return PATH_UNCHECKED;
	if (checker_is_sync(c)) {
		async_check_sync(ac, c->fd, timeout_ms, &ans);
		return judge(c, &ans);
	}

	switch (async_check_poll(ac, c->fd, timeout_ms, &ans)) {
	case ASYNC_DONE:
	case ASYNC_TIMED_OUT:
		return judge(c, &ans);
	case ASYNC_RUNNING:
		c->msgid = MSG_RUNNING;
		return PATH_PENDING;
	case ASYNC_IDLE:	/* never returned by a poll: it starts one */
	case ASYNC_START:
		break;
	}
	if (start_worker(ac) != 0) {
		async_check_start_failed(ac);
		condlog(3, "rtpg: cannot start a worker thread, checking in sync mode");
		async_check_sync(ac, c->fd, timeout_ms, &ans);
		return judge(c, &ans);
	}
	if (async_check_wait(ac, FIRST_WAIT_MS, &ans) == ASYNC_DONE)
		return judge(c, &ans);
	c->msgid = MSG_RUNNING;
	return PATH_PENDING;
}

#if MPT_PENDING_API
/* 0.11: collect a started check without starting another. */
PLUGIN_API int libcheck_pending(struct checker *c);
PLUGIN_API bool libcheck_need_wait(struct checker *c);

PLUGIN_API int libcheck_pending(struct checker *c)
{
	struct async_check *ac = c->context;
	struct tpg_answer ans;

	if (!ac)
		return PATH_UNCHECKED;
	switch (async_check_collect(ac, &ans)) {
	case ASYNC_DONE:
	case ASYNC_TIMED_OUT:
		return judge(c, &ans);
	case ASYNC_RUNNING:
		c->msgid = MSG_RUNNING;
		return PATH_PENDING;
	case ASYNC_IDLE:
	case ASYNC_START:
		break;
	}
	return c->path_state;
}

PLUGIN_API bool libcheck_need_wait(struct checker *c)
{
	return c->context && async_check_outstanding(c->context);
}
#endif
