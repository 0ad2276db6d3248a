/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker's latest answer per device, kept in the process that loads
 * both plugins (multipathd) so the prioritizer can reuse a fresh one instead
 * of sending its own RTPG: one SCSI command per path per cycle.
 */
#ifndef PATHWARDEN_TPG_CACHE_H
#define PATHWARDEN_TPG_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pathwarden/tpg_query.h"

/* Identifies the device behind an fd: st_rdev for device nodes. */
struct dev_key {
	dev_t dev;
	ino_t ino;
	dev_t rdev;
};

/* Returns false when fstat() fails. */
bool dev_key_from_fd(int fd, struct dev_key *key);

/* Monotonic milliseconds. */
uint64_t tpg_cache_now_ms(void);

void tpg_cache_store(const struct dev_key *key, const struct tpg_answer *ans,
		     uint64_t when_ms);
/*
 * True and *ans filled when an answer no older than @max_age_ms exists.
 * The answer is consumed: each checker answer serves one prio call, so a
 * later refresh (a map reload asking every path's prio) sends its own RTPG
 * rather than reuse an answer that may predate a state change.
 */
bool tpg_cache_take(const struct dev_key *key, unsigned int max_age_ms,
		    uint64_t now_ms, struct tpg_answer *ans);
void tpg_cache_forget(const struct dev_key *key);
/*
 * The checker's RTPG on the device went out at @now_ms (busy) or came back
 * (!busy; storing an answer does that too).
 */
void tpg_cache_set_busy(const struct dev_key *key, bool busy, uint64_t now_ms);
/*
 * Mark the checker's RTPG on the device as out, unless one already is:
 * false then (a check still blocked on a dead target), and nothing sent.
 */
bool tpg_cache_claim(const struct dev_key *key, uint64_t now_ms);
/*
 * The checker's RTPG has been out for @after_ms or more: stuck in the
 * kernel behind a hung target, most likely.  The prioritizer then sends
 * none of its own; a synchronous one would hold multipathd's checker loop
 * for as long as the kernel takes to give up.
 */
bool tpg_cache_stuck(const struct dev_key *key, uint64_t now_ms,
		     unsigned int after_ms);
void tpg_cache_clear(void);

#endif
