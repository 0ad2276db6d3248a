// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "early_cut.h"
#include "log.h"
#include "session_recovery.h"
#include "sock_kill.h"

static bool cut_already(const struct early_cut *c, int sid)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (c->s[i].sid == sid)
			return true;
	return false;
}

static void failed(struct early_cut_result *r, int err)
{
	if (!r->failed++)
		r->first_err = err;
}

void early_cut(struct early_cut *c, const char *root, const struct pw_map *m,
	       const struct conf_node *node, uint64_t now,
	       struct early_cut_result *r)
{
	memset(r, 0, sizeof(*r));
	/* First every session's timeout, so that no connection fails
	 * before its session would fail its commands at once. */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct iscsi_sess *s = m->paths[i].sess;
		int rc;

		if (m->paths[i].node != node || !s || s->recovery_tmo <= 0 ||
		    cut_already(c, s->sid))
			continue;
		if (c->n == EARLY_CUT_MAX) {
			failed(r, -ENOSPC);
			continue;
		}
		rc = session_recovery_tmo_set(root, s->sid, 0);
		if (rc) {
			failed(r, rc);
			continue;
		}
		c->s[c->n].sid = s->sid;
		c->s[c->n].old_tmo = s->recovery_tmo;
		c->s[c->n].at = now;
		c->n++;
		r->sessions++;
	}
	/* Then each portal's connections, once per portal. */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct iscsi_sess *s = m->paths[i].sess;
		unsigned int k = 0;
		bool seen = false;
		int rc;

		if (m->paths[i].node != node || !s || !s->address[0])
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct iscsi_sess *o = m->paths[j].sess;

			seen = m->paths[j].node == node && o &&
			       o->port == s->port &&
			       !strcmp(o->address, s->address);
		}
		if (seen)
			continue;
		rc = sock_kill_peer(s->address, s->port, &k);
		r->connections += k;
		if (rc)
			failed(r, rc);
	}
}

unsigned int early_cut_settle(struct early_cut *c, const char *root,
			      uint64_t now, bool all)
{
	unsigned int keep = 0;

	for (unsigned int i = 0; i < c->n; i++) {
		char state[24];
		int rc = session_state_read(root, c->s[i].sid, state,
					    sizeof(state));
		bool in = rc == 0 && !strcmp(state, "LOGGED_IN");

		if (rc == -ENOENT)
			continue;	/* gone: nothing to give back */
		if (!in)
			c->s[i].left = true;
		if (!all && (!in || (!c->s[i].left &&
				     now - c->s[i].at < EARLY_CUT_RESTORE_NS))) {
			c->s[keep++] = c->s[i];
			continue;
		}
		rc = session_recovery_tmo_set(root, c->s[i].sid,
					      c->s[i].old_tmo);
		if (rc == -EBUSY && !all) {	/* out again meanwhile */
			c->s[keep++] = c->s[i];
		} else if (rc && rc != -ENOENT) {
			log_warn("session %d (%s): cannot give recovery_tmo "
				 "%d back: %s", c->s[i].sid,
				 state[0] ? state : "state unread",
				 c->s[i].old_tmo, strerror(-rc));
		} else if (!rc) {
			log_info("session %d: recovery_tmo %d again",
				 c->s[i].sid, c->s[i].old_tmo);
		}
	}
	c->n = keep;
	return keep;
}
