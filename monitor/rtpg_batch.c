// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pathwarden/replay.h"
#include "pathwarden/scsi.h"

#include "log.h"
#include "rtpg_batch.h"
#include "strutil.h"

/* ---- sources ---------------------------------------------------------- */

/* /dev/sgN for disk @dev (from /sys/block/DEV/device/scsi_generic/), in
 * @dir; false when it has none (sg not loaded) or the name is odd. */
static bool sg_node(const char *dir, const char *dev, char *path, size_t len)
{
	char sys[300];
	struct dirent *e;
	DIR *d;
	bool found = false;

	if (strchr(dev, '/') || dev[0] == '.')
		return false;
	if (snprintf(sys, sizeof(sys), "/sys/block/%s/device/scsi_generic",
		     dev) >= (int)sizeof(sys))
		return false;
	d = opendir(sys);
	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		if (!strncmp(e->d_name, "sg", 2) && e->d_name[2] &&
		    strspn(e->d_name + 2, "0123456789") == strlen(e->d_name + 2)) {
			found = snprintf(path, len, "%s/%s", dir,
					 e->d_name) < (int)len;
		}
	closedir(d);
	return found;
}

static enum tpg_result dev_query(struct rtpg_source *src, const char *dev,
				 unsigned int timeout_ms,
				 struct tpg_answer *ans,
				 struct rtpg_report *rep)
{
	char path[300];
	struct scsi_dev sd;
	struct tpg_identity id = { 0 };
	enum tpg_result r;
	int fd;

	/*
	 * The group id from what the kernel read at scan time, as the prio
	 * reads it: one command per path, and a group known even for a
	 * port that refuses INQUIRY (LIO while offline), which its peers'
	 * reports then judge.
	 */
	if (!strchr(dev, '/') && dev[0] != '.') {
		snprintf(path, sizeof(path), "/sys/block/%s/device", dev);
		if (tpg_identity_from_sysfs(path, &id) != TPG_OK)
			id = (struct tpg_identity){ 0 };
	}

	/*
	 * Through the disk's sg node when it has one: its asynchronous
	 * interface lets us stop waiting at the timeout, where SG_IO on the
	 * disk waits out the kernel's error handling of a hung target.
	 * O_NONBLOCK: opening must not wait for a dead path's queue.
	 */
	fd = sg_node(src->dir, dev, path, sizeof(path)) ?
	     open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd >= 0) {
		scsi_dev_init_sg(&sd, fd);
	} else {
		snprintf(path, sizeof(path), "%s/%s", src->dir, dev);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			memset(ans, 0, sizeof(*ans));
			ans->result = TPG_OS_ERROR;
			return ans->result;
		}
		scsi_dev_init_fd(&sd, fd);
	}
	r = tpg_query(&sd, timeout_ms, &id, ans, rep);
	close(fd);
	return r;
}

static enum tpg_result dev_identity(struct rtpg_source *src, const char *dev,
				    struct tpg_identity *id)
{
	char path[300];

	(void)src;
	memset(id, 0, sizeof(*id));
	if (strchr(dev, '/') || dev[0] == '.')
		return TPG_OS_ERROR;
	snprintf(path, sizeof(path), "/sys/block/%s/device", dev);
	return tpg_identity_from_sysfs(path, id);
}

static enum tpg_result replay_query(struct rtpg_source *src, const char *dev,
				    unsigned int timeout_ms,
				    struct tpg_answer *ans,
				    struct rtpg_report *rep)
{
	char path[300], err[128];
	struct scsi_dev sd = { 0 };
	struct tpg_identity id = { 0 };
	struct replay_dev *rd;
	enum tpg_result r;

	snprintf(path, sizeof(path), "%s/%s.replay", src->dir, dev);
	rd = replay_load(path, err, sizeof(err));
	if (!rd) {
		memset(ans, 0, sizeof(*ans));
		ans->result = TPG_OS_ERROR;
		if (errno != ENOENT)
			log_warn("%s: %s", path, err);
		return ans->result;
	}
	sd.fd = -1;
	replay_attach(&sd, rd);
	r = tpg_query(&sd, timeout_ms, &id, ans, rep);
	replay_free(rd);
	return r;
}

/* The script's INQUIRY and VPD 0x83: commands to a file, not a target. */
static enum tpg_result replay_identity(struct rtpg_source *src,
				       const char *dev, struct tpg_identity *id)
{
	char path[300], err[128];
	struct scsi_dev sd = { 0 };
	struct tpg_answer ans;
	struct replay_dev *rd;
	enum tpg_result r;

	memset(id, 0, sizeof(*id));
	snprintf(path, sizeof(path), "%s/%s.replay", src->dir, dev);
	rd = replay_load(path, err, sizeof(err));
	if (!rd)
		return TPG_OS_ERROR;
	sd.fd = -1;
	replay_attach(&sd, rd);
	memset(&ans, 0, sizeof(ans));
	r = tpg_read_identity(&sd, 1000, id, &ans);
	replay_free(rd);
	return r;
}

void rtpg_source_dev(struct rtpg_source *s)
{
	memset(s, 0, sizeof(*s));
	s->query = dev_query;
	s->identity = dev_identity;
	snprintf(s->dir, sizeof(s->dir), "/dev");
}

void rtpg_source_replay(struct rtpg_source *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
	s->query = replay_query;
	s->identity = replay_identity;
	str_copy(s->dir, sizeof(s->dir), dir);
}

/* ---- the batch ---------------------------------------------------------- */

bool rtpg_batch_add(struct rtpg_batch *b, const char *map, const char *dev)
{
	return rtpg_batch_add_on(b, map, dev, NULL);
}

bool rtpg_batch_add_on(struct rtpg_batch *b, const char *map, const char *dev,
		       const char *node)
{
	struct rtpg_item *it;

	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;

		it = reallocarray(b->items, cap, sizeof(*it));
		if (!it)
			return false;
		b->items = it;
		b->cap = cap;
	}
	it = &b->items[b->n];
	memset(it, 0, sizeof(*it));
	str_copy(it->map, sizeof(it->map), map);
	str_copy(it->dev, sizeof(it->dev), dev);
	if (node && node[0]) {
		str_copy(it->node, sizeof(it->node), node);
		for (size_t i = 0; i < b->n && !it->lead; i++)
			if (!b->items[i].lead &&
			    !strcmp(b->items[i].node, it->node) &&
			    !strcmp(b->items[i].map, it->map))
				it->lead = i + 1;
	}
	b->n++;
	return true;
}

/*
 * Up to RTPG_THREADS threads take the next item until none is left.  The
 * sources allow it: each query opens its own node or replay script and
 * keeps nothing between calls.
 */
#define RTPG_THREADS 16

struct batch_run {
	struct rtpg_batch *b;
	struct rtpg_source *src;
	unsigned int timeout_ms;
	bool followers;		/* this round: the followers that must ask
				 * themselves, else every item without a lead */
	size_t next;		/* the next item to look at; atomic */
	void (*notify)(void *);	/* each lead's answer as it comes */
	void *arg;
};

static void follow(struct rtpg_item *it, const struct rtpg_item *lead,
		   struct rtpg_source *src);

static void set_ready(struct rtpg_item *it)
{
	__atomic_store_n(&it->ready, true, __ATOMIC_RELEASE);
}

/*
 * Lead @i has its answer: its followers take theirs now (only this worker
 * writes them in this round) and, when it is a report, the lead and the
 * followers that took it are ready: nothing changes them later.  A
 * failed answer may still be judged by a peer's report at the batch's
 * end (rtpg_batch_peers), and a follower that must ask for itself asks
 * in the round after: neither is ready before the end.
 */
static void publish(struct batch_run *r, size_t i)
{
	struct rtpg_item *lead = &r->b->items[i];

	for (size_t k = 0; k < r->b->n; k++) {
		struct rtpg_item *f = &r->b->items[k];

		if (f->lead != i + 1)
			continue;
		follow(f, lead, r->src);
		if (f->followed && f->done && f->ans.result == TPG_OK)
			set_ready(f);
	}
	if (lead->ans.result == TPG_OK)
		set_ready(lead);
	r->notify(r->arg);
}

static bool in_round(const struct batch_run *r, const struct rtpg_item *it)
{
	return r->followers ? it->lead && !it->followed : !it->lead;
}

static void *rtpg_worker(void *arg)
{
	struct batch_run *r = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) <
	       r->b->n) {
		struct rtpg_item *it = &r->b->items[i];

		if (!in_round(r, it))
			continue;
		r->src->query(r->src, it->dev, r->timeout_ms, &it->ans,
			      &it->rep);
		it->done = true;
		if (r->notify && !r->followers)
			publish(r, i);
	}
	return NULL;
}

/*
 * A path whose own RTPG failed is judged by what another path of the same
 * map (one LU) reported of its group in the same batch: both storage
 * nodes report both groups, so the truth is one path away.
 */
static void rtpg_batch_peers(struct rtpg_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct rtpg_item *p = &b->items[i];

		for (size_t j = 0; j < b->n && tpg_answer_wants_peer(&p->ans);
		     j++) {
			const struct rtpg_item *q = &b->items[j];

			if (j != i && !strcmp(q->map, p->map) &&
			    q->ans.result == TPG_OK &&
			    tpg_answer_from_peer(&p->ans, &q->rep, 0))
				break;
		}
	}
}

/* Ask the items of one round of @b, up to RTPG_THREADS at a time. */
static void ask_round(struct rtpg_batch *b, struct rtpg_source *src,
		      unsigned int timeout_ms, bool followers,
		      void (*notify)(void *), void *arg)
{
	struct batch_run r = { .b = b, .src = src, .timeout_ms = timeout_ms,
			       .followers = followers, .notify = notify,
			       .arg = arg };
	pthread_t t[RTPG_THREADS - 1];
	sigset_t all, old;
	size_t nt = 0, n = 0;

	for (size_t i = 0; i < b->n; i++)
		n += in_round(&r, &b->items[i]);
	if (!n)
		return;
	/* The workers take no signal: the daemon reads its own through a
	 * signalfd, and a CLI's SIGINT must reach the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (nt < RTPG_THREADS - 1 && nt + 1 < n &&
	       !pthread_create(&t[nt], NULL, rtpg_worker, &r))
		nt++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* The caller works too, alone when no thread could be started. */
	rtpg_worker(&r);
	while (nt)
		pthread_join(t[--nt], NULL);
}

/*
 * A follower's answer from its lead's report: its own group there, by the
 * group id the kernel read at scan time, when that is the lead's own
 * group (a node's report of its own group is the one to trust; a path
 * of another group, or of a node the configuration got wrong, asks
 * itself).  A lead that timed out leaves its followers unasked (done
 * false: the kernel's access_state and multipathd judge them): asking
 * them would cost the batch a second timeout when a node is silently
 * gone, and taking the lead's timeout would call a path down that may
 * serve (one hung portal).  Not followed, so that the follower asks
 * itself, when the lead failed otherwise (a refusal, a sense, a dropped
 * connection come back at once), or the follower's group is not known
 * or not the lead's.
 */
static void follow(struct rtpg_item *it, const struct rtpg_item *lead,
		   struct rtpg_source *src)
{
	struct tpg_identity id;

	if (lead->done && lead->ans.result == TPG_TIMEOUT) {
		it->followed = true;
		return;
	}
	if (!lead->done || lead->ans.result != TPG_OK ||
	    !lead->ans.group_known || !src->identity ||
	    src->identity(src, it->dev, &id) != TPG_OK || !id.valid ||
	    id.group_id != lead->ans.own.group_id)
		return;
	memset(&it->ans, 0, sizeof(it->ans));
	it->ans.result = TPG_OK;
	it->ans.own = lead->ans.own;
	it->ans.group_known = true;
	it->ans.implicit_transition_s = lead->rep.implicit_transition_s;
	it->ans.outcome = lead->ans.outcome;
	it->ans.from_peer = true;
	it->rep = lead->rep;
	it->followed = true;
	it->done = true;
}

void rtpg_batch_ask_notify(struct rtpg_batch *b, struct rtpg_source *src,
			   unsigned int timeout_ms, void (*notify)(void *),
			   void *arg)
{
	ask_round(b, src, timeout_ms, false, notify, arg);
	for (size_t i = 0; i < b->n; i++) {
		struct rtpg_item *it = &b->items[i];

		/* followed already when told as their leads came */
		if (it->lead && !(notify && it->followed))
			follow(it, &b->items[it->lead - 1], src);
	}
	ask_round(b, src, timeout_ms, true, NULL, NULL);
	rtpg_batch_peers(b);
	for (size_t i = 0; i < b->n && notify; i++)
		set_ready(&b->items[i]);
}

void rtpg_batch_ask(struct rtpg_batch *b, struct rtpg_source *src,
		    unsigned int timeout_ms)
{
	rtpg_batch_ask_notify(b, src, timeout_ms, NULL, NULL);
}

const struct rtpg_item *rtpg_batch_find(const struct rtpg_batch *b,
					const char *map, const char *dev)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->items[i].dev, dev) &&
		    !strcmp(b->items[i].map, map))
			return &b->items[i];
	return NULL;
}

bool rtpg_batch_awaits_promotion(const struct rtpg_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct rtpg_item *it = &b->items[i];

		if (!it->done || it->ans.result != TPG_OK ||
		    !it->ans.group_known ||
		    it->ans.own.state != ALUA_ACTIVE_NONOPTIMIZED)
			return false;
	}
	return b->n > 0;
}

void rtpg_batch_free(struct rtpg_batch *b)
{
	free(b->items);
	memset(b, 0, sizeof(*b));
}
