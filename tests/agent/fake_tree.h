/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Made-up SCST sysfs and LIO configfs trees for the agent's unit tests,
 * laid out as the kernel code lays them out (see mktree.sh for the shell
 * twin).  Every helper aborts on failure: a broken fixture is not a pass.
 */
#ifndef PATHWARDEN_TEST_FAKE_TREE_H
#define PATHWARDEN_TEST_FAKE_TREE_H

#include <stddef.h>

/* A fresh directory under $TMPDIR (or /tmp); root gets its path. */
void fake_root(char *root, size_t len);
void fake_rm_rf(const char *root);

void fake_put(const char *root, const char *rel, const char *text);
/* n bytes as they are, NULs included. */
void fake_put_bytes(const char *root, const char *rel, const void *buf,
		    size_t n);
/* Content of root/rel, or "" when absent. */
const char *fake_get(const char *root, const char *rel, char *buf, size_t len);
void fake_mkdir(const char *root, const char *rel);
void fake_symlink(const char *root, const char *rel, const char *target);
void fake_unlink(const char *root, const char *rel);

/* hpms01's view of the seed cluster: device group esos, groups local
 * (id 1, hpms01's target) and remote (id 2, hpms02's by rel_tgt_id). */
void fake_scst(const char *root, const char *local_state,
	       const char *remote_state);
#define SCST_TG "device_groups/esos/target_groups/"

/* Lab node 1: fileio_1/vg1 and fileio_1/vg2, each with default_tg_pt_gp,
 * hpms01 (id 1, AO, member) and hpms02 (id 2, ANO); iblock_0/other with
 * only the default group. */
void fake_lio(const char *root);
#define LIO_VG1 "core/fileio_1/vg1/alua/"
#define LIO_VG2 "core/fileio_1/vg2/alua/"

#endif
