// SPDX-License-Identifier: GPL-2.0-or-later
/* Which paths the daemon asks again while their group does not serve,
 * what counts as news, and which paths it gives back to multipathd, on
 * the generated fixture hosts (standby, unavail: hpms01's group out). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fx_view.h"
#include "group_watch.h"

static struct pw_conf conf;

static void load(const char *scenario, struct pw_view *v, bool rtpg)
{
	struct rtpg_source rt = { 0 };

	fx_view(scenario, &conf, rtpg ? &rt : NULL, v);
	assert_int_equal(v->n_maps, 1);
}

static const struct pw_path *path_named(const struct pw_map *m,
					const char *dev)
{
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (!strcmp(m->paths[i].mp->dev, dev))
			return &m->paths[i];
	fail_msg("no path %s", dev);
	return NULL;
}

static struct tpg_answer answer(enum alua_state st, uint16_t group)
{
	struct tpg_answer a = { .result = TPG_OK, .group_known = true };

	a.own.state = st;
	a.own.group_id = group;
	return a;
}

/* One path of hpms01's group per look, with and without RTPG answers
 * (then the node stands for the group); nothing on a good host. */
static void test_batch(void **state)
{
	struct pw_view v;
	struct rtpg_batch b;

	(void)state;
	for (int rtpg = 0; rtpg < 2; rtpg++) {
		load("standby", &v, rtpg);
		assert_true(group_watch_wanted(&v));
		assert_true(group_watch_batch(&v, &b));
		assert_int_equal(b.n, 1);
		assert_string_equal(
			path_named(&v.maps[0], b.items[0].dev)->node->name,
			"hpms01");
		rtpg_batch_free(&b);
		view_free(&v);
	}
	load("unavail", &v, true);
	assert_true(group_watch_batch(&v, &b));
	assert_int_equal(b.n, 1);
	rtpg_batch_free(&b);
	view_free(&v);
	load("good", &v, true);
	assert_false(group_watch_wanted(&v));
	assert_true(group_watch_batch(&v, &b));
	assert_int_equal(b.n, 0);
	rtpg_batch_free(&b);
	view_free(&v);
}

/* The same state again is no news; optimized is, and says so. */
static void test_news(void **state)
{
	struct pw_view v;
	struct rtpg_batch b;
	char what[160] = "";

	(void)state;
	load("standby", &v, true);
	assert_true(group_watch_batch(&v, &b));
	assert_int_equal(b.n, 1);
	assert_false(group_watch_news(&v, &b, what, sizeof(what)));
	b.items[0].done = true;
	b.items[0].ans = answer(ALUA_STANDBY, 1);
	assert_false(group_watch_news(&v, &b, what, sizeof(what)));
	b.items[0].ans = answer(ALUA_ACTIVE_OPTIMIZED, 1);
	assert_true(group_watch_news(&v, &b, what, sizeof(what)));
	assert_non_null(strstr(what, "now active/optimized"));
	/* an answer that says nothing of the state is no news either */
	b.items[0].ans.result = TPG_TIMEOUT;
	assert_false(group_watch_news(&v, &b, what, sizeof(what)));
	rtpg_batch_free(&b);
	view_free(&v);
}

/* After unavailable: the paths multipathd failed whose own RTPG says the
 * group serves, while their session and disk are up; no others. */
static void test_reinstate(void **state)
{
	struct pw_view v;
	struct pw_map *m;
	size_t idx[8], taken;

	(void)state;
	load("unavail", &v, true);
	m = &v.maps[0];
	/* still unavailable: nothing to give back */
	assert_int_equal(group_watch_reinstate(m, idx, 8), 0);
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		struct pw_path *p = &m->paths[i];

		if (!strcmp(p->node->name, "hpms01"))
			p->rtpg = answer(ALUA_ACTIVE_OPTIMIZED, 1);
	}
	assert_int_equal(group_watch_reinstate(m, idx, 8), 2);
	for (size_t k = 0; k < 2; k++)
		assert_string_equal(m->paths[idx[k]].node->name, "hpms01");
	assert_int_equal(group_watch_reinstate(m, idx, 1), 1);
	/* one dm has taken back already is multipathd's checker's now */
	taken = idx[0];
	m->paths[taken].dm_kernel_active = true;
	assert_int_equal(group_watch_reinstate(m, idx, 8), 1);
	assert_int_not_equal(idx[0], taken);
	m->paths[taken].dm_kernel_active = false;
	assert_int_equal(group_watch_reinstate(m, idx, 8), 2);
	/* non-optimized serves too */
	m->paths[idx[0]].rtpg.own.state = ALUA_ACTIVE_NONOPTIMIZED;
	assert_int_equal(group_watch_reinstate(m, idx, 8), 2);
	/* another path's word for it does not reach the path */
	m->paths[idx[0]].rtpg.from_peer = true;
	assert_int_equal(group_watch_reinstate(m, idx, 8), 1);
	/* nor a session that is not logged in */
	((struct iscsi_sess *)m->paths[idx[0]].sess)->state[0] = 'X';
	assert_int_equal(group_watch_reinstate(m, idx, 8), 0);
	view_free(&v);
	/* paths multipathd holds up are not its to give back */
	load("good", &v, true);
	assert_int_equal(group_watch_reinstate(&v.maps[0], idx, 8), 0);
	view_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_news),
		cmocka_unit_test(test_reinstate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
