/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics: stderr in the foreground (-d) and for commands, syslog for
 * the daemon.  Measurements never go here; they go to the records file.
 * When stderr is systemd's journal stream (JOURNAL_STREAM names fd 2),
 * each line starts with its syslog priority, "<3>" for an error. */
#ifndef PW_HOST_LOG_H
#define PW_HOST_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_init(int verbosity, int to_syslog);
int log_verbosity(void);
/* Is stderr the journal (set by log_init)?  For messages printed without
 * pw_log that still need a priority. */
bool log_to_journal(void);
__attribute__((format(printf, 2, 3)))
void pw_log(int prio, const char *fmt, ...);

#define log_err(...)   pw_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  pw_log(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  pw_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) pw_log(LOG_DEBUG, __VA_ARGS__)

#endif
