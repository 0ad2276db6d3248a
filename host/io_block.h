/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The content of one block of a verified load: a magic word, the block's
 * number, the sequence number of the write that filled it and a filler
 * derived from both.  A lost, stale or misplaced write then reads back as
 * a mismatch, never as a pass.  The lab's pwlab-io and `pathwarden bench`
 * share it so that both judge a block the same way.
 */
#ifndef PW_HOST_IO_BLOCK_H
#define PW_HOST_IO_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

enum {
	IO_BLOCK_SIZE = 4096,
	/* A read checks the block written this many writes earlier: far
	 * enough back that no cache in the initiator still holds it. */
	IO_BLOCK_LAG = 8,
};

/* What a block that failed the check holds in its header. */
struct io_block_found {
	bool magic_ok;
	uint64_t block;
	uint64_t seq;
};

/* Fill @buf (IO_BLOCK_SIZE bytes, 8-byte aligned) as write @seq of block
 * @blk leaves it. */
void io_block_fill(void *buf, uint64_t blk, uint64_t seq);

/* Is @buf block @blk as write @seq left it?  When not, @found (may be
 * NULL) gets the header the block carries instead. */
bool io_block_verify(const void *buf, uint64_t blk, uint64_t seq,
		     struct io_block_found *found);

#endif
