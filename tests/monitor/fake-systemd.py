#!/usr/bin/python3
# systemd's two sockets as the daemon meets them, for
# tests/monitor/daemon-systemd.sh: the notify socket (NOTIFY_SOCKET) and
# journald's native socket.  Each datagram is written out as one JSON
# object per line: {"t": seconds, "fields": {...}} to NOTIFY_OUT and
# JOURNAL_OUT.  The journal's native protocol: FIELD=value lines, or a
# name line, a 64-bit little-endian length and the raw value.
# Usage: fake-systemd.py NOTIFY_SOCKET NOTIFY_OUT JOURNAL_SOCKET JOURNAL_OUT
import json
import os
import select
import socket
import struct
import sys
import time


def parse(data):
    fields, i = {}, 0
    while i < len(data):
        nl = data.find(b"\n", i)
        if nl < 0:
            nl = len(data)
        line = data[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            fields[k.decode()] = v.decode(errors="replace")
            i = nl + 1
        else:
            (n,) = struct.unpack("<Q", data[nl + 1:nl + 9])
            fields[line.decode()] = data[nl + 9:nl + 9 + n].decode(
                errors="replace")
            i = nl + 9 + n + 1
    return fields


def bind(path):
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    return s


socks = {bind(sys.argv[1]): sys.argv[2], bind(sys.argv[3]): sys.argv[4]}
# ready: the test waits for this file before starting the daemon
open(sys.argv[2] + ".ready", "w").close()
while True:
    for s in select.select(list(socks), [], [])[0]:
        data = s.recv(1 << 20)
        with open(socks[s], "a") as f:
            f.write(json.dumps({"t": time.time(),
                                "fields": parse(data)}) + "\n")
