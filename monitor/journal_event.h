/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Events as structured journal entries: one MESSAGE_ID per kind (stable:
 * listed in pathwarden(8), `journalctl MESSAGE_ID=...` selects them) and
 * PATHWARDEN_* fields for what a fleet tool filters on: map, path, node,
 * portal, ALUA state, group, latency in ms.  jev_fields builds them (no
 * I/O); jev_send hands them to journald through libsystemd.
 */
#ifndef PW_MONITOR_JOURNAL_EVENT_H
#define PW_MONITOR_JOURNAL_EVENT_H

#include <stddef.h>

enum jev_kind {
	JEV_FAILOVER,		/* I/O moved to another path group */
	JEV_IO_STALL,		/* the prober's I/O stalled, then went on */
	JEV_PATH,		/* a path failed or was reinstated */
	JEV_PORTAL,		/* a portal stopped or started answering */
	JEV_ALUA_CHANGE,	/* the target announced an ALUA change */
	JEV_SESSION,		/* an iSCSI session changed state */
	JEV_DOCTOR,		/* a doctor finding */
	JEV_KINDS
};

struct jev {
	enum jev_kind kind;
	int priority;		/* syslog's: LOG_INFO, LOG_WARNING, ... */
	const char *message;	/* the sentence, as the log line says it */
	/* NULL or "": not part of this event */
	const char *map, *path, *node, *portal, *alua_state, *state;
	const char *fix;	/* a doctor finding's fix */
	int group;		/* -1: none */
	long long latency_ms;	/* -1: none */
};

#define JEV_FIELDS_MAX 16
#define JEV_FIELD_MAX 512

/* "e680eb1a...": the 128-bit id of @k in hex, as journalctl takes it. */
const char *jev_message_id(enum jev_kind k);
/* "failover", "path", ...: PATHWARDEN_EVENT's value. */
const char *jev_kind_name(enum jev_kind k);
/* The entry's fields, "NAME=value" each, values cut to fit; returns how
 * many were written (at most @max). */
size_t jev_fields(const struct jev *e, char (*f)[JEV_FIELD_MAX], size_t max);
/* To journald.  0, or -errno (no journald listening: -ENOENT and the
 * like; the caller logs the line instead). */
int jev_send(const struct jev *e);

#endif
