/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded reads and single-write updates of sysfs/configfs attributes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs_attr.h"

bool path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len;
}

static enum agent_result errno_result(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return AGENT_NOT_FOUND;
	case EACCES:
	case EPERM:
	case EROFS:
		return AGENT_PERM;
	case EISDIR:
	case ELOOP:
		return AGENT_BAD_DATA;
	default:
		return AGENT_ERR;
	}
}

enum agent_result attr_read_bytes(struct agent_ctx *ctx, const char *path,
				  char *buf, size_t len, size_t *gotp)
{
	struct stat st;
	size_t got = 0;
	int fd;

	/* Attributes are never symlinks; a link here is not ours to follow. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int err = errno;

		return agent_fail(ctx, errno_result(err), "cannot read %s: %s",
				  path, strerror(err));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s is not an attribute file", path);
	}
	/* Read one byte past the limit to tell "full" from "too long". */
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			return agent_fail(ctx, errno_result(err) == AGENT_PERM ?
					  AGENT_PERM : AGENT_ERR,
					  "cannot read %s: %s", path,
					  strerror(err));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got >= len)
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: more than %zu bytes, not an attribute "
				  "we know", path, len - 1);
	buf[got] = '\0';
	*gotp = got;
	return AGENT_OK;
}

enum agent_result attr_read(struct agent_ctx *ctx, const char *path,
			    char *buf, size_t len)
{
	enum agent_result res;
	size_t got;

	res = attr_read_bytes(ctx, path, buf, len, &got);
	if (res != AGENT_OK)
		return res;
	if (memchr(buf, '\0', got))
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: holds a NUL byte", path);
	return AGENT_OK;
}

enum agent_result attr_read_line(struct agent_ctx *ctx, const char *path,
				 char *line, size_t len)
{
	char buf[ATTR_MAX];
	char *nl, *rest;
	enum agent_result res;
	size_t n;

	res = attr_read(ctx, path, buf, sizeof(buf));
	if (res != AGENT_OK)
		return res;
	nl = strchr(buf, '\n');
	rest = nl ? nl + 1 : buf + strlen(buf);
	if (nl)
		*nl = '\0';
	/* SCST marks attributes that belong in scst.conf with "[key]". */
	if (*rest && strcmp(rest, "[key]\n") && strcmp(rest, "[key]"))
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: unexpected second line", path);
	n = strlen(buf);
	if (n >= len)
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: value longer than %zu bytes", path,
				  len - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 || c > 0x7e)
			return agent_fail(ctx, AGENT_BAD_DATA,
					  "%s: non-printable byte 0x%02x",
					  path, c);
	}
	memcpy(line, buf, n + 1);
	return AGENT_OK;
}

enum agent_result attr_read_uint(struct agent_ctx *ctx, const char *path,
				 unsigned long min, unsigned long max,
				 bool allow_empty, unsigned long *value,
				 bool *empty)
{
	char line[32];
	char *end;
	unsigned long v;
	enum agent_result res;

	res = attr_read_line(ctx, path, line, sizeof(line));
	if (res != AGENT_OK)
		return res;
	if (empty)
		*empty = false;
	if (!line[0] && allow_empty) {
		if (empty)
			*empty = true;
		*value = 0;
		return AGENT_OK;
	}
	/* Digits only: strtoul would take signs and leading blanks. */
	if (line[0] < '0' || line[0] > '9')
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: '%s' is not a number", path, line);
	errno = 0;
	v = strtoul(line, &end, 10);
	if (errno || *end || v < min || v > max)
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: '%s' is not a number in %lu..%lu", path,
				  line, min, max);
	*value = v;
	return AGENT_OK;
}

enum agent_result attr_check_writable(struct agent_ctx *ctx, const char *path)
{
	struct stat st;
	int fd;

	/*
	 * Opening for writing is the honest test: access(2) answers for the
	 * real uid, and root passes it even on an immutable file.  Nothing
	 * is written and O_TRUNC is not given, so the value stays.
	 */
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int err = errno;

		return agent_fail(ctx, errno_result(err),
				  "cannot write %s: %s", path, strerror(err));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s is not an attribute file", path);
	}
	close(fd);
	return AGENT_OK;
}

enum agent_result attr_write(struct agent_ctx *ctx, const char *path,
			     const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	/* O_TRUNC: sysfs ignores it, a plain file (a test tree) needs it. */
	fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		return agent_fail(ctx, errno_result(err),
				  "cannot write %s: %s", path, strerror(err));
	}
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = errno;

		close(fd);
		/* EINVAL and friends: the kernel refused the value. */
		return agent_fail(ctx, errno_result(err) == AGENT_PERM ?
				  AGENT_PERM : AGENT_ERR,
				  "writing %s failed: %s", path, strerror(err));
	}
	if ((size_t)n != len) {
		close(fd);
		return agent_fail(ctx, AGENT_ERR, "short write to %s", path);
	}
	if (close(fd) < 0) {
		int err = errno;

		return agent_fail(ctx, AGENT_ERR, "writing %s failed: %s",
				  path, strerror(err));
	}
	return AGENT_OK;
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

enum agent_result dir_scan(struct agent_ctx *ctx, const char *dir,
			   struct dirent ***list, int *n)
{
	*n = scandir(dir, list, not_dot, alphasort);
	if (*n < 0) {
		int err = errno;

		*list = NULL;
		*n = 0;
		return agent_fail(ctx, errno_result(err), "cannot list %s: %s",
				  dir, strerror(err));
	}
	return AGENT_OK;
}

void dir_scan_free(struct dirent **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

unsigned int entry_mode(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (!path_join(path, sizeof(path), dir, name) ||
	    lstat(path, &st) < 0)
		return 0;
	return st.st_mode;
}
