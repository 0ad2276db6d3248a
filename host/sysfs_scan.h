/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the kernel says about iSCSI sessions and SCSI disks, read from
 * sysfs under a root prefix ("" on a host, a generated tree in tests).
 * On a host ("") sessions come through libopeniscsiusr
 * (iscsi_sessions.c); under a prefix this file reads the same attributes
 * itself.  pathwarden never asks for a session's CHAP attributes.
 */
#ifndef PW_HOST_SYSFS_SCAN_H
#define PW_HOST_SYSFS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iscsi_sessions.h"

struct sd_dev {
	char name[32];		/* sdX */
	int h, c, t, l;
	int sid;		/* iSCSI session, -1 when not iSCSI */
	char devt[16];		/* major:minor */
	char state[16];		/* device/state: running, offline, ... */
	char access_state[32];	/* scsi_dh_alua's view, "" when absent */
	int preferred;		/* device/preferred_path, -1 absent */
	char dh_state[16];	/* device handler attached, "detached" */
	/* "" from sysfs_scan_paths, which does not read them: */
	char vendor[16];
	char model[32];
	char wwid[96];		/* device/wwid */
	char holder[32];	/* dm-N holding the disk, "" none */
};

struct sysfs_snapshot {
	struct iscsi_sess *sess;
	size_t n_sess;
	struct sd_dev *sd;
	size_t n_sd;
};

/* Returns 0, or -errno when the class directories cannot be listed at all
 * (no iSCSI or SCSI support: an empty snapshot is returned for ENOENT). */
int sysfs_scan(const char *root, struct sysfs_snapshot *snap);
/*
 * The same but for each disk's vendor, model, wwid and holder, left
 * empty: what judging a map's paths needs (status, the daemon's view).
 * Those are four of a disk's ten reads, and a host with a thousand disks
 * spent most of a status on reading disks.
 */
int sysfs_scan_paths(const char *root, struct sysfs_snapshot *snap);
/* Sessions only: cheap enough for every portal check. */
int sysfs_scan_sessions(const char *root, struct sysfs_snapshot *snap);

/*
 * Each iSCSI session's number and state attribute and nothing else: what
 * tells a portal round whether anything changed since its last full
 * look (the daemon looks twice a second; a full one through
 * libopeniscsiusr cost 1.4 % of a core per look a second in the lab).
 * The same sessions in the same states give the same @sig; how many
 * sessions there are, or -errno.
 */
int sysfs_session_states(const char *root, uint64_t *sig);
void sysfs_snapshot_free(struct sysfs_snapshot *snap);

const struct iscsi_sess *sysfs_find_sess(const struct sysfs_snapshot *s,
					 int sid);
const struct sd_dev *sysfs_find_sd(const struct sysfs_snapshot *s,
				   const char *name);
/* Re-read one disk (after a uevent); false when it is gone. */
bool sysfs_read_sd(const char *root, const char *name, struct sd_dev *out);

/* Read one attribute, trimmed; false when missing or unreadable. */
bool sysfs_attr(const char *root, const char *path, char *buf, size_t len);

#endif
