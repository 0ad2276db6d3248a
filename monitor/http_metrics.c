// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "clock.h"
#include "http_metrics.h"

#define PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Room for MHD's per-connection pool: the request head (HTTP_REQ_MAX)
 * and the response's head; the body is ours, not in the pool. */
#define HTTP_POOL_BYTES (2 * HTTP_REQ_MAX)

static void arm_timer(struct http_server *s);

static struct http_conn *conn_by_fd(struct http_server *s, int fd)
{
	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
		if (s->conns[i].fd == fd)
			return &s->conns[i];
	return NULL;
}

static size_t conns_open(const struct http_server *s)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
		n += s->conns[i].fd >= 0 && !s->conns[i].dropped;
	return n;
}

/* End a connection MHD holds: shut its socket down, and MHD, seeing the
 * end of it at its next run, closes it and tells us. */
static void drop(struct http_conn *c)
{
	if (c->fd < 0 || c->dropped)
		return;
	shutdown(c->fd, SHUT_RDWR);
	c->dropped = true;
}

static void drop_oldest(struct http_server *s)
{
	struct http_conn *old = NULL;

	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++) {
		struct http_conn *c = &s->conns[i];

		if (c->fd >= 0 && !c->dropped &&
		    (!old || c->opened_ns < old->opened_ns))
			old = c;
	}
	if (old) {
		drop(old);
		s->rejected++;
	}
}

static void on_notify(void *cls, struct MHD_Connection *conn,
		      void **socket_context,
		      enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	int fd = ci ? ci->connect_fd : -1;
	struct http_conn *c;

	(void)socket_context;
	if (fd < 0)
		return;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		c = conn_by_fd(s, fd);
		if (c)
			*c = (struct http_conn){ .fd = -1 };
		return;
	}
	/* A full table: the oldest goes, the newest is the likelier
	 * scrape.  The slots beyond the bound hold the dropped ones until
	 * MHD closes them. */
	if (conns_open(s) >= HTTP_MAX_CONNS)
		drop_oldest(s);
	c = conn_by_fd(s, -1);
	if (!c) {
		/* every slot holds a dropped connection MHD has not closed
		 * yet: this one goes too */
		shutdown(fd, SHUT_RDWR);
		s->rejected++;
		return;
	}
	c->fd = fd;
	c->dropped = false;
	c->opened_ns = s->loop->now();
	c->deadline_ns = c->opened_ns + s->timeout_ns;
}

/* The path as the client sent it: MHD would decode %00 and the like into
 * something that compares equal to "/metrics". */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code,
			     const char *type, char *body, size_t len,
			     const char *allow)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback(len, body,
								    free);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    type) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
				    "close") != MHD_YES ||
	    (allow && MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
					      allow) != MHD_YES)) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result plain(struct MHD_Connection *conn, unsigned int code,
			     const char *text, const char *allow)
{
	char *body = NULL;
	int n = asprintf(&body, "%u %s\n", code, text);

	if (n < 0)
		return MHD_NO;
	return reply(conn, code, "text/plain; charset=utf-8", body,
		     (size_t)n, allow);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	size_t len = 0;
	char *body;

	(void)version;
	(void)upload;
	(void)req_cls;
	/* Answered on the head alone: a body, if any, is never read. */
	*upload_size = 0;
	s->requests++;
	if (strcmp(method, MHD_HTTP_METHOD_GET))
		return plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "Method Not Allowed", "GET");
	if (strcmp(url, "/metrics"))
		return plain(conn, MHD_HTTP_NOT_FOUND, "Not Found", NULL);
	body = s->render(s->arg, &len);
	if (!body)
		return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "Internal Server Error", NULL);
	return reply(conn, MHD_HTTP_OK, PROM_TYPE, body, len, NULL);
}

/* Let MHD do what is ready, end what is past its deadline, and set the
 * timer for the next of either. */
static void run(struct http_server *s)
{
	uint64_t now = s->loop->now();

	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
		if (s->conns[i].fd >= 0 && s->conns[i].deadline_ns <= now)
			drop(&s->conns[i]);
	MHD_run(s->mhd);
	arm_timer(s);
}

static void arm_timer(struct http_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;
	uint64_t first = 0, now = s->loop->now();
	bool dropped = false;

	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++) {
		const struct http_conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		dropped |= c->dropped;
		if (!c->dropped && (!first || c->deadline_ns < first))
			first = c->deadline_ns;
	}
	if (MHD_get_timeout(s->mhd, &ms) == MHD_YES) {
		uint64_t when = now + (uint64_t)ms * 1000000ull;

		if (!first || when < first)
			first = when;
	}
	/* a socket we shut down: MHD sees its end at the next run */
	if (dropped && (!first || now + 10000000ull < first))
		first = now + 10000000ull;
	if (first)
		loop_timer_arm(s->loop, s->timer, first);
	else
		loop_timer_stop(s->loop, s->timer);
}

static void on_timer(void *arg, uint64_t now)
{
	(void)now;
	run(arg);
}

static void on_mhd(void *arg, int fd, short revents)
{
	(void)fd;
	(void)revents;
	run(arg);
}

static int bound_socket(const char *addr, uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t slen;
	int one = 1, fd, e;

	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		slen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		slen = sizeof(*sin6);
	} else {
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, slen) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&ss, &slen)) {
		e = errno;
		close(fd);
		return -e;
	}
	*bound = ntohs(ss.ss_family == AF_INET ? sin->sin_port
					       : sin6->sin6_port);
	return fd;
}

int http_server_start(struct http_server *s, struct loop *l,
		      const char *addr, uint16_t port, http_render_cb render,
		      void *arg)
{
	const union MHD_DaemonInfo *di;
	int fd;

	memset(s, 0, sizeof(*s));
	s->timer = -1;
	s->lfd = -1;
	s->mhd_fd = -1;
	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
		s->conns[i].fd = -1;
	s->loop = l;
	s->render = render;
	s->arg = arg;
	s->timeout_ns = 2000000000ull;
	fd = bound_socket(addr, port, &s->port);
	if (fd < 0)
		return fd;
	s->lfd = fd;
	/* No thread of MHD's own: the loop runs it.  MHD's idle timeout
	 * backs up the deadline (whole seconds only). */
	s->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT,
				  (unsigned int)HTTP_CONN_SLOTS,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				  (size_t)HTTP_POOL_BYTES,
				  MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				  MHD_OPTION_NOTIFY_CONNECTION, on_notify, s,
				  MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, s,
				  MHD_OPTION_END);
	if (!s->mhd) {
		close(fd);
		s->lfd = -1;
		return -ENOMEM;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	s->mhd_fd = di ? di->epoll_fd : -1;
	s->timer = loop_timer_new(l, on_timer, s);
	if (s->mhd_fd < 0 || s->timer < 0 ||
	    loop_add_fd(l, s->mhd_fd, POLLIN, on_mhd, s)) {
		http_server_stop(s);
		return -ENOSPC;
	}
	return 0;
}

void http_server_stop(struct http_server *s)
{
	if (s->mhd_fd >= 0)
		loop_del_fd(s->loop, s->mhd_fd);
	s->mhd_fd = -1;
	/* closes the listening socket and every connection */
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	else if (s->lfd >= 0)
		close(s->lfd);
	s->mhd = NULL;
	s->lfd = -1;
	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++)
		s->conns[i] = (struct http_conn){ .fd = -1 };
	loop_timer_free(s->loop, s->timer);
	s->timer = -1;
}
