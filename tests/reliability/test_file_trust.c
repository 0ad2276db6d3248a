// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitor's configuration and its records file: refused when someone
 * other than root (or the user running it) could change them, and the
 * metrics endpoint on loopback unless the file says otherwise.  Runs as
 * root (a host test): the ownership cases need chown(2).
 */
#include <errno.h>
#include <fcntl.h>
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

#include "config.h"
#include "record_file.h"

static char dir[64];

static const char good_conf[] =
	"node hpms01 192.168.122.99\n"
	"node hpms02 192.168.122.98\n";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pw-trust-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh file in the scratch dir with @mode (umask aside). */
static const char *put(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static bool load(const char *path, char *err, size_t n)
{
	struct pw_conf c;

	err[0] = '\0';
	return conf_load(path, &c, err, n);
}

static void test_conf_modes(void **state)
{
	char err[512];
	const char *p;

	(void)state;
	p = put("ok.conf", good_conf, 0644);
	assert_true(load(p, err, sizeof(err)));
	p = put("private.conf", good_conf, 0600);
	assert_true(load(p, err, sizeof(err)));

	p = put("o+w.conf", good_conf, 0646);
	assert_false(load(p, err, sizeof(err)));
	assert_non_null(strstr(err, "writable by others"));
	assert_non_null(strstr(err, "o+w.conf"));

	p = put("a+w.conf", good_conf, 0666);
	assert_false(load(p, err, sizeof(err)));
	assert_non_null(strstr(err, "refused"));
}

static void test_conf_group_and_owner(void **state)
{
	char err[512];
	const char *p;

	(void)state;
	/* This test runs as root: the host tier needs it. */
	assert_int_equal(geteuid(), 0);

	/* Group write: fine for group root, refused for any other. */
	p = put("g+w-root.conf", good_conf, 0664);
	assert_int_equal(chown(p, 0, 0), 0);
	assert_true(load(p, err, sizeof(err)));
	assert_int_equal(chown(p, 0, 65534), 0);
	assert_false(load(p, err, sizeof(err)));
	assert_non_null(strstr(err, "writable by its group"));

	/* Owned by another user, even read-only: refused. */
	p = put("nobody.conf", good_conf, 0444);
	assert_int_equal(chown(p, 65534, 65534), 0);
	assert_false(load(p, err, sizeof(err)));
	assert_non_null(strstr(err, "owned by uid 65534"));

	/* A directory is not a config file. */
	assert_false(load(dir, err, sizeof(err)));
}

static void test_records(void **state)
{
	struct records r;
	char path[128], link[128];
	const char *p;

	(void)state;
	/* Created by the daemon: accepted, 0644. */
	snprintf(path, sizeof(path), "%s/state/rec.jsonl", dir);
	assert_int_equal(records_open(&r, path), 0);
	records_close(&r);

	p = put("rec-o+w.jsonl", "", 0666);
	assert_int_equal(records_open(&r, p), -EPERM);

	p = put("rec-nobody.jsonl", "", 0644);
	assert_int_equal(chown(p, 65534, 65534), 0);
	assert_int_equal(records_open(&r, p), -EPERM);

	/* A symlink planted in place of the file is not followed, even to
	 * a root-owned 0644 file the daemon would otherwise accept. */
	p = put("victim", "untouched\n", 0644);
	snprintf(link, sizeof(link), "%s/rec-link.jsonl", dir);
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(records_open(&r, link), -ELOOP);
}

static void test_metrics_default_loopback(void **state)
{
	struct pw_conf c;
	char err[256];
	FILE *f = fmemopen((void *)good_conf, strlen(good_conf), "r");

	(void)state;
	assert_non_null(f);
	assert_true(conf_parse(f, "t.conf", &c, err, sizeof(err)));
	fclose(f);
	/* Not configured: loopback only, never the wildcard address. */
	assert_string_equal(c.metrics_addr, "127.0.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_modes),
		cmocka_unit_test(test_conf_group_and_owner),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_metrics_default_loopback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
