// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mpathcmd.h"	/* mpt/: libmpathcmd, declared */

#include "dm_status.h"
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

void mpath_source_live(struct mpath_source *s, unsigned int timeout_ms)
{
	memset(s, 0, sizeof(*s));
	s->cmd = live_cmd;
	s->close = live_close;
	s->timeout_ms = timeout_ms;
	s->fd = -1;
}

static int captured_cmd(struct mpath_source *s, const char *cmd, char **reply)
{
	char path[512];
	const char *file = NULL;

	*reply = NULL;
	if (!strcmp(cmd, "show maps json"))
		file = "maps.json";
	else if (!strcmp(cmd, "show config"))
		file = "config.txt";
	if (file) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, file);
		*reply = read_file(path, 64u << 20);
		return *reply ? 0 : -errno;
	}
	if (!strncmp(cmd, "switchgroup ", 12) || !strncmp(cmd, "fail ", 5) ||
	    !strncmp(cmd, "reinstate ", 10) || !strncmp(cmd, "reload ", 7)) {
		size_t n = strlen(s->log);
		FILE *f;

		snprintf(s->log + n, sizeof(s->log) - n, "%s\n", cmd);
		/* Tests read what the daemon decided from here. */
		snprintf(path, sizeof(path), "%s/commands.log", s->dir);
		f = fopen(path, "ae");
		if (f) {
			fprintf(f, "%s\n", cmd);
			fclose(f);
		}
		{
			char map[128];
			unsigned int grp;

			if (sscanf(cmd, "switchgroup map %127s group %u", map,
				   &grp) == 2 && !strchr(map, '/')) {
				char *old, *line;

				snprintf(path, sizeof(path), "%s/dmstatus/%s",
					 s->dir, map);
				old = read_file(path, 1 << 20);
				line = old ? dm_status_with_next(old, grp)
					   : NULL;
				if (line) {
					f = fopen(path, "we");
					if (f) {
						fputs(line, f);
						fclose(f);
					}
				}
				free(old);
				free(line);
			}
		}
		*reply = strdup("ok\n");
		return *reply ? 0 : -ENOMEM;
	}
	return -EOPNOTSUPP;
}

void mpath_source_captured(struct mpath_source *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
	s->cmd = captured_cmd;
	s->fd = -1;
	str_copy(s->dir, sizeof(s->dir), dir);
}
