// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Joining the three views of a path and judging them.  multipathd names the
 * paths and groups, sysfs ties each disk to its session and so to a
 * configured node and portal, and RTPG says what the storage node itself
 * reports now, which multipathd 0.9.4 only learns at its next prio refresh.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pathwarden/replay.h"

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

/* ---- RTPG sources ----------------------------------------------------- */

/* /dev/sgN for disk @dev (from /sys/block/DEV/device/scsi_generic/), in
 * @dir; false when it has none (sg not loaded) or the name is odd. */
static bool sg_node(const char *dir, const char *dev, char *path, size_t len)
{
	char sys[300];
	struct dirent *e;
	DIR *d;
	bool found = false;

	if (strchr(dev, '/') || dev[0] == '.')
		return false;
	if (snprintf(sys, sizeof(sys), "/sys/block/%s/device/scsi_generic",
		     dev) >= (int)sizeof(sys))
		return false;
	d = opendir(sys);
	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		if (!strncmp(e->d_name, "sg", 2) && e->d_name[2] &&
		    strspn(e->d_name + 2, "0123456789") == strlen(e->d_name + 2)) {
			found = snprintf(path, len, "%s/%s", dir,
					 e->d_name) < (int)len;
		}
	closedir(d);
	return found;
}

static enum tpg_result dev_query(struct rtpg_source *src, const char *dev,
				 unsigned int timeout_ms,
				 struct tpg_answer *ans,
				 struct rtpg_report *rep)
{
	char path[300];
	struct scsi_dev sd;
	struct tpg_identity id = { 0 };
	enum tpg_result r;
	int fd;

	/*
	 * The group id from what the kernel read at scan time, as the prio
	 * reads it: one command per path, and a group known even for a
	 * port that refuses INQUIRY (LIO while offline), which its peers'
	 * reports then judge.
	 */
	if (!strchr(dev, '/') && dev[0] != '.') {
		snprintf(path, sizeof(path), "/sys/block/%s/device", dev);
		if (tpg_identity_from_sysfs(path, &id) != TPG_OK)
			id = (struct tpg_identity){ 0 };
	}

	/*
	 * Through the disk's sg node when it has one: its asynchronous
	 * interface lets us stop waiting at the timeout, where SG_IO on the
	 * disk waits out the kernel's error handling of a hung target.
	 * O_NONBLOCK: opening must not wait for a dead path's queue.
	 */
	fd = sg_node(src->dir, dev, path, sizeof(path)) ?
	     open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd >= 0) {
		scsi_dev_init_sg(&sd, fd);
	} else {
		snprintf(path, sizeof(path), "%s/%s", src->dir, dev);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			memset(ans, 0, sizeof(*ans));
			ans->result = TPG_OS_ERROR;
			return ans->result;
		}
		scsi_dev_init_fd(&sd, fd);
	}
	r = tpg_query(&sd, timeout_ms, &id, ans, rep);
	close(fd);
	return r;
}

static enum tpg_result replay_query(struct rtpg_source *src, const char *dev,
				    unsigned int timeout_ms,
				    struct tpg_answer *ans,
				    struct rtpg_report *rep)
{
	char path[300], err[128];
	struct scsi_dev sd = { 0 };
	struct tpg_identity id = { 0 };
	struct replay_dev *rd;
	enum tpg_result r;

	snprintf(path, sizeof(path), "%s/%s.replay", src->dir, dev);
	rd = replay_load(path, err, sizeof(err));
	if (!rd) {
		memset(ans, 0, sizeof(*ans));
		ans->result = TPG_OS_ERROR;
		if (errno != ENOENT)
			log_warn("%s: %s", path, err);
		return ans->result;
	}
	sd.fd = -1;
	replay_attach(&sd, rd);
	r = tpg_query(&sd, timeout_ms, &id, ans, rep);
	replay_free(rd);
	return r;
}

void rtpg_source_dev(struct rtpg_source *s)
{
	memset(s, 0, sizeof(*s));
	s->query = dev_query;
	snprintf(s->dir, sizeof(s->dir), "/dev");
}

void rtpg_source_replay(struct rtpg_source *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
	s->query = replay_query;
	str_copy(s->dir, sizeof(s->dir), dir);
}

/* ---- judging ---------------------------------------------------------- */

/* The device told us something: not merely "we could not ask it". */
static bool rtpg_heard(const struct pw_path *p)
{
	if (!p->rtpg_done)
		return false;
	switch (p->rtpg.result) {
	case TPG_OS_ERROR:	/* no node to open, SG_IO refused */
	case TPG_NO_MEMORY:
	case TPG_NOT_SCSI:
		return false;
	default:
		return true;
	}
}

bool path_alua_state(const struct pw_path *p, enum alua_state *st,
		     bool *preferred)
{
	if (p->rtpg_done && tpg_answer_state(&p->rtpg, st, preferred))
		return true;
	if (rtpg_heard(p) && p->rtpg.result != TPG_NOT_ALUA)
		return false;	/* the kernel's word is older than the failure */
	if (p->sd && alua_state_parse(p->sd->access_state, st)) {
		*preferred = p->sd->preferred == 1;
		return true;
	}
	return false;
}

static bool mp_path_up(const struct mp_path *m)
{
	return strcmp(m->dm_st, "failed") &&
	       (!strcmp(m->chk_st, "ready") || !strcmp(m->chk_st, "ghost") ||
		!strcmp(m->chk_st, "i/o pending") ||
		!strcmp(m->chk_st, "delayed"));
}

static enum path_word judge_path(const struct pw_map *m, struct pw_path *p)
{
	enum alua_state st;
	bool pref, have = path_alua_state(p, &st, &pref);

	if (!p->sd)
		return PW_PATH_GONE;
	if (!mp_path_up(p->mp) || !strcmp(p->sd->state, "offline") ||
	    (p->sess && strcmp(p->sess->state, "LOGGED_IN")))
		return PW_PATH_DOWN;
	/* The core's verdict, as the checker makes it: one judge. */
	if (rtpg_heard(p)) {
		switch (tpg_verdict(&p->rtpg)) {
		case PV_DOWN:
		case PV_TIMEOUT:
			return PW_PATH_DOWN;
		case PV_GHOST:
			return PW_PATH_STANDBY;
		case PV_UP:
		case PV_PENDING:
		case PV_UNSUPPORTED:
			break;
		}
	}
	if (have && (st == ALUA_UNAVAILABLE || st == ALUA_OFFLINE))
		return PW_PATH_DOWN;
	if ((have && (st == ALUA_STANDBY || st == ALUA_TRANSITIONING)) ||
	    !strcmp(p->mp->chk_st, "ghost"))
		return PW_PATH_STANDBY;
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
			enum alua_state st;
			bool pref;

			if (!path_alua_state(p, &st, &pref))
				continue;
			usable++;
			if (st == ALUA_ACTIVE_OPTIMIZED)
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

/* Worth an RTPG: a path whose session is down would only make it wait for
 * its timeout, the kernel already says it is gone. */
static bool wants_rtpg(const struct pw_path *p)
{
	return p->sd && (!p->sess || !strcmp(p->sess->state, "LOGGED_IN"));
}

/*
 * Every path's RTPG at once, from up to RTPG_THREADS threads: a hung path
 * costs its timeout once per view, not once per hung path (status behind
 * a dead node's portals, the daemon's refresh after an ALUA change).  The
 * sources allow it: each query opens its own node or replay script and
 * keeps nothing between calls.
 */
#define RTPG_THREADS 16

struct rtpg_batch {
	struct rtpg_source *src;
	unsigned int timeout_ms;
	struct pw_path **paths;
	struct rtpg_report *reps;	/* one per path, same order */
	size_t *map_of;			/* the path's map, same order */
	size_t n;
	size_t next;		/* the next path to take; atomic */
};

static void *rtpg_worker(void *arg)
{
	struct rtpg_batch *b = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&b->next, 1, __ATOMIC_RELAXED)) < b->n) {
		struct pw_path *p = b->paths[i];

		b->src->query(b->src, p->mp->dev, b->timeout_ms, &p->rtpg,
			      &b->reps[i]);
		p->rtpg_done = true;
	}
	return NULL;
}

/*
 * A path whose own RTPG failed is judged by what another path of the same
 * map (one LU) reported of its group in the same batch: both storage
 * nodes report both groups, so the truth is one path away.
 */
static void rtpg_batch_peers(struct rtpg_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct pw_path *p = b->paths[i];

		for (size_t j = 0; j < b->n && tpg_answer_wants_peer(&p->rtpg);
		     j++) {
			const struct pw_path *q = b->paths[j];

			if (j != i && b->map_of[j] == b->map_of[i] &&
			    q->rtpg.result == TPG_OK &&
			    tpg_answer_from_peer(&p->rtpg, &b->reps[j], 0))
				break;
		}
	}
}

static void rtpg_batch_run(struct rtpg_batch *b)
{
	pthread_t t[RTPG_THREADS - 1];
	sigset_t all, old;
	size_t nt = 0;

	/* The workers take no signal: the daemon reads its own through a
	 * signalfd, and a CLI's SIGINT must reach the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (nt < RTPG_THREADS - 1 && nt + 1 < b->n &&
	       !pthread_create(&t[nt], NULL, rtpg_worker, b))
		nt++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* The caller works too, alone when no thread could be started. */
	rtpg_worker(b);
	while (nt)
		pthread_join(t[--nt], NULL);
}

/* RTPG on every path of @v worth one; false on out-of-memory. */
static bool view_query(struct pw_view *v, const struct view_opts *o)
{
	struct rtpg_batch b = { .src = o->rtpg,
				.timeout_ms = o->conf->rtpg_timeout_ms };
	size_t n = 0;

	for (size_t i = 0; i < v->n_maps; i++)
		n += v->maps[i].mp->n_paths;
	b.paths = calloc(n ? n : 1, sizeof(*b.paths));
	b.reps = calloc(n ? n : 1, sizeof(*b.reps));
	b.map_of = calloc(n ? n : 1, sizeof(*b.map_of));
	if (!b.paths || !b.reps || !b.map_of) {
		free(b.paths);
		free(b.reps);
		free(b.map_of);
		return false;
	}
	for (size_t i = 0; i < v->n_maps; i++)
		for (size_t j = 0; j < v->maps[i].mp->n_paths; j++)
			if (wants_rtpg(&v->maps[i].paths[j])) {
				b.map_of[b.n] = i;
				b.paths[b.n++] = &v->maps[i].paths[j];
			}
	if (b.n) {
		rtpg_batch_run(&b);
		rtpg_batch_peers(&b);
	}
	free(b.paths);
	free(b.reps);
	free(b.map_of);
	return true;
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

bool view_build(struct pw_view *v, const struct view_opts *o)
{
	char err[256];
	char *reply = NULL;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = sysfs_scan(o->sysfs_root, &v->sys);
	if (rc)
		log_warn("cannot read sysfs under '%s': %s", o->sysfs_root,
			 strerror(-rc));
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
	if (o->rtpg && !view_query(v, o))
		return false;
	/* The kernel's group after the RTPGs, which may have taken a while:
	 * the freshest word on where I/O goes is the last one read. */
	for (size_t i = 0; i < v->n_maps; i++) {
		struct pw_map *m = &v->maps[i];
		struct prio_weights w;

		if (map_weights(v, m->mp, &w))
			for (size_t j = 0; j < m->mp->n_paths; j++)
				if (m->paths[j].rtpg_done &&
				    (m->paths[j].rtpg.result == TPG_OK ||
				     m->paths[j].rtpg.from_peer))
					m->paths[j].expected_pri = tpg_prio(
						&m->paths[j].rtpg.own, &w);
		if (o->dm_status) {
			char *line = dm_status_get(m->mp->name,
						   o->dm_capture_dir);
			struct dm_mpath_status st;

			if (line && dm_status_parse(line, &st, err,
						    sizeof(err)) &&
			    st.n_groups == m->mp->n_groups)
				m->dm_group = st.next_group;
			else if (line)
				log_debug("%s: dm status not usable: %s",
					  m->mp->name, err);
			free(line);
		}
	}
	view_judge(v, o->conf);
	return true;
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
