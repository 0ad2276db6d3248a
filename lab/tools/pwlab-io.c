/*
 * pwlab-io: a steady, verified write+read load on a block device for the
 * lab's fault tests.
 *
 * Writes 4 KiB blocks in sequence over a region, each followed by a read of
 * the block written LAG writes earlier, until a stop file appears; then reads
 * back every block of the region once more.  Every block carries its number
 * and the sequence number of the write that filled it, and a filler derived
 * from both, so a lost, stale or misplaced write is a mismatch, not a pass.
 * I/O errors are counted and the load goes on: the test wants to see them.
 *
 * Prints one summary line ("pwlab-io: writes=... ") and, with -l, one line
 * per operation slower than the gap threshold: its start on CLOCK_MONOTONIC
 * (comparable with /proc/uptime in the guest), duration, kind and block.
 * Exit status: 0 clean, 1 any I/O error or mismatch, 2 usage or set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "io_block.h"

enum { BLOCK = IO_BLOCK_SIZE, LAG = IO_BLOCK_LAG };

struct load {
	int fd;
	uint64_t nblocks;
	uint64_t *seq_of;		/* expected write sequence per block */
	unsigned char *buf;		/* BLOCK-aligned, for O_DIRECT */
	uint64_t writes, reads, io_errors, mismatches;
	double max_op_s, gap_s;
	FILE *gaps;
	double t0;
};

static double now_s(void)
{
	return (double)mono_ns() / 1e9;
}

static void note_op(struct load *l, const char *op, uint64_t blk, double t, double dt)
{
	if (dt > l->max_op_s)
		l->max_op_s = dt;
	if (l->gaps && dt >= l->gap_s)
		fprintf(l->gaps, "%.3f %.3f %s %" PRIu64 "\n", t, dt, op, blk);
}

static void do_write(struct load *l, uint64_t blk, uint64_t seq)
{
	double t = now_s();
	ssize_t n;

	io_block_fill(l->buf, blk, seq);
	n = pwrite(l->fd, l->buf, BLOCK, (off_t)(blk * BLOCK));
	note_op(l, "write", blk, t, now_s() - t);
	l->writes++;
	if (n != BLOCK) {
		l->io_errors++;
		fprintf(stderr, "pwlab-io: write block %" PRIu64 ": %s\n", blk,
			n < 0 ? strerror(errno) : "short write");
		return;
	}
	l->seq_of[blk] = seq;
}

static void do_verify(struct load *l, uint64_t blk)
{
	struct io_block_found got;
	double t = now_s();
	ssize_t n;

	if (l->seq_of[blk] == 0)
		return;			/* never written successfully */
	n = pread(l->fd, l->buf, BLOCK, (off_t)(blk * BLOCK));
	note_op(l, "read", blk, t, now_s() - t);
	l->reads++;
	if (n != BLOCK) {
		l->io_errors++;
		fprintf(stderr, "pwlab-io: read block %" PRIu64 ": %s\n", blk,
			n < 0 ? strerror(errno) : "short read");
		return;
	}
	if (!io_block_verify(l->buf, blk, l->seq_of[blk], &got)) {
		l->mismatches++;
		fprintf(stderr, "pwlab-io: block %" PRIu64 " mismatch: want seq %"
			PRIu64 ", found magic %s block %" PRIu64 " seq %" PRIu64 "\n",
			blk, l->seq_of[blk], got.magic_ok ? "ok" : "bad",
			got.block, got.seq);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: pwlab-io -d DEVICE -s STOPFILE [-n BLOCKS] "
		"[-r WRITES_PER_S] [-l GAPLOG] [-g GAP_MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct load l = { .fd = -1, .nblocks = 8192, .gap_s = 0.1 };
	const char *dev = NULL, *stop = NULL, *gaplog = NULL;
	double rate = 200, next, t_end;
	uint64_t seq = 0, blk;
	int opt;

	while ((opt = getopt(argc, argv, "d:s:n:r:l:g:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 's': stop = optarg; break;
		case 'n': l.nblocks = strtoull(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'l': gaplog = optarg; break;
		case 'g': l.gap_s = strtod(optarg, NULL) / 1000.0; break;
		default: usage();
		}
	}
	if (!dev || !stop || l.nblocks < 2 * LAG || rate <= 0)
		usage();

	l.fd = open(dev, O_RDWR | O_DIRECT);
	if (l.fd < 0) {
		fprintf(stderr, "pwlab-io: open %s: %s\n", dev, strerror(errno));
		return 2;
	}
	l.seq_of = calloc(l.nblocks, sizeof(*l.seq_of));
	if (!l.seq_of || posix_memalign((void **)&l.buf, BLOCK, BLOCK) != 0) {
		fprintf(stderr, "pwlab-io: out of memory\n");
		return 2;
	}
	if (gaplog) {
		l.gaps = fopen(gaplog, "w");
		if (!l.gaps) {
			fprintf(stderr, "pwlab-io: %s: %s\n", gaplog, strerror(errno));
			return 2;
		}
		setvbuf(l.gaps, NULL, _IOLBF, 0);
	}

	l.t0 = next = now_s();
	while (access(stop, F_OK) != 0) {
		seq++;
		blk = (seq - 1) % l.nblocks;
		do_write(&l, blk, seq);
		if (seq > LAG)
			do_verify(&l, (seq - 1 - LAG) % l.nblocks);
		/* Paced, not flat out: the same guest runs the target, the
		 * initiator and multipathd on two emulated CPUs. */
		next += 1.0 / rate;
		t_end = now_s();
		if (next > t_end) {
			struct timespec ts = {
				.tv_sec = (time_t)(next - t_end),
				.tv_nsec = (long)((next - t_end - (double)(time_t)(next - t_end)) * 1e9),
			};
			nanosleep(&ts, NULL);
		} else if (t_end - next > 1.0) {
			next = t_end;	/* after a stall, do not burst */
		}
	}
	/* Everything written before and during the faults, read back once more. */
	for (blk = 0; blk < l.nblocks; blk++)
		do_verify(&l, blk);

	printf("pwlab-io: writes=%" PRIu64 " reads=%" PRIu64 " io_errors=%" PRIu64
	       " mismatches=%" PRIu64 " max_op_ms=%.0f seconds=%.1f\n",
	       l.writes, l.reads, l.io_errors, l.mismatches, l.max_op_s * 1000,
	       now_s() - l.t0);
	if (l.gaps)
		fclose(l.gaps);
	close(l.fd);
	/* freed, not left to exit: the sanitizer runs of the host tests
	 * count a leak as a failure */
	free(l.seq_of);
	free(l.buf);
	return l.io_errors || l.mismatches ? 1 : 0;
}
