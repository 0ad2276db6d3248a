#!/bin/bash
# PID 1 of the lab guest after switch_root (the root is the host's own or
# a suite's, read-only, under a tmpfs overlay), or, with systemd as PID 1,
# the lab's service (pwlab.service, written by the initramfs).  Sets up
# the basic mounts (systemd does its own), arms a watchdog, runs the entry
# script the host named in /results/guest.env with its output in
# /results/entry.out, records its exit status in /results/rc and powers
# off.  PID 1 must never exit (that panics): always power off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=${TERM:-linux} LANG=C.UTF-8
PW_T0=$(date +%s.%N)
export PW_T0

under_systemd() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

poweroff_now() {
	sync
	if under_systemd; then
		# A clean shutdown: units stopped, file systems unmounted; the
		# watchdog below still forces it if that hangs.
		systemctl --no-block poweroff
		sleep 120
		echo "pw-guest: systemd did not power off in 120 s: forcing" \
			> /dev/console
	fi
	umount /results 2>/dev/null
	exec /bin/busybox poweroff -f
}

set -a		# everything in guest.env is for the entry and the scenario
if ! . /results/guest.env; then
	echo "pw-guest: no /results/guest.env" > /dev/console
	poweroff_now
fi
set +a

# A fresh tmpfs on /run and /tmp, unless the checkout under test lives
# there (CI may clone anywhere, /tmp included): hiding it would hide the
# tree the guest runs.  The root is a tmpfs overlay already, so writes
# under a directory left alone still never reach the host.
shadows_tree() {
	case "$PW_TREE/" in "$1"/*) return 0 ;; esac
	case "${PW_BUILD:-$PW_TREE/build}/" in "$1"/*) return 0 ;; esac
	return 1
}
if ! under_systemd; then
	shadows_tree /run || mount -t tmpfs -o mode=0755 run /run
	mkdir -p /run/lock /dev/pts /dev/shm
	shadows_tree /tmp || mount -t tmpfs -o mode=1777 tmp /tmp
	mount -t devpts -o gid=5,mode=620 devpts /dev/pts
	mount -t tmpfs -o mode=1777 shm /dev/shm
fi
mkdir -p /run/lock
ip link set lo up
hostname pwlab
export PW_RESULTS=/results

# Watchdog: whatever hangs, the guest powers off in bounded time (the host
# has its own, longer, hard timeout on qemu).
(
	sleep "${PW_TIMEOUT:-600}"
	echo "pw-guest: watchdog: ${PW_TIMEOUT:-600}s passed, powering off" \
		| tee -a /results/entry.out > /dev/console
	echo watchdog > /results/rc
	sync
	/bin/busybox poweroff -f
) &

cd /
if [ "${PW_INTERACTIVE:-0}" = 1 ]; then
	# The entry brings the lab up, then hands the serial console to a shell.
	/bin/bash "$PW_ENTRY" < /dev/console > /dev/console 2>&1
	rc=$?
else
	set -o pipefail
	/bin/bash "$PW_ENTRY" < /dev/null 2>&1 | tee /results/entry.out > /dev/console
	rc=$?
fi
echo "$rc" > /results/rc
dmesg > /results/dmesg.log 2>/dev/null
poweroff_now
