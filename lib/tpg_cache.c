/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker's latest answer per device.  Both plugins link this library
 * dynamically, so inside multipathd there is one table that the checker
 * writes (from its worker thread) and the prioritizer reads (from the
 * checker loop).  A small open table: multipathd hosts thousands of paths
 * at most, and an entry is a few hundred bytes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "pathwarden/tpg_cache.h"

struct cache_entry {
	struct dev_key key;
	uint64_t when_ms;
	bool taken;		/* or no answer yet */
	bool busy;		/* the checker's RTPG is out */
	uint64_t busy_ms;	/* since then */
	struct tpg_answer ans;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry *cache;
static size_t cache_len, cache_cap;

bool dev_key_from_fd(int fd, struct dev_key *key)
{
	struct stat st;

	memset(key, 0, sizeof(*key));
	if (fd < 0 || fstat(fd, &st) != 0)
		return false;
	key->dev = st.st_dev;
	key->ino = st.st_ino;
	key->rdev = st.st_rdev;
	return true;
}

uint64_t tpg_cache_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static bool key_eq(const struct dev_key *a, const struct dev_key *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->rdev == b->rdev;
}

static struct cache_entry *find(const struct dev_key *key)
{
	for (size_t i = 0; i < cache_len; i++)
		if (key_eq(&cache[i].key, key))
			return &cache[i];
	return NULL;
}

/*
 * Entries of devices not checked for this long go when room is needed:
 * multipath-tools 0.15 has no free hook for an async checker, so removed
 * paths are never forgotten one by one.  Busy ones stay (a check is out).
 */
#define IDLE_DROP_MS (10 * 60 * 1000)

static void drop_idle(uint64_t now_ms)
{
	size_t kept = 0;

	for (size_t i = 0; i < cache_len; i++) {
		const struct cache_entry *e = &cache[i];
		uint64_t last = e->when_ms > e->busy_ms ? e->when_ms : e->busy_ms;

		if (e->busy || last >= now_ms || now_ms - last <= IDLE_DROP_MS)
			cache[kept++] = *e;
	}
	cache_len = kept;
}

/* Called with the lock held; NULL when there is no room. */
static struct cache_entry *find_or_add(const struct dev_key *key,
				       uint64_t now_ms)
{
	struct cache_entry *e = find(key);

	if (e)
		return e;
	if (cache_len == cache_cap)
		drop_idle(now_ms);
	if (cache_len == cache_cap) {
		size_t ncap = cache_cap ? cache_cap * 2 : 64;
		struct cache_entry *n = realloc(cache, ncap * sizeof(*n));

		if (!n)
			return NULL;
		cache = n;
		cache_cap = ncap;
	}
	e = &cache[cache_len++];
	memset(e, 0, sizeof(*e));
	e->key = *key;
	e->taken = true;
	return e;
}

void tpg_cache_store(const struct dev_key *key, const struct tpg_answer *ans,
		     uint64_t when_ms)
{
	struct cache_entry *e;

	pthread_mutex_lock(&cache_lock);
	e = find_or_add(key, when_ms);
	if (e) {		/* no room: the prio sends its own RTPG */
		e->when_ms = when_ms;
		e->taken = false;
		e->busy = false;
		e->ans = *ans;
	}
	pthread_mutex_unlock(&cache_lock);
}

void tpg_cache_set_busy(const struct dev_key *key, bool busy, uint64_t now_ms)
{
	struct cache_entry *e;

	pthread_mutex_lock(&cache_lock);
	/* clearing never adds: the entry may have been forgotten since */
	e = busy ? find_or_add(key, now_ms) : find(key);
	if (e) {
		e->busy = busy;
		e->busy_ms = now_ms;
	}
	pthread_mutex_unlock(&cache_lock);
}

bool tpg_cache_claim(const struct dev_key *key, uint64_t now_ms)
{
	struct cache_entry *e;
	bool claimed = false;

	pthread_mutex_lock(&cache_lock);
	e = find_or_add(key, now_ms);
	if (e && !e->busy) {
		e->busy = true;
		e->busy_ms = now_ms;
		claimed = true;
	}
	pthread_mutex_unlock(&cache_lock);
	return claimed;
}

bool tpg_cache_stuck(const struct dev_key *key, uint64_t now_ms,
		     unsigned int after_ms)
{
	struct cache_entry *e;
	bool stuck;

	pthread_mutex_lock(&cache_lock);
	e = find(key);
	stuck = e && e->busy && e->busy_ms <= now_ms &&
		now_ms - e->busy_ms >= after_ms;
	pthread_mutex_unlock(&cache_lock);
	return stuck;
}

bool tpg_cache_take(const struct dev_key *key, unsigned int max_age_ms,
		    uint64_t now_ms, struct tpg_answer *ans)
{
	struct cache_entry *e;
	bool hit = false;

	pthread_mutex_lock(&cache_lock);
	e = find(key);
	if (e && !e->taken && e->when_ms <= now_ms &&
	    now_ms - e->when_ms <= max_age_ms) {
		*ans = e->ans;
		e->taken = true;
		hit = true;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

void tpg_cache_forget(const struct dev_key *key)
{
	struct cache_entry *e;

	pthread_mutex_lock(&cache_lock);
	e = find(key);
	if (e)
		*e = cache[--cache_len];
	pthread_mutex_unlock(&cache_lock);
}

void tpg_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	free(cache);
	cache = NULL;
	cache_len = cache_cap = 0;
	pthread_mutex_unlock(&cache_lock);
}
