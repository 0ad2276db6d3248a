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
#include <poll.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>


#include "daemon.h"

#include "daemon_priv.h"

/* ---- helpers ---------------------------------------------------------- */

struct map_track *track(struct daemon *d, const char *name)
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

void event(struct daemon *d, const char *map, uint64_t now,
	   enum fw_event_kind k, const char *detail)
{
	event_at(d, map, now, k, detail, NULL);
}

struct probe_slot *probe_for(struct daemon *d, const char *map)
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

/* An event for the window of @map's prober; NULL map: every prober.
 * Logged, or sent to the journal as a structured entry. */
void event_at(struct daemon *d, const char *map, uint64_t now,
	      enum fw_event_kind k, const char *detail,
	      const struct ev_where *w)
{
	char line[320];

	snprintf(line, sizeof(line), "%s%s%s %s", map ? map : "",
		 map ? ": " : "", fw_event_name(k), detail);
	if (!event_to_journal(d, map, now, k, detail, w, line))
		log_info("%s", line);
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
const char *map_of_hctl(const struct daemon *d, const char *hctl)
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
	mpconf_refresh(d);
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
	d->rtpg_job.pfd = -1;
	loop_init(&d->loop);
	service_init(&d->svc, &d->loop);
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
	if (records_open(&d->rec, d->c->records_path))
		log_warn("records file %s: %s; failover records are not kept",
			 d->c->records_path, strerror(errno));
	else
		d->have_rec = true;
	d->t_stop = loop_timer_new(&d->loop, on_stop_timer, d);
	if (o->run_for_s > 0)
		loop_timer_arm(&d->loop, d->t_stop, d->loop.now() +
			       (uint64_t)(o->run_for_s * 1e9));
	/* Each source registers its fds and timers with the loop. */
	if (view_source_init(d) || probes_init(d) || portals_init(d) ||
	    udev_source_init(d) || metrics_init(d)) {
		rc = 3;
		goto out;
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
	service_stopping(&d->svc);
	service_free(&d->svc);
	metrics_fini(d);
	udev_source_fini(d);
	portals_fini(d);
	probes_fini(d);
	view_source_fini(d);
	if (d->have_rec)
		records_close(&d->rec);
	if (d->sigfd >= 0)
		close(d->sigfd);
	free(d->conf);
	free(d);
	return rc;
}
