/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A path's ALUA identity from sysfs: the kernel keeps the standard INQUIRY
 * data and VPD page 0x83 it read when it scanned the device, so a reader
 * that has the device's name needs no SCSI command for them (the stock
 * alua prio does the same through udev).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pathwarden/tpg_query.h"

#define SYSFS_VPD_MAX 4096

/* Read a whole binary attribute; -1 on error. */
static ssize_t read_attr(const char *dir, const char *name, uint8_t *buf,
			 size_t len)
{
	char path[512];
	ssize_t got = 0, total = 0;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)total < len) {
		got = read(fd, buf + total, len - (size_t)total);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		total += got;
	}
	close(fd);
	return got < 0 ? -1 : total;
}

/*
 * The page buffer is the caller's: this runs on multipath-tools 0.15's
 * runner threads, whose stacks are 16 KiB.
 */
static enum tpg_result identity_from(const char *device_dir, uint8_t *vpd,
				     struct tpg_identity *id)
{
	uint8_t inq[256];
	struct std_inquiry std;
	struct vpd83_ids ids;
	ssize_t n;

	n = read_attr(device_dir, "inquiry", inq, sizeof(inq));
	if (n < 6)
		return TPG_OS_ERROR;
	if (inquiry_parse(inq, (size_t)n, &std) != PARSE_OK)
		return TPG_BAD_RESPONSE;
	if (std.tpgs == ALUA_TPGS_NONE)
		return TPG_NOT_ALUA;
	n = read_attr(device_dir, "vpd_pg83", vpd, SYSFS_VPD_MAX);
	if (n < 4)
		return TPG_OS_ERROR;
	if (vpd83_parse(vpd, (size_t)n, &ids) != PARSE_OK)
		return TPG_BAD_RESPONSE;
	if (!ids.has_tpg)
		return TPG_NO_GROUP_ID;
	id->valid = true;
	id->tpgs = std.tpgs;
	id->group_id = ids.tpg_id;
	id->has_rel_port = ids.has_rel_port;
	id->rel_port = ids.rel_port;
	tpg_identity_set_lu(id, &ids);
	return TPG_OK;
}

enum tpg_result tpg_identity_from_sysfs(const char *device_dir,
					struct tpg_identity *id)
{
	uint8_t *vpd = malloc(SYSFS_VPD_MAX);
	enum tpg_result res;

	*id = (struct tpg_identity){ 0 };
	if (!vpd)
		return TPG_NO_MEMORY;
	res = identity_from(device_dir, vpd, id);
	free(vpd);
	return res;
}
