/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The async check engine on a replayed device, with real worker threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "pathwarden/async_check.h"
#include "pathwarden/replay.h"
#include "pathwarden/tpg_cache.h"

static struct replay_dev *load(const char *name)
{
	char path[512], err[128];
	struct replay_dev *rd;

	snprintf(path, sizeof(path), "%s/%s.replay", FIXTURE_DIR, name);
	rd = replay_load(path, err, sizeof(err));
	if (!rd)
		fail_msg("%s", err);
	return rd;
}

/* A group-1 ANO device whose RTPG answer takes @delay_ms to come. */
static struct replay_dev *slow_ano(unsigned int delay_ms)
{
	char script[256], err[128] = "";
	struct replay_dev *rd;

	snprintf(script, sizeof(script),
		 "inq good 00 00 05 02 1f 10 00 02\n"
		 "inq83 good 00 83 00 08 61 95 00 04 00 00 00 01\n"
		 "rtpg delay=%u good 00 00 00 08 01 0f 00 01 00 00 00 00\n",
		 delay_ms);
	rd = replay_load_string(script, err, sizeof(err));
	if (!rd)
		fail_msg("%s", err);
	return rd;
}

static void *worker(void *arg)
{
	async_check_work(arg);
	return NULL;
}

static void start(struct async_check *ac)
{
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, worker, ac), 0);
	pthread_detach(t);
}

static void test_start_collect(void **state)
{
	struct replay_dev *rd = load("lio-hpms01-standby");
	struct async_check *ac = async_check_new(16);
	int fd = memfd_create("dev", 0);
	struct tpg_answer ans;
	struct dev_key key;
	(void)state;

	async_check_set_backend(ac, &scsi_replay_backend, rd);
	assert_ptr_equal(async_check_from_extra(async_check_extra(ac)), ac);
	assert_int_equal(async_check_collect(ac, &ans), ASYNC_IDLE);
	assert_false(async_check_outstanding(ac));

	assert_int_equal(async_check_poll(ac, fd, 1000, &ans), ASYNC_START);
	assert_true(async_check_outstanding(ac));
	start(ac);
	assert_int_equal(async_check_wait(ac, 2000, &ans), ASYNC_DONE);
	assert_int_equal(ans.result, TPG_OK);
	assert_int_equal(ans.own.state, ALUA_STANDBY);
	assert_int_equal(tpg_verdict(&ans), PV_GHOST);
	assert_false(async_check_outstanding(ac));
	assert_int_equal(async_check_collect(ac, &ans), ASYNC_IDLE);

	/* the answer went to the cache for the prio, once */
	assert_true(dev_key_from_fd(fd, &key));
	assert_true(tpg_cache_take(&key, 1500, tpg_cache_now_ms(), &ans));
	assert_false(tpg_cache_take(&key, 1500, tpg_cache_now_ms(), &ans));

	/* second round: identity kept, one command */
	assert_int_equal(async_check_poll(ac, fd, 1000, &ans), ASYNC_START);
	start(ac);
	assert_int_equal(async_check_wait(ac, 2000, &ans), ASYNC_DONE);
	assert_int_equal(ans.commands, 1);
	assert_int_equal(replay_count(rd, "inq83"), 1);

	async_check_put(ac);
	assert_false(tpg_cache_take(&key, 1500, tpg_cache_now_ms(), &ans));
	replay_free(rd);
	close(fd);
}

static void test_running_then_collect(void **state)
{
	struct replay_dev *rd;
	struct async_check *ac = async_check_new(0);
	int fd = memfd_create("dev", 0);
	struct tpg_answer ans;
	struct dev_key key;
	uint64_t t0;
	(void)state;

	rd = slow_ano(300);
	async_check_set_backend(ac, &scsi_replay_backend, rd);
	assert_true(dev_key_from_fd(fd, &key));
	assert_false(tpg_cache_stuck(&key, tpg_cache_now_ms(), 0));
	assert_int_equal(async_check_poll(ac, fd, 5000, &ans), ASYNC_START);
	/* out: the prio's "stuck" is a matter of how long */
	t0 = tpg_cache_now_ms();
	assert_true(tpg_cache_stuck(&key, t0 + 1000, 1000));
	start(ac);
	assert_int_equal(async_check_wait(ac, 1, &ans), ASYNC_RUNNING);
	/* polls while it runs neither start another nor report a state */
	assert_int_equal(async_check_poll(ac, fd, 5000, &ans), ASYNC_RUNNING);
	assert_int_equal(async_check_collect(ac, &ans), ASYNC_RUNNING);
	usleep(600 * 1000);
	assert_int_equal(async_check_collect(ac, &ans), ASYNC_DONE);
	assert_int_equal(ans.own.state, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(replay_count(rd, "rtpg"), 1);
	/* back: no longer out, however long it took */
	assert_false(tpg_cache_stuck(&key, tpg_cache_now_ms() + 60000, 1000));
	async_check_put(ac);
	/* forgotten with the checker; a late "back" adds nothing */
	tpg_cache_set_busy(&key, false, tpg_cache_now_ms());
	tpg_cache_set_busy(&key, true, 5000);
	assert_true(tpg_cache_stuck(&key, 6000, 1000));
	assert_false(tpg_cache_stuck(&key, 5999, 1000));
	assert_false(tpg_cache_stuck(&key, 4000, 0));	/* a clock gone back */
	tpg_cache_forget(&key);
	assert_false(tpg_cache_stuck(&key, 6000, 1000));
	replay_free(rd);
	close(fd);
}

static void test_put_while_running(void **state)
{
	struct replay_dev *rd;
	struct async_check *ac = async_check_new(0);
	int fd = memfd_create("dev", 0);
	struct tpg_answer ans;
	(void)state;

	rd = slow_ano(200);
	async_check_set_backend(ac, &scsi_replay_backend, rd);
	assert_int_equal(async_check_poll(ac, fd, 5000, &ans), ASYNC_START);
	start(ac);
	/* the caller lets go; the worker still holds the object */
	async_check_put(ac);
	usleep(500 * 1000);
	replay_free(rd);
	close(fd);
}

static void test_sync_and_start_failure(void **state)
{
	struct replay_dev *rd = load("lio-hpms01-unavailable");
	struct async_check *ac = async_check_new(0);
	int fd = memfd_create("dev", 0);
	struct tpg_answer ans;
	(void)state;

	async_check_set_backend(ac, &scsi_replay_backend, rd);
	async_check_sync(ac, fd, 1000, &ans);
	assert_int_equal(ans.own.state, ALUA_UNAVAILABLE);
	assert_int_equal(tpg_verdict(&ans), PV_DOWN);
	/* a thread that cannot be started leaves the check idle */
	assert_int_equal(async_check_poll(ac, fd, 1000, &ans), ASYNC_START);
	async_check_start_failed(ac);
	assert_false(async_check_outstanding(ac));
	assert_int_equal(async_check_poll(ac, fd, 1000, &ans), ASYNC_START);
	start(ac);
	assert_int_equal(async_check_wait(ac, 2000, &ans), ASYNC_DONE);
	async_check_put(ac);
	replay_free(rd);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_collect),
		cmocka_unit_test(test_running_then_collect),
		cmocka_unit_test(test_put_while_running),
		cmocka_unit_test(test_sync_and_start_failure),
	};

	return cmocka_run_group_tests_name("async", tests, NULL, NULL);
}
