/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RTPG on many paths at once, apart from any view: which devices to ask
 * (by map and disk name), how to reach them (the real disks, or replay
 * scripts in tests), and their answers.  A batch holds no pointer into a
 * view, so it can be asked on another thread while the view it came from
 * is replaced (the daemon: rtpg_job.h).
 */
#ifndef PW_MONITOR_RTPG_BATCH_H
#define PW_MONITOR_RTPG_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "pathwarden/rtpg.h"
#include "pathwarden/tpg_query.h"

/* How RTPG reaches a path: the real disks, or replay scripts in tests.
 * query() is called from several threads at once: it keeps nothing.
 * identity() is the path's ALUA group without a SCSI command (what the
 * kernel read at scan time), TPG_OK when @id is valid. */
struct rtpg_source {
	enum tpg_result (*query)(struct rtpg_source *src, const char *dev,
				 unsigned int timeout_ms, struct tpg_answer *ans,
				 struct rtpg_report *rep);
	enum tpg_result (*identity)(struct rtpg_source *src, const char *dev,
				    struct tpg_identity *id);
	char dir[256];		/* /dev, or the replay script directory */
};

void rtpg_source_dev(struct rtpg_source *s);
void rtpg_source_replay(struct rtpg_source *s, const char *dir);

/* One path to ask: its disk and its map (one LU), and what it answered. */
struct rtpg_item {
	char dev[32];
	char map[128];
	char node[32];		/* the storage node behind it, "" unknown */
	size_t lead;		/* 1 + the item asked for it, 0 asks itself */
	bool followed;		/* sent nothing: took its lead's report, or
				 * (done false) its lead timed out */
	struct tpg_answer ans;
	struct rtpg_report rep;
	bool done;
	bool ready;		/* final before the batch ends: written with
				 * release by a worker, read by
				 * rtpg_item_ready() (rtpg_batch_ask_notify) */
};

struct rtpg_batch {
	struct rtpg_item *items;
	size_t n, cap;
};

/* Add a path to ask; false on out-of-memory. */
bool rtpg_batch_add(struct rtpg_batch *b, const char *map, const char *dev);
/*
 * The same for a path known to lead to storage node @node (NULL or "":
 * not known).  Of the paths of one map and one node only the first added
 * is asked; the others follow it: a node reports its own groups as they
 * are, so its report is the others' answer too, and a promotion of 64
 * LUNs costs 128 commands, not 256.  A follower whose lead failed at once
 * (refused, a sense, a dropped connection), or whose own group is not its
 * lead's, is asked itself; one whose lead timed out is not asked at all
 * (a silent node must not cost the batch a second timeout).
 */
bool rtpg_batch_add_on(struct rtpg_batch *b, const char *map, const char *dev,
		       const char *node);
/*
 * Ask every path that asks itself, up to 16 at a time, each bounded by
 * @timeout_ms: a hung path costs its timeout once per batch, not once per
 * hung path; then the followers that must ask themselves.  A follower's
 * answer is its own group in its lead's report, result TPG_OK, from_peer
 * set (its path sent nothing); a follower of a lead that timed out is
 * left unanswered (done false).
 * Then a path whose own query failed is judged by what another path of
 * the same map reported of its group (both storage nodes report both
 * groups).
 */
void rtpg_batch_ask(struct rtpg_batch *b, struct rtpg_source *src,
		    unsigned int timeout_ms);
/*
 * The same, telling as it goes: when a path that asks for itself has its
 * answer, its followers take theirs from it at once, the lead and those
 * followers are marked ready when that answer is a report (TPG_OK), and
 * @notify(@arg) is called, from a worker thread.  Another thread may read
 * an item once rtpg_item_ready() says so, and no other item before the
 * batch ends (a failed answer may be judged by a peer's report then, a
 * follower not followed asks for itself then); at the end every item is
 * ready.
 */
void rtpg_batch_ask_notify(struct rtpg_batch *b, struct rtpg_source *src,
			   unsigned int timeout_ms, void (*notify)(void *),
			   void *arg);
/* Another thread's view of @it: its answer is final (acquire). */
static inline bool rtpg_item_ready(const struct rtpg_item *it)
{
	return __atomic_load_n(&it->ready, __ATOMIC_ACQUIRE);
}
/* The answer for @dev in @map, NULL when the batch did not ask it. */
const struct rtpg_item *rtpg_batch_find(const struct rtpg_batch *b,
					const char *map, const char *dev);
/*
 * Every path of @b answered, by its own report or its node's, that its
 * group is active/non-optimized: a cluster between its demotion of the
 * old master and its promotion of the new one (no refusal, no failure,
 * no other state).  False for an empty batch.
 */
bool rtpg_batch_awaits_promotion(const struct rtpg_batch *b);
void rtpg_batch_free(struct rtpg_batch *b);

#endif
