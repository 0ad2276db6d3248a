// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

static int verbosity;		/* 0: warnings and errors, 1: info, 2: debug */
static int use_syslog;
static int to_journal;		/* stderr is a journald stream: "<N>" lines */

/*
 * systemd hands a service a stream to journald on stdout and stderr and
 * names it in JOURNAL_STREAM ("dev:inode").  The variable is inherited by
 * children whose stderr went elsewhere (a pipe, a file), so it only counts
 * when it names our fd 2.
 */
static int stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	uintmax_t dev, ino;
	struct stat st;
	int used = 0;

	if (!env || sscanf(env, "%ju:%ju%n", &dev, &ino, &used) != 2 ||
	    env[used] != '\0')
		return 0;
	if (fstat(2, &st))
		return 0;
	return (uintmax_t)st.st_dev == dev && (uintmax_t)st.st_ino == ino;
}

void log_init(int v, int to_syslog)
{
	verbosity = v;
	use_syslog = to_syslog;
	to_journal = !to_syslog && stderr_is_journal();
	if (to_syslog)
		openlog("pathwarden", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int log_verbosity(void)
{
	return verbosity;
}

bool log_to_journal(void)
{
	return to_journal;
}

/*
 * The sd-daemon(3) convention: journald reads a leading "<N>" as the
 * line's syslog priority, so errors are stored as errors and `journalctl
 * -p err` finds them.  Every line of the message gets it (a line without
 * one would be stored at the stream's default, info).  The journal names
 * the program itself, so "pathwarden: " is left out there.
 */
__attribute__((format(printf, 2, 0)))
static void log_journal_line(int prio, const char *fmt, va_list ap)
{
	char buf[2048];
	const char *line = buf, *nl;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	prio &= LOG_PRIMASK;
	for (;;) {
		nl = strchr(line, '\n');
		fprintf(stderr, "<%d>%.*s\n", prio,
			nl ? (int)(nl - line) : (int)strlen(line), line);
		if (!nl || nl[1] == '\0')
			break;
		line = nl + 1;
	}
}

void pw_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if ((prio == LOG_INFO && verbosity < 1) ||
	    (prio == LOG_DEBUG && verbosity < 2))
		return;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
	} else if (to_journal) {
		log_journal_line(prio, fmt, ap);
	} else {
		fputs("pathwarden: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
