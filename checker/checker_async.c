/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rtpg checker's entry points for multipath-tools 0.15, which runs
 * checkers on its own runner threads (libmultipath/async_checker.c): it
 * calls libcheck_async_func() on a runner with a copy of struct runner_data
 * and our context behind it, copies both back when the function returns,
 * and after the checker timeout cancels the runner and reports
 * PATH_TIMEOUT on its own.
 *
 * Paper-thin: copy fd and timeout out of struct runner_data, run one check
 * through the core, and hand its answer to rtpg_judge().  The context is
 * plain data (the path's identity), so the copies cost nothing and there
 * is nothing to free: 0.15 has no free hook for an async checker.
 */
#include <pthread.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "rtpg_checker.h"

/* Empty when built for the other kind of series. */
#if !MPT_THREAD_CHECKER

_Static_assert(sizeof(struct path_check_state) <= MPT_CHECKER_MAX_CONTEXT_SIZE,
	       "the checker's context must fit libmultipath's limit");

PLUGIN_API int libcheck_async_func(struct runner_data *rd);
PLUGIN_API int libcheck_async_init(struct runner_data *rd);
PLUGIN_API const int libcheck_async_context_size;

PLUGIN_API const int libcheck_async_context_size =
	sizeof(struct path_check_state);

PLUGIN_API int libcheck_async_init(struct runner_data *rd)
{
	memset(rd->checker_ctx, 0, sizeof(struct path_check_state));
	/* (binds a LIBMULTIPATH_34 symbol: another series fails dlopen) */
	condlog(4, "rtpg: %u:%u: async checker, %d bytes of context, %s",
		major(rd->devt), minor(rd->devt), libcheck_async_context_size,
		checker_state_name(rd->state));
	return 0;
}

/*
 * Our own commands end a second before libmultipath's runner deadline
 * (the checker timeout), so a slow target is reported by our answer, with
 * its reason and the LU's other paths' word, rather than by the runner's
 * bare PATH_TIMEOUT.
 */
static unsigned int command_timeout_ms(unsigned int timeout_s)
{
	unsigned int ms = timeout_s * 1000;

	return ms > 2000 ? ms - 1000 : ms / 2;
}

PLUGIN_API int libcheck_async_func(struct runner_data *rd)
{
	struct path_check_state *st = (struct path_check_state *)rd->checker_ctx;
	struct tpg_answer ans;
	int old, state;

	/*
	 * libmultipath cancels a runner past the checker timeout.  Cancelled
	 * at a cancellation point inside the core (a sysfs read, the
	 * identity's open and close), the check would leak its buffers and
	 * file descriptors and leave the device marked as having an RTPG out
	 * (tpg_cache_claim), so that every later check reported a timeout
	 * without asking.  So the check runs to its end: its commands are
	 * bounded by command_timeout_ms(), and libmultipath has reported the
	 * timeout meanwhile.
	 */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	path_check_once(st, rd->fd, command_timeout_ms(rd->timeout), &ans);
	state = rtpg_judge(&ans, &rd->msgid);
	pthread_setcancelstate(old, NULL);
	return state;
}

#endif /* !MPT_THREAD_CHECKER */
