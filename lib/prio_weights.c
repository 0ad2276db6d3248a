/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Priority from ALUA state: by class first, the preferred bit within a
 * class.  Stock alua's values (AO 50, ANO 10, LBA-dependent 5) where its
 * order is right; standby 3 and transitioning 1 where it has none (stock
 * gives transitioning, unavailable and offline all 0), and a preferred
 * bonus of 1 instead of 80, which let a preferred standby group (81)
 * outrank an active/non-optimized one (10) and keep the I/O on paths that
 * fail every command.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathwarden/tpg_query.h"

/*
 * multipathd asks for the prio right after the checker's answer, or one
 * 1 s tick later when the async check had not finished in its first 1 ms.
 */
#define DEFAULT_MAX_AGE_MS 1500
#define MAX_WEIGHT 10000

void prio_weights_default(struct prio_weights *w)
{
	w->ao = 50;
	w->ano = 10;
	w->lba_dependent = 5;
	w->standby = 3;
	w->transitioning = 1;
	w->other = 0;
	w->preferred_bonus = 1;
	w->exclusive_pref_bit = false;
	w->max_age_ms = DEFAULT_MAX_AGE_MS;
}

struct weight_key {
	const char *name;
	size_t offset;
};

static const struct weight_key weight_keys[] = {
	{ "ao", offsetof(struct prio_weights, ao) },
	{ "ano", offsetof(struct prio_weights, ano) },
	{ "lba", offsetof(struct prio_weights, lba_dependent) },
	{ "standby", offsetof(struct prio_weights, standby) },
	{ "trans", offsetof(struct prio_weights, transitioning) },
	{ "other", offsetof(struct prio_weights, other) },
	{ "pref", offsetof(struct prio_weights, preferred_bonus) },
};

static bool parse_word(const char *word, struct prio_weights *w, char *err,
		       size_t errlen)
{
	const char *eq = strchr(word, '=');
	size_t klen;
	char *end;
	long v;

	if (!strcmp(word, "exclusive_pref_bit")) {
		w->exclusive_pref_bit = true;
		return true;
	}
	if (!eq) {
		snprintf(err, errlen, "unknown prio_args word '%s'", word);
		return false;
	}
	klen = (size_t)(eq - word);
	errno = 0;
	v = strtol(eq + 1, &end, 10);
	if (eq[1] == '\0' || *end || errno || v < 0 || v > MAX_WEIGHT * 100) {
		snprintf(err, errlen, "bad number in prio_args '%s'", word);
		return false;
	}
	if (klen == 10 && !strncmp(word, "max_age_ms", klen)) {
		w->max_age_ms = (unsigned int)v;
		return true;
	}
	if (v > MAX_WEIGHT) {
		snprintf(err, errlen, "weight out of range (0-%d) in '%s'",
			 MAX_WEIGHT, word);
		return false;
	}
	for (size_t i = 0; i < sizeof(weight_keys) / sizeof(weight_keys[0]);
	     i++) {
		if (strlen(weight_keys[i].name) == klen &&
		    !strncmp(word, weight_keys[i].name, klen)) {
			*(int *)((char *)w + weight_keys[i].offset) = (int)v;
			return true;
		}
	}
	snprintf(err, errlen, "unknown prio_args key '%.*s'", (int)klen, word);
	return false;
}

/* Each class, with the preferred bonus, stays below the class above it. */
static bool order_kept(const struct prio_weights *w, char *err, size_t errlen)
{
	const struct {
		const char *upper, *lower;
		int up, low;
	} pairs[] = {
		{ "ao", "ano", w->ao, w->ano + w->preferred_bonus },
		{ "ano", "lba", w->ano, w->lba_dependent + w->preferred_bonus },
		{ "lba", "standby", w->lba_dependent,
		  w->standby + w->preferred_bonus },
		{ "standby", "trans", w->standby,
		  w->transitioning + w->preferred_bonus },
		{ "trans", "other", w->transitioning, w->other },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (pairs[i].low >= pairs[i].up) {
			snprintf(err, errlen,
				 "prio_args break the class order: %s (%d) must "
				 "exceed %s%s (%d)", pairs[i].upper,
				 pairs[i].up, pairs[i].lower,
				 i < 4 ? " + pref" : "", pairs[i].low);
			return false;
		}
	}
	return true;
}

bool prio_weights_parse(const char *args, struct prio_weights *w, char *err,
			size_t errlen)
{
	char word[64];
	const char *p = args;

	if (!args)
		return true;
	while (*p) {
		size_t n = strcspn(p, " \t,");

		if (n >= sizeof(word)) {
			snprintf(err, errlen, "prio_args word too long");
			return false;
		}
		if (n) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (!parse_word(word, w, err, errlen))
				return false;
		}
		p += n;
		if (*p)
			p++;
	}
	return order_kept(w, err, errlen);
}

int tpg_prio(const struct tpg_desc *own, const struct prio_weights *w)
{
	int prio;

	switch (own->state) {
	case ALUA_ACTIVE_OPTIMIZED:
		prio = w->ao;
		break;
	case ALUA_ACTIVE_NONOPTIMIZED:
		prio = w->ano;
		break;
	case ALUA_LBA_DEPENDENT:
		prio = w->lba_dependent;
		break;
	case ALUA_STANDBY:
		prio = w->standby;
		break;
	case ALUA_TRANSITIONING:
		prio = w->transitioning;
		break;
	default:
		/* unavailable, offline: no bonus lifts them off the bottom */
		return w->other;
	}
	if (own->preferred &&
	    (own->state != ALUA_ACTIVE_OPTIMIZED || w->exclusive_pref_bit))
		prio += w->preferred_bonus;
	return prio;
}
