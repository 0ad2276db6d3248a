/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's load: O_DIRECT 4 KiB I/Os at a fixed rate, alternating
 * a write of the next block of the region and a verified read of the
 * block written IO_BLOCK_LAG writes earlier, in a thread of its own (an
 * I/O stuck on a lost path stalls it, and that stall is what is measured).
 * Every I/O is logged with its start, end and outcome; nothing is retried
 * and no error is hidden.
 *
 * The write sequence and what each block should hold live across
 * repetitions, so the read-back at the end of each one checks everything
 * written since the start of the run.
 */
#ifndef PW_BENCH_LOAD_H
#define PW_BENCH_LOAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "samples.h"

#define BENCH_PROBLEM_MAX 192

struct bench_load {
	int fd;
	uint64_t nblocks;
	unsigned int rate;		/* I/Os per second */
	uint64_t seq;			/* the last write's sequence number */
	uint64_t *seq_of;		/* per block: the write it holds, 0
					 * unknown (never written, or a write
					 * failed) */
	unsigned char *buf;		/* IO_BLOCK_SIZE, aligned for O_DIRECT */
	struct sample_log log;		/* struct bench_io */
	pthread_t thread;
	bool running;
	atomic_bool stop;
	/* the first problem of a run, for the report; the thread writes it
	 * while it runs, the caller reads it after bench_load_stop() */
	char first_problem[BENCH_PROBLEM_MAX];
};

/*
 * Open @path (a block device: exclusively, so a mounted map is refused;
 * or a regular file) and check it holds @nblocks 4 KiB blocks.  @log_cap
 * is how many I/Os one repetition may log.  0, or -1 with @err.
 */
int bench_load_open(struct bench_load *l, const char *path, uint64_t nblocks,
		    unsigned int rate, size_t log_cap, char *err,
		    size_t errlen);
void bench_load_close(struct bench_load *l);

/* A new repetition: empty log, thread started.  0 or -errno. */
int bench_load_start(struct bench_load *l);
/* Stop after the I/O in flight; false when that I/O has not come back
 * within @timeout_s (the thread is then left behind). */
bool bench_load_stop(struct bench_load *l, double timeout_s);

struct bench_readback {
	unsigned int reads, io_errors, mismatches;
	char first_problem[BENCH_PROBLEM_MAX];
};

/* Read every block of the region back (the thread stopped) and check it
 * holds the last write that succeeded there. */
void bench_load_readback(struct bench_load *l, struct bench_readback *rb);

#endif
