// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run: for each repetition, each configuration (file order on odd
 * repetitions, reversed on even ones, so that neither always follows the
 * other: whatever one leaves behind, a cluster still settling, weighs on
 * both alike), its config hook, then each scenario.  The hook is not run
 * again when its configuration is still in place: the one just before,
 * every scenario since succeeded (a switch of configurations restarts the
 * initiator's stack, 10-45 s each in the lab).  Each scenario:
 *
 *   baseline   dm's next group holds only home's paths, every path active,
 *              held for `settle` seconds (bounded by deadline + settle)
 *   t0         the inject hook starts
 *   effect     the expected state (metrics.h), bounded by the deadline
 *   hold       the fault stays for `hold` seconds once its effect is seen
 *   t_r        the restore hook starts
 *   failback   I/O completing at the baseline again, bounded by the deadline
 *
 * with the load and the observer running throughout; then the region is
 * read back, the metrics computed and the record and timeline written.
 * A ^C (or SIGTERM) skips to the restore, so the cluster is not left in
 * a fault, and ends the run after that repetition.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "load.h"
#include "metrics.h"
#include "mpath_parse.h"
#include "observer.h"
#include "summary.h"
#include "runner.h"
#include "strutil.h"
#include "timeline.h"

#define TICK_NS 50000000		/* how often a wait looks again */
#define MAX_CELLS 64			/* bench_summary's cells */

extern char **environ;

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run {
	const struct bench_opts *o;
	const struct bench_conf *bc;
	int home, peer;
	const char *node_names[CONF_MAX_NODES];
	char map[CONF_MAP_MAX];
	char device[PATH_MAX];
	char outdir[PATH_MAX];
	const struct bconf_scenario *scen[BCONF_MAX_SCENARIOS];
	unsigned int n_scen;
	const struct bconf_config *cfg[BCONF_MAX_CONFIGS];
	unsigned int n_cfg;
	FILE *records;
	int hooks_fd;
	struct bench_load load;
	struct bench_observer obs;
	struct bench_record *recs;
	size_t n_recs, cap_recs;
	unsigned int done, total;
	unsigned int failed;		/* repetitions, skipped ones included */
	unsigned int missed;		/* the reference's, not failed */
	unsigned int io_errors, mismatches;	/* recorded or not */
	bool aborted;			/* the load could not be stopped */
	char mark_path[PATH_MAX + 32];	/* PW_BENCH_MARK */
	/* The configuration the stack is in: its hook ran and nothing
	 * failed since; NULL when unknown. */
	const struct bconf_config *in_place;
};

/* One repetition's names and what went wrong in it. */
struct rep {
	const struct bconf_scenario *s;
	const struct bconf_config *k;
	unsigned int n;
	bool failed;
	bool missed;		/* the reference config missed a state */
	char why[512];
};

static void rep_say(struct rep *p, const char *fmt, va_list ap)
{
	size_t used = strlen(p->why);

	if (used && used + 3 < sizeof(p->why)) {
		memcpy(p->why + used, "; ", 3);
		used += 2;
	}
	vsnprintf(p->why + used, sizeof(p->why) - used, fmt, ap);
}

__attribute__((format(printf, 2, 3)))
static void rep_fail(struct rep *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rep_say(p, fmt, ap);
	va_end(ap);
	p->failed = true;
}

/* A state not reached within the deadline: a failure, except in the
 * reference configuration, where it is what that stack did (bench_conf.h). */
__attribute__((format(printf, 3, 4)))
static void rep_miss(const struct run *r, struct rep *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rep_say(p, fmt, ap);
	va_end(ap);
	if (r->bc->reference[0] && !strcmp(p->k->name, r->bc->reference))
		p->missed = true;
	else
		p->failed = true;
}

static double secs(int64_t ns)
{
	return (double)ns / 1e9;
}

static void sleep_until(int64_t t_ns)
{
	struct timespec ts = { .tv_sec = t_ns / 1000000000,
			       .tv_nsec = t_ns % 1000000000 };

	/* EINTR ends the sleep: a ^C is looked at by the caller */
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static struct bench_trace trace_now(struct run *r)
{
	struct bench_trace t;

	t.n_io = sample_log_count(&r->load.log);
	t.io = sample_log_entries(&r->load.log);
	t.n_obs = sample_log_count(&r->obs.log);
	t.obs = sample_log_entries(&r->obs.log);
	return t;
}

static const struct bench_obs *latest_obs(struct run *r)
{
	struct bench_trace t = trace_now(r);

	return t.n_obs ? &t.obs[t.n_obs - 1] : NULL;
}

/* "I/O to hpms02 (group 2), failed: sda sdb" */
static void describe_obs(struct run *r, const struct bench_obs *o, char *buf,
			 size_t len)
{
	size_t used;

	if (!o || !o->n_paths) {
		snprintf(buf, len, "dm shows no path");
		return;
	}
	snprintf(buf, len, "dm sends I/O to %s (group %u)",
		 bench_group_name(o->group, r->node_names), o->dm_group);
	for (unsigned int i = 0, n = 0; i < o->n_paths; i++) {
		if (o->paths[i].active)
			continue;
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s %s", n++ ? "" : ", failed:",
			 o->paths[i].sd[0] ? o->paths[i].sd : o->paths[i].devt);
	}
}

/* --- hooks ---------------------------------------------------------- */

#define HOOK_VARS 9
#define MARK_FILE ".hook-mark"

struct hook_env {
	char *vars[HOOK_VARS];		/* PW_BENCH_* */
	char **envp;
};

static void env_free(struct hook_env *e)
{
	for (size_t i = 0; i < HOOK_VARS; i++)
		free(e->vars[i]);
	free(e->envp);
}

__attribute__((format(printf, 1, 2)))
static char *env_var(const char *fmt, ...)
{
	va_list ap;
	char *v;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&v, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : v;	/* v is undefined on failure */
}

static bool env_build(struct run *r, struct hook_env *e, const char *hook,
		      const struct rep *p)
{
	size_t n = 0, k = 0;

	e->vars[0] = env_var("PW_BENCH_SCENARIO=%s", p->s ? p->s->name : "");
	e->vars[1] = env_var("PW_BENCH_CONFIG=%s", p->k->name);
	e->vars[2] = env_var("PW_BENCH_REP=%u", p->n);
	e->vars[3] = env_var("PW_BENCH_HOME=%s", r->node_names[r->home]);
	e->vars[4] = env_var("PW_BENCH_PEER=%s", r->node_names[r->peer]);
	e->vars[5] = env_var("PW_BENCH_MAP=%s", r->map);
	e->vars[6] = env_var("PW_BENCH_HOOK=%s", hook);
	e->vars[7] = env_var("PW_BENCH_OUTDIR=%s", r->outdir);
	e->vars[8] = env_var("PW_BENCH_MARK=%s", r->mark_path);
	while (environ[n])
		n++;
	e->envp = calloc(n + HOOK_VARS + 1, sizeof(*e->envp));
	if (!e->envp)
		return false;
	for (size_t i = 0; i < HOOK_VARS; i++)
		if (!e->vars[i])
			return false;
	/* ours replace any inherited: a hook must see this repetition's */
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PW_BENCH_", 9))
			e->envp[k++] = environ[i];
	for (size_t i = 0; i < HOOK_VARS; i++)
		e->envp[k++] = e->vars[i];
	return true;
}

/* hooks.log's heading of hook @hook (line @line) of repetition @p. */
static void hook_heading(const struct run *r, const struct rep *p,
			 const char *hook, int line, char *buf, size_t len)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s rep %u %s%s%s %s (%s:%d)", stamp, p->n,
		 p->k->name, p->s ? " " : "", p->s ? p->s->name : "", hook,
		 r->o->bc_path, line);
}

/*
 * The moment hook @hook said its change took effect: the wall-clock time
 * (seconds since the epoch, as `date +%s.%N` prints it) it wrote to
 * $PW_BENCH_MARK, on the monotonic clock; 0 when it wrote none.  A moment
 * outside the hook's run [@start_ns, @end_ns] is a hook's mistake: said on
 * stderr and not used.  Removes the file.
 */
static int64_t hook_mark(const struct run *r, const struct rep *p,
			 const char *hook, int64_t start_ns, int64_t end_ns)
{
	char buf[64], *end;
	struct timespec rt;
	int64_t mono, mark;
	double secs_rt;
	ssize_t n;
	int fd;

	fd = open(r->mark_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(r->mark_path);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	secs_rt = strtod(buf, &end);
	while (*end == '\n' || *end == ' ')
		end++;
	mono = bench_now_ns();
	clock_gettime(CLOCK_REALTIME, &rt);
	if (errno || end == buf || *end || !(secs_rt > 0)) {
		fprintf(stderr, "pathwarden bench: %s %s rep %u: the %s hook "
			"wrote '%.*s' to PW_BENCH_MARK, not a time: its start "
			"counts\n", p->s->name, p->k->name, p->n, hook,
			(int)strcspn(buf, "\n"), buf);
		return 0;
	}
	mark = mono - (int64_t)(((double)rt.tv_sec + (double)rt.tv_nsec / 1e9 -
				 secs_rt) * 1e9);
	/* 10 ms of slack for two clocks read a moment apart */
	if (mark < start_ns - 10000000 || mark > end_ns + 10000000) {
		fprintf(stderr, "pathwarden bench: %s %s rep %u: the %s hook's "
			"PW_BENCH_MARK is %.3f s from its start, outside its run "
			"(%.3f s): its start counts\n", p->s->name, p->k->name,
			p->n, hook, secs(mark - start_ns),
			secs(end_ns - start_ns));
		return 0;
	}
	return mark < start_ns ? start_ns : mark > end_ns ? end_ns : mark;
}

/* A config hook not run, said in hooks.log where it would have run. */
static void hook_note(const struct run *r, const struct rep *p,
		      const char *why)
{
	char what[256];

	hook_heading(r, p, "config", p->k->setup.line, what, sizeof(what));
	dprintf(r->hooks_fd, "== %s: %s\n", what, why);
}

/* Run one hook of repetition @p; false (and @p failed) when it did not
 * exit 0. */
static bool run_hook(struct run *r, struct rep *p, const char *hook,
		     const struct bconf_hook *h)
{
	struct hook_env e;
	struct hook_outcome out;
	char what[256], desc[96];

	hook_heading(r, p, hook, h->line, what, sizeof(what));
	/* what an earlier hook wrote is not this one's word */
	unlink(r->mark_path);
	if (!env_build(r, &e, hook, p)) {
		env_free(&e);
		rep_fail(p, "%s hook: out of memory", hook);
		return false;
	}
	hook_run(h->cmd, e.envp, r->hooks_fd, what, r->bc->deadline_s, &out);
	env_free(&e);
	if (out.result == HOOK_OK)
		return true;
	hook_describe(&out, desc, sizeof(desc));
	rep_fail(p, "%s hook (%s:%d) %s (see hooks.log)", hook,
		 r->o->bc_path, h->line, desc);
	return false;
}

/* --- one repetition -------------------------------------------------- */

enum wait_result { WAIT_REACHED, WAIT_DEADLINE, WAIT_STOPPED };

/* The baseline, held for `settle` seconds without a break. */
static enum wait_result wait_baseline(struct run *r)
{
	int64_t settle = (int64_t)(r->bc->settle_s * 1e9);
	int64_t end = bench_now_ns() + (int64_t)(r->bc->deadline_s * 1e9) +
		      settle;
	int64_t since = -1;

	for (;;) {
		int64_t now = bench_now_ns();

		if (stop_requested)
			return WAIT_STOPPED;
		if (bench_obs_baseline(latest_obs(r), r->home)) {
			if (since < 0)
				since = now;
			if (now - since >= settle)
				return WAIT_REACHED;
		} else {
			since = -1;
		}
		if (now >= end)
			return WAIT_DEADLINE;
		sleep_until(now + TICK_NS);
	}
}

/* The expected state (@failback false) or the failback, until @end. */
static enum wait_result wait_state(struct run *r, const struct bench_marks *m,
				   bool failback, int64_t end, int64_t *when)
{
	for (;;) {
		struct bench_trace t = trace_now(r);
		int64_t now = bench_now_ns();

		if (failback ? bench_failback_at(&t, m, when)
			     : bench_effect_at(&t, m, when))
			return WAIT_REACHED;
		/* a ^C skips the fault, never the way back */
		if (!failback && stop_requested)
			return WAIT_STOPPED;
		if (now >= end)
			return WAIT_DEADLINE;
		sleep_until(now + TICK_NS);
	}
}

static void fmt_metric(char *b, size_t len, const struct bench_record *rec,
		       enum bench_metric m)
{
	if (rec->has[m])
		snprintf(b, len, "%.2f s", rec->ms[m] / 1000.0);
	else
		snprintf(b, len, "-");
}

static void progress(struct run *r, const struct rep *p,
		     const struct bench_record *rec)
{
	char st[24], de[24], sw[24], fb[24];

	fmt_metric(st, sizeof(st), rec, BM_STALL);
	fmt_metric(de, sizeof(de), rec, BM_DETECT);
	fmt_metric(sw, sizeof(sw), rec, BM_SWITCH);
	fmt_metric(fb, sizeof(fb), rec, BM_FAILBACK);
	fprintf(stderr, "[%u/%u] %s %s rep %u: stall %s, detect %s, ", r->done,
		r->total, p->s->name, p->k->name, p->n, st, de);
	if (p->s->kind == BENCH_KIND_SWITCH)
		fprintf(stderr, "switch %s, ", sw);
	fprintf(stderr, "failback %s", fb);
	if (rec->io_errors || rec->mismatches)
		fprintf(stderr, ", %u I/O ERRORS, %u MISMATCHES", rec->io_errors,
			rec->mismatches);
	fputc('\n', stderr);
}

static void print_events(struct run *r, const struct bench_trace *t,
			 const struct bench_marks *m)
{
	for (size_t i = 1; i < t->n_obs; i++) {
		struct bench_event ev[2 * BENCH_OBS_PATHS + 1];
		size_t n = bench_obs_changes(&t->obs[i - 1], &t->obs[i], ev,
					     sizeof(ev) / sizeof(ev[0]));

		for (size_t k = 0; k < n; k++) {
			char label[96];

			bench_event_label(&ev[k], r->node_names, label,
					  sizeof(label));
			fprintf(stderr, "    %+8.3f s  %s\n",
				secs(ev[k].t_ns - bench_fault_ns(m)), label);
		}
	}
}

static int write_timeline(struct run *r, const struct rep *p,
			  const struct bench_trace *t,
			  const struct bench_marks *m, struct bench_record *rec)
{
	char path[PATH_MAX + 320];
	int64_t from = m->t0_ns - (int64_t)((r->bc->settle_s + 1) * 1e9);
	FILE *f;
	int rc;

	snprintf(rec->timeline, sizeof(rec->timeline),
		 "timelines/%s-%s-%u.json", p->s->name, p->k->name, p->n);
	snprintf(path, sizeof(path), "%s/%s", r->outdir, rec->timeline);
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "pathwarden bench: %s: %s\n", path,
			strerror(errno));
		rec->timeline[0] = '\0';
		return -1;
	}
	rc = bench_timeline_write(f, t, m, r->node_names, from);
	if (fclose(f) || rc) {
		fprintf(stderr, "pathwarden bench: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

static void run_scenario(struct run *r, struct rep *p)
{
	struct bench_marks m = { .kind = p->s->kind, .home = r->home,
				 .peer = r->peer, .restore_ns = BENCH_NOT_YET,
				 .end_ns = BENCH_NOT_YET };
	double deadline = r->bc->deadline_s;
	const char *home = r->node_names[r->home];
	const char *peer = r->node_names[r->peer];
	struct bench_readback rb;
	struct bench_record rec;
	struct bench_trace t;
	enum wait_result w;
	char state[256];
	int64_t when;
	bool injected = false, inject_ok;

	r->done++;
	if (bench_observer_start(&r->obs) || bench_load_start(&r->load)) {
		bench_observer_stop(&r->obs);
		rep_fail(p, "cannot start the load or observer thread");
		return;
	}

	w = wait_baseline(r);
	if (w != WAIT_REACHED) {
		describe_obs(r, latest_obs(r), state, sizeof(state));
		if (w == WAIT_STOPPED)
			rep_fail(p, "interrupted before the fault");
		else
			rep_fail(p, "no baseline (I/O on %s's group, every path "
				 "active, for %.1f s) within %.1f s: %s; not "
				 "injected", home, r->bc->settle_s, deadline,
				 state);
		goto stop;
	}

	m.t0_ns = bench_now_ns();
	injected = true;
	inject_ok = run_hook(r, p, "inject", &p->s->inject);
	m.fault_ns = hook_mark(r, p, "inject", m.t0_ns, bench_now_ns());
	if (inject_ok) {
		w = wait_state(r, &m, false,
			       m.t0_ns + (int64_t)(deadline * 1e9), &when);
		if (w == WAIT_REACHED) {
			sleep_until(when + (int64_t)(r->bc->hold_s * 1e9));
		} else if (w == WAIT_DEADLINE) {
			describe_obs(r, latest_obs(r), state, sizeof(state));
			if (p->s->kind == BENCH_KIND_SWITCH)
				rep_miss(r, p, "no I/O completed on %s's "
					 "group within %.1f s of the inject: "
					 "%s", peer, deadline, state);
			else if (p->s->kind == BENCH_KIND_PATH)
				rep_miss(r, p, "no I/O completed on %s's "
					 "group with one of its paths failed "
					 "within %.1f s of the inject: %s",
					 home, deadline, state);
			else
				rep_miss(r, p, "no I/O completed on %s's "
					 "group, its paths all active, after "
					 "the fault within %.1f s of the "
					 "inject: %s", home, deadline, state);
		} else {
			rep_fail(p, "interrupted: restored early");
		}
	}

	m.restore_ns = bench_now_ns();
	run_hook(r, p, "restore", &p->s->restore);
	m.back_ns = hook_mark(r, p, "restore", m.restore_ns, bench_now_ns());
	w = wait_state(r, &m, true, m.restore_ns + (int64_t)(deadline * 1e9),
		       &when);
	if (w != WAIT_REACHED) {
		describe_obs(r, latest_obs(r), state, sizeof(state));
		rep_miss(r, p, "not back at the baseline (I/O completing on "
			 "%s's group, every path active) within %.1f s of "
			 "the restore: %s", home, deadline, state);
	}

stop:
	m.end_ns = bench_now_ns();
	if (!bench_load_stop(&r->load, deadline)) {
		rep_fail(p, "an I/O of the load has not come back %.1f s after "
			 "the end: stopping the run", deadline);
		r->aborted = true;
		bench_observer_stop(&r->obs);
		return;
	}
	bench_observer_stop(&r->obs);
	if ((p->failed || p->missed) && atomic_load(&r->obs.failed_polls))
		rep_fail(p, "%u of %u dm polls failed, the last: %s",
			 atomic_load(&r->obs.failed_polls),
			 atomic_load(&r->obs.polls), r->obs.problem);
	/* read back and counted even when nothing was injected: errors
	 * and mismatches are never left out */
	bench_load_readback(&r->load, &rb);
	t = trace_now(r);
	memset(&rec, 0, sizeof(rec));
	str_copy(rec.scenario, sizeof(rec.scenario), p->s->name);
	str_copy(rec.config, sizeof(rec.config), p->k->name);
	rec.rep = (int)p->n;
	bench_metrics(&t, &m, &rec);
	if ((rec.io_errors && !p->s->target_errors) || rec.mismatches)
		rep_fail(p, "load: %u I/O errors, %u mismatches (first: %s)",
			 rec.io_errors, rec.mismatches, r->load.first_problem);
	if (rb.io_errors || rb.mismatches)
		rep_fail(p, "read-back of %u blocks: %u I/O errors, %u "
			 "mismatches (first: %s)", rb.reads, rb.io_errors,
			 rb.mismatches, rb.first_problem);
	rec.io_errors += rb.io_errors;
	rec.mismatches += rb.mismatches;
	r->io_errors += rec.io_errors;
	r->mismatches += rec.mismatches;
	if (!injected)
		return;		/* no fault: no record */
	if (sample_log_dropped(&r->load.log) || sample_log_dropped(&r->obs.log))
		rep_fail(p, "samples not recorded (log full): %zu I/Os, %zu "
			 "observations", sample_log_dropped(&r->load.log),
			 sample_log_dropped(&r->obs.log));
	if (stop_requested) {
		rep_fail(p, "interrupted: not recorded");
		progress(r, p, &rec);
		return;
	}
	write_timeline(r, p, &t, &m, &rec);
	if (bench_record_write(r->records, &rec) || fflush(r->records))
		rep_fail(p, "records.jsonl: write failed");
	if (r->n_recs < r->cap_recs)
		r->recs[r->n_recs++] = rec;
	progress(r, p, &rec);
	if (r->o->verbose)
		print_events(r, &t, &m);
}

static void report_failure(struct run *r, const struct rep *p,
			   unsigned int reps)
{
	r->failed += reps;
	fprintf(stderr, "  FAILED: %s%s%s rep %u: %s\n", p->s ? p->s->name : "",
		p->s ? " " : "", p->k->name, p->n, p->why);
}

static void report_miss(struct run *r, const struct rep *p)
{
	r->missed++;
	fprintf(stderr, "  MISSED (%s is the reference: recorded, not a "
		"failure): %s %s rep %u: %s\n", p->k->name, p->s->name,
		p->k->name, p->n, p->why);
}

/* --- set-up ---------------------------------------------------------- */

/*
 * The names of @list ("a,b"), or all @count names in file order, as
 * indices; false (with a message) on an unknown or repeated name.
 */
static bool select_names(const char *list, const char *what,
			 const char *(*name_at)(const struct bench_conf *,
						unsigned int),
			 const struct bench_conf *bc, unsigned int count,
			 unsigned int *idx, unsigned int *n)
{
	char buf[1024], *save = NULL, *name;

	*n = 0;
	if (!list) {
		for (unsigned int i = 0; i < count; i++)
			idx[(*n)++] = i;
		return true;
	}
	str_copy(buf, sizeof(buf), list);
	for (name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		unsigned int i = 0;

		while (i < count && strcmp(name_at(bc, i), name))
			i++;
		if (i == count) {
			fprintf(stderr, "pathwarden bench: no %s '%s' in %s\n",
				what, name, "the bench configuration");
			return false;
		}
		for (unsigned int k = 0; k < *n; k++)
			if (idx[k] == i) {
				fprintf(stderr, "pathwarden bench: %s '%s' "
					"named twice\n", what, name);
				return false;
			}
		idx[(*n)++] = i;
	}
	if (!*n) {
		fprintf(stderr, "pathwarden bench: no %s selected\n", what);
		return false;
	}
	return true;
}

static const char *scen_name(const struct bench_conf *c, unsigned int i)
{
	return c->scenarios[i].name;
}

static const char *cfg_name(const struct bench_conf *c, unsigned int i)
{
	return c->configs[i].name;
}

/* The map's dm name: the one multipathd knows by that name or WWID, or
 * the only one for `map auto`. */
static bool resolve_map(struct run *r)
{
	struct mp_topology t;
	char *reply = NULL, perr[128];
	bool ok = false;
	int rc = r->o->mpath ? mpath_cmd(r->o->mpath, "show maps json", &reply)
			     : -ENOTCONN;

	if (rc || !mp_parse_maps_json(reply, &t, perr, sizeof(perr))) {
		free(reply);
		if (r->bc->map_auto) {
			fprintf(stderr, "pathwarden bench: map auto: multipathd "
				"did not list its maps (%s); name the map\n",
				rc ? strerror(-rc) : perr);
			return false;
		}
		/* not fatal: dm is asked by name all the same */
		str_copy(r->map, sizeof(r->map), r->bc->map);
		return true;
	}
	free(reply);
	if (r->bc->map_auto) {
		if (t.n_maps == 1) {
			str_copy(r->map, sizeof(r->map), t.maps[0].name);
			ok = true;
		} else {
			fprintf(stderr, "pathwarden bench: map auto: multipathd "
				"has %zu maps; name one in %s\n", t.n_maps,
				r->o->bc_path);
		}
	} else {
		for (size_t i = 0; i < t.n_maps && !ok; i++)
			if (!strcmp(t.maps[i].name, r->bc->map) ||
			    !strcmp(t.maps[i].uuid, r->bc->map)) {
				str_copy(r->map, sizeof(r->map),
					 t.maps[i].name);
				ok = true;
			}
		if (!ok)
			fprintf(stderr, "pathwarden bench: multipathd has no map "
				"%s\n", r->bc->map);
	}
	mp_topology_free(&t);
	return ok;
}

static bool resolve_nodes(struct run *r)
{
	const struct pw_conf *c = r->o->conf;

	r->home = r->peer = -1;
	for (unsigned int i = 0; i < c->n_nodes; i++) {
		r->node_names[i] = c->nodes[i].name;
		if (!strcmp(c->nodes[i].name, r->bc->home))
			r->home = (int)i;
	}
	if (r->home < 0) {
		fprintf(stderr, "%s:%d: home %s is not a node of the "
			"pathwarden configuration\n", r->o->bc_path,
			r->bc->home_line, r->bc->home);
		return false;
	}
	if (c->n_nodes != 2) {
		fprintf(stderr, "pathwarden bench: the pathwarden configuration "
			"has %u nodes; the benchmark needs two (home and its "
			"peer)\n", c->n_nodes);
		return false;
	}
	r->peer = 1 - r->home;
	return true;
}

static bool open_outdir(struct run *r)
{
	char path[PATH_MAX + 32];
	int fd;

	if (r->o->outdir) {
		str_copy(r->outdir, sizeof(r->outdir), r->o->outdir);
	} else {
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(r->outdir, sizeof(r->outdir),
			 "pathwarden-bench-%Y%m%d-%H%M%S", &tm);
	}
	snprintf(r->mark_path, sizeof(r->mark_path), "%s/%s", r->outdir,
		 MARK_FILE);
	snprintf(path, sizeof(path), "%s/timelines", r->outdir);
	if ((mkdir(r->outdir, 0755) && errno != EEXIST) ||
	    (mkdir(path, 0755) && errno != EEXIST)) {
		fprintf(stderr, "pathwarden bench: %s: %s\n", path,
			strerror(errno));
		return false;
	}
	/* one run per directory: its records and timelines belong together */
	snprintf(path, sizeof(path), "%s/records.jsonl", r->outdir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC,
		  0644);
	if (fd < 0 || !(r->records = fdopen(fd, "a"))) {
		fprintf(stderr, "pathwarden bench: %s: %s%s\n", path,
			strerror(errno), errno == EEXIST ?
			" (an earlier run's: use another -o)" : "");
		if (fd >= 0)
			close(fd);
		return false;
	}
	/* the hooks' commands and output: they may name credentials */
	snprintf(path, sizeof(path), "%s/hooks.log", r->outdir);
	r->hooks_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			   0600);
	if (r->hooks_fd < 0) {
		fprintf(stderr, "pathwarden bench: %s: %s\n", path,
			strerror(errno));
		return false;
	}
	return true;
}

/* --- the report ------------------------------------------------------ */

/* Rep 1's timeline (or the earliest recorded) of @scenario in @config. */
static const char *first_timeline(struct run *r, const char *scenario,
				  const char *config, char *buf, size_t len)
{
	const struct bench_record *best = NULL;

	for (size_t i = 0; i < r->n_recs; i++) {
		const struct bench_record *x = &r->recs[i];

		if (strcmp(x->scenario, scenario) || strcmp(x->config, config) ||
		    !x->timeline[0] || (best && best->rep <= x->rep))
			continue;
		best = x;
	}
	if (!best)
		return NULL;
	snprintf(buf, len, "%s/%s", r->outdir, best->timeline);
	return buf;
}

static int write_report(struct run *r)
{
	static struct bench_summary sum;
	char path[PATH_MAX + 64], st[PATH_MAX + 300], pw[PATH_MAX + 300];
	char err[256];
	int rc = 0;
	FILE *f;

	if (bench_summarise(r->recs, r->n_recs, &sum)) {
		fprintf(stderr, "pathwarden bench: too many cells to summarise\n");
		return -1;
	}
	bench_print_text(stdout, &sum);
	snprintf(path, sizeof(path), "%s/summary.md", r->outdir);
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "pathwarden bench: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	bench_print_markdown(f, &sum);
	if (fclose(f)) {
		fprintf(stderr, "pathwarden bench: %s: write failed\n", path);
		rc = -1;
	}
	for (unsigned int i = 0; i < r->n_scen; i++) {
		const char *name = r->scen[i]->name;
		const char *ts = first_timeline(r, name, "stock", st, sizeof(st));
		const char *tp = first_timeline(r, name, "pathwarden", pw,
						sizeof(pw));

		snprintf(path, sizeof(path), "%s/%s.svg", r->outdir, name);
		f = fopen(path, "we");
		if (!f || bench_svg(f, name, ts, tp, err, sizeof(err))) {
			fprintf(stderr, "pathwarden bench: %s: %s\n", path,
				f ? err : strerror(errno));
			rc = -1;
		}
		if (f && fclose(f))
			rc = -1;
	}
	printf("\nrecords, timelines, hooks.log, summary.md and one SVG per "
	       "scenario in %s\n", r->outdir);
	return rc;
}

/* --- the run --------------------------------------------------------- */

static size_t rep_seconds(const struct bench_conf *bc)
{
	/* baseline + settle, effect, hold, failback, and slack */
	return (size_t)(3 * bc->deadline_s + bc->settle_s + bc->hold_s) + 30;
}

static bool set_up(struct run *r)
{
	const struct bench_conf *bc = r->bc;
	char err[512];
	size_t secs_max = rep_seconds(bc);

	if (!resolve_nodes(r) || !resolve_map(r))
		return false;
	for (unsigned int i = 0; i < r->o->conf->n_probes; i++) {
		const struct conf_probe *pr = &r->o->conf->probes[i];

		/* the daemon's write probe shares the start of the map */
		if (pr->write && !strcmp(pr->map, r->map))
			fprintf(stderr, "pathwarden bench: warning: the "
				"configuration's probe of %s writes (line %d): a "
				"daemon running with it overwrites the load's "
				"region, and the read-back reports mismatches\n",
				pr->map, pr->line);
	}
	if (bc->device[0])
		snprintf(r->device, sizeof(r->device), "%s", bc->device);
	else
		snprintf(r->device, sizeof(r->device), "/dev/mapper/%s",
			 r->map);
	if (bench_load_open(&r->load, r->device, bc->blocks, bc->rate,
			    secs_max * bc->rate * 5 / 4 + 1024, err,
			    sizeof(err))) {
		fprintf(stderr, "pathwarden bench: %s\n", err);
		return false;
	}
	if (bench_observer_init(&r->obs, r->map, r->o->capture_dir,
				r->o->root, r->o->conf,
				secs_max * 20 * 5 / 4 + 64)) {
		fprintf(stderr, "pathwarden bench: out of memory\n");
		return false;
	}
	return open_outdir(r);
}

int bench_run(const struct bench_opts *o)
{
	static struct run run;
	struct run *r = &run;
	struct sigaction sa = { .sa_handler = on_stop_signal }, old_int, old_term;
	unsigned int idx_scen[BCONF_MAX_SCENARIOS], idx_cfg[BCONF_MAX_CONFIGS];
	int rc = 3;

	memset(r, 0, sizeof(*r));
	r->o = o;
	r->bc = o->bc;
	r->hooks_fd = -1;
	r->load.fd = -1;
	if (!select_names(o->scenarios, "scenario", scen_name, o->bc,
			  o->bc->n_scenarios, idx_scen, &r->n_scen) ||
	    !select_names(o->configs, "config", cfg_name, o->bc,
			  o->bc->n_configs, idx_cfg, &r->n_cfg))
		return 2;
	for (unsigned int i = 0; i < r->n_scen; i++)
		r->scen[i] = &o->bc->scenarios[idx_scen[i]];
	for (unsigned int i = 0; i < r->n_cfg; i++)
		r->cfg[i] = &o->bc->configs[idx_cfg[i]];
	if (r->n_scen * r->n_cfg > MAX_CELLS) {
		fprintf(stderr, "pathwarden bench: at most %d scenario x config "
			"pairs in one run\n", MAX_CELLS);
		return 2;
	}
	for (unsigned int i = 0; i < r->n_cfg; i++)
		if (strcmp(r->cfg[i]->name, "stock") &&
		    strcmp(r->cfg[i]->name, "pathwarden"))
			fprintf(stderr, "pathwarden bench: note: config %s is "
				"recorded, but the tables and SVGs compare only "
				"'stock' and 'pathwarden'\n", r->cfg[i]->name);
	r->total = o->reps * r->n_cfg * r->n_scen;
	r->cap_recs = r->total;
	r->recs = calloc(r->cap_recs ? r->cap_recs : 1, sizeof(*r->recs));
	if (!r->recs || !set_up(r))
		goto out;

	fprintf(stderr, "pathwarden bench: map %s (%s), home %s, peer %s, %u "
		"reps x %u configs x %u scenarios, results in %s\n", r->map,
		r->device, r->node_names[r->home], r->node_names[r->peer],
		o->reps, r->n_cfg, r->n_scen, r->outdir);
	stop_requested = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	for (unsigned int n = 1; n <= o->reps; n++) {
		for (unsigned int i = 0; i < r->n_cfg; i++) {
			/* odd reps in file order, even ones reversed */
			struct rep cfg_rep = {
				.k = r->cfg[n % 2 ? i : r->n_cfg - 1 - i],
				.n = n,
			};

			if (stop_requested || r->aborted)
				break;
			if (r->in_place == cfg_rep.k) {
				hook_note(r, &cfg_rep, "still in place from the "
					  "repetition before, hook not run");
			} else if (!run_hook(r, &cfg_rep, "config",
					     &cfg_rep.k->setup)) {
				r->in_place = NULL;
				report_failure(r, &cfg_rep, r->n_scen);
				fprintf(stderr, "  (its %u scenarios skipped)\n",
					r->n_scen);
				r->done += r->n_scen;
				continue;
			}
			r->in_place = cfg_rep.k;
			for (unsigned int j = 0; j < r->n_scen; j++) {
				struct rep p = { .s = r->scen[j],
						 .k = cfg_rep.k, .n = n };

				if (stop_requested || r->aborted)
					break;
				run_scenario(r, &p);
				if (p.failed || p.missed)
					r->in_place = NULL;
				if (p.failed)
					report_failure(r, &p, 1);
				else if (p.missed)
					report_miss(r, &p);
			}
			if (stop_requested || r->aborted)
				r->in_place = NULL;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	rc = 0;
	if (r->n_recs && write_report(r))
		rc = 1;
	if (r->io_errors || r->mismatches)
		printf("APPLICATION I/O ERRORS: %u, VERIFY MISMATCHES: %u\n",
		       r->io_errors, r->mismatches);
	else
		printf("application I/O errors: 0, verify mismatches: 0\n");
	if (r->missed)
		fprintf(stderr, "pathwarden bench: %u repetition%s of the "
			"reference, %s, missed a state (reasons above; null "
			"in the records)\n", r->missed, r->missed == 1 ? "" : "s",
			r->bc->reference);
	if (stop_requested)
		fprintf(stderr, "pathwarden bench: interrupted after %u of %u "
			"repetitions\n", r->done, r->total);
	if (r->failed || stop_requested || r->aborted) {
		fprintf(stderr, "pathwarden bench: %u of %u repetitions failed "
			"(reasons above)\n", r->failed, r->total);
		rc = 1;
	}
out:
	if (r->records)
		fclose(r->records);
	if (r->hooks_fd >= 0)
		close(r->hooks_fd);
	if (!r->aborted) {
		bench_load_close(&r->load);
		bench_observer_free(&r->obs);
	}
	free(r->recs);
	return rc;
}
