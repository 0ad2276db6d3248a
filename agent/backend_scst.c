/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCST backend: /sys/kernel/scst_tgt/device_groups/<dg>/target_groups/<tg>/
 * with group_id, preferred, state and one entry per member target: a
 * symlink to the target for a target of this node, a directory holding
 * rel_tgt_id for a target of another node (scst_sysfs.c,
 * scst_tg_tgt_sysfs_add).  Values come as "value\n" optionally followed
 * by SCST's "[key]\n" line.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "agent.h"
#include "sysfs_attr.h"

#define SCST_DEFAULT_ROOT "/sys/kernel/scst_tgt"

/* Entries of a target group directory that are attributes, not members. */
static const char *const tg_attrs[] = { "group_id", "preferred", "state",
					"mgmt" };

static bool is_tg_attr(const char *name)
{
	for (size_t i = 0; i < sizeof(tg_attrs) / sizeof(tg_attrs[0]); i++)
		if (!strcmp(name, tg_attrs[i]))
			return true;
	return false;
}

/*
 * SCST's state names are a subset of the core's table: scst_tg.c has no
 * name for lba-dependent, so writing one is refused with EINVAL.
 */
static bool scst_state_parse(const char *text, enum alua_state *state)
{
	for (unsigned int v = 0; v <= 0xf; v++) {
		const char *n;

		if (!alua_state_valid(v) || v == ALUA_LBA_DEPENDENT)
			continue;
		n = alua_state_scst_name((enum alua_state)v);
		if (n && !strcmp(n, text)) {
			*state = (enum alua_state)v;
			return true;
		}
	}
	return false;
}

static enum agent_result read_members(struct agent_ctx *ctx,
				      struct tgt_group *g)
{
	struct dirent **list;
	enum agent_result res;
	int n;

	res = dir_scan(ctx, g->path, &list, &n);
	if (res != AGENT_OK)
		return res;
	for (int i = 0; i < n && res == AGENT_OK; i++) {
		const char *name = list[i]->d_name;
		unsigned int mode = entry_mode(g->path, name);
		char dir[PATH_MAX], path[PATH_MAX];
		struct tg_member *m;
		unsigned long id = 0;

		if (is_tg_attr(name) || !(S_ISLNK(mode) || S_ISDIR(mode)))
			continue;
		if (!agent_name_valid(name)) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: member with an unexpected name",
					 g->path);
			break;
		}
		g->members_total++;
		if (g->n_members >= AGENT_MAX_MEMBERS)
			continue;
		if (!path_join(dir, sizeof(dir), g->path, name) ||
		    !path_join(path, sizeof(path), dir, "rel_tgt_id")) {
			res = agent_fail(ctx, AGENT_BAD_DATA, "%s: path too long",
					 g->path);
			break;
		}
		/*
		 * A local target's own rel_tgt_id may be absent (0 means
		 * "assign one"); a remote target carries only that number.
		 */
		if (S_ISDIR(mode) || entry_mode(dir, "rel_tgt_id")) {
			struct agent_ctx sub = { { 0 } };
			enum agent_result r;

			r = attr_read_uint(&sub, path, 0, 0xffff, false, &id,
					   NULL);
			if (r != AGENT_OK &&
			    !(r == AGENT_NOT_FOUND && S_ISLNK(mode))) {
				memcpy(ctx->err, sub.err, sizeof(ctx->err));
				res = r;
				break;
			}
		}
		m = &g->members[g->n_members++];
		snprintf(m->name, sizeof(m->name), "%s", name);
		m->rel_tgt_id = (uint16_t)id;
		m->local = S_ISLNK(mode);
	}
	dir_scan_free(list, n);
	return res;
}

static enum agent_result read_group(struct agent_ctx *ctx, const char *tgdir,
				    const char *name, struct tgt_group *g)
{
	char path[PATH_MAX], line[64];
	unsigned long v;
	enum agent_result res;

	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	if (!path_join(g->path, sizeof(g->path), tgdir, name))
		return agent_fail(ctx, AGENT_BAD_DATA, "%s: path too long",
				  tgdir);

	if (!path_join(path, sizeof(path), g->path, "group_id"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_uint(ctx, path, 0, 0xffff, false, &v, NULL);
	if (res != AGENT_OK)
		return res;
	g->group_id = (uint16_t)v;
	g->id_set = v != 0;	/* SCST refuses 0 as an id: 0 is "unset" */

	if (!path_join(path, sizeof(path), g->path, "preferred"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_uint(ctx, path, 0, 1, false, &v, NULL);
	if (res != AGENT_OK)
		return res;
	g->preferred = v;

	if (!path_join(path, sizeof(path), g->path, "state"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_line(ctx, path, line, sizeof(line));
	if (res != AGENT_OK)
		return res;
	if (!scst_state_parse(line, &g->state))
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: '%s' is not an SCST ALUA state", path,
				  line);

	/* SCST takes implicit changes through sysfs for every state. */
	g->access_type = ALUA_TPGS_IMPLICIT;
	g->supported = ALUA_SUP_AO | ALUA_SUP_ANO | ALUA_SUP_STANDBY |
		       ALUA_SUP_UNAVAILABLE | ALUA_SUP_OFFLINE |
		       ALUA_SUP_TRANSITIONING;
	return read_members(ctx, g);
}

static int find_group(const struct alua_unit *u, const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < u->n_groups; i++)
		if (!strcmp(u->groups[i].name, name))
			return (int)i;
	return -1;
}

static enum agent_result missing_group(struct agent_ctx *ctx,
				       const struct alua_unit *u,
				       const char *name)
{
	char have[512] = "";
	size_t off = 0;

	for (size_t i = 0; i < u->n_groups && off < sizeof(have); i++) {
		int k = snprintf(have + off, sizeof(have) - off, "%s%s",
				 i ? ", " : "", u->groups[i].name);

		if (k < 0)
			break;
		off += (size_t)k;
	}
	return agent_fail(ctx, AGENT_NOT_FOUND,
			  "target group '%s' not found in device group '%s' "
			  "(it has: %s)", name, u->name,
			  u->n_groups ? have : "no target groups");
}

/* Every target group of device group dg (under dgs) into u. */
static enum agent_result read_dg(struct agent_ctx *ctx, const char *dgs,
				 const char *dg, struct alua_unit *u)
{
	char tgdir[PATH_MAX];
	struct dirent **list;
	enum agent_result res;
	int n;

	memset(u, 0, sizeof(*u));
	u->local_idx = u->remote_idx = -1;
	snprintf(u->name, sizeof(u->name), "%s", dg);
	if (!path_join(u->path, sizeof(u->path), dgs, dg) ||
	    !path_join(tgdir, sizeof(tgdir), u->path, "target_groups"))
		return agent_fail(ctx, AGENT_USAGE, "path too long");

	res = dir_scan(ctx, tgdir, &list, &n);
	if (res != AGENT_OK)
		return res;
	for (int i = 0; i < n && res == AGENT_OK; i++) {
		const char *name = list[i]->d_name;

		if (!S_ISDIR(entry_mode(tgdir, name)))
			continue;	/* "mgmt" */
		if (!agent_name_valid(name)) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: target group with an unexpected "
					 "name", tgdir);
			break;
		}
		if (u->n_groups >= AGENT_MAX_GROUPS) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: more than %d target groups",
					 tgdir, AGENT_MAX_GROUPS);
			break;
		}
		res = read_group(ctx, tgdir, name, &u->groups[u->n_groups]);
		if (res == AGENT_OK)
			u->n_groups++;
	}
	dir_scan_free(list, n);
	return res;
}

/* No device group named: every one, for a status overview only. */
static enum agent_result read_all_dgs(struct agent_ctx *ctx, const char *dgs,
				      struct unit_set *out)
{
	struct dirent **list;
	enum agent_result res;
	int n;

	res = dir_scan(ctx, dgs, &list, &n);
	if (res != AGENT_OK)
		return res;
	for (int i = 0; i < n && res == AGENT_OK; i++) {
		const char *name = list[i]->d_name;

		if (!S_ISDIR(entry_mode(dgs, name)))
			continue;	/* "mgmt" */
		if (!agent_name_valid(name)) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: device group with an unexpected "
					 "name", dgs);
			break;
		}
		if (out->n_units >= AGENT_MAX_UNITS) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: more than %d device groups; name "
					 "one with --device-group", dgs,
					 AGENT_MAX_UNITS);
			break;
		}
		res = read_dg(ctx, dgs, name, &out->units[out->n_units]);
		if (res == AGENT_OK)
			out->n_units++;
	}
	dir_scan_free(list, n);
	if (res == AGENT_OK && out->n_units == 0)
		res = agent_fail(ctx, AGENT_NOT_FOUND,
				 "no SCST device group under %s", dgs);
	return res;
}

static enum agent_result scst_discover(struct agent_ctx *ctx,
				       const struct agent_target *t,
				       struct unit_set *out)
{
	const char *root = t->root ? t->root : SCST_DEFAULT_ROOT;
	char dgs[PATH_MAX];
	struct alua_unit *u;
	enum agent_result res;

	out->n_units = 0;
	/* Group names belong to one device group: naming one needs it. */
	if (!t->device_group && (t->need_groups || t->local || t->remote))
		return agent_fail(ctx, AGENT_USAGE,
				  "the scst backend needs --device-group");
	if (!path_join(dgs, sizeof(dgs), root, "device_groups") ||
	    !S_ISDIR(entry_mode(root, "device_groups")))
		return agent_fail(ctx, AGENT_NOT_FOUND,
				  "no SCST device groups under %s "
				  "(is the scst module loaded?)", root);
	if (!t->device_group)
		return read_all_dgs(ctx, dgs, out);
	if (!S_ISDIR(entry_mode(dgs, t->device_group)))
		return agent_fail(ctx, AGENT_NOT_FOUND,
				  "device group '%s' not found under %s",
				  t->device_group, dgs);

	u = &out->units[0];
	res = read_dg(ctx, dgs, t->device_group, u);
	if (res != AGENT_OK)
		return res;
	u->local_idx = find_group(u, t->local);
	u->remote_idx = find_group(u, t->remote);
	if (t->local && u->local_idx < 0)
		return missing_group(ctx, u, t->local);
	if (t->remote && u->remote_idx < 0)
		return missing_group(ctx, u, t->remote);
	if (t->need_groups && (u->local_idx < 0 || u->remote_idx < 0))
		return agent_fail(ctx, AGENT_USAGE,
				  "name both --local and --remote groups");
	out->n_units = 1;
	return AGENT_OK;
}

static enum agent_result scst_check_state(struct agent_ctx *ctx,
					  const struct tgt_group *g,
					  enum alua_state state)
{
	if (state == ALUA_LBA_DEPENDENT)
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "target group '%s': SCST has no "
				  "lba-dependent state", g->name);
	return AGENT_OK;
}

static int scst_state_path(const struct tgt_group *g, char *buf, size_t len)
{
	return path_join(buf, len, g->path, "state") ? 0 : -1;
}

static enum agent_result scst_write_state(struct agent_ctx *ctx,
					  const struct tgt_group *g,
					  enum alua_state state)
{
	char path[PATH_MAX], text[32];
	const char *name = alua_state_scst_name(state);

	if (!name || state == ALUA_LBA_DEPENDENT)
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "no SCST name for state %u", state);
	if (scst_state_path(g, path, sizeof(path)) < 0)
		return agent_fail(ctx, AGENT_ERR, "path too long");
	snprintf(text, sizeof(text), "%s\n", name);
	return attr_write(ctx, path, text);
}

const struct backend backend_scst = {
	.name = "scst",
	.default_root = SCST_DEFAULT_ROOT,
	.discover = scst_discover,
	.check_state = scst_check_state,
	.state_path = scst_state_path,
	.write_state = scst_write_state,
};
