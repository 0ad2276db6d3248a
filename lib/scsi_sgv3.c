/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux backend of the SCSI seam for callers that must not wait on a hung
 * device: the sg driver's asynchronous interface on a /dev/sgN node (write
 * the sg_io_hdr, poll, read the answer back).
 *
 * SG_IO returns only when the block layer is done with the command, and
 * after a command times out that includes the error handler's abort and
 * reset: pathwarden status took 6 to 15 s behind the lab's hung target,
 * with a 5 s RTPG timeout.  A thread left in SG_IO would not help: it holds
 * the process's exit too.  Here the caller stops waiting at its timeout plus
 * SG_GRACE_MS (time for the kernel to report its own timeout first) and the
 * request is left behind; closing the fd does not wait for it, and the sg
 * driver drops its answer when it comes.  The data moves through the
 * driver's own buffer (no SG_FLAG_DIRECT_IO), so nothing is written into
 * ours after we left.
 *
 * Once a request is left behind the fd is not used again (its late answer
 * would be read as the next command's): every later command on the same
 * scsi_dev times out at once.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <scsi/sg.h>

#include "pathwarden/scsi.h"

#define SG_GRACE_MS 1000u

/* Linux host and driver byte values (include/scsi/scsi_status.h) */
#define DID_OK 0x00
#define DID_TIME_OUT 0x03
#define DRIVER_SENSE 0x08
#define DRIVER_TIMEOUT 0x06
#define SAM_CHECK_CONDITION 0x02

/* dev->priv once a request has been left behind on dev->fd */
static const char sgv3_abandoned[] = "request left behind";

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wait for the answer until @deadline; 0 when it can be read. */
static int wait_answer(int fd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();
		int rc;

		if (now >= deadline)
			return -ETIMEDOUT;
		rc = poll(&p, 1, (int)(deadline - now));
		if (rc > 0)
			return (p.revents & POLLIN) ? 0 : -EIO;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

/* The outcome, ordered as sg_pt orders its categories. */
static enum scsi_outcome judge(const struct sg_io_hdr *h, struct scsi_io *io)
{
	int driver = h->driver_status & 0x0f;

	if (h->host_status != DID_OK)
		return h->host_status == DID_TIME_OUT ? SCSI_TIMEOUT
						      : SCSI_TRANSPORT_ERROR;
	if (driver == DRIVER_TIMEOUT)
		return SCSI_TIMEOUT;
	if (driver && driver != DRIVER_SENSE)
		return SCSI_TRANSPORT_ERROR;
	if (h->status == SAM_CHECK_CONDITION || driver == DRIVER_SENSE)
		return io->sense_len ? SCSI_CHECK_CONDITION : SCSI_BAD_STATUS;
	if (h->status)
		return SCSI_BAD_STATUS;
	return SCSI_GOOD;
}

static int sgv3_exec(struct scsi_dev *dev, struct scsi_io *io)
{
	struct sg_io_hdr h;
	unsigned int timeout_ms = io->timeout_ms ? io->timeout_ms : 1;
	uint64_t deadline = now_ms() + timeout_ms + SG_GRACE_MS;
	ssize_t n;
	int rc;

	if (dev->priv == sgv3_abandoned) {
		io->outcome = SCSI_TIMEOUT;
		return 0;
	}
	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.cmdp = (unsigned char *)io->cdb;
	h.cmd_len = io->cdb_len;
	h.sbp = io->sense;
	h.mx_sb_len = sizeof(io->sense);
	h.timeout = timeout_ms;
	h.dxfer_direction = SG_DXFER_NONE;
	if (io->data_in && io->data_len) {
		h.dxfer_direction = SG_DXFER_FROM_DEV;
		h.dxferp = io->data_in;
		h.dxfer_len = io->data_len;
	}
	do
		n = write(dev->fd, &h, sizeof(h));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(h))
		return -EIO;

	rc = wait_answer(dev->fd, deadline);
	if (rc == -ETIMEDOUT) {
		dev->priv = (void *)sgv3_abandoned;
		io->outcome = SCSI_TIMEOUT;
		return 0;
	}
	if (rc)
		return rc;
	do
		n = read(dev->fd, &h, sizeof(h));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(h))
		return -EIO;

	io->status = h.status;
	io->host_status = h.host_status;
	io->driver_status = h.driver_status;
	io->sense_len = h.sb_len_wr > SCSI_SENSE_MAX ? SCSI_SENSE_MAX
						      : h.sb_len_wr;
	if (io->data_in && io->data_len) {
		int resid = h.resid;

		if (resid < 0 || (uint32_t)resid > io->data_len)
			resid = 0;
		io->data_got = io->data_len - (uint32_t)resid;
	}
	io->outcome = judge(&h, io);
	return 0;
}

const struct scsi_backend scsi_sgv3_backend = {
	.name = "sg v3 async",
	.exec = sgv3_exec,
};
