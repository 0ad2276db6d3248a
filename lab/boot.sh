#!/bin/bash
# Boot the lab VM once: qemu TCG (never KVM: /dev/kvm here hangs a normal
# guest), LAB_SUITE's guest root (trixie unless said otherwise) and this
# checkout, or with LAB_SUITE=host the host's /, shared read-only over 9p
# under a tmpfs overlay, a
# writable results share, one guest entry script, power-off, results on the
# host.  Works with standard input closed and no terminal, as CI runs it.
#
# Usage: lab/boot.sh [options] ENTRY
#   ENTRY             guest script (a path in this checkout), run as bash
#   --results DIR     results directory (default $BUILD/lab/results/last)
#   --scenario FILE   exported to the guest as PW_SCENARIO
#   --config NAME     pathwarden (default) or stock: the initial multipath config
#   --timeout SECS    hard limit for the whole boot (default 900)
#   --interactive     serial console on this terminal (make lab-shell)
#   --no-stage        install nothing of the project into the guest
# Exit status: the entry's, or 2 when the VM did not finish.
set -eu
. "$(dirname "$0")/lib.sh"

results="$LAB_BUILD/results/last"
scenario=""
config=${PW_LAB_CONFIG:-pathwarden}
timeout_s=900
interactive=0
stage_it=1
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--scenario) scenario=$2; shift 2 ;;
	--config) config=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--no-stage) stage_it=0; shift ;;
	-*) lab_die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || lab_die "usage: lab/boot.sh [options] ENTRY"
entry=$(realpath "$1")
[ -f "$entry" ] || lab_die "no guest entry $entry"
[ -z "$scenario" ] || scenario=$(realpath "$scenario")
case "$config" in pathwarden|stock) ;; *) lab_die "--config pathwarden|stock" ;; esac

"$LAB_DIR/build-vm.sh"
. "$LAB_BUILD/vm.env"
rootshare=/
treeshare=()
# PID 1 of the guest: the suite's systemd (LAB_INIT=systemd, the default
# with a suite's root), or the lab's init script (LAB_INIT=script; always
# with the host's root, whose systemd is the host's own).
init=${LAB_INIT:-}
[ -n "$init" ] || { [ -n "${ROOTDIR:-}" ] && init=systemd || init=script; }
case "$init" in
systemd) [ -n "${ROOTDIR:-}" ] ||
	lab_die "LAB_INIT=systemd needs a suite's root (LAB_SUITE)" ;;
script) ;;
*) lab_die "LAB_INIT must be systemd or script, not '$init'" ;;
esac
if [ -n "${ROOTDIR:-}" ]; then
	# The suite's root does not hold this checkout: it comes as a share
	# of its own, mounted at the same path in the guest.
	case "$BUILD/" in
	"$TREE"/*) ;;
	*) lab_die "LAB_SUITE needs BUILD inside the checkout ($TREE)" ;;
	esac
	rootshare=$ROOTDIR
	treeshare=(-virtfs "local,path=$TREE,mount_tag=tree,security_model=none,readonly=on,multidevs=remap")
fi

# The lab tools and the project's packages, staged for the guest.
SUITE=${SUITE:-} "$LAB_DIR/stage.sh" "$stage_it" || exit 1
stage="$LAB_BUILD/stage.tar"

case "$results" in /*) ;; *) results="$PWD/$results" ;; esac
rm -rf "$results"
mkdir -p "$results/logs"
results=$(realpath "$results")
guest_timeout=$((timeout_s - 30))
cat > "$results/guest.env" <<ENV
PW_TREE='$TREE'
PW_BUILD='$BUILD'
PW_STAGE='$stage'
PW_ENTRY='$entry'
PW_SCENARIO='$scenario'
PW_LAB_CONFIG='$config'
PW_TIMEOUT='$guest_timeout'
PW_INTERACTIVE='$interactive'
PW_SUITE='${SUITE:-}'
ENV
# [scale]: make ... LAB_LUNS=N, N LUNs on both nodes (target-lio.sh).
[ -z "${LAB_LUNS:-}" ] || export PW_LAB_LUNS=$LAB_LUNS
# Knobs for scenarios pass through (PW_E2E_*, PW_LAB_*, PW_BENCH_*,
# PW_SCALE_*, PW_SOAK_*, PW_MEM_*).
for v in $(compgen -e | grep -E '^PW_(E2E|LAB|BENCH|SCALE|SOAK|MEM)_' || true); do
	printf '%s=%q\n' "$v" "${!v}" >> "$results/guest.env"
done

command -v qemu-system-x86_64 >/dev/null || lab_die "qemu-system-x86_64 missing"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048
	-no-reboot -nodefaults -nic none
	-kernel "$KERNEL" -initrd "$INITRD"
	-append "console=ttyS0 panic=-1 mitigations=off quiet loglevel=4 pw.init=$LAB_DIR/guest/init.sh pw.modroot=$MODROOT${ROOTDIR:+ pw.tree=$TREE} pw.systemd=$([ "$init" = systemd ] && echo 1 || echo 0)"
	-virtfs "local,path=$rootshare,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	"${treeshare[@]}"
	-virtfs "local,path=$results,mount_tag=results,security_model=none"
)

qpid=""
tailpid=""
cleanup() {
	[ -n "$tailpid" ] && kill "$tailpid" 2>/dev/null
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill -TERM "$qpid" 2>/dev/null
		sleep 1
		kill -KILL "$qpid" 2>/dev/null
	fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# One boot, not interactive: qemu in the background, the entry's output
# followed as the guest writes it, the host's hard limit enforced.
boot_once() {
	: > "$results/entry.out"
	setsid "${qemu[@]}" -display none -monitor none \
		-serial "file:$results/console.log" </dev/null \
		>"$results/qemu.log" 2>&1 &
	qpid=$!
	# The guest writes its entry's output to the results share as it goes.
	tail -n +1 -F "$results/entry.out" 2>/dev/null &
	tailpid=$!
	deadline=$(( $(date +%s) + timeout_s ))
	while kill -0 "$qpid" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			lab_say "error: VM still running after ${timeout_s}s: killed;" \
				"console: $results/console.log"
			cleanup
			qpid=""
			break
		fi
		sleep 1
	done
	[ -z "$qpid" ] || wait "$qpid" 2>/dev/null || true
	qpid=""
	sleep 0.5
	kill "$tailpid" 2>/dev/null
	wait "$tailpid" 2>/dev/null || true
	tailpid=""
}

# A VM gone within BOOT_DIED_S with no exit status and not one line from
# its entry died while booting (kernel, initramfs or systemd), before any
# test ran: that boot is kept as console-boot1.log and qemu-boot1.log, said
# in the output, and the lab boots once more.  A test that started is never
# run again, and a boot that hangs is not retried (the host's limit ends it).
BOOT_DIED_S=${LAB_BOOT_DIED_S:-240}
died_at_boot() {
	[ ! -e "$results/rc" ] && [ ! -s "$results/entry.out" ] &&
		[ $(( $(date +%s) - ${1%.*} )) -lt "$BOOT_DIED_S" ]
}

t0=$(date +%s.%N)
if [ "$interactive" = 1 ]; then
	lab_say "booting the lab (Ctrl-A X quits qemu; 'exit' in the shell powers off)"
	# In the foreground: a background job of a non-interactive shell gets
	# /dev/null as its standard input, and the console would be deaf.
	"${qemu[@]}" -serial mon:stdio -display none || true
else
	boot_once
	if died_at_boot "$t0"; then
		mv "$results/console.log" "$results/console-boot1.log"
		mv "$results/qemu.log" "$results/qemu-boot1.log"
		echo "# lab: the VM died while booting, before its entry printed" \
			"anything; booting once more.  Its last console lines:"
		tail -n 8 "$results/console-boot1.log" 2>/dev/null | sed 's/^/#   | /'
		sed 's/^/#   qemu: /' "$results/qemu-boot1.log" 2>/dev/null | tail -n 3
		boot_once
	fi
fi
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "$wall" > "$results/wall-seconds"

rc=$(cat "$results/rc" 2>/dev/null || echo none)
case "$rc" in
[0-9]*) lab_say "guest finished (exit $rc) in ${wall}s; results: $results"
	if [ "$rc" -ne 0 ]; then
		# what the guest's kernel said last (an OOM kill, a 9p error
		# on the results share) is not in the entry's own output
		lab_say "the guest kernel's last messages:"
		grep -aE '^\[ *[0-9]+\.[0-9]+\] ' "$results/console.log" 2>/dev/null |
			tail -n 10 | sed 's/^/lab:   | /' >&2
	fi
	exit "$rc" ;;
watchdog) lab_say "error: guest watchdog fired; console: $results/console.log" ;;
*)	lab_say "error: the guest did not finish (no exit status);" \
		"console: $results/console.log, qemu: $results/qemu.log"
	tail -n 15 "$results/console.log" 2>/dev/null | sed 's/^/lab:   | /' >&2 ;;
esac
exit 2
