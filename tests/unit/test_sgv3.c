/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sg asynchronous backend (lib/scsi_sgv3.c) against a stand-in for the
 * sg driver: a socket pair whose other end a thread serves as the driver
 * would, taking the written sg_io_hdr, filling the data and sense buffers
 * the header points to (one process, one address space) and writing the
 * header back for the backend's read().  Or not answering at all: the case
 * the backend exists for.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <scsi/sg.h>

#include "pathwarden/scsi.h"

enum answer { ANS_GOOD, ANS_SENSE, ANS_HOST_TIMEOUT, ANS_TRANSPORT, ANS_BUSY,
	      ANS_NONE };

struct fake_sg {
	int fd[2];		/* [0] the backend's, [1] the driver's */
	enum answer ans;
	int commands;		/* headers the driver side received */
	pthread_t thread;
};

static const uint8_t rtpg_data[12] = { 0, 0, 0, 8, 0x80, 0xcf, 0, 1,
				       0, 0, 0, 1 };

static void *driver(void *arg)
{
	struct fake_sg *f = arg;
	struct sg_io_hdr h;

	while (read(f->fd[1], &h, sizeof(h)) == (ssize_t)sizeof(h)) {
		f->commands++;
		switch (f->ans) {
		case ANS_GOOD:
			memcpy(h.dxferp, rtpg_data, sizeof(rtpg_data));
			h.resid = (int)h.dxfer_len - (int)sizeof(rtpg_data);
			break;
		case ANS_SENSE: {
			uint8_t *s = h.sbp;

			memset(s, 0, 18);
			s[0] = 0x70;
			s[2] = 0x02;		/* NOT READY */
			s[7] = 10;
			s[12] = 0x04;
			s[13] = 0x0b;		/* standby */
			h.sb_len_wr = 18;
			h.status = 0x02;
			h.masked_status = 0x01;
			h.driver_status = 0x08;	/* DRIVER_SENSE */
			h.resid = (int)h.dxfer_len;
			break;
		}
		case ANS_HOST_TIMEOUT:
			h.host_status = 0x03;	/* DID_TIME_OUT */
			break;
		case ANS_TRANSPORT:
			h.host_status = 0x0e;	/* DID_TRANSPORT_DISRUPTED */
			break;
		case ANS_BUSY:
			h.status = 0x08;
			break;
		case ANS_NONE:
			continue;		/* the hung target */
		}
		if (write(f->fd[1], &h, sizeof(h)) != (ssize_t)sizeof(h))
			break;
	}
	return NULL;
}

static void fake_start(struct fake_sg *f, enum answer ans)
{
	memset(f, 0, sizeof(*f));
	f->ans = ans;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    f->fd), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, driver, f), 0);
}

static void fake_stop(struct fake_sg *f)
{
	close(f->fd[0]);	/* the driver's read() ends */
	pthread_join(f->thread, NULL);
	close(f->fd[1]);
}

static enum scsi_outcome rtpg(struct scsi_dev *dev, uint8_t *buf,
			      struct scsi_io *io, unsigned int timeout_ms)
{
	static uint8_t cdb[12];

	scsi_cdb_rtpg(cdb, 256, 1);
	memset(io, 0, sizeof(*io));
	io->cdb = cdb;
	io->cdb_len = sizeof(cdb);
	io->data_in = buf;
	io->data_len = 256;
	io->timeout_ms = timeout_ms;
	return scsi_exec(dev, io);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_answers(void **state)
{
	static const struct {
		enum answer ans;
		enum scsi_outcome outcome;
	} cases[] = {
		{ ANS_GOOD, SCSI_GOOD },
		{ ANS_SENSE, SCSI_CHECK_CONDITION },
		{ ANS_HOST_TIMEOUT, SCSI_TIMEOUT },
		{ ANS_TRANSPORT, SCSI_TRANSPORT_ERROR },
		{ ANS_BUSY, SCSI_BAD_STATUS },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake_sg f;
		struct scsi_dev dev;
		struct scsi_io io;
		uint8_t buf[256] = { 0 };

		fake_start(&f, cases[i].ans);
		scsi_dev_init_sg(&dev, f.fd[0]);
		assert_int_equal(rtpg(&dev, buf, &io, 1000), cases[i].outcome);
		if (cases[i].ans == ANS_GOOD) {
			assert_int_equal(io.data_got, sizeof(rtpg_data));
			assert_memory_equal(buf, rtpg_data, sizeof(rtpg_data));
		}
		if (cases[i].ans == ANS_SENSE) {
			assert_int_equal(io.sense_len, 18);
			assert_int_equal(io.sense_info.asc, 0x04);
			assert_int_equal(io.sense_info.ascq, 0x0b);
		}
		fake_stop(&f);
	}
}

/* No answer: back at the timeout plus the backend's grace, not later; the
 * request is left behind, and the fd is not used for another command. */
static void test_hung_target(void **state)
{
	struct fake_sg f;
	struct scsi_dev dev;
	struct scsi_io io;
	uint8_t buf[256];
	double t0, took;
	(void)state;

	fake_start(&f, ANS_NONE);
	scsi_dev_init_sg(&dev, f.fd[0]);
	t0 = now_s();
	assert_int_equal(rtpg(&dev, buf, &io, 200), SCSI_TIMEOUT);
	took = now_s() - t0;
	assert_true(took >= 1.1);	/* 200 ms + 1 s grace */
	assert_true(took < 2.0);
	t0 = now_s();
	assert_int_equal(rtpg(&dev, buf, &io, 200), SCSI_TIMEOUT);
	assert_true(now_s() - t0 < 0.1);
	fake_stop(&f);
	assert_int_equal(f.commands, 1);
}

/* A write the "driver" refuses is an OS error, not a hang. */
static void test_closed_device(void **state)
{
	struct fake_sg f;
	struct scsi_dev dev;
	struct scsi_io io;
	uint8_t buf[256];
	(void)state;

	fake_start(&f, ANS_GOOD);
	shutdown(f.fd[1], SHUT_RDWR);
	scsi_dev_init_sg(&dev, f.fd[0]);
	assert_int_equal(rtpg(&dev, buf, &io, 200), SCSI_OS_ERROR);
	fake_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_hung_target),
		cmocka_unit_test(test_closed_device),
	};

	signal(SIGPIPE, SIG_IGN);	/* the closed "device": EPIPE, not death */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
