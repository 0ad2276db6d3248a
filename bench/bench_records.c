/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "bench_records.h"

static const char *const metric_keys[BM_N] = {
	[BM_STALL] = "stall_ms",
	[BM_DETECT] = "detect_ms",
	[BM_SWITCH] = "switch_ms",
	[BM_RESUME] = "resume_ms",
	[BM_FAILBACK] = "failback_ms",
	[BM_FAULT] = "fault_ms",
	[BM_BACK] = "back_ms",
};

const char *bench_metric_name(enum bench_metric m)
{
	static const char *const names[BM_N] = {
		[BM_STALL] = "I/O stall",
		[BM_DETECT] = "detect",
		[BM_SWITCH] = "switch",
		[BM_RESUME] = "resume",
		[BM_FAILBACK] = "failback",
		[BM_FAULT] = "fault after the inject hook's start",
		[BM_BACK] = "restore after the restore hook's start",
	};

	return m < BM_N ? names[m] : "?";
}

static int get_string(json_object *o, const char *key, char *dst, size_t len,
		      bool required, char *err, size_t errlen)
{
	json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required) {
			snprintf(err, errlen, "missing \"%s\"", key);
			return -1;
		}
		dst[0] = '\0';
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "\"%s\" is not a string", key);
		return -1;
	}
	s = json_object_get_string(v);
	if (strlen(s) >= len || (required && !*s)) {
		snprintf(err, errlen, "\"%s\" is empty or too long", key);
		return -1;
	}
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int get_count(json_object *o, const char *key, unsigned int *dst,
		     char *err, size_t errlen)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int)) {
		snprintf(err, errlen, "\"%s\" must be a whole number", key);
		return -1;
	}
	n = json_object_get_int64(v);
	if (n < 0 || n > 1000000000) {
		snprintf(err, errlen, "\"%s\" out of range", key);
		return -1;
	}
	*dst = (unsigned int)n;
	return 0;
}

int bench_record_parse(const char *line, struct bench_record *r, char *err,
		       size_t errlen)
{
	json_object *o, *v;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	o = json_tokener_parse(line);
	if (!o || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "not a JSON object");
		json_object_put(o);
		return -1;
	}
	if (get_string(o, "scenario", r->scenario, sizeof(r->scenario), true,
		       err, errlen) ||
	    get_string(o, "config", r->config, sizeof(r->config), true, err,
		       errlen) ||
	    get_string(o, "timeline", r->timeline, sizeof(r->timeline), false,
		       err, errlen) ||
	    get_count(o, "io_errors", &r->io_errors, err, errlen) ||
	    get_count(o, "mismatches", &r->mismatches, err, errlen))
		goto out;
	if (!json_object_object_get_ex(o, "rep", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		snprintf(err, errlen, "\"rep\" must be a whole number");
		goto out;
	}
	r->rep = json_object_get_int(v);
	for (int m = 0; m < BM_N; m++) {
		double d;

		if (!json_object_object_get_ex(o, metric_keys[m], &v) ||
		    json_object_is_type(v, json_type_null))
			continue;
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int)) {
			snprintf(err, errlen, "\"%s\" must be a number or null",
				 metric_keys[m]);
			goto out;
		}
		d = json_object_get_double(v);
		if (!isfinite(d) || d < -60000.0 || d > 3600000.0) {
			snprintf(err, errlen, "\"%s\" out of range", metric_keys[m]);
			goto out;
		}
		r->has[m] = true;
		r->ms[m] = d;
	}
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

void bench_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int bench_record_write(FILE *f, const struct bench_record *r)
{
	fputs("{\"scenario\":", f);
	bench_json_string(f, r->scenario);
	fputs(",\"config\":", f);
	bench_json_string(f, r->config);
	fprintf(f, ",\"rep\":%d", r->rep);
	for (int m = 0; m < BM_N; m++) {
		if (r->has[m])
			fprintf(f, ",\"%s\":%.3f", metric_keys[m], r->ms[m]);
		else
			fprintf(f, ",\"%s\":null", metric_keys[m]);
	}
	fprintf(f, ",\"io_errors\":%u,\"mismatches\":%u", r->io_errors,
		r->mismatches);
	if (r->timeline[0]) {
		fputs(",\"timeline\":", f);
		bench_json_string(f, r->timeline);
	}
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

double bench_percentile(const double *sorted, size_t n, double pct)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return NAN;
	if (n == 1 || pct <= 0)
		return sorted[0];
	if (pct >= 100)
		return sorted[n - 1];
	pos = pct / 100.0 * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	return sorted[i] + (i + 1 < n ? frac * (sorted[i + 1] - sorted[i]) : 0);
}
