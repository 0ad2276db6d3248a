# Every ALUA state the lab can set, on hpms01's group, under the verified
# load (issue alua-states): hpms02's group stays active/non-optimized and
# healthy throughout, hpms01's walks AO, ANO, standby, unavailable,
# transitioning (held), LBA-dependent, offline, then AO, ANO and standby
# with the preferred bit; then offline and a held transition once more,
# each entered straight from active/optimized, where the I/O is when a
# node goes offline or its array starts a transition.  The same walk runs with the stock configuration
# first (unless PW_LAB_STATES_STOCK=0) and with pathwarden's after, in one
# boot; only pathwarden's is asserted, both are written to
# $PW_RESULTS/alua-states.tsv.
#
# Per state: zero application I/O errors and mismatches (pwlab-io's count
# over the whole walk, and none in the state's window), the longest gap
# between completed I/Os under 2 s, the state and preferred bit that
# sg_rtpg (sg3_utils, not our parser) reports through an hpms02 path equal
# to what `pathwarden status --json` says of hpms01's paths, and
# multipathd's checker state and prio on hpms01's paths as
# docs/checker.md documents them.
#
# Sourced by a lab scenario after bring-up; prints TAP.

STATES_HOLD=${STATES_HOLD:-22}		# seconds each state is held: multipathd
				# checks a stable path every 20 s (Debian)
STATES_TRANS_HOLD=${STATES_TRANS_HOLD:-65}	# the held transition
STATES_GAP_MS=300			# pwlab-io logs operations slower

# name state preferred expected "checker prio" on hpms01's paths (prio
# "-": multipathd keeps a failed path's last prio, which says nothing).
STATES_WALK="
ao active 0 ready:50
ano nonoptimized 0 ready:10
standby standby 0 ghost:3
unavailable unavailable 0 faulty:-
transitioning transitioning 0 ghost:1
lba-dependent lba_dependent 0 ready:5
offline offline 0 faulty:-
ao-pref active 1 ready:50
ano-pref nonoptimized 1 ready:11
standby-pref standby 1 ghost:4
ao-again active 0 ready:50
offline-from-ao offline 0 faulty:-
ao-back active 0 ready:50
transitioning-from-ao transitioning 0 ghost:1
"

# For a quick look while developing: PW_LAB_STATES_ONLY="name ..." walks
# those steps alone (the rest of the walk's assertions then fail).
if [ -n "${PW_LAB_STATES_ONLY:-}" ]; then
	STATES_WALK=$(echo "$STATES_WALK" | awk -v keep=" $PW_LAB_STATES_ONLY " 'index(keep, " " $1 " ")')
fi

# The SPC name of sg_rtpg's state byte.
states_spc_name() {
	case "$1" in
	0x00) echo active/optimized ;; 0x01) echo active/non-optimized ;;
	0x02) echo standby ;; 0x03) echo unavailable ;;
	0x04) echo lba-dependent ;; 0x0e) echo offline ;;
	0x0f) echo transitioning ;; *) echo "$1" ;;
	esac
}

# states_sg_rtpg DEV GROUP: "STATE PREF" of GROUP as sg_rtpg decodes DEV's
# answer (sg3_utils prints "target port group id : 0x1 , Pref=1, ...").
states_sg_rtpg() {
	sg_rtpg -d "/dev/$1" 2>/dev/null | awk -v g="$(printf '0x%x' "$2")" '
		/target port group id/ {
			id = $0; sub(/.*id : */, "", id); sub(/ *,.*/, "", id)
			p = $0; sub(/.*Pref=/, "", p); sub(/,.*/, "", p)
			pref[id] = p
		}
		/asymmetric access state/ { s = $0; sub(/.*state : */, "", s); st[id] = s }
		END { split(st[g], a, " "); printf "%s %s\n", a[1], pref[g] }'
}

# states_paths NODE: the node's path devices (iscsiadm's session detail:
# each session's portal, then the disks attached to it)
states_paths() {
	iscsiadm -m session -P 3 2>/dev/null | awk -v portals=" ${LIO_PORTALS[$1]} " '
		/Current Portal:/ { p = $3; sub(/:.*/, "", p); mine = index(portals, " " p " ") > 0 }
		/Attached scsi disk/ && mine { print $4 }'
}

# states_walk CONFIG: the walk with CONFIG in place; one line per state in
# $PW_RESULTS/alua-states.tsv.
states_walk() {
	local cfg=$1 stop="/run/pwlab/states-$1.stop" gaps="$PW_RESULTS/states-$1.gaps"
	local sum="$PW_RESULTS/states-$1.io" line name state pref expect hold
	local t0 t1 stall errs0 errs1 rt mp pw h01 h02 dev c n a st m p e er b
	: > "$PW_RESULTS/states-$cfg.tsv"
	lab_config "$cfg" > /dev/null || { tap_not_ok "states $cfg: lab_config"; return 1; }
	lio_set_state hpms01 active > /dev/null && lio_set_preferred hpms01 0 &&
		lio_set_state hpms02 nonoptimized > /dev/null || return 1
	wait_until 30 sh -c '[ "$(multipathd show paths raw format "%T %p" | sort | tr "\n" " ")" = "ready 10 ready 10 ready 50 ready 50 " ]'
	h01=$(states_paths hpms01 | tr '\n' ' ')
	h02=$(states_paths hpms02 | head -n 1)
	log "states $cfg: hpms01 paths $h01, hpms02 path $h02"
	dev=$(mp_dev)
	rm -f "$stop" "$gaps"
	mkdir -p /run/pwlab
	"$PW_BUILD/lab/pwlab-io" -d "$dev" -s "$stop" -n 2048 -r 100 \
		-l "$gaps" -g "$STATES_GAP_MS" > "$sum" 2>&1 &
	local io_pid=$!
	sleep 3
	while read -r name state pref expect <&3; do
		[ -n "$name" ] || continue
		hold=$STATES_HOLD
		[ "$state" = transitioning ] && hold=$STATES_TRANS_HOLD
		t0=$(cut -d' ' -f1 /proc/uptime)
		errs0=$(grep -c -e ': write block' -e ': read block' -e mismatch "$sum")
		lio_set_preferred hpms01 "$pref" &&
			lio_set_state hpms01 "$state" > /dev/null ||
			log "states $cfg: cannot set $state"
		sleep "$hold"
		t1=$(cut -d' ' -f1 /proc/uptime)
		errs1=$(grep -c -e ': write block' -e ': read block' -e mismatch "$sum")
		rt=$(states_sg_rtpg "$h02" 1)
		mp=$(multipathd show paths raw format "%d %t %T %p" | awk -v l=" $h01" 'index(l, " " $1 " ") { print $2 ":" $3 ":" $4 }' | sort -u | tr '\n' ' ')
		if [ "$cfg" = pathwarden ]; then
			pathwarden -c "$PW_LAB_CONF" doctor > "$PW_RESULTS/states-$name.doctor" 2>&1
			pathwarden -c "$PW_LAB_CONF" status --json > "$PW_RESULTS/states-$name.json" 2>/dev/null
			pw=$(jq -r '[.maps[0].paths[] | select(.node == "hpms01") | "\(.alua_state) \(.preferred)"] | unique | join(",")' "$PW_RESULTS/states-$name.json")
		else
			pw=-
		fi
		# No empty field: read with a tab IFS would close the gap.
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cfg" "$name" "$t0" \
			"$(states_spc_name "${rt% *}") pref=${rt#* }" "${mp:--}" "${pw:--}" \
			"$expect" "$((errs1 - errs0))" "$t1" >> "$PW_RESULTS/states-$cfg.tsv"
		log "states $cfg $name: $((errs1 - errs0)) errors; sg_rtpg $(states_spc_name "${rt% *}") pref=${rt#* }; multipathd $mp; status $pw"
	done 3<<< "$STATES_WALK"
	lio_set_preferred hpms01 0
	lio_set_state hpms01 active > /dev/null
	sleep 5
	: > "$stop"
	# An operation hung by a state is logged when it completes, maybe
	# long after its window: wait for the load to end before judging.
	wait "$io_pid"
	log "states $cfg: $(tail -n 1 "$sum")"
	# The stall of a state: the slowest operation that started while it
	# held (column 3 becomes it; column 9, the window's end, goes).
	while IFS=$'\t' read -r c n a st m p e er b; do
		stall=$(awk -v a="$a" -v b="$b" '$1 >= a - 0.5 && $1 <= b { if ($2 > x) x = $2 } END { printf "%d", x * 1000 }' "$gaps" 2>/dev/null)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$n" "$stall" "$st" "$m" "$p" "$e" "$er"
	done < "$PW_RESULTS/states-$cfg.tsv" >> "$PW_RESULTS/alua-states.tsv"
	awk -F'\t' -v c="$cfg" '$1 == c { printf "# states %s %s: longest I/O %s ms, %s errors\n", c, $2, $3, $8 }' \
		"$PW_RESULTS/alua-states.tsv"
}

states_bool() { [ "$1" = 1 ] && echo true || echo false; }

: > "$PW_RESULTS/alua-states.tsv"
# The stock walk only gives figures beside pathwarden's (no check reads
# them; make demo measures offline and the held transition both ways):
# `make check` leaves it out for time (PW_LAB_STATES_STOCK=0, about 7
# minutes), `make lab-states` runs it.
if [ "${PW_LAB_STATES_STOCK:-1}" = 1 ]; then
	states_walk stock
else
	log "states: stock walk not run (PW_LAB_STATES_STOCK=0)"
fi
states_walk pathwarden
# Back to the lab's normal state for whatever runs next.
lio_set_state hpms01 active > /dev/null
lio_set_state hpms02 nonoptimized > /dev/null

# offline-from-ao is judged apart: LIO answers every command on an offline
# group's ports with ILLEGAL REQUEST (05/24/00), which the kernel hands to
# the application as EREMOTEIO and dm-multipath never retries elsewhere.
# The I/O in flight when the group goes offline fails whatever the
# initiator does; what pathwarden controls is how soon no more I/O is
# sent there (the daemon fails the refused paths after the unit
# attention; multipathd alone waits for its next check, up to 20 s).
STATES_REFUSED_MAX=${STATES_REFUSED_MAX:-100}	# 100 ops/s: about 0.5 s
io=$(tail -n 1 "$PW_RESULTS/states-pathwarden.io")
mism=$(echo "$io" | sed -n 's/.*mismatches=\([0-9]*\).*/\1/p')
tap_check "states: the verified load under pathwarden: no mismatch ($io)" \
	test "${mism:-x}" = 0
errs=$(echo "$io" | sed -n 's/.*io_errors=\([0-9]*\).*/\1/p')
refused=$(awk -F'\t' '$1 == "pathwarden" && $2 == "offline-from-ao" { print $8 }' "$PW_RESULTS/alua-states.tsv")
tap_check "states: no I/O error outside offline-from-ao ($errs in all, $refused there)" \
	test -n "$errs" -a "$errs" = "$refused"
while read -r name state pref expect <&3; do
	[ -n "$name" ] || continue
	row=$(awk -F'\t' -v n="$name" '$1 == "pathwarden" && $2 == n' "$PW_RESULTS/alua-states.tsv")
	stall=$(echo "$row" | cut -f3)
	rt=$(echo "$row" | cut -f4)
	mp=$(echo "$row" | cut -f5)
	pw=$(echo "$row" | cut -f6)
	errs=$(echo "$row" | cut -f8)
	want_state=${rt% pref=*}
	want_pref=$(states_bool "${rt#*pref=}")
	if [ "$name" = offline-from-ao ]; then
		stock=$(awk -F'\t' '$1 == "stock" && $2 == "offline-from-ao" { print $8 }' "$PW_RESULTS/alua-states.tsv")
		tap_check "states $name: refused paths failed at once: $errs errors (EREMOTEIO; stock ${stock:-not run}), at most $STATES_REFUSED_MAX" \
			test "${errs:-99999}" -le "$STATES_REFUSED_MAX"
	else
		tap_check "states $name: no I/O error while it held ($errs)" test "${errs:-x}" = 0
	fi
	tap_check "states $name: longest I/O gap ${stall} ms < 2000 ms" test "${stall:-99999}" -lt 2000
	tap_check "states $name: status says '$pw', sg_rtpg '$want_state $want_pref'" \
		test "$pw" = "$want_state $want_pref"
	chk=${expect%:*} prio=${expect#*:}
	case "$chk" in
	faulty) ok=$(echo "$mp" | tr ' ' '\n' | grep -c '^failed:faulty:') ;;
	*) ok=$(echo "$mp" | tr ' ' '\n' | grep -c "^active:$chk:$prio\$") ;;
	esac
	tap_check "states $name: multipathd shows hpms01's paths $expect ($mp)" \
		test "$ok" -ge 1 -a "$(echo "$mp" | wc -w)" -eq 1
	case "$state" in
	transitioning)
		tap_check "states $name: doctor reports the group in transition" \
			grep -q 'group-transitioning' "$PW_RESULTS/states-$name.doctor" ;;
	offline | unavailable)
		tap_check "states $name: doctor reports the group $state" \
			grep -q 'group-unusable' "$PW_RESULTS/states-$name.doctor" ;;
	esac
done 3<<< "$STATES_WALK"
