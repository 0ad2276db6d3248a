/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a bench.conf hook: the command as written, through /bin/sh -c
 * (never through a shell line of ours), stdin /dev/null, stdout and
 * stderr appended to the hooks log, in a process group of its own so
 * that a hook that outlives its bound is killed with all it started.
 */
#ifndef PW_BENCH_HOOKS_H
#define PW_BENCH_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

enum hook_result {
	HOOK_OK,		/* exit 0 */
	HOOK_FAILED,		/* exit status not 0 */
	HOOK_KILLED,		/* ended by a signal not ours */
	HOOK_TIMED_OUT,		/* outlived its bound: killed */
	HOOK_NOT_STARTED,	/* could not be spawned */
};

struct hook_outcome {
	enum hook_result result;
	int code;		/* exit status, signal, or errno */
	double seconds;		/* from spawn to exit */
};

/*
 * Run @cmd with the environment @env (NULL-terminated "NAME=value"),
 * writing a header naming @what and the outcome to @log_fd (opened with
 * O_APPEND); wait at most @timeout_s, then kill its process group.
 */
void hook_run(const char *cmd, char *const env[], int log_fd,
	      const char *what, double timeout_s, struct hook_outcome *out);

/* "exit 3", "killed by signal 9", "timed out after 60.0 s (killed)" */
void hook_describe(const struct hook_outcome *o, char *buf, size_t len);

#endif
