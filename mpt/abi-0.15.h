/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipath-tools 0.15.x (Debian forky: 0.15.1, LIBMULTIPATH_34.0.0), from
 * upstream 0.15 (libmultipath/checkers.h, async_checker.h, structs.h,
 * libmpathutil/runner.h).  Included through abi.h only.
 *
 * A checker that exports libcheck_async_func() runs on libmultipath's own
 * runner threads: libmultipath copies a struct runner_data (with the
 * plugin's context behind it) into the runner, calls the function there,
 * and copies it back when it returns; after the checker timeout it cancels
 * the runner and reports PATH_TIMEOUT itself.
 */
#define MPT_SERIES_NAME "0.15"

struct checker {
	struct checker_class *cls;
	int fd;
	unsigned int timeout;
	int disable;
	int path_state;
	short msgid;
	void *context;
};
_Static_assert(offsetof(struct checker, msgid) == 24, "0.15 checker layout");
_Static_assert(offsetof(struct checker, context) == 32, "0.15 checker layout");
_Static_assert(sizeof(struct checker) == 40, "0.15 checker layout");

union checker_mpcontext {
	long long_val;
};

struct runner_data {
	int fd;
	dev_t devt;
	int (*afunc)(struct runner_data *);
	unsigned int timeout;		/* seconds */
	int state;
	short msgid;
	union checker_mpcontext mpc;
	char __attribute__((aligned(sizeof(void *)))) checker_ctx[];
};
_Static_assert(offsetof(struct runner_data, timeout) == 24, "0.15 runner_data");
_Static_assert(offsetof(struct runner_data, msgid) == 32, "0.15 runner_data");
_Static_assert(offsetof(struct runner_data, checker_ctx) == 48, "0.15 runner_data");

/* async_checker.h: the most a plugin may ask for behind runner_data */
#define MPT_CHECKER_MAX_CONTEXT_SIZE 1024

/* libmpathutil runner.h: what the harness drives the plugin with */
enum mpt_runner_status {
	RUNNER_IDLE,
	RUNNER_RUNNING,
	RUNNER_DONE,
	RUNNER_CANCELLED,
	RUNNER_DEAD,
};
struct runner_context;
struct runner_context *get_runner(void (*func)(void *data), void *data,
				  unsigned int size,
				  unsigned long timeout_usec);
void release_runner(struct runner_context *rctx);
int check_runner(struct runner_context *rctx, void *data, unsigned int size);

#define MPT_PATH_FD_OFFSET 1344

unsigned int get_prio_timeout_ms(const struct path *pp);
#define MPT_GETPRIO_TIMEOUT_ARG 0
#define MPT_THREAD_CHECKER 0
#define MPT_PENDING_API 0
