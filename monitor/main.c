// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathwarden: initiator-side monitor for ALUA iSCSI multipath.
 *
 *   pathwarden [-c FILE] [-n] [-d] [-v...] COMMAND [ARGS]
 *
 * -n checks the configuration and exits (0 good, 1 bad), as ntpd -n.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pathwarden [-c FILE] [-n] [-d] [-v] COMMAND [ARGS]\n"
		"  -c FILE   configuration (default " CONF_DEFAULT_PATH ")\n"
		"  -n        check the configuration and exit\n"
		"  -d        stay in the foreground, log to stderr (run)\n"
		"  -v        more messages (twice: debug)\n"
		"commands:\n"
		"  status [--json]   every path of every map, with verdicts\n"
		"  doctor [--json]   find configuration mistakes; exit 1 if any\n"
		"  discover          SendTargets discovery on every portal\n"
		"  login [--no-wait] log in to every target and portal, wait "
		"for the maps\n"
		"  watch [--interval MS] [--count N]\n"
		"                    the status table, then every change\n"
		"  run               the monitor daemon\n"
		"  capture DIR       save multipathd's answers and dm status "
		"(for --capture)\n"
		"  bench -B BENCHCONF [-n REPS] [-o OUTDIR] [-s SCEN,...] "
		"[-k CONFIG,...]\n"
		"                    failover benchmark: faults from BENCHCONF's "
		"hooks under\n"
		"                    a verified load (WRITES to its test LUN)\n"
		"test and offline options (before COMMAND):\n"
		"  --root DIR        read sysfs and the plugin directory under DIR\n"
		"  --capture DIR     multipathd answers from DIR/maps.json and "
		"DIR/config.txt\n"
		"  --replay DIR      RTPG answers from DIR/<dev>.replay\n"
		"  --no-rtpg         do not send RTPG (sysfs state only)\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'R' },
		{ "capture", required_argument, NULL, 'C' },
		{ "replay", required_argument, NULL, 'P' },
		{ "no-rtpg", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_ctx ctx = { .conf_path = CONF_DEFAULT_PATH, .root = "" };
	char err[512];
	int opt, verbose = 0;
	bool check_only = false;

	while ((opt = getopt_long(argc, argv, "+c:ndvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': ctx.conf_path = optarg; break;
		case 'n': check_only = true; break;
		case 'd': ctx.foreground = true; break;
		case 'v': verbose++; break;
		case 'R': ctx.root = optarg; break;
		case 'C': ctx.capture_dir = optarg; break;
		case 'P': ctx.replay_dir = optarg; break;
		case 'N': ctx.no_rtpg = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	log_init(verbose, 0);
	/*
	 * A command's --help and an unknown command are answered before the
	 * configuration is read: help must work on a host not set up yet.
	 */
	if (optind < argc && !cli_known(argv[optind])) {
		fprintf(stderr, "pathwarden: unknown command '%s' "
			"(pathwarden --help lists them)\n", argv[optind]);
		return 2;
	}
	for (int i = optind + 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cli_help(argv[optind], stdout) ? 2 : 0;
	if (!conf_load(ctx.conf_path, &ctx.conf, err, sizeof(err))) {
		/* ExecStartPre=pathwarden -n: an error in the journal. */
		if (log_to_journal())
			log_err("%s", err);
		else
			fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (check_only) {
		if (verbose)
			conf_print(&ctx.conf, stdout);
		return 0;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	ctx.verbose = verbose;
	return cli_dispatch(&ctx, argc - optind, argv + optind);
}
