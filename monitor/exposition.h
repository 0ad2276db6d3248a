/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus text exposition of the daemon's view and counters. */
#ifndef PW_MONITOR_EXPOSITION_H
#define PW_MONITOR_EXPOSITION_H

#include <stddef.h>
#include <stdint.h>

#include "iscsi_admin.h"
#include "session_drift.h"
#include "topology.h"

#define HIST_MAX_BUCKETS 16

struct histogram {
	unsigned int n;
	const double *bounds;		/* upper bounds, seconds */
	uint64_t counts[HIST_MAX_BUCKETS];	/* not cumulative */
	uint64_t count;
	double sum;
};

extern const double probe_latency_bounds[];
extern const unsigned int probe_latency_n;
extern const double stall_bounds[];
extern const unsigned int stall_n;

void hist_init(struct histogram *h, const double *bounds, unsigned int n);
void hist_observe(struct histogram *h, double seconds);

struct map_stats {
	char map[128];
	uint64_t failovers;
	struct histogram stall;
	struct histogram probe_latency;
	uint64_t probe_errors;
	uint64_t switches;		/* switchgroup sent by pathwarden */
	uint64_t switch_reverts;	/* multipathd went back */
};

struct portal_stats {
	char node[32];
	char portal[80];		/* host:port */
	int up;				/* 1, 0, -1 not probed */
	uint64_t relogins;
	/* The daemon's logins to it (portal_login.h): the failure the
	 * latest attempts met, until one succeeds; ISCSI_LOGIN_OK none. */
	enum iscsi_login_result login_failure;
	int login_status;		/* its iscsiadm exit status, -1 none */
	unsigned int login_failed;	/* failed attempts since a success */
};

struct expo_input {
	const struct pw_view *view;	/* may be NULL */
	const struct map_stats *maps;
	size_t n_maps;
	const struct portal_stats *portals;
	size_t n_portals;
	uint64_t alua_events;
	int multipathd_up;
	/* The daemon's last RTPG round over the view's paths, with every
	 * group each path's target reported (NULL: none yet), and how long
	 * ago it was asked. */
	const struct rtpg_batch *reports;
	double reports_age_s;
	/* every managed session's timeouts, judged (session_timeouts.h);
	 * may be NULL */
	const struct setting_checks *settings;
};

/* A malloc'ed exposition and its length; NULL on out-of-memory. */
char *exposition_render(const struct expo_input *in, size_t *len);

#endif
