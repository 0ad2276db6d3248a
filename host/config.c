// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathwarden.conf parser.  Line based, like chrony.conf: a directive and
 * its arguments, '#' to the end of the line is a comment.  The first error
 * stops the parse and is reported as "file:line: message"; a value is never
 * echoed back, so a secret pasted into the wrong place does not reach a log.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "strutil.h"

#define MAX_WORDS 40
#define LINE_MAX_LEN 1024

void conf_defaults(struct pw_conf *c)
{
	memset(c, 0, sizeof(*c));
	/* Shipped session timeouts: a silent node loss stalls I/O for about
	 * noop_interval + noop_timeout + recovery_tmo, 3 s in the lab. */
	c->noop_interval_s = 1;
	c->noop_timeout_s = 1;
	c->replacement_timeout_s = 5;
	/* iscsid's reconnect of a lost session waits this long on a connect
	 * to a silent portal before the next attempt (the kernel's SYNs go
	 * out at 0, 1, 3, 7 s; iscsid.conf's 15 s can leave 8 s between two);
	 * in the lab the sessions came back 1.3-4.0 s after the portal
	 * answered (the daemon's "session back" lines, 2026-12-07). */
	c->login_timeout_s = 5;
	c->iscsi_timeout_s = 10;
	c->metrics_enabled = true;
	snprintf(c->metrics_addr, sizeof(c->metrics_addr), "127.0.0.1");
	c->metrics_port = 9857;
	snprintf(c->records_path, sizeof(c->records_path),
		 "/var/lib/pathwarden/failover.jsonl");
	c->rtpg_timeout_ms = 2000;
	c->resync_s = 30;
	c->group_watch_ms = 250;
	c->alua_switch = true;
	c->relogin = true;
	c->portal_check_ms = 500;
	c->portal_connect_ms = 300;
	c->early_failover = false;
	c->early_failover_ms = 1000;
}

struct parse_ctx {
	const char *name;
	int line;
	char *err;
	size_t errlen;
};

void conf_verror(char *err, size_t errlen, const char *file, int line,
		 const char *fmt, va_list ap)
{
	int n = snprintf(err, errlen, "%s:%d: ", file, line);

	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - n, fmt, ap);
}

__attribute__((format(printf, 2, 3)))
static bool fail(struct parse_ctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verror(p->err, p->errlen, p->name, p->line, fmt, ap);
	va_end(ap);
	return false;
}

bool conf_parse_uint(const char *s, unsigned long min, unsigned long max,
		     unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "true")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "no") || !strcmp(s, "off") || !strcmp(s, "false")) {
		*out = false;
		return true;
	}
	return false;
}

static bool valid_hostname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONF_HOST_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return false;
	return true;
}

bool conf_portal_parse(const char *text, struct conf_portal *p)
{
	char buf[CONF_HOST_MAX + 8];
	const char *port = NULL;
	unsigned long v;
	size_t n = strlen(text);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, text, n + 1);
	memset(p, 0, sizeof(*p));
	p->port = 3260;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		struct in6_addr a6;

		if (!close)
			return false;
		*close = '\0';
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return false;
		if (inet_pton(AF_INET6, buf + 1, &a6) != 1)
			return false;
		str_copy(p->host, sizeof(p->host), buf + 1);
	} else {
		char *colon = strchr(buf, ':');

		if (colon) {
			if (strchr(colon + 1, ':'))
				return false;	/* bare IPv6 needs brackets */
			*colon = '\0';
			port = colon + 1;
		}
		if (!valid_hostname(buf))
			return false;
		str_copy(p->host, sizeof(p->host), buf);
	}
	if (port) {
		if (!conf_parse_uint(port, 1, 65535, &v))
			return false;
		p->port = (uint16_t)v;
	}
	return true;
}

static int split_words(char *line, char **w)
{
	int n = 0;
	char *s = line;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static bool portal_seen(const struct pw_conf *c, const struct conf_portal *p)
{
	for (unsigned int i = 0; i < c->n_nodes; i++)
		for (unsigned int j = 0; j < c->nodes[i].n_portals; j++)
			if (!strcmp(c->nodes[i].portals[j].host, p->host) &&
			    c->nodes[i].portals[j].port == p->port)
				return true;
	return false;
}

/* node NAME PORTAL... [target IQN] */
static bool do_node(struct parse_ctx *p, struct pw_conf *c, char **w, int n)
{
	struct conf_node *node;

	if (n < 3)
		return fail(p, "node needs a name and at least one portal");
	if (c->n_nodes == CONF_MAX_NODES)
		return fail(p, "more than %d nodes", CONF_MAX_NODES);
	if (strlen(w[1]) >= CONF_NAME_MAX || !valid_hostname(w[1]))
		return fail(p, "node name must be letters, digits, '-', '.' "
			    "and shorter than %d", CONF_NAME_MAX);
	for (unsigned int i = 0; i < c->n_nodes; i++)
		if (!strcmp(c->nodes[i].name, w[1]))
			return fail(p, "node %s already defined at line %d",
				    w[1], c->nodes[i].line);
	node = &c->nodes[c->n_nodes];
	memset(node, 0, sizeof(*node));
	str_copy(node->name, sizeof(node->name), w[1]);
	node->line = p->line;
	for (int i = 2; i < n; i++) {
		struct conf_portal portal;

		if (!strcmp(w[i], "target")) {
			if (i + 1 >= n)
				return fail(p, "target needs an IQN");
			if (strlen(w[i + 1]) >= CONF_IQN_MAX ||
			    (strncmp(w[i + 1], "iqn.", 4) &&
			     strncmp(w[i + 1], "eui.", 4) &&
			     strncmp(w[i + 1], "naa.", 4)))
				return fail(p, "target must be an iqn., eui. "
					    "or naa. name");
			snprintf(node->target, sizeof(node->target), "%s",
				 w[++i]);
			continue;
		}
		if (!conf_portal_parse(w[i], &portal))
			return fail(p, "bad portal (want ADDRESS[:PORT] or "
				    "[IPv6]:PORT)");
		if (portal_seen(c, &portal))
			return fail(p, "portal %s:%u listed twice",
				    portal.host, portal.port);
		if (node->n_portals == CONF_MAX_PORTALS)
			return fail(p, "more than %d portals", CONF_MAX_PORTALS);
		node->portals[node->n_portals++] = portal;
	}
	if (node->n_portals == 0)
		return fail(p, "node %s has no portal", node->name);
	/* Duplicates within one line. */
	for (unsigned int i = 0; i < node->n_portals; i++)
		for (unsigned int j = i + 1; j < node->n_portals; j++)
			if (!strcmp(node->portals[i].host,
				    node->portals[j].host) &&
			    node->portals[i].port == node->portals[j].port)
				return fail(p, "portal %s:%u listed twice",
					    node->portals[i].host,
					    node->portals[i].port);
	c->n_nodes++;
	return true;
}

/* probe MAP [interval-ms N] [size N] [timeout-ms N] [write] [test-lun] */
static bool do_probe(struct parse_ctx *p, struct pw_conf *c, char **w, int n)
{
	struct conf_probe *pr;
	unsigned long v;

	if (n < 2)
		return fail(p, "probe needs a multipath map name");
	if (c->n_probes == CONF_MAX_PROBES)
		return fail(p, "more than %d probes", CONF_MAX_PROBES);
	if (strlen(w[1]) >= CONF_MAP_MAX || strchr(w[1], '/'))
		return fail(p, "bad map name");
	for (unsigned int i = 0; i < c->n_probes; i++)
		if (!strcmp(c->probes[i].map, w[1]))
			return fail(p, "map %s already probed (line %d)", w[1],
				    c->probes[i].line);
	pr = &c->probes[c->n_probes];
	memset(pr, 0, sizeof(*pr));
	str_copy(pr->map, sizeof(pr->map), w[1]);
	pr->interval_ms = 25;
	pr->size = 4096;
	pr->timeout_ms = 250;
	pr->line = p->line;
	for (int i = 2; i < n; i++) {
		if (!strcmp(w[i], "write")) {
			pr->write = true;
		} else if (!strcmp(w[i], "test-lun")) {
			pr->test_lun = true;
		} else if (!strcmp(w[i], "interval-ms") ||
			   !strcmp(w[i], "size") ||
			   !strcmp(w[i], "stall-ms")) {
			if (i + 1 >= n)
				return fail(p, "%s needs a value", w[i]);
			if (!strcmp(w[i], "interval-ms")) {
				if (!conf_parse_uint(w[i + 1], 1, 60000, &v))
					return fail(p, "interval-ms must be "
						    "1-60000");
				pr->interval_ms = v;
			} else if (!strcmp(w[i], "size")) {
				if (!conf_parse_uint(w[i + 1], 512, 1 << 20, &v) ||
				    v % 512)
					return fail(p, "size must be a multiple "
						    "of 512 up to 1048576");
				pr->size = v;
			} else {
				if (!conf_parse_uint(w[i + 1], 10, 600000, &v))
					return fail(p, "stall-ms must be "
						    "10-600000");
				pr->timeout_ms = v;
			}
			i++;
		} else {
			return fail(p, "unknown probe option '%s'", w[i]);
		}
	}
	if (pr->write && !pr->test_lun)
		return fail(p, "probe %s: write needs the map marked "
			    "test-lun (writes destroy data)", pr->map);
	c->n_probes++;
	return true;
}

struct uint_opt {
	const char *name;
	size_t off;
	unsigned long min, max;
};

#define UOPT(n, field, lo, hi) { n, offsetof(struct pw_conf, field), lo, hi }
static const struct uint_opt uint_opts[] = {
	UOPT("noop-interval", noop_interval_s, 0, 3600),
	UOPT("noop-timeout", noop_timeout_s, 0, 3600),
	UOPT("replacement-timeout", replacement_timeout_s, 0, 86400),
	UOPT("login-timeout", login_timeout_s, 1, 3600),
	UOPT("iscsi-timeout", iscsi_timeout_s, 1, 600),
	UOPT("rtpg-timeout-ms", rtpg_timeout_ms, 100, 60000),
	UOPT("resync", resync_s, 1, 3600),
	UOPT("group-watch-ms", group_watch_ms, 0, 60000),
	UOPT("portal-check-ms", portal_check_ms, 0, 60000),
	UOPT("portal-connect-ms", portal_connect_ms, 10, 10000),
	UOPT("early-failover-ms", early_failover_ms, 100, 60000),
};

static bool do_line(struct parse_ctx *p, struct pw_conf *c, char **w, int n)
{
	unsigned long v;

	if (!strcmp(w[0], "node"))
		return do_node(p, c, w, n);
	if (!strcmp(w[0], "probe"))
		return do_probe(p, c, w, n);
	for (size_t i = 0; i < sizeof(uint_opts) / sizeof(uint_opts[0]); i++) {
		const struct uint_opt *o = &uint_opts[i];

		if (strcmp(w[0], o->name))
			continue;
		if (n != 2)
			return fail(p, "%s takes one number", o->name);
		if (!conf_parse_uint(w[1], o->min, o->max, &v))
			return fail(p, "%s must be a number from %lu to %lu",
				    o->name, o->min, o->max);
		*(unsigned int *)((char *)c + o->off) = (unsigned int)v;
		return true;
	}
	if (!strcmp(w[0], "alua-switch") || !strcmp(w[0], "relogin") ||
	    !strcmp(w[0], "early-failover")) {
		bool *b = w[0][0] == 'a' ? &c->alua_switch :
			  w[0][0] == 'r' ? &c->relogin : &c->early_failover;

		if (n != 2 || !parse_bool(w[1], b))
			return fail(p, "%s takes yes or no", w[0]);
		return true;
	}
	if (!strcmp(w[0], "metrics")) {
		struct conf_portal a;
		unsigned char buf[sizeof(struct in6_addr)];

		if (n != 2)
			return fail(p, "metrics takes ADDRESS:PORT or off");
		if (!strcmp(w[1], "off")) {
			c->metrics_enabled = false;
			return true;
		}
		if (!conf_portal_parse(w[1], &a) ||
		    (inet_pton(AF_INET, a.host, buf) != 1 &&
		     inet_pton(AF_INET6, a.host, buf) != 1))
			return fail(p, "metrics wants a numeric ADDRESS:PORT");
		/* The port is not implied for metrics: 3260 makes no sense. */
		if (!strchr(w[1] + (w[1][0] == '[' ? strcspn(w[1], "]") : 0),
			    ':'))
			return fail(p, "metrics needs a port");
		c->metrics_enabled = true;
		snprintf(c->metrics_addr, sizeof(c->metrics_addr), "%s",
			 a.host);
		c->metrics_port = a.port;
		return true;
	}
	if (!strcmp(w[0], "records")) {
		if (n != 2 || w[1][0] != '/')
			return fail(p, "records takes an absolute file name");
		if (strlen(w[1]) >= CONF_PATH_MAX)
			return fail(p, "records file name too long");
		str_copy(c->records_path, sizeof(c->records_path), w[1]);
		return true;
	}
	return fail(p, "unknown directive '%.40s'", w[0]);
}

static bool check_whole(struct parse_ctx *p, struct pw_conf *c)
{
	if (c->n_nodes == 0)
		return fail(p, "no node defined (need at least one "
			    "'node NAME PORTAL...' line)");
	if (c->noop_interval_s == 0 && c->noop_timeout_s != 0)
		return fail(p, "noop-timeout without noop-interval: NOP-Outs "
			    "are off, the timeout would never apply");
	if (c->early_failover && !c->portal_check_ms)
		return fail(p, "early-failover needs the portal probes "
			    "(portal-check-ms above 0)");
	if (c->early_failover && !c->n_probes)
		return fail(p, "early-failover needs a probe: it acts only "
			    "while I/O is stuck");
	if (c->portal_check_ms && c->portal_connect_ms >= c->portal_check_ms)
		return fail(p, "portal-connect-ms must be shorter than "
			    "portal-check-ms");
	return true;
}

bool conf_parse(FILE *f, const char *name, struct pw_conf *c, char *err,
		size_t errlen)
{
	struct parse_ctx p = { .name = name, .line = 0, .err = err,
			       .errlen = errlen };
	char line[LINE_MAX_LEN + 2];
	char *w[MAX_WORDS];

	conf_defaults(c);
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		int n;

		p.line++;
		if (len && line[len - 1] == '\n') {
			line[--len] = '\0';
		} else if (len > LINE_MAX_LEN) {
			return fail(&p, "line longer than %d characters",
				    LINE_MAX_LEN);
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		for (size_t i = 0; i < len; i++)
			if (line[i] == '\0' || (!isprint((unsigned char)line[i])
					       && line[i] != '\t'))
				return fail(&p, "control character in line");
		n = split_words(line, w);
		if (n < 0)
			return fail(&p, "more than %d words", MAX_WORDS);
		if (n == 0)
			continue;
		if (!do_line(&p, c, w, n))
			return false;
	}
	if (ferror(f))
		return fail(&p, "read error: %s", strerror(errno));
	p.line = p.line ? p.line : 1;
	return check_whole(&p, c);
}

bool conf_file_trusted(int fd, const char *path, char *err, size_t errlen)
{
	uid_t me = geteuid();
	struct stat st;

	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: cannot stat: %s", path,
			 strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return false;
	}
	/* Root trusts only root's files; a normal user (a test, a dry
	 * run) also its own, which cannot give it more than it has. */
	if (st.st_uid != 0 && st.st_uid != me) {
		snprintf(err, errlen, "%s: owned by uid %u, not root: refused",
			 path, (unsigned int)st.st_uid);
		return false;
	}
	if ((st.st_mode & S_IWOTH) ||
	    ((st.st_mode & S_IWGRP) && st.st_gid != 0)) {
		snprintf(err, errlen, "%s: writable by %s (mode %04o): refused",
			 path, st.st_mode & S_IWOTH ? "others" : "its group",
			 (unsigned int)(st.st_mode & 07777));
		return false;
	}
	return true;
}

FILE *conf_open_trusted(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return NULL;
	}
	if (!conf_file_trusted(fileno(f), path, err, errlen)) {
		fclose(f);
		return NULL;
	}
	return f;
}

bool conf_load(const char *path, struct pw_conf *c, char *err, size_t errlen)
{
	/* The daemon runs as root and logs in to whatever portals the
	 * file names: a file others can write would steer it. */
	FILE *f = conf_open_trusted(path, err, errlen);
	bool ok;

	if (!f)
		return false;
	ok = conf_parse(f, path, c, err, errlen);
	fclose(f);
	return ok;
}

const struct conf_node *conf_node_by_portal(const struct pw_conf *c,
					    const char *addr, unsigned int port,
					    unsigned int *portal_idx)
{
	for (unsigned int i = 0; i < c->n_nodes; i++)
		for (unsigned int j = 0; j < c->nodes[i].n_portals; j++) {
			const struct conf_portal *p = &c->nodes[i].portals[j];

			if (p->port == port && !strcmp(p->host, addr)) {
				if (portal_idx)
					*portal_idx = j;
				return &c->nodes[i];
			}
		}
	return NULL;
}

const struct conf_node *conf_node_by_target(const struct pw_conf *c,
					    const char *target)
{
	for (unsigned int i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].target[0] && !strcmp(c->nodes[i].target, target))
			return &c->nodes[i];
	return NULL;
}

unsigned int conf_total_portals(const struct pw_conf *c)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->n_nodes; i++)
		n += c->nodes[i].n_portals;
	return n;
}

void conf_print(const struct pw_conf *c, FILE *out)
{
	for (unsigned int i = 0; i < c->n_nodes; i++) {
		const struct conf_node *n = &c->nodes[i];

		fprintf(out, "node %s", n->name);
		for (unsigned int j = 0; j < n->n_portals; j++)
			fprintf(out, strchr(n->portals[j].host, ':') ?
				" [%s]:%u" : " %s:%u", n->portals[j].host,
				n->portals[j].port);
		if (n->target[0])
			fprintf(out, " target %s", n->target);
		fputc('\n', out);
	}
	fprintf(out, "noop-interval %u\nnoop-timeout %u\n"
		"replacement-timeout %u\nlogin-timeout %u\niscsi-timeout %u\n",
		c->noop_interval_s, c->noop_timeout_s,
		c->replacement_timeout_s, c->login_timeout_s,
		c->iscsi_timeout_s);
	for (unsigned int i = 0; i < c->n_probes; i++) {
		const struct conf_probe *p = &c->probes[i];

		fprintf(out, "probe %s interval-ms %u size %u stall-ms %u%s%s\n",
			p->map, p->interval_ms, p->size, p->timeout_ms,
			p->write ? " write" : "", p->test_lun ? " test-lun" : "");
	}
	if (c->metrics_enabled)
		fprintf(out, strchr(c->metrics_addr, ':') ?
			"metrics [%s]:%u\n" : "metrics %s:%u\n",
			c->metrics_addr, c->metrics_port);
	else
		fprintf(out, "metrics off\n");
	fprintf(out, "records %s\nrtpg-timeout-ms %u\nresync %u\n"
		"group-watch-ms %u\n"
		"alua-switch %s\nrelogin %s\nportal-check-ms %u\n"
		"portal-connect-ms %u\nearly-failover %s\n"
		"early-failover-ms %u\n", c->records_path, c->rtpg_timeout_ms,
		c->resync_s, c->group_watch_ms, c->alua_switch ? "yes" : "no",
		c->relogin ? "yes" : "no", c->portal_check_ms,
		c->portal_connect_ms, c->early_failover ? "yes" : "no",
		c->early_failover_ms);
}
