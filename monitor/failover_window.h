/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failover windows.  A prober reports each I/O (issue and completion on
 * CLOCK_MONOTONIC) and the daemon reports events (path failed, group
 * switched, ALUA change, session state).  A window runs from the issue of
 * the first stalled I/O to the first completion after it; it is closed
 * into a record once the events that follow have had time to arrive.
 *
 * No clock is read here: every call carries its time, so tests replay
 * sequences with exact times.
 */
#ifndef PW_MONITOR_FAILOVER_WINDOW_H
#define PW_MONITOR_FAILOVER_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

enum fw_event_kind {
	FW_EV_PATH_FAILED,	/* detection */
	FW_EV_PATH_REINSTATED,
	FW_EV_SESSION_STATE,	/* detection when it leaves LOGGED_IN */
	FW_EV_ALUA_CHANGE,	/* detection */
	FW_EV_PORTAL_DOWN,	/* detection: TCP probe failed */
	FW_EV_PORTAL_UP,
	FW_EV_GROUP_SWITCHED,	/* switch: the group in use changed */
	FW_EV_SWITCH_REQUESTED,	/* pathwarden asked multipathd to switch */
	FW_EV_N
};

const char *fw_event_name(enum fw_event_kind k);
bool fw_event_is_detection(enum fw_event_kind k);

#define FW_MAX_EVENTS 32
#define FW_DETAIL_MAX 64

struct fw_event {
	uint64_t t_ns;
	enum fw_event_kind kind;
	char detail[FW_DETAIL_MAX];
};

struct fw_record {
	uint64_t start_ns;		/* issue of the first stalled I/O */
	uint64_t end_ns;		/* first completion after it */
	bool has_detect, has_switch;
	int64_t detect_ns;		/* first detection event - start; may be
					 * negative: known before the I/O saw it */
	int64_t switch_ns;		/* first switch event at/after start */
	unsigned int io_errors;		/* I/Os that failed inside */
	unsigned int ios_stalled;	/* I/Os slower than the threshold */
	unsigned int n_events;
	struct fw_event events[FW_MAX_EVENTS];	/* relative order kept */
};

enum fw_state { FW_IDLE, FW_STALLED, FW_CLOSING };

struct fw_tracker {
	uint64_t stall_ns;		/* an I/O slower than this stalls */
	uint64_t lead_ns;		/* events kept before a window */
	uint64_t tail_ns;		/* wait after the end for late events */
	enum fw_state state;
	struct fw_record cur;
	/* Recent events while idle, so the ones just before a stall count. */
	unsigned int n_recent;
	struct fw_event recent[FW_MAX_EVENTS];
	void (*emit)(void *arg, const struct fw_record *r);
	void *arg;
	uint64_t windows;		/* closed so far */
};

void fw_init(struct fw_tracker *t, uint64_t stall_ns,
	     void (*emit)(void *, const struct fw_record *), void *arg);

/* One I/O completed (or failed) at @done_ns after being issued at
 * @issued_ns. */
void fw_io_done(struct fw_tracker *t, uint64_t issued_ns, uint64_t done_ns,
		bool ok);
/*
 * Periodic: @oldest_ns is the issue time of the oldest I/O still in
 * flight (0 when none).  Opens a window when it is older than the stall
 * threshold, and closes a finished window after its tail.
 */
void fw_tick(struct fw_tracker *t, uint64_t now_ns, uint64_t oldest_ns);
void fw_event(struct fw_tracker *t, uint64_t t_ns, enum fw_event_kind kind,
	      const char *detail);
/* Time the tracker next needs a tick by, or UINT64_MAX. */
uint64_t fw_next_deadline(const struct fw_tracker *t, uint64_t oldest_ns);

#endif
