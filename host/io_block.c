// SPDX-License-Identifier: GPL-2.0-or-later
#include <stddef.h>

#include "io_block.h"

#define WORDS (IO_BLOCK_SIZE / sizeof(uint64_t))

static const uint64_t MAGIC = 0x70776c61622d696fULL;	/* "pwlab-io" */

/* The filler: xorshift64 seeded from the block and the write, so two
 * writes of one block, or one write at two places, never look alike. */
static uint64_t filler_seed(uint64_t blk, uint64_t seq)
{
	return (blk * 0x9e3779b97f4a7c15ULL) ^ (seq + 0x632be59bd9b4e019ULL);
}

static uint64_t filler_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

void io_block_fill(void *buf, uint64_t blk, uint64_t seq)
{
	uint64_t *w = buf, x = filler_seed(blk, seq);

	w[0] = MAGIC;
	w[1] = blk;
	w[2] = seq;
	for (size_t i = 3; i < WORDS; i++)
		w[i] = filler_next(&x);
}

bool io_block_verify(const void *buf, uint64_t blk, uint64_t seq,
		     struct io_block_found *found)
{
	const uint64_t *w = buf;
	uint64_t x = filler_seed(blk, seq);
	bool same = w[0] == MAGIC && w[1] == blk && w[2] == seq;

	/* Compared as generated: no second buffer, safe in any thread. */
	for (size_t i = 3; same && i < WORDS; i++)
		same = w[i] == filler_next(&x);
	if (!same && found) {
		found->magic_ok = w[0] == MAGIC;
		found->block = w[1];
		found->seq = w[2];
	}
	return same;
}
