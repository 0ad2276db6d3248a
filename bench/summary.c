/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

#define STOCK "stock"
#define PATHWARDEN "pathwarden"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

const struct bench_cell *bench_find(const struct bench_summary *s,
				    const char *scenario, const char *config)
{
	for (unsigned int i = 0; i < s->n_cells; i++)
		if (!strcmp(s->cells[i].scenario, scenario) &&
		    !strcmp(s->cells[i].config, config))
			return &s->cells[i];
	return NULL;
}

int bench_summarise(const struct bench_record *recs, size_t n,
		    struct bench_summary *out)
{
	double *vals = malloc((n ? n : 1) * sizeof(*vals));

	memset(out, 0, sizeof(*out));
	if (!vals)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct bench_cell *c =
			(struct bench_cell *)bench_find(out, recs[i].scenario,
							recs[i].config);

		if (c)
			continue;
		if (out->n_cells == sizeof(out->cells) / sizeof(out->cells[0])) {
			free(vals);
			return -1;
		}
		c = &out->cells[out->n_cells++];
		snprintf(c->scenario, sizeof(c->scenario), "%s", recs[i].scenario);
		snprintf(c->config, sizeof(c->config), "%s", recs[i].config);
		for (size_t j = i; j < n; j++) {
			if (strcmp(recs[j].scenario, c->scenario) ||
			    strcmp(recs[j].config, c->config))
				continue;
			c->reps++;
			c->io_errors += recs[j].io_errors;
			c->mismatches += recs[j].mismatches;
		}
		for (int m = 0; m < BM_N; m++) {
			size_t k = 0;

			for (size_t j = i; j < n; j++)
				if (!strcmp(recs[j].scenario, c->scenario) &&
				    !strcmp(recs[j].config, c->config) &&
				    recs[j].has[m])
					vals[k++] = recs[j].ms[m];
			c->n[m] = (unsigned int)k;
			if (!k)
				continue;
			qsort(vals, k, sizeof(*vals), cmp_double);
			c->p50[m] = bench_percentile(vals, k, 50);
			c->p95[m] = bench_percentile(vals, k, 95);
			c->max[m] = vals[k - 1];
		}
	}
	free(vals);
	return 0;
}

/* "1.23 s" or "-" when no repetition reached it, "(3/5)" when some did not. */
static void fmt_time(char *b, size_t len, const struct bench_cell *c,
		     enum bench_metric m, const double *v)
{
	if (!c || !c->n[m]) {
		snprintf(b, len, "-");
		return;
	}
	if (c->n[m] < c->reps)
		snprintf(b, len, "%.2f s (%u/%u)", *v / 1000.0, c->n[m], c->reps);
	else
		snprintf(b, len, "%.2f s", *v / 1000.0);
}

static void fmt_ratio(char *b, size_t len, const struct bench_cell *st,
		      const struct bench_cell *pw, enum bench_metric m)
{
	if (!st || !pw || !st->n[m] || !pw->n[m] || st->p50[m] <= 0) {
		snprintf(b, len, "-");
		return;
	}
	/* pathwarden / stock: below 1 is faster; "x faster" for people */
	if (pw->p50[m] > 0)
		snprintf(b, len, "%.2f (%.1fx)", pw->p50[m] / st->p50[m],
			 st->p50[m] / pw->p50[m]);
	else
		snprintf(b, len, "%.2f", pw->p50[m] / st->p50[m]);
}

struct col {
	const char *title;
	enum bench_metric m;
	int stat;		/* 0 p50, 1 p95, 2 max */
};

static const struct col cols[] = {
	{ "stall p50", BM_STALL, 0 },
	{ "stall p95", BM_STALL, 1 },
	{ "stall max", BM_STALL, 2 },
	{ "detect", BM_DETECT, 0 },
	{ "switch", BM_SWITCH, 0 },
	{ "resume", BM_RESUME, 0 },
	{ "failback", BM_FAILBACK, 0 },
};
#define N_COLS (sizeof(cols) / sizeof(cols[0]))

static const double *stat_of(const struct bench_cell *c, const struct col *k)
{
	return k->stat == 0 ? &c->p50[k->m] :
	       k->stat == 1 ? &c->p95[k->m] : &c->max[k->m];
}

/* Scenarios in first-seen order. */
static unsigned int scenarios(const struct bench_summary *s,
			      const char *names[64])
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < s->n_cells; i++) {
		unsigned int j;

		for (j = 0; j < n; j++)
			if (!strcmp(names[j], s->cells[i].scenario))
				break;
		if (j == n)
			names[n++] = s->cells[i].scenario;
	}
	return n;
}

/* Where the hooks said when their changes took effect: how long after
 * their starts (p50 over both configurations' cells, each shown). */
static void print_hook_moments(FILE *f, const struct bench_cell *st,
			       const struct bench_cell *pw, bool md)
{
	static const enum bench_metric which[] = { BM_FAULT, BM_BACK };
	static const char *const what[] = { "fault", "restore" };

	for (unsigned int i = 0; i < 2; i++) {
		const struct bench_cell *c = i ? pw : st;

		if (!c || (!c->n[BM_FAULT] && !c->n[BM_BACK]))
			continue;
		fprintf(f, md ? "| %s: hooks' moments |" : "  %-11s", c->config);
		if (!md)
			fputs(" hooks' moments:", f);
		for (unsigned int k = 0; k < 2; k++) {
			if (!c->n[which[k]])
				continue;
			fprintf(f, " %s %.2f s after its hook's start (p50, %u/%u)%s",
				what[k], c->p50[which[k]] / 1000.0,
				c->n[which[k]], c->reps,
				k == 0 && c->n[BM_BACK] ? ";" : "");
		}
		fputs(md ? " |\n" : "\n", f);
	}
}

static void print_rows(FILE *f, const struct bench_summary *s, bool md)
{
	const char *names[64];
	unsigned int ns = scenarios(s, names);
	static const char *const configs[] = { STOCK, PATHWARDEN };

	for (unsigned int i = 0; i < ns; i++) {
		const struct bench_cell *st = bench_find(s, names[i], STOCK);
		const struct bench_cell *pw = bench_find(s, names[i], PATHWARDEN);
		char b[48];

		if (!md)
			fprintf(f, "\n%s\n", names[i]);
		else
			fprintf(f, "\n### %s\n\n| | reps | errors | mismatches |"
				   " stall p50 | stall p95 | stall max | detect |"
				   " switch | resume | failback |\n"
				   "|---|---|---|---|---|---|---|---|---|---|---|\n",
				names[i]);
		for (unsigned int k = 0; k < 2; k++) {
			const struct bench_cell *c = k ? pw : st;

			if (!c)
				continue;
			fprintf(f, md ? "| %s | %u | %u | %u |" :
					"  %-11s %4u %6u %10u",
				configs[k], c->reps, c->io_errors, c->mismatches);
			for (unsigned int j = 0; j < N_COLS; j++) {
				fmt_time(b, sizeof(b), c, cols[j].m,
					 stat_of(c, &cols[j]));
				fprintf(f, md ? " %s |" : " %15s", b);
			}
			fputc('\n', f);
		}
		print_hook_moments(f, st, pw, md);
		if (st && pw) {
			fprintf(f, md ? "| ratio (pathwarden/stock, p50) | | | |"
				      : "  %-34s", md ? "" : "ratio pw/stock (p50)");
			for (unsigned int j = 0; j < N_COLS; j++) {
				if (cols[j].stat != 0) {
					fprintf(f, md ? " |" : " %15s", "");
					continue;
				}
				fmt_ratio(b, sizeof(b), st, pw, cols[j].m);
				fprintf(f, md ? " %s |" : " %15s", b);
			}
			fputc('\n', f);
		}
	}
}

void bench_print_text(FILE *f, const struct bench_summary *s)
{
	fprintf(f, "%-13s %4s %6s %10s", "config", "reps", "errors",
		"mismatches");
	for (unsigned int j = 0; j < N_COLS; j++)
		fprintf(f, " %15s", cols[j].title);
	fputc('\n', f);
	print_rows(f, s, false);
}

void bench_print_markdown(FILE *f, const struct bench_summary *s)
{
	fprintf(f, "Times are from the fault (or the restore, for failback) "
		   "to the event: the moment the hook said its change took "
		   "effect (PW_BENCH_MARK), else the hook's start; "
		   "\"hooks' moments\" rows say how long after their starts. "
		   "`(k/n)`: only k of n repetitions reached it "
		   "before the scenario's deadline. Ratios are "
		   "pathwarden/stock medians; `Nx` is how many times faster.\n");
	print_rows(f, s, true);
}
