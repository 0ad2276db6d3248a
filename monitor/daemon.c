// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathwarden run: one event loop (loop.c) on CLOCK_MONOTONIC over
 *   - signals, through a signalfd (no work in signal context at all),
 *   - libudev: SCSI change uevents with SDEV_UA=ASYMMETRIC_ACCESS_STATE_
 *     CHANGED, dm-multipath path uevents, sd/dm add and remove,
 *   - the metrics socket and its connections,
 *   - the probers' eventfds and the portal probes' sockets,
 *   - timers: resync, ALUA re-evaluation, portal rounds, window ticks,
 *     switch verification.
 * Nothing in the loop sends SCSI commands or waits on a target: the ALUA
 * state comes from scsi_dh_alua's access_state, which the kernel refreshes
 * by RTPG on the unit attention that also raises the uevent, and the
 * daemon's own RTPG batch after an ALUA change runs on a thread of its own
 * (rtpg_job.h) whose answers come back through an eventfd.  multipathd
 * commands are bounded by libmpathcmd's timeout; logins run in a child
 * process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libudev.h>

#include "daemon.h"
#include "dm_status.h"
#include "early_failover.h"
#include "exposition.h"
#include "failover_window.h"
#include "http_metrics.h"
#include "iscsi_admin.h"
#include "log.h"
#include "loop.h"
#include "parked_io.h"
#include "portal_login.h"
#include "portal_probe.h"
#include "prober.h"
#include "record_file.h"
#include "refused_path.h"
#include "rtpg_job.h"
#include "strutil.h"
#include "switcher.h"
#include "topology.h"

#define MS 1000000ull
#define S 1000000000ull
#define MAX_MAPS 256
#define MAX_SESS 128

/* Allocated one by one: the prober's thread and the window's callback
 * hold its address, and a reload keeps the unchanged ones running. */
struct probe_slot {
	struct conf_probe cp;		/* its own copy: outlives a reload */
	struct prober pr;
	bool open;
	struct fw_tracker fw;
	struct map_stats *stats;
	struct daemon *d;
	char map[CONF_MAP_MAX];
	uint64_t last_open_try;
	unsigned int gone_errors;	/* consecutive "no such device" */
	int open_err;			/* last open failure, logged once */
};

struct map_track {
	char name[128];
	struct switch_guard guard;
	bool held_logged;
	unsigned int last_active;	/* for GROUP_SWITCHED events */
	/* a switch we sent and wait to see in dm's status */
	bool verifying;
	unsigned int group;
	uint64_t event_ns, requested_ns;
	/* an ALUA group in transition: since when, and whether we said so */
	int trans_group;		/* -1 none */
	uint64_t trans_since;
	bool trans_warned;
};

struct sess_track {
	int sid;
	char state[24];
};

struct login_job {
	pid_t pid;
	int fd;
	/* names, not the probe: a reload may rebuild the portal set */
	char node[CONF_NAME_MAX], host[CONF_HOST_MAX];
	uint16_t port;
	int stale_sid;			/* logged out first; 0 none */
	struct iscsi_login_report rep;	/* the child's, as it arrives */
	size_t len;
};

struct daemon {
	const struct daemon_opts *o;
	const struct pw_conf *c;	/* == conf; read-only to the rest */
	struct pw_conf *conf;		/* ours: SIGHUP replaces it */
	struct loop loop;
	bool stop;
	int sigfd;
	int fifo_fd;			/* test uevents, -1 none */
	struct udev *udev;
	struct udev_monitor *mon;
	struct pw_view view;
	bool have_view;
	int multipathd_up;
	struct records rec;
	bool have_rec;
	unsigned int n_probes;
	struct probe_slot *probes[CONF_MAX_PROBES];
	struct map_stats stats[CONF_MAX_PROBES];	/* probes[i]->stats */
	unsigned int n_tracks;
	struct map_track tracks[MAX_MAPS];
	unsigned int n_sess;
	struct sess_track sess[MAX_SESS];
	struct portal_set portals;
	struct portal_stats pstats[CONF_MAX_NODES * CONF_MAX_PORTALS];
	/* One login at a time per portal, all portals at once: a node
	 * coming back has its sessions restored together. */
	struct login_job login[CONF_MAX_NODES * CONF_MAX_PORTALS];
	/* when each portal's next login may start, and what it met */
	struct plogin plogin[CONF_MAX_NODES * CONF_MAX_PORTALS];
	struct http_server *http;	/* NULL: metrics off */
	char http_addr[CONF_HOST_MAX];	/* where it listens */
	uint16_t http_port;
	uint64_t alua_events;
	unsigned int alua_rechecks;	/* pending re-evaluations */
	uint64_t last_alua_ns;		/* the latest ALUA uevent */
	bool early_done[CONF_MAX_NODES];	/* until a portal answers */
	struct parked_io parked;	/* disks offline to move parked I/O */
	struct rtpg_job rtpg_job;	/* the RTPG batch off the loop */
	bool rtpg_again;		/* asked while a batch ran */
	int t_resync, t_refresh, t_alua, t_portal, t_fw, t_verify, t_stop;
	int t_parked;
};

/* ---- helpers ---------------------------------------------------------- */

static struct map_track *track(struct daemon *d, const char *name)
{
	for (unsigned int i = 0; i < d->n_tracks; i++)
		if (!strcmp(d->tracks[i].name, name))
			return &d->tracks[i];
	if (d->n_tracks == MAX_MAPS)
		return NULL;
	struct map_track *t = &d->tracks[d->n_tracks++];

	memset(t, 0, sizeof(*t));
	t->trans_group = -1;
	str_copy(t->name, sizeof(t->name), name);
	return t;
}

static struct probe_slot *probe_for(struct daemon *d, const char *map)
{
	for (unsigned int i = 0; i < d->n_probes; i++)
		if (!strcmp(d->probes[i]->map, map))
			return d->probes[i];
	/* A probe configured by WWID or dm name. */
	if (d->have_view) {
		const struct mp_map *m = mp_find_map(&d->view.mp, map);

		for (unsigned int i = 0; m && i < d->n_probes; i++)
			if (!strcmp(d->probes[i]->map, m->name) ||
			    !strcmp(d->probes[i]->map, m->uuid) ||
			    !strcmp(d->probes[i]->map, m->sysfs))
				return d->probes[i];
	}
	return NULL;
}

/* An event for the window of @map's prober; NULL map: every prober. */
static void event(struct daemon *d, const char *map, uint64_t now,
		  enum fw_event_kind k, const char *detail)
{
	log_info("%s%s%s %s", map ? map : "", map ? ": " : "",
		 fw_event_name(k), detail);
	for (unsigned int i = 0; i < d->n_probes; i++) {
		struct probe_slot *p = d->probes[i];

		if (!map || p == probe_for(d, map))
			fw_event(&p->fw, now, k, detail);
	}
}

static const struct pw_map *map_of_dev(const struct pw_view *v,
				       const char *dev)
{
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++)
			if (!strcmp(v->maps[i].mp->paths[j].dev, dev))
				return &v->maps[i];
	return NULL;
}

/* The map of a scsi_device named H:C:T:L, or NULL. */
static const char *map_of_hctl(const struct daemon *d, const char *hctl)
{
	int h, c, t, l;

	if (!d->have_view || !hctl ||
	    sscanf(hctl, "%d:%d:%d:%d", &h, &c, &t, &l) != 4)
		return NULL;
	for (size_t i = 0; i < d->view.sys.n_sd; i++) {
		const struct sd_dev *sd = &d->view.sys.sd[i];
		const struct pw_map *m;

		if (sd->h == h && sd->c == c && sd->t == t && sd->l == l &&
		    (m = map_of_dev(&d->view, sd->name)))
			return m->mp->name;
	}
	return NULL;
}

/* ---- switching ---------------------------------------------------------- */

static void verify_switch(void *arg, uint64_t now);

static void consider_switch(struct daemon *d, const struct pw_map *m,
			    uint64_t event_ns, uint64_t now, bool alua)
{
	struct map_track *t = track(d, m->mp->name);
	unsigned int group;
	char why[200], cmd[200], *reply = NULL;
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
	snprintf(cmd, sizeof(cmd), "switchgroup map %s group %u", m->mp->name,
		 group);
	rc = mpath_cmd(d->o->mpath, cmd, &reply);
	now = d->loop.now();
	if (rc || !reply || strncmp(reply, "ok", 2)) {
		log_warn("%s: '%s' failed: %s", m->mp->name, cmd,
			 rc ? strerror(-rc) : reply ? reply : "no reply");
		free(reply);
		return;
	}
	free(reply);
	log_info("%s: switched to group %u (%s)", m->mp->name, group, why);
	switch_note_sent(&t->guard, group, now);
	{
		struct probe_slot *ps = probe_for(d, m->mp->name);

		if (ps)
			ps->stats->switches++;
	}
	{
		char det[32];

		snprintf(det, sizeof(det), "group %u", group);
		event(d, m->mp->name, now, FW_EV_SWITCH_REQUESTED, det);
	}
	t->verifying = true;
	t->group = group;
	t->event_ns = event_ns ? event_ns : now;
	t->requested_ns = now;
	loop_timer_arm_before(&d->loop, d->t_verify, now + 100 * MS);
}

/*
 * Paths the target refuses (LIO's offline) that dm still uses: failed in
 * dm now rather than by multipathd at its next check, up to 20 s of
 * EREMOTEIO later (refused_path.h).  multipathd's rtpg checker keeps them
 * failed and reinstates them when the group serves again.
 */
static void fail_refused(struct daemon *d, const struct pw_map *m)
{
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];
		int rc;

		if (!refused_path_in_use(m, i))
			continue;
		rc = dm_fail_path(m->mp->name, p->mp->devt,
				  d->o->dm_capture_dir);
		if (rc)
			log_warn("%s: cannot fail path %s (%s) in dm: %s",
				 m->mp->name, p->mp->dev, p->mp->devt,
				 strerror(-rc));
		else
			log_info("%s: %s failed in dm: the target refuses it "
				 "(%s)", m->mp->name, p->mp->dev,
				 tpg_result_name(p->rtpg.result));
	}
}

static void on_parked(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	if (parked_io_tick(&d->parked, now / MS))
		loop_timer_arm(&d->loop, d->t_parked, now + 200 * MS);
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
		enum alua_state st;
		bool pref;

		if (!path_alua_state(p, &st, &pref) ||
		    st != ALUA_TRANSITIONING)
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


/* A fresh view of every map, built with @rtpg (NULL: none); false on
 * out-of-memory. */
static bool view_now(struct daemon *d, struct pw_view *nv,
		     struct rtpg_source *rtpg)
{
	struct view_opts o = { .conf = d->c, .sysfs_root = d->o->root,
			       .mpath = d->o->mpath, .rtpg = rtpg,
			       .dm_status = true,
			       .dm_capture_dir = d->o->dm_capture_dir };

	if (view_build(nv, &o))
		return true;
	log_err("out of memory building the view");
	view_free(nv);
	return false;
}

/* @nv becomes the daemon's view (taken over), and what it shows is acted
 * on: group switches, switches to make, transitions, refused paths. */
static void apply_view(struct daemon *d, struct pw_view *nv,
		       uint64_t event_ns, bool alua)
{
	uint64_t now;

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

			snprintf(det, sizeof(det), "group %u -> %u",
				 t->last_active, m->active_group);
			event(d, m->mp->name, now, FW_EV_GROUP_SWITCHED, det);
		}
		t->last_active = m->active_group;
		if (switch_note_observed(&t->guard, m, now)) {
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
	for (size_t i = 0; i < d->view.n_maps; i++) {
		consider_switch(d, &d->view.maps[i], event_ns, now, alua);
		watch_transition(d, &d->view.maps[i], now);
	}
	/* What the RTPG answers say beyond the group to use. */
	if (alua && d->c->alua_switch)
		for (size_t i = 0; i < d->view.n_maps; i++)
			fail_refused(d, &d->view.maps[i]);
}

/*
 * After an ALUA change, every path's group state from its own RTPG
 * answer.  Only the paths that carried the unit attention have told the
 * kernel, and a node's RTPG answer for the peer's group may be stale
 * (SCST and LIO raise no unit attention for a change of a group with no
 * local port): each path's answer for its own group is the one to trust,
 * and the RTPG also delivers any unit attention still pending on an idle
 * path.  A path whose session is down is skipped.  The batch runs on the
 * RTPG job's thread: a hung target costs rtpg-timeout-ms there, never on
 * the loop.  One batch at a time; a change while one runs asks again
 * when it is back (on_rtpg_done).
 */
static void refresh(struct daemon *d, uint64_t event_ns, bool alua);

static void ask_rtpg(struct daemon *d, uint64_t event_ns)
{
	struct rtpg_batch b;
	struct pw_view nv;
	size_t n;

	if (d->rtpg_job.running) {
		d->rtpg_again = true;
		return;
	}
	if (!d->have_view)
		refresh(d, 0, false);
	if (!d->have_view || !view_rtpg_batch(&d->view, &b)) {
		log_err("out of memory starting an RTPG batch");
		return;
	}
	n = b.n;
	if (rtpg_job_start(&d->rtpg_job, &b, d->o->rtpg,
			   d->c->rtpg_timeout_ms, event_ns)) {
		log_debug("RTPG batch: %zu paths asked off the loop", n);
		return;
	}
	/* No thread: ask on the loop, as the view does for a command. */
	log_warn("cannot start the RTPG thread: asking on the loop");
	if (view_now(d, &nv, d->o->rtpg))
		apply_view(d, &nv, event_ns, true);
}

static void on_rtpg_done(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	uint64_t event_ns = d->rtpg_job.event_ns;
	struct rtpg_batch b;
	struct pw_view nv;

	(void)fd;
	(void)revents;
	if (!rtpg_job_collect(&d->rtpg_job, &b))
		return;
	log_debug("RTPG batch back: %zu paths in %llu ms", b.n,
		  (unsigned long long)((mono_ns() - d->rtpg_job.started_ns) /
				       MS));
	/* multipathd, sysfs and dm as they are now, with the answers */
	if (view_now(d, &nv, NULL)) {
		view_take_rtpg(&nv, &b, d->c);
		apply_view(d, &nv, event_ns, true);
	}
	rtpg_batch_free(&b);
	if (d->rtpg_again) {
		d->rtpg_again = false;
		ask_rtpg(d, d->last_alua_ns ? d->last_alua_ns : d->loop.now());
	}
}

/* A fresh view; with @alua, by RTPG (off the loop) when we may send it. */
static void refresh(struct daemon *d, uint64_t event_ns, bool alua)
{
	struct pw_view nv;

	if (alua && d->o->rtpg)
		ask_rtpg(d, event_ns);
	else if (view_now(d, &nv, NULL))
		apply_view(d, &nv, event_ns, alua);
}

/*
 * I/O parked on a group held in transition (parked_io.h), from sysfs
 * alone and before anything asks multipathd, whose map reload may be
 * waiting on that very I/O.
 */
static void review_parked(struct daemon *d, uint64_t now)
{
	struct sysfs_snapshot snap;

	if (!d->c->alua_switch)
		return;
	if (sysfs_scan(d->o->root, &snap) == 0 &&
	    parked_io_review(&d->parked, &snap, now / MS))
		loop_timer_arm_before(&d->loop, d->t_parked, now + 200 * MS);
	sysfs_snapshot_free(&snap);
}

static void on_resync(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	refresh(d, 0, false);
	loop_timer_arm(&d->loop, d->t_resync, now + d->c->resync_s * S);
}

static void on_refresh(void *arg, uint64_t now)
{
	(void)now;
	refresh(arg, 0, false);
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

static void on_alua(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	review_parked(d, now);
	/* Switch records count from the uevent, also for the re-checks. */
	refresh(d, d->last_alua_ns ? d->last_alua_ns : now, true);
	if (d->alua_rechecks) {
		unsigned int k = ALUA_RECHECKS - d->alua_rechecks--;

		loop_timer_arm(&d->loop, d->t_alua,
			       now + alua_again_ms[k] * MS);
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

		if (!t->verifying)
			continue;
		if (t->last_active == t->group) {
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

/* ---- udev ----------------------------------------------------------------- */

/* One uevent, from libudev or from the test FIFO. */
static void uevent(struct daemon *d, const char *sub, const char *act,
		   const char *name, const char *ua, const char *dma,
		   const char *dm_name, const char *dm_path)
{
	uint64_t now = d->loop.now();

	if (sub && !strcmp(sub, "scsi") && act && !strcmp(act, "change") &&
	    ua && !strcmp(ua, "ASYMMETRIC_ACCESS_STATE_CHANGED")) {
		d->alua_events++;
		d->last_alua_ns = now;
		event(d, map_of_hctl(d, name), now, FW_EV_ALUA_CHANGE,
		      name ? name : "");
		d->alua_rechecks = ALUA_RECHECKS;
		loop_timer_arm(&d->loop, d->t_alua, now);
	} else if (sub && !strcmp(sub, "block") && dma &&
		   (!strcmp(dma, "PATH_FAILED") ||
		    !strcmp(dma, "PATH_REINSTATED"))) {
		event(d, dm_name, now, dma[5] == 'F' ? FW_EV_PATH_FAILED :
		      FW_EV_PATH_REINSTATED, dm_path ? dm_path : "");
		loop_timer_arm_before(&d->loop, d->t_refresh, now + 50 * MS);
	} else if (sub && !strcmp(sub, "block") && act &&
		   (!strcmp(act, "add") || !strcmp(act, "remove") ||
		    !strcmp(act, "change")) && name &&
		   (!strncmp(name, "sd", 2) || !strncmp(name, "dm-", 3))) {
		/* Coalesce: a login brings a burst of these. */
		loop_timer_arm_before(&d->loop, d->t_refresh, now + 300 * MS);
	}
}

static void on_udev(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	struct udev_device *dev;

	(void)fd;
	(void)revents;
	while ((dev = udev_monitor_receive_device(d->mon))) {
		uevent(d, udev_device_get_subsystem(dev),
		       udev_device_get_action(dev),
		       udev_device_get_sysname(dev),
		       udev_device_get_property_value(dev, "SDEV_UA"),
		       udev_device_get_property_value(dev, "DM_ACTION"),
		       udev_device_get_property_value(dev, "DM_NAME"),
		       udev_device_get_property_value(dev, "DM_PATH"));
		udev_device_unref(dev);
	}
}

/*
 * Tests feed uevents through a FIFO, one per line:
 *   SUBSYSTEM ACTION SYSNAME [KEY=VALUE...]
 * and they take the same path as libudev's.
 */
static void on_uevent_fifo(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	char buf[4096];
	ssize_t n;

	(void)revents;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *save = NULL, *line;

		buf[n] = '\0';
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *w[16], *s2 = NULL;
			const char *ua = NULL, *dma = NULL, *dmn = NULL,
				   *dmp = NULL;
			int k = 0;

			for (char *t = strtok_r(line, " ", &s2); t && k < 16;
			     t = strtok_r(NULL, " ", &s2))
				w[k++] = t;
			if (k < 3)
				continue;
			for (int i = 3; i < k; i++) {
				if (!strncmp(w[i], "SDEV_UA=", 8))
					ua = w[i] + 8;
				else if (!strncmp(w[i], "DM_ACTION=", 10))
					dma = w[i] + 10;
				else if (!strncmp(w[i], "DM_NAME=", 8))
					dmn = w[i] + 8;
				else if (!strncmp(w[i], "DM_PATH=", 8))
					dmp = w[i] + 8;
			}
			uevent(d, w[0], w[1], w[2], ua, dma, dmn, dmp);
		}
	}
}

static int udev_start(struct daemon *d)
{
	d->udev = udev_new();
	if (!d->udev)
		return -ENOMEM;
	d->mon = udev_monitor_new_from_netlink(d->udev, "udev");
	if (!d->mon)
		return -EPERM;
	udev_monitor_filter_add_match_subsystem_devtype(d->mon, "scsi",
							"scsi_device");
	udev_monitor_filter_add_match_subsystem_devtype(d->mon, "block",
							"disk");
	if (udev_monitor_enable_receiving(d->mon))
		return -EPERM;
	udev_monitor_set_receive_buffer_size(d->mon, 4 << 20);
	return loop_add_fd(&d->loop, udev_monitor_get_fd(d->mon), POLLIN,
			   on_udev, d);
}

/* ---- probers ---------------------------------------------------------- */

static void emit_window(void *arg, const struct fw_record *r)
{
	struct probe_slot *p = arg;
	struct daemon *d = p->d;

	p->stats->failovers++;
	hist_observe(&p->stats->stall, (double)(r->end_ns - r->start_ns) / 1e9);
	log_info("%s: I/O stalled %.3f s", p->map,
		 (double)(r->end_ns - r->start_ns) / 1e9);
	if (d->have_rec && records_write_failover(&d->rec, p->map, r))
		log_warn("cannot write %s: %s", d->c->records_path,
			 strerror(errno));
}

static void arm_fw(struct daemon *d)
{
	uint64_t first = UINT64_MAX;

	for (unsigned int i = 0; i < d->n_probes; i++) {
		struct probe_slot *p = d->probes[i];
		uint64_t dl;

		if (!p->open)
			continue;
		dl = fw_next_deadline(&p->fw, prober_inflight_since(&p->pr));
		if (dl < first)
			first = dl;
	}
	if (first != UINT64_MAX)
		loop_timer_arm(&d->loop, d->t_fw, first);
	else
		loop_timer_stop(&d->loop, d->t_fw);
}

static void on_samples(void *arg, int fd, short revents)
{
	struct probe_slot *p = arg;
	struct probe_sample s[64];
	unsigned int n;

	(void)fd;
	(void)revents;
	while ((n = prober_drain(&p->pr, s, 64)) > 0)
		for (unsigned int i = 0; i < n; i++) {
			hist_observe(&p->stats->probe_latency,
				     (double)(s[i].done_ns - s[i].issued_ns) /
				     1e9);
			if (s[i].err)
				p->stats->probe_errors++;
			fw_io_done(&p->fw, s[i].issued_ns, s[i].done_ns,
				   !s[i].err);
			/* The map itself went away: stop hammering a dead
			 * fd, open it again later (the window stays open). */
			if (s[i].err == ENODEV || s[i].err == ENXIO ||
			    s[i].err == EBADF)
				p->gone_errors++;
			else
				p->gone_errors = 0;
		}
	if (p->gone_errors >= 20) {
		log_warn("probe %s: the device is gone (%s); reopening later",
			 p->map, strerror(ENODEV));
		loop_del_fd(&p->d->loop, p->pr.efd);
		prober_stop(&p->pr);
		p->open = false;
		p->gone_errors = 0;
	}
	arm_fw(p->d);
}

/* Opt-in: fail a silent node's paths while the prober is stuck. */
static void check_early(struct daemon *d, uint64_t now)
{
	if (!d->c->early_failover || !d->have_view)
		return;
	for (unsigned int i = 0; i < d->n_probes; i++) {
		struct probe_slot *ps = d->probes[i];
		const struct mp_map *mm;
		const struct pw_map *m = NULL;
		const struct conf_node *node;
		char why[160];
		size_t idx;

		if (!ps->open)
			continue;
		mm = mp_find_map(&d->view.mp, ps->map);
		for (size_t k = 0; mm && k < d->view.n_maps; k++)
			if (d->view.maps[k].mp == mm)
				m = &d->view.maps[k];
		if (!m || !early_decide(m, d->portals.p, d->portals.n,
					prober_inflight_since(&ps->pr), now,
					d->c->early_failover_ms * MS, &node,
					why, sizeof(why)))
			continue;
		idx = (size_t)(node - d->c->nodes);
		if (d->early_done[idx])
			continue;
		d->early_done[idx] = true;
		log_warn("%s: early failover off %s: %s", m->mp->name,
			 node->name, why);
		for (size_t k = 0; k < m->mp->n_paths; k++) {
			const struct pw_path *p = &m->paths[k];
			char cmd[96], *reply = NULL;

			if (p->node != node || !strcmp(p->mp->dm_st, "failed"))
				continue;
			snprintf(cmd, sizeof(cmd), "fail path %s", p->mp->dev);
			if (mpath_cmd(d->o->mpath, cmd, &reply))
				log_warn("%s: '%s' failed", m->mp->name, cmd);
			free(reply);
			snprintf(cmd, sizeof(cmd), "early: %s", p->mp->dev);
			event(d, m->mp->name, now, FW_EV_PATH_FAILED, cmd);
		}
		loop_timer_arm_before(&d->loop, d->t_refresh, now + 20 * MS);
	}
}

static void on_fw_tick(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	for (unsigned int i = 0; i < d->n_probes; i++)
		if (d->probes[i]->open)
			fw_tick(&d->probes[i]->fw, now,
				prober_inflight_since(&d->probes[i]->pr));
	arm_fw(d);
	check_early(d, now);
	/* While an I/O is in flight, look again soon: a stall shows as an
	 * old in-flight issue time. */
	for (unsigned int i = 0; i < d->n_probes; i++)
		if (d->probes[i]->open &&
		    prober_inflight_since(&d->probes[i]->pr))
			loop_timer_arm_before(&d->loop, d->t_fw,
					      now + 50 * MS);
}

static void open_probes(struct daemon *d, uint64_t now)
{
	for (unsigned int i = 0; i < d->n_probes; i++) {
		struct probe_slot *p = d->probes[i];
		const struct conf_probe *cp = &p->cp;
		char path[300];
		int rc;

		if (p->open || (p->last_open_try &&
				now - p->last_open_try < 10 * S))
			continue;
		p->last_open_try = now;
		if (d->o->probe_dir)
			snprintf(path, sizeof(path), "%s/%s", d->o->probe_dir,
				 cp->map);
		else
			snprintf(path, sizeof(path), "/dev/mapper/%s", cp->map);
		rc = prober_open(&p->pr, cp, path, d->o->probe_dir != NULL);
		if (rc) {
			/* Once, not every 10 s while the map is absent. */
			if (p->open_err != rc)
				log_warn("probe %s: cannot open %s: %s (will "
					 "retry every 10 s)", cp->map, path,
					 strerror(-rc));
			p->open_err = rc;
			continue;
		}
		p->open_err = 0;
		if (prober_start(&p->pr) ||
		    loop_add_fd(&d->loop, p->pr.efd, POLLIN, on_samples, p)) {
			prober_stop(&p->pr);
			continue;
		}
		p->open = true;
		log_info("probe %s: %u-byte %s every %u ms on %s%s", cp->map,
			 cp->size, p->pr.write ? "reads and writes" : "reads",
			 cp->interval_ms, path,
			 p->pr.direct ? "" : " (buffered: no O_DIRECT)");
	}
	arm_fw(d);
}

static void stats_init(struct map_stats *s, const char *map)
{
	memset(s, 0, sizeof(*s));
	str_copy(s->map, sizeof(s->map), map);
	hist_init(&s->stall, stall_bounds, stall_n);
	hist_init(&s->probe_latency, probe_latency_bounds, probe_latency_n);
}

static struct probe_slot *probe_slot_new(struct daemon *d,
					 const struct conf_probe *cp)
{
	struct probe_slot *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->d = d;
	p->cp = *cp;
	p->pr.fd = p->pr.efd = -1;
	str_copy(p->map, sizeof(p->map), cp->map);
	fw_init(&p->fw, cp->timeout_ms * MS, emit_window, p);
	return p;
}

static void probe_slot_free(struct daemon *d, struct probe_slot *p)
{
	if (p->open) {
		loop_del_fd(&d->loop, p->pr.efd);
		p->open = false;
		/* Its thread is stuck in a read (every path down with
		 * queue_if_no_path) and still writes into the slot: leave
		 * the slot to it rather than free memory in use. */
		if (!prober_stop(&p->pr))
			return;
	}
	free(p);
}

/* Same map and the same I/O: a reload keeps it running as it is. */
static bool probe_same(const struct conf_probe *a, const struct conf_probe *b)
{
	return !strcmp(a->map, b->map) && a->interval_ms == b->interval_ms &&
	       a->size == b->size && a->timeout_ms == b->timeout_ms &&
	       a->write == b->write && a->test_lun == b->test_lun;
}

/*
 * The probes of a new configuration: unchanged ones keep their thread,
 * their open window and their counters; a changed one starts afresh but
 * keeps the map's counters (Prometheus counters must not go back); a
 * removed one is stopped.
 */
static void probes_reload(struct daemon *d, const struct pw_conf *nc)
{
	struct probe_slot *old[CONF_MAX_PROBES];
	struct map_stats *old_stats;
	bool kept[CONF_MAX_PROBES] = { false };
	unsigned int n_old = d->n_probes, n = 0;

	old_stats = malloc(sizeof(d->stats));
	if (!old_stats) {
		log_err("SIGHUP: out of memory; probes left as they were");
		return;
	}
	memcpy(old, d->probes, sizeof(old));
	memcpy(old_stats, d->stats, sizeof(d->stats));
	for (unsigned int i = 0; i < nc->n_probes; i++) {
		const struct conf_probe *cp = &nc->probes[i];
		struct probe_slot *p = NULL;
		int same_map = -1;

		for (unsigned int j = 0; j < n_old; j++) {
			if (!strcmp(old[j]->map, cp->map))
				same_map = (int)j;
			if (!kept[j] && probe_same(&old[j]->cp, cp)) {
				p = old[j];
				kept[j] = true;
				same_map = (int)j;
				break;
			}
		}
		if (!p && !(p = probe_slot_new(d, cp))) {
			log_err("probe %s: out of memory", cp->map);
			continue;
		}
		d->probes[n] = p;
		if (same_map >= 0)
			d->stats[n] = old_stats[same_map];
		else
			stats_init(&d->stats[n], cp->map);
		p->stats = &d->stats[n];
		n++;
	}
	for (unsigned int j = 0; j < n_old; j++)
		if (!kept[j]) {
			log_info("probe %s: stopped (configuration changed)",
				 old[j]->map);
			probe_slot_free(d, old[j]);
		}
	d->n_probes = n;
	free(old_stats);
}

/* ---- portals, sessions and re-login ------------------------------------- */

static struct portal_stats *pstat(struct daemon *d, struct portal_probe *p)
{
	return &d->pstats[p - d->portals.p];
}

static const struct iscsi_sess *session_for(const struct sysfs_snapshot *s,
					    const struct portal_probe *p)
{
	for (size_t i = 0; i < s->n_sess; i++)
		if (s->sess[i].port == p->portal->port &&
		    !strcmp(s->sess[i].address, p->portal->host) &&
		    (!p->node->target[0] ||
		     !strcmp(s->sess[i].target, p->node->target)))
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
			int stale_sid, bool discover,
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
	iscsi_portal_login(d->c, p->node, p->portal, discover, r);
	if (lo[0]) {
		char m[sizeof(lo) + 2 + sizeof(r->msg)];

		snprintf(m, sizeof(m), "%s; %s", lo, r->msg);
		str_copy(r->msg, sizeof(r->msg), m);
	}
}

/* iscsiadm takes a while: the child runs it and reports through a pipe,
 * so the loop keeps serving events.  One login per portal at a time; a
 * portal that needs another when one ends is taken then (relogin_next). */
static void start_login(struct daemon *d, struct portal_probe *p,
			int stale_sid)
{
	unsigned int i = (unsigned int)(p - d->portals.p);
	struct login_job *j = &d->login[i];
	bool discover = plogin_wants_discovery(&d->plogin[i]);
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

		close(pfd[0]);
		login_child(d, p, stale_sid, discover, &r);
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
 * Does portal @p, which answers, need a login from us?  No session: yes.
 * A FREE session (its recovery timed out: multipathd has failed its paths
 * already, nothing is queued on it) is logged out and in again: iscsid
 * retries it on its own, but an attempt started while the portal was
 * unreachable waits out its login timeout plus a 3 s pause, 5 to 18 s in
 * the lab.  A FAILED session is still recovering with I/O queued: iscsid's.
 * Returns false when nothing is to be done; sets *stale_sid.
 */
static bool needs_login(const struct sysfs_snapshot *s,
			const struct portal_probe *p, int *stale_sid)
{
	const struct iscsi_sess *sess;

	*stale_sid = 0;
	if (p->state != PORTAL_UP || !p->node->target[0])
		return false;
	sess = session_for(s, p);
	if (!sess)
		return true;
	if (!strcmp(sess->state, "FREE")) {
		*stale_sid = sess->sid;
		return true;
	}
	return false;
}

/* Start a login for every portal that answers and needs one, when its
 * portal_login state lets it (backoff).  Called when a portal comes
 * back, when a login ends and at every portal round. */
static void relogin_next(struct daemon *d)
{
	struct sysfs_snapshot s;
	uint64_t now = d->loop.now();
	bool want = false;
	int sid;

	if (!d->c->relogin)
		return;
	for (unsigned int i = 0; i < d->portals.n; i++)
		want |= d->portals.p[i].state == PORTAL_UP &&
			d->login[i].pid <= 0 && plogin_due(&d->plogin[i], now);
	if (!want || sysfs_scan_sessions(d->o->root, &s))
		return;
	for (unsigned int i = 0; i < d->portals.n; i++) {
		struct portal_probe *p = &d->portals.p[i];
		char line[512];

		if (d->login[i].pid > 0 || !plogin_due(&d->plogin[i], now))
			continue;
		if (needs_login(&s, p, &sid)) {
			start_login(d, p, sid);
			continue;
		}
		/* Someone else's session: a failure we kept is over. */
		if (p->state == PORTAL_UP && session_for(&s, p)) {
			say_login(p->node->name, p->portal->host,
				  p->portal->port,
				  plogin_not_needed(&d->plogin[i], line,
						    sizeof(line)), line);
			pstat_login(d, i);
		}
	}
	sysfs_snapshot_free(&s);
}

static void portal_changed(void *arg, struct portal_probe *p,
			   enum portal_state old, uint64_t now)
{
	struct daemon *d = arg;
	char det[128];

	pstat(d, p)->up = p->state;
	snprintf(det, sizeof(det), "%s %s:%u", p->node->name, p->portal->host,
		 p->portal->port);
	if (p->state == PORTAL_DOWN) {
		plogin_portal_down(&d->plogin[p - d->portals.p]);
		event(d, NULL, now, FW_EV_PORTAL_DOWN, det);
		check_early(d, now);
		return;
	}
	d->early_done[p->node - d->c->nodes] = false;
	if (old == PORTAL_UNKNOWN)
		return;
	event(d, NULL, now, FW_EV_PORTAL_UP, det);
	relogin_next(d);
}

/* Back to LOGGED_IN: reinstate its paths in dm now, instead of waiting
 * for multipathd's next check, then let the switch logic decide. */
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
			    strcmp(p->mp->dm_st, "failed"))
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
	if (any)
		loop_timer_arm_before(&d->loop, d->t_refresh, now + 20 * MS);
}

static void check_sessions(struct daemon *d, uint64_t now)
{
	struct sysfs_snapshot s;

	if (sysfs_scan_sessions(d->o->root, &s))
		return;
	for (size_t i = 0; i < s.n_sess; i++) {
		struct sess_track *t = NULL;

		for (unsigned int k = 0; k < d->n_sess; k++)
			if (d->sess[k].sid == s.sess[i].sid)
				t = &d->sess[k];
		if (!t) {
			if (d->n_sess == MAX_SESS)
				continue;
			t = &d->sess[d->n_sess++];
			t->sid = s.sess[i].sid;
			str_copy(t->state, sizeof(t->state), s.sess[i].state);
			continue;
		}
		if (!strcmp(t->state, s.sess[i].state))
			continue;
		{
			char det[96];

			snprintf(det, sizeof(det), "session %d %s -> %s",
				 t->sid, t->state, s.sess[i].state);
			event(d, NULL, now, FW_EV_SESSION_STATE, det);
		}
		str_copy(t->state, sizeof(t->state), s.sess[i].state);
		if (!strcmp(s.sess[i].state, "LOGGED_IN"))
			reinstate_session(d, t->sid, now);
	}
	sysfs_snapshot_free(&s);
}

static void on_portal_round(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	check_sessions(d, now);
	relogin_next(d);
	if (d->c->portal_check_ms) {
		portal_set_round(&d->portals, now);
		loop_timer_arm(&d->loop, d->t_portal,
			       now + d->c->portal_check_ms * MS);
	} else {
		loop_timer_arm(&d->loop, d->t_portal, now + 1 * S);
	}
	open_probes(d, now);
}

/* ---- metrics, signals ------------------------------------------------- */

static char *render(void *arg, size_t *len)
{
	struct daemon *d = arg;
	struct expo_input in = {
		.view = d->have_view ? &d->view : NULL,
		.maps = d->stats, .n_maps = d->n_probes,
		.portals = d->pstats, .n_portals = d->portals.n,
		.alua_events = d->alua_events,
		.multipathd_up = d->multipathd_up > 0,
	};

	return exposition_render(&in, len);
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
static void portals_reload(struct daemon *d, const struct pw_conf *nc)
{
	struct portal_stats old[CONF_MAX_NODES * CONF_MAX_PORTALS];
	struct plogin old_pl[CONF_MAX_NODES * CONF_MAX_PORTALS];
	unsigned int n_old = d->portals.n;

	d->portals.connect_ns = (uint64_t)nc->portal_connect_ms * MS;
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

static struct http_server *metrics_start(struct daemon *d, const char *addr,
					 uint16_t port, int *err)
{
	struct http_server *s = calloc(1, sizeof(*s));

	*err = -ENOMEM;
	if (!s || (*err = http_server_start(s, &d->loop, addr, port, render,
					    d))) {
		free(s);
		return NULL;
	}
	str_copy(d->http_addr, sizeof(d->http_addr), addr);
	d->http_port = port;
	return s;
}

static void metrics_stop(struct daemon *d)
{
	if (d->http) {
		http_server_stop(d->http);
		free(d->http);
		d->http = NULL;
	}
}

/*
 * A new metrics address: listen there first and close the old socket
 * after, so scrapes see no gap.  When the old socket holds the port
 * (127.0.0.1:P to 0.0.0.0:P) it has to close first; if the new address
 * still fails, the old one is taken back.
 */
static void metrics_reload(struct daemon *d, const struct pw_conf *nc)
{
	char was[CONF_HOST_MAX];
	uint16_t was_port = d->http_port;
	struct http_server *ns;
	int rc, rc2;

	if (!nc->metrics_enabled) {
		if (d->http)
			log_info("metrics off");
		metrics_stop(d);
		return;
	}
	if (d->http && !strcmp(d->http_addr, nc->metrics_addr) &&
	    d->http_port == nc->metrics_port)
		return;
	str_copy(was, sizeof(was), d->http_addr);
	ns = metrics_start(d, nc->metrics_addr, nc->metrics_port, &rc);
	if (!ns && rc == -EADDRINUSE && d->http) {
		metrics_stop(d);
		ns = metrics_start(d, nc->metrics_addr, nc->metrics_port, &rc);
		if (!ns)
			d->http = metrics_start(d, was, was_port, &rc2);
	}
	if (!ns) {
		if (d->http)
			log_err("metrics on %s:%u: %s; still on %s:%u",
				nc->metrics_addr, nc->metrics_port,
				strerror(-rc), d->http_addr, d->http_port);
		else
			log_err("metrics on %s:%u: %s; metrics off until the "
				"next reload", nc->metrics_addr,
				nc->metrics_port, strerror(-rc));
		return;
	}
	metrics_stop(d);
	d->http = ns;
	log_info("metrics on %s:%u", nc->metrics_addr, nc->metrics_port);
}

/*
 * SIGHUP: parse the whole file first; a file with an error changes
 * nothing.  A good one replaces the running configuration part by part
 * (probes, portals, metrics socket, records file, timers), then the view,
 * whose paths point at the old file's nodes, is built again before the
 * old copy is freed.
 */
static void reload(struct daemon *d)
{
	struct pw_conf *nc, *old = d->conf;
	char err[512];
	uint64_t now;

	if (!d->o->conf_path)
		return;
	nc = malloc(sizeof(*nc));
	if (!nc) {
		log_err("SIGHUP: out of memory; keeping the running "
			"configuration");
		return;
	}
	if (!conf_load(d->o->conf_path, nc, err, sizeof(err))) {
		log_err("SIGHUP: %s; keeping the running configuration", err);
		free(nc);
		return;
	}
	probes_reload(d, nc);
	portals_reload(d, nc);
	metrics_reload(d, nc);
	d->conf = nc;
	d->c = nc;
	if (d->have_view) {
		view_free(&d->view);
		d->have_view = false;
	}
	refresh(d, 0, false);
	free(old);
	now = d->loop.now();
	loop_timer_arm(&d->loop, d->t_resync, now + d->c->resync_s * S);
	loop_timer_arm(&d->loop, d->t_portal, now);
	log_info("SIGHUP: %s re-read: %u nodes, %u probes, metrics %s",
		 d->o->conf_path, d->c->n_nodes, d->n_probes,
		 d->http ? "on" : "off");
}

static void on_signal(void *arg, int fd, short revents)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	(void)revents;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
			/* logrotate: reopen the records file (the path may
			 * be a new one); one that failed before is retried */
			if (d->have_rec)
				records_close(&d->rec);
			d->have_rec = !records_open(&d->rec,
						    d->c->records_path);
			if (!d->have_rec)
				log_warn("records file %s: %s; failover "
					 "records are not kept",
					 d->c->records_path, strerror(errno));
			log_info("SIGHUP: records file reopened, resyncing");
			loop_timer_arm(&d->loop, d->t_refresh,
				       d->loop.now());
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			d->stop = true;
		}
	}
}

static void on_stop_timer(void *arg, uint64_t now)
{
	(void)now;
	((struct daemon *)arg)->stop = true;
}

int daemon_run(const struct daemon_opts *o)
{
	struct daemon *d = calloc(1, sizeof(*d));
	sigset_t mask;
	int rc = 0;

	if (!d)
		return 3;
	d->conf = malloc(sizeof(*d->conf));
	if (!d->conf) {
		free(d);
		return 3;
	}
	*d->conf = *o->conf;
	d->o = o;
	d->c = d->conf;
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		d->login[i].fd = -1;
	d->multipathd_up = -1;		/* not asked yet */
	d->fifo_fd = -1;
	d->rtpg_job.efd = -1;
	loop_init(&d->loop);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0 ||
	    loop_add_fd(&d->loop, d->sigfd, POLLIN, on_signal, d)) {
		log_err("signalfd: %s", strerror(errno));
		rc = 3;
		goto out;
	}
	if ((rc = rtpg_job_init(&d->rtpg_job)) ||
	    loop_add_fd(&d->loop, d->rtpg_job.efd, POLLIN, on_rtpg_done, d)) {
		log_err("eventfd: %s", strerror(rc ? -rc : errno));
		rc = 3;
		goto out;
	}
	d->t_resync = loop_timer_new(&d->loop, on_resync, d);
	d->t_refresh = loop_timer_new(&d->loop, on_refresh, d);
	d->t_alua = loop_timer_new(&d->loop, on_alua, d);
	d->t_portal = loop_timer_new(&d->loop, on_portal_round, d);
	d->t_fw = loop_timer_new(&d->loop, on_fw_tick, d);
	d->t_verify = loop_timer_new(&d->loop, verify_switch, d);
	d->t_stop = loop_timer_new(&d->loop, on_stop_timer, d);
	d->t_parked = loop_timer_new(&d->loop, on_parked, d);
	d->parked.root = o->root;

	if (records_open(&d->rec, d->c->records_path))
		log_warn("records file %s: %s; failover records are not kept",
			 d->c->records_path, strerror(errno));
	else
		d->have_rec = true;
	for (unsigned int i = 0; i < d->c->n_probes; i++) {
		struct probe_slot *p = probe_slot_new(d, &d->c->probes[i]);

		if (!p) {
			rc = 3;
			goto out;
		}
		d->probes[d->n_probes] = p;
		stats_init(&d->stats[d->n_probes], p->map);
		p->stats = &d->stats[d->n_probes++];
	}
	if (portal_set_init(&d->portals, d->c, &d->loop, portal_changed, d)) {
		rc = 3;
		goto out;
	}
	pstats_fill(d);
	plogin_fill(d, d->c);
	if (o->uevent_fifo) {
		int fd = open(o->uevent_fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);

		d->fifo_fd = fd;
		if (fd < 0 || loop_add_fd(&d->loop, fd, POLLIN, on_uevent_fifo,
					  d)) {
			log_err("%s: %s", o->uevent_fifo, strerror(errno));
			rc = 3;
			goto out;
		}
	}
	if (!o->no_udev && (rc = udev_start(d))) {
		log_err("cannot listen to udev events: %s", strerror(-rc));
		rc = 3;
		goto out;
	}
	if (d->c->metrics_enabled) {
		d->http = metrics_start(d, d->c->metrics_addr,
					d->c->metrics_port, &rc);
		if (!d->http) {
			log_err("metrics on %s:%u: %s", d->c->metrics_addr,
				d->c->metrics_port, strerror(-rc));
			rc = 3;
			goto out;
		}
	}
	rc = 0;
	{
		uint64_t now = d->loop.now();

		loop_timer_arm(&d->loop, d->t_resync, now);
		loop_timer_arm(&d->loop, d->t_portal, now);
		if (o->run_for_s > 0)
			loop_timer_arm(&d->loop, d->t_stop,
				       now + (uint64_t)(o->run_for_s * 1e9));
	}
	log_info("running: %u nodes, %u probes, metrics %s", d->c->n_nodes,
		 d->n_probes, d->http ? "on" : "off");
	while (!d->stop)
		if (loop_once(&d->loop, -1)) {
			log_err("poll: %s", strerror(errno));
			rc = 3;
			break;
		}
out:
	rtpg_job_fini(&d->rtpg_job);
	for (unsigned int i = 0; i < d->n_probes; i++)
		probe_slot_free(d, d->probes[i]);
	for (unsigned int i = 0; i < CONF_MAX_NODES * CONF_MAX_PORTALS; i++)
		if (d->login[i].pid > 0) {
			kill(d->login[i].pid, SIGKILL);
			waitpid(d->login[i].pid, NULL, 0);
		}
	parked_io_release(&d->parked);
	portal_set_stop(&d->portals);
	metrics_stop(d);
	if (d->mon)
		udev_monitor_unref(d->mon);
	if (d->udev)
		udev_unref(d->udev);
	if (d->have_rec)
		records_close(&d->rec);
	if (d->have_view)
		view_free(&d->view);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->fifo_fd >= 0)
		close(d->fifo_fd);
	free(d->conf);
	free(d);
	return rc;
}
