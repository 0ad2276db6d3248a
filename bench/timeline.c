// SPDX-License-Identifier: GPL-2.0-or-later
#include "bench_records.h"
#include "timeline.h"

static double rel_s(const struct bench_marks *m, int64_t t_ns)
{
	return (double)(t_ns - bench_fault_ns(m)) / 1e9;
}

/* The runner's marks, in time order: the hooks' starts and, where they
 * said, the moments their changes took effect. */
struct mark {
	int64_t t_ns;
	const char *label;
};

static size_t marks_of(const struct bench_marks *m, struct mark out[4])
{
	const struct mark all[4] = {
		{ m->t0_ns, "inject" },
		{ m->fault_ns ? m->fault_ns : BENCH_NOT_YET, "fault in effect" },
		{ m->restore_ns, "restore" },
		{ m->back_ns && m->restore_ns != BENCH_NOT_YET ? m->back_ns :
		  BENCH_NOT_YET, "restore in effect" },
	};
	size_t n = 0;

	for (size_t i = 0; i < 4; i++) {
		size_t j = n;

		if (all[i].t_ns == BENCH_NOT_YET)
			continue;
		while (j > 0 && out[j - 1].t_ns > all[i].t_ns) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = all[i];
		n++;
	}
	return n;
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
	bool first = true;
	struct mark mk[4];
	size_t n_mk = marks_of(m, mk), next_mk = 0;
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
		/* the marks in their places among dm's changes */
		for (; next_mk < n_mk && mk[next_mk].t_ns <= t->obs[i].t_ns;
		     next_mk++)
			event(f, &first, rel_s(m, mk[next_mk].t_ns),
			      mk[next_mk].label);
		n = bench_obs_changes(&t->obs[i - 1], &t->obs[i], ev,
				      sizeof(ev) / sizeof(ev[0]));
		for (size_t k = 0; k < n; k++) {
			char label[96];

			bench_event_label(&ev[k], node_names, label,
					  sizeof(label));
			event(f, &first, rel_s(m, ev[k].t_ns), label);
		}
	}
	for (; next_mk < n_mk; next_mk++)
		event(f, &first, rel_s(m, mk[next_mk].t_ns), mk[next_mk].label);
	fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}
