/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PATHWARDEN_AGENT_GROUP_REPORT_H
#define PATHWARDEN_AGENT_GROUP_REPORT_H

#include <stdio.h>

#include "agent.h"

/* One line per group: role, name, id, state, preferred, access, members. */
void report_table(FILE *out, const struct backend *be, const char *root,
		  const struct unit_set *set);
/* The same as one JSON document; -1 when it could not be written. */
int report_json(FILE *out, const struct backend *be, const char *root,
		const struct unit_set *set);
/* A state as the backend's users spell it ("active", "active/optimized"). */
const char *report_state_text(const struct backend *be, enum alua_state s);

#endif
