/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench.conf: a good file read as written, every kind of bad line named
 * by file:line, and the ownership rule of pathwarden.conf. */
#include <math.h>
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

#include "bench_conf.h"

static struct bench_conf C;

static bool parse(const char *text, char *err, size_t n)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool ok;

	assert_non_null(f);
	ok = bconf_parse(f, "test.conf", &C, err, n);
	fclose(f);
	return ok;
}

static const char good[] =
	"# the seed cluster's benchmark\n"
	"map 36001405abc000000000000000   # the test LUN\n"
	"test-lun yes\n"
	"home hpms01\n"
	"load blocks 2048 rate 50\n"
	"\thold 2.5\n"
	"deadline 30\n"
	"settle 0.25\n"
	"device /srv/bench/lun.img\n"
	"\n"
	"config stock    ssh root@ini 'pw-lab config stock'  # restarts multipathd\n"
	"config pathwarden systemctl start pathwarden\n"
	"scenario switchover switch\n"
	"inject  switchover ssh hpms02 crm resource promote \"ms_drbd\"\n"
	"restore switchover\tssh hpms01 crm resource promote ms_drbd   \n"
	"scenario link-loss path target-errors\n"
	"restore link-loss nft delete table inet pwbench\n"
	"inject link-loss nft -f /etc/pw/drop-one-portal.nft\n";

static void test_good(void **state)
{
	char err[256] = "";
	(void)state;

	if (!parse(good, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(C.map, "36001405abc000000000000000");
	assert_false(C.map_auto);
	assert_true(C.test_lun);
	assert_string_equal(C.home, "hpms01");
	assert_int_equal(C.home_line, 4);
	assert_int_equal(C.rate, 50);
	assert_int_equal(C.blocks, 2048);
	assert_true(fabs(C.hold_s - 2.5) < 1e-9);
	assert_true(fabs(C.deadline_s - 30) < 1e-9);
	assert_true(fabs(C.settle_s - 0.25) < 1e-9);
	assert_string_equal(C.device, "/srv/bench/lun.img");
	assert_int_equal(C.n_configs, 2);
	assert_string_equal(C.configs[0].name, "stock");
	/* the shell gets the rest of the line: quotes, and its own comment */
	assert_string_equal(C.configs[0].setup.cmd,
			    "ssh root@ini 'pw-lab config stock'  "
			    "# restarts multipathd");
	assert_int_equal(C.configs[0].setup.line, 11);
	assert_string_equal(C.configs[1].setup.cmd,
			    "systemctl start pathwarden");
	assert_int_equal(C.n_scenarios, 2);
	assert_string_equal(C.scenarios[0].name, "switchover");
	assert_int_equal(C.scenarios[0].kind, BENCH_KIND_SWITCH);
	assert_string_equal(C.scenarios[0].inject.cmd,
			    "ssh hpms02 crm resource promote \"ms_drbd\"");
	/* trailing blanks trimmed, a tab separates like a space */
	assert_string_equal(C.scenarios[0].restore.cmd,
			    "ssh hpms01 crm resource promote ms_drbd");
	assert_int_equal(C.scenarios[1].kind, BENCH_KIND_PATH);
	assert_true(C.scenarios[1].target_errors);
	assert_false(C.scenarios[0].target_errors);
	assert_int_equal(C.scenarios[1].restore.line, 17);
	assert_int_equal(C.scenarios[1].inject.line, 18);
	assert_ptr_equal(bconf_scenario(&C, "link-loss"), &C.scenarios[1]);
	assert_null(bconf_scenario(&C, "nope"));
	assert_ptr_equal(bconf_config(&C, "pathwarden"), &C.configs[1]);
	assert_string_equal(C.reference, "");
}

static void test_defaults(void **state)
{
	char err[256] = "";
	(void)state;

	if (!parse("map auto\ntest-lun yes\nhome hpms02\nconfig stock true\n"
		   "scenario s switch\ninject s true\nrestore s true\n",
		   err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(C.map_auto);
	assert_string_equal(C.map, "");
	assert_string_equal(C.device, "");
	assert_int_equal(C.rate, 100);
	assert_int_equal(C.blocks, 1024);
	assert_true(fabs(C.hold_s - 5) < 1e-9);
	assert_true(fabs(C.deadline_s - 60) < 1e-9);
	assert_true(fabs(C.settle_s - 3) < 1e-9);
}

/* The third kind: a fault behind the target that I/O must ride out. */
static void test_stay(void **state)
{
	char err[256] = "";
	(void)state;

	if (!parse("map auto\ntest-lun yes\nhome hpms01\nconfig stock true\n"
		   "scenario replication-link stay\n"
		   "inject replication-link true\n"
		   "restore replication-link true\n", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(C.n_scenarios, 1);
	assert_int_equal(C.scenarios[0].kind, BENCH_KIND_STAY);
	assert_string_equal(bench_kind_name(C.scenarios[0].kind), "stay");
	assert_false(C.scenarios[0].target_errors);
}

/* A minimal good head; each case adds one bad line after it (line 8). */
#define HEAD "map m\ntest-lun yes\nhome hpms01\nconfig stock true\n" \
	"scenario s switch\ninject s true\nrestore s true\n"

static const struct {
	const char *text, *want;
} bad[] = {
	{ HEAD "frobnicate 1\n", "test.conf:8: unknown directive 'frobnicate'" },
	{ HEAD "map n\n", "test.conf:8: map already given at line 1" },
	{ HEAD "home hpms02\n", "test.conf:8: home already given at line 3" },
	{ HEAD "test-lun maybe\n", "test.conf:8: test-lun already given at line 2" },
	{ "test-lun maybe\n", "test.conf:1: test-lun takes yes or no" },
	{ "map a/b\n", "test.conf:1: map takes a multipath map name or auto" },
	{ "map a b\n", "test.conf:1: map takes one value" },
	{ "device lun.img\n", "test.conf:1: device takes an absolute path" },
	{ "home\n", "test.conf:1: home takes a node name of pathwarden.conf" },
	{ HEAD "load rate 0\n",
	  "test.conf:8: load rate must be 1-10000 I/Os per second" },
	{ HEAD "load blocks 8\n", "test.conf:8: load blocks must be 16-262144" },
	{ HEAD "load rate 10 rate 20\n", "test.conf:8: load takes rate N and blocks N" },
	{ HEAD "load speed 10\n", "test.conf:8: load takes rate N and blocks N" },
	{ HEAD "load\n", "test.conf:8: load takes rate N and blocks N" },
	{ HEAD "load rate\n", "test.conf:8: load takes rate N and blocks N" },
	{ HEAD "hold -1\n",
	  "test.conf:8: hold takes seconds from 0 to 600 (up to 3 decimals)" },
	{ HEAD "hold 1.2345\n",
	  "test.conf:8: hold takes seconds from 0 to 600 (up to 3 decimals)" },
	{ HEAD "deadline 0\n",
	  "test.conf:8: deadline takes seconds from 0.1 to 600 (up to 3 decimals)" },
	{ HEAD "settle 1e3\n",
	  "test.conf:8: settle takes seconds from 0 to 600 (up to 3 decimals)" },
	{ HEAD "settle 1 2\n",
	  "test.conf:8: settle takes seconds from 0 to 600 (up to 3 decimals)" },
	{ HEAD "hold 1\nhold 2\n", "test.conf:9: hold already given at line 8" },
	{ HEAD "config stock false\n",
	  "test.conf:8: config stock already defined at line 4" },
	{ HEAD "config pathwarden\n",
	  "test.conf:8: config needs a shell command" },
	{ HEAD "config pathwarden   \n",
	  "test.conf:8: config needs a shell command" },
	{ HEAD "config\n", "test.conf:8: config needs a name and a shell command" },
	{ HEAD "config ../x true\n", "test.conf:8: config name must be letters, "
	  "digits, '.', '_', '-' and shorter than 16" },
	{ HEAD "config a-very-long-name true\n", "test.conf:8: config name must "
	  "be letters, digits, '.', '_', '-' and shorter than 16" },
	{ HEAD "scenario s path\n", "test.conf:8: scenario s already defined at line 5" },
	{ HEAD "scenario t fast\n", "test.conf:8: scenario kind must be switch (I/O "
	  "moves to the peer), path (a home path fails, I/O stays) or stay (no "
	  "home path fails, I/O stays)" },
	{ HEAD "scenario t\n",
	  "test.conf:8: scenario takes a name, a kind (switch, path or stay) and "
	  "optionally target-errors" },
	{ HEAD "scenario t path extra\n",
	  "test.conf:8: scenario takes a name, a kind (switch, path or stay) and "
	  "optionally target-errors" },
	{ HEAD "scenario t path target-errors extra\n",
	  "test.conf:8: scenario takes a name, a kind (switch, path or stay) and "
	  "optionally target-errors" },
	{ HEAD "scenario a/b path\n", "test.conf:8: scenario name must be letters, "
	  "digits, '.', '_', '-' and shorter than 48" },
	{ HEAD "inject t true\n", "test.conf:8: inject: no scenario t defined above" },
	{ HEAD "inject s false\n",
	  "test.conf:8: inject for s already given at line 6" },
	{ HEAD "restore s false\n",
	  "test.conf:8: restore for s already given at line 7" },
	{ HEAD "scenario t path\nrestore t\n",
	  "test.conf:9: restore needs a shell command" },
	{ HEAD "inject\n",
	  "test.conf:8: inject needs a scenario name and a shell command" },
	{ HEAD "hold 1\x01\n", "test.conf:8: control character in line" },
	{ "test-lun yes\nhome a\nconfig c true\nscenario s switch\n",
	  "test.conf:4: no map (the multipath map to test, or 'map auto')" },
	{ "map m\nhome a\n", "test.conf:2: the benchmark writes to the map: say "
	  "'test-lun yes' to confirm it holds no data" },
	{ "map m\ntest-lun no\nhome a\n", "test.conf:3: the benchmark writes to "
	  "the map: say 'test-lun yes' to confirm it holds no data" },
	{ "map m\ntest-lun yes\n", "test.conf:2: no home (the node whose group is "
	  "optimized at the baseline)" },
	{ "map m\ntest-lun yes\nhome a\n", "test.conf:3: no config (a name and the "
	  "command that puts the stack into it)" },
	{ "map m\ntest-lun yes\nhome a\nconfig c true\n", "test.conf:4: no scenario" },
	{ "map m\ntest-lun yes\nhome a\nconfig c true\n\nscenario s path\n"
	  "restore s true\n", "test.conf:6: scenario s has no inject command" },
	{ "map m\ntest-lun yes\nhome a\nconfig c true\nscenario s path\n"
	  "inject s true\n", "test.conf:5: scenario s has no restore command" },
	{ HEAD "reference\n", "test.conf:8: reference takes the name of a config" },
	{ HEAD "reference a/b\n",
	  "test.conf:8: reference takes the name of a config" },
	{ HEAD "reference stock\nreference stock\n",
	  "test.conf:9: reference already given at line 8" },
	{ "reference pathwarden\n" HEAD,
	  "test.conf:1: reference pathwarden is not a config of this file" },
};

/* The configuration the others are compared with, named before or after
 * its config line. */
static void test_reference(void **state)
{
	char err[256] = "";
	(void)state;

	if (!parse("reference stock\n" HEAD, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(C.reference, "stock");
	assert_int_equal(C.reference_line, 1);
	if (!parse(HEAD "reference stock\n", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(C.reference_line, 8);
}

static void test_bad(void **state)
{
	char err[256];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i].text, err, sizeof(err)))
			fail_msg("case %zu parsed: %s", i, bad[i].text);
		if (strcmp(err, bad[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, err,
				 bad[i].want);
	}
}

/* A hook command is never echoed: it may carry a password. */
static void test_no_echo(void **state)
{
	char err[256];
	char text[2200];
	(void)state;

	assert_false(parse(HEAD "inject nosuch sshpass -p SECRET ssh hpms02\n",
			   err, sizeof(err)));
	assert_null(strstr(err, "SECRET"));
	assert_false(parse(HEAD "config stock sshpass -p SECRET ssh x\n", err,
			   sizeof(err)));
	assert_null(strstr(err, "SECRET"));
	snprintf(text, sizeof(text), HEAD "scenario t path\ninject t %01100d\n", 7);
	assert_false(parse(text, err, sizeof(err)));
	assert_string_equal(err, "test.conf:9: line longer than 1024 characters");
}

static void test_load_trust(void **state)
{
	char path[] = BENCH_TMP "/bench-conf-XXXXXX", err[512];
	int fd = mkstemp(path);
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, HEAD, strlen(HEAD)), (ssize_t)strlen(HEAD));
	close(fd);
	assert_int_equal(chmod(path, 0644), 0);
	if (!bconf_load(path, &C, err, sizeof(err)))
		fail_msg("%s", err);
	/* others could make the hooks run anything as the caller */
	assert_int_equal(chmod(path, 0666), 0);
	assert_false(bconf_load(path, &C, err, sizeof(err)));
	assert_non_null(strstr(err, "writable by others"));
	unlink(path);
	assert_false(bconf_load(path, &C, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_stay),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_no_echo),
		cmocka_unit_test(test_load_trust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
