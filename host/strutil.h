/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PW_HOST_STRUTIL_H
#define PW_HOST_STRUTIL_H

#include <string.h>

/* Copy with truncation; always terminates (size > 0). */
static inline void str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

#endif
