/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A client for tests of a server that runs on the daemon's loop (the
 * metrics listener): connect on loopback, then turn the loop and read
 * until the server closes.  Included by the test after <cmocka.h> and
 * "loop.h"; static, so each test program has its own copy.
 */
#ifndef PW_TESTS_LOOP_CLIENT_H
#define PW_TESTS_LOOP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

static int loop_client_dial(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* Turn @l (5 ms a round) until the server has closed @fd's connection or
 * @rounds are over; what it sent lands in @buf, NUL-terminated.  *closed
 * says which. */
static size_t loop_client_read(struct loop *l, int fd, char *buf, size_t max,
			       int rounds, bool *closed)
{
	size_t got = 0;

	*closed = false;
	for (int round = 0; round < rounds; round++) {
		struct pollfd p = { fd, POLLIN, 0 };

		loop_once(l, 5);
		while (poll(&p, 1, 0) == 1) {
			ssize_t n = recv(fd, buf + got, max - 1 - got,
					 MSG_DONTWAIT);

			if (n <= 0) {
				buf[got] = '\0';
				*closed = true;
				return got;
			}
			got += (size_t)n;
		}
	}
	buf[got] = '\0';
	return got;
}

#endif
