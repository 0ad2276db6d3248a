/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one clock the host layer and the daemon measure with. */
#ifndef PW_HOST_CLOCK_H
#define PW_HOST_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds: never steps, never goes back. */
static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
