/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VPD page 0x83, Device Identification (SPC-4 7.8.6).  We want three
 * designators: the target port group (type 5), the relative target port
 * (type 4), and the logical unit's own name (association 0: NAA, EUI-64 or
 * T10 vendor id) which is what multipath uses as WWID.
 */
#include <string.h>

#include "pathwarden/rtpg.h"

#define VPD83_HDR_LEN 4
#define DESIG_HDR_LEN 4

enum {
	DESIG_T10 = 0x1,
	DESIG_EUI64 = 0x2,
	DESIG_NAA = 0x3,
	DESIG_REL_PORT = 0x4,
	DESIG_TPG = 0x5,
};

enum {
	ASSOC_LU = 0,
	ASSOC_PORT = 1,
};

/* Preference among LU designators, as the kernel and udev rank them. */
static int lu_rank(uint8_t type)
{
	switch (type) {
	case DESIG_NAA:
		return 3;
	case DESIG_EUI64:
		return 2;
	case DESIG_T10:
		return 1;
	default:
		return 0;
	}
}

enum parse_result vpd83_parse(const uint8_t *buf, size_t len,
			      struct vpd83_ids *out)
{
	size_t off, end;

	memset(out, 0, sizeof(*out));
	if (!buf || len < VPD83_HDR_LEN)
		return PARSE_SHORT;
	if (buf[1] != 0x83)
		return PARSE_BAD_FORMAT;

	end = (size_t)(buf[2] << 8 | buf[3]) + VPD83_HDR_LEN;
	if (end > len)
		end = len;	/* truncated by our allocation length */

	for (off = VPD83_HDR_LEN; off < end;) {
		const uint8_t *d = buf + off;
		uint8_t type, assoc, dlen;

		if (end - off < DESIG_HDR_LEN)
			return PARSE_BAD_LENGTH;
		dlen = d[3];
		if ((size_t)dlen > end - off - DESIG_HDR_LEN)
			return PARSE_BAD_LENGTH;
		type = d[1] & 0x0f;
		assoc = (d[1] >> 4) & 0x3;

		if (assoc == ASSOC_PORT && type == DESIG_TPG && dlen >= 4) {
			if (!out->has_tpg) {
				out->has_tpg = true;
				out->tpg_id = (uint16_t)(d[6] << 8 | d[7]);
			}
		} else if (assoc == ASSOC_PORT && type == DESIG_REL_PORT &&
			   dlen >= 4) {
			if (!out->has_rel_port) {
				out->has_rel_port = true;
				out->rel_port = (uint16_t)(d[6] << 8 | d[7]);
			}
		} else if (assoc == ASSOC_LU &&
			   lu_rank(type) > lu_rank(out->lu_desig_type) &&
			   dlen > 0 && dlen <= VPD83_MAX_LU_DESIG) {
			out->lu_desig_type = type;
			out->lu_desig_len = dlen;
			memcpy(out->lu_desig, d + DESIG_HDR_LEN, dlen);
		}
		off += DESIG_HDR_LEN + dlen;
	}
	return PARSE_OK;
}
