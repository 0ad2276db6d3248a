#!/usr/bin/env python3
# How long the daemon's loop takes to answer while its RTPG batch hangs:
# N metrics scrapes, then one uevent until its log line.  Prints
# "scrape_max_ms scrape_median_ms uevent_ms" (uevent_ms -1: never seen).
# Usage: loop_latency.py PORT FIFO LOG UEVENT_LINE LOG_TEXT [N]
import statistics
import sys
import time
import urllib.request

port, fifo, log, line, text = sys.argv[1:6]
n = int(sys.argv[6]) if len(sys.argv) > 6 else 5
url = "http://127.0.0.1:%s/metrics" % port
took = []
for _ in range(n):
    t0 = time.monotonic()
    urllib.request.urlopen(url, timeout=10).read()
    took.append((time.monotonic() - t0) * 1000)
t0 = time.monotonic()
with open(fifo, "w") as f:
    f.write(line + "\n")
ev = -1
while time.monotonic() - t0 < 10:
    with open(log, errors="replace") as f:
        if text in f.read():
            ev = (time.monotonic() - t0) * 1000
            break
    time.sleep(0.002)
print("%.0f %.0f %.0f" % (max(took), statistics.median(took), ev))
