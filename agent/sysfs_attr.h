/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small attribute files of sysfs and configfs.  What they hold is
 * untrusted: every read is bounded, checked for NUL bytes and line
 * structure, and numbers are range-checked by the caller's limits.
 */
#ifndef PATHWARDEN_AGENT_SYSFS_ATTR_H
#define PATHWARDEN_AGENT_SYSFS_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <dirent.h>

#include "agent.h"

/* A whole sysfs/configfs page (4096 bytes, LIO's members list can fill
 * it) and the terminating NUL. */
#define ATTR_MAX (4096 + 1)

/* "a/b" into buf; false when it does not fit. */
bool path_join(char *buf, size_t len, const char *dir, const char *name);

/*
 * The whole attribute as text (buf gets a terminating NUL).  Fails with
 * AGENT_NOT_FOUND, AGENT_PERM, AGENT_BAD_DATA (not a regular file, longer
 * than len - 1 bytes, or holding a NUL byte) or AGENT_ERR.
 */
enum agent_result attr_read(struct agent_ctx *ctx, const char *path,
			    char *buf, size_t len);

/*
 * The same, NUL bytes and all: *got bytes in buf (then a terminating NUL),
 * for an attribute whose format has them (LIO's members list).
 */
enum agent_result attr_read_bytes(struct agent_ctx *ctx, const char *path,
				  char *buf, size_t len, size_t *got);

/*
 * The first line, without its newline.  A second line is accepted only
 * when it is SCST's "[key]" mark; anything else after it is bad data.
 */
enum agent_result attr_read_line(struct agent_ctx *ctx, const char *path,
				 char *line, size_t len);

/*
 * A decimal number in [min, max] on the first line.  With allow_empty,
 * an empty attribute (LIO's tg_pt_gp_id before it is set) gives *empty.
 */
enum agent_result attr_read_uint(struct agent_ctx *ctx, const char *path,
				 unsigned long min, unsigned long max,
				 bool allow_empty, unsigned long *value,
				 bool *empty);

/* Can this process open the attribute for writing?  Writes nothing. */
enum agent_result attr_check_writable(struct agent_ctx *ctx, const char *path);

/*
 * Write text with one write(2), as sysfs wants.  AGENT_PERM, AGENT_ERR
 * (the kernel refused the value, short write, ...) or AGENT_NOT_FOUND.
 */
enum agent_result attr_write(struct agent_ctx *ctx, const char *path,
			     const char *text);

/*
 * Sorted names in a directory, without "." entries; free each and the
 * list.  AGENT_NOT_FOUND when dir is missing or not a directory.
 */
enum agent_result dir_scan(struct agent_ctx *ctx, const char *dir,
			   struct dirent ***list, int *n);
void dir_scan_free(struct dirent **list, int n);

/* st_mode of dir/name, not following a symlink; 0 when it is absent. */
unsigned int entry_mode(const char *dir, const char *name);

#endif
