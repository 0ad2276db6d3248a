// SPDX-License-Identifier: GPL-2.0-or-later
/* Early failover acts only on both signals: I/O stuck long enough and
 * every portal of the active node silent, with somewhere to go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "early_failover.h"
#include "fx_view.h"

#define S 1000000000ull

static struct pw_conf conf;

static void load(const char *scenario, struct pw_view *v)
{
	fx_view(scenario, &conf, NULL, v);
}

/* hpms01's two portals, then hpms02's. */
static void portals(struct portal_probe *pp, enum portal_state a0,
		    enum portal_state a1, enum portal_state b0,
		    enum portal_state b1)
{
	const enum portal_state st[4] = { a0, a1, b0, b1 };

	memset(pp, 0, 4 * sizeof(*pp));
	for (int i = 0; i < 4; i++) {
		pp[i].node = &conf.nodes[i / 2];
		pp[i].portal = &conf.nodes[i / 2].portals[i % 2];
		pp[i].state = st[i];
		pp[i].fd = -1;
	}
}

static bool decide(const struct pw_map *m, const struct portal_probe *pp,
		   uint64_t since, const struct conf_node **node)
{
	char why[160];
	bool r = early_decide(m, pp, 4, since, 10 * S, 1 * S, node, why,
			      sizeof(why));

	print_message("# %s\n", why);
	return r;
}

/* The fixture host with I/O on hpms01's group, as the view has it. */
static struct pw_map *load_good(struct pw_view *v)
{
	load("good", v);
	assert_int_equal(v->maps[0].active_group, 1);
	return &v->maps[0];
}

static void test_decide(void **state)
{
	struct pw_view v;
	struct portal_probe pp[4];
	const struct conf_node *node;
	struct pw_map *m;

	(void)state;
	m = load_good(&v);

	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_UP, PORTAL_UP);
	assert_true(decide(m, pp, 8 * S, &node));
	assert_ptr_equal(node, &conf.nodes[0]);
	/* stuck, but not long enough; or nothing in flight */
	assert_false(decide(m, pp, 9500000000ull, &node));
	assert_null(node);
	assert_false(decide(m, pp, 0, &node));
	/* one portal of the active node still answers (one link lost) */
	portals(pp, PORTAL_DOWN, PORTAL_UP, PORTAL_UP, PORTAL_UP);
	assert_false(decide(m, pp, 8 * S, &node));
	/* one failed probe is not silence */
	portals(pp, PORTAL_DOWN, PORTAL_UNKNOWN, PORTAL_UP, PORTAL_UP);
	assert_false(decide(m, pp, 8 * S, &node));
	/* the portals are fine: a slow disk is not a node loss */
	portals(pp, PORTAL_UP, PORTAL_UP, PORTAL_UP, PORTAL_UP);
	assert_false(decide(m, pp, 8 * S, &node));
	/* both nodes silent: nowhere to go */
	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_DOWN, PORTAL_DOWN);
	assert_false(decide(m, pp, 8 * S, &node));
	/* hpms02 answers again, but one of its portals failed a probe
	 * within early-failover-ms (now 10 s, 1 s): the host is starved,
	 * not hpms01 gone (the impaired soak's false cut) */
	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_UP, PORTAL_UP);
	pp[3].failed_ns = 9200000000ull;
	assert_false(decide(m, pp, 8 * S, &node));
	assert_null(node);
	/* ... and once that failure is older than early-failover-ms */
	pp[3].failed_ns = 8900000000ull;
	assert_true(decide(m, pp, 8 * S, &node));
	assert_ptr_equal(node, &conf.nodes[0]);
	/* the other node answers but its paths are down */
	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_UP, PORTAL_UP);
	for (size_t i = 0; i < m->mp->n_paths; i++)
		if (m->paths[i].node == &conf.nodes[1])
			m->paths[i].verdict = PW_PATH_DOWN;
	assert_false(decide(m, pp, 8 * S, &node));
	view_free(&v);
}

/* The group in use as the kernel's status says it, not as the view had
 * it: multipathd failed back since, which raises no uevent. */
static void test_kernel_group(void **state)
{
	struct pw_view v;
	struct portal_probe pp[4];
	const struct conf_node *node;
	struct pw_map *m;

	(void)state;
	m = load_good(&v);			/* the view: hpms01 */
	m->dm_next = 2;				/* the kernel: hpms02 */
	for (size_t i = 0; i < m->mp->n_paths; i++)
		m->paths[i].dm_kernel_group =
			m->paths[i].node == &conf.nodes[1] ? 2 : 1;
	/* hpms01 silent: not where the I/O is */
	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_UP, PORTAL_UP);
	assert_false(decide(m, pp, 8 * S, &node));
	/* hpms02 silent: off hpms02 */
	portals(pp, PORTAL_UP, PORTAL_UP, PORTAL_DOWN, PORTAL_DOWN);
	assert_true(decide(m, pp, 8 * S, &node));
	assert_ptr_equal(node, &conf.nodes[1]);
	/* the cheap half alone */
	assert_true(early_any_silent(pp, 4));
	portals(pp, PORTAL_DOWN, PORTAL_UP, PORTAL_UP, PORTAL_DOWN);
	assert_false(early_any_silent(pp, 4));
	portals(pp, PORTAL_UP, PORTAL_UP, PORTAL_UP, PORTAL_UP);
	assert_false(early_any_silent(pp, 4));
	view_free(&v);
}

/* A group in use that spans both nodes is not split by us. */
static void test_spread(void **state)
{
	struct pw_view v;
	struct portal_probe pp[4];
	const struct conf_node *node;

	(void)state;
	load("multibus", &v);
	portals(pp, PORTAL_DOWN, PORTAL_DOWN, PORTAL_UP, PORTAL_UP);
	assert_false(decide(&v.maps[0], pp, 8 * S, &node));
	view_free(&v);
}

static void test_config(void **state)
{
	struct pw_conf c;
	char err[200];
	char t1[] = "node a 1.2.3.4\nearly-failover yes\n";
	char t2[] = "node a 1.2.3.4\nprobe m\nportal-check-ms 0\n"
		    "early-failover yes\n";
	char t3[] = "node a 1.2.3.4\nprobe m\nearly-failover yes\n"
		    "early-failover-ms 1500\n";
	FILE *f;

	(void)state;
	f = fmemopen(t1, strlen(t1), "r");
	assert_false(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	assert_string_equal(err, "t:2: early-failover needs a probe: it acts "
				 "only while I/O is stuck");
	f = fmemopen(t2, strlen(t2), "r");
	assert_false(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	assert_string_equal(err, "t:4: early-failover needs the portal probes "
				 "(portal-check-ms above 0)");
	f = fmemopen(t3, strlen(t3), "r");
	assert_true(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	assert_true(c.early_failover);
	assert_int_equal(c.early_failover_ms, 1500);
	/* off unless asked for */
	f = fmemopen(t1, 15, "r");
	assert_true(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	assert_false(c.early_failover);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_kernel_group),
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
