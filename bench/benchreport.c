/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pw-benchreport RECORDS.jsonl OUTDIR
 *
 * Tables (terminal and Markdown) and one SVG timeline per scenario from the
 * failover benchmark's records.  Exit 0; 1 for bad input; 3 when any
 * repetition saw an application I/O error or a verify mismatch (the tables
 * are still written: errors are reported, never hidden).
 */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "summary.h"

#define MAX_RECORDS 4096

static struct bench_record recs[MAX_RECORDS];

static int load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int rc = 0;

	*n = 0;
	if (!f) {
		fprintf(stderr, "pw-benchreport: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char err[128];

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (*n == MAX_RECORDS) {
			fprintf(stderr, "%s:%u: more than %d records\n", path,
				lineno, MAX_RECORDS);
			rc = -1;
			break;
		}
		if (bench_record_parse(line, &recs[*n], err, sizeof(err))) {
			fprintf(stderr, "%s:%u: %s\n", path, lineno, err);
			rc = -1;
			break;
		}
		(*n)++;
	}
	free(line);
	fclose(f);
	return rc;
}

/* The timeline of the repetition whose stall is nearest the median. */
static const char *typical_timeline(size_t n, const char *scenario,
				    const char *config, double p50)
{
	const char *best = NULL;
	double dist = INFINITY;

	for (size_t i = 0; i < n; i++) {
		double d;

		if (strcmp(recs[i].scenario, scenario) ||
		    strcmp(recs[i].config, config) || !recs[i].timeline[0])
			continue;
		d = recs[i].has[BM_STALL] ? fabs(recs[i].ms[BM_STALL] - p50) : 1e12;
		if (d < dist) {
			dist = d;
			best = recs[i].timeline;
		}
	}
	return best;
}

static int write_svgs(const struct bench_summary *s, size_t n,
		      const char *base, const char *outdir)
{
	for (unsigned int i = 0; i < s->n_cells; i++) {
		const struct bench_cell *c = &s->cells[i], *st, *pw;
		const char *ts, *tp;
		char p_st[512], p_pw[512], out[512], err[256];
		FILE *f;
		int rc;

		if (strcmp(c->config, "stock"))	/* one SVG per scenario */
			continue;
		st = c;
		pw = bench_find(s, c->scenario, "pathwarden");
		ts = typical_timeline(n, c->scenario, "stock", st->p50[BM_STALL]);
		tp = pw ? typical_timeline(n, c->scenario, "pathwarden",
					   pw->p50[BM_STALL]) : NULL;
		snprintf(p_st, sizeof(p_st), "%s/%s", base, ts ? ts : "");
		snprintf(p_pw, sizeof(p_pw), "%s/%s", base, tp ? tp : "");
		snprintf(out, sizeof(out), "%s/%s.svg", outdir, c->scenario);
		f = fopen(out, "w");
		if (!f) {
			fprintf(stderr, "pw-benchreport: %s: %s\n", out,
				strerror(errno));
			return -1;
		}
		rc = bench_svg(f, c->scenario, ts ? p_st : NULL,
			       tp ? p_pw : NULL, err, sizeof(err));
		if (fclose(f) || rc) {
			fprintf(stderr, "pw-benchreport: %s: %s\n", out,
				rc ? err : strerror(errno));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench_summary sum;
	char md[512], dir[512];
	unsigned int errors = 0, mismatches = 0;
	size_t n;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: pw-benchreport RECORDS.jsonl OUTDIR\n");
		return 1;
	}
	if (load(argv[1], &n))
		return 1;
	if (n == 0) {
		fprintf(stderr, "pw-benchreport: %s: no records\n", argv[1]);
		return 1;
	}
	if (bench_summarise(recs, n, &sum)) {
		fprintf(stderr, "pw-benchreport: too many scenarios\n");
		return 1;
	}
	if (mkdir(argv[2], 0755) && errno != EEXIST) {
		fprintf(stderr, "pw-benchreport: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	bench_print_text(stdout, &sum);

	snprintf(md, sizeof(md), "%s/summary.md", argv[2]);
	f = fopen(md, "w");
	if (!f) {
		fprintf(stderr, "pw-benchreport: %s: %s\n", md, strerror(errno));
		return 1;
	}
	bench_print_markdown(f, &sum);
	if (fclose(f))
		return 1;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	if (write_svgs(&sum, n, dirname(dir), argv[2]))
		return 1;

	for (unsigned int i = 0; i < sum.n_cells; i++) {
		errors += sum.cells[i].io_errors;
		mismatches += sum.cells[i].mismatches;
	}
	printf("\nwrote %s and one SVG per scenario in %s\n", md, argv[2]);
	if (errors || mismatches) {
		printf("APPLICATION I/O ERRORS: %u, VERIFY MISMATCHES: %u\n",
		       errors, mismatches);
		return 3;
	}
	printf("application I/O errors: 0, verify mismatches: 0\n");
	return 0;
}
