/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plugin harness: loads libcheckrtpg.so and libpriortpg.so the way the
 * installed series' multipathd does and drives them against replayed
 * devices.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pathwarden/tpg_peers.h"

#include "fake_sg.h"
#include "mp_loader.h"

static struct mp_checker rtpg;
static struct mp_prio prio;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int setup(void **state)
{
	char err[256];
	(void)state;

	if (mp_checker_load(PLUGIN_DIR "/libcheckrtpg.so", &rtpg, err,
			    sizeof(err))) {
		fprintf(stderr, "load checker: %s\n", err);
		return -1;
	}
	if (mp_prio_load(PRIO_DIR "/libpriortpg.so", &prio, err,
			 sizeof(err))) {
		fprintf(stderr, "load prio: %s\n", err);
		return -1;
	}
	mp_checker_set_async(&rtpg, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mp_prio_unload(&prio);
	mp_checker_unload(&rtpg);
	return 0;
}

/*
 * Each test as a fresh multipathd: no report on the LU board from an
 * earlier test's paths.  (0.9 and 0.11 forget a path's report when its
 * checker is freed; 0.15 has no free hook for an async checker, so there a
 * removed path's report ages out instead, within TPG_PEERS_MAX_AGE_MS.)
 */
static int fresh_board(void **state)
{
	(void)state;
	tpg_peers_clear();
	return 0;
}

static const char *message(void)
{
	return checker_message(&rtpg.c);
}

static bool is_running_msg(void)
{
	return strstr(message(), "still running") != NULL;
}

/* Check as multipathd's 1 s ticks would, faster: until a final answer. */
static int check_settled(void)
{
	uint64_t until = now_ms() + 3000;
	int st;

	for (;;) {
		st = mp_checker_check(&rtpg, PATH_UP);
		if (st != PATH_PENDING || !is_running_msg())
			return st;
		if (now_ms() > until)
			return st;
		sleep_ms(5);
	}
}

struct state_case {
	const char *fixture;
	int path_state;
	int prio;
	const char *msg;
};

static void test_each_state(void **state)
{
	static const struct state_case cases[] = {
		{ "lio-hpms01-ao", PATH_UP, 50, " tpg 1 active/optimized" },
		{ "lio-hpms01-ano", PATH_UP, 10, " tpg 1 active/non-optimized" },
		{ "lio-hpms01-lbd", PATH_UP, 5, " tpg 1 lba-dependent" },
		{ "lio-hpms01-standby", PATH_GHOST, 3, " tpg 1 standby" },
		{ "lio-hpms01-unavailable", PATH_DOWN, 0, " tpg 1 unavailable" },
		{ "lio-hpms01-offline", PATH_DOWN, 0, " tpg 1 offline" },
		{ "lio-hpms01-transitioning", PATH_GHOST, 1,
		  " tpg 1 transitioning" },
		{ "lio-hpms01-ano-preferred", PATH_UP, 11,
		  " tpg 1 active/non-optimized" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = fake_sg_open(cases[i].fixture);
		struct path *pp = mp_path_new(fd, "sdx");

		assert_int_equal(mp_checker_init(&rtpg, fd, 5), 0);
		assert_int_equal(check_settled(), cases[i].path_state);
		assert_string_equal(message(), cases[i].msg);
		assert_int_equal(mp_prio_get(&prio, pp, "", 5000), cases[i].prio);
		mp_checker_free(&rtpg);
		mp_path_free(pp);
		fake_sg_close(fd);
	}
}

/*
 * Transitioning is never down, and never pending either: multipathd keeps
 * a pending path's prio, so a group held in transition kept the I/O.  As
 * ghost its prio drops below every usable group's, and comes back at once.
 */
static void test_transitioning_ghost(void **state)
{
	int fd = fake_sg_open("lio-hpms01-ao");
	struct path *pp = mp_path_new(fd, "sdx");
	(void)state;

	assert_int_equal(mp_checker_init(&rtpg, fd, 5), 0);
	assert_int_equal(check_settled(), PATH_UP);
	assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 50);
	fake_sg_set(fd, "lio-hpms01-transitioning");
	for (int i = 0; i < 5; i++) {
		assert_int_equal(check_settled(), PATH_GHOST);
		assert_string_equal(message(), " tpg 1 transitioning");
		/* below ANO (10) and standby (3): the other group takes I/O */
		assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 1);
	}
	fake_sg_set(fd, "rtpg-sense-transitioning");
	assert_int_equal(check_settled(), PATH_GHOST);
	fake_sg_set(fd, "lio-hpms01-ano");
	assert_int_equal(check_settled(), PATH_UP);
	assert_string_equal(message(), " tpg 1 active/non-optimized");
	assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 10);
	mp_checker_free(&rtpg);
	mp_path_free(pp);
	fake_sg_close(fd);
}

/*
 * hpms01's group goes offline: LIO refuses every command on its ports.
 * The refused path is down (never "does not support ALUA"), and its state
 * is what hpms02's path, one LU, reports of group 1.
 */
static void test_offline_judged_by_peer(void **state)
{
	int fd1 = fake_sg_open("lio-hpms01-ao");
	int fd2 = fake_sg_open("lio-hpms02-sees-hpms01-offline");
	struct path *pp1 = mp_path_new(fd1, "sdx");
	struct mp_checker peer = { .cls = rtpg.cls };
	(void)state;

	assert_int_equal(mp_checker_init(&rtpg, fd1, 5), 0);
	assert_int_equal(mp_checker_init(&peer, fd2, 5), 0);
	assert_int_equal(check_settled(), PATH_UP);
	fake_sg_set(fd1, "lio-hpms01-refused");
	/* no other path has reported yet: down, with the reason */
	assert_int_equal(check_settled(), PATH_DOWN);
	assert_string_equal(message(),
			    " RTPG rejected by the target (illegal request)");
	assert_true(mp_prio_get(&prio, pp1, "", 5000) < 0);
	/* hpms02's path reports both groups */
	{
		uint64_t until = now_ms() + 3000;
		int st;

		do {
			st = mp_checker_check(&peer, PATH_UP);
			sleep_ms(5);
		} while (st == PATH_PENDING && now_ms() < until);
		assert_int_equal(st, PATH_UP);
	}
	assert_int_equal(check_settled(), PATH_DOWN);
	assert_string_equal(message(),
			    " no answer; another path reports its tpg offline");
	assert_int_equal(mp_prio_get(&prio, pp1, "", 5000), 0);
	/* the group comes back */
	fake_sg_set(fd1, "lio-hpms01-ao");
	assert_int_equal(check_settled(), PATH_UP);
	assert_string_equal(message(), " tpg 1 active/optimized");
	mp_checker_free(&peer);
	mp_checker_free(&rtpg);
	mp_path_free(pp1);
	fake_sg_close(fd2);
	fake_sg_close(fd1);
}

static void test_bad_devices(void **state)
{
	static const struct state_case cases[] = {
		{ "rtpg-garbage", PATH_DOWN, -1, " malformed RTPG response" },
		{ "rtpg-transport", PATH_DOWN, -1, " transport error" },
		{ "rtpg-busy", PATH_PENDING, -1, " RTPG got a busy status" },
		{ "no-alua", PATH_WILD, -1,
		  " device does not support ALUA; use path_checker tur" },
		{ "rtpg-unsupported", PATH_WILD, -1,
		  " device does not support ALUA; use path_checker tur" },
		{ "group-missing", PATH_DOWN, -1,
		  " own target port group missing from RTPG" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = fake_sg_open(cases[i].fixture);
		struct path *pp = mp_path_new(fd, "sdx");

		assert_int_equal(mp_checker_init(&rtpg, fd, 5), 0);
		assert_int_equal(check_settled(), cases[i].path_state);
		assert_string_equal(message(), cases[i].msg);
		assert_true(mp_prio_get(&prio, pp, "", 5000) < 0);
		mp_checker_free(&rtpg);
		mp_path_free(pp);
		fake_sg_close(fd);
	}
}

static void test_sync_mode(void **state)
{
	int fd = fake_sg_open("lio-hpms01-standby");
	(void)state;

	mp_checker_set_async(&rtpg, 0);
	assert_int_equal(mp_checker_init(&rtpg, fd, 5), 0);
	assert_int_equal(mp_checker_check(&rtpg, PATH_UP), PATH_GHOST);
	mp_checker_free(&rtpg);
	mp_checker_set_async(&rtpg, 1);
	fake_sg_close(fd);
}

/*
 * A target that never answers: every call returns at once, the path times
 * out within checker_timeout plus a second, and no thread piles up.
 */
static void test_hung_target(void **state)
{
	int base = thread_count(), most = base, fd, st = PATH_PENDING;
	uint64_t start, slowest = 0, timed_out_at = 0, t_prio;
	struct path *pp;
	(void)state;

	fd = fake_sg_open("rtpg-hang");
	pp = mp_path_new(fd, "sdx");
	assert_int_equal(mp_checker_init(&rtpg, fd, 1), 0);
	start = now_ms();
	while (now_ms() - start < 3000) {
		uint64_t t0 = now_ms(), took;

		st = mp_checker_check(&rtpg, PATH_UP);
		took = now_ms() - t0;
		if (took > slowest)
			slowest = took;
		if (thread_count() > most)
			most = thread_count();
		if (st == PATH_TIMEOUT && !timed_out_at)
			timed_out_at = now_ms() - start;
		sleep_ms(50);
	}
	assert_int_equal(st, PATH_TIMEOUT);
	assert_string_equal(message(), " timed out");
	/*
	 * Reported at the timeout (1 s) plus the series' slack, and in any
	 * case long before the hung command returns (4 s); bounds are loose
	 * for loaded CI.
	 */
	assert_true(timed_out_at >= 1000 + MP_TIMEOUT_SLACK_MS &&
		    timed_out_at < 2500 + MP_TIMEOUT_SLACK_MS);
	assert_true(slowest < 500);		/* never blocks multipathd */
	/*
	 * One worker blocked in SG_IO, not one per tick.  0.15 starts a new
	 * runner after a timed-out one: that one sends nothing and ends at
	 * once, so at most one more thread is seen, briefly.
	 */
	assert_true(most <= base + (MPT_THREAD_CHECKER ? 1 : 2));
	assert_int_equal(fake_sg_count(fd, "rtpg"), 1);
	/*
	 * The prio, asked while the checker's RTPG is stuck, sends none of
	 * its own (it would block the checker loop): an error at once, and
	 * multipathd keeps the prio it had.
	 */
	t_prio = now_ms();
	assert_true(mp_prio_get(&prio, pp, "", 5000) < 0);
	t_prio = now_ms() - t_prio;
	assert_true(t_prio < 500);
	/* freeing while the worker hangs in SG_IO must not block */
	start = now_ms();
	mp_checker_free(&rtpg);
	assert_true(now_ms() - start < 500);
	/*
	 * The worker ends when the command does (4 s after it started) and
	 * cleans up after itself; allow a loaded machine a few more seconds.
	 */
	start = now_ms();
	while (thread_count() > base && now_ms() - start < 6000)
		sleep_ms(50);
	assert_int_equal(thread_count(), base);
	mp_path_free(pp);
	fake_sg_close(fd);
	print_message("hung target: timeout reported after %llu ms, "
		      "slowest check call %llu ms, threads %d -> %d, "
		      "prio answered in %llu ms\n",
		      (unsigned long long)timed_out_at,
		      (unsigned long long)slowest, base, most,
		      (unsigned long long)t_prio);
}

/* One SCSI command per path per cycle: the prio takes the checker's answer. */
static void test_one_command_per_cycle(void **state)
{
	int fd = fake_sg_open("lio-hpms01-ao");
	struct path *pp = mp_path_new(fd, "sdx");
	unsigned int before;
	(void)state;

	assert_int_equal(mp_checker_init(&rtpg, fd, 5), 0);
	assert_int_equal(check_settled(), PATH_UP);	/* identity read here */
	assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 50);
	before = fake_sg_total(fd);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(check_settled(), PATH_UP);
		assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 50);
	}
	assert_int_equal(fake_sg_total(fd) - before, 10);
	/* a second prio call in the same cycle asks the device itself */
	before = fake_sg_total(fd);
	assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 50);
	assert_int_equal(fake_sg_total(fd) - before, 3);
	mp_checker_free(&rtpg);
	mp_path_free(pp);
	fake_sg_close(fd);
}

/* Check @c until a final answer, as check_settled() does for rtpg. */
static int check_settled_on(struct mp_checker *c)
{
	uint64_t until = now_ms() + 3000;
	int st;

	do {
		st = mp_checker_check(c, PATH_UP);
		if (st != PATH_PENDING)
			return st;
		sleep_ms(5);
	} while (now_ms() < until);
	return st;
}

/*
 * A switchover between two checks of hpms02's path: hpms01's path, checked
 * after it, reports group 2 optimized; multipathd then refreshes every
 * path's prio.  hpms02's path's cached answer (non-optimized, a moment
 * old) is not taken: the prio asks again and gives 50, so multipathd does
 * not put both nodes' paths in one group at prio 10.  Where the later
 * report agrees, the cached answer serves, no command sent.
 */
static void test_prio_after_a_change(void **state)
{
	int fd1 = fake_sg_open("lio-hpms01-ao");
	int fd2 = fake_sg_open("lio-hpms02-ano");
	struct path *pp1 = mp_path_new(fd1, "sdx");
	struct path *pp2 = mp_path_new(fd2, "sdy");
	struct mp_checker peer = { .cls = rtpg.cls };
	unsigned int before;
	(void)state;

	assert_int_equal(mp_checker_init(&rtpg, fd1, 5), 0);
	assert_int_equal(mp_checker_init(&peer, fd2, 5), 0);
	/* before: each path's prio from its own check, one command each */
	assert_int_equal(check_settled(), PATH_UP);
	assert_int_equal(mp_prio_get(&prio, pp1, "", 5000), 50);
	assert_int_equal(check_settled_on(&peer), PATH_UP);
	sleep_ms(5);
	assert_int_equal(check_settled(), PATH_UP);	/* agrees: group 2 ANO */
	assert_int_equal(mp_prio_get(&prio, pp1, "", 5000), 50);
	before = fake_sg_total(fd2);
	assert_int_equal(mp_prio_get(&prio, pp2, "", 5000), 10);
	assert_int_equal(fake_sg_total(fd2) - before, 0);
	/* hpms02 checked again, then the switchover */
	assert_int_equal(check_settled_on(&peer), PATH_UP);
	fake_sg_set(fd1, "lio-hpms01-ano");
	fake_sg_set(fd2, "lio-hpms02-ao");
	sleep_ms(5);
	assert_int_equal(check_settled(), PATH_UP);
	assert_int_equal(mp_prio_get(&prio, pp1, "", 5000), 10);
	/* the refresh of hpms02's path: asked again, not the cached 10 */
	before = fake_sg_total(fd2);
	assert_int_equal(mp_prio_get(&prio, pp2, "", 5000), 50);
	assert_true(fake_sg_total(fd2) - before >= 1);
	mp_checker_free(&peer);
	mp_checker_free(&rtpg);
	mp_path_free(pp1);
	mp_path_free(pp2);
	fake_sg_close(fd1);
	fake_sg_close(fd2);
}

static void test_prio_args(void **state)
{
	int fd = fake_sg_open("lio-hpms01-ao-preferred");
	struct path *pp = mp_path_new(fd, "sdx");
	(void)state;

	assert_int_equal(mp_prio_get(&prio, pp, "", 5000), 50);
	assert_int_equal(mp_prio_get(&prio, pp, "exclusive_pref_bit", 5000), 51);
	assert_int_equal(mp_prio_get(&prio, pp, "ao=60 ano=30 lba=20 standby=10 "
				      "trans=5 pref=4", 5000), 60);
	assert_int_equal(mp_prio_get(&prio, pp, "ao=60,ano=30,lba=20,standby=10,"
				      "trans=5,exclusive_pref_bit,pref=4",
				      5000), 64);
	/* weights that break the class order: reported, defaults apply */
	assert_int_equal(mp_prio_get(&prio, pp, "ao=60,exclusive_pref_bit,pref=80",
				      5000), 50);
	/* a bad word is reported and the defaults apply */
	assert_int_equal(mp_prio_get(&prio, pp, "ao=banana", 5000), 50);
	mp_path_set_fd(pp, -1);
	assert_true(mp_prio_get(&prio, pp, "", 5000) < 0);
	mp_path_set_fd(pp, fd);
	mp_path_free(pp);
	fake_sg_close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_each_state, fresh_board),
		cmocka_unit_test_setup(test_transitioning_ghost, fresh_board),
		cmocka_unit_test_setup(test_offline_judged_by_peer, fresh_board),
		cmocka_unit_test_setup(test_bad_devices, fresh_board),
		cmocka_unit_test_setup(test_sync_mode, fresh_board),
		cmocka_unit_test_setup(test_hung_target, fresh_board),
		cmocka_unit_test_setup(test_one_command_per_cycle, fresh_board),
		cmocka_unit_test_setup(test_prio_after_a_change, fresh_board),
		cmocka_unit_test_setup(test_prio_args, fresh_board),
	};

	return cmocka_run_group_tests_name("plugins", tests, setup, teardown);
}
