/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_MONITOR_CLI_H
#define PW_MONITOR_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "mpath_client.h"
#include "topology.h"

struct cli_ctx {
	const char *conf_path;
	struct pw_conf conf;
	const char *root;		/* sysfs and /lib prefix */
	const char *capture_dir;	/* multipathd answers from files */
	const char *replay_dir;		/* RTPG from replay scripts */
	bool no_rtpg;
	bool foreground;
	int verbose;
};

/* Sources as the options ask: live, or captured/replayed. */
void cli_sources(const struct cli_ctx *c, struct mpath_source *mp,
		 struct rtpg_source *rt, struct rtpg_source **rtp);

int cli_dispatch(struct cli_ctx *c, int argc, char **argv);
/* A command of that name exists; its usage on @out (0, or -1 unknown). */
bool cli_known(const char *name);
int cli_help(const char *name, FILE *out);
/*
 * @text as a number from @lo to @hi (whole when @integer), or false after
 * one line on stderr naming the command, the option and what it wants.
 */
bool cli_number(const char *cmd, const char *opt, const char *text,
		double lo, double hi, bool integer, double *out);

int cmd_status(struct cli_ctx *c, int argc, char **argv);
int cmd_doctor(struct cli_ctx *c, int argc, char **argv);
int cmd_discover(struct cli_ctx *c, int argc, char **argv);
int cmd_login(struct cli_ctx *c, int argc, char **argv);
int cmd_run(struct cli_ctx *c, int argc, char **argv);
int cmd_watch(struct cli_ctx *c, int argc, char **argv);
int cmd_capture(struct cli_ctx *c, int argc, char **argv);
/* cli_bench.c: the benchmark's one entry point */
int cmd_bench(struct cli_ctx *c, int argc, char **argv);

#endif
