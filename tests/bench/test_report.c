/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark report: record parsing, statistics, tables and SVG. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bench_records.h"
#include "summary.h"

static void test_parse(void **state)
{
	struct bench_record r;
	char err[128];
	(void)state;

	assert_int_equal(bench_record_parse(
		"{\"scenario\":\"s\",\"config\":\"stock\",\"rep\":2,"
		"\"stall_ms\":12.5,\"detect_ms\":null,\"io_errors\":1,"
		"\"mismatches\":0}", &r, err, sizeof(err)), 0);
	assert_string_equal(r.scenario, "s");
	assert_int_equal(r.rep, 2);
	assert_true(r.has[BM_STALL]);
	assert_true(fabs(r.ms[BM_STALL] - 12.5) < 1e-9);
	assert_false(r.has[BM_DETECT]);	/* null is "not reached", not 0 */
	assert_false(r.has[BM_SWITCH]);
	assert_int_equal(r.io_errors, 1);

	assert_int_equal(bench_record_parse("[1,2]", &r, err, sizeof(err)), -1);
	assert_string_equal(err, "not a JSON object");
	assert_int_equal(bench_record_parse("{\"config\":\"stock\"}", &r, err,
					    sizeof(err)), -1);
	assert_string_equal(err, "missing \"scenario\"");
	assert_int_equal(bench_record_parse(
		"{\"scenario\":\"s\",\"config\":\"c\",\"rep\":1,"
		"\"stall_ms\":\"fast\",\"io_errors\":0,\"mismatches\":0}",
		&r, err, sizeof(err)), -1);
	assert_string_equal(err, "\"stall_ms\" must be a number or null");
	assert_int_equal(bench_record_parse(
		"{\"scenario\":\"s\",\"config\":\"c\",\"rep\":1,"
		"\"io_errors\":-1,\"mismatches\":0}", &r, err, sizeof(err)), -1);
	assert_int_equal(bench_record_parse(
		"{\"scenario\":\"s\",\"config\":\"c\",\"rep\":1,"
		"\"mismatches\":0}", &r, err, sizeof(err)), -1);
}

static void test_percentile(void **state)
{
	const double v[] = { 1, 2, 3, 4 };
	(void)state;

	assert_true(fabs(bench_percentile(v, 4, 50) - 2.5) < 1e-9);
	assert_true(fabs(bench_percentile(v, 4, 100) - 4) < 1e-9);
	assert_true(fabs(bench_percentile(v, 4, 0) - 1) < 1e-9);
	assert_true(fabs(bench_percentile(v, 1, 95) - 1) < 1e-9);
	assert_true(isnan(bench_percentile(v, 0, 50)));
}

static size_t load_fixture(struct bench_record *recs, size_t cap)
{
	FILE *f = fopen(BENCH_FIXTURES "/records.jsonl", "r");
	char line[1024], err[128];
	size_t n = 0;

	assert_non_null(f);
	while (n < cap && fgets(line, sizeof(line), f)) {
		assert_int_equal(bench_record_parse(line, &recs[n], err,
						    sizeof(err)), 0);
		n++;
	}
	fclose(f);
	return n;
}

static void test_summary(void **state)
{
	static struct bench_record recs[16];
	static struct bench_summary s;
	const struct bench_cell *st, *pw;
	size_t n = load_fixture(recs, 16);
	(void)state;

	assert_int_equal(n, 8);
	assert_int_equal(bench_summarise(recs, n, &s), 0);
	assert_int_equal(s.n_cells, 4);
	st = bench_find(&s, "switchover", "stock");
	pw = bench_find(&s, "switchover", "pathwarden");
	assert_non_null(st);
	assert_non_null(pw);
	assert_int_equal(st->reps, 3);
	assert_true(fabs(st->p50[BM_SWITCH] - 11900) < 1e-9);
	assert_true(fabs(st->max[BM_SWITCH] - 18000) < 1e-9);
	assert_true(fabs(st->p50[BM_STALL] - 200) < 1e-9);
	/* one repetition never switched: counted apart, not as 0 */
	assert_int_equal(pw->n[BM_SWITCH], 2);
	assert_true(fabs(pw->p50[BM_SWITCH] - 650) < 1e-9);
	assert_int_equal(pw->n[BM_FAILBACK], 0);
	assert_int_equal(bench_find(&s, "link-loss", "pathwarden")->mismatches, 1);
	assert_null(bench_find(&s, "nosuch", "stock"));
}

static char *render(void (*fn)(FILE *, const struct bench_summary *),
		    const struct bench_summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, s);
	fclose(f);
	return buf;
}

static void test_tables(void **state)
{
	static struct bench_record recs[16];
	static struct bench_summary s;
	size_t n = load_fixture(recs, 16);
	char *txt, *md;
	(void)state;

	bench_summarise(recs, n, &s);
	md = render(bench_print_markdown, &s);
	txt = render(bench_print_text, &s);
	assert_non_null(strstr(md, "### switchover"));
	/* 650 / 11900 = 0.05, 18.3x faster */
	assert_non_null(strstr(md, "0.05 (18.3x)"));
	assert_non_null(strstr(md, "0.65 s (2/3)"));
	assert_non_null(strstr(txt, "link-loss"));
	assert_non_null(strstr(txt, "15.40 s"));
	free(md);
	free(txt);
}

static void test_svg(void **state)
{
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *p;
	int circles = 0;
	(void)state;

	assert_int_equal(bench_svg(f, "switch<over>",
				   BENCH_FIXTURES "/timelines/switchover-stock-1.json",
				   BENCH_FIXTURES "/timelines/switchover-pw-1.json",
				   err, sizeof(err)), 0);
	fclose(f);
	assert_true(strncmp(buf, "<svg ", 5) == 0);
	assert_non_null(strstr(buf, "</svg>\n"));
	assert_non_null(strstr(buf, "switch&lt;over&gt;"));	/* escaped */
	assert_non_null(strstr(buf, "ALUA change &lt;tpg 1&gt;"));
	assert_non_null(strstr(buf, "fill='#d00'"));		/* the failed I/O */
	for (p = buf; (p = strstr(p, "<circle")); p++)
		circles++;
	assert_int_equal(circles, 6 + 3);
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(bench_svg(f, "x", "/nonexistent.json", NULL, err,
				   sizeof(err)), -1);
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_svg),
	};

	return cmocka_run_group_tests_name("bench-report", tests, NULL, NULL);
}
