/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Standard INQUIRY data (SPC-4 6.6.2): peripheral type, TPGS, names. */
#include <string.h>

#include "pathwarden/rtpg.h"

#define STD_INQ_MIN_LEN 36

/* Copy a space-padded ASCII field, dropping trailing spaces. */
static void copy_field(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

enum parse_result inquiry_parse(const uint8_t *buf, size_t len,
				struct std_inquiry *out)
{
	size_t have;

	memset(out, 0, sizeof(*out));
	if (!buf || len < 6)
		return PARSE_SHORT;
	out->peripheral_type = buf[0] & 0x1f;
	out->tpgs = (enum alua_tpgs)((buf[5] >> 4) & 0x3);

	/* ADDITIONAL LENGTH counts from byte 5. */
	have = (size_t)buf[4] + 5;
	if (have > len)
		have = len;
	if (have < STD_INQ_MIN_LEN)
		return PARSE_OK;	/* names absent; TPGS is what matters */
	copy_field(out->vendor, buf + 8, 8);
	copy_field(out->product, buf + 16, 16);
	copy_field(out->revision, buf + 32, 4);
	return PARSE_OK;
}
