// SPDX-License-Identifier: GPL-2.0-or-later
/* The session table forgets the sessions sysfs no longer has, so a full
 * table from many re-logins does not keep a new session untracked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sess_track.h"

static void test_prune(void **state)
{
	struct sess_track t[MAX_SESS];
	struct iscsi_sess live[3];
	unsigned int n;

	(void)state;
	/* every slot taken by sessions of the past, 1..128 */
	for (unsigned int i = 0; i < MAX_SESS; i++) {
		t[i].sid = (int)i + 1;
		snprintf(t[i].state, sizeof(t[i].state), "LOGGED_IN");
		t[i].since_ns = i;
	}
	memset(live, 0, sizeof(live));
	live[0].sid = 129;	/* new: not tracked yet */
	live[1].sid = 40;
	live[2].sid = 7;
	n = sess_track_prune(t, MAX_SESS, live, 3);
	assert_int_equal(n, 2);
	/* kept in their order, with their state and time */
	assert_int_equal(t[0].sid, 7);
	assert_int_equal(t[0].since_ns, 6);
	assert_int_equal(t[1].sid, 40);
	assert_string_equal(t[1].state, "LOGGED_IN");
	/* nothing gone: nothing dropped */
	assert_int_equal(sess_track_prune(t, n, live, 3), 2);
	/* no session left */
	assert_int_equal(sess_track_prune(t, n, live, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prune),
	};

	return cmocka_run_group_tests_name("sess_track", tests, NULL, NULL);
}
