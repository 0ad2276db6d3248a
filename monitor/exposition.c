// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names follow the Prometheus conventions: a pathwarden_ prefix, base
 * units (seconds), _total for counters, one state-set gauge for the ALUA
 * state.  Label values are escaped as the text format requires.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exposition.h"

const double probe_latency_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
					0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
					5, 10, 30 };
const unsigned int probe_latency_n =
	sizeof(probe_latency_bounds) / sizeof(probe_latency_bounds[0]);
const double stall_bounds[] = { 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 20, 30,
				60, 120 };
const unsigned int stall_n = sizeof(stall_bounds) / sizeof(stall_bounds[0]);

void hist_init(struct histogram *h, const double *bounds, unsigned int n)
{
	memset(h, 0, sizeof(*h));
	h->bounds = bounds;
	h->n = n > HIST_MAX_BUCKETS ? HIST_MAX_BUCKETS : n;
}

void hist_observe(struct histogram *h, double v)
{
	unsigned int i = 0;

	while (i < h->n && v > h->bounds[i])
		i++;
	if (i < h->n)
		h->counts[i]++;
	h->count++;
	h->sum += v;
}

/* Label value escaping: backslash, double quote, newline. */
static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

static void head(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void path_labels(FILE *f, const struct pw_map *m,
			const struct pw_path *p)
{
	fputs("{map=\"", f);
	esc(f, m->mp->name);
	fputs("\",dev=\"", f);
	esc(f, p->mp->dev);
	fputs("\",node=\"", f);
	esc(f, p->node ? p->node->name : "");
	fputs("\"", f);
}

/* "name{node="...",portal="..."": the caller adds more or closes it. */
static void portal_labels(FILE *f, const char *name,
			  const struct portal_stats *p)
{
	fputs(name, f);
	fputs("{node=\"", f);
	esc(f, p->node);
	fputs("\",portal=\"", f);
	esc(f, p->portal);
	fputs("\"", f);
}

static void hist_out(FILE *f, const char *name, const char *map,
		     const struct histogram *h)
{
	uint64_t cum = 0;

	for (unsigned int i = 0; i < h->n; i++) {
		cum += h->counts[i];
		fprintf(f, "%s_bucket{map=\"", name);
		esc(f, map);
		fprintf(f, "\",le=\"%g\"} %llu\n", h->bounds[i],
			(unsigned long long)cum);
	}
	fprintf(f, "%s_bucket{map=\"", name);
	esc(f, map);
	fprintf(f, "\",le=\"+Inf\"} %llu\n%s_sum{map=\"", (unsigned long long)
		h->count, name);
	esc(f, map);
	fprintf(f, "\"} %.9g\n%s_count{map=\"", h->sum, name);
	esc(f, map);
	fprintf(f, "\"} %llu\n", (unsigned long long)h->count);
}

static const enum alua_state all_states[] = {
	ALUA_ACTIVE_OPTIMIZED, ALUA_ACTIVE_NONOPTIMIZED, ALUA_STANDBY,
	ALUA_UNAVAILABLE, ALUA_LBA_DEPENDENT, ALUA_OFFLINE, ALUA_TRANSITIONING,
};

static void view_out(FILE *f, const struct pw_view *v)
{
	head(f, "pathwarden_path_up", "gauge",
	     "1 when the path can carry I/O (verdict not down or gone).");
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			fputs("pathwarden_path_up", f);
			path_labels(f, &v->maps[i], p);
			fprintf(f, "} %d\n", p->verdict != PW_PATH_DOWN &&
				p->verdict != PW_PATH_GONE);
		}
	head(f, "pathwarden_path_in_use", "gauge",
	     "1 when the path is in the path group dm-multipath uses.");
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			fputs("pathwarden_path_in_use", f);
			path_labels(f, &v->maps[i], p);
			fprintf(f, "} %d\n",
				p->mp->group == v->maps[i].active_group);
		}
	head(f, "pathwarden_path_priority", "gauge",
	     "Path priority as multipathd last computed it.");
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			fputs("pathwarden_path_priority", f);
			path_labels(f, &v->maps[i], p);
			fprintf(f, "} %d\n", p->mp->pri);
		}
	head(f, "pathwarden_path_alua_state", "gauge",
	     "ALUA access state of the path's target port group (state set).");
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];
			enum alua_state st = p->judge.state;
			bool have = path_state_known(p);

			for (size_t k = 0; k < sizeof(all_states) /
						sizeof(all_states[0]); k++) {
				fputs("pathwarden_path_alua_state", f);
				path_labels(f, &v->maps[i], p);
				fprintf(f, ",state=\"%s\"} %d\n",
					alua_state_name(all_states[k]),
					have && st == all_states[k]);
			}
		}
	head(f, "pathwarden_path_preferred", "gauge",
	     "1 when the path's target port group has the preferred bit.");
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];
			bool pref = path_state_known(p) && p->judge.preferred;

			fputs("pathwarden_path_preferred", f);
			path_labels(f, &v->maps[i], p);
			fprintf(f, "} %d\n", pref);
		}
	head(f, "pathwarden_map_verdict", "gauge",
	     "The map's verdict (state set: ok, degraded, misrouted, spread, "
	     "down).");
	for (size_t i = 0; i < v->n_maps; i++)
		for (int w = PW_MAP_OK; w <= PW_MAP_DOWN; w++) {
			fputs("pathwarden_map_verdict{map=\"", f);
			esc(f, v->maps[i].mp->name);
			fprintf(f, "\",verdict=\"%s\"} %d\n",
				map_word_name((enum map_word)w),
				v->maps[i].verdict == (enum map_word)w);
		}
}

/* One path's RTPG report: every group it lists, each as a state set. */
static void report_out(FILE *f, const struct pw_map *m,
		       const struct pw_path *p, const struct rtpg_report *rep)
{
	const size_t n = sizeof(all_states) / sizeof(all_states[0]);

	for (unsigned int g = 0; g < rep->n_groups; g++)
		for (size_t k = 0; k < n; k++) {
			fputs("pathwarden_path_reported_alua_state", f);
			path_labels(f, m, p);
			fprintf(f, ",tpg=\"%u\",state=\"%s\"} %d\n",
				rep->groups[g].group_id,
				alua_state_name(all_states[k]),
				rep->groups[g].state == all_states[k]);
		}
}

/*
 * Every group as each path's own RTPG answer in the last round reported
 * it.  Each node reports both groups, so here the two nodes' views can be
 * compared: the view keeps only each path's own group, and only until the
 * next re-read.  A path whose RTPG failed, or that the round did not ask,
 * reported nothing and has no series.
 */
static void reports_out(FILE *f, const struct pw_view *v,
			const struct rtpg_batch *b)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];
			const char *map = v->maps[i].mp->name;
			const struct rtpg_item *it;

			/* in view order when the round came from this view */
			if (k < b->n && !strcmp(b->items[k].dev, p->mp->dev) &&
			    !strcmp(b->items[k].map, map))
				it = &b->items[k++];
			else
				it = rtpg_batch_find(b, map, p->mp->dev);
			/* its own answer only: a follower sent nothing */
			if (it && it->done && it->ans.result == TPG_OK &&
			    !it->followed)
				report_out(f, &v->maps[i], p, &it->rep);
		}
}

static bool same_series(const struct setting_check *a,
			const struct setting_check *b)
{
	return a->node == b->node && a->portal == b->portal &&
	       a->setting == b->setting;
}

/*
 * One series per node, portal and setting: 1 when a session there has
 * the setting other than pathwarden.conf (and, for recovery_tmo, than
 * multipathd's fast_io_fail_tmo) wants.  A portal may carry sessions to
 * several targets (a node that names none): any drift among them is the
 * portal's.  A value that could not be read makes no claim, and a portal
 * with no session has no series.
 */
static void settings_out(FILE *f, const struct setting_checks *cs)
{
	head(f, "pathwarden_session_setting_drift", "gauge",
	     "1 when an iSCSI session's live setting differs from the one "
	     "configured (replacement_timeout: or multipathd's "
	     "fast_io_fail_tmo), 0 when it matches.");
	for (size_t i = 0; cs && i < cs->n; i++) {
		const struct setting_check *k = &cs->c[i];
		bool seen = false, drift = false;

		if (k->verdict == SETTING_UNREAD)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = cs->c[j].verdict != SETTING_UNREAD &&
			       same_series(&cs->c[j], k);
		if (seen)
			continue;
		for (size_t j = i; j < cs->n; j++)
			drift |= same_series(&cs->c[j], k) &&
				 cs->c[j].verdict == SETTING_DRIFTS;
		fputs("pathwarden_session_setting_drift{node=\"", f);
		esc(f, k->node->name);
		fputs("\",portal=\"", f);
		esc(f, k->portal->host);
		fprintf(f, ":%u\",setting=\"%s\"} %d\n", k->portal->port,
			sess_setting_name(k->setting), drift);
	}
}

char *exposition_render(const struct expo_input *in, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	head(f, "pathwarden_multipathd_up", "gauge",
	     "1 when multipathd answered the last query.");
	fprintf(f, "pathwarden_multipathd_up %d\n", in->multipathd_up);
	if (in->view)
		view_out(f, in->view);
	if (in->view && in->reports) {
		head(f, "pathwarden_path_reported_alua_state", "gauge",
		     "ALUA state of each target port group (tpg) as the path's "
		     "RTPG answer in the last round reported it (state set).");
		reports_out(f, in->view, in->reports);
		head(f, "pathwarden_rtpg_round_age_seconds", "gauge",
		     "Seconds since the RTPG round behind "
		     "pathwarden_path_reported_alua_state was asked.");
		fprintf(f, "pathwarden_rtpg_round_age_seconds %.3f\n",
			in->reports_age_s);
	}
	head(f, "pathwarden_alua_events_total", "counter",
	     "ALUA state change uevents (SDEV_UA=ASYMMETRIC_ACCESS_STATE_"
	     "CHANGED) seen.");
	fprintf(f, "pathwarden_alua_events_total %llu\n",
		(unsigned long long)in->alua_events);
	head(f, "pathwarden_failovers_total", "counter",
	     "Failover windows (prober I/O stalls) recorded.");
	for (size_t i = 0; i < in->n_maps; i++) {
		fputs("pathwarden_failovers_total{map=\"", f);
		esc(f, in->maps[i].map);
		fprintf(f, "\"} %llu\n",
			(unsigned long long)in->maps[i].failovers);
	}
	head(f, "pathwarden_failover_stall_seconds", "histogram",
	     "Length of failover windows: first stalled I/O to first "
	     "completion after it.");
	for (size_t i = 0; i < in->n_maps; i++)
		hist_out(f, "pathwarden_failover_stall_seconds",
			 in->maps[i].map, &in->maps[i].stall);
	head(f, "pathwarden_probe_latency_seconds", "histogram",
	     "Latency of the prober's I/Os.");
	for (size_t i = 0; i < in->n_maps; i++)
		hist_out(f, "pathwarden_probe_latency_seconds",
			 in->maps[i].map, &in->maps[i].probe_latency);
	head(f, "pathwarden_probe_errors_total", "counter",
	     "Prober I/Os that failed.");
	for (size_t i = 0; i < in->n_maps; i++) {
		fputs("pathwarden_probe_errors_total{map=\"", f);
		esc(f, in->maps[i].map);
		fprintf(f, "\"} %llu\n",
			(unsigned long long)in->maps[i].probe_errors);
	}
	head(f, "pathwarden_group_switches_total", "counter",
	     "Path group switches pathwarden asked multipathd for.");
	for (size_t i = 0; i < in->n_maps; i++) {
		fputs("pathwarden_group_switches_total{map=\"", f);
		esc(f, in->maps[i].map);
		fprintf(f, "\"} %llu\n",
			(unsigned long long)in->maps[i].switches);
	}
	head(f, "pathwarden_group_switch_reverts_total", "counter",
	     "Switches multipathd undid while the ALUA states still "
	     "stood (prios disagree).");
	for (size_t i = 0; i < in->n_maps; i++) {
		fputs("pathwarden_group_switch_reverts_total{map=\"", f);
		esc(f, in->maps[i].map);
		fprintf(f, "\"} %llu\n",
			(unsigned long long)in->maps[i].switch_reverts);
	}
	head(f, "pathwarden_portal_up", "gauge",
	     "1 when the portal accepted the last TCP probe.");
	for (size_t i = 0; i < in->n_portals; i++) {
		if (in->portals[i].up < 0)
			continue;
		portal_labels(f, "pathwarden_portal_up", &in->portals[i]);
		fprintf(f, "} %d\n", in->portals[i].up);
	}
	head(f, "pathwarden_relogins_total", "counter",
	     "Logins pathwarden started when a portal came back.");
	for (size_t i = 0; i < in->n_portals; i++) {
		portal_labels(f, "pathwarden_relogins_total", &in->portals[i]);
		fprintf(f, "} %llu\n",
			(unsigned long long)in->portals[i].relogins);
	}
	head(f, "pathwarden_portal_login_failed_attempts", "gauge",
	     "Logins pathwarden started to the portal that failed since the "
	     "last one that worked.");
	for (size_t i = 0; i < in->n_portals; i++) {
		portal_labels(f, "pathwarden_portal_login_failed_attempts",
			      &in->portals[i]);
		fprintf(f, "} %u\n", in->portals[i].login_failed);
	}
	head(f, "pathwarden_portal_login_failure", "gauge",
	     "Why the latest logins to the portal failed (state set; all 0 "
	     "when the last one worked).");
	for (size_t i = 0; i < in->n_portals; i++)
		for (int r = ISCSI_LOGIN_OK + 1; r < ISCSI_LOGIN_RESULTS; r++) {
			portal_labels(f, "pathwarden_portal_login_failure",
				      &in->portals[i]);
			fprintf(f, ",reason=\"%s\"} %d\n",
				iscsi_login_result_name(
					(enum iscsi_login_result)r),
				in->portals[i].login_failure ==
				(enum iscsi_login_result)r);
		}
	settings_out(f, in->settings);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
