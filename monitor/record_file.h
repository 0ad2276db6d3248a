/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The measurement record: one JSON object per line in its own file, apart
 * from the log (chrony's measurements/statistics logs are the model).
 */
#ifndef PW_MONITOR_RECORD_FILE_H
#define PW_MONITOR_RECORD_FILE_H

#include <stdint.h>

#include "failover_window.h"

struct records {
	int fd;
	char path[256];
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, for wall-clock stamps. */
	int64_t wall_offset_ns;
};

/* Opens for appending, creating the file (0644) and, if missing, its
 * directory (one level). */
int records_open(struct records *r, const char *path);
void records_close(struct records *r);
/* Re-read the wall clock offset (after a clock step). */
void records_sync_clock(struct records *r);

/* Format one failover window; returns a malloc'ed line with '\n'. */
char *records_format_failover(const char *map, const struct fw_record *w,
			      int64_t wall_offset_ns);
int records_write_failover(struct records *r, const char *map,
			   const struct fw_record *w);
/* A group switch pathwarden made: from the ALUA event to multipathd's
 * answer, and to dm reporting the new group in use (0 if not seen). */
int records_write_switch(struct records *r, const char *map,
			 uint64_t event_ns, uint64_t requested_ns,
			 uint64_t confirmed_ns, unsigned int group,
			 const char *outcome);

#endif
