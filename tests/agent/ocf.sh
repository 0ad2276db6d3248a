#!/bin/sh
# The OCF resource agent ocf:pathwarden:alua without Pacemaker: actions
# called with OCF_RESKEY_* variables as Pacemaker sets them, on made-up
# SCST and LIO trees; meta-data against ra-api-1.dtd; then ocf-tester.
# Usage: ocf.sh PATH/TO/pathwarden-agent PATH/TO/alua      (prints TAP)
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
AGENT=$(abs "${1:?usage: ocf.sh PATH/TO/pathwarden-agent PATH/TO/alua}")
RA=$(abs "${2:?usage: ocf.sh PATH/TO/pathwarden-agent PATH/TO/alua}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
. "$here/mktree.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/pw-agent-ocf.XXXXXX") || exit 1
tap_tmp=$T
trap 'rm -rf "$T"' EXIT
S=$T/scst
L=$T/lio
DTD=/usr/share/resource-agents/ra-api-1.dtd

# A wrapper that records each call's arguments, one per line, so the
# tests see exactly what the agent passed and how it was split.
cat > "$T/pw" <<EOF
#!/bin/sh
printf '%s\n' "---" "\$@" >> "$T/calls"
exec "$AGENT" "\$@"
EOF
chmod 755 "$T/pw"

export PATHWARDEN_AGENT="$T/pw"
export HA_RSCTMP="$T/rsctmp"
export OCF_ROOT=/usr/lib/ocf
export OCF_RESOURCE_INSTANCE=p_alua:0
me=$(uname -n)
peer=peer-of-$me

scst_env() {
	unset OCF_RESKEY_device OCF_RESKEY_use_trans_state
	export OCF_RESKEY_backend=scst OCF_RESKEY_root="$S"
	export OCF_RESKEY_device_group=esos
	export OCF_RESKEY_local_tgt_grp=local OCF_RESKEY_remote_tgt_grp=remote
	unset OCF_RESKEY_m_alua_state OCF_RESKEY_s_alua_state \
		OCF_RESKEY_remote_inact_state
}
ra() { run "$RA" "$@"; }
st() { scst_state "$S" "$1"; }
notify() {
	# notify TYPE OP VAR=VALUE...
	rc=0
	(
		export OCF_RESKEY_CRM_meta_notify_type=$1
		export OCF_RESKEY_CRM_meta_notify_operation=$2
		shift 2
		for kv in "$@"; do export "OCF_RESKEY_CRM_meta_notify_$kv"; done
		"$RA" notify
	) > /dev/null 2>&1 || rc=$?
}

# ---- meta-data ----------------------------------------------------------
ra meta-data
is "meta-data exits 0" "$rc" 0
printf '%s\n' "$out" > "$T/meta.xml"
if [ -r "$DTD" ]; then
	# Beside the document, the DOCTYPE's relative name resolves too.
	cp "$DTD" "$T/"
	check "meta-data is valid against ra-api-1.dtd" \
		xmllint --noout --dtdvalid "$DTD" "$T/meta.xml"
else
	not_ok "meta-data is valid against ra-api-1.dtd ($DTD missing:" \
		"install resource-agents)"
fi
for p in backend device_group local_tgt_grp remote_tgt_grp m_alua_state \
         s_alua_state remote_inact_state use_trans_state root device \
         promotion_score; do
	like "meta-data declares $p" "$out" "<parameter name=\"$p\""
done
like "meta-data: master monitor" "$out" 'role="Master"'

# The configuration docs/agent.md gives uses only declared parameters.
doc=$here/../../docs/agent.md
params=$(sed -n '/^primitive p_alua ocf:pathwarden:alua/,/^ms /p' "$doc" |
	sed -n 's/^ *params //p' | head -n 1 | tr ' ' '\n' | sed -n 's/=.*//p')
if [ -n "$params" ]; then ok "docs/agent.md has the primitive's params"
else not_ok "docs/agent.md has the primitive's params"; fi
for p in $params; do
	like "docs/agent.md parameter $p is declared" "$out" "<parameter name=\"$p\""
done

# ---- validate-all ---------------------------------------------------------
mk_scst "$S" nonoptimized active
scst_env
ra validate-all
is "validate-all with the seed's parameters: 0" "$rc" 0
sum=$(tree_sum "$S")

bad_param() {
	want=$1 name=$2 value=$3
	rc=0
	(
		export "OCF_RESKEY_$name=$value"
		"$RA" validate-all
	) > /dev/null 2>&1 || rc=$?
	is "validate-all with $name='$value': $want" "$rc" "$want"
}
bad_param 6 backend iscsi
bad_param 6 local_tgt_grp ""
bad_param 6 device_group ""
bad_param 6 device fileio_1/vg1
bad_param 6 m_alua_state bogus
bad_param 6 s_alua_state lba_dependent
bad_param 6 remote_inact_state gone
bad_param 6 use_trans_state maybe
bad_param 6 local_tgt_grp remote
bad_param 5 remote_tgt_grp nothere
bad_param 5 root "$T/none"
bad_param 5 device_group other

# Hostile values are single arguments to the agent, which rejects them.
: > "$T/calls"
rc=0
(
	export OCF_RESKEY_device_group="esos; touch $T/pwned"
	"$RA" validate-all
) > /dev/null 2>&1 || rc=$?
is "validate-all with a shell command in device_group: 6" "$rc" 6
check "the command was not run" test ! -e "$T/pwned"
rc=0
(
	export OCF_RESKEY_local_tgt_grp='local $(touch '"$T"'/pwned) *'
	"$RA" validate-all
) > /dev/null 2>&1 || rc=$?
is "validate-all with \$() and * in local_tgt_grp: 6" "$rc" 6
check "the substitution was not run" test ! -e "$T/pwned"
like "the group name reached the agent as one argument" "$(cat "$T/calls")" \
	"
local \$(touch $T/pwned) *
"
rc=0
(
	export PATHWARDEN_AGENT=$T/missing
	"$RA" validate-all
) > /dev/null 2>&1 || rc=$?
is "validate-all without pathwarden-agent: 5" "$rc" 5
is "validate-all wrote nothing" "$(tree_sum "$S")" "$sum"

# ---- lifecycle on SCST ---------------------------------------------------
ra monitor
is "monitor before start: 7" "$rc" 7
OCF_RESKEY_CRM_meta_interval=0 ra monitor
is "probe before start: 7" "$rc" 7

ra start
is "start: 0" "$rc" 0
is "start: local group gets the slave state" "$(st local)" nonoptimized
is "start: remote group left as found" "$(st remote)" active
ra monitor
is "monitor of a slave: 0" "$rc" 0

notify post start "start_uname=$me" "active_uname=$peer"
is "post-start (this node, peer running, not master): slave state" \
	"$rc:$(st remote)" "0:nonoptimized"
notify post start "start_uname=$me" "master_uname=$peer" "active_uname=$peer" \
	"demote_uname=$peer"
is "post-start (this node, peer master being demoted): slave state" \
	"$rc:$(st remote)" "0:nonoptimized"
notify post start "start_uname=$me"
is "post-start (this node, peer not running): inactive state" \
	"$rc:$(st remote)" "0:offline"
notify post start "start_uname=$me" "promoted_uname=$peer" "active_uname=$peer"
is "post-start (this node, peer promoted, Pacemaker 2.1 name): master state" \
	"$rc:$(st remote)" "0:active"
notify post start "start_uname=$me" "master_uname=$peer" "active_uname=$peer"
is "notify post-start (this node, peer master): 0" "$rc" 0
is "remote group: master state" "$(st remote)" active

ra promote
is "promote: 0" "$rc" 0
is "promote: local active" "$(st local)" active
is "promote: remote nonoptimized" "$(st remote)" nonoptimized
ra monitor
is "monitor of the master: 8" "$rc" 8

printf 'standby\n' > "$S/device_groups/esos/target_groups/local/state"
ra monitor
is "monitor with local drift: still 8" "$rc" 8
is "monitor put the local group back" "$(st local)" active
printf 'active\n' > "$S/device_groups/esos/target_groups/remote/state"
ra monitor
is "monitor with remote drift: still 8" "$rc" 8
is "monitor put the remote group back" "$(st remote)" nonoptimized

notify pre stop "stop_uname=$peer"
is "pre-stop notification changes nothing" "$rc:$(st remote)" "0:nonoptimized"
notify post stop "stop_uname=$peer"
is "notify post-stop of the peer: 0" "$rc" 0
is "peer down: remote inactive state" "$(st remote)" offline
printf 'nonoptimized\n' > "$S/device_groups/esos/target_groups/remote/state"
ra monitor
is "monitor keeps the peer-down state" "$rc:$(st remote)" "8:offline"
notify post start "start_uname=$peer"
is "peer back: remote slave state" "$rc:$(st remote)" "0:nonoptimized"

ra demote
is "demote: 0" "$rc" 0
is "demote: local nonoptimized" "$(st local)" nonoptimized
ra monitor
is "monitor after demote: 0" "$rc" 0
notify post promote "promote_uname=$peer"
is "peer promoted: remote master state" "$rc:$(st remote)" "0:active"
ra monitor
is "monitor of the slave with a master peer: 0" "$rc" 0
notify post promote "promote_uname=$me"
is "own promotion notice leaves remote alone" "$(st remote)" active
ra notify
is "notify without variables: 0" "$rc" 0

ra stop
is "stop: 0" "$rc" 0
is "stop: local group inactive" "$(st local)" offline
is "stop: the running peer is reported as the next master" "$(st remote)" active
ra monitor
is "monitor after stop: 7" "$rc" 7
ra stop
is "stop again: 0" "$rc" 0

# use_trans_state passes --graceful; the wrapper sees it.
export OCF_RESKEY_use_trans_state=true
ra start
: > "$T/calls"
ra promote
like "use_trans_state: promote is graceful" "$(cat "$T/calls")" "
-G
promote"
is "use_trans_state: promote ends active" "$(st local)" active
ra stop
unset OCF_RESKEY_use_trans_state

# Non-default states reach the agent.
export OCF_RESKEY_m_alua_state=active OCF_RESKEY_s_alua_state=standby \
	OCF_RESKEY_remote_inact_state=unavailable
ra start
is "s_alua_state=standby on start" "$(st local)" standby
notify post stop "stop_uname=$peer"
ra promote
is "promote with the peer down: remote_inact_state" "$(st remote)" unavailable
ra stop
is "stop: local group remote_inact_state" "$(st local)" unavailable
scst_env

# A clone without notify=true cannot follow the peer: start says so.
export OCF_RESKEY_CRM_meta_clone_max=2
ra start
like "start warns when the clone lacks notify=true" "$err" "notify=true"
ra stop
export OCF_RESKEY_CRM_meta_notify=true
ra start
case "$err" in
*notify=true*) not_ok "no warning with notify=true" ;;
*) ok "no warning with notify=true" ;;
esac
ra stop
unset OCF_RESKEY_CRM_meta_clone_max OCF_RESKEY_CRM_meta_notify

# The tree vanishing under a started resource.
ra start
mv "$S" "$S.away"
ra monitor
is "monitor with the tree gone: 1 (error)" "$rc" 1
ra stop
is "stop with the tree gone: 0" "$rc" 0
mv "$S.away" "$S"

# ---- promotion score --------------------------------------------------------
# Pacemaker promotes only an instance with a score: the agent sets one while
# it runs clean and removes it at stop, through ocf_promotion_score (here a
# recording crm_attribute, as Pacemaker 2.1 and later have; resource-agents
# before 4.13 leave the instance's name out: Pacemaker's environment has it).
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$*" >> "%s/crm_attribute.calls"\n' "$T" > "$T/bin/crm_attribute"
chmod 755 "$T/bin/crm_attribute"
rm -rf "$S" && mk_scst "$S" nonoptimized active
scst_env
(
	export HA_SBIN_DIR=$T/bin OCF_RESKEY_crm_feature_set=3.20.0
	: > "$T/crm_attribute.calls"
	for a in "start 10" "monitor 10" "monitor 25" "stop 10"; do
		r=0
		OCF_RESKEY_promotion_score=${a#* } "$RA" "${a% *}" > /dev/null 2>&1 || r=$?
		echo "${a% *} $r" >> "$T/promo"
	done
)
is "promotion: start, monitor, stop exit 0" "$(tr '\n' ' ' < "$T/promo")" \
	"start 0 monitor 0 monitor 0 stop 0 "
is "promotion: 10 at start and each clean monitor, its own score when set, removed at stop" \
	"$(sed 's/^-p p_alua:0 /-p /' "$T/crm_attribute.calls" | tr '\n' '|')" \
	"-p -v 10|-p -v 10|-p -v 25|-p -D|"
(
	export HA_SBIN_DIR=$T/bin OCF_RESKEY_crm_feature_set=3.20.0
	: > "$T/crm_attribute.calls"
	r=0
	OCF_RESKEY_promotion_score=high "$RA" start > /dev/null 2>&1 || r=$?
	echo "$r" > "$T/promo"
)
is "promotion_score=high: start refuses (OCF_ERR_CONFIGURED)" "$(cat "$T/promo")" 6
is "promotion_score=high: no score set" "$(wc -c < "$T/crm_attribute.calls")" 0
# No cluster to tell (no crm_attribute): the actions still succeed.
rm -rf "$S" && mk_scst "$S" nonoptimized active
ra start
is "start with no crm_attribute: exit 0" "$rc" 0
ra stop

# ---- LIO -------------------------------------------------------------------
mk_lio "$L"
export OCF_RESKEY_backend=lio OCF_RESKEY_root="$L"
export OCF_RESKEY_local_tgt_grp=hpms01 OCF_RESKEY_remote_tgt_grp=hpms02
unset OCF_RESKEY_device_group
ra validate-all
is "lio validate-all: 0" "$rc" 0
ra start
is "lio start: 0" "$rc" 0
is "lio start: hpms01 slave on both devices" \
	"$(lio_state "$L" vg1 hpms01) $(lio_state "$L" vg2 hpms01)" "1 1"
ra promote
is "lio promote: hpms01 0, hpms02 1 on both" \
	"$(lio_state "$L" vg1 hpms01)$(lio_state "$L" vg2 hpms01) $(lio_state "$L" vg1 hpms02)$(lio_state "$L" vg2 hpms02)" \
	"00 11"
printf '2\n' > "$L/core/fileio_1/vg2/alua/hpms02/alua_access_state"
ra monitor
is "lio monitor corrects drift on one device" \
	"$rc:$(lio_state "$L" vg2 hpms02)" "8:1"
ra stop
is "lio stop: hpms01 offline (14)" "$(lio_state "$L" vg1 hpms01)" 14
export OCF_RESKEY_device=fileio_1/vg1
ra start
is "lio device=fileio_1/vg1 only touches vg1" \
	"$(lio_state "$L" vg1 hpms01) $(lio_state "$L" vg2 hpms01)" "1 14"
ra stop
unset OCF_RESKEY_device

# ---- ocf-tester -------------------------------------------------------------
rm -rf "$S" && mk_scst "$S" nonoptimized active
if command -v ocf-tester > /dev/null 2>&1; then
	rc=0
	out=$(ocf-tester -n p_alua -o backend=scst -o "root=$S" \
		-o device_group=esos -o local_tgt_grp=local \
		-o remote_tgt_grp=remote "$RA" 2>&1) || rc=$?
	is "ocf-tester on the made-up SCST tree: exit 0" "$rc" 0
	like "ocf-tester: passed all tests" "$out" "passed all tests"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'
	rm -rf "$L" && mk_lio "$L"
	rc=0
	out=$(ocf-tester -n p_alua_lio -o backend=lio -o "root=$L" \
		-o device=fileio_1/vg1 -o local_tgt_grp=hpms01 \
		-o remote_tgt_grp=hpms02 "$RA" 2>&1) || rc=$?
	is "ocf-tester on the made-up LIO tree: exit 0" "$rc" 0
	like "ocf-tester (lio): passed all tests" "$out" "passed all tests"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'
else
	not_ok "ocf-tester present (install resource-agents)"
fi

tap_end
