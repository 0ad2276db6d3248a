// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "status.h"

static void alua_text(const struct pw_path *p, char *grp, size_t gl,
		      const char **state, const char **pref)
{
	snprintf(grp, gl, "-");
	*state = "-";
	*pref = "-";
	if (p->rtpg_done && (p->rtpg.result == TPG_OK || p->rtpg.group_known))
		snprintf(grp, gl, "%u", p->rtpg.own.group_id);
	if (path_state_known(p)) {
		*state = alua_state_abbrev(p->judge.state) ?
			 alua_state_abbrev(p->judge.state) : "?";
		*pref = p->judge.preferred ? "yes" : "no";
	}
}

void status_print_table(const struct pw_view *v, FILE *out)
{
	if (v->mp_error[0])
		fprintf(out, "%s\n", v->mp_error);
	if (v->n_maps == 0 && !v->mp_error[0])
		fprintf(out, "no multipath maps\n");
	for (size_t i = 0; i < v->n_maps; i++) {
		const struct pw_map *m = &v->maps[i];

		fprintf(out, "%s (%s) %s %s/%s  in-use group %u  verdict %s\n",
			m->mp->name, m->mp->uuid, m->mp->sysfs, m->mp->vend,
			m->mp->prod, m->active_group, map_word_name(m->verdict));
		fprintf(out, "  %-8s %-8s %-22s %5s %-10s %-11s %5s %-5s "
			"%-4s %-7s %-11s %4s %2s  %s\n", "path", "node",
			"portal", "sid", "session", "h:c:t:l", "tpg", "alua",
			"pref", "dm", "checker", "prio", "pg", "verdict");
		for (size_t j = 0; j < m->mp->n_paths; j++) {
			const struct pw_path *p = &m->paths[j];
			char portal[80] = "-", sid[16] = "-", hctl[32] = "-";
			char grp[8];
			const char *st, *pref;

			if (p->sess) {
				snprintf(portal, sizeof(portal), "%s:%d",
					 p->sess->address, p->sess->port);
				snprintf(sid, sizeof(sid), "%d", p->sess->sid);
			}
			if (p->sd && p->sd->h >= 0)
				snprintf(hctl, sizeof(hctl), "%d:%d:%d:%d",
					 p->sd->h, p->sd->c, p->sd->t,
					 p->sd->l);
			alua_text(p, grp, sizeof(grp), &st, &pref);
			fprintf(out, "  %-8s %-8s %-22s %5s %-10s %-11s %5s "
				"%-5s %-4s %-7s %-11s %4d %2u  %s\n",
				p->mp->dev, p->node ? p->node->name : "-",
				portal, sid,
				p->sess && p->sess->state[0] ? p->sess->state
							     : "-",
				hctl, grp, st, pref, p->mp->dm_st,
				p->mp->chk_st, p->mp->pri, p->mp->group,
				path_word_name(p->verdict));
		}
	}
}

/*
 * Each key is a literal, added once to its object: json-c need neither
 * copy it nor look for an earlier one, which it did for the 20 keys of
 * each of a thousand paths.
 */
static void obj_put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
					     JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *path_json(const struct pw_path *p)
{
	json_object *o = json_object_new_object();

	obj_put(o, "dev", jstr(p->mp->dev));
	obj_put(o, "node", p->node ? jstr(p->node->name) : NULL);
	if (p->sess) {
		obj_put(o, "portal", jstr(p->sess->address));
		obj_put(o, "port", json_object_new_int(p->sess->port));
		obj_put(o, "target", jstr(p->sess->target));
		obj_put(o, "session_id", json_object_new_int(p->sess->sid));
		obj_put(o, "session_state", jstr(p->sess->state));
	}
	if (p->sd) {
		char hctl[48];

		snprintf(hctl, sizeof(hctl), "%d:%d:%d:%d", p->sd->h,
			 p->sd->c, p->sd->t, p->sd->l);
		obj_put(o, "hctl", jstr(hctl));
		obj_put(o, "kernel_access_state", jstr(p->sd->access_state));
		obj_put(o, "dh_state", jstr(p->sd->dh_state));
	}
	if (p->rtpg_done) {
		obj_put(o, "rtpg", jstr(tpg_result_name(p->rtpg.result)));
		if (p->rtpg.result == TPG_OK || p->rtpg.group_known)
			obj_put(o, "alua_group",
				json_object_new_int(p->rtpg.own.group_id));
		/* its own RTPG failed, or the daemon asked its node through
		 * another path: the state is another path's word */
		if (p->rtpg.from_peer)
			obj_put(o, "alua_state_from", jstr("peer"));
	}
	if (path_state_known(p)) {
		obj_put(o, "alua_state",
			jstr(alua_state_name(p->judge.state)));
		obj_put(o, "preferred",
			json_object_new_boolean(p->judge.preferred));
	}
	obj_put(o, "dm_state", jstr(p->mp->dm_st));
	obj_put(o, "checker", jstr(p->mp->checker));
	obj_put(o, "checker_state", jstr(p->mp->chk_st));
	obj_put(o, "prio", json_object_new_int(p->mp->pri));
	if (p->expected_pri >= 0)
		obj_put(o, "rtpg_prio", json_object_new_int(p->expected_pri));
	obj_put(o, "path_group", json_object_new_int((int)p->mp->group));
	obj_put(o, "verdict", jstr(path_word_name(p->verdict)));
	return o;
}

int status_print_json(const struct pw_view *v, FILE *out)
{
	json_object *root = json_object_new_object();
	json_object *maps = json_object_new_array();

	if (!root || !maps)
		return -ENOMEM;
	if (v->mp_error[0])
		obj_put(root, "multipathd_error", jstr(v->mp_error));
	for (size_t i = 0; i < v->n_maps; i++) {
		const struct pw_map *m = &v->maps[i];
		json_object *jm = json_object_new_object();
		json_object *paths = json_object_new_array();

		obj_put(jm, "name", jstr(m->mp->name));
		obj_put(jm, "wwid", jstr(m->mp->uuid));
		obj_put(jm, "dm", jstr(m->mp->sysfs));
		obj_put(jm, "vendor", jstr(m->mp->vend));
		obj_put(jm, "product", jstr(m->mp->prod));
		obj_put(jm, "failback", jstr(m->mp->failback));
		obj_put(jm, "active_group",
			json_object_new_int((int)m->active_group));
		obj_put(jm, "optimized_group",
			json_object_new_int((int)m->ao_group));
		obj_put(jm, "verdict", jstr(map_word_name(m->verdict)));
		for (size_t j = 0; j < m->mp->n_paths; j++)
			json_object_array_add(paths, path_json(&m->paths[j]));
		obj_put(jm, "paths", paths);
		json_object_array_add(maps, jm);
	}
	obj_put(root, "maps", maps);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(root);
	return 0;
}
