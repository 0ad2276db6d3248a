// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "samples.h"

int sample_log_init(struct sample_log *l, size_t elem, size_t cap)
{
	memset(l, 0, sizeof(*l));
	/* calloc: pages a short repetition never reaches are never touched */
	l->base = calloc(cap ? cap : 1, elem);
	if (!l->base)
		return -1;
	l->elem = elem;
	l->cap = cap;
	atomic_init(&l->n, 0);
	atomic_init(&l->dropped, 0);
	return 0;
}

void sample_log_free(struct sample_log *l)
{
	free(l->base);
	l->base = NULL;
	l->cap = 0;
}

bool sample_log_append(struct sample_log *l, const void *entry)
{
	size_t n = atomic_load_explicit(&l->n, memory_order_relaxed);

	if (n >= l->cap) {
		atomic_fetch_add_explicit(&l->dropped, 1, memory_order_relaxed);
		return false;
	}
	memcpy(l->base + n * l->elem, entry, l->elem);
	/* release: a reader that sees the new count sees the whole entry */
	atomic_store_explicit(&l->n, n + 1, memory_order_release);
	return true;
}

size_t sample_log_count(struct sample_log *l)
{
	return atomic_load_explicit(&l->n, memory_order_acquire);
}

const void *sample_log_entries(const struct sample_log *l)
{
	return l->base;
}

size_t sample_log_dropped(struct sample_log *l)
{
	return atomic_load_explicit(&l->dropped, memory_order_relaxed);
}

void sample_log_reset(struct sample_log *l)
{
	atomic_store_explicit(&l->n, 0, memory_order_relaxed);
	atomic_store_explicit(&l->dropped, 0, memory_order_relaxed);
}
