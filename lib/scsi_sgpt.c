/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux backend of the SCSI seam: SG_IO through libsgutils2's sg_pt, with
 * the caller's timeout (libsgutils2's own RTPG helper has a fixed 60 s).
 */
#include <errno.h>
#include <string.h>

#include <scsi/sg_pt.h>

#include "pathwarden/scsi.h"

/* Linux host byte values that mean "no answer in time". */
#define DID_TIME_OUT 0x03
#define DRIVER_TIMEOUT 0x06

static unsigned int timeout_secs(unsigned int ms)
{
	/* sg_pt takes whole seconds; never round a bounded wait to "0 = default" */
	return ms == 0 ? 1 : (ms + 999) / 1000;
}

static int sgpt_exec(struct scsi_dev *dev, struct scsi_io *io)
{
	struct sg_pt_base *pt;
	int rc, cat, sense_len;

	pt = construct_scsi_pt_obj_with_fd(dev->fd, 0);
	if (!pt)
		return -ENOMEM;
	set_scsi_pt_cdb(pt, io->cdb, io->cdb_len);
	set_scsi_pt_sense(pt, io->sense, sizeof(io->sense));
	if (io->data_in && io->data_len)
		set_scsi_pt_data_in(pt, io->data_in, (int)io->data_len);

	rc = do_scsi_pt(pt, -1, (int)timeout_secs(io->timeout_ms), 0);
	if (rc < 0) {
		destruct_scsi_pt_obj(pt);
		return rc;
	}
	if (rc == SCSI_PT_DO_TIMEOUT) {
		io->outcome = SCSI_TIMEOUT;
		destruct_scsi_pt_obj(pt);
		return 0;
	}
	if (rc != SCSI_PT_DO_START_OK) {
		destruct_scsi_pt_obj(pt);
		return -EIO;
	}

	io->status = (uint8_t)get_scsi_pt_status_response(pt);
	io->host_status = get_scsi_pt_transport_err(pt);
	io->os_err = get_scsi_pt_os_err(pt);
	sense_len = get_scsi_pt_sense_len(pt);
	io->sense_len = (uint8_t)(sense_len < 0 ? 0 :
				  sense_len > SCSI_SENSE_MAX ? SCSI_SENSE_MAX :
				  sense_len);
	if (io->data_in && io->data_len) {
		int resid = get_scsi_pt_resid(pt);

		if (resid < 0 || (uint32_t)resid > io->data_len)
			resid = 0;
		io->data_got = io->data_len - (uint32_t)resid;
	}

	cat = get_scsi_pt_result_category(pt);
	switch (cat) {
	case SCSI_PT_RESULT_GOOD:
		io->outcome = SCSI_GOOD;
		break;
	case SCSI_PT_RESULT_STATUS:
		io->outcome = SCSI_BAD_STATUS;
		break;
	case SCSI_PT_RESULT_SENSE:
		io->outcome = SCSI_CHECK_CONDITION;
		break;
	case SCSI_PT_RESULT_TRANSPORT_ERR:
		io->outcome = (io->host_status & 0xff) == DID_TIME_OUT ?
			      SCSI_TIMEOUT : SCSI_TRANSPORT_ERROR;
		break;
	default:
		io->outcome = SCSI_OS_ERROR;
		break;
	}
	destruct_scsi_pt_obj(pt);
	return 0;
}

const struct scsi_backend scsi_sgpt_backend = {
	.name = "sg_pt",
	.exec = sgpt_exec,
};
