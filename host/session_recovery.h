/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session's recovery_tmo written through sysfs (the attribute
 * multipathd writes fast_io_fail_tmo into), and its state read back,
 * under a root prefix ("" on a host).  The kernel keeps a value written
 * here over the one iscsid sets at its next login
 * (recovery_tmo_sysfs_override): whoever writes one for a moment writes
 * the old one back.
 */
#ifndef PW_HOST_SESSION_RECOVERY_H
#define PW_HOST_SESSION_RECOVERY_H

#include <stddef.h>

/* 0, or -errno (-ENOENT: no such session). */
int session_recovery_tmo_set(const char *root, int sid, int secs);

/* The session's state (LOGGED_IN, FAILED, FREE) into @buf; 0 or -errno. */
int session_state_read(const char *root, int sid, char *buf, size_t len);

#endif
