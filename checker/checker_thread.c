/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rtpg checker's entry points for multipath-tools 0.9 and 0.11, whose
 * checkers start their own worker threads.
 *
 * Paper-thin: copy fd and timeout out of struct checker, start the worker
 * through libmultipath's start_checker_thread() (it holds a reference on
 * the plugin while the worker runs, so the DSO stays loaded), and hand the
 * core's answer to rtpg_judge().
 *   0.9: libcheck_check() starts and collects.
 *   0.11: libcheck_check() starts, libcheck_pending() collects and
 *   libcheck_need_wait() says a worker is out.
 */
#include <pthread.h>

#include "rtpg_checker.h"

/* Empty when built for the other kind of series. */
#if MPT_THREAD_CHECKER

/* Time we give a fresh worker before returning PATH_PENDING, as tur does. */
#define FIRST_WAIT_MS 1
#define WORKER_STACK (128 * 1024)

PLUGIN_API int libcheck_init(struct checker *c);
PLUGIN_API void libcheck_free(struct checker *c);
PLUGIN_API void *libcheck_thread(struct checker_context *ctx);
PLUGIN_API int libcheck_check(struct checker *c);

static int judge(struct checker *c, const struct tpg_answer *ans)
{
	return rtpg_judge(ans, &c->msgid);
}

/* A poll that collected something: its path state in *state. */
static bool collected(struct checker *c, enum async_poll r,
		      const struct tpg_answer *ans, int *state)
{
	switch (r) {
	case ASYNC_DONE:
	case ASYNC_TIMED_OUT:
		*state = judge(c, ans);
		return true;
	case ASYNC_RUNNING:
		c->msgid = MSG_RUNNING;
		*state = PATH_PENDING;
		return true;
	case ASYNC_IDLE:	/* nothing out: a poll then starts one */
	case ASYNC_START:
		break;
	}
	return false;
}

PLUGIN_API int libcheck_init(struct checker *c)
{
	struct async_check *ac;
	struct checker_context *ctx;

	ac = async_check_new(sizeof(*ctx));
	if (!ac)
		return 1;
	ctx = async_check_extra(ac);
	ctx->cls = c->cls;
	c->context = ac;
	return 0;
}

PLUGIN_API void libcheck_free(struct checker *c)
{
	/* a worker still in SG_IO holds its own reference */
	async_check_put(c->context);
	c->context = NULL;
}

PLUGIN_API void *libcheck_thread(struct checker_context *ctx)
{
	async_check_work(async_check_from_extra(ctx));
	return NULL;
}

static int start_worker(struct async_check *ac)
{
	pthread_attr_t attr;
	pthread_t thread;
	int rc;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	rc = start_checker_thread(&thread, &attr, async_check_extra(ac));
	pthread_attr_destroy(&attr);
	return rc;
}

PLUGIN_API int libcheck_check(struct checker *c)
{
	struct async_check *ac = c->context;
	unsigned int timeout_ms = c->timeout * 1000;
	struct tpg_answer ans;
	int state;

	if (!ac)
		return PATH_UNCHECKED;
	if (checker_is_sync(c)) {
		async_check_sync(ac, c->fd, timeout_ms, &ans);
		return judge(c, &ans);
	}

	if (collected(c, async_check_poll(ac, c->fd, timeout_ms, &ans), &ans,
		      &state))
		return state;
	if (start_worker(ac) != 0) {
		async_check_start_failed(ac);
		condlog(3, "rtpg: cannot start a worker thread, checking in sync mode");
		async_check_sync(ac, c->fd, timeout_ms, &ans);
		return judge(c, &ans);
	}
	if (async_check_wait(ac, FIRST_WAIT_MS, &ans) == ASYNC_DONE)
		return judge(c, &ans);
	c->msgid = MSG_RUNNING;
	return PATH_PENDING;
}

#if MPT_PENDING_API
/* 0.11: collect a started check without starting another. */
PLUGIN_API int libcheck_pending(struct checker *c);
PLUGIN_API bool libcheck_need_wait(struct checker *c);

PLUGIN_API int libcheck_pending(struct checker *c)
{
	struct async_check *ac = c->context;
	struct tpg_answer ans;
	int state;

	if (!ac)
		return PATH_UNCHECKED;
	if (collected(c, async_check_collect(ac, &ans), &ans, &state))
		return state;
	return c->path_state;
}

PLUGIN_API bool libcheck_need_wait(struct checker *c)
{
	return c->context && async_check_outstanding(c->context);
}
#endif

#endif /* MPT_THREAD_CHECKER */
