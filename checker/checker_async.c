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
	return 0;
}

PLUGIN_API int libcheck_async_func(struct runner_data *rd)
{
	struct path_check_state *st = (struct path_check_state *)rd->checker_ctx;
	struct tpg_answer ans;
	int old, state;

	/*
	 * A runner past the timeout is cancelled.  Let the check finish
	 * instead (the SG_IO timeout bounds it): cancelled in the middle it
	 * would leave the core's path board locked.  libmultipath reports
	 * the timeout meanwhile and takes the late answer as a zombie's.
	 */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	path_check_once(st, rd->fd, rd->timeout * 1000, &ans);
	state = rtpg_judge(&ans, &rd->msgid);
	pthread_setcancelstate(old, NULL);
	return state;
}

#endif /* !MPT_THREAD_CHECKER */
