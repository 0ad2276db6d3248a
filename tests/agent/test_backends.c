/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scst and lio backends on made-up trees: what they read, what they
 * reject as bad data, what they refuse to write and what they write.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent.h"
#include "fake_tree.h"
#include "sysfs_attr.h"

struct fixture {
	char root[PATH_MAX];
	struct unit_set *set;
	struct agent_ctx ctx;
	struct agent_target t;
};

static int setup_scst(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->set = calloc(1, sizeof(*f->set));
	assert_non_null(f->set);
	fake_root(f->root, sizeof(f->root));
	fake_scst(f->root, "nonoptimized", "active");
	f->t.root = f->root;
	f->t.device_group = "esos";
	f->t.local = "local";
	f->t.remote = "remote";
	f->t.need_groups = true;
	*state = f;
	return 0;
}

static int setup_lio(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->set = calloc(1, sizeof(*f->set));
	assert_non_null(f->set);
	fake_root(f->root, sizeof(f->root));
	fake_lio(f->root);
	f->t.root = f->root;
	f->t.local = "hpms01";
	f->t.remote = "hpms02";
	f->t.need_groups = true;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fake_rm_rf(f->root);
	free(f->set);
	free(f);
	return 0;
}

static enum agent_result scst_read(struct fixture *f)
{
	f->ctx.err[0] = '\0';
	return backend_scst.discover(&f->ctx, &f->t, f->set);
}

static enum agent_result lio_read(struct fixture *f)
{
	f->ctx.err[0] = '\0';
	return backend_lio.discover(&f->ctx, &f->t, f->set);
}

static void test_scst_reads_seed_layout(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u;
	const struct tgt_group *l, *r;

	assert_int_equal(scst_read(f), AGENT_OK);
	assert_int_equal(f->set->n_units, 1);
	u = &f->set->units[0];
	assert_string_equal(u->name, "esos");
	assert_int_equal(u->n_groups, 2);
	assert_true(u->local_idx >= 0 && u->remote_idx >= 0);
	l = &u->groups[u->local_idx];
	r = &u->groups[u->remote_idx];
	assert_string_equal(l->name, "local");
	assert_int_equal(l->group_id, 1);
	assert_int_equal(l->state, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(l->preferred);
	assert_int_equal(l->n_members, 1);
	assert_true(l->members[0].local);
	assert_int_equal(l->members[0].rel_tgt_id, 1);
	assert_string_equal(l->members[0].name,
			    "iqn.2016-02.local.virtual:hpms01.vg1");
	assert_int_equal(r->group_id, 2);
	assert_int_equal(r->state, ALUA_ACTIVE_OPTIMIZED);
	assert_true(r->preferred);
	assert_int_equal(r->n_members, 1);
	assert_false(r->members[0].local);
	assert_int_equal(r->members[0].rel_tgt_id, 2);
}

/* Every state SCST can show, as SCST spells it. */
static void test_scst_every_state(void **state)
{
	static const struct {
		const char *text;
		enum alua_state state;
	} states[] = {
		{ "active", ALUA_ACTIVE_OPTIMIZED },
		{ "nonoptimized", ALUA_ACTIVE_NONOPTIMIZED },
		{ "standby", ALUA_STANDBY },
		{ "unavailable", ALUA_UNAVAILABLE },
		{ "offline", ALUA_OFFLINE },
		{ "transitioning", ALUA_TRANSITIONING },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		char text[64], buf[64];
		const struct alua_unit *u = &f->set->units[0];

		snprintf(text, sizeof(text), "%s\n[key]\n", states[i].text);
		fake_put(f->root, SCST_TG "remote/state", text);
		assert_int_equal(scst_read(f), AGENT_OK);
		assert_int_equal(u->groups[u->remote_idx].state,
				 states[i].state);

		/* And back: writing gives SCST's word, one line. */
		assert_int_equal(backend_scst.write_state(&f->ctx,
				 &u->groups[u->local_idx], states[i].state),
				 AGENT_OK);
		snprintf(text, sizeof(text), "%s\n", states[i].text);
		assert_string_equal(fake_get(f->root, SCST_TG "local/state",
					     buf, sizeof(buf)), text);
	}
}

static void expect_bad(struct fixture *f, const char *rel, const char *text)
{
	fake_put(f->root, rel, text);
	assert_int_equal(scst_read(f), AGENT_BAD_DATA);
	assert_true(f->ctx.err[0] != '\0');
}

static void test_scst_rejects_bad_values(void **state)
{
	struct fixture *f = *state;
	char big[ATTR_MAX + 100];

	/* SCST has no word for lba-dependent; "???" is its unknown state. */
	expect_bad(f, SCST_TG "remote/state", "lba_dependent\n[key]\n");
	expect_bad(f, SCST_TG "remote/state", "???\n[key]\n");
	expect_bad(f, SCST_TG "remote/state", "Active\n");
	expect_bad(f, SCST_TG "remote/state", "active\nactive\n");
	expect_bad(f, SCST_TG "remote/state", "");
	expect_bad(f, SCST_TG "remote/state", "act\x01ive\n");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_bad(f, SCST_TG "remote/state", big);
	fake_put(f->root, SCST_TG "remote/state", "active\n");
	expect_bad(f, SCST_TG "remote/group_id", "65536\n");
	expect_bad(f, SCST_TG "remote/group_id", "-1\n");
	expect_bad(f, SCST_TG "remote/group_id", " 2\n");
	expect_bad(f, SCST_TG "remote/group_id", "0x2\n");
	fake_put(f->root, SCST_TG "remote/group_id", "2\n");
	expect_bad(f, SCST_TG "remote/preferred", "2\n");
	fake_put(f->root, SCST_TG "remote/preferred", "0\n");
	assert_int_equal(scst_read(f), AGENT_OK);
}

static void test_scst_rejects_nul_and_dirs(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];
	FILE *fp;

	if ((size_t)snprintf(path, sizeof(path), "%s/" SCST_TG "remote/state",
			     f->root) >= sizeof(path))
		fail();
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite("active\0\n", 1, 8, fp);
	fclose(fp);
	assert_int_equal(scst_read(f), AGENT_BAD_DATA);

	/* A directory where an attribute file belongs. */
	fake_unlink(f->root, SCST_TG "remote/state");
	fake_mkdir(f->root, SCST_TG "remote/state");
	assert_int_equal(scst_read(f), AGENT_BAD_DATA);

	/* A symlink where an attribute file belongs is not followed. */
	fake_unlink(f->root, SCST_TG "remote/state");
	fake_symlink(f->root, SCST_TG "remote/state", "../local/state");
	assert_int_equal(scst_read(f), AGENT_BAD_DATA);
}

static void test_scst_missing_things(void **state)
{
	struct fixture *f = *state;

	f->t.remote = "nothere";
	assert_int_equal(scst_read(f), AGENT_NOT_FOUND);
	assert_non_null(strstr(f->ctx.err, "nothere"));
	assert_non_null(strstr(f->ctx.err, "local, remote"));
	f->t.remote = "remote";

	f->t.device_group = "other";
	assert_int_equal(scst_read(f), AGENT_NOT_FOUND);
	f->t.device_group = "esos";

	f->t.root = "/nonexistent/pathwarden";
	assert_int_equal(scst_read(f), AGENT_NOT_FOUND);
	assert_non_null(strstr(f->ctx.err, "scst module"));
	f->t.root = f->root;

	fake_unlink(f->root, SCST_TG "remote/group_id");
	assert_int_equal(scst_read(f), AGENT_NOT_FOUND);
}

static void test_scst_refuses_lba_dependent(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];

	assert_int_equal(scst_read(f), AGENT_OK);
	assert_int_equal(backend_scst.check_state(&f->ctx,
			 &u->groups[u->local_idx], ALUA_LBA_DEPENDENT),
			 AGENT_UNSUPPORTED);
	assert_int_equal(backend_scst.check_state(&f->ctx,
			 &u->groups[u->local_idx], ALUA_OFFLINE), AGENT_OK);
}

/* What both reads give of fileio_1/vg2's named groups (fake_lio). */
static void assert_vg2_groups(const struct alua_unit *u)
{
	const struct tgt_group *l = &u->groups[u->local_idx];
	const struct tgt_group *r = &u->groups[u->remote_idx];

	assert_string_equal(u->name, "fileio_1/vg2");
	assert_string_equal(l->name, "hpms01");
	assert_int_equal(l->group_id, 1);
	assert_true(l->id_set);
	assert_int_equal(l->state, ALUA_ACTIVE_OPTIMIZED);
	assert_int_equal(l->access_type, ALUA_TPGS_IMPLICIT);
	assert_int_equal(r->state, ALUA_ACTIVE_NONOPTIMIZED);
	assert_false(r->supported & ALUA_SUP_LBA_DEPENDENT);
	assert_true(r->supported & ALUA_SUP_OFFLINE);
}

static void test_lio_reads_every_device(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u;
	const struct tgt_group *l, *r;

	assert_int_equal(lio_read(f), AGENT_OK);
	/* iblock_0/other lacks the groups and is left out. */
	assert_int_equal(f->set->n_units, 2);
	assert_string_equal(f->set->units[0].name, "fileio_1/vg1");
	assert_string_equal(f->set->units[1].name, "fileio_1/vg2");
	u = &f->set->units[1];
	assert_int_equal(u->n_groups, 3);
	assert_vg2_groups(u);
	l = &u->groups[u->local_idx];
	r = &u->groups[u->remote_idx];
	assert_int_equal(l->n_members, 1);
	assert_string_equal(l->members[0].name,
		"iSCSI/iqn.2016-02.local.virtual:hpms01.vg2/tpgt_1/lun_0");
	assert_int_equal(r->n_members, 0);

	f->t.device = "fileio_1/vg1";
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(f->set->n_units, 1);
	f->t.device = "fileio_1/nothere";
	assert_int_equal(lio_read(f), AGENT_NOT_FOUND);
	f->t.device = "../fileio_1";
	assert_int_equal(lio_read(f), AGENT_USAGE);
	f->t.device = "iblock_0/other";
	assert_int_equal(lio_read(f), AGENT_NOT_FOUND);
	f->t.device = NULL;
	f->t.remote = "nothere";
	assert_int_equal(lio_read(f), AGENT_NOT_FOUND);
}

/* A state change reads the named groups only, and of them what it needs:
 * a broken group it does not touch is not its business (status still
 * reads and reports it), members are not read. */
static void test_lio_state_only(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u;

	f->t.state_only = true;
	fake_put(f->root, LIO_VG1 "default_tg_pt_gp/alua_access_state",
		 "garbage\n");
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(f->set->n_units, 2);
	u = &f->set->units[1];
	assert_int_equal(u->n_groups, 2);
	assert_vg2_groups(u);
	assert_int_equal(u->groups[u->local_idx].n_members, 0);
	/* a named group's own bad value still stops it */
	fake_put(f->root, LIO_VG2 "hpms02/alua_access_state", "5\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	fake_put(f->root, LIO_VG2 "hpms02/alua_access_state", "1\n");
	/* a named group missing is not found, as in the full read */
	f->t.remote = "nothere";
	assert_int_equal(lio_read(f), AGENT_NOT_FOUND);
	/* the full read reports the broken group */
	f->t.remote = "hpms02";
	f->t.state_only = false;
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
}

static void test_lio_every_state(void **state)
{
	static const unsigned int codes[] = { 0, 1, 2, 3, 4, 14, 15 };
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const struct alua_unit *u = &f->set->units[0];
		char text[16], buf[16];

		snprintf(text, sizeof(text), "%u\n", codes[i]);
		fake_put(f->root, LIO_VG1 "hpms02/alua_access_state", text);
		assert_int_equal(lio_read(f), AGENT_OK);
		assert_int_equal(u->groups[u->remote_idx].state, codes[i]);
		assert_int_equal(backend_lio.write_state(&f->ctx,
				 &u->groups[u->local_idx],
				 (enum alua_state)codes[i]), AGENT_OK);
		assert_string_equal(fake_get(f->root,
				    LIO_VG1 "hpms01/alua_access_state", buf,
				    sizeof(buf)), text);
	}
	/* Reserved values are bad data, not states. */
	fake_put(f->root, LIO_VG1 "hpms02/alua_access_state", "5\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	fake_put(f->root, LIO_VG1 "hpms02/alua_access_state", "16\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	fake_put(f->root, LIO_VG1 "hpms02/alua_access_state", "active\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
}

static void test_lio_what_the_kernel_refuses(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];
	const struct tgt_group *r;

	assert_int_equal(lio_read(f), AGENT_OK);
	r = &u->groups[u->remote_idx];
	assert_int_equal(backend_lio.check_state(&f->ctx, r, ALUA_OFFLINE),
			 AGENT_OK);
	/* alua_support_lba_dependent is 0 */
	assert_int_equal(backend_lio.check_state(&f->ctx, r,
			 ALUA_LBA_DEPENDENT), AGENT_UNSUPPORTED);

	fake_put(f->root, LIO_VG1 "hpms02/alua_support_offline", "0\n");
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(backend_lio.check_state(&f->ctx,
			 &u->groups[u->remote_idx], ALUA_OFFLINE),
			 AGENT_UNSUPPORTED);

	fake_put(f->root, LIO_VG1 "hpms02/alua_access_type", "Explicit\n");
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(backend_lio.check_state(&f->ctx,
			 &u->groups[u->remote_idx], ALUA_STANDBY),
			 AGENT_UNSUPPORTED);
	assert_non_null(strstr(f->ctx.err, "implicit"));

	fake_put(f->root, LIO_VG1 "hpms02/alua_access_type", "Implicit\n");
	fake_put(f->root, LIO_VG1 "hpms02/tg_pt_gp_id", "");
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_false(u->groups[u->remote_idx].id_set);
	assert_int_equal(backend_lio.check_state(&f->ctx,
			 &u->groups[u->remote_idx], ALUA_STANDBY),
			 AGENT_UNSUPPORTED);

	fake_put(f->root, LIO_VG1 "hpms02/alua_access_type", "Sometimes\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	fake_put(f->root, LIO_VG1 "hpms02/alua_access_type", "Implicit\n");
	fake_put(f->root, LIO_VG1 "hpms02/members", "iSCSI/iqn x/tpgt_1\n");
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
}

/*
 * LIO shows members with the NUL each line's snprintf counted: that reads;
 * a NUL anywhere else is bad data.
 */
static void test_lio_members_nul(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];
	static const char two[] = "iSCSI/iqn.a:x/tpgt_1/lun_0\n\0"
				  "iSCSI/iqn.a:x/tpgt_2/lun_0\n\0";
	static const char mid[] = "iSCSI/iqn.a:x/tpgt_1\0/lun_0\n";
	static const char twice[] = "iSCSI/iqn.a:x/tpgt_1/lun_0\n\0\0";

	fake_put_bytes(f->root, LIO_VG1 "hpms01/members", two, sizeof(two) - 1);
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(u->groups[u->local_idx].members_total, 2);
	assert_string_equal(u->groups[u->local_idx].members[1].name,
			    "iSCSI/iqn.a:x/tpgt_2/lun_0");

	fake_put_bytes(f->root, LIO_VG1 "hpms01/members", mid, sizeof(mid) - 1);
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	assert_non_null(strstr(f->ctx.err, "NUL"));
	fake_put_bytes(f->root, LIO_VG1 "hpms01/members", twice,
		       sizeof(twice) - 1);
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
}

/* LIO fills at most one page with members; a full page is still read. */
static void test_lio_members_page(void **state)
{
	struct fixture *f = *state;
	const struct alua_unit *u = &f->set->units[0];
	char page[4098];
	size_t off = 0;
	unsigned int lines = 0;

	/* 64-byte lines: 63 characters and a newline, 64 of them. */
	while (off + 64 <= 4096) {
		int n = snprintf(page + off, sizeof(page) - off,
				 "iSCSI/iqn.2016-02.local.virtual:hpms01.vg1/tpgt_1/lun_%09u\n",
				 lines);

		assert_int_equal(n, 64);
		off += 64;
		lines++;
	}
	assert_int_equal(off, 4096);
	fake_put(f->root, LIO_VG1 "hpms01/members", page);
	assert_int_equal(lio_read(f), AGENT_OK);
	assert_int_equal(u->groups[u->local_idx].members_total, 64);
	assert_int_equal(u->groups[u->local_idx].n_members, AGENT_MAX_MEMBERS);

	/* One byte more than a page is not something LIO writes. */
	page[4095] = 'x';
	memcpy(page + 4096, "\n", 2);
	fake_put(f->root, LIO_VG1 "hpms01/members", page);
	assert_int_equal(lio_read(f), AGENT_BAD_DATA);
	assert_non_null(strstr(f->ctx.err, "more than 4096 bytes"));
}

static void test_names(void **state)
{
	char longname[AGENT_NAME_MAX + 2];

	(void)state;
	assert_true(agent_name_valid("esos"));
	assert_true(agent_name_valid("iqn.2016-02.local.virtual:hpms01.vg1"));
	assert_true(agent_name_valid("21:00:00:24:ff:3b:1a:2c"));
	assert_false(agent_name_valid(""));
	assert_false(agent_name_valid(NULL));
	assert_false(agent_name_valid("."));
	assert_false(agent_name_valid(".."));
	assert_false(agent_name_valid("../x"));
	assert_false(agent_name_valid("a b"));
	assert_false(agent_name_valid("a;b"));
	assert_false(agent_name_valid("a\nb"));
	assert_false(agent_name_valid("$(x)"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(agent_name_valid(longname));
	longname[AGENT_NAME_MAX] = '\0';
	assert_true(agent_name_valid(longname));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scst_reads_seed_layout,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_scst_every_state,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_scst_rejects_bad_values,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_scst_rejects_nul_and_dirs,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_scst_missing_things,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_scst_refuses_lba_dependent,
						setup_scst, teardown),
		cmocka_unit_test_setup_teardown(test_lio_reads_every_device,
						setup_lio, teardown),
		cmocka_unit_test_setup_teardown(test_lio_state_only,
						setup_lio, teardown),
		cmocka_unit_test_setup_teardown(test_lio_every_state,
						setup_lio, teardown),
		cmocka_unit_test_setup_teardown(test_lio_what_the_kernel_refuses,
						setup_lio, teardown),
		cmocka_unit_test_setup_teardown(test_lio_members_nul,
						setup_lio, teardown),
		cmocka_unit_test_setup_teardown(test_lio_members_page,
						setup_lio, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
