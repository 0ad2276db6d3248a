/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Each iSCSI session's live timeouts against pathwarden.conf: the
 * replacement timeout (the session's recovery_tmo) and the NOP-Out
 * interval and timeout (its connection's recv_tmo and ping_tmo).  The
 * comparison alone: the sysfs scan read the values and says how
 * (enum sess_read); the caller says what multipathd writes.
 *
 * What counts as drift for the replacement timeout: iscsid sets
 * recovery_tmo from the node record at login, and multipathd then writes
 * its fast_io_fail_tmo over it for every iSCSI path it holds (0.9.4
 * sysfs_set_scsi_tmo; "off" and 0 it cannot write, and does not).  Both
 * are wanted: a live value equal to the configured replacement-timeout,
 * or to the fast_io_fail_tmo multipathd applies to that session's disks,
 * is no drift.  Anything else is: the session runs on a timeout neither
 * pathwarden nor multipathd gave it (a login with iscsid.conf's 120 s, a
 * hand-written value).  The NOP-Out timers have one owner, the node
 * record at login: a live value other than pathwarden.conf's is drift.
 */
#ifndef PW_HOST_SESSION_DRIFT_H
#define PW_HOST_SESSION_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "iscsi_sessions.h"

enum sess_setting {
	SETTING_REPLACEMENT_TIMEOUT,
	SETTING_NOOP_OUT_INTERVAL,
	SETTING_NOOP_OUT_TIMEOUT,
	SESS_SETTINGS
};

enum setting_verdict {
	SETTING_MATCHES,	/* live == pathwarden.conf's */
	SETTING_MULTIPATHD,	/* recovery_tmo is multipathd's fast_io_fail */
	SETTING_DRIFTS,
	SETTING_UNREAD,		/* not compared: @read says why */
};

struct setting_check {
	const struct iscsi_sess *sess;
	const struct conf_node *node;	/* the node whose portal it is */
	const struct conf_portal *portal;
	enum sess_setting setting;
	enum setting_verdict verdict;
	enum sess_read read;
	int live;			/* -1 when not read */
	int wanted;			/* pathwarden.conf's, seconds */
	int multipathd;			/* fast_io_fail_tmo written, -1 none */
};

struct setting_checks {
	size_t n;
	struct setting_check *c;
};

/*
 * Compare the @n sessions of @sess that pathwarden manages (a configured
 * portal, and the node's target when it names one) with @conf: three
 * checks per session, in session order.  @fast_io_fail, when not NULL, has
 * one entry per session: the fast_io_fail_tmo multipathd writes into that
 * session's recovery_tmo, -1 for none or unknown.  The checks point into
 * @sess and @conf.  False on out-of-memory (@out empty).
 */
bool session_drift_check(const struct iscsi_sess *sess, size_t n,
			 const int *fast_io_fail, const struct pw_conf *conf,
			 struct setting_checks *out);
void setting_checks_free(struct setting_checks *c);

/* replacement_timeout, noop_out_interval, noop_out_timeout: the metric's
 * label and the last part of the node record's name */
const char *sess_setting_name(enum sess_setting s);
/* node.session.timeo.replacement_timeout, node.conn[0].timeo.... */
const char *sess_setting_record(enum sess_setting s);
/* recovery_tmo, recv_tmo, ping_tmo */
const char *sess_setting_sysfs(enum sess_setting s);
/* replacement-timeout, noop-interval, noop-timeout (pathwarden.conf) */
const char *sess_setting_conf(enum sess_setting s);
/* Why a value is missing, for a message: "cannot be read", ... */
const char *sess_read_reason(enum sess_read r);

#endif
