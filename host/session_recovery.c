// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "session_recovery.h"
#include "sysfs_scan.h"

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
	char p[96];

	if (len == 0)
		return -EINVAL;
	snprintf(p, sizeof(p), "/sys/class/iscsi_session/session%d/state", sid);
	errno = 0;
	if (!sysfs_attr(root, p, buf, len))
		return errno ? -errno : -EIO;
	return 0;
}
