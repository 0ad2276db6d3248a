/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A change is planned whole, checked whole, then written: nothing is
 * written unless every state is allowed and every attribute can be opened
 * for writing.  A write that fails part-way undoes the earlier writes, so
 * the node is left as it was found or the caller is told it is not.
 */
#ifndef PATHWARDEN_AGENT_CHANGE_PLAN_H
#define PATHWARDEN_AGENT_CHANGE_PLAN_H

#include "agent.h"

/* Two groups per unit, each possibly through transitioning. */
#define PLAN_MAX_STEPS (AGENT_MAX_UNITS * 4)

struct change_step {
	const struct alua_unit *unit;
	const struct tgt_group *group;
	const char *role;		/* "local", "remote" or "group" */
	enum alua_state from;
	enum alua_state to;
	bool first_for_group;		/* from is what the tree held */
};

struct change_plan {
	const struct backend *be;
	size_t n;
	struct change_step steps[PLAN_MAX_STEPS];
};

void plan_init(struct change_plan *plan, const struct backend *be);

/*
 * Ask for group g of unit u to end in state to.  Nothing is added when it
 * is already there.  With via_transitioning the group first goes to
 * transitioning (unless it is there already or that is the target).
 */
enum agent_result plan_add(struct agent_ctx *ctx, struct change_plan *plan,
			   const struct alua_unit *u, const struct tgt_group *g,
			   const char *role, enum alua_state to,
			   bool via_transitioning);

/* Every target state allowed by the backend, every attribute writable. */
enum agent_result plan_validate(struct agent_ctx *ctx,
				const struct change_plan *plan);

/*
 * Write steps start..n-1 in order (steps before start were written by an
 * earlier call).  On a failed write, every group already changed is
 * written back to the state it was found in, newest first:
 * AGENT_WRITE_RESTORED when that worked, AGENT_WRITE_INCONSISTENT when it
 * did not (the message says which group is left where).  *done is the
 * index of the first step not written.
 */
enum agent_result plan_apply(struct agent_ctx *ctx,
			     const struct change_plan *plan, size_t start,
			     size_t *done);

#endif
