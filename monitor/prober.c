// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "prober.h"
#include "strutil.h"

/* Reads and writes stay inside the first 64 MiB: a fixed area keeps a
 * test LUN's scratch data in one place. */
#define PROBE_AREA (64ull << 20)

int prober_open(struct prober *p, const struct conf_probe *cp,
		const char *path, bool allow_buffered)
{
	int flags = (cp->write ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	struct stat st;

	memset(p, 0, sizeof(*p));
	str_copy(p->map, sizeof(p->map), cp->map);
	str_copy(p->path, sizeof(p->path), path);
	p->interval_ms = cp->interval_ms;
	p->size = cp->size;
	p->write = cp->write && cp->test_lun;
	p->fd = open(path, flags | O_DIRECT);
	p->direct = p->fd >= 0;
	if (p->fd < 0 && errno == EINVAL && allow_buffered)
		p->fd = open(path, flags);
	if (p->fd < 0)
		return -errno;
	if (fstat(p->fd, &st) == 0 && S_ISBLK(st.st_mode)) {
		if (ioctl(p->fd, BLKGETSIZE64, &p->dev_size))
			p->dev_size = 0;
	} else {
		p->dev_size = (uint64_t)st.st_size;
	}
	if (p->dev_size < p->size) {
		close(p->fd);
		p->fd = -1;
		return -ENOSPC;
	}
	p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->efd < 0) {
		int e = errno;

		close(p->fd);
		p->fd = -1;
		return -e;
	}
	pthread_mutex_init(&p->lock, NULL);
	return 0;
}

static void push_sample(struct prober *p, const struct probe_sample *s)
{
	uint64_t one = 1;

	pthread_mutex_lock(&p->lock);
	if (p->head - p->tail == PROBE_RING) {
		p->tail++;		/* keep the newest */
		p->dropped++;
	}
	p->ring[p->head++ % PROBE_RING] = *s;
	pthread_mutex_unlock(&p->lock);
	if (write(p->efd, &one, sizeof(one)) < 0) {
		/* counter full: the loop is behind and will drain anyway */
	}
}

static void sleep_until(uint64_t t_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(t_ns / 1000000000ull),
			       .tv_nsec = (long)(t_ns % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void *probe_thread(void *arg)
{
	struct prober *p = arg;
	uint64_t area = p->dev_size < PROBE_AREA ? p->dev_size : PROBE_AREA;
	uint64_t slots = area / p->size, seq = 0;
	uint64_t next = mono_ns();
	void *buf;

	if (posix_memalign(&buf, 4096, p->size))
		return NULL;
	memset(buf, 0, p->size);
	while (!atomic_load(&p->stop)) {
		struct probe_sample s = { 0 };
		off_t off = (off_t)((seq % slots) * p->size);
		ssize_t n;

		sleep_until(next);
		if (atomic_load(&p->stop))
			break;
		s.write = p->write && (seq & 1);
		s.issued_ns = mono_ns();
		atomic_store(&p->inflight_since, s.issued_ns);
		if (s.write) {
			memcpy(buf, &seq, sizeof(seq));
			n = pwrite(p->fd, buf, p->size, off);
		} else {
			n = pread(p->fd, buf, p->size, off);
		}
		s.done_ns = mono_ns();
		atomic_store(&p->inflight_since, 0);
		s.err = n < 0 ? errno : (size_t)n != p->size ? EIO : 0;
		push_sample(p, &s);
		seq++;
		/* Fixed rate: the next issue is on the grid, skipping the
		 * slots a stalled I/O used up rather than bursting. */
		next += (uint64_t)p->interval_ms * 1000000ull;
		if (next < s.done_ns)
			next = s.done_ns;
	}
	free(buf);
	return NULL;
}

int prober_start(struct prober *p)
{
	int rc;

	atomic_store(&p->stop, false);
	rc = pthread_create(&p->thread, NULL, probe_thread, p);
	if (rc)
		return -rc;
	p->running = true;
	return 0;
}

bool prober_stop(struct prober *p)
{
	if (p->running) {
		struct timespec ts;

		atomic_store(&p->stop, true);
		/* With queue_if_no_path a read can block for as long as every
		 * path is down: give up on it after a second and leave the
		 * thread and its fd to the exiting process. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		if (pthread_timedjoin_np(p->thread, NULL, &ts)) {
			log_warn("%s: probe I/O still blocked at exit", p->map);
			pthread_detach(p->thread);
			p->running = false;
			return false;
		}
		p->running = false;
	}
	if (p->fd >= 0)
		close(p->fd);
	if (p->efd > 0)
		close(p->efd);
	p->fd = p->efd = -1;
	pthread_mutex_destroy(&p->lock);
	return true;
}

unsigned int prober_drain(struct prober *p, struct probe_sample *out,
			  unsigned int max)
{
	unsigned int n = 0;
	uint64_t cnt;

	if (read(p->efd, &cnt, sizeof(cnt)) < 0) {
		/* EAGAIN: nothing signalled, the ring may still hold some */
	}
	pthread_mutex_lock(&p->lock);
	while (n < max && p->tail != p->head)
		out[n++] = p->ring[p->tail++ % PROBE_RING];
	pthread_mutex_unlock(&p->lock);
	return n;
}

uint64_t prober_inflight_since(struct prober *p)
{
	return atomic_load(&p->inflight_since);
}
