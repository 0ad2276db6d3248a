/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One path's asynchronous RTPG check.  See async_check.h for the contract;
 * the rules that keep multipathd safe:
 *  - at most one worker per path, so a target that never answers costs one
 *    blocked thread, not one per tick;
 *  - an answer that arrives after its deadline is thrown away, never
 *    reported as the path's current state;
 *  - the worker holds a reference, so freeing the checker while a worker
 *    sits in SG_IO is safe.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdio.h>
#include <sys/sysmacros.h>

#include "pathwarden/async_check.h"
#include "pathwarden/tpg_cache.h"
#include "pathwarden/tpg_peers.h"

/*
 * The kernel's SG_IO timeout equals the checker timeout; allow it this long
 * to hand back its own timeout before we report one.
 */
#define DEADLINE_SLACK_MS 1000

struct async_check {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	int refs;
	bool running;		/* a worker is in flight */
	bool done;		/* an answer waits to be collected */
	uint64_t deadline_ms;
	uint64_t finished_ms;
	int fd;
	unsigned int timeout_ms;
	bool have_key;
	struct dev_key key;
	struct tpg_identity id;
	struct tpg_answer ans;
	const struct scsi_backend *backend;
	void *priv;
	size_t extra_len;
	_Alignas(max_align_t) unsigned char extra[];
};

struct async_check *async_check_new(size_t extra)
{
	struct async_check *ac = calloc(1, sizeof(*ac) + extra);
	pthread_condattr_t attr;

	if (!ac)
		return NULL;
	pthread_mutex_init(&ac->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ac->done_cv, &attr);
	pthread_condattr_destroy(&attr);
	ac->refs = 1;
	ac->fd = -1;
	ac->backend = &scsi_sgpt_backend;
	ac->extra_len = extra;
	return ac;
}

void *async_check_extra(struct async_check *ac)
{
	return ac->extra;
}

struct async_check *async_check_from_extra(void *extra)
{
	return (struct async_check *)((char *)extra -
				      offsetof(struct async_check, extra));
}

void async_check_set_backend(struct async_check *ac,
			     const struct scsi_backend *backend, void *priv)
{
	pthread_mutex_lock(&ac->lock);
	ac->backend = backend;
	ac->priv = priv;
	pthread_mutex_unlock(&ac->lock);
}

static void destroy(struct async_check *ac)
{
	pthread_mutex_destroy(&ac->lock);
	pthread_cond_destroy(&ac->done_cv);
	free(ac);
}

/* Called with the lock held; unlocks, and frees on the last reference. */
static void unref_unlock(struct async_check *ac)
{
	int left = --ac->refs;

	pthread_mutex_unlock(&ac->lock);
	if (left == 0)
		destroy(ac);
}

void async_check_put(struct async_check *ac)
{
	if (!ac)
		return;
	pthread_mutex_lock(&ac->lock);
	if (ac->have_key) {
		tpg_cache_forget(&ac->key);
		tpg_peers_forget(&ac->key);
	}
	unref_unlock(ac);
}


static void timeout_answer(struct tpg_answer *ans)
{
	memset(ans, 0, sizeof(*ans));
	ans->result = TPG_TIMEOUT;
	ans->outcome = SCSI_TIMEOUT;
}

/* Called with the lock held. */
static enum async_poll collect_locked(struct async_check *ac, uint64_t now,
				      struct tpg_answer *ans)
{
	if (ac->running) {
		if (now > ac->deadline_ms) {
			timeout_answer(ans);
			return ASYNC_TIMED_OUT;
		}
		return ASYNC_RUNNING;
	}
	if (ac->done && ac->finished_ms <= ac->deadline_ms) {
		*ans = ac->ans;
		ac->done = false;
		return ASYNC_DONE;
	}
	return ASYNC_IDLE;
}

enum async_poll async_check_collect(struct async_check *ac,
				    struct tpg_answer *ans)
{
	enum async_poll res;

	pthread_mutex_lock(&ac->lock);
	res = collect_locked(ac, tpg_cache_now_ms(), ans);
	pthread_mutex_unlock(&ac->lock);
	return res;
}

bool async_check_outstanding(struct async_check *ac)
{
	bool busy;

	pthread_mutex_lock(&ac->lock);
	busy = ac->running || (ac->done && ac->finished_ms <= ac->deadline_ms);
	pthread_mutex_unlock(&ac->lock);
	return busy;
}

enum async_poll async_check_poll(struct async_check *ac, int fd,
				 unsigned int timeout_ms,
				 struct tpg_answer *ans)
{
	uint64_t now = tpg_cache_now_ms();
	enum async_poll res;
	struct dev_key key;
	bool have_key = dev_key_from_fd(fd, &key);

	pthread_mutex_lock(&ac->lock);
	res = collect_locked(ac, now, ans);
	if (res == ASYNC_IDLE) {
		/* nothing pending, or only a late answer: start afresh */
		if (fd != ac->fd || !have_key || !ac->have_key ||
		    memcmp(&key, &ac->key, sizeof(key)))
			ac->id.valid = false;	/* another device: re-read */
		ac->done = false;
		ac->running = true;
		ac->refs++;		/* the worker's */
		ac->fd = fd;
		ac->timeout_ms = timeout_ms;
		ac->deadline_ms = now + timeout_ms + DEADLINE_SLACK_MS;
		ac->have_key = have_key;
		ac->key = key;
		if (have_key)
			tpg_cache_set_busy(&key, true, now);
		res = ASYNC_START;
	}
	pthread_mutex_unlock(&ac->lock);
	return res;
}

void async_check_start_failed(struct async_check *ac)
{
	pthread_mutex_lock(&ac->lock);
	ac->running = false;
	if (ac->have_key)
		tpg_cache_set_busy(&ac->key, false, tpg_cache_now_ms());
	unref_unlock(ac);
}

enum async_poll async_check_wait(struct async_check *ac, unsigned int wait_ms,
				 struct tpg_answer *ans)
{
	struct timespec until;
	enum async_poll res = ASYNC_RUNNING;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ac->lock);
	while (ac->running) {
		if (pthread_cond_timedwait(&ac->done_cv, &ac->lock, &until) ==
		    ETIMEDOUT)
			break;
	}
	if (!ac->running && ac->done && ac->finished_ms <= ac->deadline_ms) {
		*ans = ac->ans;
		ac->done = false;
		res = ASYNC_DONE;
	}
	pthread_mutex_unlock(&ac->lock);
	return res;
}

/*
 * The identity the kernel read at scan time, when the device has a sysfs
 * directory: no INQUIRY or VPD 0x83 of our own, and a group id even for
 * a port that refuses every command (LIO while offline).
 */
static void identity_from_kernel(const struct dev_key *key,
				 struct tpg_identity *id)
{
	char dir[64];

	if (!major(key->rdev) && !minor(key->rdev))
		return;
	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u/device",
		 major(key->rdev), minor(key->rdev));
	if (tpg_identity_from_sysfs(dir, id) != TPG_OK)
		*id = (struct tpg_identity){ 0 };	/* ask the device */
}

/*
 * One RTPG and what follows from it: the identity read first when it is
 * not known, a good report shared with the LU's other paths, a failed one
 * judged by what the others last said of its group.
 */
static void query_and_share(struct scsi_dev *dev, unsigned int timeout_ms,
			    const struct dev_key *key, bool have_key,
			    struct tpg_identity *id, struct tpg_answer *ans)
{
	/* on the heap: 0.15's runner stacks are 16 KiB */
	struct rtpg_report *rep = malloc(sizeof(*rep));
	uint64_t now;

	if (!rep) {
		memset(ans, 0, sizeof(*ans));
		ans->result = TPG_NO_MEMORY;
		return;
	}
	if (!id->valid && have_key)
		identity_from_kernel(key, id);
	tpg_query(dev, timeout_ms, id, ans, rep);
	if (have_key) {
		now = tpg_cache_now_ms();
		if (ans->result == TPG_OK && rep->n_groups) {
			tpg_peers_store(id, key, rep, now);
		} else if (ans->result != TPG_OK) {
			tpg_peers_forget(key);
			tpg_peers_fill(id, key, now, TPG_PEERS_MAX_AGE_MS,
				       ans);
		}
	}
	free(rep);
}

static void run_query(struct async_check *ac, struct tpg_answer *ans)
{
	struct scsi_dev dev;
	struct tpg_identity id;
	struct dev_key key;
	bool have_key;
	unsigned int timeout_ms;

	pthread_mutex_lock(&ac->lock);
	dev.backend = ac->backend;
	dev.priv = ac->priv;
	dev.fd = ac->fd;
	id = ac->id;
	timeout_ms = ac->timeout_ms;
	have_key = ac->have_key;
	key = ac->key;
	pthread_mutex_unlock(&ac->lock);

	query_and_share(&dev, timeout_ms, &key, have_key, &id, ans);

	pthread_mutex_lock(&ac->lock);
	ac->id = id;
	pthread_mutex_unlock(&ac->lock);
}

void path_check_once(struct path_check_state *st, int fd,
		     unsigned int timeout_ms, struct tpg_answer *ans)
{
	struct dev_key key;
	bool have_key = dev_key_from_fd(fd, &key);
	struct scsi_dev dev;
	uint64_t start, now;

	if (!have_key || !st->have_key || memcmp(&key, &st->key, sizeof(key)))
		st->id.valid = false;	/* another device: re-read */
	st->have_key = have_key;
	st->key = key;
	/*
	 * multipath-tools 0.15 starts a new runner after a timed-out one
	 * without waiting for it: against a target that never answers,
	 * one RTPG blocked in SG_IO is enough.
	 */
	if (have_key && !tpg_cache_claim(&key, tpg_cache_now_ms())) {
		timeout_answer(ans);
		return;
	}
	start = tpg_cache_now_ms();
	scsi_dev_init_fd(&dev, fd);
	query_and_share(&dev, timeout_ms, &key, have_key, &st->id, ans);
	if (!have_key)
		return;
	/* as async_check_work(): a late answer serves no prio */
	now = tpg_cache_now_ms();
	if (now - start <= timeout_ms + DEADLINE_SLACK_MS)
		tpg_cache_store(&key, ans, now);
	else
		tpg_cache_set_busy(&key, false, now);
}

void async_check_work(struct async_check *ac)
{
	struct tpg_answer ans;
	uint64_t now;

	run_query(ac, &ans);
	now = tpg_cache_now_ms();

	pthread_mutex_lock(&ac->lock);
	ac->ans = ans;
	ac->finished_ms = now;
	ac->done = true;
	ac->running = false;
	if (ac->have_key && now <= ac->deadline_ms)
		tpg_cache_store(&ac->key, &ans, now);
	else if (ac->have_key)
		tpg_cache_set_busy(&ac->key, false, now); /* too late to serve */
	pthread_cond_broadcast(&ac->done_cv);
	unref_unlock(ac);
}

void async_check_sync(struct async_check *ac, int fd, unsigned int timeout_ms,
		      struct tpg_answer *ans)
{
	struct dev_key key;
	bool have_key = dev_key_from_fd(fd, &key);

	pthread_mutex_lock(&ac->lock);
	if (ac->running) {
		/* an async worker is stuck on this path: do not add to it */
		pthread_mutex_unlock(&ac->lock);
		timeout_answer(ans);
		return;
	}
	if (fd != ac->fd || !have_key || !ac->have_key ||
	    memcmp(&key, &ac->key, sizeof(key)))
		ac->id.valid = false;
	ac->fd = fd;
	ac->timeout_ms = timeout_ms;
	ac->have_key = have_key;
	ac->key = key;
	pthread_mutex_unlock(&ac->lock);

	run_query(ac, ans);
	if (have_key)
		tpg_cache_store(&key, ans, tpg_cache_now_ms());
}
