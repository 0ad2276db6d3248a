/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failover benchmark records: one JSON object per line, one line per
 * scenario repetition, written by the lab's scenario runner (or by
 * `pathwarden bench` on real hardware):
 *
 *   {"scenario": "switchover", "config": "stock", "rep": 1,
 *    "stall_ms": 210.4,          largest gap between completed I/Os
 *    "detect_ms": 9.8,           fault -> first path state change seen
 *    "switch_ms": 11890.0,       fault -> I/O first completes on the new group
 *    "resume_ms": 211.0,         fault -> first I/O completed after the stall
 *    "failback_ms": null,        restore -> I/O back on the restored node
 *                                (null for a stay scenario: I/O never left)
 *    "fault_ms": 1020.5,         inject hook's start -> fault
 *    "back_ms": null,            restore hook's start -> restore
 *    "io_errors": 0, "mismatches": 0,
 *    "timeline": "timelines/switchover-stock-1.json"}
 *
 * The fault is the moment the inject hook said its fault took effect
 * (PW_BENCH_MARK), else the hook's start; the restore likewise.  fault_ms
 * and back_ms are null when the hook did not say.  A time can be negative:
 * an event between the hook's start and the moment it gave.
 *
 * Times that do not apply, or that were not reached before the scenario's
 * deadline, are null; a missing value is never reported as 0.
 *
 * A timeline (for the SVG) is one JSON object:
 *   {"io": [[t_s, latency_ms, ok], ...],        t_s relative to the fault
 *    "groups": [[t_s, "hpms01"|"hpms02"|"none"], ...],  group carrying I/O
 *    "events": [[t_s, "label"], ...]}
 */
#ifndef PW_BENCH_RECORDS_H
#define PW_BENCH_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum bench_metric {
	BM_STALL,
	BM_DETECT,
	BM_SWITCH,
	BM_RESUME,
	BM_FAILBACK,
	BM_FAULT,
	BM_BACK,
	BM_N
};

struct bench_record {
	char scenario[48];
	char config[16];
	int rep;
	bool has[BM_N];
	double ms[BM_N];
	unsigned int io_errors;
	unsigned int mismatches;
	char timeline[256];
};

const char *bench_metric_name(enum bench_metric m);

/*
 * Parse one line.  Returns 0, or -1 with a message in @err naming what is
 * wrong (the caller adds file:line).
 */
int bench_record_parse(const char *line, struct bench_record *r, char *err,
		       size_t errlen);

/*
 * Write @r as one line in the format above (what bench_record_parse
 * reads back).  Returns 0, or -1 when the stream failed.
 */
int bench_record_write(FILE *f, const struct bench_record *r);

/* @s as a JSON string literal, quotes included. */
void bench_json_string(FILE *f, const char *s);

/* Linear-interpolated percentile (0-100) of @n sorted values. */
double bench_percentile(const double *sorted, size_t n, double pct);

#endif
