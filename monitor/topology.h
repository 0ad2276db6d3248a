/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One picture of every multipath map: multipathd's view of each path
 * joined with the kernel's (sysfs: session, disk, scsi_dh_alua) and the
 * device's own answer (RTPG through the core), with a verdict per path and
 * per map.
 */
#ifndef PW_MONITOR_TOPOLOGY_H
#define PW_MONITOR_TOPOLOGY_H

#include <stdbool.h>

#include "pathwarden/path_judge.h"
#include "pathwarden/tpg_query.h"

#include "config.h"
#include "mpath_parse.h"
#include "rtpg_batch.h"
#include "sysfs_scan.h"

enum path_word {
	PW_PATH_ACTIVE,		/* carries I/O, AO */
	PW_PATH_SPARE,		/* usable, not in the group in use */
	PW_PATH_STANDBY,	/* ALUA standby / checker ghost */
	PW_PATH_STALE,		/* multipathd's prio disagrees with RTPG */
	PW_PATH_MISROUTED,	/* in the group in use though another is AO */
	PW_PATH_DOWN,		/* failed, faulty, session not logged in */
	PW_PATH_GONE,		/* multipathd lists it, the kernel does not */
};

enum map_word {
	PW_MAP_OK,
	PW_MAP_DEGRADED,	/* a path down, or fewer than nodes x portals */
	PW_MAP_MISROUTED,	/* I/O on a non-optimized group */
	PW_MAP_SPREAD,		/* I/O across two nodes at once */
	PW_MAP_DOWN,		/* no usable path */
};

const char *path_word_name(enum path_word w);
const char *map_word_name(enum map_word w);

struct pw_path {
	const struct mp_path *mp;
	const struct sd_dev *sd;		/* NULL: gone from sysfs */
	const struct iscsi_sess *sess;		/* NULL: not iSCSI */
	const struct conf_node *node;		/* NULL: not a configured node */
	int portal_idx;
	struct tpg_answer rtpg;
	bool rtpg_done;
	int expected_pri;			/* from RTPG, -1 unknown */
	bool dm_kernel_active;			/* the kernel's dm status: 'A' */
	unsigned int dm_kernel_group;		/* ... its group there, 0 unknown */
	struct path_judgement judge;		/* lib's, from all of the above */
	enum path_word verdict;			/* ... and the path's map */
};

struct pw_map {
	const struct mp_map *mp;
	struct pw_path *paths;		/* n = mp->n_paths, same order */
	unsigned int active_group;	/* group dm uses, 0 none */
	unsigned int dm_group;		/* the kernel's next group, 0 unknown */
	unsigned int dm_next;		/* ... in dm's own numbering (the
					 * paths' dm_kernel_group), also when
					 * dm's groups are not multipathd's */
	unsigned int ao_group;		/* group holding the AO paths, 0 none */
	unsigned int n_nodes_in_active;	/* nodes behind the group in use */
	unsigned int n_usable;
	enum map_word verdict;
};

struct pw_view {
	struct sysfs_snapshot sys;
	struct mp_topology mp;
	struct mpconf mpconf;
	bool have_mpconf;
	size_t n_maps;
	struct pw_map *maps;
	char mp_error[256];		/* why multipathd gave no topology */
};

struct view_opts {
	const struct pw_conf *conf;
	const char *sysfs_root;
	struct mpath_source *mpath;
	struct rtpg_source *rtpg;	/* NULL: no RTPG (sysfs only) */
	/* answers asked elsewhere (the daemon's RTPG job), used when rtpg
	 * is NULL for the paths they cover */
	const struct rtpg_batch *answers;
	bool want_config;		/* also "show config" (doctor) */
	/* each disk's vendor, model, wwid and holder too (doctor: a disk
	 * no map holds); without, sysfs_scan_paths */
	bool want_disk_identity;
	/* read sysfs on a thread of its own while multipathd answers
	 * (status, doctor, watch; not the daemon: view_build) */
	bool scan_beside;
	bool dm_status;			/* ask the kernel which group is used */
	const char *dm_capture_dir;	/* DIR/dmstatus/<map> instead */
};

/* Gather and judge.  False only on out-of-memory; a missing multipathd
 * or sysfs gives an empty view with mp_error set. */
bool view_build(struct pw_view *v, const struct view_opts *o);
/* Map @name of @v, NULL when multipathd did not list it. */
const struct pw_map *view_map(const struct pw_view *v, const char *name);
void view_free(struct pw_view *v);
/* Worth an RTPG: a disk the kernel has, whose session (if iSCSI) is
 * logged in; one whose session is down would only make it wait for its
 * timeout, the kernel already says it is gone. */
bool path_wants_rtpg(const struct pw_path *p);
/* The paths of @v worth an RTPG, as a batch to ask elsewhere (the
 * daemon, off its loop); false on out-of-memory.  @per_node: of the
 * paths of one map and one configured node only one is asked, the
 * others follow its report (rtpg_batch_add_on); without it every path
 * answers for itself, as `pathwarden status` shows them. */
bool view_rtpg_batch(const struct pw_view *v, struct rtpg_batch *b,
		     bool per_node);
/* Everything known of one path, to the one judge (lib/path_judge.c):
 * p->judge.  view_judge does it for every path. */
void view_judge_path(struct pw_path *p);
/* The kernel's status of every map of @v read now (DIR/dmstatus/<map>
 * with @capture_dir): each path's group and A/F in dm, matched by devt,
 * and dm's next group (dm_next); dm_group too where dm has as many groups
 * as multipathd listed.  Not judged again. */
void view_read_dm(struct pw_view *v, const char *capture_dir);
/* The same for one map. */
void view_read_dm_map(struct pw_map *m, const char *capture_dir);
/* Judge again after the parts changed (daemon). */
void view_judge(struct pw_view *v, const struct pw_conf *conf);
/* A batch's answers put into @v as it stands, its multipathd, sysfs and
 * dm parts as they were read, and judged again (daemon: what the answers
 * alone decide, before a fresh view is read). */
void view_take_answers(struct pw_view *v, const struct rtpg_batch *b,
		       const struct pw_conf *conf);
/* The same for one map of @v only, the others left as they are (the
 * daemon, as each map's answers come). */
void view_take_map_answers(struct pw_view *v, struct pw_map *m,
			   const struct rtpg_batch *b,
			   const struct pw_conf *conf);

/* The judge knows the state of the path's group (p->judge.state). */
static inline bool path_state_known(const struct pw_path *p)
{
	return p->judge.source != PATH_STATE_NONE;
}

#endif
