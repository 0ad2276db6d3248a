// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mpathcmd.h"	/* mpt/: libmpathcmd, declared */

#include "mpath_client.h"
#include "strutil.h"

char *read_file(const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *p;

			if (cap >= max) {
				errno = EFBIG;
				goto fail;
			}
			cap *= 2;
			p = realloc(buf, cap);
			if (!p)
				goto fail;
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	return buf;
fail:
	{
		int e = errno;

		free(buf);
		close(fd);
		errno = e;
	}
	return NULL;
}

static int live_cmd(struct mpath_source *s, const char *cmd, char **reply)
{
	int rc;

	*reply = NULL;
	if (s->fd < 0) {
		s->fd = mpath_connect();
		if (s->fd < 0)
			return errno ? -errno : -ECONNREFUSED;
	}
	rc = mpath_process_cmd(s->fd, cmd, reply, s->timeout_ms);
	if (rc < 0) {
		int e = errno ? errno : EIO;

		/* The connection is unusable after a timeout: a late reply
		 * would be read as the answer to the next command. */
		mpath_disconnect(s->fd);
		s->fd = -1;
		free(*reply);
		*reply = NULL;
		return -e;
	}
	if (!*reply)
		return -EIO;
	return 0;
}

static void live_close(struct mpath_source *s)
{
	if (s->fd >= 0)
		mpath_disconnect(s->fd);
	s->fd = -1;
}

int mpath_action(struct mpath_source *s, const char *cmd, char *why,
		 size_t len)
{
	char *reply = NULL;
	int rc = mpath_cmd(s, cmd, &reply);

	if (rc) {
		snprintf(why, len, "%s", strerror(-rc));
	} else if (!reply) {
		snprintf(why, len, "no reply");
		rc = -EPROTO;
	} else if (strncmp(reply, "ok", 2)) {
		snprintf(why, len, "%.*s", (int)strcspn(reply, "\n"), reply);
		rc = -EPROTO;
	}
	free(reply);
	return rc;
}

void mpath_source_live(struct mpath_source *s, unsigned int timeout_ms)
{
	memset(s, 0, sizeof(*s));
	s->cmd = live_cmd;
	s->close = live_close;
	s->timeout_ms = timeout_ms;
	s->fd = -1;
}
