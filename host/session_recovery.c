// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "session_recovery.h"

static int attr_path(char *p, size_t len, const char *root, int sid,
		     const char *name)
{
	int n = snprintf(p, len, "%s/sys/class/iscsi_session/session%d/%s",
			 root, sid, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int session_recovery_tmo_set(const char *root, int sid, int secs)
{
	char p[256], v[16];
	int fd, n, rc = 0;

	if (sid < 0 || secs < 0)
		return -EINVAL;
	if (attr_path(p, sizeof(p), root, sid, "recovery_tmo"))
		return -ENAMETOOLONG;
	n = snprintf(v, sizeof(v), "%d\n", secs);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, v, (size_t)n) != n)
		rc = errno ? -errno : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int session_state_read(const char *root, int sid, char *buf, size_t len)
{
	char p[256];
	ssize_t n;
	int fd;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (attr_path(p, sizeof(p), root, sid, "state"))
		return -ENAMETOOLONG;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		buf[0] = '\0';
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}
