// SPDX-License-Identifier: GPL-2.0-or-later
/* The portal TCP probe on loopback: a listening portal is up, a closed
 * one goes down after two failed rounds, and comes back up at the first
 * answer (what re-login waits for). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "loop.h"
#include "portal_probe.h"

struct change {
	unsigned int n;
	const struct conf_portal *last;
	enum portal_state last_state;
};

static void changed(void *arg, struct portal_probe *p, enum portal_state old,
		    uint64_t now)
{
	struct change *c = arg;

	(void)old;
	(void)now;
	c->n++;
	c->last = p->portal;
	c->last_state = p->state;
}

static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

static void round_trip(struct portal_set *s, struct loop *l)
{
	portal_set_round(s, l->now(), NULL);
	for (int i = 0; i < 20; i++)
		loop_once(l, 10);
}

static void test_up_down_up(void **state)
{
	struct pw_conf c;
	struct loop l;
	struct portal_set s;
	struct change ch = { 0 };
	uint16_t up_port, dead_port;
	int up_fd = listener(&up_port), dead_fd = listener(&dead_port);
	char text[200], err[200];
	FILE *f;

	(void)state;
	close(dead_fd);		/* nothing listens there now: refused */
	snprintf(text, sizeof(text), "node a 127.0.0.1:%u\nnode b "
		 "127.0.0.1:%u\nportal-connect-ms 100\n", up_port, dead_port);
	f = fmemopen(text, strlen(text), "r");
	assert_true(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	loop_init(&l);
	assert_int_equal(portal_set_init(&s, &c, &l, changed, &ch), 0);
	assert_int_equal(s.n, 2);

	round_trip(&s, &l);
	assert_int_equal(s.p[0].state, PORTAL_UP);
	/* unknown -> down on the first failure, no waiting for a second */
	assert_int_equal(s.p[1].state, PORTAL_DOWN);
	assert_int_equal(ch.n, 2);

	/* a portal that was up needs two failures to go down */
	close(up_fd);
	round_trip(&s, &l);
	assert_int_equal(s.p[0].state, PORTAL_UP);
	round_trip(&s, &l);
	assert_int_equal(s.p[0].state, PORTAL_DOWN);
	assert_int_equal(ch.n, 3);
	assert_ptr_equal(ch.last, &c.nodes[0].portals[0]);

	/* the node comes back: up at the first answer */
	{
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(up_port) };
		int one = 1;

		up_fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(up_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
		assert_int_equal(bind(up_fd, (struct sockaddr *)&a, sizeof(a)),
				 0);
		assert_int_equal(listen(up_fd, 8), 0);
	}
	round_trip(&s, &l);
	assert_int_equal(s.p[0].state, PORTAL_UP);
	assert_int_equal(ch.n, 4);
	assert_int_equal(ch.last_state, PORTAL_UP);
	portal_set_stop(&s);
	close(up_fd);
}

/* A portal that never answers (SYN dropped) is failed by the connect
 * bound; 192.0.2.1 (TEST-NET-1) is not routed anywhere. */
static void test_connect_bound(void **state)
{
	struct pw_conf c;
	struct loop l;
	struct portal_set s;
	char text[] = "node a 192.0.2.1\nportal-connect-ms 50\n", err[200];
	FILE *f = fmemopen(text, strlen(text), "r");
	uint64_t t0;

	(void)state;
	assert_true(conf_parse(f, "t", &c, err, sizeof(err)));
	fclose(f);
	loop_init(&l);
	assert_int_equal(portal_set_init(&s, &c, &l, NULL, NULL), 0);
	t0 = l.now();
	portal_set_round(&s, t0, NULL);
	while (s.p[0].fd >= 0 && l.now() - t0 < 2000000000ull)
		loop_once(&l, 100);
	/* Either the network refused at once or the bound cut it off. */
	assert_int_equal(s.p[0].state, PORTAL_DOWN);
	assert_true(l.now() - t0 < 500000000ull);
	portal_set_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_down_up),
		cmocka_unit_test(test_connect_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
