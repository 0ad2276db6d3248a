// SPDX-License-Identifier: GPL-2.0-or-later
/* Deciding when a transitioning group's parked I/O must move, and the two
 * sysfs files that move it.  See parked_io.h for why. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dm_status.h"
#include "log.h"
#include "mpath_client.h"
#include "parked_io.h"
#include "strutil.h"

/* scsi_dh_alua's spelling of the states that take I/O. */
static bool kernel_state_usable(const char *st)
{
	return !strcmp(st, "active/optimized") ||
	       !strcmp(st, "active/non-optimized") ||
	       !strcmp(st, "lba_dependent");
}

/* Whether answer @r still stands at @now_ms. */
static bool rtpg_fresh(const struct parked_io *pk, const struct parked_rtpg *r,
		       uint64_t now_ms)
{
	uint64_t fresh = pk->rtpg_timeout_ms + PARKED_LOOK_MS + 1000;

	if (fresh < PARKED_RTPG_FRESH_MS)
		fresh = PARKED_RTPG_FRESH_MS;
	return now_ms < r->at_ms || now_ms - r->at_ms <= fresh;
}

/* What the target last answered the daemon of @dev's group, when fresh. */
static const struct parked_rtpg *rtpg_of(const struct parked_io *pk,
					 const char *dev, uint64_t now_ms)
{
	if (!pk)
		return NULL;
	for (size_t i = 0; i < pk->n_rtpg; i++)
		if (!strcmp(pk->r[i].dev, dev))
			return rtpg_fresh(pk, &pk->r[i], now_ms) ? &pk->r[i]
								  : NULL;
	return NULL;
}

/* Forget the answers that no longer stand. */
static void drop_stale_rtpg(struct parked_io *pk, uint64_t now_ms)
{
	for (size_t i = 0; i < pk->n_rtpg;) {
		if (!rtpg_fresh(pk, &pk->r[i], now_ms))
			pk->r[i] = pk->r[--pk->n_rtpg];
		else
			i++;
	}
}

static bool disk_transitioning(const struct parked_io *pk,
			       const struct sd_dev *d, uint64_t now_ms)
{
	const struct parked_rtpg *r = rtpg_of(pk, d->name, now_ms);

	return r ? r->state == ALUA_TRANSITIONING
		 : !strcmp(d->access_state, "transitioning");
}

static bool disk_serving(const struct parked_io *pk,
			 const struct sysfs_snapshot *s,
			 const struct sd_dev *d, uint64_t now_ms)
{
	const struct parked_rtpg *r = rtpg_of(pk, d->name, now_ms);
	const struct iscsi_sess *sess;

	if (strcmp(d->state, "running") ||
	    !(r ? alua_state_usable(r->state)
		: kernel_state_usable(d->access_state)))
		return false;
	if (d->sid < 0)
		return true;
	sess = sysfs_find_sess(s, d->sid);
	return sess && !strcmp(sess->state, "LOGGED_IN");
}

bool parked_io_candidate(const struct parked_io *pk,
			 const struct sysfs_snapshot *s, size_t i,
			 uint64_t now_ms)
{
	const struct sd_dev *d = &s->sd[i];

	if (!disk_transitioning(pk, d, now_ms) || !d->holder[0] ||
	    !d->wwid[0])
		return false;
	for (size_t j = 0; j < s->n_sd; j++) {
		const struct sd_dev *o = &s->sd[j];

		if (j != i && !strcmp(o->holder, d->holder) &&
		    !strcmp(o->wwid, d->wwid) && disk_serving(pk, s, o, now_ms))
			return true;
	}
	return false;
}

void parked_io_note_rtpg(struct parked_io *pk, const char *dev, int state,
			 uint64_t asked_ms)
{
	struct parked_rtpg *r = NULL;

	for (size_t i = 0; i < pk->n_rtpg && !r; i++)
		if (!strcmp(pk->r[i].dev, dev))
			r = &pk->r[i];
	if (state < 0) {		/* nothing known: the kernel's word */
		if (r)
			*r = pk->r[--pk->n_rtpg];
		return;
	}
	if (!r && pk->n_rtpg == PARKED_RTPG_MAX)
		drop_stale_rtpg(pk, asked_ms);
	if (!r && pk->n_rtpg < PARKED_RTPG_MAX)
		r = &pk->r[pk->n_rtpg++];
	if (!r)
		return;
	str_copy(r->dev, sizeof(r->dev), dev);
	r->at_ms = asked_ms;
	r->state = (enum alua_state)state;
}

bool parked_io_wants_rtpg(const struct parked_io *pk,
			  const struct sysfs_snapshot *s, size_t i)
{
	const struct sd_dev *d = &s->sd[i];
	const struct iscsi_sess *sess;

	if (!d->holder[0])
		return false;
	if (d->sid >= 0) {
		sess = sysfs_find_sess(s, d->sid);
		if (!sess || strcmp(sess->state, "LOGGED_IN"))
			return false;
	}
	for (size_t k = 0; k < pk->n; k++)
		if (!strcmp(pk->d[k].holder, d->holder))
			return true;
	return false;
}

bool parked_io_rtpg_transition(const struct parked_io *pk, uint64_t now_ms)
{
	for (size_t i = 0; i < pk->n_rtpg; i++)
		if (pk->r[i].state == ALUA_TRANSITIONING &&
		    rtpg_fresh(pk, &pk->r[i], now_ms))
			return true;
	return false;
}

/* /sys/block/DEV/FILE under @root into @path; 0 or -errno. */
static int sysfs_path(char *path, size_t len, const char *root,
		      const char *dev, const char *file)
{
	if (!dev[0] || strchr(dev, '/') || dev[0] == '.')
		return -EINVAL;
	if (snprintf(path, len, "%s/sys/block/%s/%s", root ? root : "", dev,
		     file) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* The text of /sys/block/DEV/FILE under @root (read_file's), or NULL with
 * errno set. */
static char *sysfs_text(const char *root, const char *dev, const char *file)
{
	char path[512];
	int rc = sysfs_path(path, sizeof(path), root, dev, file);

	if (rc) {
		errno = -rc;
		return NULL;
	}
	return read_file(path, 4096);
}

int parked_io_inflight(const char *root, const char *dev)
{
	unsigned long r, w;
	char *t = sysfs_text(root, dev, "inflight");
	int rc;

	if (!t)
		return -errno;
	rc = sscanf(t, "%lu %lu", &r, &w) != 2 || r + w > 1000000 ?
	     -EINVAL : (int)(r + w);
	free(t);
	return rc;
}

int parked_io_completed(const char *root, const char *dev, uint64_t *done)
{
	unsigned long long f[17] = { 0 };
	char *t = sysfs_text(root, dev, "stat");
	int k;

	if (!t)
		return -errno;
	/* reads, ..., writes (5th), ...; discards (12th) and flushes (16th)
	 * since Linux 4.18 and 5.5 */
	k = sscanf(t, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
		   "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
		   &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10],
		   &f[11], &f[12], &f[13], &f[14], &f[15], &f[16]);
	free(t);
	if (k < 11)
		return -EINVAL;
	*done = f[0] + f[4] + f[11] + f[15];
	return 0;
}

int parked_io_set_state(const char *root, const char *dev, bool running)
{
	const char *word = running ? "running\n" : "offline\n";
	char path[512];
	ssize_t n;
	int rc = sysfs_path(path, sizeof(path), root, dev, "device/state"), fd;

	if (rc)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, word, strlen(word));
	rc = n < 0 ? -errno : (size_t)n == strlen(word) ? 0 : -EIO;
	close(fd);
	return rc;
}

/*
 * Setting a disk running again makes the kernel rescan it (store_state_field
 * -> scsi_rescan_device), and the rescan's READ CAPACITY meets the same
 * NOT READY 04/0A: the write returns only when the transition ends.  The
 * state itself is set before the rescan, so the write runs in a thread of
 * its own and the loop goes on (in the lab it held the loop for 67 s).
 */
struct state_job {
	char root[256];
	char dev[32];
	bool running;
	int rc;
};

static void *state_worker(void *arg)
{
	struct state_job *j = arg;

	j->rc = parked_io_set_state(j->root, j->dev, j->running);
	if (j->rc)
		log_warn("%s: cannot set it %s: %s", j->dev,
			 j->running ? "running" : "offline", strerror(-j->rc));
	free(j);
	return NULL;
}

/* 0, or -errno when no thread could be started (the write is then made
 * here, and may wait). */
static int set_state_off_loop(const char *root, const char *dev, bool running,
			      pthread_t *tid)
{
	struct state_job *j = calloc(1, sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	if (!j)
		return parked_io_set_state(root, dev, running);
	str_copy(j->root, sizeof(j->root), root ? root : "");
	str_copy(j->dev, sizeof(j->dev), dev);
	j->running = running;
	pthread_attr_init(&attr);
	if (!tid)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, state_worker, j);
	pthread_attr_destroy(&attr);
	if (rc) {
		free(j);
		return parked_io_set_state(root, dev, running);
	}
	if (tid)
		*tid = t;
	return 0;
}

static struct parked_dev *find(struct parked_io *pk, const char *dev,
			       bool add)
{
	for (size_t i = 0; i < pk->n; i++)
		if (!strcmp(pk->d[i].dev, dev))
			return &pk->d[i];
	if (!add || pk->n == PARKED_MAX)
		return NULL;
	memset(&pk->d[pk->n], 0, sizeof(pk->d[0]));
	str_copy(pk->d[pk->n].dev, sizeof(pk->d[0].dev), dev);
	return &pk->d[pk->n++];
}

static bool any_offline(const struct parked_io *pk)
{
	for (size_t i = 0; i < pk->n; i++)
		if (pk->d[i].offline_since_ms)
			return true;
	return false;
}

/* Forget the disks this view did not name as candidates (an offline one
 * stays until it is running again). */
static void prune(struct parked_io *pk, uint64_t now_ms)
{
	for (size_t i = 0; i < pk->n;) {
		if (pk->d[i].seen_ms != now_ms && !pk->d[i].offline_since_ms)
			pk->d[i] = pk->d[--pk->n];
		else
			i++;
	}
	for (size_t i = 0; i < pk->n_maps;) {
		if (pk->m[i].look_ms != now_ms)
			pk->m[i] = pk->m[--pk->n_maps];
		else
			i++;
	}
	drop_stale_rtpg(pk, now_ms);
}

/* Whether dm queues the I/O of map @holder (dm-N) in its own queue. */
static bool dm_queueing(struct parked_io *pk, const char *holder)
{
	struct dm_mpath_status st;
	char err[64], *line, *name = sysfs_text(pk->root, holder, "dm/name");
	bool q = false;

	if (!name)
		return false;
	name[strcspn(name, "\n")] = '\0';
	line = dm_status_get(name, pk->dm_capture_dir);
	if (line && dm_status_parse(line, &st, err, sizeof(err)))
		q = st.queueing;
	free(line);
	free(name);
	return q;
}

/* Map @holder as this view sees it: sampled at its first candidate disk,
 * shared by the others.  NULL when the table is full. */
static struct parked_map *map_look(struct parked_io *pk, const char *holder,
				   uint64_t now_ms)
{
	struct parked_map *pm = NULL;
	uint64_t done = 0;

	for (size_t i = 0; i < pk->n_maps && !pm; i++)
		if (!strcmp(pk->m[i].holder, holder))
			pm = &pk->m[i];
	if (!pm) {
		if (pk->n_maps == PARKED_MAX)
			return NULL;
		pm = &pk->m[pk->n_maps++];
		memset(pm, 0, sizeof(*pm));
		str_copy(pm->holder, sizeof(pm->holder), holder);
	}
	if (pm->look_ms == now_ms && pm->done_ms)
		return pm;
	pm->look_ms = now_ms;
	pm->inflight = parked_io_inflight(pk->root, holder);
	if (!dm_queueing(pk, holder))
		pm->queued_ms = 0;
	else if (!pm->queued_ms)
		pm->queued_ms = now_ms;
	if (parked_io_completed(pk->root, holder, &done) ||
	    pm->inflight <= 0 || done != pm->done || !pm->done_ms) {
		pm->done = done;
		pm->done_ms = now_ms;
	}
	return pm;
}

/* The map is held (PARKED_STUCK_MS): requests in flight and none
 * completing, or dm queueing its I/O. */
static bool map_held(const struct parked_map *pm, uint64_t now_ms)
{
	return (pm->inflight > 0 && now_ms - pm->done_ms >= PARKED_STUCK_MS) ||
	       (pm->queued_ms && now_ms - pm->queued_ms >= PARKED_STUCK_MS);
}

/* Whether candidate @pd of map @pm is to go offline now. */
static bool bounce_due(struct parked_dev *pd, const struct parked_map *pm,
		       uint64_t now_ms)
{
	if (pd->offline_since_ms)
		return false;
	/* Nothing in flight on the map and nothing in dm's queue: nothing
	 * can be parked.  dm queues what it sent to the group when the
	 * group's activation (scsi_dh_alua) meets the transition: nothing
	 * is counted in flight then, and the activation lasts as long as
	 * the transition. */
	if (!pd->bounces)
		return now_ms - pd->trans_since_ms >= PARKED_GRACE_MS &&
		       (pm->inflight > 0 || pm->queued_ms);
	if (!map_held(pm, now_ms) || now_ms - pd->running_ms < PARKED_STUCK_MS)
		return false;
	if (pd->bounces == PARKED_MAX_BOUNCES) {
		pd->bounces++;
		log_warn("%s (%s): I/O still held after %u times offline; "
			 "left to the transition", pd->dev, pm->holder,
			 PARKED_MAX_BOUNCES);
	}
	return pd->bounces < PARKED_MAX_BOUNCES;
}

static unsigned int next_look(const struct parked_io *pk)
{
	if (any_offline(pk))
		return PARKED_TICK_MS;
	return pk->n ? PARKED_LOOK_MS : 0;
}

unsigned int parked_io_review(struct parked_io *pk,
			      const struct sysfs_snapshot *s, uint64_t now_ms)
{
	for (size_t i = 0; i < s->n_sd; i++) {
		const char *dev = s->sd[i].name, *holder = s->sd[i].holder;
		char why[96];
		struct parked_dev *pd;
		struct parked_map *pm;
		int rc;

		if (!parked_io_candidate(pk, s, i, now_ms)) {
			if (disk_transitioning(pk, &s->sd[i], now_ms))
				log_debug("%s: transitioning; no other group "
					  "of %s serves", dev,
					  holder[0] ? holder : "its map");
			continue;
		}
		pd = find(pk, dev, true);
		pm = map_look(pk, holder, now_ms);
		if (!pd || !pm)
			continue;
		if (!pd->seen_ms)
			pd->trans_since_ms = now_ms;
		pd->seen_ms = now_ms;
		str_copy(pd->holder, sizeof(pd->holder), holder);
		if (!bounce_due(pd, pm, now_ms))
			continue;
		rc = parked_io_set_state(pk->root, dev, false);
		pd->bounces++;
		if (rc) {
			log_warn("%s (%s): cannot take it offline to move I/O "
				 "parked on it: %s", dev, holder,
				 strerror(-rc));
			continue;
		}
		pd->offline_since_ms = now_ms;
		if (strcmp(s->sd[i].access_state, "transitioning"))
			snprintf(why, sizeof(why), " (the target says so; the "
				 "kernel still says %s)",
				 s->sd[i].access_state[0] ? s->sd[i].access_state
							  : "nothing");
		else
			why[0] = '\0';
		/* an activation ends only when one of its RTPGs fails */
		pd->offline_ms = pd->bounces == 1 && !pm->queued_ms
					 ? PARKED_OFFLINE_MS
					 : PARKED_REOFFLINE_MS;
		if (pd->bounces == 1)
			log_info("%s (%s): its group has been in transition "
				 "for %llu ms while another group serves: disk "
				 "offline for %u ms so that I/O %s fails over%s",
				 dev, holder,
				 (unsigned long long)(now_ms -
						      pd->trans_since_ms),
				 pd->offline_ms,
				 pm->queued_ms ? "dm queues for it"
					       : "parked on it", why);
		else
			log_info("%s (%s): I/O held again %llu ms into the "
				 "transition (%s): disk offline for %u ms",
				 dev, holder,
				 (unsigned long long)(now_ms -
						      pd->trans_since_ms),
				 pm->queued_ms ? "dm queues it"
					       : "none completes",
				 pd->offline_ms);
	}
	prune(pk, now_ms);
	return next_look(pk);
}

bool parked_io_tick(struct parked_io *pk, uint64_t now_ms)
{
	for (size_t i = 0; i < pk->n; i++) {
		struct parked_dev *pd = &pk->d[i];
		int rc;

		if (!pd->offline_since_ms ||
		    now_ms - pd->offline_since_ms < pd->offline_ms)
			continue;
		rc = set_state_off_loop(pk->root, pd->dev, true, NULL);
		if (rc) {
			log_warn("%s: cannot set it running again: %s",
				 pd->dev, strerror(-rc));
			if (now_ms - pd->offline_since_ms <
			    10 * PARKED_OFFLINE_MS)
				continue;	/* try again, then give up */
		} else {
			log_info("%s: running again", pd->dev);
		}
		pd->offline_since_ms = 0;
		pd->running_ms = now_ms;
	}
	return any_offline(pk);
}

bool parked_io_watching(const struct parked_io *pk)
{
	return pk->n > 0;
}

void parked_io_release(struct parked_io *pk)
{
	pthread_t tid[PARKED_MAX];
	size_t n = 0;

	for (size_t i = 0; i < pk->n; i++)
		if (pk->d[i].offline_since_ms &&
		    !set_state_off_loop(pk->root, pk->d[i].dev, true, &tid[n]))
			n++;
	/* The state is set before the rescan that may hold the write: two
	 * seconds is plenty, and exiting does not wait for the rescan. */
	for (size_t i = 0; i < n; i++) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 2;
		if (pthread_timedjoin_np(tid[i], NULL, &until))
			pthread_detach(tid[i]);
	}
	pk->n = 0;
	pk->n_maps = 0;
}
