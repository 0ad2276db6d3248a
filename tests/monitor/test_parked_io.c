// SPDX-License-Identifier: GPL-2.0-or-later
/* When a transitioning group's parked I/O is moved, and the sysfs files
 * that move it, on a built map and a scratch sysfs tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>

#include <cmocka.h>

#include "dm_status.h"
#include "parked_io.h"
#include "refused_path.h"

/* Two paths per node: hpms01 (group 1) then hpms02 (group 2). */
struct fake_map {
	struct mp_map mp;
	struct mp_path mpp[4];
	struct sd_dev sd[4];
	struct pw_path p[4];
	struct pw_map m;
};

static void fake(struct fake_map *f, enum alua_state g1, enum alua_state g2)
{
	memset(f, 0, sizeof(*f));
	f->mp.paths = f->mpp;
	f->mp.n_paths = 4;
	f->m.mp = &f->mp;
	f->m.paths = f->p;
	for (int i = 0; i < 4; i++) {
		snprintf(f->mpp[i].dev, sizeof(f->mpp[i].dev), "sd%c", 'a' + i);
		snprintf(f->mpp[i].dm_st, sizeof(f->mpp[i].dm_st), "active");
		f->p[i].mp = &f->mpp[i];
		f->p[i].sd = &f->sd[i];
		f->p[i].rtpg_done = true;
		f->p[i].rtpg.result = TPG_OK;
		f->p[i].rtpg.group_known = true;
		f->p[i].rtpg.own.group_id = i < 2 ? 1 : 2;
		f->p[i].rtpg.own.state = i < 2 ? g1 : g2;
	}
}

/* A host's sysfs: hpms01's disks sda, sdb; hpms02's sdc, sdd; one map. */
struct fake_sys {
	struct sd_dev sd[4];
	struct iscsi_sess sess[4];
	struct sysfs_snapshot s;
};

static const char *kname(enum alua_state st)
{
	switch (st) {
	case ALUA_ACTIVE_OPTIMIZED: return "active/optimized";
	case ALUA_ACTIVE_NONOPTIMIZED: return "active/non-optimized";
	case ALUA_LBA_DEPENDENT: return "lba_dependent";
	case ALUA_STANDBY: return "standby";
	case ALUA_UNAVAILABLE: return "unavailable";
	case ALUA_OFFLINE: return "offline";
	case ALUA_TRANSITIONING: return "transitioning";
	}
	return "";
}

static void fake_sys(struct fake_sys *f, enum alua_state g1,
		     enum alua_state g2)
{
	memset(f, 0, sizeof(*f));
	f->s.sd = f->sd;
	f->s.n_sd = 4;
	f->s.sess = f->sess;
	f->s.n_sess = 4;
	for (int i = 0; i < 4; i++) {
		snprintf(f->sd[i].name, sizeof(f->sd[i].name), "sd%c", 'a' + i);
		snprintf(f->sd[i].state, sizeof(f->sd[i].state), "running");
		snprintf(f->sd[i].holder, sizeof(f->sd[i].holder), "dm-0");
		snprintf(f->sd[i].wwid, sizeof(f->sd[i].wwid), "naa.6001405");
		snprintf(f->sd[i].access_state, sizeof(f->sd[i].access_state),
			 "%s", kname(i < 2 ? g1 : g2));
		f->sd[i].sid = i + 1;
		f->sess[i].sid = i + 1;
		snprintf(f->sess[i].state, sizeof(f->sess[i].state),
			 "LOGGED_IN");
	}
}

static void test_candidate(void **state)
{
	struct fake_sys f;
	(void)state;

	/* hpms01 in transition, hpms02 non-optimized: move hpms01's I/O */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	assert_true(parked_io_candidate(&f.s, 0));
	assert_true(parked_io_candidate(&f.s, 1));
	assert_false(parked_io_candidate(&f.s, 2));

	/* no other usable group: I/O waits for the transition */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_STANDBY);
	assert_false(parked_io_candidate(&f.s, 0));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_TRANSITIONING);
	assert_false(parked_io_candidate(&f.s, 0));

	/* the usable disks offline, or their sessions down: none */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	snprintf(f.sd[2].state, sizeof(f.sd[2].state), "offline");
	assert_true(parked_io_candidate(&f.s, 0));	/* sdd still serves */
	snprintf(f.sess[3].state, sizeof(f.sess[3].state), "FAILED");
	assert_false(parked_io_candidate(&f.s, 0));

	/* another map's, or another LU's, usable disk does not count */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	snprintf(f.sd[2].holder, sizeof(f.sd[2].holder), "dm-1");
	snprintf(f.sd[3].wwid, sizeof(f.sd[3].wwid), "naa.6001406");
	assert_false(parked_io_candidate(&f.s, 0));

	/* a disk in no map, not transitioning: never */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	f.sd[0].holder[0] = '\0';
	assert_false(parked_io_candidate(&f.s, 0));
	fake_sys(&f, ALUA_STANDBY, ALUA_ACTIVE_OPTIMIZED);
	assert_false(parked_io_candidate(&f.s, 0));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_LBA_DEPENDENT);
	assert_true(parked_io_candidate(&f.s, 0));
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_sysfs(void **state)
{
	char root[] = "/tmp/pw-parked-XXXXXX", p[600], cmd[700], buf[64] = "";
	FILE *fp;
	(void)state;

	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/sdb/device'", root);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/sys/block/sdb/device/state", root);
	put(p, "running\n");

	assert_int_equal(parked_io_set_state(root, "sdb", false), 0);
	fp = fopen(p, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "offline\n");
	assert_int_equal(parked_io_set_state(root, "sdb", true), 0);
	fp = fopen(p, "r");
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "running\n");
	assert_true(parked_io_set_state(root, "sdz", true) < 0);
	snprintf(p, sizeof(p), "%s/sys/block/sdb/inflight", root);
	put(p, "       2        1\n");
	assert_int_equal(parked_io_inflight(root, "sdb"), 3);
	put(p, "garbage\n");
	assert_int_equal(parked_io_inflight(root, "sdb"), -EINVAL);
	assert_true(parked_io_inflight(root, "sdz") < 0);
	assert_int_equal(parked_io_inflight(root, ""), -EINVAL);
	assert_int_equal(parked_io_set_state(root, "../sdb", true), -EINVAL);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The map as the view leaves it: multipathd's states read, each path
 * judged; then the question. */
static bool refused(struct fake_map *f, size_t i)
{
	for (int k = 0; k < 4; k++) {
		f->mpp[k].dm_active = !strcmp(f->mpp[k].dm_st, "active");
		f->mpp[k].dm_failed = !strcmp(f->mpp[k].dm_st, "failed");
		f->mpp[k].chk_up = true;
		view_judge_path(&f->p[k]);
	}
	return refused_path_in_use(&f->m, i);
}

static void test_refused(void **state)
{
	struct fake_map f;
	(void)state;

	/* LIO offline: hpms01's RTPG refused, hpms02 says group 1 offline */
	fake(&f, ALUA_OFFLINE, ALUA_ACTIVE_NONOPTIMIZED);
	f.p[0].rtpg.result = TPG_REJECTED;
	f.p[0].rtpg.from_peer = true;
	f.p[1].rtpg.result = TPG_REJECTED;		/* no peer word */
	assert_true(refused(&f, 0));
	assert_true(refused(&f, 1));
	assert_false(refused(&f, 2));
	/* already failed in dm: nothing to do */
	snprintf(f.mpp[0].dm_st, sizeof(f.mpp[0].dm_st), "failed");
	assert_false(refused(&f, 0));
	/* unavailable by its own answer */
	fake(&f, ALUA_UNAVAILABLE, ALUA_ACTIVE_NONOPTIMIZED);
	assert_true(refused(&f, 0));
	/* standby, transitioning, a timeout: the kernel's business */
	fake(&f, ALUA_STANDBY, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(refused(&f, 0));
	fake(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(refused(&f, 0));
	fake(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	f.p[0].rtpg.result = TPG_TIMEOUT;
	assert_false(refused(&f, 0));
	f.p[0].rtpg_done = false;
	assert_false(refused(&f, 0));
}

static const char *state_of(const char *root, const char *dev)
{
	static char buf[32];
	char p[600];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/sys/block/%s/device/state", root, dev);
	fp = fopen(p, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	return buf;
}

/* The running write goes to a thread (the kernel's rescan may hold it):
 * wait a moment for it. */
static const char *state_soon(const char *root, const char *dev,
			      const char *want)
{
	for (int i = 0; i < 200 && strcmp(state_of(root, dev), want); i++)
		usleep(5000);
	return state_of(root, dev);
}

/* The tracker: grace, once offline per transition, running after. */
static void test_tracker(void **state)
{
	char root[] = "/tmp/pw-parked-XXXXXX", cmd[700];
	struct parked_io pk = { 0 };
	struct fake_sys f;
	(void)state;

	assert_non_null(mkdtemp(root));
	for (int i = 0; i < 4; i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/sd%c/device' "
			 "&& echo running > '%s/sys/block/sd%c/device/state'",
			 root, 'a' + i, root, 'a' + i);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/dm-0' && echo "
		 "'       0        0' > '%s/sys/block/dm-0/inflight'", root, root);
	assert_int_equal(system(cmd), 0);
	pk.root = root;
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	/* nothing in flight on the map: a transition with no I/O is left
	 * alone, however long */
	assert_false(parked_io_review(&pk, &f.s, 500));
	assert_false(parked_io_review(&pk, &f.s, 500 + 10 * PARKED_GRACE_MS));
	assert_string_equal(state_of(root, "sda"), "running\n");
	parked_io_release(&pk);
	snprintf(cmd, sizeof(cmd), "echo '       1        0' > "
		 "'%s/sys/block/dm-0/inflight'", root);
	assert_int_equal(system(cmd), 0);
	/* first sight: within the grace, nothing happens */
	assert_false(parked_io_review(&pk, &f.s, 1000));
	assert_false(parked_io_review(&pk, &f.s, 1000 + PARKED_GRACE_MS - 1));
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* past it: both of hpms01's disks offline, hpms02's untouched */
	assert_true(parked_io_review(&pk, &f.s, 1000 + PARKED_GRACE_MS));
	assert_string_equal(state_of(root, "sda"), "offline\n");
	assert_string_equal(state_of(root, "sdb"), "offline\n");
	assert_string_equal(state_of(root, "sdc"), "running\n");
	/* long enough for every parked request to be re-dispatched */
	assert_true(parked_io_tick(&pk, 1000 + PARKED_GRACE_MS +
				      PARKED_OFFLINE_MS - 1));
	assert_false(parked_io_tick(&pk, 1000 + PARKED_GRACE_MS +
				       PARKED_OFFLINE_MS));
	assert_string_equal(state_soon(root, "sda", "running\n"), "running\n");
	assert_string_equal(state_soon(root, "sdb", "running\n"), "running\n");
	/* once per transition: the same one goes on, nothing more */
	assert_false(parked_io_review(&pk, &f.s, 9000));
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* it ends; a new one gets its own grace and bounce */
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(parked_io_review(&pk, &f.s, 10000));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(parked_io_review(&pk, &f.s, 11000));
	assert_true(parked_io_review(&pk, &f.s, 11000 + PARKED_GRACE_MS));
	/* release sets every disk running */
	parked_io_release(&pk);
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* no other usable group: never */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_STANDBY);
	assert_false(parked_io_review(&pk, &f.s, 20000));
	assert_false(parked_io_review(&pk, &f.s, 30000));
	assert_string_equal(state_of(root, "sda"), "running\n");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The refused path's failure goes to dm, never to multipathd's checker. */
static void test_dm_fail_path(void **state)
{
	char dir[] = "/tmp/pw-dmfail-XXXXXX", p[600], line[128] = "";
	FILE *fp;
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(dm_fail_path("mpatha", "8:16", dir), 0);
	snprintf(p, sizeof(p), "%s/commands.log", dir);
	fp = fopen(p, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "dm message mpatha 0 fail_path 8:16\n");
	assert_int_equal(dm_fail_path("mpatha", "8:16 x", dir), -EINVAL);
	assert_int_equal(dm_fail_path("../x", "8:16", dir), -EINVAL);
	assert_int_equal(dm_fail_path("mpatha", "", dir), -EINVAL);
	unlink(p);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidate),
		cmocka_unit_test(test_sysfs),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_tracker),
		cmocka_unit_test(test_dm_fail_path),
	};

	return cmocka_run_group_tests_name("parked_io", tests, NULL, NULL);
}
