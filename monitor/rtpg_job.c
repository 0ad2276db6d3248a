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
	memset(j, 0, sizeof(*j));
	j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return j->efd < 0 ? -errno : 0;
}

static void *job_main(void *arg)
{
	struct rtpg_job *j = arg;
	uint64_t one = 1;

	rtpg_batch_ask(&j->batch, j->src, j->timeout_ms);
	/* Adding 1 to an eventfd the loop drains cannot overflow, and this
	 * thread takes no signal: the write succeeds. */
	while (write(j->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
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

void rtpg_job_fini(struct rtpg_job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
	rtpg_batch_free(&j->batch);
	if (j->efd >= 0)
		close(j->efd);
	j->efd = -1;
}
