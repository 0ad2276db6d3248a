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
	assert_true(parked_io_candidate(NULL, &f.s, 0, 0));
	assert_true(parked_io_candidate(NULL, &f.s, 1, 0));
	assert_false(parked_io_candidate(NULL, &f.s, 2, 0));

	/* no other usable group: I/O waits for the transition */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_STANDBY);
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_TRANSITIONING);
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));

	/* the usable disks offline, or their sessions down: none */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	snprintf(f.sd[2].state, sizeof(f.sd[2].state), "offline");
	assert_true(parked_io_candidate(NULL, &f.s, 0, 0));	/* sdd still serves */
	snprintf(f.sess[3].state, sizeof(f.sess[3].state), "FAILED");
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));

	/* another map's, or another LU's, usable disk does not count */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	snprintf(f.sd[2].holder, sizeof(f.sd[2].holder), "dm-1");
	snprintf(f.sd[3].wwid, sizeof(f.sd[3].wwid), "naa.6001406");
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));

	/* a disk in no map, not transitioning: never */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_OPTIMIZED);
	f.sd[0].holder[0] = '\0';
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));
	fake_sys(&f, ALUA_STANDBY, ALUA_ACTIVE_OPTIMIZED);
	assert_false(parked_io_candidate(NULL, &f.s, 0, 0));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_LBA_DEPENDENT);
	assert_true(parked_io_candidate(NULL, &f.s, 0, 0));
}

static const struct parked_rtpg *rtpg_dev(const struct parked_io *pk,
					  const char *dev)
{
	for (size_t i = 0; i < pk->n_rtpg; i++)
		if (!strcmp(pk->r[i].dev, dev))
			return &pk->r[i];
	return NULL;
}

/* The target's RTPG answer, when fresh, stands over scsi_dh_alua's
 * access_state, which a missed RTPG can leave behind. */
static void test_candidate_rtpg(void **state)
{
	struct parked_io pk = { 0 };
	struct fake_sys f;
	(void)state;

	/* the kernel still says AO for hpms01, the target says T */
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(parked_io_candidate(&pk, &f.s, 0, 1000));
	parked_io_note_rtpg(&pk, "sda", ALUA_TRANSITIONING, 1000);
	parked_io_note_rtpg(&pk, "sdb", ALUA_TRANSITIONING, 1000);
	assert_true(parked_io_rtpg_transition(&pk, 1000));
	assert_true(parked_io_candidate(&pk, &f.s, 0, 1000));
	assert_true(parked_io_candidate(&pk, &f.s, 1, 1000 +
					PARKED_RTPG_FRESH_MS));
	assert_false(parked_io_candidate(&pk, &f.s, 2, 1000));
	/* stale: the kernel's word again */
	assert_false(parked_io_candidate(&pk, &f.s, 0, 1001 +
					 PARKED_RTPG_FRESH_MS));
	assert_false(parked_io_rtpg_transition(&pk, 1001 +
					       PARKED_RTPG_FRESH_MS));
	/* a later answer replaces the earlier one */
	parked_io_note_rtpg(&pk, "sda", ALUA_ACTIVE_OPTIMIZED, 2000);
	assert_false(parked_io_candidate(&pk, &f.s, 0, 2000));
	assert_int_equal(pk.n_rtpg, 2);

	/* the kernel says ANO for hpms02, the target says T there too:
	 * no group serves, nothing to move */
	memset(&pk, 0, sizeof(pk));
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	parked_io_note_rtpg(&pk, "sdc", ALUA_TRANSITIONING, 0);
	assert_true(parked_io_candidate(&pk, &f.s, 0, 0));	/* sdd */
	parked_io_note_rtpg(&pk, "sdd", ALUA_STANDBY, 0);
	assert_false(parked_io_candidate(&pk, &f.s, 0, 0));
	/* the kernel says T, the target says the group serves again */
	parked_io_note_rtpg(&pk, "sda", ALUA_ACTIVE_OPTIMIZED, 0);
	parked_io_note_rtpg(&pk, "sdd", ALUA_ACTIVE_NONOPTIMIZED, 0);
	assert_false(parked_io_candidate(&pk, &f.s, 0, 0));
	assert_true(parked_io_candidate(&pk, &f.s, 1, 0));

	/* an answer that names no state drops the disk's note: the
	 * kernel's word (T for sda) stands again */
	parked_io_note_rtpg(&pk, "sda", -1, 0);
	assert_true(parked_io_candidate(&pk, &f.s, 0, 0));

	/* the freshness the daemon sets (a batch and a look) */
	memset(&pk, 0, sizeof(pk));
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	pk.rtpg_timeout_ms = 10000 - PARKED_LOOK_MS - 1000;
	parked_io_note_rtpg(&pk, "sda", ALUA_TRANSITIONING, 0);
	assert_true(parked_io_candidate(&pk, &f.s, 0, 10000));
	assert_false(parked_io_candidate(&pk, &f.s, 0, 10001));

	/* a table full of fresh answers takes no new disk; when full,
	 * the stale ones are dropped to make room */
	memset(&pk, 0, sizeof(pk));
	for (unsigned int i = 0; i < PARKED_RTPG_MAX; i++) {
		char dev[16];

		snprintf(dev, sizeof(dev), "sd%u", i);
		parked_io_note_rtpg(&pk, dev, ALUA_TRANSITIONING, 10);
	}
	assert_int_equal(pk.n_rtpg, PARKED_RTPG_MAX);
	parked_io_note_rtpg(&pk, "sdnew", ALUA_TRANSITIONING, 20);
	assert_null(rtpg_dev(&pk, "sdnew"));
	assert_non_null(rtpg_dev(&pk, "sd0"));
	parked_io_note_rtpg(&pk, "sd5", ALUA_STANDBY, 20);	/* replaced */
	assert_int_equal(rtpg_dev(&pk, "sd5")->state, ALUA_STANDBY);
	parked_io_note_rtpg(&pk, "sdnew", ALUA_TRANSITIONING,
			    11 + PARKED_RTPG_FRESH_MS);
	/* every stale answer went, the fresh one (sd5) stayed */
	assert_non_null(rtpg_dev(&pk, "sdnew"));
	assert_non_null(rtpg_dev(&pk, "sd5"));
	assert_null(rtpg_dev(&pk, "sd0"));
	assert_int_equal(pk.n_rtpg, 2);
}

/* While a disk is watched, its map's logged-in disks are asked, from
 * sysfs alone. */
static void test_wants_rtpg(void **state)
{
	struct parked_io pk = { 0 };
	struct fake_sys f;
	(void)state;

	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	for (size_t i = 0; i < 4; i++)
		assert_false(parked_io_wants_rtpg(&pk, &f.s, i));
	pk.n = 1;
	snprintf(pk.d[0].dev, sizeof(pk.d[0].dev), "sda");
	snprintf(pk.d[0].holder, sizeof(pk.d[0].holder), "dm-0");
	for (size_t i = 0; i < 4; i++)
		assert_true(parked_io_wants_rtpg(&pk, &f.s, i));
	snprintf(f.sess[2].state, sizeof(f.sess[2].state), "FAILED");
	snprintf(f.sd[3].holder, sizeof(f.sd[3].holder), "dm-1");
	assert_true(parked_io_wants_rtpg(&pk, &f.s, 1));
	assert_false(parked_io_wants_rtpg(&pk, &f.s, 2));	/* logged out */
	assert_false(parked_io_wants_rtpg(&pk, &f.s, 3));	/* other map */
	f.sd[1].holder[0] = '\0';
	assert_false(parked_io_wants_rtpg(&pk, &f.s, 1));	/* in no map */
	/* a disk watched in another map does not make this one's asked */
	snprintf(pk.d[0].holder, sizeof(pk.d[0].holder), "dm-1");
	assert_false(parked_io_wants_rtpg(&pk, &f.s, 0));
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

/* The map's counters as /sys/block/dm-0/{inflight,stat} show them. */
static void map_io(const char *root, int inflight, unsigned int done)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "echo '%8d        0' > "
		 "'%s/sys/block/dm-0/inflight' && echo '%8u 0 0 0 %8u 0 0 0 "
		 "%d 0 0 0 0 0 0 0 0' > '%s/sys/block/dm-0/stat'", inflight, root,
		 done, done, inflight, root);
	assert_int_equal(system(cmd), 0);
}

/* The tracker: grace, offline, running after; again only when the map is
 * held again; a look every PARKED_LOOK_MS while the transition lasts. */
static void test_tracker(void **state)
{
	char root[] = "/tmp/pw-parked-XXXXXX", cmd[700];
	struct parked_io pk = { 0 };
	struct fake_sys f;
	uint64_t t, done = 0;
	(void)state;

	assert_non_null(mkdtemp(root));
	for (int i = 0; i < 4; i++) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/sd%c/device' "
			 "&& echo running > '%s/sys/block/sd%c/device/state'",
			 root, 'a' + i, root, 'a' + i);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/dm-0'", root);
	assert_int_equal(system(cmd), 0);
	map_io(root, 0, 100);
	assert_int_equal(parked_io_completed(root, "dm-0", &done), 0);
	assert_int_equal(done, 200);
	assert_true(parked_io_completed(root, "dm-9", &done) < 0);
	pk.root = root;
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	/* nothing in flight on the map: a transition with no I/O is left
	 * alone, however long; it is looked at while it lasts */
	assert_int_equal(parked_io_review(&pk, &f.s, 500), PARKED_LOOK_MS);
	assert_int_equal(parked_io_review(&pk, &f.s,
					  500 + 10 * PARKED_GRACE_MS),
			 PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	parked_io_release(&pk);
	map_io(root, 1, 100);
	/* first sight: within the grace, nothing happens; watched */
	assert_false(parked_io_watching(&pk));
	assert_int_equal(parked_io_review(&pk, &f.s, 1000), PARKED_LOOK_MS);
	assert_true(parked_io_watching(&pk));
	assert_int_equal(parked_io_review(&pk, &f.s,
					  1000 + PARKED_GRACE_MS - 1),
			 PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* past it: both of hpms01's disks offline, hpms02's untouched */
	t = 1000 + PARKED_GRACE_MS;
	assert_int_equal(parked_io_review(&pk, &f.s, t), PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	assert_string_equal(state_of(root, "sdb"), "offline\n");
	assert_string_equal(state_of(root, "sdc"), "running\n");
	/* long enough for every parked request to be re-dispatched */
	assert_true(parked_io_tick(&pk, t + PARKED_OFFLINE_MS - 1));
	assert_false(parked_io_tick(&pk, t + PARKED_OFFLINE_MS));
	t += PARKED_OFFLINE_MS;
	assert_string_equal(state_soon(root, "sda", "running\n"), "running\n");
	assert_string_equal(state_soon(root, "sdb", "running\n"), "running\n");
	/* the same transition goes on and the I/O moves (completions grow,
	 * however long): nothing more */
	for (unsigned int k = 1; k <= 10; k++) {
		map_io(root, 1, 100 + k);
		assert_int_equal(parked_io_review(&pk, &f.s, t + k * 1000),
				 PARKED_LOOK_MS);
	}
	t += 10000;
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* requests in flight and none completing: held again (a reload or
	 * a switch sent I/O back to the group); not before PARKED_STUCK_MS */
	assert_int_equal(parked_io_review(&pk, &f.s, t + 1), PARKED_LOOK_MS);
	assert_int_equal(parked_io_review(&pk, &f.s,
					  t + PARKED_STUCK_MS - 1),
			 PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	assert_int_equal(parked_io_review(&pk, &f.s, t + PARKED_STUCK_MS),
			 PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	assert_string_equal(state_of(root, "sdb"), "offline\n");
	t += PARKED_STUCK_MS;
	/* longer this time: the group's activation retries its RTPG every
	 * 2 s and ends only when one fails */
	assert_true(parked_io_tick(&pk, t + PARKED_OFFLINE_MS));
	assert_true(parked_io_tick(&pk, t + PARKED_REOFFLINE_MS - 1));
	assert_false(parked_io_tick(&pk, t + PARKED_REOFFLINE_MS));
	t += PARKED_REOFFLINE_MS;
	assert_string_equal(state_soon(root, "sda", "running\n"), "running\n");
	/* held still: again, at most PARKED_MAX_BOUNCES times in all */
	for (unsigned int k = 2; k < PARKED_MAX_BOUNCES + 3; k++) {
		t += PARKED_STUCK_MS;
		parked_io_review(&pk, &f.s, t);
		if (k < PARKED_MAX_BOUNCES) {
			assert_string_equal(state_of(root, "sda"),
					    "offline\n");
			assert_false(parked_io_tick(&pk,
						    t + PARKED_REOFFLINE_MS));
			t += PARKED_REOFFLINE_MS;
			assert_string_equal(state_soon(root, "sda",
						       "running\n"),
					    "running\n");
		} else {
			assert_string_equal(state_of(root, "sda"),
					    "running\n");
		}
	}
	/* it ends: nothing to look at any more */
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(parked_io_review(&pk, &f.s, t + 500), 0);
	assert_false(parked_io_watching(&pk));
	/* dm queueing the map's I/O while it activates the transitioning
	 * group (nothing counted in flight, nothing completing): held too */
	t += 1000;
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sys/block/dm-0/dm' "
		 "'%s/cap/dmstatus' && echo mpatha > '%s/sys/block/dm-0/dm/name'"
		 " && echo '2 1 1 0 2 1 E 0 2 2 8:32 A 0 0 1 8:48 A 0 0 1 E 0 2 "
		 "2 8:0 A 0 0 1 8:16 A 0 0 1' > '%s/cap/dmstatus/mpatha'",
		 root, root, root, root);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/cap", root);
	pk.dm_capture_dir = cmd;
	map_io(root, 0, 500);
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	/* the first time too (I/O sent to the group as it went into
	 * transition, held while the group activates), after the grace */
	assert_int_equal(parked_io_review(&pk, &f.s, t), PARKED_LOOK_MS);
	assert_int_equal(parked_io_review(&pk, &f.s, t + PARKED_GRACE_MS - 1),
			 PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	assert_int_equal(parked_io_review(&pk, &f.s, t + PARKED_GRACE_MS),
			 PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	/* as long as for an activation met later: it ends when an RTPG
	 * fails, and it repeats them every 2 s */
	assert_true(parked_io_tick(&pk, t + PARKED_GRACE_MS +
					     PARKED_OFFLINE_MS));
	assert_false(parked_io_tick(&pk, t + PARKED_GRACE_MS +
					      PARKED_REOFFLINE_MS));
	t += PARKED_GRACE_MS + PARKED_REOFFLINE_MS;
	assert_string_equal(state_soon(root, "sda", "running\n"), "running\n");
	/* ... and again while dm still queues: not counted in flight,
	 * still held */
	map_io(root, 0, 500);
	assert_int_equal(parked_io_review(&pk, &f.s, t + 100), PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	assert_int_equal(parked_io_review(&pk, &f.s,
					  t + 100 + PARKED_STUCK_MS),
			 PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	parked_io_release(&pk);
	pk.dm_capture_dir = NULL;
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(parked_io_review(&pk, &f.s, t + 1000), 0);
	/* a new one gets its own grace and first time offline */
	t += 2000;
	map_io(root, 1, 600);
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(parked_io_review(&pk, &f.s, t), PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	assert_int_equal(parked_io_review(&pk, &f.s, t + PARKED_GRACE_MS),
			 PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	/* release sets every disk running */
	parked_io_release(&pk);
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* no other usable group: never, and nothing to watch */
	fake_sys(&f, ALUA_TRANSITIONING, ALUA_STANDBY);
	assert_int_equal(parked_io_review(&pk, &f.s, 20000), 0);
	assert_int_equal(parked_io_review(&pk, &f.s, 30000), 0);
	assert_string_equal(state_of(root, "sda"), "running\n");
	/* the kernel missed the transition (access_state still AO), the
	 * target's answer says it: the same grace, then offline */
	fake_sys(&f, ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED);
	map_io(root, 1, 700);
	assert_int_equal(parked_io_review(&pk, &f.s, 40000), 0);
	parked_io_note_rtpg(&pk, "sda", ALUA_TRANSITIONING, 40000);
	parked_io_note_rtpg(&pk, "sdb", ALUA_TRANSITIONING, 40000);
	assert_int_equal(parked_io_review(&pk, &f.s, 40100), PARKED_LOOK_MS);
	assert_string_equal(state_of(root, "sda"), "running\n");
	assert_int_equal(parked_io_review(&pk, &f.s, 40100 + PARKED_GRACE_MS),
			 PARKED_TICK_MS);
	assert_string_equal(state_of(root, "sda"), "offline\n");
	assert_string_equal(state_of(root, "sdb"), "offline\n");
	assert_string_equal(state_of(root, "sdc"), "running\n");
	parked_io_release(&pk);
	/* once the answers are stale and the kernel says AO: nothing */
	assert_int_equal(parked_io_review(&pk, &f.s, 40001 +
					  PARKED_RTPG_FRESH_MS), 0);
	assert_int_equal(pk.n_rtpg, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* The capture's first recorded command, with the file removed. */
static void first_command(const char *dir, char *line, size_t len)
{
	char p[600];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/commands.log", dir);
	fp = fopen(p, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, (int)len, fp));
	fclose(fp);
	unlink(p);
}

/* dm's own messages, recorded in a capture: the refused path's failure
 * (never multipathd's checker) and the daemon's switch. */
static void test_dm_messages(void **state)
{
	char dir[] = "/tmp/pw-dmmsg-XXXXXX", line[128] = "";
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(dm_fail_path("mpatha", "8:16", dir), 0);
	first_command(dir, line, sizeof(line));
	assert_string_equal(line, "dm message mpatha 0 fail_path 8:16\n");
	assert_int_equal(dm_fail_path("mpatha", "8:16 x", dir), -EINVAL);
	assert_int_equal(dm_fail_path("../x", "8:16", dir), -EINVAL);
	assert_int_equal(dm_fail_path("mpatha", "", dir), -EINVAL);
	assert_int_equal(dm_switch_group("mpatha", 2, dir), 0);
	first_command(dir, line, sizeof(line));
	assert_string_equal(line, "dm message mpatha 0 switch_group 2\n");
	/* groups count from 1; a name is no path */
	assert_int_equal(dm_switch_group("mpatha", 0, dir), -EINVAL);
	assert_int_equal(dm_switch_group("../x", 1, dir), -EINVAL);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidate),
		cmocka_unit_test(test_candidate_rtpg),
		cmocka_unit_test(test_wants_rtpg),
		cmocka_unit_test(test_sysfs),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_tracker),
		cmocka_unit_test(test_dm_messages),
	};

	return cmocka_run_group_tests_name("parked_io", tests, NULL, NULL);
}
