/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads checker and prio plugins as the installed series' multipathd does:
 * dlopen with RTLD_NOW, the same symbols, the same checker class, and the
 * real libmultipath underneath (0.9 and 0.11: its start_checker_thread()
 * starts the plugin's workers; 0.15: its runners run libcheck_async_func(),
 * driven here as libmultipath's async_checker.c drives them).  This harness
 * plays multipathd, so it is the one place besides the shims that uses the
 * declared ABI (mpt/).
 */
#ifndef MP_LOADER_H
#define MP_LOADER_H

#include "mp_class.h"

struct path;

struct mp_checker {
	struct checker c;
	struct checker_class *cls;
#if !MPT_THREAD_CHECKER
	/* libmultipath's async_checker_context, for this path */
	struct runner_context *rtx;
	int ctx_size;
	unsigned int nr_timeouts;
	struct runner_data *rd;
#endif
};

struct mp_prio {
	void *handle;
	void *getprio;		/* the series' prototype: mp_prio_get() */
};

/* NULL-safe; returns 0 or -1 with the dlerror() text in @err. */
int mp_checker_load(const char *so, struct mp_checker *mc, char *err,
		    size_t errlen);
void mp_checker_set_async(struct mp_checker *mc, int async);
int mp_checker_init(struct mp_checker *mc, int fd, unsigned int timeout_s);
/* One check as multipathd's checker loop makes it: the path's new state. */
int mp_checker_check(struct mp_checker *mc, int oldstate);
void mp_checker_free(struct mp_checker *mc);
void mp_checker_unload(struct mp_checker *mc);

int mp_prio_load(const char *so, struct mp_prio *mp, char *err, size_t errlen);
/* getprio() as the series calls it; @timeout_ms only reaches 0.9's. */
int mp_prio_get(const struct mp_prio *mp, struct path *pp, const char *args,
		unsigned int timeout_ms);
void mp_prio_unload(struct mp_prio *mp);

/* A struct path from the real alloc_path(), with fd and dev set. */
struct path *mp_path_new(int fd, const char *dev);
void mp_path_set_fd(struct path *pp, int fd);
void mp_path_free(struct path *pp);

/*
 * How long after a check starts the series reports a target that never
 * answers: the checker timeout plus our worker's slack on 0.9 and 0.11,
 * the timeout itself on 0.15 (libmultipath's runner deadline).
 */
#if MPT_THREAD_CHECKER
#define MP_TIMEOUT_SLACK_MS 1000
#else
#define MP_TIMEOUT_SLACK_MS 0
#endif

#endif
