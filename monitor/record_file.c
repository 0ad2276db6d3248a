// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config.h"
#include "record_file.h"
#include "strutil.h"

static int64_t ts_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void records_sync_clock(struct records *r)
{
	r->wall_offset_ns = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_MONOTONIC);
}

int records_open(struct records *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	str_copy(r->path, sizeof(r->path), path);
	/* O_NOFOLLOW: a link planted here would aim root's appends at
	 * another file. */
	r->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
		     O_CLOEXEC, 0644);
	if (r->fd < 0 && errno == ENOENT) {
		/* The state directory, when not run by systemd (which
		 * creates it): one level only, never a whole tree. */
		char dir[256], *slash;

		str_copy(dir, sizeof(dir), path);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0755) == 0)
				r->fd = open(path, O_WRONLY | O_APPEND |
					     O_CREAT | O_NOFOLLOW |
					     O_CLOEXEC, 0644);
			else
				errno = ENOENT;
		}
	}
	if (r->fd < 0)
		return -errno;
	/* Failover measurements others could rewrite are worth nothing. */
	{
		char err[300];

		if (!conf_file_trusted(r->fd, path, err, sizeof(err))) {
			close(r->fd);
			r->fd = -1;
			errno = EPERM;
			return -EPERM;
		}
	}
	records_sync_clock(r);
	return 0;
}

void records_close(struct records *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

static void iso_time(int64_t wall_ns, char *buf, size_t len)
{
	time_t s = (time_t)(wall_ns / 1000000000);
	struct tm tm;
	char tmp[32];

	gmtime_r(&s, &tm);
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06lldZ", tmp,
		 (long long)(wall_ns % 1000000000) / 1000);
}

/* Milliseconds with three decimals (microseconds: what the prober can
 * resolve), printed as such rather than as a 17-digit double. */
static json_object *ms(int64_t ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", (double)ns / 1e6);
	return json_object_new_double_s((double)ns / 1e6, buf);
}

char *records_format_failover(const char *map, const struct fw_record *w,
			      int64_t wall_offset_ns)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	char when[48];
	char *line = NULL;
	const char *s;

	if (!o || !ev)
		goto out;
	iso_time((int64_t)w->start_ns + wall_offset_ns, when, sizeof(when));
	json_object_object_add(o, "type", json_object_new_string("failover"));
	json_object_object_add(o, "map", json_object_new_string(map));
	json_object_object_add(o, "start", json_object_new_string(when));
	json_object_object_add(o, "start_mono_ns",
			       json_object_new_int64((int64_t)w->start_ns));
	json_object_object_add(o, "resume_ms",
			       ms((int64_t)(w->end_ns - w->start_ns)));
	json_object_object_add(o, "detect_ms",
			       w->has_detect ? ms(w->detect_ns) : NULL);
	json_object_object_add(o, "switch_ms",
			       w->has_switch ? ms(w->switch_ns) : NULL);
	json_object_object_add(o, "ios_stalled",
			       json_object_new_int((int)w->ios_stalled));
	json_object_object_add(o, "io_errors",
			       json_object_new_int((int)w->io_errors));
	for (unsigned int i = 0; i < w->n_events; i++) {
		const struct fw_event *e = &w->events[i];
		json_object *je = json_object_new_object();

		json_object_object_add(je, "t_ms",
				       ms((int64_t)(e->t_ns - w->start_ns)));
		json_object_object_add(je, "event", json_object_new_string(
					       fw_event_name(e->kind)));
		json_object_object_add(je, "detail",
				       json_object_new_string(e->detail));
		json_object_array_add(ev, je);
	}
	json_object_object_add(o, "events", ev);
	ev = NULL;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (asprintf(&line, "%s\n", s) < 0)
		line = NULL;
out:
	json_object_put(ev);
	json_object_put(o);
	return line;
}

static int write_line(struct records *r, char *line)
{
	size_t n;
	ssize_t w;

	if (!line)
		return -ENOMEM;
	n = strlen(line);
	/* One write() per record: O_APPEND keeps lines whole. */
	w = r->fd >= 0 ? write(r->fd, line, n) : -1;
	free(line);
	if (w < 0)
		return -errno;
	return (size_t)w == n ? 0 : -EIO;
}

int records_write_failover(struct records *r, const char *map,
			   const struct fw_record *w)
{
	return write_line(r, records_format_failover(map, w,
						     r->wall_offset_ns));
}

int records_write_switch(struct records *r, const char *map,
			 uint64_t event_ns, uint64_t requested_ns,
			 uint64_t confirmed_ns, unsigned int group,
			 const char *outcome)
{
	json_object *o = json_object_new_object();
	char when[48], *line = NULL;

	if (!o)
		return -ENOMEM;
	iso_time((int64_t)event_ns + r->wall_offset_ns, when, sizeof(when));
	json_object_object_add(o, "type", json_object_new_string("switch"));
	json_object_object_add(o, "map", json_object_new_string(map));
	json_object_object_add(o, "event", json_object_new_string(when));
	json_object_object_add(o, "group", json_object_new_int((int)group));
	json_object_object_add(o, "requested_ms",
			       ms((int64_t)(requested_ns - event_ns)));
	json_object_object_add(o, "confirmed_ms", confirmed_ns ?
			       ms((int64_t)(confirmed_ns - event_ns)) : NULL);
	json_object_object_add(o, "outcome", json_object_new_string(outcome));
	if (asprintf(&line, "%s\n", json_object_to_json_string_ext(
			     o, JSON_C_TO_STRING_PLAIN |
			     JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		line = NULL;
	json_object_put(o);
	return write_line(r, line);
}
