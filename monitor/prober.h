/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failover prober of one map: small O_DIRECT reads at a fixed rate
 * (writes too on a LUN the config marks test-lun), each one timed.
 *
 * The I/O runs in its own thread with synchronous preads: a read stuck on
 * a lost path must not stop the event loop, and a slow multipathd command
 * in the loop must not inflate a measured latency.  The thread only
 * measures; samples go to the loop through a small ring and an eventfd,
 * and all judging (windows, histograms) happens in the loop.
 */
#ifndef PW_MONITOR_PROBER_H
#define PW_MONITOR_PROBER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "config.h"

#define PROBE_RING 1024

struct probe_sample {
	uint64_t issued_ns;
	uint64_t done_ns;
	int err;		/* 0 or errno */
	bool write;
};

struct prober {
	char map[CONF_MAP_MAX];
	char path[300];
	unsigned int interval_ms, size;
	bool write;
	bool direct;		/* O_DIRECT in use */
	int fd;
	int efd;		/* eventfd: samples ready */
	uint64_t dev_size;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	/* Issue time of the I/O in flight, 0 when none. */
	_Atomic uint64_t inflight_since;
	pthread_mutex_t lock;
	unsigned int head, tail;	/* ring of samples */
	struct probe_sample ring[PROBE_RING];
	uint64_t dropped;		/* ring overflow */
};

/*
 * Open @path for the probe (O_DIRECT; @allow_buffered lets tests use a
 * file system without O_DIRECT).  Returns 0 or -errno.
 */
int prober_open(struct prober *p, const struct conf_probe *cp,
		const char *path, bool allow_buffered);
int prober_start(struct prober *p);
/* Joins the thread, waiting at most a second.  False when the thread is
 * still blocked in an I/O: it was detached and still uses @p, which must
 * then stay allocated. */
bool prober_stop(struct prober *p);
/* Take up to @max samples; returns how many. */
unsigned int prober_drain(struct prober *p, struct probe_sample *out,
			  unsigned int max);
uint64_t prober_inflight_since(struct prober *p);


#endif
