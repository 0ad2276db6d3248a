// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bench_conf.h"
#include "io_block.h"
#include "strutil.h"

#define LINE_MAX_LEN 1024

struct parse_ctx {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	/* where each one-off directive was given, for "already set" */
	int map_line, device_line, test_lun_line, load_line;
	int hold_line, deadline_line, settle_line;
};

__attribute__((format(printf, 2, 3)))
static bool fail(struct parse_ctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verror(p->err, p->errlen, p->name, p->line, fmt, ap);
	va_end(ap);
	return false;
}

/* The next blank-separated word of *@s, terminated in place; NULL at the
 * end of the line or at a comment. */
static char *word(char **s)
{
	char *w = *s + strspn(*s, " \t");

	if (!*w || *w == '#') {
		*s = w;
		return NULL;
	}
	*s = w + strcspn(w, " \t");
	if (**s)
		*(*s)++ = '\0';
	return w;
}

/* Scenario and configuration names end up in file names and records. */
static bool good_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max || s[0] == '.' || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

/* Seconds: digits, optionally a point and up to three decimals. */
static bool parse_seconds(const char *s, double min, double max, double *out)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;

	if (whole == 0 || whole > 6)
		return false;
	if (s[whole] == '.') {
		frac = strspn(s + whole + 1, "0123456789");
		if (frac == 0 || frac > 3 || s[whole + 1 + frac])
			return false;
	} else if (s[whole]) {
		return false;
	}
	*out = strtod(s, NULL);
	return *out >= min && *out <= max;
}

/* The rest of the line after the words read so far: a shell command. */
static bool command(struct parse_ctx *p, char *rest, struct bconf_hook *h,
		    const char *what)
{
	size_t n;

	rest += strspn(rest, " \t");
	n = strlen(rest);
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		rest[--n] = '\0';
	if (!n)
		return fail(p, "%s needs a shell command", what);
	if (n >= sizeof(h->cmd))
		return fail(p, "%s: command too long", what);
	memcpy(h->cmd, rest, n + 1);
	h->line = p->line;
	return true;
}

static bool once(struct parse_ctx *p, int *line, const char *what)
{
	if (*line)
		return fail(p, "%s already given at line %d", what, *line);
	*line = p->line;
	return true;
}

static bool do_config(struct parse_ctx *p, struct bench_conf *c, char *rest)
{
	char *name = word(&rest);
	struct bconf_config *k;

	if (!name)
		return fail(p, "config needs a name and a shell command");
	if (!good_name(name, BCONF_CONFIG_MAX))
		return fail(p, "config name must be letters, digits, '.', '_', "
			    "'-' and shorter than %d", BCONF_CONFIG_MAX);
	if ((k = (struct bconf_config *)bconf_config(c, name)))
		return fail(p, "config %s already defined at line %d", name,
			    k->setup.line);
	if (c->n_configs == BCONF_MAX_CONFIGS)
		return fail(p, "more than %d configs", BCONF_MAX_CONFIGS);
	k = &c->configs[c->n_configs];
	str_copy(k->name, sizeof(k->name), name);
	if (!command(p, rest, &k->setup, "config"))
		return false;
	c->n_configs++;
	return true;
}

static bool do_scenario(struct parse_ctx *p, struct bench_conf *c, char *rest)
{
	char *name = word(&rest), *kind = word(&rest), *opt = word(&rest);
	const struct bconf_scenario *old;
	struct bconf_scenario *s;

	if (!name || !kind || (opt && strcmp(opt, "target-errors")) ||
	    word(&rest))
		return fail(p, "scenario takes a name, a kind (switch, path "
			    "or stay) and optionally target-errors");
	if (!good_name(name, BCONF_SCENARIO_MAX))
		return fail(p, "scenario name must be letters, digits, '.', "
			    "'_', '-' and shorter than %d", BCONF_SCENARIO_MAX);
	if ((old = bconf_scenario(c, name)))
		return fail(p, "scenario %s already defined at line %d", name,
			    old->line);
	if (c->n_scenarios == BCONF_MAX_SCENARIOS)
		return fail(p, "more than %d scenarios", BCONF_MAX_SCENARIOS);
	s = &c->scenarios[c->n_scenarios];
	memset(s, 0, sizeof(*s));
	if (!strcmp(kind, "switch"))
		s->kind = BENCH_KIND_SWITCH;
	else if (!strcmp(kind, "path"))
		s->kind = BENCH_KIND_PATH;
	else if (!strcmp(kind, "stay"))
		s->kind = BENCH_KIND_STAY;
	else
		return fail(p, "scenario kind must be switch (I/O moves to the "
			    "peer), path (a home path fails, I/O stays) or stay "
			    "(no home path fails, I/O stays)");
	str_copy(s->name, sizeof(s->name), name);
	s->target_errors = opt != NULL;
	s->line = p->line;
	c->n_scenarios++;
	return true;
}

static bool do_hook(struct parse_ctx *p, struct bench_conf *c, char *rest,
		    bool inject)
{
	const char *what = inject ? "inject" : "restore";
	char *name = word(&rest);
	struct bconf_scenario *s;
	struct bconf_hook *h;

	if (!name)
		return fail(p, "%s needs a scenario name and a shell command",
			    what);
	s = (struct bconf_scenario *)bconf_scenario(c, name);
	if (!s)
		return fail(p, "%s: no scenario %.48s defined above", what,
			    name);
	h = inject ? &s->inject : &s->restore;
	if (h->line)
		return fail(p, "%s for %s already given at line %d", what,
			    s->name, h->line);
	return command(p, rest, h, what);
}

/* load rate N blocks N, either or both, in any order */
static bool do_load(struct parse_ctx *p, struct bench_conf *c, char *rest)
{
	bool rate = false, blocks = false;
	char *key;

	if (!once(p, &p->load_line, "load"))
		return false;
	while ((key = word(&rest))) {
		char *val = word(&rest);
		unsigned long v;

		if (!strcmp(key, "rate") && !rate && val) {
			if (!conf_parse_uint(val, 1, 10000, &v))
				return fail(p, "load rate must be 1-10000 I/Os "
					    "per second");
			c->rate = (unsigned int)v;
			rate = true;
		} else if (!strcmp(key, "blocks") && !blocks && val) {
			/* the lag between a write and its read must fit;
			 * at most 1 GiB: every repetition reads it all back */
			if (!conf_parse_uint(val, 2 * IO_BLOCK_LAG, 1ul << 18, &v))
				return fail(p, "load blocks must be %d-%lu",
					    2 * IO_BLOCK_LAG, 1ul << 18);
			c->blocks = (unsigned int)v;
			blocks = true;
		} else {
			return fail(p, "load takes rate N and blocks N");
		}
	}
	if (!rate && !blocks)
		return fail(p, "load takes rate N and blocks N");
	return true;
}

struct seconds_opt {
	const char *name;
	size_t off, line_off;
	double min, max;
};

#define SOPT(n, field, line, lo, hi) { n, offsetof(struct bench_conf, field), \
	offsetof(struct parse_ctx, line), lo, hi }
/* 600 s at most: a stall then stays within what a record may hold. */
static const struct seconds_opt seconds_opts[] = {
	SOPT("hold", hold_s, hold_line, 0, 600),
	SOPT("deadline", deadline_s, deadline_line, 0.1, 600),
	SOPT("settle", settle_s, settle_line, 0, 600),
};

static bool do_line(struct parse_ctx *p, struct bench_conf *c, char *line)
{
	char *rest = line, *w0 = word(&rest), *w1;

	if (!w0)
		return true;
	if (!strcmp(w0, "config"))
		return do_config(p, c, rest);
	if (!strcmp(w0, "scenario"))
		return do_scenario(p, c, rest);
	if (!strcmp(w0, "inject") || !strcmp(w0, "restore"))
		return do_hook(p, c, rest, w0[0] == 'i');
	if (!strcmp(w0, "load"))
		return do_load(p, c, rest);
	for (size_t i = 0; i < sizeof(seconds_opts) / sizeof(seconds_opts[0]);
	     i++) {
		const struct seconds_opt *o = &seconds_opts[i];

		if (strcmp(w0, o->name))
			continue;
		if (!once(p, (int *)((char *)p + o->line_off), o->name))
			return false;
		w1 = word(&rest);
		if (!w1 || word(&rest) ||
		    !parse_seconds(w1, o->min, o->max,
				   (double *)((char *)c + o->off)))
			return fail(p, "%s takes seconds from %g to %g (up to "
				    "3 decimals)", o->name, o->min, o->max);
		return true;
	}
	w1 = word(&rest);
	if (w1 && word(&rest))
		return fail(p, "%s takes one value", w0);
	if (!strcmp(w0, "map")) {
		if (!once(p, &p->map_line, "map"))
			return false;
		if (!w1 || strlen(w1) >= sizeof(c->map) || strchr(w1, '/'))
			return fail(p, "map takes a multipath map name or auto");
		c->map_auto = !strcmp(w1, "auto");
		if (!c->map_auto)
			str_copy(c->map, sizeof(c->map), w1);
		return true;
	}
	if (!strcmp(w0, "device")) {
		if (!once(p, &p->device_line, "device"))
			return false;
		if (!w1 || w1[0] != '/' || strlen(w1) >= sizeof(c->device))
			return fail(p, "device takes an absolute path");
		str_copy(c->device, sizeof(c->device), w1);
		return true;
	}
	if (!strcmp(w0, "test-lun")) {
		if (!once(p, &p->test_lun_line, "test-lun"))
			return false;
		if (!w1 || (strcmp(w1, "yes") && strcmp(w1, "no")))
			return fail(p, "test-lun takes yes or no");
		c->test_lun = !strcmp(w1, "yes");
		return true;
	}
	if (!strcmp(w0, "reference")) {
		if (c->reference_line)
			return fail(p, "reference already given at line %d",
				    c->reference_line);
		if (!w1 || !good_name(w1, BCONF_CONFIG_MAX))
			return fail(p, "reference takes the name of a config");
		str_copy(c->reference, sizeof(c->reference), w1);
		c->reference_line = p->line;
		return true;
	}
	if (!strcmp(w0, "home")) {
		if (c->home_line)
			return fail(p, "home already given at line %d",
				    c->home_line);
		if (!w1 || strlen(w1) >= sizeof(c->home))
			return fail(p, "home takes a node name of "
				    "pathwarden.conf");
		str_copy(c->home, sizeof(c->home), w1);
		c->home_line = p->line;
		return true;
	}
	return fail(p, "unknown directive '%.40s'", w0);
}

static bool check_whole(struct parse_ctx *p, struct bench_conf *c)
{
	if (!p->map_line)
		return fail(p, "no map (the multipath map to test, or 'map "
			    "auto')");
	if (!c->test_lun)
		return fail(p, "the benchmark writes to the map: say "
			    "'test-lun yes' to confirm it holds no data");
	if (!c->home_line)
		return fail(p, "no home (the node whose group is optimized at "
			    "the baseline)");
	if (!c->n_configs)
		return fail(p, "no config (a name and the command that puts the "
			    "stack into it)");
	if (!c->n_scenarios)
		return fail(p, "no scenario");
	if (c->reference_line && !bconf_config(c, c->reference)) {
		p->line = c->reference_line;
		return fail(p, "reference %s is not a config of this file",
			    c->reference);
	}
	for (unsigned int i = 0; i < c->n_scenarios; i++) {
		const struct bconf_scenario *s = &c->scenarios[i];

		p->line = s->line;
		if (!s->inject.line)
			return fail(p, "scenario %s has no inject command",
				    s->name);
		if (!s->restore.line)
			return fail(p, "scenario %s has no restore command",
				    s->name);
	}
	return true;
}

bool bconf_parse(FILE *f, const char *name, struct bench_conf *c, char *err,
		 size_t errlen)
{
	struct parse_ctx p = { .name = name, .err = err, .errlen = errlen };
	char line[LINE_MAX_LEN + 2];

	memset(c, 0, sizeof(*c));
	c->rate = 100;
	c->blocks = 1024;
	c->hold_s = 5;
	c->deadline_s = 60;
	c->settle_s = 3;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		p.line++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (len > LINE_MAX_LEN)
			return fail(&p, "line longer than %d characters",
				    LINE_MAX_LEN);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		for (size_t i = 0; i < len; i++)
			if (!isprint((unsigned char)line[i]) && line[i] != '\t')
				return fail(&p, "control character in line");
		if (!do_line(&p, c, line))
			return false;
	}
	if (ferror(f))
		return fail(&p, "read error: %s", strerror(errno));
	p.line = p.line ? p.line : 1;
	return check_whole(&p, c);
}

bool bconf_load(const char *path, struct bench_conf *c, char *err,
		size_t errlen)
{
	/* Its hooks run with our privileges: a file others may write
	 * would let them run anything as root. */
	FILE *f = conf_open_trusted(path, err, errlen);
	bool ok;

	if (!f)
		return false;
	ok = bconf_parse(f, path, c, err, errlen);
	fclose(f);
	return ok;
}

const struct bconf_scenario *bconf_scenario(const struct bench_conf *c,
					    const char *name)
{
	for (unsigned int i = 0; i < c->n_scenarios; i++)
		if (!strcmp(c->scenarios[i].name, name))
			return &c->scenarios[i];
	return NULL;
}

const struct bconf_config *bconf_config(const struct bench_conf *c,
					const char *name)
{
	for (unsigned int i = 0; i < c->n_configs; i++)
		if (!strcmp(c->configs[i].name, name))
			return &c->configs[i];
	return NULL;
}
