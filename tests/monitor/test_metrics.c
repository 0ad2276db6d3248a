// SPDX-License-Identifier: GPL-2.0-or-later
/* The Prometheus exposition (checked by promtool) and the /metrics HTTP
 * server against good, malformed, oversized and slow clients. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "exposition.h"
#include "http_metrics.h"
#include "mpath_client.h"
#include "session_timeouts.h"
#include "topology.h"
#include "../loop_client.h"

static struct pw_conf conf;
static struct pw_view view;
static struct map_stats ms[2];
static struct portal_stats ps[2];
static struct setting_checks settings;

static int setup(void **state)
{
	char err[256];
	struct mpath_source mp;
	struct rtpg_source rt;
	struct view_opts o;

	(void)state;
	if (!conf_load(MON_FX_DIR "/good/pathwarden.conf", &conf, err,
		       sizeof(err)))
		return -1;
	mpath_source_captured(&mp, MON_FX_DIR "/good/capture");
	rtpg_source_replay(&rt, MON_FX_DIR "/good/replay");
	o = (struct view_opts){ .conf = &conf,
				.sysfs_root = MON_FX_DIR "/good/root",
				.mpath = &mp, .rtpg = &rt };
	if (!view_build(&view, &o))
		return -1;
	snprintf(ms[0].map, sizeof(ms[0].map), "mpatha");
	snprintf(ms[1].map, sizeof(ms[1].map), "odd\"name\\x");
	for (int i = 0; i < 2; i++) {
		hist_init(&ms[i].stall, stall_bounds, stall_n);
		hist_init(&ms[i].probe_latency, probe_latency_bounds,
			  probe_latency_n);
	}
	hist_observe(&ms[0].probe_latency, 0.0004);
	hist_observe(&ms[0].probe_latency, 0.003);
	hist_observe(&ms[0].probe_latency, 100);
	hist_observe(&ms[0].stall, 2.05);
	ms[0].failovers = 1;
	snprintf(ps[0].node, sizeof(ps[0].node), "hpms01");
	snprintf(ps[0].portal, sizeof(ps[0].portal), "192.168.122.99:3260");
	ps[0].up = 1;
	snprintf(ps[1].node, sizeof(ps[1].node), "hpms02");
	snprintf(ps[1].portal, sizeof(ps[1].portal), "192.168.122.98:3260");
	ps[1].up = -1;
	/* hpms02 answers TCP and refuses our CHAP: a failure kept */
	ps[0].login_status = -1;
	ps[1].login_failure = ISCSI_LOGIN_AUTH_FAILED;
	ps[1].login_status = 24;
	ps[1].login_failed = 3;
	/* the good host's sessions, one of them with iscsid.conf's NOP-Out
	 * interval (5 s) and a NOP-Out timeout no one could read */
	view.sys.sess[1].noop_interval = 5;
	view.sys.sess[1].noop_timeout = -1;
	view.sys.sess[1].noop_timeout_read = SESS_READ_GARBAGE;
	if (!view_setting_checks(&view, NULL, &conf, &settings))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	setting_checks_free(&settings);
	view_free(&view);
	return 0;
}

static char *render(void *arg, size_t *len)
{
	struct expo_input in = { .view = &view, .maps = ms, .n_maps = 2,
				 .portals = ps, .n_portals = 2,
				 .alua_events = 3, .multipathd_up = 1,
				 .settings = &settings };

	(void)arg;
	return exposition_render(&in, len);
}

static void test_histogram(void **state)
{
	(void)state;
	assert_int_equal(ms[0].probe_latency.counts[0], 1);	/* <= 0.5 ms */
	assert_int_equal(ms[0].probe_latency.counts[3], 1);	/* <= 5 ms */
	assert_int_equal(ms[0].probe_latency.count, 3);	/* 100 s: +Inf */
}

/* promtool lints names, units, types and the text format. */
static void assert_promtool_passes(const char *text, size_t len)
{
	char path[] = "/tmp/pw-metrics-XXXXXX", cmd[256];
	int fd, rc;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	rc = system(cmd);
	unlink(path);
	assert_int_equal(WEXITSTATUS(rc), 0);
}

static void test_exposition(void **state)
{
	size_t len;
	char *text = render(NULL, &len);

	(void)state;
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "pathwarden_path_alua_state{map=\"mpatha"
				     "\",dev=\"sda\",node=\"hpms01\",state="
				     "\"active/optimized\"} 1\n"));
	assert_non_null(strstr(text, "pathwarden_path_alua_state{map=\"mpatha"
				     "\",dev=\"sdc\",node=\"hpms02\",state="
				     "\"active/optimized\"} 0\n"));
	assert_non_null(strstr(text, "pathwarden_path_in_use{map=\"mpatha\","
				     "dev=\"sdc\",node=\"hpms02\"} 0\n"));
	assert_non_null(strstr(text, "pathwarden_map_verdict{map=\"mpatha\","
				     "verdict=\"ok\"} 1\n"));
	assert_non_null(strstr(text, "pathwarden_probe_latency_seconds_bucket"
				     "{map=\"mpatha\",le=\"0.005\"} 2\n"));
	assert_non_null(strstr(text, "pathwarden_probe_latency_seconds_bucket"
				     "{map=\"mpatha\",le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(text, "map=\"odd\\\"name\\\\x\""));
	/* never probed: no up/down claim */
	assert_null(strstr(text, "pathwarden_portal_up{node=\"hpms02\""));
	assert_non_null(strstr(text, "pathwarden_portal_up{node=\"hpms01\","
				     "portal=\"192.168.122.99:3260\"} 1\n"));
	/* a login failure: its count and its reason, one per portal */
	assert_non_null(strstr(text, "pathwarden_portal_login_failed_attempts"
				     "{node=\"hpms02\",portal=\"192.168.122"
				     ".98:3260\"} 3\n"));
	assert_non_null(strstr(text, "pathwarden_portal_login_failed_attempts"
				     "{node=\"hpms01\",portal=\"192.168.122"
				     ".99:3260\"} 0\n"));
	assert_non_null(strstr(text, "pathwarden_portal_login_failure{node="
				     "\"hpms02\",portal=\"192.168.122.98:"
				     "3260\",reason=\"auth_failed\"} 1\n"));
	assert_non_null(strstr(text, "pathwarden_portal_login_failure{node="
				     "\"hpms02\",portal=\"192.168.122.98:"
				     "3260\",reason=\"no_record\"} 0\n"));
	assert_non_null(strstr(text, "pathwarden_portal_login_failure{node="
				     "\"hpms01\",portal=\"192.168.122.99:"
				     "3260\",reason=\"auth_failed\"} 0\n"));
	/* a state set of failures: "ok" is no member */
	assert_null(strstr(text, "reason=\"ok\""));
	assert_null(strstr(text, "SECRET"));
	/* no RTPG round yet: no report, no age */
	assert_null(strstr(text, "pathwarden_path_reported_alua_state{"));
	assert_null(strstr(text, "pathwarden_rtpg_round_age_seconds"));
	assert_promtool_passes(text, len);
	free(text);
}

/*
 * Every group as each path's RTPG reported it, on the host where one of
 * hpms01's two ports reports its own group non-optimized: the nodes'
 * views of group 1 differ there, and the metrics say which path says what.
 */
static void test_reported_states(void **state)
{
	static struct pw_conf dc;
	char err[256];
	struct mpath_source mp;
	struct rtpg_source rt;
	struct view_opts o;
	struct pw_view dv;
	struct rtpg_batch b;
	struct rtpg_item swap;
	struct expo_input in;
	size_t len;
	char *text;

	(void)state;
	assert_true(conf_load(MON_FX_DIR "/disagree/pathwarden.conf", &dc,
			      err, sizeof(err)));
	mpath_source_captured(&mp, MON_FX_DIR "/disagree/capture");
	/* the daemon's way: a view, then its paths asked in a round */
	o = (struct view_opts){ .conf = &dc,
				.sysfs_root = MON_FX_DIR "/disagree/root",
				.mpath = &mp };
	assert_true(view_build(&dv, &o));
	assert_true(view_rtpg_batch(&dv, &b, false));
	assert_int_equal(b.n, 4);
	rtpg_source_replay(&rt, MON_FX_DIR "/disagree/replay");
	rtpg_batch_ask(&b, &rt, 1000);
	/* out of the view's order (a round from an older view) */
	swap = b.items[0];
	b.items[0] = b.items[1];
	b.items[1] = swap;
	/* hpms02's second port did not answer */
	assert_string_equal(b.items[3].dev, "sdd");
	b.items[3].ans.result = TPG_TRANSPORT;
	in = (struct expo_input){ .view = &dv, .multipathd_up = 1,
				  .reports = &b, .reports_age_s = 2.5 };
	text = exposition_render(&in, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sda\",node=\"hpms01\","
				     "tpg=\"1\",state=\"active/optimized\"} 1\n"));
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sdb\",node=\"hpms01\","
				     "tpg=\"1\",state=\"active/optimized\"} 0\n"));
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sdb\",node=\"hpms01\","
				     "tpg=\"1\",state=\"active/non-optimized\"} "
				     "1\n"));
	/* hpms02 reports both groups too: hpms01's as optimized */
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sdc\",node=\"hpms02\","
				     "tpg=\"1\",state=\"active/optimized\"} 1\n"));
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sdc\",node=\"hpms02\","
				     "tpg=\"2\",state=\"active/non-optimized\"} "
				     "1\n"));
	/* a state set: seven per path and group, one of them 1 */
	assert_non_null(strstr(text, "pathwarden_path_reported_alua_state{"
				     "map=\"mpatha\",dev=\"sdc\",node=\"hpms02\","
				     "tpg=\"2\",state=\"transitioning\"} 0\n"));
	/* no answer, no word */
	assert_null(strstr(text, "dev=\"sdd\",node=\"hpms02\",tpg="));
	assert_non_null(strstr(text, "\npathwarden_rtpg_round_age_seconds "
				     "2.500\n"));
	assert_promtool_passes(text, len);
	free(text);
	rtpg_batch_free(&b);
	view_free(&dv);
}

/* The session-drift gauge, in the shape the alert rule is written
 * against: {node,portal,setting}, 1 drift, 0 match, no series unread. */
static void test_setting_drift(void **state)
{
	size_t len;
	char *text = render(NULL, &len);
	static const char *const match[] = {
		"{node=\"hpms01\",portal=\"192.168.122.99:3260\","
		"setting=\"replacement_timeout\"} 0\n",
		"{node=\"hpms01\",portal=\"192.168.122.99:3260\","
		"setting=\"noop_out_interval\"} 0\n",
		"{node=\"hpms01\",portal=\"192.168.122.99:3260\","
		"setting=\"noop_out_timeout\"} 0\n",
		"{node=\"hpms01\",portal=\"192.168.152.99:3260\","
		"setting=\"replacement_timeout\"} 0\n",
		"{node=\"hpms02\",portal=\"192.168.152.98:3260\","
		"setting=\"noop_out_timeout\"} 0\n",
	};
	char want[200];

	(void)state;
	assert_non_null(text);
	assert_non_null(strstr(text, "# TYPE pathwarden_session_setting_drift "
				     "gauge\n"));
	for (size_t i = 0; i < sizeof(match) / sizeof(match[0]); i++) {
		snprintf(want, sizeof(want),
			 "pathwarden_session_setting_drift%s", match[i]);
		if (!strstr(text, want))
			fail_msg("missing: %s", want);
	}
	assert_non_null(strstr(text, "pathwarden_session_setting_drift{node=\""
				     "hpms01\",portal=\"192.168.152.99:3260\","
				     "setting=\"noop_out_interval\"} 1\n"));
	/* unread: no claim either way */
	assert_null(strstr(text, "portal=\"192.168.152.99:3260\",setting="
				 "\"noop_out_timeout\""));
	free(text);
}

/* Two sessions behind one portal (a node that names no target): one
 * series, 1 when either drifts; nothing for a portal with no session. */
static void test_setting_drift_one_series(void **state)
{
	const struct conf_node *n = &conf.nodes[0];
	struct setting_check c[3] = {
		{ .node = n, .portal = &n->portals[0],
		  .setting = SETTING_NOOP_OUT_TIMEOUT,
		  .verdict = SETTING_MATCHES },
		{ .node = n, .portal = &n->portals[0],
		  .setting = SETTING_NOOP_OUT_TIMEOUT,
		  .verdict = SETTING_DRIFTS },
		{ .node = n, .portal = &n->portals[0],
		  .setting = SETTING_REPLACEMENT_TIMEOUT,
		  .verdict = SETTING_MULTIPATHD },
	};
	struct setting_checks cs = { .n = 3, .c = c };
	struct expo_input in = { .settings = &cs };
	size_t len;
	char *text = exposition_render(&in, &len);
	const char *p;

	(void)state;
	assert_non_null(text);
	p = strstr(text, "pathwarden_session_setting_drift{node=\"hpms01\","
			 "portal=\"192.168.122.99:3260\",setting=\""
			 "noop_out_timeout\"} 1\n");
	assert_non_null(p);
	assert_null(strstr(strchr(p, '\n'), "setting=\"noop_out_timeout\""));
	/* multipathd's fast_io_fail_tmo in recovery_tmo: no drift */
	assert_non_null(strstr(text, "setting=\"replacement_timeout\"} 0\n"));
	assert_null(strstr(text, "192.168.152.99"));
	free(text);
}

/* ---- HTTP ------------------------------------------------------------ */

/* Run the loop until @fd has a full response (server closes) or the
 * loop rounds run out. */
static size_t exchange(struct loop *l, int fd, char *buf, size_t max)
{
	bool closed;

	return loop_client_read(l, fd, buf, max, 200, &closed);
}

static void send_str(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), 0), (ssize_t)strlen(s));
}

static void test_http(void **state)
{
	struct loop l;
	struct http_server s;
	static char buf[1 << 20];
	int fd, slow[HTTP_MAX_CONNS + 4];

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0, render,
					   NULL), 0);
	assert_true(s.port != 0);
	s.timeout_ns = 300000000ull;

	fd = loop_client_dial(s.port);
	send_str(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	assert_non_null(strstr(buf, "Content-Type: text/plain; version=0.0.4"));
	assert_non_null(strstr(buf, "pathwarden_multipathd_up 1\n"));

	fd = loop_client_dial(s.port);
	send_str(fd, "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	assert_true(!strncmp(buf, "HTTP/1.1 405 ", 13));
	assert_non_null(strstr(buf, "Allow: GET\r\n"));

	fd = loop_client_dial(s.port);
	send_str(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	assert_true(!strncmp(buf, "HTTP/1.1 404 ", 13));

	fd = loop_client_dial(s.port);
	send_str(fd, "\x01\x02garbage\r\n\r\n");
	memset(buf, 0, 16);
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	/* 400, or closed unanswered (MHD's versions differ) */
	assert_true(!buf[0] || !strncmp(buf, "HTTP/1.1 400 ", 13));

	/* Headers that never end within the buffer. */
	fd = loop_client_dial(s.port);
	send_str(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < 100; i++)
		send_str(fd, "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			     "aaaaaaaaaaaaaaaaaa\r\n");
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	/* 431 (MHD 0.9 and 1.0 both say so; any 4xx would do) */
	assert_true(!strncmp(buf, "HTTP/1.1 4", 10));

	/* More slow clients than slots, each sending half a request: a
	 * real scrape still gets through, and they are all dropped by
	 * their deadline. */
	for (int i = 0; i < HTTP_MAX_CONNS + 4; i++) {
		slow[i] = loop_client_dial(s.port);
		send_str(slow[i], "GET /met");
		loop_once(&l, 5);
	}
	fd = loop_client_dial(s.port);
	send_str(fd, "GET /metrics HTTP/1.0\r\n\r\n");
	exchange(&l, fd, buf, sizeof(buf));
	close(fd);
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	/* A client that closes before sending anything. */
	close(loop_client_dial(s.port));
	for (int round = 0; round < 100; round++)
		loop_once(&l, 10);
	for (int i = 0; i < HTTP_CONN_SLOTS; i++)
		assert_int_equal(s.conns[i].fd, -1);
	for (int i = 0; i < HTTP_MAX_CONNS + 4; i++) {
		/* every slow client sees EOF, not a response */
		ssize_t n = recv(slow[i], buf, sizeof(buf), MSG_DONTWAIT);

		assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
		close(slow[i]);
	}
	assert_true(s.rejected >= 5);
	http_server_stop(&s);
}

static void test_bind_errors(void **state)
{
	struct loop l;
	struct http_server s;

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "localhost", 0, render,
					   NULL), -EINVAL);
	assert_int_equal(http_server_start(&s, &l, "192.0.2.1", 0, render,
					   NULL), -EADDRNOTAVAIL);
}

/* Each reload that moves the metrics socket starts and stops a server:
 * stopping must give its timer back, or the loop's table fills up. */
static void test_restart_many(void **state)
{
	struct loop l;
	struct http_server s;

	(void)state;
	loop_init(&l);
	for (int i = 0; i < 3 * LOOP_MAX_TIMERS; i++) {
		assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0,
						   render, NULL), 0);
		http_server_stop(&s);
		loop_once(&l, 0);	/* the daemon's next round */
		/* a failed bind takes no slot either */
		assert_int_equal(http_server_start(&s, &l, "192.0.2.1", 0,
						   render, NULL),
				 -EADDRNOTAVAIL);
	}
	assert_true(l.n_timers <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_reported_states),
		cmocka_unit_test(test_setting_drift),
		cmocka_unit_test(test_setting_drift_one_series),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_restart_many),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
