/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LIO backend: configfs core/<hba>/<dev>/alua/<tg_pt_gp>/ with
 * alua_access_state (a number), alua_access_type ("Implicit", ...),
 * preferred, tg_pt_gp_id (empty until set), members (one
 * "<fabric>/<wwn>/tpgt_<n>/<lun>" per line) and alua_support_<state>.
 *
 * In the lab each node has its own device carrying both groups, and a node
 * may have several; a unit here is one device.  With no --device, every
 * device that has the named groups is a unit, so one call keeps all LUNs
 * of the node consistent; --device HBA narrows that to one HBA's devices
 * (the lab's node with several LUNs: its devices under its own HBA, the
 * peer's, which carry the same groups, under another).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "agent.h"
#include "sysfs_attr.h"

#define LIO_DEFAULT_ROOT "/sys/kernel/config/target"

/* configfs file per supported-state bit (target_core_configfs.c). */
static const struct {
	const char *file;
	uint8_t bit;
} support_files[] = {
	{ "alua_support_active_optimized", ALUA_SUP_AO },
	{ "alua_support_active_nonoptimized", ALUA_SUP_ANO },
	{ "alua_support_standby", ALUA_SUP_STANDBY },
	{ "alua_support_unavailable", ALUA_SUP_UNAVAILABLE },
	{ "alua_support_lba_dependent", ALUA_SUP_LBA_DEPENDENT },
	{ "alua_support_offline", ALUA_SUP_OFFLINE },
	{ "alua_support_transitioning", ALUA_SUP_TRANSITIONING },
};

/* The kernel's default for a new group: everything but lba-dependent. */
#define LIO_DEFAULT_SUPPORT (ALUA_SUP_AO | ALUA_SUP_ANO | ALUA_SUP_STANDBY | \
			     ALUA_SUP_UNAVAILABLE | ALUA_SUP_OFFLINE | \
			     ALUA_SUP_TRANSITIONING)

static uint8_t support_bit(enum alua_state state)
{
	switch (state) {
	case ALUA_ACTIVE_OPTIMIZED:
		return ALUA_SUP_AO;
	case ALUA_ACTIVE_NONOPTIMIZED:
		return ALUA_SUP_ANO;
	case ALUA_STANDBY:
		return ALUA_SUP_STANDBY;
	case ALUA_UNAVAILABLE:
		return ALUA_SUP_UNAVAILABLE;
	case ALUA_LBA_DEPENDENT:
		return ALUA_SUP_LBA_DEPENDENT;
	case ALUA_OFFLINE:
		return ALUA_SUP_OFFLINE;
	case ALUA_TRANSITIONING:
		return ALUA_SUP_TRANSITIONING;
	}
	return 0;
}

static bool join3(char *buf, size_t len, const char *a, const char *b,
		  const char *c)
{
	int n = snprintf(buf, len, "%s/%s/%s", a, b, c);

	return n > 0 && (size_t)n < len;
}

static enum agent_result read_access_type(struct agent_ctx *ctx,
					  const char *path, uint8_t *type)
{
	char line[64];
	enum agent_result res = attr_read_line(ctx, path, line, sizeof(line));

	if (res != AGENT_OK)
		return res;
	if (!strcmp(line, "Implicit and Explicit"))
		*type = ALUA_TPGS_BOTH;
	else if (!strcmp(line, "Implicit"))
		*type = ALUA_TPGS_IMPLICIT;
	else if (!strcmp(line, "Explicit"))
		*type = ALUA_TPGS_EXPLICIT;
	else if (!strcmp(line, "None"))
		*type = ALUA_TPGS_NONE;
	else
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: unknown access type '%s'", path, line);
	return AGENT_OK;
}

/* A members line: printable, no blank, bounded. */
static bool member_valid(const char *s, size_t n)
{
	if (n == 0 || n > AGENT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

static enum agent_result read_members(struct agent_ctx *ctx,
				      struct tgt_group *g)
{
	char path[PATH_MAX], buf[ATTR_MAX];
	enum agent_result res;
	size_t got;
	char *p;

	if (!path_join(path, sizeof(path), g->path, "members"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_bytes(ctx, path, buf, sizeof(buf), &got);
	if (res != AGENT_OK)
		return res;
	/*
	 * LIO's members_show() copies each line with the string terminator
	 * it counted in (Linux 6.1 target_core_configfs.c): the page reads
	 * "line\n\0line\n\0".  Drop exactly those; any other NUL is bad data.
	 */
	for (size_t i = 0, o = 0; i <= got; i++) {
		if (i < got && buf[i] == '\0') {
			if (i == 0 || buf[i - 1] != '\n')
				return agent_fail(ctx, AGENT_BAD_DATA,
						  "%s: holds a NUL byte", path);
			continue;
		}
		buf[o++] = buf[i];
	}
	for (p = buf; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct tg_member *m;

		if (!member_valid(p, n))
			return agent_fail(ctx, AGENT_BAD_DATA,
					  "%s: unexpected member line", path);
		g->members_total++;
		if (g->n_members < AGENT_MAX_MEMBERS) {
			m = &g->members[g->n_members++];
			memcpy(m->name, p, n);
			m->name[n] = '\0';
			m->local = true;	/* LIO lists only its own LUNs */
		}
		p += n + (nl ? 1 : 0);
	}
	return AGENT_OK;
}

static enum agent_result read_group(struct agent_ctx *ctx, const char *aluadir,
				    const char *name, bool state_only,
				    struct tgt_group *g)
{
	char path[PATH_MAX];
	unsigned long v;
	bool empty;
	enum agent_result res;

	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	if (!path_join(g->path, sizeof(g->path), aluadir, name))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");

	if (!path_join(path, sizeof(path), g->path, "tg_pt_gp_id"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_uint(ctx, path, 0, 0xffff, true, &v, &empty);
	if (res != AGENT_OK)
		return res;
	g->group_id = (uint16_t)v;
	g->id_set = !empty;

	if (!path_join(path, sizeof(path), g->path, "alua_access_state"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = attr_read_uint(ctx, path, 0, 0xf, false, &v, NULL);
	if (res != AGENT_OK)
		return res;
	if (!alua_state_valid((unsigned int)v))
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "%s: %lu is not an ALUA state", path, v);
	g->state = (enum alua_state)v;

	if (!state_only) {
		if (!path_join(path, sizeof(path), g->path, "preferred"))
			return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
		res = attr_read_uint(ctx, path, 0, 1, false, &v, NULL);
		if (res != AGENT_OK)
			return res;
		g->preferred = v;
	}

	if (!path_join(path, sizeof(path), g->path, "alua_access_type"))
		return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
	res = read_access_type(ctx, path, &g->access_type);
	if (res != AGENT_OK)
		return res;

	/* Older kernels lack the alua_support_* files: assume the default
	 * (read at once, not looked up first: one open, not two). */
	g->supported = LIO_DEFAULT_SUPPORT;
	for (size_t i = 0; i < sizeof(support_files) / sizeof(support_files[0]);
	     i++) {
		if (!path_join(path, sizeof(path), g->path,
			       support_files[i].file))
			return agent_fail(ctx, AGENT_BAD_DATA, "path too long");
		res = attr_read_uint(ctx, path, 0, 1, false, &v, NULL);
		if (res == AGENT_NOT_FOUND)
			continue;
		if (res != AGENT_OK)
			return res;
		if (v)
			g->supported |= support_files[i].bit;
		else
			g->supported &= (uint8_t)~support_files[i].bit;
	}
	ctx->err[0] = '\0';	/* a support file absent is no error */
	return state_only ? AGENT_OK : read_members(ctx, g);
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

/* The named groups of a unit only (agent_target.state_only); one that
 * is not there is left for the caller to report as not found. */
static enum agent_result read_named(struct agent_ctx *ctx, const char *aluadir,
				    const struct agent_target *t,
				    struct alua_unit *u)
{
	const char *names[2] = { t->local, t->remote };
	enum agent_result res;

	for (size_t i = 0; i < 2; i++) {
		if (!names[i] || !agent_name_valid(names[i]) ||
		    (i == 1 && names[0] && !strcmp(names[0], names[1])) ||
		    !S_ISDIR(entry_mode(aluadir, names[i])))
			continue;
		res = read_group(ctx, aluadir, names[i], true,
				 &u->groups[u->n_groups]);
		if (res != AGENT_OK)
			return res;
		u->n_groups++;
	}
	return AGENT_OK;
}

static enum agent_result read_unit(struct agent_ctx *ctx, const char *core,
				   const char *hba, const char *dev,
				   const struct agent_target *t,
				   struct alua_unit *u)
{
	char aluadir[PATH_MAX];
	struct dirent **list;
	enum agent_result res;
	int n;

	memset(u, 0, sizeof(*u));
	u->local_idx = u->remote_idx = -1;
	snprintf(u->name, sizeof(u->name), "%s/%s", hba, dev);
	if (!join3(u->path, sizeof(u->path), core, hba, dev) ||
	    !path_join(aluadir, sizeof(aluadir), u->path, "alua"))
		return agent_fail(ctx, AGENT_USAGE, "path too long");
	if (t->state_only)
		return read_named(ctx, aluadir, t, u);
	res = dir_scan(ctx, aluadir, &list, &n);
	if (res != AGENT_OK)
		return res;
	for (int i = 0; i < n && res == AGENT_OK; i++) {
		const char *name = list[i]->d_name;

		if (!S_ISDIR(entry_mode(aluadir, name)))
			continue;
		if (!agent_name_valid(name)) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: group with an unexpected name",
					 aluadir);
			break;
		}
		if (u->n_groups >= AGENT_MAX_GROUPS) {
			res = agent_fail(ctx, AGENT_BAD_DATA,
					 "%s: more than %d groups", aluadir,
					 AGENT_MAX_GROUPS);
			break;
		}
		res = read_group(ctx, aluadir, name, false,
				 &u->groups[u->n_groups]);
		if (res == AGENT_OK)
			u->n_groups++;
	}
	dir_scan_free(list, n);
	return res;
}

/* Has the device every group the caller named? */
static bool unit_has_groups(const char *devpath, const struct agent_target *t)
{
	char aluadir[PATH_MAX];

	if (!path_join(aluadir, sizeof(aluadir), devpath, "alua") ||
	    !S_ISDIR(entry_mode(devpath, "alua")))
		return false;
	if (t->local && !S_ISDIR(entry_mode(aluadir, t->local)))
		return false;
	if (t->remote && !S_ISDIR(entry_mode(aluadir, t->remote)))
		return false;
	return true;
}

static enum agent_result add_unit(struct agent_ctx *ctx, const char *core,
				  const char *hba, const char *dev,
				  const struct agent_target *t,
				  struct unit_set *out)
{
	struct alua_unit *u;
	enum agent_result res;

	if (out->n_units >= AGENT_MAX_UNITS)
		return agent_fail(ctx, AGENT_BAD_DATA,
				  "more than %d LIO devices with these groups; "
				  "name one with --device", AGENT_MAX_UNITS);
	u = &out->units[out->n_units];
	res = read_unit(ctx, core, hba, dev, t, u);
	if (res != AGENT_OK)
		return res;
	u->local_idx = find_group(u, t->local);
	u->remote_idx = find_group(u, t->remote);
	out->n_units++;
	return AGENT_OK;
}

/* Every device of @hba that has the named groups, as units. */
static enum agent_result scan_hba(struct agent_ctx *ctx, const char *core,
				  const char *hba,
				  const struct agent_target *t,
				  struct unit_set *out)
{
	char hbapath[PATH_MAX], devpath[PATH_MAX];
	struct dirent **devs;
	enum agent_result res;
	int nd;

	if (!path_join(hbapath, sizeof(hbapath), core, hba))
		return AGENT_OK;
	res = dir_scan(ctx, hbapath, &devs, &nd);
	if (res != AGENT_OK)
		return res;
	for (int j = 0; j < nd && res == AGENT_OK; j++) {
		const char *dev = devs[j]->d_name;

		if (!S_ISDIR(entry_mode(hbapath, dev)) ||
		    !agent_name_valid(dev) ||
		    !path_join(devpath, sizeof(devpath), hbapath, dev) ||
		    !unit_has_groups(devpath, t))
			continue;
		res = add_unit(ctx, core, hba, dev, t, out);
	}
	dir_scan_free(devs, nd);
	return res;
}

/* AGENT_OK when a scan under @where found a unit, else why not. */
static enum agent_result no_units(struct agent_ctx *ctx, const char *where,
				  const struct agent_target *t,
				  const struct unit_set *out)
{
	if (out->n_units == 0) {
		if (t->local || t->remote)
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "no LIO device under %s has the "
					  "group%s %s%s%s", where,
					  t->local && t->remote ? "s" : "",
					  t->local ? t->local : "",
					  t->local && t->remote ? " and " : "",
					  t->remote ? t->remote : "");
		return agent_fail(ctx, AGENT_NOT_FOUND,
				  "no LIO device under %s has ALUA groups",
				  where);
	}
	return AGENT_OK;
}

static enum agent_result lio_discover(struct agent_ctx *ctx,
				      const struct agent_target *t,
				      struct unit_set *out)
{
	const char *root = t->root ? t->root : LIO_DEFAULT_ROOT;
	char core[PATH_MAX], devpath[PATH_MAX];
	struct dirent **hbas;
	enum agent_result res = AGENT_OK;
	int nh;

	out->n_units = 0;
	if (!path_join(core, sizeof(core), root, "core") ||
	    !S_ISDIR(entry_mode(root, "core")))
		return agent_fail(ctx, AGENT_NOT_FOUND,
				  "no LIO configfs under %s (is target_core_mod "
				  "loaded and configfs mounted?)", root);
	if (t->need_groups && (!t->local || !t->remote))
		return agent_fail(ctx, AGENT_USAGE,
				  "name both --local and --remote groups");

	if (t->device && strchr(t->device, '/')) {
		char hba[AGENT_NAME_MAX + 1], dev[AGENT_NAME_MAX + 1];
		const char *slash = strchr(t->device, '/');
		size_t hl = slash ? (size_t)(slash - t->device) : 0;

		if (!slash || hl > AGENT_NAME_MAX ||
		    strlen(slash + 1) > AGENT_NAME_MAX)
			return agent_fail(ctx, AGENT_USAGE,
					  "--device wants HBA/DEVICE, as in "
					  "fileio_1/vg1");
		memcpy(hba, t->device, hl);
		hba[hl] = '\0';
		snprintf(dev, sizeof(dev), "%s", slash + 1);
		if (!agent_name_valid(hba) || !agent_name_valid(dev))
			return agent_fail(ctx, AGENT_USAGE,
					  "--device wants HBA/DEVICE, as in "
					  "fileio_1/vg1");
		if (!join3(devpath, sizeof(devpath), core, hba, dev) ||
		    !S_ISDIR(entry_mode(core, hba)) ||
		    !S_ISDIR(entry_mode(core, t->device)))
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "LIO device %s not found under %s",
					  t->device, core);
		if (!S_ISDIR(entry_mode(devpath, "alua")))
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "LIO device %s has no alua directory",
					  t->device);
		res = add_unit(ctx, core, hba, dev, t, out);
		if (res != AGENT_OK)
			return res;
		if (t->local && out->units[0].local_idx < 0)
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "group '%s' not found on LIO device "
					  "%s", t->local, t->device);
		if (t->remote && out->units[0].remote_idx < 0)
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "group '%s' not found on LIO device "
					  "%s", t->remote, t->device);
		return AGENT_OK;
	}

	if (t->device) {
		/* --device HBA: that HBA's devices with the groups */
		if (!agent_name_valid(t->device) || !strcmp(t->device, "alua"))
			return agent_fail(ctx, AGENT_USAGE,
					  "--device wants HBA/DEVICE or HBA, "
					  "as in fileio_1/vg1 or fileio_1");
		if (!S_ISDIR(entry_mode(core, t->device)))
			return agent_fail(ctx, AGENT_NOT_FOUND,
					  "LIO HBA %s not found under %s",
					  t->device, core);
		res = scan_hba(ctx, core, t->device, t, out);
		if (res != AGENT_OK)
			return res;
		if (!path_join(devpath, sizeof(devpath), core, t->device))
			return agent_fail(ctx, AGENT_USAGE, "path too long");
		return no_units(ctx, devpath, t, out);
	}
	res = dir_scan(ctx, core, &hbas, &nh);
	if (res != AGENT_OK)
		return res;
	for (int i = 0; i < nh && res == AGENT_OK; i++) {
		const char *hba = hbas[i]->d_name;

		/* core/alua holds LU groups, not an HBA. */
		if (!strcmp(hba, "alua") || !S_ISDIR(entry_mode(core, hba)) ||
		    !agent_name_valid(hba))
			continue;
		res = scan_hba(ctx, core, hba, t, out);
	}
	dir_scan_free(hbas, nh);
	if (res != AGENT_OK)
		return res;
	return no_units(ctx, core, t, out);
}

static enum agent_result lio_check_state(struct agent_ctx *ctx,
					 const struct tgt_group *g,
					 enum alua_state state)
{
	/* target_tg_pt_gp_alua_access_state_store() refuses these. */
	if (!g->id_set)
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "group '%s' has no tg_pt_gp_id; LIO refuses "
				  "state changes until one is set", g->name);
	if (!(g->access_type & ALUA_TPGS_IMPLICIT))
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "group '%s' does not allow implicit ALUA "
				  "changes (alua_access_type must be 1 or 3)",
				  g->name);
	if (state == ALUA_LBA_DEPENDENT && (g->access_type & ALUA_TPGS_EXPLICIT))
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "group '%s': LIO refuses lba-dependent while "
				  "explicit ALUA is enabled", g->name);
	if (!(g->supported & support_bit(state)))
		return agent_fail(ctx, AGENT_UNSUPPORTED,
				  "group '%s' does not support the %s state "
				  "(alua_support_* is 0)", g->name,
				  alua_state_name(state));
	return AGENT_OK;
}

static int lio_state_path(const struct tgt_group *g, char *buf, size_t len)
{
	return path_join(buf, len, g->path, "alua_access_state") ? 0 : -1;
}

static enum agent_result lio_write_state(struct agent_ctx *ctx,
					 const struct tgt_group *g,
					 enum alua_state state)
{
	char path[PATH_MAX], text[16];

	if (lio_state_path(g, path, sizeof(path)) < 0)
		return agent_fail(ctx, AGENT_ERR, "path too long");
	snprintf(text, sizeof(text), "%u\n", (unsigned int)state);
	return attr_write(ctx, path, text);
}

const struct backend backend_lio = {
	.name = "lio",
	.default_root = LIO_DEFAULT_ROOT,
	.discover = lio_discover,
	.check_state = lio_check_state,
	.state_path = lio_state_path,
	.write_state = lio_write_state,
};
