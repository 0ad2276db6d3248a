// SPDX-License-Identifier: GPL-2.0-or-later
/* Which uevents the daemon takes from which source (uevent_route.h). */
#include <stdbool.h>
#include <string.h>

#include "uevent_route.h"

/* What a uevent is, whatever carried it. */
enum uevent_kind {
	KIND_OTHER,
	KIND_ALUA,		/* SCSI device change, ALUA state changed */
	KIND_PATH_FAILED,
	KIND_PATH_REINSTATED,
	KIND_DEVICES,		/* sd or dm added or removed; dm changed */
	KIND_DISK_CHANGE,	/* sd changed */
};

static bool is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

static bool starts(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

static enum uevent_kind uevent_kind(const struct uevent_fields *f)
{
	if (is(f->subsystem, "scsi"))
		return is(f->action, "change") &&
		       is(f->sdev_ua, "ASYMMETRIC_ACCESS_STATE_CHANGED") ?
		       KIND_ALUA : KIND_OTHER;
	if (!is(f->subsystem, "block"))
		return KIND_OTHER;
	/* dm's path events are change events of the map's dm-N */
	if (f->dm_action && f->dm_name && *f->dm_name) {
		if (is(f->dm_action, "PATH_FAILED"))
			return KIND_PATH_FAILED;
		if (is(f->dm_action, "PATH_REINSTATED"))
			return KIND_PATH_REINSTATED;
	}
	if (is(f->action, "add") || is(f->action, "remove"))
		return starts(f->sysname, "sd") || starts(f->sysname, "dm-") ?
		       KIND_DEVICES : KIND_OTHER;
	if (is(f->action, "change")) {
		if (starts(f->sysname, "dm-"))
			return KIND_DEVICES;
		if (starts(f->sysname, "sd"))
			return KIND_DISK_CHANGE;
	}
	return KIND_OTHER;
}

static enum uevent_act act_of(enum uevent_kind k)
{
	switch (k) {
	case KIND_ALUA:
		return UEV_ALUA_CHANGE;
	case KIND_PATH_FAILED:
		return UEV_PATH_FAILED;
	case KIND_PATH_REINSTATED:
		return UEV_PATH_REINSTATED;
	case KIND_DEVICES:
	case KIND_DISK_CHANGE:
		return UEV_DEVICES;
	case KIND_OTHER:
		break;
	}
	return UEV_IGNORE;
}

enum uevent_act uevent_route(enum uevent_source src,
			     const struct uevent_fields *f)
{
	enum uevent_kind k = uevent_kind(f);

	switch (src) {
	case UEV_SRC_KERNEL:
		return k == KIND_ALUA || k == KIND_PATH_FAILED ||
		       k == KIND_PATH_REINSTATED ? act_of(k) : UEV_IGNORE;
	case UEV_SRC_UDEV:
		return k == KIND_DEVICES ? UEV_DEVICES : UEV_IGNORE;
	case UEV_SRC_UDEV_ALONE:
	case UEV_SRC_FIFO:
		return act_of(k);
	}
	return UEV_IGNORE;
}
