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

/* How a session's timeout was read: its value, or why there is none. */
enum sess_read {
	SESS_READ_OK,
	SESS_READ_ABSENT,	/* no such attribute (a transport without it) */
	SESS_READ_FAILED,	/* open or read failed: EACCES, EIO, ... */
	SESS_READ_GARBAGE,	/* not a whole number of seconds */
	SESS_READ_GONE,		/* the session ended while it was read */
};

struct iscsi_sess {
	int sid;
	int host;		/* SCSI host number, -1 if unknown */
	char target[224];
	int tpgt;
	char state[24];		/* LOGGED_IN, FAILED, FREE, "" unknown */
	int recovery_tmo;	/* -1 unknown */
	/* The connection's NOP-Out interval and timeout: connectionN:0's
	 * recv_tmo and ping_tmo, which iscsid sets at login from the node
	 * record's noop_out_interval and noop_out_timeout; -1 unknown.
	 * libopeniscsiusr has no getter for them: sysfs_scan.c reads them. */
	int noop_interval;
	int noop_timeout;
	enum sess_read recovery_tmo_read, noop_interval_read, noop_timeout_read;
	char address[64];	/* persistent (configured) portal */
	int port;
};

/*
 * All sessions of the running kernel, in the library's order, with sid,
 * target, tpgt, recovery_tmo, address and port filled; host, state and
 * the NOP-Out timeouts are the caller's (the library has no getter for
 * them).  A session that
 * vanishes while it is read is left out.  Returns 0 (*out NULL and *n 0
 * when there is none, also without iSCSI in the kernel), or -errno.
 */
int iscsi_sessions_live(struct iscsi_sess **out, size_t *n);

#endif
