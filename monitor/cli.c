// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doctor.h"
#include "iscsi_admin.h"
#include "log.h"
#include "status.h"

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
	bool json = false;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\n", argv[0],
				argv[i]);
			return 2;
		}
	}
	cli_sources(c, &mp, &rt, &rtp);
	o = (struct view_opts){ .conf = &c->conf, .sysfs_root = c->root,
				.mpath = &mp, .rtpg = rtp,
				.want_config = doctor };
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

static const struct {
	const char *name;
	int (*fn)(struct cli_ctx *, int, char **);
} commands[] = {
	{ "status", cmd_status },
	{ "doctor", cmd_doctor },
	{ "discover", cmd_discover },
	{ "login", cmd_login },
#ifdef PW_HAVE_DAEMON
	{ "run", cmd_run },
#endif
};

int cli_dispatch(struct cli_ctx *c, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(c, argc, argv);
	fprintf(stderr, "pathwarden: unknown command '%s'\n", argv[0]);
	return 2;
}
