// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_block.h"
#include "load.h"

int bench_load_open(struct bench_load *l, const char *path, uint64_t nblocks,
		    unsigned int rate, size_t log_cap, char *err,
		    size_t errlen)
{
	uint64_t size = 0;
	struct stat st;
	int flags = O_RDWR | O_DIRECT | O_CLOEXEC;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->nblocks = nblocks;
	l->rate = rate;
	atomic_init(&l->stop, false);
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		/* O_EXCL on a block device: EBUSY while a file system or
		 * LVM holds it.  The benchmark overwrites the region. */
		flags |= O_EXCL;
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a block device or a file", path);
		return -1;
	}
	l->fd = open(path, flags);
	if (l->fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == EBUSY ? " (mounted or held: not a test LUN?)"
					: "");
		return -1;
	}
	if (S_ISBLK(st.st_mode) ? ioctl(l->fd, BLKGETSIZE64, &size) < 0 :
				  fstat(l->fd, &st) < 0) {
		snprintf(err, errlen, "%s: size: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode))
		size = (uint64_t)st.st_size;
	if (size < nblocks * IO_BLOCK_SIZE) {
		snprintf(err, errlen, "%s: %" PRIu64 " bytes, the load's region "
			 "needs %" PRIu64, path, size, nblocks * IO_BLOCK_SIZE);
		goto fail;
	}
	l->seq_of = calloc(nblocks, sizeof(*l->seq_of));
	if (!l->seq_of ||
	    posix_memalign((void **)&l->buf, IO_BLOCK_SIZE, IO_BLOCK_SIZE) ||
	    sample_log_init(&l->log, sizeof(struct bench_io), log_cap)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	bench_load_close(l);
	return -1;
}

void bench_load_close(struct bench_load *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->seq_of);
	l->seq_of = NULL;
	free(l->buf);
	l->buf = NULL;
	sample_log_free(&l->log);
}

/* @slot: BENCH_PROBLEM_MAX bytes */
__attribute__((format(printf, 2, 3)))
static void problem(char *slot, const char *fmt, ...)
{
	va_list ap;

	if (slot[0])
		return;		/* the first one says most */
	va_start(ap, fmt);
	vsnprintf(slot, BENCH_PROBLEM_MAX, fmt, ap);
	va_end(ap);
}

static enum bench_io_result io_write(struct bench_load *l, uint64_t blk,
				     uint64_t seq)
{
	ssize_t n;

	io_block_fill(l->buf, blk, seq);
	n = pwrite(l->fd, l->buf, IO_BLOCK_SIZE, (off_t)(blk * IO_BLOCK_SIZE));
	if (n != IO_BLOCK_SIZE) {
		/* what the block holds now is unknown: it is not checked
		 * again until a write succeeds there */
		l->seq_of[blk] = 0;
		problem(l->first_problem, "write of block %" PRIu64 ": %s",
			blk, n < 0 ? strerror(errno) : "short write");
		return BIO_ERROR;
	}
	l->seq_of[blk] = seq;
	return BIO_OK;
}

static enum bench_io_result io_read(struct bench_load *l, uint64_t blk,
				    char *slot)
{
	struct io_block_found got;
	ssize_t n;

	n = pread(l->fd, l->buf, IO_BLOCK_SIZE, (off_t)(blk * IO_BLOCK_SIZE));
	if (n != IO_BLOCK_SIZE) {
		problem(slot, "read of block %" PRIu64 ": %s", blk,
			n < 0 ? strerror(errno) : "short read");
		return BIO_ERROR;
	}
	if (!io_block_verify(l->buf, blk, l->seq_of[blk], &got)) {
		problem(slot, "block %" PRIu64 " mismatch: want write %" PRIu64
			", found magic %s block %" PRIu64 " write %" PRIu64,
			blk, l->seq_of[blk], got.magic_ok ? "ok" : "bad",
			got.block, got.seq);
		return BIO_MISMATCH;
	}
	return BIO_OK;
}

static void sleep_until(int64_t t_ns)
{
	struct timespec ts = { .tv_sec = t_ns / 1000000000,
			       .tv_nsec = t_ns % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void *load_main(void *arg)
{
	struct bench_load *l = arg;
	int64_t period = 1000000000 / l->rate, next = bench_now_ns();
	bool write_turn = true;

	while (!atomic_load(&l->stop)) {
		struct bench_io io = { 0 };
		uint64_t lagged = 0;
		bool do_read = false;

		/* the block written IO_BLOCK_LAG writes ago, if it holds a
		 * known write; otherwise this turn writes */
		if (!write_turn && l->seq > IO_BLOCK_LAG) {
			lagged = (l->seq - 1 - IO_BLOCK_LAG) % l->nblocks;
			do_read = l->seq_of[lagged] != 0;
		}
		io.start_ns = bench_now_ns();
		if (do_read) {
			io.op = BIO_READ;
			io.block = lagged;
			io.result = io_read(l, lagged, l->first_problem);
		} else {
			l->seq++;
			io.op = BIO_WRITE;
			io.block = (l->seq - 1) % l->nblocks;
			io.result = io_write(l, io.block, l->seq);
		}
		io.end_ns = bench_now_ns();
		sample_log_append(&l->log, &io);
		write_turn = !write_turn;

		/* Paced, never catching up: after a stall the load goes on
		 * at its rate, so the completions after it are not a burst
		 * that would shorten the gaps being measured. */
		next += period;
		if (next < io.end_ns)
			next = io.end_ns;
		sleep_until(next);
	}
	return NULL;
}

int bench_load_start(struct bench_load *l)
{
	sigset_t all, old;
	int rc;

	sample_log_reset(&l->log);
	l->first_problem[0] = '\0';
	atomic_store(&l->stop, false);
	/* signals are the main thread's: it turns them into a clean stop */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&l->thread, NULL, load_main, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	l->running = rc == 0;
	return -rc;
}

bool bench_load_stop(struct bench_load *l, double timeout_s)
{
	struct timespec ts;

	if (!l->running)
		return true;
	atomic_store(&l->stop, true);
	clock_gettime(CLOCK_REALTIME, &ts);	/* pthread_timedjoin_np's */
	ts.tv_sec += (time_t)timeout_s;
	ts.tv_nsec += (long)((timeout_s - (double)(time_t)timeout_s) * 1e9);
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	if (pthread_timedjoin_np(l->thread, NULL, &ts))
		return false;
	l->running = false;
	return true;
}

void bench_load_readback(struct bench_load *l, struct bench_readback *rb)
{
	memset(rb, 0, sizeof(*rb));
	for (uint64_t blk = 0; blk < l->nblocks; blk++) {
		enum bench_io_result res;

		if (!l->seq_of[blk])
			continue;
		rb->reads++;
		res = io_read(l, blk, rb->first_problem);
		rb->io_errors += res == BIO_ERROR;
		rb->mismatches += res == BIO_MISMATCH;
	}
}
