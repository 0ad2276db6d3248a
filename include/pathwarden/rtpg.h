/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsers for the SCSI answers the ALUA logic reads: REPORT TARGET PORT
 * GROUPS (both formats), VPD page 0x83 and standard INQUIRY.  Every length
 * the device reports is checked against the buffer before it is used.
 */
#ifndef PATHWARDEN_RTPG_H
#define PATHWARDEN_RTPG_H

#include <stddef.h>
#include <stdint.h>

#include "pathwarden/alua.h"

#define RTPG_MAX_GROUPS 32
#define RTPG_HDR_LEN 4
#define RTPG_EXT_HDR_LEN 8
#define RTPG_DESC_LEN 8

enum parse_result {
	PARSE_OK = 0,
	PARSE_SHORT,		/* buffer too small for a header or descriptor */
	PARSE_BAD_LENGTH,	/* reported length contradicts the data */
	PARSE_BAD_FORMAT,	/* unknown format, page code or reserved value */
	PARSE_TOO_MANY,		/* more descriptors than we keep */
	PARSE_NOT_FOUND,	/* well-formed, but the item asked for is absent */
};

const char *parse_result_name(enum parse_result res);

struct rtpg_report {
	bool extended;			/* extended header format */
	uint8_t implicit_transition_s;	/* extended format only, else 0 */
	uint32_t data_len;		/* bytes of descriptors the device reported */
	bool truncated;			/* reported more than the buffer holds */
	bool short_extended;		/* LIO's 4-byte-short extended answer */
	unsigned int n_groups;
	struct tpg_desc groups[RTPG_MAX_GROUPS];
};

/*
 * Parse an RTPG response of @len valid bytes.  A response the device
 * truncated because our allocation length was short gives PARSE_OK with
 * @truncated set and only the whole descriptors that fit; a descriptor that
 * claims more ports than the remaining data gives PARSE_BAD_LENGTH.
 */
enum parse_result rtpg_parse(const uint8_t *buf, size_t len,
			     struct rtpg_report *out);

/* The descriptor for @group_id, or NULL. */
const struct tpg_desc *rtpg_find_group(const struct rtpg_report *rep,
				       uint16_t group_id);

/* Allocation length to ask for to hold all of what the device reported. */
uint32_t rtpg_wanted_len(const uint8_t *buf, size_t len);

#define VPD83_MAX_LU_DESIG 64

struct vpd83_ids {
	bool has_tpg;
	uint16_t tpg_id;
	bool has_rel_port;
	uint16_t rel_port;
	/* The best LU designator (NAA > EUI-64 > T10 vendor id). */
	uint8_t lu_desig_type;	/* 0 when none */
	uint8_t lu_desig_len;
	uint8_t lu_desig[VPD83_MAX_LU_DESIG];
};

enum parse_result vpd83_parse(const uint8_t *buf, size_t len,
			      struct vpd83_ids *out);

struct std_inquiry {
	uint8_t peripheral_type;
	enum alua_tpgs tpgs;
	char vendor[9];
	char product[17];
	char revision[5];
};

enum parse_result inquiry_parse(const uint8_t *buf, size_t len,
				struct std_inquiry *out);

#endif
