/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_MONITOR_DAEMON_H
#define PW_MONITOR_DAEMON_H

#include <stdbool.h>

#include "config.h"
#include "mpath_client.h"
#include "topology.h"

struct daemon_opts {
	const struct pw_conf *conf;	/* copied: the daemon keeps its own */
	const char *conf_path;		/* re-read on SIGHUP; NULL never */
	const char *root;		/* sysfs prefix */
	struct mpath_source *mpath;	/* live, or captured in tests */
	struct rtpg_source *rtpg;	/* after ALUA changes; NULL: sysfs */
	const char *dm_capture_dir;	/* dm status from files (tests) */
	bool no_udev;			/* tests: no netlink monitor */
	const char *uevent_fifo;	/* tests: uevents as text lines */
	const char *probe_dir;		/* tests: probe DIR/<map> files */
	double run_for_s;		/* tests: stop after this long, 0 never */
};

/* Runs until SIGTERM/SIGINT (or run_for_s).  Returns the exit status. */
int daemon_run(const struct daemon_opts *o);

#endif
