/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipath-tools 0.9.4 (Debian 12, LIBMULTIPATH_17.0.0; the only 0.9 accepted),
 * from upstream tag 0.9.4 (libmultipath/checkers.h, structs.h, prio.h).
 * Included through abi.h only.
 */
#define MPT_SERIES_NAME "0.9"

struct checker {
	struct checker_class *cls;
	int fd;
	unsigned int timeout;
	int disable;
	short msgid;
	void *context;
	void **mpcontext;
};
_Static_assert(offsetof(struct checker, msgid) == 20, "0.9 checker layout");
_Static_assert(offsetof(struct checker, context) == 24, "0.9 checker layout");
_Static_assert(sizeof(struct checker) == 40, "0.9 checker layout");

/* The argument of libcheck_thread(): libmultipath reads cls only. */
struct checker_context {
	struct checker_class *cls;
};
int start_checker_thread(pthread_t *thread, const pthread_attr_t *attr,
			 struct checker_context *ctx);

/* struct path: int fd after the embedded prio and checker (x86_64). */
#define MPT_PATH_FD_OFFSET 1344

/* getprio() takes the timeout (up to 0.9.5) */
#define MPT_GETPRIO_TIMEOUT_ARG 1
#define MPT_THREAD_CHECKER 1
#define MPT_PENDING_API 0
