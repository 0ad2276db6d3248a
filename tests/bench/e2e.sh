#!/bin/sh
# `pathwarden bench` end to end with no kernel stack; prints TAP.
#
# The "map" is a regular file (O_DIRECT: the work directory must be on a
# file system that has it, such as the build tree's ext4, not tmpfs),
# sysfs is a generated fixture host (tests/monitor/gen_fixture.py's
# seed cluster: hpms01 sda sdb in group 1, hpms02 sdc sdd in group 2) and dm's status comes from the
# --capture file, which the inject and restore hooks replace after a
# delay, playing the kernel: a switch to hpms02, a failed hpms01 path,
# the way back.  The delays bound what the records may say.
#
# Usage: e2e.sh PATHWARDEN PW_BENCHREPORT PWLAB_IO FIXTURE_HOST WORKDIR
set -eu
pw=$1; report=$2; pwlab_io=$3; host=$4; w=$5
src=$(cd "$(dirname "$0")" && pwd)
. "$src/../tap.sh"
# running: listed and not a zombie waiting for init to reap it
running() { s=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }

# a copy: the hooks rewrite its dm status
rm -rf "$w" && mkdir -p "$w" && cp -r "$host" "$w/fx" || exit 1
fx=$w/fx
dm=$fx/capture/dmstatus
bench() {	# the pathwarden global options, then bench's
	"$pw" -c "$fx/pathwarden.conf" --root "$fx/root" \
		--capture "$fx/capture" bench "$@"
}

# dm's status lines: the baseline, I/O on hpms02 with hpms01's paths
# failed, one hpms01 path failed with I/O still on hpms01
cp "$dm/mpatha" "$w/home.st"
echo "2 0 0 0 2 2 E 0 2 2 8:16 F 1 0 1 8:32 F 1 0 1 A 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1" > "$w/peer.st"
echo "2 0 0 0 2 1 A 0 2 2 8:16 F 1 0 1 8:32 A 0 0 1 E 0 2 2 8:48 A 0 0 1 8:64 A 0 0 1" > "$w/onepath.st"
# put STATE: replaced in one rename, so no poll reads half a file
cat > "$w/put" <<EOF
#!/bin/sh
cp "$w/\$1.st" "$dm/.mpatha.new" && mv "$dm/.mpatha.new" "$dm/mpatha"
EOF
chmod 755 "$w/put"
truncate -s 2M "$w/lun.img"

cat > "$w/bench.conf" <<EOF
# as a user would write it, with the map taken from multipathd's list
map auto
test-lun yes
home hpms01
device $w/lun.img      # the map's stand-in
load rate 200 blocks 256
hold 0.2
deadline 3
settle 0.1
config stock echo "\$PW_BENCH_CONFIG \$PW_BENCH_REP \$PW_BENCH_HOME \$PW_BENCH_PEER \$PW_BENCH_MAP \$PW_BENCH_HOOK [\$PW_BENCH_SCENARIO]" >> $w/configs.log
config pathwarden echo "\$PW_BENCH_CONFIG \$PW_BENCH_REP" >> $w/configs.log
scenario switchover switch
inject switchover sleep 0.3; $w/put peer
restore switchover sleep 0.2; $w/put home
scenario one-path path
inject one-path sleep 0.3; $w/put onepath; echo "injected \$PW_BENCH_SCENARIO"
restore one-path sleep 0.2; $w/put home
EOF
chmod 644 "$w/bench.conf"

t0=$(date +%s)
rc=0; bench -B "$w/bench.conf" -n 2 -o "$w/out" > "$w/stdout" 2> "$w/stderr" || rc=$?
check "two reps of two scenarios in two configs: exit 0 (took $(( $(date +%s) - t0 )) s)" \
	[ "$rc" -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/# /' "$w/stderr"
configs_alternate() {
	[ "$(cut -d' ' -f1,2 "$w/configs.log" | tr '\n' ,)" = 'stock 1,pathwarden 1,stock 2,' ] &&
		grep -q "rep 2 pathwarden config ($w/bench.conf:[0-9]*): still in place" "$w/out/hooks.log"
}
check "configs alternate: stock, pathwarden, then pathwarden (still in place, hook not run again), stock" \
	configs_alternate
check "a hook sees its repetition in the environment" \
	grep -qx 'stock 1 hpms01 hpms02 mpatha config \[\]' "$w/configs.log"
hooks_log_private() {
	grep -qx 'injected one-path' "$w/out/hooks.log" &&
		[ "$(stat -c %a "$w/out/hooks.log")" = 600 ]
}
check "hook output goes to hooks.log, kept private" hooks_log_private
check "a progress line per repetition" \
	[ "$(grep -c '^\[[1-8]/8\] ' "$w/stderr")" -eq 8 ]
check "progress line names scenario, config, rep and times" \
	grep -Eq '^\[1/8\] switchover stock rep 1: stall [0-9.]+ s, detect [0-9.]+ s, switch [0-9.]+ s, failback [0-9.]+ s$' "$w/stderr"

# Each record against what the hooks did: the fault shows 0.3 s after
# the inject (plus the 50 ms poll, plus a slow machine), the way back
# 0.2 s after the restore; no I/O ever waits on a file.
cat > "$w/check.py" <<'EOF'
import json, os, sys
out = sys.argv[1]
recs = [json.loads(l) for l in open(os.path.join(out, "records.jsonl"))]
bad = []
def need(cond, what):
    if not cond:
        bad.append(what)
need(len(recs) == 8, "8 records, got %d" % len(recs))
for r in recs:
    tag = "%s/%s/%d" % (r["scenario"], r["config"], r["rep"])
    def within(key, lo, hi):
        v = r.get(key)
        need(v is not None and lo <= v <= hi,
             "%s %s=%s not in [%s, %s]" % (tag, key, v, lo, hi))
    within("detect_ms", 290, 2500)
    within("failback_ms", 190, 2500)
    within("stall_ms", 0.1, 1000)
    # the largest gap ends somewhere between the inject and the restore
    within("resume_ms", 0, 5000)
    if r["scenario"] == "switchover":
        within("switch_ms", 290, 2500)
        need(r["switch_ms"] >= r["detect_ms"] - 60,
             "%s switch before detection" % tag)
    else:
        need(r["switch_ms"] is None, "%s switch_ms not null" % tag)
    need(r["io_errors"] == 0 and r["mismatches"] == 0, "%s errors" % tag)
    tl = os.path.join(out, r["timeline"])
    need(r["timeline"] == "timelines/%s-%s-%d.json" % (r["scenario"], r["config"], r["rep"]),
         "%s timeline name" % tag)
    t = json.load(open(tl))
    labels = [e[1] for e in t["events"]]
    need("inject" in labels and "restore" in labels, "%s inject/restore events" % tag)
    need("sda failed (hpms01)" in labels, "%s sda failure event" % tag)
    need(len(t["io"]) > 100, "%s io samples" % tag)
    need(all(ok for _, _, ok in t["io"]), "%s failed I/O in the timeline" % tag)
    groups = [g[1] for g in t["groups"]]
    if r["scenario"] == "switchover":
        need(groups[:3] == ["hpms01", "hpms02", "hpms01"], "%s groups %s" % (tag, groups))
    else:
        need(groups == ["hpms01"], "%s groups %s" % (tag, groups))
import xml.etree.ElementTree as E
for svg in ("switchover.svg", "one-path.svg"):
    E.parse(os.path.join(out, svg))     # raises on malformed XML
    need("no timeline" not in open(os.path.join(out, svg)).read(),
         "%s: a panel without its timeline" % svg)
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
EOF
check "records and timelines: every time present and within the hooks' bounds, switch null for a path fault, no error; SVGs well-formed with both panels" \
	python3 "$w/check.py" "$w/out"
report_reads() { "$report" "$w/out/records.jsonl" "$w/report" > /dev/null; }
check "the report's reader takes every record (pw-benchreport)" report_reads
summary_has_both() {
	grep -q '^### switchover' "$w/out/summary.md" &&
		grep -q '^### one-path' "$w/out/summary.md"
}
check "summary.md with both scenarios" summary_has_both
tables_and_errors() {
	grep -q '^  pathwarden  *2 ' "$w/stdout" &&
		grep -qx 'application I/O errors: 0, verify mismatches: 0' "$w/stdout"
}
check "tables on stdout, and the error count" tables_and_errors

# A hook that never produces the state, one that hangs, one that fails,
# a restore that never restores, and then no baseline to start from.
sed -e 's/^deadline 3/deadline 1/' -e '/^scenario/,$d' "$w/bench.conf" > "$w/bad.conf"
cat >> "$w/bad.conf" <<EOF
scenario never switch
inject never true
restore never false
scenario hangs path
inject hangs sleep 30 & echo \$! > $w/hang.pid; wait
restore hangs true
scenario stays switch
inject stays $w/put peer
restore stays true
scenario after switch
inject after touch $w/after.injected
restore after $w/put home
EOF
rc=0; bench -B "$w/bad.conf" -n 1 -k stock -o "$w/bad" > "$w/bad.out" 2> "$w/bad.err" || rc=$?
check "a state never reached: exit 1" [ "$rc" -eq 1 ]
check "the reason is printed" \
	grep -q 'FAILED: never stock rep 1: no I/O completed on hpms02.s group within 1.0 s of the inject: dm sends I/O to hpms01 (group 1)' "$w/bad.err"
check "a failing restore hook is reported with its file:line" \
	grep -q "restore hook ($w/bad.conf:14) exit 1 " "$w/bad.err"
hang_killed() {
	grep -q "FAILED: hangs stock rep 1: inject hook ($w/bad.conf:16) still running after 1.0 s: killed" "$w/bad.err" &&
		! running "$(cat "$w/hang.pid")"
}
check "a hook past the deadline is killed, with what it started" hang_killed
check "never back: the reason is printed" \
	grep -q 'FAILED: stays stock rep 1: not back at the baseline (I/O completing on hpms01.s group, every path active) within 1.0 s of the restore: dm sends I/O to hpms02 (group 2), failed: sda sdb' "$w/bad.err"
not_injected() {
	grep -q 'FAILED: after stock rep 1: no baseline (I/O on hpms01.s group, every path active, for 0.1 s) within 1.0 s: dm sends I/O to hpms02 (group 2), failed: sda sdb; not injected' "$w/bad.err" &&
		[ ! -e "$w/after.injected" ]
}
check "no baseline: not injected, and why" not_injected
check "metrics never reached are null, not 0; nothing recorded without a fault" \
	python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(not (len(r) == 3 and r[0]["switch_ms"] is None and r[0]["detect_ms"] is None and r[0]["stall_ms"] is not None and r[2]["switch_ms"] is not None and r[2]["failback_ms"] is None))' "$w/bad/records.jsonl"
check "the failures are counted at the end" \
	grep -q '4 of 4 repetitions failed' "$w/bad.err"

# The reference configuration (stock, the stack compared with): a state it
# never reaches is a figure of it, recorded and reported as missed, not a
# failure of the run; no baseline still fails the run, as do the same
# misses in any other configuration.
sed -e 's/^deadline 3/deadline 1/' -e '/^scenario/,$d' "$w/bench.conf" > "$w/ref.conf"
cat >> "$w/ref.conf" <<EOF
reference stock
scenario never switch
inject never true
restore never true
EOF
"$w/put" home	# the runs above left dm on hpms02
rc=0; bench -B "$w/ref.conf" -n 1 -k stock -o "$w/ref" > /dev/null 2> "$w/ref.err" || rc=$?
check "the reference misses a state: exit 0" [ "$rc" -eq 0 ]
ref_missed() {
	grep -q 'MISSED (stock is the reference: recorded, not a failure): never stock rep 1: no I/O completed on hpms02.s group within 1.0 s of the inject' "$w/ref.err" &&
		grep -q '1 repetition of the reference, stock, missed a state' "$w/ref.err" &&
		! grep -q 'FAILED' "$w/ref.err" &&
		python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(not (len(r) == 1 and r[0]["config"] == "stock" and r[0]["switch_ms"] is None))' "$w/ref/records.jsonl"
}
check "the reference's miss is said, counted and recorded with its time null" ref_missed
"$w/put" home
rc=0; bench -B "$w/ref.conf" -n 1 -k pathwarden -o "$w/ref-pw" > /dev/null 2> "$w/ref-pw.err" || rc=$?
check "the same miss in another configuration fails the run (exit 1)" \
	[ "$rc" -eq 1 ]
sed -e '/^scenario/,$d' "$w/ref.conf" > "$w/ref2.conf"
cat >> "$w/ref2.conf" <<EOF
scenario stays switch
inject stays $w/put peer
restore stays true
scenario after switch
inject after true
restore after $w/put home
EOF
"$w/put" home
rc=0; bench -B "$w/ref2.conf" -n 1 -k stock -o "$w/ref2" > /dev/null 2> "$w/ref2.err" || rc=$?
ref_no_baseline() {
	[ "$rc" -eq 1 ] &&
		grep -q 'MISSED (stock is the reference: recorded, not a failure): stays stock rep 1: not back at the baseline' "$w/ref2.err" &&
		grep -q 'FAILED: after stock rep 1: no baseline' "$w/ref2.err" &&
		grep -q '1 of 2 repetitions failed' "$w/ref2.err"
}
check "the reference without a baseline still fails the run" ref_no_baseline

# After a failed scenario the stack is in no known configuration: the
# config hook runs again even though the configuration stays the same.
sed -e 's/^deadline 3/deadline 1/' -e '/^scenario/,$d' "$w/bench.conf" > "$w/again.conf"
printf 'scenario never switch\ninject never true\nrestore never true\n' >> "$w/again.conf"
: > "$w/configs.log"
bench -B "$w/again.conf" -n 2 -k stock -o "$w/again" > /dev/null 2>&1 || :
is "a failed scenario: the next repetition runs its config hook again" \
	"$(cut -d' ' -f1,2 "$w/configs.log" | tr '\n' ,)" 'stock 1,stock 2,'

# Hooks that say when their change took effect (PW_BENCH_MARK): times
# count from there; a mark that is not a time is said and not used.
sed -e '/^scenario/,$d' "$w/bench.conf" > "$w/mark.conf"
cat >> "$w/mark.conf" <<EOF
scenario marked switch
inject marked sleep 0.5; date +%s.%N > "\$PW_BENCH_MARK"; $w/put peer
restore marked sleep 0.4; date +%s.%N > "\$PW_BENCH_MARK"; $w/put home
scenario badmark switch
inject badmark echo soon > "\$PW_BENCH_MARK"; $w/put peer
restore badmark $w/put home
EOF
"$w/put" home	# the failing runs above left dm on hpms02
rc=0; bench -B "$w/mark.conf" -n 1 -k stock -o "$w/mark" > /dev/null 2> "$w/mark.err" || rc=$?
check "hooks with marks: exit 0" [ "$rc" -eq 0 ]
cat > "$w/mark.py" <<'EOF'
import json, sys
recs = {r["scenario"]: r for r in map(json.loads, open(sys.argv[1] + "/records.jsonl"))}
m, b = recs["marked"], recs["badmark"]
ev = dict((l, t) for t, l in json.load(open(sys.argv[1] + "/" + m["timeline"]))["events"])
ok = (450 <= m["fault_ms"] <= 1500 and 0 <= m["switch_ms"] <= 700
      and 350 <= m["back_ms"] <= 1500 and 0 <= m["failback_ms"] <= 700
      and abs(ev["fault in effect"]) < 1e-3 and ev["inject"] < -0.45
      and ev["restore in effect"] > ev["restore"] + 0.35
      and b["fault_ms"] is None and b["back_ms"] is None and b["switch_ms"] is not None)
if not ok:
    print("# marked: %s\n# badmark: %s\n# events: %s" % (m, b, ev))
sys.exit(0 if ok else 1)
EOF
check "times count from the moments the hooks gave; fault_ms/back_ms say how late; the timeline's zero is the fault" \
	python3 "$w/mark.py" "$w/mark"
check "a mark that is not a time: said, the hook's start counts" \
	grep -q 'badmark stock rep 1: the inject hook wrote .soon. to PW_BENCH_MARK, not a time: its start counts' "$w/mark.err"

# What must stop a run before it writes anything.
# refused RC PATTERN: the last bench exited RC and said PATTERN in $w/err
refused() { [ "$rc" -eq "$1" ] && grep -q -- "$2" "$w/err"; }
rc=0; bench -B "$w/bench.conf" -n 1 -o "$w/out" > /dev/null 2> "$w/err" || rc=$?
check "an output directory that holds a run is refused (exit 3)" \
	refused 3 'an earlier run'
rc=0; bench -B "$w/bench.conf" -s one-path,nosuch -o "$w/x" > /dev/null 2> "$w/err" || rc=$?
check "an unknown scenario in -s: exit 2" \
	refused 2 "no scenario 'nosuch'"
chmod 666 "$w/bench.conf"
rc=0; bench -B "$w/bench.conf" -o "$w/x" > /dev/null 2> "$w/err" || rc=$?
check "a bench.conf others may write is refused" \
	refused 1 'writable by others'
chmod 644 "$w/bench.conf"
sed 's/^home hpms01/home hpms03/' "$w/bench.conf" > "$w/home.conf"
rc=0; bench -B "$w/home.conf" -o "$w/x" > /dev/null 2> "$w/err" || rc=$?
check "a home that is not a configured node: file:line" \
	refused 3 "^$w/home.conf:4: home hpms03 is not a node"
sed 's/^map auto/map mpathz/' "$w/bench.conf" > "$w/map.conf"
rc=0; bench -B "$w/map.conf" -o "$w/x" > /dev/null 2> "$w/err" || rc=$?
check "a map multipathd does not have" \
	refused 3 'multipathd has no map mpathz'
rc=0; bench -n 1 > /dev/null 2>&1 || rc=$?
check "no -B: usage, exit 2" [ "$rc" -eq 2 ]

# pwlab-io shares the block content (host/io_block.c): still clean.
rm -f "$w/stop"
(sleep 1; touch "$w/stop") &
rc=0; "$pwlab_io" -d "$w/lun.img" -s "$w/stop" -n 64 -r 200 > "$w/pwlab.out" 2>&1 || rc=$?
wait
pwlab_io_clean() {
	[ "$rc" -eq 0 ] && grep -q 'io_errors=0 mismatches=0' "$w/pwlab.out"
}
check "pwlab-io still writes and verifies ($(cat "$w/pwlab.out"))" pwlab_io_clean

tap_end
