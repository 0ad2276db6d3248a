// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Portals, sessions and re-login: portal probe rounds, logins in child
 * processes (one per portal at a time), sessions reinstated in
 * multipathd when they come back, and the portal set on reload.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>



#include "daemon_priv.h"

static struct portal_stats *pstat(struct daemon *d, struct portal_probe *p)
{
	return &d->pstats[p - d->portals.p];
}

/* Is @ss a session to portal @p (and its node's target, if named)? */
static bool session_at(const struct iscsi_sess *ss,
		       const struct portal_probe *p)
{
	return ss->port == p->portal->port &&
	       !strcmp(ss->address, p->portal->host) &&
	       (!p->node->target[0] || !strcmp(ss->target, p->node->target));
}

static const struct iscsi_sess *session_for(const struct sysfs_snapshot *s,
					    const struct portal_probe *p)
{
	for (size_t i = 0; i < s->n_sess; i++)
		if (session_at(&s->sess[i], p))
			return &s->sess[i];
	return NULL;
}

static void relogin_next(struct daemon *d);

/* The portal a login job was for, by name: a reload may have rebuilt the
 * set since it started.  -1 when it is gone. */
static int job_portal(const struct daemon *d, const struct login_job *j)
{
	for (unsigned int i = 0; i < d->portals.n; i++) {
		const struct portal_probe *p = &d->portals.p[i];

		if (!strcmp(p->node->name, j->node) &&
		    !strcmp(p->portal->host, j->host) &&
		    p->portal->port == j->port)
			return (int)i;
	}
	return -1;
}

/* What portal_login keeps about a portal's logins, for the metrics. */
static void pstat_login(struct daemon *d, unsigned int i)
{
	struct portal_stats *ps = &d->pstats[i];

	ps->login_failure = plogin_failure(&d->plogin[i], &ps->login_status,
					   &ps->login_failed);
}

static void say_login(const char *node, const char *host, unsigned int port,
		      enum plogin_say say, const char *line)
{
	if (say == PLOGIN_SAY_WARN)
		log_warn("re-login %s %s:%u: %s", node, host, port, line);
	else if (say == PLOGIN_SAY_INFO)
		log_info("re-login %s %s:%u: %s", node, host, port, line);
}

static void on_login_done(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	struct login_job *j = NULL;
	char line[512];
	ssize_t n;
	int st, i;

	(void)revents;
	for (unsigned int k = 0;
	     k < CONF_MAX_NODES * CONF_MAX_PORTALS && !j; k++)
		if (d->login[k].pid > 0 && d->login[k].fd == fd)
			j = &d->login[k];
	if (!j) {
		loop_del_fd(&d->loop, fd);
		close(fd);
		return;
	}
	n = read(fd, (char *)&j->rep + j->len, sizeof(j->rep) - j->len);
	if (n > 0) {
		j->len += (size_t)n;
		if (j->len < sizeof(j->rep))
			return;
	}
	loop_del_fd(&d->loop, fd);
	close(fd);
	waitpid(j->pid, &st, 0);
	/* A report cut short is no report: the child died on the way. */
	if (j->len != sizeof(j->rep) ||
	    (unsigned int)j->rep.result >= ISCSI_LOGIN_RESULTS) {
		memset(&j->rep, 0, sizeof(j->rep));
		j->rep.result = ISCSI_LOGIN_NOT_RUN;
		j->rep.status = -1;
		snprintf(j->rep.msg, sizeof(j->rep.msg), "the login process "
			 "ended without a word (%s %d)", WIFSIGNALED(st) ?
			 "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) :
			 WEXITSTATUS(st));
	}
	j->rep.msg[sizeof(j->rep.msg) - 1] = '\0';
	i = job_portal(d, j);
	if (i >= 0) {
		enum plogin_say say = plogin_done(&d->plogin[i], &j->rep,
						  d->loop.now(), line,
						  sizeof(line));

		say_login(j->node, j->host, j->port, say, line);
		pstat_login(d, (unsigned int)i);
	} else {
		log_info("re-login %s %s:%u: %s (portal no longer configured)",
			 j->node, j->host, j->port, j->rep.msg);
	}
	j->pid = 0;
	j->fd = -1;
	loop_timer_arm_before(&d->loop, d->t_refresh, d->loop.now() + 50 * MS);
	relogin_next(d);
}

static bool session_still_free(struct daemon *d, int sid)
{
	struct sysfs_snapshot s;
	bool is_free = false;

	if (sysfs_scan_sessions(d->o->root, &s))
		return false;
	for (size_t i = 0; i < s.n_sess; i++)
		if (s.sess[i].sid == sid)
			is_free = !strcmp(s.sess[i].state, "FREE");
	sysfs_snapshot_free(&s);
	return is_free;
}

/* The child's work: the stale session out, then iscsi_portal_login. */
static void login_child(struct daemon *d, const struct portal_probe *p,
			int stale_sid, bool new_record,
			struct iscsi_login_report *r)
{
	char lo[200] = "";

	memset(r, 0, sizeof(*r));
	r->status = -1;
	/* iscsid may have brought the session back since it was seen
	 * FREE: never log out a session that works again. */
	if (stale_sid > 0 && !session_still_free(d, stale_sid)) {
		r->result = ISCSI_LOGIN_OK;
		snprintf(r->msg, sizeof(r->msg), "session %d recovered by "
			 "iscsid; nothing to do", stale_sid);
		return;
	}
	if (stale_sid > 0 &&
	    iscsi_logout_session(d->c, stale_sid, lo, sizeof(lo))) {
		r->result = ISCSI_LOGIN_LOGOUT_FAILED;
		snprintf(r->msg, sizeof(r->msg), "%s", lo);
		return;
	}
	iscsi_portal_login(d->c, p->node, p->portal, new_record, r);
	if (lo[0]) {
		char m[sizeof(lo) + 2 + sizeof(r->msg)];

		snprintf(m, sizeof(m), "%s; %s", lo, r->msg);
		str_copy(r->msg, sizeof(r->msg), m);
	}
}

/*
 * The login child keeps only its report pipe and stdin/out/err.  Anything
 * else it inherits from the daemon stays open as long as it runs: above
 * all the portal probes' connections in flight at the fork, which the
 * daemon closes at once, but whose close then sends no FIN.  LIO's login
 * thread serves one connection at a time per portal and waits on such a
 * connection for a login request until its 15 s timeout, so the login
 * this very child runs through that portal waited behind it (the lab saw
 * 10-14 s stalls of every portal's logins after a node came back).
 */
static void keep_only(int keep)
{
	if ((keep <= 3 || !close_range(3, (unsigned int)keep - 1, 0)) &&
	    !close_range((unsigned int)keep + 1, ~0u, 0))
		return;
	/* close_range is Linux 5.9 on */
	for (int fd = 3; fd < 65536; fd++)
		if (fd != keep)
			close(fd);
}

/* iscsiadm takes a while: the child runs it and reports through a pipe,
 * so the loop keeps serving events.  One login per portal at a time; a
 * portal that needs another when one ends is taken then (relogin_next). */
static void start_login(struct daemon *d, struct portal_probe *p,
			int stale_sid)
{
	unsigned int i = (unsigned int)(p - d->portals.p);
	struct login_job *j = &d->login[i];
	bool new_record = plogin_wants_record(&d->plogin[i]);
	int pfd[2];
	pid_t pid;

	if (j->pid > 0 || !p->node->target[0])
		return;
	if (pipe2(pfd, O_CLOEXEC))
		return;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	if (pid == 0) {
		struct iscsi_login_report r;

		keep_only(pfd[1]);
		login_child(d, p, stale_sid, new_record, &r);
		/* One write well under PIPE_BUF: it arrives whole. */
		_Static_assert(sizeof(r) <= 4096, "report fits PIPE_BUF");
		_exit(write(pfd[1], &r, sizeof(r)) != (ssize_t)sizeof(r));
	}
	close(pfd[1]);
	*j = (struct login_job){ .pid = pid, .fd = pfd[0],
				 .stale_sid = stale_sid,
				 .port = p->portal->port };
	str_copy(j->node, sizeof(j->node), p->node->name);
	str_copy(j->host, sizeof(j->host), p->portal->host);
	pstat(d, p)->relogins++;
	loop_add_fd(&d->loop, pfd[0], POLLIN, on_login_done, d);
}

/*
 * How long a FREE session is left to iscsid's own reconnect after its
 * portal answers again: each of iscsid's attempts waits at most the login
 * timeout the session was made with on a connect to a silent portal (the
 * kernel's SYNs go out at 0, 1, 3, 7 s), and the login itself takes a
 * moment; in the lab the sessions came back 1.3-4.0 s after the portal
 * answered.  The configured login-timeout is what `pathwarden login`
 * gave the session.
 */
#define FREE_SLACK_NS (3000 * MS)

/* Has @p answered a probe since session @sid changed to its state? */
static bool answered_since(const struct daemon *d,
			   const struct portal_probe *p, int sid)
{
	for (unsigned int k = 0; k < d->n_sess; k++)
		if (d->sess[k].sid == sid)
			return p->answered_ns > d->sess[k].since_ns;
	return false;	/* not looked at yet */
}

/*
 * Does portal @p (index @i), which answers, need a login from us?  No
 * session: yes.  A FREE session (its recovery timed out: multipathd has
 * failed its paths already, nothing is queued on it) is iscsid's to
 * reconnect, which keeps its disks, for a grace after the portal answers
 * (portal_login.h); then it is logged out and in.  A FAILED session is
 * still recovering with I/O queued: iscsid's.  Returns false when nothing
 * is to be done now; sets *stale_sid.
 */
static bool needs_login(struct daemon *d, const struct sysfs_snapshot *s,
			unsigned int i, uint64_t now, int *stale_sid)
{
	const struct portal_probe *p = &d->portals.p[i];
	const struct iscsi_sess *sess;

	*stale_sid = 0;
	if (p->state != PORTAL_UP || !p->node->target[0])
		return false;
	sess = session_for(s, p);
	if (!sess)
		return true;
	if (!strcmp(sess->state, "FREE")) {
		/* An answer from before the session failed says nothing
		 * about the portal now: a portal with a session logged in is
		 * probed every tenth round only, and a logout while its node
		 * is away makes the login wait for the links and come back
		 * with new disks (16 LUNs in the lab: 20 s early). */
		if (!answered_since(d, p, sess->sid))
			return false;
		if (plogin_leave_free(&d->plogin[i], now,
				      d->c->login_timeout_s * S +
				      FREE_SLACK_NS))
			return false;
		*stale_sid = sess->sid;
		return true;
	}
	return false;
}

/* Start a login for every portal that answers and needs one, by the
 * sessions @s, when its portal_login state lets it (backoff). */
static void relogin_with(struct daemon *d, const struct sysfs_snapshot *s)
{
	uint64_t now = d->loop.now();
	int sid;

	if (!d->c->relogin)
		return;
	for (unsigned int i = 0; i < d->portals.n; i++) {
		struct portal_probe *p = &d->portals.p[i];
		const struct iscsi_sess *ss;
		char line[512];

		if (d->login[i].pid > 0 || !plogin_due(&d->plogin[i], now))
			continue;
		if (needs_login(d, s, i, now, &sid)) {
			start_login(d, p, sid);
			continue;
		}
		/* Someone else's session: a failure we kept is over. */
		ss = session_for(s, p);
		if (p->state == PORTAL_UP && ss && strcmp(ss->state, "FREE")) {
			say_login(p->node->name, p->portal->host,
				  p->portal->port,
				  plogin_not_needed(&d->plogin[i], line,
						    sizeof(line)), line);
			pstat_login(d, i);
		}
	}
}

/* The same, reading the sessions, when a portal comes back or a login
 * ends (not the portal round, which has them read already). */
static void relogin_next(struct daemon *d)
{
	struct sysfs_snapshot s;
	uint64_t now = d->loop.now();
	bool want = false;

	if (!d->c->relogin)
		return;
	for (unsigned int i = 0; i < d->portals.n; i++)
		want |= d->portals.p[i].state == PORTAL_UP &&
			d->login[i].pid <= 0 && plogin_due(&d->plogin[i], now);
	if (!want || sysfs_scan_sessions(d->o->root, &s))
		return;
	relogin_with(d, &s);
	sysfs_snapshot_free(&s);
}

static void portal_changed(void *arg, struct portal_probe *p,
			   enum portal_state old, uint64_t now)
{
	struct daemon *d = arg;
	char det[128], pa[96];
	const struct ev_where w = { .node = p->node->name, .portal = pa };

	pstat(d, p)->up = p->state;
	snprintf(pa, sizeof(pa), "%s:%u", p->portal->host, p->portal->port);
	snprintf(det, sizeof(det), "%s %s", p->node->name, pa);
	if (p->state == PORTAL_DOWN) {
		plogin_portal_down(&d->plogin[p - d->portals.p]);
		event_at(d, NULL, now, FW_EV_PORTAL_DOWN, det, &w);
		check_early(d, now);
		return;
	}
	d->early_done[p->node - d->c->nodes] = false;
	plogin_portal_up(&d->plogin[p - d->portals.p], now);
	if (old == PORTAL_UNKNOWN)
		return;
	event_at(d, NULL, now, FW_EV_PORTAL_UP, det, &w);
	relogin_next(d);
}

/*
 * Back to LOGGED_IN: reinstate its paths in dm now, instead of waiting
 * for multipathd's next check, then let the switch logic decide on the
 * paths' own RTPG answers.  multipathd 0.9.4 reinstates an operator's
 * path in dm and nothing more: its checker still holds the path failed,
 * and it switches back to the group only at its next check of it (a
 * crashed node's paths, reinstated so, carried I/O again 1.8-3.3 s
 * later in the lab).  A path dm has active again whose own answer says
 * its group serves counts as usable (path_judge.c), so the batch asked
 * after the next view switches to an optimized group at once, and to no
 * group its node no longer reports optimized.
 */
static void reinstate_session(struct daemon *d, int sid, uint64_t now)
{
	bool any = false;

	if (!d->have_view)
		return;
	for (size_t i = 0; i < d->view.n_maps; i++)
		for (size_t j = 0; j < d->view.maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &d->view.maps[i].paths[j];
			char cmd[96], *reply = NULL;
			struct sd_dev sd;

			if (!p->sess || p->sess->sid != sid ||
			    !p->mp->dm_failed)
				continue;
			/* The disk must be running again. */
			if (!sysfs_read_sd(d->o->root, p->mp->dev, &sd) ||
			    strcmp(sd.state, "running"))
				continue;
			snprintf(cmd, sizeof(cmd), "reinstate path %s",
				 p->mp->dev);
			if (mpath_cmd(d->o->mpath, cmd, &reply) == 0)
				any = true;
			free(reply);
			event(d, d->view.maps[i].mp->name, now,
			      FW_EV_PATH_REINSTATED, p->mp->dev);
		}
	if (any) {
		d->rtpg_after_view = true;
		loop_timer_arm_before(&d->loop, d->t_refresh, now + 20 * MS);
	}
}

/* Session @ss failed: its portal's earlier answer no longer counts. */
static void answer_stale(struct daemon *d, const struct iscsi_sess *ss)
{
	for (unsigned int i = 0; i < d->portals.n; i++)
		if (session_at(ss, &d->portals.p[i]))
			plogin_answer_stale(&d->plogin[i]);
}

/* A FREE session logged in again by iscsid's own reconnect (the daemon's
 * re-login replaces it with a new one): said. */
static void say_session_back(struct daemon *d, const struct iscsi_sess *ss,
			     uint64_t now)
{
	for (unsigned int i = 0; i < d->portals.n; i++) {
		struct portal_probe *p = &d->portals.p[i];
		char line[200];
		enum plogin_say say;

		if (!session_at(ss, p))
			continue;
		say = plogin_session_back(&d->plogin[i], now, line,
					  sizeof(line));
		say_login(p->node->name, p->portal->host, p->portal->port,
			  say, line);
		return;
	}
}

static void check_sessions(struct daemon *d, const struct sysfs_snapshot *s,
			   uint64_t now)
{
	d->n_sess = sess_track_prune(d->sess, d->n_sess, s->sess, s->n_sess);
	for (size_t i = 0; i < s->n_sess; i++) {
		struct sess_track *t = NULL;
		bool was_free;

		for (unsigned int k = 0; k < d->n_sess; k++)
			if (d->sess[k].sid == s->sess[i].sid)
				t = &d->sess[k];
		if (!t) {
			if (d->n_sess == MAX_SESS)
				continue;
			t = &d->sess[d->n_sess++];
			t->sid = s->sess[i].sid;
			t->since_ns = now;
			str_copy(t->state, sizeof(t->state), s->sess[i].state);
			continue;
		}
		if (!strcmp(t->state, s->sess[i].state))
			continue;
		{
			char det[96];

			snprintf(det, sizeof(det), "session %d %s -> %s",
				 t->sid, t->state, s->sess[i].state);
			event(d, NULL, now, FW_EV_SESSION_STATE, det);
		}
		was_free = !strcmp(t->state, "FREE");
		str_copy(t->state, sizeof(t->state), s->sess[i].state);
		t->since_ns = now;
		if (!strcmp(s->sess[i].state, "FREE") ||
		    !strcmp(s->sess[i].state, "FAILED"))
			answer_stale(d, &s->sess[i]);
		if (!strcmp(s->sess[i].state, "LOGGED_IN")) {
			if (was_free)
				say_session_back(d, &s->sess[i], now);
			reinstate_session(d, t->sid, now);
		}
	}
}

/*
 * The sessions at a portal round.  A full look (through libopeniscsiusr:
 * every session's target, portal and timeouts) cost the daemon 1.4 % of
 * a core per look a second at idle in the lab (TCG), and two were taken
 * every round; now one, and only when the sessions' states changed since
 * the last (sysfs_session_states: the state attributes alone), or when
 * a portal had no session then (re-login has work).  Otherwise neither
 * check_sessions nor re-login would act on it.
 */
static void look_at_sessions(struct daemon *d, uint64_t now)
{
	struct sysfs_snapshot s;
	uint64_t sig;
	int n = sysfs_session_states(d->o->root, &sig);

	if (n >= 0 && d->sess_looked && d->sess_settled && sig == d->sess_sig)
		return;
	if (sysfs_scan_sessions(d->o->root, &s))
		return;
	check_sessions(d, &s, now);
	relogin_with(d, &s);
	d->sess_settled = true;
	for (unsigned int i = 0; i < d->portals.n; i++) {
		const struct portal_probe *p = &d->portals.p[i];
		const struct iscsi_sess *ss = session_for(&s, p);

		d->portal_in[i] = ss && !strcmp(ss->state, "LOGGED_IN");
		if (d->c->relogin && p->node->target[0] &&
		    (!ss || !strcmp(ss->state, "FREE")))
			d->sess_settled = false;
	}
	sysfs_snapshot_free(&s);
	d->sess_sig = sig;
	d->sess_looked = n >= 0;
}

/*
 * Which portals this round's TCP probe is for.  A portal with a session
 * logged in is watched by iSCSI's own NOP-Out every noop-interval (in
 * the lab, idle, TCG, portal-check-ms 0 took the daemon from 6.8 % of a
 * core to 3.2 %: the four probes twice a second and, the round then
 * once a second, half the session reads; not measured apart): it is
 * probed every PORTAL_SLOW_ROUNDS rounds, for its state and metric.  Every
 * round: a portal without one (its re-login waits for the answer), and
 * every portal with early-failover, whose evidence is the portals'
 * silence while the prober's I/O is stuck.
 */
#define PORTAL_SLOW_ROUNDS 10

static void probe_portals(struct daemon *d, uint64_t now)
{
	bool want[CONF_MAX_NODES * CONF_MAX_PORTALS];
	bool slow = d->portal_rounds++ % PORTAL_SLOW_ROUNDS == 0;

	for (unsigned int i = 0; i < d->portals.n; i++)
		want[i] = d->c->early_failover || slow || !d->portal_in[i] ||
			  d->portals.p[i].state != PORTAL_UP;
	portal_set_round(&d->portals, now, want);
}

static void on_portal_round(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	look_at_sessions(d, now);
	if (d->c->portal_check_ms) {
		probe_portals(d, now);
		loop_timer_arm(&d->loop, d->t_portal,
			       now + d->c->portal_check_ms * MS);
	} else {
		loop_timer_arm(&d->loop, d->t_portal, now + 1 * S);
	}
	open_probes(d, now);
}

/* ---- reloading the configuration ------------------------------------- */

static bool nodes_same(const struct pw_conf *a, const struct pw_conf *b)
{
	if (a->n_nodes != b->n_nodes)
		return false;
	for (unsigned int i = 0; i < a->n_nodes; i++) {
		const struct conf_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (strcmp(x->name, y->name) || strcmp(x->target, y->target) ||
		    x->n_portals != y->n_portals)
			return false;
		for (unsigned int j = 0; j < x->n_portals; j++)
			if (strcmp(x->portals[j].host, y->portals[j].host) ||
			    x->portals[j].port != y->portals[j].port)
				return false;
	}
	return true;
}

static void pstats_fill(struct daemon *d)
{
	for (unsigned int i = 0; i < d->portals.n; i++) {
		memset(&d->pstats[i], 0, sizeof(d->pstats[i]));
		str_copy(d->pstats[i].node, sizeof(d->pstats[i].node),
			 d->portals.p[i].node->name);
		snprintf(d->pstats[i].portal, sizeof(d->pstats[i].portal),
			 "%s:%u", d->portals.p[i].portal->host,
			 d->portals.p[i].portal->port);
		d->pstats[i].up = -1;
		d->pstats[i].login_status = -1;
	}
}

/* Every portal's logins start afresh; the first pause after a failure is
 * the probe interval. */
static void plogin_fill(struct daemon *d, const struct pw_conf *c)
{
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		plogin_init(&d->plogin[i], (uint64_t)c->portal_check_ms * MS);
}

/*
 * The portal probes point into the configuration.  Same nodes: point
 * them at the new copy and keep what they know (up or down).  Otherwise
 * start a new set: every portal unknown again, resolved again, re-login
 * counts kept for the portals that stay.
 */
void portals_reload(struct daemon *d, const struct pw_conf *nc)
{
	struct portal_stats old[CONF_MAX_NODES * CONF_MAX_PORTALS];
	struct plogin old_pl[CONF_MAX_NODES * CONF_MAX_PORTALS];
	unsigned int n_old = d->portals.n;

	d->portals.connect_ns = (uint64_t)nc->portal_connect_ms * MS;
	/* relogin or the portals may differ: look at the sessions afresh */
	d->sess_looked = false;
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		plogin_set_base(&d->plogin[i],
				(uint64_t)nc->portal_check_ms * MS);
	if (nodes_same(d->c, nc)) {
		for (unsigned int i = 0; i < d->portals.n; i++) {
			struct portal_probe *p = &d->portals.p[i];
			size_t ni = (size_t)(p->node - d->c->nodes);
			size_t pi = (size_t)(p->portal - p->node->portals);

			p->node = &nc->nodes[ni];
			p->portal = &nc->nodes[ni].portals[pi];
		}
		return;
	}
	memcpy(old, d->pstats, sizeof(old));
	memcpy(old_pl, d->plogin, sizeof(old_pl));
	portal_set_stop(&d->portals);
	memset(d->early_done, 0, sizeof(d->early_done));
	if (portal_set_init(&d->portals, nc, &d->loop, portal_changed, d))
		log_err("SIGHUP: no timer left for the portal probes");
	pstats_fill(d);
	plogin_fill(d, nc);
	for (unsigned int i = 0; i < d->portals.n; i++)
		for (unsigned int j = 0; j < n_old; j++)
			if (!strcmp(old[j].node, d->pstats[i].node) &&
			    !strcmp(old[j].portal, d->pstats[i].portal)) {
				d->pstats[i].relogins = old[j].relogins;
				/* what its logins met, and their pause */
				d->plogin[i] = old_pl[j];
				pstat_login(d, i);
			}
}

int portals_init(struct daemon *d)
{
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		d->login[i].fd = -1;
	d->t_portal = loop_timer_new(&d->loop, on_portal_round, d);
	if (portal_set_init(&d->portals, d->c, &d->loop, portal_changed, d))
		return -1;
	d->have_portals = true;
	pstats_fill(d);
	plogin_fill(d, d->c);
	loop_timer_arm(&d->loop, d->t_portal, d->loop.now());
	return 0;
}

void portals_fini(struct daemon *d)
{
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		if (d->login[i].pid > 0) {
			kill(d->login[i].pid, SIGKILL);
			waitpid(d->login[i].pid, NULL, 0);
			d->login[i].pid = 0;
		}
	if (d->have_portals)
		portal_set_stop(&d->portals);
	d->have_portals = false;
}
