/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One judgement of sense data.  libsgutils2 normalises fixed and descriptor
 * format; this table names what the ALUA logic does with each answer.
 */
#ifndef PATHWARDEN_SENSE_H
#define PATHWARDEN_SENSE_H

#include <stddef.h>
#include <stdint.h>

enum sense_verdict {
	SENSE_NONE = 0,			/* no usable sense data */
	SENSE_RECOVERED,		/* key 1: the command succeeded */
	SENSE_TRANSITIONING,		/* 02/04/0A */
	SENSE_STANDBY,			/* 02/04/0B */
	SENSE_UNAVAILABLE,		/* 02/04/0C */
	SENSE_OFFLINE,			/* 02/04/12 */
	SENSE_NOT_READY,		/* other key 2 */
	SENSE_ALUA_CHANGED,		/* 06/2A/06: asymmetric access state changed */
	SENSE_RESET,			/* 06/29/xx: power on, reset, I_T nexus loss */
	SENSE_INQUIRY_CHANGED,		/* 06/3F/xx: inquiry data / LUNs changed */
	SENSE_UNIT_ATTENTION,		/* other key 6 */
	SENSE_UNSUPPORTED,		/* 05/20/00 or 05/24/00: not supported */
	SENSE_ILLEGAL_REQUEST,		/* other key 5 */
	SENSE_MEDIUM_OR_HW,		/* keys 3, 4 */
	SENSE_ABORTED,			/* key B */
	SENSE_OTHER,
};

struct sense_info {
	uint8_t key;
	uint8_t asc;
	uint8_t ascq;
	enum sense_verdict verdict;
};

/* Decode @len bytes of fixed or descriptor format sense data. */
void sense_judge(const uint8_t *sense, size_t len, struct sense_info *out);

const char *sense_verdict_name(enum sense_verdict v);

/* A unit attention that a retry of the same command clears. */
static inline int sense_is_retryable_ua(enum sense_verdict v)
{
	return v == SENSE_ALUA_CHANGED || v == SENSE_RESET ||
	       v == SENSE_INQUIRY_CHANGED || v == SENSE_UNIT_ATTENTION;
}

#endif
