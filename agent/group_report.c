/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The status report: a table for people, JSON (json-c) for programs. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "group_report.h"

static const char *role_of(const struct alua_unit *u, size_t i)
{
	if ((int)i == u->local_idx)
		return "local";
	if ((int)i == u->remote_idx)
		return "remote";
	return NULL;
}

static const char *access_name(uint8_t type)
{
	switch (type) {
	case ALUA_TPGS_IMPLICIT:
		return "implicit";
	case ALUA_TPGS_EXPLICIT:
		return "explicit";
	case ALUA_TPGS_BOTH:
		return "implicit+explicit";
	default:
		return "none";
	}
}

/* The backend's own spelling: what a user of that target stack reads. */
static const char *state_text(const struct backend *be, enum alua_state s)
{
	const char *n = NULL;

	if (be == &backend_scst)
		n = alua_state_scst_name(s);
	else
		n = alua_state_name(s);
	return n ? n : "?";
}

void report_table(FILE *out, const struct backend *be, const char *root,
		  const struct unit_set *set)
{
	fprintf(out, "backend %s, root %s\n", be->name, root);
	for (size_t k = 0; k < set->n_units; k++) {
		const struct alua_unit *u = &set->units[k];

		fprintf(out, "%s %s\n",
			be == &backend_scst ? "device group" : "device",
			u->name);
		fprintf(out, "  %-6s %-20s %5s %-22s %4s %-17s %s\n", "ROLE",
			"GROUP", "ID", "STATE", "PREF", "ACCESS", "MEMBERS");
		for (size_t i = 0; i < u->n_groups; i++) {
			const struct tgt_group *g = &u->groups[i];
			const char *role = role_of(u, i);
			char id[8];

			if (g->id_set)
				snprintf(id, sizeof(id), "%u", g->group_id);
			else
				snprintf(id, sizeof(id), "-");
			fprintf(out, "  %-6s %-20s %5s %-22s %4d %-17s",
				role ? role : "-", g->name, id,
				state_text(be, g->state), g->preferred ? 1 : 0,
				access_name(g->access_type));
			if (g->members_total == 0)
				fprintf(out, " -");
			for (size_t m = 0; m < g->n_members; m++) {
				const struct tg_member *mb = &g->members[m];

				fprintf(out, "%s%s", m ? ", " : " ", mb->name);
				if (be == &backend_scst)
					fprintf(out, " (%s, rel_tgt_id %u)",
						mb->local ? "local" : "remote",
						mb->rel_tgt_id);
			}
			if (g->members_total > g->n_members)
				fprintf(out, ", ... %zu more",
					g->members_total - g->n_members);
			fputc('\n', out);
		}
	}
}

/* The states the group accepts, as abbreviations ("AO", "ANO", ...). */
static json_object *supported_json(uint8_t bits)
{
	static const struct {
		uint8_t bit;
		enum alua_state state;
	} map[] = {
		{ ALUA_SUP_AO, ALUA_ACTIVE_OPTIMIZED },
		{ ALUA_SUP_ANO, ALUA_ACTIVE_NONOPTIMIZED },
		{ ALUA_SUP_STANDBY, ALUA_STANDBY },
		{ ALUA_SUP_UNAVAILABLE, ALUA_UNAVAILABLE },
		{ ALUA_SUP_LBA_DEPENDENT, ALUA_LBA_DEPENDENT },
		{ ALUA_SUP_OFFLINE, ALUA_OFFLINE },
		{ ALUA_SUP_TRANSITIONING, ALUA_TRANSITIONING },
	};
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (bits & map[i].bit)
			json_object_array_add(a, json_object_new_string(
				alua_state_abbrev(map[i].state)));
	return a;
}

static json_object *group_json(const struct backend *be,
			       const struct alua_unit *u, size_t i)
{
	const struct tgt_group *g = &u->groups[i];
	json_object *o = json_object_new_object();
	json_object *members = json_object_new_array();
	const char *role = role_of(u, i);

	json_object_object_add(o, "name", json_object_new_string(g->name));
	json_object_object_add(o, "role",
			       role ? json_object_new_string(role) : NULL);
	json_object_object_add(o, "group_id",
			       g->id_set ? json_object_new_int(g->group_id) :
					   NULL);
	json_object_object_add(o, "state",
			       json_object_new_string(state_text(be, g->state)));
	json_object_object_add(o, "state_code", json_object_new_int(g->state));
	json_object_object_add(o, "state_abbrev",
			       json_object_new_string(alua_state_abbrev(g->state)));
	json_object_object_add(o, "preferred",
			       json_object_new_boolean(g->preferred));
	json_object_object_add(o, "access_type",
			       json_object_new_string(access_name(g->access_type)));
	json_object_object_add(o, "supported", supported_json(g->supported));
	for (size_t m = 0; m < g->n_members; m++) {
		const struct tg_member *mb = &g->members[m];
		json_object *jm = json_object_new_object();

		json_object_object_add(jm, "name",
				       json_object_new_string(mb->name));
		json_object_object_add(jm, "local",
				       json_object_new_boolean(mb->local));
		if (be == &backend_scst)
			json_object_object_add(jm, "rel_tgt_id",
					       json_object_new_int(mb->rel_tgt_id));
		json_object_array_add(members, jm);
	}
	json_object_object_add(o, "members", members);
	json_object_object_add(o, "members_total",
			       json_object_new_int64((int64_t)g->members_total));
	return o;
}

int report_json(FILE *out, const struct backend *be, const char *root,
		const struct unit_set *set)
{
	json_object *top = json_object_new_object();
	json_object *units = json_object_new_array();
	const char *text;
	int rc;

	json_object_object_add(top, "backend", json_object_new_string(be->name));
	json_object_object_add(top, "root", json_object_new_string(root));
	for (size_t k = 0; k < set->n_units; k++) {
		const struct alua_unit *u = &set->units[k];
		json_object *ju = json_object_new_object();
		json_object *groups = json_object_new_array();

		json_object_object_add(ju, "name", json_object_new_string(u->name));
		json_object_object_add(ju, "path", json_object_new_string(u->path));
		for (size_t i = 0; i < u->n_groups; i++)
			json_object_array_add(groups, group_json(be, u, i));
		json_object_object_add(ju, "groups", groups);
		json_object_array_add(units, ju);
	}
	json_object_object_add(top, "units", units);
	text = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = fprintf(out, "%s\n", text) < 0 ? -1 : 0;
	json_object_put(top);
	return rc;
}

const char *report_state_text(const struct backend *be, enum alua_state s)
{
	return state_text(be, s);
}
