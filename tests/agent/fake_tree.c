/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_tree.h"

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fake_tree: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

static void join(char *buf, size_t len, const char *root, const char *rel)
{
	if ((size_t)snprintf(buf, len, "%s/%s", root, rel) >= len)
		die("path too long", rel);
}

void fake_root(char *root, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	if ((size_t)snprintf(root, len, "%s/pw-agent-XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= len)
		die("path too long", "TMPDIR");
	if (!mkdtemp(root))
		die("mkdtemp", root);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

void fake_rm_rf(const char *root)
{
	if (nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("remove", root);
}

static void mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("mkdir", path);
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("mkdir", path);
}

static void parent_dirs(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir_p(dir);
	}
}

void fake_mkdir(const char *root, const char *rel)
{
	char path[PATH_MAX];

	join(path, sizeof(path), root, rel);
	mkdir_p(path);
}

void fake_put_bytes(const char *root, const char *rel, const void *buf,
		    size_t n)
{
	char path[PATH_MAX];
	FILE *f;

	join(path, sizeof(path), root, rel);
	parent_dirs(path);
	f = fopen(path, "w");
	if (!f)
		die("create", path);
	if (fwrite(buf, 1, n, f) != n || fclose(f) != 0)
		die("write", path);
}

void fake_put(const char *root, const char *rel, const char *text)
{
	fake_put_bytes(root, rel, text, strlen(text));
}

const char *fake_get(const char *root, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n = 0;
	FILE *f;

	join(path, sizeof(path), root, rel);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void fake_symlink(const char *root, const char *rel, const char *target)
{
	char path[PATH_MAX];

	join(path, sizeof(path), root, rel);
	parent_dirs(path);
	if (symlink(target, path) < 0)
		die("symlink", path);
}

void fake_unlink(const char *root, const char *rel)
{
	char path[PATH_MAX];

	join(path, sizeof(path), root, rel);
	if (unlink(path) < 0 && rmdir(path) < 0)
		die("remove", path);
}

void fake_scst(const char *root, const char *local_state,
	       const char *remote_state)
{
	static const char t1[] = "iqn.2016-02.local.virtual:hpms01.vg1";
	static const char t2[] = "iqn.2016-02.local.virtual:hpms02.vg1";
	char rel[PATH_MAX], text[64], target[PATH_MAX];

	snprintf(rel, sizeof(rel), "targets/iscsi/%s/rel_tgt_id", t1);
	fake_put(root, rel, "1\n[key]\n");
	fake_mkdir(root, "devices/vg1");
	fake_symlink(root, "device_groups/esos/devices/vg1",
		     "../../../devices/vg1");
	fake_put(root, SCST_TG "mgmt", "Usage: echo \"add group\" >mgmt\n");

	fake_put(root, SCST_TG "local/group_id", "1\n[key]\n");
	fake_put(root, SCST_TG "local/preferred", "0\n");
	snprintf(text, sizeof(text), "%s\n[key]\n", local_state);
	fake_put(root, SCST_TG "local/state", text);
	fake_put(root, SCST_TG "local/mgmt", "Usage\n");
	snprintf(rel, sizeof(rel), SCST_TG "local/%s", t1);
	snprintf(target, sizeof(target), "../../../../targets/iscsi/%s", t1);
	fake_symlink(root, rel, target);

	fake_put(root, SCST_TG "remote/group_id", "2\n[key]\n");
	fake_put(root, SCST_TG "remote/preferred", "1\n[key]\n");
	snprintf(text, sizeof(text), "%s\n[key]\n", remote_state);
	fake_put(root, SCST_TG "remote/state", text);
	fake_put(root, SCST_TG "remote/mgmt", "Usage\n");
	snprintf(rel, sizeof(rel), SCST_TG "remote/%s/rel_tgt_id", t2);
	fake_put(root, rel, "2\n[key]\n");
}

static void lio_group(const char *root, const char *dev, const char *name,
		      const char *id, const char *state, const char *member)
{
	static const char *const sup[] = {
		"active_optimized", "active_nonoptimized", "standby",
		"unavailable", "offline", "transitioning",
	};
	char rel[PATH_MAX], text[512];

#define LIO_PUT(file, value) do { \
		snprintf(rel, sizeof(rel), "%s/alua/%s/%s", dev, name, file); \
		fake_put(root, rel, value); \
	} while (0)
	snprintf(text, sizeof(text), "%s\n", id);
	LIO_PUT("tg_pt_gp_id", text);
	snprintf(text, sizeof(text), "%s\n", state);
	LIO_PUT("alua_access_state", text);
	LIO_PUT("alua_access_type", "Implicit\n");
	LIO_PUT("alua_access_status", "None\n");
	LIO_PUT("preferred", "0\n");
	LIO_PUT("trans_delay_msecs", "0\n");
	for (size_t i = 0; i < sizeof(sup) / sizeof(sup[0]); i++) {
		char file[64];

		snprintf(file, sizeof(file), "alua_support_%s", sup[i]);
		LIO_PUT(file, "1\n");
	}
	LIO_PUT("alua_support_lba_dependent", "0\n");
	/* As LIO shows it: each line followed by the NUL it counted in. */
	if (member) {
		int n = snprintf(text, sizeof(text), "%s\n", member);

		snprintf(rel, sizeof(rel), "%s/alua/%s/members", dev, name);
		fake_put_bytes(root, rel, text, (size_t)n + 1);
	} else {
		LIO_PUT("members", "");
	}
#undef LIO_PUT
}

void fake_lio(const char *root)
{
	static const char *const devs[] = { "vg1", "vg2" };

	fake_mkdir(root, "core/alua/lu_gps/default_lu_gp");
	fake_put(root, "core/fileio_1/hba_info", "HBA Index: 1\n");
	for (size_t i = 0; i < 2; i++) {
		char dev[PATH_MAX], member[256];

		snprintf(dev, sizeof(dev), "core/fileio_1/%s", devs[i]);
		snprintf(member, sizeof(member),
			 "iSCSI/iqn.2016-02.local.virtual:hpms01.%s/tpgt_1/lun_0",
			 devs[i]);
		lio_group(root, dev, "default_tg_pt_gp", "0", "0", NULL);
		lio_group(root, dev, "hpms01", "1", "0", member);
		lio_group(root, dev, "hpms02", "2", "1", NULL);
	}
	lio_group(root, "core/iblock_0/other", "default_tg_pt_gp", "0", "0",
		  NULL);
}
