// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The view and what the daemon does with it: a fresh view on every
 * resync and event, the RTPG batch after an ALUA change (off the loop,
 * rtpg_job.h), group switches and their verification, transitions held
 * too long, paths the target refuses, I/O parked on a transition.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>



#include "daemon_priv.h"

static void verify_switch(void *arg, uint64_t now);

/* ---- switching ---------------------------------------------------------- */

void verify_switch(void *arg, uint64_t now);

/*
 * The number group @group of @m has in the kernel's table right now: the
 * view's numbers are as old as the view, and multipathd renumbers the
 * groups when it reloads a map by prio, which after a promotion it does
 * to map after map (at 16 LUNs the lab once sent hpms02's old number, by
 * then hpms01's group, and switched a map the wrong way for over a
 * second).  0 when no group holds exactly those paths any more
 * (regrouped: the next view decides); @group itself when dm's status
 * cannot be read, or holds more paths than it keeps.  @next: dm's next
 * group as read (0 unknown).
 */
static unsigned int group_in_dm(struct daemon *d, const struct pw_map *m,
				unsigned int group, unsigned int *next)
{
	const struct mp_map *mp = m->mp;
	const struct mp_group *grp = &mp->groups[group - 1];
	char devt[DMS_MAX_PATHS][16], err[64], *line;
	struct dm_mpath_status st;
	size_t n = 0;
	unsigned int now = group;

	*next = 0;
	for (size_t i = 0; i < grp->n_paths && n < DMS_MAX_PATHS; i++)
		str_copy(devt[n++], sizeof(devt[0]),
			 mp->paths[grp->first_path + i].devt);
	line = dm_status_get(mp->name, d->o->dm_capture_dir);
	if (line && n == grp->n_paths &&
	    dm_status_parse(line, &st, err, sizeof(err)) &&
	    st.n_paths < DMS_MAX_PATHS) {
		now = dm_status_group_of(&st, (const char (*)[16])devt, n);
		*next = st.next_group;
	}
	free(line);
	return now;
}

/* A failure of dm's switch_group that multipathd's switchgroup may not
 * have: dm out of reach (no device-mapper, a sandbox without its
 * control node).  Not -EBUSY (the map suspended: multipathd is reloading
 * it, and would send the number read before its reload) nor -EINVAL (no
 * such group by now): the next view decides. */
static bool dm_out_of_reach(int rc)
{
	return rc != -EBUSY && rc != -EINVAL;
}

static void consider_switch(struct daemon *d, const struct pw_map *m,
			    uint64_t event_ns, uint64_t now, bool alua)
{
	struct map_track *t = track(d, m->mp->name);
	unsigned int group, sent, next;
	char why[200], cmd[200], err[128];
	enum switch_action a;
	int rc;

	if (!t || !d->c->alua_switch)
		return;
	a = switch_decide(m, &t->guard, now, &group, why, sizeof(why));
	if (a == SW_NONE) {
		if (alua)
			log_debug("%s: after the ALUA change: %s", m->mp->name,
				  why);
		return;
	}
	if (a == SW_HELD) {
		/* Say it once per hold, not at every resync. */
		if (!t->held_logged)
			log_warn("%s: not switching: %s", m->mp->name, why);
		t->held_logged = true;
		return;
	}
	t->held_logged = false;
	sent = group_in_dm(d, m, group, &next);
	if (sent != group) {
		log_info("%s: group %u of the view is group %u in dm by now "
			 "(multipathd reloaded the map)", m->mp->name, group,
			 sent);
		if (!sent)
			return;
	}
	if (sent == next) {
		/* multipathd's reload put it first already; a switch_group
		 * would only make dm initialise the group again */
		log_debug("%s: dm uses group %u already", m->mp->name, sent);
		return;
	}
	/* dm's own message, not multipathd's switchgroup (dm_status.h):
	 * after a promotion every map switches, and multipathd, busy
	 * reloading them, answered each command in about 20 ms.  Where dm
	 * is out of reach, multipathd's command sends the same message. */
	rc = dm_switch_group(m->mp->name, sent, d->o->dm_capture_dir);
	if (rc && !dm_out_of_reach(rc)) {
		log_info("%s: dm's switch_group %u: %s; looking again",
			 m->mp->name, sent, strerror(-rc));
		return;
	}
	if (rc) {
		log_debug("%s: dm's switch_group %u: %s; asking multipathd",
			  m->mp->name, sent, strerror(-rc));
		snprintf(cmd, sizeof(cmd), "switchgroup map %s group %u",
			 m->mp->name, sent);
		if (mpath_action(d->o->mpath, cmd, err, sizeof(err))) {
			log_warn("%s: cannot switch to group %u: dm: %s; "
				 "multipathd: %s", m->mp->name, sent,
				 strerror(-rc), err);
			return;
		}
	}
	now = d->loop.now();
	log_info("%s: switched to group %u (%s)", m->mp->name, sent, why);
	/* the guard knows the group by the view's paths, which dm holds
	 * as group @sent */
	switch_note_sent(&t->guard, m, group, now);
	t->guard.sent_group = sent;
	{
		struct probe_slot *ps = probe_for(d, m->mp->name);

		if (ps)
			ps->stats->switches++;
	}
	{
		char det[32];

		snprintf(det, sizeof(det), "group %u", sent);
		event(d, m->mp->name, now, FW_EV_SWITCH_REQUESTED, det);
	}
	t->verifying = true;
	t->group = sent;
	t->want = t->guard.sent;
	t->event_ns = event_ns ? event_ns : now;
	t->requested_ns = now;
	loop_timer_arm_before(&d->loop, d->t_verify, now + 100 * MS);
}

/*
 * "reinstate path" for the paths multipathd should look at now, at most
 * once a second per map (its checker runs once a second; the looks after
 * an ALUA change come faster): those whose group serves again while
 * multipathd still holds them failed (group_watch.h), and, when no group
 * is wholly optimized, the optimized ones whose prio it has not caught up
 * with (switcher.h).
 */
#define REINSTATE_EVERY_NS (1000 * MS)
/* How soon a map's merged group may lose its paths in dm again
 * (fail_merged). */
#define MERGED_EVERY_NS (5000 * MS)
/* How long the non-optimized paths fail_merged failed are left to
 * multipathd's checker rather than given back by command: its next check
 * of them comes a polling_interval later, plus the checker's own time
 * (4.1-4.7 s in two CI runs' lab-states at the lab's 5 s interval under
 * TCG: a 5 s hold raced it),
 * and a path it has found stable may wait up to max_polling_interval
 * (Debian: 20 s).  Optimized paths are given back at once regardless. */
#define MERGED_HOLD_NS (25000 * MS)
#define REINSTATE_MAX 16

static void reinstate(struct daemon *d, const struct pw_map *m,
		      const struct pw_path *p, const char *why)
{
	char cmd[64], err[128];

	snprintf(cmd, sizeof(cmd), "reinstate path %s", p->mp->dev);
	if (mpath_action(d->o->mpath, cmd, err, sizeof(err)))
		log_warn("%s: '%s' failed: %s", m->mp->name, cmd, err);
	else
		log_info("%s: %s: %s", m->mp->name, p->mp->dev, why);
}

/* How many paths whose group serves again it gave back. */
static size_t give_back(struct daemon *d, const struct pw_map *m,
			uint64_t now)
{
	struct map_track *t = track(d, m->mp->name);
	size_t back[REINSTATE_MAX], stale[REINSTATE_MAX], nb, ns;
	bool split[REINSTATE_MAX];
	char why[160];

	if (!t || (t->reinstate_ns && now - t->reinstate_ns <
				      REINSTATE_EVERY_NS))
		return 0;
	nb = group_watch_reinstate(m, back, REINSTATE_MAX);
	/* Paths of a merged group the daemon failed in dm are multipathd's
	 * to reinstate, with the prio refresh that regroups the map; given
	 * back by command before it has they would carry I/O in that group
	 * again.  Once it has, they are in a group of their own and come
	 * back at once (merged_group.h). */
	for (size_t k = 0; k < nb; k++)
		split[k] = m->paths[back[k]].judge.state !=
			   ALUA_ACTIVE_OPTIMIZED &&
			   merged_group_split(m, back[k]);
	if (t->merged_ns && now - t->merged_ns < MERGED_HOLD_NS) {
		size_t keep = 0;

		for (size_t k = 0; k < nb; k++)
			if (split[k] || m->paths[back[k]].judge.state ==
					ALUA_ACTIVE_OPTIMIZED) {
				split[keep] = split[k];
				back[keep++] = back[k];
			}
		nb = keep;
	}
	ns = switch_recheck_paths(m, stale, REINSTATE_MAX);
	if (nb || ns)
		t->reinstate_ns = now;
	for (size_t k = 0; k < nb; k++) {
		const struct pw_path *p = &m->paths[back[k]];

		if (split[k])
			snprintf(why, sizeof(why), "%s, in a group of its own "
				 "since multipathd regrouped the map (dm uses "
				 "optimized paths alone); asked multipathd to "
				 "reinstate it",
				 alua_state_name(p->rtpg.own.state));
		else
			snprintf(why, sizeof(why), "its group is %s again; "
				 "asked multipathd to reinstate it",
				 alua_state_name(p->rtpg.own.state));
		reinstate(d, m, p, why);
	}
	for (size_t k = 0; k < ns; k++) {
		const struct pw_path *p = &m->paths[stale[k]];

		snprintf(why, sizeof(why), "optimized, multipathd's prio %d "
			 "(RTPG says %d) in a group that is not: asked "
			 "multipathd to check it now", p->mp->pri,
			 p->expected_pri);
		reinstate(d, m, p, why);
	}
	return nb;
}

/* Path @p of @m failed in dm (dm_status.h: not multipathd's "fail path"),
 * logged with @why. */
static void fail_in_dm(struct daemon *d, const struct pw_map *m,
		       const struct pw_path *p, const char *why)
{
	int rc = dm_fail_path(m->mp->name, p->mp->devt, d->o->dm_capture_dir);

	if (rc)
		log_warn("%s: cannot fail path %s (%s) in dm: %s", m->mp->name,
			 p->mp->dev, p->mp->devt, strerror(-rc));
	else
		log_info("%s: %s failed in dm: %s", m->mp->name, p->mp->dev,
			 why);
}

/*
 * Paths the target refuses (LIO's offline) that dm still uses: failed in
 * dm now rather than by multipathd at its next check, up to 20 s of
 * EREMOTEIO later (refused_path.h).  multipathd's rtpg checker keeps them
 * failed and reinstates them when the group serves again.
 */
static void fail_refused(struct daemon *d, const struct pw_map *m)
{
	char why[96];

	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (!refused_path_in_use(m, i))
			continue;
		snprintf(why, sizeof(why), "the target refuses it (%s)",
			 tpg_result_name(p->rtpg.result));
		fail_in_dm(d, m, p, why);
	}
}

/*
 * A group of both nodes' paths that dm uses while one node is optimized
 * (merged_group.h): the others failed in dm, for multipathd to reinstate
 * and regroup at its next check.  At most once per MERGED_EVERY_NS a map:
 * should prios not follow ALUA, multipathd never regroups, and this would
 * only take the paths from it again and again.
 */
static void fail_merged(struct daemon *d, const struct pw_map *m,
			uint64_t now)
{
	struct map_track *t = track(d, m->mp->name);
	size_t idx[DMS_MAX_PATHS], n;

	if (!t || (t->merged_ns && now - t->merged_ns < MERGED_EVERY_NS))
		return;
	n = merged_group_to_fail(m, idx, DMS_MAX_PATHS);
	if (n)
		t->merged_ns = now;
	for (size_t k = 0; k < n; k++) {
		const struct pw_path *p = &m->paths[idx[k]];
		char why[200];

		snprintf(why, sizeof(why), "%s in dm's group %u beside "
			 "optimized paths (multipathd grouped them by equal "
			 "prio); multipathd reinstates it at its next check",
			 alua_state_name(p->judge.state), m->dm_next);
		fail_in_dm(d, m, p, why);
	}
}

static void review_parked(struct daemon *d, uint64_t now, bool ask);

/* A disk offline for its time comes back; a transition still held is
 * looked at again (parked_io.h), and the target asked again: the kernel's
 * access_state can miss a transition, the target's answer does not. */
static void on_parked(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	if (parked_io_tick(&d->parked, now / MS))
		loop_timer_arm(&d->loop, d->t_parked,
			       now + PARKED_TICK_MS * MS);
	review_parked(d, now, true);
}

/*
 * While parked_io watches a disk: an RTPG batch of its maps' disks, built
 * from sysfs (multipathd may be waiting on the parked I/O, and a view
 * without it has no paths), at most one per PARKED_LOOK_MS, never on top
 * of a running one.  Its answers go to parked_io only (on_rtpg_done).
 */
static void ask_parked_rtpg(struct daemon *d, const struct sysfs_snapshot *s,
			    uint64_t now)
{
	struct rtpg_batch b = { 0 };

	if (!d->o->rtpg || d->rtpg_job.running ||
	    !parked_io_watching(&d->parked) ||
	    now - d->parked_asked_ns < PARKED_LOOK_MS * MS)
		return;
	for (size_t i = 0; i < s->n_sd; i++)
		if (parked_io_wants_rtpg(&d->parked, s, i) &&
		    !rtpg_batch_add(&b, s->sd[i].holder, s->sd[i].name)) {
			log_err("out of memory starting an RTPG batch");
			rtpg_batch_free(&b);
			return;
		}
	if (!b.n) {
		rtpg_batch_free(&b);
		return;
	}
	d->parked_asked_ns = now;
	if (rtpg_job_start(&d->rtpg_job, &b, d->o->rtpg,
			   d->c->rtpg_timeout_ms, 0))
		d->rtpg_for = RTPG_FOR_PARKED;
	else
		log_warn("cannot start the RTPG thread for the disks in "
			 "transition");
}

/* What the batch's answers say of each disk's group, for parked_io, as of
 * when the batch was asked; a transition the target reports is looked at
 * at once, before multipathd is asked. */
static void note_rtpg(struct daemon *d, const struct rtpg_batch *b,
		      uint64_t asked_ns)
{
	uint64_t now = d->loop.now();

	d->parked.rtpg_timeout_ms = d->c->rtpg_timeout_ms;
	for (size_t i = 0; i < b->n; i++) {
		enum alua_state st;
		bool pref;

		if (!b->items[i].done)
			continue;
		parked_io_note_rtpg(&d->parked, b->items[i].dev,
				    tpg_answer_state(&b->items[i].ans, &st,
						     &pref) ? (int)st : -1,
				    asked_ns / MS);
	}
	if (parked_io_watching(&d->parked) ||
	    parked_io_rtpg_transition(&d->parked, now / MS))
		review_parked(d, now, false);
}

/* ---- the view ----------------------------------------------------------- */

/*
 * A transition is meant to end within the group's implicit transition time
 * (RTPG's extended header; 0 means unknown, and the kernel then waits
 * 60 s): one held longer is an array stuck in it.  Said once per episode.
 */
#define TRANSITION_DEFAULT_S 60
static void watch_transition(struct daemon *d, const struct pw_map *m,
			     uint64_t now)
{
	struct map_track *t = track(d, m->mp->name);
	int group = -1;
	unsigned int limit_s = TRANSITION_DEFAULT_S;

	if (!t)
		return;
	for (size_t i = 0; i < m->mp->n_paths && group < 0; i++) {
		const struct pw_path *p = &m->paths[i];

		if (!path_state_known(p) ||
		    p->judge.state != ALUA_TRANSITIONING)
			continue;
		group = p->rtpg_done && p->rtpg.group_known ?
			p->rtpg.own.group_id : 0;
		if (p->rtpg_done && p->rtpg.implicit_transition_s)
			limit_s = p->rtpg.implicit_transition_s;
	}
	if (group < 0) {
		if (t->trans_group >= 0 && t->trans_warned)
			log_info("%s: the transition of ALUA group %d ended "
				 "after %llu s", m->mp->name, t->trans_group,
				 (unsigned long long)((now - t->trans_since) /
						      S));
		t->trans_group = -1;
		t->trans_warned = false;
		return;
	}
	if (t->trans_group < 0) {
		t->trans_group = group;
		t->trans_since = now;
	}
	if (!t->trans_warned && now - t->trans_since > limit_s * S) {
		log_warn("%s: ALUA group %d has been transitioning for %llu s, "
			 "past its implicit transition time (%u s): the target "
			 "is stuck in it", m->mp->name, t->trans_group,
			 (unsigned long long)((now - t->trans_since) / S),
			 limit_s);
		t->trans_warned = true;
	}
}


/* A fresh view of every map, asking @rtpg (NULL: none) or taking the
 * @answers a batch brought back (NULL: none); false on out-of-memory. */
static bool view_now(struct daemon *d, struct pw_view *nv,
		     struct rtpg_source *rtpg,
		     const struct rtpg_batch *answers)
{
	struct view_opts o = { .conf = d->c, .sysfs_root = d->o->root,
			       .mpath = d->o->mpath, .rtpg = rtpg,
			       .answers = answers,
			       .dm_status = true,
			       .dm_capture_dir = d->o->dm_capture_dir };
	unsigned int timeout_ms = d->o->mpath->timeout_ms;
	uint64_t t0 = d->loop.now();
	bool built;

	/* While a disk is in transition, multipathd's reload of its map can
	 * wait on the very I/O parked there, and multipathd then answers
	 * nothing until its own timeout (4 s): asked briefly, it leaves the
	 * loop free for the next look at the parked I/O. */
	if (parked_io_watching(&d->parked) &&
	    timeout_ms > PARKED_MPATHD_MS)
		d->o->mpath->timeout_ms = PARKED_MPATHD_MS;
	built = view_build(nv, &o);
	d->o->mpath->timeout_ms = timeout_ms;
	d->view_end_ns = d->loop.now();
	d->view_cost_ns = d->view_end_ns - t0;
	if (built)
		return true;
	log_err("out of memory building the view");
	view_free(nv);
	return false;
}

/* A group that does not serve in the view: looked at again in
 * group-watch-ms (group_watch.h), unless a look is due already. */
static void watch_groups(struct daemon *d, uint64_t now)
{
	if (!d->c->group_watch_ms || !d->c->alua_switch || !d->o->rtpg ||
	    loop_timer_armed(&d->loop, d->t_watch) ||
	    !group_watch_wanted(&d->view))
		return;
	loop_timer_arm(&d->loop, d->t_watch, now + d->c->group_watch_ms * MS);
}

static void on_watch(void *arg, uint64_t now)
{
	struct daemon *d = arg;
	struct rtpg_batch b;

	if (!d->have_view || !d->c->group_watch_ms || !d->o->rtpg)
		return;
	if (d->rtpg_job.running) {
		/* one batch at a time: look again after it */
		loop_timer_arm(&d->loop, d->t_watch,
			       now + d->c->group_watch_ms * MS);
		return;
	}
	if (!group_watch_batch(&d->view, &b)) {
		log_err("out of memory starting an RTPG batch");
		return;
	}
	if (!b.n) {
		rtpg_batch_free(&b);
		return;
	}
	log_debug("group watch: %zu path%s asked", b.n, b.n == 1 ? "" : "s");
	if (rtpg_job_start(&d->rtpg_job, &b, d->o->rtpg,
			   d->c->rtpg_timeout_ms, now))
		d->rtpg_for = RTPG_FOR_WATCH;
	else
		loop_timer_arm(&d->loop, d->t_watch,
			       now + d->c->group_watch_ms * MS);
}

/* @nv becomes the daemon's view (taken over), and what it shows is acted
 * on: group switches, switches to make, transitions, refused paths.
 * True when it gave paths back to dm (dm has them active now). */
static bool apply_view(struct daemon *d, struct pw_view *nv,
		       uint64_t event_ns, bool alua)
{
	uint64_t now;
	size_t given = 0;
	enum switch_seen seen;

	now = d->loop.now();
	if (nv->mp_error[0] && d->multipathd_up != 0)
		log_warn("%s", nv->mp_error);
	else if (!nv->mp_error[0] && d->multipathd_up == 0)
		log_info("multipathd answers again");
	d->multipathd_up = !nv->mp_error[0];
	for (size_t i = 0; i < nv->n_maps; i++) {
		const struct pw_map *m = &nv->maps[i];
		struct map_track *t = track(d, m->mp->name);

		if (!t)
			continue;
		if (t->last_active && m->active_group &&
		    t->last_active != m->active_group) {
			char det[48];

			const struct ev_where w = { .group = m->active_group };

			snprintf(det, sizeof(det), "group %u -> %u",
				 t->last_active, m->active_group);
			event_at(d, m->mp->name, now, FW_EV_GROUP_SWITCHED, det,
				 &w);
		}
		t->last_active = m->active_group;
		seen = switch_note_observed(&t->guard, m, now);
		if (seen == SW_SEEN_MISSENT) {
			log_info("%s: the switch went to group %u, which "
				 "multipathd had given other paths meanwhile; "
				 "switching again", m->mp->name,
				 m->active_group);
		} else if (seen == SW_SEEN_REVERT) {
			log_warn("%s: multipathd went back to group %u though "
				 "group %u is optimized: its prios do not follow "
				 "ALUA (run pathwarden doctor)", m->mp->name,
				 m->active_group, m->ao_group);
			struct probe_slot *ps = probe_for(d, m->mp->name);

			if (ps)
				ps->stats->switch_reverts++;
		}
	}
	if (d->have_view)
		view_free(&d->view);
	d->view = *nv;
	memset(nv, 0, sizeof(*nv));
	d->have_view = true;
	health_update(d);
	for (size_t i = 0; i < d->view.n_maps; i++) {
		consider_switch(d, &d->view.maps[i], event_ns, now, alua);
		watch_transition(d, &d->view.maps[i], now);
	}
	/* What the RTPG answers say beyond the group to use. */
	if (alua && d->c->alua_switch)
		for (size_t i = 0; i < d->view.n_maps; i++) {
			fail_refused(d, &d->view.maps[i]);
			fail_merged(d, &d->view.maps[i], now);
			given += give_back(d, &d->view.maps[i], now);
		}
	watch_groups(d, now);
	return given > 0;
}

/*
 * After an ALUA change, every path's group state from its own node's
 * RTPG answer.  Only the paths that carried the unit attention have told
 * the kernel, and a node's RTPG answer for the peer's group may be stale
 * (SCST and LIO raise no unit attention for a change of a group with no
 * local port): a node's answer for its own groups is the one to trust.
 * One path per map and configured node is asked, the node's other paths
 * follow its report (rtpg_batch_add_on); a path of no configured node
 * answers for itself.  A follower's pending unit attention stays for its
 * next I/O or multipathd's next check to collect.  A path whose session
 * is down is skipped.  The batch runs on the RTPG job's thread: a hung
 * target costs rtpg-timeout-ms there, never on the loop.  One batch at a
 * time; a change while one runs asks again when it is back
 * (on_rtpg_done).  True when no thread could be had and a view was read
 * and applied on the loop instead.
 */
void refresh(struct daemon *d, uint64_t event_ns, bool alua);

static bool ask_rtpg(struct daemon *d, uint64_t event_ns)
{
	struct rtpg_batch b;
	struct pw_view nv;
	size_t n, all;

	if (d->rtpg_job.running) {
		d->rtpg_again = true;
		return false;
	}
	if (!d->have_view)
		refresh(d, 0, false);
	if (!d->have_view || !view_rtpg_batch(&d->view, &b, true)) {
		log_err("out of memory starting an RTPG batch");
		return false;
	}
	all = b.n;
	n = 0;
	for (size_t i = 0; i < b.n; i++)
		n += !b.items[i].lead;
	if (rtpg_job_start(&d->rtpg_job, &b, d->o->rtpg,
			   d->c->rtpg_timeout_ms, event_ns)) {
		log_debug("RTPG batch: %zu paths asked off the loop for %zu",
			  n, all);
		free(d->streamed);
		d->streamed = calloc(all, sizeof(*d->streamed));
		d->n_streamed = d->streamed ? all : 0;
		return false;
	}
	/* No thread: ask on the loop, as the view does for a command. */
	log_warn("cannot start the RTPG thread: asking on the loop");
	if (!view_now(d, &nv, d->o->rtpg, NULL))
		return false;
	apply_view(d, &nv, event_ns, true);
	return true;
}

static struct pw_map *view_map_rw(struct daemon *d, const char *name)
{
	for (size_t i = 0; i < d->view.n_maps; i++)
		if (!strcmp(d->view.maps[i].mp->name, name))
			return &d->view.maps[i];
	return NULL;
}

/* Whether the map named @name was switched on its answers as the batch
 * went (its items are together: view_rtpg_batch adds map by map). */
static bool streamed(const struct daemon *d, const struct rtpg_batch *b,
		     const char *name)
{
	for (size_t i = 0; i < b->n && i < d->n_streamed; i++)
		if (d->streamed[i] && !strcmp(b->items[i].map, name))
			return true;
	return false;
}

/*
 * A map all of whose paths have their reports is switched while the
 * batch asks the others: at 64 LUNs under TCG (bench-scale, 592934a)
 * the switches came one after another only at a batch's end, about 40 ms
 * each, the last 2.7 s after the first.  Its answers are
 * copied out (the items are final: rtpg_item_ready) and taken into the
 * last view for that map, which is then switched as at the batch's end.
 * A map with a path that failed, or asks for itself after its lead,
 * waits for the end (peers judge a failed answer there).
 */
static void on_rtpg_progress(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	const struct rtpg_batch *b;
	size_t e;

	(void)fd;
	(void)revents;
	rtpg_job_drain_progress(&d->rtpg_job);
	b = rtpg_job_running(&d->rtpg_job);
	if (!b || d->rtpg_for != RTPG_FOR_VIEW || !d->have_view ||
	    !d->c->alua_switch || d->n_streamed != b->n)
		return;
	for (size_t i = 0; i < b->n; i = e) {
		bool ready = true;
		struct rtpg_batch one = { 0 };
		struct pw_map *m;

		for (e = i; e < b->n && !strcmp(b->items[e].map,
						 b->items[i].map); e++)
			ready = ready && rtpg_item_ready(&b->items[e]);
		if (!ready || d->streamed[i])
			continue;
		d->streamed[i] = true;
		m = view_map_rw(d, b->items[i].map);
		if (!m)
			continue;
		/* its items only: the others may be written meanwhile */
		one.items = (struct rtpg_item *)&b->items[i];
		one.n = e - i;
		view_read_dm_map(m, d->o->dm_capture_dir);
		view_take_map_answers(&d->view, m, &one, d->c);
		log_debug("%s: answers before the batch's end", m->mp->name);
		consider_switch(d, m, d->rtpg_job.event_ns, d->loop.now(),
				false);
		fail_merged(d, m, d->loop.now());
	}
}

/*
 * The answers against the last view, before a fresh one is read: a group
 * the answers now say is optimized is switched to at once, and a group of
 * both nodes dm uses loses its non-optimized paths (fail_merged), on the
 * kernel's status read again now: the view's is as old as multipathd's
 * part.  Maps switched as the batch went (on_rtpg_progress) are not
 * looked at again.  A fresh view (multipathd's map list, sysfs, dm's
 * status) took 26-192 ms, median 70, in the lab under TCG, and after a demotion the
 * promotion is found by these batches, back to back; at 64 LUNs
 * multipathd, reloading map after map under its lock, answered the view
 * 3-4 s late while dm had merged the maps it reloaded between the
 * demotion and the promotion.  The last view's multipathd part is at
 * most one look old; the fresh view follows and has the last word (a
 * switch sent is not sent again, switch_decide's guard; a merged group
 * is failed once in MERGED_EVERY_NS; paths given back are not asked for
 * again within REINSTATE_EVERY_NS).  Paths whose group serves again are
 * given back here too, and their group switched to.
 */
static void switch_on_answers(struct daemon *d, const struct rtpg_batch *b,
			      uint64_t event_ns)
{
	bool *done, given = false;

	if (!d->have_view || !d->c->alua_switch)
		return;
	done = calloc(d->view.n_maps ? d->view.n_maps : 1, sizeof(*done));
	if (!done)
		return;
	for (size_t i = 0; i < d->view.n_maps; i++) {
		done[i] = streamed(d, b, d->view.maps[i].mp->name);
		if (!done[i])
			view_read_dm_map(&d->view.maps[i],
					 d->o->dm_capture_dir);
	}
	view_take_answers(&d->view, b, d->c);
	for (size_t i = 0; i < d->view.n_maps; i++)
		if (!done[i])
			consider_switch(d, &d->view.maps[i], event_ns,
					d->loop.now(), false);
	for (size_t i = 0; i < d->view.n_maps; i++)
		if (!done[i])
			fail_merged(d, &d->view.maps[i], d->loop.now());
	/* A group that serves again: its paths given back now, and the
	 * switch to it made on dm's status read again, rather than after
	 * a fresh view and a second one to see the paths active (72 and
	 * 86 ms of a 0.54 s failback in one bookworm repetition under
	 * TCG).  Maps switched as the batch went too: they had their
	 * answers then. */
	for (size_t i = 0; i < d->view.n_maps; i++) {
		done[i] = give_back(d, &d->view.maps[i], d->loop.now());
		if (done[i])
			view_read_dm_map(&d->view.maps[i],
					 d->o->dm_capture_dir);
		given |= done[i];
	}
	if (given)
		view_judge(&d->view, d->c);
	for (size_t i = 0; given && i < d->view.n_maps; i++)
		if (done[i])
			consider_switch(d, &d->view.maps[i], event_ns,
					d->loop.now(), false);
	free(done);
}

static void on_rtpg_done(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	uint64_t event_ns = d->rtpg_job.event_ns;
	uint64_t asked_ns = d->rtpg_job.started_ns;	/* before a restart */
	struct rtpg_batch b;
	struct pw_view nv;
	enum rtpg_purpose asked_for = d->rtpg_for;
	bool parked = asked_for == RTPG_FOR_PARKED, fresh = false;
	bool skip_view = false;
	char what[200];

	(void)fd;
	(void)revents;
	if (!rtpg_job_collect(&d->rtpg_job, &b))
		return;
	d->rtpg_for = RTPG_FOR_VIEW;
	if (asked_for == RTPG_FOR_WATCH) {
		/* a group that did not serve: news is an ALUA change, as
		 * if its unit attention had been seen; none, look again */
		if (d->have_view &&
		    group_watch_news(&d->view, &b, what, sizeof(what))) {
			log_info("%s (watched group)", what);
			d->last_alua_ns = event_ns;
			alua_changed(d, d->loop.now());
		} else {
			watch_groups(d, d->loop.now());
		}
		rtpg_batch_free(&b);
	} else {
		log_debug("RTPG batch back: %zu paths in %llu ms%s", b.n,
			  (unsigned long long)((mono_ns() - asked_ns) / MS),
			  parked ? " (disks in transition)" : "");
		note_rtpg(d, &b, asked_ns);
		if (!parked)
			switch_on_answers(d, &b, event_ns);
		/* A batch asked for meanwhile (the re-checks after an ALUA
		 * change come every 100-200 ms) goes out now, on the last
		 * view's paths, and asks while the loop reads the fresh view
		 * below: at 16 LUNs under TCG that view took about 0.8 s,
		 * and a promotion waited for it before the next batch could
		 * see it. */
		if (!parked && d->rtpg_again) {
			d->rtpg_again = false;
			fresh = ask_rtpg(d, d->last_alua_ns ?
					 d->last_alua_ns : d->loop.now());
			/* Every group non-optimized, and the batch just
			 * sent looks again: a cluster between its demotion
			 * and its promotion, and a fresh view has nothing to
			 * act on.  Not read now: at 64 LUNs multipathd,
			 * reloading the maps the demotion changed, answered
			 * it 3-4 s late, and the loop, waiting, took the
			 * promotion's answers only then.  The batch that
			 * finds the promotion, or the last look, reads it. */
			skip_view = !fresh && d->rtpg_job.running &&
				    rtpg_batch_awaits_promotion(&b);
			if (skip_view)
				log_debug("no fresh view: every group "
					  "non-optimized, a batch looks again");
		}
		/* multipathd, sysfs and dm as they are now, with the
		 * answers (not for parked_io's own batch, nor when the
		 * batch above had no thread and applied a newer view).
		 * Paths given back are active in dm at once: the same
		 * answers with the kernel's status read again switch to
		 * their group now, not at the next look (100 ms or more
		 * later). */
		if (!parked && !fresh && !skip_view &&
		    view_now(d, &nv, NULL, &b) &&
		    apply_view(d, &nv, event_ns, true) &&
		    view_now(d, &nv, NULL, &b))
			apply_view(d, &nv, event_ns, true);
		if (parked) {
			rtpg_batch_free(&b);
		} else {
			rtpg_batch_free(&d->reports);
			d->reports = b;
			d->reports_ns = asked_ns;
		}
	}
	if (d->rtpg_again) {
		d->rtpg_again = false;
		ask_rtpg(d, d->last_alua_ns ? d->last_alua_ns : d->loop.now());
	}
}

/* A fresh view; with @alua, by RTPG (off the loop) when we may send it. */
void refresh(struct daemon *d, uint64_t event_ns, bool alua)
{
	struct pw_view nv;

	if (alua && d->o->rtpg)
		ask_rtpg(d, event_ns);
	else if (view_now(d, &nv, NULL, NULL))
		apply_view(d, &nv, event_ns, alua);
}

/*
 * I/O parked on a group held in transition (parked_io.h), from sysfs
 * alone and before anything asks multipathd, whose map reload may be
 * waiting on that very I/O.
 */
static void review_parked(struct daemon *d, uint64_t now, bool ask)
{
	struct sysfs_snapshot snap;
	unsigned int next = 0;

	if (!d->c->alua_switch)
		return;
	if (sysfs_scan(d->o->root, &snap) == 0) {
		next = parked_io_review(&d->parked, &snap, now / MS);
		if (ask)
			ask_parked_rtpg(d, &snap, now);
	}
	if (next)
		loop_timer_arm_before(&d->loop, d->t_parked, now + next * MS);
	sysfs_snapshot_free(&snap);
}

/*
 * multipathd's merged configuration, kept until the next resync: the
 * session-drift metric needs the fast_io_fail_tmo multipathd writes into
 * each session.  Asked here, never with an ALUA change's view, whose
 * switch must not wait for a dump of multipathd's built-in table; nor
 * while I/O is parked on a transition, when multipathd may answer
 * nothing until its own timeout (view_now).  When multipathd does not
 * answer, the last one read stands.
 */
void mpconf_refresh(struct daemon *d)
{
	struct mpconf nc;
	char *reply = NULL, err[128];

	if (parked_io_watching(&d->parked))
		return;
	if (mpath_cmd(d->o->mpath, "show config", &reply)) {
		free(reply);
		return;
	}
	if (mpconf_parse(reply, &nc, err, sizeof(err))) {
		if (d->have_mpconf)
			mpconf_free(&d->mpconf);
		d->mpconf = nc;
		d->have_mpconf = true;
	} else {
		log_debug("cannot parse multipathd's config: %s", err);
	}
	free(reply);
}

static void on_resync(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	mpconf_refresh(d);
	refresh(d, 0, false);
	loop_timer_arm(&d->loop, d->t_resync, now + d->c->resync_s * S);
}

static void on_refresh(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	refresh(d, 0, false);
	if (d->rtpg_after_view) {
		d->rtpg_after_view = false;
		if (d->o->rtpg)
			refresh(d, now, true);
	}
}

/*
 * An ALUA change: decide at once, and again over the next seconds.  A
 * cluster manager changes the two nodes one after the other (Pacemaker:
 * demote the old master, promote the new one, notify), so the first unit
 * attention often comes from the demotion, before any group is optimized;
 * the promotion follows within a second or two (about 0.5 s in the lab):
 * look every 100-200 ms for the first second, then back off (7.5 s in all).
 */
static const unsigned int alua_again_ms[] = {
	100, 100, 100, 100, 200, 200, 200, 500, 500, 1000, 1500, 3000
};
#define ALUA_RECHECKS (sizeof(alua_again_ms) / sizeof(alua_again_ms[0]))
/*
 * Between the demotion and the promotion the last batch says every group
 * is non-optimized (rtpg_batch_awaits_promotion), and nothing but these
 * looks finds the promotion: the new master's paths carry no I/O, so no
 * unit attention, and no group is in a state the group watch asks again.
 * At 64 LUNs under TCG the promoting agent took 3-12 s, past the 7.5 s
 * above, and the promotion was found by multipathd's checker, about 9 s
 * late.  While the last batch says so, the looks come every
 * AWAIT_LOOK_MS at most, and go on so until AWAIT_MAX_NS after the
 * change (a cluster left without an optimized group is not asked
 * forever).
 */
#define AWAIT_LOOK_MS 500
#define AWAIT_MAX_NS (30 * S)

void alua_changed(struct daemon *d, uint64_t now)
{
	d->alua_rechecks = ALUA_RECHECKS;
	loop_timer_arm(&d->loop, d->t_alua, now);
}

static void on_alua(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	bool awaits;

	review_parked(d, now, false);
	/* Switch records count from the uevent, also for the re-checks. */
	refresh(d, d->last_alua_ns ? d->last_alua_ns : now, true);
	awaits = d->reports.n && rtpg_batch_awaits_promotion(&d->reports) &&
		 d->last_alua_ns && now - d->last_alua_ns < AWAIT_MAX_NS;
	if (d->alua_rechecks) {
		unsigned int k = ALUA_RECHECKS - d->alua_rechecks--;
		unsigned int ms = alua_again_ms[k];

		if (awaits && ms > AWAIT_LOOK_MS)
			ms = AWAIT_LOOK_MS;
		loop_timer_arm(&d->loop, d->t_alua, now + ms * MS);
	} else if (awaits) {
		log_debug("every group non-optimized: looking again for the "
			  "promotion");
		loop_timer_arm(&d->loop, d->t_alua, now + AWAIT_LOOK_MS * MS);
	}
}

static void verify_switch(void *arg, uint64_t now)
{
	struct daemon *d = arg;
	bool pending = false, early = false;

	refresh(d, 0, false);
	now = d->loop.now();
	for (unsigned int i = 0; i < d->n_tracks; i++) {
		struct map_track *t = &d->tracks[i];
		const struct pw_map *m;

		if (!t->verifying)
			continue;
		m = view_map(&d->view, t->name);
		if (m && switch_group_seen(m, &t->want)) {
			if (d->have_rec)
				records_write_switch(&d->rec, t->name,
						     t->event_ns,
						     t->requested_ns, now,
						     t->group, "confirmed");
			t->verifying = false;
		} else if (now - t->requested_ns > 5 * S) {
			if (d->have_rec)
				records_write_switch(&d->rec, t->name,
						     t->event_ns,
						     t->requested_ns, 0,
						     t->group, "not seen");
			t->verifying = false;
		} else {
			pending = true;
			early |= now - t->requested_ns < 1 * S;
		}
	}
	/* Look often in the first second (that is the figure that
	 * matters), then back off: each look re-reads everything. */
	if (pending)
		loop_timer_arm(&d->loop, d->t_verify,
			       now + (early ? 100 : 500) * MS);
}

int view_source_init(struct daemon *d)
{
	int rc = rtpg_job_init(&d->rtpg_job);

	if (rc || loop_add_fd(&d->loop, d->rtpg_job.efd, POLLIN, on_rtpg_done,
			      d) ||
	    loop_add_fd(&d->loop, d->rtpg_job.pfd, POLLIN, on_rtpg_progress,
			d)) {
		log_err("eventfd: %s", strerror(rc ? -rc : errno));
		return -1;
	}
	d->t_resync = loop_timer_new(&d->loop, on_resync, d);
	d->t_refresh = loop_timer_new(&d->loop, on_refresh, d);
	d->t_alua = loop_timer_new(&d->loop, on_alua, d);
	d->t_verify = loop_timer_new(&d->loop, verify_switch, d);
	d->t_parked = loop_timer_new(&d->loop, on_parked, d);
	d->t_watch = loop_timer_new(&d->loop, on_watch, d);
	d->parked.root = d->o->root;
	d->parked.dm_capture_dir = d->o->dm_capture_dir;
	loop_timer_arm(&d->loop, d->t_resync, d->loop.now());
	return 0;
}

void view_source_fini(struct daemon *d)
{
	rtpg_job_fini(&d->rtpg_job);
	free(d->streamed);
	d->streamed = NULL;
	d->n_streamed = 0;
	rtpg_batch_free(&d->reports);
	parked_io_release(&d->parked);
	if (d->have_view)
		view_free(&d->view);
	d->have_view = false;
	if (d->have_mpconf)
		mpconf_free(&d->mpconf);
	d->have_mpconf = false;
}
