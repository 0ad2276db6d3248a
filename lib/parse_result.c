/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pathwarden/rtpg.h"

const char *parse_result_name(enum parse_result res)
{
	switch (res) {
	case PARSE_OK:
		return "ok";
	case PARSE_SHORT:
		return "response too short";
	case PARSE_BAD_LENGTH:
		return "reported length contradicts the data";
	case PARSE_BAD_FORMAT:
		return "unknown format";
	case PARSE_TOO_MANY:
		return "too many descriptors";
	case PARSE_NOT_FOUND:
		return "not found";
	}
	return "unknown parse result";
}
