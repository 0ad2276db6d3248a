// SPDX-License-Identifier: GPL-2.0-or-later
/* The RTPG batch: one path per map and node asked, the node's other paths
 * following its report, and when a follower must ask itself.  A made-up
 * source stands for the target: each disk's group and what it answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rtpg_batch.h"

/* sda, sdb: node A, group 1; sdc, sdd: node B, group 2; sde: node A but
 * group 3, which no report holds. */
struct fake {
	struct rtpg_source src;		/* first: the batch passes &src */
	enum tpg_result result[8];	/* what disk sd('a' + i) answers */
	unsigned int asked[8];		/* queries per disk; atomic */
	enum alua_state state_a, state_b;
};

static int disk(const char *dev)
{
	return dev[2] - 'a';
}

static uint16_t group_of(int k)
{
	return k < 2 ? 1 : k < 4 ? 2 : 3;
}

static enum tpg_result fake_query(struct rtpg_source *src, const char *dev,
				  unsigned int timeout_ms,
				  struct tpg_answer *ans,
				  struct rtpg_report *rep)
{
	struct fake *f = (struct fake *)src;
	int k = disk(dev);

	(void)timeout_ms;
	__atomic_fetch_add(&f->asked[k], 1, __ATOMIC_RELAXED);
	memset(ans, 0, sizeof(*ans));
	memset(rep, 0, sizeof(*rep));
	ans->result = f->result[k];
	ans->group_known = true;
	ans->own.group_id = group_of(k);
	ans->commands = 1;
	if (ans->result != TPG_OK)
		return ans->result;
	rep->n_groups = 2;
	rep->groups[0].group_id = 1;
	rep->groups[0].state = f->state_a;
	rep->groups[1].group_id = 2;
	rep->groups[1].state = f->state_b;
	rep->implicit_transition_s = 10;
	for (unsigned int g = 0; g < rep->n_groups; g++)
		if (rep->groups[g].group_id == ans->own.group_id)
			ans->own = rep->groups[g];
	return TPG_OK;
}

static enum tpg_result fake_identity(struct rtpg_source *src, const char *dev,
				     struct tpg_identity *id)
{
	(void)src;
	memset(id, 0, sizeof(*id));
	id->valid = true;
	id->group_id = group_of(disk(dev));
	return TPG_OK;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->src.query = fake_query;
	f->src.identity = fake_identity;
	f->state_a = ALUA_ACTIVE_NONOPTIMIZED;
	f->state_b = ALUA_ACTIVE_OPTIMIZED;
}

static const struct rtpg_item *item(const struct rtpg_batch *b,
				    const char *map, const char *dev)
{
	const struct rtpg_item *it = rtpg_batch_find(b, map, dev);

	assert_non_null(it);
	assert_true(it->done);
	return it;
}

/* Two maps, two nodes, two paths each: four asked, four followed, every
 * follower with its own group's state from its lead's report. */
static void test_per_node(void **state)
{
	static const char *devs[] = { "sda", "sdb", "sdc", "sdd" };
	static const char *nodes[] = { "A", "A", "B", "B" };
	struct rtpg_batch b = { 0 };
	struct fake f;
	(void)state;

	fake_init(&f);
	for (int m = 0; m < 2; m++)
		for (int i = 0; i < 4; i++)
			assert_true(rtpg_batch_add_on(&b, m ? "m2" : "m1",
						      devs[i], nodes[i]));
	assert_int_equal(b.items[0].lead, 0);
	assert_int_equal(b.items[1].lead, 1);
	assert_int_equal(b.items[3].lead, 3);
	/* another map's path of node A leads its own map */
	assert_int_equal(b.items[4].lead, 0);
	assert_int_equal(b.items[5].lead, 5);
	rtpg_batch_ask(&b, &f.src, 1000);
	/* each map asked sda and sdc, once each */
	assert_int_equal(f.asked[0], 2);
	assert_int_equal(f.asked[1], 0);
	assert_int_equal(f.asked[2], 2);
	assert_int_equal(f.asked[3], 0);
	for (int m = 0; m < 2; m++) {
		const char *map = m ? "m2" : "m1";
		const struct rtpg_item *sdb = item(&b, map, "sdb");
		const struct rtpg_item *sdd = item(&b, map, "sdd");
		const struct rtpg_item *sdc = item(&b, map, "sdc");

		assert_true(sdb->followed);
		assert_int_equal(sdb->ans.result, TPG_OK);
		assert_true(sdb->ans.from_peer);
		assert_true(sdb->ans.group_known);
		assert_int_equal(sdb->ans.own.group_id, 1);
		assert_int_equal(sdb->ans.own.state, ALUA_ACTIVE_NONOPTIMIZED);
		assert_int_equal(sdb->ans.commands, 0);
		assert_int_equal(sdb->ans.implicit_transition_s, 10);
		assert_int_equal(sdd->ans.own.group_id, 2);
		assert_int_equal(sdd->ans.own.state, ALUA_ACTIVE_OPTIMIZED);
		assert_false(sdc->followed);
		assert_false(sdc->ans.from_peer);
	}
	rtpg_batch_free(&b);
}

/* Without a node every path asks itself, as before. */
static void test_no_node(void **state)
{
	struct rtpg_batch b = { 0 };
	struct fake f;
	(void)state;

	fake_init(&f);
	assert_true(rtpg_batch_add(&b, "m1", "sda"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdb", ""));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdc", NULL));
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_int_equal(f.asked[0] + f.asked[1] + f.asked[2], 3);
	assert_false(item(&b, "m1", "sdb")->followed);
	rtpg_batch_free(&b);
}

/* A lead refused at once: its follower asks itself and has its own word;
 * a follower whose group the report lacks asks itself too. */
static void test_lead_refused(void **state)
{
	struct rtpg_batch b = { 0 };
	struct fake f;
	(void)state;

	fake_init(&f);
	f.result[0] = TPG_REJECTED;
	assert_true(rtpg_batch_add_on(&b, "m1", "sda", "A"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdb", "A"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdc", "B"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sde", "B"));
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_int_equal(f.asked[0], 1);
	assert_int_equal(f.asked[1], 1);
	assert_false(item(&b, "m1", "sdb")->followed);
	assert_int_equal(item(&b, "m1", "sdb")->ans.result, TPG_OK);
	assert_false(item(&b, "m1", "sdb")->ans.from_peer);
	assert_int_equal(item(&b, "m1", "sda")->ans.result, TPG_REJECTED);
	/* sde's group 3 is not its lead's: asked itself */
	assert_int_equal(f.asked[4], 1);
	assert_false(item(&b, "m1", "sde")->followed);
	rtpg_batch_free(&b);
}

/* A lead that timed out: its node's other path is not asked (no second
 * timeout) and not called down either: it has no answer. */
static void test_lead_timeout(void **state)
{
	struct rtpg_batch b = { 0 };
	struct fake f;
	(void)state;

	fake_init(&f);
	f.result[2] = TPG_TIMEOUT;
	f.result[3] = TPG_TIMEOUT;
	assert_true(rtpg_batch_add_on(&b, "m1", "sda", "A"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdb", "A"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdc", "B"));
	assert_true(rtpg_batch_add_on(&b, "m1", "sdd", "B"));
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_int_equal(f.asked[2], 1);
	assert_int_equal(f.asked[3], 0);
	assert_true(rtpg_batch_find(&b, "m1", "sdd")->followed);
	assert_false(rtpg_batch_find(&b, "m1", "sdd")->done);
	/* the lead itself filled by node A's report of group 2, flagged */
	assert_true(item(&b, "m1", "sdc")->ans.from_peer);
	assert_int_equal(item(&b, "m1", "sdc")->ans.own.state,
			 ALUA_ACTIVE_OPTIMIZED);
	rtpg_batch_free(&b);
}

/* Between a demotion and a promotion every path says non-optimized; any
 * other word (an optimized group, a refusal, a path not answered, another
 * state) is not that. */
static void test_awaits_promotion(void **state)
{
	static const char *devs[] = { "sda", "sdb", "sdc", "sdd" };
	static const char *nodes[] = { "A", "A", "B", "B" };
	struct rtpg_batch b = { 0 };
	struct fake f;
	(void)state;

	assert_false(rtpg_batch_awaits_promotion(&b));
	fake_init(&f);
	f.state_b = ALUA_ACTIVE_NONOPTIMIZED;
	for (int i = 0; i < 4; i++)
		assert_true(rtpg_batch_add_on(&b, "m1", devs[i], nodes[i]));
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_true(rtpg_batch_awaits_promotion(&b));
	/* node B promoted */
	for (size_t i = 0; i < b.n; i++)
		b.items[i].done = false;
	f.state_b = ALUA_ACTIVE_OPTIMIZED;
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_false(rtpg_batch_awaits_promotion(&b));
	/* standby is not non-optimized */
	f.state_b = ALUA_STANDBY;
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_false(rtpg_batch_awaits_promotion(&b));
	/* one path refused */
	f.state_b = ALUA_ACTIVE_NONOPTIMIZED;
	rtpg_batch_ask(&b, &f.src, 1000);
	assert_true(rtpg_batch_awaits_promotion(&b));
	b.items[3].ans.result = TPG_REJECTED;
	assert_false(rtpg_batch_awaits_promotion(&b));
	/* one path not answered */
	b.items[3].ans.result = TPG_OK;
	b.items[3].done = false;
	assert_false(rtpg_batch_awaits_promotion(&b));
	rtpg_batch_free(&b);
}

/* What the notify callback saw, from the workers' threads. */
struct seen {
	struct rtpg_batch *b;
	unsigned int calls;		/* atomic */
	unsigned int lead_before_follower;	/* atomic: must stay 0 */
	unsigned int ready_not_ok;	/* atomic: must stay 0 */
};

static void on_progress(void *arg)
{
	struct seen *s = arg;

	__atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
	for (size_t i = 0; i < s->b->n; i++) {
		const struct rtpg_item *it = &s->b->items[i];

		if (!rtpg_item_ready(it))
			continue;
		if (!it->done || it->ans.result != TPG_OK)
			__atomic_fetch_add(&s->ready_not_ok, 1,
					   __ATOMIC_RELAXED);
		/* a ready lead's followers that took its report are
		 * ready before it */
		for (size_t k = 0; k < s->b->n; k++)
			if (s->b->items[k].lead == i + 1 &&
			    s->b->items[k].followed &&
			    !rtpg_item_ready(&s->b->items[k]))
				__atomic_fetch_add(&s->lead_before_follower,
						   1, __ATOMIC_RELAXED);
	}
}

static void add_two_maps(struct rtpg_batch *b)
{
	static const char *devs[] = { "sda", "sdb", "sdc", "sdd" };
	static const char *nodes[] = { "A", "A", "B", "B" };

	for (int m = 0; m < 2; m++)
		for (int i = 0; i < 4; i++)
			assert_true(rtpg_batch_add_on(b, m ? "m2" : "m1",
						      devs[i], nodes[i]));
}

/* Told as it goes: once per lead, a lead ready only with its followers,
 * nothing ready that is not a report; every item ready at the end, and
 * the answers those of rtpg_batch_ask. */
static void test_notify(void **state)
{
	struct rtpg_batch b = { 0 };
	struct seen s = { .b = &b };
	struct fake f;
	(void)state;

	fake_init(&f);
	add_two_maps(&b);
	rtpg_batch_ask_notify(&b, &f.src, 1000, on_progress, &s);
	assert_int_equal(s.calls, 4);
	assert_int_equal(s.lead_before_follower, 0);
	assert_int_equal(s.ready_not_ok, 0);
	for (size_t i = 0; i < b.n; i++)
		assert_true(rtpg_item_ready(&b.items[i]));
	assert_int_equal(f.asked[0], 2);
	assert_int_equal(f.asked[1], 0);
	assert_true(item(&b, "m2", "sdd")->followed);
	assert_int_equal(item(&b, "m2", "sdd")->ans.own.state,
			 ALUA_ACTIVE_OPTIMIZED);
	rtpg_batch_free(&b);
}

/* A lead refused: neither it (a peer may judge it at the end) nor its
 * follower (asks for itself after) is ready while the batch runs. */
static void test_notify_refused(void **state)
{
	struct rtpg_batch b = { 0 };
	struct seen s = { .b = &b };
	struct fake f;
	(void)state;

	fake_init(&f);
	f.result[0] = TPG_REJECTED;
	add_two_maps(&b);
	rtpg_batch_ask_notify(&b, &f.src, 1000, on_progress, &s);
	assert_int_equal(s.calls, 4);
	assert_int_equal(s.ready_not_ok, 0);
	assert_int_equal(s.lead_before_follower, 0);
	/* sdb asked for itself, in each map */
	assert_int_equal(f.asked[1], 2);
	assert_false(item(&b, "m1", "sdb")->followed);
	assert_int_equal(item(&b, "m1", "sdb")->ans.result, TPG_OK);
	rtpg_batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_node),
		cmocka_unit_test(test_no_node),
		cmocka_unit_test(test_lead_refused),
		cmocka_unit_test(test_lead_timeout),
		cmocka_unit_test(test_awaits_promotion),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_notify_refused),
	};

	return cmocka_run_group_tests_name("rtpg_batch", tests, NULL, NULL);
}
