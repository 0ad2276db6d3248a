// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <syslog.h>

#include "doctor_journal.h"
#include "journal_event.h"

static int priority(enum finding_sev s)
{
	switch (s) {
	case SEV_HAZARD:
		return LOG_ERR;
	case SEV_WARN:
		return LOG_WARNING;
	default:
		return LOG_INFO;
	}
}

int findings_to_journal(const struct findings *fs)
{
	struct stat st;

	/* sd_journal_sendv says nothing when journald is not there */
	if (stat(JOURNAL_SOCKET, &st))
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		char msg[sizeof(f->subject) + sizeof(f->what) + 64];
		struct jev e = { .kind = JEV_DOCTOR, .priority =
				 priority(f->sev), .message = msg,
				 .state = f->id, .fix = f->fix, .group = -1,
				 .latency_ms = -1 };
		int rc;

		snprintf(msg, sizeof(msg), "doctor: %s [%s] %s: %s",
			 finding_sev_name(f->sev), f->id, f->subject, f->what);
		rc = jev_send(&e);
		if (rc)
			return rc;
	}
	return 0;
}
