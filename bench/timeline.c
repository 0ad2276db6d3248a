// SPDX-License-Identifier: GPL-2.0-or-later
#include "records.h"
#include "timeline.h"

static double rel_s(const struct bench_marks *m, int64_t t_ns)
{
	return (double)(t_ns - m->t0_ns) / 1e9;
}

static void event(FILE *f, bool *first, double t_s, const char *label)
{
	fprintf(f, "%s\n  [%.4f, ", *first ? "" : ",", t_s);
	bench_json_string(f, label);
	fputc(']', f);
	*first = false;
}

int bench_timeline_write(FILE *f, const struct bench_trace *t,
			 const struct bench_marks *m,
			 const char *const *node_names, int64_t from_ns)
{
	const struct bench_obs *at_from = bench_state_at(t, from_ns);
	bool first = true, injected = false, restored = false;
	int shown = 0;

	fputs("{\"io\": [", f);
	for (size_t i = 0; i < t->n_io; i++) {
		const struct bench_io *io = &t->io[i];

		if (io->start_ns < from_ns)
			continue;
		fprintf(f, "%s\n  [%.4f, %.3f, %s]", first ? "" : ",",
			rel_s(m, io->start_ns),
			(double)(io->end_ns - io->start_ns) / 1e6,
			io->result == BIO_OK ? "true" : "false");
		first = false;
	}

	fputs("],\n\"groups\": [", f);
	first = true;
	if (at_from) {
		event(f, &first, rel_s(m, from_ns),
		      bench_group_name(at_from->group, node_names));
		shown = at_from->group;
	}
	for (size_t i = 0; i < t->n_obs; i++) {
		const struct bench_obs *o = &t->obs[i];

		if (o->t_ns <= from_ns || (!first && o->group == shown))
			continue;
		event(f, &first, rel_s(m, o->t_ns),
		      bench_group_name(o->group, node_names));
		shown = o->group;
	}

	fputs("],\n\"events\": [", f);
	first = true;
	for (size_t i = 1; i < t->n_obs; i++) {
		struct bench_event ev[2 * BENCH_OBS_PATHS + 1];
		size_t n;

		if (t->obs[i].t_ns < from_ns)
			continue;
		/* inject and restore in their places among dm's changes */
		if (!injected && t->obs[i].t_ns >= m->t0_ns) {
			event(f, &first, 0.0, "inject");
			injected = true;
		}
		if (!restored && t->obs[i].t_ns >= m->restore_ns) {
			event(f, &first, rel_s(m, m->restore_ns), "restore");
			restored = true;
		}
		n = bench_obs_changes(&t->obs[i - 1], &t->obs[i], ev,
				      sizeof(ev) / sizeof(ev[0]));
		for (size_t k = 0; k < n; k++) {
			char label[96];

			bench_event_label(&ev[k], node_names, label,
					  sizeof(label));
			event(f, &first, rel_s(m, ev[k].t_ns), label);
		}
	}
	if (!injected)
		event(f, &first, 0.0, "inject");
	if (!restored && m->restore_ns != BENCH_NOT_YET)
		event(f, &first, rel_s(m, m->restore_ns), "restore");
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}
