/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `pathwarden bench`: every scenario of bench.conf, in every selected
 * configuration, N times, under a verified load, with dm watched; one
 * record per repetition, then the report (bench/summary.h).
 */
#ifndef PW_BENCH_RUNNER_H
#define PW_BENCH_RUNNER_H

#include "bench_conf.h"
#include "config.h"
#include "mpath_client.h"

struct bench_opts {
	const struct pw_conf *conf;
	const struct bench_conf *bc;
	const char *bc_path;		/* for file:line in messages */
	const char *root;		/* sysfs root ("" on a host) */
	const char *capture_dir;	/* dm status from files, or NULL */
	struct mpath_source *mpath;	/* to find the map */
	unsigned int reps;
	const char *outdir;		/* NULL: pathwarden-bench-<time> */
	const char *scenarios;		/* "a,b": only these; NULL all */
	const char *configs;		/* "a,b": only these; NULL all */
	int verbose;
};

/* Exit status: 0 every repetition reached its states with no I/O error
 * and no mismatch; 1 otherwise (each reason printed); 2 a bad selection;
 * 3 could not start (map, device, output directory). */
int bench_run(const struct bench_opts *o);

#endif
