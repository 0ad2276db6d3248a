/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replay backend of the SCSI seam: answers from a script of captured
 * responses (format in replay.h), so every tier above the seam is tested
 * without a device.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pathwarden/replay.h"

#define DID_NO_CONNECT 0x01
#define DID_TIME_OUT 0x03
#define SAM_STAT_CHECK_CONDITION 0x02

enum answer_kind {
	ANS_GOOD,
	ANS_SENSE,
	ANS_TRANSPORT,
	ANS_TIMEOUT,
	ANS_STATUS,
};

static const char *const cmd_names[] = { "rtpg", "inq83", "inq", "tur",
					 "other", "any" };
enum { CMD_RTPG, CMD_INQ83, CMD_INQ, CMD_TUR, CMD_OTHER, CMD_ANY, CMD_N };

struct replay_rule {
	int cmd;
	bool once;
	bool used;
	enum answer_kind kind;
	unsigned int delay_ms;
	uint8_t status;
	uint8_t key, asc, ascq;
	uint8_t *data;
	size_t len;
};

struct replay_dev {
	pthread_mutex_t lock;
	struct replay_rule *rules;
	size_t n_rules;
	unsigned int served[CMD_N];
};

static int classify(const uint8_t *cdb, uint8_t len)
{
	if (len >= 12 && cdb[0] == 0xa3 && (cdb[1] & 0x1f) == 0x0a)
		return CMD_RTPG;
	if (len >= 6 && cdb[0] == 0x12)
		return (cdb[1] & 1) ? (cdb[2] == 0x83 ? CMD_INQ83 : CMD_OTHER)
				    : CMD_INQ;
	if (len >= 6 && cdb[0] == 0x00)
		return CMD_TUR;
	return CMD_OTHER;
}

static int cmd_from_name(const char *s)
{
	for (int i = 0; i < CMD_N; i++)
		if (!strcmp(s, cmd_names[i]))
			return i;
	return -1;
}

static bool parse_byte(const char *tok, uint8_t *out)
{
	char *end;
	unsigned long v = strtoul(tok, &end, 16);

	if (!*tok || *end || v > 0xff)
		return false;
	*out = (uint8_t)v;
	return true;
}

static void set_err(char *err, size_t errlen, unsigned int line,
		    const char *what, const char *tok)
{
	if (err && errlen)
		snprintf(err, errlen, "line %u: %s%s%s%s", line, what,
			 tok ? " '" : "", tok ? tok : "", tok ? "'" : "");
}

/* Parse one logical line (continuations already joined) into @r. */
static int parse_rule(char *text, unsigned int line, struct replay_rule *r,
		      char *err, size_t errlen)
{
	char *save = NULL, *tok;
	size_t cap = 0;

	memset(r, 0, sizeof(*r));
	tok = strtok_r(text, " \t", &save);
	r->cmd = tok ? cmd_from_name(tok) : -1;
	if (r->cmd < 0) {
		set_err(err, errlen, line, "unknown command", tok);
		return -EINVAL;
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strcmp(tok, "once"))
			r->once = true;
		else if (!strncmp(tok, "delay=", 6))
			r->delay_ms = (unsigned int)strtoul(tok + 6, NULL, 10);
		else
			break;
	}
	if (!tok) {
		set_err(err, errlen, line, "missing answer", NULL);
		return -EINVAL;
	}
	if (!strcmp(tok, "good")) {
		r->kind = ANS_GOOD;
	} else if (!strcmp(tok, "sense")) {
		char *k = strtok_r(NULL, " \t", &save);
		char *a = strtok_r(NULL, " \t", &save);
		char *q = strtok_r(NULL, " \t", &save);

		r->kind = ANS_SENSE;
		if (!k || !a || !q || !parse_byte(k, &r->key) ||
		    !parse_byte(a, &r->asc) || !parse_byte(q, &r->ascq)) {
			set_err(err, errlen, line, "sense wants KEY ASC ASCQ",
				NULL);
			return -EINVAL;
		}
		return 0;
	} else if (!strcmp(tok, "transport")) {
		r->kind = ANS_TRANSPORT;
		return 0;
	} else if (!strcmp(tok, "timeout")) {
		r->kind = ANS_TIMEOUT;
		return 0;
	} else if (!strcmp(tok, "status")) {
		char *s = strtok_r(NULL, " \t", &save);

		r->kind = ANS_STATUS;
		if (!s || !parse_byte(s, &r->status)) {
			set_err(err, errlen, line, "status wants a byte", s);
			return -EINVAL;
		}
		return 0;
	} else {
		set_err(err, errlen, line, "unknown answer", tok);
		return -EINVAL;
	}

	while ((tok = strtok_r(NULL, " \t", &save))) {
		uint8_t b;

		if (!parse_byte(tok, &b)) {
			set_err(err, errlen, line, "bad hex byte", tok);
			free(r->data);
			r->data = NULL;
			return -EINVAL;
		}
		if (r->len == cap) {
			uint8_t *n;

			cap = cap ? cap * 2 : 64;
			n = realloc(r->data, cap);
			if (!n) {
				free(r->data);
				r->data = NULL;
				return -ENOMEM;
			}
			r->data = n;
		}
		r->data[r->len++] = b;
	}
	return 0;
}

static void strip_comment(char *s)
{
	char *h = strchr(s, '#');

	if (h)
		*h = '\0';
}

static bool blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

struct replay_dev *replay_load_string(const char *text, char *err,
				      size_t errlen)
{
	struct replay_dev *rd;
	char *copy, *line, *logical = NULL;
	size_t loglen = 0;
	unsigned int lineno = 0, start_line = 0;
	int rc = 0;

	rd = calloc(1, sizeof(*rd));
	copy = strdup(text ? text : "");
	if (!rd || !copy) {
		free(rd);
		free(copy);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&rd->lock, NULL);

	/*
	 * strtok_r would fold empty lines and lose the line count, so walk
	 * the text by hand.
	 */
	for (line = copy; line && rc == 0;) {
		char *nl = strchr(line, '\n');
		bool cont;

		if (nl)
			*nl = '\0';
		lineno++;
		strip_comment(line);
		cont = (line[0] == ' ' || line[0] == '\t') && !blank(line);
		if (!blank(line) && !cont) {
			/* flush the previous logical line */
			if (logical) {
				struct replay_rule *nr = realloc(rd->rules,
					(rd->n_rules + 1) * sizeof(*nr));

				if (!nr) {
					rc = -ENOMEM;
					break;
				}
				rd->rules = nr;
				rc = parse_rule(logical, start_line,
						&rd->rules[rd->n_rules], err,
						errlen);
				if (rc == 0)
					rd->n_rules++;
				free(logical);
				logical = NULL;
				if (rc)
					break;
			}
			logical = strdup(line);
			loglen = logical ? strlen(logical) : 0;
			start_line = lineno;
			if (!logical)
				rc = -ENOMEM;
		} else if (cont) {
			size_t add = strlen(line);
			char *n;

			if (!logical) {
				set_err(err, errlen, lineno,
					"continuation without a rule", NULL);
				rc = -EINVAL;
				break;
			}
			n = realloc(logical, loglen + add + 2);
			if (!n) {
				rc = -ENOMEM;
				break;
			}
			logical = n;
			logical[loglen++] = ' ';
			memcpy(logical + loglen, line, add + 1);
			loglen += add;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (rc == 0 && logical) {
		struct replay_rule *nr = realloc(rd->rules,
						 (rd->n_rules + 1) * sizeof(*nr));

		if (!nr) {
			rc = -ENOMEM;
		} else {
			rd->rules = nr;
			rc = parse_rule(logical, start_line,
					&rd->rules[rd->n_rules], err, errlen);
			if (rc == 0)
				rd->n_rules++;
		}
	}
	free(logical);
	free(copy);
	if (rc) {
		replay_free(rd);
		errno = -rc;
		return NULL;
	}
	return rd;
}

/*
 * The text of @fd, up to its end or a read error (as fread gave it), as
 * one string; NULL when out of memory.  Read straight into the string: a
 * status over a thousand paths loads a thousand scripts, and stdio's
 * stream, its fstat and a memory stream to copy into were a quarter of
 * the time of each load.
 */
static char *read_text(int fd)
{
	size_t cap = 1024, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t got;

		if (n + 1 == cap) {
			char *p = realloc(buf, 2 * cap);

			if (!p)
				break;
			buf = p;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			buf[n] = '\0';
			return buf;
		}
		n += (size_t)got;
	}
	free(buf);
	errno = ENOMEM;
	return NULL;
}

struct replay_dev *replay_load(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct replay_dev *rd;
	char *buf;

	if (fd < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = read_text(fd);
	close(fd);
	if (!buf)
		return NULL;
	rd = replay_load_string(buf, err, errlen);
	free(buf);
	return rd;
}

void replay_free(struct replay_dev *rd)
{
	if (!rd)
		return;
	for (size_t i = 0; i < rd->n_rules; i++)
		free(rd->rules[i].data);
	free(rd->rules);
	pthread_mutex_destroy(&rd->lock);
	free(rd);
}

unsigned int replay_count(const struct replay_dev *rd, const char *cmd)
{
	int c = cmd_from_name(cmd);
	unsigned int n = 0;

	if (c < 0)
		return 0;
	if (c == CMD_ANY) {
		for (int i = 0; i < CMD_ANY; i++)
			n += rd->served[i];
		return n;
	}
	return rd->served[c];
}

int replay_answer(struct replay_dev *rd, struct scsi_io *io,
		  unsigned int *delay_ms)
{
	int cmd = classify(io->cdb, io->cdb_len);
	struct replay_rule *r = NULL;

	pthread_mutex_lock(&rd->lock);
	rd->served[cmd]++;
	for (size_t i = 0; i < rd->n_rules; i++) {
		struct replay_rule *c = &rd->rules[i];

		if (c->once && c->used)
			continue;
		if (c->cmd == cmd || c->cmd == CMD_ANY) {
			r = c;
			break;
		}
	}
	if (!r) {
		pthread_mutex_unlock(&rd->lock);
		/* A device that does not know the command. */
		io->outcome = SCSI_CHECK_CONDITION;
		io->status = SAM_STAT_CHECK_CONDITION;
		memset(io->sense, 0, 18);
		io->sense[0] = 0x70;
		io->sense[2] = 0x05;
		io->sense[7] = 10;
		io->sense[12] = 0x20;
		io->sense_len = 18;
		if (delay_ms)
			*delay_ms = 0;
		return -ENOENT;
	}
	if (r->once)
		r->used = true;
	if (delay_ms)
		*delay_ms = r->delay_ms;

	switch (r->kind) {
	case ANS_GOOD: {
		uint32_t n = r->len < io->data_len ? (uint32_t)r->len
						   : io->data_len;

		if (io->data_in && n)
			memcpy(io->data_in, r->data, n);
		io->data_got = n;
		io->outcome = SCSI_GOOD;
		break;
	}
	case ANS_SENSE:
		io->outcome = SCSI_CHECK_CONDITION;
		io->status = SAM_STAT_CHECK_CONDITION;
		memset(io->sense, 0, 18);
		io->sense[0] = 0x70;
		io->sense[2] = r->key;
		io->sense[7] = 10;
		io->sense[12] = r->asc;
		io->sense[13] = r->ascq;
		io->sense_len = 18;
		break;
	case ANS_TRANSPORT:
		io->outcome = SCSI_TRANSPORT_ERROR;
		io->host_status = DID_NO_CONNECT;
		break;
	case ANS_TIMEOUT:
		io->outcome = SCSI_TIMEOUT;
		io->host_status = DID_TIME_OUT;
		break;
	case ANS_STATUS:
		io->outcome = SCSI_BAD_STATUS;
		io->status = r->status;
		break;
	}
	pthread_mutex_unlock(&rd->lock);
	return 0;
}

static int replay_exec(struct scsi_dev *dev, struct scsi_io *io)
{
	struct replay_dev *rd = dev->priv;
	unsigned int delay = 0;

	if (!rd)
		return -ENODEV;
	replay_answer(rd, io, &delay);
	if (delay) {
		struct timespec ts = { delay / 1000, (long)(delay % 1000) * 1000000L };

		/* A slow device answers late but within its timeout. */
		if (io->outcome != SCSI_TIMEOUT &&
		    delay > io->timeout_ms && io->timeout_ms) {
			ts.tv_sec = io->timeout_ms / 1000;
			ts.tv_nsec = (long)(io->timeout_ms % 1000) * 1000000L;
			io->outcome = SCSI_TIMEOUT;
			io->host_status = DID_TIME_OUT;
			io->data_got = 0;
			io->sense_len = 0;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

const struct scsi_backend scsi_replay_backend = {
	.name = "replay",
	.exec = replay_exec,
};

void replay_attach(struct scsi_dev *dev, struct replay_dev *rd)
{
	dev->backend = &scsi_replay_backend;
	dev->fd = -1;
	dev->priv = rd;
}
