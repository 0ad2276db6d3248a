/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Talking to multipathd.  A source answers commands: the live one through
 * libmpathcmd's socket with a bounded timeout, the captured one from files
 * in a directory (tests, bug reports: "pathwarden status --capture DIR").
 */
#ifndef PW_HOST_MPATH_CLIENT_H
#define PW_HOST_MPATH_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

struct mpath_source {
	/* 0 and a malloc'ed reply, or -errno; *reply NULL on error. */
	int (*cmd)(struct mpath_source *s, const char *cmd, char **reply);
	void (*close)(struct mpath_source *s);
	unsigned int timeout_ms;
	int fd;
	char dir[256];
};

/* Live: connects lazily; a missing multipathd is an error per command. */
void mpath_source_live(struct mpath_source *s, unsigned int timeout_ms);
/* Captured: "show maps json" -> DIR/maps.json, "show config" ->
 * DIR/config.txt; action commands answer "ok", are never sent and are
 * appended to DIR/commands.log when DIR is writable. */
void mpath_source_captured(struct mpath_source *s, const char *dir);
/* Called after a captured source recorded an action command: a no-op in
 * the product; the tests' build plays dm with it (a switchgroup moves the
 * map's next group in DIR/dmstatus/MAP). */
void mpath_capture_applied(const char *dir, const char *cmd);

static inline int mpath_cmd(struct mpath_source *s, const char *cmd,
			    char **reply)
{
	return s->cmd(s, cmd, reply);
}

/*
 * An action command ("switchgroup ...", "reinstate path ..."): 0 when
 * multipathd answered "ok"; otherwise -errno, or -EPROTO for any other
 * answer, with what went wrong (its answer, "no reply" or the error) in
 * @why.
 */
int mpath_action(struct mpath_source *s, const char *cmd, char *why,
		 size_t len);

static inline void mpath_close(struct mpath_source *s)
{
	if (s->close)
		s->close(s);
}

/* Read a whole file; NULL with errno set. */
char *read_file(const char *path, size_t max);

#endif
