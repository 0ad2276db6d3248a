// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "loop.h"
#include "clock.h"

void loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
	l->now = mono_ns;
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb,
		void *arg)
{
	if (l->n_fds == LOOP_MAX_FDS)
		return -ENOSPC;
	l->fds[l->n_fds++] = (struct loop_fd){ fd, events, cb, arg };
	return 0;
}

void loop_set_events(struct loop *l, int fd, short events)
{
	for (unsigned int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd == fd)
			l->fds[i].events = events;
}

void loop_del_fd(struct loop *l, int fd)
{
	for (unsigned int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd == fd) {
			/* Mark now, compact after dispatch: a callback may
			 * delete an fd that is later in this round. */
			l->fds[i].fd = -1;
			l->fds[i].cb = NULL;
		}
}

int loop_timer_new(struct loop *l, loop_timer_cb cb, void *arg)
{
	for (unsigned int i = 0; i < l->n_timers; i++)
		if (!l->timers[i].cb) {
			l->timers[i] = (struct loop_timer){ 0, cb, arg };
			return (int)i;
		}
	if (l->n_timers == LOOP_MAX_TIMERS)
		return -1;
	l->timers[l->n_timers] = (struct loop_timer){ 0, cb, arg };
	return (int)l->n_timers++;
}

void loop_timer_arm(struct loop *l, int t, uint64_t when_ns)
{
	if (t >= 0 && (unsigned int)t < l->n_timers)
		l->timers[t].when_ns = when_ns ? when_ns : 1;
}

void loop_timer_arm_before(struct loop *l, int t, uint64_t when_ns)
{
	if (t < 0 || (unsigned int)t >= l->n_timers)
		return;
	if (!l->timers[t].when_ns || when_ns < l->timers[t].when_ns)
		loop_timer_arm(l, t, when_ns);
}

void loop_timer_stop(struct loop *l, int t)
{
	if (t >= 0 && (unsigned int)t < l->n_timers)
		l->timers[t].when_ns = 0;
}

void loop_timer_free(struct loop *l, int t)
{
	if (t >= 0 && (unsigned int)t < l->n_timers)
		l->timers[t] = (struct loop_timer){ 0, NULL, NULL };
}

bool loop_timer_armed(const struct loop *l, int t)
{
	return t >= 0 && (unsigned int)t < l->n_timers &&
	       l->timers[t].when_ns != 0;
}

static void compact(struct loop *l)
{
	unsigned int j = 0;

	for (unsigned int i = 0; i < l->n_fds; i++)
		if (l->fds[i].fd >= 0)
			l->fds[j++] = l->fds[i];
	l->n_fds = j;
}

int loop_once(struct loop *l, int max_wait_ms)
{
	struct pollfd pfd[LOOP_MAX_FDS];
	uint64_t now = l->now(), first = UINT64_MAX;
	unsigned int n = l->n_fds;
	int timeout = max_wait_ms, rc;

	for (unsigned int i = 0; i < l->n_timers; i++)
		if (l->timers[i].when_ns && l->timers[i].when_ns < first)
			first = l->timers[i].when_ns;
	if (first != UINT64_MAX) {
		uint64_t ms = first <= now ? 0 : (first - now + 999999) / 1000000;

		if (timeout < 0 || ms < (uint64_t)timeout)
			timeout = (int)(ms > 60000 ? 60000 : ms);
	}
	for (unsigned int i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ l->fds[i].fd, l->fds[i].events, 0 };
	rc = poll(pfd, n, timeout);
	if (rc < 0 && errno != EINTR)
		return -errno;
	for (unsigned int i = 0; rc > 0 && i < n; i++)
		if (pfd[i].revents && l->fds[i].fd == pfd[i].fd && l->fds[i].cb)
			l->fds[i].cb(l->fds[i].arg, pfd[i].fd, pfd[i].revents);
	now = l->now();
	for (unsigned int i = 0; i < l->n_timers; i++)
		if (l->timers[i].when_ns && l->timers[i].when_ns <= now) {
			l->timers[i].when_ns = 0;
			l->timers[i].cb(l->timers[i].arg, now);
		}
	compact(l);
	return 0;
}
