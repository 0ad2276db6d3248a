// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A captured multipathd: the answers `pathwarden capture` saved, read back
 * from files.  Commands that would change something are recorded, never
 * sent, so `--capture DIR` shows what pathwarden would have done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpath_client.h"
#include "strutil.h"

/* Nothing plays the kernel's part in the product; a test build links its
 * own (tests/monitor/capture_dm.c), which then wins over this one. */
__attribute__((weak)) void mpath_capture_applied(const char *dir,
						 const char *cmd)
{
	(void)dir;
	(void)cmd;
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
		FILE *f;

		/* Tests, and a reader of a capture, see what was decided. */
		snprintf(path, sizeof(path), "%s/commands.log", s->dir);
		f = fopen(path, "ae");
		if (f) {
			fprintf(f, "%s\n", cmd);
			fclose(f);
		}
		mpath_capture_applied(s->dir, cmd);
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
