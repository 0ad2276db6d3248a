// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "samples.h"

#define WAIT_STEP_NS 10000000		/* how often a running hook is checked */

static pid_t spawn(const char *cmd, char *const env[], int log_fd, int *err)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	pid_t pid = -1;

	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_init(&fa);
	/* pgroup 0: its own group, so a kill reaches its children too and
	 * a ^C at our terminal does not (we restore first, then stop) */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, log_fd, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, log_fd, STDERR_FILENO);
	/* posix_spawn, not fork: the load and observer threads are running */
	*err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return *err ? -1 : pid;
}

void hook_run(const char *cmd, char *const env[], int log_fd,
	      const char *what, double timeout_s, struct hook_outcome *out)
{
	int64_t start = bench_now_ns();
	int64_t deadline = start + (int64_t)(timeout_s * 1e9);
	int status = 0, err = 0;
	bool timed_out = false;
	char desc[96];
	pid_t pid;

	memset(out, 0, sizeof(*out));
	dprintf(log_fd, "== %s: %s\n", what, cmd);
	pid = spawn(cmd, env, log_fd, &err);
	if (pid < 0) {
		out->result = HOOK_NOT_STARTED;
		out->code = err;
		goto done;
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		struct timespec step = { 0, WAIT_STEP_NS };

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			out->result = HOOK_NOT_STARTED;
			out->code = errno;
			goto done;
		}
		if (bench_now_ns() >= deadline) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			timed_out = true;
			break;
		}
		nanosleep(&step, NULL);
	}
	if (timed_out) {
		out->result = HOOK_TIMED_OUT;
	} else if (WIFEXITED(status)) {
		out->code = WEXITSTATUS(status);
		out->result = out->code ? HOOK_FAILED : HOOK_OK;
	} else {
		out->code = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		out->result = HOOK_KILLED;
	}
done:
	out->seconds = (double)(bench_now_ns() - start) / 1e9;
	if (out->result == HOOK_TIMED_OUT)
		out->seconds = timeout_s;
	hook_describe(out, desc, sizeof(desc));
	dprintf(log_fd, "== %s: %s\n", what, desc);
}

void hook_describe(const struct hook_outcome *o, char *buf, size_t len)
{
	switch (o->result) {
	case HOOK_OK:
		snprintf(buf, len, "exit 0 after %.2f s", o->seconds);
		break;
	case HOOK_FAILED:
		snprintf(buf, len, "exit %d after %.2f s", o->code, o->seconds);
		break;
	case HOOK_KILLED:
		snprintf(buf, len, "killed by signal %d after %.2f s", o->code,
			 o->seconds);
		break;
	case HOOK_TIMED_OUT:
		snprintf(buf, len, "still running after %.1f s: killed",
			 o->seconds);
		break;
	case HOOK_NOT_STARTED:
		snprintf(buf, len, "not started: %s", strerror(o->code));
		break;
	}
}
