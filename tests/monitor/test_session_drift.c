// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Session timeouts against pathwarden.conf on small made-up sysfs trees:
 * read by the scan as the kernel shows them (recovery_tmo, the
 * connection's recv_tmo and ping_tmo), then compared.  Matching values,
 * drifting ones, multipathd's fast_io_fail_tmo in recovery_tmo, sessions
 * that are not ours, and every way a value can fail to be read: a
 * missing file, a directory in its place, garbage, a session gone while
 * it was read.
 */
#include <errno.h>
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
#include "session_drift.h"
#include "sysfs_scan.h"

static char root[64];
static struct pw_conf conf;

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

/* Remove a file or an empty directory, if there. */
static void rm_rel(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (unlink(p))
		rmdir(p);
}

/* Session @sid to @addr:3260 and @iqn with these attribute texts (NULL:
 * no such file). */
static void session(int sid, const char *addr, const char *iqn,
		    const char *recovery, const char *recv, const char *ping)
{
	char p[256], v[64];

	snprintf(p, sizeof(p), "sys/class/iscsi_session/session%d/targetname",
		 sid);
	snprintf(v, sizeof(v), "%s\n", iqn);
	put(p, v);
	snprintf(p, sizeof(p), "sys/class/iscsi_session/session%d/state", sid);
	put(p, "LOGGED_IN\n");
	snprintf(p, sizeof(p),
		 "sys/class/iscsi_session/session%d/recovery_tmo", sid);
	rm_rel(p);
	if (recovery)
		put(p, recovery);
	snprintf(p, sizeof(p), "sys/class/iscsi_connection/connection%d:0/"
		 "persistent_address", sid);
	snprintf(v, sizeof(v), "%s\n", addr);
	put(p, v);
	snprintf(p, sizeof(p), "sys/class/iscsi_connection/connection%d:0/"
		 "persistent_port", sid);
	put(p, "3260\n");
	snprintf(p, sizeof(p), "sys/class/iscsi_connection/connection%d:0/"
		 "recv_tmo", sid);
	rm_rel(p);
	if (recv)
		put(p, recv);
	snprintf(p, sizeof(p), "sys/class/iscsi_connection/connection%d:0/"
		 "ping_tmo", sid);
	rm_rel(p);
	if (ping)
		put(p, ping);
}

#define IQN1 "iqn.2016-02.local.virtual:hpms01.vg1"
#define IQN2 "iqn.2016-02.local.virtual:hpms02.vg1"

static int group_setup(void **state)
{
	static const char text[] =
		"node hpms01 192.168.122.99 192.168.152.99 target " IQN1 "\n"
		"node hpms02 192.168.122.98 192.168.152.98\n"
		"replacement-timeout 5\nnoop-interval 1\nnoop-timeout 2\n";
	char err[256];
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	bool ok;

	(void)state;
	if (!f)
		return -1;
	ok = conf_parse(f, "test.conf", &conf, err, sizeof(err));
	fclose(f);
	return ok ? 0 : -1;
}

/* Each test on a tree of its own. */
static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pw-drift-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* Scan the tree, compare; @fio one entry per session or NULL. */
static void scan_check(struct sysfs_snapshot *snap, struct setting_checks *cs,
		       const int *fio)
{
	assert_int_equal(sysfs_scan_sessions(root, snap), 0);
	assert_true(session_drift_check(snap->sess, snap->n_sess, fio, &conf,
					cs));
}

static const struct setting_check *find(const struct setting_checks *cs,
					int sid, enum sess_setting st)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i].sess->sid == sid && cs->c[i].setting == st)
			return &cs->c[i];
	return NULL;
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sess_setting_name(SETTING_REPLACEMENT_TIMEOUT),
			    "replacement_timeout");
	assert_string_equal(sess_setting_name(SETTING_NOOP_OUT_INTERVAL),
			    "noop_out_interval");
	assert_string_equal(sess_setting_name(SETTING_NOOP_OUT_TIMEOUT),
			    "noop_out_timeout");
	/* which is which in the kernel's transport class: iscsid sets
	 * RECV_TMO from noop_out_interval and PING_TMO from the timeout */
	assert_string_equal(sess_setting_sysfs(SETTING_NOOP_OUT_INTERVAL),
			    "recv_tmo");
	assert_string_equal(sess_setting_sysfs(SETTING_NOOP_OUT_TIMEOUT),
			    "ping_tmo");
	assert_string_equal(sess_setting_record(SETTING_NOOP_OUT_TIMEOUT),
			    "node.conn[0].timeo.noop_out_timeout");
	assert_string_equal(sess_setting_conf(SETTING_REPLACEMENT_TIMEOUT),
			    "replacement-timeout");
	assert_string_equal(sess_setting_name(SESS_SETTINGS), "?");
}

/* All as configured: three matches per session, in session order. */
static void test_matches(void **state)
{
	struct sysfs_snapshot snap;
	struct setting_checks cs;

	(void)state;
	session(1, "192.168.122.99", IQN1, "5\n", "1\n", "2\n");
	session(2, "192.168.122.98", IQN2, "5\n", "1\n", "2\n");
	scan_check(&snap, &cs, NULL);
	assert_int_equal(cs.n, 6);
	for (size_t i = 0; i < cs.n; i++) {
		assert_int_equal(cs.c[i].verdict, SETTING_MATCHES);
		assert_int_equal(cs.c[i].read, SESS_READ_OK);
		assert_int_equal(cs.c[i].live, cs.c[i].wanted);
	}
	assert_int_equal(cs.c[0].sess->sid, 1);
	assert_string_equal(cs.c[0].node->name, "hpms01");
	assert_string_equal(cs.c[0].portal->host, "192.168.122.99");
	assert_int_equal(cs.c[1].wanted, 1);
	assert_int_equal(cs.c[2].wanted, 2);
	assert_string_equal(cs.c[3].node->name, "hpms02");
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);
}

/* A login with iscsid.conf's defaults (pvestatd's): NOP-Outs 5/5, and
 * recovery_tmo 120 until multipathd writes its fast_io_fail_tmo. */
static void test_drift_and_multipathd(void **state)
{
	struct sysfs_snapshot snap;
	struct setting_checks cs;
	const struct setting_check *k;
	const int fio[] = { 5, 10 };

	(void)state;
	session(1, "192.168.122.99", IQN1, "120\n", "5\n", "5\n");
	session(2, "192.168.122.98", IQN2, "10\n", "1\n", "2\n");
	scan_check(&snap, &cs, fio);
	k = find(&cs, 1, SETTING_REPLACEMENT_TIMEOUT);
	assert_non_null(k);
	assert_int_equal(k->verdict, SETTING_DRIFTS);
	assert_int_equal(k->live, 120);
	assert_int_equal(k->wanted, 5);
	assert_int_equal(k->multipathd, 5);
	k = find(&cs, 1, SETTING_NOOP_OUT_INTERVAL);
	assert_int_equal(k->verdict, SETTING_DRIFTS);
	assert_int_equal(k->live, 5);
	assert_int_equal(k->wanted, 1);
	assert_int_equal(k->multipathd, -1);	/* recovery_tmo's alone */
	k = find(&cs, 1, SETTING_NOOP_OUT_TIMEOUT);
	assert_int_equal(k->verdict, SETTING_DRIFTS);
	/* 10 s is multipathd's fast_io_fail_tmo: its own, no drift */
	k = find(&cs, 2, SETTING_REPLACEMENT_TIMEOUT);
	assert_int_equal(k->verdict, SETTING_MULTIPATHD);
	assert_int_equal(k->live, 10);
	setting_checks_free(&cs);
	/* without multipathd's word the same 10 s is drift */
	assert_true(session_drift_check(snap.sess, snap.n_sess, NULL, &conf,
					&cs));
	assert_int_equal(find(&cs, 2, SETTING_REPLACEMENT_TIMEOUT)->verdict,
			 SETTING_DRIFTS);
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);
}

/* Sessions that are not pathwarden's are not judged: a portal not
 * configured, or another target than the node names. */
static void test_not_ours(void **state)
{
	struct sysfs_snapshot snap;
	struct setting_checks cs;

	(void)state;
	session(1, "10.0.0.1", IQN1, "120\n", "5\n", "5\n");
	session(2, "192.168.122.99", "iqn.2000-01.other:t", "120\n", "5\n",
		"5\n");
	/* hpms02 names no target: every target on its portals is ours */
	session(3, "192.168.152.98", "iqn.2000-01.other:u", "5\n", "1\n",
		"2\n");
	scan_check(&snap, &cs, NULL);
	assert_int_equal(cs.n, 3);
	assert_int_equal(cs.c[0].sess->sid, 3);
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);
}

/* Nothing that a file can hold is read as a number it does not say. */
static void test_garbage(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		enum sess_read want;
		int value;
	} v[] = {
		{ "1\n", 2, SESS_READ_OK, 1 },
		{ "0\n", 2, SESS_READ_OK, 0 },
		{ "", 0, SESS_READ_GARBAGE, -1 },
		{ "\n", 1, SESS_READ_GARBAGE, -1 },
		{ "-1\n", 3, SESS_READ_GARBAGE, -1 },
		{ "1x\n", 3, SESS_READ_GARBAGE, -1 },
		{ "0x10\n", 5, SESS_READ_GARBAGE, -1 },
		{ " 5\n", 3, SESS_READ_GARBAGE, -1 },
		{ "5 5\n", 4, SESS_READ_GARBAGE, -1 },
		{ "5\0" "9\n", 4, SESS_READ_GARBAGE, -1 },
		{ "99999999999999999999\n", 21, SESS_READ_GARBAGE, -1 },
		{ "1000000001\n", 11, SESS_READ_GARBAGE, -1 },
		{ "000000000000000000000000000000000000001\n", 40,
		  SESS_READ_GARBAGE, -1 },
		{ "\xff\xfe\n", 3, SESS_READ_GARBAGE, -1 },
	};
	const char *ping = "sys/class/iscsi_connection/connection1:0/ping_tmo";

	(void)state;
	session(1, "192.168.122.99", IQN1, "5\n", "1\n", "2\n");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct sysfs_snapshot snap;
		struct setting_checks cs;
		const struct setting_check *k;

		put_bytes(ping, v[i].text, v[i].len);
		scan_check(&snap, &cs, NULL);
		k = find(&cs, 1, SETTING_NOOP_OUT_TIMEOUT);
		assert_non_null(k);
		if (k->read != v[i].want || k->live != v[i].value)
			fail_msg("ping_tmo #%zu: read %d value %d", i, k->read,
				 k->live);
		assert_int_equal(k->verdict, v[i].want == SESS_READ_OK ?
				 SETTING_DRIFTS : SETTING_UNREAD);
		/* the others are unaffected */
		k = find(&cs, 1, SETTING_NOOP_OUT_INTERVAL);
		assert_int_equal(k->verdict, SETTING_MATCHES);
		setting_checks_free(&cs);
		sysfs_snapshot_free(&snap);
	}
}

/* A file missing (a transport without it) or a directory in its place
 * (a read that fails) is unread, with its reason. */
static void test_unreadable(void **state)
{
	struct sysfs_snapshot snap;
	struct setting_checks cs;
	const struct setting_check *k;

	(void)state;
	session(1, "192.168.122.99", IQN1, NULL, "1\n", NULL);
	scan_check(&snap, &cs, NULL);
	k = find(&cs, 1, SETTING_REPLACEMENT_TIMEOUT);
	assert_int_equal(k->verdict, SETTING_UNREAD);
	assert_int_equal(k->read, SESS_READ_ABSENT);
	assert_int_equal(k->live, -1);
	k = find(&cs, 1, SETTING_NOOP_OUT_TIMEOUT);
	assert_int_equal(k->read, SESS_READ_ABSENT);
	assert_int_equal(find(&cs, 1, SETTING_NOOP_OUT_INTERVAL)->verdict,
			 SETTING_MATCHES);
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);

	rm_rel("sys/class/iscsi_connection/connection1:0/recv_tmo");
	mkpath("sys/class/iscsi_connection/connection1:0/recv_tmo");
	scan_check(&snap, &cs, NULL);
	k = find(&cs, 1, SETTING_NOOP_OUT_INTERVAL);
	assert_int_equal(k->verdict, SETTING_UNREAD);
	assert_int_equal(k->read, SESS_READ_FAILED);
	assert_string_equal(sess_read_reason(k->read), "cannot be read");
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);
}

/* A session listed, then gone before its timeouts were read (its class
 * entry left dangling, as a listing taken before a logout shows it):
 * every setting unread as gone, none judged. */
static void test_vanished(void **state)
{
	struct sysfs_snapshot snap;
	struct setting_checks cs;
	char p[512];

	(void)state;
	session(1, "192.168.122.99", IQN1, "5\n", "1\n", "2\n");
	mkpath("sys/devices/gone");
	snprintf(p, sizeof(p), "%s/sys/class/iscsi_session/session7", root);
	assert_int_equal(symlink("../../devices/gone/session7", p), 0);
	assert_int_equal(sysfs_scan_sessions(root, &snap), 0);
	assert_int_equal(snap.n_sess, 2);
	assert_int_equal(snap.sess[1].sid, 7);
	assert_int_equal(snap.sess[1].recovery_tmo_read, SESS_READ_GONE);
	assert_int_equal(snap.sess[1].noop_interval_read, SESS_READ_GONE);
	assert_int_equal(snap.sess[1].noop_timeout_read, SESS_READ_GONE);
	/* no portal was read either: not ours, nothing judged of it */
	assert_true(session_drift_check(snap.sess, snap.n_sess, NULL, &conf,
					&cs));
	assert_int_equal(cs.n, 3);
	setting_checks_free(&cs);
	/* had its portal been read before it went: unread, as gone */
	snprintf(snap.sess[1].address, sizeof(snap.sess[1].address),
		 "192.168.122.98");
	snap.sess[1].port = 3260;
	assert_true(session_drift_check(snap.sess, snap.n_sess, NULL, &conf,
					&cs));
	assert_int_equal(cs.n, 6);
	for (size_t i = 3; i < 6; i++) {
		assert_int_equal(cs.c[i].verdict, SETTING_UNREAD);
		assert_int_equal(cs.c[i].read, SESS_READ_GONE);
	}
	setting_checks_free(&cs);
	sysfs_snapshot_free(&snap);
}

/* No sessions at all: nothing to judge, not an error. */
static void test_none(void **state)
{
	struct setting_checks cs;

	(void)state;
	assert_true(session_drift_check(NULL, 0, NULL, &conf, &cs));
	assert_int_equal(cs.n, 0);
	setting_checks_free(&cs);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_none),
		T(test_matches),
		T(test_drift_and_multipathd),
		T(test_not_ours),
		T(test_garbage),
		T(test_unreadable),
		T(test_vanished),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
