// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "failover_window.h"
#include "strutil.h"

static const char *const event_names[FW_EV_N] = {
	[FW_EV_PATH_FAILED] = "path_failed",
	[FW_EV_PATH_REINSTATED] = "path_reinstated",
	[FW_EV_SESSION_STATE] = "session_state",
	[FW_EV_ALUA_CHANGE] = "alua_change",
	[FW_EV_PORTAL_DOWN] = "portal_down",
	[FW_EV_PORTAL_UP] = "portal_up",
	[FW_EV_GROUP_SWITCHED] = "group_switched",
	[FW_EV_SWITCH_REQUESTED] = "switch_requested",
};

const char *fw_event_name(enum fw_event_kind k)
{
	return k < FW_EV_N ? event_names[k] : "?";
}

bool fw_event_is_detection(enum fw_event_kind k)
{
	return k == FW_EV_PATH_FAILED || k == FW_EV_SESSION_STATE ||
	       k == FW_EV_ALUA_CHANGE || k == FW_EV_PORTAL_DOWN;
}

void fw_init(struct fw_tracker *t, uint64_t stall_ns,
	     void (*emit)(void *, const struct fw_record *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->stall_ns = stall_ns;
	/* An ALUA change or a failed path shortly before the first slow
	 * I/O was issued belongs to the window: keep 2 s of history. */
	t->lead_ns = 2000000000ull;
	t->tail_ns = 1000000000ull;
	t->emit = emit;
	t->arg = arg;
}

static void push(struct fw_event *arr, unsigned int *n,
		 const struct fw_event *e)
{
	if (*n == FW_MAX_EVENTS) {
		memmove(arr, arr + 1, (FW_MAX_EVENTS - 1) * sizeof(*arr));
		(*n)--;
	}
	arr[(*n)++] = *e;
}

static void open_window(struct fw_tracker *t, uint64_t start_ns)
{
	memset(&t->cur, 0, sizeof(t->cur));
	t->cur.start_ns = start_ns;
	for (unsigned int i = 0; i < t->n_recent; i++)
		if (t->recent[i].t_ns + t->lead_ns >= start_ns)
			push(t->cur.events, &t->cur.n_events, &t->recent[i]);
	t->n_recent = 0;
	t->state = FW_STALLED;
}

/* Detection: the first detection event kept, which may come before the
 * stalled I/O was issued (the ALUA change, a failed path).  Switch: the
 * first group switch at or after the start. */
static void classify(struct fw_record *r)
{
	for (unsigned int i = 0; i < r->n_events; i++) {
		const struct fw_event *e = &r->events[i];
		int64_t off = (int64_t)(e->t_ns - r->start_ns);

		if (fw_event_is_detection(e->kind) && !r->has_detect) {
			r->has_detect = true;
			r->detect_ns = off;
		}
		if ((e->kind == FW_EV_GROUP_SWITCHED ||
		     e->kind == FW_EV_SWITCH_REQUESTED) && !r->has_switch &&
		    off >= 0) {
			r->has_switch = true;
			r->switch_ns = off;
		}
	}
}

static void close_window(struct fw_tracker *t)
{
	classify(&t->cur);
	t->windows++;
	if (t->emit)
		t->emit(t->arg, &t->cur);
	t->state = FW_IDLE;
	t->n_recent = 0;
}

void fw_io_done(struct fw_tracker *t, uint64_t issued_ns, uint64_t done_ns,
		bool ok)
{
	bool slow = done_ns - issued_ns > t->stall_ns;

	switch (t->state) {
	case FW_IDLE:
		if (!slow && ok)
			return;
		/* A stall the ticks did not see (it ended between two), or
		 * a failed I/O: a window that is already over. */
		open_window(t, issued_ns);
		t->cur.end_ns = done_ns;
		t->cur.ios_stalled += slow;
		t->cur.io_errors += !ok;
		t->state = FW_CLOSING;
		return;
	case FW_STALLED:
		if (issued_ns < t->cur.start_ns)
			open_window(t, issued_ns);	/* an older one was stuck */
		t->cur.ios_stalled += slow;
		t->cur.io_errors += !ok;
		if (ok) {
			t->cur.end_ns = done_ns;
			t->state = FW_CLOSING;
		}
		return;
	case FW_CLOSING:
		/* I/Os issued inside the window and finishing now are part
		 * of it; a new stall after it is a new window. */
		if (issued_ns < t->cur.end_ns) {
			t->cur.ios_stalled += slow;
			t->cur.io_errors += !ok;
			return;
		}
		if (!slow && ok)
			return;
		close_window(t);
		fw_io_done(t, issued_ns, done_ns, ok);
		return;
	}
}

void fw_tick(struct fw_tracker *t, uint64_t now_ns, uint64_t oldest_ns)
{
	if (t->state == FW_CLOSING && now_ns >= t->cur.end_ns + t->tail_ns)
		close_window(t);
	if (t->state == FW_IDLE && oldest_ns && now_ns - oldest_ns > t->stall_ns)
		open_window(t, oldest_ns);
}

uint64_t fw_next_deadline(const struct fw_tracker *t, uint64_t oldest_ns)
{
	uint64_t d = UINT64_MAX;

	if (t->state == FW_CLOSING)
		d = t->cur.end_ns + t->tail_ns;
	if (t->state == FW_IDLE && oldest_ns)
		d = oldest_ns + t->stall_ns + 1;
	return d;
}

void fw_event(struct fw_tracker *t, uint64_t t_ns, enum fw_event_kind kind,
	      const char *detail)
{
	struct fw_event e = { .t_ns = t_ns, .kind = kind };

	str_copy(e.detail, sizeof(e.detail), detail ? detail : "");
	if (t->state == FW_IDLE) {
		push(t->recent, &t->n_recent, &e);
		return;
	}
	if (t->state == FW_CLOSING && t_ns > t->cur.end_ns + t->tail_ns) {
		close_window(t);
		push(t->recent, &t->n_recent, &e);
		return;
	}
	push(t->cur.events, &t->cur.n_events, &e);
}
