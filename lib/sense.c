/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one sense judgement.  libsgutils2 normalises fixed (70h/71h) and
 * descriptor (72h/73h) format; the table below names what each answer
 * means for ALUA.
 */
#include <string.h>

#include <scsi/sg_lib.h>

#include "pathwarden/sense.h"

struct sense_rule {
	uint8_t key;
	int asc;	/* -1: any */
	int ascq;	/* -1: any */
	enum sense_verdict verdict;
};

/* First match wins: specific entries before catch-alls. */
static const struct sense_rule sense_rules[] = {
	{ 0x2, 0x04, 0x0a, SENSE_TRANSITIONING },
	{ 0x2, 0x04, 0x0b, SENSE_STANDBY },
	{ 0x2, 0x04, 0x0c, SENSE_UNAVAILABLE },
	{ 0x2, 0x04, 0x12, SENSE_OFFLINE },
	{ 0x2, -1, -1, SENSE_NOT_READY },
	{ 0x6, 0x2a, 0x06, SENSE_ALUA_CHANGED },
	/* 2A/07 implicit change failed, 2A/xx other parameter changes */
	{ 0x6, 0x29, -1, SENSE_RESET },
	{ 0x6, 0x3f, -1, SENSE_INQUIRY_CHANGED },
	{ 0x6, -1, -1, SENSE_UNIT_ATTENTION },
	{ 0x5, 0x20, 0x00, SENSE_UNSUPPORTED },	/* invalid opcode */
	{ 0x5, 0x24, 0x00, SENSE_UNSUPPORTED },	/* invalid field in CDB */
	{ 0x5, -1, -1, SENSE_ILLEGAL_REQUEST },
	{ 0x1, -1, -1, SENSE_RECOVERED },
	{ 0x3, -1, -1, SENSE_MEDIUM_OR_HW },
	{ 0x4, -1, -1, SENSE_MEDIUM_OR_HW },
	{ 0xb, -1, -1, SENSE_ABORTED },
};

void sense_judge(const uint8_t *sense, size_t len, struct sense_info *out)
{
	struct sg_scsi_sense_hdr ssh;

	memset(out, 0, sizeof(*out));
	out->verdict = SENSE_NONE;
	if (!sense || len == 0 || len > 252)
		return;
	if (!sg_scsi_normalize_sense(sense, (int)len, &ssh))
		return;
	out->key = ssh.sense_key;
	out->asc = ssh.asc;
	out->ascq = ssh.ascq;
	out->verdict = SENSE_OTHER;
	for (size_t i = 0; i < sizeof(sense_rules) / sizeof(sense_rules[0]);
	     i++) {
		const struct sense_rule *r = &sense_rules[i];

		if (r->key != out->key)
			continue;
		if (r->asc >= 0 && r->asc != out->asc)
			continue;
		if (r->ascq >= 0 && r->ascq != out->ascq)
			continue;
		out->verdict = r->verdict;
		return;
	}
}

const char *sense_verdict_name(enum sense_verdict v)
{
	switch (v) {
	case SENSE_NONE:
		return "no sense";
	case SENSE_RECOVERED:
		return "recovered error";
	case SENSE_TRANSITIONING:
		return "ALUA state transition";
	case SENSE_STANDBY:
		return "target port in standby state";
	case SENSE_UNAVAILABLE:
		return "target port in unavailable state";
	case SENSE_OFFLINE:
		return "target port in offline state";
	case SENSE_NOT_READY:
		return "not ready";
	case SENSE_ALUA_CHANGED:
		return "asymmetric access state changed";
	case SENSE_RESET:
		return "power on, reset or I_T nexus loss";
	case SENSE_INQUIRY_CHANGED:
		return "inquiry data or LUNs changed";
	case SENSE_UNIT_ATTENTION:
		return "unit attention";
	case SENSE_UNSUPPORTED:
		return "command not supported";
	case SENSE_ILLEGAL_REQUEST:
		return "illegal request";
	case SENSE_MEDIUM_OR_HW:
		return "medium or hardware error";
	case SENSE_ABORTED:
		return "aborted command";
	case SENSE_OTHER:
		return "other sense";
	}
	return "unknown sense verdict";
}
