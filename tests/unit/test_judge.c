// SPDX-License-Identifier: GPL-2.0-or-later
/* The one judge of a path (lib/path_judge.c), case by case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pathwarden/path_judge.h"

static struct tpg_answer ok(enum alua_state st, bool pref)
{
	struct tpg_answer a = { .result = TPG_OK, .group_known = true };

	a.own.group_id = 1;
	a.own.state = st;
	a.own.preferred = pref;
	return a;
}

static struct path_judgement judge(const struct path_facts *f)
{
	struct path_judgement j;

	path_judge(f, &j);
	return j;
}

/* The device's answer alone, as the checker and the prio ask. */
static void test_answer_alone(void **state)
{
	static const struct {
		enum alua_state st;
		enum path_class class;
		enum path_verdict verdict;
	} cases[] = {
		{ ALUA_ACTIVE_OPTIMIZED, PATH_CLASS_USABLE, PV_UP },
		{ ALUA_ACTIVE_NONOPTIMIZED, PATH_CLASS_USABLE, PV_UP },
		{ ALUA_LBA_DEPENDENT, PATH_CLASS_USABLE, PV_UP },
		{ ALUA_STANDBY, PATH_CLASS_STANDBY, PV_GHOST },
		{ ALUA_TRANSITIONING, PATH_CLASS_STANDBY, PV_GHOST },
		{ ALUA_UNAVAILABLE, PATH_CLASS_DOWN, PV_DOWN },
		{ ALUA_OFFLINE, PATH_CLASS_DOWN, PV_DOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tpg_answer a = ok(cases[i].st, i & 1);
		struct path_facts f = { .rtpg = &a, .sysfs_preferred = -1 };
		struct path_judgement j = judge(&f);

		assert_int_equal(j.class, cases[i].class);
		assert_int_equal(j.verdict, cases[i].verdict);
		assert_int_equal(j.source, PATH_STATE_RTPG);
		assert_int_equal(j.state, cases[i].st);
		assert_int_equal(j.preferred, (bool)(i & 1));
		assert_true(j.heard);
	}
}

/* No answer: the kernel's access_state stands in; a failure the device
 * gave does not let the kernel's older word stand in. */
static void test_kernel_word(void **state)
{
	struct path_facts f = { .access_state = "standby",
				.sysfs_preferred = 1 };
	struct tpg_answer a = { .result = TPG_OS_ERROR };
	struct path_judgement j = judge(&f);

	(void)state;
	assert_int_equal(j.source, PATH_STATE_KERNEL);
	assert_int_equal(j.state, ALUA_STANDBY);
	assert_true(j.preferred);
	assert_int_equal(j.class, PATH_CLASS_STANDBY);
	/* SG_IO refused: we could not ask, the kernel's word stands */
	f.rtpg = &a;
	j = judge(&f);
	assert_false(j.heard);
	assert_int_equal(j.source, PATH_STATE_KERNEL);
	/* the device timed out: that is newer than the kernel's word */
	a.result = TPG_TIMEOUT;
	a.group_known = true;
	j = judge(&f);
	assert_true(j.heard);
	assert_int_equal(j.source, PATH_STATE_NONE);
	assert_int_equal(j.class, PATH_CLASS_DOWN);
	/* not ALUA: the kernel's word is all there is */
	a.result = TPG_NOT_ALUA;
	f.access_state = "active/optimized";
	j = judge(&f);
	assert_int_equal(j.source, PATH_STATE_KERNEL);
	assert_int_equal(j.class, PATH_CLASS_USABLE);
	/* garbage in sysfs is no state */
	f.rtpg = NULL;
	f.access_state = "sideways";
	j = judge(&f);
	assert_int_equal(j.source, PATH_STATE_NONE);
	assert_int_equal(j.class, PATH_CLASS_USABLE);
}

/* A failed path judged by its peer's report of its group. */
static void test_peer_word(void **state)
{
	struct tpg_answer a = ok(ALUA_TRANSITIONING, false);
	struct path_facts f = { .rtpg = &a, .sysfs_preferred = -1 };
	struct path_judgement j;

	(void)state;
	a.result = TPG_REJECTED;
	a.from_peer = true;
	j = judge(&f);
	assert_int_equal(j.source, PATH_STATE_PEER);
	assert_int_equal(j.verdict, PV_GHOST);
	assert_int_equal(j.class, PATH_CLASS_STANDBY);
	a.own.state = ALUA_ACTIVE_OPTIMIZED;	/* refuses while AO: down */
	j = judge(&f);
	assert_int_equal(j.verdict, PV_DOWN);
	assert_int_equal(j.class, PATH_CLASS_DOWN);
}

/*
 * multipathd's word on a path (@f: ghost, or down with dm having the path
 * active again) is its last check's, older than the path's own answer:
 * only the path's own RTPG saying its group serves overrides it, and the
 * path is then usable.  A peer's report of the group (its own command
 * busy), the kernel's access_state or a state that does not serve leave
 * it @held.
 */
static void only_own_answer_overrides(struct path_facts *f,
				      enum path_class held)
{
	struct tpg_answer a = ok(ALUA_ACTIVE_OPTIMIZED, false);

	f->rtpg = &a;
	assert_int_equal(judge(f).class, PATH_CLASS_USABLE);
	a.result = TPG_BAD_STATUS;
	a.from_peer = true;
	assert_int_equal(judge(f).source, PATH_STATE_PEER);
	assert_int_equal(judge(f).class, held);
	/* nor does its node's other path's report, taken for it unasked
	 * (the daemon's batch: result OK, from a peer) */
	a = ok(ALUA_ACTIVE_OPTIMIZED, false);
	a.from_peer = true;
	assert_int_equal(judge(f).source, PATH_STATE_PEER);
	assert_int_equal(judge(f).class, held);
	a = ok(ALUA_STANDBY, false);
	assert_int_not_equal(judge(f).class, PATH_CLASS_USABLE);
	f->rtpg = NULL;
	f->access_state = "active/optimized";
	assert_int_equal(judge(f).class, held);
	f->access_state = NULL;
	assert_int_equal(judge(f).class, held);
}

/* The layers below the device: each one can say no, whatever the
 * device says, and the kernel having no disk is worse than down. */
static void test_layers(void **state)
{
	struct tpg_answer a = ok(ALUA_ACTIVE_OPTIMIZED, false);
	struct path_facts f = { .rtpg = &a, .sysfs_preferred = -1 };
	struct path_facts ghost = { .sysfs_preferred = -1, .mp_ghost = true };
	struct path_facts back = { .sysfs_preferred = -1, .mp_down = true,
				   .dm_kernel_active = true };

	(void)state;
	assert_int_equal(judge(&f).class, PATH_CLASS_USABLE);
	/* multipathd's checker said ghost at its last check */
	only_own_answer_overrides(&ghost, PATH_CLASS_STANDBY);
	/* multipathd holds it failed; dm has it active again since */
	only_own_answer_overrides(&back, PATH_CLASS_DOWN);
	/* ... and not while dm has it failed too */
	back.rtpg = &a;
	back.dm_kernel_active = false;
	assert_int_equal(judge(&back).class, PATH_CLASS_DOWN);
	f.mp_down = true;
	assert_int_equal(judge(&f).class, PATH_CLASS_DOWN);
	f.mp_down = false;
	f.transport_down = true;
	assert_int_equal(judge(&f).class, PATH_CLASS_DOWN);
	f.dm_kernel_active = true;	/* the transport's no stands */
	assert_int_equal(judge(&f).class, PATH_CLASS_DOWN);
	f.dm_kernel_active = false;
	f.gone = true;
	assert_int_equal(judge(&f).class, PATH_CLASS_GONE);
	/* BUSY: ask again; not a reason to take the path out */
	f.gone = f.transport_down = false;
	a.result = TPG_BAD_STATUS;
	assert_int_equal(judge(&f).verdict, PV_PENDING);
	assert_int_equal(judge(&f).class, PATH_CLASS_USABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_alone),
		cmocka_unit_test(test_kernel_word),
		cmocka_unit_test(test_peer_word),
		cmocka_unit_test(test_layers),
	};

	return cmocka_run_group_tests_name("path_judge", tests, NULL, NULL);
}
