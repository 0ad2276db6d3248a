/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * REPORT TARGET PORT GROUPS parameter data (SPC-4 6.36).
 *
 * Length-only header:  bytes 0-3 RETURN DATA LENGTH (of what follows).
 * Extended header:     byte 4 FORMAT TYPE (bits 4-6) = 1, byte 5 IMPLICIT
 *                      TRANSITION TIME, descriptors start at byte 8.
 * Each descriptor is 8 bytes plus 4 per target port: its length is only
 * known once its port count is read, so every step is checked against both
 * the length the device reported and the bytes we actually hold.
 */
#include <string.h>

#include "pathwarden/rtpg.h"

_Static_assert(RTPG_DESC_LEN == 8, "RTPG descriptor header is 8 bytes");

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t rtpg_wanted_len(const uint8_t *buf, size_t len)
{
	uint64_t want;

	if (len < RTPG_HDR_LEN)
		return 0;
	want = (uint64_t)get_be32(buf) + RTPG_HDR_LEN;
	return want > UINT32_MAX ? UINT32_MAX : (uint32_t)want;
}

/*
 * LIO (seen on Linux 6.1, target_core_alua.c) computes RETURN DATA LENGTH
 * in the extended format without the 4 extra header bytes and sends only
 * that much: the last descriptor's last relative port id never arrives.
 * scsi_dh_alua reads on past the data without noticing.  We accept exactly
 * that shortfall, at the very end of an extended answer the device sent
 * whole, and nothing else.
 */
static bool lio_short_extended(const struct rtpg_report *out, size_t off,
			       size_t dlen, size_t end, size_t len)
{
	return out->extended && off + dlen == end + 4 && end == len &&
	       end - off >= RTPG_DESC_LEN;
}

enum parse_result rtpg_parse(const uint8_t *buf, size_t len,
			     struct rtpg_report *out)
{
	size_t off, end;
	uint32_t ret_len;

	memset(out, 0, sizeof(*out));
	if (!buf || len < RTPG_HDR_LEN)
		return PARSE_SHORT;

	ret_len = get_be32(buf);
	/*
	 * Byte 4 bits 4-6 is FORMAT TYPE in the extended header; in the
	 * length-only format byte 4 is the first byte of a descriptor, whose
	 * bits 4-6 are reserved (0).  A device that sets them without being
	 * asked for the extended format is taken at its word.
	 */
	off = RTPG_HDR_LEN;
	if (len >= RTPG_EXT_HDR_LEN && ((buf[4] >> 4) & 0x7) == 1) {
		out->extended = true;
		out->implicit_transition_s = buf[5];
		off = RTPG_EXT_HDR_LEN;
		if (ret_len < RTPG_EXT_HDR_LEN - RTPG_HDR_LEN)
			return PARSE_BAD_LENGTH;
	} else if (len >= RTPG_EXT_HDR_LEN && ((buf[4] >> 4) & 0x7) > 1) {
		return PARSE_BAD_FORMAT;
	}

	/* Descriptors run to the reported end, or to what we hold. */
	end = (size_t)ret_len + RTPG_HDR_LEN;
	if (end > len) {
		out->truncated = true;
		end = len;
	}
	out->data_len = ret_len;

	while (off < end) {
		const uint8_t *d = buf + off;
		struct tpg_desc *g;
		size_t dlen;
		unsigned int nports;

		if (end - off < RTPG_DESC_LEN) {
			if (out->truncated)
				break;	/* partial descriptor at the cut */
			return PARSE_BAD_LENGTH;
		}
		nports = d[7];
		dlen = RTPG_DESC_LEN + 4 * (size_t)nports;
		if (dlen > end - off) {
			if (out->truncated)
				break;
			if (!lio_short_extended(out, off, dlen, end, len))
				return PARSE_BAD_LENGTH;
			/*
			 * Keep the whole descriptor header; the one port id
			 * that was never sent is not listed.
			 */
			nports = (unsigned int)((end - off - RTPG_DESC_LEN) / 4);
			dlen = end - off;
			out->short_extended = true;
		}
		if (!alua_state_valid(d[0] & 0x0f))
			return PARSE_BAD_FORMAT;
		if (out->n_groups == RTPG_MAX_GROUPS)
			return PARSE_TOO_MANY;

		g = &out->groups[out->n_groups++];
		g->preferred = (d[0] & 0x80) != 0;
		g->state = (enum alua_state)(d[0] & 0x0f);
		g->supported = d[1];
		g->group_id = get_be16(d + 2);
		g->status_code = d[5];
		g->vendor_specific = d[6];
		g->port_count = d[7];	/* as reported, even if cut */
		for (unsigned int i = 0; i < nports; i++) {
			if (g->ports_listed == ALUA_MAX_LISTED_PORTS)
				break;
			/* 2 reserved bytes, then the relative port id */
			g->rel_ports[g->ports_listed++] =
				get_be16(d + RTPG_DESC_LEN + 4 * i + 2);
		}
		off += dlen;
	}
	return PARSE_OK;
}

const struct tpg_desc *rtpg_find_group(const struct rtpg_report *rep,
				       uint16_t group_id)
{
	for (unsigned int i = 0; i < rep->n_groups; i++)
		if (rep->groups[i].group_id == group_id)
			return &rep->groups[i];
	return NULL;
}
