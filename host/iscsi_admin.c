// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iscsi_admin.h"
#include "log.h"
#include "mpath_client.h"
#include "mpath_parse.h"
#include "clock.h"
#include "strutil.h"
#include "sysfs_scan.h"

extern char **environ;

#define OUT_MAX (1u << 20)

const char *iscsiadm_path(void)
{
	const char *p = getenv("PATHWARDEN_ISCSIADM");

	return p && *p ? p : "iscsiadm";
}

struct child {
	pid_t pid;
	int fd[2];		/* stdout, stderr read ends */
	char *buf[2];
	size_t len[2];
	bool done;
};

static int append(struct child *c, int which)
{
	char tmp[4096];
	ssize_t n = read(c->fd[which], tmp, sizeof(tmp));
	char *p;

	if (n <= 0)
		return (int)n;
	if (c->len[which] + (size_t)n + 1 > OUT_MAX)
		return 1;		/* drop the excess, keep reading */
	p = realloc(c->buf[which], c->len[which] + (size_t)n + 1);
	if (!p)
		return 1;
	memcpy(p + c->len[which], tmp, (size_t)n);
	c->len[which] += (size_t)n;
	p[c->len[which]] = '\0';
	c->buf[which] = p;
	return 1;
}

int run_parallel(char *const *const *argvs, size_t n, unsigned int timeout_ms,
		 struct cmd_result *res)
{
	struct child *ch = calloc(n ? n : 1, sizeof(*ch));
	struct pollfd *pfd = calloc(2 * (n ? n : 1), sizeof(*pfd));
	uint64_t deadline = mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	size_t open_fds = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].status = -1;
	}
	if (!ch || !pfd) {
		free(ch);
		free(pfd);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		posix_spawn_file_actions_t fa;
		int out[2], err[2], devnull;

		ch[i].fd[0] = ch[i].fd[1] = -1;
		ch[i].pid = -1;
		if (pipe2(out, O_CLOEXEC))
			continue;
		if (pipe2(err, O_CLOEXEC)) {
			close(out[0]);
			close(out[1]);
			continue;
		}
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		posix_spawn_file_actions_init(&fa);
		if (devnull >= 0)
			posix_spawn_file_actions_adddup2(&fa, devnull, 0);
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
		posix_spawn_file_actions_adddup2(&fa, err[1], 2);
		if (posix_spawnp(&ch[i].pid, argvs[i][0], &fa, NULL,
				 argvs[i], environ))
			ch[i].pid = -1;
		posix_spawn_file_actions_destroy(&fa);
		if (devnull >= 0)
			close(devnull);
		close(out[1]);
		close(err[1]);
		if (ch[i].pid < 0) {
			close(out[0]);
			close(err[0]);
			res[i].err = strdup("cannot run the command");
			continue;
		}
		ch[i].fd[0] = out[0];
		ch[i].fd[1] = err[0];
		open_fds += 2;
	}
	while (open_fds) {
		uint64_t now = mono_ns();
		size_t k = 0;
		int rc;

		if (now >= deadline)
			break;
		for (size_t i = 0; i < n; i++)
			for (int w = 0; w < 2; w++)
				if (ch[i].fd[w] >= 0)
					pfd[k++] = (struct pollfd){ ch[i].fd[w],
								    POLLIN, 0 };
		rc = poll(pfd, k, (int)((deadline - now + 999999) / 1000000));
		if (rc < 0 && errno != EINTR)
			break;
		for (size_t j = 0; j < k; j++) {
			if (!pfd[j].revents)
				continue;
			for (size_t i = 0; i < n; i++)
				for (int w = 0; w < 2; w++)
					if (ch[i].fd[w] == pfd[j].fd &&
					    append(&ch[i], w) <= 0) {
						close(ch[i].fd[w]);
						ch[i].fd[w] = -1;
						open_fds--;
					}
		}
	}
	for (size_t i = 0; i < n; i++) {
		int st;

		if (ch[i].pid < 0)
			continue;
		if (ch[i].fd[0] >= 0 || ch[i].fd[1] >= 0) {
			/* Still talking at the deadline. */
			kill(ch[i].pid, SIGKILL);
			res[i].timed_out = true;
		}
		for (int w = 0; w < 2; w++)
			if (ch[i].fd[w] >= 0)
				close(ch[i].fd[w]);
		/* The pipes closed: the child is exiting; a child that
		 * closed its pipes but lingers is killed too. */
		if (waitpid(ch[i].pid, &st, WNOHANG) == 0) {
			uint64_t now = mono_ns();

			while (now < deadline &&
			       waitpid(ch[i].pid, &st, WNOHANG) == 0) {
				usleep(2000);
				now = mono_ns();
			}
			if (now >= deadline) {
				kill(ch[i].pid, SIGKILL);
				res[i].timed_out = true;
				waitpid(ch[i].pid, &st, 0);
			}
		}
		if (!res[i].timed_out && WIFEXITED(st))
			res[i].status = WEXITSTATUS(st);
		res[i].out = ch[i].buf[0] ? ch[i].buf[0] : strdup("");
		res[i].err = ch[i].buf[1] ? ch[i].buf[1] : strdup("");
	}
	free(ch);
	free(pfd);
	return 0;
}

void cmd_result_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* First line of @s, for messages. */
/* Does s[0..n) hold word, ignoring case? */
static bool strncasestr_n(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++)
		if (!strncasecmp(s + i, word, w))
			return true;
	return false;
}

/*
 * The first line of iscsiadm's message worth relaying, or with @prefer
 * the first such line holding it, if one does.  A line that names a
 * credential setting (node.session.auth.*, discovery.*.auth.*, a CHAP
 * username or password) is passed over: iscsiadm prints node records in
 * some errors and with debugging on, and what we relay reaches logs.
 */
static void pick_line(const char *s, const char *prefer, char *buf,
		      size_t len)
{
	buf[0] = '\0';
	while (s && *s) {
		size_t n = strcspn(s, "\n");

		if (n && !memmem(s, n, "auth.", 5) &&
		    !strncasestr_n(s, n, "password") &&
		    !strncasestr_n(s, n, "username") &&
		    (!buf[0] || (prefer && memmem(s, n, prefer,
						  strlen(prefer))))) {
			if (n >= len)
				n = len - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (!prefer || memmem(buf, n, prefer, strlen(prefer)))
				return;
		}
		s += n;
		if (*s == '\n')
			s++;
	}
}

static void first_line(const char *s, char *buf, size_t len)
{
	pick_line(s, NULL, buf, len);
}

bool parse_sendtargets(const char *text, struct disc_result *r)
{
	const char *s = text;

	while (*s) {
		const char *eol = s + strcspn(s, "\n");
		char line[512], *sp, *comma;
		size_t len = (size_t)(eol - s);
		struct disc_target *t;

		if (len >= sizeof(line))
			return false;
		memcpy(line, s, len);
		line[len] = '\0';
		s = *eol ? eol + 1 : eol;
		if (!len)
			continue;
		sp = strchr(line, ' ');
		if (!sp || strchr(sp + 1, ' '))
			return false;
		*sp = '\0';
		comma = strrchr(line, ',');
		if (!comma || comma == line || strlen(sp + 1) >= CONF_IQN_MAX)
			return false;
		*comma = '\0';
		t = realloc(r->targets, (r->n + 1) * sizeof(*t));
		if (!t)
			return false;
		r->targets = t;
		t = &r->targets[r->n++];
		str_copy(t->iqn, sizeof(t->iqn), sp + 1);
		str_copy(t->portal, sizeof(t->portal), line);
		t->tpgt = atoi(comma + 1);
	}
	return true;
}

static void portal_arg(const struct conf_portal *p, char *buf, size_t len)
{
	snprintf(buf, len, strchr(p->host, ':') ? "[%s]:%u" : "%s:%u",
		 p->host, p->port);
}

/*
 * A portal whose discovery fails outright (not a timeout) is asked again
 * after this pause, up to DISCOVERY_ATTEMPTS times in all: a target still
 * tearing down the sessions of a logout closes or refuses the next
 * discovery connections (seen with LIO for seconds after "iscsiadm -m node
 * -u" on a loaded host), as long as the bound (iscsi-timeout) leaves time.
 * A portal that timed out has used its time.
 */
#define DISCOVERY_ATTEMPTS 4
#define DISCOVERY_RETRY_MS 1000
#define DISCOVERY_RETRY_MIN_MS 500

/* SendTargets on the portals of @r[0..n) (node and portal set), all at
 * once, within iscsi-timeout in all. */
static int discover_portals(const struct pw_conf *c, struct disc_result *r,
			    size_t n)
{
	struct cmd_result *cr = calloc(n ? n : 1, sizeof(*cr));
	char (*pa)[80] = calloc(n ? n : 1, sizeof(*pa));
	char *(*argv)[8] = calloc(n ? n : 1, sizeof(*argv));
	char ***argvs = calloc(n ? n : 1, sizeof(*argvs));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	uint64_t t0 = mono_ns();
	unsigned int total_ms = c->iscsi_timeout_s * 1000u;
	unsigned int budget_ms = total_ms;
	int rc = 0;

	if (!cr || !pa || !argv || !argvs || !idx) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		portal_arg(r[k].portal, pa[k], sizeof(pa[k]));
		argv[k][0] = (char *)iscsiadm_path();
		argv[k][1] = "-m";
		argv[k][2] = "discovery";
		argv[k][3] = "-t";
		argv[k][4] = "sendtargets";
		argv[k][5] = "-p";
		argv[k][6] = pa[k];
		argv[k][7] = NULL;
	}
	for (int attempt = 0; attempt < DISCOVERY_ATTEMPTS && rc == 0;
	     attempt++) {
		size_t m = 0;

		for (size_t i = 0; i < n; i++) {
			if (r[i].ok || r[i].timed_out)
				continue;
			idx[m] = i;
			argvs[m++] = argv[i];
		}
		if (!m)
			break;
		if (attempt) {
			uint64_t used = (mono_ns() - t0) / 1000000u;

			if (used + DISCOVERY_RETRY_MS + DISCOVERY_RETRY_MIN_MS >
			    total_ms)
				break;
			usleep(DISCOVERY_RETRY_MS * 1000);
			budget_ms = total_ms - (unsigned int)used -
				    DISCOVERY_RETRY_MS;
		}
		rc = run_parallel((char *const *const *)argvs, m, budget_ms,
				  cr);
		for (size_t j = 0; rc == 0 && j < m; j++) {
			struct disc_result *d = &r[idx[j]];

			d->status = cr[j].status;
			if (cr[j].timed_out) {
				d->timed_out = true;
				snprintf(d->error, sizeof(d->error),
					 "no answer within %u s",
					 c->iscsi_timeout_s);
			} else if (cr[j].status != 0) {
				char line[128];

				first_line(cr[j].err, line, sizeof(line));
				snprintf(d->error, sizeof(d->error),
					 "iscsiadm failed (exit %d): %s",
					 cr[j].status,
					 line[0] ? line : "no message");
			} else if (!parse_sendtargets(cr[j].out, d)) {
				snprintf(d->error, sizeof(d->error),
					 "unexpected iscsiadm output");
			} else {
				d->ok = true;
				d->error[0] = '\0';
			}
			cmd_result_free(&cr[j]);
		}
	}
out:
	free(cr);
	free(pa);
	free(argv);
	free(argvs);
	free(idx);
	return rc;
}

int iscsi_discover(const struct pw_conf *c, struct disc_result **out,
		   size_t *n_out)
{
	size_t n = conf_total_portals(c), k = 0;
	struct disc_result *r = calloc(n ? n : 1, sizeof(*r));
	int rc;

	if (!r)
		return -ENOMEM;
	for (unsigned int i = 0; i < c->n_nodes; i++)
		for (unsigned int j = 0; j < c->nodes[i].n_portals; j++, k++) {
			r[k].node = &c->nodes[i];
			r[k].portal = &c->nodes[i].portals[j];
			r[k].status = -1;
		}
	rc = discover_portals(c, r, n);
	if (rc) {
		disc_results_free(r, n);
		return rc;
	}
	*out = r;
	*n_out = n;
	return 0;
}

void disc_results_free(struct disc_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].targets);
	free(r);
}

static bool target_wanted(const struct conf_node *node, const char *iqn)
{
	return !node->target[0] || !strcmp(node->target, iqn);
}

int iscsi_cmd_discover(const struct pw_conf *c, FILE *out)
{
	struct disc_result *r;
	size_t n;
	int bad = 0, rc = iscsi_discover(c, &r, &n);

	if (rc) {
		fprintf(out, "discovery could not run: %s\n", strerror(-rc));
		return 3;
	}
	for (size_t i = 0; i < n; i++) {
		char pa[80];

		portal_arg(r[i].portal, pa, sizeof(pa));
		if (!r[i].ok) {
			fprintf(out, "%s %s: %s\n", r[i].node->name, pa,
				r[i].error);
			bad = 1;
			continue;
		}
		fprintf(out, "%s %s: %zu target portal%s\n", r[i].node->name,
			pa, r[i].n, r[i].n == 1 ? "" : "s");
		for (size_t j = 0; j < r[i].n; j++)
			fprintf(out, "    %s %s,%d%s\n", r[i].targets[j].iqn,
				r[i].targets[j].portal, r[i].targets[j].tpgt,
				target_wanted(r[i].node, r[i].targets[j].iqn)
				? "" : "  (not this node's target: ignored)");
	}
	disc_results_free(r, n);
	return bad;
}

/* ISCSI_ERR_NO_OBJS_FOUND: no node record matches. */
#define ISCSIADM_NO_RECORDS 21

/*
 * The settings a login applies; values only, never credentials.  All in
 * one iscsiadm call (it takes any number of -n/-v pairs and writes them
 * to the record at once): each call costs a process and a lock of the
 * node database.  Returns 0, or iscsiadm's failing status (-1: it timed
 * out or could not run); ISCSIADM_NO_RECORDS when there is no record.
 */
static int apply_settings(const struct pw_conf *c, const char *iqn,
			  const char *pa)
{
	char v[4][16];
	char *argv[] = { (char *)iscsiadm_path(), "-m", "node", "-T",
			 (char *)iqn, "-p", (char *)pa, "-o", "update",
			 "-n", "node.session.timeo.replacement_timeout",
			 "-v", v[0],
			 "-n", "node.conn[0].timeo.noop_out_interval",
			 "-v", v[1],
			 "-n", "node.conn[0].timeo.noop_out_timeout",
			 "-v", v[2],
			 "-n", "node.conn[0].timeo.login_timeout",
			 "-v", v[3], NULL };
	char **argvs[1] = { argv };
	struct cmd_result cr;
	int bad;

	snprintf(v[0], sizeof(v[0]), "%u", c->replacement_timeout_s);
	snprintf(v[1], sizeof(v[1]), "%u", c->noop_interval_s);
	snprintf(v[2], sizeof(v[2]), "%u", c->noop_timeout_s);
	snprintf(v[3], sizeof(v[3]), "%u", c->login_timeout_s);
	if (run_parallel((char *const *const *)argvs, 1,
			 c->iscsi_timeout_s * 1000u, &cr))
		return -1;
	bad = cr.timed_out ? -1 : cr.status;
	cmd_result_free(&cr);
	return bad;
}

static const struct iscsi_sess *find_session(const struct sysfs_snapshot *s,
					     const char *iqn,
					     const struct conf_portal *p)
{
	for (size_t i = 0; i < s->n_sess; i++)
		if (!strcmp(s->sess[i].target, iqn) &&
		    s->sess[i].port == p->port &&
		    !strcmp(s->sess[i].address, p->host))
			return &s->sess[i];
	return NULL;
}

/*
 * Run one iscsiadm command within iscsi-timeout.  Returns its exit status
 * (0 success), or -1 with the reason in @msg when it could not run, timed
 * out or failed; @what names the action in those messages.  @status_ok is
 * one more status the caller judges itself (-1 none).
 */
static int judge_run(const struct pw_conf *c, struct cmd_result *cr,
		     const char *what, int status_ok, char *msg, size_t len)
{
	char line[128];

	if (cr->timed_out) {
		snprintf(msg, len, "%s timed out after %u s", what,
			 c->iscsi_timeout_s);
		return -1;
	}
	if (cr->status != 0 && cr->status != status_ok) {
		first_line(cr->err, line, sizeof(line));
		snprintf(msg, len, "%s failed (exit %d): %s", what, cr->status,
			 line[0] ? line : "no message");
		return -1;
	}
	return cr->status;
}

static int iscsiadm_once(const struct pw_conf *c, char **argv,
			 const char *what, int status_ok, char *msg,
			 size_t len)
{
	char **argvs[1] = { argv };
	struct cmd_result cr;
	int rc;

	rc = run_parallel((char *const *const *)argvs, 1,
			  c->iscsi_timeout_s * 1000u, &cr);
	if (rc) {
		snprintf(msg, len, "cannot run iscsiadm: %s", strerror(-rc));
		return -1;
	}
	rc = judge_run(c, &cr, what, status_ok, msg, len);
	cmd_result_free(&cr);
	return rc;
}

int iscsi_logout_session(const struct pw_conf *c, int sid, char *msg,
			 size_t len)
{
	char sids[16], what[48];
	char *argv[] = { (char *)iscsiadm_path(), "-m", "session", "-r", sids,
			 "-u", NULL };

	snprintf(sids, sizeof(sids), "%d", sid);
	snprintf(what, sizeof(what), "logout of session %d", sid);
	if (iscsiadm_once(c, argv, what, -1, msg, len) < 0)
		return -1;
	snprintf(msg, len, "session %d logged out", sid);
	return 0;
}

/* ISCSI_ERR_SESS_EXISTS: the session is there already. */
#define ISCSIADM_SESS_EXISTS 15
#define LOGIN_ARGC 9

/* A login's iscsiadm status (from judge_run) as 1 logged in now, 0 there
 * already, -1 failed (@msg holds the reason already). */
static int login_outcome(int status, char *msg, size_t len)
{
	if (status < 0)
		return -1;
	if (status == ISCSIADM_SESS_EXISTS) {
		snprintf(msg, len, "already logged in");
		return 0;
	}
	snprintf(msg, len, "logged in");
	return 1;
}

static void login_argv(char *argv[static LOGIN_ARGC], const char *iqn,
		       char *pa)
{
	char *const a[] = { (char *)iscsiadm_path(), "-m", "node", "-T",
			    (char *)iqn, "-p", pa, "--login", NULL };

	memcpy(argv, a, sizeof(a));
}

static const struct {
	const char *name, *text;
} login_results[ISCSI_LOGIN_RESULTS] = {
	[ISCSI_LOGIN_OK] = { "ok", "logged in" },
	[ISCSI_LOGIN_NO_RECORD] = { "no_record", "no node record" },
	[ISCSI_LOGIN_NO_RECORD_MADE] = { "no_record_made",
					 "no node record even after making it" },
	[ISCSI_LOGIN_RECORD_FAILED] = { "record_failed",
					"node record could not be made" },
	[ISCSI_LOGIN_AUTH_FAILED] = { "auth_failed",
				      "CHAP authentication refused" },
	[ISCSI_LOGIN_REFUSED] = { "refused", "login refused by the target" },
	[ISCSI_LOGIN_UNREACHABLE] = { "unreachable", "no iSCSI connection" },
	[ISCSI_LOGIN_TIMED_OUT] = { "timed_out", "iscsiadm timed out" },
	[ISCSI_LOGIN_LOGOUT_FAILED] = { "logout_failed",
					"stale session not logged out" },
	[ISCSI_LOGIN_FAILED] = { "failed", "login failed" },
	[ISCSI_LOGIN_NOT_RUN] = { "not_run", "iscsiadm did not run" },
};

const char *iscsi_login_result_name(enum iscsi_login_result r)
{
	return (unsigned int)r < ISCSI_LOGIN_RESULTS ? login_results[r].name
						    : "unknown";
}

const char *iscsi_login_result_text(enum iscsi_login_result r)
{
	return (unsigned int)r < ISCSI_LOGIN_RESULTS ? login_results[r].text
						    : "unknown";
}

/* A failed login's iscsiadm exit status as what it means. */
static enum iscsi_login_result login_failure(int status)
{
	switch (status) {
	case ISCSIADM_NO_RECORDS:
		return ISCSI_LOGIN_NO_RECORD;
	case 24:	/* ISCSI_ERR_LOGIN_AUTH_FAILED */
		return ISCSI_LOGIN_AUTH_FAILED;
	case 19:	/* ISCSI_ERR_FATAL_LOGIN: no such target, ACL */
		return ISCSI_LOGIN_REFUSED;
	case 4:		/* ISCSI_ERR_TRANS */
	case 8:		/* ISCSI_ERR_TRANS_TIMEOUT */
	case 11:	/* ISCSI_ERR_PDU_TIMEOUT */
		return ISCSI_LOGIN_UNREACHABLE;
	default:
		return ISCSI_LOGIN_FAILED;
	}
}

/*
 * Make the node record for the configured target at @pa, as "iscsiadm -m
 * node -o new" does: the daemon knows the target, so it needs no
 * SendTargets, which on LIO goes through the one discovery portal group
 * that every portal's discovery logins queue on.  An existing record is
 * left as it is.  Fills @r on failure.
 */
static bool make_record(const struct pw_conf *c, const char *iqn, char *pa,
			struct iscsi_login_report *r)
{
	char *argv[] = { (char *)iscsiadm_path(), "-m", "node", "-T",
			 (char *)iqn, "-p", pa, "-o", "new", NULL };
	char msg[200];

	r->record_made = true;
	if (iscsiadm_once(c, argv, "making the node record", -1, msg,
			  sizeof(msg)) == 0)
		return true;
	r->result = ISCSI_LOGIN_RECORD_FAILED;
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
	return false;
}

enum iscsi_login_result iscsi_portal_login(const struct pw_conf *c,
					   const struct conf_node *node,
					   const struct conf_portal *p,
					   bool new_record,
					   struct iscsi_login_report *r)
{
	char pa[80], *argv[LOGIN_ARGC], line[128];
	char **argvs[1] = { argv };
	struct cmd_result cr;
	int set;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!node->target[0]) {
		r->result = ISCSI_LOGIN_NOT_RUN;
		snprintf(r->msg, sizeof(r->msg), "no target configured");
		return r->result;
	}
	portal_arg(p, pa, sizeof(pa));
	if (new_record && !make_record(c, node->target, pa, r))
		return r->result;
	set = apply_settings(c, node->target, pa);
	r->settings_applied = set == 0;
	if (set == ISCSIADM_NO_RECORDS) {
		/* Made a moment ago and gone again: something else
		 * deletes the node records. */
		r->result = new_record ? ISCSI_LOGIN_NO_RECORD_MADE
				       : ISCSI_LOGIN_NO_RECORD;
		r->status = set;
		snprintf(r->msg, sizeof(r->msg), "iscsiadm exit %d%s", set,
			 new_record ? " (the record just made is gone)" : "");
		return r->result;
	}
	login_argv(argv, node->target, pa);
	if (run_parallel((char *const *const *)argvs, 1,
			 c->iscsi_timeout_s * 1000u, &cr)) {
		r->result = ISCSI_LOGIN_NOT_RUN;
		snprintf(r->msg, sizeof(r->msg), "cannot run iscsiadm");
		return r->result;
	}
	if (cr.timed_out) {
		r->result = ISCSI_LOGIN_TIMED_OUT;
		snprintf(r->msg, sizeof(r->msg), "login timed out after %u s",
			 c->iscsi_timeout_s);
	} else if (cr.status == 0 || cr.status == ISCSIADM_SESS_EXISTS) {
		r->result = ISCSI_LOGIN_OK;
		r->new_session = cr.status == 0;
		r->was_there = !r->new_session;
		snprintf(r->msg, sizeof(r->msg), "%s%s", r->new_session ?
			 "logged in" : "already logged in", r->settings_applied
			 ? "" : "; session timeouts not applied");
	} else {
		r->result = login_failure(cr.status);
		r->status = cr.status;
		/* "Could not login to [...]" comes first, the reason
		 * after it: "initiator reported error (24 - ...)". */
		pick_line(cr.err, "reported error", line, sizeof(line));
		snprintf(r->msg, sizeof(r->msg), "iscsiadm exit %d: %s",
			 cr.status, line[0] ? line : "no message");
	}
	cmd_result_free(&cr);
	return r->result;
}

struct login_job {
	const char *node;
	const char *iqn;
	char pa[80];
	char *argv[LOGIN_ARGC];
};

/*
 * Log in to every job at once, as iscsiadm --loginall does: iscsid runs the
 * logins side by side, so four paths take one login's time, not four.  The
 * node records first, one at a time (iscsiadm locks them).  Prints one line
 * per job; counts the new sessions in @new_logins; 1 if any failed.
 */
static int login_jobs(const struct pw_conf *c, struct login_job *jobs,
		      size_t n, FILE *out, int *new_logins)
{
	char ***argvs = calloc(n ? n : 1, sizeof(*argvs));
	struct cmd_result *cr = calloc(n ? n : 1, sizeof(*cr));
	int bad = 0, rc;

	if (!argvs || !cr) {
		fprintf(out, "login: out of memory\n");
		free(argvs);
		free(cr);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (apply_settings(c, jobs[i].iqn, jobs[i].pa))
			log_warn("%s %s: could not apply session timeouts (no "
				 "node record? run discovery)", jobs[i].iqn,
				 jobs[i].pa);
		login_argv(jobs[i].argv, jobs[i].iqn, jobs[i].pa);
		argvs[i] = jobs[i].argv;
	}
	rc = n ? run_parallel((char *const *const *)argvs, n,
			      c->iscsi_timeout_s * 1000u, cr) : 0;
	if (rc) {
		fprintf(out, "cannot run iscsiadm: %s\n", strerror(-rc));
		bad = 1;
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		char msg[200];
		int v = judge_run(c, &cr[i], "login", ISCSIADM_SESS_EXISTS,
				  msg, sizeof(msg));

		v = login_outcome(v, msg, sizeof(msg));
		fprintf(out, "%s %s %s: %s\n", jobs[i].node, jobs[i].pa,
			jobs[i].iqn, msg);
		if (v < 0)
			bad = 1;
		else if (v > 0)
			(*new_logins)++;
		cmd_result_free(&cr[i]);
	}
	free(argvs);
	free(cr);
	return bad;
}

int iscsi_cmd_login(const struct pw_conf *c, const char *root, FILE *out,
		    bool wait_for_maps)
{
	struct disc_result *r;
	struct sysfs_snapshot snap;
	struct login_job *jobs = NULL;
	size_t n, n_jobs = 0, cap = 0;
	int bad = 0, rc = iscsi_discover(c, &r, &n), new_logins = 0;

	if (rc) {
		fprintf(out, "discovery could not run: %s\n", strerror(-rc));
		return 3;
	}
	if (sysfs_scan(root, &snap))
		memset(&snap, 0, sizeof(snap));
	for (size_t i = 0; i < n; i++) {
		char pa[80];

		portal_arg(r[i].portal, pa, sizeof(pa));
		if (!r[i].ok) {
			fprintf(out, "%s %s: skipped: %s\n", r[i].node->name,
				pa, r[i].error);
			bad = 1;
			continue;
		}
		for (size_t j = 0; j < r[i].n; j++) {
			const char *iqn = r[i].targets[j].iqn;
			const struct iscsi_sess *s;
			bool dup = false;

			if (!target_wanted(r[i].node, iqn))
				continue;
			/* A target is listed once per portal it has; log in
			 * through the configured portal only, once. */
			for (size_t k = 0; k < j; k++)
				dup |= !strcmp(r[i].targets[k].iqn, iqn);
			if (dup)
				continue;
			s = find_session(&snap, iqn, r[i].portal);
			if (s && !strcmp(s->state, "LOGGED_IN")) {
				/* NOP-Out settings of a live connection cannot
				 * be changed from here; the node record can,
				 * for the session's next login. */
				bool rec = !apply_settings(c, iqn, pa);

				fprintf(out, "%s %s %s: already logged in "
					"(session %d)%s\n", r[i].node->name, pa,
					iqn, s->sid, rec ? "; timeouts recorded "
					"for its next login" : "");
				continue;
			}
			if (n_jobs == cap) {
				size_t nc = cap ? 2 * cap : 8;
				struct login_job *nj =
					realloc(jobs, nc * sizeof(*jobs));

				if (!nj) {
					fprintf(out, "%s %s %s: out of memory\n",
						r[i].node->name, pa, iqn);
					bad = 1;
					continue;
				}
				jobs = nj;
				cap = nc;
			}
			jobs[n_jobs].node = r[i].node->name;
			jobs[n_jobs].iqn = iqn;
			snprintf(jobs[n_jobs].pa, sizeof(jobs[n_jobs].pa),
				 "%s", pa);
			n_jobs++;
		}
	}
	bad |= login_jobs(c, jobs, n_jobs, out, &new_logins);
	free(jobs);
	disc_results_free(r, n);
	sysfs_snapshot_free(&snap);
	if (new_logins && wait_for_maps) {
		/* The disks and the map appear asynchronously (udev,
		 * multipathd); wait for them, bounded. */
		uint64_t deadline = mono_ns() +
				    c->iscsi_timeout_s * 1000000000ull;
		struct mpath_source mp;
		size_t disks = 0, in_maps = 0;

		mpath_source_live(&mp, 2000);
		do {
			char *reply = NULL, err[128];
			struct mp_topology t;

			usleep(200000);
			in_maps = 0;
			if (sysfs_scan(root, &snap))
				break;
			disks = snap.n_sd;
			if (!mpath_cmd(&mp, "show maps json", &reply) &&
			    mp_parse_maps_json(reply, &t, err, sizeof(err))) {
				for (size_t i = 0; i < t.n_maps; i++)
					in_maps += t.maps[i].n_paths;
				mp_topology_free(&t);
			}
			free(reply);
			sysfs_snapshot_free(&snap);
		} while ((disks == 0 || in_maps < disks) &&
			 mono_ns() < deadline);
		mpath_close(&mp);
		fprintf(out, "%zu SCSI disks, %zu of them in multipath maps\n",
			disks, in_maps);
		if (disks == 0 || in_maps < disks) {
			fprintf(out, "not every disk is in a map yet: see "
				"'pathwarden doctor'\n");
			bad = 1;
		}
	}
	return bad;
}
