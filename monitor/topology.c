// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Joining the three views of a path and judging them.  multipathd names the
 * paths and groups, sysfs ties each disk to its session and so to a
 * configured node and portal, and RTPG says what the storage node itself
 * reports now, which multipathd 0.9.4 only learns at its next prio refresh.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "dm_status.h"
#include "log.h"
#include "mpath_client.h"
#include "topology.h"
#include "strutil.h"

static const char *const path_words[] = {
	[PW_PATH_ACTIVE] = "active",
	[PW_PATH_SPARE] = "spare",
	[PW_PATH_STANDBY] = "standby",
	[PW_PATH_STALE] = "stale",
	[PW_PATH_MISROUTED] = "misrouted",
	[PW_PATH_DOWN] = "down",
	[PW_PATH_GONE] = "gone",
};

static const char *const map_words[] = {
	[PW_MAP_OK] = "ok",
	[PW_MAP_DEGRADED] = "degraded",
	[PW_MAP_MISROUTED] = "misrouted",
	[PW_MAP_SPREAD] = "spread",
	[PW_MAP_DOWN] = "down",
};

const char *path_word_name(enum path_word w)
{
	return w <= PW_PATH_GONE ? path_words[w] : "?";
}

const char *map_word_name(enum map_word w)
{
	return w <= PW_MAP_DOWN ? map_words[w] : "?";
}

/* ---- judging ---------------------------------------------------------- */

void view_judge_path(struct pw_path *p)
{
	struct path_facts f = {
		.rtpg = p->rtpg_done ? &p->rtpg : NULL,
		.access_state = p->sd ? p->sd->access_state : NULL,
		.sysfs_preferred = p->sd ? p->sd->preferred : -1,
		.gone = !p->sd,
		.transport_down = (p->sd && !strcmp(p->sd->state, "offline")) ||
				  (p->sess && strcmp(p->sess->state, "LOGGED_IN")),
		.mp_down = p->mp->dm_failed || !p->mp->chk_up,
		.mp_ghost = p->mp->chk_ghost,
		.dm_kernel_active = p->dm_kernel_active,
	};

	path_judge(&f, &p->judge);
}

/* The path within its map: a usable one is in use, spare, misrouted or
 * waiting for multipathd to take a new prio. */
static enum path_word judge_path(const struct pw_map *m, struct pw_path *p)
{
	switch (p->judge.class) {
	case PATH_CLASS_GONE:
		return PW_PATH_GONE;
	case PATH_CLASS_DOWN:
		return PW_PATH_DOWN;
	case PATH_CLASS_STANDBY:
		return PW_PATH_STANDBY;
	case PATH_CLASS_USABLE:
		break;
	}
	/* Carrying I/O while another group is optimized says more than a
	 * stale prio, which is its cause. */
	if (p->mp->group == m->active_group && m->ao_group &&
	    m->ao_group != m->active_group)
		return PW_PATH_MISROUTED;
	if (p->expected_pri >= 0 && p->mp->pri >= 0 &&
	    p->expected_pri != p->mp->pri)
		return PW_PATH_STALE;
	return p->mp->group == m->active_group ? PW_PATH_ACTIVE
					       : PW_PATH_SPARE;
}

/* The group whose paths are all AO, by the freshest state we have. */
static unsigned int find_ao_group(const struct pw_map *m)
{
	const struct mp_map *mp = m->mp;

	for (size_t g = 0; g < mp->n_groups; g++) {
		const struct mp_group *grp = &mp->groups[g];
		size_t ao = 0, usable = 0;

		for (size_t i = 0; i < grp->n_paths; i++) {
			const struct pw_path *p = &m->paths[grp->first_path + i];

			if (!path_state_known(p))
				continue;
			usable++;
			if (p->judge.state == ALUA_ACTIVE_OPTIMIZED)
				ao++;
		}
		if (ao && ao == usable)
			return grp->num;
	}
	return 0;
}

static void judge_map(struct pw_map *m, const struct pw_conf *conf)
{
	const struct mp_map *mp = m->mp;
	const struct conf_node *seen[CONF_MAX_NODES + 1];
	unsigned int n_seen = 0;
	bool any_down = false, foreign = false;

	/* The kernel's answer beats multipathd's cache, which a switchgroup
	 * does not update until multipathd's next check of the map. */
	m->active_group = m->dm_group ? m->dm_group : mp_active_group(mp);
	for (size_t i = 0; i < mp->n_paths; i++)
		view_judge_path(&m->paths[i]);
	m->ao_group = find_ao_group(m);
	m->n_usable = 0;
	for (size_t i = 0; i < mp->n_paths; i++) {
		struct pw_path *p = &m->paths[i];

		p->verdict = judge_path(m, p);
		if (p->verdict == PW_PATH_DOWN || p->verdict == PW_PATH_GONE)
			any_down = true;
		else
			m->n_usable++;
		if (p->mp->group != m->active_group)
			continue;
		if (!p->node) {
			foreign = true;
			continue;
		}
		bool dup = false;

		for (unsigned int k = 0; k < n_seen; k++)
			dup |= seen[k] == p->node;
		if (!dup && n_seen < CONF_MAX_NODES)
			seen[n_seen++] = p->node;
	}
	m->n_nodes_in_active = n_seen;
	(void)foreign;
	if (m->n_usable == 0)
		m->verdict = PW_MAP_DOWN;
	else if (n_seen > 1)
		m->verdict = PW_MAP_SPREAD;
	else if (m->ao_group && m->ao_group != m->active_group)
		m->verdict = PW_MAP_MISROUTED;
	else if (any_down || mp->n_paths < conf_total_portals(conf))
		m->verdict = PW_MAP_DEGRADED;
	else
		m->verdict = PW_MAP_OK;
}

void view_judge(struct pw_view *v, const struct pw_conf *conf)
{
	for (size_t i = 0; i < v->n_maps; i++)
		judge_map(&v->maps[i], conf);
}

static void join_path(struct pw_path *p, const struct mp_path *mp,
		      const struct view_opts *o, const struct pw_view *v)
{
	unsigned int idx = 0;

	memset(p, 0, sizeof(*p));
	p->mp = mp;
	p->portal_idx = -1;
	p->expected_pri = -1;
	p->sd = sysfs_find_sd(&v->sys, mp->dev);
	if (p->sd && p->sd->sid >= 0)
		p->sess = sysfs_find_sess(&v->sys, p->sd->sid);
	if (p->sess && p->sess->port > 0) {
		p->node = conf_node_by_portal(o->conf, p->sess->address,
					      (unsigned int)p->sess->port, &idx);
		if (p->node)
			p->portal_idx = (int)idx;
		else
			p->node = conf_node_by_target(o->conf, p->sess->target);
	}
}

bool path_wants_rtpg(const struct pw_path *p)
{
	return p->sd && (!p->sess || !strcmp(p->sess->state, "LOGGED_IN"));
}

/* The paths of @v worth an RTPG, as a batch to ask; false on OOM. */
bool view_rtpg_batch(const struct pw_view *v, struct rtpg_batch *b,
		     bool per_node)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++) {
			const struct pw_path *p = &v->maps[i].paths[j];

			/* a path multipathd or dm holds failed answers
			 * for itself: only its own answer gives it back */
			bool follows = per_node && p->node &&
				       p->mp->chk_up && !p->mp->dm_failed;

			if (path_wants_rtpg(p) &&
			    !rtpg_batch_add_on(b, v->maps[i].mp->name,
					       p->mp->dev, follows ?
					       p->node->name : NULL)) {
				rtpg_batch_free(b);
				return false;
			}
		}
	return true;
}

/* A batch's answers into @m's paths of the same map and disk that are
 * still worth one (a session that went down since is the kernel's word).
 * *@k: the next item when the batch came from this view, in its order. */
static void put_map_answers(struct pw_map *m, const struct rtpg_batch *b,
			    size_t *k)
{
	for (size_t j = 0; j < m->mp->n_paths; j++) {
		struct pw_path *p = &m->paths[j];
		const char *map = m->mp->name;
		const struct rtpg_item *it;

		if (!path_wants_rtpg(p))
			continue;
		if (*k < b->n && !strcmp(b->items[*k].dev, p->mp->dev) &&
		    !strcmp(b->items[*k].map, map))
			it = &b->items[(*k)++];
		else
			it = rtpg_batch_find(b, map, p->mp->dev);
		if (it && it->done) {
			p->rtpg = it->ans;
			p->rtpg_done = true;
		}
	}
}

static void view_put_answers(struct pw_view *v, const struct rtpg_batch *b)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n_maps; i++)
		put_map_answers(&v->maps[i], b, &k);
}
/*
 * The prio multipathd should compute from a path's ALUA state: rtpg,
 * alua and sysfs all use the stock weights unless prio_args changes them
 * (rtpg and alua only).  Any other prio (const, ...) is not judged.
 * False when no expectation can be had.
 */
static bool map_weights(const struct pw_view *v, const struct mp_map *m,
			struct prio_weights *w)
{
	const char *prio, *args;
	char err[128];

	prio_weights_default(w);
	if (!v->have_mpconf)
		return true;
	prio = mpconf_get(&v->mpconf, m->vend, m->prod, "prio", NULL);
	if (!prio)
		return false;	/* 0.9.4's built-in default is const */
	if (!strcmp(prio, "sysfs"))
		return true;
	if (strcmp(prio, "rtpg") && strcmp(prio, "alua"))
		return false;
	args = mpconf_get(&v->mpconf, m->vend, m->prod, "prio_args", NULL);
	if (args && *args && !prio_weights_parse(args, w, err, sizeof(err))) {
		log_debug("%s: prio_args not understood: %s", m->name, err);
		return false;
	}
	return true;
}

/* The prio multipathd should give each path of @m that answered. */
static void expect_map(const struct pw_view *v, struct pw_map *m)
{
	struct prio_weights w;

	if (!map_weights(v, m->mp, &w))
		return;
	for (size_t j = 0; j < m->mp->n_paths; j++) {
		struct pw_path *p = &m->paths[j];

		if (p->rtpg_done && (p->rtpg.result == TPG_OK ||
				     p->rtpg.from_peer))
			p->expected_pri = tpg_prio(&p->rtpg.own, &w);
	}
}

static void view_expect(struct pw_view *v)
{
	for (size_t i = 0; i < v->n_maps; i++)
		expect_map(v, &v->maps[i]);
}

void view_take_answers(struct pw_view *v, const struct rtpg_batch *b,
		       const struct pw_conf *conf)
{
	view_put_answers(v, b);
	view_expect(v);
	view_judge(v, conf);
}

void view_take_map_answers(struct pw_view *v, struct pw_map *m,
			   const struct rtpg_batch *b,
			   const struct pw_conf *conf)
{
	size_t k = 0;

	put_map_answers(m, b, &k);
	expect_map(v, m);
	judge_map(m, conf);
}

/* The sysfs scan of a view, run beside multipathd's answers. */
struct scan_job {
	const struct view_opts *o;
	struct sysfs_snapshot *snap;
	int rc;
};

static void *scan_run(void *arg)
{
	struct scan_job *j = arg;

	j->rc = j->o->want_disk_identity
			? sysfs_scan(j->o->sysfs_root, j->snap)
			: sysfs_scan_paths(j->o->sysfs_root, j->snap);
	return NULL;
}

void view_read_dm_map(struct pw_map *m, const char *capture_dir)
{
	char *line = dm_status_get(m->mp->name, capture_dir);
	struct dm_mpath_status st;
	char err[128];

	if (!line)
		return;
	if (!dm_status_parse(line, &st, err, sizeof(err))) {
		log_debug("%s: dm status not usable: %s", m->mp->name, err);
		free(line);
		return;
	}
	free(line);
	m->dm_next = st.next_group;
	m->dm_group = st.n_groups == m->mp->n_groups ? st.next_group : 0;
	for (size_t j = 0; j < m->mp->n_paths; j++) {
		struct pw_path *p = &m->paths[j];

		p->dm_kernel_active = false;
		p->dm_kernel_group = 0;
		for (size_t k = 0; k < st.n_paths; k++)
			if (!strcmp(st.paths[k].devt, p->mp->devt)) {
				p->dm_kernel_active = st.paths[k].active;
				p->dm_kernel_group = st.paths[k].group;
			}
	}
}

void view_read_dm(struct pw_view *v, const char *capture_dir)
{
	for (size_t i = 0; i < v->n_maps; i++)
		view_read_dm_map(&v->maps[i], capture_dir);
}

bool view_build(struct pw_view *v, const struct view_opts *o)
{
	char err[256];
	char *reply = NULL;
	struct scan_job scan;
	pthread_t scanner;
	bool threaded;
	int rc;

	memset(v, 0, sizeof(*v));
	/*
	 * Reading every disk in sysfs and asking multipathd for its maps need
	 * nothing of each other, and over a thousand paths each is tens of
	 * milliseconds (half the time of a status): for a command the scan
	 * runs on a thread of its own meanwhile (here when none can be
	 * made).  Not for the daemon: its switchover in the lab was not
	 * measured faster with it (docs/tuning.md, 2026-12-06), and it
	 * builds its views as it did when measured best.
	 */
	scan = (struct scan_job){ .o = o, .snap = &v->sys };
	threaded = o->scan_beside &&
		   pthread_create(&scanner, NULL, scan_run, &scan) == 0;
	if (!threaded)
		scan_run(&scan);
	rc = mpath_cmd(o->mpath, "show maps json", &reply);
	if (rc) {
		snprintf(v->mp_error, sizeof(v->mp_error),
			 "multipathd did not answer 'show maps json': %s",
			 strerror(-rc));
	} else if (!mp_parse_maps_json(reply, &v->mp, err, sizeof(err))) {
		snprintf(v->mp_error, sizeof(v->mp_error),
			 "cannot parse multipathd's map list: %.200s", err);
	}
	free(reply);
	reply = NULL;
	if (o->want_config && !v->mp_error[0]) {
		rc = mpath_cmd(o->mpath, "show config", &reply);
		if (!rc && mpconf_parse(reply, &v->mpconf, err, sizeof(err)))
			v->have_mpconf = true;
		else if (!rc)
			log_warn("cannot parse multipathd's config: %s", err);
		free(reply);
	}
	if (threaded)
		pthread_join(scanner, NULL);
	if (scan.rc)
		log_warn("cannot read sysfs under '%s': %s", o->sysfs_root,
			 strerror(-scan.rc));
	v->n_maps = v->mp.n_maps;
	v->maps = calloc(v->n_maps ? v->n_maps : 1, sizeof(*v->maps));
	if (!v->maps)
		return false;
	for (size_t i = 0; i < v->n_maps; i++) {
		struct pw_map *m = &v->maps[i];

		m->mp = &v->mp.maps[i];
		m->paths = calloc(m->mp->n_paths ? m->mp->n_paths : 1,
				  sizeof(*m->paths));
		if (!m->paths)
			return false;
		for (size_t j = 0; j < m->mp->n_paths; j++)
			join_path(&m->paths[j], &m->mp->paths[j], o, v);
	}
	if (o->rtpg) {
		struct rtpg_batch b;

		if (!view_rtpg_batch(v, &b, false))
			return false;
		rtpg_batch_ask(&b, o->rtpg, o->conf->rtpg_timeout_ms);
		view_put_answers(v, &b);
		rtpg_batch_free(&b);
	} else if (o->answers) {
		view_put_answers(v, o->answers);
	}
	view_expect(v);
	/* The kernel's group after the RTPGs, which may have taken a while:
	 * the freshest word on where I/O goes is the last one read. */
	if (o->dm_status)
		view_read_dm(v, o->dm_capture_dir);
	view_judge(v, o->conf);
	return true;
}

const struct pw_map *view_map(const struct pw_view *v, const char *name)
{
	const struct mp_map *mm = mp_find_map(&v->mp, name);

	/* v->maps[i] is multipathd's v->mp.maps[i] */
	return mm && v->maps ? &v->maps[mm - v->mp.maps] : NULL;
}

void view_free(struct pw_view *v)
{
	for (size_t i = 0; i < v->n_maps; i++)
		free(v->maps[i].paths);
	free(v->maps);
	mp_topology_free(&v->mp);
	mpconf_free(&v->mpconf);
	sysfs_snapshot_free(&v->sys);
	memset(v, 0, sizeof(*v));
}
