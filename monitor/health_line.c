// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "health_line.h"

/* Add @name to the list of names once. */
static void add_name(const char **names, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(names[i], name))
			return;
	if (*n < CONF_MAX_NODES)
		names[(*n)++] = name;
}

void health_line(const struct pw_view *v, const char *why, char *buf,
		 size_t len)
{
	const char *ao[CONF_MAX_NODES];
	size_t n_ao = 0, up = 0, all = 0, off = 0;
	int w;

	if (!v) {
		snprintf(buf, len, "no view yet%s%s", why && *why ? ": " : "",
			 why && *why ? why : "");
		return;
	}
	if (!v->n_maps && why && *why) {
		snprintf(buf, len, "no paths: %s", why);
		return;
	}
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			all++;
			up += p->verdict != PW_PATH_DOWN &&
			      p->verdict != PW_PATH_GONE;
			if (path_state_known(p) &&
			    p->judge.state == ALUA_ACTIVE_OPTIMIZED)
				add_name(ao, &n_ao, p->node ? p->node->name
							    : "?");
		}
	w = snprintf(buf, len, "%zu/%zu paths up", up, all);
	if (w > 0 && (size_t)w < len)
		off = (size_t)w;
	if (v->n_maps != 1 && off < len) {
		w = snprintf(buf + off, len - off, " in %zu maps", v->n_maps);
		if (w > 0)
			off += (size_t)w;
	}
	for (size_t i = 0; i < n_ao && off < len; i++) {
		w = snprintf(buf + off, len - off, "%s%s", i ? "+" : ", ",
			     ao[i]);
		if (w > 0)
			off += (size_t)w;
	}
	if (off < len)
		snprintf(buf + off, len - off, "%s", n_ao ? " optimized"
			 : all ? ", no optimized path" : "");
}
