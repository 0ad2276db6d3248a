/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's side of systemd's service protocol (Type=notify), through
 * libsystemd's sd_notify: READY=1 once the first view is built, STATUS=
 * with the health line whenever it changes, STOPPING=1 on the way out,
 * and WATCHDOG=1 from a loop timer at half of WatchdogSec=, so a loop
 * that stops turning stops the pings and systemd restarts the daemon.
 * Without NOTIFY_SOCKET (not under systemd, or Type=simple) every call
 * does nothing.
 */
#ifndef PW_MONITOR_SERVICE_NOTIFY_H
#define PW_MONITOR_SERVICE_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "loop.h"

struct service {
	struct loop *loop;
	int timer;		/* the watchdog's, -1 none */
	uint64_t ping_ns;	/* half of WatchdogSec=, 0 off */
	bool ready;
	char status[256];	/* the last STATUS= sent */
};

/* Reads WATCHDOG_USEC (for this process only) and starts the pings. */
void service_init(struct service *sv, struct loop *l);
/* The status line; READY=1 with the first.  Sent only when changed. */
void service_status(struct service *sv, const char *line);
void service_stopping(struct service *sv);
void service_free(struct service *sv);

#endif
