/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Proxmox VE's storage configuration (/etc/pve/storage.cfg): its iSCSI
 * storages, each with the portal and target PVE logs in to, for doctor to
 * hold against pathwarden.conf.  Read as PVE's section config writes it:
 * "TYPE: ID" at the start of a line opens a section, indented "KEY VALUE"
 * lines are its properties, a blank line ends it, '#' starts a comment
 * line.  Only iscsi sections are kept.  Nothing in the file is fatal: a
 * line that fits nothing (too long, control characters, no section) is
 * counted and skipped.
 */
#ifndef PW_HOST_PVE_STORAGE_H
#define PW_HOST_PVE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define PVE_STORAGE_PATH "/etc/pve/storage.cfg"
#define PVE_ID_MAX 64
#define PVE_LINE_MAX 1024

struct pve_iscsi {
	char id[PVE_ID_MAX];
	char portal_text[CONF_HOST_MAX + 8];	/* as written, "" none */
	struct conf_portal portal;
	bool portal_ok;			/* portal_text parsed into portal */
	char target[CONF_IQN_MAX];	/* "" none */
	bool disabled;			/* "disable": PVE leaves it alone */
	int line;			/* of its "iscsi: ID" line */
};

struct pve_storage {
	size_t n;
	struct pve_iscsi *iscsi;
	unsigned int n_skipped;		/* lines that fit nothing */
	int first_skipped;		/* line number of the first, 0 none */
};

enum pve_load {
	PVE_LOADED,
	PVE_ABSENT,		/* no such file: not a PVE host */
	PVE_UNREADABLE,		/* there, but cannot be read: see errno */
	PVE_NO_MEMORY,
};

/* Parse @f; false only on out-of-memory (@out then empty). */
bool pve_storage_parse(FILE *f, struct pve_storage *out);
/* Open and parse @path, a regular file; on PVE_UNREADABLE @err says
 * why (a directory, a FIFO or a device is "not a regular file"). */
enum pve_load pve_storage_load(const char *path, struct pve_storage *out,
			       char *err, size_t errlen);
void pve_storage_free(struct pve_storage *s);

/*
 * A portal as PVE takes it: an address or name, ":PORT" optional (3260),
 * IPv6 in brackets, or bare when it has no port.  False when malformed.
 */
bool pve_portal_parse(const char *text, struct conf_portal *p);
/* One portal?  Numeric addresses compare as addresses (::1 and
 * 0:0::1 are one), names as text without case; a name and an address
 * never match: nothing is resolved. */
bool pve_portal_same(const struct conf_portal *a, const struct conf_portal *b);

#endif
