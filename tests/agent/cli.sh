#!/bin/sh
# pathwarden-agent's command line against made-up SCST and LIO trees.
# Usage: cli.sh PATH/TO/pathwarden-agent       (prints TAP)
set -eu
agent=${1:?usage: cli.sh PATH/TO/pathwarden-agent}
A=$(cd "$(dirname "$agent")" && pwd)/$(basename "$agent")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
. "$here/mktree.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/pw-agent-cli.XXXXXX") || exit 1
tap_tmp=$T
trap 'rm -rf "$T"' EXIT
# The permission test runs the agent as nobody, who must reach the tree.
chmod 755 "$T"
S=$T/scst
L=$T/lio

# AGENT_WRAPPER (make valgrind sets it) runs the agent under a checker.
pwa() { ${AGENT_WRAPPER:-} "$A" "$@"; }
scst() { run pwa -r "$S" -g esos -l local -R remote "$@"; }
lio() { run pwa -b lio -r "$L" -l hpms01 -R hpms02 "$@"; }
st() { scst_state "$S" "$1"; }

# ---- scst: status ----------------------------------------------------
mk_scst "$S" nonoptimized active
scst status
is "status exits 0" "$rc" 0
like "status names the device group" "$out" "device group esos"
like "status shows the local group's state" "$out" "nonoptimized"
like "status shows a remote member by rel_tgt_id" "$out" \
	"iqn.2016-02.local.virtual:hpms02.vg1 (remote, rel_tgt_id 2)"

scst status --json
is "status --json exits 0" "$rc" 0
# (A parse that fails leaves $got short: its check fails, not the script.)
got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
g = {x["role"]: x for x in d["units"][0]["groups"]}
print(d["backend"], d["units"][0]["name"], g["local"]["name"],
      g["local"]["state"], g["local"]["group_id"], g["remote"]["state"],
      g["remote"]["members"][0]["rel_tgt_id"], g["local"]["members"][0]["local"])
') || :
is "status --json carries groups, states, ids, members" "$got" \
	"scst esos local nonoptimized 1 active 2 True"

# Without a device group, status shows them all (writers still need one).
mkdir -p "$S/device_groups/other/target_groups/tg9"
printf '9\n[key]\n' > "$S/device_groups/other/target_groups/tg9/group_id"
printf '0\n' > "$S/device_groups/other/target_groups/tg9/preferred"
printf 'standby\n[key]\n' > "$S/device_groups/other/target_groups/tg9/state"
run pwa -r "$S" status --json
got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(u["name"] + ":" + ",".join(g["name"] + "=" + g["state"]
      for g in u["groups"]) for u in d["units"]))') || :
is "status without --device-group: every device group" "$got" \
	"esos:local=nonoptimized,remote=active other:tg9=standby"
run pwa -r "$S" set-state tg9 active
is "set-state without --device-group: exit 2" "$rc" 2
rm -rf "$S/device_groups/other"

# ---- scst: promote / demote -----------------------------------------
scst promote
is "promote exits 0" "$rc" 0
is "promote: local group active" "$(st local)" active
is "promote: remote group nonoptimized" "$(st remote)" nonoptimized
like "promote reports the change" "$out" "local group 'local': nonoptimized -> active"

sum=$(tree_sum "$S")
scst promote
is "promote again exits 0" "$rc" 0
like "promote again says nothing changes" "$out" "no change"
is "promote again writes nothing" "$(tree_sum "$S")" "$sum"

scst promote --peer-down
is "promote --peer-down exits 0" "$rc" 0
is "promote --peer-down: remote offline" "$(st remote)" offline
is "promote --peer-down: local still active" "$(st local)" active

scst demote
is "demote exits 0" "$rc" 0
is "demote: local nonoptimized" "$(st local)" nonoptimized
is "demote: remote slave state" "$(st remote)" nonoptimized

scst -i standby demote --peer-down
is "demote --peer-down with -i standby: remote standby" "$(st remote)" standby

scst -m nonoptimized -s standby promote
is "promote with -m/-s: local nonoptimized" "$(st local)" nonoptimized
is "promote with -m/-s: remote standby" "$(st remote)" standby

# ---- scst: set-state, every state and other spellings ---------------
for s in active nonoptimized standby unavailable offline transitioning; do
	scst set-state remote "$s"
	is "set-state remote $s" "$rc:$(st remote)" "0:$s"
done
scst set-state remote AO
is "set-state accepts AO" "$(st remote)" active
scst set-state remote 14
is "set-state accepts 14 (offline)" "$(st remote)" offline
scst set-state remote active/non-optimized
is "set-state accepts the SPC name" "$(st remote)" nonoptimized
sum=$(tree_sum "$S")
scst set-state remote lba_dependent
is "set-state lba_dependent on SCST: exit 8" "$rc" 8
like "lba_dependent refusal says why" "$err" "SCST has no lba-dependent state"
is "refused state writes nothing" "$(tree_sum "$S")" "$sum"

# ---- scst: graceful --------------------------------------------------
scst set-state local nonoptimized
sum=$(tree_sum "$S")
scst -G -n promote
is "graceful dry run exits 0" "$rc" 0
like "graceful plan goes through transitioning" "$out" \
	"local group 'local': nonoptimized -> transitioning"
like "graceful plan ends active" "$out" "transitioning -> active"
is "dry run writes nothing" "$(tree_sum "$S")" "$sum"

pwa -r "$S" -g esos -l local -R remote -G -t 2000 -q promote &
pid=$!
# The first state other than the old one must be transitioning.
mid=nonoptimized
i=0	# up to 10 s
while [ "$mid" = nonoptimized ] && [ $i -lt 200 ]; do
	sleep 0.05
	mid=$(st local)
	i=$((i + 1))
done
rc=0
wait $pid || rc=$?
is "graceful holds the local group in transitioning" "$mid" transitioning
is "graceful promote ends active, exit 0" "$rc:$(st local)" "0:active"

# ---- scst: writers take turns -----------------------------------------
# A holder keeps the tree's lock until the test lets go (the release
# mark; it gives up by itself after 20 s, should the test die first).
# The writer must be seen at the lock while it is held, so a writer that
# starts late (under valgrind, say) cannot pass by arriving after it.
scst set-state local nonoptimized
rm -f "$T/release"
flock -x "$S" sh -c 'i=0
	while [ ! -e "$1" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done' \
	sh "$T/release" &
holder=$!
held=no
i=0	# until the holder has the lock, up to 10 s
while [ $i -lt 200 ]; do
	if ! flock -n "$S" true; then held=yes; break; fi
	sleep 0.05
	i=$((i + 1))
done
# Not through pwa: $! must be the agent itself (a wrapper execs it).
${AGENT_WRAPPER:-} "$A" -r "$S" -g esos -l local -R remote -q promote &
pid=$!
# The agent opens the tree's root to lock it: with that open it is at
# the lock (it takes no other file there before it has the lock).
root=$(cd "$S" && pwd -P)
at_lock() {
	for f in /proc/"$pid"/fd/*; do
		if [ "$(readlink "$f" 2>/dev/null)" = "$root" ]; then return 0; fi
	done
	return 1
}
at=no
i=0	# until the writer is at the lock, up to 8 s (it gives up at 10)
while [ $i -lt 160 ]; do
	if at_lock; then at=yes; break; fi
	sleep 0.05
	i=$((i + 1))
done
# Every state read while the holder keeps the lock must be the old one:
# half a second of reads, several of the writer's 100 ms retries.
if [ "$held" = no ]; then
	mid="(the holder never took the lock)"
elif [ "$at" = no ]; then
	mid="(the writer never reached the lock)"
else
	mid=nonoptimized
	i=0
	while [ "$mid" = nonoptimized ] && [ $i -lt 10 ]; do
		mid=$(st local)
		sleep 0.05
		i=$((i + 1))
	done
fi
: > "$T/release"
rc=0
wait $pid || rc=$?
wait $holder || :	# a holder that failed shows as never holding the lock
is "a writer waits while another holds the tree" "$mid" nonoptimized
is "then writes, exit 0" "$rc:$(st local)" "0:active"

# ---- scst: check -----------------------------------------------------
scst set-state remote nonoptimized
scst check active nonoptimized
is "check: in place exits 0" "$rc" 0
scst set-state remote active
scst check active nonoptimized
is "check: drift exits 9" "$rc" 9
like "check names the drifted group" "$out" \
	"remote group 'remote' is active, expected nonoptimized"
scst set-state remote nonoptimized

# ---- scst: bad input changes nothing --------------------------------
sum=$(tree_sum "$S")
bad() {
	want=$1
	shift
	run pwa "$@"
	is "exit $want: $*" "$rc" "$want"
	if [ -n "$err" ]; then ok "message on stderr: $*"; else not_ok "message on stderr: $*"; fi
}
bad 2 -r "$S" -g esos -l local -R remote set-state remote bogus
bad 2 -r "$S" -g esos -l ../x -R remote promote
bad 2 -r "$S" -g esos -l 'a b' -R remote promote
bad 2 -r "$S" -g 'esos;id' -l local -R remote promote
bad 2 -r "$S" -g esos -l local -R local promote
bad 2 -r "$S" -g esos -l local -R remote -m wrong promote
bad 2 -r "$S" -g esos -l local -R remote -t abc promote
bad 2 -r "$S" -g esos -l local -R remote -t 60001 promote
bad 2 -r "$S" -g esos -l local -R remote -d fileio_1/vg1 promote
bad 2 -r "$S" -l local -R remote promote
bad 2 -b iscsi -r "$S" -g esos -l local -R remote promote
bad 2 -r "$S" -g esos -l local -R remote frobnicate
bad 2 -r "$S" -g esos -l local -R remote promote now
bad 2 -r "$S" -g esos -l local -R remote set-state remote
bad 2 -r "$S" -g esos -l local -R remote
bad 2 -r "$S" -g esos -l local promote
bad 3 -r "$S" -g esos -l local -R nothere promote
bad 3 -r "$S" -g other -l local -R remote promote
bad 3 -r "$T/none" -g esos -l local -R remote promote
bad 3 -r "$S" -g esos set-state nothere active
is "bad input wrote nothing" "$(tree_sum "$S")" "$sum"

# ---- scst: bad data in the tree --------------------------------------
tg=$S/device_groups/esos/target_groups
printf 'bogus\n[key]\n' > "$tg/remote/state"
sum=$(tree_sum "$S")
scst promote
is "unknown state in sysfs: exit 5" "$rc" 5
like "bad data message names the file" "$err" "remote/state"
is "bad data: nothing written" "$(tree_sum "$S")" "$sum"
printf 'nonoptimized\n[key]\n' > "$tg/remote/state"
printf '99999\n[key]\n' > "$tg/local/group_id"
scst status
is "group_id out of range: exit 5" "$rc" 5
printf '1\n[key]\n' > "$tg/local/group_id"

# ---- scst: permission ------------------------------------------------
# Root ignores permission bits, so as root the agent runs as nobody
# (setpriv) on a tree nobody owns, with one state file read-only.
scst set-state local nonoptimized
scst set-state remote active
chmod 0444 "$tg/remote/state"
sum=$(tree_sum "$S")
if [ "$(id -u)" -eq 0 ]; then
	chown -R 65534:65534 "$S"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		${AGENT_WRAPPER:-} "$A" -r "$S" -g esos -l local -R remote promote || :
else
	scst promote
fi
is "read-only state file: exit 4" "$rc" 4
like "permission message names the file" "$err" "remote/state"
is "permission error: local group untouched" "$(st local)" nonoptimized
is "permission error: nothing written" "$(tree_sum "$S")" "$sum"
chmod 0644 "$tg/remote/state"

# ---- lio --------------------------------------------------------------
mk_lio "$L"
lio status --json
got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(u["name"] for u in d["units"]))') || :
is "lio status: every device with both groups" "$got" "fileio_1/vg1 fileio_1/vg2"
run pwa -b lio -r "$L" status --json
got=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(u["name"] for u in d["units"]))') || :
is "lio status without groups: every device with ALUA groups" "$got" \
	"fileio_1/vg1 fileio_1/vg2 iblock_0/other"
got=$(printf '%s' "$out" | python3 -c '
import json, sys
g = json.load(sys.stdin)["units"][0]["groups"]
h = [x for x in g if x["name"] == "hpms02"][0]
print(h["group_id"], h["state_code"], h["state_abbrev"], h["access_type"],
      ",".join(h["supported"]), h["members"])') || :
is "lio status --json: id, state, access type, supported states" "$got" \
	"2 1 ANO implicit AO,ANO,SBY,UNAV,OFFL,TRANS []"
lio status
like "lio status table shows the member LUN" "$out" \
	"iSCSI/iqn.2016-02.local.virtual:hpms01.vg1/tpgt_1/lun_0"

lio demote
is "lio demote exits 0" "$rc" 0
is "lio demote: hpms01 is 1 on vg1" "$(lio_state "$L" vg1 hpms01)" 1
is "lio demote: hpms01 is 1 on vg2" "$(lio_state "$L" vg2 hpms01)" 1
lio promote --peer-down
is "lio promote --peer-down: hpms01 0 on vg1, vg2" \
	"$(lio_state "$L" vg1 hpms01) $(lio_state "$L" vg2 hpms01)" "0 0"
is "lio promote --peer-down: hpms02 14 on vg1, vg2" \
	"$(lio_state "$L" vg1 hpms02) $(lio_state "$L" vg2 hpms02)" "14 14"
lio promote
is "lio promote: hpms02 1 again" \
	"$(lio_state "$L" vg1 hpms02) $(lio_state "$L" vg2 hpms02)" "1 1"
for s in 0 1 2 3 14 15; do
	lio set-state hpms02 "$s"
	is "lio set-state hpms02 $s" "$rc:$(lio_state "$L" vg1 hpms02)" "0:$s"
done
lio -d fileio_1/vg1 set-state hpms02 standby
is "lio --device limits the change" \
	"$(lio_state "$L" vg1 hpms02) $(lio_state "$L" vg2 hpms02)" "2 15"
lio set-state hpms02 nonoptimized
sum=$(tree_sum "$L")
lio set-state hpms02 lba_dependent
is "lio: unsupported lba-dependent exits 8" "$rc" 8
printf 'Explicit\n' > "$L/core/fileio_1/vg2/alua/hpms02/alua_access_type"
sum=$(tree_sum "$L")
lio promote --peer-down
is "lio: explicit-only group on vg2 exits 8" "$rc" 8
like "lio: the refusal says why" "$err" "implicit"
is "lio: vg1 is not changed either" "$(tree_sum "$L")" "$sum"
printf 'Implicit\n' > "$L/core/fileio_1/vg2/alua/hpms02/alua_access_type"
lio check active nonoptimized
is "lio check in place: 0" "$rc" 0
printf '2\n' > "$L/core/fileio_1/vg2/alua/hpms01/alua_access_state"
lio check active nonoptimized
is "lio check drift on one device: 9" "$rc" 9
like "lio check names the device" "$out" "fileio_1/vg2: local group 'hpms01'"
lio -G -n promote
like "lio graceful plan goes through transitioning" "$out" \
	"fileio_1/vg2: would set local group 'hpms01': standby -> transitioning"
run pwa -b lio -r "$L" -g esos -l hpms01 -R hpms02 status
is "lio with --device-group: exit 2" "$rc" 2
lio -d fileio_1/nothere status
is "lio missing device: exit 3" "$rc" 3
# --device HBA: one node's devices, when the peer's devices (another HBA,
# the lab's node 2) carry the same groups.
cp -r "$L/core/fileio_1" "$L/core/fileio_2"
rm -rf "$L/core/fileio_2/vg2"
lio status --json
got=$(printf '%s' "$out" | python3 -c '
import json, sys
print(" ".join(sorted(u["name"] for u in json.load(sys.stdin)["units"])))' 2>/dev/null || :)
is "lio: with no --device, both HBAs' devices" "$got" \
	"fileio_1/vg1 fileio_1/vg2 fileio_2/vg1"
lio set-state hpms02 nonoptimized
lio -d fileio_1 set-state hpms02 standby
is "lio --device HBA: every device of that HBA changed, no other" \
	"$rc:$(lio_state "$L" vg1 hpms02) $(lio_state "$L" vg2 hpms02) $(head -n 1 "$L/core/fileio_2/vg1/alua/hpms02/alua_access_state")" \
	"0:2 2 1"
lio -d fileio_9 status
is "lio --device with a missing HBA: exit 3" "$rc" 3
like "lio: the missing HBA is named" "$err" "LIO HBA fileio_9 not found"
lio -d iblock_0 status
is "lio --device HBA with no device of the groups: exit 3" "$rc" 3
like "lio: which HBA had none" "$err" "no LIO device under $L/core/iblock_0 has the groups hpms01 and hpms02"
lio -d alua status
is "lio --device alua (LU groups, no HBA): exit 2" "$rc" 2
rm -rf "$L/core/fileio_2"
run pwa -b lio -r "$L" -l hpms01 -R nothere promote
is "lio missing group: exit 3" "$rc" 3
run pwa -b lio -r "$T/none" -l hpms01 -R hpms02 promote
is "lio missing configfs: exit 3" "$rc" 3
like "lio missing configfs says what to load" "$err" "target_core_mod"

# ---- lio: the lab's layout, both nodes' views in one configfs ----------
LAB=$T/lab
for n in 1 2; do
	mk_lio_group "$LAB/core/fileio_$n/vg1" hpms01 1 1
	mk_lio_group "$LAB/core/fileio_$n/vg1" hpms02 2 0
done
labst() { head -n 1 "$LAB/core/fileio_$1/vg1/alua/$2/alua_access_state"; }
view() { echo "$(labst "$1" hpms01)/$(labst "$1" hpms02)"; }
run pwa -b lio -r "$LAB" -l hpms01 -R hpms02 promote
is "lab: without --device every device with both groups changes" \
	"$rc:$(view 1):$(view 2)" "0:0/1:0/1"
run pwa -b lio -r "$LAB" -d fileio_2/vg1 -l hpms02 -R hpms01 promote
is "lab: hpms02 promoted in its own view only" "$rc:$(view 1):$(view 2)" \
	"0:0/1:1/0"
run pwa -b lio -r "$LAB" -d fileio_1/vg1 -l hpms01 -R hpms02 demote
run pwa -b lio -r "$LAB" -d fileio_1/vg1 set-state hpms02 active
is "lab: switchover to hpms02, both views agree" "$(view 1) $(view 2)" \
	"1/0 1/0"
run pwa -b lio -r "$LAB" -d fileio_1/vg1 -l hpms01 -R hpms02 check \
	nonoptimized active || :
is "lab: check on hpms01's view" "$rc" 0

tap_end
