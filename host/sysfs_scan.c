// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs readers.  A disk is tied to its session through the device path
 * the /sys/block link points to (.../hostH/sessionS/targetH:C:T/H:C:T:L/
 * block/sdX), the same way iscsiadm -m session -P3 finds it.  Anything may
 * vanish while we read: a missing attribute leaves its field empty.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs_scan.h"
#include "strutil.h"

/* @name under directory @dir (AT_FDCWD: a path) into @buf, trimmed. */
static bool attr_at(int dir, const char *name, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len == 0)
		return false;
	buf[0] = '\0';
	fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		buf[0] = '\0';
		return false;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return true;
}

bool sysfs_attr(const char *root, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];

	if (len)
		buf[0] = '\0';
	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >=
	    sizeof(full))
		return false;
	return attr_at(AT_FDCWD, full, buf, len);
}

/* A number from a text attribute, @dflt when absent or not one. */
static int int_of(const char *buf, bool read, int dflt)
{
	char *end;
	long v;

	if (!read || !buf[0])
		return dflt;
	v = strtol(buf, &end, 10);
	if (*end || v < -1 || v > 1000000000)
		return dflt;
	return (int)v;
}

static int attr_int(const char *root, const char *path, int dflt)
{
	char buf[32];

	return int_of(buf, sysfs_attr(root, path, buf, sizeof(buf)), dflt);
}

/*
 * A timeout in whole seconds, as the iSCSI transport class prints it
 * ("%d\n"), with the reason when there is none: a missing file, a read
 * that failed, or anything but digits.  *@out is -1 unless it is read.
 */
static enum sess_read attr_seconds(const char *root, const char *path,
				   int *out)
{
	char full[PATH_MAX], buf[32], *end;
	ssize_t n;
	long v;
	int fd, err;

	*out = -1;
	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >=
	    sizeof(full))
		return SESS_READ_FAILED;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? SESS_READ_ABSENT : SESS_READ_FAILED;
	n = read(fd, buf, sizeof(buf) - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err == ENODEV ? SESS_READ_GONE : SESS_READ_FAILED;
	buf[n] = '\0';
	/* a full buffer is a longer file than any number it could hold */
	if ((size_t)n == sizeof(buf) - 1)
		return SESS_READ_GARBAGE;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	/* a NUL inside would hide what follows it from strtol */
	if (buf[0] < '0' || buf[0] > '9' || strlen(buf) != (size_t)n)
		return SESS_READ_GARBAGE;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end || v > 1000000000)
		return SESS_READ_GARBAGE;
	*out = (int)v;
	return SESS_READ_OK;
}

/* Link target of @path under @root, or "" */
static void link_of(const char *root, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	ssize_t n;

	buf[0] = '\0';
	if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >=
	    sizeof(full))
		return;
	n = readlink(full, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

static int component_int(const char *link, const char *prefix)
{
	size_t plen = strlen(prefix);

	for (const char *s = link; (s = strstr(s, prefix)); s += plen) {
		char *end;
		long v;

		if (s != link && s[-1] != '/')
			continue;
		v = strtol(s + plen, &end, 10);
		if (end != s + plen && (*end == '/' || *end == '\0') &&
		    v >= 0 && v < 1000000)
			return (int)v;
	}
	return -1;
}

/*
 * What libopeniscsiusr has no getter for: the session's SCSI host (from
 * the device path the class link points to), its state and its
 * connection's NOP-Out timeouts.  A session whose directory is gone once
 * they are read ended meanwhile: its timeouts are marked so, whatever was
 * read, for they describe no session now.
 */
static void read_session_kernel(const char *root, struct iscsi_sess *s)
{
	char p[128], link[PATH_MAX], full[PATH_MAX];

	snprintf(p, sizeof(p), "/sys/class/iscsi_session/session%d", s->sid);
	link_of(root, p, link, sizeof(link));
	s->host = component_int(link, "host");
	snprintf(p, sizeof(p), "/sys/class/iscsi_session/session%d/state",
		 s->sid);
	sysfs_attr(root, p, s->state, sizeof(s->state));
	/* iscsid: ISCSI_PARAM_RECV_TMO <- noop_out_interval, and
	 * ISCSI_PARAM_PING_TMO <- noop_out_timeout */
	snprintf(p, sizeof(p),
		 "/sys/class/iscsi_connection/connection%d:0/recv_tmo", s->sid);
	s->noop_interval_read = attr_seconds(root, p, &s->noop_interval);
	snprintf(p, sizeof(p),
		 "/sys/class/iscsi_connection/connection%d:0/ping_tmo", s->sid);
	s->noop_timeout_read = attr_seconds(root, p, &s->noop_timeout);
	snprintf(full, sizeof(full), "%s/sys/class/iscsi_session/session%d",
		 root, s->sid);
	if (access(full, F_OK) && errno == ENOENT) {
		s->recovery_tmo_read = s->noop_interval_read =
			s->noop_timeout_read = SESS_READ_GONE;
		s->recovery_tmo = s->noop_interval = s->noop_timeout = -1;
	}
}

/* The attributes libopeniscsiusr reads on a host, read under a prefix. */
static void read_session(const char *root, int sid, struct iscsi_sess *s)
{
	char p[128];

	memset(s, 0, sizeof(*s));
	s->sid = sid;
	snprintf(p, sizeof(p), "/sys/class/iscsi_session/session%d/targetname",
		 sid);
	sysfs_attr(root, p, s->target, sizeof(s->target));
	snprintf(p, sizeof(p), "/sys/class/iscsi_session/session%d/tpgt", sid);
	s->tpgt = attr_int(root, p, -1);
	snprintf(p, sizeof(p),
		 "/sys/class/iscsi_session/session%d/recovery_tmo", sid);
	s->recovery_tmo_read = attr_seconds(root, p, &s->recovery_tmo);
	/* The persistent address is the portal we logged in to; address is
	 * where a redirect may have taken us. */
	snprintf(p, sizeof(p),
		 "/sys/class/iscsi_connection/connection%d:0/persistent_address",
		 sid);
	if (!sysfs_attr(root, p, s->address, sizeof(s->address)) ||
	    !s->address[0]) {
		snprintf(p, sizeof(p),
			 "/sys/class/iscsi_connection/connection%d:0/address",
			 sid);
		sysfs_attr(root, p, s->address, sizeof(s->address));
	}
	snprintf(p, sizeof(p),
		 "/sys/class/iscsi_connection/connection%d:0/persistent_port",
		 sid);
	s->port = attr_int(root, p, -1);
	if (s->port < 0) {
		snprintf(p, sizeof(p),
			 "/sys/class/iscsi_connection/connection%d:0/port",
			 sid);
		s->port = attr_int(root, p, -1);
	}
}

/* The dm-N holding disk @name of the /sys/block directory @block, ""
 * none. */
static void find_holder(int block, const char *name, char *out, size_t len)
{
	char p[64];
	struct dirent *e;
	DIR *d;
	int fd;

	out[0] = '\0';
	snprintf(p, sizeof(p), "%s/holders", name);
	fd = openat(block, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "dm-", 3)) {
			str_copy(out, len, e->d_name);
			break;
		}
	closedir(d);
}

/* Disk @name with nothing read yet. */
static void sd_init(struct sd_dev *d, const char *name)
{
	memset(d, 0, sizeof(*d));
	str_copy(d->name, sizeof(d->name), name);
	d->h = d->c = d->t = d->l = -1;
	d->preferred = -1;
}

/*
 * Disk @name of the /sys/block directory @block; its vendor, model, wwid
 * and holder only with @identity.  Paths start there, and the device's
 * attributes are read relative to its directory, opened once: a full path
 * per attribute walked the root prefix, the /sys/block link and the
 * device link again each time, and those walks were a quarter of the scan
 * of a host with a thousand disks.
 */
static bool read_sd_at(int block, const char *name, bool identity,
		       struct sd_dev *d)
{
	char p[64], link[PATH_MAX], num[32];
	const char *blk;
	ssize_t n;
	int dev;

	sd_init(d, name);
	if (strlen(name) >= sizeof(d->name) || strchr(name, '/'))
		return false;
	n = readlinkat(block, name, link, sizeof(link) - 1);
	link[n < 0 ? 0 : n] = '\0';
	if (!link[0])
		return false;
	d->sid = component_int(link, "session");
	/* The H:C:T:L component sits just before /block/. */
	blk = strstr(link, "/block/");
	if (blk) {
		const char *s = blk;

		while (s > link && s[-1] != '/')
			s--;
		if (sscanf(s, "%d:%d:%d:%d", &d->h, &d->c, &d->t, &d->l) != 4)
			d->h = d->c = d->t = d->l = -1;
	}
	snprintf(p, sizeof(p), "%s/dev", name);
	attr_at(block, p, d->devt, sizeof(d->devt));
	snprintf(p, sizeof(p), "%s/device", name);
	/* none (gone meanwhile): each of its attributes is absent */
	dev = openat(block, p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dev >= 0) {
		attr_at(dev, "state", d->state, sizeof(d->state));
		attr_at(dev, "access_state", d->access_state,
			sizeof(d->access_state));
		/* the kernel writes 0 or 1; anything else is no answer */
		d->preferred = int_of(num, attr_at(dev, "preferred_path", num,
						   sizeof(num)), -1);
		if (d->preferred != 0 && d->preferred != 1)
			d->preferred = -1;
		attr_at(dev, "dh_state", d->dh_state, sizeof(d->dh_state));
		if (identity) {
			attr_at(dev, "vendor", d->vendor, sizeof(d->vendor));
			attr_at(dev, "model", d->model, sizeof(d->model));
			attr_at(dev, "wwid", d->wwid, sizeof(d->wwid));
		}
		close(dev);
	}
	if (identity)
		find_holder(block, name, d->holder, sizeof(d->holder));
	/* Still there?  A disk removed during the read has no dev file. */
	return d->devt[0] != '\0';
}

bool sysfs_read_sd(const char *root, const char *name, struct sd_dev *d)
{
	char p[PATH_MAX];
	int block;
	bool ok;

	snprintf(p, sizeof(p), "%s/sys/block", root);
	block = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (block < 0) {
		sd_init(d, name);
		return false;
	}
	ok = read_sd_at(block, name, true, d);
	close(block);
	return ok;
}

static int cmp_sess(const void *a, const void *b)
{
	return ((const struct iscsi_sess *)a)->sid -
	       ((const struct iscsi_sess *)b)->sid;
}

static int cmp_sd(const void *a, const void *b)
{
	const struct sd_dev *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);

	/* sdz before sdaa, as the kernel names them */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->name, y->name);
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *p;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, *cap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

/* How much of each disk a scan reads. */
enum scan_disks {
	SCAN_NO_DISKS,
	SCAN_DISK_PATHS,	/* all but vendor, model, wwid and holder */
	SCAN_WHOLE_DISKS,
};

static int scan(const char *root, struct sysfs_snapshot *snap,
		enum scan_disks disks);

int sysfs_scan(const char *root, struct sysfs_snapshot *snap)
{
	return scan(root, snap, SCAN_WHOLE_DISKS);
}

int sysfs_scan_paths(const char *root, struct sysfs_snapshot *snap)
{
	return scan(root, snap, SCAN_DISK_PATHS);
}

int sysfs_scan_sessions(const char *root, struct sysfs_snapshot *snap)
{
	return scan(root, snap, SCAN_NO_DISKS);
}

/* Sessions of a tree under a root prefix, read the way libopeniscsiusr
 * reads them on a host. */
static int list_sessions(const char *root, struct sysfs_snapshot *snap)
{
	char p[PATH_MAX];
	size_t cap = 0;
	struct dirent *e;
	int rc = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/sys/class/iscsi_session", root);
	d = opendir(p);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		int sid;
		char tail;

		if (sscanf(e->d_name, "session%d%c", &sid, &tail) != 1)
			continue;
		if ((rc = grow((void **)&snap->sess, &cap, snap->n_sess,
			       sizeof(*snap->sess))))
			break;
		read_session(root, sid, &snap->sess[snap->n_sess++]);
	}
	closedir(d);
	return rc;
}

/* FNV-1a over @len bytes, continuing @h. */
static uint64_t fnv(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *b = buf;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

int sysfs_session_states(const char *root, uint64_t *sig)
{
	char p[PATH_MAX], state[32];
	struct dirent *e;
	uint64_t sum = 0;
	int n = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/sys/class/iscsi_session", root);
	d = opendir(p);
	if (!d) {
		*sig = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	while ((e = readdir(d))) {
		uint64_t h = 0xcbf29ce484222325ull;
		int sid;
		char tail;

		if (sscanf(e->d_name, "session%d%c", &sid, &tail) != 1)
			continue;
		snprintf(p, sizeof(p), "/sys/class/iscsi_session/%s/state",
			 e->d_name);
		if (!sysfs_attr(root, p, state, sizeof(state)))
			state[0] = '\0';
		h = fnv(h, &sid, sizeof(sid));
		h = fnv(h, state, strlen(state));
		sum += h;	/* the directory's order does not count */
		n++;
	}
	closedir(d);
	*sig = sum ^ (uint64_t)n;
	return n;
}

static int scan(const char *root, struct sysfs_snapshot *snap,
		enum scan_disks disks)
{
	char p[PATH_MAX];
	size_t cap_sd = 0;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	memset(snap, 0, sizeof(*snap));
	rc = root[0] ? list_sessions(root, snap)
		     : iscsi_sessions_live(&snap->sess, &snap->n_sess);
	if (rc)
		goto fail;
	for (size_t i = 0; i < snap->n_sess; i++)
		read_session_kernel(root, &snap->sess[i]);

	snprintf(p, sizeof(p), "%s/sys/block", root);
	d = disks != SCAN_NO_DISKS ? opendir(p) : NULL;
	if (disks == SCAN_NO_DISKS)
		errno = ENOENT;
	if (d) {
		while ((e = readdir(d))) {
			if (strncmp(e->d_name, "sd", 2) ||
			    strlen(e->d_name) >= sizeof(snap->sd->name))
				continue;
			if ((rc = grow((void **)&snap->sd, &cap_sd, snap->n_sd,
				       sizeof(*snap->sd))))
				break;
			if (read_sd_at(dirfd(d), e->d_name,
				       disks == SCAN_WHOLE_DISKS,
				       &snap->sd[snap->n_sd]))
				snap->n_sd++;
		}
		closedir(d);
	} else if (errno != ENOENT) {
		rc = -errno;
	}
	if (rc)
		goto fail;
	if (snap->n_sess)
		qsort(snap->sess, snap->n_sess, sizeof(*snap->sess), cmp_sess);
	if (snap->n_sd)
		qsort(snap->sd, snap->n_sd, sizeof(*snap->sd), cmp_sd);
	return 0;
fail:
	sysfs_snapshot_free(snap);
	return rc;
}

void sysfs_snapshot_free(struct sysfs_snapshot *snap)
{
	free(snap->sess);
	free(snap->sd);
	memset(snap, 0, sizeof(*snap));
}

const struct iscsi_sess *sysfs_find_sess(const struct sysfs_snapshot *s,
					 int sid)
{
	size_t lo = 0, hi = s->n_sess;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->sess[mid].sid == sid)
			return &s->sess[mid];
		if (s->sess[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct sd_dev *sysfs_find_sd(const struct sysfs_snapshot *s,
				   const char *name)
{
	struct sd_dev key;

	str_copy(key.name, sizeof(key.name), name);
	return s->n_sd ? bsearch(&key, s->sd, s->n_sd, sizeof(*s->sd), cmp_sd)
		       : NULL;
}
