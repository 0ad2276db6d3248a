/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multipath-tools plugin ABI, as declared by pathwarden itself.
 *
 * Debian ships no libmultipath headers, libmultipath promises no stable
 * ABI, and the package mirror does not serve every suite's source: so the
 * few types, fields and prototypes the plugins use are written down here,
 * one file per series, from upstream's code at the named tag.  Nothing
 * else of multipath-tools is declared.  The Makefile picks the series from
 * the installed multipath-tools (MPT_SERIES = 9, 11 or 15;
 * scripts/mpt-series.sh) and refuses any other; tests/plugin/test_abi.c
 * checks the fields the library's exported functions touch against the
 * real libmultipath of the series, and the plugins bind its versioned
 * symbols, so a plugin of the wrong series fails dlopen() instead of
 * corrupting memory.
 *
 * Only checker/ and prio/ shims and the plugin harness include this.
 */
#ifndef PW_MPT_ABI_H
#define PW_MPT_ABI_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Identical in every supported series (checkers.h, debug.h). */
enum mpt_path_state {
	PATH_WILD = 0,
	PATH_UNCHECKED = 1,
	PATH_DOWN = 2,
	PATH_UP = 3,
	PATH_SHAKY = 4,
	PATH_GHOST = 5,
	PATH_PENDING = 6,
	PATH_TIMEOUT = 7,
	PATH_REMOVED = 8,
	PATH_DELAYED = 9,
};

enum {
	CHECKER_MSGID_NONE = 0,
	CHECKER_MSGID_DISABLED = 1,
	CHECKER_MSGID_NO_FD = 2,
	CHECKER_MSGID_DOWN = 5,
	CHECKER_FIRST_MSGID = 100,	/* a plugin's own ids start here */
	CHECKER_MSGTABLE_SIZE = 100,	/* and at most this many */
};

struct checker_class;	/* private to libmultipath: never dereferenced */
struct path;		/* read through the accessors below only */

/* debug.h: condlog() is a macro over two libmpathutil symbols. */
#define MPT_MAX_VERBOSITY 4
extern int libmp_verbosity;
void dlog(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define condlog(prio, fmt, args...)					\
	do {								\
		int pw_p_ = (prio);					\
									\
		if (pw_p_ <= MPT_MAX_VERBOSITY &&			\
		    pw_p_ <= libmp_verbosity)				\
			dlog(pw_p_, fmt "\n", ##args);			\
	} while (0)

/* structs.h: the first field of struct path, in every series. */
#define MPT_PATH_DEV_SIZE 256

#if MPT_SERIES == 9
#include "abi-0.9.h"
#elif MPT_SERIES == 11
#include "abi-0.11.h"
#elif MPT_SERIES == 15
#include "abi-0.15.h"
#else
#error "MPT_SERIES must be 9, 11 or 15 (the Makefile sets it)"
#endif

static inline int mpt_path_fd(const struct path *pp)
{
	return *(const int *)((const char *)pp + MPT_PATH_FD_OFFSET);
}

static inline const char *mpt_path_dev(const struct path *pp)
{
	return (const char *)pp;	/* char dev[MPT_PATH_DEV_SIZE] at 0 */
}

/* libmultipath.version: exported in every series; the ABI test uses them. */
struct path *alloc_path(void);
void free_path(struct path *pp);
void checker_disable(struct checker *c);
void checker_enable(struct checker *c);
void checker_clear_message(struct checker *c);
const char *checker_message(const struct checker *c);
int checker_is_sync(const struct checker *c);
const char *checker_state_name(int state);

#endif
