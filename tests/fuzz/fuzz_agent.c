/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target over what pathwarden-agent reads from the kernel: the
 * attribute files of SCST's sysfs and LIO's configfs, and the entry names
 * in their directories.  A made-up tree (tests/agent/fake_tree.c, under
 * /dev/shm when it exists) is laid once; each input then overwrites a
 * set of its attributes with raw bytes, may add one entry with a fuzzed
 * name, and runs the backend's discovery, the reports and the change
 * planner's checks on whatever was read.  Nothing is written back into
 * the tree by the agent: plan_apply is left out, the tree is the input.
 *
 * Input: byte 0 picks the backend and a few switches; then fields, each
 * a 2-byte little-endian length and that many bytes (a short tail is
 * taken as it is, missing fields are empty).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "agent.h"
#include "change_plan.h"
#include "fake_tree.h"
#include "group_report.h"
#include "sysfs_attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scst_root[PATH_MAX], lio_root[PATH_MAX];

static void remove_trees(void)
{
	if (scst_root[0])
		fake_rm_rf(scst_root);
	if (lio_root[0])
		fake_rm_rf(lio_root);
}

static void rm_rel(const char *root, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fake_rm_rf(path);
}

static void lay_trees(void)
{
	struct stat st;

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	fake_root(scst_root, sizeof(scst_root));
	fake_scst(scst_root, "active", "nonoptimized");
	fake_root(lio_root, sizeof(lio_root));
	fake_lio(lio_root);
	/* vg2 and iblock_0 repeat what vg1 has: reading them would only
	 * halve the executions a second.  Discovery over "every device"
	 * still walks the hba and device directories. */
	rm_rel(lio_root, "core/fileio_1/vg2");
	rm_rel(lio_root, "core/iblock_0");
	atexit(remove_trees);
	/* A sanitizer report ends the process without atexit handlers. */
	__sanitizer_set_death_callback(remove_trees);
}

struct fields {
	const uint8_t *p;
	size_t left;
};

/* The next field into buf as a C string (bytes after a NUL are kept in
 * *len for the attribute writer, the string stops there). */
static void next_field(struct fields *f, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	if (f->left >= 2) {
		n = (size_t)f->p[0] | (size_t)f->p[1] << 8;
		f->p += 2;
		f->left -= 2;
	} else {
		f->left = 0;
	}
	if (n > f->left)
		n = f->left;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(buf, f->p, n);
	buf[n] = '\0';
	f->p += n;
	f->left -= n;
	*len = n;
}

/* What each attribute holds now: most inputs change one field, and
 * skipping the rewrite of the others doubles the executions a second. */
struct held {
	size_t n;
	bool known;
	char bytes[ATTR_MAX + 16];
};
static struct held held_scst[7], held_lio[9];

/* Make root/rel hold exactly these bytes (NULs included). */
static void put_raw(const char *root, const char *rel, struct held *h,
		    const char *bytes, size_t n)
{
	char path[PATH_MAX];
	int fd;

	if (h->known && h->n == n && !memcmp(h->bytes, bytes, n))
		return;
	memcpy(h->bytes, bytes, n);
	h->n = n;
	h->known = true;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || (n && write(fd, bytes, n) != (ssize_t)n))
		abort();	/* a broken fixture is not a pass */
	close(fd);
}

/* Could this string be one directory entry?  (Not: is it a valid name.) */
static bool entry_name_ok(const char *s)
{
	return s[0] && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/') &&
	       strlen(s) <= 255;
}

static const char *const scst_attrs[7] = {
	SCST_TG "local/group_id", SCST_TG "local/preferred",
	SCST_TG "local/state", SCST_TG "remote/group_id",
	SCST_TG "remote/preferred", SCST_TG "remote/state",
	SCST_TG "remote/iqn.2016-02.local.virtual:hpms02.vg1/rel_tgt_id",
};

static const char *const lio_attrs[9] = {
	LIO_VG1 "hpms01/tg_pt_gp_id", LIO_VG1 "hpms01/alua_access_state",
	LIO_VG1 "hpms01/alua_access_type", LIO_VG1 "hpms01/preferred",
	LIO_VG1 "hpms01/members", LIO_VG1 "hpms01/alua_support_standby",
	LIO_VG1 "hpms02/tg_pt_gp_id", LIO_VG1 "hpms02/alua_access_state",
	LIO_VG1 "hpms02/members",
};

/* Everything the agent does with a tree short of writing to it. */
static void use_units(const struct backend *be, const char *root,
		      const struct unit_set *set, uint8_t sw)
{
	static struct change_plan plan;
	struct agent_ctx ctx = { { 0 } };
	static FILE *out;

	if (!out)
		out = fopen("/dev/null", "w");
	if (!out)
		abort();
	report_table(out, be, root, set);
	(void)report_json(out, be, root, set);
	fflush(out);

	plan_init(&plan, be);
	for (size_t i = 0; i < set->n_units; i++) {
		const struct alua_unit *u = &set->units[i];
		enum alua_state to = (enum alua_state)(sw >> 4);

		if (u->local_idx < 0 || !alua_state_valid(to))
			continue;
		if (plan_add(&ctx, &plan, u, &u->groups[u->local_idx], "local",
			     to, sw & 8) != AGENT_OK)
			return;
		if (u->remote_idx >= 0 &&
		    plan_add(&ctx, &plan, u, &u->groups[u->remote_idx],
			     "remote", ALUA_STANDBY, sw & 8) != AGENT_OK)
			return;
	}
	(void)plan_validate(&ctx, &plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct unit_set set;
	static char val[ATTR_MAX + 16];
	char extra[300], local[300], remote[300], rel[PATH_MAX];
	struct agent_ctx ctx = { { 0 } };
	struct agent_target t = { 0 };
	const struct backend *be;
	const char *const *attrs;
	struct held *held;
	const char *root;
	size_t n_attrs, n, extra_len;
	struct fields f;
	uint8_t sw;
	bool made = false;

	if (!scst_root[0])
		lay_trees();
	if (size < 1)
		return 0;
	sw = data[0];
	f.p = data + 1;
	f.left = size - 1;
	if (sw & 1) {
		be = &backend_lio;
		root = lio_root;
		attrs = lio_attrs;
		held = held_lio;
		n_attrs = sizeof(lio_attrs) / sizeof(lio_attrs[0]);
	} else {
		be = &backend_scst;
		root = scst_root;
		attrs = scst_attrs;
		held = held_scst;
		n_attrs = sizeof(scst_attrs) / sizeof(scst_attrs[0]);
	}
	for (size_t i = 0; i < n_attrs; i++) {
		next_field(&f, val, sizeof(val), &n);
		put_raw(root, attrs[i], &held[i], val, n);
	}
	/* One more entry, named by the input: a member target (SCST) or a
	 * target port group (LIO) the kernel would never show by that name. */
	next_field(&f, extra, sizeof(extra), &extra_len);
	if (strlen(extra) == extra_len && entry_name_ok(extra)) {
		snprintf(rel, sizeof(rel), "%s/%s%s", root,
			 be == &backend_lio ? LIO_VG1 : SCST_TG "remote/",
			 extra);
		made = mkdir(rel, 0755) == 0;
	}
	/* The names a person gives, checked as main() checks them. */
	next_field(&f, local, sizeof(local), &n);
	next_field(&f, remote, sizeof(remote), &n);
	t.root = root;
	t.need_groups = sw & 2;
	t.local = (sw & 4) && agent_name_valid(local) ? local :
		  be == &backend_lio ? "hpms01" : "local";
	t.remote = (sw & 4) && agent_name_valid(remote) ? remote :
		   be == &backend_lio ? "hpms02" : "remote";
	if (be == &backend_lio)
		t.device = (sw & 2) ? "fileio_1/vg1" : NULL;
	else
		t.device_group = "esos";

	if (be->discover(&ctx, &t, &set) == AGENT_OK)
		use_units(be, root, &set, sw);
	if (memchr(ctx.err, '\0', sizeof(ctx.err)) == NULL)
		abort();	/* the message must stay a string */
	if (made && rmdir(rel) != 0)
		abort();
	return 0;
}
