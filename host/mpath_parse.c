// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * multipathd answers, parsed.  "show maps json" is json-c territory; the
 * format is multipathd's PRINT_JSON_* templates (major version 0), whose
 * numeric fields may be printed as strings ("undef") on older versions, so
 * numbers accept both.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "mpath_parse.h"
#include "strutil.h"

static void copy_str(json_object *o, const char *key, char *dst, size_t len)
{
	json_object *v;

	dst[0] = '\0';
	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string))
		str_copy(dst, len, json_object_get_string(v));
}

static int get_int(json_object *o, const char *key, int dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return dflt;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int(v);
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		char *end;
		long n = strtol(s, &end, 10);

		if (*s && !*end)
			return (int)n;
	}
	return dflt;
}

static json_object *get_array(json_object *o, const char *key)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_array))
		return v;
	return NULL;
}

static bool parse_map(json_object *jm, struct mp_map *m, char *err,
		      size_t errlen)
{
	json_object *groups = get_array(jm, "path_groups");
	size_t ng, np = 0;

	copy_str(jm, "name", m->name, sizeof(m->name));
	copy_str(jm, "uuid", m->uuid, sizeof(m->uuid));
	copy_str(jm, "sysfs", m->sysfs, sizeof(m->sysfs));
	copy_str(jm, "failback", m->failback, sizeof(m->failback));
	copy_str(jm, "queueing", m->queueing, sizeof(m->queueing));
	copy_str(jm, "dm_st", m->dm_st, sizeof(m->dm_st));
	copy_str(jm, "features", m->features, sizeof(m->features));
	copy_str(jm, "hwhandler", m->hwhandler, sizeof(m->hwhandler));
	copy_str(jm, "vend", m->vend, sizeof(m->vend));
	copy_str(jm, "prod", m->prod, sizeof(m->prod));
	m->switch_grp = get_int(jm, "switch_grp", 0);
	m->path_faults = get_int(jm, "path_faults", 0);
	if (!m->name[0]) {
		snprintf(err, errlen, "map without a name");
		return false;
	}
	if (!groups) {
		snprintf(err, errlen, "map %s: no path_groups array", m->name);
		return false;
	}
	ng = json_object_array_length(groups);
	for (size_t i = 0; i < ng; i++) {
		json_object *paths = get_array(
			json_object_array_get_idx(groups, i), "paths");

		if (!paths) {
			snprintf(err, errlen, "map %s: group %zu has no paths "
				 "array", m->name, i + 1);
			return false;
		}
		np += json_object_array_length(paths);
	}
	m->groups = calloc(ng ? ng : 1, sizeof(*m->groups));
	m->paths = calloc(np ? np : 1, sizeof(*m->paths));
	if (!m->groups || !m->paths) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	np = 0;
	for (size_t i = 0; i < ng; i++) {
		json_object *jg = json_object_array_get_idx(groups, i);
		json_object *paths = get_array(jg, "paths");
		struct mp_group *g = &m->groups[i];
		int num = get_int(jg, "group", (int)i + 1);
		size_t n = json_object_array_length(paths);

		/* switchgroup counts groups by position; so does the
		 * "group" field, and we insist on it. */
		if (num != (int)i + 1) {
			snprintf(err, errlen, "map %s: group %d listed at "
				 "position %zu", m->name, num, i + 1);
			return false;
		}
		g->num = (unsigned int)num;
		copy_str(jg, "selector", g->selector, sizeof(g->selector));
		copy_str(jg, "dm_st", g->dm_st, sizeof(g->dm_st));
		g->pri = get_int(jg, "pri", -1);
		g->first_path = np;
		g->n_paths = n;
		for (size_t j = 0; j < n; j++) {
			json_object *jp = json_object_array_get_idx(paths, j);
			struct mp_path *p = &m->paths[np++];

			if (!json_object_is_type(jp, json_type_object)) {
				snprintf(err, errlen, "map %s: path entry is "
					 "not an object", m->name);
				return false;
			}
			copy_str(jp, "dev", p->dev, sizeof(p->dev));
			copy_str(jp, "dev_t", p->devt, sizeof(p->devt));
			copy_str(jp, "dm_st", p->dm_st, sizeof(p->dm_st));
			copy_str(jp, "dev_st", p->dev_st, sizeof(p->dev_st));
			copy_str(jp, "chk_st", p->chk_st, sizeof(p->chk_st));
			copy_str(jp, "checker", p->checker, sizeof(p->checker));
			p->pri = get_int(jp, "pri", -1);
			p->group = g->num;
			p->dm_active = !strcmp(p->dm_st, "active");
			p->dm_failed = !strcmp(p->dm_st, "failed");
			p->chk_ghost = !strcmp(p->chk_st, "ghost");
			p->chk_up = !strcmp(p->chk_st, "ready") ||
				    p->chk_ghost ||
				    !strcmp(p->chk_st, "i/o pending") ||
				    !strcmp(p->chk_st, "delayed");
		}
	}
	m->n_groups = ng;
	m->n_paths = np;
	return true;
}

/* "multipathd answered 'WORD'": @text, past its leading white space, is
 * its first line, printable, 40 characters at most. */
static void said_instead(const char *text, char *err, size_t errlen)
{
	char word[41];
	size_t n = 0;

	for (; text[n] && text[n] != '\n' && n < sizeof(word) - 1; n++)
		word[n] = isprint((unsigned char)text[n]) ? text[n] : '?';
	word[n] = '\0';
	snprintf(err, errlen, "not JSON: multipathd answered '%s'", word);
}

bool mp_parse_maps_json(const char *text, struct mp_topology *out, char *err,
			size_t errlen)
{
	enum json_tokener_error jerr;
	json_object *root, *maps, *major;
	const char *start;
	bool ok = false;
	size_t n;

	memset(out, 0, sizeof(*out));
	/* A JSON document opens an object; multipathd's own failure
	 * replies are bare words: "fail", or "timeout" (its lock not had in
	 * time, as while a map reload waits on I/O).  Say what it said, not
	 * what json-c makes of it ("boolean expected"). */
	start = text + strspn(text, " \t\r\n");
	if (*start != '{') {
		said_instead(start, err, errlen);
		return false;
	}
	root = json_tokener_parse_verbose(text, &jerr);
	if (!root) {
		snprintf(err, errlen, "not JSON: %s",
			 json_tokener_error_desc(jerr));
		return false;
	}
	if (json_object_object_get_ex(root, "major_version", &major) &&
	    json_object_get_int(major) != 0) {
		snprintf(err, errlen, "multipathd JSON major version %d; "
			 "this pathwarden reads version 0",
			 json_object_get_int(major));
		goto out;
	}
	maps = get_array(root, "maps");
	if (!maps) {
		/* "show map X json" has a single "map" object. */
		json_object *one;

		if (!json_object_object_get_ex(root, "map", &one) ||
		    !json_object_is_type(one, json_type_object)) {
			snprintf(err, errlen, "no \"maps\" array");
			goto out;
		}
		out->maps = calloc(1, sizeof(*out->maps));
		if (!out->maps)
			goto oom;
		out->n_maps = 1;
		ok = parse_map(one, &out->maps[0], err, errlen);
		goto out;
	}
	n = json_object_array_length(maps);
	out->maps = calloc(n ? n : 1, sizeof(*out->maps));
	if (!out->maps)
		goto oom;
	out->n_maps = n;
	for (size_t i = 0; i < n; i++) {
		json_object *jm = json_object_array_get_idx(maps, i);

		if (!json_object_is_type(jm, json_type_object)) {
			snprintf(err, errlen, "map %zu is not an object", i);
			goto out;
		}
		if (!parse_map(jm, &out->maps[i], err, errlen))
			goto out;
	}
	ok = true;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	json_object_put(root);
	if (!ok)
		mp_topology_free(out);
	return ok;
}

void mp_topology_free(struct mp_topology *t)
{
	for (size_t i = 0; i < t->n_maps; i++) {
		free(t->maps[i].groups);
		free(t->maps[i].paths);
	}
	free(t->maps);
	memset(t, 0, sizeof(*t));
}

const struct mp_map *mp_find_map(const struct mp_topology *t,
				 const char *name)
{
	for (size_t i = 0; i < t->n_maps; i++)
		if (!strcmp(t->maps[i].name, name) ||
		    !strcmp(t->maps[i].uuid, name) ||
		    !strcmp(t->maps[i].sysfs, name))
			return &t->maps[i];
	return NULL;
}

unsigned int mp_active_group(const struct mp_map *m)
{
	for (size_t i = 0; i < m->n_groups; i++)
		if (!strcmp(m->groups[i].dm_st, "active"))
			return m->groups[i].num;
	return 0;
}

/* ---- show config ---------------------------------------------------- */

struct tok {
	const char *s;
	int line;
};

/* Next word: a brace, a quoted string (quotes dropped) or a bare word. */
static bool next_word(struct tok *t, char *buf, size_t len, bool *eol_before)
{
	const char *s = t->s;
	size_t n = 0;

	*eol_before = false;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '#' || *s == '!') {
			while (*s && *s != '\n')
				s++;
		}
		if (*s == '\n') {
			*eol_before = true;
			t->line++;
			s++;
			continue;
		}
		break;
	}
	if (!*s) {
		t->s = s;
		return false;
	}
	if (*s == '{' || *s == '}') {
		buf[0] = *s++;
		buf[1] = '\0';
	} else if (*s == '"') {
		s++;
		while (*s && *s != '"' && *s != '\n') {
			if (n + 1 < len)
				buf[n++] = *s;
			s++;
		}
		if (*s == '"')
			s++;
		buf[n] = '\0';
	} else {
		while (*s && !isspace((unsigned char)*s) && *s != '{' &&
		       *s != '}') {
			if (n + 1 < len)
				buf[n++] = *s;
			s++;
		}
		buf[n] = '\0';
	}
	t->s = s;
	return true;
}

static struct mpconf_section *new_section(struct mpconf *c, const char *kind)
{
	struct mpconf_section *p = realloc(c->sec, (c->n + 1) * sizeof(*p));

	if (!p)
		return NULL;
	c->sec = p;
	p = &c->sec[c->n++];
	memset(p, 0, sizeof(*p));
	str_copy(p->kind, sizeof(p->kind), kind);
	return p;
}

static bool add_kv(struct mpconf_section *s, const char *k, const char *v)
{
	struct mpconf_kv *p = realloc(s->kv, (s->n + 1) * sizeof(*p));

	if (!p)
		return false;
	s->kv = p;
	str_copy(p[s->n].key, sizeof(p[s->n].key), k);
	str_copy(p[s->n].val, sizeof(p[s->n].val), v);
	s->n++;
	return true;
}

/*
 * A device section's vendor or product pattern: none (it matches every
 * device), one multipathd would not take (it matches none) or compiled.
 */
enum pattern_kind { PATTERN_ANY, PATTERN_NONE, PATTERN_RE };

struct pattern {
	enum pattern_kind kind;
	regex_t re;
};

struct mpconf_device_match {
	struct pattern vendor, product;
};

/*
 * Stacked quantifiers ("a++++") make glibc's regcomp take memory
 * exponential in their number (the fuzzer found it); no vendor or product
 * pattern of multipathd's table needs them, nor one longer than 128.
 */
static bool regex_sane(const char *re)
{
	if (strlen(re) > 128)
		return false;
	for (const char *s = re; *s; s++)
		if (strchr("*+?{", s[0]) && s[1] && strchr("*+?{", s[1]) &&
		    (s == re || s[-1] != '\\'))
			return false;
	return true;
}

static void pattern_compile(struct pattern *p, const char *re)
{
	if (!re)
		p->kind = PATTERN_ANY;
	else if (!regex_sane(re) ||
		 regcomp(&p->re, re, REG_EXTENDED | REG_NOSUB))
		p->kind = PATTERN_NONE;
	else
		p->kind = PATTERN_RE;
}

static void pattern_free(struct pattern *p)
{
	if (p->kind == PATTERN_RE)
		regfree(&p->re);
}

static bool pattern_match(const struct pattern *p, const char *s)
{
	switch (p->kind) {
	case PATTERN_ANY:
		return true;
	case PATTERN_NONE:
		return false;
	case PATTERN_RE:
		break;
	}
	return regexec(&p->re, s, 0, NULL, 0) == 0;
}

static const char *sec_get(const struct mpconf_section *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->kv[i].key, key))
			return s->kv[i].val;
	return NULL;
}

/*
 * Each device section's patterns, compiled once: mpconf_get is asked for
 * every map, and compiling them there made a status of 256 maps spend a
 * quarter of its instructions in regcomp, against 2 device sections; the
 * built-in table of "show config" has about 150.
 */
static bool compile_device_matches(struct mpconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct mpconf_section *s = &c->sec[i];

		if (strcmp(s->kind, "device"))
			continue;
		s->match = malloc(sizeof(*s->match));
		if (!s->match)
			return false;
		pattern_compile(&s->match->vendor, sec_get(s, "vendor"));
		pattern_compile(&s->match->product, sec_get(s, "product"));
	}
	return true;
}

bool mpconf_parse(const char *text, struct mpconf *out, char *err,
		  size_t errlen)
{
	struct tok t = { text, 1 };
	char w[200], key[64] = "";
	char stack[8][16];
	int depth = 0;
	struct mpconf_section *cur = NULL;
	bool eol, have_key = false;

	memset(out, 0, sizeof(*out));
	while (next_word(&t, w, sizeof(w), &eol)) {
		if (eol && have_key) {
			/* a key with no value on its line */
			if (cur && !add_kv(cur, key, ""))
				goto oom;
			have_key = false;
		}
		if (!strcmp(w, "{")) {
			if (!have_key || depth == 8) {
				snprintf(err, errlen, "line %d: unexpected '{'",
					 t.line);
				goto fail;
			}
			str_copy(stack[depth++], sizeof(stack[0]), key);
			have_key = false;
			if (!strcmp(key, "defaults") || !strcmp(key, "device") ||
			    !strcmp(key, "overrides") ||
			    !strcmp(key, "multipath")) {
				cur = new_section(out, key);
				if (!cur)
					goto oom;
			} else {
				cur = NULL;	/* blacklist, devices ... */
			}
			continue;
		}
		if (!strcmp(w, "}")) {
			if (have_key && cur && !add_kv(cur, key, ""))
				goto oom;
			have_key = false;
			if (depth == 0) {
				snprintf(err, errlen, "line %d: unbalanced '}'",
					 t.line);
				goto fail;
			}
			depth--;
			cur = NULL;
			continue;
		}
		if (!have_key) {
			str_copy(key, sizeof(key), w);
			have_key = true;
			continue;
		}
		if (cur && !add_kv(cur, key, w))
			goto oom;
		have_key = false;
		/* Skip the rest of a multi-word value on this line. */
		while (*t.s && *t.s != '\n' && *t.s != '}')
			t.s++;
	}
	if (depth) {
		snprintf(err, errlen, "unterminated section '%s'",
			 stack[depth - 1]);
		goto fail;
	}
	if (!compile_device_matches(out))
		goto oom;
	return true;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	mpconf_free(out);
	return false;
}

void mpconf_free(struct mpconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct mpconf_device_match *m = c->sec[i].match;

		if (m) {
			pattern_free(&m->vendor);
			pattern_free(&m->product);
			free(m);
		}
		free(c->sec[i].kv);
	}
	free(c->sec);
	memset(c, 0, sizeof(*c));
}

const char *mpconf_get(const struct mpconf *c, const char *vendor,
		       const char *product, const char *key,
		       const char **from)
{
	const char *v = NULL, *src = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const struct mpconf_section *s = &c->sec[i];
		const char *x;

		if (strcmp(s->kind, "overrides"))
			continue;
		if ((x = sec_get(s, key))) {
			if (from)
				*from = "overrides";
			return x;
		}
	}
	if (vendor && product)
		for (size_t i = 0; i < c->n; i++) {
			const struct mpconf_section *s = &c->sec[i];
			const char *x;

			if (strcmp(s->kind, "device") || !s->match)
				continue;
			if (!pattern_match(&s->match->vendor, vendor) ||
			    !pattern_match(&s->match->product, product))
				continue;
			if ((x = sec_get(s, key))) {
				v = x;
				src = "device";
			}
		}
	if (!v)
		for (size_t i = 0; i < c->n; i++) {
			const char *x;

			if (strcmp(c->sec[i].kind, "defaults"))
				continue;
			if ((x = sec_get(&c->sec[i], key))) {
				v = x;
				src = "defaults";
			}
		}
	if (from)
		*from = src;
	return v;
}
