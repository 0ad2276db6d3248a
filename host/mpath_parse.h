/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsers for what multipathd answers: "show maps json" (the topology with
 * path groups) and "show config" (the merged configuration).  Kept apart
 * from the socket so tests feed captured outputs.
 */
#ifndef PW_HOST_MPATH_PARSE_H
#define PW_HOST_MPATH_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct mp_path {
	char dev[32];
	char devt[16];
	char dm_st[16];		/* active, failed, undef */
	char dev_st[16];	/* running, offline */
	char chk_st[24];	/* ready, ghost, faulty, shaky, i/o pending */
	char checker[32];
	int pri;
	unsigned int group;	/* 1-based, as switchgroup counts */
	/* the states above, read once */
	bool dm_active;		/* dm sends I/O to it */
	bool dm_failed;		/* dm failed it */
	bool chk_up;		/* its checker: ready, ghost, pending, delayed */
	bool chk_ghost;		/* its checker: ghost */
};

struct mp_group {
	unsigned int num;	/* 1-based */
	char selector[64];
	int pri;
	char dm_st[16];		/* active, enabled, disabled */
	size_t first_path, n_paths;	/* into mp_map.paths */
};

struct mp_map {
	char name[128];
	char uuid[128];
	char sysfs[32];		/* dm-N */
	char failback[32];
	char queueing[32];
	char dm_st[16];
	char features[128];
	char hwhandler[64];
	char vend[16];
	char prod[32];
	int switch_grp;
	int path_faults;
	size_t n_groups;
	struct mp_group *groups;
	size_t n_paths;
	struct mp_path *paths;
};

struct mp_topology {
	size_t n_maps;
	struct mp_map *maps;
};

/* Returns false with a message in @err for anything malformed. */
bool mp_parse_maps_json(const char *text, struct mp_topology *out, char *err,
			size_t errlen);
void mp_topology_free(struct mp_topology *t);
const struct mp_map *mp_find_map(const struct mp_topology *t,
				 const char *name);
/* The group dm is using (dm_st "active"), 0 when none. */
unsigned int mp_active_group(const struct mp_map *m);

/* "show config": sections of key/value pairs. */
struct mpconf_kv {
	char key[40];
	char val[160];
};

struct mpconf_section {
	char kind[16];		/* defaults, device, overrides, multipath */
	size_t n;
	struct mpconf_kv *kv;
	/* a device section's vendor and product patterns, compiled once
	 * by mpconf_parse (mpath_parse.c); NULL in other sections */
	struct mpconf_device_match *match;
};

struct mpconf {
	size_t n;
	struct mpconf_section *sec;
};

bool mpconf_parse(const char *text, struct mpconf *out, char *err,
		  size_t errlen);
void mpconf_free(struct mpconf *c);
/*
 * Effective value of @key for a device, as multipathd merges it:
 * overrides, then the matching device entries (the last one listed wins:
 * user entries follow the built-in table in "show config"), then defaults.
 * NULL when unset anywhere.  @from, when not NULL, gets the section kind.
 */
const char *mpconf_get(const struct mpconf *c, const char *vendor,
		       const char *product, const char *key,
		       const char **from);

#endif
