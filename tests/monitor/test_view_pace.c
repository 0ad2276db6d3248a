// SPDX-License-Identifier: GPL-2.0-or-later
/* When a uevent's fresh view may be read (view_pace.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "view_pace.h"

#define MS 1000000ull
#define S (1000 * MS)

/* One LUN: a view of 70 ms, a uevent long after it: its own delay. */
static void test_cheap_view(void **state)
{
	(void)state;
	assert_int_equal(view_pace_at(10 * S, 300 * MS, 5 * S, 70 * MS),
			 10 * S + 300 * MS);
	/* right after it: 3 x 70 ms after its end is sooner than 300 ms */
	assert_int_equal(view_pace_at(5 * S, 300 * MS, 5 * S, 70 * MS),
			 5 * S + 300 * MS);
	/* no view yet */
	assert_int_equal(view_pace_at(S, 50 * MS, 0, 0), S + 50 * MS);
}

/* 64 LUNs: a view of 0.6 s; uevents keep coming. */
static void test_costly_view(void **state)
{
	(void)state;
	/* the next no sooner than 1.8 s after the last ended */
	assert_int_equal(view_pace_at(20 * S + 100 * MS, 300 * MS, 20 * S,
				      600 * MS),
			 21 * S + 800 * MS);
	/* a path failed: 50 ms wanted, paced the same */
	assert_int_equal(view_pace_at(21 * S, 50 * MS, 20 * S, 600 * MS),
			 21 * S + 800 * MS);
	/* long after: the delay alone */
	assert_int_equal(view_pace_at(40 * S, 300 * MS, 20 * S, 600 * MS),
			 40 * S + 300 * MS);
}

/* A view of 4 s (multipathd hung, its timeout): 5 s at most, not 12. */
static void test_capped(void **state)
{
	(void)state;
	assert_int_equal(view_pace_at(20 * S, 300 * MS, 20 * S, 4 * S),
			 25 * S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cheap_view),
		cmocka_unit_test(test_costly_view),
		cmocka_unit_test(test_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
