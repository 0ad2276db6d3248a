// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathwarden [-c CONF] [--root DIR] [--capture DIR] bench -B BENCHCONF
 *            [-n REPS] [-o OUTDIR] [-s SCEN,SCEN] [-k CONFIG,CONFIG]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_conf.h"
#include "cli.h"
#include "runner.h"

#define DEFAULT_REPS 5

static int usage(void)
{
	fprintf(stderr, "usage: pathwarden [-c CONF] bench -B BENCHCONF "
		"[-n REPS] [-o OUTDIR] [-s SCEN,SCEN] [-k CONFIG,CONFIG]\n");
	return 2;
}

int cmd_bench(struct cli_ctx *c, int argc, char **argv)
{
	struct bench_opts o = { .conf = &c->conf, .root = c->root,
				.capture_dir = c->capture_dir,
				.reps = DEFAULT_REPS, .verbose = c->verbose };
	struct mpath_source mp;
	struct rtpg_source rt, *rtp;
	struct bench_conf *bc;
	char err[512];
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!v || a[0] != '-' || !a[1] || a[2])
			return usage();
		switch (a[1]) {
		case 'B': o.bc_path = v; break;
		case 'o': o.outdir = v; break;
		case 's': o.scenarios = v; break;
		case 'k': o.configs = v; break;
		case 'n':
			o.reps = (unsigned int)strtoul(v, &end, 10);
			if (*end || !*v || o.reps < 1 || o.reps > 1000) {
				fprintf(stderr, "bench: -n takes 1 to 1000\n");
				return 2;
			}
			break;
		default:
			return usage();
		}
		i++;
	}
	if (!o.bc_path)
		return usage();
	/* ~70 KiB of hook commands: not for the stack */
	bc = malloc(sizeof(*bc));
	if (!bc) {
		fprintf(stderr, "out of memory\n");
		return 3;
	}
	if (!bconf_load(o.bc_path, bc, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(bc);
		return 1;
	}
	o.bc = bc;
	cli_sources(c, &mp, &rt, &rtp);
	o.mpath = &mp;
	rc = bench_run(&o);
	mpath_close(&mp);
	free(bc);
	return rc;
}
