#!/bin/sh
# The shipped multipath.conf.d snippet, parsed by the installed multipath
# itself (`multipath -t`), in a private mount namespace so the host's
# /etc/multipath is never touched.  Prints TAP.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/etc-multipath/conf.d"
cp "$top/multipath.conf.d/pathwarden.conf" "$tmp/etc-multipath/conf.d/"

echo "1..4"
if ! unshare -m sh -c '
	set -e
	# a private overlay on /etc: nothing below reaches the host
	mkdir -p "$1/upper" "$1/work"
	mount -t overlay overlay \
		-o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
	mkdir -p /etc/multipath/conf.d
	rm -f /etc/multipath/conf.d/* /etc/multipath.conf
	cp "$1/etc-multipath/conf.d/pathwarden.conf" /etc/multipath/conf.d/
	multipath -v2 -t
' sh "$tmp" > "$tmp/out" 2> "$tmp/err"; then
	echo "not ok 1 - multipath -t ran in a private namespace"
	sed 's/^/# /' "$tmp/err"
	echo "not ok 2 - skipped"; echo "not ok 3 - skipped"; echo "not ok 4 - skipped"
	exit 0
fi
echo "ok 1 - multipath -t ran in a private namespace"

if grep -qiE 'invalid|unknown|error|ignoring' "$tmp/err"; then
	echo "not ok 2 - snippet parsed without complaints"
	sed 's/^/# /' "$tmp/err"
else
	echo "ok 2 - snippet parsed without complaints"
fi

# Each device section as multipathd merged it.
n=3
for vendor in 'SCST_BIO|SCST_FIO' 'LIO-ORG'; do
	sect=$(awk -v v="vendor \"$vendor\"" '
		index($0, v) { on = 1 } on { print } on && /^\t}/ { exit }' "$tmp/out")
	missing=""
	for want in 'path_checker "rtpg"' 'prio "rtpg"' 'detect_prio "no"' \
		    'detect_checker "no"' 'path_grouping_policy "group_by_prio"' \
		    'failback "immediate"' 'hardware_handler "1 alua"'; do
		printf '%s\n' "$sect" | grep -qF "$want" || missing="$missing [$want]"
	done
	if [ -z "$sect" ] || [ -n "$missing" ]; then
		echo "not ok $n - $vendor section selects rtpg:$missing"
	else
		echo "ok $n - $vendor section selects rtpg, group_by_prio, immediate failback"
	fi
	n=$((n + 1))
done
