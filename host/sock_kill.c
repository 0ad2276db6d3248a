// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock_diag over netlink: one dump of the family's TCP sockets, matched
 * on the peer here (the dump request's own filter would need inet_diag
 * bytecode), then one SOCK_DESTROY per match, by the exact id and cookie
 * the dump gave, so a new connection that took the same ports meanwhile
 * is not the one closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock_kill.h"

struct diag_req {
	struct nlmsghdr nh;
	struct inet_diag_req_v2 r;
};

/* Every state a connection can be in; not LISTEN, TIME_WAIT or CLOSE. */
#define LIVE_STATES                                                    \
	((1u << TCP_ESTABLISHED) | (1u << TCP_SYN_SENT) |               \
	 (1u << TCP_SYN_RECV) | (1u << TCP_FIN_WAIT1) |                 \
	 (1u << TCP_FIN_WAIT2) | (1u << TCP_CLOSE_WAIT) |               \
	 (1u << TCP_LAST_ACK) | (1u << TCP_CLOSING))

static int nl_send(int fd, uint16_t type, uint16_t flags, int family,
		   const struct inet_diag_sockid *id)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct diag_req q;

	memset(&q, 0, sizeof(q));
	q.nh.nlmsg_len = sizeof(q);
	q.nh.nlmsg_type = type;
	q.nh.nlmsg_flags = flags;
	q.r.sdiag_family = (uint8_t)family;
	q.r.sdiag_protocol = IPPROTO_TCP;
	q.r.idiag_states = LIVE_STATES;
	if (id)
		q.r.id = *id;
	if (sendto(fd, &q, sizeof(q), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/* A whole message starts at @h with @left bytes from it on (NLMSG_OK,
 * without its comparison of a signed length with an unsigned one). */
static bool nl_ok(const struct nlmsghdr *h, size_t left)
{
	return left >= sizeof(*h) && h->nlmsg_len >= sizeof(*h) &&
	       h->nlmsg_len <= left;
}

/* The next message, *@left reduced by this one's aligned length. */
static const struct nlmsghdr *nl_next(const struct nlmsghdr *h, size_t *left)
{
	size_t step = NLMSG_ALIGN(h->nlmsg_len);

	*left = step < *left ? *left - step : 0;
	return (const struct nlmsghdr *)((const char *)h + step);
}

/* The dump: the ids of the connections to @dst:@port into *@ids. */
static int dump_peer(int fd, int family, const void *dst, size_t dst_len,
		     int port, struct inet_diag_sockid **ids, size_t *n)
{
	static _Alignas(struct nlmsghdr) char buf[16384];
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	rc = nl_send(fd, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP,
		     family, NULL);
	if (rc)
		return rc;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		size_t left;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		left = (size_t)len;
		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		     nl_ok(h, left); h = nl_next(h, &left)) {
			const struct inet_diag_msg *m = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EPROTO;
				return e->error ? e->error : -EPROTO;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
			    m->idiag_family != family ||
			    ntohs(m->id.idiag_dport) != port ||
			    memcmp(m->id.idiag_dst, dst, dst_len))
				continue;
			if (*n == cap) {
				size_t c = cap ? 2 * cap : 8;
				void *p = realloc(*ids, c * sizeof(**ids));

				if (!p)
					return -ENOMEM;
				*ids = p;
				cap = c;
			}
			(*ids)[(*n)++] = m->id;
		}
	}
}

/* One SOCK_DESTROY and its acknowledgement. */
static int destroy_one(int fd, int family, const struct inet_diag_sockid *id)
{
	_Alignas(struct nlmsghdr) char buf[1024];
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	const struct nlmsgerr *e = NLMSG_DATA(h);
	ssize_t len;
	int rc;

	rc = nl_send(fd, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, family, id);
	if (rc)
		return rc;
	do
		len = recv(fd, buf, sizeof(buf), 0);
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	if (!nl_ok(h, (size_t)len) || h->nlmsg_type != NLMSG_ERROR ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EPROTO;
	return e->error;
}

int sock_kill_peer(const char *addr, int port, unsigned int *killed)
{
	struct in6_addr a6;
	struct in_addr a4;
	struct inet_diag_sockid *ids = NULL;
	const void *dst;
	size_t dst_len, n = 0;
	int family, fd, rc;

	*killed = 0;
	if (inet_pton(AF_INET, addr, &a4) == 1) {
		family = AF_INET;
		dst = &a4;
		dst_len = sizeof(a4);
	} else if (inet_pton(AF_INET6, addr, &a6) == 1) {
		family = AF_INET6;
		dst = &a6;
		dst_len = sizeof(a6);
	} else {
		return -EINVAL;
	}
	if (port <= 0 || port > 65535)
		return -EINVAL;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	rc = dump_peer(fd, family, dst, dst_len, port, &ids, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int r = destroy_one(fd, family, &ids[i]);

		if (r == 0)
			(*killed)++;
		else if (r != -ENOENT)	/* closed since the dump: fine */
			rc = r;
	}
	free(ids);
	close(fd);
	return rc;
}

int sock_kill_ready(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int lfd, cfd = -1, afd = -1, rc;
	unsigned int killed = 0;

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len))
		goto fail;
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (afd < 0)
		goto fail;
	rc = sock_kill_peer("127.0.0.1", ntohs(a.sin_port), &killed);
	if (rc == 0 && killed == 0)
		rc = -ENOENT;	/* the dump did not show it: cannot work */
	goto out;
fail:
	rc = -errno;
out:
	if (afd >= 0)
		close(afd);
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	return rc;
}
