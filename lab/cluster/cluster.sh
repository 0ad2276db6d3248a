# The cluster lab's guest side: what each of the three guests sets up and
# the commands the host runs in them (lab/cluster/cctl FUNCTION ARGS).
# Sourced; the guest's lab helpers (lab/guest/bringup.sh) come with it.
#
# The seed's topology, in three VMs (lab/boot-cluster.sh wires them):
#   guest      san1 (portals, corosync link 1)  san2 (portals)    repl (DRBD, corosync link 0)
#   hpms01     192.168.122.99                   192.168.152.99    10.20.0.1
#   hpms02     192.168.122.98                   192.168.152.98    10.20.0.2
#   proxmox01  192.168.122.10                   192.168.152.10    -
# Each target node: its own disk (vda, the only virtio disk) under DRBD resource vg1 (8.4, the
# kernel's own module; protocol C, two primaries, resource-and-stonith
# fencing through Pacemaker), the seed's LVM volume vg1/lun1 on /dev/drbd0,
# and one LIO device on it with the seed's two ALUA groups "local" and
# "remote" (the node's own group id first), exported by the node's target on
# its two portals.  Pacemaker runs DRBD promoted on both nodes, the LIO
# configuration (ocf:pwlab:lio, the stand-in for the seed's SCST service)
# and ocf:pathwarden:alua promoted on one node.

PW_GUEST_DIR=${PW_GUEST_DIR:-$PW_TREE/lab/guest}
PW_CLUSTER_DIR=${PW_CLUSTER_DIR:-$PW_TREE/lab/cluster}
. "$PW_GUEST_DIR/bringup.sh"

CL_NODES="hpms01 hpms02"
declare -A CL_IDX=([hpms01]=1 [hpms02]=2 [proxmox01]=3)
declare -A CL_HOST=([hpms01]=99 [hpms02]=98 [proxmox01]=10)
declare -A CL_NET=([san1]=192.168.122 [san2]=192.168.152 [repl]=10.20.0)
declare -A CL_NETNO=([san1]=1 [san2]=2 [repl]=3)
CL_DRBD_DEV=/dev/drbd0
CL_LUN=/dev/vg1/lun1

# The one-VM lab's target and initiator helpers, pointed at the cluster's
# portals: the initiator logs in and lab_config writes pathwarden.conf from
# these, as in the one-VM lab.
for _n in $CL_NODES; do
	LIO_PORTALS[$_n]="${CL_NET[san1]}.${CL_HOST[$_n]} ${CL_NET[san2]}.${CL_HOST[$_n]}"
done
unset _n

cl_addr() { # NODE NET
	if [ "$2" = repl ]; then
		echo "${CL_NET[repl]}.${CL_IDX[$1]}"
	else
		echo "${CL_NET[$2]}.${CL_HOST[$1]}"
	fi
}

cl_peer() { [ "$1" = hpms01 ] && echo hpms02 || echo hpms01; }

# The guest's name, and the others' in /etc/hosts.
cl_hostname() {
	local n
	hostname "$PW_NODE" || return 1
	echo "$PW_NODE" > /etc/hostname
	{
		echo "127.0.0.1 localhost"
		for n in hpms01 hpms02 proxmox01; do
			echo "$(cl_addr "$n" san1) $n"
		done
	} > /etc/hosts
}

# Each NIC by the MAC the host gave it (52:54:00:0G:0N:01: guest G,
# network N), renamed after its network, addressed as the table above says.
cl_network() {
	local net mac ifc
	udevadm settle --timeout=30	# the kernel's NIC names settled first
	for net in san1 san2 repl; do
		[ "$net" = repl ] && [ "$PW_NODE" = proxmox01 ] && continue
		mac=$(printf '52:54:00:%02x:%02x:01' "${CL_IDX[$PW_NODE]}" "${CL_NETNO[$net]}")
		ifc=$(ip -o link | awk -v m="$mac" '$0 ~ m { sub(":", "", $2); print $2; exit }')
		[ -n "$ifc" ] || { echo "no NIC with MAC $mac for $net"; return 1; }
		ip link set "$ifc" down
		ip link set "$ifc" name "$net" || return 1
		ip addr add "$(cl_addr "$PW_NODE" "$net")/24" dev "$net" || return 1
		ip link set "$net" up || return 1
	done
	ip -br addr
}

# --- target nodes -------------------------------------------------------

# What a storage node installs: the agent (not the initiator's daemon), the
# lab's fence agent and the LIO stand-in for the seed's SCST service.
cl_install_target() {
	tar -C / -xf "$PW_STAGE" --keep-directory-symlink --no-same-owner \
		--no-overwrite-dir || return 1
	dpkg --no-triggers --force-confold -i "$PW_LAB_DEBS"/pathwarden-agent_*.deb ||
		return 1
	install -m 0755 "$PW_CLUSTER_DIR/fence_pwlab" /usr/sbin/fence_pwlab || return 1
	install -d /usr/lib/ocf/resource.d/pwlab || return 1
	install -m 0755 "$PW_CLUSTER_DIR/lio-ocf" /usr/lib/ocf/resource.d/pwlab/lio ||
		return 1
	install -d /usr/local/lib/pwlab/compat || return 1
	install -m 0755 "$PW_CLUSTER_DIR/crm-fence-peer-compat" /usr/local/lib/pwlab/ ||
		return 1
	ln -sf ../crm-fence-peer-compat /usr/local/lib/pwlab/compat/cibadmin
}

cl_drbd_conf() {
	local n
	mkdir -p /etc/drbd.d
	cat > /etc/drbd.d/global_common.conf <<'CONF'
global { usage-count no; }
common { }
CONF
	{
		cat <<'CONF'
# The seed's vg1, for the kernel's DRBD 8.4: protocol C, two primaries,
# and fencing through Pacemaker: a node that loses its peer freezes I/O
# until the handler has either outdated the peer or had it fenced.  The
# handler is drbd-utils' own, run through crm-fence-peer-compat so that it
# reads Pacemaker 3.0's node_state (see that file).  When only the
# replication link breaks, both nodes run it and race for the constraint;
# the node that is not the ALUA master waits 5 s first while its peer is
# still in its partition, so the master wins (--defer-unless-promoted, the
# wrapper's own option; no wait after a crash); the loser, which
# cannot place it, has Pacemaker fence it (--suicide-on-failure-if-primary):
# frozen, it could not stop its targets (their stop hangs on its I/O), and
# DRBD 8.4 will not make a primary a sync target, so it could not rejoin.
resource vg1 {
	net {
		protocol C;
		allow-two-primaries yes;
		after-sb-0pri discard-zero-changes;
		after-sb-1pri discard-secondary;
		after-sb-2pri disconnect;
		ping-timeout 20;
		verify-alg crc32c;
	}
	disk {
		fencing resource-and-stonith;
		# Resync and online verify at full speed under the initiator's
		# load: the default backs off to 250 KiB/s while application
		# I/O runs, and a verify of the 320 MiB volume under the
		# benchmark's load had not finished after 8 minutes.  (One
		# such verify under load ended in a kernel double fault in
		# DRBD's worker on hpms01: docs/lab.md.)
		c-min-rate 0;
	}
	handlers {
		fence-peer "/usr/local/lib/pwlab/crm-fence-peer-compat --suicide-on-failure-if-primary --defer-unless-promoted=ms_alua:5";
		after-resync-target "/usr/lib/drbd/crm-unfence-peer.sh";
	}
CONF
		for n in $CL_NODES; do
			cat <<CONF
	on $n {
		device $CL_DRBD_DEV minor 0;
		disk /dev/vda;
		address $(cl_addr "$n" repl):7788;
		meta-disk internal;
	}
CONF
		done
		echo "}"
	} > /etc/drbd.d/vg1.res
}

# Corosync 3 over knet with two links (the replication link and san1), the
# two-node quorum of the seed; no crypto (a lab on loopback segments).
cl_corosync_conf() {
	local n
	{
		cat <<'CONF'
totem {
	version: 2
	cluster_name: hpms
	transport: knet
	token: 3000
	crypto_cipher: none
	crypto_hash: none
	interface {
		linknumber: 0
	}
	interface {
		linknumber: 1
	}
}
quorum {
	provider: corosync_votequorum
	two_node: 1
}
logging {
	to_syslog: yes
	to_logfile: no
	timestamp: on
}
nodelist {
CONF
		for n in $CL_NODES; do
			cat <<CONF
	node {
		name: $n
		nodeid: ${CL_IDX[$n]}
		ring0_addr: $(cl_addr "$n" repl)
		ring1_addr: $(cl_addr "$n" san1)
	}
CONF
		done
		echo "}"
	} > /etc/corosync/corosync.conf
}

# LVM sees the volume through DRBD only, never on the backing disk.
cl_lvm_conf() {
	grep -q '^devices {' /etc/lvm/lvm.conf || return 1
	sed -i '/^devices {/a\\tglobal_filter = [ "a|^/dev/drbd|", "r|.*|" ]\n\tuse_devicesfile = 0' \
		/etc/lvm/lvm.conf
	lvmconfig devices/global_filter
}

cl_target_base() {
	modprobe drbd || return 1
	lio_modules || return 1
	cl_install_target || return 1
	cl_drbd_conf && cl_corosync_conf && cl_lvm_conf || return 1
	wait_until 30 test -b /dev/vda || { echo "no /dev/vda (the DRBD backing disk)"; return 1; }
}

# cl_drbd_init: fresh metadata on this node's disk, the resource up.
cl_drbd_init() {
	drbdadm -- --force create-md vg1 || return 1
	drbdadm up vg1
}
cl_drbd_connected() { drbdadm cstate vg1 2>/dev/null | grep -qx Connected; }
cl_drbd_uptodate() { drbdadm dstate vg1 2>/dev/null | grep -qx UpToDate/UpToDate; }

# cl_drbd_seed (on hpms01, both connected): both disks are zeroes, so no
# initial sync is needed; then the seed's vg1/lun1 on the device, and DRBD
# down again for Pacemaker to take over.
cl_drbd_seed() {
	wait_until 60 cl_drbd_connected || { cat /proc/drbd; return 1; }
	drbdadm -- --clear-bitmap new-current-uuid vg1 || return 1
	wait_until 30 cl_drbd_uptodate || { cat /proc/drbd; return 1; }
	drbdadm primary vg1 || return 1
	pvcreate -ff -y "$CL_DRBD_DEV" || return 1
	# No autoactivation by udev: Pacemaker's resources activate vg1
	# (an LV held open by a udev activation would block a demote).
	vgcreate --setautoactivation n vg1 "$CL_DRBD_DEV" || return 1
	lvcreate -y -L 200M -n lun1 vg1 || return 1
	vgchange -an vg1 || return 1
	drbdadm secondary vg1
}
cl_drbd_down() { drbdadm down vg1; }

cl_cluster_start() {
	systemctl start corosync.service || return 1
	systemctl start pacemaker.service
}
cl_online() { crm_mon -1 2>/dev/null | grep -q "Online: \[ hpms01 hpms02 \]"; }

# cl_cib: the seed's resource model in today's syntax (promotable clones),
# loaded once from one node, in one commit of a shadow CIB: resources
# loaded before their constraints would start somewhere for a moment (a
# fence device on the node it fences).
cl_cib() {
	wait_until 180 cl_online || { crm_mon -1; return 1; }
	crm_shadow --batch --force --create pwlab || return 1
	(
		export CIB_shadow=pwlab
		crm_attribute -t crm_config -n stonith-enabled -v true &&
		crm_attribute -t crm_config -n stonith-action -v off &&
		crm_attribute -t crm_config -n stonith-timeout -v 60s &&
		# Under TCG an action takes seconds: 20 s (the default) timed
		# DRBD's monitor out once.
		crm_attribute -t op_defaults -n timeout -v 90s &&
		cibadmin --replace --scope resources \
			--xml-text "$(cl_cib_resources)" &&
		cibadmin --replace --scope constraints \
			--xml-text "$(cl_cib_constraints)" &&
		crm_verify --live-check
	) || { crm_shadow --force --delete pwlab; return 1; }
	crm_shadow --batch --force --commit pwlab || return 1
	crm_shadow --force --delete pwlab
}

# cl_promotable ID PROMOTED_MAX: a promotable clone's opening and meta
# attributes (two instances, one per node, notified, interleaved).
cl_promotable() {
	cat <<XML
  <clone id="$1">
    <meta_attributes id="$1-meta">
      <nvpair id="$1-promotable" name="promotable" value="true"/>
      <nvpair id="$1-pmax" name="promoted-max" value="$2"/>
      <nvpair id="$1-pnmax" name="promoted-node-max" value="1"/>
      <nvpair id="$1-cmax" name="clone-max" value="2"/>
      <nvpair id="$1-cnmax" name="clone-node-max" value="1"/>
      <nvpair id="$1-notify" name="notify" value="true"/>
      <nvpair id="$1-interleave" name="interleave" value="true"/>
    </meta_attributes>
XML
}

cl_cib_resources() {
	local n
	echo "<resources>"
	for n in $CL_NODES; do
		cat <<XML
  <primitive id="p_fence_$n" class="stonith" type="fence_pwlab">
    <instance_attributes id="p_fence_$n-ia">
      <nvpair id="p_fence_$n-plug" name="plug" value="$n"/>
      <nvpair id="p_fence_$n-hosts" name="pcmk_host_list" value="$n"/>
    </instance_attributes>
    <operations>
      <op id="p_fence_$n-mon" name="monitor" interval="60s"/>
    </operations>
  </primitive>
XML
	done
	cl_promotable ms_drbd 2
	cat <<'XML'
    <primitive id="p_drbd_vg1" class="ocf" provider="linbit" type="drbd">
      <instance_attributes id="p_drbd_vg1-ia">
        <nvpair id="p_drbd_vg1-res" name="drbd_resource" value="vg1"/>
      </instance_attributes>
      <operations>
        <op id="p_drbd_vg1-mon-p" name="monitor" interval="29s" role="Promoted"/>
        <op id="p_drbd_vg1-mon-u" name="monitor" interval="31s" role="Unpromoted"/>
        <op id="p_drbd_vg1-start" name="start" interval="0s" timeout="240s"/>
        <op id="p_drbd_vg1-stop" name="stop" interval="0s" timeout="100s"/>
      </operations>
    </primitive>
  </clone>
  <clone id="cl_lio">
    <meta_attributes id="cl_lio-meta">
      <nvpair id="cl_lio-cmax" name="clone-max" value="2"/>
      <nvpair id="cl_lio-interleave" name="interleave" value="true"/>
    </meta_attributes>
    <primitive id="p_lio" class="ocf" provider="pwlab" type="lio">
      <operations>
        <op id="p_lio-mon" name="monitor" interval="20s" timeout="30s"/>
        <op id="p_lio-start" name="start" interval="0s" timeout="90s"/>
        <op id="p_lio-stop" name="stop" interval="0s" timeout="90s"/>
      </operations>
    </primitive>
  </clone>
XML
	cl_promotable ms_alua 1
	cat <<'XML'
    <primitive id="p_alua" class="ocf" provider="pathwarden" type="alua">
      <instance_attributes id="p_alua-ia">
        <nvpair id="p_alua-backend" name="backend" value="lio"/>
        <nvpair id="p_alua-device" name="device" value="iblock_0/vg1"/>
        <nvpair id="p_alua-local" name="local_tgt_grp" value="local"/>
        <nvpair id="p_alua-remote" name="remote_tgt_grp" value="remote"/>
        <nvpair id="p_alua-m" name="m_alua_state" value="active"/>
        <nvpair id="p_alua-s" name="s_alua_state" value="nonoptimized"/>
      </instance_attributes>
      <operations>
        <op id="p_alua-mon-p" name="monitor" interval="10s" role="Promoted"/>
        <op id="p_alua-mon-u" name="monitor" interval="11s" role="Unpromoted"/>
      </operations>
    </primitive>
  </clone>
</resources>
XML
}

# The seed's constraints: the targets only where DRBD is promoted and after
# it, the ALUA resource with the targets and after them; fence devices never
# on the node they fence; hpms01 the preferred ALUA master.
cl_cib_constraints() {
	cat <<'XML'
<constraints>
  <rsc_location id="l_fence_hpms01" rsc="p_fence_hpms01" node="hpms01" score="-INFINITY"/>
  <rsc_location id="l_fence_hpms02" rsc="p_fence_hpms02" node="hpms02" score="-INFINITY"/>
  <rsc_colocation id="c_lio_drbd" score="INFINITY" rsc="cl_lio" with-rsc="ms_drbd" with-rsc-role="Promoted"/>
  <rsc_order id="o_drbd_lio" kind="Mandatory" first="ms_drbd" first-action="promote" then="cl_lio" then-action="start"/>
  <rsc_colocation id="c_alua_lio" score="INFINITY" rsc="ms_alua" with-rsc="cl_lio"/>
  <rsc_order id="o_lio_alua" kind="Mandatory" first="cl_lio" first-action="start" then="ms_alua" then-action="start"/>
  <rsc_location id="l_alua_pref" rsc="ms_alua" role="Promoted" node="hpms01" score="100"/>
</constraints>
XML
}

# cl_healthy: both nodes online, DRBD promoted on both and in sync, the LIO
# configuration on both, ALUA promoted on exactly one.
cl_promoted_alua() {
	crm_resource --locate --resource ms_alua 2>/dev/null |
		sed -n 's/.*is running on: \([^ ]*\) Promoted.*/\1/p'
}
# cl_drbd_promoted_in "NODE...": crm_mon -1 on stdin has ms_drbd promoted
# on exactly those nodes.
cl_drbd_promoted_in() { grep -A3 "ms_drbd" | grep -q "Promoted: \[ $1 \]"; }
cl_healthy() {
	local m
	# one crm_mon for every check: each costs a second or more under TCG
	m=$(crm_mon -1 2>/dev/null) || return 1
	echo "$m" | grep -q "Online: \[ hpms01 hpms02 \]" || return 1
	echo "$m" | cl_drbd_promoted_in "hpms01 hpms02" || return 1
	echo "$m" | grep -A3 "cl_lio" | grep -q "Started: \[ hpms01 hpms02 \]" ||
		return 1
	[ "$(cl_promoted_alua | wc -l)" = 1 ] || return 1
	cl_drbd_uptodate
}

cl_wait_healthy() { wait_until "${1:-360}" cl_healthy || { crm_mon -1; return 1; }; }
cl_crm_mon() { crm_mon -1 -A -f; }

# --- the initiator ------------------------------------------------------

# Discovery on one portal of each node, login to all four portals.
cl_ini_login() {
	ini_login || return 1
	[ "$(ini_nsessions)" -eq 4 ] || {
		echo "expected 4 iSCSI sessions, have $(ini_nsessions)"
		iscsiadm -m session
		return 1
	}
}
cl_ini_multipath() {
	ini_multipath_conf
	ini_multipathd_start || return 1
	ini_wait_map 80 || { mp_topology; return 1; }
	mp_topology
}

# Where the initiator's I/O goes: cl_io_on NODE; cl_wait_io_on NODE SECS
# prints how long it took to get there.
cl_io_on() { MAP=$(map_name); io_on "$1"; }
cl_wait_io_on() { MAP=$(map_name); time_until "$2" io_on "$1"; }
# cl_io_on_at NODE SECS: wait (polling every 20 ms) until dm's group in use
# holds only NODE's disks; print that moment on this guest's clock (epoch).
cl_io_on_at() { MAP=$(map_name); time_until "$2" io_on "$1" > /dev/null && echo "$EPOCHREALTIME"; }
cl_uptime() { local u _; read -r u _ < /proc/uptime; echo "$u"; }
# cl_max_gap FROM TO: the slowest I/O of the load that started between two
# uptimes of this guest, in seconds; cl_max_gap FROM - UNTIL: the slowest
# that overlapped FROM..UNTIL, however long after UNTIL it ended.
cl_max_gap() {
	awk -v a="$1" -v b="$2" -v c="${3:-}" '
		c != "" && $1 < c + 0 && $1 + $2 >= a + 0 && $2 > m { m = $2 }
		c == "" && $1 >= a + 0 && $1 <= b + 0 && $2 > m { m = $2 }
		END { printf "%.2f", m + 0 }' "$PW_RESULTS/io-gaps.log"
}

# The verified write+read load (the one-VM lab's pwlab-io) as a transient
# unit, so the guest agent's command returns while it runs.
CL_IO_STOP=/run/pwlab-io.stop
cl_load_start() {
	rm -f "$CL_IO_STOP" "$PW_RESULTS/io.out" "$PW_RESULTS/io-gaps.log"
	systemctl reset-failed pwlab-load.service 2>/dev/null
	systemd-run --unit=pwlab-load -p RemainAfterExit=yes \
		-p StandardOutput="file:$PW_RESULTS/io.out" -p StandardError=inherit \
		"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s "$CL_IO_STOP" -n 8192 \
		-r 100 -l "$PW_RESULTS/io-gaps.log" -g 100 || return 1
	sleep 3
	systemctl is-active pwlab-load.service
}
# cl_load_end: stop it; exit 0 only with no I/O error, no mismatch and real
# work done; its summary line on stdout.
cl_load_end() {
	local st w
	: > "$CL_IO_STOP"
	# exited (status 0) or failed (an I/O error or mismatch: exit 1)
	wait_until 300 sh -c 'case "$(systemctl show -P SubState pwlab-load.service)" in
		exited | failed | dead) exit 0 ;; esac; exit 1' ||
		echo "the load did not stop in 300 s"
	st=$(systemctl show -P ExecMainStatus pwlab-load.service)
	cat "$PW_RESULTS/io.out"
	w=$(sed -n 's/.* writes=\([0-9]*\) .*/\1/p' "$PW_RESULTS/io.out")
	[ "$st" = 0 ] && [ "${w:-0}" -gt 1000 ]
}
cl_load_running() { systemctl is-active -q pwlab-load.service && [ ! -e "$CL_IO_STOP" ]; }

# Pacemaker's planned switchover: the promoted ALUA instance moved to NODE
# (a cli-prefer constraint), or the move cleared (back to the preference).
cl_move() { crm_resource --move --resource ms_alua --node "$1" --promoted; }
cl_clear() { crm_resource --clear --resource ms_alua; }
cl_alua_promoted_on() { [ "$(cl_promoted_alua)" = "$1" ]; }

# A digest of the volume as this node reads it from its DRBD device.
# Fails when the volume cannot be read whole (an empty read has a digest too).
cl_lun_sum() {
	local n out got
	n=$(blockdev --getsize64 "$CL_LUN") || return 1
	out=$(dd if="$CL_LUN" bs=1M iflag=direct 2> /run/pwlab-dd.err | md5sum)
	got=$(sed -n 's/^\([0-9]*\) bytes.*/\1/p' /run/pwlab-dd.err)
	[ "$got" = "$n" ] || { echo "read $got of $n bytes" >&2; return 1; }
	echo "${out%% *}"
}
# DRBD's own view: out-of-sync KiB after an online verify of the resource.
cl_drbd_verify() {
	local end
	drbdadm verify vg1 || return 1
	end=$((SECONDS + 600))
	sleep 2
	while grep -q 'cs:VerifyS\|cs:VerifyT' /proc/drbd; do
		[ "$SECONDS" -lt "$end" ] || { echo "verify still running"; return 1; }
		sleep 2
	done
	sed -n 's/.* oos:\([0-9]*\).*/\1/p' /proc/drbd
}
# DRBD's state in /proc/drbd (8.4): "cs:... ro:... ds:... C r-----"; the
# first flag is s while I/O is suspended (a fence-peer handler running).
cl_drbd_state() { sed -n 's/^ *0: \(cs:.*\)$/\1/p' /proc/drbd; }
# cl_drbd_promoted_only NODE: Pacemaker has DRBD promoted on NODE alone.
cl_drbd_promoted_only() { crm_mon -1 2> /dev/null | cl_drbd_promoted_in "$1"; }
# cl_drbd_resumed: this node writes alone again: not connected, I/O not
# suspended, the peer's disk outdated by the handler.
cl_drbd_resumed() {
	local st
	st=$(cl_drbd_state)
	case $st in
	cs:Connected* | cs:Sync* | cs:Verify*) return 1 ;;
	esac
	[[ $st == *" ds:UpToDate/Outdated "?" r"* ]]
}
# What the fence-peer handlers said in this boot (the kernel's DRBD lines
# about the helper, the handler's own and its wrapper's).
cl_fence_peer_log() {
	journalctl -b --no-pager -o short-precise 2> /dev/null |
		grep -E 'fence-peer|drbd-fence-by-handler' | tail -n 12
}

# The cluster's own actions as its logs time them, on this node's clock
# (epoch seconds), the first after SINCE: the ALUA agent turning this node's
# group optimized (a promote), and a fence of NODE that succeeded.
cl_journal_first() { # SINCE PATTERN
	journalctl -b -o short-unix --no-pager --since "@${1%.*}" 2>/dev/null |
		awk -v t="$1" -v p="$2" '$1 + 0 >= t + 0 && $0 ~ p { print $1; exit }'
}
cl_promoted_at() { cl_journal_first "$1" "alua[(]p_alua[)].*local group 'local': .* -> active/optimized"; }
# (the fence is logged once the agent has seen the VM gone: wait for it)
cl_fenced_at() {
	local t end=$((SECONDS + ${3:-60}))
	until t=$(cl_journal_first "$1" "Operation 'off' targeting $2 by .*OK") && [ -n "$t" ]; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 1
	done
	echo "$t"
}
cl_now() { echo "$EPOCHREALTIME"; }
# Pacemaker's fencing history for NODE (stonith_admin).
cl_fence_history() { stonith_admin --history "$1" --verbose; }

# --- the benchmark (make demo LAB_TOPOLOGY=cluster) ---------------------

# cl_bench: pathwarden bench on proxmox01, stock and pathwarden, with the
# cluster's own actions as its hooks: each asks the host (lab/cluster/hostreq)
# to have Pacemaker move the ALUA master, to silence a node's portals, to
# break the replication link or to crash a node, and gives the moment the
# cluster acted as the fault's (PW_BENCH_MARK).  Records, timelines and
# tables as the one-VM lab's, in $PW_RESULTS/bench.
#   PW_BENCH_REPS (1), PW_BENCH_SCENARIOS, PW_BENCH_CONFIGS as lab-bench.sh.
CL_BENCH_CONF=/run/pathwarden/bench.conf
cl_bench() {
	local out=$PW_RESULTS/bench req=$PW_TREE/lab/cluster/hostreq
	local ctl=$PW_TREE/lab/cluster/cctl args
	lab_pw_conf "$PW_LAB_CONF" || return 1
	mkdir -p "$out" "$(dirname "$CL_BENCH_CONF")"
	cat > "$CL_BENCH_CONF" <<CONF
# The cluster lab's benchmark: the map is vg1/lun1 on DRBD, written by
# nothing else.  A hook's bound is the deadline: a crashed node's return
# (boot, rejoin, resync, DRBD verify) fits in it.
map auto
test-lun yes
home hpms01
load rate 100 blocks 1024
hold 2
deadline 600
settle 1
# stock's misses are its figures (pathwarden-bench.conf(5))
reference stock

config stock      $ctl lab_config stock
config pathwarden $ctl lab_config pathwarden

# Pacemaker moves the promoted ALUA instance to hpms02 (crm_resource
# --move), then the move is cleared; the fault is hpms02's promote in
# Pacemaker's log, the restore hpms01's.
scenario switchover switch
inject   switchover $req move hpms02
restore  switchover $req clear hpms01

# hpms01's two portals go silent (both its SAN links down, the cluster's
# own links up): Pacemaker sees nothing, the initiator must go to hpms02.
scenario portals-silent switch
inject   portals-silent $req portals hpms01 off
restore  portals-silent $req portals hpms01 on

# The replication link alone breaks while the initiator writes: DRBD
# freezes I/O on both nodes until the fence-peer handlers have decided;
# hpms01 (the ALUA master) must win and go on, hpms02 is fenced.
scenario replication-link stay
inject   replication-link $req replication off
restore  replication-link $req replication on

# hpms01 crashes (its VM frozen); Pacemaker on hpms02 fences it.  Restored:
# hpms01 boots, rejoins, resyncs and is the ALUA master again.
scenario crash switch
inject   crash $req crash hpms01
restore  crash $req boot hpms01
CONF
	chmod 0644 "$CL_BENCH_CONF"
	args=(-c "$PW_LAB_CONF" bench -B "$CL_BENCH_CONF" -n "${PW_BENCH_REPS:-1}"
		-o "$out")
	[ -n "${PW_BENCH_SCENARIOS:-}" ] && args+=(-s "$PW_BENCH_SCENARIOS")
	[ -n "${PW_BENCH_CONFIGS:-}" ] && args+=(-k "$PW_BENCH_CONFIGS")
	pathwarden "${args[@]}" > "$PW_RESULTS/bench.out" 2>&1
	local rc=$?
	cp "$PW_RESULTS/stock-config.txt" "$out/" 2> /dev/null
	return "$rc"
}

# --- every node ---------------------------------------------------------

cl_base() {
	step "hostname" 10 cl_hostname || return 1
	step "network" 30 cl_network || return 1
	case "$PW_NODE" in
	proxmox01)
		step "modules" 60 ini_modules || return 1
		step "udev" 90 ini_udev || return 1
		step "install the packages" 240 lab_install_project || return 1
		step "fault table" 30 modprobe nf_tables ;;
	*)
		step "udev" 90 ini_udev || return 1
		step "target node" 120 cl_target_base ;;
	esac
}

cl_collect() {
	local d=$PW_RESULTS
	journalctl -b --no-pager -o short-monotonic > "$d/journal.txt" 2>&1
	case "$PW_NODE" in
	proxmox01) lab_collect ;;
	*)	crm_mon -1 -A -f > "$d/crm_mon.txt" 2>&1
		cibadmin --query > "$d/cib.xml" 2>&1
		cat /proc/drbd > "$d/drbd.txt" 2>&1
		find "$LIO_CFS" -name alua_access_state -path '*/alua/*' \
			-exec sh -c 'echo "$1: $(head -n 1 "$1")"' _ {} \; \
			> "$d/lio-alua.txt" 2>&1 ;;
	esac
	return 0
}
