/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings about a host's multipath/iSCSI set-up, each with its fix. */
#ifndef PW_MONITOR_DOCTOR_H
#define PW_MONITOR_DOCTOR_H

#include <stdio.h>

#include "topology.h"

enum finding_sev { SEV_INFO, SEV_WARN, SEV_HAZARD };

struct finding {
	enum finding_sev sev;
	char id[32];		/* stable keyword, e.g. "detect-prio" */
	char subject[128];	/* map, node or path it is about */
	char what[384];
	char fix[768];		/* commands naming a target twice fit */
};

struct findings {
	size_t n, cap;
	struct finding *f;
};

/* @root prefixes file checks (/lib/multipath/...), as for sysfs. */
void doctor_run(const struct pw_view *v, const struct pw_conf *conf,
		const char *root, struct findings *out);
void findings_free(struct findings *f);
void findings_print(const struct findings *f, FILE *out);
int findings_print_json(const struct findings *f, FILE *out);
const char *finding_sev_name(enum finding_sev s);

#endif
