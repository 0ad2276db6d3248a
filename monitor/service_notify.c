// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "service_notify.h"

static void ping(void *arg, uint64_t now)
{
	struct service *sv = arg;

	sd_notify(0, "WATCHDOG=1");
	loop_timer_arm(sv->loop, sv->timer, now + sv->ping_ns);
}

void service_init(struct service *sv, struct loop *l)
{
	uint64_t usec = 0;

	memset(sv, 0, sizeof(*sv));
	sv->loop = l;
	sv->timer = -1;
	/* > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID, if set,
	 * names this process */
	if (sd_watchdog_enabled(0, &usec) <= 0 || !usec)
		return;
	sv->ping_ns = usec * 1000ull / 2;
	sv->timer = loop_timer_new(l, ping, sv);
	if (sv->timer < 0) {
		log_warn("no timer for the systemd watchdog: it will not be "
			 "pinged");
		return;
	}
	log_info("systemd watchdog: pinging every %llu ms",
		 (unsigned long long)(sv->ping_ns / 1000000ull));
	ping(sv, l->now());
}

void service_status(struct service *sv, const char *line)
{
	char msg[sizeof(sv->status) + 32];

	if (sv->ready && !strcmp(sv->status, line))
		return;
	snprintf(sv->status, sizeof(sv->status), "%s", line);
	snprintf(msg, sizeof(msg), "%sSTATUS=%s", sv->ready ? "" :
		 "READY=1\n", sv->status);
	sv->ready = true;
	sd_notify(0, msg);
}

void service_stopping(struct service *sv)
{
	sd_notify(0, "STOPPING=1");
	sv->ready = false;
}

void service_free(struct service *sv)
{
	if (sv->timer >= 0)
		loop_timer_free(sv->loop, sv->timer);
	sv->timer = -1;
}
