// SPDX-License-Identifier: GPL-2.0-or-later
/* The daemon's login policy per portal (portal_login.c) on a made-up
 * clock: the node record made at once after "no node record", pauses doubling from
 * the probe interval to 30 s, each failure said once with the count of
 * the one before, a success with the number of attempts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "portal_login.h"

#define MS 1000000ull
#define S 1000000000ull

static struct iscsi_login_report report(enum iscsi_login_result res,
					int status, bool record_made,
					bool settings, const char *msg)
{
	struct iscsi_login_report r = { .result = res, .status = status,
					.record_made = record_made,
					.settings_applied = settings,
					.new_session = res == ISCSI_LOGIN_OK };

	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	return r;
}

/* The node was down at discovery: one look finds no record, the next
 * attempt makes it at once and logs in; two lines in all. */
static void test_no_record_made_at_once(void **state)
{
	struct plogin pl;
	struct iscsi_login_report r;
	char line[512];
	int st;
	unsigned int failed;

	(void)state;
	plogin_init(&pl, 500 * MS);
	assert_true(plogin_due(&pl, 0));
	assert_false(plogin_wants_record(&pl));

	r = report(ISCSI_LOGIN_NO_RECORD, 21, false, false, "iscsiadm exit 21");
	assert_int_equal(plogin_done(&pl, &r, 10 * S, line, sizeof(line)),
			 PLOGIN_SAY_INFO);
	assert_non_null(strstr(line, "no node record"));
	assert_non_null(strstr(line, "making the node record from the "
				   "configuration"));
	/* a new remedy, not a retry: no pause */
	assert_true(plogin_due(&pl, 10 * S));
	assert_true(plogin_wants_record(&pl));
	assert_int_equal(plogin_failure(&pl, &st, &failed),
			 ISCSI_LOGIN_NO_RECORD);
	assert_int_equal(st, 21);
	assert_int_equal(failed, 1);

	r = report(ISCSI_LOGIN_OK, -1, true, true, "logged in");
	assert_int_equal(plogin_done(&pl, &r, 10 * S + 300 * MS, line,
				     sizeof(line)), PLOGIN_SAY_INFO);
	assert_string_equal(line, "logged in after 2 attempts (node record "
			    "made first); before: no node record (exit 21), 1 "
			    "attempt");
	assert_int_equal(plogin_failure(&pl, &st, &failed), ISCSI_LOGIN_OK);
	assert_int_equal(st, -1);
	assert_int_equal(failed, 0);
	assert_false(plogin_wants_record(&pl));
	/* the new session is given time to show in sysfs */
	assert_false(plogin_due(&pl, 10 * S + 300 * MS + PLOGIN_SETTLE_NS - 1));
	assert_true(plogin_due(&pl, 10 * S + 300 * MS + PLOGIN_SETTLE_NS));

	/* still not in sysfs: iscsiadm finds it there, nothing to say */
	r = report(ISCSI_LOGIN_OK, -1, false, true, "already logged in");
	r.new_session = false;
	r.was_there = true;
	assert_int_equal(plogin_done(&pl, &r, 30 * S, line, sizeof(line)),
			 PLOGIN_QUIET);
	assert_string_equal(line, "");
	assert_false(plogin_due(&pl, 30 * S + PLOGIN_SETTLE_NS - 1));
}

/* A target that answers TCP and refuses our CHAP: the pauses double from
 * the probe interval to 30 s, and the failure is said once. */
static void test_backoff_and_said_once(void **state)
{
	static const uint64_t want_ms[] = { 200, 400, 800, 1600, 3200, 6400,
					    12800, 25600, 30000, 30000 };
	struct plogin pl;
	struct iscsi_login_report r;
	char line[512];
	uint64_t now = 5 * S;
	unsigned int failed;
	int st;

	(void)state;
	plogin_init(&pl, 200 * MS);
	r = report(ISCSI_LOGIN_AUTH_FAILED, 24, false, true,
		   "iscsiadm exit 24: iscsiadm: Login failed");
	for (unsigned int i = 0; i < sizeof(want_ms) / sizeof(want_ms[0]);
	     i++) {
		enum plogin_say say;

		assert_true(plogin_due(&pl, now));
		say = plogin_done(&pl, &r, now, line, sizeof(line));
		if (i == 0) {
			assert_int_equal(say, PLOGIN_SAY_WARN);
			assert_string_equal(line, "CHAP authentication refused:"
					    " iscsiadm exit 24: iscsiadm: Login"
					    " failed; next attempt in 0.2 s, "
					    "backing off to every 30 s");
		} else {
			assert_int_equal(say, PLOGIN_QUIET);
			assert_string_equal(line, "");
		}
		assert_false(plogin_due(&pl, now + want_ms[i] * MS - 1));
		assert_true(plogin_due(&pl, now + want_ms[i] * MS));
		assert_false(plogin_wants_record(&pl));
		now += want_ms[i] * MS;
	}
	assert_int_equal(plogin_failure(&pl, &st, &failed),
			 ISCSI_LOGIN_AUTH_FAILED);
	assert_int_equal(st, 24);
	assert_int_equal(failed, 10);

	/* Another reason: said, with the count of the one before; the
	 * pause stays long (the target still says no). */
	r = report(ISCSI_LOGIN_REFUSED, 19, false, true, "iscsiadm exit 19");
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_SAY_WARN);
	assert_non_null(strstr(line, "login refused by the target: iscsiadm "
				     "exit 19; next attempt in 30.0 s"));
	assert_non_null(strstr(line, "; before: CHAP authentication refused "
				     "(exit 24), 10 attempts"));
	assert_false(plogin_due(&pl, now + 30 * S - 1));
	/* the same exit status with the same reason: still one failure */
	now += 30 * S;
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_QUIET);
	/* the same reason under another exit status is another failure */
	r.status = 20;
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_SAY_WARN);

	r = report(ISCSI_LOGIN_OK, -1, false, true, "logged in");
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_SAY_INFO);
	assert_non_null(strstr(line, "logged in after 14 attempts; before: "
				     "login refused by the target (exit 20), 1 "
				     "attempt"));
	/* the next failure starts from the probe interval again */
	r = report(ISCSI_LOGIN_UNREACHABLE, 8, false, true, "iscsiadm exit 8");
	now += PLOGIN_SETTLE_NS;
	plogin_done(&pl, &r, now, line, sizeof(line));
	assert_true(plogin_due(&pl, now + 200 * MS));
}

/* The record is made again until an attempt reaches it; a record still
 * missing after it is a failure of its own, and backs off. */
static void test_record_until_reached(void **state)
{
	struct plogin pl;
	struct iscsi_login_report r;
	char line[512];
	uint64_t now = 1 * S;

	(void)state;
	plogin_init(&pl, 500 * MS);
	r = report(ISCSI_LOGIN_NO_RECORD, 21, false, false, "iscsiadm exit 21");
	plogin_done(&pl, &r, now, line, sizeof(line));
	assert_true(plogin_wants_record(&pl));

	r = report(ISCSI_LOGIN_RECORD_FAILED, -1, true, false,
		   "making the node record failed (exit 7): no space");
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_SAY_WARN);
	assert_non_null(strstr(line, "node record could not be made"));
	assert_true(plogin_wants_record(&pl));
	assert_false(plogin_due(&pl, now + 500 * MS - 1));

	now += 500 * MS;
	r = report(ISCSI_LOGIN_UNREACHABLE, 4, true, false,
		   "iscsiadm failed (exit 4): no route");
	plogin_done(&pl, &r, now, line, sizeof(line));
	/* made, but its settings not known written: made again */
	assert_true(plogin_wants_record(&pl));

	now += 1 * S;
	r = report(ISCSI_LOGIN_NO_RECORD_MADE, 21, true, false,
		   "iscsiadm exit 21");
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_SAY_WARN);
	assert_non_null(strstr(line, "no node record even after making it"));
	assert_true(plogin_wants_record(&pl));
	assert_false(plogin_due(&pl, now + 2 * S - 1));

	/* the record is there now (settings written); the login fails */
	now += 2 * S;
	r = report(ISCSI_LOGIN_AUTH_FAILED, 24, true, true, "iscsiadm exit 24");
	plogin_done(&pl, &r, now, line, sizeof(line));
	assert_false(plogin_wants_record(&pl));
}

/* A portal that goes away and comes back: tried at once, pauses from
 * the base again, the failure it met not said a second time. */
static void test_portal_down_and_back(void **state)
{
	struct plogin pl;
	struct iscsi_login_report r;
	char line[512];
	uint64_t now = 0;

	(void)state;
	plogin_init(&pl, 100 * MS);
	r = report(ISCSI_LOGIN_AUTH_FAILED, 24, false, true,
		   "iscsiadm exit 24");
	for (int i = 0; i < 5; i++) {
		plogin_done(&pl, &r, now, line, sizeof(line));
		now += 100 * MS << i;
	}
	assert_false(plogin_due(&pl, now - 1));
	plogin_portal_down(&pl);
	assert_true(plogin_due(&pl, now - 1));
	assert_int_equal(plogin_done(&pl, &r, now, line, sizeof(line)),
			 PLOGIN_QUIET);
	assert_true(plogin_due(&pl, now + 100 * MS));
}

/* A session we did not make ends the failure, said once. */
static void test_not_needed(void **state)
{
	struct plogin pl;
	struct iscsi_login_report r;
	char line[512];
	unsigned int failed;

	(void)state;
	plogin_init(&pl, 100 * MS);
	assert_int_equal(plogin_not_needed(&pl, line, sizeof(line)),
			 PLOGIN_QUIET);
	r = report(ISCSI_LOGIN_TIMED_OUT, -1, false, true,
		   "login timed out after 10 s");
	plogin_done(&pl, &r, 0, line, sizeof(line));
	plogin_done(&pl, &r, 1 * S, line, sizeof(line));
	assert_int_equal(plogin_not_needed(&pl, line, sizeof(line)),
			 PLOGIN_SAY_INFO);
	assert_string_equal(line, "a session is there, not logged in by us; "
			    "stopped after 2 attempts; before: iscsiadm timed "
			    "out, 2 attempts");
	assert_int_equal(plogin_failure(&pl, NULL, &failed), ISCSI_LOGIN_OK);
	assert_int_equal(failed, 0);
	assert_int_equal(plogin_not_needed(&pl, line, sizeof(line)),
			 PLOGIN_QUIET);
}

/* Probes off (portal-check-ms 0): the daemon's 1 s rounds; a probe
 * interval above the cap is capped. */
static void test_base(void **state)
{
	struct plogin pl;
	struct iscsi_login_report r = report(ISCSI_LOGIN_FAILED, 1, false,
					     true, "iscsiadm exit 1");
	char line[512];

	(void)state;
	plogin_init(&pl, 0);
	plogin_done(&pl, &r, 0, line, sizeof(line));
	assert_false(plogin_due(&pl, 1 * S - 1));
	assert_true(plogin_due(&pl, 1 * S));
	plogin_init(&pl, 60 * S);
	plogin_done(&pl, &r, 0, line, sizeof(line));
	assert_true(plogin_due(&pl, PLOGIN_MAX_PAUSE_NS));
	/* a reload with a shorter interval: the next pauses start from it */
	plogin_set_base(&pl, 100 * MS);
	plogin_portal_down(&pl);
	plogin_done(&pl, &r, 0, line, sizeof(line));
	assert_true(plogin_due(&pl, 100 * MS));
}

/* A FREE session is iscsid's for the grace after its portal answers:
 * then the daemon's.  Back: said with the time since the answer, when
 * one was seen.  The grace starts again after the portal goes silent and
 * answers once more; a portal whose answer was not noted (a reload)
 * starts it when asked. */
static void test_free_left_to_iscsid(void **state)
{
	const uint64_t grace = 8 * S;
	struct plogin pl;
	char line[256];

	(void)state;
	plogin_init(&pl, 500 * MS);
	/* the portal's answer not seen (iscsid was first) */
	assert_int_equal(plogin_session_back(&pl, 1 * S, line, sizeof(line)),
			 PLOGIN_SAY_INFO);
	assert_string_equal(line, "session back by iscsid's own reconnect; "
			    "no logout, the same disks");

	plogin_portal_up(&pl, 100 * S);
	/* a later round of the same answer does not move its start */
	plogin_portal_up(&pl, 101 * S);
	assert_true(plogin_leave_free(&pl, 100 * S, grace));
	assert_true(plogin_leave_free(&pl, 107 * S + 900 * MS, grace));
	assert_int_equal(plogin_session_back(&pl, 103 * S + 500 * MS, line,
					     sizeof(line)), PLOGIN_SAY_INFO);
	assert_non_null(strstr(line, "iscsid's own reconnect 3.5 s after "
				     "the portal answered"));

	/* silent, then answers again: a new grace, over at its end */
	plogin_portal_down(&pl);
	plogin_portal_up(&pl, 200 * S);
	assert_true(plogin_leave_free(&pl, 207 * S, grace));
	assert_false(plogin_leave_free(&pl, 208 * S, grace));

	/* no answer noted: the grace starts at the first ask */
	plogin_init(&pl, 500 * MS);
	assert_true(plogin_leave_free(&pl, 300 * S, grace));
	assert_true(plogin_leave_free(&pl, 307 * S, grace));
	assert_false(plogin_leave_free(&pl, 308 * S, grace));
}

/* Every result has a stable word and a phrase. */
static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < ISCSI_LOGIN_RESULTS; i++) {
		const char *n = iscsi_login_result_name(
			(enum iscsi_login_result)i);

		assert_string_not_equal(n, "unknown");
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz_"),
				 strlen(n));
		assert_string_not_equal(iscsi_login_result_text(
			(enum iscsi_login_result)i), "unknown");
	}
	assert_string_equal(iscsi_login_result_name(ISCSI_LOGIN_RESULTS),
			    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_record_made_at_once),
		cmocka_unit_test(test_backoff_and_said_once),
		cmocka_unit_test(test_record_until_reached),
		cmocka_unit_test(test_portal_down_and_back),
		cmocka_unit_test(test_not_needed),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_free_left_to_iscsid),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
