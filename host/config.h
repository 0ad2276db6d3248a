/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pathwarden.conf: the storage nodes, login policy, probers, metrics.
 * One directive per line; every error names file:line.  The format is
 * described in pathwarden.conf(5).
 */
#ifndef PW_HOST_CONFIG_H
#define PW_HOST_CONFIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_DEFAULT_PATH "/etc/pathwarden/pathwarden.conf"
#define CONF_MAX_NODES 8
#define CONF_MAX_PORTALS 8
#define CONF_MAX_PROBES 16
#define CONF_NAME_MAX 32
#define CONF_HOST_MAX 64
#define CONF_IQN_MAX 224
#define CONF_MAP_MAX 128
#define CONF_PATH_MAX 256

struct conf_portal {
	char host[CONF_HOST_MAX];	/* numeric address or host name */
	uint16_t port;
};

struct conf_node {
	char name[CONF_NAME_MAX];
	char target[CONF_IQN_MAX];	/* "" = every target the portals offer */
	unsigned int n_portals;
	struct conf_portal portals[CONF_MAX_PORTALS];
	int line;
};

struct conf_probe {
	char map[CONF_MAP_MAX];		/* multipath map name (alias or WWID) */
	unsigned int interval_ms;
	unsigned int size;		/* bytes per I/O, multiple of 512 */
	unsigned int timeout_ms;	/* an I/O slower than this is stalled */
	bool write;			/* only allowed with test_lun */
	bool test_lun;
	int line;
};

struct pw_conf {
	unsigned int n_nodes;
	struct conf_node nodes[CONF_MAX_NODES];

	/* Login policy, applied to every session (iscsiadm node.* settings). */
	unsigned int noop_interval_s;
	unsigned int noop_timeout_s;
	unsigned int replacement_timeout_s;
	/* node.conn[0].timeo.login_timeout: also the longest wait of each of
	 * iscsid's own reconnects of a lost session (see relogin) */
	unsigned int login_timeout_s;
	unsigned int iscsi_timeout_s;	/* bound on each iscsiadm call */

	unsigned int n_probes;
	struct conf_probe probes[CONF_MAX_PROBES];

	bool metrics_enabled;
	char metrics_addr[CONF_HOST_MAX];
	uint16_t metrics_port;

	char records_path[CONF_PATH_MAX];

	unsigned int rtpg_timeout_ms;
	unsigned int resync_s;		/* full re-read even without events */
	unsigned int group_watch_ms;	/* a group not serving asked again */
	bool alua_switch;		/* switch groups on ALUA changes */
	bool relogin;			/* log in again when a portal answers */
	unsigned int portal_check_ms;	/* TCP probe period, 0 = off */
	unsigned int portal_connect_ms;	/* TCP probe connect bound */
	bool early_failover;		/* opt-in: see early_failover.h */
	unsigned int early_failover_ms;
};

void conf_defaults(struct pw_conf *c);

/*
 * Parse @f (named @name in messages).  On error returns false and writes
 * "name:line: message" into @err; the first error stops the parse.
 */
bool conf_parse(FILE *f, const char *name, struct pw_conf *c, char *err,
		size_t errlen);
/*
 * Is the open file @fd one a root daemon may act on: a regular file owned
 * by root (or by the effective user), writable by no one else (group
 * write only for group root)?  On false, @err says why.
 */
bool conf_file_trusted(int fd, const char *path, char *err, size_t errlen);

/* Open and parse @path; an unreadable file is an error with the reason,
 * and so is one conf_file_trusted() refuses. */
/* "FILE:LINE: message" into @err: how both configuration files report
 * an error. */
__attribute__((format(printf, 5, 0)))
void conf_verror(char *err, size_t errlen, const char *file, int line,
		 const char *fmt, va_list ap);

/* A decimal number in [min, max], digits only, nothing after them. */
bool conf_parse_uint(const char *s, unsigned long min, unsigned long max,
		     unsigned long *out);

/* @path opened for reading once conf_file_trusted() accepts it; NULL with
 * the reason in @err. */
FILE *conf_open_trusted(const char *path, char *err, size_t errlen);
bool conf_load(const char *path, struct pw_conf *c, char *err, size_t errlen);

/* Split "host[:port]" or "[v6]:port"; false on a malformed portal. */
bool conf_portal_parse(const char *text, struct conf_portal *p);

const struct conf_node *conf_node_by_portal(const struct pw_conf *c,
					    const char *addr, unsigned int port,
					    unsigned int *portal_idx);
const struct conf_node *conf_node_by_target(const struct pw_conf *c,
					    const char *target);
unsigned int conf_total_portals(const struct pw_conf *c);

/* Print the effective configuration (pathwarden -n -v). */
void conf_print(const struct pw_conf *c, FILE *out);

#endif
