/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * GET /metrics on libmicrohttpd, driven by the daemon's loop: MHD runs
 * without threads of its own (its epoll descriptor is one of the loop's
 * fds, its timeout one of the loop's timers), so rendering happens on the
 * loop's thread like everything else that reads the view.
 *
 * Bounds on top of MHD's own (a request head of at most HTTP_REQ_MAX
 * bytes, its idle timeout): every connection has an absolute deadline,
 * so a client that trickles bytes cannot keep one open, and when more
 * than HTTP_MAX_CONNS are open the oldest is dropped, so slow or
 * malformed clients cannot starve Prometheus.
 */
#ifndef PW_MONITOR_HTTP_METRICS_H
#define PW_MONITOR_HTTP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

#define HTTP_MAX_CONNS 16
#define HTTP_REQ_MAX 4096
/* MHD's own limit: the bound, and room for the dropped ones MHD has not
 * closed yet. */
#define HTTP_CONN_SLOTS (2 * HTTP_MAX_CONNS)

struct MHD_Daemon;

/* Returns a malloc'ed body and its length, or NULL. */
typedef char *(*http_render_cb)(void *arg, size_t *len);

/* One connection MHD has open, as seen through its notifications. */
struct http_conn {
	int fd;			/* -1: free */
	uint64_t opened_ns;
	uint64_t deadline_ns;
	bool dropped;		/* shut down by us, MHD not told yet */
};

struct http_server {
	int lfd;
	uint16_t port;		/* bound port */
	uint64_t timeout_ns;	/* a connection's whole life, from accept */
	struct loop *loop;
	int timer;
	int mhd_fd;		/* MHD's epoll fd, in the loop; -1 none */
	struct MHD_Daemon *mhd;
	http_render_cb render;
	void *arg;
	struct http_conn conns[HTTP_CONN_SLOTS];
	uint64_t requests, rejected;
};

/* Listen on @addr:@port (0 picks one; see ->port).  Returns 0 or -errno:
 * -EINVAL for an address that is not numeric. */
int http_server_start(struct http_server *s, struct loop *l,
		      const char *addr, uint16_t port, http_render_cb render,
		      void *arg);
void http_server_stop(struct http_server *s);

#endif
