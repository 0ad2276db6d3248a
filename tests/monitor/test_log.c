// SPDX-License-Identifier: GPL-2.0-or-later
/* The log's two stderr forms: plain "pathwarden: " lines, and "<N>" lines
 * when JOURNAL_STREAM names fd 2 (systemd's stream to journald). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* fd 2 goes to a scratch file for one test; the file is read back. */
struct captured {
	int saved_fd;
	char path[64];
};

static void capture_start(struct captured *c)
{
	int fd;

	snprintf(c->path, sizeof(c->path), "/tmp/pw-test-log.XXXXXX");
	fd = mkstemp(c->path);
	assert_true(fd >= 0);
	fflush(stderr);
	c->saved_fd = dup(2);
	assert_true(c->saved_fd >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
}

/* Restores fd 2; returns what was written (caller frees). */
static char *capture_end(struct captured *c)
{
	char *buf = calloc(1, 8192);
	FILE *f;
	size_t n;

	assert_non_null(buf);
	fflush(stderr);
	assert_int_equal(dup2(c->saved_fd, 2), 2);
	close(c->saved_fd);
	f = fopen(c->path, "r");
	assert_non_null(f);
	n = fread(buf, 1, 8191, f);
	buf[n] = '\0';
	fclose(f);
	unlink(c->path);
	return buf;
}

/* JOURNAL_STREAM as systemd writes it, for whatever fd 2 is now. */
static void set_journal_stream_to_stderr(long ino_offset)
{
	struct stat st;
	char v[64];

	assert_int_equal(fstat(2, &st), 0);
	snprintf(v, sizeof(v), "%ju:%ju", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino + (uintmax_t)ino_offset);
	assert_int_equal(setenv("JOURNAL_STREAM", v, 1), 0);
}

static void log_every_priority(void)
{
	log_err("disk %s failed", "sdb");
	log_warn("group %d standby", 2);
	log_info("resync");
	log_debug("poll %u ms", 250u);
}

static void test_journal_prefixes(void **state)
{
	struct captured c;
	char *out;

	(void)state;
	capture_start(&c);
	set_journal_stream_to_stderr(0);
	log_init(2, 0);
	assert_true(log_to_journal());
	log_every_priority();
	log_err("first line\nsecond line");
	out = capture_end(&c);
	assert_string_equal(out,
		"<3>disk sdb failed\n"
		"<4>group 2 standby\n"
		"<6>resync\n"
		"<7>poll 250 ms\n"
		"<3>first line\n"
		"<3>second line\n");
	free(out);
	unsetenv("JOURNAL_STREAM");
}

/* The verbosity filter is the same in both forms. */
static void test_journal_quiet(void **state)
{
	struct captured c;
	char *out;

	(void)state;
	capture_start(&c);
	set_journal_stream_to_stderr(0);
	log_init(0, 0);
	log_every_priority();
	out = capture_end(&c);
	assert_string_equal(out, "<3>disk sdb failed\n<4>group 2 standby\n");
	free(out);
	unsetenv("JOURNAL_STREAM");
}

static void expect_plain(void)
{
	struct captured c;
	char *out;

	capture_start(&c);
	log_init(2, 0);
	assert_false(log_to_journal());
	log_every_priority();
	out = capture_end(&c);
	assert_string_equal(out,
		"pathwarden: disk sdb failed\n"
		"pathwarden: group 2 standby\n"
		"pathwarden: resync\n"
		"pathwarden: poll 250 ms\n");
	free(out);
}

static void test_plain_without_journal(void **state)
{
	(void)state;
	unsetenv("JOURNAL_STREAM");
	expect_plain();
}

/* Inherited from a service but naming another stream (stderr redirected
 * to a file or a pipe): not the journal. */
static void test_plain_other_stream(void **state)
{
	struct captured c;
	char *out;

	(void)state;
	capture_start(&c);
	set_journal_stream_to_stderr(1);
	log_init(2, 0);
	assert_false(log_to_journal());
	log_err("x");
	out = capture_end(&c);
	assert_string_equal(out, "pathwarden: x\n");
	free(out);

	static const char *const bad[] = { "", "garbage", "1:", ":2",
					   "1:2:3", "1:2x", "-1:-1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(setenv("JOURNAL_STREAM", bad[i], 1), 0);
		expect_plain();
	}
	unsetenv("JOURNAL_STREAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journal_prefixes),
		cmocka_unit_test(test_journal_quiet),
		cmocka_unit_test(test_plain_without_journal),
		cmocka_unit_test(test_plain_other_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
