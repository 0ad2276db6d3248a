/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mp_loader.h"

static void *sym(void *handle, const char *name)
{
	return dlsym(handle, name);
}

int mp_checker_load(const char *so, struct mp_checker *mc, char *err,
		    size_t errlen)
{
	struct checker_class *c = calloc(1, sizeof(*c));
	const char *base = strrchr(so, '/');

	memset(mc, 0, sizeof(*mc));
	if (!c)
		return -1;
	c->node.next = c->node.prev = &c->node;
#if MP_CLASS_HAS_REFCOUNT
	c->refcount = 1;
#endif
	base = base ? base + 1 : so;
	if (strlen(base) <= strlen("libcheck.so")) {
		snprintf(err, errlen, "%s: not a libcheckNAME.so", so);
		free(c);
		return -1;
	}
	/* libcheckNAME.so -> NAME */
	snprintf(c->name, MP_CHECKER_NAME_LEN, "%.*s",
		 (int)(strlen(base) - strlen("libcheck") - strlen(".so")),
		 base + strlen("libcheck"));
	c->handle = dlopen(so, RTLD_NOW);
	if (!c->handle) {
		snprintf(err, errlen, "%s", dlerror());
		free(c);
		return -1;
	}
	c->msgtable = sym(c->handle, "libcheck_msgtable");
#if MPT_THREAD_CHECKER
	c->check = (int (*)(struct checker *))sym(c->handle, "libcheck_check");
	c->init = (int (*)(struct checker *))sym(c->handle, "libcheck_init");
	c->mp_init = (int (*)(struct checker *))sym(c->handle,
						     "libcheck_mp_init");
	c->reset = (void (*)(void))sym(c->handle, "libcheck_reset");
	c->thread = (void *(*)(void *))sym(c->handle, "libcheck_thread");
	c->free = (void (*)(struct checker *))sym(c->handle, "libcheck_free");
#if MPT_PENDING_API
	c->pending = (int (*)(struct checker *))sym(c->handle,
						     "libcheck_pending");
	c->need_wait = (bool (*)(struct checker *))sym(c->handle,
							"libcheck_need_wait");
#endif
	if (!c->check || !c->init || !c->free) {
#else
	/* 0.15 takes a plugin with libcheck_async_func as an async one */
	c->async_func = (int (*)(struct runner_data *))
		sym(c->handle, "libcheck_async_func");
	if (!c->async_func) {
#endif
		snprintf(err, errlen, "%s: missing the checker entry points "
			 "of multipath-tools %s", so, MPT_SERIES_NAME);
		dlclose(c->handle);
		free(c);
		return -1;
	}
	if (c->msgtable) {
		const char **p;

		for (p = c->msgtable;
		     *p && (p - c->msgtable) < CHECKER_MSGTABLE_SIZE; p++)
			;
		c->msgtable_size = (short)(p - c->msgtable);
	}
	c->sync = 1;
	mc->cls = c;
	return 0;
}

void mp_checker_set_async(struct mp_checker *mc, int async)
{
	mc->cls->sync = !async;
}

#if MPT_THREAD_CHECKER

int mp_checker_init(struct mp_checker *mc, int fd, unsigned int timeout_s)
{
	memset(&mc->c, 0, sizeof(mc->c));
	mc->c.cls = mc->cls;
	mc->c.fd = fd;
	mc->c.timeout = timeout_s;
	return mc->cls->init(&mc->c);
}

/*
 * The series' part of one tick, after checker_check()'s own guards (below):
 * the plugin's check; on 0.11 the loop then sleeps 5 ms if any checker
 * needs waiting for, and get_state() collects a pending path through the
 * plugin's pending (checker_get_state()).
 */
static int series_tick(struct mp_checker *mc)
{
	struct checker *c = &mc->c;

#if MPT_PENDING_API
	c->path_state = mc->cls->check(c);
	if (mc->cls->need_wait && mc->cls->need_wait(c)) {
		struct timespec ts = { 0, 5 * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (c->path_state == PATH_PENDING && mc->cls->pending)
		c->path_state = mc->cls->pending(c);
	return c->path_state;
#else
	return mc->cls->check(c);
#endif
}

void mp_checker_free(struct mp_checker *mc)
{
	if (mc->cls && mc->cls->free)
		mc->cls->free(&mc->c);
}

void mp_checker_unload(struct mp_checker *mc)
{
	/* workers hold references; unload only when they are all gone */
	if (!mc->cls)
		return;
	if (__atomic_sub_fetch(&mc->cls->refcount, 1, __ATOMIC_SEQ_CST) == 0) {
		dlclose(mc->cls->handle);
		free(mc->cls);
	}
	mc->cls = NULL;
}

#else	/* 0.15: libmultipath's async_checker.c, over the real runners */

#define MP_MAX_NR_TIMEOUTS 1
#define MP_MSGID_TIMEOUT 9
#define MP_MSGID_RUNNING 10

static size_t rd_size(const struct mp_checker *mc)
{
	return sizeof(struct runner_data) + (size_t)mc->ctx_size;
}

int mp_checker_init(struct mp_checker *mc, int fd, unsigned int timeout_s)
{
	const int *size = sym(mc->cls->handle, "libcheck_async_context_size");
	int (*init)(struct runner_data *) = (int (*)(struct runner_data *))
		sym(mc->cls->handle, "libcheck_async_init");
	struct stat sb;

	memset(&mc->c, 0, sizeof(mc->c));
	mc->c.cls = mc->cls;
	mc->c.fd = fd;
	mc->c.timeout = timeout_s;
	mc->ctx_size = size ? *size : 0;
	if (mc->ctx_size < 0 || mc->ctx_size > MPT_CHECKER_MAX_CONTEXT_SIZE)
		return -1;
	mc->rtx = NULL;
	mc->nr_timeouts = 0;
	mc->rd = calloc(1, rd_size(mc));
	if (!mc->rd)
		return -1;
	mc->rd->state = PATH_UNCHECKED;
	mc->rd->fd = -1;
	if (fstat(fd, &sb) == 0)
		mc->rd->devt = sb.st_rdev;
	mc->rd->mpc.long_val = -1;
	return init ? init(mc->rd) : 0;
}

static void runner_callback(void *arg)
{
	struct runner_data *rd = arg;

	rd->state = rd->afunc(rd);
	pthread_testcancel();
}

static int collect(struct mp_checker *mc)
{
	switch (check_runner(mc->rtx, mc->rd, (unsigned int)rd_size(mc))) {
	case RUNNER_DEAD:
		mc->rd->state = PATH_TIMEOUT;
		mc->rd->msgid = MP_MSGID_TIMEOUT;
		/* fallthrough */
	case RUNNER_DONE:
		release_runner(mc->rtx);
		mc->rtx = NULL;
		mc->nr_timeouts = 0;
		break;
	case RUNNER_CANCELLED:
		mc->rd->state = PATH_TIMEOUT;
		mc->rd->msgid = MP_MSGID_TIMEOUT;
		if (mc->nr_timeouts < MP_MAX_NR_TIMEOUTS) {
			mc->nr_timeouts++;
			release_runner(mc->rtx);
			mc->rtx = NULL;
		} else if (mc->nr_timeouts == MP_MAX_NR_TIMEOUTS) {
			mc->nr_timeouts++;
		}
		break;
	default:
		mc->rd->msgid = MP_MSGID_RUNNING;
		break;
	}
	mc->c.msgid = mc->rd->msgid;
	return mc->rd->state;
}

static int start(struct mp_checker *mc)
{
	struct runner_data *rd = mc->rd;

	if (mc->rtx)
		return collect(mc);
	rd->fd = mc->c.fd;
	rd->timeout = mc->c.timeout;
	rd->state = PATH_PENDING;
	rd->msgid = MP_MSGID_RUNNING;
	rd->afunc = mc->cls->async_func;
	if (checker_is_sync(&mc->c))
		return rd->afunc(rd);	/* msgid stays, as in 0.15 */
	mc->rtx = get_runner(runner_callback, rd, (unsigned int)rd_size(mc),
			     1000000UL * mc->c.timeout);
	if (!mc->rtx)
		return rd->afunc(rd);
	mc->c.msgid = rd->msgid;
	return rd->state;
}

/*
 * One tick, as 0.9-0.11 above: checker_check() calls async_check_check()
 * (it collects a runner still out, or starts one), the loop sleeps 5 ms if
 * a runner is out, and get_state() collects a pending path.
 */
static int series_tick(struct mp_checker *mc)
{
	struct checker *c = &mc->c;

	c->path_state = start(mc);
	if (mc->rtx) {
		struct timespec ts = { 0, 5 * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (c->path_state == PATH_PENDING && mc->rtx)
		c->path_state = collect(mc);
	return c->path_state;
}

void mp_checker_free(struct mp_checker *mc)
{
	if (mc->rtx)
		release_runner(mc->rtx);
	mc->rtx = NULL;
	free(mc->rd);
	mc->rd = NULL;
}

void mp_checker_unload(struct mp_checker *mc)
{
	/* the class lives until exit, as in multipathd (-z nodelete) */
	if (!mc->cls)
		return;
	dlclose(mc->cls->handle);
	free(mc->cls);
	mc->cls = NULL;
}

#endif

/* One tick of multipathd's checker loop for this path (checker_check()). */
int mp_checker_check(struct mp_checker *mc, int oldstate)
{
	(void)oldstate;
	mc->c.msgid = CHECKER_MSGID_NONE;
	if (mc->c.fd < 0) {
		mc->c.msgid = CHECKER_MSGID_NO_FD;
		return PATH_WILD;
	}
	return series_tick(mc);
}

int mp_prio_load(const char *so, struct mp_prio *mp, char *err, size_t errlen)
{
	mp->handle = dlopen(so, RTLD_NOW);
	if (!mp->handle) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	mp->getprio = sym(mp->handle, "getprio");
	if (!mp->getprio) {
		snprintf(err, errlen, "%s: no getprio", so);
		dlclose(mp->handle);
		return -1;
	}
	return 0;
}

int mp_prio_get(const struct mp_prio *mp, struct path *pp, const char *args,
		unsigned int timeout_ms)
{
	char buf[256];

	/* multipathd hands the prio its own copy of prio_args */
	snprintf(buf, sizeof(buf), "%s", args);
#if MPT_GETPRIO_TIMEOUT_ARG
	return ((int (*)(struct path *, char *, unsigned int))mp->getprio)(
		pp, buf, timeout_ms);
#else
	(void)timeout_ms;
	return ((int (*)(struct path *, char *))mp->getprio)(pp, buf);
#endif
}

void mp_prio_unload(struct mp_prio *mp)
{
	if (mp->handle)
		dlclose(mp->handle);
	mp->handle = NULL;
}

struct path *mp_path_new(int fd, const char *dev)
{
	struct path *pp = alloc_path();

	if (!pp)
		return NULL;
	mp_path_set_fd(pp, fd);
	snprintf((char *)pp, MPT_PATH_DEV_SIZE, "%s", dev);
	return pp;
}

void mp_path_set_fd(struct path *pp, int fd)
{
	*(int *)((char *)pp + MPT_PATH_FD_OFFSET) = fd;
}

void mp_path_free(struct path *pp)
{
	mp_path_set_fd(pp, -1);	/* ours, closed by the test */
	free_path(pp);
}
