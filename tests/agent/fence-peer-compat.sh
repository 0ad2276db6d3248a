#!/bin/sh
# The cluster lab's fence-peer wrapper (lab/cluster/crm-fence-peer-compat)
# without a cluster: as cibadmin it must rewrite node_state's in_ccm/crmd
# numbers and nothing else; as the handler it must hand the real handler
# its arguments minus its own option, and wait only where the option says
# (not the ALUA master, the peer still in the partition).  The real
# cibadmin, handler, crm_resource, crm_node, logger and sleep are made-up
# scripts that record their calls.
# Usage: fence-peer-compat.sh PATH/TO/crm-fence-peer-compat   (prints TAP)
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
W=$(abs "${1:?usage: fence-peer-compat.sh PATH/TO/crm-fence-peer-compat}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/pw-fence-compat.XXXXXX") || exit 1
tap_tmp=$T
trap 'rm -rf "$T"' EXIT
me=$(uname -n)

# The wrapper installed as the lab installs it: compat/cibadmin -> itself.
mkdir -p "$T/lib/compat" "$T/bin"
cp "$W" "$T/lib/crm-fence-peer-compat"
ln -s ../crm-fence-peer-compat "$T/lib/compat/cibadmin"

# A CIB as Pacemaker 3.0 writes it, with one node in 2.1's words.
cat > "$T/cib.xml" <<'EOF'
<cib>
  <status>
    <node_state id="1" uname="hpms01" in_ccm="1733390000" crmd="1733390002" join="member"/>
    <node_state id="2" uname="hpms02" in_ccm="0" crmd="0" join="down"/>
    <node_state id="3" uname="old21" in_ccm="true" crmd="online" join="member"/>
    <nvpair id="x" name="in_ccm" value="0" crmd="0"/>
  </status>
</cib>
EOF
cat > "$T/bin/real-cibadmin" <<EOF
#!/bin/sh
echo "\$*" > "$T/cibadmin.args"
cat "$T/cib.xml"
EOF
cat > "$T/bin/real-handler" <<EOF
#!/bin/sh
printf '%s\n' "\$@" > "$T/handler.args"
# the handler's own calls go through compat/ first
command -v cibadmin > "$T/handler.cibadmin"
exit 7
EOF
# crm_resource --locate answers from \$T/locate, crm_node -p from \$T/partition
cat > "$T/bin/crm_resource" <<EOF
#!/bin/sh
echo "\$*" >> "$T/crm_resource.args"
cat "$T/locate"
EOF
cat > "$T/bin/crm_node" <<EOF
#!/bin/sh
[ "\$1" = -p ] || exit 64
cat "$T/partition"
EOF
cat > "$T/bin/sleep" <<EOF
#!/bin/sh
echo "\$1" >> "$T/slept"
EOF
cat > "$T/bin/logger" <<EOF
#!/bin/sh
echo "\$*" >> "$T/logged"
EOF
chmod 755 "$T"/bin/*
export PW_CIBADMIN="$T/bin/real-cibadmin" PW_CRM_FENCE_PEER="$T/bin/real-handler"
export PATH="$T/bin:$PATH"

# --- as cibadmin --------------------------------------------------------
run "$T/lib/compat/cibadmin" --query -A //node_state
is "cibadmin: exit status of the real one" "$rc" 0
is "cibadmin: the arguments passed through" "$(cat "$T/cibadmin.args")" "--query -A //node_state"
like "cibadmin: a join time is a member" "$out" 'uname="hpms01" in_ccm="true" crmd="online"'
like "cibadmin: 0 is down" "$out" 'uname="hpms02" in_ccm="false" crmd="offline"'
like "cibadmin: Pacemaker 2.1's words unchanged" "$out" 'uname="old21" in_ccm="true" crmd="online"'
like "cibadmin: no other element rewritten" "$out" '<nvpair id="x" name="in_ccm" value="0" crmd="0"/>'
is "cibadmin: as many lines as the real one's" "$(echo "$out" | wc -l)" "$(wc -l < "$T/cib.xml")"
cat > "$T/bin/real-cibadmin" <<'EOF'
#!/bin/sh
echo "cibadmin: no connection" >&2
exit 102
EOF
run "$T/lib/compat/cibadmin" --query
is "cibadmin: a failing real one's status kept (pipefail)" "$rc" 102

# --- as the handler -----------------------------------------------------
# handler CASE LOCATE PARTITION ARGS...: one call, its recordings fresh
handler() {
	rm -f "$T/slept" "$T/logged" "$T/handler.args" "$T/crm_resource.args"
	printf '%s\n' "$1" > "$T/locate"
	printf '%s\n' "$2" > "$T/partition"
	shift 2
	run "$T/lib/crm-fence-peer-compat" "$@"
	slept=$(cat "$T/slept" 2>/dev/null || echo none)
}
promoted_elsewhere="resource ms_alua is running on: peer-of-$me Promoted
resource ms_alua is running on: $me"

handler "$promoted_elsewhere" "$me peer-of-$me" --suicide-on-failure-if-primary
is "handler: the real handler's exit status" "$rc" 7
is "handler: its arguments as given" "$(cat "$T/handler.args")" "--suicide-on-failure-if-primary"
is "handler: cibadmin is the compat one on its PATH" "$(cat "$T/handler.cibadmin")" "$T/lib/compat/cibadmin"
is "handler: no option, no wait" "$slept" none
check "handler: no option, no cluster query" test ! -e "$T/crm_resource.args"

handler "$promoted_elsewhere" "$me peer-of-$me" --suicide-on-failure-if-primary \
	--defer-unless-promoted=ms_alua:5 --timeout=90
is "defer, not master, peer in partition: waits 5 s" "$slept" 5
is "defer: the option taken out, the rest in order" "$(cat "$T/handler.args" | tr '\n' ' ')" \
	"--suicide-on-failure-if-primary --timeout=90 "
like "defer: asks where the named resource is" "$(cat "$T/crm_resource.args")" "--locate -r ms_alua"
like "defer: says why it waits" "$(cat "$T/logged" 2>/dev/null)" "deferring 5 s"

handler "$promoted_elsewhere" "$me" --defer-unless-promoted=ms_alua:5
is "defer, not master, peer out of the partition (a crash): no wait" "$slept" none
is "defer, peer gone: the real handler still runs" "$rc" 7
check "defer, peer gone: asks no more than the partition" test ! -e "$T/crm_resource.args"

handler "resource ms_alua is running on: $me Promoted
resource ms_alua is running on: peer-of-$me" "$me peer-of-$me" --defer-unless-promoted=ms_alua:5
is "defer, master here (Pacemaker 3.0 'Promoted'): no wait" "$slept" none

handler "resource ms_alua is running on: $me Master" "$me peer-of-$me" --defer-unless-promoted=ms_alua:5
is "defer, master here (Pacemaker 2.1 'Master'): no wait" "$slept" none

handler "resource ms_alua is running on: $me-other Promoted" "$me $me-other" --defer-unless-promoted=ms_alua:5
is "defer: a node whose name only starts with ours is not us" "$slept" 5

handler "" "" --defer-unless-promoted=ms_alua:5
is "defer, cluster tools answer nothing: no wait" "$slept" none

tap_end
