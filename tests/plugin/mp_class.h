/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libmultipath's private struct checker_class, per series, as multipathd
 * holds it: the harness plays multipathd, so it builds the class the real
 * libmultipath's exported functions read (start_checker_thread() takes a
 * reference and calls ->thread; checker_is_sync() reads ->sync;
 * checker_message() reads ->msgtable).  From upstream's checkers.c at the
 * tags named in mpt/abi-0.N.h; test_abi.c checks the offsets the real
 * library reads.  Plugins never see this.
 */
#ifndef MP_CLASS_H
#define MP_CLASS_H

#include "abi.h"

#define MP_CHECKER_NAME_LEN 16

/* Where struct path embeds its struct checker (structs.h, x86_64). */
#if MPT_SERIES == 11
#define MP_PATH_CHECKER_OFFSET 1304
#else
#define MP_PATH_CHECKER_OFFSET 1296
#endif

struct mp_list_head {
	struct mp_list_head *next, *prev;
};

#if MPT_SERIES == 9 || MPT_SERIES == 11
struct checker_class {
	struct mp_list_head node;
	void *handle;
	int refcount;
	int sync;
	char name[MP_CHECKER_NAME_LEN];
	int (*check)(struct checker *);
	int (*init)(struct checker *);
	int (*mp_init)(struct checker *);
	void (*free)(struct checker *);
	void (*reset)(void);
	void *(*thread)(void *);
#if MPT_SERIES == 11
	int (*pending)(struct checker *);
	bool (*need_wait)(struct checker *);
#endif
	const char **msgtable;
	short msgtable_size;
};
_Static_assert(offsetof(struct checker_class, sync) == 28, "class layout");
_Static_assert(offsetof(struct checker_class, thread) == 88, "class layout");
_Static_assert(offsetof(struct checker_class, msgtable) ==
	       (MPT_SERIES == 9 ? 96 : 112), "class layout");
#define MP_CLASS_HAS_REFCOUNT 1
#else
struct checker_class {
	struct mp_list_head node;
	void *handle;
	int sync;
	char name[MP_CHECKER_NAME_LEN];
	int (*check)(struct checker *, union checker_mpcontext *);
	int (*init)(struct checker *);
	void (*free)(struct checker *);
	void (*reset)(void);
	int (*pending)(struct checker *, union checker_mpcontext *);
	bool (*need_wait)(struct checker *);
	int (*async_func)(struct runner_data *);
	const char **msgtable;
	short msgtable_size;
};
_Static_assert(offsetof(struct checker_class, sync) == 24, "class layout");
_Static_assert(offsetof(struct checker_class, async_func) == 96, "class layout");
_Static_assert(offsetof(struct checker_class, msgtable) == 104, "class layout");
#define MP_CLASS_HAS_REFCOUNT 0
#endif

#endif
