// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_metrics.h"
#include "log.h"

static void conn_close(struct http_server *s, struct http_conn *c)
{
	if (c->fd < 0)
		return;
	loop_del_fd(s->loop, c->fd);
	close(c->fd);
	free(c->resp);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void arm_timer(struct http_server *s)
{
	uint64_t first = 0;

	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0 &&
		    (!first || s->conns[i].deadline_ns < first))
			first = s->conns[i].deadline_ns;
	if (first)
		loop_timer_arm(s->loop, s->timer, first);
	else
		loop_timer_stop(s->loop, s->timer);
}

static void on_timer(void *arg, uint64_t now)
{
	struct http_server *s = arg;

	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0 && s->conns[i].deadline_ns <= now)
			conn_close(s, &s->conns[i]);
	arm_timer(s);
}

static void set_response(struct http_conn *c, const char *status,
			 const char *extra, const char *body, size_t len)
{
	char *r = NULL;
	int n;

	n = asprintf(&r, "HTTP/1.1 %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\n%sConnection: close\r\n\r\n",
		     status, body && !strncmp(status, "200", 3) ?
		     "text/plain; version=0.0.4; charset=utf-8" :
		     "text/plain; charset=utf-8", len, extra);
	if (n < 0)
		return;
	c->resp = malloc((size_t)n + len);
	if (c->resp) {
		memcpy(c->resp, r, (size_t)n);
		if (len)
			memcpy(c->resp + n, body, len);
		c->resp_len = (size_t)n + len;
		c->resp_off = 0;
	}
	free(r);
}

static void plain(struct http_conn *c, const char *status, const char *extra)
{
	char body[64];
	int n = snprintf(body, sizeof(body), "%s\n", status);

	set_response(c, status, extra, body, (size_t)n);
}

/* Judge a complete request head. */
static void answer(struct http_server *s, struct http_conn *c)
{
	char *eol = memchr(c->req, '\r', c->got);
	char method[16], target[256], version[16], extra;

	s->requests++;
	if (!eol || eol - c->req > 300) {
		plain(c, "400 Bad Request", "");
		return;
	}
	*eol = '\0';
	if (sscanf(c->req, "%15s %255s %15s %c", method, target, version,
		   &extra) != 3 || strncmp(version, "HTTP/1.", 7)) {
		plain(c, "400 Bad Request", "");
		return;
	}
	if (strcmp(method, "GET")) {
		plain(c, "405 Method Not Allowed", "Allow: GET\r\n");
		return;
	}
	if (strcmp(target, "/metrics") && strncmp(target, "/metrics?", 9)) {
		plain(c, "404 Not Found", "");
		return;
	}
	size_t len = 0;
	char *body = s->render(s->arg, &len);

	if (!body) {
		plain(c, "500 Internal Server Error", "");
		return;
	}
	set_response(c, "200 OK", "", body, len);
	free(body);
}

static void on_conn(void *arg, int fd, short revents);

static struct http_conn *conn_by_fd(struct http_server *s, int fd)
{
	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		if (s->conns[i].fd == fd)
			return &s->conns[i];
	return NULL;
}

static void try_write(struct http_server *s, struct http_conn *c)
{
	while (c->resp_off < c->resp_len) {
		ssize_t n = send(c->fd, c->resp + c->resp_off,
				 c->resp_len - c->resp_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				loop_set_events(s->loop, c->fd, POLLOUT);
				return;
			}
			break;
		}
		c->resp_off += (size_t)n;
	}
	conn_close(s, c);
}

static void on_conn(void *arg, int fd, short revents)
{
	struct http_server *s = arg;
	struct http_conn *c = conn_by_fd(s, fd);

	if (!c)
		return;
	if (c->resp) {
		if (revents & (POLLOUT | POLLERR | POLLHUP))
			try_write(s, c);
		return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n = recv(fd, c->req + c->got, HTTP_REQ_MAX - 1 - c->got,
				 MSG_DONTWAIT);

		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			conn_close(s, c);	/* closed before a request */
			arm_timer(s);
			return;
		}
		c->got += (size_t)n;
		c->req[c->got] = '\0';
		if (memmem(c->req, c->got, "\r\n\r\n", 4) ||
		    memmem(c->req, c->got, "\n\n", 2)) {
			answer(s, c);
		} else if (c->got >= HTTP_REQ_MAX - 1) {
			s->rejected++;
			plain(c, "431 Request Header Fields Too Large", "");
		} else {
			return;
		}
		if (!c->resp) {
			conn_close(s, c);
			arm_timer(s);
			return;
		}
		try_write(s, c);
		arm_timer(s);
	}
}

static void on_listen(void *arg, int fd, short revents)
{
	struct http_server *s = arg;
	struct http_conn *slot = NULL, *oldest = NULL;
	uint64_t now = s->loop->now();
	int cfd;

	(void)revents;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	for (int i = 0; i < HTTP_MAX_CONNS; i++) {
		struct http_conn *c = &s->conns[i];

		if (c->fd < 0) {
			slot = c;
			break;
		}
		if (!oldest || c->opened_ns < oldest->opened_ns)
			oldest = c;
	}
	if (!slot) {
		/* Table full of slow clients: the oldest gives way. */
		s->rejected++;
		conn_close(s, oldest);
		slot = oldest;
	}
	if (loop_add_fd(s->loop, cfd, POLLIN, on_conn, s)) {
		close(cfd);
		return;
	}
	memset(slot, 0, sizeof(*slot));
	slot->fd = cfd;
	slot->opened_ns = now;
	slot->deadline_ns = now + s->timeout_ns;
	arm_timer(s);
}

int http_server_start(struct http_server *s, struct loop *l,
		      const char *addr, uint16_t port, http_render_cb render,
		      void *arg)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t slen;
	int one = 1, e;

	memset(s, 0, sizeof(*s));
	s->timer = -1;
	s->lfd = -1;
	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		s->conns[i].fd = -1;
	s->loop = l;
	s->render = render;
	s->arg = arg;
	s->timeout_ns = 2000000000ull;
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
	s->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->lfd, (struct sockaddr *)&ss, slen) ||
	    listen(s->lfd, 16))
		goto fail;
	if (getsockname(s->lfd, (struct sockaddr *)&ss, &slen))
		goto fail;
	s->port = ntohs(ss.ss_family == AF_INET ? sin->sin_port
						: sin6->sin6_port);
	s->timer = loop_timer_new(l, on_timer, s);
	if (s->timer < 0 || loop_add_fd(l, s->lfd, POLLIN, on_listen, s)) {
		errno = ENOSPC;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	close(s->lfd);
	s->lfd = -1;
	loop_timer_free(l, s->timer);
	s->timer = -1;
	return -e;
}

void http_server_stop(struct http_server *s)
{
	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		conn_close(s, &s->conns[i]);
	if (s->lfd >= 0) {
		loop_del_fd(s->loop, s->lfd);
		close(s->lfd);
	}
	s->lfd = -1;
	loop_timer_free(s->loop, s->timer);
	s->timer = -1;
}
