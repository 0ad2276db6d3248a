// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "clock.h"
#include "rtpg_job.h"

int rtpg_job_init(struct rtpg_job *j)
{
	int rc;

	memset(j, 0, sizeof(*j));
	j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	j->pfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (j->efd >= 0 && j->pfd >= 0)
		return 0;
	rc = -errno;
	if (j->efd >= 0)
		close(j->efd);
	if (j->pfd >= 0)
		close(j->pfd);
	j->efd = j->pfd = -1;
	return rc;
}

/* Adding 1 to an eventfd the loop drains cannot overflow, and these
 * threads take no signal: the write succeeds. */
static void post(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void progress(void *arg)
{
	post(((struct rtpg_job *)arg)->pfd);
}

static void *job_main(void *arg)
{
	struct rtpg_job *j = arg;

	rtpg_batch_ask_notify(&j->batch, j->src, j->timeout_ms, progress, j);
	post(j->efd);
	return NULL;
}

bool rtpg_job_start(struct rtpg_job *j, struct rtpg_batch *b,
		    struct rtpg_source *src, unsigned int timeout_ms,
		    uint64_t event_ns)
{
	sigset_t all, old;
	int rc;

	if (j->running) {
		rtpg_batch_free(b);
		return false;
	}
	j->batch = *b;
	memset(b, 0, sizeof(*b));
	j->src = src;
	j->timeout_ms = timeout_ms;
	j->event_ns = event_ns;
	j->started_ns = mono_ns();
	/* The thread, and the workers it starts, take no signal: the
	 * daemon reads its own through a signalfd. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&j->thread, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		rtpg_batch_free(&j->batch);
		return false;
	}
	j->running = true;
	return true;
}

bool rtpg_job_collect(struct rtpg_job *j, struct rtpg_batch *out)
{
	uint64_t n;

	if (!j->running || read(j->efd, &n, sizeof(n)) != sizeof(n))
		return false;
	pthread_join(j->thread, NULL);
	j->running = false;
	*out = j->batch;
	memset(&j->batch, 0, sizeof(j->batch));
	return true;
}

const struct rtpg_batch *rtpg_job_running(const struct rtpg_job *j)
{
	return j->running ? &j->batch : NULL;
}

void rtpg_job_drain_progress(struct rtpg_job *j)
{
	uint64_t n;

	while (read(j->pfd, &n, sizeof(n)) < 0 && errno == EINTR)
		;
}

void rtpg_job_fini(struct rtpg_job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
	rtpg_batch_free(&j->batch);
	if (j->efd >= 0)
		close(j->efd);
	if (j->pfd >= 0)
		close(j->pfd);
	j->efd = j->pfd = -1;
}
