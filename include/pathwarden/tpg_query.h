/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Asking one path for its ALUA group and state, and judging the answer.
 * Building the commands (scsi.h) is apart from judging them (here), as in
 * scsi_dh_alua.
 */
#ifndef PATHWARDEN_TPG_QUERY_H
#define PATHWARDEN_TPG_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "pathwarden/alua.h"
#include "pathwarden/rtpg.h"
#include "pathwarden/scsi.h"

/* What became of a query; ordered from good to bad. */
enum tpg_result {
	TPG_OK = 0,
	TPG_NOT_ALUA,		/* INQUIRY TPGS 0, or no RTPG opcode at all */
	TPG_NO_GROUP_ID,	/* VPD 0x83 has no target port group designator */
	TPG_GROUP_MISSING,	/* RTPG does not list the path's own group */
	TPG_SENSE,		/* CHECK CONDITION we cannot get past */
	/*
	 * ILLEGAL REQUEST from an LU that claims ALUA: the port refuses
	 * commands, as LIO does to every command, RTPG and INQUIRY
	 * included, while its group is offline.  Never "not ALUA".
	 */
	TPG_REJECTED,
	TPG_BAD_STATUS,
	TPG_BAD_RESPONSE,	/* malformed or self-contradicting data */
	TPG_TRANSPORT,		/* the path is gone or the link is down */
	TPG_TIMEOUT,
	TPG_NOT_SCSI,
	TPG_OS_ERROR,
	TPG_NO_MEMORY,
};

const char *tpg_result_name(enum tpg_result r);

/* Per-path identity, read once and again when the device says it changed. */
struct tpg_identity {
	bool valid;
	enum alua_tpgs tpgs;
	uint16_t group_id;
	bool has_rel_port;
	uint16_t rel_port;
	/* The LU's own name (VPD 0x83, association 0): which paths are one LU. */
	uint8_t lu_len;			/* 0: none */
	uint8_t lu[VPD83_MAX_LU_DESIG + 1];	/* type byte, designator */
	/* This path has answered an RTPG since the identity was read. */
	bool rtpg_answered;
};

/* One path's answer. */
struct tpg_answer {
	enum tpg_result result;
	/*
	 * Valid when result == TPG_OK, or when from_peer says another path
	 * of the LU reported this path's group.  own.group_id is the path's
	 * group whenever its identity is known, whatever the result.
	 */
	struct tpg_desc own;
	/*
	 * own holds what another path of the same LU reported of this
	 * path's group, not the path's own answer: its own query failed
	 * (both nodes report both groups: the truth one path away), or it
	 * was not asked (result TPG_OK: the daemon asked its node through
	 * another path, rtpg_batch_add_on).  peer_age_ms: how old that is.
	 */
	bool from_peer;
	unsigned int peer_age_ms;
	bool group_known;		/* own.group_id is the path's group */
	uint8_t implicit_transition_s;
	struct sense_info sense;	/* last sense seen, for messages */
	enum scsi_outcome outcome;	/* of the last command */
	unsigned int commands;		/* SCSI commands this query sent */
	bool identity_reread;		/* identity was (re)read by this query */
};

/*
 * Read standard INQUIRY (TPGS bits) and VPD 0x83 (group id, relative port).
 * TPG_OK fills @id; otherwise @id->valid is false.
 */
enum tpg_result tpg_read_identity(struct scsi_dev *dev, unsigned int timeout_ms,
				  struct tpg_identity *id,
				  struct tpg_answer *ans);

/* Take the LU name from a parsed VPD 0x83 page into @id. */
void tpg_identity_set_lu(struct tpg_identity *id, const struct vpd83_ids *ids);

/*
 * The same identity from what the kernel already read at scan time:
 * @device_dir is a SCSI device's sysfs directory (/sys/block/sdX/device),
 * holding the files "inquiry" and "vpd_pg83".  No command is sent.
 * TPG_OK fills @id; TPG_OS_ERROR when the files cannot be read (older
 * kernels, other transports): the caller then asks the device.
 */
enum tpg_result tpg_identity_from_sysfs(const char *device_dir,
					struct tpg_identity *id);

/*
 * Send one RTPG and find the path's own group in it.  Re-reads the identity
 * first when it is not valid, and after a unit attention that says the
 * device changed (29/xx, 3F/xx).  A unit attention is retried a bounded
 * number of times.  @report, when not NULL, receives all groups.
 */
enum tpg_result tpg_query(struct scsi_dev *dev, unsigned int timeout_ms,
			  struct tpg_identity *id, struct tpg_answer *ans,
			  struct rtpg_report *report);

/* What a path checker makes of an answer. */
enum path_verdict {
	PV_UP,			/* AO, ANO, LBA-dependent */
	PV_GHOST,		/* standby; transitioning (see tpg_verdict) */
	PV_PENDING,		/* busy: ask again, keep the previous state */
	PV_DOWN,		/* unavailable, offline, path gone, rejected */
	PV_TIMEOUT,
	PV_UNSUPPORTED,		/* not an ALUA device, not SCSI */
};

enum path_verdict tpg_verdict(const struct tpg_answer *ans);

/*
 * The state of a path's group as best known: its own answer, or what a
 * peer path reported when its own query failed.  False when neither.
 */
bool tpg_answer_state(const struct tpg_answer *ans, enum alua_state *state,
		      bool *preferred);

/*
 * A failed answer for which another path's report of the same LU may
 * stand in: the path's group is known and its failure is one the target
 * made (rejected, bad answer, timeout, gone), not "not ALUA".
 */
bool tpg_answer_wants_peer(const struct tpg_answer *ans);

/*
 * Fill a failed @ans from @peer, another path's RTPG report of the same
 * LU taken @age_ms ago.  False (and @ans untouched) when the report does
 * not list the path's group or the answer does not want a peer.
 */
bool tpg_answer_from_peer(struct tpg_answer *ans,
			  const struct rtpg_report *peer, unsigned int age_ms);

/*
 * Prio values by ALUA class.  The order of the classes is fixed (AO > ANO
 * > LBA-dependent > standby > transitioning > unavailable/offline): a
 * usable group always outranks an unusable one, and the preferred bit
 * only orders groups within a class (stock alua's +80 lets a preferred
 * standby group outrank an active one).  The defaults are stock's values
 * where stock orders right.
 */
struct prio_weights {
	int ao, ano, lba_dependent, standby, transitioning, other;
	int preferred_bonus;
	bool exclusive_pref_bit;	/* bonus also for an AO preferred group */
	unsigned int max_age_ms;	/* freshest checker answer reused */
};

void prio_weights_default(struct prio_weights *w);
/*
 * Parse prio_args: "exclusive_pref_bit" and key=value words separated by
 * spaces or commas: ao= ano= lba= standby= trans= other= pref=
 * max_age_ms=.  Returns false with a message in @err for an unknown word,
 * a bad number, or weights that break the class order (each class plus
 * the preferred bonus below the class above it); @w is then left at what
 * was parsed before the error.
 */
bool prio_weights_parse(const char *args, struct prio_weights *w, char *err,
			size_t errlen);
int tpg_prio(const struct tpg_desc *own, const struct prio_weights *w);

#endif
