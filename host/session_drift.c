// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Session timeouts against the configuration: which sessions are ours,
 * and whether each live value is one we or multipathd set.  Nothing here
 * reads a file or prints; see session_drift.h for what counts as drift.
 */
#include <stdlib.h>
#include <string.h>

#include "session_drift.h"

static const struct {
	const char *name, *record, *sysfs, *conf;
} settings[SESS_SETTINGS] = {
	[SETTING_REPLACEMENT_TIMEOUT] = { "replacement_timeout",
		"node.session.timeo.replacement_timeout", "recovery_tmo",
		"replacement-timeout" },
	[SETTING_NOOP_OUT_INTERVAL] = { "noop_out_interval",
		"node.conn[0].timeo.noop_out_interval", "recv_tmo",
		"noop-interval" },
	[SETTING_NOOP_OUT_TIMEOUT] = { "noop_out_timeout",
		"node.conn[0].timeo.noop_out_timeout", "ping_tmo",
		"noop-timeout" },
};

const char *sess_setting_name(enum sess_setting s)
{
	return (unsigned int)s < SESS_SETTINGS ? settings[s].name : "?";
}

const char *sess_setting_record(enum sess_setting s)
{
	return (unsigned int)s < SESS_SETTINGS ? settings[s].record : "?";
}

const char *sess_setting_sysfs(enum sess_setting s)
{
	return (unsigned int)s < SESS_SETTINGS ? settings[s].sysfs : "?";
}

const char *sess_setting_conf(enum sess_setting s)
{
	return (unsigned int)s < SESS_SETTINGS ? settings[s].conf : "?";
}

const char *sess_read_reason(enum sess_read r)
{
	switch (r) {
	case SESS_READ_OK:
		return "read";
	case SESS_READ_ABSENT:
		return "not there (a transport without it)";
	case SESS_READ_FAILED:
		return "cannot be read";
	case SESS_READ_GARBAGE:
		return "not a number of seconds";
	case SESS_READ_GONE:
		return "gone: the session ended while it was read";
	}
	return "?";
}

/* The node whose portal and target the session is, or NULL. */
static const struct conf_node *managing_node(const struct pw_conf *c,
					     const struct iscsi_sess *s,
					     const struct conf_portal **portal)
{
	unsigned int idx;
	const struct conf_node *n;

	if (s->port <= 0 || s->port > 65535)
		return NULL;
	n = conf_node_by_portal(c, s->address, (unsigned int)s->port, &idx);
	if (!n || (n->target[0] && strcmp(n->target, s->target)))
		return NULL;
	*portal = &n->portals[idx];
	return n;
}

static void judge(struct setting_check *k, int live, enum sess_read read)
{
	k->live = read == SESS_READ_OK ? live : -1;
	k->read = read;
	if (read != SESS_READ_OK)
		k->verdict = SETTING_UNREAD;
	else if (live == k->wanted)
		k->verdict = SETTING_MATCHES;
	else if (k->multipathd >= 0 && live == k->multipathd)
		k->verdict = SETTING_MULTIPATHD;
	else
		k->verdict = SETTING_DRIFTS;
}

bool session_drift_check(const struct iscsi_sess *sess, size_t n,
			 const int *fast_io_fail, const struct pw_conf *conf,
			 struct setting_checks *out)
{
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return true;
	out->c = calloc(n * SESS_SETTINGS, sizeof(*out->c));
	if (!out->c)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct iscsi_sess *s = &sess[i];
		const struct conf_portal *portal = NULL;
		const struct conf_node *node = managing_node(conf, s, &portal);
		const int live[SESS_SETTINGS] = {
			[SETTING_REPLACEMENT_TIMEOUT] = s->recovery_tmo,
			[SETTING_NOOP_OUT_INTERVAL] = s->noop_interval,
			[SETTING_NOOP_OUT_TIMEOUT] = s->noop_timeout,
		};
		const enum sess_read read[SESS_SETTINGS] = {
			[SETTING_REPLACEMENT_TIMEOUT] = s->recovery_tmo_read,
			[SETTING_NOOP_OUT_INTERVAL] = s->noop_interval_read,
			[SETTING_NOOP_OUT_TIMEOUT] = s->noop_timeout_read,
		};
		const unsigned int wanted[SESS_SETTINGS] = {
			[SETTING_REPLACEMENT_TIMEOUT] =
				conf->replacement_timeout_s,
			[SETTING_NOOP_OUT_INTERVAL] = conf->noop_interval_s,
			[SETTING_NOOP_OUT_TIMEOUT] = conf->noop_timeout_s,
		};

		if (!node)
			continue;	/* not ours: PVE's, a manual login */
		for (int st = 0; st < SESS_SETTINGS; st++) {
			struct setting_check *c = &out->c[k++];

			c->sess = s;
			c->node = node;
			c->portal = portal;
			c->setting = (enum sess_setting)st;
			c->wanted = (int)wanted[st];
			/* only recovery_tmo has a second owner */
			c->multipathd = st == SETTING_REPLACEMENT_TIMEOUT &&
					fast_io_fail && fast_io_fail[i] > 0 ?
					fast_io_fail[i] : -1;
			judge(c, live[st], read[st]);
		}
	}
	out->n = k;
	return true;
}

void setting_checks_free(struct setting_checks *c)
{
	free(c->c);
	memset(c, 0, sizeof(*c));
}
