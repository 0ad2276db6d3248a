/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event loop: poll() over registered fds and a set of one-shot
 * timers on CLOCK_MONOTONIC; the poll timeout comes from the earliest
 * timer, as in OpenNTPD.  Nothing here knows what the fds are.
 */
#ifndef PW_MONITOR_LOOP_H
#define PW_MONITOR_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define LOOP_MAX_FDS 96
#define LOOP_MAX_TIMERS 64

typedef void (*loop_fd_cb)(void *arg, int fd, short revents);
typedef void (*loop_timer_cb)(void *arg, uint64_t now_ns);

struct loop_fd {
	int fd;
	short events;
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	uint64_t when_ns;	/* 0: not armed */
	loop_timer_cb cb;
	void *arg;
};

struct loop {
	unsigned int n_fds;
	struct loop_fd fds[LOOP_MAX_FDS];
	unsigned int n_timers;
	struct loop_timer timers[LOOP_MAX_TIMERS];
	uint64_t (*now)(void);	/* the clock, replaceable in tests */
};

void loop_init(struct loop *l);
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_cb cb,
		void *arg);
void loop_set_events(struct loop *l, int fd, short events);
void loop_del_fd(struct loop *l, int fd);
/* A timer slot; returns its index or -1 when full. */
int loop_timer_new(struct loop *l, loop_timer_cb cb, void *arg);
void loop_timer_arm(struct loop *l, int timer, uint64_t when_ns);
/* Arm only if it makes the timer fire earlier (or it is idle). */
void loop_timer_arm_before(struct loop *l, int timer, uint64_t when_ns);
void loop_timer_stop(struct loop *l, int timer);
/* Give the slot back for loop_timer_new: a server or probe set that is
 * stopped and started again (configuration reload) must not use up the
 * table. */
void loop_timer_free(struct loop *l, int timer);
bool loop_timer_armed(const struct loop *l, int timer);
/* One round: wait at most @max_wait_ms (-1 for the timers alone), run
 * what is ready and due.  Returns -errno on a poll failure. */
int loop_once(struct loop *l, int max_wait_ms);

#endif
