/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery and login through iscsiadm (libopeniscsiusr is read-only).
 * Every call is bounded: a portal that never answers is reported after
 * iscsi-timeout seconds and does not hold up the others, which run in
 * parallel.  Only non-secret node settings are ever passed or printed.
 */
#ifndef PW_MONITOR_ISCSI_ADMIN_H
#define PW_MONITOR_ISCSI_ADMIN_H

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

/* Log in to one target/portal now (the daemon's re-login), bounded. */
/* Log session @sid out (iscsiadm -m session -r SID -u), bounded by
 * iscsi-timeout.  0, or -1 with the reason in @msg. */
int iscsi_logout_session(const struct pw_conf *c, int sid, char *msg,
			 size_t len);
int iscsi_login_one(const struct pw_conf *c, const char *iqn,
		    const struct conf_portal *p, char *msg, size_t len);

#endif
