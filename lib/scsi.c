/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SCSI seam: command builders and the one entry point, scsi_exec(). */
#include <errno.h>
#include <string.h>

#include "pathwarden/scsi.h"

#define OP_TUR 0x00
#define OP_INQUIRY 0x12
#define OP_MAINTENANCE_IN 0xa3
#define MI_REPORT_TPGS 0x0a
#define RTPG_FORMAT_EXTENDED 0x20	/* PARAMETER DATA FORMAT 001b */

const char *scsi_outcome_name(enum scsi_outcome o)
{
	switch (o) {
	case SCSI_GOOD:
		return "good";
	case SCSI_CHECK_CONDITION:
		return "check condition";
	case SCSI_BAD_STATUS:
		return "bad status";
	case SCSI_TRANSPORT_ERROR:
		return "transport error";
	case SCSI_TIMEOUT:
		return "timeout";
	case SCSI_NOT_SCSI:
		return "not a SCSI device";
	case SCSI_OS_ERROR:
		return "OS error";
	}
	return "unknown outcome";
}

enum scsi_outcome scsi_exec(struct scsi_dev *dev, struct scsi_io *io)
{
	int rc;

	io->outcome = SCSI_OS_ERROR;
	io->data_got = 0;
	io->status = 0;
	io->host_status = 0;
	io->driver_status = 0;
	io->os_err = 0;
	io->sense_len = 0;
	memset(&io->sense_info, 0, sizeof(io->sense_info));

	if (!dev || !dev->backend || !dev->backend->exec || !io->cdb) {
		io->os_err = EINVAL;
		return io->outcome;
	}
	rc = dev->backend->exec(dev, io);
	if (rc < 0) {
		io->os_err = -rc;
		io->outcome = (rc == -ENOTTY || rc == -EINVAL) ?
			      SCSI_NOT_SCSI : SCSI_OS_ERROR;
	}
	if (io->data_got > io->data_len)
		io->data_got = io->data_len;	/* a backend may not lie to us */
	if (io->sense_len > SCSI_SENSE_MAX)
		io->sense_len = SCSI_SENSE_MAX;
	if (io->sense_len)
		sense_judge(io->sense, io->sense_len, &io->sense_info);
	return io->outcome;
}

void scsi_cdb_rtpg(uint8_t cdb[12], uint32_t alloc_len, int extended)
{
	memset(cdb, 0, 12);
	cdb[0] = OP_MAINTENANCE_IN;
	cdb[1] = MI_REPORT_TPGS | (extended ? RTPG_FORMAT_EXTENDED : 0);
	cdb[6] = (uint8_t)(alloc_len >> 24);
	cdb[7] = (uint8_t)(alloc_len >> 16);
	cdb[8] = (uint8_t)(alloc_len >> 8);
	cdb[9] = (uint8_t)alloc_len;
}

void scsi_cdb_inquiry(uint8_t cdb[6], int evpd, uint8_t page,
		      uint16_t alloc_len)
{
	memset(cdb, 0, 6);
	cdb[0] = OP_INQUIRY;
	cdb[1] = evpd ? 1 : 0;
	cdb[2] = evpd ? page : 0;
	cdb[3] = (uint8_t)(alloc_len >> 8);
	cdb[4] = (uint8_t)alloc_len;
}

void scsi_cdb_tur(uint8_t cdb[6])
{
	memset(cdb, 0, 6);
	cdb[0] = OP_TUR;
}
