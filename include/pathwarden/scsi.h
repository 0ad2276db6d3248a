/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one SCSI seam.  Every command the checker, the prioritizer, the
 * monitor and the tests send goes through scsi_exec(); a backend carries it
 * out: SG_IO through libsgutils2's sg_pt on Linux, or a replay of captured
 * answers for tests.
 */
#ifndef PATHWARDEN_SCSI_H
#define PATHWARDEN_SCSI_H

#include <stddef.h>
#include <stdint.h>

#include "pathwarden/sense.h"

/* Ordered as sg_pt orders its categories: the first that applies wins. */
enum scsi_outcome {
	SCSI_GOOD = 0,
	SCSI_CHECK_CONDITION,	/* sense data in .sense */
	SCSI_BAD_STATUS,	/* BUSY, RESERVATION CONFLICT, TASK SET FULL ... */
	SCSI_TRANSPORT_ERROR,	/* host/driver status: link down, aborted */
	SCSI_TIMEOUT,		/* no answer within the timeout */
	SCSI_NOT_SCSI,		/* the fd does not take SG_IO (ENOTTY) */
	SCSI_OS_ERROR,		/* the ioctl itself failed; errno in .os_err */
};

const char *scsi_outcome_name(enum scsi_outcome o);

#define SCSI_SENSE_MAX 64

struct scsi_io {
	/* in */
	const uint8_t *cdb;
	uint8_t cdb_len;
	uint8_t *data_in;	/* NULL for no data phase */
	uint32_t data_len;
	unsigned int timeout_ms;
	/* out */
	enum scsi_outcome outcome;
	uint32_t data_got;	/* data_len minus residual */
	uint8_t status;		/* SAM status byte */
	int host_status;
	int driver_status;
	int os_err;
	uint8_t sense[SCSI_SENSE_MAX];
	uint8_t sense_len;
	struct sense_info sense_info;	/* judged once, here */
};

struct scsi_dev;

struct scsi_backend {
	const char *name;
	/* Fill the out fields of @io except sense_info; return 0 or -errno. */
	int (*exec)(struct scsi_dev *dev, struct scsi_io *io);
};

struct scsi_dev {
	const struct scsi_backend *backend;
	int fd;
	void *priv;
};

/* The Linux SG_IO backend (libsgutils2 sg_pt). */
extern const struct scsi_backend scsi_sgpt_backend;

static inline void scsi_dev_init_fd(struct scsi_dev *dev, int fd)
{
	dev->backend = &scsi_sgpt_backend;
	dev->fd = fd;
	dev->priv = NULL;
}

/*
 * The sg driver's asynchronous interface on a /dev/sgN fd opened O_RDWR |
 * O_NONBLOCK: gives up at the command's timeout plus a second even when the
 * kernel holds the command longer, leaving it behind (lib/scsi_sgv3.c).
 * For callers that must answer in bounded time: the CLI and the daemon.
 */
extern const struct scsi_backend scsi_sgv3_backend;

static inline void scsi_dev_init_sg(struct scsi_dev *dev, int fd)
{
	dev->backend = &scsi_sgv3_backend;
	dev->fd = fd;
	dev->priv = NULL;
}

/*
 * Send one command.  Always sets io->outcome (and returns it), and judges
 * the sense data when there is any.
 */
enum scsi_outcome scsi_exec(struct scsi_dev *dev, struct scsi_io *io);

/* CDB builders. */
void scsi_cdb_rtpg(uint8_t cdb[12], uint32_t alloc_len, int extended);
void scsi_cdb_inquiry(uint8_t cdb[6], int evpd, uint8_t page,
		      uint16_t alloc_len);
void scsi_cdb_tur(uint8_t cdb[6]);

#endif
