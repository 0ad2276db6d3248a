// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * storage.cfg reader.  PVE writes the file itself (pvesm, the web UI), but
 * an administrator may edit it, and pmxcfs shares it across the cluster:
 * every line is bounded, and one that fits nothing is skipped and counted,
 * as PVE warns and goes on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pve_storage.h"
#include "strutil.h"

bool pve_portal_parse(const char *text, struct conf_portal *p)
{
	const char *colon = strchr(text, ':');
	struct in6_addr a6;

	/* A bare IPv6 address (two colons or more, no brackets) can carry
	 * no port: PVE takes it as the whole address. */
	if (text[0] != '[' && colon && strchr(colon + 1, ':')) {
		if (strlen(text) >= sizeof(p->host) ||
		    inet_pton(AF_INET6, text, &a6) != 1)
			return false;
		memset(p, 0, sizeof(*p));
		str_copy(p->host, sizeof(p->host), text);
		p->port = 3260;
		return true;
	}
	return conf_portal_parse(text, p);
}

bool pve_portal_same(const struct conf_portal *a, const struct conf_portal *b)
{
	unsigned char x[sizeof(struct in6_addr)], y[sizeof(struct in6_addr)];
	int fam[] = { AF_INET, AF_INET6 };

	if (a->port != b->port)
		return false;
	for (size_t i = 0; i < 2; i++) {
		bool xa = inet_pton(fam[i], a->host, x) == 1;
		bool yb = inet_pton(fam[i], b->host, y) == 1;

		if (xa != yb)
			return false;
		if (xa)
			return !memcmp(x, y, fam[i] == AF_INET ? 4 : 16);
	}
	return !strcasecmp(a->host, b->host);
}

struct parse {
	struct pve_storage *s;
	size_t cap;
	bool in_section;
	struct pve_iscsi *cur;		/* the iscsi section being read */
	int line;
};

static void skipped(struct parse *p)
{
	if (!p->s->n_skipped++)
		p->s->first_skipped = p->line;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* "TYPE: ID" with nothing after the ID; false when the line is not one. */
static bool header(char *line, char **type, char **id)
{
	char *colon = strchr(line, ':'), *end;

	if (!colon || colon == line)
		return false;
	for (char *c = line; c < colon; c++)
		if (is_blank(*c))
			return false;
	*colon = '\0';
	*type = line;
	for (*id = colon + 1; is_blank(**id); (*id)++)
		;
	for (end = *id; *end && !is_blank(*end); end++)
		;
	if (end == *id)
		return false;
	for (char *c = end; *c; c++)
		if (!is_blank(*c))
			return false;
	*end = '\0';
	return true;
}

static bool new_iscsi(struct parse *p, const char *id)
{
	struct pve_storage *s = p->s;

	if (s->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct pve_iscsi *n = realloc(s->iscsi, cap * sizeof(*n));

		if (!n)
			return false;
		s->iscsi = n;
		p->cap = cap;
	}
	p->cur = &s->iscsi[s->n++];
	memset(p->cur, 0, sizeof(*p->cur));
	str_copy(p->cur->id, sizeof(p->cur->id), id);
	p->cur->line = p->line;
	return true;
}

/* "KEY [VALUE]" of the current iscsi section; the value trimmed. */
static void property(struct parse *p, char *line)
{
	struct pve_iscsi *c = p->cur;
	char *key = line, *val, *end;

	while (is_blank(*key))
		key++;
	for (val = key; *val && !is_blank(*val); val++)
		;
	if (*val)
		*val++ = '\0';
	while (is_blank(*val))
		val++;
	end = val + strlen(val);
	while (end > val && is_blank(end[-1]))
		*--end = '\0';
	if (!c)
		return;
	if (!strcmp(key, "portal")) {
		if (strlen(val) >= sizeof(c->portal_text)) {
			skipped(p);
			return;
		}
		str_copy(c->portal_text, sizeof(c->portal_text), val);
		c->portal_ok = pve_portal_parse(val, &c->portal);
	} else if (!strcmp(key, "target")) {
		if (strlen(val) >= sizeof(c->target)) {
			skipped(p);
			return;
		}
		str_copy(c->target, sizeof(c->target), val);
	} else if (!strcmp(key, "disable")) {
		/* written as a bare flag; "0" would turn it off */
		c->disabled = strcmp(val, "0") != 0;
	}
}

/* One line, its end of line taken off. */
static bool one_line(struct parse *p, char *line)
{
	char *type, *id;
	size_t i;

	for (i = 0; line[i]; i++)
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			skipped(p);
			return true;
		}
	for (i = 0; is_blank(line[i]); i++)
		;
	if (!line[i]) {			/* a blank line ends the section */
		p->in_section = false;
		p->cur = NULL;
		return true;
	}
	if (line[i] == '#')
		return true;
	if (i > 0) {
		if (p->in_section)
			property(p, line);
		else
			skipped(p);
		return true;
	}
	p->cur = NULL;
	p->in_section = header(line, &type, &id);
	if (!p->in_section) {
		skipped(p);
		return true;
	}
	return strcmp(type, "iscsi") || new_iscsi(p, id);
}

/*
 * One line into @buf, its newline dropped; false at the end of the file.
 * *@bad when it was longer than PVE_LINE_MAX (the rest is read and
 * dropped) or held a NUL: neither is a line PVE writes.
 */
static bool read_line(FILE *f, char *buf, size_t size, bool *bad)
{
	size_t n = 0;
	bool any = false;
	int c;

	*bad = false;
	while ((c = getc(f)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (c == '\0' || n + 1 == size)
			*bad = true;
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return any;
}

bool pve_storage_parse(FILE *f, struct pve_storage *out)
{
	struct parse p = { .s = out };
	char buf[PVE_LINE_MAX + 1];
	bool bad;

	memset(out, 0, sizeof(*out));
	while (read_line(f, buf, sizeof(buf), &bad)) {
		size_t len = strlen(buf);

		p.line++;
		if (bad) {
			skipped(&p);
			continue;
		}
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		if (!one_line(&p, buf)) {
			pve_storage_free(out);
			return false;
		}
	}
	return true;
}

/*
 * Opened without blocking, and only a regular file: a FIFO or a device in
 * its place would hold doctor forever.
 */
enum pve_load pve_storage_load(const char *path, struct pve_storage *out,
			       char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return PVE_ABSENT;
		snprintf(err, errlen, "%s", strerror(errno));
		return PVE_UNREADABLE;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return PVE_UNREADABLE;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return PVE_NO_MEMORY;
	}
	ok = pve_storage_parse(f, out);
	if (ok && ferror(f)) {
		snprintf(err, errlen, "read error: %s", strerror(errno));
		pve_storage_free(out);
		fclose(f);
		return PVE_UNREADABLE;
	}
	fclose(f);
	return ok ? PVE_LOADED : PVE_NO_MEMORY;
}

void pve_storage_free(struct pve_storage *s)
{
	free(s->iscsi);
	memset(s, 0, sizeof(*s));
}
