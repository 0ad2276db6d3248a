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

#include <cmocka.h>

#include "mpath_client.h"
#include "mpath_parse.h"

static char *fixture(const char *name)
{
	char path[512];
	char *s;

	snprintf(path, sizeof(path), "%s/fixtures/%s", MON_SRC_DIR, name);
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
	(void)state;
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
}

static void test_captured_source(void **state)
{
	struct mpath_source s;
	char *reply;

	(void)state;
	mpath_source_captured(&s, MON_SRC_DIR "/fixtures");
	assert_int_equal(mpath_cmd(&s, "show maps", &reply), -EOPNOTSUPP);
	assert_null(reply);
	assert_int_equal(mpath_cmd(&s, "switchgroup map mpatha group 2",
				   &reply), 0);
	free(reply);
	assert_string_equal(s.log, "switchgroup map mpatha group 2\n");
	/* the fixture dir has no maps.json */
	assert_int_equal(mpath_cmd(&s, "show maps json", &reply), -ENOENT);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
