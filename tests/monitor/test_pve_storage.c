// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proxmox VE's storage.cfg and open-iscsi's iscsid.conf as doctor reads
 * them, on made-up files: what PVE writes, portals in every form PVE
 * takes, and what no one should write (binary junk, NULs, endless lines,
 * properties with no section), which is skipped and counted, never fatal.
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

#include "iscsid_conf.h"
#include "pve_storage.h"

/* Parse @len bytes of @text. */
static void parse(const char *text, size_t len, struct pve_storage *s)
{
	FILE *f = fmemopen((void *)text, len, "r");

	assert_non_null(f);
	assert_true(pve_storage_parse(f, s));
	fclose(f);
}

#define PARSE(lit, s) parse(lit, sizeof(lit) - 1, s)

/* The example of the brief, as pvesm writes it. */
static void test_example(void **state)
{
	struct pve_storage s;

	(void)state;
	PARSE("iscsi: san1\n"
	      "\tportal 192.168.122.99\n"
	      "\ttarget iqn.2016-02.local.virtual:hpms01.vg1\n"
	      "\tcontent none\n"
	      "\n"
	      "lvm: vmdata\n"
	      "\tvgname vg1\n"
	      "\tbase san1:0.0.0.scsi-360014052\n"
	      "\tshared 1\n"
	      "\tcontent images\n", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.iscsi[0].id, "san1");
	assert_int_equal(s.iscsi[0].line, 1);
	assert_string_equal(s.iscsi[0].portal_text, "192.168.122.99");
	assert_true(s.iscsi[0].portal_ok);
	assert_string_equal(s.iscsi[0].portal.host, "192.168.122.99");
	assert_int_equal(s.iscsi[0].portal.port, 3260);
	assert_string_equal(s.iscsi[0].target,
			    "iqn.2016-02.local.virtual:hpms01.vg1");
	assert_false(s.iscsi[0].disabled);
	assert_int_equal(s.n_skipped, 0);
	pve_storage_free(&s);
}

/* Several storages, spaces for tabs, comments, CRLF, a disabled one,
 * no newline at the end, properties of other types left alone. */
static void test_layouts(void **state)
{
	struct pve_storage s;

	(void)state;
	PARSE("# storage.cfg, by hand\r\n"
	      "dir: local\r\n"
	      "        path /var/lib/vz\r\n"
	      "        portal 10.0.0.1\r\n"
	      "\r\n"
	      "iscsi:   a  \r\n"
	      "    # a comment inside\r\n"
	      "    portal   [fd00::1]:3261   \r\n"
	      "    target iqn.x:a\r\n"
	      "\n"
	      "   \t \n"
	      "iscsi: b\n"
	      "\ttarget iqn.x:b\n"
	      "\tdisable\n"
	      "\tportal fd00::2\n"
	      "\n"
	      "iscsi: c\n"
	      "\tdisable 0\n"
	      "\tportal san.example.com:3262", &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.iscsi[0].id, "a");
	assert_int_equal(s.iscsi[0].line, 6);
	assert_string_equal(s.iscsi[0].portal_text, "[fd00::1]:3261");
	assert_string_equal(s.iscsi[0].portal.host, "fd00::1");
	assert_int_equal(s.iscsi[0].portal.port, 3261);
	assert_string_equal(s.iscsi[0].target, "iqn.x:a");
	assert_true(s.iscsi[1].disabled);
	assert_true(s.iscsi[1].portal_ok);
	assert_string_equal(s.iscsi[1].portal.host, "fd00::2");
	assert_int_equal(s.iscsi[1].portal.port, 3260);
	assert_false(s.iscsi[2].disabled);
	assert_string_equal(s.iscsi[2].portal.host, "san.example.com");
	assert_int_equal(s.iscsi[2].portal.port, 3262);
	assert_string_equal(s.iscsi[2].target, "");
	assert_int_equal(s.n_skipped, 0);
	pve_storage_free(&s);
}

static void test_portals(void **state)
{
	static const struct {
		const char *text;
		bool ok;
		const char *host;
		unsigned int port;
	} v[] = {
		{ "192.168.1.1", true, "192.168.1.1", 3260 },
		{ "192.168.1.1:3261", true, "192.168.1.1", 3261 },
		{ "[fe80::1]:3260", true, "fe80::1", 3260 },
		{ "[fe80::1]", true, "fe80::1", 3260 },
		{ "fe80::1", true, "fe80::1", 3260 },
		{ "2001:db8::1:3260", true, "2001:db8::1:3260", 3260 },
		{ "san-1.example.com", true, "san-1.example.com", 3260 },
		{ "host:99999", false, NULL, 0 },
		{ "host:0", false, NULL, 0 },
		{ "1.2.3.4:", false, NULL, 0 },
		{ "[zz::1]:3260", false, NULL, 0 },
		{ "[fe80::1", false, NULL, 0 },
		{ "fe80::1::2", false, NULL, 0 },
		{ "a b", false, NULL, 0 },
		{ "", false, NULL, 0 },
		{ "host;rm -rf /", false, NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct conf_portal p;
		bool ok = pve_portal_parse(v[i].text, &p);

		if (ok != v[i].ok)
			fail_msg("'%s': %s", v[i].text,
				 ok ? "taken" : "refused");
		if (!ok)
			continue;
		assert_string_equal(p.host, v[i].host);
		assert_int_equal(p.port, v[i].port);
	}
}

static void test_same_portal(void **state)
{
	struct conf_portal a, b;

	(void)state;
	assert_true(pve_portal_parse("[::1]:3260", &a));
	assert_true(pve_portal_parse("0:0::1", &b));
	assert_true(pve_portal_same(&a, &b));
	assert_true(pve_portal_parse("192.168.122.99", &a));
	assert_true(pve_portal_parse("192.168.122.99:3260", &b));
	assert_true(pve_portal_same(&a, &b));
	assert_true(pve_portal_parse("192.168.122.99:3261", &b));
	assert_false(pve_portal_same(&a, &b));
	assert_true(pve_portal_parse("192.168.122.98", &b));
	assert_false(pve_portal_same(&a, &b));
	assert_true(pve_portal_parse("San1.Example", &a));
	assert_true(pve_portal_parse("san1.example", &b));
	assert_true(pve_portal_same(&a, &b));
	/* a name and an address: nothing is resolved */
	assert_true(pve_portal_parse("localhost", &a));
	assert_true(pve_portal_parse("127.0.0.1", &b));
	assert_false(pve_portal_same(&a, &b));
	assert_true(pve_portal_parse("::ffff:127.0.0.1", &a));
	assert_false(pve_portal_same(&a, &b));
}

/* What no one writes: skipped and counted, the rest still read. */
static void test_garbage(void **state)
{
	char *text, *p;
	size_t cap = 64 * 1024, len;
	struct pve_storage s;

	(void)state;
	text = malloc(cap);
	assert_non_null(text);
	p = text;
	p += sprintf(p, "\tportal 10.0.0.9\n");		/* 1: no section */
	p += sprintf(p, "iscsi: a extra\n");		/* 2: not a header */
	p += sprintf(p, "\ttarget iqn.x:lost\n");	/* 3: no section */
	p += sprintf(p, "\n");
	p += sprintf(p, "iscsi: good\n");		/* 5 */
	p += sprintf(p, "\tportal 10.0.0.1\n");
	memcpy(p, "\tcontent \0none\n", 15);		/* 7: a NUL */
	p += 15;
	p += sprintf(p, "\tcomment \x01\x7f junk\n");	/* 8: control */
	memset(p, 'x', 20000);				/* 9: endless */
	p[0] = '\t';
	p += 20000;
	*p++ = '\n';
	p += sprintf(p, "\ttarget iqn.x:good\n");	/* 10: still good */
	p += sprintf(p, ":nothing\n");			/* 11 */
	p += sprintf(p, "\xff\xfe\xfd: \x80\n");	/* 12: a header */
	p += sprintf(p, "\tportal 10.0.0.2\n");
	p += sprintf(p, "\n");
	p += sprintf(p, "iscsi: long\n");		/* 15 */
	p += sprintf(p, "\ttarget iqn.");
	memset(p, 'y', 600);				/* longer than an IQN */
	p += 600;
	p += sprintf(p, "\n\tportal 10.0.0.1:iscsi\n");
	len = (size_t)(p - text);
	assert_true(len < cap);
	parse(text, len, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.iscsi[0].id, "good");
	assert_string_equal(s.iscsi[0].portal.host, "10.0.0.1");
	assert_string_equal(s.iscsi[0].target, "iqn.x:good");
	assert_string_equal(s.iscsi[1].id, "long");
	assert_string_equal(s.iscsi[1].target, "");
	/* a portal PVE would refuse is kept as written, not as a portal */
	assert_string_equal(s.iscsi[1].portal_text, "10.0.0.1:iscsi");
	assert_false(s.iscsi[1].portal_ok);
	/* 1, 2, 3, 7, 8, 9, 11, 16 */
	assert_int_equal(s.n_skipped, 8);
	assert_int_equal(s.first_skipped, 1);
	pve_storage_free(&s);
	free(text);
}

/* A thousand storages: the table grows. */
static void test_many(void **state)
{
	size_t cap = 1000 * 64, len = 0;
	char *text = malloc(cap);
	struct pve_storage s;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"iscsi: s%d\n\tportal 10.0.%d.%d\n\n",
					i, i / 256, i % 256);
	parse(text, len, &s);
	assert_int_equal(s.n, 1000);
	assert_string_equal(s.iscsi[999].id, "s999");
	assert_string_equal(s.iscsi[999].portal.host, "10.0.3.231");
	pve_storage_free(&s);
	free(text);
	/* nothing at all */
	parse("", 0, &s);
	assert_int_equal(s.n, 0);
	pve_storage_free(&s);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/pw-pve-XXXXXX", path[64], err[128];
	struct pve_storage s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/storage.cfg", dir);
	/* no file: not a PVE host */
	assert_int_equal(pve_storage_load(path, &s, err, sizeof(err)),
			 PVE_ABSENT);
	assert_int_equal(s.n, 0);
	/* no /etc/pve at all */
	snprintf(path, sizeof(path), "%s/nodir/storage.cfg", dir);
	assert_int_equal(pve_storage_load(path, &s, err, sizeof(err)),
			 PVE_ABSENT);
	/* there but unreadable (root reads any file: a directory) */
	snprintf(path, sizeof(path), "%s/storage.cfg", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	err[0] = '\0';
	assert_int_equal(pve_storage_load(path, &s, err, sizeof(err)),
			 PVE_UNREADABLE);
	assert_string_equal(err, "not a regular file");
	assert_int_equal(s.n, 0);
	assert_int_equal(rmdir(path), 0);
	/* a FIFO no one writes to: said, not waited on */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pve_storage_load(path, &s, err, sizeof(err)),
			 PVE_UNREADABLE);
	assert_string_equal(err, "not a regular file");
	assert_int_equal(unlink(path), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("iscsi: x\n\tportal 1.2.3.4\n\ttarget iqn.x:y\n", f);
	fclose(f);
	assert_int_equal(pve_storage_load(path, &s, err, sizeof(err)),
			 PVE_LOADED);
	assert_int_equal(s.n, 1);
	pve_storage_free(&s);
	unlink(path);
	rmdir(dir);
}

static void iscsid(const char *text, struct iscsid_timeouts *t)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	iscsid_conf_parse(f, t);
	fclose(f);
}

static void test_iscsid_conf(void **state)
{
	struct iscsid_timeouts t;
	char *text;
	int rc;

	(void)state;
	/* nothing said: open-iscsi's own defaults */
	iscsid("", &t);
	assert_int_equal(t.replacement_timeout, 120);
	assert_int_equal(t.noop_out_interval, 5);
	assert_int_equal(t.noop_out_timeout, 5);
	/* Debian's file, then pathwarden's values; the last one wins */
	iscsid("# node.session.timeo.replacement_timeout = 1\n"
	       "node.session.timeo.replacement_timeout = 120\n"
	       "node.conn[0].timeo.noop_out_interval = 5\n"
	       "node.conn[0].timeo.noop_out_timeout = 5\n"
	       "node.session.auth.password = SECRET\n"
	       "node.session.timeo.replacement_timeout=5\n"
	       "  node.conn[0].timeo.noop_out_interval  =  1  \r\n"
	       "node.conn[0].timeo.noop_out_timeout = 1", &t);
	assert_int_equal(t.replacement_timeout, 5);
	assert_int_equal(t.noop_out_interval, 1);
	assert_int_equal(t.noop_out_timeout, 1);
	/* garbage keeps the value before it */
	iscsid("node.conn[0].timeo.noop_out_timeout = 2\n"
	       "node.conn[0].timeo.noop_out_timeout = two\n"
	       "node.conn[0].timeo.noop_out_timeout = -1\n"
	       "node.conn[0].timeo.noop_out_timeout =\n"
	       "node.conn[0].timeo.noop_out_timeout\n", &t);
	assert_int_equal(t.noop_out_timeout, 2);
	/* a line longer than any setting is dropped whole: what follows
	 * 1100 characters of comment is not a setting */
	text = malloc(2048);
	assert_non_null(text);
	memset(text, '#', 1100);
	strcpy(text + 1100, "node.conn[0].timeo.noop_out_interval = 9\n"
	       "node.conn[0].timeo.noop_out_timeout = 3\n");
	iscsid(text, &t);
	assert_int_equal(t.noop_out_interval, 5);
	assert_int_equal(t.noop_out_timeout, 3);
	free(text);
	/* no file: the defaults, and -ENOENT; a directory is refused */
	rc = iscsid_conf_load("/nonexistent/iscsid.conf", &t);
	assert_int_equal(rc, -ENOENT);
	assert_int_equal(t.replacement_timeout, 120);
	assert_int_equal(iscsid_conf_load("/", &t), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_portals),
		cmocka_unit_test(test_same_portal),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_iscsid_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
