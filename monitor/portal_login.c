// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "portal_login.h"

#define S 1000000000ull

void plogin_init(struct plogin *pl, uint64_t base_ns)
{
	memset(pl, 0, sizeof(*pl));
	pl->status = -1;
	plogin_set_base(pl, base_ns);
	pl->pause_ns = pl->base_ns;
}

void plogin_set_base(struct plogin *pl, uint64_t base_ns)
{
	/* portal-check-ms 0 (probes off): the daemon's 1 s rounds. */
	pl->base_ns = base_ns ? base_ns : 1 * S;
	if (pl->base_ns > PLOGIN_MAX_PAUSE_NS)
		pl->base_ns = PLOGIN_MAX_PAUSE_NS;
	if (pl->pause_ns < pl->base_ns)
		pl->pause_ns = pl->base_ns;
}

bool plogin_due(const struct plogin *pl, uint64_t now)
{
	return now >= pl->next_ns;
}

bool plogin_wants_record(const struct plogin *pl)
{
	return pl->new_record;
}

enum iscsi_login_result plogin_failure(const struct plogin *pl, int *status,
				       unsigned int *failed)
{
	if (status)
		*status = pl->failure == ISCSI_LOGIN_OK ? -1 : pl->status;
	if (failed)
		*failed = pl->failed;
	return pl->failure;
}

/* "; before: no node record (exit 21), 5 attempts", or "" with no
 * failure to sum up. */
static void said_before(const struct plogin *pl, char *buf, size_t len)
{
	char st[24] = "";

	buf[0] = '\0';
	if (pl->failure == ISCSI_LOGIN_OK)
		return;
	if (pl->status >= 0)
		snprintf(st, sizeof(st), " (exit %d)", pl->status);
	snprintf(buf, len, "; before: %s%s, %u attempt%s",
		 iscsi_login_result_text(pl->failure), st, pl->repeats,
		 pl->repeats == 1 ? "" : "s");
}

/* No failure to remember any more. */
static void forget(struct plogin *pl)
{
	pl->failure = ISCSI_LOGIN_OK;
	pl->status = -1;
	pl->repeats = 0;
	pl->failed = 0;
	pl->new_record = false;
	pl->pause_ns = pl->base_ns;
}

/*
 * Make the node record next time?  After no record, yes: that is the
 * remedy, and it is tried at once.  After an attempt that made it and
 * still did not reach it (the settings could not be written), again: the
 * record is still not known to be there.
 */
static bool record_next(const struct plogin *pl,
			const struct iscsi_login_report *r)
{
	return r->result == ISCSI_LOGIN_NO_RECORD ||
	       r->result == ISCSI_LOGIN_NO_RECORD_MADE ||
	       r->result == ISCSI_LOGIN_RECORD_FAILED ||
	       (pl->new_record && r->record_made && !r->settings_applied);
}

enum plogin_say plogin_done(struct plogin *pl,
			    const struct iscsi_login_report *r, uint64_t now,
			    char *line, size_t len)
{
	char before[128], next[96];
	bool same, at_once;

	line[0] = '\0';
	if (r->result == ISCSI_LOGIN_OK && r->was_there && !pl->failed) {
		/* Ours, made before and not in sysfs yet, or a manual
		 * login's: nothing changed, nothing to say. */
		pl->next_ns = now + PLOGIN_SETTLE_NS;
		return PLOGIN_QUIET;
	}
	if (r->result == ISCSI_LOGIN_OK) {
		char attempts[40] = "";

		said_before(pl, before, sizeof(before));
		if (pl->failed)
			snprintf(attempts, sizeof(attempts), " after %u "
				 "attempts", pl->failed + 1);
		snprintf(line, len, "%s%s%s%s", r->msg[0] ? r->msg : "done",
			 attempts, r->record_made ? " (node record made "
			 "first)" : "", before);
		forget(pl);
		pl->next_ns = now + PLOGIN_SETTLE_NS;
		return PLOGIN_SAY_INFO;
	}
	same = r->result == pl->failure && r->status == pl->status;
	said_before(pl, before, sizeof(before));
	/* No record and none made yet: a new remedy, not a retry; it does
	 * not count against the pause. */
	at_once = r->result == ISCSI_LOGIN_NO_RECORD && !r->record_made;
	pl->new_record = record_next(pl, r);
	pl->failed++;
	if (at_once) {
		pl->next_ns = now;
		snprintf(next, sizeof(next), "making the node record from "
			 "the configuration");
	} else {
		pl->next_ns = now + pl->pause_ns;
		snprintf(next, sizeof(next), "next attempt in %.1f s, backing "
			 "off to every %llu s", (double)pl->pause_ns / S,
			 (unsigned long long)(PLOGIN_MAX_PAUSE_NS / S));
		pl->pause_ns *= 2;
		if (pl->pause_ns > PLOGIN_MAX_PAUSE_NS)
			pl->pause_ns = PLOGIN_MAX_PAUSE_NS;
	}
	if (same) {
		pl->repeats++;
		return PLOGIN_QUIET;
	}
	snprintf(line, len, "%s: %s; %s%s", iscsi_login_result_text(r->result),
		 r->msg[0] ? r->msg : "no message", next, before);
	pl->failure = r->result;
	pl->status = r->status;
	pl->repeats = 1;
	return at_once ? PLOGIN_SAY_INFO : PLOGIN_SAY_WARN;
}

enum plogin_say plogin_not_needed(struct plogin *pl, char *line, size_t len)
{
	char before[128];

	line[0] = '\0';
	if (pl->failure == ISCSI_LOGIN_OK)
		return PLOGIN_QUIET;
	said_before(pl, before, sizeof(before));
	snprintf(line, len, "a session is there, not logged in by us; "
		 "stopped after %u attempt%s%s", pl->failed,
		 pl->failed == 1 ? "" : "s", before);
	forget(pl);
	pl->next_ns = 0;
	return PLOGIN_SAY_INFO;
}

void plogin_portal_down(struct plogin *pl)
{
	pl->pause_ns = pl->base_ns;
	pl->next_ns = 0;
	pl->answered_ns = 0;
}

void plogin_portal_up(struct plogin *pl, uint64_t now)
{
	if (!pl->answered_ns)
		pl->answered_ns = now;
}

void plogin_answer_stale(struct plogin *pl)
{
	pl->answered_ns = 0;
}

bool plogin_leave_free(struct plogin *pl, uint64_t now, uint64_t grace_ns)
{
	/* asked only while the portal answers: since now at the latest (a
	 * reload starts every plogin afresh) */
	if (!pl->answered_ns)
		pl->answered_ns = now;
	return now < pl->answered_ns + grace_ns;
}

enum plogin_say plogin_session_back(const struct plogin *pl, uint64_t now,
				    char *line, size_t len)
{
	if (pl->answered_ns && now >= pl->answered_ns)
		snprintf(line, len, "session back by iscsid's own reconnect "
			 "%.1f s after the portal answered; no logout, the "
			 "same disks", (double)(now - pl->answered_ns) / S);
	else
		snprintf(line, len, "session back by iscsid's own reconnect; "
			 "no logout, the same disks");
	return PLOGIN_SAY_INFO;
}
