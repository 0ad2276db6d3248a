/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery and login through iscsiadm (libopeniscsiusr is read-only).
 * Every call is bounded: a portal that never answers is reported after
 * iscsi-timeout seconds and does not hold up the others, which run in
 * parallel.  Only non-secret node settings are ever passed or printed.
 */
#ifndef PW_HOST_ISCSI_ADMIN_H
#define PW_HOST_ISCSI_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

struct cmd_result {
	int status;		/* exit status, -1 if killed or not run */
	bool timed_out;
	char *out;		/* stdout, NUL-terminated */
	char *err;		/* stderr, NUL-terminated */
};

/*
 * Run @n commands at once (argv arrays), all within @timeout_ms; a command
 * still running then is killed and marked timed out.  Returns 0, or -errno
 * if the commands could not be started at all.
 */
int run_parallel(char *const *const *argvs, size_t n, unsigned int timeout_ms,
		 struct cmd_result *res);
void cmd_result_free(struct cmd_result *r);

/* "iscsiadm", or $PATHWARDEN_ISCSIADM (tests). */
const char *iscsiadm_path(void);

struct disc_target {
	char iqn[CONF_IQN_MAX];
	char portal[80];	/* host:port as iscsiadm printed it */
	int tpgt;
};

struct disc_result {
	const struct conf_node *node;
	const struct conf_portal *portal;
	bool ok, timed_out;
	int status;		/* iscsiadm's exit status, -1 none */
	char error[160];
	size_t n;
	struct disc_target *targets;
};

/* Parse "ADDR:PORT,TPGT IQN" lines; false for a malformed line. */
bool parse_sendtargets(const char *text, struct disc_result *r);

/* SendTargets on every configured portal; @out has one per portal. */
int iscsi_discover(const struct pw_conf *c, struct disc_result **out,
		   size_t *n);
void disc_results_free(struct disc_result *r, size_t n);

/* pathwarden discover: prints per node; 0 when every portal answered. */
int iscsi_cmd_discover(const struct pw_conf *c, FILE *out);
/* pathwarden login: idempotent; @root is the sysfs prefix. */
int iscsi_cmd_login(const struct pw_conf *c, const char *root, FILE *out,
		    bool wait_for_maps);

/* Log session @sid out (iscsiadm -m session -r SID -u), bounded by
 * iscsi-timeout.  0, or -1 with the reason in @msg. */
int iscsi_logout_session(const struct pw_conf *c, int sid, char *msg,
			 size_t len);

/*
 * How one login to a configured portal ended, iscsiadm's exit statuses
 * (open-iscsi's include/iscsi_err.h) sorted into what an operator acts
 * on, in the order of an attempt's steps: logout of a stale session,
 * the node record, the login's own answers; then what got no
 * answer or never ran.
 */
enum iscsi_login_result {
	ISCSI_LOGIN_OK = 0,		/* logged in now, or there already */
	ISCSI_LOGIN_LOGOUT_FAILED,	/* the FREE session stayed */
	ISCSI_LOGIN_RECORD_FAILED,	/* "iscsiadm -m node -o new" failed */
	ISCSI_LOGIN_NO_RECORD,		/* no node record (21) */
	ISCSI_LOGIN_NO_RECORD_MADE,	/* none even after making it */
	ISCSI_LOGIN_AUTH_FAILED,	/* CHAP refused (24) */
	ISCSI_LOGIN_REFUSED,		/* target refused it (19) */
	ISCSI_LOGIN_UNREACHABLE,	/* transport error (4, 8, 11) */
	ISCSI_LOGIN_TIMED_OUT,		/* no end within iscsi-timeout */
	ISCSI_LOGIN_FAILED,		/* any other iscsiadm failure */
	ISCSI_LOGIN_NOT_RUN,		/* iscsiadm could not be started */
};
#define ISCSI_LOGIN_RESULTS (ISCSI_LOGIN_NOT_RUN + 1)

/* "ok", "no_record", ...: stable words for logs, metrics and status. */
const char *iscsi_login_result_name(enum iscsi_login_result r);
/* "no node record", ...: the same for a sentence. */
const char *iscsi_login_result_text(enum iscsi_login_result r);

/* What one attempt did and met; plain data, so a child process can hand
 * it to the daemon through a pipe. */
struct iscsi_login_report {
	enum iscsi_login_result result;
	int status;		/* iscsiadm's exit status for it, -1 none */
	bool record_made;	/* the node record was made first */
	bool settings_applied;	/* session timeouts in the node record */
	bool new_session;	/* logged in now */
	bool was_there;		/* the session was there (exit 15) */
	char msg[320];		/* iscsiadm's words; never a credential */
};

/*
 * The daemon's login to @node's configured target through @p, bounded
 * by iscsi-timeout per iscsiadm call.  With @new_record, the node record
 * for node->target at @p is made first, without SendTargets (iscsid.conf's
 * node settings, CHAP included, go into it; an existing record is kept).
 * Then the session timeouts are written to the node record,
 * as `pathwarden login` does; a record that is not there ends the
 * attempt as ISCSI_LOGIN_NO_RECORD before any login is tried.  Only
 * node->target is ever logged in to; a node with no target configured
 * is ISCSI_LOGIN_NOT_RUN.  Returns r->result.
 */
enum iscsi_login_result iscsi_portal_login(const struct pw_conf *c,
					   const struct conf_node *node,
					   const struct conf_portal *p,
					   bool new_record,
					   struct iscsi_login_report *r);

#endif
