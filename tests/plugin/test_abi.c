/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The declared plugin ABI (mpt/abi-0.N.h) against the real libmultipath of
 * the installed series, without its headers: the library's own exported
 * functions write and read the fields, and the test looks where the
 * declaration says they are.
 *   struct checker: checker_disable(), checker_enable() and
 *     checker_clear_message() write disable, msgid (and on 0.11 and 0.15
 *     path_state) and nothing else; checker_message() reads msgid and the
 *     class's message table; checker_is_sync() reads the class's sync.
 *   struct path: alloc_path() sets fd to -1 where we read it (its own and
 *     its embedded checker's: the checker's fd field), free_path()
 *     closes the fd it finds there, find_path_by_dev() finds a path by the
 *     name where we write it.
 * A field the library touches elsewhere, or one it does not touch where
 * declared, fails here instead of corrupting multipathd.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mp_class.h"

/* libmultipath's vector, for find_path_by_dev() (exported in every series) */
struct mp_vector {
	int allocated;
	void **slot;
};
struct path *find_path_by_dev(const struct mp_vector *pathvec,
			      const char *dev);

#define FILL 0x5a

/* Bytes of @a and @b that differ, as a bitmap over sizeof(struct checker). */
static uint64_t changed(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	uint64_t m = 0;

	for (size_t i = 0; i < n && i < 64; i++)
		if (x[i] != y[i])
			m |= 1ULL << i;
	return m;
}

/* The bytes of a field of @size bytes at @off, in that bitmap. */
static uint64_t field(size_t off, size_t size)
{
	return ((1ULL << size) - 1) << off;
}

static void test_checker_disable_enable(void **state)
{
	struct checker before, c;
	uint64_t want;
	(void)state;

	_Static_assert(sizeof(struct checker) <= 64, "bitmap width");
	memset(&c, FILL, sizeof(c));
	before = c;
	checker_disable(&c);
	want = field(offsetof(struct checker, disable), sizeof(c.disable));
#if MPT_SERIES >= 11
	/* 0.11 on: disabling also says why and forgets the state */
	want |= field(offsetof(struct checker, msgid), sizeof(c.msgid));
	want |= field(offsetof(struct checker, path_state), sizeof(c.path_state));
	assert_int_equal(c.msgid, CHECKER_MSGID_DISABLED);
	assert_int_equal(c.path_state, PATH_UNCHECKED);
#endif
	assert_int_equal(c.disable, 1);
	assert_true((changed(&before, &c, sizeof(c)) & ~want) == 0);

	before = c;
	checker_enable(&c);
	assert_int_equal(c.disable, 0);
	assert_true((changed(&before, &c, sizeof(c)) &
		     ~field(offsetof(struct checker, disable), sizeof(int))) == 0);
}

static void test_checker_msgid(void **state)
{
	struct checker before, c;
	(void)state;

	memset(&c, FILL, sizeof(c));
	before = c;
	checker_clear_message(&c);
	assert_int_equal(c.msgid, CHECKER_MSGID_NONE);
	assert_true(changed(&before, &c, sizeof(c)) ==
		    field(offsetof(struct checker, msgid), sizeof(c.msgid)));
}

static const char *table[] = { " first", " second", NULL };

static void test_checker_message_and_class(void **state)
{
	struct checker_class cls;
	struct checker c;
	(void)state;

	memset(&cls, 0, sizeof(cls));
	cls.msgtable = table;
	cls.msgtable_size = 2;
	memset(&c, 0, sizeof(c));
	c.cls = &cls;
	c.msgid = CHECKER_MSGID_DOWN;
	assert_string_equal(checker_message(&c), " reports path is down");
	c.msgid = CHECKER_FIRST_MSGID + 1;
	assert_string_equal(checker_message(&c), " second");
	c.msgid = CHECKER_FIRST_MSGID + 2;	/* past the table */
	assert_string_equal(checker_message(&c), "");
	cls.sync = 1;
	assert_true(checker_is_sync(&c));
	cls.sync = 0;
	assert_false(checker_is_sync(&c));
}

static void test_path_fd_and_dev(void **state)
{
	struct path *pp = alloc_path();
	int fds[2];
	(void)state;

	assert_non_null(pp);
	assert_int_equal(mpt_path_fd(pp), -1);	/* alloc_path()'s "no fd" */
	{
		/* its checker, cleared: no class, and -1 where we read fd */
		const struct checker *c = (const struct checker *)
			((const char *)pp + MP_PATH_CHECKER_OFFSET);

		assert_null(c->cls);
		assert_int_equal(c->fd, -1);
		assert_int_equal(c->timeout, 0);
		assert_null(c->context);
	}
	for (size_t i = 0; i < MPT_PATH_DEV_SIZE; i++)
		assert_int_equal(mpt_path_dev(pp)[i], 0);
	snprintf((char *)pp, MPT_PATH_DEV_SIZE, "sdzz");
	{
		void *slot[1] = { pp };
		struct mp_vector v = { 1, slot };

		assert_ptr_equal(find_path_by_dev(&v, "sdzz"), pp);
		assert_null(find_path_by_dev(&v, "sdzy"));
	}
	assert_int_equal(pipe(fds), 0);
	*(int *)((char *)pp + MPT_PATH_FD_OFFSET) = fds[0];
	free_path(pp);		/* closes what it finds in pp->fd */
	errno = 0;
	assert_int_equal(fcntl(fds[0], F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	close(fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_disable_enable),
		cmocka_unit_test(test_checker_msgid),
		cmocka_unit_test(test_checker_message_and_class),
		cmocka_unit_test(test_path_fd_and_dev),
	};

	print_message("multipath-tools series %s: struct checker %zu bytes, "
		      "path fd at %d\n", MPT_SERIES_NAME, sizeof(struct checker),
		      MPT_PATH_FD_OFFSET);
	return cmocka_run_group_tests_name("mpt-abi", tests, NULL, NULL);
}
