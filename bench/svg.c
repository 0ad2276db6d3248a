/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One scenario's timelines as SVG: I/O latency over time, a band showing
 * which node's group carried I/O, and a mark for the fault and each event;
 * stock above pathwarden on the same time axis.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "summary.h"

#define W 960
#define PANEL_H 230
#define LEFT 70
#define RIGHT 20
#define TOP 50
#define BAND_H 10
#define PLOT_W (W - LEFT - RIGHT)

struct range {
	double t_min, t_max, lat_max;
};

static json_object *array_of(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* Element @i of @arr as [number, ...]; false if not of that shape. */
static bool point(json_object *arr, size_t i, double *t, json_object **rest1,
		  json_object **rest2)
{
	json_object *e = json_object_array_get_idx(arr, i), *t0;

	if (!e || !json_object_is_type(e, json_type_array) ||
	    json_object_array_length(e) < 2)
		return false;
	t0 = json_object_array_get_idx(e, 0);
	if (!json_object_is_type(t0, json_type_double) &&
	    !json_object_is_type(t0, json_type_int))
		return false;
	*t = json_object_get_double(t0);
	if (!isfinite(*t))
		return false;
	*rest1 = json_object_array_get_idx(e, 1);
	*rest2 = json_object_array_length(e) > 2 ?
		 json_object_array_get_idx(e, 2) : NULL;
	return true;
}

static void widen(json_object *tl, struct range *r)
{
	json_object *io = array_of(tl, "io"), *a, *b;
	double t;

	for (size_t i = 0; io && i < json_object_array_length(io); i++) {
		if (!point(io, i, &t, &a, &b))
			continue;
		r->t_min = fmin(r->t_min, t);
		r->t_max = fmax(r->t_max, t + json_object_get_double(a) / 1000.0);
		r->lat_max = fmax(r->lat_max, json_object_get_double(a));
	}
}

static double x_of(const struct range *r, double t)
{
	return LEFT + (t - r->t_min) / (r->t_max - r->t_min) * PLOT_W;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			fputc((unsigned char)*s >= 0x20 ? *s : '?', f);
		}
	}
}

static const char *group_colour(const char *g)
{
	if (!strcmp(g, "hpms01"))
		return "#3b75af";
	if (!strcmp(g, "hpms02"))
		return "#ef8636";
	return "#bbbbbb";
}

static void panel(FILE *f, const char *title, json_object *tl,
		  const struct range *r, int y0)
{
	int plot_h = PANEL_H - 60, base = y0 + plot_h;
	json_object *io = array_of(tl, "io"), *groups = array_of(tl, "groups");
	json_object *events = array_of(tl, "events"), *a, *b;
	double t;

	fprintf(f, "<text x='%d' y='%d' font-weight='bold'>", LEFT, y0 - 8);
	xml_text(f, title);
	fprintf(f, "</text>\n<rect x='%d' y='%d' width='%d' height='%d' "
		   "fill='none' stroke='#999'/>\n", LEFT, y0, PLOT_W, plot_h);
	fprintf(f, "<text x='%d' y='%d' font-size='10' text-anchor='end'>%.0f ms"
		   "</text>\n<text x='%d' y='%d' font-size='10' "
		   "text-anchor='end'>0</text>\n", LEFT - 4, y0 + 10, r->lat_max,
		LEFT - 4, base);
	if (!tl) {
		fprintf(f, "<text x='%d' y='%d' fill='#a00'>no timeline</text>\n",
			LEFT + 10, y0 + 30);
		return;
	}
	/* the group carrying I/O, as a band under the plot */
	for (size_t i = 0; groups && i < json_object_array_length(groups); i++) {
		double t_end = r->t_max;
		json_object *c, *d;

		if (!point(groups, i, &t, &a, &b) ||
		    !json_object_is_type(a, json_type_string))
			continue;
		if (i + 1 < json_object_array_length(groups))
			point(groups, i + 1, &t_end, &c, &d);
		fprintf(f, "<rect x='%.1f' y='%d' width='%.1f' height='%d' "
			   "fill='%s'><title>", x_of(r, t), base + 4,
			fmax(0.5, x_of(r, t_end) - x_of(r, t)), BAND_H,
			group_colour(json_object_get_string(a)));
		xml_text(f, json_object_get_string(a));
		fputs("</title></rect>\n", f);
	}
	/* latency of every I/O at its issue time; failed I/Os in red */
	for (size_t i = 0; io && i < json_object_array_length(io); i++) {
		double lat;
		bool ok;

		if (!point(io, i, &t, &a, &b))
			continue;
		lat = json_object_get_double(a);
		ok = !b || json_object_get_boolean(b);
		fprintf(f, "<circle cx='%.1f' cy='%.1f' r='1.6' fill='%s'/>\n",
			x_of(r, t), base - fmin(lat / r->lat_max, 1.0) * plot_h,
			ok ? "#333" : "#d00");
	}
	/* the fault at 0, then each event */
	fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#d00' "
		   "stroke-width='2'/>\n", x_of(r, 0), x_of(r, 0), y0, base);
	for (size_t i = 0; events && i < json_object_array_length(events); i++) {
		if (!point(events, i, &t, &a, &b) ||
		    !json_object_is_type(a, json_type_string))
			continue;
		fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' "
			   "stroke='#777' stroke-dasharray='3,3'/>\n"
			   "<text font-size='9' transform='translate(%.1f,%d) "
			   "rotate(-90)'>", x_of(r, t), x_of(r, t), y0, base,
			x_of(r, t) + 3, base - 4);
		xml_text(f, json_object_get_string(a));
		fputs("</text>\n", f);
	}
}

int bench_svg(FILE *out, const char *scenario, const char *stock_json,
	      const char *pw_json, char *err, size_t errlen)
{
	json_object *st = stock_json ? json_object_from_file(stock_json) : NULL;
	json_object *pw = pw_json ? json_object_from_file(pw_json) : NULL;
	struct range r = { 0, 1, 50 };
	char title[128];
	int h = TOP + 2 * (PANEL_H + 20) + 30;

	if ((stock_json && !st) || (pw_json && !pw)) {
		snprintf(err, errlen, "cannot read timeline %s",
			 (stock_json && !st) ? stock_json : pw_json);
		json_object_put(st);
		json_object_put(pw);
		return -1;
	}
	widen(st, &r);
	widen(pw, &r);
	r.t_min = floor(r.t_min);
	r.t_max = ceil(r.t_max);

	fprintf(out, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' "
		     "height='%d' font-family='sans-serif' font-size='12'>\n"
		     "<rect width='100%%' height='100%%' fill='white'/>\n", W, h);
	fprintf(out, "<text x='%d' y='20' font-size='15'>", LEFT);
	xml_text(out, scenario);
	fprintf(out, "</text>\n<text x='%d' y='36' font-size='11' fill='#555'>"
		     "I/O latency at issue time (dots; red: failed), the fault "
		     "(red line), events (dashed), the node whose group carried "
		     "I/O (band: blue hpms01, orange hpms02, grey none)</text>\n",
		LEFT);
	snprintf(title, sizeof(title), "stock");
	panel(out, title, st, &r, TOP + 20);
	snprintf(title, sizeof(title), "pathwarden");
	panel(out, title, pw, &r, TOP + 20 + PANEL_H + 20);
	for (double t = r.t_min; t <= r.t_max; t += (r.t_max - r.t_min) > 40 ? 10 : 2)
		fprintf(out, "<text x='%.1f' y='%d' font-size='10' "
			     "text-anchor='middle'>%+.0f s</text>\n",
			x_of(&r, t), h - 12, t);
	fputs("</svg>\n", out);
	json_object_put(st);
	json_object_put(pw);
	return 0;
}
