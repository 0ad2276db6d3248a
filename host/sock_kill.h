/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Closing TCP connections by their peer, from this host's side: the
 * kernel's sock_diag SOCK_DESTROY request (what `ss -K` sends).  The
 * connection is aborted at once; whoever owns it sees ECONNABORTED (the
 * iSCSI initiator: a connection failure), and a peer that still hears
 * gets a RST.  Needs CAP_NET_ADMIN and a kernel built with
 * CONFIG_INET_DIAG_DESTROY (Debian's are).
 */
#ifndef PW_HOST_SOCK_KILL_H
#define PW_HOST_SOCK_KILL_H

/*
 * Destroy every TCP connection of this network namespace whose peer is
 * @addr (a numeric IPv4 or IPv6 address) port @port; *@killed counts
 * them (a connection that closed meanwhile is not counted).  Returns 0 or
 * -errno: -EINVAL @addr is not numeric, -EPERM without CAP_NET_ADMIN,
 * -EOPNOTSUPP a kernel without SOCK_DESTROY, others from the netlink
 * socket.  Connections destroyed before an error stay counted.
 */
int sock_kill_peer(const char *addr, int port, unsigned int *killed);

/*
 * Whether sock_kill_peer can work here, found by doing it: a connection
 * of this process's own on 127.0.0.1 is closed the same way.  On the way
 * the kernel loads inet_diag and tcp_diag where they are modules
 * (Debian's are: the first cut of a boot in the lab took 0.28 s under
 * TCG, the others 5-25 ms).  Returns 0, -EPERM without
 * CAP_NET_ADMIN (pathwarden.service does not grant it by default), or
 * another -errno.
 */
int sock_kill_ready(void);

#endif
