/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dm-multipath's own status line: which path group the kernel uses (or
 * will use for the next I/O) and which paths it has failed.  multipathd's
 * "show maps" answers from its cache, which a switchgroup does not update
 * until the next path check; the kernel's status is the truth.
 */
#ifndef PW_HOST_DM_STATUS_H
#define PW_HOST_DM_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#define DMS_MAX_PATHS 64

struct dm_mpath_status {
	unsigned int n_groups;
	unsigned int next_group;	/* 1-based; the group I/O goes to */
	unsigned int active_group;	/* 'A' in the status, 0 none yet */
	bool queueing;			/* dm holds I/O in its own queue: a
					 * group being activated, or no path */
	unsigned int n_paths;
	struct {
		char devt[16];		/* major:minor */
		bool active;		/* 'A', not 'F' */
		unsigned int fail_count;
		unsigned int group;
	} paths[DMS_MAX_PATHS];
};

/* Parse the "multipath" target's STATUSTYPE_INFO line. */
bool dm_status_parse(const char *line, struct dm_mpath_status *out,
		     char *err, size_t errlen);

/*
 * The number of the group in @st whose paths are exactly the @n devts
 * @devt (in any order); 0 when none is.  multipathd renumbers a map's
 * groups when it reloads it by prio: a number read a look ago may name
 * the other node's group by now.
 */
unsigned int dm_status_group_of(const struct dm_mpath_status *st,
				const char (*devt)[16], size_t n);

/* The status line of map @name through libdevmapper, or from
 * @capture_dir/dmstatus/<name> when @capture_dir is set.  Returns a
 * malloc'ed line or NULL. */
char *dm_status_get(const char *name, const char *capture_dir);

/*
 * Fail path @devt (major:minor) of map @name in the kernel, as an I/O
 * error would: the "fail_path" message of the multipath target.  Not
 * multipathd's "fail path", which also disables the path's checker until
 * an operator reinstates it; a path the kernel failed is reinstated by
 * multipathd as soon as its checker says up.  With @capture_dir the
 * message is appended to @capture_dir/commands.log instead (tests).
 * Returns 0 or -errno.
 */
int dm_fail_path(const char *name, const char *devt, const char *capture_dir);

/*
 * Make dm use path group @group (1-based) of map @name for the next I/O:
 * the "switch_group" message, which is all multipathd's "switchgroup"
 * command sends (its handler in 0.9.4, 0.11.1 and 0.14 is one
 * dm_switchgroup() call), without waiting for multipathd's lock and
 * socket, which during a reload of many maps costs tens of milliseconds a
 * map.  The kernel raises a dm event for it, so multipathd reads the
 * map's state again as it does after its own command.  @capture_dir as
 * for dm_fail_path.  Returns 0 or -errno: the kernel's -EBUSY while the
 * map is suspended (a reload under way), -EINVAL for a group it does not
 * have, -ENXIO for no such map.
 */
int dm_switch_group(const char *name, unsigned int group,
		    const char *capture_dir);

#endif
