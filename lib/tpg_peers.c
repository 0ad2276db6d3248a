/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LU-wide board of RTPG reports, one entry per reporting path.  Written
 * by the checker's workers, read by them when a path's own query fails.  A
 * plain table under one lock, like the answer cache beside it: multipathd
 * hosts thousands of paths at most and a lookup walks them once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pathwarden/tpg_peers.h"

struct peer_entry {
	struct dev_key from;
	uint8_t lu_len;
	uint8_t lu[VPD83_MAX_LU_DESIG + 1];
	uint64_t when_ms;
	struct rtpg_report rep;
};

static pthread_mutex_t peers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct peer_entry *peers;
static size_t peers_len, peers_cap;

static bool key_eq(const struct dev_key *a, const struct dev_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->rdev == b->rdev;
}

static bool lu_eq(const struct peer_entry *e, const struct tpg_identity *id)
{
	return e->lu_len == id->lu_len && !memcmp(e->lu, id->lu, id->lu_len);
}

void tpg_peers_store(const struct tpg_identity *id, const struct dev_key *from,
		     const struct rtpg_report *rep, uint64_t now_ms)
{
	struct peer_entry *e = NULL;

	if (!id->valid || !id->lu_len)
		return;		/* no LU name: nothing to share it with */
	pthread_mutex_lock(&peers_lock);
	for (size_t i = 0; i < peers_len && !e; i++)
		if (key_eq(&peers[i].from, from))
			e = &peers[i];
	if (!e && peers_len == peers_cap) {
		/*
		 * Reports too old to be used go first: where paths come and
		 * go without the checker being freed (multipath-tools 0.15
		 * has no free hook for an async checker), the board stays
		 * the size of the paths alive in the last minute.
		 */
		size_t kept = 0;

		for (size_t i = 0; i < peers_len; i++)
			if (peers[i].when_ms >= now_ms ||
			    now_ms - peers[i].when_ms <= TPG_PEERS_MAX_AGE_MS)
				peers[kept++] = peers[i];
		peers_len = kept;
	}
	if (!e && peers_len == peers_cap) {
		size_t ncap = peers_cap ? peers_cap * 2 : 16;
		struct peer_entry *n = realloc(peers, ncap * sizeof(*n));

		if (n) {
			peers = n;
			peers_cap = ncap;
		}
	}
	if (!e && peers_len < peers_cap)
		e = &peers[peers_len++];
	if (e) {		/* no room: this path's word is not shared */
		e->from = *from;
		e->lu_len = id->lu_len;
		memcpy(e->lu, id->lu, id->lu_len);
		e->when_ms = now_ms;
		e->rep = *rep;
	}
	pthread_mutex_unlock(&peers_lock);
}

bool tpg_peers_fill(const struct tpg_identity *id, const struct dev_key *self,
		    uint64_t now_ms, unsigned int max_age_ms,
		    struct tpg_answer *ans)
{
	const struct peer_entry *best = NULL;
	bool filled = false;

	if (!id->valid || !id->lu_len || !tpg_answer_wants_peer(ans))
		return false;
	pthread_mutex_lock(&peers_lock);
	for (size_t i = 0; i < peers_len; i++) {
		const struct peer_entry *e = &peers[i];

		if (key_eq(&e->from, self) || !lu_eq(e, id) ||
		    e->when_ms > now_ms || now_ms - e->when_ms > max_age_ms ||
		    !rtpg_find_group(&e->rep, ans->own.group_id))
			continue;
		if (!best || e->when_ms > best->when_ms)
			best = e;
	}
	if (best)
		filled = tpg_answer_from_peer(ans, &best->rep,
					      (unsigned int)(now_ms -
							     best->when_ms));
	pthread_mutex_unlock(&peers_lock);
	return filled;
}

bool tpg_peers_outdated(const struct dev_key *self, const struct tpg_desc *own)
{
	const struct peer_entry *mine = NULL;
	bool outdated = false;

	pthread_mutex_lock(&peers_lock);
	for (size_t i = 0; i < peers_len && !mine; i++)
		if (key_eq(&peers[i].from, self))
			mine = &peers[i];
	for (size_t i = 0; mine && i < peers_len && !outdated; i++) {
		const struct peer_entry *e = &peers[i];
		const struct tpg_desc *d;

		if (e == mine || e->when_ms <= mine->when_ms ||
		    e->lu_len != mine->lu_len ||
		    memcmp(e->lu, mine->lu, mine->lu_len))
			continue;
		d = rtpg_find_group(&e->rep, own->group_id);
		outdated = d && (d->state != own->state ||
				 d->preferred != own->preferred);
	}
	pthread_mutex_unlock(&peers_lock);
	return outdated;
}

void tpg_peers_forget(const struct dev_key *from)
{
	pthread_mutex_lock(&peers_lock);
	for (size_t i = 0; i < peers_len; i++)
		if (key_eq(&peers[i].from, from)) {
			peers[i] = peers[--peers_len];
			break;
		}
	pthread_mutex_unlock(&peers_lock);
}

void tpg_peers_clear(void)
{
	pthread_mutex_lock(&peers_lock);
	free(peers);
	peers = NULL;
	peers_len = peers_cap = 0;
	pthread_mutex_unlock(&peers_lock);
}
