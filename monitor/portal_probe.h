/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cheap periodic TCP probe of every configured portal: a non-blocking
 * connect() bounded by portal-connect-ms, closed at once.  It tells when
 * a node's portals answer again long before iscsid's next retry.
 */
#ifndef PW_MONITOR_PORTAL_PROBE_H
#define PW_MONITOR_PORTAL_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "loop.h"

enum portal_state { PORTAL_UNKNOWN = -1, PORTAL_DOWN = 0, PORTAL_UP = 1 };

struct portal_probe {
	const struct conf_node *node;
	const struct conf_portal *portal;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	bool resolved;
	int fd;				/* connect in progress, else -1 */
	uint64_t deadline_ns;
	enum portal_state state;
	unsigned int fails;		/* consecutive */
	uint64_t answered_ns;		/* the last probe it answered, 0 none */
	uint64_t failed_ns;		/* the last probe it failed, 0 none */
};

struct portal_set;
typedef void (*portal_change_cb)(void *arg, struct portal_probe *p,
				 enum portal_state old, uint64_t now);

struct portal_set {
	unsigned int n;
	struct portal_probe p[CONF_MAX_NODES * CONF_MAX_PORTALS];
	struct loop *loop;
	int timer;
	uint64_t connect_ns;
	portal_change_cb changed;
	void *arg;
};

/* Resolves every portal once (numeric addresses need no DNS). */
int portal_set_init(struct portal_set *s, const struct pw_conf *c,
		    struct loop *l, portal_change_cb cb, void *arg);
/* Start one round of probes (portals still connecting are left alone):
 * of portal i when @want is NULL or want[i]. */
void portal_set_round(struct portal_set *s, uint64_t now, const bool *want);
void portal_set_stop(struct portal_set *s);

#endif
