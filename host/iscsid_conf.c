// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iscsid.conf: "name = value" lines, '#' comments, as open-iscsi's idbm
 * reads them.  Only the three session timeouts pathwarden sets are
 * looked at; nothing else of the file (CHAP settings included) is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "iscsid_conf.h"

static void defaults(struct iscsid_timeouts *t)
{
	/* open-iscsi's DEF_REPLACEMENT_TIMEO, DEF_NOOP_OUT_INTERVAL and
	 * DEF_NOOP_OUT_TIMEO */
	t->replacement_timeout = 120;
	t->noop_out_interval = 5;
	t->noop_out_timeout = 5;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

void iscsid_conf_parse(FILE *f, struct iscsid_timeouts *t)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "node.session.timeo.replacement_timeout",
		  offsetof(struct iscsid_timeouts, replacement_timeout) },
		{ "node.conn[0].timeo.noop_out_interval",
		  offsetof(struct iscsid_timeouts, noop_out_interval) },
		{ "node.conn[0].timeo.noop_out_timeout",
		  offsetof(struct iscsid_timeouts, noop_out_timeout) },
	};
	char line[1024];
	bool longer = false;

	defaults(t);
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '='), *name, *val;
		bool cut = !strchr(line, '\n') && !feof(f);
		unsigned long v;

		/* No setting is that long: a line longer than the buffer is
		 * dropped whole, not read as two. */
		if (cut || longer) {
			longer = cut;
			continue;
		}
		if (!eq)
			continue;
		*eq = '\0';
		name = trim(line);
		val = trim(eq + 1);
		if (name[0] == '#')
			continue;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(name, keys[i].name) &&
			    conf_parse_uint(val, 0, 86400 * 365, &v))
				*(unsigned int *)((char *)t + keys[i].off) =
					(unsigned int)v;
	}
}

int iscsid_conf_load(const char *path, struct iscsid_timeouts *t)
{
	/* without blocking, and a regular file only: not a FIFO to wait on */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc = 0;
	struct stat st;
	FILE *f;

	defaults(t);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		rc = -errno;
		close(fd);
		return rc;
	}
	iscsid_conf_parse(f, t);
	if (ferror(f))
		rc = -EIO;
	fclose(f);
	return rc;
}
