/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fake_sg.h"

#define MAX_FAKES 16
#define SG_VERSION 30527
#define DRIVER_SENSE 0x08

struct fake {
	int fd;
	struct replay_dev *rd;
	unsigned int total;
};

static pthread_mutex_t fakes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fake fakes[MAX_FAKES];

static struct replay_dev *load(const char *fixture)
{
	char path[512], err[160];
	struct replay_dev *rd;

	snprintf(path, sizeof(path), "%s/%s.replay", FIXTURE_DIR, fixture);
	rd = replay_load(path, err, sizeof(err));
	if (!rd) {
		fprintf(stderr, "fake_sg: %s: %s\n", path, err);
		abort();
	}
	return rd;
}

int fake_sg_open(const char *fixture)
{
	int fd = memfd_create("fake-sd", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	pthread_mutex_lock(&fakes_lock);
	for (int i = 0; i < MAX_FAKES; i++) {
		if (!fakes[i].rd) {
			fakes[i].fd = fd;
			fakes[i].rd = load(fixture);
			fakes[i].total = 0;
			pthread_mutex_unlock(&fakes_lock);
			return fd;
		}
	}
	abort();
}

static struct fake *find(int fd)
{
	for (int i = 0; i < MAX_FAKES; i++)
		if (fakes[i].rd && fakes[i].fd == fd)
			return &fakes[i];
	return NULL;
}

/*
 * Old scripts are kept until close: a worker thread may still be inside
 * replay_answer() on one.
 */
static struct replay_dev *retired[64];
static unsigned int n_retired;

void fake_sg_set(int fd, const char *fixture)
{
	struct replay_dev *rd = load(fixture);
	struct fake *f;

	pthread_mutex_lock(&fakes_lock);
	f = find(fd);
	if (f) {
		if (n_retired < 64)
			retired[n_retired++] = f->rd;
		f->rd = rd;
	}
	pthread_mutex_unlock(&fakes_lock);
}

void fake_sg_close(int fd)
{
	struct fake *f;

	pthread_mutex_lock(&fakes_lock);
	f = find(fd);
	if (f) {
		replay_free(f->rd);
		f->rd = NULL;
	}
	/* the tests close a device only once its workers are gone */
	while (n_retired)
		replay_free(retired[--n_retired]);
	pthread_mutex_unlock(&fakes_lock);
	close(fd);
}

unsigned int fake_sg_count(int fd, const char *cmd)
{
	struct fake *f;
	unsigned int n = 0;

	pthread_mutex_lock(&fakes_lock);
	f = find(fd);
	if (f)
		n = replay_count(f->rd, cmd);
	pthread_mutex_unlock(&fakes_lock);
	return n;
}

unsigned int fake_sg_total(int fd)
{
	struct fake *f;
	unsigned int n = 0;

	pthread_mutex_lock(&fakes_lock);
	f = find(fd);
	if (f)
		n = f->total;
	pthread_mutex_unlock(&fakes_lock);
	return n;
}

static int fake_sg_io(struct fake *f, struct replay_dev *rd,
		      struct sg_io_hdr *h)
{
	struct scsi_io io;
	unsigned int delay = 0;

	if (h->interface_id != 'S' || !h->cmdp || h->cmd_len < 6) {
		errno = ENOSYS;
		return -1;
	}
	memset(&io, 0, sizeof(io));
	io.cdb = h->cmdp;
	io.cdb_len = h->cmd_len;
	if (h->dxfer_direction == SG_DXFER_FROM_DEV && h->dxferp) {
		io.data_in = h->dxferp;
		io.data_len = h->dxfer_len;
	}
	io.timeout_ms = h->timeout;
	replay_answer(rd, &io, &delay);
	pthread_mutex_lock(&fakes_lock);
	f->total++;
	pthread_mutex_unlock(&fakes_lock);
	if (delay) {
		/*
		 * Hold the command as a hung target would; the kernel's own
		 * SG_IO timeout is not modelled, the worst case is.
		 */
		struct timespec ts = { delay / 1000,
				       (long)(delay % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	h->status = io.status;
	h->masked_status = (unsigned char)(io.status >> 1);
	h->host_status = (unsigned short)io.host_status;
	h->driver_status = io.sense_len ? DRIVER_SENSE : 0;
	h->sb_len_wr = 0;
	if (io.sense_len && h->sbp && h->mx_sb_len) {
		h->sb_len_wr = io.sense_len < h->mx_sb_len ? io.sense_len
							   : h->mx_sb_len;
		memcpy(h->sbp, io.sense, h->sb_len_wr);
	}
	h->resid = (int)(io.data_len - io.data_got);
	h->duration = delay;
	h->info = (h->status || h->host_status || h->driver_status) ?
		  SG_INFO_CHECK : SG_INFO_OK;
	return 0;
}

/* Exported from the executable, so it wins over libc's for every library. */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	struct fake *f;
	struct replay_dev *rd = NULL;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);

	pthread_mutex_lock(&fakes_lock);
	f = find(fd);
	if (f)
		rd = f->rd;
	pthread_mutex_unlock(&fakes_lock);
	if (!f)
		return (int)syscall(SYS_ioctl, fd, req, arg);

	switch (req) {
	case SG_IO:
		return fake_sg_io(f, rd, arg);
	case SG_GET_VERSION_NUM:
		*(int *)arg = SG_VERSION;
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}
