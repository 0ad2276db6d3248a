/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pathwarden-agent: keeps the ALUA states of a storage node's target port
 * groups where the cluster wants them.  This header is private to agent/.
 *
 * A "unit" is what carries a set of target port groups: an SCST device
 * group, or one LIO device (core/<hba>/<dev>).  Each node keeps two groups
 * per unit: its own ("local") and its peer's ("remote"); RTPG through any
 * port of the node reports both, so both must be right on both nodes.
 */
#ifndef PATHWARDEN_AGENT_H
#define PATHWARDEN_AGENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pathwarden/alua.h"

/*
 * Results, also the program's exit codes (documented in
 * pathwarden-agent(8); the OCF agent maps them).  Never renumber.
 */
enum agent_result {
	AGENT_OK = 0,
	AGENT_ERR = 1,			/* unexpected I/O or memory error */
	AGENT_USAGE = 2,		/* bad option, name or state */
	AGENT_NOT_FOUND = 3,		/* tree, unit or group missing */
	AGENT_PERM = 4,			/* an attribute is not writable */
	AGENT_BAD_DATA = 5,		/* sysfs/configfs gave a value we reject */
	AGENT_WRITE_RESTORED = 6,	/* a write failed; earlier ones undone */
	AGENT_WRITE_INCONSISTENT = 7,	/* a write failed and undoing failed */
	AGENT_UNSUPPORTED = 8,		/* the backend refuses that state */
};

const char *agent_result_name(enum agent_result res);

/* Diagnostics are collected here; only main() prints them. */
struct agent_ctx {
	char err[1024];
};

/* Record a message; returns res so callers can write "return agent_fail(...)". */
enum agent_result agent_fail(struct agent_ctx *ctx, enum agent_result res,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define AGENT_NAME_MAX 255
#define AGENT_MAX_MEMBERS 16
#define AGENT_MAX_GROUPS 16
#define AGENT_MAX_UNITS 256	/* LUNs of one node ([scale]: up to 128) */

struct tg_member {
	char name[AGENT_NAME_MAX + 1];
	uint16_t rel_tgt_id;		/* 0: not reported */
	bool local;			/* a target of this node (SCST symlink) */
};

/* One target port group as read from the tree. */
struct tgt_group {
	char name[AGENT_NAME_MAX + 1];
	char path[PATH_MAX];		/* directory of the group */
	uint16_t group_id;
	bool id_set;			/* LIO shows nothing until it is set */
	enum alua_state state;
	bool preferred;
	uint8_t access_type;		/* enum alua_tpgs bits (LIO) */
	uint8_t supported;		/* enum alua_support bits */
	size_t n_members;		/* listed in members[] */
	size_t members_total;		/* as found, may exceed the array */
	struct tg_member members[AGENT_MAX_MEMBERS];
};

struct alua_unit {
	char name[2 * AGENT_NAME_MAX + 2];	/* "esos", "fileio_1/vg1" */
	char path[PATH_MAX];
	size_t n_groups;
	struct tgt_group groups[AGENT_MAX_GROUPS];
	int local_idx;			/* -1 when not named or absent */
	int remote_idx;
};

struct unit_set {
	size_t n_units;
	struct alua_unit units[AGENT_MAX_UNITS];
};

/* What the user asked to look at; names are validated before use. */
struct agent_target {
	const char *root;		/* NULL: the backend's default */
	const char *device_group;	/* SCST */
	const char *device;		/* LIO "hba/dev", optional */
	const char *local;
	const char *remote;
	bool need_groups;		/* local and remote must both exist */
	/*
	 * A state change's read (LIO): only the named groups, and of them
	 * what a change needs (id, state, access type, the states they
	 * take), not their members and preference nor the other groups.
	 * At 64 LUNs under TCG a promotion took 2.9-3.5 s and the unit
	 * attentions of its writes came within 70 ms of each other at its
	 * end; before them it read three groups per LUN, each with its
	 * members, preference and seven alua_support_* files looked up
	 * and then read.
	 */
	bool state_only;
};

struct backend {
	const char *name;
	const char *default_root;
	/*
	 * Read every unit selected by *t, and every group of each.
	 * AGENT_USAGE (a name is missing or malformed), AGENT_NOT_FOUND
	 * (tree, unit or named group absent), AGENT_BAD_DATA (a value or
	 * name the kernel would not show), AGENT_PERM, AGENT_ERR.
	 */
	enum agent_result (*discover)(struct agent_ctx *ctx,
				      const struct agent_target *t,
				      struct unit_set *out);
	/* AGENT_OK or AGENT_UNSUPPORTED: would the kernel take this state? */
	enum agent_result (*check_state)(struct agent_ctx *ctx,
					 const struct tgt_group *g,
					 enum alua_state state);
	/* Path of the attribute that carries the state; -1 if too long. */
	int (*state_path)(const struct tgt_group *g, char *buf, size_t len);
	/*
	 * Write one state, formatted the backend's way (SCST text, LIO
	 * number).  AGENT_PERM, AGENT_NOT_FOUND, AGENT_UNSUPPORTED or
	 * AGENT_ERR (the kernel refused it, short write).
	 */
	enum agent_result (*write_state)(struct agent_ctx *ctx,
					 const struct tgt_group *g,
					 enum alua_state state);
};

extern const struct backend backend_scst;
extern const struct backend backend_lio;
const struct backend *backend_by_name(const char *name);

/* Names given by a person or found in the tree: see name_valid(). */
bool agent_name_valid(const char *name);

#endif
