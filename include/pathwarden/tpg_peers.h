/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What each LU's paths last reported of all its target port groups, kept
 * in the process that checks them (multipathd): both storage nodes report
 * both groups, so when one path's own RTPG is refused or lost, another
 * path of the same LU still says what state its group is in.
 */
#ifndef PATHWARDEN_TPG_PEERS_H
#define PATHWARDEN_TPG_PEERS_H

#include <stdbool.h>
#include <stdint.h>

#include "pathwarden/tpg_cache.h"
#include "pathwarden/tpg_query.h"

/*
 * A report older than this is not used: a stable path is checked every
 * max_polling_interval (20 s by default), so two missed checks still count.
 */
#define TPG_PEERS_MAX_AGE_MS 60000

/* @from's RTPG report of the LU named in @id, taken at @now_ms. */
void tpg_peers_store(const struct tpg_identity *id, const struct dev_key *from,
		     const struct rtpg_report *rep, uint64_t now_ms);

/*
 * Fill a failed @ans of path @self from the freshest report another path
 * of the same LU made no more than @max_age_ms ago (tpg_answer_from_peer).
 * False when there is none, or the answer wants none.
 */
bool tpg_peers_fill(const struct tpg_identity *id, const struct dev_key *self,
		    uint64_t now_ms, unsigned int max_age_ms,
		    struct tpg_answer *ans);

/*
 * True when another path of the LU that @self last reported has reported
 * since, later than @self did, that @self's group is no longer in the
 * state (or preferred bit) of @own: an answer of @self's as old as its
 * last report predates an ALUA change and is to be asked again.  False
 * when @self has no report on the board.
 */
bool tpg_peers_outdated(const struct dev_key *self, const struct tpg_desc *own);

/* The path is gone: its reports go with it. */
void tpg_peers_forget(const struct dev_key *from);
void tpg_peers_clear(void);

#endif
