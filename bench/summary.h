/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Aggregating benchmark records into tables, and timelines into SVG. */
#ifndef PW_BENCH_SUMMARY_H
#define PW_BENCH_SUMMARY_H

#include <stdio.h>

#include "bench_records.h"

struct bench_cell {
	char scenario[48];
	char config[16];
	unsigned int reps;
	unsigned int io_errors, mismatches;
	/* per metric: how many reps reached it, and its p50, p95, max */
	unsigned int n[BM_N];
	double p50[BM_N], p95[BM_N], max[BM_N];
};

struct bench_summary {
	unsigned int n_cells;
	struct bench_cell cells[64];
};

/* Returns -1 when more than 64 scenario x config cells are seen. */
int bench_summarise(const struct bench_record *recs, size_t n,
		    struct bench_summary *out);
const struct bench_cell *bench_find(const struct bench_summary *s,
				    const char *scenario, const char *config);

/* Text table (the progress/terminal view) and Markdown for docs/. */
void bench_print_text(FILE *f, const struct bench_summary *s);
void bench_print_markdown(FILE *f, const struct bench_summary *s);

/*
 * Draw one scenario: the stock timeline above the pathwarden one.  Either
 * path may be NULL (that panel then says so).  Returns 0 or -1 with @err.
 */
int bench_svg(FILE *out, const char *scenario, const char *stock_json,
	      const char *pw_json, char *err, size_t errlen);

#endif
