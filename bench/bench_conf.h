/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.conf: what `pathwarden bench` runs.  The same lexical rules as
 * pathwarden.conf (one directive per line, '#' comments, the first error
 * reported as file:line); the format is described in
 * pathwarden-bench.conf(5).  A hook's command is the rest of its line,
 * handed to /bin/sh -c as written: the shell does its own quoting and
 * comments.
 */
#ifndef PW_BENCH_BENCH_CONF_H
#define PW_BENCH_BENCH_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "metrics.h"

#define BCONF_MAX_CONFIGS 8
#define BCONF_MAX_SCENARIOS 32
#define BCONF_CMD_MAX 1024
#define BCONF_SCENARIO_MAX 48	/* as bench_record.scenario */
#define BCONF_CONFIG_MAX 16	/* as bench_record.config */

struct bconf_hook {
	char cmd[BCONF_CMD_MAX];
	int line;			/* 0: not given */
};

/* A configuration of the initiator's stack: "stock", "pathwarden". */
struct bconf_config {
	char name[BCONF_CONFIG_MAX];
	struct bconf_hook setup;
};

struct bconf_scenario {
	char name[BCONF_SCENARIO_MAX];
	enum bench_kind kind;
	/*
	 * The fault makes the target itself fail commands in a way no
	 * initiator can retry (LIO's offline: ILLEGAL REQUEST): I/O errors
	 * are counted and reported, but do not fail the repetition.
	 * Mismatches always do.
	 */
	bool target_errors;
	struct bconf_hook inject, restore;
	int line;
};

struct bench_conf {
	char map[CONF_MAP_MAX];		/* "" with map_auto */
	bool map_auto;
	char device[CONF_PATH_MAX];	/* "": /dev/mapper/<map> */
	bool test_lun;
	char home[CONF_NAME_MAX];
	int home_line;
	unsigned int rate;		/* I/Os per second */
	unsigned int blocks;		/* region, in 4 KiB blocks */
	double hold_s, deadline_s, settle_s;
	unsigned int n_configs;
	struct bconf_config configs[BCONF_MAX_CONFIGS];
	/*
	 * The configuration the others are compared with ("" none): a
	 * repetition of it that does not reach a state within the deadline
	 * is a measurement of it, recorded as missed, not a failure of the
	 * run.  Hooks, the baseline, I/O errors and mismatches fail it as
	 * they fail any other.
	 */
	char reference[BCONF_CONFIG_MAX];
	int reference_line;
	unsigned int n_scenarios;
	struct bconf_scenario scenarios[BCONF_MAX_SCENARIOS];
};

/*
 * Parse @f (named @name in messages) into @c.  On error returns false
 * with "name:line: message" in @err; the first error stops the parse.
 * No hook command is ever echoed in a message.
 */
bool bconf_parse(FILE *f, const char *name, struct bench_conf *c, char *err,
		 size_t errlen);
/* Open, check like pathwarden.conf (conf_file_trusted(): the hooks run
 * as the caller, root on a real cluster) and parse @path. */
bool bconf_load(const char *path, struct bench_conf *c, char *err,
		size_t errlen);

const struct bconf_scenario *bconf_scenario(const struct bench_conf *c,
					    const char *name);
const struct bconf_config *bconf_config(const struct bench_conf *c,
					const char *name);

#endif
