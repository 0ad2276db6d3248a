/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Planning and writing changes, and undoing a change that fails half-way.
 *
 * attr_write() is wrapped at link time (-Wl,--wrap=attr_write): the
 * wrapper passes writes through to the real function on the made-up tree
 * and fails the Nth one, or every write from the Nth on, the way a kernel
 * that refuses a value (EINVAL) or a vanished attribute would.  Running as
 * root ignores permission bits, so a read-only file could not do this.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent.h"
#include "change_plan.h"
#include "fake_tree.h"
#include "sysfs_attr.h"

enum agent_result __real_attr_write(struct agent_ctx *ctx, const char *path,
				    const char *text);
enum agent_result __wrap_attr_write(struct agent_ctx *ctx, const char *path,
				    const char *text);

static unsigned int writes;	/* calls so far */
static unsigned int fail_at;	/* 0: never; else this call fails */
static bool fail_after;		/* and every later call too */

enum agent_result __wrap_attr_write(struct agent_ctx *ctx, const char *path,
				    const char *text)
{
	writes++;
	if (fail_at && (writes == fail_at || (fail_after && writes > fail_at)))
		return agent_fail(ctx, AGENT_ERR,
				  "writing %s failed: Invalid argument "
				  "(injected)", path);
	return __real_attr_write(ctx, path, text);
}

struct fixture {
	char root[PATH_MAX];
	struct unit_set *set;
	struct change_plan *plan;
	struct agent_ctx ctx;
	struct agent_target t;
	const struct backend *be;
};

static int setup_common(void **state, bool lio)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->set = calloc(1, sizeof(*f->set));
	f->plan = calloc(1, sizeof(*f->plan));
	assert_non_null(f->set);
	assert_non_null(f->plan);
	fake_root(f->root, sizeof(f->root));
	f->t.root = f->root;
	f->t.need_groups = true;
	if (lio) {
		fake_lio(f->root);
		f->t.local = "hpms01";
		f->t.remote = "hpms02";
		f->be = &backend_lio;
	} else {
		fake_scst(f->root, "nonoptimized", "active");
		f->t.device_group = "esos";
		f->t.local = "local";
		f->t.remote = "remote";
		f->be = &backend_scst;
	}
	assert_int_equal(f->be->discover(&f->ctx, &f->t, f->set), AGENT_OK);
	plan_init(f->plan, f->be);
	writes = 0;
	fail_at = 0;
	fail_after = false;
	*state = f;
	return 0;
}

static int setup_scst(void **state)
{
	return setup_common(state, false);
}

static int setup_lio(void **state)
{
	return setup_common(state, true);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fake_rm_rf(f->root);
	free(f->plan);
	free(f->set);
	free(f);
	return 0;
}

static const char *get(struct fixture *f, const char *rel)
{
	static char buf[4][64];
	static unsigned int k;

	return fake_get(f->root, rel, buf[k++ % 4], sizeof(buf[0]));
}

/* promote on SCST: local -> active (graceful: through transitioning). */
static void plan_promote(struct fixture *f, bool graceful,
			 enum alua_state remote_to)
{
	for (size_t k = 0; k < f->set->n_units; k++) {
		const struct alua_unit *u = &f->set->units[k];

		assert_int_equal(plan_add(&f->ctx, f->plan, u,
					  &u->groups[u->local_idx], "local",
					  ALUA_ACTIVE_OPTIMIZED, graceful),
				 AGENT_OK);
		assert_int_equal(plan_add(&f->ctx, f->plan, u,
					  &u->groups[u->remote_idx], "remote",
					  remote_to, false), AGENT_OK);
	}
}

static void test_noop_plans_nothing(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];

	assert_int_equal(plan_add(&f->ctx, f->plan, u, &u->groups[u->local_idx],
				  "local", ALUA_ACTIVE_NONOPTIMIZED, true),
			 AGENT_OK);
	assert_int_equal(plan_add(&f->ctx, f->plan, u,
				  &u->groups[u->remote_idx], "remote",
				  ALUA_ACTIVE_OPTIMIZED, false), AGENT_OK);
	assert_int_equal(f->plan->n, 0);
}

static void test_graceful_goes_through_transitioning(void **state)
{
	struct fixture *f = *state;
	size_t done;

	plan_promote(f, true, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(f->plan->n, 3);
	assert_int_equal(f->plan->steps[0].to, ALUA_TRANSITIONING);
	assert_int_equal(f->plan->steps[0].from, ALUA_ACTIVE_NONOPTIMIZED);
	assert_true(f->plan->steps[0].first_for_group);
	assert_int_equal(f->plan->steps[1].from, ALUA_TRANSITIONING);
	assert_int_equal(f->plan->steps[1].to, ALUA_ACTIVE_OPTIMIZED);
	assert_false(f->plan->steps[1].first_for_group);
	assert_int_equal(f->plan->steps[2].to, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(plan_validate(&f->ctx, f->plan), AGENT_OK);
	assert_int_equal(plan_apply(&f->ctx, f->plan, 0, &done), AGENT_OK);
	assert_int_equal(done, 3);
	assert_int_equal(writes, 3);
	assert_string_equal(get(f, SCST_TG "local/state"), "active\n");
	assert_string_equal(get(f, SCST_TG "remote/state"), "nonoptimized\n");
}

/* Fail each write of a graceful promote in turn: the tree ends as found. */
static void test_failure_at_every_step_restores(void **state)
{
	struct fixture *f = *state;

	plan_promote(f, true, ALUA_OFFLINE);
	assert_int_equal(f->plan->n, 3);
	for (unsigned int at = 1; at <= 3; at++) {
		size_t done;
		enum agent_result res;

		/* The tree as found: the fixture's states with SCST's mark. */
		fake_put(f->root, SCST_TG "local/state",
			 "nonoptimized\n[key]\n");
		fake_put(f->root, SCST_TG "remote/state", "active\n[key]\n");
		writes = 0;
		fail_at = at;
		res = plan_apply(&f->ctx, f->plan, 0, &done);
		assert_int_equal(res, AGENT_WRITE_RESTORED);
		assert_int_equal(done, at - 1);
		assert_non_null(strstr(f->ctx.err, "injected"));
		/* Whatever was changed is back: first line as found. */
		assert_string_equal(get(f, SCST_TG "local/state"),
				    at == 1 ? "nonoptimized\n[key]\n" :
					      "nonoptimized\n");
		assert_string_equal(get(f, SCST_TG "remote/state"),
				    "active\n[key]\n");
		/* Writes: the at-1 done, the failed one, one per group undone. */
		assert_int_equal(writes, at + (at == 1 ? 0 : 1));
	}
}

static void test_failed_undo_is_reported(void **state)
{
	struct fixture *f = *state;
	size_t done;

	plan_promote(f, false, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(f->plan->n, 2);
	fail_at = 2;
	fail_after = true;	/* the undo write fails too */
	assert_int_equal(plan_apply(&f->ctx, f->plan, 0, &done),
			 AGENT_WRITE_INCONSISTENT);
	assert_int_equal(done, 1);
	assert_non_null(strstr(f->ctx.err, "left changed: esos/local"));
	assert_string_equal(get(f, SCST_TG "local/state"), "active\n");
}

/* Two LIO devices: a failure on the second undoes the first. */
static void test_lio_failure_on_second_device(void **state)
{
	struct fixture *f = *state;
	size_t done;
	char buf[16];

	plan_promote(f, false, ALUA_OFFLINE);
	/* vg1 and vg2: local already AO, remote ANO -> offline: 2 steps */
	assert_int_equal(f->plan->n, 2);
	assert_int_equal(plan_validate(&f->ctx, f->plan), AGENT_OK);
	fail_at = 2;
	assert_int_equal(plan_apply(&f->ctx, f->plan, 0, &done),
			 AGENT_WRITE_RESTORED);
	assert_string_equal(fake_get(f->root, LIO_VG1 "hpms02/alua_access_state",
				     buf, sizeof(buf)), "1\n");
	assert_string_equal(fake_get(f->root, LIO_VG2 "hpms02/alua_access_state",
				     buf, sizeof(buf)), "1\n");

	writes = 0;
	fail_at = 0;
	assert_int_equal(plan_apply(&f->ctx, f->plan, 0, &done), AGENT_OK);
	assert_string_equal(fake_get(f->root, LIO_VG1 "hpms02/alua_access_state",
				     buf, sizeof(buf)), "14\n");
	assert_string_equal(fake_get(f->root, LIO_VG2 "hpms02/alua_access_state",
				     buf, sizeof(buf)), "14\n");
}

/* Nothing is written when any step is refused or any file unwritable. */
static void test_validate_refuses_before_writing(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];

	assert_int_equal(plan_add(&f->ctx, f->plan, u, &u->groups[u->local_idx],
				  "local", ALUA_ACTIVE_OPTIMIZED, false),
			 AGENT_OK);
	assert_int_equal(plan_add(&f->ctx, f->plan, u,
				  &u->groups[u->remote_idx], "remote",
				  ALUA_LBA_DEPENDENT, false), AGENT_OK);
	assert_int_equal(plan_validate(&f->ctx, f->plan), AGENT_UNSUPPORTED);

	plan_init(f->plan, f->be);
	plan_promote(f, false, ALUA_STANDBY);
	/* The remote state attribute vanished after it was read. */
	fake_unlink(f->root, SCST_TG "remote/state");
	fake_mkdir(f->root, SCST_TG "remote/state");
	assert_int_equal(plan_validate(&f->ctx, f->plan), AGENT_BAD_DATA);
	fake_unlink(f->root, SCST_TG "remote/state");
	assert_int_equal(plan_validate(&f->ctx, f->plan), AGENT_NOT_FOUND);
	assert_int_equal(writes, 0);
	assert_string_equal(get(f, SCST_TG "local/state"),
			    "nonoptimized\n[key]\n");
}

/* The second half of a split (graceful with a pause) undoes the first. */
static void test_resume_undoes_earlier_half(void **state)
{
	struct fixture *f = *state;
	size_t done, n;

	plan_promote(f, true, ALUA_ACTIVE_NONOPTIMIZED);
	n = f->plan->n;
	f->plan->n = 1;
	assert_int_equal(plan_apply(&f->ctx, f->plan, 0, &done), AGENT_OK);
	f->plan->n = n;
	assert_string_equal(get(f, SCST_TG "local/state"), "transitioning\n");
	fail_at = 3;	/* the remote write */
	assert_int_equal(plan_apply(&f->ctx, f->plan, done, &done),
			 AGENT_WRITE_RESTORED);
	assert_string_equal(get(f, SCST_TG "local/state"), "nonoptimized\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_noop_plans_nothing,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(
			test_graceful_goes_through_transitioning, setup_scst,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failure_at_every_step_restores, setup_scst,
			teardown),
		cmocka_unit_test_setup_teardown(test_failed_undo_is_reported,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(
			test_lio_failure_on_second_device, setup_lio, teardown),
		cmocka_unit_test_setup_teardown(
			test_validate_refuses_before_writing, setup_scst,
			teardown),
		cmocka_unit_test_setup_teardown(test_resume_undoes_earlier_half,
						setup_scst, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
