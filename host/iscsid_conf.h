/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The session timeouts /etc/iscsi/iscsid.conf gives the node records that
 * discovery makes: the timeouts of a login pathwarden did not prepare
 * (Proxmox VE's pvestatd logs in to every portal its SendTargets finds).
 * Where the file says nothing, open-iscsi's built-in defaults stand.
 */
#ifndef PW_HOST_ISCSID_CONF_H
#define PW_HOST_ISCSID_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ISCSID_CONF_PATH "/etc/iscsi/iscsid.conf"

struct iscsid_timeouts {
	unsigned int replacement_timeout;	/* s, built-in 120 */
	unsigned int noop_out_interval;		/* s, built-in 5 */
	unsigned int noop_out_timeout;		/* s, built-in 5 */
};

/* Built-in defaults, then every setting @f names (the last one wins, as
 * iscsid reads it); a value that is not a number leaves the one before. */
void iscsid_conf_parse(FILE *f, struct iscsid_timeouts *t);
/* Open and parse @path.  0; -ENOENT with the built-in defaults in @t (no
 * file: open-iscsi uses them); -EINVAL for anything but a regular file;
 * another -errno when it cannot be read. */
int iscsid_conf_load(const char *path, struct iscsid_timeouts *t);

#endif
