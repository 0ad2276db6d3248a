// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "portal_probe.h"

/* A single lost SYN should not call a portal down: two failures in a
 * row do.  One success calls it up: that is what re-login waits for. */
#define DOWN_AFTER 2

static void arm(struct portal_set *s)
{
	uint64_t first = 0;

	for (unsigned int i = 0; i < s->n; i++)
		if (s->p[i].fd >= 0 &&
		    (!first || s->p[i].deadline_ns < first))
			first = s->p[i].deadline_ns;
	if (first)
		loop_timer_arm(s->loop, s->timer, first);
	else
		loop_timer_stop(s->loop, s->timer);
}

static void finish(struct portal_set *s, struct portal_probe *p, bool ok,
		   uint64_t now)
{
	enum portal_state old = p->state;

	if (p->fd >= 0) {
		loop_del_fd(s->loop, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	if (ok) {
		p->fails = 0;
		p->state = PORTAL_UP;
		p->answered_ns = now;
	} else {
		p->failed_ns = now;
		if (++p->fails >= DOWN_AFTER || p->state == PORTAL_UNKNOWN)
			p->state = PORTAL_DOWN;
	}
	if (p->state != old && s->changed)
		s->changed(s->arg, p, old, now);
}

static void on_fd(void *arg, int fd, short revents)
{
	struct portal_set *s = arg;

	(void)revents;
	for (unsigned int i = 0; i < s->n; i++) {
		struct portal_probe *p = &s->p[i];
		int err = 0;
		socklen_t len = sizeof(err);

		if (p->fd != fd)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
			err = errno;
		finish(s, p, err == 0, s->loop->now());
		break;
	}
	arm(s);
}

static void on_timer(void *arg, uint64_t now)
{
	struct portal_set *s = arg;

	for (unsigned int i = 0; i < s->n; i++)
		if (s->p[i].fd >= 0 && s->p[i].deadline_ns <= now)
			finish(s, &s->p[i], false, now);
	arm(s);
}

int portal_set_init(struct portal_set *s, const struct pw_conf *c,
		    struct loop *l, portal_change_cb cb, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->loop = l;
	s->changed = cb;
	s->arg = arg;
	s->connect_ns = (uint64_t)c->portal_connect_ms * 1000000ull;
	s->timer = loop_timer_new(l, on_timer, s);
	if (s->timer < 0)
		return -ENOSPC;
	for (unsigned int i = 0; i < c->n_nodes; i++)
		for (unsigned int j = 0; j < c->nodes[i].n_portals; j++) {
			struct portal_probe *p = &s->p[s->n++];
			struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
			struct addrinfo *ai = NULL;
			char port[8];

			p->node = &c->nodes[i];
			p->portal = &c->nodes[i].portals[j];
			p->fd = -1;
			p->state = PORTAL_UNKNOWN;
			snprintf(port, sizeof(port), "%u", p->portal->port);
			if (getaddrinfo(p->portal->host, port, &hints, &ai) ||
			    !ai) {
				log_warn("portal %s of %s: cannot resolve",
					 p->portal->host, p->node->name);
				continue;
			}
			memcpy(&p->addr, ai->ai_addr, ai->ai_addrlen);
			p->addrlen = ai->ai_addrlen;
			p->resolved = true;
			freeaddrinfo(ai);
		}
	return 0;
}

void portal_set_round(struct portal_set *s, uint64_t now, const bool *want)
{
	for (unsigned int i = 0; i < s->n; i++) {
		struct portal_probe *p = &s->p[i];
		int fd;

		if (!p->resolved || p->fd >= 0 || (want && !want[i]))
			continue;
		fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, (struct sockaddr *)&p->addr, p->addrlen) == 0) {
			p->fd = fd;
			finish(s, p, true, now);
			continue;
		}
		if (errno != EINPROGRESS ||
		    loop_add_fd(s->loop, fd, POLLOUT, on_fd, s)) {
			close(fd);
			p->fd = -1;
			finish(s, p, false, now);
			continue;
		}
		p->fd = fd;
		p->deadline_ns = now + s->connect_ns;
	}
	arm(s);
}

void portal_set_stop(struct portal_set *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->p[i].fd >= 0) {
			loop_del_fd(s->loop, s->p[i].fd);
			close(s->p[i].fd);
			s->p[i].fd = -1;
		}
	loop_timer_free(s->loop, s->timer);
	s->timer = -1;
}
