/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads checker and prio plugins as multipathd 0.9.4 does: dlopen with
 * RTLD_NOW, the same symbols, a checker class whose layout is generated
 * from the installed version's own source at build time, and worker
 * threads started by the real libmultipath.  This harness plays multipathd,
 * so it is the one place besides the shims that includes its headers.
 */
#ifndef MP_LOADER_H
#define MP_LOADER_H

#include "checkers.h"

struct path;

struct mp_checker {
	struct checker c;
	struct checker_class *cls;
};

struct mp_prio {
	void *handle;
	int (*getprio)(struct path *, char *, unsigned int);
};

/* NULL-safe; returns 0 or -1 with the dlerror() text in @err. */
int mp_checker_load(const char *so, struct mp_checker *mc, char *err,
		    size_t errlen);
void mp_checker_set_async(struct mp_checker *mc, int async);
int mp_checker_init(struct mp_checker *mc, int fd, unsigned int timeout_s);
int mp_checker_check(struct mp_checker *mc, int oldstate);
void mp_checker_free(struct mp_checker *mc);
void mp_checker_unload(struct mp_checker *mc);

int mp_prio_load(const char *so, struct mp_prio *mp, char *err, size_t errlen);
void mp_prio_unload(struct mp_prio *mp);

struct path *mp_path_new(int fd, const char *dev);
void mp_path_free(struct path *pp);

#endif
