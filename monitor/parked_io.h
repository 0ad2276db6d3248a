/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * I/O parked on a group held in transition.
 *
 * A command that meets NOT READY 04/0A (transitioning) is retried by the
 * SCSI layer on the same path: five quick retries, then a re-dispatch every
 * second until (retries + 1) x its timeout has passed, about three minutes
 * (scsi_io_completion_action, ACTION_DELAYED_REPREP).  dm-multipath sees
 * it only when it finally fails, so moving the map to another group (the
 * transitioning group's prio drops below every usable one) moves new I/O
 * but leaves the parked command hanging, and the application with it.
 *
 * While another group of the map can serve, taking the disk offline for a
 * moment fails the parked requests at their next dispatch (within a second:
 * the SCSI layer re-dispatches them every second) with a path error;
 * dm-multipath retries them on the group in use.  The disk is set running
 * again after PARKED_OFFLINE_MS, long enough for every parked request to
 * have been re-dispatched once: multipathd's next check finds the path
 * ghost again and keeps it in the map for the moment the transition ends.
 * Only while the map has requests in flight, or dm queues its I/O: the
 * disk's own inflight count cannot tell whether requests are parked on it
 * (a requeued request is not counted), the map's can tell that none are;
 * I/O that dm sent to the group as it went into transition waits in dm's
 * own queue while scsi_dh_alua activates the group, counted nowhere but
 * in dm's status (then the disk stays offline PARKED_REOFFLINE_MS, as for
 * an activation met later).  Once per transition, unless
 * the map is held again after it (requests in flight, none completing):
 * see PARKED_REOFFLINE_MS.  sysfs is looked at every PARKED_LOOK_MS for as
 * long as the transition lasts, not only when a unit attention announces
 * it, since I/O can be sent back to the group at any moment of it.
 * A group that flaps in and out of transition with no I/O is left alone.
 * With no other usable group nothing is done: I/O waits for the
 * transition, as SPC intends.
 *
 * It is decided from sysfs (scsi_dh_alua's access_state, the disks' state
 * and holder, the sessions) and from the daemon's own RTPG answers, never
 * from multipathd: multipathd cannot be asked then, its reload of the map
 * waits on the very command that is parked.  access_state is set only by
 * the kernel's own RTPG, and a unit attention does not always start one:
 * in the lab, after a disk had been taken offline while scsi_dh_alua's
 * RTPG was running, the next transition left access_state at
 * "active/optimized" for all of it while I/O parked for 30 s.  What the
 * target itself answered (parked_io_note_rtpg), when fresh, comes first.
 */
#ifndef PW_MONITOR_PARKED_IO_H
#define PW_MONITOR_PARKED_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pathwarden/alua.h"
#include "sysfs_scan.h"

/* A transition shorter than this (a planned switchover passes through one
 * of some 300 ms) is left alone. */
#define PARKED_GRACE_MS 600
/* How long a disk is kept offline the first time: the SCSI layer
 * re-dispatches a request that met 04/0A every 1000 ms
 * (ALUA_TRANSITION_REPREP_DELAY). */
#define PARKED_OFFLINE_MS 1200
/*
 * After the first time, I/O can be held again: a map reload with the
 * priorities of before the transition, or a switch back to the group, sends
 * it there, and dm-multipath then holds it in its own queue while
 * scsi_dh_alua activates the group, which lasts as long as the transition.
 * The activation ends only when one of the RTPGs it repeats every 2 s
 * fails, on a disk that is offline: so the disk stays offline longer.
 */
#define PARKED_REOFFLINE_MS 2500
/* The map is held: requests in flight on it and none completed for this
 * long, or dm queueing its I/O (its status) for this long: a request held
 * in dm's own queue is not counted in flight.  Also the least time between
 * a disk running again and the next time it is taken offline. */
#define PARKED_STUCK_MS 1000
/* At most this many times per transition: a map still held after them is
 * held by something else, and saying so is all that is left. */
#define PARKED_MAX_BOUNCES 5
/* How often sysfs is looked at while a disk is in transition. */
#define PARKED_LOOK_MS 500
/* How long multipathd is waited for meanwhile (parked_io_watching). */
#define PARKED_MPATHD_MS 400
/* ... and while a disk is offline. */
#define PARKED_TICK_MS 200

/* How long an RTPG answer stands for a disk's state, from when it was
 * asked (the daemon asks again at every look while it watches); longer
 * when a whole batch (parked_io.rtpg_timeout_ms), a look and 1 s are. */
#define PARKED_RTPG_FRESH_MS 3000
/* Disks whose answers are kept: 256 LUs of 4 paths. */
#define PARKED_RTPG_MAX 1024

struct parked_io;

/* Disk @i of @s is in a transitioning group while another disk of the
 * same multipath map (same holder, same WWID) is running, logged in and
 * in a usable state (AO, ANO or LBA-dependent): each disk's state as the
 * target last answered the daemon's RTPG (@pk, may be NULL), else as
 * scsi_dh_alua has it. */
bool parked_io_candidate(const struct parked_io *pk,
			 const struct sysfs_snapshot *s, size_t i,
			 uint64_t now_ms);

/*
 * Requests in flight on block device @dev (/sys/block/DEV/inflight under
 * @root), or -errno.  Of the multipath map, not the disk: a parked request
 * is in flight on the map, while on the disk it sits requeued, uncounted.
 */
int parked_io_inflight(const char *root, const char *dev);

/* Requests block device @dev has completed, of every kind
 * (/sys/block/DEV/stat); 0 or -errno. */
int parked_io_completed(const char *root, const char *dev, uint64_t *done);

/* Write "offline" or "running" to @dev's device/state; 0 or -errno. */
int parked_io_set_state(const char *root, const char *dev, bool running);

/* The disks being watched or held offline, across views. */
#define PARKED_MAX 64
struct parked_dev {
	char dev[32];
	uint64_t trans_since_ms;	/* first seen a candidate */
	uint64_t offline_since_ms;	/* 0: running */
	uint64_t running_ms;		/* last set running again */
	uint64_t seen_ms;		/* last view that named it */
	char holder[32];		/* its map (dm-N) */
	unsigned int offline_ms;	/* how long it stays offline */
	unsigned int bounces;		/* times offline, this transition */
};

/* What the target answered the daemon's RTPG for a disk's group. */
struct parked_rtpg {
	char dev[32];
	uint64_t at_ms;			/* when its batch was asked */
	enum alua_state state;		/* of the disk's own group */
};

/* The maps holding those disks: whether their I/O moves, sampled once per
 * view whatever the number of their disks in transition. */
struct parked_map {
	char holder[32];		/* dm-N */
	uint64_t look_ms;		/* the view that sampled it */
	int inflight;			/* requests in flight, or -errno */
	uint64_t done;			/* requests completed */
	uint64_t done_ms;		/* when they last moved (or none
					 * were in flight) */
	uint64_t queued_ms;		/* since when dm queues its I/O,
					 * 0: it does not */
};

struct parked_io {
	const char *root;		/* sysfs root, "" for / */
	const char *dm_capture_dir;	/* dm status from files (tests) */
	struct parked_dev d[PARKED_MAX];
	size_t n;
	struct parked_map m[PARKED_MAX];
	size_t n_maps;
	struct parked_rtpg r[PARKED_RTPG_MAX];
	size_t n_rtpg;
	unsigned int rtpg_timeout_ms;	/* the daemon's batch bound, for
					 * how long an answer stands */
};

/*
 * The state of @dev's group in an RTPG answer the daemon asked for at
 * @asked_ms (ALUA_* of pathwarden/alua.h), or -1 for an answer that names
 * none (the query failed and no other path reported the group): the
 * disk's earlier answer is dropped then, and the kernel's word stands.
 * A later answer replaces an earlier one.  With the table full of fresh
 * answers a new disk is not noted.
 */
void parked_io_note_rtpg(struct parked_io *pk, const char *dev, int state,
			 uint64_t asked_ms);
/*
 * Whether the daemon's RTPG batch while it watches asks disk @i of @s:
 * a logged-in disk of a map one of whose disks is watched.  Built from
 * sysfs, since multipathd may not answer then.
 */
bool parked_io_wants_rtpg(const struct parked_io *pk,
			  const struct sysfs_snapshot *s, size_t i);
/* Whether a fresh RTPG answer says a disk is in transition that the
 * kernel may not know of: the daemon then keeps asking, and looking. */
bool parked_io_rtpg_transition(const struct parked_io *pk, uint64_t now_ms);

/*
 * After a fresh sysfs snapshot: a disk that has been a candidate for
 * PARKED_GRACE_MS, while its map has requests in flight or dm queues its
 * I/O, is taken offline;
 * again (up to PARKED_MAX_BOUNCES times in one transition) whenever its map
 * is held once more (PARKED_STUCK_MS).  Returns in how many ms it wants the
 * next look (PARKED_TICK_MS while a disk is offline: call parked_io_tick
 * then; PARKED_LOOK_MS while a disk is in transition), 0 for none.
 */
unsigned int parked_io_review(struct parked_io *pk,
			      const struct sysfs_snapshot *s, uint64_t now_ms);
/*
 * Sets running again each disk offline for its time.  True while any is
 * still offline.
 */
bool parked_io_tick(struct parked_io *pk, uint64_t now_ms);
/* Whether a disk is in transition or offline: looks are due. */
bool parked_io_watching(const struct parked_io *pk);
/* Leave nothing offline (the daemon stops). */
void parked_io_release(struct parked_io *pk);

#endif
