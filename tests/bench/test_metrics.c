/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's metrics from synthetic I/O and dm observation sequences
 * with exact times (no thread, no clock), and what the runner writes:
 * records read back by bench_record_parse(), timelines by bench_svg().
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "io_block.h"
#include "metrics.h"
#include "bench_records.h"
#include "summary.h"
#include "timeline.h"

#define MS(x) ((int64_t)((x) * 1000000.0))
#define HOME 0
#define PEER 1

static const char *const nodes[] = { "hpms01", "hpms02" };

/* One repetition under construction. */
struct seq {
	struct bench_io io[4096];
	size_t n_io;
	struct bench_obs obs[32];
	size_t n_obs;
	struct bench_obs cur;		/* what dm shows now */
};

static struct seq S;

static void seq_start(void)
{
	static const struct { const char *devt, *sd; int node; } paths[] = {
		{ "8:16", "sda", HOME }, { "8:32", "sdb", HOME },
		{ "8:48", "sdc", PEER }, { "8:64", "sdd", PEER },
	};

	memset(&S, 0, sizeof(S));
	S.cur.n_paths = 4;
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(S.cur.paths[i].devt, sizeof(S.cur.paths[i].devt), "%s",
			 paths[i].devt);
		snprintf(S.cur.paths[i].sd, sizeof(S.cur.paths[i].sd), "%s",
			 paths[i].sd);
		S.cur.paths[i].node = paths[i].node;
		S.cur.paths[i].active = true;
	}
}

/* dm at @t_ms: next group @dm_group carrying @group's paths; the home
 * paths active or not. */
static void seq_obs(double t_ms, int group, unsigned int dm_group,
		    bool home_active)
{
	S.cur.t_ns = MS(t_ms);
	S.cur.group = group;
	S.cur.dm_group = dm_group;
	for (unsigned int i = 0; i < S.cur.n_paths; i++) {
		if (S.cur.paths[i].node == HOME)
			S.cur.paths[i].active = home_active;
		S.cur.paths[i].in_next = S.cur.paths[i].node == group;
	}
	S.obs[S.n_obs++] = S.cur;
}

static void seq_io(double start_ms, double lat_ms, enum bench_io_result res)
{
	struct bench_io *io = &S.io[S.n_io++];

	io->start_ns = MS(start_ms);
	io->end_ns = MS(start_ms + lat_ms);
	io->op = S.n_io % 2 ? BIO_WRITE : BIO_READ;
	io->block = S.n_io / 2;
	io->result = res;
}

/* A steady load of 1 ms I/Os every 10 ms in [from, to). */
static void seq_load(double from_ms, double to_ms)
{
	for (double t = from_ms; t < to_ms; t += 10)
		seq_io(t, 1, BIO_OK);
}

static struct bench_trace seq_trace(void)
{
	return (struct bench_trace){ .io = S.io, .n_io = S.n_io,
				     .obs = S.obs, .n_obs = S.n_obs };
}

static void assert_ms(const struct bench_record *r, enum bench_metric m,
		      double want)
{
	if (!r->has[m])
		fail_msg("%s is null, want %.3f", bench_metric_name(m), want);
	if (fabs(r->ms[m] - want) > 1e-6)
		fail_msg("%s is %.3f, want %.3f", bench_metric_name(m),
			 r->ms[m], want);
}

/*
 * A silent loss of hpms01's links: the I/O issued at the fault hangs until
 * dm fails the paths and requeues it on hpms02 (3 s); dm shows the failed
 * paths at 2.5 s and the new group at the next poll.  Restored at 5 s, the
 * paths come back at 5.4 s and I/O moves home at 6 s.
 */
static void build_link_loss(struct bench_marks *m)
{
	seq_start();
	seq_obs(0, HOME, 1, true);
	seq_load(0, 1000);
	seq_io(1000, 2000, BIO_OK);		/* the stalled one */
	seq_obs(2500, BENCH_GROUP_NONE, 1, false);
	seq_obs(3020, PEER, 2, false);
	seq_load(3000, 7000);
	seq_obs(5400, PEER, 2, true);
	seq_obs(6000, HOME, 1, true);
	*m = (struct bench_marks){ .kind = BENCH_KIND_SWITCH, .home = HOME,
				   .peer = PEER, .t0_ns = MS(1000),
				   .restore_ns = MS(5000), .end_ns = MS(7000) };
}

/* build_link_loss's times, from the fault and the restore */
static void assert_link_loss_times(const struct bench_record *r)
{
	/* last completion before the stall at 991, next at 3000 */
	assert_ms(r, BM_STALL, 2009);
	assert_ms(r, BM_RESUME, 2000);
	assert_ms(r, BM_DETECT, 1500);
	/* the stalled I/O completed before the observer saw the switch:
	 * the first completion seen on hpms02's group is at 3021 */
	assert_ms(r, BM_SWITCH, 2021);
	assert_ms(r, BM_FAILBACK, 1001);
}

static void test_switch_metrics(void **state)
{
	struct bench_marks m;
	struct bench_trace t;
	struct bench_record r;
	int64_t when;
	(void)state;

	build_link_loss(&m);
	t = seq_trace();
	bench_metrics(&t, &m, &r);
	assert_link_loss_times(&r);
	assert_int_equal(r.io_errors, 0);
	assert_int_equal(r.mismatches, 0);

	assert_true(bench_effect_at(&t, &m, &when));
	assert_int_equal(when, MS(3021));
	/* before the restore the failback cannot have happened */
	m.restore_ns = BENCH_NOT_YET;
	assert_false(bench_failback_at(&t, &m, &when));
}

/*
 * The same link loss with hooks that said when their changes took effect:
 * the fault 800 ms after the inject hook's start, the restore 300 ms after
 * the restore hook's.  Times count from those moments; a change between a
 * hook's start and its moment is not the fault's detection.
 */
static void test_hook_moments(void **state)
{
	struct bench_marks m;
	struct bench_trace t;
	struct bench_record r;
	(void)state;

	build_link_loss(&m);
	m.t0_ns = MS(200);
	m.fault_ns = MS(1000);
	m.restore_ns = MS(4700);
	m.back_ns = MS(5000);
	t = seq_trace();
	bench_metrics(&t, &m, &r);
	assert_link_loss_times(&r);
	assert_ms(&r, BM_FAULT, 800);
	assert_ms(&r, BM_BACK, 300);

	/* the paths failing before the moment the hook gave: detection is
	 * the next change after it, the switch counts (negative) from it */
	m.fault_ns = MS(2800);
	bench_metrics(&t, &m, &r);
	assert_ms(&r, BM_DETECT, 220);
	assert_ms(&r, BM_SWITCH, 221);
	m.fault_ns = MS(3100);
	bench_metrics(&t, &m, &r);
	assert_ms(&r, BM_SWITCH, -79);
	assert_false(r.has[BM_DETECT]);

	/* hooks that said nothing: no fault_ms, no back_ms */
	m.fault_ns = m.back_ns = 0;
	bench_metrics(&t, &m, &r);
	assert_false(r.has[BM_FAULT]);
	assert_false(r.has[BM_BACK]);
	assert_ms(&r, BM_DETECT, 2300);
}

static void test_baseline(void **state)
{
	struct bench_marks m;
	struct bench_trace t;
	(void)state;

	build_link_loss(&m);
	t = seq_trace();
	assert_true(bench_obs_baseline(bench_state_at(&t, MS(999)), HOME));
	assert_false(bench_obs_baseline(bench_state_at(&t, MS(999)), PEER));
	assert_false(bench_obs_baseline(bench_state_at(&t, MS(2600)), HOME));
	/* paths back but I/O still on hpms02: not yet */
	assert_false(bench_obs_baseline(bench_state_at(&t, MS(5500)), HOME));
	assert_true(bench_obs_baseline(bench_state_at(&t, MS(6000)), HOME));
	assert_null(bench_state_at(&t, MS(-1)));
	assert_false(bench_obs_baseline(NULL, HOME));
}

/* A home path fails: I/O stays on hpms01's group; no switch to report. */
static void test_path_kind(void **state)
{
	struct bench_marks m = { .kind = BENCH_KIND_PATH, .home = HOME,
				 .peer = PEER, .t0_ns = MS(1000),
				 .restore_ns = MS(3000), .end_ns = MS(5000) };
	struct bench_trace t;
	struct bench_record r;
	int64_t when;
	(void)state;

	seq_start();
	seq_obs(0, HOME, 1, true);
	seq_load(0, 1000);
	seq_io(1000, 300, BIO_OK);	/* retried on the other home path */
	S.cur.t_ns = MS(1200);
	S.cur.paths[0].active = false;
	S.obs[S.n_obs++] = S.cur;
	seq_load(1300, 5000);
	S.cur.t_ns = MS(3300);
	S.cur.paths[0].active = true;
	S.obs[S.n_obs++] = S.cur;
	t = seq_trace();

	bench_metrics(&t, &m, &r);
	assert_ms(&r, BM_DETECT, 200);
	assert_ms(&r, BM_STALL, 309);
	assert_ms(&r, BM_RESUME, 300);
	assert_false(r.has[BM_SWITCH]);
	assert_ms(&r, BM_FAILBACK, 301);
	assert_true(bench_effect_at(&t, &m, &when));
	assert_int_equal(when, MS(1300));

	/* The same trace judged as a switch scenario: I/O never reached
	 * hpms02, so there is no switch time, and it is null, not 0. */
	m.kind = BENCH_KIND_SWITCH;
	bench_metrics(&t, &m, &r);
	assert_false(r.has[BM_SWITCH]);
	assert_false(bench_effect_at(&t, &m, &when));
}

/*
 * A fault behind the target (the replication link breaks): the hook marks
 * the break at 1.2 s; the I/O issued then is held 5 s (DRBD freezes I/O
 * until its fence-peer handler returns) and completes on home; the peer's
 * paths fail at 4 s (its target stopped) and return after the restore.
 * Completions between the hook's start and its mark prove nothing.
 */
static void test_stay_kind(void **state)
{
	struct bench_marks m = { .kind = BENCH_KIND_STAY, .home = HOME,
				 .peer = PEER, .t0_ns = MS(1000),
				 .fault_ns = MS(1200), .restore_ns = MS(8000),
				 .end_ns = MS(10000) };
	struct bench_trace t;
	struct bench_record r;
	int64_t when;
	(void)state;

	seq_start();
	seq_obs(0, HOME, 1, true);
	seq_load(0, 1200);
	seq_io(1200, 5000, BIO_OK);	/* held by the frozen node */
	S.cur.t_ns = MS(4000);
	S.cur.paths[2].active = false;
	S.cur.paths[3].active = false;
	S.obs[S.n_obs++] = S.cur;
	seq_load(6200, 10000);
	S.cur.t_ns = MS(9000);
	S.cur.paths[2].active = true;
	S.cur.paths[3].active = true;
	S.obs[S.n_obs++] = S.cur;
	t = seq_trace();

	assert_true(bench_effect_at(&t, &m, &when));
	assert_int_equal(when, MS(6200));
	bench_metrics(&t, &m, &r);
	assert_ms(&r, BM_STALL, 5009);
	assert_ms(&r, BM_RESUME, 5000);
	assert_ms(&r, BM_DETECT, 2800);		/* the peer's paths */
	assert_false(r.has[BM_SWITCH]);
	assert_ms(&r, BM_FAULT, 200);
	/* I/O never left home: no failback to report, though every path
	 * is active again 1.001 s after the restore */
	assert_false(r.has[BM_FAILBACK]);
	assert_string_equal(bench_kind_name(m.kind), "stay");

	/* A home path failed meanwhile: I/O did not ride it out whole. */
	S.obs[1].paths[0].active = false;
	S.obs[2].paths[0].active = false;
	assert_false(bench_effect_at(&t, &m, &when));

	/* Judged as a path scenario, that failure is its effect. */
	m.kind = BENCH_KIND_PATH;
	assert_true(bench_effect_at(&t, &m, &when));
	assert_int_equal(when, MS(6200));
}

/* Nothing happens: the fault was never seen and I/O never stalled. */
static void test_nothing_seen(void **state)
{
	struct bench_marks m = { .kind = BENCH_KIND_SWITCH, .home = HOME,
				 .peer = PEER, .t0_ns = MS(1000),
				 .restore_ns = MS(2000), .end_ns = MS(3000) };
	struct bench_trace t;
	struct bench_record r;
	(void)state;

	seq_start();
	seq_obs(0, HOME, 1, true);
	seq_load(0, 3000);
	/* a change before the fault is not its detection */
	S.cur.t_ns = MS(500);
	S.cur.paths[2].active = false;
	S.obs[S.n_obs++] = S.cur;
	S.cur.t_ns = MS(600);
	S.cur.paths[2].active = true;
	S.obs[S.n_obs++] = S.cur;
	t = seq_trace();
	bench_metrics(&t, &m, &r);
	assert_false(r.has[BM_DETECT]);
	assert_false(r.has[BM_SWITCH]);
	assert_ms(&r, BM_STALL, 10);	/* the load's own period */
	assert_true(r.has[BM_FAILBACK]);
}

/* I/O never came back before the recording stopped: no stall length,
 * no resume; failed I/Os are counted and are not completions. */
static void test_never_resumed(void **state)
{
	struct bench_marks m = { .kind = BENCH_KIND_SWITCH, .home = HOME,
				 .peer = PEER, .t0_ns = MS(1000),
				 .restore_ns = MS(3000), .end_ns = MS(8000) };
	struct bench_trace t;
	struct bench_record r;
	(void)state;

	seq_start();
	seq_obs(0, HOME, 1, true);
	seq_load(0, 1000);
	seq_io(1000, 500, BIO_ERROR);
	seq_io(1500, 500, BIO_ERROR);
	seq_io(2000, 20, BIO_MISMATCH);	/* came back: a completion */
	seq_io(2020, 6000, BIO_ERROR);
	seq_obs(1200, BENCH_GROUP_NONE, 1, false);
	t = seq_trace();
	bench_metrics(&t, &m, &r);
	assert_int_equal(r.io_errors, 3);
	assert_int_equal(r.mismatches, 1);
	assert_false(r.has[BM_STALL]);
	assert_false(r.has[BM_RESUME]);
	assert_ms(&r, BM_DETECT, 200);
	assert_false(r.has[BM_FAILBACK]);

	/* the same, but the recording stopped right after: the closed gap
	 * to the mismatching read is the largest one seen */
	m.end_ns = MS(2030);
	bench_metrics(&t, &m, &r);
	assert_ms(&r, BM_STALL, 1029);
}

static void test_changes_and_labels(void **state)
{
	struct bench_obs a, b;
	struct bench_event ev[2 * BENCH_OBS_PATHS + 1];
	char label[96];
	size_t n;
	(void)state;

	seq_start();
	seq_obs(0, HOME, 1, true);
	a = S.cur;
	seq_obs(100, PEER, 2, false);
	b = S.cur;
	b.n_paths = 3;			/* sdd left the map */
	n = bench_obs_changes(&a, &b, ev, sizeof(ev) / sizeof(ev[0]));
	assert_int_equal(n, 4);
	assert_int_equal(ev[0].kind, BEV_PATH_FAILED);
	bench_event_label(&ev[0], nodes, label, sizeof(label));
	assert_string_equal(label, "sda failed (hpms01)");
	assert_int_equal(ev[2].kind, BEV_PATH_GONE);
	bench_event_label(&ev[2], nodes, label, sizeof(label));
	assert_string_equal(label, "sdd left the map (hpms02)");
	assert_int_equal(ev[3].kind, BEV_GROUP_SWITCHED);
	bench_event_label(&ev[3], nodes, label, sizeof(label));
	assert_string_equal(label, "I/O to hpms02 (group 2)");
	n = bench_obs_changes(&b, &a, ev, sizeof(ev) / sizeof(ev[0]));
	assert_int_equal(ev[0].kind, BEV_PATH_REINSTATED);
	assert_int_equal(ev[2].kind, BEV_PATH_ADDED);
	/* a disk sysfs does not know is named by its devt */
	a.paths[1].sd[0] = '\0';
	a.paths[1].node = BENCH_NODE_UNKNOWN;
	n = bench_obs_changes(&b, &a, ev, 1);
	assert_int_equal(n, 1);
	ev[0].path = &a.paths[1];
	bench_event_label(&ev[0], nodes, label, sizeof(label));
	assert_string_equal(label, "8:32 reinstated (unknown)");
	assert_string_equal(bench_group_name(BENCH_GROUP_MIXED, nodes), "mixed");
	assert_string_equal(bench_group_name(BENCH_GROUP_NONE, nodes), "none");
}

/* Every record the runner writes reads back as it was, nulls included. */
static void test_record_round_trip(void **state)
{
	struct bench_record w = { .scenario = "link-loss",
				  .config = "pathwarden", .rep = 3,
				  .io_errors = 2, .mismatches = 1,
				  .timeline = "timelines/link-loss-pathwarden-3.json" };
	struct bench_record r;
	char *buf = NULL, err[128];
	size_t len;
	FILE *f;
	(void)state;

	w.has[BM_STALL] = true;
	w.ms[BM_STALL] = 2009.125;
	w.has[BM_DETECT] = true;
	w.ms[BM_DETECT] = 0;		/* a real zero stays a zero */
	w.has[BM_FAILBACK] = true;
	w.ms[BM_FAILBACK] = 1001.5;
	for (int pass = 0; pass < 2; pass++) {
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		assert_int_equal(bench_record_write(f, &w), 0);
		fclose(f);
		assert_non_null(strchr(buf, '\n'));
		assert_ptr_equal(strchr(buf, '\n'), buf + len - 1);
		assert_int_equal(bench_record_parse(buf, &r, err, sizeof(err)), 0);
		assert_string_equal(r.scenario, w.scenario);
		assert_string_equal(r.config, w.config);
		assert_string_equal(r.timeline, w.timeline);
		assert_int_equal(r.rep, w.rep);
		assert_int_equal(r.io_errors, w.io_errors);
		assert_int_equal(r.mismatches, w.mismatches);
		for (int m = 0; m < BM_N; m++) {
			assert_int_equal(r.has[m], w.has[m]);
			if (w.has[m])
				assert_true(fabs(r.ms[m] - w.ms[m]) < 1e-3);
		}
		free(buf);
		buf = NULL;
		/* second pass: awkward characters and no timeline */
		snprintf(w.scenario, sizeof(w.scenario), "a\"b\\c\td");
		w.timeline[0] = '\0';
	}
}

static void test_timeline(void **state)
{
	struct bench_marks m;
	struct bench_trace t;
	json_object *o, *a, *e;
	char path[] = "/tmp/pw-timeline-XXXXXX", err[128];
	FILE *f;
	int fd;
	bool saw_failed = false, saw_restore = false;
	(void)state;

	build_link_loss(&m);
	t = seq_trace();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(bench_timeline_write(f, &t, &m, nodes, MS(500)), 0);
	fclose(f);

	o = json_object_from_file(path);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "io", &a));
	/* I/Os issued from 0.5 s on: 50 before the fault, the stalled
	 * one, 400 after */
	assert_int_equal(json_object_array_length(a), 451);
	e = json_object_array_get_idx(a, 50);
	assert_true(fabs(json_object_get_double(json_object_array_get_idx(e, 0))) < 1e-9);
	assert_true(fabs(json_object_get_double(json_object_array_get_idx(e, 1)) - 2000) < 1e-6);
	assert_true(json_object_object_get_ex(o, "groups", &a));
	assert_int_equal(json_object_array_length(a), 4);	/* 01 none 02 01 */
	e = json_object_array_get_idx(a, 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(e, 1)),
			    "hpms02");
	assert_true(json_object_object_get_ex(o, "events", &a));
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const char *l = json_object_get_string(
			json_object_array_get_idx(json_object_array_get_idx(a, i), 1));

		saw_failed |= !strcmp(l, "sda failed (hpms01)");
		saw_restore |= !strcmp(l, "restore");
	}
	assert_true(saw_failed);
	assert_true(saw_restore);
	json_object_put(o);

	/* and the report draws it */
	f = fopen("/dev/null", "w");
	assert_int_equal(bench_svg(f, "link-loss", path, path, err, sizeof(err)), 0);
	fclose(f);
	unlink(path);
}

/* The load's blocks: what was written reads back as a pass, a stale,
 * misplaced or damaged block as a mismatch saying what it holds. */
static void test_io_block(void **state)
{
	static uint64_t buf[IO_BLOCK_SIZE / 8];
	struct io_block_found got;
	(void)state;

	io_block_fill(buf, 7, 42);
	assert_true(io_block_verify(buf, 7, 42, &got));
	assert_false(io_block_verify(buf, 7, 43, &got));	/* stale */
	assert_true(got.magic_ok);
	assert_int_equal(got.block, 7);
	assert_int_equal(got.seq, 42);
	assert_false(io_block_verify(buf, 8, 42, NULL));	/* misplaced */
	buf[IO_BLOCK_SIZE / 8 - 1] ^= 1;			/* torn */
	assert_false(io_block_verify(buf, 7, 42, &got));
	memset(buf, 0, sizeof(buf));				/* never written */
	assert_false(io_block_verify(buf, 7, 42, &got));
	assert_false(got.magic_ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch_metrics),
		cmocka_unit_test(test_hook_moments),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_path_kind),
		cmocka_unit_test(test_stay_kind),
		cmocka_unit_test(test_nothing_seen),
		cmocka_unit_test(test_never_resumed),
		cmocka_unit_test(test_changes_and_labels),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_io_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
