#!/usr/bin/env python3
"""A stand-in for multipathd's command socket, for testing the live
libmpathcmd path: the abstract unix socket multipathd listens on, its
framing (a native size_t length, then the bytes with their NUL).

Usage: fake-multipathd.py CAPTURE_DIR [hang]
Answers "show maps json" and "show config" from CAPTURE_DIR, "ok" to
switchgroup/fail/reinstate (logged to CAPTURE_DIR/commands.log), "fail"
to anything else.  With "hang" it accepts and never answers.  Run it in
its own network namespace (abstract sockets are per namespace) so a real
multipathd is never in the way.
"""
import os
import socket
import struct
import sys

NAME = "\0/org/kernel/linux/storage/multipathd"
cap = sys.argv[1]
hang = len(sys.argv) > 2 and sys.argv[2] == "hang"
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(NAME)
srv.listen(8)
open(os.path.join(cap, ".ready"), "w").close()
held = []


def recv_all(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            return None
        b += d
    return b


while True:
    c, _ = srv.accept()
    if hang:
        held.append(c)
        continue
    while True:
        h = recv_all(c, 8)
        if h is None:
            break
        (n,) = struct.unpack("=Q", h)
        cmd = recv_all(c, n)
        if cmd is None:
            break
        cmd = cmd.rstrip(b"\0").decode()
        files = {"show maps json": "maps.json", "show config": "config.txt"}
        if cmd in files:
            with open(os.path.join(cap, files[cmd]), "rb") as f:
                out = f.read()
        elif cmd.split(" ")[0] in ("switchgroup", "fail", "reinstate"):
            with open(os.path.join(cap, "commands.log"), "a") as f:
                f.write(cmd + "\n")
            out = b"ok\n"
        else:
            out = b"fail\n"
        out += b"\0"
        c.sendall(struct.pack("=Q", len(out)) + out)
    c.close()
