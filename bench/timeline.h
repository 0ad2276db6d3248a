/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One repetition's timeline file, in the format bench/bench_records.h gives
 * and bench_svg() draws. */
#ifndef PW_BENCH_TIMELINE_H
#define PW_BENCH_TIMELINE_H

#include <stdint.h>
#include <stdio.h>

#include "metrics.h"

/*
 * Write @t with times in seconds from the fault (bench_fault_ns): every
 * I/O issued from @from_ns on (its latency; false when it failed or read
 * back wrong), the node whose group carried I/O at each change, and the
 * events: inject, restore, the moments the hooks said their changes took
 * effect, and each path and group change dm showed.  Returns 0, or -1
 * when the stream failed.
 */
int bench_timeline_write(FILE *f, const struct bench_trace *t,
			 const struct bench_marks *m,
			 const char *const *node_names, int64_t from_ns);

#endif
