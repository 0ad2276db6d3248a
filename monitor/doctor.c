// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathwarden doctor: the mistakes that make ALUA failover slow or unsafe,
 * found from multipathd's merged config and topology, sysfs and RTPG.
 * Each check names the fix; none changes anything.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "doctor.h"
#include "iscsid_conf.h"
#include "log.h"
#include "pve_storage.h"
#include "session_timeouts.h"
#include "strutil.h"

const char *finding_sev_name(enum finding_sev s)
{
	return s == SEV_HAZARD ? "hazard" : s == SEV_WARN ? "warning" : "info";
}

__attribute__((format(printf, 6, 7)))
static void add(struct findings *fs, enum finding_sev sev, const char *id,
		const char *subject, const char *fix, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct finding *p = realloc(fs->f, cap * sizeof(*p));

		if (!p)
			return;
		fs->f = p;
		fs->cap = cap;
	}
	f = &fs->f[fs->n++];
	memset(f, 0, sizeof(*f));
	f->sev = sev;
	str_copy(f->id, sizeof(f->id), id);
	str_copy(f->subject, sizeof(f->subject), subject);
	str_copy(f->fix, sizeof(f->fix), fix);
	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
}

static bool is_no(const char *v)
{
	return v && (!strcmp(v, "no") || !strcmp(v, "0"));
}

static int as_int(const char *v, int dflt)
{
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = strtol(v, &end, 10);
	return *end ? dflt : (int)n;
}

static void check_config(const struct pw_view *v, const struct pw_map *m,
			 const char *root, struct findings *fs)
{
	const struct mpconf *c = &v->mpconf;
	const char *ven = m->mp->vend, *prod = m->mp->prod, *name = m->mp->name;
	const char *prio = mpconf_get(c, ven, prod, "prio", NULL);
	const char *chk = mpconf_get(c, ven, prod, "path_checker", NULL);
	const char *dprio = mpconf_get(c, ven, prod, "detect_prio", NULL);
	const char *dchk = mpconf_get(c, ven, prod, "detect_checker", NULL);
	const char *pgp = mpconf_get(c, ven, prod, "path_grouping_policy",
				     NULL);
	const char *fio = mpconf_get(c, ven, prod, "fast_io_fail_tmo", NULL);
	const char *poll = mpconf_get(c, ven, prod, "polling_interval", NULL);
	const char *fb = mpconf_get(c, ven, prod, "failback", NULL);
	char path[512];

	if (!chk)
		chk = "tur";	/* 0.9.4's default checker */
	/* detect_* default to yes when nothing sets them. */
	if (prio && !strcmp(prio, "rtpg") && !is_no(dprio))
		add(fs, SEV_WARN, "detect-prio", name,
		    "set 'detect_prio no' in the device section",
		    "prio rtpg is configured but detect_prio is %s: multipathd "
		    "uses the sysfs prio instead while scsi_dh_alua is "
		    "attached", dprio ? dprio : "yes (default)");
	if (!strcmp(chk, "rtpg") && !is_no(dchk))
		add(fs, SEV_WARN, "detect-checker", name,
		    "set 'detect_checker no' in the device section",
		    "path_checker rtpg is configured but detect_checker is %s: "
		    "multipathd forces tur for ALUA devices, which fails "
		    "transitioning paths", dchk ? dchk : "yes (default)");
	if (!strcmp(chk, "rtpg")) {
		snprintf(path, sizeof(path), "%s" PW_PLUGINDIR "/libcheckrtpg.so",
			 root);
		if (access(path, R_OK))
			add(fs, SEV_HAZARD, "plugin-missing", name,
			    "install pathwarden's plugins (make install)",
			    "path_checker rtpg is configured but "
			    PW_PLUGINDIR "/libcheckrtpg.so is not there");
		if (is_no(dchk))
			for (size_t i = 0; i < m->mp->n_paths; i++) {
				const struct mp_path *p = &m->mp->paths[i];

				if (p->checker[0] && strcmp(p->checker, "rtpg")) {
					add(fs, SEV_WARN, "plugin-not-loaded",
					    name, "check multipathd's log for "
					    "'failed to load checker'; restart "
					    "multipathd after installing",
					    "path %s is checked by '%s', not "
					    "rtpg", p->dev, p->checker);
					break;
				}
			}
	}
	if (prio && !strcmp(prio, "rtpg")) {
		snprintf(path, sizeof(path), "%s" PW_PLUGINDIR "/libpriortpg.so",
			 root);
		if (access(path, R_OK))
			add(fs, SEV_HAZARD, "plugin-missing", name,
			    "install pathwarden's plugins (make install)",
			    "prio rtpg is configured but "
			    PW_PLUGINDIR "/libpriortpg.so is not there");
	}
	if (pgp && (!strcmp(pgp, "multibus") || !strcmp(pgp, "group_by_serial")
		    || !strcmp(pgp, "group_by_node_name")))
		add(fs, SEV_HAZARD, "grouping", name,
		    "set 'path_grouping_policy group_by_prio'",
		    "path_grouping_policy %s may put both nodes' paths in one "
		    "group: I/O to two DRBD dual-primary nodes at once", pgp);
	if (fb && !strcmp(fb, "manual"))
		add(fs, SEV_WARN, "failback", name,
		    "set 'failback immediate'",
		    "failback manual: I/O stays on the old group after the "
		    "optimized node changes or returns");
	if (fio && (as_int(fio, 0) > 5 || !strcmp(fio, "off")))
		add(fs, SEV_WARN, "slow-timeout", name,
		    "set 'fast_io_fail_tmo 1' to 5",
		    "fast_io_fail_tmo %s: a lost node stalls I/O that long "
		    "before failover", fio);
	if (poll && as_int(poll, 5) > 5)
		add(fs, SEV_INFO, "slow-timeout", name,
		    "set 'polling_interval 1' to 5",
		    "polling_interval %s: path checks and prio refreshes come "
		    "that rarely", poll);
}

/*
 * ALUA groups that cannot take I/O now, once per group: offline and
 * unavailable ones, and one in transition (I/O moves to another group
 * while it lasts; a target holding it past its implicit transition time
 * is stuck).  The state is the path's own RTPG or, when that was refused,
 * what another path reported of its group.
 */
static void check_groups(const struct pw_map *m, struct findings *fs)
{
	uint16_t seen[RTPG_MAX_GROUPS];
	unsigned int n_seen = 0;

	for (size_t i = 0; i < m->mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];
		enum alua_state st = p->judge.state;
		bool dup = false;

		if (p->judge.source != PATH_STATE_RTPG &&
		    p->judge.source != PATH_STATE_PEER)
			continue;
		for (unsigned int k = 0; k < n_seen; k++)
			dup |= seen[k] == p->rtpg.own.group_id;
		if (dup || n_seen == RTPG_MAX_GROUPS)
			continue;
		seen[n_seen++] = p->rtpg.own.group_id;
		if (st == ALUA_OFFLINE || st == ALUA_UNAVAILABLE)
			add(fs, SEV_WARN, "group-unusable", m->mp->name,
			    "bring the storage node's target port group back "
			    "(its cluster resource, or the target's ALUA state)",
			    "ALUA group %u%s%s is %s: its paths carry no I/O",
			    p->rtpg.own.group_id, p->node ? " of " : "",
			    p->node ? p->node->name : "",
			    alua_state_name(st));
		else if (st == ALUA_TRANSITIONING)
			add(fs, SEV_WARN, "group-transitioning", m->mp->name,
			    "if it lasts, the target is stuck in the transition: "
			    "check the storage node's cluster resource",
			    "ALUA group %u%s%s is transitioning (implicit "
			    "transition time %u s): I/O uses another group "
			    "meanwhile", p->rtpg.own.group_id,
			    p->node ? " of " : "",
			    p->node ? p->node->name : "",
			    p->rtpg.implicit_transition_s);
	}
}

static void check_map(const struct pw_view *v, const struct pw_map *m,
		      const struct pw_conf *conf, const char *root,
		      struct findings *fs)
{
	const struct mp_map *mp = m->mp;
	const struct conf_node *ao_node[CONF_MAX_NODES];
	unsigned int n_ao_nodes = 0, want = conf_total_portals(conf);

	if (v->have_mpconf)
		check_config(v, m, root, fs);
	else if (!strcmp(mp->failback, "-"))
		add(fs, SEV_WARN, "failback", mp->name,
		    "set 'failback immediate'",
		    "failback is manual (or deferred)");
	if (m->n_nodes_in_active > 1)
		add(fs, SEV_HAZARD, "spread", mp->name,
		    "set 'path_grouping_policy group_by_prio' for the device",
		    "the group in use holds paths to %u nodes: I/O goes to "
		    "both DRBD dual-primary nodes at once",
		    m->n_nodes_in_active);
	if (mp->n_paths < want)
		add(fs, SEV_WARN, "missing-paths", mp->name,
		    "run 'pathwarden login'; check the portals with "
		    "'pathwarden discover'",
		    "%zu paths, but %u nodes x portals are configured (%u)",
		    mp->n_paths, conf->n_nodes, want);
	check_groups(m, fs);
	if (m->ao_group && m->active_group && m->ao_group != m->active_group)
		add(fs, SEV_WARN, "misrouted", mp->name,
		    "run 'pathwarden run' (switches at once), or "
		    "'multipathd switchgroup map <map> group <n>'",
		    "I/O uses path group %u, the optimized paths are in "
		    "group %u", m->active_group, m->ao_group);
	for (size_t i = 0; i < mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];
		bool dup = false;

		if (!p->node || !path_state_known(p) ||
		    p->judge.state != ALUA_ACTIVE_OPTIMIZED)
			continue;
		for (unsigned int k = 0; k < n_ao_nodes; k++)
			dup |= ao_node[k] == p->node;
		if (!dup && n_ao_nodes < CONF_MAX_NODES)
			ao_node[n_ao_nodes++] = p->node;
	}
	if (n_ao_nodes > 1)
		add(fs, SEV_HAZARD, "both-optimized", mp->name,
		    "make the cluster set exactly one node's group "
		    "active/optimized (the other nonoptimized)",
		    "%u nodes report their group active/optimized", n_ao_nodes);
	/* Paths in one ALUA group must report one state. */
	for (size_t i = 0; i < mp->n_paths; i++) {
		const struct pw_path *a = &m->paths[i];

		if (!a->rtpg_done || a->rtpg.result != TPG_OK)
			continue;
		for (size_t j = i + 1; j < mp->n_paths; j++) {
			const struct pw_path *b = &m->paths[j];

			if (!b->rtpg_done || b->rtpg.result != TPG_OK ||
			    b->rtpg.own.group_id != a->rtpg.own.group_id ||
			    b->rtpg.own.state == a->rtpg.own.state)
				continue;
			add(fs, SEV_WARN, "group-disagrees", mp->name,
			    "check the target's ALUA configuration: every port "
			    "of a group has one state",
			    "group %u: %s says %s, %s says %s",
			    a->rtpg.own.group_id, a->mp->dev,
			    alua_state_abbrev(a->rtpg.own.state), b->mp->dev,
			    alua_state_abbrev(b->rtpg.own.state));
			return;
		}
	}
	for (size_t i = 0; i < mp->n_paths; i++) {
		const struct pw_path *p = &m->paths[i];

		if (p->sess && p->sess->recovery_tmo > 5) {
			add(fs, SEV_WARN, "slow-timeout", mp->name,
			    "set fast_io_fail_tmo 5 or less (multipathd writes "
			    "it to each session's recovery_tmo)",
			    "session %d has recovery_tmo %d s: a lost path "
			    "stalls I/O that long", p->sess->sid,
			    p->sess->recovery_tmo);
			break;
		}
	}
}

/* The portal as iscsiadm -p takes it: "[v6]:port" or "host:port". */
static void portal_arg(const struct conf_portal *p, char *buf, size_t len)
{
	snprintf(buf, len, strchr(p->host, ':') ? "[%s]:%u" : "%s:%u",
		 p->host, p->port);
}

/* Where the kernel shows the setting of session @sid. */
static void setting_path(const struct setting_check *k, char *buf,
			 size_t len)
{
	if (k->setting == SETTING_REPLACEMENT_TIMEOUT)
		snprintf(buf, len, "session%d/%s", k->sess->sid,
			 sess_setting_sysfs(k->setting));
	else
		snprintf(buf, len, "connection%d:0/%s", k->sess->sid,
			 sess_setting_sysfs(k->setting));
}

/*
 * How the session's fix reads: the node record first (later logins),
 * then the live session.  recovery_tmo can be written in sysfs, or
 * multipathd writes it again; the NOP-Out timers of a live connection
 * change only at its next login.
 */
static void drift_fix(const struct setting_check *k, char *buf, size_t len)
{
	const char *iqn = k->sess->target;
	const char *rec = sess_setting_record(k->setting);
	char pa[CONF_HOST_MAX + 16];
	int n;

	portal_arg(k->portal, pa, sizeof(pa));
	if (k->setting == SETTING_REPLACEMENT_TIMEOUT && k->multipathd >= 0)
		n = snprintf(buf, len, "'multipathd reconfigure' writes its "
			     "fast_io_fail_tmo (%d s) into recovery_tmo again; "
			     "the node record, for logins without multipathd: "
			     "iscsiadm -m node -T %s -p %s -o update -n %s -v "
			     "%d", k->multipathd, iqn, pa, rec, k->wanted);
	else if (k->setting == SETTING_REPLACEMENT_TIMEOUT)
		n = snprintf(buf, len, "iscsiadm -m node -T %s -p %s -o update "
			     "-n %s -v %d (or 'pathwarden login', which "
			     "records all three), and the live session: echo "
			     "%d > /sys/class/iscsi_session/session%d/"
			     "recovery_tmo", iqn, pa, rec, k->wanted, k->wanted,
			     k->sess->sid);
	else
		n = snprintf(buf, len, "iscsiadm -m node -T %s -p %s -o update "
			     "-n %s -v %d (or 'pathwarden login', which "
			     "records all three), then log this session out "
			     "and in (the other paths carry the I/O "
			     "meanwhile): iscsiadm -m session -r %d -u; "
			     "iscsiadm -m node -T %s -p %s -l", iqn, pa, rec,
			     k->wanted, k->sess->sid, iqn, pa);
	/* Only a target name near its 223-character limit gets here: say
	 * the command is cut rather than print half of one. */
	if (n >= (int)len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

/*
 * Every managed session's timeouts against pathwarden.conf (and, for
 * recovery_tmo, multipathd's fast_io_fail_tmo): a drift is a warning with
 * its fix; a value that could not be read is said (not compared).  An
 * attribute the transport lacks, or a session that ended while it was
 * read, is skipped with a debug line: no-session covers a portal left
 * without one.
 */
static void check_session_timeouts(const struct pw_view *v,
				   const struct pw_conf *conf,
				   struct findings *fs)
{
	struct setting_checks cs;

	if (!view_setting_checks(v, v->have_mpconf ? &v->mpconf : NULL, conf,
				 &cs))
		return;
	for (size_t i = 0; i < cs.n; i++) {
		const struct setting_check *k = &cs.c[i];
		char subj[128], where[64], fix[768], mp[64] = "";

		snprintf(subj, sizeof(subj), "%s %s:%u", k->node->name,
			 k->portal->host, k->portal->port);
		setting_path(k, where, sizeof(where));
		if (k->verdict == SETTING_DRIFTS) {
			if (k->multipathd >= 0)
				snprintf(mp, sizeof(mp), ", or multipathd's "
					 "fast_io_fail_tmo %d s",
					 k->multipathd);
			drift_fix(k, fix, sizeof(fix));
			add(fs, SEV_WARN, "session-drift", subj, fix,
			    "session %d to %s: %s is %d s live (%s), "
			    "pathwarden.conf wants %d s (%s)%s",
			    k->sess->sid, k->sess->target,
			    sess_setting_name(k->setting), k->live, where,
			    k->wanted, sess_setting_conf(k->setting), mp);
		} else if (k->verdict == SETTING_UNREAD &&
			   (k->read == SESS_READ_FAILED ||
			    k->read == SESS_READ_GARBAGE)) {
			add(fs, SEV_INFO, "session-unreadable", subj,
			    "read it by hand (cat /sys/class/...); if it stays "
			    "so, log the session out and in",
			    "session %d to %s: %s (%s) %s: not compared",
			    k->sess->sid, k->sess->target,
			    sess_setting_name(k->setting), where,
			    sess_read_reason(k->read));
		} else if (k->verdict == SETTING_UNREAD) {
			log_debug("session %d: %s (%s) %s: not compared",
				  k->sess->sid, sess_setting_name(k->setting),
				  where, sess_read_reason(k->read));
		}
	}
	setting_checks_free(&cs);
}

/* The configured portal @p is, and its node; NULL when none. */
static const struct conf_node *pve_node_of(const struct pw_conf *conf,
					   const struct conf_portal *p,
					   const struct conf_portal **which)
{
	for (unsigned int i = 0; i < conf->n_nodes; i++)
		for (unsigned int j = 0; j < conf->nodes[i].n_portals; j++)
			if (pve_portal_same(&conf->nodes[i].portals[j], p)) {
				*which = &conf->nodes[i].portals[j];
				return &conf->nodes[i];
			}
	return NULL;
}

/* Each of iscsid.conf's timeouts that differs from pathwarden.conf's,
 * "name value" in @have and "record.name = value" as pathwarden.conf
 * wants it in @want. */
static bool iscsid_differs(const struct iscsid_timeouts *t,
			   const struct pw_conf *conf, char *have, size_t hl,
			   char *want, size_t wl)
{
	const unsigned int got[] = { t->replacement_timeout,
				     t->noop_out_interval,
				     t->noop_out_timeout };
	const unsigned int cw[] = { conf->replacement_timeout_s,
				    conf->noop_interval_s,
				    conf->noop_timeout_s };
	size_t h = 0, w = 0;

	have[0] = want[0] = '\0';
	for (int i = 0; i < SESS_SETTINGS; i++) {
		enum sess_setting st = (enum sess_setting)i;
		const char *sep = h ? ", " : "";

		if (got[i] == cw[i])
			continue;
		h += (size_t)snprintf(have + h, h < hl ? hl - h : 0,
				      "%s%s %u", sep, sess_setting_name(st),
				      got[i]);
		w += (size_t)snprintf(want + w, w < wl ? wl - w : 0,
				      "%s%s = %u", sep,
				      sess_setting_record(st), cw[i]);
	}
	return h > 0;
}

/*
 * One iSCSI storage of a managed portal whose target is pathwarden's:
 * the node's other portals are ones PVE finds by SendTargets and logs in
 * to itself (activate_storage logs in to every node record of the target
 * when one has no session), with the record's timeouts; the records its
 * discovery makes take iscsid.conf's.  Said when those differ from
 * pathwarden.conf's (else PVE's logins agree and there is nothing to say).
 */
static void pve_unnamed(const struct pve_iscsi *st, const struct conf_node *n,
			const struct conf_portal *named,
			const struct pw_conf *conf, const char *root,
			struct findings *fs)
{
	char path[512], others[256] = "", have[256], want[256], subj[128];
	char fix[512];
	struct iscsid_timeouts t;
	size_t o = 0;
	int rc;

	for (unsigned int j = 0; j < n->n_portals; j++)
		if (&n->portals[j] != named)
			o += (size_t)snprintf(others + o, o < sizeof(others) ?
					      sizeof(others) - o : 0, "%s%s:%u",
					      o ? ", " : "", n->portals[j].host,
					      n->portals[j].port);
	if (!o)
		return;
	snprintf(subj, sizeof(subj), "storage.cfg iscsi: %s", st->id);
	snprintf(path, sizeof(path), "%s" ISCSID_CONF_PATH, root);
	rc = iscsid_conf_load(path, &t);
	if (rc && rc != -ENOENT) {
		add(fs, SEV_INFO, "pve-login-timeouts", subj,
		    "make " ISCSID_CONF_PATH " readable and run doctor again",
		    "it names portal %s of node %s; PVE also logs in to %s "
		    "itself, with the timeouts of " ISCSID_CONF_PATH ", which "
		    "cannot be read (%s)", st->portal_text, n->name, others,
		    rc == -EINVAL ? "not a regular file" : strerror(-rc));
		return;
	}
	if (!iscsid_differs(&t, conf, have, sizeof(have), want, sizeof(want)))
		return;
	if (snprintf(fix, sizeof(fix), "set in " ISCSID_CONF_PATH ": %s, so "
		     "that a login PVE makes has pathwarden's timeouts",
		     want) >= (int)sizeof(fix))
		return;		/* cannot be: three short settings */
	add(fs, SEV_INFO, "pve-login-timeouts", subj, fix,
	    "it names portal %s of node %s, not %s: PVE logs in to those "
	    "too (pvestatd, when one has no session), and node records its "
	    "discovery makes take iscsid.conf's %s%s", st->portal_text,
	    n->name, others, have,
	    rc ? " (no file: open-iscsi's defaults)" : "");
}

/* A storage whose portal no node of pathwarden.conf has. */
static void pve_unmanaged(const struct pve_iscsi *st,
			  const struct pw_conf *conf, const char *subj,
			  struct findings *fs)
{
	const struct conf_node *n = conf_node_by_target(conf, st->target);
	char fix[512];

	if (!n || snprintf(fix, sizeof(fix), "name a portal of node %s in "
			   "it (%s:%u; edit storage.cfg: pvesm cannot change "
			   "a portal), or add this portal to node %s in "
			   "pathwarden.conf", n->name, n->portals[0].host,
			   n->portals[0].port, n->name) >= (int)sizeof(fix))
		snprintf(fix, sizeof(fix), "name a portal of pathwarden.conf's "
			 "nodes in it (edit storage.cfg: pvesm cannot change a "
			 "portal), or add this portal to its node in "
			 "pathwarden.conf");
	add(fs, SEV_WARN, "pve-portal-unmanaged", subj, fix,
	    "line %d: portal %.80s (target %.200s) is no node's in "
	    "pathwarden.conf: PVE logs in there itself, with timeouts "
	    "pathwarden did not set, and pathwarden neither watches those "
	    "sessions nor restores them", st->line, st->portal_text,
	    st->target);
}

/* One enabled iscsi storage of storage.cfg against pathwarden.conf. */
static void pve_storage_check(const struct pve_iscsi *st,
			      const struct pw_conf *conf, const char *root,
			      struct findings *fs)
{
	const struct conf_portal *cp = NULL;
	const struct conf_node *n = NULL;
	char subj[128], fix[256];

	snprintf(subj, sizeof(subj), "storage.cfg iscsi: %s", st->id);
	if (st->portal_ok)
		n = pve_node_of(conf, &st->portal, &cp);
	if (!n) {
		pve_unmanaged(st, conf, subj, fs);
		return;
	}
	if (n->target[0] && strcmp(n->target, st->target)) {
		snprintf(fix, sizeof(fix), "make them one: the target in "
			 "node %s's line of pathwarden.conf, or a storage made "
			 "again with pathwarden's (pvesm cannot change a "
			 "target)", n->name);
		add(fs, SEV_WARN, "pve-target-differs", subj, fix,
		    "line %d: target %.200s at portal %s of node %s, whose "
		    "target in pathwarden.conf is %s", st->line, st->target,
		    st->portal_text, n->name, n->target);
		return;
	}
	pve_unnamed(st, n, cp, conf, root, fs);
}

/*
 * Proxmox VE's iSCSI storages (storage.cfg, under @root) against
 * pathwarden.conf: a portal pathwarden does not manage, a target other
 * than the node's, and the managed portals a storage does not name.  No
 * file: not a PVE host, nothing said.  PVE sets an iSCSI storage's portal
 * and target once, at creation (pvesm set cannot change them).
 */
static void check_pve(const struct pw_conf *conf, const char *root,
		      struct findings *fs)
{
	struct pve_storage ps;
	char path[512], err[256];
	enum pve_load ld;

	snprintf(path, sizeof(path), "%s" PVE_STORAGE_PATH, root);
	ld = pve_storage_load(path, &ps, err, sizeof(err));
	if (ld == PVE_ABSENT || ld == PVE_NO_MEMORY)
		return;
	if (ld == PVE_UNREADABLE) {
		add(fs, SEV_INFO, "pve-storage-unreadable", PVE_STORAGE_PATH,
		    "run pathwarden doctor as root (pmxcfs gives the file to "
		    "root and www-data)", "cannot be read (%s): its iSCSI "
		    "storages were not compared with pathwarden.conf", err);
		return;
	}
	if (ps.n_skipped)
		log_debug("%s: %u lines fit no section, the first at line %d",
			  path, ps.n_skipped, ps.first_skipped);
	for (size_t i = 0; i < ps.n; i++) {
		const struct pve_iscsi *st = &ps.iscsi[i];

		if (st->disabled || !st->portal_text[0] || !st->target[0])
			log_debug("%s:%d: iscsi storage %s %s: not compared",
				  path, st->line, st->id, st->disabled ?
				  "disabled" : "without a portal or target");
		else
			pve_storage_check(st, conf, root, fs);
	}
	pve_storage_free(&ps);
}

static bool sd_in_map(const struct pw_view *v, const char *dev)
{
	for (size_t i = 0; i < v->mp.n_maps; i++)
		for (size_t j = 0; j < v->mp.maps[i].n_paths; j++)
			if (!strcmp(v->mp.maps[i].paths[j].dev, dev))
				return true;
	return false;
}

void doctor_run(const struct pw_view *v, const struct pw_conf *conf,
		const char *root, struct findings *fs)
{
	memset(fs, 0, sizeof(*fs));
	if (v->mp_error[0]) {
		add(fs, SEV_HAZARD, "no-multipathd", "multipathd",
		    "start multipathd (systemctl start multipathd)", "%s",
		    v->mp_error);
	}
	/* Every configured portal should have a logged-in session. */
	for (unsigned int i = 0; i < conf->n_nodes; i++) {
		const struct conf_node *n = &conf->nodes[i];

		for (unsigned int j = 0; j < n->n_portals; j++) {
			const struct conf_portal *pt = &n->portals[j];
			const struct iscsi_sess *s = NULL;
			char subj[128];

			for (size_t k = 0; k < v->sys.n_sess; k++)
				if (v->sys.sess[k].port == pt->port &&
				    !strcmp(v->sys.sess[k].address, pt->host))
					s = &v->sys.sess[k];
			snprintf(subj, sizeof(subj), "%s %s:%u", n->name,
				 pt->host, pt->port);
			if (!s)
				add(fs, SEV_WARN, "no-session", subj,
				    "run 'pathwarden login'",
				    "no iSCSI session to this portal");
			else if (strcmp(s->state, "LOGGED_IN"))
				add(fs, SEV_WARN, "session-down", subj,
				    "check the network and the target; iscsid "
				    "retries the login",
				    "session %d is %s", s->sid,
				    s->state[0] ? s->state : "in an unknown state");
		}
	}
	check_session_timeouts(v, conf, fs);
	check_pve(conf, root, fs);
	for (size_t i = 0; i < v->n_maps; i++)
		check_map(v, &v->maps[i], conf, root, fs);
	/* A disk from a configured node that no map holds. */
	for (size_t i = 0; i < v->sys.n_sd; i++) {
		const struct sd_dev *d = &v->sys.sd[i];
		const struct iscsi_sess *s = sysfs_find_sess(&v->sys, d->sid);
		const char *fm = NULL;

		if (!s || v->mp_error[0] || d->holder[0] ||
		    sd_in_map(v, d->name) ||
		    !conf_node_by_portal(conf, s->address,
					 (unsigned int)(s->port > 0 ? s->port : 0),
					 NULL))
			continue;
		if (v->have_mpconf)
			fm = mpconf_get(&v->mpconf, d->vendor, d->model,
					"find_multipaths", NULL);
		add(fs, SEV_HAZARD, "no-map", d->name,
		    "set 'find_multipaths no' in defaults, or add the WWID "
		    "with 'multipath -a <dev>', then 'multipathd reconfigure'",
		    "%s (%s) from a configured node is in no multipath map%s%s",
		    d->name, d->wwid[0] ? d->wwid : "no wwid",
		    fm ? "; find_multipaths is " : "", fm ? fm : "");
	}
}

void findings_free(struct findings *f)
{
	free(f->f);
	memset(f, 0, sizeof(*f));
}

void findings_print(const struct findings *fs, FILE *out)
{
	if (fs->n == 0) {
		fprintf(out, "no findings\n");
		return;
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];

		fprintf(out, "%s [%s] %s: %s\n    fix: %s\n",
			finding_sev_name(f->sev), f->id, f->subject, f->what,
			f->fix);
	}
}

int findings_print_json(const struct findings *fs, FILE *out)
{
	json_object *arr = json_object_new_array();

	if (!arr)
		return -1;
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "severity", json_object_new_string(
					       finding_sev_name(f->sev)));
		json_object_object_add(o, "id", json_object_new_string(f->id));
		json_object_object_add(o, "subject",
				       json_object_new_string(f->subject));
		json_object_object_add(o, "what",
				       json_object_new_string(f->what));
		json_object_object_add(o, "fix", json_object_new_string(f->fix));
		json_object_array_add(arr, o);
	}
	fputs(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
	json_object_put(arr);
	return 0;
}
