// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sessions through libopeniscsiusr.  The library also reads each
 * session's CHAP attributes into its own objects; nothing here asks for
 * them, and the objects are freed before this returns.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libopeniscsiusr.h>

#include "iscsi_sessions.h"
#include "log.h"
#include "strutil.h"

/* The library's warnings and errors (a session that vanished mid-read, a
 * sysfs layout it did not expect) are diagnostics for -vv, not errors:
 * the scan goes on without that session, as iscsiadm does. */
__attribute__((format(printf, 6, 0)))
static void lib_log(struct iscsi_context *ctx, int priority,
		    const char *file, int line, const char *func,
		    const char *fmt, va_list args)
{
	char msg[256];

	(void)ctx; (void)priority; (void)file; (void)line;
	vsnprintf(msg, sizeof(msg), fmt, args);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("libopeniscsiusr: %s: %s", func, msg);
}

static int errno_of(int rc)
{
	return rc == LIBISCSI_ERR_NOMEM ? -ENOMEM : -EIO;
}

static void copy_one(struct iscsi_session *se, struct iscsi_sess *s)
{
	const char *v;

	memset(s, 0, sizeof(*s));
	s->sid = (int)iscsi_session_sid_get(se);
	s->host = -1;
	v = iscsi_session_target_name_get(se);
	str_copy(s->target, sizeof(s->target), v ? v : "");
	s->tpgt = iscsi_session_tpgt_get(se);
	s->recovery_tmo = iscsi_session_recovery_tmo_get(se);
	/* The library says -1 when it could not read the attribute, and
	 * no more than that. */
	s->recovery_tmo_read = s->recovery_tmo >= 0 ? SESS_READ_OK :
			       SESS_READ_FAILED;
	s->noop_interval = s->noop_timeout = -1;
	/* The persistent address is the portal we logged in to (the library
	 * falls back to the current one when it is empty, as we would). */
	v = iscsi_session_persistent_address_get(se);
	str_copy(s->address, sizeof(s->address), v ? v : "");
	s->port = iscsi_session_persistent_port_get(se);
}

int iscsi_sessions_live(struct iscsi_sess **out, size_t *n)
{
	struct iscsi_context *ctx;
	struct iscsi_session **ses = NULL;
	uint32_t count = 0;
	int rc = 0, lrc;

	*out = NULL;
	*n = 0;
	ctx = iscsi_context_new();
	if (!ctx)
		return -ENOMEM;
	iscsi_context_log_func_set(ctx, lib_log);
	/* Never the library's debug level: it names every attribute it
	 * opens (CHAP ones included), tens of thousands of lines an hour
	 * at a portal check a second, and the daemon's -vv log drowned
	 * in it. */
	iscsi_context_log_priority_set(ctx, LIBISCSI_LOG_PRIORITY_WARNING);
	lrc = iscsi_sessions_get(ctx, &ses, &count);
	if (lrc != LIBISCSI_OK) {
		log_debug("libopeniscsiusr: sessions: %s",
			  iscsi_strerror(lrc));
		rc = errno_of(lrc);
	} else if (count) {
		*out = calloc(count, sizeof(**out));
		if (!*out)
			rc = -ENOMEM;
		for (uint32_t i = 0; *out && i < count; i++)
			copy_one(ses[i], &(*out)[i]);
		if (*out)
			*n = count;
	}
	iscsi_sessions_free(ses, count);
	iscsi_context_free(ctx);
	return rc;
}
