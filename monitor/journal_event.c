// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include <systemd/sd-journal.h>

#include "journal_event.h"

static const struct {
	const char *id, *name;
} kinds[JEV_KINDS] = {
	[JEV_FAILOVER] = { "e680eb1a4a664132ada011a1dabae37a", "failover" },
	[JEV_IO_STALL] = { "8964f179343346afbbe92c416bc320ad", "io_stall" },
	[JEV_PATH] = { "a78de77701444936bf2fd3db9736efeb", "path" },
	[JEV_PORTAL] = { "916bea57c8f2468d980fbb0a89d895db", "portal" },
	[JEV_ALUA_CHANGE] = { "ad4550f9b11a4b81ad12d10fc62493aa",
			      "alua_change" },
	[JEV_SESSION] = { "08475f49b7f34dbc9c7188d82ae0c972", "session" },
	[JEV_DOCTOR] = { "5fc05897fa374d769c02b9d07dc367df", "doctor" },
};

const char *jev_message_id(enum jev_kind k)
{
	return (unsigned int)k < JEV_KINDS ? kinds[k].id : NULL;
}

const char *jev_kind_name(enum jev_kind k)
{
	return (unsigned int)k < JEV_KINDS ? kinds[k].name : "unknown";
}

static void put(char (*f)[JEV_FIELD_MAX], size_t max, size_t *n,
		const char *name, const char *value)
{
	if (!value || !*value || *n >= max)
		return;
	snprintf(f[(*n)++], JEV_FIELD_MAX, "%s=%s", name, value);
}

size_t jev_fields(const struct jev *e, char (*f)[JEV_FIELD_MAX], size_t max)
{
	char num[32];
	size_t n = 0;

	if ((unsigned int)e->kind >= JEV_KINDS)
		return 0;
	put(f, max, &n, "MESSAGE_ID", kinds[e->kind].id);
	put(f, max, &n, "MESSAGE", e->message && *e->message ? e->message
							      : kinds[e->kind].name);
	snprintf(num, sizeof(num), "%d", e->priority);
	put(f, max, &n, "PRIORITY", num);
	put(f, max, &n, "SYSLOG_IDENTIFIER", "pathwarden");
	put(f, max, &n, "PATHWARDEN_EVENT", kinds[e->kind].name);
	put(f, max, &n, "PATHWARDEN_MAP", e->map);
	put(f, max, &n, "PATHWARDEN_PATH", e->path);
	put(f, max, &n, "PATHWARDEN_NODE", e->node);
	put(f, max, &n, "PATHWARDEN_PORTAL", e->portal);
	put(f, max, &n, "PATHWARDEN_ALUA_STATE", e->alua_state);
	put(f, max, &n, "PATHWARDEN_STATE", e->state);
	put(f, max, &n, "PATHWARDEN_FIX", e->fix);
	if (e->group >= 0) {
		snprintf(num, sizeof(num), "%d", e->group);
		put(f, max, &n, "PATHWARDEN_GROUP", num);
	}
	if (e->latency_ms >= 0) {
		snprintf(num, sizeof(num), "%lld", e->latency_ms);
		put(f, max, &n, "PATHWARDEN_LATENCY_MS", num);
	}
	return n;
}

int jev_send(const struct jev *e)
{
	char f[JEV_FIELDS_MAX][JEV_FIELD_MAX];
	struct iovec iov[JEV_FIELDS_MAX];
	size_t n = jev_fields(e, f, JEV_FIELDS_MAX);

	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = f[i];
		iov[i].iov_len = strlen(f[i]);
	}
	return n ? sd_journal_sendv(iov, (int)n) : -EINVAL;
}
