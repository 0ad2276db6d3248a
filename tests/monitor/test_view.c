// SPDX-License-Identifier: GPL-2.0-or-later
/* Building a view: every path's RTPG at once, each path asked once, no
 * more than the thread cap in flight, none to a path whose session is
 * down; on the generated fixture hosts. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fx_view.h"

/* A replay source that counts its callers and can hold them at a gate
 * until @gate of them are inside at once. */
struct counting_source {
	struct rtpg_source src;		/* first: the view calls through it */
	struct rtpg_source replay;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int gate;		/* 0: no gate */
	unsigned int inside, max_inside, calls;
	bool gate_timed_out;
};

static enum tpg_result counting_query(struct rtpg_source *src,
				      const char *dev, unsigned int timeout_ms,
				      struct tpg_answer *ans,
				      struct rtpg_report *rep)
{
	struct counting_source *c = (struct counting_source *)src;
	struct timespec until;

	pthread_mutex_lock(&c->lock);
	c->calls++;
	if (++c->inside > c->max_inside)
		c->max_inside = c->inside;
	pthread_cond_broadcast(&c->cond);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;	/* a sequential build never opens the gate */
	while (c->gate && c->max_inside < c->gate && !c->gate_timed_out)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &until) ==
		    ETIMEDOUT)
			c->gate_timed_out = true;
	pthread_mutex_unlock(&c->lock);
	/* without the gate, stay a while so that overlaps can be seen */
	if (!c->gate)
		nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	c->replay.query(&c->replay, dev, timeout_ms, ans, rep);
	pthread_mutex_lock(&c->lock);
	c->inside--;
	pthread_mutex_unlock(&c->lock);
	return ans->result;
}

static struct pw_conf conf;

static void build(const char *scenario, struct counting_source *c,
		  struct pw_view *v)
{
	struct fx_host h;

	fx_host(&h, scenario);
	rtpg_source_replay(&c->replay, h.replay);
	c->src.query = counting_query;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	fx_view(scenario, &conf, &c->src, v);
}

static size_t n_paths(const struct pw_view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->n_maps; i++)
		n += v->maps[i].mp->n_paths;
	return n;
}

/* The four paths' RTPGs are all in flight together: the gate opens only
 * when the fourth arrives, which a path-by-path build never does. */
static void test_all_at_once(void **state)
{
	struct counting_source c = { .gate = 4 };
	struct pw_view v;

	(void)state;
	build("good", &c, &v);
	assert_int_equal(v.n_maps, 1);
	assert_int_equal(n_paths(&v), 4);
	assert_false(c.gate_timed_out);
	assert_int_equal(c.max_inside, 4);
	assert_int_equal(c.calls, 4);
	for (size_t j = 0; j < 4; j++) {
		const struct pw_path *p = &v.maps[0].paths[j];

		assert_true(p->rtpg_done);
		assert_int_equal(p->rtpg.result, TPG_OK);
		/* the answers landed on their own paths: the prio each
		 * one's group state calls for, 50 (AO) or 10 (ANO) */
		assert_true(p->expected_pri == 50 || p->expected_pri == 10);
		assert_int_equal(p->expected_pri,
				 p->rtpg.own.state == ALUA_ACTIVE_OPTIMIZED ? 50 : 10);
	}
	assert_int_equal(v.maps[0].verdict, PW_MAP_OK);
	view_free(&v);
}

/* 256 LUNs x 4 paths: each path asked exactly once, never more than the
 * thread cap at a time, and the verdicts those of a healthy host. */
static void test_many_capped(void **state)
{
	struct counting_source c = { .gate = 0 };
	struct pw_view v;

	(void)state;
	build("big", &c, &v);
	assert_int_equal(v.n_maps, 256);
	assert_int_equal(c.calls, n_paths(&v));
	assert_true(c.max_inside >= 2);
	assert_true(c.max_inside <= 16);
	for (size_t i = 0; i < v.n_maps; i++) {
		for (size_t j = 0; j < v.maps[i].mp->n_paths; j++) {
			assert_true(v.maps[i].paths[j].rtpg_done);
			assert_int_equal(v.maps[i].paths[j].rtpg.result,
					 TPG_OK);
		}
		assert_int_equal(v.maps[i].verdict, PW_MAP_OK);
	}
	print_message("# 1024 paths, at most %u RTPGs at once\n",
		      c.max_inside);
	view_free(&v);
}

/* A path whose session has failed gets no RTPG (it would only wait for
 * its timeout); the others still do. */
static void test_failed_session_skipped(void **state)
{
	struct counting_source c = { .gate = 0 };
	struct pw_view v;
	unsigned int skipped = 0;

	(void)state;
	build("sessfail", &c, &v);
	for (size_t j = 0; j < v.maps[0].mp->n_paths; j++) {
		const struct pw_path *p = &v.maps[0].paths[j];
		bool down = p->sess && strcmp(p->sess->state, "LOGGED_IN");

		assert_int_equal(p->rtpg_done, !down);
		skipped += down;
	}
	assert_int_equal(skipped, 1);
	assert_int_equal(c.calls, v.maps[0].mp->n_paths - 1);
	view_free(&v);
}

/* A batch's answers put into a view already built (the daemon's switch
 * before a fresh view): the optimized group and the verdict follow the
 * answers alone, the paths' multipathd and dm parts stay as read. */
static void test_take_answers(void **state)
{
	struct counting_source c = { .gate = 0 };
	struct pw_view v;
	struct rtpg_batch b;
	unsigned int ao, other = 0, active;

	(void)state;
	build("good", &c, &v);
	ao = v.maps[0].ao_group;
	active = v.maps[0].active_group;
	assert_int_not_equal(ao, 0);
	assert_int_equal(active, ao);
	assert_int_equal(v.maps[0].verdict, PW_MAP_OK);
	assert_true(view_rtpg_batch(&v, &b, false));
	assert_int_equal(b.n, 4);
	rtpg_batch_ask(&b, &c.src, 1000);
	/* the promotion of the other node: its group optimized, ours not */
	for (size_t i = 0; i < b.n; i++) {
		const struct pw_path *p = NULL;

		for (size_t j = 0; j < v.maps[0].mp->n_paths; j++)
			if (!strcmp(v.maps[0].paths[j].mp->dev, b.items[i].dev))
				p = &v.maps[0].paths[j];
		assert_non_null(p);
		assert_int_equal(b.items[i].ans.result, TPG_OK);
		if (p->mp->group == ao) {
			b.items[i].ans.own.state = ALUA_ACTIVE_NONOPTIMIZED;
		} else {
			b.items[i].ans.own.state = ALUA_ACTIVE_OPTIMIZED;
			other = p->mp->group;
		}
	}
	assert_int_not_equal(other, 0);
	view_take_answers(&v, &b, &conf);
	assert_int_equal(v.maps[0].ao_group, other);
	assert_int_equal(v.maps[0].active_group, active);
	assert_int_equal(v.maps[0].verdict, PW_MAP_MISROUTED);
	for (size_t j = 0; j < v.maps[0].mp->n_paths; j++) {
		const struct pw_path *p = &v.maps[0].paths[j];

		assert_int_equal(p->expected_pri,
				 p->mp->group == other ? 50 : 10);
	}
	rtpg_batch_free(&b);
	view_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_at_once),
		cmocka_unit_test(test_take_answers),
		cmocka_unit_test(test_many_capped),
		cmocka_unit_test(test_failed_session_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
