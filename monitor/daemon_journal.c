// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's events as journal entries (journal_event.c) when its
 * stderr is the journal, and the health line for systemd: what each
 * event names (map, path, node, portal, group, latency) is looked up in
 * the daemon's view here, so the call sites stay one line.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "daemon_priv.h"
#include "health_line.h"
#include "journal_event.h"

/* Keep a detection this long as the start of the failover it leads to. */
#define DETECT_KEEP_NS (120ull * 1000000000ull)

static const struct pw_path *path_of_dev(const struct daemon *d,
					 const char *dev)
{
	for (size_t i = 0; d->have_view && dev && i < d->view.n_maps; i++)
		for (size_t j = 0; j < d->view.maps[i].mp->n_paths; j++)
			if (!strcmp(d->view.maps[i].paths[j].mp->dev, dev))
				return &d->view.maps[i].paths[j];
	return NULL;
}

static const struct pw_map *map_named(const struct daemon *d,
				      const char *name)
{
	for (size_t i = 0; d->have_view && name && i < d->view.n_maps; i++)
		if (!strcmp(d->view.maps[i].mp->name, name))
			return &d->view.maps[i];
	return NULL;
}

/* A path of @m in @group: its node and ALUA state name the group. */
static const struct pw_path *path_in_group(const struct pw_map *m,
					   unsigned int group)
{
	const struct pw_path *any = NULL;

	for (size_t j = 0; m && j < m->mp->n_paths; j++) {
		const struct pw_path *p = &m->paths[j];

		if (p->mp->group != group)
			continue;
		if (path_state_known(p))
			return p;
		any = any ? any : p;
	}
	return any;
}

/* Detections open a failover: remember when, per map (every map for an
 * event of no map, such as a portal). */
static void note_detection(struct daemon *d, const char *map, uint64_t now)
{
	struct map_track *t = map ? track(d, map) : NULL;

	if (t)
		t->detect_ns = now;
	for (unsigned int i = 0; !map && i < d->n_tracks; i++)
		d->tracks[i].detect_ns = now;
}

static long long failover_ms(struct daemon *d, const char *map, uint64_t now)
{
	struct map_track *t = map ? track(d, map) : NULL;
	long long ms = -1;

	if (t && t->detect_ns && now >= t->detect_ns &&
	    now - t->detect_ns <= DETECT_KEEP_NS)
		ms = (long long)((now - t->detect_ns) / 1000000ull);
	if (t)
		t->detect_ns = 0;
	return ms;
}

bool event_to_journal(struct daemon *d, const char *map, uint64_t now,
		      enum fw_event_kind k, const char *detail,
		      const struct ev_where *w, const char *line)
{
	struct jev e = { .priority = LOG_INFO, .message = line, .map = map,
			 .group = -1, .latency_ms = -1 };
	const struct pw_path *p = NULL;
	const char *dev = w && w->path ? w->path : detail;

	if (fw_event_is_detection(k))
		note_detection(d, map, now);
	if (!log_to_journal())
		return false;
	switch (k) {
	case FW_EV_PATH_FAILED:
	case FW_EV_PATH_REINSTATED:
		e.kind = JEV_PATH;
		e.priority = k == FW_EV_PATH_FAILED ? LOG_WARNING : LOG_INFO;
		e.state = k == FW_EV_PATH_FAILED ? "failed" : "active";
		e.path = dev;
		p = path_of_dev(d, dev);
		break;
	case FW_EV_PORTAL_DOWN:
	case FW_EV_PORTAL_UP:
		e.kind = JEV_PORTAL;
		e.priority = k == FW_EV_PORTAL_DOWN ? LOG_WARNING : LOG_INFO;
		e.state = k == FW_EV_PORTAL_DOWN ? "down" : "up";
		break;
	case FW_EV_ALUA_CHANGE:
		e.kind = JEV_ALUA_CHANGE;
		e.path = dev;
		break;
	case FW_EV_SESSION_STATE:
		e.kind = JEV_SESSION;
		e.state = detail;
		break;
	case FW_EV_GROUP_SWITCHED: {
		const struct pw_map *m = map_named(d, map);

		e.kind = JEV_FAILOVER;
		e.latency_ms = failover_ms(d, map, now);
		if (w && w->group > 0) {
			e.group = (int)w->group;
			p = path_in_group(m, w->group);
		}
		break;
	}
	default:
		return false;	/* a plain log line */
	}
	if (w && w->node)
		e.node = w->node;
	else if (p && p->node)
		e.node = p->node->name;
	if (w && w->portal)
		e.portal = w->portal;
	if (p && path_state_known(p))
		e.alua_state = alua_state_name(p->judge.state);
	return jev_send(&e) == 0;
}

void journal_io_stall(struct daemon *d, const char *map, double stall_s,
		      unsigned int io_errors, const char *line)
{
	struct jev e = { .kind = JEV_IO_STALL, .message = line, .map = map,
			 .group = -1,
			 .latency_ms = (long long)(stall_s * 1000.0 + 0.5) };

	(void)d;
	e.priority = io_errors ? LOG_ERR : LOG_INFO;
	e.state = io_errors ? "io_errors" : "ok";
	if (!log_to_journal() || jev_send(&e))
		log_info("%s", line);
}

void health_update(struct daemon *d)
{
	char line[200];

	health_line(d->have_view ? &d->view : NULL,
		    d->have_view ? d->view.mp_error : NULL, line, sizeof(line));
	service_status(&d->svc, line);
}
