// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <string.h>

#include "cli.h"
#include "daemon.h"
#include "dm_status.h"
#include "doctor.h"
#include "doctor_journal.h"
#include "iscsi_admin.h"
#include "log.h"
#include "status.h"
#include "strutil.h"

#define MPATHD_TIMEOUT_MS 5000

void cli_sources(const struct cli_ctx *c, struct mpath_source *mp,
		 struct rtpg_source *rt, struct rtpg_source **rtp)
{
	if (c->capture_dir)
		mpath_source_captured(mp, c->capture_dir);
	else
		mpath_source_live(mp, MPATHD_TIMEOUT_MS);
	if (c->no_rtpg) {
		*rtp = NULL;
		return;
	}
	if (c->replay_dir)
		rtpg_source_replay(rt, c->replay_dir);
	else
		rtpg_source_dev(rt);
	*rtp = rt;
}

static int view_cmd(struct cli_ctx *c, int argc, char **argv, bool doctor)
{
	struct mpath_source mp;
	struct rtpg_source rt, *rtp;
	struct pw_view v;
	struct view_opts o;
	bool json = false, journal = false;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (doctor && !strcmp(argv[i], "--journal")) {
			journal = true;
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\n", argv[0],
				argv[i]);
			return 2;
		}
	}
	cli_sources(c, &mp, &rt, &rtp);
	o = (struct view_opts){ .conf = &c->conf, .sysfs_root = c->root,
				.mpath = &mp, .rtpg = rtp,
				.want_config = true,
				.want_disk_identity = doctor,
				.scan_beside = true,
				.dm_status = true,
				.dm_capture_dir = c->capture_dir };
	if (!view_build(&v, &o)) {
		fprintf(stderr, "out of memory\n");
		view_free(&v);
		mpath_close(&mp);
		return 3;
	}
	if (doctor) {
		struct findings fs;

		doctor_run(&v, &c->conf, c->root, &fs);
		if (json)
			findings_print_json(&fs, stdout);
		else
			findings_print(&fs, stdout);
		rc = fs.n ? 1 : 0;
		if (journal) {
			int jr = findings_to_journal(&fs);

			if (jr) {
				fprintf(stderr, "doctor: the journal did not take "
					"the findings: %s\n", strerror(-jr));
				rc = 3;
			}
		}
		findings_free(&fs);
	} else {
		if (json)
			status_print_json(&v, stdout);
		else
			status_print_table(&v, stdout);
		/* status fails only when it could not see the maps. */
		rc = v.mp_error[0] ? 3 : 0;
		if (v.mp_error[0] && json)
			fprintf(stderr, "%s\n", v.mp_error);
	}
	view_free(&v);
	mpath_close(&mp);
	return rc;
}

int cmd_status(struct cli_ctx *c, int argc, char **argv)
{
	return view_cmd(c, argc, argv, false);
}

int cmd_doctor(struct cli_ctx *c, int argc, char **argv)
{
	return view_cmd(c, argc, argv, true);
}

int cmd_discover(struct cli_ctx *c, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "discover takes no arguments\n");
		return 2;
	}
	(void)argv;
	return iscsi_cmd_discover(&c->conf, stdout);
}

int cmd_login(struct cli_ctx *c, int argc, char **argv)
{
	bool wait = true;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-wait")) {
			wait = false;
		} else {
			fprintf(stderr, "login: unknown argument '%s'\n",
				argv[i]);
			return 2;
		}
	}
	return iscsi_cmd_login(&c->conf, c->root, stdout, wait);
}

bool cli_number(const char *cmd, const char *opt, const char *text,
		double lo, double hi, bool integer, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end || errno || v != v || v < lo || v > hi ||
	    (integer && v != (double)(long long)v)) {
		fprintf(stderr, "pathwarden %s: %s '%s': want %s from %.10g to %.10g\n",
			cmd, opt, text, integer ? "a whole number" : "a number",
			lo, hi);
		return false;
	}
	*out = v;
	return true;
}

int cmd_run(struct cli_ctx *c, int argc, char **argv)
{
	struct daemon_opts o = { .conf = &c->conf, .conf_path = c->conf_path,
				 .root = c->root };
	struct mpath_source mp;
	struct rtpg_source rt;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--for") && i + 1 < argc) {
			if (!cli_number("run", "--for", argv[++i], 0,
					365 * 24 * 3600, false, &o.run_for_s))
				return 2;
		} else if (!strcmp(argv[i], "--probe-dir") && i + 1 < argc) {
			o.probe_dir = argv[++i];
		} else if (!strcmp(argv[i], "--no-udev")) {
			o.no_udev = true;
		} else if (!strcmp(argv[i], "--uevents") && i + 1 < argc) {
			o.uevent_fifo = argv[++i];
		} else {
			fprintf(stderr, "run: unknown argument '%s'\n",
				argv[i]);
			return 2;
		}
	}
	cli_sources(c, &mp, &rt, &o.rtpg);
	o.mpath = &mp;
	o.dm_capture_dir = c->capture_dir;
	if (!c->foreground) {
		log_init(c->verbose, 1);
		if (daemon(0, 0)) {
			log_err("cannot daemonize: %s", strerror(errno));
			return 3;
		}
	}
	rc = daemon_run(&o);
	mpath_close(&mp);
	return rc;
}

/* What watch compares between rounds, per path. */
struct watch_key {
	char map[128], dev[32];
	char verdict[16], alua[8];
	unsigned int active_group;
};

static size_t watch_snapshot(const struct pw_view *v, struct watch_key **out)
{
	size_t n = 0, k = 0;
	struct watch_key *w;

	for (size_t i = 0; i < v->n_maps; i++)
		n += v->maps[i].mp->n_paths;
	w = calloc(n ? n : 1, sizeof(*w));
	if (!w) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++, k++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			str_copy(w[k].map, sizeof(w[k].map), v->maps[i].mp->name);
			str_copy(w[k].dev, sizeof(w[k].dev), p->mp->dev);
			str_copy(w[k].verdict, sizeof(w[k].verdict),
				 path_word_name(p->verdict));
			str_copy(w[k].alua, sizeof(w[k].alua),
				 path_state_known(p) ?
				 alua_state_abbrev(p->judge.state) : "-");
			w[k].active_group = v->maps[i].active_group;
		}
	*out = w;
	return n;
}

static void watch_diff(const struct watch_key *a, size_t na,
		       const struct watch_key *b, size_t nb, const char *when)
{
	for (size_t j = 0; j < nb; j++) {
		const struct watch_key *old = NULL;

		for (size_t i = 0; i < na; i++)
			if (!strcmp(a[i].map, b[j].map) &&
			    !strcmp(a[i].dev, b[j].dev))
				old = &a[i];
		if (!old) {
			printf("%s %s %s: new path (%s, %s)\n", when, b[j].map,
			       b[j].dev, b[j].verdict, b[j].alua);
			continue;
		}
		if (strcmp(old->verdict, b[j].verdict) ||
		    strcmp(old->alua, b[j].alua))
			printf("%s %s %s: %s/%s -> %s/%s\n", when, b[j].map,
			       b[j].dev, old->verdict, old->alua,
			       b[j].verdict, b[j].alua);
		if (old->active_group != b[j].active_group &&
		    (j == 0 || strcmp(b[j - 1].map, b[j].map)))
			printf("%s %s: path group in use %u -> %u\n", when,
			       b[j].map, old->active_group,
			       b[j].active_group);
	}
	for (size_t i = 0; i < na; i++) {
		bool found = false;

		for (size_t j = 0; j < nb && !found; j++)
			found = !strcmp(a[i].map, b[j].map) &&
				!strcmp(a[i].dev, b[j].dev);
		if (!found)
			printf("%s %s %s: path gone\n", when, a[i].map,
			       a[i].dev);
	}
}

/* pathwarden watch: the table, then what changed, every interval. */
int cmd_watch(struct cli_ctx *c, int argc, char **argv)
{
	unsigned int interval_ms = 1000, count = 0;
	double num;
	struct watch_key *prev = NULL;
	size_t n_prev = 0;
	bool tty = isatty(STDOUT_FILENO);

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--interval") && i + 1 < argc) {
			if (!cli_number("watch", "--interval", argv[++i], 100,
					3600000, true, &num))
				return 2;
			interval_ms = (unsigned int)num;
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			if (!cli_number("watch", "--count", argv[++i], 0,
					1000000000, true, &num))
				return 2;
			count = (unsigned int)num;
		} else {
			fprintf(stderr, "watch: unknown argument '%s'\n",
				argv[i]);
			return 2;
		}
	}
	for (unsigned int round = 0; !count || round < count; round++) {
		struct mpath_source mp;
		struct rtpg_source rt, *rtp;
		struct pw_view v;
		struct view_opts o;
		struct watch_key *cur;
		size_t n_cur;
		char when[16];
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		cli_sources(c, &mp, &rt, &rtp);
		o = (struct view_opts){ .conf = &c->conf, .sysfs_root = c->root,
					.mpath = &mp, .rtpg = rtp,
					.scan_beside = true,
					.dm_status = true,
					.dm_capture_dir = c->capture_dir };
		if (!view_build(&v, &o)) {
			view_free(&v);
			mpath_close(&mp);
			return 3;
		}
		n_cur = watch_snapshot(&v, &cur);
		if (tty)
			fputs("\033[H\033[2J", stdout);
		if (round == 0 || tty) {
			printf("== %s\n", when);
			status_print_table(&v, stdout);
		}
		if (round > 0)
			watch_diff(prev, n_prev, cur, n_cur, when);
		fflush(stdout);
		free(prev);
		prev = cur;
		n_prev = n_cur;
		view_free(&v);
		mpath_close(&mp);
		if (!count || round + 1 < count)
			usleep(interval_ms * 1000u);
	}
	free(prev);
	return 0;
}

static int save(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fputs(text, f) >= 0;
	ok &= fclose(f) == 0;
	return ok ? 0 : -1;
}

/*
 * pathwarden capture DIR: multipathd's answers and the kernel's multipath
 * status, saved in the layout --capture reads, for bug reports and for
 * refreshing test fixtures from a real host.  Nothing secret is in them.
 */
int cmd_capture(struct cli_ctx *c, int argc, char **argv)
{
	static const struct { const char *cmd, *file; } what[] = {
		{ "show maps json", "maps.json" },
		{ "show config", "config.txt" },
	};
	struct mpath_source mp;
	struct mp_topology t;
	char err[256], sub[600], *reply = NULL;
	const char *dir;
	int bad = 0;

	(void)c;
	if (argc != 2) {
		fprintf(stderr, "usage: pathwarden capture DIR\n");
		return 2;
	}
	dir = argv[1];
	snprintf(sub, sizeof(sub), "%s/dmstatus", dir);
	if ((mkdir(dir, 0755) && errno != EEXIST) ||
	    (mkdir(sub, 0755) && errno != EEXIST)) {
		fprintf(stderr, "%s: %s\n", sub, strerror(errno));
		return 3;
	}
	mpath_source_live(&mp, MPATHD_TIMEOUT_MS);
	for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		int rc = mpath_cmd(&mp, what[i].cmd, &reply);

		if (rc) {
			fprintf(stderr, "multipathd did not answer '%s': %s\n",
				what[i].cmd, strerror(-rc));
			bad = 1;
		} else if (save(dir, what[i].file, reply)) {
			bad = 1;
		}
		if (!rc && i == 0 &&
		    mp_parse_maps_json(reply, &t, err, sizeof(err))) {
			for (size_t k = 0; k < t.n_maps; k++) {
				char *st = dm_status_get(t.maps[k].name, NULL);
				char name[160];

				snprintf(name, sizeof(name), "dmstatus/%s",
					 t.maps[k].name);
				if (!st || strchr(t.maps[k].name, '/') ||
				    save(dir, name, st))
					bad = 1;
				free(st);
			}
			mp_topology_free(&t);
		}
		free(reply);
		reply = NULL;
	}
	mpath_close(&mp);
	printf("saved in %s%s\n", dir, bad ? " (incomplete: see above)" : "");
	return bad ? 1 : 0;
}

static const struct {
	const char *name;
	int (*fn)(struct cli_ctx *, int, char **);
	const char *usage;
} commands[] = {
	{ "status", cmd_status, "status [--json]\n"
	  "  every path of every map: session, disk, ALUA group and state,\n"
	  "  multipathd's and the checker's verdicts" },
	{ "doctor", cmd_doctor, "doctor [--json] [--journal]\n"
	  "  configuration mistakes, each with its fix; exit 1 if any;\n"
	  "  --journal: each also as a journal entry (MESSAGE_ID doctor)" },
	{ "discover", cmd_discover, "discover\n"
	  "  SendTargets discovery on every configured portal" },
	{ "login", cmd_login, "login [--no-wait]\n"
	  "  log in to every target on every portal, then wait for the maps" },
	{ "run", cmd_run, "run [--for SECONDS] [--probe-dir DIR] [--no-udev] "
	  "[--uevents FIFO]\n"
	  "  the monitor daemon (-d: in the foreground); --for stops it after\n"
	  "  SECONDS (0 to 31536000, fractions allowed)" },
	{ "watch", cmd_watch, "watch [--interval MS] [--count N]\n"
	  "  the status table, then every change; MS from 100 to 3600000\n"
	  "  (default 1000), N rounds (default 0: until interrupted)" },
	{ "capture", cmd_capture, "capture DIR\n"
	  "  save multipathd's answers and dm status for --capture" },
	{ "bench", cmd_bench, "bench -B BENCHCONF [-n REPS] [-o OUTDIR] "
	  "[-s SCEN,...] [-k CONFIG,...]\n"
	  "  failover benchmark under a verified load (WRITES to its test LUN);\n"
	  "  see pathwarden-bench.conf(5)" },
};

bool cli_known(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return true;
	return false;
}

int cli_help(const char *name, FILE *out)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name)) {
			fprintf(out, "usage: pathwarden [-c FILE] [-v] %s\n",
				commands[i].usage);
			return 0;
		}
	return -1;
}

int cli_dispatch(struct cli_ctx *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(c, argc, argv);
	fprintf(stderr, "pathwarden: unknown command '%s'\n", argv[0]);
	return 2;
}
