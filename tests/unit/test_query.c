/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-path query, its verdict and the prio values, each on a replayed
 * device (the .replay scripts in tests/fixtures).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pathwarden/replay.h"
#include "pathwarden/tpg_cache.h"
#include "pathwarden/tpg_peers.h"
#include "pathwarden/tpg_query.h"

struct run {
	struct replay_dev *rd;
	struct scsi_dev dev;
	struct tpg_identity id;
	struct tpg_answer ans;
	struct rtpg_report rep;
};

static void run_fixture(const char *name, struct run *r)
{
	char path[512], err[128] = "";

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/%s.replay", FIXTURE_DIR, name);
	r->rd = replay_load(path, err, sizeof(err));
	if (!r->rd)
		fail_msg("%s: %s", path, err);
	replay_attach(&r->dev, r->rd);
	tpg_query(&r->dev, 1000, &r->id, &r->ans, &r->rep);
}

static void done(struct run *r)
{
	replay_free(r->rd);
}

struct state_case {
	const char *fixture;
	enum alua_state state;
	enum path_verdict verdict;
	int prio;
};

static void test_every_state(void **state)
{
	static const struct state_case cases[] = {
		{ "lio-hpms01-ao", ALUA_ACTIVE_OPTIMIZED, PV_UP, 50 },
		{ "lio-hpms01-ano", ALUA_ACTIVE_NONOPTIMIZED, PV_UP, 10 },
		{ "lio-hpms01-lbd", ALUA_LBA_DEPENDENT, PV_UP, 5 },
		{ "lio-hpms01-standby", ALUA_STANDBY, PV_GHOST, 3 },
		{ "lio-hpms01-unavailable", ALUA_UNAVAILABLE, PV_DOWN, 0 },
		{ "lio-hpms01-offline", ALUA_OFFLINE, PV_DOWN, 0 },
		{ "lio-hpms01-transitioning", ALUA_TRANSITIONING, PV_GHOST, 1 },
		{ "lio-hpms01-ano-preferred", ALUA_ACTIVE_NONOPTIMIZED, PV_UP, 11 },
		{ "lio-hpms01-ao-preferred", ALUA_ACTIVE_OPTIMIZED, PV_UP, 50 },
		{ "scst-length-only", ALUA_ACTIVE_OPTIMIZED, PV_UP, 50 },
		{ "lio61-hpms01-captured", ALUA_ACTIVE_OPTIMIZED, PV_UP, 50 },
	};
	struct prio_weights w;
	(void)state;

	prio_weights_default(&w);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;

		run_fixture(cases[i].fixture, &r);
		assert_int_equal(r.ans.result, TPG_OK);
		assert_true(r.id.valid);
		assert_int_equal(r.id.group_id, 1);
		assert_int_equal(r.id.rel_port, 1);
		assert_int_equal(r.ans.own.group_id, 1);
		assert_int_equal(r.ans.own.state, cases[i].state);
		assert_int_equal(tpg_verdict(&r.ans), cases[i].verdict);
		assert_int_equal(tpg_prio(&r.ans.own, &w), cases[i].prio);
		assert_int_equal(r.rep.n_groups, 2);
		/* first query: INQUIRY + VPD 0x83 + RTPG */
		assert_int_equal(r.ans.commands, 3);
		assert_true(r.ans.identity_reread);
		done(&r);
	}
}

static void test_identity_read_once(void **state)
{
	struct run r;
	(void)state;

	run_fixture("lio-hpms01-ao", &r);
	assert_int_equal(replay_count(r.rd, "inq83"), 1);
	for (int i = 0; i < 5; i++) {
		tpg_query(&r.dev, 1000, &r.id, &r.ans, NULL);
		assert_int_equal(r.ans.result, TPG_OK);
		assert_int_equal(r.ans.commands, 1);	/* one RTPG per check */
		assert_false(r.ans.identity_reread);
	}
	assert_int_equal(replay_count(r.rd, "inq83"), 1);
	assert_int_equal(replay_count(r.rd, "rtpg"), 6);
	done(&r);
}

static void test_unit_attention_retried(void **state)
{
	struct run r;
	(void)state;

	run_fixture("ua-then-ao", &r);
	assert_int_equal(r.ans.result, TPG_OK);
	assert_int_equal(r.ans.own.state, ALUA_ACTIVE_OPTIMIZED);
	assert_int_equal(replay_count(r.rd, "rtpg"), 2);
	assert_int_equal(r.ans.sense.verdict, SENSE_ALUA_CHANGED);
	done(&r);
}

static void test_sense_on_rtpg_gives_state(void **state)
{
	struct run r;
	(void)state;

	run_fixture("rtpg-sense-transitioning", &r);
	assert_int_equal(r.ans.result, TPG_OK);
	assert_int_equal(r.ans.own.state, ALUA_TRANSITIONING);
	assert_int_equal(tpg_verdict(&r.ans), PV_GHOST);
	done(&r);
}

struct fail_case {
	const char *fixture;
	enum tpg_result result;
	enum path_verdict verdict;
};

static void test_failures(void **state)
{
	static const struct fail_case cases[] = {
		{ "no-alua", TPG_NOT_ALUA, PV_UNSUPPORTED },
		{ "rtpg-unsupported", TPG_NOT_ALUA, PV_UNSUPPORTED },
		{ "rtpg-transport", TPG_TRANSPORT, PV_DOWN },
		{ "rtpg-busy", TPG_BAD_STATUS, PV_PENDING },
		{ "rtpg-garbage", TPG_BAD_RESPONSE, PV_DOWN },
		{ "rtpg-overlong", TPG_BAD_RESPONSE, PV_DOWN },
		{ "group-missing", TPG_GROUP_MISSING, PV_DOWN },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;

		run_fixture(cases[i].fixture, &r);
		assert_int_equal(r.ans.result, cases[i].result);
		assert_int_equal(tpg_verdict(&r.ans), cases[i].verdict);
		assert_non_null(tpg_result_name(r.ans.result));
		done(&r);
	}
}

static void test_group_missing_rereads_identity_once(void **state)
{
	struct run r;
	(void)state;

	run_fixture("lio-hpms01-ao", &r);
	replay_free(r.rd);
	/* the same device node now answers for an LU without our group */
	{
		char path[512], err[128];

		snprintf(path, sizeof(path), "%s/group-missing.replay",
			 FIXTURE_DIR);
		r.rd = replay_load(path, err, sizeof(err));
		assert_non_null(r.rd);
		replay_attach(&r.dev, r.rd);
	}
	tpg_query(&r.dev, 1000, &r.id, &r.ans, NULL);
	assert_int_equal(r.ans.result, TPG_GROUP_MISSING);
	assert_true(r.ans.identity_reread);
	/* RTPG, INQUIRY, VPD 0x83, RTPG: bounded, no loop */
	assert_int_equal(r.ans.commands, 4);
	done(&r);
}

/* A device in group 5 whose RTPG answers with @rtpg_rule. */
static void run_rtpg_rule(const char *rtpg_rule, struct run *r)
{
	char script[256], err[128] = "";

	memset(r, 0, sizeof(*r));
	snprintf(script, sizeof(script),
		 "inq good 00 00 05 02 1f 10 00 02\n"
		 "inq83 good 00 83 00 08 61 95 00 04 00 00 00 05\n"
		 "rtpg %s\n", rtpg_rule);
	r->rd = replay_load_string(script, err, sizeof(err));
	if (!r->rd)
		fail_msg("%s", err);
	replay_attach(&r->dev, r->rd);
	tpg_query(&r->dev, 1000, &r->id, &r->ans, NULL);
}

static void test_timeout(void **state)
{
	struct run r;
	(void)state;

	run_rtpg_rule("timeout", &r);
	assert_int_equal(r.ans.result, TPG_TIMEOUT);
	assert_int_equal(tpg_verdict(&r.ans), PV_TIMEOUT);
	assert_int_equal(r.id.group_id, 5);
	done(&r);
}

static void test_unit_attention_storm_bounded(void **state)
{
	struct run r;
	(void)state;

	run_rtpg_rule("sense 06 2a 06", &r);
	assert_int_equal(r.ans.result, TPG_SENSE);
	assert_int_equal(replay_count(r.rd, "rtpg"), 4);
	done(&r);
}

static void test_replay_script_errors(void **state)
{
	char err[128];
	(void)state;

	assert_null(replay_load_string("rtpg good zz\n", err, sizeof(err)));
	assert_string_equal(err, "line 1: bad hex byte 'zz'");
	assert_null(replay_load_string("# c\n\nfoo good\n", err, sizeof(err)));
	assert_string_equal(err, "line 3: unknown command 'foo'");
	assert_null(replay_load_string("rtpg sense 06\n", err, sizeof(err)));
	assert_null(replay_load_string("  00 01\n", err, sizeof(err)));
	assert_null(replay_load("/nonexistent/x.replay", err, sizeof(err)));
}

static void test_prio_weights(void **state)
{
	struct prio_weights w;
	struct tpg_desc d = { .state = ALUA_ACTIVE_OPTIMIZED, .preferred = true };
	char err[128];
	(void)state;

	prio_weights_default(&w);
	assert_int_equal(tpg_prio(&d, &w), 50);
	assert_true(prio_weights_parse("exclusive_pref_bit", &w, err,
				       sizeof(err)));
	assert_int_equal(tpg_prio(&d, &w), 51);
	d.state = ALUA_STANDBY;
	assert_int_equal(tpg_prio(&d, &w), 4);
	d.preferred = false;
	assert_true(prio_weights_parse("ao=70, ano=20 lba=6 standby=4,max_age_ms=500",
				       &w, err, sizeof(err)));
	assert_int_equal(tpg_prio(&d, &w), 4);
	d.state = ALUA_ACTIVE_NONOPTIMIZED;
	assert_int_equal(tpg_prio(&d, &w), 20);
	assert_int_equal(w.max_age_ms, 500);
	d.state = ALUA_OFFLINE;
	assert_int_equal(tpg_prio(&d, &w), 0);
	d.preferred = true;	/* no bonus lifts an unusable group */
	assert_int_equal(tpg_prio(&d, &w), 0);
	d.state = ALUA_TRANSITIONING;
	assert_int_equal(tpg_prio(&d, &w), 2);

	/* stock's +80 would let a preferred standby outrank ANO */
	prio_weights_default(&w);
	assert_false(prio_weights_parse("pref=80", &w, err, sizeof(err)));
	assert_non_null(strstr(err, "class order"));
	prio_weights_default(&w);
	assert_false(prio_weights_parse("trans=0", &w, err, sizeof(err)));
	prio_weights_default(&w);
	assert_false(prio_weights_parse("ano=60", &w, err, sizeof(err)));
	prio_weights_default(&w);
	assert_true(prio_weights_parse("trans=2 standby=4 lba=6", &w, err,
				       sizeof(err)));

	assert_false(prio_weights_parse("bogus", &w, err, sizeof(err)));
	assert_string_equal(err, "unknown prio_args word 'bogus'");
	assert_false(prio_weights_parse("ao=-1", &w, err, sizeof(err)));
	assert_false(prio_weights_parse("ao=", &w, err, sizeof(err)));
	assert_false(prio_weights_parse("ao=99999", &w, err, sizeof(err)));
	assert_false(prio_weights_parse("zz=1", &w, err, sizeof(err)));
	prio_weights_default(&w);
	assert_true(prio_weights_parse("", &w, err, sizeof(err)));
	assert_true(prio_weights_parse(NULL, &w, err, sizeof(err)));
}

/*
 * Every class outranks the ones below it whatever the preferred bits:
 * the order group_by_prio must keep (issue alua-states).
 */
static void test_prio_class_order(void **state)
{
	static const enum alua_state order[] = {
		ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED,
		ALUA_LBA_DEPENDENT, ALUA_STANDBY, ALUA_TRANSITIONING,
		ALUA_UNAVAILABLE,
	};
	const size_t n = sizeof(order) / sizeof(order[0]);
	struct prio_weights w;
	char err[128];
	(void)state;

	for (int excl = 0; excl < 2; excl++) {
		prio_weights_default(&w);
		if (excl)
			assert_true(prio_weights_parse("exclusive_pref_bit",
						       &w, err, sizeof(err)));
		for (size_t i = 0; i + 1 < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				struct tpg_desc hi = { .state = order[i] };
				struct tpg_desc lo = { .state = order[j],
						       .preferred = true };

				assert_true(tpg_prio(&hi, &w) >
					    tpg_prio(&lo, &w));
			}
	}
	/* offline ranks with unavailable, at the bottom */
	{
		struct tpg_desc off = { .state = ALUA_OFFLINE, .preferred = true };
		struct tpg_desc un = { .state = ALUA_UNAVAILABLE };

		prio_weights_default(&w);
		assert_int_equal(tpg_prio(&off, &w), tpg_prio(&un, &w));
	}
}

static void test_cache_take(void **state)
{
	struct dev_key k1 = { 1, 2, 3 }, k2 = { 1, 2, 4 };
	struct tpg_answer a = { .result = TPG_OK }, out;
	(void)state;

	a.own.state = ALUA_STANDBY;
	tpg_cache_store(&k1, &a, 1000);
	assert_false(tpg_cache_take(&k2, 1500, 1100, &out));
	assert_false(tpg_cache_take(&k1, 1500, 2501, &out));	/* too old */
	assert_true(tpg_cache_take(&k1, 1500, 2500, &out));
	assert_int_equal(out.own.state, ALUA_STANDBY);
	/* consumed: a second prio call must ask the device */
	assert_false(tpg_cache_take(&k1, 1500, 2500, &out));
	tpg_cache_store(&k1, &a, 3000);
	assert_true(tpg_cache_take(&k1, 1500, 3000, &out));
	tpg_cache_store(&k1, &a, 4000);
	tpg_cache_forget(&k1);
	assert_false(tpg_cache_take(&k1, 1500, 4000, &out));
	/* grow past the first allocation */
	for (unsigned int i = 0; i < 200; i++) {
		struct dev_key k = { 9, i, i };

		tpg_cache_store(&k, &a, 5000);
	}
	{
		struct dev_key k = { 9, 150, 150 };

		assert_true(tpg_cache_take(&k, 10, 5000, &out));
	}
	/*
	 * Full again ten minutes later: the idle entries make room (0.15
	 * never forgets a removed path one by one), a busy one stays.
	 */
	{
		struct dev_key busy = { 9, 7, 7 }, idle = { 9, 8, 8 };
		uint64_t later = 5000 + 10 * 60 * 1000 + 1;

		tpg_cache_set_busy(&busy, true, 5000);
		for (unsigned int i = 200; i < 600; i++) {
			struct dev_key k = { 9, i, i };

			tpg_cache_store(&k, &a, later);
		}
		assert_true(tpg_cache_stuck(&busy, later, 1000));
		assert_false(tpg_cache_take(&idle, UINT_MAX, later, &out));
		{
			struct dev_key k = { 9, 599, 599 };

			assert_true(tpg_cache_take(&k, 10, later, &out));
		}
	}
	tpg_cache_clear();
}

static void write_file(const char *dir, const char *name, const uint8_t *b,
		       size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
}

static void test_identity_from_sysfs(void **state)
{
	static const uint8_t inq[36] = { 0, 0, 5, 2, 31, 0x10, 0, 2 };
	static const uint8_t inq_no_alua[36] = { 0, 0, 5, 2, 31, 0x00, 0, 2 };
	static const uint8_t vpd[] = { 0x00, 0x83, 0x00, 0x10,
				       0x61, 0x94, 0x00, 0x04, 0, 0, 0, 7,
				       0x61, 0x95, 0x00, 0x04, 0, 0, 0, 2 };
	static const uint8_t vpd_no_tpg[] = { 0x00, 0x83, 0x00, 0x08,
					      0x61, 0x94, 0x00, 0x04, 0, 0, 0, 7 };
	char dir[] = "/tmp/pw-sysfs-XXXXXX";
	struct tpg_identity id;
	(void)state;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_OS_ERROR);
	write_file(dir, "inquiry", inq, sizeof(inq));
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_OS_ERROR);
	write_file(dir, "vpd_pg83", vpd, sizeof(vpd));
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_OK);
	assert_true(id.valid);
	assert_int_equal(id.group_id, 2);
	assert_int_equal(id.rel_port, 7);
	assert_int_equal(id.tpgs, ALUA_TPGS_IMPLICIT);
	write_file(dir, "vpd_pg83", vpd_no_tpg, sizeof(vpd_no_tpg));
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_NO_GROUP_ID);
	assert_false(id.valid);
	write_file(dir, "vpd_pg83", vpd, 6);	/* cut inside a designator */
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_BAD_RESPONSE);
	write_file(dir, "inquiry", inq_no_alua, sizeof(inq_no_alua));
	assert_int_equal(tpg_identity_from_sysfs(dir, &id), TPG_NOT_ALUA);
	{
		char path[600];

		snprintf(path, sizeof(path), "%s/inquiry", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/vpd_pg83", dir);
		unlink(path);
		rmdir(dir);
	}
}

/* LIO with its group offline: every command refused, INQUIRY included. */
static void test_offline_rejects(void **state)
{
	struct run r;
	(void)state;

	run_rtpg_rule("sense 05 24 00", &r);	/* identity read, RTPG refused */
	assert_int_equal(r.ans.result, TPG_REJECTED);
	assert_int_equal(tpg_verdict(&r.ans), PV_DOWN);
	assert_true(r.ans.group_known);
	assert_int_equal(r.ans.own.group_id, 5);
	assert_false(r.ans.from_peer);
	done(&r);

	{
		char err[128];
		struct replay_dev *rd = replay_load_string(
			"inq sense 05 24 00\n", err, sizeof(err));
		struct scsi_dev dev = { 0 };
		struct tpg_identity id = { 0 };
		struct tpg_answer ans;

		assert_non_null(rd);
		replay_attach(&dev, rd);
		tpg_query(&dev, 1000, &id, &ans, NULL);
		/* never "does not support ALUA" for a refused INQUIRY */
		assert_int_equal(ans.result, TPG_REJECTED);
		assert_false(ans.group_known);
		assert_int_equal(tpg_verdict(&ans), PV_DOWN);
		replay_free(rd);
	}
}

/* Refused with "invalid opcode" after this path answered RTPG: refused. */
static void test_rejected_after_answer(void **state)
{
	char err[128];
	struct run r;
	(void)state;

	memset(&r, 0, sizeof(r));
	r.rd = replay_load_string(
		"inq good 00 00 05 02 1f 10 00 02\n"
		"inq83 good 00 83 00 08 61 95 00 04 00 00 00 05\n"
		"rtpg once good 00 00 00 08 01 cf 00 05 00 00 00 00\n"
		"rtpg sense 05 20 00\n", err, sizeof(err));
	assert_non_null(r.rd);
	replay_attach(&r.dev, r.rd);
	tpg_query(&r.dev, 1000, &r.id, &r.ans, NULL);
	assert_int_equal(r.ans.result, TPG_OK);
	assert_true(r.id.rtpg_answered);
	tpg_query(&r.dev, 1000, &r.id, &r.ans, NULL);
	assert_int_equal(r.ans.result, TPG_REJECTED);
	assert_int_equal(tpg_verdict(&r.ans), PV_DOWN);
	done(&r);
}

/* The report hpms02's path gives of both groups. */
static void peer_report(struct rtpg_report *rep, enum alua_state g1,
			bool pref1)
{
	memset(rep, 0, sizeof(*rep));
	rep->n_groups = 2;
	rep->implicit_transition_s = 10;
	rep->groups[0].group_id = 1;
	rep->groups[0].state = g1;
	rep->groups[0].preferred = pref1;
	rep->groups[1].group_id = 2;
	rep->groups[1].state = ALUA_ACTIVE_NONOPTIMIZED;
}

static void test_peer_report(void **state)
{
	struct rtpg_report rep;
	struct tpg_answer ans = { .result = TPG_REJECTED, .group_known = true };
	struct prio_weights w;
	enum alua_state st;
	bool pref;
	(void)state;

	prio_weights_default(&w);
	ans.own.group_id = 1;
	assert_false(tpg_answer_state(&ans, &st, &pref));
	peer_report(&rep, ALUA_OFFLINE, false);
	assert_true(tpg_answer_from_peer(&ans, &rep, 1200));
	assert_true(ans.from_peer);
	assert_int_equal(ans.peer_age_ms, 1200);
	assert_true(tpg_answer_state(&ans, &st, &pref));
	assert_int_equal(st, ALUA_OFFLINE);
	assert_int_equal(tpg_verdict(&ans), PV_DOWN);
	assert_int_equal(tpg_prio(&ans.own, &w), 0);

	/* refused while a peer says the group is in transition: kept */
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 1;
	peer_report(&rep, ALUA_TRANSITIONING, false);
	assert_true(tpg_answer_from_peer(&ans, &rep, 0));
	assert_int_equal(tpg_verdict(&ans), PV_GHOST);
	assert_int_equal(ans.implicit_transition_s, 10);

	/* a peer saying AO does not make a refusing path usable */
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 1;
	peer_report(&rep, ALUA_ACTIVE_OPTIMIZED, false);
	assert_true(tpg_answer_from_peer(&ans, &rep, 0));
	assert_int_equal(tpg_verdict(&ans), PV_DOWN);

	/* a timeout stays a timeout, with the group's state named */
	ans = (struct tpg_answer){ .result = TPG_TIMEOUT, .group_known = true };
	ans.own.group_id = 1;
	assert_true(tpg_answer_from_peer(&ans, &rep, 0));
	assert_int_equal(tpg_verdict(&ans), PV_TIMEOUT);

	/* no group known, a group the peer does not list, not ALUA: none */
	ans = (struct tpg_answer){ .result = TPG_REJECTED };
	assert_false(tpg_answer_from_peer(&ans, &rep, 0));
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 7;
	assert_false(tpg_answer_from_peer(&ans, &rep, 0));
	ans = (struct tpg_answer){ .result = TPG_NOT_ALUA, .group_known = true };
	ans.own.group_id = 1;
	assert_false(tpg_answer_from_peer(&ans, &rep, 0));
	ans = (struct tpg_answer){ .result = TPG_OK, .group_known = true };
	assert_false(tpg_answer_from_peer(&ans, &rep, 0));
}

static void test_peers_board(void **state)
{
	struct tpg_identity lu_a = { .valid = true, .group_id = 1,
				     .lu_len = 3, .lu = { 3, 0x60, 0x01 } };
	struct tpg_identity lu_b = lu_a;
	struct dev_key p1 = { 1, 1, 1 }, p2 = { 1, 2, 2 }, p3 = { 1, 3, 3 };
	struct rtpg_report rep;
	struct tpg_answer ans;
	(void)state;

	lu_b.lu[2] = 0x02;
	/* p1 (group 1) and p2 (group 2) of LU a have both reported */
	peer_report(&rep, ALUA_ACTIVE_OPTIMIZED, false);
	tpg_peers_store(&lu_a, &p1, &rep, 1000);
	peer_report(&rep, ALUA_OFFLINE, false);
	tpg_peers_store(&lu_a, &p2, &rep, 5000);
	/* another LU's report, fresher, says something else */
	peer_report(&rep, ALUA_STANDBY, false);
	tpg_peers_store(&lu_b, &p3, &rep, 6000);

	/* p1 is refused now: the freshest report of LU a but its own */
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 1;
	assert_true(tpg_peers_fill(&lu_a, &p1, 6000, 60000, &ans));
	assert_int_equal(ans.own.state, ALUA_OFFLINE);
	assert_int_equal(ans.peer_age_ms, 1000);
	/* too old */
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 1;
	assert_false(tpg_peers_fill(&lu_a, &p1, 70000, 60000, &ans));
	/* only its own report left: none */
	tpg_peers_forget(&p2);
	ans = (struct tpg_answer){ .result = TPG_REJECTED, .group_known = true };
	ans.own.group_id = 1;
	assert_false(tpg_peers_fill(&lu_a, &p1, 6000, 60000, &ans));
	assert_false(ans.from_peer);
	/* no LU name: nothing stored, nothing found */
	lu_a.lu_len = 0;
	tpg_peers_store(&lu_a, &p2, &rep, 6000);
	assert_false(tpg_peers_fill(&lu_a, &p1, 6000, 60000, &ans));
	/* many paths */
	lu_a.lu_len = 3;
	for (unsigned int i = 0; i < 100; i++) {
		struct dev_key k = { 9, i, i };

		peer_report(&rep, i == 99 ? ALUA_UNAVAILABLE : ALUA_STANDBY,
			    false);
		tpg_peers_store(&lu_a, &k, &rep, 7000 + i);
	}
	ans = (struct tpg_answer){ .result = TPG_SENSE, .group_known = true };
	ans.own.group_id = 1;
	assert_true(tpg_peers_fill(&lu_a, &p1, 8000, 60000, &ans));
	assert_int_equal(ans.own.state, ALUA_UNAVAILABLE);
	/*
	 * A minute on, another LU's paths fill the board: LU a's reports,
	 * too old to be used, make room (paths gone without a free hook on
	 * 0.15 never forget theirs); the fresh ones stay.
	 */
	for (unsigned int i = 0; i < 40; i++) {
		struct dev_key k = { 10, i, i };

		peer_report(&rep, ALUA_STANDBY, false);
		tpg_peers_store(&lu_b, &k, &rep, 67100);
	}
	ans = (struct tpg_answer){ .result = TPG_SENSE, .group_known = true };
	ans.own.group_id = 1;
	assert_false(tpg_peers_fill(&lu_a, &p1, 67100, UINT_MAX, &ans));
	ans = (struct tpg_answer){ .result = TPG_SENSE, .group_known = true };
	ans.own.group_id = 1;
	assert_true(tpg_peers_fill(&lu_b, &p1, 67100, 60000, &ans));
	tpg_peers_clear();
}

/*
 * An answer outdated by a later report of another path of the same LU:
 * p1 reported group 1 optimized at 1000; p2 says at 2000 it is not.
 */
static void test_peers_outdated(void **state)
{
	struct tpg_identity lu_a = { .valid = true, .group_id = 1,
				     .lu_len = 3, .lu = { 3, 0x60, 0x01 } };
	struct tpg_identity lu_b = lu_a;
	struct dev_key p1 = { 1, 1, 1 }, p2 = { 1, 2, 2 }, p3 = { 1, 3, 3 };
	struct rtpg_report rep;
	struct tpg_desc own = { .group_id = 1,
				.state = ALUA_ACTIVE_OPTIMIZED };
	(void)state;

	lu_b.lu[2] = 0x02;
	/* no report of its own: nothing to compare */
	assert_false(tpg_peers_outdated(&p1, &own));
	peer_report(&rep, ALUA_ACTIVE_OPTIMIZED, false);
	tpg_peers_store(&lu_a, &p1, &rep, 1000);
	assert_false(tpg_peers_outdated(&p1, &own));
	/* another LU's later report says otherwise: not this LU */
	peer_report(&rep, ALUA_STANDBY, false);
	tpg_peers_store(&lu_b, &p3, &rep, 2000);
	assert_false(tpg_peers_outdated(&p1, &own));
	/* the same LU, later, agreeing: still good */
	peer_report(&rep, ALUA_ACTIVE_OPTIMIZED, false);
	tpg_peers_store(&lu_a, &p2, &rep, 2000);
	assert_false(tpg_peers_outdated(&p1, &own));
	/* the preferred bit changed: outdated (the prio weighs it) */
	peer_report(&rep, ALUA_ACTIVE_OPTIMIZED, true);
	tpg_peers_store(&lu_a, &p2, &rep, 2000);
	assert_true(tpg_peers_outdated(&p1, &own));
	/* the state changed, later: outdated */
	peer_report(&rep, ALUA_ACTIVE_NONOPTIMIZED, false);
	tpg_peers_store(&lu_a, &p2, &rep, 2000);
	assert_true(tpg_peers_outdated(&p1, &own));
	/* ... but not when p1 has reported since (or at the same time) */
	peer_report(&rep, ALUA_ACTIVE_NONOPTIMIZED, false);
	tpg_peers_store(&lu_a, &p1, &rep, 2000);
	own.state = ALUA_ACTIVE_NONOPTIMIZED;
	assert_false(tpg_peers_outdated(&p1, &own));
	/* a group the later report does not list: no word on it */
	own.group_id = 7;
	own.state = ALUA_STANDBY;
	tpg_peers_store(&lu_a, &p2, &rep, 3000);
	assert_false(tpg_peers_outdated(&p1, &own));
	/* p1 gone from the board: nothing to compare */
	own.group_id = 1;
	tpg_peers_forget(&p1);
	assert_false(tpg_peers_outdated(&p1, &own));
	tpg_peers_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state),
		cmocka_unit_test(test_identity_read_once),
		cmocka_unit_test(test_unit_attention_retried),
		cmocka_unit_test(test_sense_on_rtpg_gives_state),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_group_missing_rereads_identity_once),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_unit_attention_storm_bounded),
		cmocka_unit_test(test_replay_script_errors),
		cmocka_unit_test(test_prio_weights),
		cmocka_unit_test(test_prio_class_order),
		cmocka_unit_test(test_offline_rejects),
		cmocka_unit_test(test_rejected_after_answer),
		cmocka_unit_test(test_peer_report),
		cmocka_unit_test(test_peers_board),
		cmocka_unit_test(test_peers_outdated),
		cmocka_unit_test(test_cache_take),
		cmocka_unit_test(test_identity_from_sysfs),
	};

	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
