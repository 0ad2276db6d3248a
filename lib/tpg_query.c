/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One path's ALUA answer: which group it belongs to (INQUIRY, VPD 0x83,
 * read once) and that group's state (one RTPG per query).  Sending the
 * commands is the seam's job; judging what comes back is done here, once.
 */
#include <stdlib.h>
#include <string.h>

#include "pathwarden/tpg_query.h"

#define INQ_ALLOC 96
#define VPD83_ALLOC 512
#define VPD_MAX_ALLOC 4096
/* Enough for 30 groups of one port; grown once if the device has more. */
#define RTPG_ALLOC 256
#define RTPG_MAX_ALLOC 4096
/* A unit attention is retried this often before we give up. */
#define UA_RETRIES 3

const char *tpg_result_name(enum tpg_result r)
{
	switch (r) {
	case TPG_OK:
		return "ok";
	case TPG_NOT_ALUA:
		return "device does not support ALUA; use path_checker tur";
	case TPG_NO_GROUP_ID:
		return "no target port group in VPD page 0x83";
	case TPG_GROUP_MISSING:
		return "own target port group missing from RTPG";
	case TPG_SENSE:
		return "RTPG failed with sense data";
	case TPG_REJECTED:
		return "RTPG rejected by the target (illegal request)";
	case TPG_BAD_STATUS:
		return "RTPG got a busy status";
	case TPG_BAD_RESPONSE:
		return "malformed RTPG response";
	case TPG_TRANSPORT:
		return "transport error";
	case TPG_TIMEOUT:
		return "timed out";
	case TPG_NOT_SCSI:
		return "not a SCSI device";
	case TPG_OS_ERROR:
		return "SG_IO failed";
	case TPG_NO_MEMORY:
		return "out of memory";
	}
	return "unknown result";
}

/*
 * Map a failed command's outcome to a query result.  An ILLEGAL REQUEST
 * means "not ALUA" only for an RTPG whose opcode the LU does not know
 * (05/20/00) and that this path never answered: every other one (an
 * INQUIRY refused, RTPG refused with 05/24/00 as LIO refuses everything
 * while offline) is the port refusing commands.  Calling that "not ALUA"
 * once left the paths up while every read failed with EREMOTEIO.
 */
static enum tpg_result outcome_result(const struct scsi_io *io,
				      bool rtpg_unknown_means_not_alua)
{
	switch (io->outcome) {
	case SCSI_GOOD:
		return TPG_OK;
	case SCSI_CHECK_CONDITION:
		switch (io->sense_info.verdict) {
		case SENSE_UNSUPPORTED:
			if (rtpg_unknown_means_not_alua &&
			    io->sense_info.asc == 0x20)
				return TPG_NOT_ALUA;
			return TPG_REJECTED;
		case SENSE_ILLEGAL_REQUEST:
			return TPG_REJECTED;
		default:
			return TPG_SENSE;
		}
	case SCSI_BAD_STATUS:
		return TPG_BAD_STATUS;
	case SCSI_TRANSPORT_ERROR:
		return TPG_TRANSPORT;
	case SCSI_TIMEOUT:
		return TPG_TIMEOUT;
	case SCSI_NOT_SCSI:
		return TPG_NOT_SCSI;
	case SCSI_OS_ERROR:
		return TPG_OS_ERROR;
	}
	return TPG_OS_ERROR;
}

/* Send one data-in command, retrying unit attentions. */
static enum scsi_outcome send_in(struct scsi_dev *dev, const uint8_t *cdb,
				 uint8_t cdb_len, uint8_t *buf, uint32_t len,
				 unsigned int timeout_ms, struct scsi_io *io,
				 struct tpg_answer *ans, bool *device_changed)
{
	for (int attempt = 0;; attempt++) {
		memset(io, 0, sizeof(*io));
		io->cdb = cdb;
		io->cdb_len = cdb_len;
		io->data_in = buf;
		io->data_len = len;
		io->timeout_ms = timeout_ms;
		scsi_exec(dev, io);
		ans->commands++;
		ans->outcome = io->outcome;
		if (io->outcome != SCSI_CHECK_CONDITION)
			return io->outcome;
		ans->sense = io->sense_info;
		if (io->sense_info.verdict == SENSE_RECOVERED) {
			io->outcome = SCSI_GOOD;
			return io->outcome;
		}
		if (!sense_is_retryable_ua(io->sense_info.verdict) ||
		    attempt == UA_RETRIES)
			return io->outcome;
		if (device_changed &&
		    (io->sense_info.verdict == SENSE_RESET ||
		     io->sense_info.verdict == SENSE_INQUIRY_CHANGED))
			*device_changed = true;
	}
}

enum tpg_result tpg_read_identity(struct scsi_dev *dev, unsigned int timeout_ms,
				  struct tpg_identity *id,
				  struct tpg_answer *ans)
{
	uint8_t cdb[6];
	uint8_t inq[INQ_ALLOC];
	uint8_t *vpd;
	uint32_t vpd_len = VPD83_ALLOC;
	struct scsi_io io;
	struct std_inquiry std;
	struct vpd83_ids ids;
	enum tpg_result res;

	memset(id, 0, sizeof(*id));
	ans->identity_reread = true;

	scsi_cdb_inquiry(cdb, 0, 0, sizeof(inq));
	if (send_in(dev, cdb, sizeof(cdb), inq, sizeof(inq), timeout_ms, &io,
		    ans, NULL) != SCSI_GOOD)
		return outcome_result(&io, false);
	if (inquiry_parse(inq, io.data_got, &std) != PARSE_OK)
		return TPG_BAD_RESPONSE;
	if (std.tpgs == ALUA_TPGS_NONE)
		return TPG_NOT_ALUA;

	vpd = malloc(VPD_MAX_ALLOC);
	if (!vpd)
		return TPG_NO_MEMORY;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t want;

		scsi_cdb_inquiry(cdb, 1, 0x83, (uint16_t)vpd_len);
		if (send_in(dev, cdb, sizeof(cdb), vpd, vpd_len, timeout_ms,
			    &io, ans, NULL) != SCSI_GOOD) {
			res = outcome_result(&io, false);
			goto out;
		}
		if (io.data_got < 4) {
			res = TPG_BAD_RESPONSE;
			goto out;
		}
		want = (uint32_t)(vpd[2] << 8 | vpd[3]) + 4;
		if (want <= vpd_len || vpd_len == VPD_MAX_ALLOC)
			break;
		vpd_len = want > VPD_MAX_ALLOC ? VPD_MAX_ALLOC : want;
	}
	if (vpd83_parse(vpd, io.data_got, &ids) != PARSE_OK) {
		res = TPG_BAD_RESPONSE;
		goto out;
	}
	if (!ids.has_tpg) {
		res = TPG_NO_GROUP_ID;
		goto out;
	}
	id->valid = true;
	id->tpgs = std.tpgs;
	id->group_id = ids.tpg_id;
	id->has_rel_port = ids.has_rel_port;
	id->rel_port = ids.rel_port;
	tpg_identity_set_lu(id, &ids);
	res = TPG_OK;
out:
	free(vpd);
	return res;
}

void tpg_identity_set_lu(struct tpg_identity *id, const struct vpd83_ids *ids)
{
	/* the type byte first, so an NAA and a T10 name never compare equal */
	id->lu_len = 0;
	if (!ids->lu_desig_type || ids->lu_desig_len + 1u > sizeof(id->lu))
		return;
	id->lu[0] = ids->lu_desig_type;
	memcpy(id->lu + 1, ids->lu_desig, ids->lu_desig_len);
	id->lu_len = (uint8_t)(ids->lu_desig_len + 1);
}

/*
 * Some arrays answer RTPG itself with the NOT READY sense of the port's
 * state; that is as good an answer as a descriptor.
 */
static bool state_from_sense(enum sense_verdict v, enum alua_state *state)
{
	switch (v) {
	case SENSE_TRANSITIONING:
		*state = ALUA_TRANSITIONING;
		return true;
	case SENSE_STANDBY:
		*state = ALUA_STANDBY;
		return true;
	case SENSE_UNAVAILABLE:
		*state = ALUA_UNAVAILABLE;
		return true;
	case SENSE_OFFLINE:
		*state = ALUA_OFFLINE;
		return true;
	default:
		return false;
	}
}

/*
 * One RTPG (grown once when the device has more to say than fits) and the
 * path's own group in it.  Sets *changed when the device said it changed
 * (29/xx, 3F/xx) or our group is not listed: the LU may have been re-mapped
 * behind the same device node, so the caller reads the identity again.
 */
static enum tpg_result rtpg_round(struct scsi_dev *dev, unsigned int timeout_ms,
				  const struct tpg_identity *id,
				  struct tpg_answer *ans,
				  struct rtpg_report *rep, bool *changed)
{
	uint8_t cdb[12];
	uint8_t *buf;
	uint32_t alloc = RTPG_ALLOC;
	struct scsi_io io;
	const struct tpg_desc *own;
	enum tpg_result res;
	enum alua_state st;

	*changed = false;
	buf = malloc(RTPG_MAX_ALLOC);
	if (!buf)
		return TPG_NO_MEMORY;
	for (;;) {
		uint32_t want;

		scsi_cdb_rtpg(cdb, alloc, 1);
		if (send_in(dev, cdb, sizeof(cdb), buf, alloc, timeout_ms, &io,
			    ans, changed) != SCSI_GOOD) {
			if (io.outcome == SCSI_CHECK_CONDITION &&
			    state_from_sense(io.sense_info.verdict, &st)) {
				memset(&ans->own, 0, sizeof(ans->own));
				ans->own.group_id = id->group_id;
				ans->own.state = st;
				res = TPG_OK;
			} else {
				res = outcome_result(&io, !id->rtpg_answered);
			}
			break;
		}
		if (rtpg_parse(buf, io.data_got, rep) != PARSE_OK) {
			res = TPG_BAD_RESPONSE;
			break;
		}
		/*
		 * More claimed than sent although the buffer had room: the
		 * descriptors we hold may not be the list the device meant.
		 * (LIO 6.1's 4-byte shortfall is the parser's business and
		 * does not arrive here as truncated.)
		 */
		if (rep->truncated && io.data_got < alloc) {
			res = TPG_BAD_RESPONSE;
			break;
		}
		want = rtpg_wanted_len(buf, io.data_got);
		if (rep->truncated && want > alloc && alloc < RTPG_MAX_ALLOC) {
			alloc = want > RTPG_MAX_ALLOC ? RTPG_MAX_ALLOC : want;
			continue;
		}
		own = rtpg_find_group(rep, id->group_id);
		if (!own) {
			*changed = true;
			res = TPG_GROUP_MISSING;
			break;
		}
		ans->own = *own;
		ans->implicit_transition_s = rep->implicit_transition_s;
		res = TPG_OK;
		break;
	}
	free(buf);
	return res;
}

enum tpg_result tpg_query(struct scsi_dev *dev, unsigned int timeout_ms,
			  struct tpg_identity *id, struct tpg_answer *ans,
			  struct rtpg_report *report)
{
	struct rtpg_report *rep = report;
	bool changed;
	enum tpg_result res;

	memset(ans, 0, sizeof(*ans));
	if (!rep) {
		/*
		 * The caller wants no report: one on the heap (1.5 KB that
		 * 0.15's 16 KiB runner stacks need for other things).
		 */
		rep = malloc(sizeof(*rep));
		if (!rep)
			return ans->result = TPG_NO_MEMORY;
		res = tpg_query(dev, timeout_ms, id, ans, rep);
		free(rep);
		return res;
	}
	rep->n_groups = 0;	/* a state from sense fills no report */
	if (!id->valid) {
		res = tpg_read_identity(dev, timeout_ms, id, ans);
		if (res != TPG_OK)
			return ans->result = res;
	}
	res = rtpg_round(dev, timeout_ms, id, ans, rep, &changed);
	if (changed && !ans->identity_reread) {
		/* once, never a loop */
		res = tpg_read_identity(dev, timeout_ms, id, ans);
		if (res == TPG_OK)
			res = rtpg_round(dev, timeout_ms, id, ans, rep,
					 &changed);
	}
	if (res == TPG_OK)
		id->rtpg_answered = true;
	else if (id->valid)
		ans->own.group_id = id->group_id;	/* for a peer's word */
	ans->group_known = id->valid;
	return ans->result = res;
}

/* The verdict on a state the path's group is in. */
static enum path_verdict state_verdict(enum alua_state state)
{
	switch (state) {
	case ALUA_ACTIVE_OPTIMIZED:
	case ALUA_ACTIVE_NONOPTIMIZED:
	case ALUA_LBA_DEPENDENT:
		return PV_UP;
	case ALUA_STANDBY:
		return PV_GHOST;
	case ALUA_TRANSITIONING:
		/*
		 * Not down: I/O passes during a transition (Linux commit
		 * 6056a92ceb2a), and failing the path is what makes stock
		 * tur < 0.9.5 drop paths on every failover.  Not pending
		 * either: multipathd keeps a pending path's state and prio
		 * as they were, so a group held in transition kept its AO
		 * prio and the I/O, which then hung for minutes.  As ghost
		 * the path stays in its map and its prio is refreshed: the
		 * group drops below every usable one and gets the I/O back
		 * the moment the transition ends.
		 */
		return PV_GHOST;
	case ALUA_UNAVAILABLE:
	case ALUA_OFFLINE:
		return PV_DOWN;
	}
	return PV_DOWN;
}

enum path_verdict tpg_verdict(const struct tpg_answer *ans)
{
	switch (ans->result) {
	case TPG_OK:
		return state_verdict(ans->own.state);
	case TPG_NOT_ALUA:
	case TPG_NO_GROUP_ID:
	case TPG_NOT_SCSI:
		return PV_UNSUPPORTED;
	case TPG_BAD_STATUS:
		/* BUSY, TASK SET FULL: alive but busy; ask again next tick */
	case TPG_NO_MEMORY:
		/* our problem, not the path's: do not fail it for it */
		return PV_PENDING;
	case TPG_TIMEOUT:
		return PV_TIMEOUT;
	case TPG_REJECTED:
	case TPG_SENSE:
		/*
		 * The port refuses commands.  While its group is in
		 * transition (a peer says so) that is the transition, not
		 * a dead path; every other state makes it down, a usable
		 * one included: a path that refuses RTPG in an AO group
		 * cannot be trusted with I/O either.
		 */
		if (ans->from_peer && ans->own.state == ALUA_TRANSITIONING)
			return PV_GHOST;
		return PV_DOWN;
	case TPG_GROUP_MISSING:
	case TPG_BAD_RESPONSE:
	case TPG_TRANSPORT:
	case TPG_OS_ERROR:
		return PV_DOWN;
	}
	return PV_DOWN;
}

bool tpg_answer_state(const struct tpg_answer *ans, enum alua_state *state,
		      bool *preferred)
{
	if (ans->result != TPG_OK && !ans->from_peer)
		return false;
	*state = ans->own.state;
	*preferred = ans->own.preferred;
	return true;
}

bool tpg_answer_wants_peer(const struct tpg_answer *ans)
{
	switch (ans->result) {
	case TPG_REJECTED:
	case TPG_SENSE:
	case TPG_BAD_RESPONSE:
	case TPG_BAD_STATUS:
	case TPG_TIMEOUT:
	case TPG_TRANSPORT:
	case TPG_OS_ERROR:
		return true;
	default:
		/* OK needs none; the rest have no group or no ALUA */
		return false;
	}
}

bool tpg_answer_from_peer(struct tpg_answer *ans,
			  const struct rtpg_report *peer, unsigned int age_ms)
{
	const struct tpg_desc *d;

	if (!tpg_answer_wants_peer(ans) || !ans->group_known)
		return false;
	d = rtpg_find_group(peer, ans->own.group_id);
	if (!d)
		return false;
	ans->own = *d;
	ans->implicit_transition_s = peer->implicit_transition_s;
	ans->from_peer = true;
	ans->peer_age_ms = age_ms;
	return true;
}
