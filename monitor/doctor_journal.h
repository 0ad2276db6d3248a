/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `pathwarden doctor --journal`: each finding as a journal entry too
 * (MESSAGE_ID doctor, PATHWARDEN_STATE its keyword, PATHWARDEN_FIX its
 * fix, the priority from its severity), for a timer that runs doctor and
 * a fleet tool that selects findings by id.
 */
#ifndef PW_MONITOR_DOCTOR_JOURNAL_H
#define PW_MONITOR_DOCTOR_JOURNAL_H

#include "doctor.h"

/* journald's native socket (systemd.journal-fields(7), sd-journal(3)) */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* 0, or -errno: no journald listening (-ENOENT), or the first entry it
 * did not take. */
int findings_to_journal(const struct findings *fs);

#endif
