/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_MONITOR_STATUS_H
#define PW_MONITOR_STATUS_H

#include <stdio.h>

#include "topology.h"

void status_print_table(const struct pw_view *v, FILE *out);
/* One JSON document; returns 0 or -ENOMEM. */
int status_print_json(const struct pw_view *v, FILE *out);

#endif
