/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal HTTP/1.x server for GET /metrics only.  Every connection has
 * a deadline and a bounded request buffer; a full table drops the oldest
 * connection, so slow or malformed clients cannot starve Prometheus.
 */
#ifndef PW_MONITOR_HTTP_METRICS_H
#define PW_MONITOR_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"

#define HTTP_MAX_CONNS 16
#define HTTP_REQ_MAX 4096

/* Returns a malloc'ed body and its length, or NULL. */
typedef char *(*http_render_cb)(void *arg, size_t *len);

struct http_conn {
	int fd;			/* -1: free */
	uint64_t deadline_ns;
	uint64_t opened_ns;
	size_t got;
	char req[HTTP_REQ_MAX];
	char *resp;		/* being written */
	size_t resp_len, resp_off;
};

struct http_server {
	int lfd;
	uint16_t port;		/* bound port */
	uint64_t timeout_ns;
	struct loop *loop;
	int timer;
	http_render_cb render;
	void *arg;
	struct http_conn conns[HTTP_MAX_CONNS];
	uint64_t requests, rejected;
};

/* Listen on @addr:@port (0 picks one; see ->port).  Returns 0 or -errno. */
int http_server_start(struct http_server *s, struct loop *l,
		      const char *addr, uint16_t port, http_render_cb render,
		      void *arg);
void http_server_stop(struct http_server *s);

#endif
