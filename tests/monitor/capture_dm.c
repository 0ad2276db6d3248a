// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_dm.h"
#include "dm_status.h"
#include "mpath_client.h"

char *dm_status_with_next(const char *line, unsigned int group)
{
	struct dm_mpath_status st;
	char err[64], *out = NULL, *copy, *save = NULL, *tok;
	unsigned int idx = 0, skip_to, n_feat, n_hw;
	size_t len;
	FILE *f;

	if (!dm_status_parse(line, &st, err, sizeof(err)) ||
	    group < 1 || group > st.n_groups)
		return NULL;
	copy = strdup(line);
	f = copy ? open_memstream(&out, &len) : NULL;
	if (!f) {
		free(copy);
		return NULL;
	}
	n_feat = (unsigned int)atoi(copy);
	/* tokens: feat count, feats, hw count, hw args, #groups, next */
	skip_to = 0;
	for (tok = strtok_r(copy, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), idx++) {
		if (idx == n_feat + 1) {
			n_hw = (unsigned int)atoi(tok);
			skip_to = n_feat + 1 + n_hw + 2;
		}
		if (skip_to && idx == skip_to)
			fprintf(f, "%s%u", idx ? " " : "", group);
		else
			fprintf(f, "%s%s", idx ? " " : "", tok);
	}
	fputc('\n', f);
	fclose(f);
	free(copy);
	return out;
}

void mpath_capture_applied(const char *dir, const char *cmd)
{
	char map[128], path[512], *old, *line;
	unsigned int grp;
	FILE *f;

	/* multipathd's command, or dm's own message (dm_switch_group) */
	if ((sscanf(cmd, "switchgroup map %127s group %u", map, &grp) != 2 &&
	     sscanf(cmd, "dm message %127s 0 switch_group %u", map,
		    &grp) != 2) || strchr(map, '/'))
		return;
	snprintf(path, sizeof(path), "%s/dmstatus/%s", dir, map);
	old = read_file(path, 1 << 20);
	line = old ? dm_status_with_next(old, grp) : NULL;
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
