// SPDX-License-Identifier: GPL-2.0-or-later
/* pathwarden.conf parsing: the seed's config, defaults, and every error
 * naming file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static bool parse(const char *text, struct pw_conf *c, char *err, size_t n)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool ok;

	assert_non_null(f);
	ok = conf_parse(f, "test.conf", c, err, n);
	fclose(f);
	return ok;
}

static const char seed_conf[] =
	"# the seed cluster\n"
	"node hpms01 192.168.122.99 192.168.152.99:3260 "
	"target iqn.2016-02.local.virtual:hpms01.vg1\n"
	"node hpms02 192.168.122.98:3260 192.168.152.98\n"
	"\n"
	"noop-interval 2\n"
	"noop-timeout 3   # seconds\n"
	"replacement-timeout 7\n"
	"login-timeout 12\n"
	"probe mpatha interval-ms 50 size 8192 stall-ms 300\n"
	"probe test0 write test-lun\n"
	"metrics 127.0.0.1:9100\n"
	"records /var/tmp/pw.jsonl\n"
	"alua-switch no\n";

static void test_seed(void **state)
{
	struct pw_conf c;
	char err[256] = "";
	unsigned int idx = 9;

	(void)state;
	assert_true(parse(seed_conf, &c, err, sizeof(err)));
	assert_int_equal(c.n_nodes, 2);
	assert_string_equal(c.nodes[0].name, "hpms01");
	assert_int_equal(c.nodes[0].n_portals, 2);
	assert_string_equal(c.nodes[0].portals[1].host, "192.168.152.99");
	assert_int_equal(c.nodes[0].portals[0].port, 3260);
	assert_string_equal(c.nodes[0].target,
			    "iqn.2016-02.local.virtual:hpms01.vg1");
	assert_string_equal(c.nodes[1].target, "");
	assert_int_equal(c.nodes[1].line, 3);
	assert_int_equal(c.noop_interval_s, 2);
	assert_int_equal(c.noop_timeout_s, 3);
	assert_int_equal(c.replacement_timeout_s, 7);
	assert_int_equal(c.login_timeout_s, 12);
	assert_int_equal(c.n_probes, 2);
	assert_int_equal(c.probes[0].interval_ms, 50);
	assert_int_equal(c.probes[0].size, 8192);
	assert_int_equal(c.probes[0].timeout_ms, 300);
	assert_false(c.probes[0].write);
	assert_true(c.probes[1].write);
	assert_int_equal(c.metrics_port, 9100);
	assert_string_equal(c.records_path, "/var/tmp/pw.jsonl");
	assert_false(c.alua_switch);
	assert_true(c.relogin);
	assert_int_equal(conf_total_portals(&c), 4);
	assert_ptr_equal(conf_node_by_portal(&c, "192.168.152.98", 3260, &idx),
			 &c.nodes[1]);
	assert_int_equal(idx, 1);
	assert_null(conf_node_by_portal(&c, "192.168.152.98", 3261, NULL));
	assert_ptr_equal(conf_node_by_target(
				 &c, "iqn.2016-02.local.virtual:hpms01.vg1"),
			 &c.nodes[0]);
}

static void test_defaults(void **state)
{
	struct pw_conf c;
	char err[256];

	(void)state;
	assert_true(parse("node a 10.0.0.1\n", &c, err, sizeof(err)));
	assert_int_equal(c.noop_interval_s, 1);
	assert_int_equal(c.noop_timeout_s, 1);
	assert_int_equal(c.replacement_timeout_s, 5);
	assert_int_equal(c.login_timeout_s, 5);
	/* 0 would leave iscsid's connect without a bound */
	assert_false(parse("node a 10.0.0.1\nlogin-timeout 0\n", &c, err,
			   sizeof(err)));
	assert_non_null(strstr(err, "login-timeout"));
	assert_true(parse("node a 10.0.0.1\n", &c, err, sizeof(err)));
	assert_true(c.metrics_enabled);
	assert_string_equal(c.metrics_addr, "127.0.0.1");
	assert_int_equal(c.metrics_port, 9857);
	assert_true(c.alua_switch);
	assert_int_equal(c.group_watch_ms, 250);
	assert_true(parse("node a 10.0.0.1\ngroup-watch-ms 0\n", &c, err,
			  sizeof(err)));
	assert_int_equal(c.group_watch_ms, 0);
}

static void test_portals(void **state)
{
	struct conf_portal p;

	(void)state;
	assert_true(conf_portal_parse("[fe80::1]:3261", &p));
	assert_string_equal(p.host, "fe80::1");
	assert_int_equal(p.port, 3261);
	assert_true(conf_portal_parse("storage-a.example", &p));
	assert_int_equal(p.port, 3260);
	assert_false(conf_portal_parse("fe80::1", &p));
	assert_false(conf_portal_parse("[fe80::1", &p));
	assert_false(conf_portal_parse("[zz::1]:3260", &p));
	assert_false(conf_portal_parse("1.2.3.4:0", &p));
	assert_false(conf_portal_parse("1.2.3.4:65536", &p));
	assert_false(conf_portal_parse("1.2.3.4:", &p));
	assert_false(conf_portal_parse("a_b", &p));
	assert_false(conf_portal_parse("", &p));
}

struct bad {
	const char *text;
	const char *err;	/* expected message, exactly */
};

static const struct bad bad_cases[] = {
	{ "", "test.conf:1: no node defined (need at least one 'node NAME "
	      "PORTAL...' line)" },
	{ "node a 1.2.3.4\nfrobnicate 1\n",
	  "test.conf:2: unknown directive 'frobnicate'" },
	{ "node a\n", "test.conf:1: node needs a name and at least one "
		      "portal" },
	{ "node a 1.2.3.4\nnode a 1.2.3.5\n",
	  "test.conf:2: node a already defined at line 1" },
	{ "node a 1.2.3.4\nnode b 1.2.3.4:3260\n",
	  "test.conf:2: portal 1.2.3.4:3260 listed twice" },
	{ "node a 1.2.3.4 1.2.3.4\n",
	  "test.conf:1: portal 1.2.3.4:3260 listed twice" },
	{ "node a 1.2.3.4:99999\n", "test.conf:1: bad portal (want "
	  "ADDRESS[:PORT] or [IPv6]:PORT)" },
	{ "node a 1.2.3.4 target\n", "test.conf:1: target needs an IQN" },
	{ "node a 1.2.3.4 target foo\n", "test.conf:1: target must be an "
	  "iqn., eui. or naa. name" },
	{ "node a 1.2.3.4\n\n# c\nnoop-interval x\n",
	  "test.conf:4: noop-interval must be a number from 0 to 3600" },
	{ "node a 1.2.3.4\nnoop-interval 1 2\n",
	  "test.conf:2: noop-interval takes one number" },
	{ "node a 1.2.3.4\nprobe\n",
	  "test.conf:2: probe needs a multipath map name" },
	{ "node a 1.2.3.4\nprobe m write\n",
	  "test.conf:2: probe m: write needs the map marked test-lun "
	  "(writes destroy data)" },
	{ "node a 1.2.3.4\nprobe m size 1000\n",
	  "test.conf:2: size must be a multiple of 512 up to 1048576" },
	{ "node a 1.2.3.4\nprobe m interval-ms\n",
	  "test.conf:2: interval-ms needs a value" },
	{ "node a 1.2.3.4\nprobe m fast\n",
	  "test.conf:2: unknown probe option 'fast'" },
	{ "node a 1.2.3.4\nprobe m\nprobe m\n",
	  "test.conf:3: map m already probed (line 2)" },
	{ "node a 1.2.3.4\nmetrics 0.0.0.0\n",
	  "test.conf:2: metrics needs a port" },
	{ "node a 1.2.3.4\nmetrics localhost:9857\n",
	  "test.conf:2: metrics wants a numeric ADDRESS:PORT" },
	{ "node a 1.2.3.4\nrecords rel/path\n",
	  "test.conf:2: records takes an absolute file name" },
	{ "node a 1.2.3.4\nrelogin maybe\n",
	  "test.conf:2: relogin takes yes or no" },
	{ "node a 1.2.3.4\nnoop-interval 0\nnoop-timeout 5\n",
	  "test.conf:3: noop-timeout without noop-interval: NOP-Outs are off, "
	  "the timeout would never apply" },
	{ "node a 1.2.3.4\nportal-check-ms 100\nportal-connect-ms 100\n",
	  "test.conf:3: portal-connect-ms must be shorter than "
	  "portal-check-ms" },
	{ "node a 1.2.3.4\ngroup-watch-ms 60001\n",
	  "test.conf:2: group-watch-ms must be a number from 0 to 60000" },
	{ "node a 1.2.3.4\nx\001y 1\n",
	  "test.conf:2: control character in line" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct pw_conf c;
		char err[256] = "";

		if (parse(bad_cases[i].text, &c, err, sizeof(err)))
			fail_msg("case %zu parsed", i);
		if (strcmp(err, bad_cases[i].err))
			fail_msg("case %zu: got '%s' want '%s'", i, err,
				 bad_cases[i].err);
	}
}

/* A secret on a wrong line must not come back in the message. */
static void test_no_echo(void **state)
{
	struct pw_conf c;
	char err[256];

	(void)state;
	assert_false(parse("node a 1.2.3.4\nchap-password hunter2\n", &c, err,
			   sizeof(err)));
	assert_null(strstr(err, "hunter2"));
	assert_false(parse("node a 1.2.3.4\nrelogin hunter2\n", &c, err,
			   sizeof(err)));
	assert_null(strstr(err, "hunter2"));
}

static void test_long_line(void **state)
{
	char text[3000];
	struct pw_conf c;
	char err[256];

	(void)state;
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = '\n';
	text[sizeof(text) - 1] = '\0';
	assert_false(parse(text, &c, err, sizeof(err)));
	assert_string_equal(err, "test.conf:1: line longer than 1024 "
				 "characters");
}

static void test_unreadable(void **state)
{
	struct pw_conf c;
	char err[256];

	(void)state;
	assert_false(conf_load("/nonexistent/pathwarden.conf", &c, err,
			       sizeof(err)));
	assert_string_equal(err, "/nonexistent/pathwarden.conf: cannot open: "
				 "No such file or directory");
}

static void test_example_file(void **state)
{
	struct pw_conf c;
	char err[256] = "";

	(void)state;
	if (!conf_load(MON_SRC_DIR "/../../etc/pathwarden.conf", &c, err,
		       sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(c.n_nodes, 2);
	assert_int_equal(conf_total_portals(&c), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_portals),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_no_echo),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_example_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
