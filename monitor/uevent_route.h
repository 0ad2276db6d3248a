/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which uevents the daemon takes from which source.
 *
 * The kernel broadcasts each uevent on its netlink group at once; udevd
 * rebroadcasts it after its rules have run.  Under load those rules are
 * slow: a unit attention's SCSI change event makes systemd's
 * 60-block.rules write "change" into each of the device's disks, whose
 * INQUIRY rules (scsi_id, sg_inq) then run too.  At 16 LUNs under TCG
 * udevd delivered a failback's unit attentions up to a minute late and
 * the daemon, hearing them then, re-asked every path for 111 s after its
 * last switch.  So the unit attention (SDEV_UA) and dm's path events
 * (DM_ACTION) are taken from the kernel's group, as they happen; disks
 * and maps coming, going and maps reloaded from udevd's, once udevd has
 * made the device nodes and the properties multipathd and sysfs readers
 * need.  A disk's change from udevd is not taken: it is the forwarded
 * copy of a SCSI change (or a resize), and nothing the view holds.
 *
 * Where the kernel's group cannot be opened (no privilege, a container),
 * udevd's source carries everything, late under load but not lost; the
 * tests' FIFO carries everything too.
 */
#ifndef PW_MONITOR_UEVENT_ROUTE_H
#define PW_MONITOR_UEVENT_ROUTE_H

enum uevent_source {
	UEV_SRC_KERNEL,		/* the kernel's group, udevd's beside it */
	UEV_SRC_UDEV,		/* udevd's, the kernel's beside it */
	UEV_SRC_UDEV_ALONE,	/* udevd's, no kernel group */
	UEV_SRC_FIFO,		/* the tests' text lines */
};

enum uevent_act {
	UEV_IGNORE,
	UEV_ALUA_CHANGE,	/* a unit attention: ask the paths */
	UEV_PATH_FAILED,	/* dm failed a path of a map */
	UEV_PATH_REINSTATED,	/* dm reinstated one */
	UEV_DEVICES,		/* disks or maps came, went or reloaded */
};

/* A uevent's fields, as libudev gives them; any may be NULL. */
struct uevent_fields {
	const char *subsystem, *action, *sysname;
	const char *sdev_ua;		/* SDEV_UA */
	const char *dm_action;		/* DM_ACTION */
	const char *dm_name;		/* DM_NAME */
	const char *dm_path;		/* DM_PATH: carried, not judged */
};

/* What the daemon does with @f, heard from @src. */
enum uevent_act uevent_route(enum uevent_source src,
			     const struct uevent_fields *f);

#endif
