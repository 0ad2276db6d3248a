/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one name table for ALUA states. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pathwarden/alua.h"

struct state_names {
	enum alua_state state;
	const char *name;	/* SPC */
	const char *abbrev;
	const char *scst;	/* SCST sysfs "state" spelling */
};

static const struct state_names state_table[] = {
	{ ALUA_ACTIVE_OPTIMIZED, "active/optimized", "AO", "active" },
	{ ALUA_ACTIVE_NONOPTIMIZED, "active/non-optimized", "ANO",
	  "nonoptimized" },
	{ ALUA_STANDBY, "standby", "SBY", "standby" },
	{ ALUA_UNAVAILABLE, "unavailable", "UNAV", "unavailable" },
	/* SCST has no LBA-dependent state (scst_tg.c): no sysfs name */
	{ ALUA_LBA_DEPENDENT, "lba-dependent", "LBD", NULL },
	{ ALUA_OFFLINE, "offline", "OFFL", "offline" },
	{ ALUA_TRANSITIONING, "transitioning", "TRANS", "transitioning" },
};

#define N_STATES (sizeof(state_table) / sizeof(state_table[0]))

static const struct state_names *lookup(enum alua_state state)
{
	for (size_t i = 0; i < N_STATES; i++)
		if (state_table[i].state == state)
			return &state_table[i];
	return NULL;
}

const char *alua_state_name(enum alua_state state)
{
	const struct state_names *s = lookup(state);

	return s ? s->name : NULL;
}

const char *alua_state_abbrev(enum alua_state state)
{
	const struct state_names *s = lookup(state);

	return s ? s->abbrev : NULL;
}

const char *alua_state_scst_name(enum alua_state state)
{
	const struct state_names *s = lookup(state);

	return s ? s->scst : NULL;
}

bool alua_state_valid(unsigned int value)
{
	return value <= 0xf && lookup((enum alua_state)value) != NULL;
}

bool alua_state_usable(enum alua_state state)
{
	/*
	 * Transitioning passes I/O in Linux since commit 6056a92ceb2a, but
	 * the target answers it NOT READY until the transition ends: not
	 * a state to send I/O to while another group can take it.
	 */
	return state == ALUA_ACTIVE_OPTIMIZED ||
	       state == ALUA_ACTIVE_NONOPTIMIZED ||
	       state == ALUA_LBA_DEPENDENT;
}

bool alua_state_parse(const char *text, enum alua_state *state)
{
	char *end;
	unsigned long v;

	if (!text || !*text)
		return false;
	for (size_t i = 0; i < N_STATES; i++) {
		const struct state_names *s = &state_table[i];

		if (!strcasecmp(text, s->name) || !strcasecmp(text, s->abbrev) ||
		    (s->scst && !strcasecmp(text, s->scst))) {
			*state = s->state;
			return true;
		}
	}
	/* Common alternative spellings seen in the field. */
	if (!strcasecmp(text, "optimized") ||
	    !strcasecmp(text, "active/optimised")) {
		*state = ALUA_ACTIVE_OPTIMIZED;
		return true;
	}
	if (!strcasecmp(text, "non-optimized") ||
	    !strcasecmp(text, "active/nonoptimized")) {
		*state = ALUA_ACTIVE_NONOPTIMIZED;
		return true;
	}
	if (!strcasecmp(text, "lba_dependent")) {	/* LIO's attribute name */
		*state = ALUA_LBA_DEPENDENT;
		return true;
	}
	if (text[0] < '0' || text[0] > '9')
		return false;
	v = strtoul(text, &end, 0);
	if (*end || !alua_state_valid(v))
		return false;
	*state = (enum alua_state)v;
	return true;
}
