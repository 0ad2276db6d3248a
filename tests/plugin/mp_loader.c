/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structs.h"

#include "checker_class.h"	/* generated from the installed version */
#include "mp_loader.h"

int mp_checker_load(const char *so, struct mp_checker *mc, char *err,
		    size_t errlen)
{
	struct checker_class *c = calloc(1, sizeof(*c));
	const char *base = strrchr(so, '/');

	memset(mc, 0, sizeof(*mc));
	if (!c)
		return -1;
	INIT_LIST_HEAD(&c->node);
	c->refcount = 1;
	base = base ? base + 1 : so;
	/* libcheckNAME.so -> NAME */
	snprintf(c->name, CHECKER_NAME_LEN, "%.*s",
		 (int)(strlen(base) - strlen("libcheck") - strlen(".so")),
		 base + strlen("libcheck"));
	c->handle = dlopen(so, RTLD_NOW);
	if (!c->handle) {
		snprintf(err, errlen, "%s", dlerror());
		free(c);
		return -1;
	}
	c->check = (int (*)(struct checker *))dlsym(c->handle, "libcheck_check");
	c->init = (int (*)(struct checker *))dlsym(c->handle, "libcheck_init");
	c->mp_init = (int (*)(struct checker *))dlsym(c->handle,
						       "libcheck_mp_init");
	c->reset = (void (*)(void))dlsym(c->handle, "libcheck_reset");
	c->thread = (void *(*)(void *))dlsym(c->handle, "libcheck_thread");
	c->free = (void (*)(struct checker *))dlsym(c->handle, "libcheck_free");
	c->msgtable = dlsym(c->handle, "libcheck_msgtable");
	if (!c->check || !c->init || !c->free) {
		snprintf(err, errlen, "%s: missing libcheck_* symbols", so);
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

int mp_checker_init(struct mp_checker *mc, int fd, unsigned int timeout_s)
{
	memset(&mc->c, 0, sizeof(mc->c));
	mc->c.cls = mc->cls;
	mc->c.fd = fd;
	mc->c.timeout = timeout_s;
	return mc->cls->init(&mc->c);
}

/* What libmultipath's checker_check() does. */
int mp_checker_check(struct mp_checker *mc, int oldstate)
{
	(void)oldstate;
	mc->c.msgid = CHECKER_MSGID_NONE;
	if (mc->c.fd < 0) {
		mc->c.msgid = CHECKER_MSGID_NO_FD;
		return PATH_WILD;
	}
	return mc->cls->check(&mc->c);
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

int mp_prio_load(const char *so, struct mp_prio *mp, char *err, size_t errlen)
{
	mp->handle = dlopen(so, RTLD_NOW);
	if (!mp->handle) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	mp->getprio = (int (*)(struct path *, char *, unsigned int))
		dlsym(mp->handle, "getprio");
	if (!mp->getprio) {
		snprintf(err, errlen, "%s: no getprio", so);
		dlclose(mp->handle);
		return -1;
	}
	return 0;
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
	pp->fd = fd;
	snprintf(pp->dev, sizeof(pp->dev), "%s", dev);
	return pp;
}

void mp_path_free(struct path *pp)
{
	pp->fd = -1;	/* ours, closed by the test */
	free_path(pp);
}
