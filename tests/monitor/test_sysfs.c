// SPDX-License-Identifier: GPL-2.0-or-later
/* sysfs readers on small hand-made trees: a disk that vanished mid-read,
 * a disk that is not iSCSI, kernel name order, missing attributes. */
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

#include "sysfs_scan.h"

static char root[64];

static void mkpath(const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

/* @n bytes at @rel under the root, its directories made. */
static void put_bytes(const char *rel, const char *bytes, size_t n)
{
	char p[512], dir[512];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	mkpath(dir);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

static void put(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

static void lnk(const char *rel, const char *target)
{
	char p[512], dir[512];

	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = '\0';
	mkpath(dir);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

/* An iSCSI disk at host H, session S, LUN L named NAME. */
static void disk(const char *name, int h, int s, int l, bool with_dev)
{
	char d[256], p[300], t[300];

	snprintf(d, sizeof(d), "sys/devices/platform/host%d/session%d/"
		 "target%d:0:0/%d:0:0:%d", h, s, h, h, l);
	snprintf(p, sizeof(p), "%s/state", d);
	put(p, "running\n");
	snprintf(p, sizeof(p), "%s/access_state", d);
	put(p, "active/non-optimized\n");
	snprintf(p, sizeof(p), "%s/block/%s/holders/.keep", d, name);
	put(p, "");
	if (with_dev) {
		snprintf(p, sizeof(p), "%s/block/%s/dev", d, name);
		put(p, "8:0\n");
	}
	snprintf(p, sizeof(p), "%s/block/%s/device", d, name);
	snprintf(t, sizeof(t), "../../../%d:0:0:%d", h, l);
	lnk(p, t);
	snprintf(p, sizeof(p), "sys/block/%s", name);
	snprintf(t, sizeof(t), "../devices/platform/host%d/session%d/"
		 "target%d:0:0/%d:0:0:%d/block/%s", h, s, h, h, l, name);
	lnk(p, t);
}

static void unlink_rel(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	unlink(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pw-sysfs-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	disk("sdaa", 3, 2, 1, true);
	disk("sdz", 3, 2, 0, true);
	disk("sdb", 4, 7, 0, false);		/* vanished: no dev file */
	/* A local SATA disk: no session in its path. */
	put("sys/devices/pci0000:00/ata1/host0/target0:0:0/0:0:0:0/state",
	    "running\n");
	put("sys/devices/pci0000:00/ata1/host0/target0:0:0/0:0:0:0/block/sda/"
	    "dev", "8:0\n");
	lnk("sys/block/sda", "../devices/pci0000:00/ata1/host0/target0:0:0/"
	    "0:0:0:0/block/sda");
	put("sys/devices/platform/host3/session2/iscsi_session/session2/"
	    "targetname", "iqn.x:a\n");
	put("sys/devices/platform/host3/session2/iscsi_session/session2/"
	    "state", "FAILED\n");
	lnk("sys/class/iscsi_session/session2",
	    "../../devices/platform/host3/session2/iscsi_session/session2");
	/* session 7 has no connection directory and no state file */
	put("sys/devices/platform/host4/session7/iscsi_session/session7/"
	    "targetname", "iqn.x:b\n");
	lnk("sys/class/iscsi_session/session7",
	    "../../devices/platform/host4/session7/iscsi_session/session7");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) ? -1 : 0;
}

static void test_scan(void **state)
{
	struct sysfs_snapshot s;
	const struct sd_dev *d;
	const struct iscsi_sess *ss;

	(void)state;
	assert_int_equal(sysfs_scan(root, &s), 0);
	/* sdb vanished; kernel order: sda, sdz, sdaa */
	assert_int_equal(s.n_sd, 3);
	assert_string_equal(s.sd[0].name, "sda");
	assert_string_equal(s.sd[1].name, "sdz");
	assert_string_equal(s.sd[2].name, "sdaa");
	assert_int_equal(s.sd[0].sid, -1);
	d = sysfs_find_sd(&s, "sdaa");
	assert_non_null(d);
	assert_int_equal(d->sid, 2);
	assert_int_equal(d->h, 3);
	assert_int_equal(d->l, 1);
	assert_string_equal(d->access_state, "active/non-optimized");
	assert_int_equal(d->preferred, -1);
	assert_string_equal(d->dh_state, "");
	assert_null(sysfs_find_sd(&s, "sdb"));
	assert_int_equal(s.n_sess, 2);
	ss = sysfs_find_sess(&s, 2);
	assert_non_null(ss);
	assert_int_equal(ss->host, 3);
	assert_string_equal(ss->state, "FAILED");
	assert_int_equal(ss->port, -1);
	ss = sysfs_find_sess(&s, 7);
	assert_non_null(ss);
	assert_string_equal(ss->state, "");
	assert_string_equal(ss->address, "");
	assert_null(sysfs_find_sess(&s, 3));
	sysfs_snapshot_free(&s);

	assert_int_equal(sysfs_scan_sessions(root, &s), 0);
	assert_int_equal(s.n_sd, 0);
	assert_int_equal(s.n_sess, 2);
	sysfs_snapshot_free(&s);
}

/*
 * The scan for judging paths (status, the daemon's view) reads each disk
 * as the whole scan does but for its vendor, model, wwid and holder: four
 * of its ten reads, which nothing judging a path looks at.
 */
static void test_scan_paths(void **state)
{
	const char *dir = "sys/devices/platform/host3/session2/target3:0:0/"
			  "3:0:0:1";
	static const char *const attr[][2] = {
		{ "dh_state", "alua\n" },
		{ "preferred_path", "1\n" },
		{ "vendor", "LIO-ORG \n" },
		{ "model", "vg1\n" },
		{ "wwid", "naa.6001405abc\n" },
		{ "block/sdaa/holders/dm-3", "" },
	};
	const size_t n_attr = sizeof(attr) / sizeof(attr[0]);
	struct sysfs_snapshot whole, paths;
	char p[300];

	(void)state;
	for (size_t i = 0; i < n_attr; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, attr[i][0]);
		put(p, attr[i][1]);
	}
	assert_int_equal(sysfs_scan(root, &whole), 0);
	assert_int_equal(sysfs_scan_paths(root, &paths), 0);
	assert_int_equal(paths.n_sd, whole.n_sd);
	assert_int_equal(paths.n_sess, whole.n_sess);
	assert_string_equal(whole.sd[2].vendor, "LIO-ORG");
	assert_string_equal(whole.sd[2].wwid, "naa.6001405abc");
	assert_string_equal(whole.sd[2].holder, "dm-3");
	assert_string_equal(paths.sd[2].dh_state, "alua");
	assert_int_equal(paths.sd[2].preferred, 1);
	for (size_t i = 0; i < whole.n_sd; i++) {
		struct sd_dev *w = &whole.sd[i];
		const struct sd_dev *ps = &paths.sd[i];

		assert_string_equal(ps->vendor, "");
		assert_string_equal(ps->model, "");
		assert_string_equal(ps->wwid, "");
		assert_string_equal(ps->holder, "");
		/* and all else as the whole scan read it */
		memset(w->vendor, 0, sizeof(w->vendor));
		memset(w->model, 0, sizeof(w->model));
		memset(w->wwid, 0, sizeof(w->wwid));
		memset(w->holder, 0, sizeof(w->holder));
		assert_memory_equal(w, ps, sizeof(*w));
	}
	assert_memory_equal(whole.sess, paths.sess,
			    whole.n_sess * sizeof(*whole.sess));
	sysfs_snapshot_free(&whole);
	sysfs_snapshot_free(&paths);
	for (size_t i = n_attr; i-- > 0;) {
		snprintf(p, sizeof(p), "%s/%s", dir, attr[i][0]);
		unlink_rel(p);
	}
}

/* No iSCSI, no SCSI at all (this build host): empty, not an error. */
/*
 * The portal round's cheap look: the same sessions in the same states
 * give the same signature, a state changed or a session gone another;
 * a session without a state file counts as one with an empty state.
 */
static void test_session_states(void **state)
{
	const char *st = "sys/devices/platform/host3/session2/iscsi_session/"
			 "session2/state";
	uint64_t a, b, c;

	(void)state;
	assert_int_equal(sysfs_session_states(root, &a), 2);
	assert_int_equal(sysfs_session_states(root, &b), 2);
	assert_true(a == b);
	put(st, "LOGGED_IN\n");
	assert_int_equal(sysfs_session_states(root, &c), 2);
	assert_true(c != a);
	put(st, "FAILED\n");
	assert_int_equal(sysfs_session_states(root, &b), 2);
	assert_true(b == a);
	/* session 7 logged out: its class link gone */
	unlink_rel("sys/class/iscsi_session/session7");
	assert_int_equal(sysfs_session_states(root, &c), 1);
	assert_true(c != a);
	lnk("sys/class/iscsi_session/session7",
	    "../../devices/platform/host4/session7/iscsi_session/session7");
	assert_int_equal(sysfs_session_states(root, &b), 2);
	assert_true(b == a);
	/* no iSCSI at all */
	assert_int_equal(sysfs_session_states("/nonexistent-root", &c), 0);
}

static void test_empty_root(void **state)
{
	struct sysfs_snapshot s;

	(void)state;
	assert_int_equal(sysfs_scan("/nonexistent-root", &s), 0);
	assert_int_equal(s.n_sd, 0);
	assert_int_equal(s.n_sess, 0);
	sysfs_snapshot_free(&s);
}

/* What a disk's attributes may hold that no kernel writes: every one is
 * read as "unknown" (-1, ""), never as a wrong number or past a buffer. */
static void test_hostile_values(void **state)
{
	static const struct {
		const char *text;
		int want;
	} pref[] = {
		{ "1\n", 1 }, { "0\n", 0 }, { "", -1 }, { "\n", -1 },
		{ "yes\n", -1 }, { "1x\n", -1 }, { "-5\n", -1 },
		{ "99999999999999999999\n", -1 }, { "0x1\n", -1 },
		{ "1 2\n", -1 },
	};
	const char *dir = "sys/devices/platform/host3/session2/target3:0:0/"
			  "3:0:0:1";
	char p[300], big[8192];
	struct sysfs_snapshot s;
	const struct sd_dev *d;

	(void)state;
	snprintf(p, sizeof(p), "%s/preferred_path", dir);
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		put(p, pref[i].text);
		assert_int_equal(sysfs_scan(root, &s), 0);
		d = sysfs_find_sd(&s, "sdaa");
		assert_non_null(d);
		if (d->preferred != pref[i].want)
			fail_msg("preferred_path '%s': %d, want %d",
				 pref[i].text, d->preferred, pref[i].want);
		sysfs_snapshot_free(&s);
	}
	unlink_rel(p);
	/* an access_state far past its buffer: cut, terminated */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(p, sizeof(p), "%s/access_state", dir);
	put(p, big);
	assert_int_equal(sysfs_scan(root, &s), 0);
	d = sysfs_find_sd(&s, "sdaa");
	assert_non_null(d);
	assert_int_equal(strlen(d->access_state), sizeof(d->access_state) - 1);
	sysfs_snapshot_free(&s);
	/* binary junk, NULs included, in the disk's state */
	snprintf(p, sizeof(p), "%s/state", dir);
	put_bytes(p, "\x01\xff\0run\0ning", 12);
	assert_int_equal(sysfs_scan(root, &s), 0);
	d = sysfs_find_sd(&s, "sdaa");
	assert_non_null(d);
	/* read up to the first NUL, not past it, never as "running" */
	assert_memory_equal(d->state, "\x01\xff", 3);
	sysfs_snapshot_free(&s);
	put(p, "running\n");
	snprintf(p, sizeof(p), "%s/access_state", dir);
	put(p, "active/non-optimized\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_scan_paths),
		cmocka_unit_test(test_session_states),
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_hostile_values),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
