// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probers and their failover windows: one prober per configured
 * map, its samples through an eventfd, window ticks, early failover.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>



#include "daemon_priv.h"
#include "sock_kill.h"

static void emit_window(void *arg, const struct fw_record *r)
{
	struct probe_slot *p = arg;
	struct daemon *d = p->d;

	double stall = (double)(r->end_ns - r->start_ns) / 1e9;
	char line[320];

	p->stats->failovers++;
	hist_observe(&p->stats->stall, stall);
	snprintf(line, sizeof(line), "%s: I/O stalled %.3f s%s", p->map, stall,
		 r->io_errors ? " (with I/O errors)" : "");
	journal_io_stall(d, p->map, stall, r->io_errors, line);
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

/* The commands in flight on @node's sessions failed back to dm now
 * (early_cut.h), their timeouts given back on t_cut. */
static void cut_node(struct daemon *d, const struct pw_map *m,
		     const struct conf_node *node, uint64_t now)
{
	struct early_cut_result r;
	uint64_t t0 = d->loop.now();

	early_cut(&d->cut, d->o->root, m, node, now, &r);
	log_warn("%s: %s cut loose in %.0f ms: %u sessions' commands failed "
		 "at once, %u connections closed%s%s", m->mp->name,
		 node->name, (double)(d->loop.now() - t0) / 1e6, r.sessions,
		 r.connections, r.failed ? "; not all: " : "",
		 r.failed ? strerror(-r.first_err) : "");
	if (d->cut.n)
		loop_timer_arm_before(&d->loop, d->t_cut, now + 100 * MS);
}

/* Every 100 ms while a cut is fresh, then every second: a node can be
 * away for hours. */
static void on_cut_tick(void *arg, uint64_t now)
{
	struct daemon *d = arg;
	bool fresh = false;

	if (!early_cut_settle(&d->cut, d->o->root, now, false))
		return;
	for (unsigned int i = 0; i < d->cut.n; i++)
		fresh |= now - d->cut.s[i].at < EARLY_CUT_RESTORE_NS;
	loop_timer_arm(&d->loop, d->t_cut, now + (fresh ? 100 : 1000) * MS);
}

/* While a node is silent, look every 50 ms: the prober's I/O that gets
 * stuck was issued after its last sample, and nothing else wakes the
 * loop when it turns early-failover-ms old (a link loss in make demo
 * went by with the portals silent first and no look after). */
static void on_early_tick(void *arg, uint64_t now)
{
	struct daemon *d = arg;

	check_early(d, now);
}

/* Opt-in: fail a silent node's paths while the prober is stuck. */
void check_early(struct daemon *d, uint64_t now)
{
	if (!d->c->early_failover)
		return;
	if (early_any_silent(d->portals.p, d->portals.n))
		loop_timer_arm_before(&d->loop, d->t_early, now + 50 * MS);
	if (!d->have_view)
		return;
	for (unsigned int i = 0; i < d->n_probes; i++) {
		struct probe_slot *ps = d->probes[i];
		const struct mp_map *mm;
		struct pw_map *m = NULL;
		const struct conf_node *node;
		char why[160];
		uint64_t since;
		size_t idx;

		if (!ps->open)
			continue;
		mm = mp_find_map(&d->view.mp, ps->map);
		for (size_t k = 0; mm && k < d->view.n_maps; k++)
			if (d->view.maps[k].mp == mm)
				m = &d->view.maps[k];
		since = prober_inflight_since(&ps->pr);
		/* Stuck long enough: which group carries the I/O now, from
		 * the kernel (the view's may be seconds old: a failback by
		 * multipathd raises no uevent). */
		if (m && since && now - since >= d->c->early_failover_ms * MS &&
		    early_any_silent(d->portals.p, d->portals.n))
			view_read_dm_map(m, d->o->dm_capture_dir);
		if (!m || !early_decide(m, d->portals.p, d->portals.n, since,
					now, d->c->early_failover_ms * MS,
					&node, why, sizeof(why)))
			continue;
		idx = (size_t)(node - d->c->nodes);
		if (d->early_done[idx])
			continue;
		d->early_done[idx] = true;
		log_warn("%s: early failover off %s: %s", m->mp->name,
			 node->name, why);
		cut_node(d, m, node, now);
		for (size_t k = 0; k < m->mp->n_paths; k++) {
			const struct pw_path *p = &m->paths[k];
			char cmd[96], *reply = NULL;

			if (p->node != node || p->mp->dm_failed)
				continue;
			snprintf(cmd, sizeof(cmd), "fail path %s", p->mp->dev);
			if (mpath_cmd(d->o->mpath, cmd, &reply))
				log_warn("%s: '%s' failed", m->mp->name, cmd);
			free(reply);
			const struct ev_where w = { .path = p->mp->dev };

			snprintf(cmd, sizeof(cmd), "early: %s", p->mp->dev);
			event_at(d, m->mp->name, now, FW_EV_PATH_FAILED, cmd,
				 &w);
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

void open_probes(struct daemon *d, uint64_t now)
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
 * Early failover turned on: whether its cut can close connections here,
 * said once now rather than at the first link loss, and the kernel's
 * sock_diag modules loaded now rather than by that cut.
 */
static void early_ready(void)
{
	int rc = sock_kill_ready();

	if (rc == -EPERM)
		log_warn("early failover: no CAP_NET_ADMIN, so a silent "
			 "node's connections cannot be closed and the commands "
			 "in flight on them wait for the session timeouts (the "
			 "service needs it granted: pathwarden.conf(5))");
	else if (rc)
		log_warn("early failover: closing connections does not work "
			 "here (%s): the commands in flight on a silent node "
			 "wait for the session timeouts", strerror(-rc));
	else
		log_debug("early failover: connections can be closed");
}

/*
 * The probes of a new configuration: unchanged ones keep their thread,
 * their open window and their counters; a changed one starts afresh but
 * keeps the map's counters (Prometheus counters must not go back); a
 * removed one is stopped.
 */
void probes_reload(struct daemon *d, const struct pw_conf *nc)
{
	struct probe_slot *old[CONF_MAX_PROBES];
	struct map_stats *old_stats;
	bool kept[CONF_MAX_PROBES] = { false };
	unsigned int n_old = d->n_probes, n = 0;

	if (nc->early_failover && !d->c->early_failover)
		early_ready();

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

int probes_init(struct daemon *d)
{
	if (d->c->early_failover)
		early_ready();
	d->t_fw = loop_timer_new(&d->loop, on_fw_tick, d);
	d->t_cut = loop_timer_new(&d->loop, on_cut_tick, d);
	d->t_early = loop_timer_new(&d->loop, on_early_tick, d);
	for (unsigned int i = 0; i < d->c->n_probes; i++) {
		struct probe_slot *p = probe_slot_new(d, &d->c->probes[i]);

		if (!p)
			return -1;
		d->probes[d->n_probes] = p;
		stats_init(&d->stats[d->n_probes], p->map);
		p->stats = &d->stats[d->n_probes++];
	}
	return 0;
}

void probes_fini(struct daemon *d)
{
	/* No session keeps a recovery_tmo of 0 the daemon set. */
	early_cut_settle(&d->cut, d->o->root, 0, true);
	for (unsigned int i = 0; i < d->n_probes; i++)
		probe_slot_free(d, d->probes[i]);
	d->n_probes = 0;
}
