/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The observer's mapping, with no thread: dm's path devts to disks and
 * nodes through a generated sysfs (the seed cluster: sda sdb on hpms01,
 * sdc sdd on hpms02), and which node's group dm sends I/O to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "observer.h"

#define GOOD MON_FX_DIR "/good"

static struct pw_conf conf;
static struct bench_devnode *devs;
static size_t n_devs;

static int setup(void **state)
{
	struct sysfs_snapshot snap;
	char err[256];
	(void)state;

	if (!conf_load(GOOD "/pathwarden.conf", &conf, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(sysfs_scan(GOOD "/root", &snap), 0);
	n_devs = bench_devnodes(&snap, &conf, &devs);
	sysfs_snapshot_free(&snap);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(devs);
	return 0;
}

static void observe(const char *line, struct bench_obs *o)
{
	struct dm_mpath_status st;
	char err[96];

	if (!dm_status_parse(line, &st, err, sizeof(err)))
		fail_msg("%s: %s", line, err);
	bench_obs_from_dm(&st, devs, n_devs, 1234, o);
}

static void test_devnodes(void **state)
{
	static const struct { const char *devt, *sd; int node; } want[] = {
		{ "8:16", "sda", 0 }, { "8:32", "sdb", 0 },
		{ "8:48", "sdc", 1 }, { "8:64", "sdd", 1 },
	};
	(void)state;

	assert_int_equal(n_devs, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(devs[i].devt, want[i].devt);
		assert_string_equal(devs[i].sd, want[i].sd);
		assert_int_equal(devs[i].node, want[i].node);
	}
}

/* A portal nobody configured: the session's target still names the node;
 * neither: the disk is no node's. */
static void test_devnodes_by_target(void **state)
{
	struct pw_conf c = conf;
	struct sysfs_snapshot snap;
	struct bench_devnode *d;
	size_t n;
	(void)state;

	snprintf(c.nodes[0].portals[0].host, sizeof(c.nodes[0].portals[0].host),
		 "10.9.9.9");
	snprintf(c.nodes[1].portals[0].host, sizeof(c.nodes[1].portals[0].host),
		 "10.9.9.8");
	c.nodes[1].target[0] = '\0';
	assert_int_equal(sysfs_scan(GOOD "/root", &snap), 0);
	n = bench_devnodes(&snap, &c, &d);
	sysfs_snapshot_free(&snap);
	assert_int_equal(n, 4);
	assert_int_equal(d[0].node, 0);			/* by target */
	assert_int_equal(d[1].node, 0);			/* by portal */
	assert_int_equal(d[2].node, BENCH_NODE_UNKNOWN);
	assert_int_equal(d[3].node, 1);
	free(d);
}

static void test_groups(void **state)
{
	struct bench_obs o;
	(void)state;

	/* the baseline: I/O to group 1, hpms01's */
	observe("2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 A 0 0 1 "
		"E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.t_ns, 1234);
	assert_int_equal(o.group, 0);
	assert_int_equal(o.dm_group, 1);
	assert_int_equal(o.n_paths, 4);
	assert_string_equal(o.paths[2].sd, "sdc");
	assert_true(o.paths[0].in_next);
	assert_false(o.paths[2].in_next);
	assert_true(o.paths[3].active);

	/* switched: group 2, hpms02's, hpms01's paths failed */
	observe("2 0 0 0 2 2 E 0 2 2 8:16 F 1 0 1 8:32 F 1 0 1 "
		"A 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, 1);
	assert_false(o.paths[0].active);

	/* every path of the next group failed: nothing carries I/O */
	observe("2 0 0 0 2 1 A 0 2 2 8:16 F 1 0 1 8:32 F 1 0 1 "
		"E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, BENCH_GROUP_NONE);

	/* multibus: one group, both nodes */
	observe("2 0 0 0 1 1 A 0 4 2 8:16 A 0 0 1 8:32 A 0 0 1 "
		"8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, BENCH_GROUP_MIXED);

	/* stock multipathd after hpms01's links went: one group of both
	 * nodes, hpms01's paths failed in it: I/O goes to hpms02's only */
	observe("2 0 0 0 1 1 A 0 4 2 8:16 F 1 0 1 8:32 F 1 0 1 "
		"8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, 1);
	/* one of hpms01's back in it: both nodes carry I/O again */
	observe("2 0 0 0 1 1 A 0 4 2 8:16 A 0 0 1 8:32 F 1 0 1 "
		"8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, BENCH_GROUP_MIXED);
	/* a failed path of the other node's group is not in dm's next one */
	observe("2 0 0 0 2 1 A 0 2 2 8:16 A 0 0 1 8:32 A 0 0 1 "
		"E 0 2 2 8:48 F 1 0 1 8:64 F 1 0 1", &o);
	assert_int_equal(o.group, 0);

	/* a disk sysfs does not know: alone, and beside a known one */
	observe("2 0 0 0 2 1 A 0 1 2 8:99 A 0 0 1 "
		"E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1", &o);
	assert_int_equal(o.group, BENCH_GROUP_UNKNOWN);
	assert_string_equal(o.paths[0].sd, "");
	assert_int_equal(o.paths[0].node, BENCH_NODE_UNKNOWN);
	observe("2 0 0 0 1 1 A 0 2 2 8:99 A 0 0 1 8:16 A 0 0 1", &o);
	assert_int_equal(o.group, BENCH_GROUP_MIXED);

	/* no group at all */
	observe("0 0 0 0", &o);
	assert_int_equal(o.group, BENCH_GROUP_NONE);
	assert_int_equal(o.n_paths, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devnodes),
		cmocka_unit_test(test_devnodes_by_target),
		cmocka_unit_test(test_groups),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
