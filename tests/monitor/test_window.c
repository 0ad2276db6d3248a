// SPDX-License-Identifier: GPL-2.0-or-later
/* Failover windows on replayed sequences with exact times (no clock is
 * read), and their JSON-lines records. */
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
#include <json-c/json.h>

#include "failover_window.h"
#include "record_file.h"

#define MS 1000000ull

struct sink {
	unsigned int n;
	struct fw_record last;
};

static void emit(void *arg, const struct fw_record *r)
{
	struct sink *s = arg;

	s->n++;
	s->last = *r;
}

/* A prober issuing every 25 ms with 1 ms latency from @from to @to. */
static void healthy(struct fw_tracker *t, uint64_t from, uint64_t to)
{
	for (uint64_t x = from; x < to; x += 25 * MS) {
		fw_tick(t, x, 0);
		fw_io_done(t, x, x + 1 * MS, true);
	}
}

static void test_no_stall(void **state)
{
	struct fw_tracker t;
	struct sink s = { 0 };

	(void)state;
	fw_init(&t, 250 * MS, emit, &s);
	healthy(&t, 0, 10000 * MS);
	fw_event(&t, 500 * MS, FW_EV_ALUA_CHANGE, "sdc");
	healthy(&t, 10000 * MS, 20000 * MS);
	assert_int_equal(s.n, 0);
	assert_int_equal(t.state, FW_IDLE);
}

/* Silent loss of the active node: one read hangs for 2 s. */
static void test_link_loss(void **state)
{
	struct fw_tracker t;
	struct sink s = { 0 };
	uint64_t stuck = 1000 * MS;

	(void)state;
	fw_init(&t, 250 * MS, emit, &s);
	healthy(&t, 0, stuck);
	/* The prober keeps issuing; everything queues behind the lost
	 * path, the oldest in flight is the one issued at 1.0 s. */
	for (uint64_t x = stuck; x < 3050 * MS; x += 25 * MS) {
		fw_tick(&t, x, stuck);
		if (x == 1500 * MS)
			fw_event(&t, x, FW_EV_PORTAL_DOWN, "192.168.122.99:3260");
		if (x == 3000 * MS) {
			fw_event(&t, x, FW_EV_PATH_FAILED, "sda");
			fw_event(&t, x + 10 * MS, FW_EV_GROUP_SWITCHED, "2");
		}
	}
	assert_int_equal(t.state, FW_STALLED);
	assert_int_equal(t.cur.start_ns, stuck);
	/* All queued reads complete on the new group at 3.05 s. */
	for (uint64_t x = stuck; x < 3050 * MS; x += 25 * MS)
		fw_io_done(&t, x, 3050 * MS, true);
	assert_int_equal(t.state, FW_CLOSING);
	assert_int_equal(s.n, 0);
	/* Late event inside the tail still belongs to it. */
	fw_event(&t, 3200 * MS, FW_EV_PATH_REINSTATED, "sdc");
	healthy(&t, 3075 * MS, 5000 * MS);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.last.start_ns, stuck);
	assert_int_equal(s.last.end_ns, 3050 * MS);
	assert_true(s.last.has_detect);
	assert_int_equal(s.last.detect_ns, 500 * MS);
	assert_true(s.last.has_switch);
	assert_int_equal(s.last.switch_ns, 2010 * MS);
	assert_int_equal(s.last.io_errors, 0);
	/* 82 reads issued 1.000-3.025 s; those older than 250 ms stalled */
	assert_int_equal(s.last.ios_stalled, 72);
	assert_int_equal(s.last.n_events, 4);
	assert_int_equal(s.last.events[3].kind, FW_EV_PATH_REINSTATED);
}

/* The ALUA change came before the stalled read was issued: detection
 * is negative, and old events (>2 s before) are not attached. */
static void test_detect_before(void **state)
{
	struct fw_tracker t;
	struct sink s = { 0 };

	(void)state;
	fw_init(&t, 250 * MS, emit, &s);
	fw_event(&t, 100 * MS, FW_EV_SESSION_STATE, "old, unrelated");
	healthy(&t, 0, 3000 * MS);
	fw_event(&t, 2900 * MS, FW_EV_ALUA_CHANGE, "sda standby");
	fw_tick(&t, 3300 * MS, 3000 * MS);
	assert_int_equal(t.state, FW_STALLED);
	fw_io_done(&t, 3000 * MS, 3400 * MS, true);
	fw_tick(&t, 4500 * MS, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.last.n_events, 1);
	assert_true(s.last.has_detect);
	assert_int_equal(s.last.detect_ns, -(int64_t)(100 * MS));
	assert_false(s.last.has_switch);
	assert_int_equal(s.last.end_ns - s.last.start_ns, 400 * MS);
}

/* A stall shorter than the tick period is still caught from its
 * completion, and a failed read opens a window too. */
static void test_between_ticks_and_errors(void **state)
{
	struct fw_tracker t;
	struct sink s = { 0 };

	(void)state;
	fw_init(&t, 250 * MS, emit, &s);
	fw_io_done(&t, 1000 * MS, 1400 * MS, true);
	assert_int_equal(t.state, FW_CLOSING);
	fw_tick(&t, 2401 * MS, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.last.start_ns, 1000 * MS);
	assert_int_equal(s.last.end_ns, 1400 * MS);
	assert_int_equal(s.last.ios_stalled, 1);

	/* Failed reads are no completion: one window until a read works,
	 * not one record per error. */
	for (uint64_t x = 5000 * MS; x < 6000 * MS; x += 25 * MS)
		fw_io_done(&t, x, x + 1 * MS, false);
	fw_tick(&t, 6500 * MS, 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(t.state, FW_STALLED);
	fw_io_done(&t, 6000 * MS, 6001 * MS, true);
	fw_tick(&t, 7002 * MS, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.last.start_ns, 5000 * MS);
	assert_int_equal(s.last.end_ns, 6001 * MS);
	assert_int_equal(s.last.io_errors, 40);
	assert_int_equal(s.last.ios_stalled, 0);
}

/* A second stall after the first window's tail is a second window; one
 * right after the end but before the tail too, once the tail passes. */
static void test_two_windows(void **state)
{
	struct fw_tracker t;
	struct sink s = { 0 };

	(void)state;
	fw_init(&t, 250 * MS, emit, &s);
	fw_tick(&t, 1300 * MS, 1000 * MS);
	fw_io_done(&t, 1000 * MS, 1500 * MS, true);
	/* new stall issued after the end, within the tail */
	fw_io_done(&t, 1600 * MS, 2000 * MS, true);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.last.end_ns, 1500 * MS);
	assert_int_equal(t.state, FW_CLOSING);
	assert_int_equal(t.cur.start_ns, 1600 * MS);
	fw_tick(&t, 3001 * MS, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(t.windows, 2);
}

static void test_deadlines(void **state)
{
	struct fw_tracker t;

	(void)state;
	fw_init(&t, 250 * MS, NULL, NULL);
	assert_true(fw_next_deadline(&t, 0) == UINT64_MAX);
	assert_int_equal(fw_next_deadline(&t, 1000 * MS), 1250 * MS + 1);
	fw_io_done(&t, 1000 * MS, 1400 * MS, true);
	assert_int_equal(fw_next_deadline(&t, 0), 2400 * MS);
	/* an event long after the tail closes the window and starts the
	 * history of the next one */
	fw_event(&t, 9000 * MS, FW_EV_PORTAL_UP, "x");
	assert_int_equal(t.state, FW_IDLE);
	assert_int_equal(t.windows, 1);
	assert_int_equal(t.n_recent, 1);
}

static void test_record_json(void **state)
{
	struct fw_record r = { 0 };
	json_object *o, *v, *ev;
	char *line;

	(void)state;
	r.start_ns = 5000 * MS;
	r.end_ns = 5000 * MS + 812345678ull;
	r.has_detect = true;
	r.detect_ns = -3100000;
	r.has_switch = true;
	r.switch_ns = 5200000;
	r.ios_stalled = 3;
	r.n_events = 2;
	r.events[0] = (struct fw_event){ 5000 * MS - 3100000,
					 FW_EV_ALUA_CHANGE, "sdc \"AO\"" };
	r.events[1] = (struct fw_event){ 5000 * MS + 5200000,
					 FW_EV_SWITCH_REQUESTED, "group 2" };
	line = records_format_failover("mpatha", &r, 1764115200000000000ll);
	assert_non_null(line);
	assert_int_equal(line[strlen(line) - 1], '\n');
	assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
	o = json_tokener_parse(line);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "resume_ms", &v));
	assert_true(json_object_get_double(v) > 812.3455 && json_object_get_double(v) < 812.3465);
	assert_non_null(strstr(line, "\"resume_ms\":812.346,"));
	assert_non_null(strstr(line, "\"detect_ms\":-3.100,"));
	assert_non_null(strstr(line, "\"switch_ms\":5.200,"));
	assert_non_null(strstr(line, "\"start\":\"2025-11-26T00:00:05.000000Z\""));
	assert_true(json_object_object_get_ex(o, "events", &ev));
	assert_int_equal(json_object_array_length(ev), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(
			    json_object_array_get_idx(ev, 0), "detail")),
			    "sdc \"AO\"");
	json_object_put(o);
	free(line);

	r.has_switch = false;
	line = records_format_failover("m", &r, 0);
	assert_non_null(strstr(line, "\"switch_ms\":null"));
	free(line);
}

static void test_records_file(void **state)
{
	char dir[] = "/tmp/pw-records-XXXXXX", path[64], buf[4096];
	struct records rec;
	struct fw_record r = { .start_ns = 1, .end_ns = 2 };
	FILE *f;
	int lines = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.jsonl", dir);
	assert_int_equal(records_open(&rec, path), 0);
	assert_int_equal(records_write_failover(&rec, "a", &r), 0);
	assert_int_equal(records_write_switch(&rec, "a", 10 * MS, 12 * MS,
					      300 * MS, 2, "confirmed"), 0);
	records_close(&rec);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		json_object *o = json_tokener_parse(buf);

		assert_non_null(o);
		lines++;
		if (lines == 2) {
			assert_non_null(strstr(buf, "\"requested_ms\":2.000"));
			assert_non_null(strstr(buf, "\"confirmed_ms\":290.000"));
		}
		json_object_put(o);
	}
	fclose(f);
	assert_int_equal(lines, 2);
	unlink(path);
	assert_int_equal(records_open(&rec, "/nonexistent/dir/r.jsonl"),
			 -ENOENT);
	/* one missing level is created (the state directory) */
	snprintf(path, sizeof(path), "%s/state/r.jsonl", dir);
	assert_int_equal(records_open(&rec, path), 0);
	records_close(&rec);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_stall),
		cmocka_unit_test(test_link_loss),
		cmocka_unit_test(test_detect_before),
		cmocka_unit_test(test_between_ticks_and_errors),
		cmocka_unit_test(test_two_windows),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_record_json),
		cmocka_unit_test(test_records_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
