// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observer.h"
#include "strutil.h"

_Static_assert(BENCH_OBS_PATHS >= DMS_MAX_PATHS,
	       "an observation holds every path dm's status can give");

static int node_of_session(const struct pw_conf *conf,
			   const struct iscsi_sess *s)
{
	const struct conf_node *n = NULL;

	if (s->port > 0)
		n = conf_node_by_portal(conf, s->address,
					(unsigned int)s->port, NULL);
	if (!n)
		n = conf_node_by_target(conf, s->target);
	return n ? (int)(n - conf->nodes) : BENCH_NODE_UNKNOWN;
}

size_t bench_devnodes(const struct sysfs_snapshot *snap,
		      const struct pw_conf *conf, struct bench_devnode **out)
{
	struct bench_devnode *d;

	*out = NULL;
	if (!snap->n_sd || !(d = calloc(snap->n_sd, sizeof(*d))))
		return 0;
	for (size_t i = 0; i < snap->n_sd; i++) {
		const struct sd_dev *sd = &snap->sd[i];
		const struct iscsi_sess *s =
			sd->sid >= 0 ? sysfs_find_sess(snap, sd->sid) : NULL;

		str_copy(d[i].devt, sizeof(d[i].devt), sd->devt);
		str_copy(d[i].sd, sizeof(d[i].sd), sd->name);
		d[i].node = s ? node_of_session(conf, s) : BENCH_NODE_UNKNOWN;
	}
	*out = d;
	return snap->n_sd;
}

static const struct bench_devnode *find_dev(const struct bench_devnode *d,
					    size_t n, const char *devt)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].devt, devt))
			return &d[i];
	return NULL;
}

void bench_obs_from_dm(const struct dm_mpath_status *st,
		       const struct bench_devnode *devs, size_t n_devs,
		       int64_t t_ns, struct bench_obs *o)
{
	int node = BENCH_GROUP_NONE;	/* none stays when none is active */

	memset(o, 0, sizeof(*o));
	o->t_ns = t_ns;
	o->dm_group = st->next_group;
	for (unsigned int i = 0; i < st->n_paths && i < BENCH_OBS_PATHS; i++) {
		const struct bench_devnode *d =
			find_dev(devs, n_devs, st->paths[i].devt);
		struct bench_obs_path *p = &o->paths[o->n_paths++];

		str_copy(p->devt, sizeof(p->devt), st->paths[i].devt);
		if (d)
			str_copy(p->sd, sizeof(p->sd), d->sd);
		p->node = d ? d->node : BENCH_NODE_UNKNOWN;
		p->active = st->paths[i].active;
		p->in_next = st->paths[i].group == st->next_group;
		/* dm sends I/O to the active paths of its next group only:
		 * a failed path in it, a stock multipathd's group of both
		 * nodes after one node's links went, carries none */
		if (!p->in_next || !p->active)
			continue;
		/* whose paths: one node, two (mixed), or a stranger's */
		if (p->node == BENCH_NODE_UNKNOWN)
			node = node == BENCH_GROUP_NONE ? BENCH_GROUP_UNKNOWN
							: BENCH_GROUP_MIXED;
		else if (node == BENCH_GROUP_NONE)
			node = p->node;
		else if (node != p->node)
			node = BENCH_GROUP_MIXED;
	}
	o->group = node;
}

int bench_observer_init(struct bench_observer *ob, const char *map,
			const char *capture_dir, const char *root,
			const struct pw_conf *conf, size_t log_cap)
{
	memset(ob, 0, sizeof(*ob));
	ob->map = map;
	ob->capture_dir = capture_dir;
	ob->root = root;
	ob->conf = conf;
	atomic_init(&ob->stop, false);
	atomic_init(&ob->polls, 0);
	atomic_init(&ob->failed_polls, 0);
	return sample_log_init(&ob->log, sizeof(struct bench_obs), log_cap);
}

void bench_observer_free(struct bench_observer *ob)
{
	free(ob->devs);
	ob->devs = NULL;
	sample_log_free(&ob->log);
}

static void rescan(struct bench_observer *ob)
{
	struct sysfs_snapshot snap;
	int rc = sysfs_scan(ob->root, &snap);

	if (rc) {
		snprintf(ob->problem, sizeof(ob->problem),
			 "sysfs scan: %s", strerror(-rc));
		return;
	}
	free(ob->devs);
	ob->n_devs = bench_devnodes(&snap, ob->conf, &ob->devs);
	sysfs_snapshot_free(&snap);
}

static bool unplaced(struct bench_observer *ob, const char *devt)
{
	for (size_t i = 0; i < ob->n_unplaced; i++)
		if (!strcmp(ob->unplaced[i], devt))
			return true;
	return false;
}

/* A path we cannot place: the disk may be new since the last scan (a
 * session logged in again).  Scan once per such path, not every poll. */
static void place_new_paths(struct bench_observer *ob,
			    const struct dm_mpath_status *st)
{
	bool scanned = false;

	for (unsigned int i = 0; i < st->n_paths; i++) {
		const char *devt = st->paths[i].devt;

		if (find_dev(ob->devs, ob->n_devs, devt) || unplaced(ob, devt))
			continue;
		if (!scanned) {
			rescan(ob);
			scanned = true;
		}
		if (!find_dev(ob->devs, ob->n_devs, devt) &&
		    ob->n_unplaced < sizeof(ob->unplaced) / sizeof(ob->unplaced[0]))
			str_copy(ob->unplaced[ob->n_unplaced++],
				 sizeof(ob->unplaced[0]), devt);
	}
}

static bool same_state(const struct bench_obs *a, const struct bench_obs *b)
{
	if (a->group != b->group || a->dm_group != b->dm_group ||
	    a->n_paths != b->n_paths)
		return false;
	for (unsigned int i = 0; i < a->n_paths; i++)
		if (strcmp(a->paths[i].devt, b->paths[i].devt) ||
		    strcmp(a->paths[i].sd, b->paths[i].sd) ||
		    a->paths[i].node != b->paths[i].node ||
		    a->paths[i].active != b->paths[i].active ||
		    a->paths[i].in_next != b->paths[i].in_next)
			return false;
	return true;
}

static void poll_once(struct bench_observer *ob)
{
	struct dm_mpath_status st;
	struct bench_obs o;
	char err[96], *line;
	int64_t now = bench_now_ns();

	atomic_fetch_add(&ob->polls, 1);
	line = dm_status_get(ob->map, ob->capture_dir);
	if (!line) {
		/* the map is gone (or device-mapper refused): no path */
		snprintf(ob->problem, sizeof(ob->problem),
			 "no dm status for map %s", ob->map);
		atomic_fetch_add(&ob->failed_polls, 1);
		memset(&st, 0, sizeof(st));
	} else if (!dm_status_parse(line, &st, err, sizeof(err))) {
		/* a line we cannot read tells nothing: keep the last state */
		snprintf(ob->problem, sizeof(ob->problem),
			 "dm status of %s: %s", ob->map, err);
		atomic_fetch_add(&ob->failed_polls, 1);
		free(line);
		return;
	}
	free(line);
	place_new_paths(ob, &st);
	bench_obs_from_dm(&st, ob->devs, ob->n_devs, now, &o);
	if (ob->have_last && same_state(&ob->last, &o))
		return;
	ob->last = o;
	ob->have_last = true;
	sample_log_append(&ob->log, &o);
}

static void *observer_main(void *arg)
{
	struct bench_observer *ob = arg;
	int64_t next = bench_now_ns();

	while (!atomic_load(&ob->stop)) {
		struct timespec ts;

		poll_once(ob);
		next += BENCH_POLL_NS;
		if (next < bench_now_ns())
			next = bench_now_ns();
		ts.tv_sec = next / 1000000000;
		ts.tv_nsec = next % 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
	}
	return NULL;
}

int bench_observer_start(struct bench_observer *ob)
{
	sigset_t all, old;
	int rc;

	sample_log_reset(&ob->log);
	ob->have_last = false;
	ob->n_unplaced = 0;
	ob->problem[0] = '\0';
	atomic_store(&ob->polls, 0);
	atomic_store(&ob->failed_polls, 0);
	atomic_store(&ob->stop, false);
	rescan(ob);
	poll_once(ob);		/* the state at the start, before any wait */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ob->thread, NULL, observer_main, ob);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ob->running = rc == 0;
	return -rc;
}

void bench_observer_stop(struct bench_observer *ob)
{
	if (!ob->running)
		return;
	atomic_store(&ob->stop, true);
	pthread_join(ob->thread, NULL);
	ob->running = false;
}
