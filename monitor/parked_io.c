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
#include "parked_io.h"
#include "strutil.h"

/* scsi_dh_alua's spelling of the states that take I/O. */
static bool kernel_state_usable(const char *st)
{
	return !strcmp(st, "active/optimized") ||
	       !strcmp(st, "active/non-optimized") ||
	       !strcmp(st, "lba_dependent");
}

static bool disk_serving(const struct sysfs_snapshot *s,
			 const struct sd_dev *d)
{
	const struct iscsi_sess *sess;

	if (strcmp(d->state, "running") || !kernel_state_usable(d->access_state))
		return false;
	if (d->sid < 0)
		return true;
	sess = sysfs_find_sess(s, d->sid);
	return sess && !strcmp(sess->state, "LOGGED_IN");
}

bool parked_io_candidate(const struct sysfs_snapshot *s, size_t i)
{
	const struct sd_dev *d = &s->sd[i];

	if (strcmp(d->access_state, "transitioning") || !d->holder[0] ||
	    !d->wwid[0])
		return false;
	for (size_t j = 0; j < s->n_sd; j++) {
		const struct sd_dev *o = &s->sd[j];

		if (j != i && !strcmp(o->holder, d->holder) &&
		    !strcmp(o->wwid, d->wwid) && disk_serving(s, o))
			return true;
	}
	return false;
}

/* Open /sys/block/DEV/FILE under @root; the fd, or -errno. */
static int sysfs_open(const char *root, const char *dev, const char *file,
		      int flags)
{
	char path[512];
	int fd;

	if (!dev[0] || strchr(dev, '/') || dev[0] == '.')
		return -EINVAL;
	if (snprintf(path, sizeof(path), "%s/sys/block/%s/%s", root, dev,
		     file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int parked_io_inflight(const char *root, const char *dev)
{
	char buf[64];
	unsigned long r, w;
	ssize_t n;
	int fd = sysfs_open(root, dev, "inflight", O_RDONLY);

	if (fd < 0)
		return fd;
	n = read(fd, buf, sizeof(buf) - 1);
	n = n < 0 ? -errno : n;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lu", &r, &w) != 2 || r + w > 1000000)
		return -EINVAL;
	return (int)(r + w);
}

int parked_io_completed(const char *root, const char *dev, uint64_t *done)
{
	char buf[512];
	unsigned long long f[17] = { 0 };
	ssize_t n;
	int k, fd = sysfs_open(root, dev, "stat", O_RDONLY);

	if (fd < 0)
		return fd;
	n = read(fd, buf, sizeof(buf) - 1);
	n = n < 0 ? -errno : n;
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	/* reads, ..., writes (5th), ...; discards (12th) and flushes (16th)
	 * since Linux 4.18 and 5.5 */
	k = sscanf(buf, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
		   "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
		   &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10],
		   &f[11], &f[12], &f[13], &f[14], &f[15], &f[16]);
	if (k < 11)
		return -EINVAL;
	*done = f[0] + f[4] + f[11] + f[15];
	return 0;
}

int parked_io_set_state(const char *root, const char *dev, bool running)
{
	const char *word = running ? "running\n" : "offline\n";
	ssize_t n;
	int rc, fd = sysfs_open(root, dev, "device/state", O_WRONLY);

	if (fd < 0)
		return fd;
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
}

/* Whether dm queues the I/O of map @holder (dm-N) in its own queue. */
static bool dm_queueing(struct parked_io *pk, const char *holder)
{
	struct dm_mpath_status st;
	char name[160], err[64], *line;
	bool q = false;
	ssize_t n;
	int fd = sysfs_open(pk->root, holder, "dm/name", O_RDONLY);

	if (fd < 0)
		return false;
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0)
		return false;
	name[n] = '\0';
	name[strcspn(name, "\n")] = '\0';
	line = dm_status_get(name, pk->dm_capture_dir);
	if (line && dm_status_parse(line, &st, err, sizeof(err)))
		q = st.queueing;
	free(line);
	return q;
}

/* Whether the map holding candidate @pd is held (PARKED_STUCK_MS).
 * @inflight: its in-flight count. */
static bool map_held(struct parked_io *pk, struct parked_dev *pd,
		     const char *holder, int inflight, uint64_t now_ms)
{
	uint64_t done = 0;
	bool parked;

	if (!dm_queueing(pk, holder))
		pd->queued_ms = 0;
	else if (!pd->queued_ms)
		pd->queued_ms = now_ms;
	if (parked_io_completed(pk->root, holder, &done) || inflight <= 0 ||
	    done != pd->done || !pd->done_ms) {
		pd->done = done;
		pd->done_ms = now_ms;
		parked = false;
	} else {
		parked = now_ms - pd->done_ms >= PARKED_STUCK_MS;
	}
	return parked ||
	       (pd->queued_ms && now_ms - pd->queued_ms >= PARKED_STUCK_MS);
}

/* Whether candidate @pd is to go offline now. */
static bool bounce_due(struct parked_io *pk, struct parked_dev *pd,
		       const char *holder, uint64_t now_ms)
{
	int inflight = parked_io_inflight(pk->root, holder);
	bool held = map_held(pk, pd, holder, inflight, now_ms);

	if (pd->offline_since_ms)
		return false;
	/* Nothing in flight on the map: nothing can be parked. */
	if (!pd->bounces)
		return now_ms - pd->trans_since_ms >= PARKED_GRACE_MS &&
		       inflight > 0;
	if (!held || now_ms - pd->running_ms < PARKED_STUCK_MS)
		return false;
	if (pd->bounces == PARKED_MAX_BOUNCES) {
		pd->bounces++;
		log_warn("%s (%s): I/O still held after %u times offline; "
			 "left to the transition", pd->dev, holder,
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
		struct parked_dev *pd;
		int rc;

		if (!parked_io_candidate(s, i)) {
			if (!strcmp(s->sd[i].access_state, "transitioning"))
				log_debug("%s: transitioning; no other group "
					  "of %s serves", dev,
					  holder[0] ? holder : "its map");
			continue;
		}
		pd = find(pk, dev, true);
		if (!pd)
			continue;
		if (!pd->seen_ms)
			pd->trans_since_ms = now_ms;
		pd->seen_ms = now_ms;
		if (!bounce_due(pk, pd, holder, now_ms))
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
		pd->offline_ms = pd->bounces == 1 ? PARKED_OFFLINE_MS
						  : PARKED_REOFFLINE_MS;
		if (pd->bounces == 1)
			log_info("%s (%s): its group has been in transition "
				 "for %llu ms while another group serves: disk "
				 "offline for %u ms so that I/O parked on it "
				 "fails over", dev, holder,
				 (unsigned long long)(now_ms -
						      pd->trans_since_ms),
				 pd->offline_ms);
		else
			log_info("%s (%s): I/O held again %llu ms into the "
				 "transition (%s): disk offline for %u ms",
				 dev, holder,
				 (unsigned long long)(now_ms -
						      pd->trans_since_ms),
				 pd->queued_ms ? "dm queues it"
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
}
