/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipath-tools 0.11.x (Debian 13: 0.11.1, LIBMULTIPATH_28.0.0), from
 * upstream tag 0.11.1 (libmultipath/checkers.h, structs.h, prio.h).
 * Included through abi.h only.
 */
#define MPT_SERIES_NAME "0.11"

struct checker {
	struct checker_class *cls;
	int fd;
	unsigned int timeout;
	int disable;
	int path_state;		/* new in 0.11: the result, read by pending */
	short msgid;
	void *context;
	void **mpcontext;
};
_Static_assert(offsetof(struct checker, path_state) == 20, "0.11 checker layout");
_Static_assert(offsetof(struct checker, msgid) == 24, "0.11 checker layout");
_Static_assert(offsetof(struct checker, context) == 32, "0.11 checker layout");
_Static_assert(sizeof(struct checker) == 48, "0.11 checker layout");

struct checker_context {
	struct checker_class *cls;
};
int start_checker_thread(pthread_t *thread, const pthread_attr_t *attr,
			 struct checker_context *ctx);

#define MPT_PATH_FD_OFFSET 1360

/* getprio(pp, args) since 0.9.6; the timeout comes from here */
unsigned int get_prio_timeout_ms(const struct path *pp);
#define MPT_GETPRIO_TIMEOUT_ARG 0
#define MPT_THREAD_CHECKER 1
/* libcheck_pending() collects, libcheck_need_wait() says one is out */
#define MPT_PENDING_API 1
