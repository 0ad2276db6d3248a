/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plan, check and write ALUA state changes, undoing a half-done change. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "change_plan.h"
#include "sysfs_attr.h"

void plan_init(struct change_plan *plan, const struct backend *be)
{
	plan->be = be;
	plan->n = 0;
}

static const struct change_step *last_step(const struct change_plan *plan,
					   const struct tgt_group *g)
{
	for (size_t i = plan->n; i > 0; i--)
		if (plan->steps[i - 1].group == g)
			return &plan->steps[i - 1];
	return NULL;
}

static enum agent_result push(struct agent_ctx *ctx, struct change_plan *plan,
			      const struct alua_unit *u,
			      const struct tgt_group *g, const char *role,
			      enum alua_state to)
{
	const struct change_step *prev = last_step(plan, g);
	struct change_step *s;

	if (plan->n >= PLAN_MAX_STEPS)
		return agent_fail(ctx, AGENT_ERR, "too many changes at once");
	s = &plan->steps[plan->n++];
	s->unit = u;
	s->group = g;
	s->role = role;
	s->from = prev ? prev->to : g->state;
	s->to = to;
	s->first_for_group = prev == NULL;
	return AGENT_OK;
}

enum agent_result plan_add(struct agent_ctx *ctx, struct change_plan *plan,
			   const struct alua_unit *u, const struct tgt_group *g,
			   const char *role, enum alua_state to,
			   bool via_transitioning)
{
	const struct change_step *prev = last_step(plan, g);
	enum alua_state cur = prev ? prev->to : g->state;
	enum agent_result res;

	if (cur == to)
		return AGENT_OK;
	if (via_transitioning && cur != ALUA_TRANSITIONING &&
	    to != ALUA_TRANSITIONING) {
		res = push(ctx, plan, u, g, role, ALUA_TRANSITIONING);
		if (res != AGENT_OK)
			return res;
	}
	return push(ctx, plan, u, g, role, to);
}

enum agent_result plan_validate(struct agent_ctx *ctx,
				const struct change_plan *plan)
{
	enum agent_result res;

	for (size_t i = 0; i < plan->n; i++) {
		const struct change_step *s = &plan->steps[i];

		res = plan->be->check_state(ctx, s->group, s->to);
		if (res != AGENT_OK)
			return res;
		/* The restore path needs the old state accepted too. */
		if (s->first_for_group) {
			res = plan->be->check_state(ctx, s->group, s->from);
			if (res != AGENT_OK)
				return res;
		}
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct change_step *s = &plan->steps[i];
		char path[PATH_MAX];

		if (!s->first_for_group)
			continue;
		if (plan->be->state_path(s->group, path, sizeof(path)) < 0)
			return agent_fail(ctx, AGENT_ERR, "path too long");
		res = attr_check_writable(ctx, path);
		if (res != AGENT_OK)
			return res;
	}
	return AGENT_OK;
}

enum agent_result plan_apply(struct agent_ctx *ctx,
			     const struct change_plan *plan, size_t start,
			     size_t *done)
{
	char failure[sizeof(ctx->err)];
	char left[512] = "";
	size_t i, restored = 0, off = 0;
	bool undo_failed = false;

	*done = start;
	for (i = start; i < plan->n; i++) {
		const struct change_step *s = &plan->steps[i];

		if (plan->be->write_state(ctx, s->group, s->to) != AGENT_OK)
			break;
		*done = i + 1;
	}
	if (i == plan->n)
		return AGENT_OK;

	memcpy(failure, ctx->err, sizeof(failure));
	/*
	 * Newest first, each touched group once, to the state it was found
	 * in.  A group whose first write is the one that failed was not
	 * changed and is left alone.
	 */
	for (size_t j = i; j > 0; j--) {
		const struct change_step *s = &plan->steps[j - 1];
		struct agent_ctx sub = { { 0 } };

		if (!s->first_for_group)
			continue;
		if (plan->be->write_state(&sub, s->group, s->from) == AGENT_OK) {
			restored++;
			continue;
		}
		undo_failed = true;
		if (off < sizeof(left)) {
			int k = snprintf(left + off, sizeof(left) - off,
					 "%s%s/%s", off ? ", " : "",
					 s->unit->name, s->group->name);

			if (k > 0)
				off += (size_t)k;
		}
	}
	if (undo_failed)
		return agent_fail(ctx, AGENT_WRITE_INCONSISTENT,
				  "%s; undoing the earlier changes failed "
				  "too, left changed: %s", failure, left);
	return agent_fail(ctx, AGENT_WRITE_RESTORED,
			  "%s; %zu group%s put back as found", failure,
			  restored, restored == 1 ? "" : "s");
}
