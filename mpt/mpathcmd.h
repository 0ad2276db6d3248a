/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libmpathcmd, multipathd's command socket client: the three calls the
 * monitor makes, declared here because Debian 13 ships the library
 * (libmpathcmd.so.0, LIBMPATHCMD_1.0.0, unchanged from 0.9 to 0.15) but not
 * its header.  Linked as -l:libmpathcmd.so.0.
 */
#ifndef PW_MPATHCMD_H
#define PW_MPATHCMD_H

/* A connected socket, or -1 with errno set. */
int mpath_connect(void);
int mpath_disconnect(int fd);
/* Send @cmd, wait up to @timeout ms; *reply is malloc'ed.  0 or -1. */
int mpath_process_cmd(int fd, const char *cmd, char **reply,
		      unsigned int timeout);

#endif
