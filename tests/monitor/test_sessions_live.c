// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sessions on a host come through libopeniscsiusr, which reads /sys and
 * takes no prefix; under a prefix sysfs_scan.c reads the same attributes
 * itself.  Here both read the same fixture host: the test enters a mount
 * namespace of its own (root, as the test suite runs) with the fixture's
 * sys mounted on /sys, so the library reads the fixture where it reads a
 * kernel.  Both readers must agree field by field.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysfs_scan.h"

static void fixture_root(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/root", MON_FX_DIR, name);
}

/* The fixture's sys on /sys, in this process's own mount namespace. */
static void enter(const char *name)
{
	char sys[512];

	fixture_root(name, sys, sizeof(sys));
	strncat(sys, "/sys", sizeof(sys) - strlen(sys) - 1);
	if (umount2("/sys", MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		fail_msg("umount /sys: %s", strerror(errno));
	if (mount(sys, "/sys", "none", MS_BIND | MS_REC, NULL))
		fail_msg("bind %s on /sys: %s", sys, strerror(errno));
}

static void same_sessions(const char *name, size_t want, int want_failed)
{
	struct sysfs_snapshot live, tree;
	char root[512];

	fixture_root(name, root, sizeof(root));
	enter(name);
	assert_int_equal(sysfs_scan("", &live), 0);
	assert_int_equal(sysfs_scan(root, &tree), 0);
	assert_int_equal(live.n_sess, want);
	assert_int_equal(tree.n_sess, want);
	for (size_t i = 0; i < want; i++) {
		const struct iscsi_sess *a = &live.sess[i], *b = &tree.sess[i];

		assert_int_equal(a->sid, b->sid);
		assert_int_equal(a->host, b->host);
		assert_int_equal(a->host, a->sid + 1);
		assert_string_equal(a->target, b->target);
		assert_non_null(strstr(a->target, ":hpms0"));
		assert_int_equal(a->tpgt, b->tpgt);
		assert_int_equal(a->tpgt, 1);
		assert_string_equal(a->state, b->state);
		assert_string_equal(a->state, a->sid == want_failed ?
				    "FAILED" : "LOGGED_IN");
		assert_int_equal(a->recovery_tmo, b->recovery_tmo);
		assert_int_equal(a->recovery_tmo_read, SESS_READ_OK);
		assert_int_equal(b->recovery_tmo_read, SESS_READ_OK);
		/* read from sysfs either way: the library has no getter */
		assert_int_equal(a->noop_interval, b->noop_interval);
		assert_int_equal(a->noop_interval, 1);
		assert_int_equal(a->noop_timeout, b->noop_timeout);
		assert_int_equal(a->noop_timeout, 1);
		assert_int_equal(a->noop_timeout_read, SESS_READ_OK);
		assert_string_equal(a->address, b->address);
		assert_true(strncmp(a->address, "127.", 4) == 0 ||
			    strncmp(a->address, "10.", 3) == 0 ||
			    strncmp(a->address, "192.", 4) == 0);
		assert_int_equal(a->port, b->port);
		assert_int_equal(a->port, 3260);
	}
	/* The disks are read the same way either way: only sessions differ. */
	assert_int_equal(live.n_sd, tree.n_sd);
	sysfs_snapshot_free(&live);
	sysfs_snapshot_free(&tree);
}

static void test_good(void **state)
{
	(void)state;
	same_sessions("good", 4, -1);
}

static void test_failed_session(void **state)
{
	(void)state;
	same_sessions("sessfail", 4, 1);
}

static void test_dropped_session(void **state)
{
	(void)state;
	same_sessions("missing", 3, -1);
}

static void test_slow_timeouts(void **state)
{
	struct sysfs_snapshot live;

	(void)state;
	same_sessions("slow", 4, -1);
	assert_int_equal(sysfs_scan("", &live), 0);
	assert_int_equal(live.sess[0].recovery_tmo, 15);
	sysfs_snapshot_free(&live);
}

/* No iSCSI in the kernel: an empty list, not an error. */
static void test_no_iscsi(void **state)
{
	struct sysfs_snapshot live;

	(void)state;
	enter("nomaps");
	if (mount("none", "/sys/class", "tmpfs", 0, NULL))
		fail_msg("tmpfs on /sys/class: %s", strerror(errno));
	assert_int_equal(sysfs_scan_sessions("", &live), 0);
	assert_int_equal(live.n_sess, 0);
	sysfs_snapshot_free(&live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_failed_session),
		cmocka_unit_test(test_dropped_session),
		cmocka_unit_test(test_slow_timeouts),
		cmocka_unit_test(test_no_iscsi),
	};

	/* A mount namespace of our own: nothing here is seen outside. */
	if (unshare(CLONE_NEWNS) ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL)) {
		fprintf(stderr, "test_sessions_live: a private mount namespace "
			"is needed (run as root): %s\n", strerror(errno));
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
