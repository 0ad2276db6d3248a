// SPDX-License-Identifier: GPL-2.0-or-later
/* multipathd answers: "show maps json" as 0.9.4 prints it, malformed
 * variants, and the merged "show config". */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dm_status.h"
#include "mpath_client.h"
#include "mpath_parse.h"

static char *fixture(const char *name)
{
	char path[512];
	char *s;

	snprintf(path, sizeof(path), "%s/multipathd/%s", FIXTURE_DIR, name);
	s = read_file(path, 1 << 20);
	assert_non_null(s);
	return s;
}

static void test_maps_json(void **state)
{
	char *text = fixture("maps-0.9.4.json");
	struct mp_topology t;
	char err[256] = "";
	const struct mp_map *m;

	(void)state;
	if (!mp_parse_maps_json(text, &t, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(t.n_maps, 1);
	m = mp_find_map(&t, "mpatha");
	assert_non_null(m);
	assert_ptr_equal(mp_find_map(&t, "36001405a1b2c3d4e5f60718293a4b5c6"),
			 m);
	assert_ptr_equal(mp_find_map(&t, "dm-0"), m);
	assert_null(mp_find_map(&t, "mpathb"));
	assert_string_equal(m->failback, "immediate");
	assert_string_equal(m->vend, "LIO-ORG");
	assert_int_equal(m->switch_grp, 3);
	assert_int_equal(m->path_faults, 2);
	assert_int_equal(m->n_groups, 2);
	assert_int_equal(m->n_paths, 4);
	assert_int_equal(mp_active_group(m), 1);
	assert_string_equal(m->groups[1].dm_st, "enabled");
	assert_int_equal(m->groups[1].pri, 10);
	assert_int_equal(m->groups[1].first_path, 2);
	assert_int_equal(m->groups[1].n_paths, 2);
	assert_string_equal(m->paths[2].dev, "sdc");
	assert_string_equal(m->paths[2].dm_st, "failed");
	assert_string_equal(m->paths[2].chk_st, "faulty");
	assert_int_equal(m->paths[2].group, 2);
	assert_string_equal(m->paths[3].chk_st, "i/o pending");
	assert_string_equal(m->paths[0].checker, "rtpg");
	assert_int_equal(m->paths[0].pri, 50);
	mp_topology_free(&t);
	free(text);
}

static void test_single_map_and_empty(void **state)
{
	struct mp_topology t;
	char err[256];

	(void)state;
	assert_true(mp_parse_maps_json(
		"{\"major_version\":0,\"minor_version\":1,\"map\":{"
		"\"name\":\"x\",\"path_groups\":[]}}", &t, err, sizeof(err)));
	assert_int_equal(t.n_maps, 1);
	assert_int_equal(t.maps[0].n_groups, 0);
	assert_int_equal(mp_active_group(&t.maps[0]), 0);
	mp_topology_free(&t);
	assert_true(mp_parse_maps_json("{\"major_version\":0,\"maps\":[]}", &t,
				       err, sizeof(err)));
	assert_int_equal(t.n_maps, 0);
	mp_topology_free(&t);
}

static const char *const bad_json[] = {
	"",
	"{",
	"not json",
	"{\"major_version\":1,\"maps\":[]}",
	"{\"maps\":{}}",
	"{\"maps\":[1]}",
	"{\"maps\":[{\"path_groups\":[]}]}",			/* no name */
	"{\"maps\":[{\"name\":\"a\"}]}",			/* no groups */
	"{\"maps\":[{\"name\":\"a\",\"path_groups\":[{}]}]}",	/* no paths */
	"{\"maps\":[{\"name\":\"a\",\"path_groups\":[{\"group\":2,"
	"\"paths\":[]}]}]}",					/* misnumbered */
	"{\"maps\":[{\"name\":\"a\",\"path_groups\":[{\"paths\":[3]}]}]}",
};

static void test_bad_json(void **state)
{
	static const struct {
		const char *text, *err;
	} words[] = {
		{ "timeout\n", "not JSON: multipathd answered 'timeout'" },
		{ "fail\n", "not JSON: multipathd answered 'fail'" },
		{ "  \n", "not JSON: multipathd answered ''" },
		{ "x\001y\nmore", "not JSON: multipathd answered 'x?y'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct mp_topology t;
		char err[256] = "";

		assert_false(mp_parse_maps_json(words[i].text, &t, err,
						sizeof(err)));
		assert_string_equal(err, words[i].err);
	}
	for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		struct mp_topology t;
		char err[256] = "";

		if (mp_parse_maps_json(bad_json[i], &t, err, sizeof(err)))
			fail_msg("case %zu accepted", i);
		assert_true(err[0] != '\0');
		assert_int_equal(t.n_maps, 0);
	}
}

/* Old multipathd prints "pri" : undef for a path it never prioritised. */
static void test_string_numbers(void **state)
{
	struct mp_topology t;
	char err[256];

	(void)state;
	assert_true(mp_parse_maps_json(
		"{\"maps\":[{\"name\":\"a\",\"switch_grp\":\"7\",\"path_groups\":"
		"[{\"pri\":\"x\",\"paths\":[{\"dev\":\"sda\",\"pri\":\"undef\"}]}]}]}",
		&t, err, sizeof(err)));
	assert_int_equal(t.maps[0].switch_grp, 7);
	assert_int_equal(t.maps[0].groups[0].pri, -1);
	assert_int_equal(t.maps[0].paths[0].pri, -1);
	assert_int_equal(t.maps[0].paths[0].group, 1);
	mp_topology_free(&t);
}

static void test_show_config(void **state)
{
	char *text = fixture("show-config-0.9.4.txt");
	struct mpconf c;
	char err[256] = "";
	const char *from;

	(void)state;
	if (!mpconf_parse(text, &c, err, sizeof(err)))
		fail_msg("%s", err);
	/* device entry beats defaults */
	assert_string_equal(mpconf_get(&c, "LIO-ORG", "vg1", "prio", &from),
			    "alua");
	assert_string_equal(from, "device");
	assert_string_equal(mpconf_get(&c, "LIO-ORG", "vg1", "detect_prio",
				       &from), "yes");
	assert_string_equal(from, "defaults");
	assert_string_equal(mpconf_get(&c, "SCST_BIO", "vg1", "detect_prio",
				       NULL), "no");
	assert_string_equal(mpconf_get(&c, "SCST_FIO", "x", "path_checker",
				       NULL), "rtpg");
	assert_string_equal(mpconf_get(&c, "SCST_FIO", "x", "prio_args",
				       NULL), "exclusive_pref_bit");
	/* overrides beat everything */
	assert_string_equal(mpconf_get(&c, "LIO-ORG", "vg1", "fast_io_fail_tmo",
				       &from), "2");
	assert_string_equal(from, "overrides");
	/* unknown vendor: defaults */
	assert_string_equal(mpconf_get(&c, "ACME", "x", "failback", NULL),
			    "manual");
	assert_string_equal(mpconf_get(&c, NULL, NULL, "find_multipaths",
				       NULL), "strict");
	assert_null(mpconf_get(&c, "LIO-ORG", "vg1", "no_such_key", NULL));
	/* the multipaths section is kept but not merged into devices */
	assert_null(mpconf_get(&c, "LIO-ORG", "vg1", "alias", NULL));
	mpconf_free(&c);
	free(text);
}

static void test_show_config_bad(void **state)
{
	struct mpconf c;
	char err[256];

	(void)state;
	assert_false(mpconf_parse("defaults {\n polling_interval 5\n", &c, err,
				  sizeof(err)));
	assert_string_equal(err, "unterminated section 'defaults'");
	assert_false(mpconf_parse("}\n", &c, err, sizeof(err)));
	assert_string_equal(err, "line 1: unbalanced '}'");
	assert_false(mpconf_parse("{\n", &c, err, sizeof(err)));
	/* later device entries win, as in multipathd's merge */
	assert_true(mpconf_parse("devices {\n device {\n vendor \"A\"\n "
				 "failback manual\n }\n device {\n vendor "
				 "\"A|B\"\n failback immediate\n }\n}\n",
				 &c, err, sizeof(err)));
	assert_string_equal(mpconf_get(&c, "A", "p", "failback", NULL),
			    "immediate");
	mpconf_free(&c);
	/* A pattern that would make regcomp explode is not used. */
	assert_true(mpconf_parse("devices {\n device {\n vendor \"A+++++++++"
				 "+++++++++++++++++++++++++++++++++++++++++\"\n"
				 " failback manual\n }\n}\n", &c, err,
				 sizeof(err)));
	assert_null(mpconf_get(&c, "AAA", "p", "failback", NULL));
	mpconf_free(&c);
}

static void test_captured_source(void **state)
{
	struct mpath_source s;
	char dir[] = "/tmp/pw-capture-XXXXXX", path[64];
	char *reply;

	(void)state;
	/* A scratch directory: the source appends to DIR/commands.log. */
	assert_non_null(mkdtemp(dir));
	mpath_source_captured(&s, dir);
	assert_int_equal(mpath_cmd(&s, "show maps", &reply), -EOPNOTSUPP);
	assert_null(reply);
	assert_int_equal(mpath_cmd(&s, "switchgroup map mpatha group 2",
				   &reply), 0);
	free(reply);
	snprintf(path, sizeof(path), "%s/commands.log", dir);
	reply = read_file(path, 4096);
	assert_non_null(reply);
	assert_string_equal(reply, "switchgroup map mpatha group 2\n");
	free(reply);
	assert_int_equal(unlink(path), 0);
	/* no maps.json there */
	assert_int_equal(mpath_cmd(&s, "show maps json", &reply), -ENOENT);
	assert_int_equal(rmdir(dir), 0);
}

static void test_dm_status(void **state)
{
	struct dm_mpath_status st;
	char err[128] = "";

	(void)state;
	/* two service-time groups, group 1 in use, sdc failed */
	if (!dm_status_parse("2 0 0 0 2 1 A 0 2 2 8:0 A 0 0 1 8:16 A 0 0 1 "
			     "E 0 2 2 8:32 F 3 0 1 8:48 A 0 0 1\n", &st, err,
			     sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(st.n_groups, 2);
	assert_int_equal(st.next_group, 1);
	assert_int_equal(st.active_group, 1);
	assert_int_equal(st.n_paths, 4);
	assert_string_equal(st.paths[2].devt, "8:32");
	assert_false(st.paths[2].active);
	assert_int_equal(st.paths[2].fail_count, 3);
	assert_int_equal(st.paths[3].group, 2);
	assert_false(st.queueing);
	/* a group being activated (scsi_dh_alua waits for a transition):
	 * dm queues I/O, no group is 'A' */
	assert_true(dm_status_parse("2 1 1 0 2 1 E 0 2 2 8:48 A 0 0 1 8:16 A "
				    "0 0 1 E 0 2 2 8:0 A 0 0 1 8:32 A 0 0 1",
				    &st, err, sizeof(err)));
	assert_true(st.queueing);
	assert_int_equal(st.active_group, 0);
	/* right after switchgroup 2, before any I/O: no group is 'A' yet,
	 * the next group says where I/O goes */
	assert_true(dm_status_parse("2 1 0 1 alua 2 2 E 0 1 1 8:0 A 0 1 "
				    "E 0 1 1 8:16 A 0 1", &st, err,
				    sizeof(err)));
	assert_int_equal(st.next_group, 2);
	assert_int_equal(st.active_group, 0);
	/* round-robin (one path arg), queue_if_no_path set, empty map */
	assert_true(dm_status_parse("2 1 0 0 0 0", &st, err, sizeof(err)));
	assert_int_equal(st.n_groups, 0);
	static const char *const bad[] = {
		"", "x", "2 0", "2 0 0 0 2 3 A 0 1 1 8:0 A 0 0",
		"2 0 0 0 1 1 X 0 1 0 8:0 A 0",
		"2 0 0 0 1 1 A 0 1 0 8:0 Q 0",
		"2 0 0 0 1 1 A 0 2 0 8:0 A 0",		/* path missing */
		"2 0 0 0 1 1 A 0 1 2 8:0 A 0 5",	/* selector arg missing */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 extra",
		"2 0 0 0 1 0 A 0 1 0 8:0 A 0",		/* no next group */
		"2 7 0 0 1 1 A 0 1 0 8:0 A 0",		/* queue_io not 0/1 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dm_status_parse(bad[i], &st, err, sizeof(err)))
			fail_msg("accepted '%s'", bad[i]);
}

/* A group known by its paths: the number it has in dm's status now. */
static void test_dm_group_of(void **state)
{
	struct dm_mpath_status st;
	char err[64];
	static const char hpms02[][16] = { "8:48", "8:32" };
	static const char hpms01[][16] = { "8:0", "8:16" };
	static const char part[][16] = { "8:0" };
	static const char mixed[][16] = { "8:0", "8:32" };

	(void)state;
	/* hpms02's paths first: multipathd reloaded the map by prio */
	assert_true(dm_status_parse("2 0 0 0 2 1 A 0 2 2 8:32 A 0 0 1 8:48 A "
				    "0 0 1 E 0 2 2 8:0 A 0 0 1 8:16 A 0 0 1",
				    &st, err, sizeof(err)));
	assert_int_equal(dm_status_group_of(&st, hpms02, 2), 1);
	assert_int_equal(dm_status_group_of(&st, hpms01, 2), 2);
	/* a subset or a mix names no group; nothing names none */
	assert_int_equal(dm_status_group_of(&st, part, 1), 0);
	assert_int_equal(dm_status_group_of(&st, mixed, 2), 0);
	assert_int_equal(dm_status_group_of(&st, hpms01, 0), 0);
	/* all four merged into one group: neither node's group is there */
	assert_true(dm_status_parse("2 0 0 0 1 1 A 0 4 2 8:0 A 0 0 1 8:16 A 0 "
				    "0 1 8:32 A 0 0 1 8:48 A 0 0 1", &st, err,
				    sizeof(err)));
	assert_int_equal(dm_status_group_of(&st, hpms02, 2), 0);
}

/*
 * multipathd's answer cut short (a socket closed mid-reply, a timeout at
 * the wrong moment): every prefix of a real answer is refused with a
 * reason, none is half-read into a map list.
 */
static void test_truncated_answer(void **state)
{
	char *full = fixture("maps-0.9.4.json");
	size_t len = strlen(full);
	struct mp_topology t;
	char err[256];

	(void)state;
	assert_true(mp_parse_maps_json(full, &t, err, sizeof(err)));
	mp_topology_free(&t);
	/* the trailing newline and spaces cut away still parse */
	while (len && (full[len - 1] == '\n' || full[len - 1] == ' '))
		len--;
	for (size_t n = 0; n < len; n++) {
		char c = full[n];

		full[n] = '\0';
		err[0] = '\0';
		if (mp_parse_maps_json(full, &t, err, sizeof(err)))
			fail_msg("answer cut at byte %zu of %zu accepted", n,
				 len);
		assert_true(err[0] != '\0');
		assert_int_equal(t.n_maps, 0);
		full[n] = c;
	}
	free(full);
}

/* An answer larger than we take: refused, not read without end. */
static void test_oversized_answer(void **state)
{
	char path[] = "/tmp/pw-big-XXXXXX";
	int fd = mkstemp(path);
	char block[4096];

	(void)state;
	assert_true(fd >= 0);
	memset(block, '[', sizeof(block));
	for (int i = 0; i < 64; i++)
		assert_int_equal(write(fd, block, sizeof(block)),
				 (ssize_t)sizeof(block));
	close(fd);
	errno = 0;
	assert_null(read_file(path, 64 * 1024));
	assert_int_equal(errno, EFBIG);
	{
		char *all = read_file(path, 1 << 20);	/* within: read */

		assert_non_null(all);
		assert_int_equal(strlen(all), 64 * sizeof(block));
		free(all);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_json),
		cmocka_unit_test(test_single_map_and_empty),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_string_numbers),
		cmocka_unit_test(test_show_config),
		cmocka_unit_test(test_show_config_bad),
		cmocka_unit_test(test_captured_source),
		cmocka_unit_test(test_dm_status),
		cmocka_unit_test(test_dm_group_of),
		cmocka_unit_test(test_truncated_answer),
		cmocka_unit_test(test_oversized_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
