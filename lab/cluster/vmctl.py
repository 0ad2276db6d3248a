#!/usr/bin/env python3
"""The cluster lab's host-side handle on its guests.

  vmctl.py exec SOCK TIMEOUT COMMAND   run COMMAND (bash -c) in the guest whose
                                       qemu guest agent listens on SOCK; its
                                       output on ours, its exit status ours
                                       (124: TIMEOUT seconds passed, 125: no
                                       answer from the agent)
  vmctl.py qmp SOCK COMMAND [JSON]     one QMP command on the VM's monitor
                                       socket SOCK; prints the answer
  vmctl.py ping SOCK                   exit 0 when the guest agent answers
  vmctl.py clock SOCK                  the guest's clock minus the host's, in
                                       seconds, and the round trip it was
                                       read in (the guests' clocks start
                                       from the RTC, a second apart)

Both sockets are qemu's (-chardev socket,server=on); this file speaks the
protocols qemu documents (QMP, and the guest agent's guest-exec).
"""
import base64
import json
import os
import socket
import sys
import time


class Channel:
    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""

    def send(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + b"\n")

    def recv(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the socket closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.strip().lstrip(b"\xff")
        return json.loads(line) if line else None

    def answer(self):
        """The next return or error, skipping events and greetings."""
        while True:
            msg = self.recv()
            if msg and ("return" in msg or "error" in msg):
                return msg


def agent(path, timeout):
    """A guest agent channel, resynchronised: a request an earlier client
    left unanswered may still sit in it."""
    ch = Channel(path, timeout)
    token = int(time.time() * 1000) % 2**31
    ch.sock.sendall(b"\xff")
    ch.send({"execute": "guest-sync-delimited", "arguments": {"id": token}})
    while True:
        msg = ch.answer()
        if msg.get("return") == token:
            return ch


def agent_retried(path, limit):
    """agent(), tried again while nothing has run in the guest: the agent
    serves one client at a time, and a connection made while another
    client (or a dying one) holds it waits unanswered."""
    end = time.monotonic() + min(limit, 60)
    wait = 1.0
    while True:
        try:
            return agent(path, min(limit, 20))
        except (OSError, ConnectionError, ValueError) as e:
            if time.monotonic() + wait >= end:
                raise
            print("vmctl: guest agent at %s: %s; again in %.0f s"
                  % (path, e, wait), file=sys.stderr)
            time.sleep(wait)
            wait = min(wait * 2, 8)


def do_exec(path, limit, command):
    end = time.monotonic() + limit
    try:
        ch = agent_retried(path, limit)
        # The guest bounds the command itself: guest-exec has no kill,
        # and one left running would overlap the next.
        ch.send({"execute": "guest-exec", "arguments": {
            "path": "/usr/bin/timeout",
            "arg": ["-k", "5", "%d" % max(1, int(limit)), "/bin/bash", "-c",
                    command],
            "capture-output": True}})
        msg = ch.answer()
        if "error" in msg:
            print("vmctl: guest-exec: %s" % msg["error"].get("desc"),
                  file=sys.stderr)
            return 125
        pid = msg["return"]["pid"]
        delay = 0.05
        while True:
            ch.send({"execute": "guest-exec-status",
                     "arguments": {"pid": pid}})
            st = ch.answer().get("return", {})
            if st.get("exited"):
                break
            if time.monotonic() > end + 10:
                print("vmctl: '%s' still running after %s s"
                      % (command, limit), file=sys.stderr)
                return 124
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    except (OSError, ConnectionError, ValueError) as e:
        print("vmctl: no answer from the guest agent at %s: %s" % (path, e),
              file=sys.stderr)
        return 125
    for key, stream in (("out-data", sys.stdout), ("err-data", sys.stderr)):
        if key in st:
            stream.buffer.write(base64.b64decode(st[key]))
            stream.flush()
    if "signal" in st:
        return 128 + st["signal"]
    return st.get("exitcode", 125)


def do_qmp(path, command, args):
    try:
        ch = Channel(path, 10)
        ch.recv()			# the greeting
        ch.send({"execute": "qmp_capabilities"})
        ch.answer()
        req = {"execute": command}
        if args:
            req["arguments"] = json.loads(args)
        ch.send(req)
        msg = ch.answer()
    except (OSError, ConnectionError, ValueError) as e:
        print("vmctl: no answer from the monitor at %s: %s" % (path, e),
              file=sys.stderr)
        return 125
    print(json.dumps(msg))
    return 1 if "error" in msg else 0


def do_clock(path):
    """Best of five guest-get-time calls: the one with the shortest round
    trip bounds the error to half of it."""
    try:
        ch = agent(path, 10)
        best = None
        for _ in range(5):
            t0 = time.time()
            ch.send({"execute": "guest-get-time"})
            g = ch.answer()["return"] / 1e9
            t1 = time.time()
            if best is None or t1 - t0 < best[1]:
                best = (g - (t0 + t1) / 2, t1 - t0)
    except (OSError, ConnectionError, ValueError, KeyError) as e:
        print("vmctl: no time from the guest agent at %s: %s" % (path, e),
              file=sys.stderr)
        return 125
    print("%.4f %.4f" % best)
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "exec":
        return do_exec(argv[2], float(argv[3]), argv[4])
    if len(argv) in (4, 5) and argv[1] == "qmp":
        return do_qmp(argv[2], argv[3], argv[4] if len(argv) == 5 else None)
    if len(argv) == 3 and argv[1] == "clock":
        return do_clock(argv[2])
    if len(argv) == 3 and argv[1] == "ping":
        try:
            ch = agent(argv[2], 5)
            ch.send({"execute": "guest-ping"})
            return 0 if "return" in ch.answer() else 1
        except (OSError, ConnectionError, ValueError):
            return 1
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
