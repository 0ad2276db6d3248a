/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's logins to one configured portal that answers and has no
 * session: when the next attempt may start, whether it makes the node
 * record first, and what to say about its outcome.  No clock, no I/O,
 * no log of its own: every call carries its time, and the daemon runs
 * the attempts (iscsi_portal_login, in a child) and logs the lines
 * written here.
 *
 * - No node record (the node was down when the host ran discovery): the
 *   next attempt makes the record for the configured target at that
 *   portal first, at once; then the login, with the configured session timeouts, as `pathwarden
 *   login` would.
 * - Any failure after that backs off: the pause doubles from the probe
 *   interval up to PLOGIN_MAX_PAUSE_NS.  A target that accepts TCP and
 *   refuses the login gets no login storm.
 * - A failure is said once, when it starts, with the count of the one it
 *   follows; a success says after how many attempts.  The running count
 *   stays readable (plogin_failure) for metrics and status.
 * - A session that lost its connection and whose recovery timed out
 *   (FREE) is iscsid's to bring back first: it keeps reconnecting on its
 *   own, each attempt bounded by the session's login timeout, and its
 *   reconnect keeps the session's SCSI disks, where a logout and login
 *   makes new ones that multipathd must add to every map again (16 LUNs
 *   in the lab: no map back on the node in 168 s).  The daemon logs it
 *   out and in only when iscsid has not brought it back within a grace
 *   after the portal answered again (plogin_leave_free).
 */
#ifndef PW_MONITOR_PORTAL_LOGIN_H
#define PW_MONITOR_PORTAL_LOGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iscsi_admin.h"

#define PLOGIN_MAX_PAUSE_NS (30ull * 1000000000ull)
/* A session just logged in takes a moment to show in sysfs: its absence
 * then is no failed login. */
#define PLOGIN_SETTLE_NS (10ull * 1000000000ull)

struct plogin {
	uint64_t base_ns;	/* the first pause after a failure */
	uint64_t pause_ns;	/* the next pause */
	uint64_t next_ns;	/* no attempt before */
	bool new_record;	/* next attempt: make the node record first */
	/* The failure the latest attempts met; ISCSI_LOGIN_OK: none. */
	enum iscsi_login_result failure;
	int status;		/* its iscsiadm exit status, -1 none */
	unsigned int repeats;	/* attempts in a row that met it */
	unsigned int failed;	/* failed attempts since the last success */
	uint64_t answered_ns;	/* the portal answers since; 0 it does not */
};

/* What the daemon should log after a call. */
enum plogin_say {
	PLOGIN_QUIET,		/* said already */
	PLOGIN_SAY_INFO,
	PLOGIN_SAY_WARN,
};

/* @base_ns: the probe interval, the first pause after a failure. */
void plogin_init(struct plogin *pl, uint64_t base_ns);
/* A new probe interval (SIGHUP): the next pauses start from it. */
void plogin_set_base(struct plogin *pl, uint64_t base_ns);

/* May an attempt start at @now? */
bool plogin_due(const struct plogin *pl, uint64_t now);
/* Does the next attempt run SendTargets on the portal first? */
bool plogin_wants_record(const struct plogin *pl);

/*
 * An attempt ended at @now with @r.  Decides the next one and writes in
 * @line what to log (without the portal's name), "" with PLOGIN_QUIET.
 */
enum plogin_say plogin_done(struct plogin *pl,
			    const struct iscsi_login_report *r, uint64_t now,
			    char *line, size_t len);

/*
 * The portal has a session we did not make (iscsid's recovery, a manual
 * login): nothing to log in to, the failure, if any, is over.
 */
enum plogin_say plogin_not_needed(struct plogin *pl, char *line, size_t len);

/* The portal stopped answering: the next answer gets an attempt at once,
 * and the pauses start again from the base.  The failure is kept, so the
 * same one is not said again. */
void plogin_portal_down(struct plogin *pl);
/* The portal answers (again, or for the first time) at @now. */
void plogin_portal_up(struct plogin *pl, uint64_t now);
/* Its session failed: what the portal answered before says nothing about
 * now; the grace (plogin_leave_free) starts at the next answer. */
void plogin_answer_stale(struct plogin *pl);

/*
 * The portal's session is FREE: is it still iscsid's to reconnect at
 * @now, the portal answering?  True within @grace_ns of its answer (of
 * @now when its answer was not known: the grace starts then); false once
 * the grace is over, when the daemon logs it out and in.  @grace_ns: the login timeout the session
 * was made with, which bounds each of iscsid's attempts, and some slack.
 */
bool plogin_leave_free(struct plogin *pl, uint64_t now, uint64_t grace_ns);
/*
 * The portal's FREE session is logged in again at @now by iscsid's own
 * reconnect: writes in @line how long after the portal's answer, when
 * the daemon saw it answer.
 */
enum plogin_say plogin_session_back(const struct plogin *pl, uint64_t now,
				    char *line, size_t len);

/* The failure of the latest attempts, or ISCSI_LOGIN_OK; *status its
 * iscsiadm exit status (-1 none), *failed the failed attempts since the
 * last success. */
enum iscsi_login_result plogin_failure(const struct plogin *pl, int *status,
				       unsigned int *failed);

#endif
