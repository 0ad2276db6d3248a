/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running kernel's iSCSI sessions and their timeouts, read through
 * open-iscsi's libopeniscsiusr (the library iscsiadm -m session uses).
 * The library reads /sys itself and takes no root prefix: a tree under a
 * prefix (tests, offline analysis) is read by sysfs_scan.c instead.
 */
#ifndef PW_HOST_ISCSI_SESSIONS_H
#define PW_HOST_ISCSI_SESSIONS_H

#include <stddef.h>

struct iscsi_sess {
	int sid;
	int host;		/* SCSI host number, -1 if unknown */
	char target[224];
	int tpgt;
	char state[24];		/* LOGGED_IN, FAILED, FREE, "" unknown */
	int recovery_tmo;	/* -1 unknown */
	char address[64];	/* persistent (configured) portal */
	int port;
};

/*
 * All sessions of the running kernel, in the library's order, with sid,
 * target, tpgt, recovery_tmo, address and port filled; host and state are
 * the caller's (the library has no getter for either).  A session that
 * vanishes while it is read is left out.  Returns 0 (*out NULL and *n 0
 * when there is none, also without iSCSI in the kernel), or -errno.
 */
int iscsi_sessions_live(struct iscsi_sess **out, size_t *n);

#endif
