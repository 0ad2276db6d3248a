/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's state, shared by its event sources (daemon_*.c): each
 * source keeps its part of struct daemon and is started and stopped by
 * daemon.c.  Private to monitor/daemon*.c.
 */
#ifndef PW_MONITOR_DAEMON_PRIV_H
#define PW_MONITOR_DAEMON_PRIV_H

#include <libudev.h>
#include "daemon.h"
#include "dm_status.h"
#include "early_cut.h"
#include "early_failover.h"
#include "exposition.h"
#include "failover_window.h"
#include "group_watch.h"
#include "http_metrics.h"
#include "iscsi_admin.h"
#include "log.h"
#include "loop.h"
#include "merged_group.h"
#include "parked_io.h"
#include "portal_login.h"
#include "portal_probe.h"
#include "prober.h"
#include "record_file.h"
#include "refused_path.h"
#include "rtpg_job.h"
#include "service_notify.h"
#include "sess_track.h"
#include "strutil.h"
#include "switcher.h"
#include "topology.h"

#define MS 1000000ull
#define S 1000000000ull
#define MAX_MAPS 256

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
	struct switch_group_id want;	/* that group's paths then */
	uint64_t event_ns, requested_ns;
	/* an ALUA group in transition: since when, and whether we said so */
	int trans_group;		/* -1 none */
	uint64_t trans_since;
	bool trans_warned;
	uint64_t detect_ns;		/* the latest detection, 0 none */
	uint64_t reinstate_ns;		/* our last "reinstate path", 0 none */
	uint64_t merged_ns;		/* paths of a merged group failed */
};

/* What an RTPG batch off the loop was asked for. */
enum rtpg_purpose {
	RTPG_FOR_VIEW,		/* every path: a view follows */
	RTPG_FOR_PARKED,	/* parked_io's disks only */
	RTPG_FOR_WATCH,		/* group_watch's paths only */
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
	struct udev_monitor *mon;	/* udevd's uevents */
	struct udev_monitor *kmon;	/* the kernel's; NULL: udevd's carry all */
	struct pw_view view;
	bool have_view;
	/* the last view read: when it ended and what it took (the loop's
	 * clock), to pace a uevent's next one (view_pace.h) */
	uint64_t view_end_ns, view_cost_ns;
	/* multipathd's merged configuration, asked at every resync (not
	 * with each view: an ALUA change must not wait for it); what it
	 * writes into recovery_tmo, for the session-drift metric */
	struct mpconf mpconf;
	bool have_mpconf;
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
	bool have_portals;
	/* the sessions at the last full look (portal rounds): their states'
	 * signature, whether every portal had a session then (nothing for
	 * re-login to do), which portals had one logged in, and the round */
	uint64_t sess_sig;
	bool sess_looked, sess_settled;
	bool portal_in[CONF_MAX_NODES * CONF_MAX_PORTALS];
	unsigned int portal_rounds;
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
	struct early_cut cut;		/* sessions cut loose, to give back */
	int t_cut;			/* ... looked at until given back */
	int t_early;			/* looks while a node is silent */
	struct parked_io parked;	/* disks offline to move parked I/O */
	uint64_t parked_asked_ns;	/* the last RTPG batch it asked for */
	enum rtpg_purpose rtpg_for;	/* what the running batch is for */
	struct rtpg_job rtpg_job;	/* the RTPG batch off the loop */
	bool rtpg_again;		/* asked while a batch ran */
	/* Paths given back to dm by the daemon (a session logged in
	 * again): the next fresh view is followed by an RTPG batch, whose
	 * answers let the switch logic use them before multipathd's
	 * checker has looked (daemon_portals.c, reinstate_session). */
	bool rtpg_after_view;
	/* The running batch's maps switched on their own answers before
	 * it ended (on_rtpg_progress), by item (each map's first); NULL
	 * when no batch for the view runs. */
	bool *streamed;
	size_t n_streamed;
	/* The last batch over the view's paths (not the parked watch's),
	 * kept for the metrics until the next: every group as each node
	 * reported it.  reports_ns: when it was asked (CLOCK_MONOTONIC). */
	struct rtpg_batch reports;
	uint64_t reports_ns;
	int t_resync, t_refresh, t_alua, t_portal, t_fw, t_verify, t_stop;
	int t_parked, t_watch;
	struct service svc;		/* systemd's notify protocol */
};

/* What an event is about beyond its map, for its journal entry. */
struct ev_where {
	const char *path, *node, *portal;
	unsigned int group;		/* 0 none */
};

/* daemon.c */
struct map_track *track(struct daemon *d, const char *name);
struct probe_slot *probe_for(struct daemon *d, const char *map);
void event(struct daemon *d, const char *map, uint64_t now,
	   enum fw_event_kind k, const char *detail);
void event_at(struct daemon *d, const char *map, uint64_t now,
	      enum fw_event_kind k, const char *detail,
	      const struct ev_where *w);

/* daemon_journal.c */
/* The event as a journal entry when stderr is the journal: false when it
 * was not sent (the caller logs @line). */
bool event_to_journal(struct daemon *d, const char *map, uint64_t now,
		      enum fw_event_kind k, const char *detail,
		      const struct ev_where *w, const char *line);
void journal_io_stall(struct daemon *d, const char *map, double stall_s,
		      unsigned int io_errors, const char *line);
/* The health line to systemd (READY=1 with the first). */
void health_update(struct daemon *d);
const char *map_of_hctl(const struct daemon *d, const char *hctl);

/* daemon_view.c */
/* multipathd's merged configuration again (resync, SIGHUP). */
void mpconf_refresh(struct daemon *d);
/* An ALUA change: act now, and again over the next seconds. */
void alua_changed(struct daemon *d, uint64_t now);
void refresh(struct daemon *d, uint64_t event_ns, bool alua);

/* daemon_udev.c */

/* daemon_probes.c */
void check_early(struct daemon *d, uint64_t now);
void open_probes(struct daemon *d, uint64_t now);
void probes_reload(struct daemon *d, const struct pw_conf *nc);

/* daemon_portals.c */
void portals_reload(struct daemon *d, const struct pw_conf *nc);

/* daemon_metrics.c */
void metrics_reload(struct daemon *d, const struct pw_conf *nc);

/*
 * The event sources, each registering its fds and timers with the loop:
 * started in this order by daemon_run (0, or -1 after saying why on the
 * log) and stopped in the reverse order, also after a failed start.
 */
int view_source_init(struct daemon *d);
void view_source_fini(struct daemon *d);
int probes_init(struct daemon *d);
void probes_fini(struct daemon *d);
int portals_init(struct daemon *d);
void portals_fini(struct daemon *d);
int udev_source_init(struct daemon *d);
void udev_source_fini(struct daemon *d);
int metrics_init(struct daemon *d);
void metrics_fini(struct daemon *d);

#endif
