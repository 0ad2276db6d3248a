/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's observer: the kernel's multipath status of the map
 * every 50 ms (through libdevmapper, no process per poll; or the captured
 * file in tests), each path placed on a node (devt -> sdX -> iSCSI
 * session -> portal or target in pathwarden.conf), and one observation
 * logged per change, in a thread of its own so that a slow device-mapper
 * call never delays the load, nor a stalled I/O the observer.
 */
#ifndef PW_BENCH_OBSERVER_H
#define PW_BENCH_OBSERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "dm_status.h"
#include "samples.h"
#include "sysfs_scan.h"

#define BENCH_POLL_NS 50000000

/* Where a path of the map leads. */
struct bench_devnode {
	char devt[16];
	char sd[16];
	int node;		/* index into the conf's nodes, or unknown */
};

/* Every SCSI disk of @snap with the configured node behind its session
 * (its portal first, as topology.c matches, then its target).  Returns
 * how many, with a malloc'ed array in *@out (NULL when none or out of
 * memory). */
size_t bench_devnodes(const struct sysfs_snapshot *snap,
		      const struct pw_conf *conf, struct bench_devnode **out);

/* One observation from dm's status: its paths, the next group and
 * whose paths it holds. */
void bench_obs_from_dm(const struct dm_mpath_status *st,
		       const struct bench_devnode *devs, size_t n_devs,
		       int64_t t_ns, struct bench_obs *o);

struct bench_observer {
	const char *map;
	const char *capture_dir;	/* dm status from files (tests) */
	const char *root;		/* sysfs root */
	const struct pw_conf *conf;
	struct sample_log log;		/* struct bench_obs, one per change */
	pthread_t thread;
	bool running;
	atomic_bool stop;
	atomic_uint polls, failed_polls;
	/* the observer thread's own while it runs */
	struct bench_devnode *devs;
	size_t n_devs;
	char unplaced[DMS_MAX_PATHS][16];	/* devts a rescan could not
						 * place: not scanned for again */
	size_t n_unplaced;
	struct bench_obs last;
	bool have_last;
	char problem[160];		/* the latest poll that failed */
};

int bench_observer_init(struct bench_observer *ob, const char *map,
			const char *capture_dir, const char *root,
			const struct pw_conf *conf, size_t log_cap);
void bench_observer_free(struct bench_observer *ob);
/* A new repetition: empty log, a first poll, the thread started. */
int bench_observer_start(struct bench_observer *ob);
void bench_observer_stop(struct bench_observer *ob);

#endif
