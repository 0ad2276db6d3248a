/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one judgement of every session's timeouts (session_drift.h) made
 * from a view: which fast_io_fail_tmo multipathd writes into each
 * session, from the maps holding its disks and multipathd's merged
 * configuration.  Doctor and the metrics both read it.
 */
#ifndef PW_MONITOR_SESSION_TIMEOUTS_H
#define PW_MONITOR_SESSION_TIMEOUTS_H

#include "session_drift.h"
#include "topology.h"

/*
 * Judge the sessions of @v against @conf.  @mpconf is multipathd's merged
 * configuration (NULL when unknown: recovery_tmo is then compared with
 * replacement-timeout alone).  The checks point into @v and @conf.
 * False on out-of-memory.
 */
bool view_setting_checks(const struct pw_view *v, const struct mpconf *mpconf,
			 const struct pw_conf *conf,
			 struct setting_checks *out);

#endif
