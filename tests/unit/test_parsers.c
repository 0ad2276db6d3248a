/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers and tables of the core, on hand-made and edge-case buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pathwarden/alua.h"
#include "pathwarden/rtpg.h"
#include "pathwarden/sense.h"

/* Extended header, group 1 AO (1 port), group 2 ANO (no ports). */
static const uint8_t rtpg_ext[] = {
	0x00, 0x00, 0x00, 0x18, 0x10, 0x0a, 0x00, 0x00,
	0x00, 0xcf, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x01, 0xcf, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00,
};

/* Length-only header, group 1 AO preferred with 2 ports, group 2 standby. */
static const uint8_t rtpg_len_only[] = {
	0x00, 0x00, 0x00, 0x18,
	0x80, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	0x02, 0x0f, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
};

static void test_state_names(void **state)
{
	enum alua_state s;
	(void)state;

	assert_string_equal(alua_state_name(ALUA_ACTIVE_OPTIMIZED),
			    "active/optimized");
	assert_string_equal(alua_state_abbrev(ALUA_TRANSITIONING), "TRANS");
	assert_string_equal(alua_state_scst_name(ALUA_ACTIVE_NONOPTIMIZED),
			    "nonoptimized");
	assert_null(alua_state_name((enum alua_state)5));
	assert_true(alua_state_valid(0xe));
	assert_false(alua_state_valid(0x7));
	assert_false(alua_state_valid(0x10));

	assert_true(alua_state_parse("active", &s));
	assert_int_equal(s, ALUA_ACTIVE_OPTIMIZED);
	assert_true(alua_state_parse("nonoptimized", &s));
	assert_int_equal(s, ALUA_ACTIVE_NONOPTIMIZED);
	assert_true(alua_state_parse("ANO", &s));
	assert_int_equal(s, ALUA_ACTIVE_NONOPTIMIZED);
	assert_true(alua_state_parse("15", &s));
	assert_int_equal(s, ALUA_TRANSITIONING);
	assert_true(alua_state_parse("0xe", &s));
	assert_int_equal(s, ALUA_OFFLINE);
	s = ALUA_STANDBY;
	assert_false(alua_state_parse("5", &s));
	assert_false(alua_state_parse("", &s));
	assert_false(alua_state_parse("activ", &s));
	assert_false(alua_state_parse("1x", &s));
	assert_false(alua_state_parse(NULL, &s));
	assert_int_equal(s, ALUA_STANDBY);	/* untouched on failure */
}

static void test_rtpg_extended(void **state)
{
	struct rtpg_report r;
	(void)state;

	assert_int_equal(rtpg_parse(rtpg_ext, sizeof(rtpg_ext), &r), PARSE_OK);
	assert_true(r.extended);
	assert_false(r.truncated);
	assert_int_equal(r.implicit_transition_s, 10);
	assert_int_equal(r.n_groups, 2);
	assert_int_equal(r.groups[0].group_id, 1);
	assert_int_equal(r.groups[0].state, ALUA_ACTIVE_OPTIMIZED);
	assert_false(r.groups[0].preferred);
	assert_int_equal(r.groups[0].supported, 0xcf);
	assert_int_equal(r.groups[0].port_count, 1);
	assert_int_equal(r.groups[0].rel_ports[0], 1);
	/* the peer's group: listed with no local ports */
	assert_int_equal(r.groups[1].group_id, 2);
	assert_int_equal(r.groups[1].state, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(r.groups[1].port_count, 0);
	assert_int_equal(r.groups[1].status_code, 2);
	assert_non_null(rtpg_find_group(&r, 2));
	assert_null(rtpg_find_group(&r, 3));
	assert_int_equal(rtpg_wanted_len(rtpg_ext, sizeof(rtpg_ext)), 28);
}

static void test_rtpg_length_only(void **state)
{
	struct rtpg_report r;
	(void)state;

	assert_int_equal(rtpg_parse(rtpg_len_only, sizeof(rtpg_len_only), &r),
			 PARSE_OK);
	assert_false(r.extended);
	assert_int_equal(r.n_groups, 2);
	assert_true(r.groups[0].preferred);
	assert_int_equal(r.groups[0].state, ALUA_ACTIVE_OPTIMIZED);
	assert_int_equal(r.groups[0].ports_listed, 2);
	assert_int_equal(r.groups[0].rel_ports[1], 2);
	assert_int_equal(r.groups[1].state, ALUA_STANDBY);
}

static void test_rtpg_every_state(void **state)
{
	static const uint8_t states[] = { 0x0, 0x1, 0x2, 0x3, 0x4, 0xe, 0xf };
	(void)state;

	for (size_t i = 0; i < sizeof(states); i++) {
		uint8_t buf[12] = { 0, 0, 0, 8, states[i], 0xcf, 0, 9,
				    0, 0, 0, 0 };
		struct rtpg_report r;

		assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_OK);
		assert_int_equal(r.n_groups, 1);
		assert_int_equal(r.groups[0].state, states[i]);
		assert_int_equal(r.groups[0].group_id, 9);
	}
}

static void test_rtpg_reserved_state(void **state)
{
	uint8_t buf[12] = { 0, 0, 0, 8, 0x05, 0xcf, 0, 1, 0, 0, 0, 0 };
	struct rtpg_report r;
	(void)state;

	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_FORMAT);
}

static void test_rtpg_truncated_by_alloc(void **state)
{
	struct rtpg_report r;
	(void)state;

	/* our buffer held 20 bytes: group 1 whole, group 2 cut off */
	assert_int_equal(rtpg_parse(rtpg_ext, 20, &r), PARSE_OK);
	assert_true(r.truncated);
	assert_int_equal(r.n_groups, 1);
	assert_int_equal(rtpg_wanted_len(rtpg_ext, 20), 28);
	/* cut in the middle of group 1's port list */
	assert_int_equal(rtpg_parse(rtpg_ext, 18, &r), PARSE_OK);
	assert_int_equal(r.n_groups, 0);
}

static void test_rtpg_contradicting_lengths(void **state)
{
	uint8_t buf[sizeof(rtpg_ext)];
	struct rtpg_report r;
	(void)state;

	/* a descriptor claims 200 ports within the reported length */
	memcpy(buf, rtpg_ext, sizeof(buf));
	buf[15] = 200;
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_LENGTH);
	/* reported length ends inside a descriptor */
	memcpy(buf, rtpg_ext, sizeof(buf));
	buf[3] = 0x16;
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_LENGTH);
	/* extended header with a return length shorter than the header */
	memcpy(buf, rtpg_ext, sizeof(buf));
	buf[3] = 0x02;
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_LENGTH);
	/* unknown format type */
	memcpy(buf, rtpg_ext, sizeof(buf));
	buf[4] = 0x20;
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_FORMAT);
}

/*
 * Captured from the lab's LIO (Linux 6.1): the extended answer is 4 bytes
 * short of its own header plus descriptors; the length-only one is whole.
 */
static const uint8_t lio61_ext[] = {
	0x00, 0x00, 0x00, 0x18, 0x10, 0x00, 0x00, 0x00,
	0x00, 0xcf, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x01, 0xcf, 0x00, 0x02, 0x00, 0x02, 0x00, 0x01,
};
static const uint8_t lio61_len_only[] = {
	0x00, 0x00, 0x00, 0x18,
	0x00, 0xcf, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x01, 0xcf, 0x00, 0x02, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
};

static void test_rtpg_lio_short_extended(void **state)
{
	struct rtpg_report r;
	uint8_t buf[sizeof(lio61_ext)];
	(void)state;

	assert_int_equal(rtpg_parse(lio61_ext, sizeof(lio61_ext), &r), PARSE_OK);
	assert_true(r.extended);
	assert_true(r.short_extended);
	assert_int_equal(r.n_groups, 2);
	assert_int_equal(r.groups[1].group_id, 2);
	assert_int_equal(r.groups[1].state, ALUA_ACTIVE_NONOPTIMIZED);
	assert_int_equal(r.groups[1].port_count, 1);
	assert_int_equal(r.groups[1].ports_listed, 0);	/* never sent */

	assert_int_equal(rtpg_parse(lio61_len_only, sizeof(lio61_len_only), &r),
			 PARSE_OK);
	assert_false(r.short_extended);
	assert_int_equal(r.groups[1].ports_listed, 1);
	assert_int_equal(r.groups[1].rel_ports[0], 2);

	/* only that shortfall: 8 bytes short is still a contradiction */
	memcpy(buf, lio61_ext, sizeof(buf));
	buf[3] = 0x14;
	assert_int_equal(rtpg_parse(buf, sizeof(buf) - 4, &r), PARSE_BAD_LENGTH);
	/* and never in the length-only format */
	assert_int_equal(rtpg_parse(lio61_len_only, sizeof(lio61_len_only) - 4,
				    &r), PARSE_OK);	/* cut by us: truncated */
	assert_true(r.truncated);
	memcpy(buf, lio61_len_only, sizeof(buf));
	buf[3] = 0x14;
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_BAD_LENGTH);
}

static void test_rtpg_short_and_empty(void **state)
{
	static const uint8_t none[8] = { 0, 0, 0, 4, 0x10, 0, 0, 0 };
	static const uint8_t zero[4] = { 0, 0, 0, 0 };
	struct rtpg_report r;
	(void)state;

	assert_int_equal(rtpg_parse(NULL, 0, &r), PARSE_SHORT);
	assert_int_equal(rtpg_parse(rtpg_ext, 3, &r), PARSE_SHORT);
	assert_int_equal(rtpg_parse(none, sizeof(none), &r), PARSE_OK);
	assert_int_equal(r.n_groups, 0);
	assert_int_equal(rtpg_parse(zero, sizeof(zero), &r), PARSE_OK);
	assert_int_equal(r.n_groups, 0);
}

static void test_rtpg_too_many_groups(void **state)
{
	uint8_t buf[4 + 8 * (RTPG_MAX_GROUPS + 1)];
	struct rtpg_report r;
	(void)state;

	memset(buf, 0, sizeof(buf));
	buf[2] = (uint8_t)((sizeof(buf) - 4) >> 8);
	buf[3] = (uint8_t)(sizeof(buf) - 4);
	for (int i = 0; i <= RTPG_MAX_GROUPS; i++)
		buf[4 + 8 * i + 3] = (uint8_t)(i + 1);
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_TOO_MANY);
}

static void test_rtpg_many_ports_listed(void **state)
{
	uint8_t buf[4 + 8 + 4 * 20];
	struct rtpg_report r;
	(void)state;

	memset(buf, 0, sizeof(buf));
	buf[3] = (uint8_t)(sizeof(buf) - 4);
	buf[4 + 3] = 1;
	buf[4 + 7] = 20;
	for (int i = 0; i < 20; i++)
		buf[12 + 4 * i + 3] = (uint8_t)(i + 1);
	assert_int_equal(rtpg_parse(buf, sizeof(buf), &r), PARSE_OK);
	assert_int_equal(r.groups[0].port_count, 20);
	assert_int_equal(r.groups[0].ports_listed, ALUA_MAX_LISTED_PORTS);
	assert_int_equal(r.groups[0].rel_ports[15], 16);
}

static const uint8_t vpd83[] = {
	0x00, 0x83, 0x00, 0x2c,
	/* T10 vendor id "LIO-ORG " (ranked below NAA) */
	0x02, 0x01, 0x00, 0x04, 'L', 'I', 'O', '-',
	0x01, 0x03, 0x00, 0x10, 0x60, 0x01, 0x40, 0x5a, 0xb1, 0xc2, 0xd3, 0xe4,
	0xf5, 0x06, 0x17, 0x28, 0x39, 0x4a, 0x5b, 0x6c,
	0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
	0x61, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
};

static void test_vpd83(void **state)
{
	struct vpd83_ids ids;
	uint8_t buf[sizeof(vpd83)];
	(void)state;

	assert_int_equal(vpd83_parse(vpd83, sizeof(vpd83), &ids), PARSE_OK);
	assert_true(ids.has_tpg);
	assert_int_equal(ids.tpg_id, 2);
	assert_true(ids.has_rel_port);
	assert_int_equal(ids.rel_port, 3);
	assert_int_equal(ids.lu_desig_type, 3);	/* NAA wins over T10 */
	assert_int_equal(ids.lu_desig_len, 16);
	assert_int_equal(ids.lu_desig[0], 0x60);

	/* the page cut by our allocation length: what fits still counts */
	assert_int_equal(vpd83_parse(vpd83, 36, &ids), PARSE_BAD_LENGTH);
	assert_int_equal(vpd83_parse(vpd83, 40, &ids), PARSE_OK);
	assert_false(ids.has_tpg);
	assert_true(ids.has_rel_port);

	memcpy(buf, vpd83, sizeof(buf));
	buf[1] = 0x80;
	assert_int_equal(vpd83_parse(buf, sizeof(buf), &ids), PARSE_BAD_FORMAT);
	memcpy(buf, vpd83, sizeof(buf));
	buf[7] = 0xf0;		/* designator longer than the page */
	assert_int_equal(vpd83_parse(buf, sizeof(buf), &ids), PARSE_BAD_LENGTH);
	assert_int_equal(vpd83_parse(vpd83, 2, &ids), PARSE_SHORT);
}

static void test_inquiry(void **state)
{
	uint8_t buf[36] = { 0x00, 0x00, 0x05, 0x02, 31, 0x30, 0, 0x02,
			    'L', 'I', 'O', '-', 'O', 'R', 'G', ' ',
			    'v', 'g', '1', ' ', ' ', ' ', ' ', ' ',
			    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
			    '4', '.', '0', ' ' };
	struct std_inquiry inq;
	(void)state;

	assert_int_equal(inquiry_parse(buf, sizeof(buf), &inq), PARSE_OK);
	assert_int_equal(inq.tpgs, ALUA_TPGS_BOTH);
	assert_string_equal(inq.vendor, "LIO-ORG");
	assert_string_equal(inq.product, "vg1");
	assert_string_equal(inq.revision, "4.0");
	/* short answers still give the TPGS bits, no names */
	assert_int_equal(inquiry_parse(buf, 8, &inq), PARSE_OK);
	assert_int_equal(inq.tpgs, ALUA_TPGS_BOTH);
	assert_string_equal(inq.vendor, "");
	assert_int_equal(inquiry_parse(buf, 5, &inq), PARSE_SHORT);
}

static void judge_fixed(uint8_t key, uint8_t asc, uint8_t ascq,
			struct sense_info *si)
{
	uint8_t s[18] = { 0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq };

	sense_judge(s, sizeof(s), si);
}

static void judge_desc(uint8_t key, uint8_t asc, uint8_t ascq,
		       struct sense_info *si)
{
	uint8_t s[8] = { 0x72, key, asc, ascq, 0, 0, 0, 0 };

	sense_judge(s, sizeof(s), si);
}

static void test_sense_table(void **state)
{
	static const struct {
		uint8_t key, asc, ascq;
		enum sense_verdict v;
	} cases[] = {
		{ 0x2, 0x04, 0x0a, SENSE_TRANSITIONING },
		{ 0x2, 0x04, 0x0b, SENSE_STANDBY },
		{ 0x2, 0x04, 0x0c, SENSE_UNAVAILABLE },
		{ 0x2, 0x04, 0x12, SENSE_OFFLINE },
		{ 0x2, 0x3a, 0x00, SENSE_NOT_READY },
		{ 0x6, 0x2a, 0x06, SENSE_ALUA_CHANGED },
		{ 0x6, 0x29, 0x00, SENSE_RESET },
		{ 0x6, 0x29, 0x07, SENSE_RESET },
		{ 0x6, 0x3f, 0x0e, SENSE_INQUIRY_CHANGED },
		{ 0x6, 0x2a, 0x01, SENSE_UNIT_ATTENTION },
		{ 0x5, 0x20, 0x00, SENSE_UNSUPPORTED },
		{ 0x5, 0x24, 0x00, SENSE_UNSUPPORTED },
		{ 0x5, 0x25, 0x00, SENSE_ILLEGAL_REQUEST },
		{ 0x3, 0x11, 0x00, SENSE_MEDIUM_OR_HW },
		{ 0xb, 0x47, 0x00, SENSE_ABORTED },
		{ 0x1, 0x17, 0x00, SENSE_RECOVERED },
		{ 0x7, 0x27, 0x00, SENSE_OTHER },
	};
	struct sense_info si;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		judge_fixed(cases[i].key, cases[i].asc, cases[i].ascq, &si);
		assert_int_equal(si.verdict, cases[i].v);
		judge_desc(cases[i].key, cases[i].asc, cases[i].ascq, &si);
		assert_int_equal(si.verdict, cases[i].v);
		assert_int_equal(si.asc, cases[i].asc);
		assert_non_null(sense_verdict_name(si.verdict));
	}
	sense_judge(NULL, 0, &si);
	assert_int_equal(si.verdict, SENSE_NONE);
	{
		uint8_t junk[4] = { 0x12, 0x34, 0x56, 0x78 };

		sense_judge(junk, sizeof(junk), &si);
		assert_int_equal(si.verdict, SENSE_NONE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_rtpg_extended),
		cmocka_unit_test(test_rtpg_length_only),
		cmocka_unit_test(test_rtpg_every_state),
		cmocka_unit_test(test_rtpg_reserved_state),
		cmocka_unit_test(test_rtpg_truncated_by_alloc),
		cmocka_unit_test(test_rtpg_contradicting_lengths),
		cmocka_unit_test(test_rtpg_short_and_empty),
		cmocka_unit_test(test_rtpg_lio_short_extended),
		cmocka_unit_test(test_rtpg_too_many_groups),
		cmocka_unit_test(test_rtpg_many_ports_listed),
		cmocka_unit_test(test_vpd83),
		cmocka_unit_test(test_inquiry),
		cmocka_unit_test(test_sense_table),
	};

	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
