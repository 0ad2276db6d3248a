/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `pathwarden bench` records during one repetition, and how the
 * threads hand it over.  The load thread logs every I/O, the observer
 * thread logs every change it sees in dm's status of the map; the main
 * thread reads both while they run (to know when an expected state is
 * reached) and after (metrics, timeline).  Every time is CLOCK_MONOTONIC
 * in nanoseconds.
 *
 * A sample log has one writer and any number of readers and takes no
 * lock: an I/O stuck in the kernel or a slow device-mapper call in one
 * thread must never hold up the other.  Its storage is allocated once, so
 * what a reader has seen never moves; a full log drops and counts.
 */
#ifndef PW_BENCH_SAMPLES_H
#define PW_BENCH_SAMPLES_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

/* The host layer's clock (host/clock.h), signed for differences. */
static inline int64_t bench_now_ns(void)
{
	return (int64_t)mono_ns();
}

enum bench_io_op { BIO_WRITE, BIO_READ };

enum bench_io_result {
	BIO_OK,
	BIO_ERROR,		/* the I/O failed or was short */
	BIO_MISMATCH,		/* a read completed with the wrong content */
};

struct bench_io {
	int64_t start_ns;
	int64_t end_ns;
	uint64_t block;
	uint8_t op;		/* enum bench_io_op */
	uint8_t result;		/* enum bench_io_result */
};

/* Whose paths dm sends I/O to (the active ones of its next group), as a
 * node index into pathwarden.conf's nodes, or one of these. */
enum {
	BENCH_GROUP_NONE = -1,		/* no group, or no usable path in it */
	BENCH_GROUP_MIXED = -2,		/* active paths of two nodes */
	BENCH_GROUP_UNKNOWN = -3,	/* a path of no configured node */
};

/* every path dm reports (DMS_MAX_PATHS): a group judged on some of its
 * paths could be named wrongly */
#define BENCH_OBS_PATHS 64
#define BENCH_NODE_UNKNOWN (-1)

struct bench_obs_path {
	char devt[16];		/* major:minor, as dm names the path */
	char sd[16];		/* sdX, "" when sysfs has no such disk */
	int node;		/* node index, BENCH_NODE_UNKNOWN */
	bool active;		/* dm's 'A', not 'F' */
	bool in_next;		/* in the group dm sends I/O to */
};

/* dm's view of the map at one poll. */
struct bench_obs {
	int64_t t_ns;
	int group;		/* node index or BENCH_GROUP_* */
	unsigned int dm_group;	/* dm's next group number, 0 none */
	unsigned int n_paths;
	struct bench_obs_path paths[BENCH_OBS_PATHS];
};

struct sample_log {
	unsigned char *base;
	size_t elem, cap;
	atomic_size_t n;	/* entries published */
	atomic_size_t dropped;	/* appends refused: the log was full */
};

/* Room for @cap entries of @elem bytes; -1 when out of memory. */
int sample_log_init(struct sample_log *l, size_t elem, size_t cap);
void sample_log_free(struct sample_log *l);
/* The writer only.  False (and counted) when full. */
bool sample_log_append(struct sample_log *l, const void *entry);
/* Any thread: how many entries are published, and where they start;
 * entries below the count are complete and never change. */
size_t sample_log_count(struct sample_log *l);
const void *sample_log_entries(const struct sample_log *l);
size_t sample_log_dropped(struct sample_log *l);
/* The writer only, with no reader: start again (a new repetition). */
void sample_log_reset(struct sample_log *l);

#endif
