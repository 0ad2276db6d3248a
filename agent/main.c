/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pathwarden-agent: show and set the ALUA states of this node's target
 * port groups (SCST sysfs or LIO configfs).  See pathwarden-agent(8).
 *
 * Order of work for every command that writes: parse and validate every
 * argument, read the whole tree, plan, check the plan (states allowed,
 * attributes writable), and only then write.  Exit codes are enum
 * agent_result.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "change_plan.h"
#include "group_report.h"

#ifndef PATHWARDEN_VERSION
#define PATHWARDEN_VERSION "0.1"
#endif

/* Agent extension of the result codes: `check` found a group elsewhere. */
#define EXIT_DRIFT 9

struct options {
	const struct backend *be;
	struct agent_target target;
	enum alua_state master, slave, inactive;
	bool peer_down, graceful, json, quiet, dry_run;
	unsigned long trans_delay_ms;
};

static void usage(FILE *out)
{
	fprintf(out,
"usage: pathwarden-agent [OPTIONS] COMMAND [ARGS]\n"
"\n"
"commands:\n"
"  status                      groups, states, preferred bits, members\n"
"  promote                     local -> master state, remote -> slave state\n"
"                              (inactive state with --peer-down)\n"
"  demote                      local -> slave state, remote -> slave state\n"
"                              (inactive state with --peer-down)\n"
"  set-state GROUP STATE       one group to one state\n"
"  check LOCAL_STATE REMOTE_STATE\n"
"                              exit 0 when both groups are there, 9 if not;\n"
"                              - for a state skips that group\n"
"\n"
"options:\n"
"  -b, --backend scst|lio      target stack (default scst)\n"
"  -r, --root DIR              tree root (default /sys/kernel/scst_tgt or\n"
"                              /sys/kernel/config/target)\n"
"  -g, --device-group NAME     SCST device group\n"
"  -d, --device HBA/DEV|HBA    LIO device, or every device of one HBA that\n"
"                              has the named groups (default: every device\n"
"                              that has them)\n"
"  -l, --local GROUP           this node's target port group\n"
"  -R, --remote GROUP          the peer's target port group\n"
"  -m, --master-state STATE    default active\n"
"  -s, --slave-state STATE     default nonoptimized\n"
"  -i, --inactive-state STATE  default offline\n"
"  -p, --peer-down             the peer is down: remote gets the inactive state\n"
"  -G, --graceful              local group goes through transitioning first\n"
"  -t, --trans-delay MS        time spent in transitioning (0-60000, default 0)\n"
"  -n, --dry-run               check and print the plan, write nothing\n"
"  -j, --json                  status as JSON\n"
"  -q, --quiet                 no report of changes\n"
"  -h, --help, -V, --version\n"
"\n"
"STATE: active, nonoptimized, standby, unavailable, lba_dependent, offline,\n"
"transitioning; also AO, ANO, ..., the SPC names or the numbers 0-4, 14, 15.\n"
"exit: 0 ok, 1 error, 2 usage, 3 not found, 4 permission, 5 bad data in the\n"
"tree, 6 write failed and undone, 7 write failed and NOT undone,\n"
"8 state not supported, 9 check found a difference.\n");
}

static int fail_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int fail_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pathwarden-agent: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pathwarden-agent --help'.\n");
	return AGENT_USAGE;
}

static int parse_state_arg(const char *what, const char *text,
			   enum alua_state *state)
{
	if (!alua_state_parse(text, state)) {
		fprintf(stderr, "pathwarden-agent: %s: '%s' is not an ALUA "
			"state (active, nonoptimized, standby, unavailable, "
			"lba_dependent, offline, transitioning)\n", what, text);
		return AGENT_USAGE;
	}
	return AGENT_OK;
}

static int check_name(const char *what, const char *name)
{
	if (name && !agent_name_valid(name)) {
		fprintf(stderr, "pathwarden-agent: %s: not a valid name "
			"(letters, digits and ._:-+@, only, at most %d)\n",
			what, AGENT_NAME_MAX);
		return AGENT_USAGE;
	}
	return AGENT_OK;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "root", required_argument, NULL, 'r' },
		{ "device-group", required_argument, NULL, 'g' },
		{ "device", required_argument, NULL, 'd' },
		{ "local", required_argument, NULL, 'l' },
		{ "remote", required_argument, NULL, 'R' },
		{ "master-state", required_argument, NULL, 'm' },
		{ "slave-state", required_argument, NULL, 's' },
		{ "inactive-state", required_argument, NULL, 'i' },
		{ "peer-down", no_argument, NULL, 'p' },
		{ "graceful", no_argument, NULL, 'G' },
		{ "trans-delay", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backend = "scst";
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->master = ALUA_ACTIVE_OPTIMIZED;
	o->slave = ALUA_ACTIVE_NONOPTIMIZED;
	o->inactive = ALUA_OFFLINE;
	/* Options may follow the command too ("demote --peer-down"). */
	while ((c = getopt_long(argc, argv, "b:r:g:d:l:R:m:s:i:pGt:njqhV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			backend = optarg;
			break;
		case 'r':
			o->target.root = optarg;
			break;
		case 'g':
			o->target.device_group = optarg;
			break;
		case 'd':
			o->target.device = optarg;
			break;
		case 'l':
			o->target.local = optarg;
			break;
		case 'R':
			o->target.remote = optarg;
			break;
		case 'm':
			if ((rc = parse_state_arg("--master-state", optarg,
						  &o->master)))
				return rc;
			break;
		case 's':
			if ((rc = parse_state_arg("--slave-state", optarg,
						  &o->slave)))
				return rc;
			break;
		case 'i':
			if ((rc = parse_state_arg("--inactive-state", optarg,
						  &o->inactive)))
				return rc;
			break;
		case 'p':
			o->peer_down = true;
			break;
		case 'G':
			o->graceful = true;
			break;
		case 't': {
			char *end;

			errno = 0;
			o->trans_delay_ms = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' ||
			    optarg[0] > '9' || o->trans_delay_ms > 60000)
				return fail_usage("--trans-delay: '%s' is not "
						  "0-60000 ms", optarg);
			break;
		}
		case 'n':
			o->dry_run = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(AGENT_OK);
		case 'V':
			printf("pathwarden-agent %s\n", PATHWARDEN_VERSION);
			exit(AGENT_OK);
		default:
			fprintf(stderr, "Try 'pathwarden-agent --help'.\n");
			return AGENT_USAGE;
		}
	}
	o->be = backend_by_name(backend);
	if (!o->be)
		return fail_usage("--backend: '%s' is not scst or lio", backend);
	if ((rc = check_name("--device-group", o->target.device_group)) ||
	    (rc = check_name("--local", o->target.local)) ||
	    (rc = check_name("--remote", o->target.remote)))
		return rc;
	if (o->be == &backend_scst && o->target.device)
		return fail_usage("--device is for the lio backend");
	if (o->be == &backend_lio && o->target.device_group)
		return fail_usage("--device-group is for the scst backend;"
				  " use --device HBA/DEV");
	if (o->target.local && o->target.remote &&
	    !strcmp(o->target.local, o->target.remote))
		return fail_usage("--local and --remote name the same group "
				  "'%s'", o->target.local);
	if (o->target.root && !o->target.root[0])
		return fail_usage("--root: empty");
	return AGENT_OK;
}

static int report_error(struct agent_ctx *ctx, enum agent_result res)
{
	fprintf(stderr, "pathwarden-agent: %s\n",
		ctx->err[0] ? ctx->err : agent_result_name(res));
	return res;
}

static void print_plan(const struct options *o, const struct change_plan *p,
		       const char *verb)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct change_step *s = &p->steps[i];

		printf("%s: %s%s%sgroup '%s': %s -> %s\n", s->unit->name, verb,
		       s->role, s->role[0] ? " " : "", s->group->name,
		       report_state_text(o->be, s->from),
		       report_state_text(o->be, s->to));
	}
}

static void print_noop(const struct options *o, const struct unit_set *set)
{
	for (size_t k = 0; k < set->n_units; k++) {
		const struct alua_unit *u = &set->units[k];

		printf("%s: no change,", u->name);
		if (u->local_idx >= 0)
			printf(" local '%s' %s", u->groups[u->local_idx].name,
			       report_state_text(o->be,
						 u->groups[u->local_idx].state));
		if (u->remote_idx >= 0)
			printf("%s remote '%s' %s", u->local_idx >= 0 ? "," : "",
			       u->groups[u->remote_idx].name,
			       report_state_text(o->be,
						 u->groups[u->remote_idx].state));
		printf(" already\n");
	}
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Graceful changes hold the local group in transitioning for
 * --trans-delay before the final write, so initiators that poll see it;
 * the plan is applied in two halves around the pause.
 */
static int apply(struct agent_ctx *ctx, const struct options *o,
		 const struct unit_set *set, struct change_plan *plan)
{
	enum agent_result res;
	size_t done;

	if (plan->n == 0) {
		if (!o->quiet)
			print_noop(o, set);
		return AGENT_OK;
	}
	res = plan_validate(ctx, plan);
	if (res != AGENT_OK)
		return report_error(ctx, res);
	if (o->dry_run) {
		print_plan(o, plan, "would set ");
		return AGENT_OK;
	}
	done = 0;
	if (o->graceful && o->trans_delay_ms) {
		size_t split = 0, n = plan->n;

		/* Up to and including the last move into transitioning. */
		for (size_t i = 0; i < n; i++)
			if (plan->steps[i].to == ALUA_TRANSITIONING)
				split = i + 1;
		plan->n = split;
		res = plan_apply(ctx, plan, 0, &done);
		plan->n = n;
		if (res != AGENT_OK)
			return report_error(ctx, res);
		if (split)
			sleep_ms(o->trans_delay_ms);
	}
	res = plan_apply(ctx, plan, done, &done);
	if (res != AGENT_OK)
		return report_error(ctx, res);
	if (!o->quiet)
		print_plan(o, plan, "");
	return AGENT_OK;
}

/*
 * Two writers on one node (the OCF agent and a person, say) must not
 * interleave: each could undo from a state the other wrote.  An advisory
 * lock on the tree's root directory serialises every writing command;
 * readers need none.  Held until exit.  A root that does not exist is
 * left for discover() to report.
 */
#define LOCK_WAIT_MS 10000

static int lock_tree(const struct options *o)
{
	const char *root = o->target.root ? o->target.root : o->be->default_root;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return AGENT_OK;
	for (unsigned int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0;
	     waited += 100) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return AGENT_OK;	/* no locks here: carry on */
		if (waited >= LOCK_WAIT_MS) {
			fprintf(stderr, "pathwarden-agent: another "
				"pathwarden-agent has held %s for %u s\n",
				root, LOCK_WAIT_MS / 1000);
			close(fd);
			return AGENT_ERR;
		}
		sleep_ms(100);
	}
	return AGENT_OK;	/* fd stays open: the lock lives until exit */
}

static int cmd_status(struct agent_ctx *ctx, const struct options *o,
		      struct unit_set *set)
{
	const char *root = o->target.root ? o->target.root : o->be->default_root;
	enum agent_result res = o->be->discover(ctx, &o->target, set);

	if (res != AGENT_OK)
		return report_error(ctx, res);
	if (o->json)
		return report_json(stdout, o->be, root, set) ? AGENT_ERR :
							       AGENT_OK;
	report_table(stdout, o->be, root, set);
	return AGENT_OK;
}

static int cmd_role(struct agent_ctx *ctx, struct options *o,
		    struct unit_set *set, bool promote)
{
	struct change_plan *plan;
	enum alua_state local_to = promote ? o->master : o->slave;
	enum alua_state remote_to = o->peer_down ? o->inactive : o->slave;
	enum agent_result res;
	int rc;

	o->target.need_groups = true;
	o->target.state_only = true;
	res = o->be->discover(ctx, &o->target, set);
	if (res != AGENT_OK)
		return report_error(ctx, res);
	plan = malloc(sizeof(*plan));
	if (!plan)
		return AGENT_ERR;
	plan_init(plan, o->be);
	for (size_t k = 0; k < set->n_units && res == AGENT_OK; k++) {
		const struct alua_unit *u = &set->units[k];

		res = plan_add(ctx, plan, u, &u->groups[u->local_idx], "local",
			       local_to, o->graceful);
		if (res == AGENT_OK)
			res = plan_add(ctx, plan, u, &u->groups[u->remote_idx],
				       "remote", remote_to, false);
	}
	rc = res == AGENT_OK ? apply(ctx, o, set, plan) : report_error(ctx, res);
	free(plan);
	return rc;
}

static int cmd_set_state(struct agent_ctx *ctx, struct options *o,
			 struct unit_set *set, const char *group,
			 const char *state_text)
{
	struct change_plan *plan;
	enum alua_state to;
	enum agent_result res;
	int rc;

	if ((rc = check_name("GROUP", group)) ||
	    (rc = parse_state_arg("STATE", state_text, &to)))
		return rc;
	/* The named group is the one looked up; --local/--remote only label. */
	o->target.local = group;
	o->target.remote = NULL;
	o->target.need_groups = false;
	o->target.state_only = true;
	res = o->be->discover(ctx, &o->target, set);
	if (res != AGENT_OK)
		return report_error(ctx, res);
	plan = malloc(sizeof(*plan));
	if (!plan)
		return AGENT_ERR;
	plan_init(plan, o->be);
	for (size_t k = 0; k < set->n_units && res == AGENT_OK; k++) {
		const struct alua_unit *u = &set->units[k];

		if (u->local_idx < 0)
			continue;
		res = plan_add(ctx, plan, u, &u->groups[u->local_idx], "",
			       to, o->graceful);
	}
	rc = res == AGENT_OK ? apply(ctx, o, set, plan) : report_error(ctx, res);
	free(plan);
	return rc;
}

static int cmd_check(struct agent_ctx *ctx, struct options *o,
		     struct unit_set *set, const char *local_text,
		     const char *remote_text)
{
	enum alua_state want_local = ALUA_ACTIVE_OPTIMIZED;
	enum alua_state want_remote = ALUA_ACTIVE_OPTIMIZED;
	/* "-": that group's state is not known yet and is not checked. */
	bool any_local = !strcmp(local_text, "-");
	bool any_remote = !strcmp(remote_text, "-");
	enum agent_result res;
	int rc = AGENT_OK;

	if ((!any_local &&
	     (res = parse_state_arg("LOCAL_STATE", local_text, &want_local))) ||
	    (!any_remote &&
	     (res = parse_state_arg("REMOTE_STATE", remote_text, &want_remote))))
		return res;
	o->target.need_groups = true;
	res = o->be->discover(ctx, &o->target, set);
	if (res != AGENT_OK)
		return report_error(ctx, res);
	for (size_t k = 0; k < set->n_units; k++) {
		const struct alua_unit *u = &set->units[k];
		const struct tgt_group *l = &u->groups[u->local_idx];
		const struct tgt_group *r = &u->groups[u->remote_idx];

		if (!any_local && l->state != want_local) {
			printf("%s: local group '%s' is %s, expected %s\n",
			       u->name, l->name,
			       report_state_text(o->be, l->state),
			       report_state_text(o->be, want_local));
			rc = EXIT_DRIFT;
		}
		if (!any_remote && r->state != want_remote) {
			printf("%s: remote group '%s' is %s, expected %s\n",
			       u->name, r->name,
			       report_state_text(o->be, r->state),
			       report_state_text(o->be, want_remote));
			rc = EXIT_DRIFT;
		}
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct agent_ctx ctx = { { 0 } };
	struct options o;
	struct unit_set *set;
	const char *cmd;
	int rc, nargs;

	rc = parse_options(argc, argv, &o);
	if (rc != AGENT_OK)
		return rc;
	if (optind >= argc)
		return fail_usage("no command given");
	cmd = argv[optind];
	nargs = argc - optind - 1;

	set = calloc(1, sizeof(*set));
	if (!set) {
		fprintf(stderr, "pathwarden-agent: out of memory\n");
		return AGENT_ERR;
	}
	if ((!strcmp(cmd, "promote") || !strcmp(cmd, "demote") ||
	     !strcmp(cmd, "set-state")) && !o.dry_run &&
	    (rc = lock_tree(&o)) != AGENT_OK) {
		free(set);
		return rc;
	}
	if (!strcmp(cmd, "status") && nargs == 0) {
		rc = cmd_status(&ctx, &o, set);
	} else if (!strcmp(cmd, "promote") && nargs == 0) {
		rc = cmd_role(&ctx, &o, set, true);
	} else if (!strcmp(cmd, "demote") && nargs == 0) {
		rc = cmd_role(&ctx, &o, set, false);
	} else if (!strcmp(cmd, "set-state") && nargs == 2) {
		rc = cmd_set_state(&ctx, &o, set, argv[optind + 1],
				   argv[optind + 2]);
	} else if (!strcmp(cmd, "check") && nargs == 2) {
		rc = cmd_check(&ctx, &o, set, argv[optind + 1],
			       argv[optind + 2]);
	} else if (!strcmp(cmd, "status") || !strcmp(cmd, "promote") ||
		   !strcmp(cmd, "demote") || !strcmp(cmd, "set-state") ||
		   !strcmp(cmd, "check")) {
		rc = fail_usage("%s: wrong number of arguments", cmd);
	} else {
		rc = fail_usage("unknown command '%s'", cmd);
	}
	free(set);
	if (fflush(stdout) != 0 && rc == AGENT_OK)
		rc = AGENT_ERR;
	return rc;
}
