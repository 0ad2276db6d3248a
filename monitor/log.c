// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static int verbosity;		/* 0: warnings and errors, 1: info, 2: debug */
static int use_syslog;

void log_init(int v, int to_syslog)
{
	verbosity = v;
	use_syslog = to_syslog;
	if (to_syslog)
		openlog("pathwarden", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int log_verbosity(void)
{
	return verbosity;
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
	} else {
		fputs("pathwarden: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
