// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_dm.h"
#include "dm_status.h"
#include "mpath_client.h"
#include "mpath_parse.h"

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

/* The capture's maps.json read by the daemon's own parser into @t; false
 * when it holds no multipathd JSON. */
static bool read_maps(const char *dir, const char *name,
		      struct mp_topology *t)
{
	char path[512], err[128], *text;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = read_file(path, 64u << 20);
	ok = text && mp_parse_maps_json(text, t, err, sizeof(err));
	free(text);
	return ok;
}

/* The map holding path @dev in the capture's maps.json, and the path's
 * major:minor; false when none does. */
static bool find_path(const char *dir, const char *dev, char *map,
		      size_t map_len, char *devt, size_t devt_len)
{
	struct mp_topology t;
	bool found = false;

	/* multipathd made to answer something else (a test's "timeout"):
	 * the paths as they were */
	if (!read_maps(dir, "maps.json", &t) &&
	    !read_maps(dir, "maps.json.last", &t))
		return false;
	for (size_t i = 0; !found && i < t.n_maps; i++)
		for (size_t k = 0; !found && k < t.maps[i].n_paths; k++) {
			if (strcmp(t.maps[i].paths[k].dev, dev))
				continue;
			snprintf(map, map_len, "%s", t.maps[i].name);
			snprintf(devt, devt_len, "%s",
				 t.maps[i].paths[k].devt);
			found = true;
		}
	mp_topology_free(&t);
	return found && !strchr(map, '/');
}

/* multipathd's "reinstate path DEV": dm has the path active again, as
 * multipathd's reinstate makes it (its own view keeps the path failed
 * until its checker looks); not while DIR/hold-reinstate exists (a test
 * of what is decided before dm has it). */
static void reinstate(const char *dir, const char *dev)
{
	char map[128], devt[32], path[512], key[48], *old, *at;
	FILE *f;

	snprintf(path, sizeof(path), "%s/hold-reinstate", dir);
	if (!access(path, F_OK) ||
	    !find_path(dir, dev, map, sizeof(map), devt, sizeof(devt)))
		return;
	snprintf(path, sizeof(path), "%s/dmstatus/%s", dir, map);
	old = read_file(path, 1 << 20);
	snprintf(key, sizeof(key), " %s F ", devt);
	at = old ? strstr(old, key) : NULL;
	if (at) {
		at[strlen(key) - 2] = 'A';
		f = fopen(path, "we");
		if (f) {
			fputs(old, f);
			fclose(f);
		}
	}
	free(old);
}

void mpath_capture_applied(const char *dir, const char *cmd)
{
	char map[128], dev[64], path[512], *old, *line;
	unsigned int grp;
	FILE *f;

	if (sscanf(cmd, "reinstate path %63s", dev) == 1) {
		reinstate(dir, dev);
		return;
	}
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
