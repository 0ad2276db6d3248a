/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one-line health of a view, for systemd's STATUS= (what `systemctl
 * status pathwarden` shows): paths up of all paths, and which nodes'
 * groups are active/optimized, e.g. "4/4 paths up, hpms01 optimized".
 */
#ifndef PW_MONITOR_HEALTH_LINE_H
#define PW_MONITOR_HEALTH_LINE_H

#include <stddef.h>

#include "topology.h"

/* @v NULL: no view yet; @why, when set, says why (multipathd's error). */
void health_line(const struct pw_view *v, const char *why, char *buf,
		 size_t len);

#endif
