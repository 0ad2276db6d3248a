// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The metrics endpoint against requests tests/monitor/test_metrics.c does
 * not send: every other method, targets that only look like /metrics,
 * bare-LF and NUL-laden heads, over-long request lines, a client feeding
 * one byte at a time past its deadline, and connection churn.  After
 * each, a real scrape must still get its 200.  Also: what address the
 * socket is really bound to.
 */
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
#include <unistd.h>

#include <cmocka.h>

#include "http_metrics.h"
#include "loop.h"
#include "../loop_client.h"

static unsigned int renders;

static char *render(void *arg, size_t *len)
{
	static const char body[] = "pathwarden_test_up 1\n";
	char *b = strdup(body);

	(void)arg;
	renders++;
	*len = strlen(body);
	return b;
}

/* Turn the server's loop until it has closed @fd's connection; what it
 * sent lands in buf.  Gives up after about two seconds. */
static size_t drain(struct loop *l, int fd, char *buf, size_t max)
{
	bool closed;
	size_t got = loop_client_read(l, fd, buf, max, 400, &closed);

	if (!closed)
		fail_msg("the server never closed the connection");
	return got;
}

static void ask(struct loop *l, uint16_t port, const void *req, size_t n,
		char *buf, size_t max)
{
	int fd = loop_client_dial(port);

	assert_int_equal(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
	drain(l, fd, buf, max);
	close(fd);
}

static void status_is(struct loop *l, uint16_t port, const char *req,
		      const char *status)
{
	char buf[8192];

	ask(l, port, req, strlen(req), buf, sizeof(buf));
	if (strncmp(buf, status, strlen(status)))
		fail_msg("'%s' got '%.40s', not '%s'", req, buf, status);
}

/* Turned away: an error status, or closed with no answer at all;
 * never rendered. */
static void refused(struct loop *l, uint16_t port, const void *req,
		    size_t n)
{
	char buf[8192];
	unsigned int before = renders;

	memset(buf, 0, sizeof(buf));
	ask(l, port, req, n, buf, sizeof(buf));
	if (buf[0] && strncmp(buf, "HTTP/1.1 4", 10) &&
	    strncmp(buf, "HTTP/1.1 5", 10) && strncmp(buf, "HTTP/1.0 4", 10) &&
	    strncmp(buf, "HTTP/1.0 5", 10))
		fail_msg("'%.30s' got '%.40s', not an error", (const char *)req,
			 buf);
	assert_int_equal(renders, before);
}

static void scrape_works(struct loop *l, uint16_t port)
{
	char buf[8192];
	unsigned int before = renders;

	/* HTTP/1.1 wants a Host header: MHD 1.0 refuses a request
	 * without one (400), as RFC 9112 says a server must. */
	ask(l, port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 34, buf,
	    sizeof(buf));
	assert_true(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17));
	assert_non_null(strstr(buf, "pathwarden_test_up 1\n"));
	assert_int_equal(renders, before + 1);
}

static void test_only_get_metrics(void **state)
{
	static const char *const methods[] = {
		"HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
	};
	/* methods MHD's versions may refuse before asking us */
	static const char *const odd_methods[] = {
		"TRACE", "CONNECT", "get", "GETX",
	};
	static const char *const targets[] = {
		"/", "/metrics/", "/metricsx", "/metrics/../metrics",
		"//metrics", "/Metrics", "/metrics%00", "/../../etc/shadow",
	};
	/* targets MHD's versions may refuse before asking us (400) */
	static const char *const odd_targets[] = { "*", "metrics", "" };
	struct loop l;
	struct http_server s;
	char req[512];

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0, render,
					   NULL), 0);
	renders = 0;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		snprintf(req, sizeof(req), "%s /metrics HTTP/1.1\r\n"
			 "Host: x\r\n\r\n", methods[i]);
		status_is(&l, s.port, req, "HTTP/1.1 405 ");
	}
	for (size_t i = 0; i < sizeof(odd_methods) / sizeof(odd_methods[0]);
	     i++) {
		snprintf(req, sizeof(req), "%s /metrics HTTP/1.1\r\n"
			 "Host: x\r\n\r\n", odd_methods[i]);
		refused(&l, s.port, req, strlen(req));
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n"
			 "\r\n", targets[i]);
		status_is(&l, s.port, req, "HTTP/1.1 404 ");
	}
	for (size_t i = 0; i < sizeof(odd_targets) / sizeof(odd_targets[0]);
	     i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n"
			 "\r\n", odd_targets[i]);
		refused(&l, s.port, req, strlen(req));
	}
	/* No Host in HTTP/1.1: MHD 0.9 lets it through (404 here), 1.0
	 * says 400; never a render either way. */
	refused(&l, s.port, "GET / HTTP/1.1\r\n\r\n", 18);
	/* Nothing was rendered for any of them. */
	assert_int_equal(renders, 0);
	scrape_works(&l, s.port);
	http_server_stop(&s);
}

/* What MHD answers to each differs between its versions (400, 414, 431,
 * 505, or a close): every one is turned away and nothing is rendered. */
static void test_malformed_heads(void **state)
{
	static const char *const bad[] = {
		"GET /metrics\r\n\r\n",			/* HTTP/0.9 */
		"GET /metrics HTTP/2.0\r\n\r\n",
		"GET /metrics HTTP/1.1 extra\r\n\r\n",
		"GET\r\n\r\n",
		"\r\n\r\n",
	};
	struct loop l;
	struct http_server s;
	char buf[8192], line[3 * HTTP_REQ_MAX];
	static const char nul[] = "GET /met\0rics HTTP/1.1\r\n\r\n";

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0, render,
					   NULL), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(&l, s.port, bad[i], strlen(bad[i]));
	/* Bare LF line ends: RFC 9112 lets a server take them; either
	 * way the server lives on. */
	ask(&l, s.port, "GET /metrics HTTP/1.1\n\n", 24, buf, sizeof(buf));
	/* A NUL inside the request line: not /metrics, not a crash. */
	refused(&l, s.port, nul, sizeof(nul) - 1);
	/* A request line longer than the head may be. */
	memset(line, 'a', sizeof(line));
	memcpy(line, "GET /", 5);
	memcpy(line + sizeof(line) - 15, " HTTP/1.1\r\n\r\n", 14);
	line[sizeof(line) - 1] = '\0';
	refused(&l, s.port, line, strlen(line));
	/* Binary noise that happens to end a head. */
	for (int i = 0; i < 64; i++) {
		char noise[200];

		for (size_t k = 0; k < sizeof(noise) - 4; k++)
			noise[k] = (char)(rand() & 0xff);
		memcpy(noise + sizeof(noise) - 4, "\r\n\r\n", 4);
		ask(&l, s.port, noise, sizeof(noise), buf, sizeof(buf));
		assert_false(strstr(buf, "200 OK"));
	}
	scrape_works(&l, s.port);
	http_server_stop(&s);
}

static void test_slow_and_churn(void **state)
{
	struct loop l;
	struct http_server s;
	char buf[8192];
	const char *req = "GET /metrics HTTP/1.1\r\n\r\n";
	int fd;
	size_t sent = 0;

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0, render,
					   NULL), 0);
	s.timeout_ns = 200000000ull;

	/* One byte every 20 ms: the whole request would take 500 ms, past
	 * the 200 ms deadline, so it is dropped, never answered. */
	fd = loop_client_dial(s.port);
	for (int round = 0; round < 30 && sent < 10; round++) {
		if (send(fd, req + sent, 1, MSG_NOSIGNAL) == 1)
			sent++;
		loop_once(&l, 20);
	}
	for (int round = 0; round < 40; round++)
		loop_once(&l, 10);
	{
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		/* EOF or reset: the server gave up on it, sent nothing. */
		assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
	}
	close(fd);

	/* Churn: 500 connections opened and dropped, half with a partial
	 * request; no slot is left behind. */
	for (int i = 0; i < 500; i++) {
		fd = loop_client_dial(s.port);
		if (i & 1)
			assert_int_equal(send(fd, "GET /me", 7, MSG_NOSIGNAL), 7);
		close(fd);
		loop_once(&l, 0);
	}
	for (int round = 0; round < 50; round++)
		loop_once(&l, 10);
	for (int i = 0; i < HTTP_CONN_SLOTS; i++)
		assert_int_equal(s.conns[i].fd, -1);
	scrape_works(&l, s.port);
	http_server_stop(&s);
}

static void test_bound_where_asked(void **state)
{
	struct loop l;
	struct http_server s;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	char addr[INET_ADDRSTRLEN];

	(void)state;
	loop_init(&l);
	assert_int_equal(http_server_start(&s, &l, "127.0.0.1", 0, render,
					   NULL), 0);
	assert_int_equal(getsockname(s.lfd, (struct sockaddr *)&a, &alen), 0);
	assert_non_null(inet_ntop(AF_INET, &a.sin_addr, addr, sizeof(addr)));
	/* Loopback, never the wildcard address. */
	assert_string_equal(addr, "127.0.0.1");
	http_server_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_get_metrics),
		cmocka_unit_test(test_malformed_heads),
		cmocka_unit_test(test_slow_and_churn),
		cmocka_unit_test(test_bound_where_asked),
	};

	srand(8);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
