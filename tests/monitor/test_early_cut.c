// SPDX-License-Identifier: GPL-2.0-or-later
/* Early failover's cut: the silent node's sessions get recovery_tmo 0
 * and lose their TCP connections (real ones, to a listener on loopback:
 * closing them needs CAP_NET_ADMIN, which a user without it is told as
 * EPERM); the timeouts come back once the sessions are FREE. */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "early_cut.h"
#include "fx_view.h"
#include "sock_kill.h"

#define S 1000000000ull

static struct pw_conf conf;

struct conn {
	int lfd, cfd, afd;
	int port;
};

/* A listener on 127.0.0.1 and one connection to it. */
static void conn_open(struct conn *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	c->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->lfd >= 0);
	assert_int_equal(bind(c->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(c->lfd, 4), 0);
	assert_int_equal(getsockname(c->lfd, (struct sockaddr *)&a, &len), 0);
	c->port = ntohs(a.sin_port);
	c->cfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->cfd >= 0);
	assert_int_equal(connect(c->cfd, (struct sockaddr *)&a, sizeof(a)), 0);
	c->afd = accept(c->lfd, NULL, NULL);
	assert_true(c->afd >= 0);
}

static void conn_close(struct conn *c)
{
	close(c->afd);
	close(c->cfd);
	close(c->lfd);
}

/* Whether this process may close sockets of its network namespace: the
 * kernel asks for CAP_NET_ADMIN over the namespace for SO_MARK as for
 * SOCK_DESTROY (a package build's user namespace is root without it). */
static bool net_admin(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	bool ok = setsockopt(fd, SOL_SOCKET, SO_MARK, &one, sizeof(one)) == 0;

	close(fd);
	return ok;
}

/* The client's end was aborted: its next read says so. */
static bool aborted(int fd)
{
	char b;

	return recv(fd, &b, 1, MSG_DONTWAIT) < 0 && errno == ECONNABORTED;
}

static void test_sock_kill(void **state)
{
	struct conn c;
	unsigned int k = 99;

	(void)state;
	assert_int_equal(sock_kill_peer("portal.example", 3260, &k), -EINVAL);
	assert_int_equal(k, 0);
	assert_int_equal(sock_kill_peer("127.0.0.1", 0, &k), -EINVAL);
	conn_open(&c);
	if (!net_admin()) {
		assert_int_equal(sock_kill_peer("127.0.0.1", c.port, &k),
				 -EPERM);
		conn_close(&c);
		return;
	}
	/* another peer's connections are not touched */
	assert_int_equal(sock_kill_peer("127.0.0.2", c.port, &k), 0);
	assert_int_equal(k, 0);
	assert_false(aborted(c.cfd));
	/* the client's connection to the port, not the accepted end */
	assert_int_equal(sock_kill_peer("127.0.0.1", c.port, &k), 0);
	assert_int_equal(k, 1);
	assert_true(aborted(c.cfd));
	assert_int_equal(sock_kill_peer("127.0.0.1", c.port, &k), 0);
	assert_int_equal(k, 0);
	conn_close(&c);
}

/* A sysfs tree under @root with session @sid: recovery_tmo and state. */
static void sess_files(const char *root, int sid, int tmo, const char *st)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/sys/class/iscsi_session/session%d", root,
		 sid);
	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	snprintf(p + strlen(p), sizeof(p) - strlen(p), "/recovery_tmo");
	if (tmo >= 0) {
		assert_non_null(f = fopen(p, "w"));
		fprintf(f, "%d\n", tmo);
		fclose(f);
	}
	strcpy(strrchr(p, '/'), "/state");
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "%s\n", st);
	fclose(f);
}

static int tmo_of(const char *root, int sid)
{
	char p[512];
	int v = -1;
	FILE *f;

	snprintf(p, sizeof(p), "%s/sys/class/iscsi_session/session%d/"
		 "recovery_tmo", root, sid);
	assert_non_null(f = fopen(p, "r"));
	assert_int_equal(fscanf(f, "%d", &v), 1);
	fclose(f);
	return v;
}

/* Drop CAP_NET_ADMIN and CAP_NET_RAW from this process's effective set
 * (root may: capset lowers its own), as pathwarden.service without the
 * drop-in has it.  For a forked child: no cmocka assert. */
static bool drop_net_caps(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];

	if (syscall(SYS_capget, &h, c))
		return false;
	c[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
	c[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
	return syscall(SYS_capset, &h, c) == 0;
}

/* sock_kill_ready tells the truth: 0 where a connection can be closed,
 * -EPERM where it cannot, and then so does the cut's own call. */
static void test_ready(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	if (!net_admin()) {
		assert_int_equal(sock_kill_ready(), -EPERM);
		return;
	}
	assert_int_equal(sock_kill_ready(), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(!drop_net_caps() ? 9 : net_admin() ? 10 :
		      sock_kill_ready() != -EPERM ? 11 : 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_cut(void **state)
{
	char root[] = "/tmp/pw-early-cut-XXXXXX";
	struct early_cut cut = { .n = 0 };
	struct early_cut_result r;
	struct pw_view v;
	struct conn c;
	struct pw_map *m;
	int mine[4], theirs[4];
	unsigned int n_mine = 0, n_theirs = 0;

	(void)state;
	assert_non_null(mkdtemp(root));
	fx_view("good", &conf, NULL, &v);
	m = &v.maps[0];
	conn_open(&c);
	/* Every session of hpms01 goes to the listener; hpms02's keep
	 * their fixture addresses. */
	for (size_t i = 0; i < m->mp->n_paths; i++) {
		struct iscsi_sess *s = (struct iscsi_sess *)m->paths[i].sess;

		assert_non_null(s);
		assert_non_null(m->paths[i].node);
		s->recovery_tmo = 5;
		sess_files(root, s->sid, 5, "LOGGED_IN");
		if (m->paths[i].node == &conf.nodes[0]) {
			snprintf(s->address, sizeof(s->address), "127.0.0.1");
			s->port = c.port;
			mine[n_mine++] = s->sid;
		} else {
			theirs[n_theirs++] = s->sid;
		}
	}
	assert_int_equal(n_mine, 2);
	assert_int_equal(n_theirs, 2);

	early_cut(&cut, root, m, &conf.nodes[0], 10 * S, &r);
	assert_int_equal(r.sessions, 2);
	assert_int_equal(cut.n, 2);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(tmo_of(root, mine[i]), 0);
		assert_int_equal(tmo_of(root, theirs[i]), 5);
	}
	if (net_admin()) {
		assert_int_equal(r.connections, 1);
		assert_int_equal(r.failed, 0);
		assert_true(aborted(c.cfd));
	} else {
		assert_int_equal(r.connections, 0);
		assert_int_equal(r.first_err, -EPERM);
	}
	/* cut again: nothing new */
	early_cut(&cut, root, m, &conf.nodes[0], 10 * S, &r);
	assert_int_equal(r.sessions, 0);
	assert_int_equal(cut.n, 2);

	/* Still logged in 1 s later: both wait for their failure.  One
	 * FREE: it waits for its login (the kernel refuses a FREE
	 * session's recovery_tmo), then gets its value back. */
	assert_int_equal(early_cut_settle(&cut, root, 11 * S, false), 2);
	sess_files(root, mine[0], 0, "FREE");
	assert_int_equal(early_cut_settle(&cut, root, 11 * S, false), 2);
	assert_int_equal(tmo_of(root, mine[0]), 0);
	sess_files(root, mine[0], 0, "LOGGED_IN");
	assert_int_equal(early_cut_settle(&cut, root, 12 * S, false), 1);
	assert_int_equal(tmo_of(root, mine[0]), 5);
	assert_int_equal(tmo_of(root, mine[1]), 0);
	/* one that never failed: back after the bound */
	assert_int_equal(early_cut_settle(&cut, root, 10 * S +
					  EARLY_CUT_RESTORE_NS, false), 0);
	assert_int_equal(tmo_of(root, mine[1]), 5);
	/* one out for long stays cut until it is back */
	early_cut(&cut, root, m, &conf.nodes[0], 30 * S, &r);
	assert_int_equal(r.sessions, 2);
	sess_files(root, mine[0], 0, "FREE");
	sess_files(root, mine[1], 0, "FREE");
	assert_int_equal(early_cut_settle(&cut, root, 300 * S, false), 2);
	assert_int_equal(tmo_of(root, mine[1]), 0);
	sess_files(root, mine[0], 0, "LOGGED_IN");
	sess_files(root, mine[1], 0, "LOGGED_IN");
	assert_int_equal(early_cut_settle(&cut, root, 301 * S, false), 0);
	assert_int_equal(tmo_of(root, mine[0]), 5);
	assert_int_equal(tmo_of(root, mine[1]), 5);

	/* A session with no known timeout keeps it; at exit everything
	 * cut is given back. */
	((struct iscsi_sess *)m->paths[0].sess)->recovery_tmo = -1;
	early_cut(&cut, root, m, &conf.nodes[0], 20 * S, &r);
	assert_int_equal(r.sessions, m->paths[0].node == &conf.nodes[0] ? 1 : 2);
	assert_int_equal(early_cut_settle(&cut, root, 20 * S, true), 0);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(tmo_of(root, mine[i]), 5);

	conn_close(&c);
	view_free(&v);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		assert_int_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sock_kill),
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
