// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The format is dm-mpath.c's multipath_status(), STATUSTYPE_INFO:
 *   <#features> <features...> <#hw args> <hw args...> <#groups> <next group>
 *   then per group: <A|E|D> <#selector args> <selector args...>
 *                   <#paths> <#path selector args>
 *     then per path: <major:minor> <A|F> <fail count> <path selector args...>
 * Every count is checked against what is left of the line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdevmapper.h>

#include "dm_status.h"
#include "mpath_client.h"
#include "strutil.h"

struct toks {
	char *save;
	char *buf;
};

static char *next(struct toks *t)
{
	return strtok_r(NULL, " \t\n", &t->save);
}

static bool next_uint(struct toks *t, unsigned int max, unsigned int *v)
{
	char *s = next(t), *end;
	unsigned long n;

	if (!s)
		return false;
	n = strtoul(s, &end, 10);
	if (*end || end == s || n > max)
		return false;
	*v = (unsigned int)n;
	return true;
}

static bool skip(struct toks *t, unsigned int n)
{
	while (n--)
		if (!next(t))
			return false;
	return true;
}

bool dm_status_parse(const char *line, struct dm_mpath_status *out,
		     char *err, size_t errlen)
{
	struct toks t;
	char *first;
	unsigned int n;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	t.buf = strdup(line);
	if (!t.buf) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	first = strtok_r(t.buf, " \t\n", &t.save);
	if (!first || strspn(first, "0123456789") != strlen(first)) {
		snprintf(err, errlen, "no feature count");
		goto out;
	}
	n = (unsigned int)atoi(first);
	/* dm-mpath's two: whether it queues I/O (a group being activated,
	 * or no path), and its pg_init count */
	if (n == 2) {
		unsigned int q;

		if (!next_uint(&t, 1, &q)) {
			snprintf(err, errlen, "bad queue_io field");
			goto out;
		}
		out->queueing = q;
		n = 1;
	}
	if (n > 64 || !skip(&t, n) || !next_uint(&t, 64, &n) || !skip(&t, n)) {
		snprintf(err, errlen, "bad feature or handler fields");
		goto out;
	}
	if (!next_uint(&t, 256, &out->n_groups) ||
	    !next_uint(&t, out->n_groups, &out->next_group)) {
		snprintf(err, errlen, "bad group count or next group");
		goto out;
	}
	for (unsigned int g = 1; g <= out->n_groups; g++) {
		char *st = next(&t);
		unsigned int npaths, pargs;

		if (!st || strlen(st) != 1 || !strchr("AED", st[0])) {
			snprintf(err, errlen, "group %u: bad state", g);
			goto out;
		}
		if (st[0] == 'A')
			out->active_group = g;
		if (!next_uint(&t, 64, &n) || !skip(&t, n) ||
		    !next_uint(&t, 1024, &npaths) ||
		    !next_uint(&t, 64, &pargs)) {
			snprintf(err, errlen, "group %u: bad counts", g);
			goto out;
		}
		for (unsigned int p = 0; p < npaths; p++) {
			char *dev = next(&t), *af = next(&t);
			unsigned int fails;

			if (!dev || !af || (strcmp(af, "A") && strcmp(af, "F"))
			    || !next_uint(&t, 1u << 30, &fails) ||
			    !skip(&t, pargs)) {
				snprintf(err, errlen, "group %u path %u: bad "
					 "fields", g, p + 1);
				goto out;
			}
			if (out->n_paths == DMS_MAX_PATHS)
				continue;
			str_copy(out->paths[out->n_paths].devt,
				 sizeof(out->paths[0].devt), dev);
			out->paths[out->n_paths].active = af[0] == 'A';
			out->paths[out->n_paths].fail_count = fails;
			out->paths[out->n_paths].group = g;
			out->n_paths++;
		}
	}
	if (next(&t)) {
		snprintf(err, errlen, "trailing fields");
		goto out;
	}
	if (out->n_groups && !out->next_group) {
		snprintf(err, errlen, "no next group");
		goto out;
	}
	ok = true;
out:
	free(t.buf);
	return ok;
}

/* libdevmapper logs to stderr by default; a map that vanished between
 * multipathd's answer and ours is not an error worth printing. */
__attribute__((format(printf, 5, 6)))
static void dm_quiet(int level, const char *file, int line, int dm_errno,
		     const char *f, ...)
{
	(void)level;
	(void)file;
	(void)line;
	(void)dm_errno;
	(void)f;
}

static char *live_status(const char *name)
{
	struct dm_task *dmt;
	char *res = NULL, *type = NULL, *params = NULL;
	uint64_t start, len;

	dm_log_with_errno_init(dm_quiet);
	dmt = dm_task_create(DM_DEVICE_STATUS);
	if (!dmt)
		return NULL;
	if (!dm_task_set_name(dmt, name) || !dm_task_no_open_count(dmt) ||
	    !dm_task_run(dmt))
		goto out;
	dm_get_next_target(dmt, NULL, &start, &len, &type, &params);
	if (type && !strcmp(type, "multipath") && params)
		res = strdup(params);
out:
	dm_task_destroy(dmt);
	return res;
}

unsigned int dm_status_group_of(const struct dm_mpath_status *st,
				const char (*devt)[16], size_t n)
{
	for (unsigned int g = 1; n && g <= st->n_groups; g++) {
		size_t in = 0, hit = 0;

		for (unsigned int i = 0; i < st->n_paths; i++) {
			if (st->paths[i].group != g)
				continue;
			in++;
			for (size_t k = 0; k < n; k++)
				if (!strcmp(st->paths[i].devt, devt[k])) {
					hit++;
					break;
				}
		}
		if (in == n && hit == n)
			return g;
	}
	return 0;
}

char *dm_status_get(const char *name, const char *capture_dir)
{
	char path[512];

	if (!capture_dir)
		return live_status(name);
	if (strchr(name, '/'))
		return NULL;
	snprintf(path, sizeof(path), "%s/dmstatus/%s", capture_dir, name);
	return read_file(path, 1 << 20);
}

/*
 * Message @msg to the multipath target of map @name, or, with
 * @capture_dir, the line it would be appended to the capture's
 * commands.log and handed to the capture's stand-in for the kernel.
 */
static int dm_message(const char *name, const char *msg,
		      const char *capture_dir)
{
	char path[512], line[256];
	struct dm_task *dmt;
	FILE *f;
	int rc = -EIO;

	if (strchr(name, '/'))
		return -EINVAL;
	if (capture_dir) {
		if (snprintf(line, sizeof(line), "dm message %s 0 %s", name,
			     msg) >= (int)sizeof(line))
			return -EINVAL;
		snprintf(path, sizeof(path), "%s/commands.log", capture_dir);
		f = fopen(path, "ae");
		if (!f)
			return -errno;
		fprintf(f, "%s\n", line);
		if (fclose(f))
			return -EIO;
		mpath_capture_applied(capture_dir, line);
		return 0;
	}
	dm_log_with_errno_init(dm_quiet);
	dmt = dm_task_create(DM_DEVICE_TARGET_MSG);
	if (!dmt)
		return -ENOMEM;
	if (dm_task_set_name(dmt, name) && dm_task_set_sector(dmt, 0) &&
	    dm_task_set_message(dmt, msg) && dm_task_no_open_count(dmt)) {
		if (dm_task_run(dmt))
			rc = 0;
		else if (dm_task_get_errno(dmt) > 0)
			rc = -dm_task_get_errno(dmt);
	}
	dm_task_destroy(dmt);
	return rc;
}

int dm_fail_path(const char *name, const char *devt, const char *capture_dir)
{
	char msg[64];

	if (!devt[0] || strspn(devt, "0123456789:") != strlen(devt) ||
	    snprintf(msg, sizeof(msg), "fail_path %s", devt) >= (int)sizeof(msg))
		return -EINVAL;
	return dm_message(name, msg, capture_dir);
}

int dm_switch_group(const char *name, unsigned int group,
		    const char *capture_dir)
{
	char msg[32];

	if (!group)
		return -EINVAL;
	snprintf(msg, sizeof(msg), "switch_group %u", group);
	return dm_message(name, msg, capture_dir);
}
