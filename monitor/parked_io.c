// SPDX-License-Identifier: GPL-2.0-or-later
/* Deciding when a transitioning group's parked I/O must move, and the two
 * sysfs files that move it.  See parked_io.h for why. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static int sysfs_path(char *buf, size_t len, const char *root,
		      const char *dev, const char *file)
{
	if (!dev[0] || strchr(dev, '/') || dev[0] == '.')
		return -EINVAL;
	if (snprintf(buf, len, "%s/sys/block/%s/%s", root, dev, file) >=
	    (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int parked_io_inflight(const char *root, const char *dev)
{
	char path[512], buf[64];
	unsigned long r, w;
	ssize_t n;
	int fd, rc = sysfs_path(path, sizeof(path), root, dev, "inflight");

	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	buf[n] = '\0';
	if (sscanf(buf, "%lu %lu", &r, &w) != 2 || r + w > 1000000)
		return -EINVAL;
	return (int)(r + w);
}

int parked_io_set_state(const char *root, const char *dev, bool running)
{
	const char *word = running ? "running\n" : "offline\n";
	char path[512];
	ssize_t n;
	int fd, rc = sysfs_path(path, sizeof(path), root, dev, "device/state");

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

bool parked_io_review(struct parked_io *pk, const struct sysfs_snapshot *s,
		      uint64_t now_ms)
{
	for (size_t i = 0; i < s->n_sd; i++) {
		const char *dev = s->sd[i].name;
		struct parked_dev *pd;
		int n, rc;

		if (!parked_io_candidate(s, i))
			continue;
		pd = find(pk, dev, true);
		if (!pd)
			continue;
		if (!pd->seen_ms || !pd->trans_since_ms)
			pd->trans_since_ms = now_ms;
		pd->seen_ms = now_ms;
		if (pd->offline_since_ms ||
		    now_ms - pd->trans_since_ms < PARKED_GRACE_MS)
			continue;
		n = parked_io_inflight(pk->root, dev);
		if (n <= 0)
			continue;
		rc = parked_io_set_state(pk->root, dev, false);
		if (rc) {
			log_warn("%s (%s): cannot take it offline to move its "
				 "parked I/O: %s", dev, s->sd[i].holder,
				 strerror(-rc));
			continue;
		}
		pd->offline_since_ms = now_ms;
		log_info("%s (%s): group in transition for %llu ms with %d "
			 "requests parked on it while another group serves: "
			 "disk offline until they have moved", dev,
			 s->sd[i].holder,
			 (unsigned long long)(now_ms - pd->trans_since_ms), n);
	}
	prune(pk, now_ms);
	return any_offline(pk);
}

bool parked_io_tick(struct parked_io *pk, uint64_t now_ms)
{
	for (size_t i = 0; i < pk->n; i++) {
		struct parked_dev *pd = &pk->d[i];
		int n, rc;

		if (!pd->offline_since_ms)
			continue;
		n = parked_io_inflight(pk->root, pd->dev);
		if (n > 0 &&
		    now_ms - pd->offline_since_ms < PARKED_OFFLINE_MAX_MS)
			continue;
		rc = parked_io_set_state(pk->root, pd->dev, true);
		if (rc) {
			log_warn("%s: cannot set it running again: %s",
				 pd->dev, strerror(-rc));
			if (now_ms - pd->offline_since_ms <
			    10 * PARKED_OFFLINE_MAX_MS)
				continue;	/* try again, then give up */
		} else {
			log_info("%s: running again after %llu ms (%s)",
				 pd->dev,
				 (unsigned long long)(now_ms -
						      pd->offline_since_ms),
				 n > 0 ? "requests still in flight"
				       : "its parked requests moved");
		}
		pd->offline_since_ms = 0;
		pd->trans_since_ms = 0;
	}
	return any_offline(pk);
}

void parked_io_release(struct parked_io *pk)
{
	for (size_t i = 0; i < pk->n; i++)
		if (pk->d[i].offline_since_ms)
			parked_io_set_state(pk->root, pk->d[i].dev, true);
	pk->n = 0;
}
