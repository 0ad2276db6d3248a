# Fault injectors for scenario scripts.  Sourced after target-lio.sh.
#
#   fault_alua GROUP STATE          GROUP's ALUA state on both nodes
#   fault_alua_view VIEW GROUP STATE  one node's view only (nodes disagree)
#   fault_promote NODE              NODE's group AO, the other's ANO (both views,
#                                   through the agent as Pacemaker drives it)
#   fault_link_drop PORTAL|NODE     silent link loss: nftables drops, no RST
#   fault_link_restore PORTAL|NODE|all
#   fault_hang PORTAL|NODE          target stops answering: its iSCSI PDUs are
#                                   dropped but TCP still ACKs, so only the
#                                   iSCSI layer (NOP-Out, command timeouts) sees it
#   fault_hang_restore PORTAL|NODE|all
#   fault_node_down NODE / fault_node_up NODE      crash: tpgt_1/enable 0/1
#                                   and its network portals removed/re-created
#   fault_portal_down PORTAL / fault_portal_up PORTAL  network portal removed
#                                   (new logins refused) / re-created
#
# Impairments, under which nothing may fail over (make soak):
#   fault_net_impair [NETEM...]     every portal's traffic through netem
#                                   (default 20 ms +- 10 ms, 1 % loss,
#                                   reordering) / fault_net_clear
#   fault_backstore_slow MS         every LUN's backstore MS ms late per I/O
#                                   (dm-delay; needs PW_LAB_BACKSTORE=dm)
#                                   / fault_backstore_restore
#   fault_cpu_hog N / fault_cpu_hog_stop   N busy loops in the guest
#
# nftables: one 'inet pwlab' table with an input-hook chain whose rules
# match two address sets, 'dropped' and 'hung'; a fault adds its portals to a
# set and its restore deletes them: one nft call each way, so a restore
# costs tens of milliseconds under TCG, not the seconds that listing and
# deleting rules by handle took (the failback times count from it).  All
# of 127.0.0.0/8 lives on lo, so both directions of a lab connection pass
# input.

FAULT_NFT_TABLE=pwlab

# _fault_portals NODE|PORTAL: the portals meant, in FAULT_PORTALS.
_fault_portals() {
	case "$1" in
	hpms0*) lio_check_node "$1" || return 1; FAULT_PORTALS=${LIO_PORTALS[$1]} ;;
	127.*)  lio_portal_node "$1" || return 1; FAULT_PORTALS=$1 ;;
	*) echo "fault: '$1' is neither a node nor a portal" >&2; return 1 ;;
	esac
}

# An iSCSI PDU is at least its 48-byte header, so a target segment carrying
# one is longer than 20 (IP) + 60 (largest TCP header) = 80 bytes; pure ACKs
# are not, and keep a hung connection looking alive.
_fault_nft_init() {
	nft list table inet "$FAULT_NFT_TABLE" >/dev/null 2>&1 && return 0
	modprobe nf_tables 2>/dev/null
	nft -f - <<NFT || return 1
table inet $FAULT_NFT_TABLE {
	set dropped { type ipv4_addr; }
	set hung { type ipv4_addr; }
	chain input {
		type filter hook input priority filter; policy accept;
		ip daddr @dropped tcp dport 3260 drop
		ip saddr @dropped tcp sport 3260 drop
		ip saddr @hung tcp sport 3260 ip length gt 80 drop
	}
}
NFT
}

# _fault_add SET: FAULT_PORTALS into SET, each portal's set remembered for
# its restore (deleting an element that is not there fails).
FAULT_STATE=/run/pwlab/faults
_fault_add() {
	local p
	mkdir -p "$FAULT_STATE"
	nft add element inet "$FAULT_NFT_TABLE" "$1" "{ $(echo $FAULT_PORTALS | tr ' ' ',') }" ||
		return 1
	for p in $FAULT_PORTALS; do echo "$1" > "$FAULT_STATE/$p"; done
}

# _fault_del: FAULT_PORTALS out of whichever set holds them.
_fault_del() {
	local p set dropped= hung=
	for p in $FAULT_PORTALS; do
		[ -f "$FAULT_STATE/$p" ] || continue
		read -r set < "$FAULT_STATE/$p"
		rm -f "$FAULT_STATE/$p"
		case $set in
		dropped) dropped="$dropped${dropped:+,}$p" ;;
		hung) hung="$hung${hung:+,}$p" ;;
		esac
	done
	[ -z "$dropped" ] || nft delete element inet "$FAULT_NFT_TABLE" dropped "{ $dropped }" || return 1
	[ -z "$hung" ] || nft delete element inet "$FAULT_NFT_TABLE" hung "{ $hung }"
}

fault_link_drop() {
	_fault_portals "$1" && _fault_nft_init && _fault_add dropped
}

fault_link_restore() {
	if [ "$1" = all ]; then
		nft delete table inet "$FAULT_NFT_TABLE" 2>/dev/null
		rm -rf "$FAULT_STATE"
		return 0
	fi
	_fault_portals "$1" && _fault_del
}

fault_hang() {
	_fault_portals "$1" && _fault_nft_init && _fault_add hung
}
fault_hang_restore() { fault_link_restore "$1"; }
# Not offered: a target whose iSCSI layer answers while its SCSI commands
# hang.  Dropping only some PDUs cannot make one: TCP delivers in order, so
# the first dropped segment holds back every later one on the connection,
# NOP-Ins included, which is fault_hang.

fault_alua() { lio_set_state "$1" "$2"; }
fault_alua_view() { lio_set_view_state "$1" "$2" "$3"; }
fault_promote() { lio_promote "$1"; }

# A crash: the node's target port goes (sessions reset) and its portals
# stop listening (new connections refused), as on a node that went down
# and is booting; tpgt_1/enable 0 alone would leave the portals accepting
# TCP connections.  Back: the portals, then the port.
fault_node_down() {
	local p
	lio_node_enable "$1" 0 || return 1
	for p in ${LIO_PORTALS[$1]}; do lio_portal_enable "$p" 0 || return 1; done
}
fault_node_up() {
	local p
	for p in ${LIO_PORTALS[$1]}; do lio_portal_enable "$p" 1 || return 1; done
	lio_node_enable "$1" 1
}
fault_portal_down() { lio_portal_enable "$1" 0; }
fault_portal_up() { lio_portal_enable "$1" 1; }

# netem on lo for TCP port 3260 alone (both directions cross lo): a prio
# qdisc whose extra band, reached only by the two filters, holds netem;
# the rest of lo (metrics, multipathd's socket) goes through band 0 as
# before.  With the jitter netem sends packets out of order as well.
FAULT_NETEM="delay 20ms 10ms loss 1% reorder 5% 50%"
fault_net_impair() {
	local spec=${*:-$FAULT_NETEM}
	tc qdisc del dev lo root 2>/dev/null
	tc qdisc add dev lo root handle 1: prio bands 4 \
		priomap 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 || return 1
	# shellcheck disable=SC2086 # the netem arguments, one word each
	if ! tc qdisc add dev lo parent 1:4 handle 40: netem $spec ||
	   ! tc filter add dev lo parent 1: protocol ip prio 1 u32 \
		match ip dport 3260 0xffff flowid 1:4 ||
	   ! tc filter add dev lo parent 1: protocol ip prio 2 u32 \
		match ip sport 3260 0xffff flowid 1:4; then
		fault_net_clear
		return 1
	fi
}
fault_net_clear() { tc qdisc del dev lo root 2>/dev/null; return 0; }

# A delay beyond the NOP-Out timeout drops the lab's sessions with the
# dm-fileio backstore: LIO's fileio runs a command's I/O in the
# connection's receive thread, so the NOP-Out behind it waits too (make
# soak, 2026-12-07; the device attribute submit_type does not change that
# for iSCSI).  The dm backstore (iblock, as the seed's vdisk_blockio)
# submits the I/O and reads on.
#
# _fault_backstore_table MAP MS: MAP as linear (MS 0) or as dm-delay with
# MS ms on every read, write and flush; its sectors and loop device as its
# table has them.  A suspended map holds new I/O and lets the I/O in
# flight finish, so LIO sees a pause, never an error.
_fault_backstore_table() {
	local m=$1 t
	t=$(dmsetup table "$m") || return 1
	# shellcheck disable=SC2086 # the table's words
	set -- "$2" $t		# MS start sectors target device offset ...
	if [ "$1" -gt 0 ]; then
		t="0 $3 delay $5 0 $1"
	else
		t="0 $3 linear $5 0"
	fi
	if ! dmsetup suspend "$m" || ! dmsetup load "$m" --table "$t"; then
		dmsetup resume "$m"
		return 1
	fi
	dmsetup resume "$m"
}

# fault_backstore_slow MS: every map under a LUN (both nodes').
fault_backstore_slow() {
	local m n=0
	[ "$LIO_BACKSTORE" != file ] || {
		echo "fault_backstore_slow: the LUNs are plain files (boot with PW_LAB_BACKSTORE=dm)" >&2
		return 1
	}
	for m in /dev/mapper/pwlab-vg*; do
		[ -b "$m" ] || continue
		_fault_backstore_table "${m#/dev/mapper/}" "${1:?fault_backstore_slow MS}" || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "fault_backstore_slow: no pwlab-vg map" >&2; return 1; }
}
fault_backstore_restore() { fault_backstore_slow 0; }

# N busy loops (default one per CPU), at the load's own priority.
FAULT_HOGS=/run/pwlab/hogs
fault_cpu_hog() {
	local i
	mkdir -p "${FAULT_HOGS%/*}"
	for ((i = 0; i < ${1:-$(nproc)}; i++)); do
		bash -c 'while :; do :; done' < /dev/null > /dev/null 2>&1 &
		echo $! >> "$FAULT_HOGS"
	done
}
fault_cpu_hog_stop() {
	[ -f "$FAULT_HOGS" ] || return 0
	xargs -r kill < "$FAULT_HOGS" 2>/dev/null
	rm -f "$FAULT_HOGS"
}
