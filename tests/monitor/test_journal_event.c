// SPDX-License-Identifier: GPL-2.0-or-later
/* The journal entries' fields (journal_event.c): the id per kind, only
 * the fields an event has, numbers as the journal stores them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "journal_event.h"

static const char *find(char (*f)[JEV_FIELD_MAX], size_t n, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (!strncmp(f[i], name, len) && f[i][len] == '=')
			return f[i] + len + 1;
	return NULL;
}

static void test_failover_fields(void **state)
{
	char f[JEV_FIELDS_MAX][JEV_FIELD_MAX];
	struct jev e = { .kind = JEV_FAILOVER, .priority = LOG_INFO,
			 .message = "mpatha: group_switched group 1 -> 2",
			 .map = "mpatha", .node = "hpms02",
			 .alua_state = "active/optimized", .path = "",
			 .group = 2, .latency_ms = 412 };
	size_t n = jev_fields(&e, f, JEV_FIELDS_MAX);

	(void)state;
	assert_string_equal(find(f, n, "MESSAGE_ID"),
			    "e680eb1a4a664132ada011a1dabae37a");
	assert_string_equal(find(f, n, "MESSAGE"), e.message);
	assert_string_equal(find(f, n, "PRIORITY"), "6");
	assert_string_equal(find(f, n, "PATHWARDEN_EVENT"), "failover");
	assert_string_equal(find(f, n, "PATHWARDEN_MAP"), "mpatha");
	assert_string_equal(find(f, n, "PATHWARDEN_NODE"), "hpms02");
	assert_string_equal(find(f, n, "PATHWARDEN_GROUP"), "2");
	assert_string_equal(find(f, n, "PATHWARDEN_LATENCY_MS"), "412");
	assert_string_equal(find(f, n, "PATHWARDEN_ALUA_STATE"),
			    "active/optimized");
	/* empty or absent: not a field */
	assert_null(find(f, n, "PATHWARDEN_PATH"));
	assert_null(find(f, n, "PATHWARDEN_PORTAL"));
	assert_int_equal(n, 10);
}

static void test_none_and_limits(void **state)
{
	char f[JEV_FIELDS_MAX][JEV_FIELD_MAX], big[2 * JEV_FIELD_MAX];
	struct jev e = { .kind = JEV_PORTAL, .priority = LOG_WARNING,
			 .group = -1, .latency_ms = -1, .state = "down" };
	size_t n = jev_fields(&e, f, JEV_FIELDS_MAX);

	(void)state;
	assert_null(find(f, n, "PATHWARDEN_GROUP"));
	assert_null(find(f, n, "PATHWARDEN_LATENCY_MS"));
	/* no sentence given: the kind's name stands in */
	assert_string_equal(find(f, n, "MESSAGE"), "portal");
	assert_string_equal(find(f, n, "PRIORITY"), "4");
	/* a value too long is cut, not overrun */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e.message = big;
	n = jev_fields(&e, f, JEV_FIELDS_MAX);
	assert_int_equal(strlen(find(f, n, "MESSAGE")),
			 JEV_FIELD_MAX - 1 - strlen("MESSAGE="));
	/* room for three fields: three */
	assert_int_equal(jev_fields(&e, f, 3), 3);
	/* a kind that does not exist: nothing */
	e.kind = JEV_KINDS;
	assert_int_equal(jev_fields(&e, f, JEV_FIELDS_MAX), 0);
	assert_null(jev_message_id(JEV_KINDS));
}

/* Every kind has its own id, 32 hex digits, and its own name. */
static void test_ids_distinct(void **state)
{
	(void)state;
	for (int i = 0; i < JEV_KINDS; i++) {
		const char *id = jev_message_id((enum jev_kind)i);

		assert_int_equal(strlen(id), 32);
		assert_int_equal(strspn(id, "0123456789abcdef"), 32);
		for (int j = 0; j < i; j++) {
			assert_string_not_equal(id,
				jev_message_id((enum jev_kind)j));
			assert_string_not_equal(jev_kind_name((enum jev_kind)i),
				jev_kind_name((enum jev_kind)j));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failover_fields),
		cmocka_unit_test(test_none_and_limits),
		cmocka_unit_test(test_ids_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
