#!/bin/sh
# Build both Debian packages from a clean copy of the tree and inspect
# them: lintian, file lists, the multipath-tools pin.  Prints TAP.
# Usage: deb.sh OUTDIR
#
# The package's own test run (make check-build) is skipped here with
# nocheck: the same check-unit run that calls this runs those tests in the
# work tree, and running them twice would double the time.  `make deb`
# alone runs them.
set -eu
out=${1:?usage: deb.sh OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/pw-deb.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# Where this suite's multipath-tools keeps plugins and units (/lib on
# Debian 12, /usr/lib from 13 on): the packages must use the same.
# Not found (no multipath-tools), the file-list checks below fail.
plugdir=$("$top/scripts/mpt-dirs.sh" plugindir) || :
unitdir=$("$top/scripts/mpt-dirs.sh" unitdir) || :
echo "# this suite: plugins in ${plugdir:-?}, units in ${unitdir:-?}"

. "$top/tests/tap.sh"
tap_plan 14

start=$(date +%s)
if DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
   DEB_BUILD_PROFILES=nocheck "$top/scripts/build-deb.sh" "$out" > "$T/build" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start )) s)"
else
	not_ok "dpkg-buildpackage -us -uc -b"
	sed 's/^/# /' "$T/build"
fi

ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
pw="$out/pathwarden_${ver}_${arch}.deb"
ag="$out/pathwarden-agent_${ver}_${arch}.deb"
check "pathwarden_${ver}_${arch}.deb exists" test -s "$pw"
check "pathwarden-agent_${ver}_${arch}.deb exists" test -s "$ag"

# lintian over the .changes: both binaries and the buildinfo.  No E: line,
# and lintian itself must have run: a missing lintian once passed here.
lrc=0
lintian --tag-display-limit 0 "$out"/*.changes > "$T/lintian" 2>&1 || lrc=$?
sed 's/^/# lintian: /' "$T/lintian"
if ! command -v lintian > /dev/null; then
	not_ok "lintian: no errors (lintian is not installed: scripts/packages.txt)"
elif [ "$lrc" -eq 1 ] || [ "$lrc" -gt 2 ]; then
	not_ok "lintian: no errors (lintian exit $lrc)"
elif [ -f "$out"/pathwarden_*.changes ] && ! grep -q '^E:' "$T/lintian"; then
	ok "lintian: no errors ($(grep -c '^W:' "$T/lintian") warnings)"
else
	not_ok "lintian: no errors"
fi

# The file lists: each expected path, and no build tree leaking in.
files_have() {
	deb=$1; shift
	dpkg-deb -c "$deb" 2>/dev/null | awk '{print $NF}' | sed 's|^\./|/|' \
		> "$T/list" || return 1
	miss=""
	for f; do grep -qx "$f" "$T/list" || miss="$miss $f"; done
	[ -z "$miss" ] || { echo "# missing from ${deb##*/}:$miss"; return 1; }
}
check "pathwarden has plugins, private lib, program, conf, unit, man pages, alert rules, dashboard" \
	files_have "$pw" \
	"$plugdir/libcheckrtpg.so" "$plugdir/libpriortpg.so" \
	/usr/lib/pathwarden/libpathwarden.so.0 /usr/sbin/pathwarden \
	/etc/multipath/conf.d/pathwarden.conf \
	/etc/pathwarden/pathwarden.conf.example \
	"$unitdir/pathwarden.service" \
	/usr/share/man/man8/pathwarden.8.gz /usr/share/man/man5/pathwarden.conf.5.gz \
	/usr/share/man/man5/pathwarden-bench.conf.5.gz \
	/usr/share/man/man7/pathwarden-rtpg.7.gz \
	/usr/share/pathwarden/prometheus/pathwarden.rules.yml \
	/usr/share/pathwarden/grafana/pathwarden-dashboard.json \
	/usr/share/bash-completion/completions/pathwarden
check "pathwarden-agent has the agent, the OCF agent, its man page" \
	files_have "$ag" \
	/usr/sbin/pathwarden-agent /usr/lib/ocf/resource.d/pathwarden/alua \
	/usr/share/man/man8/pathwarden-agent.8.gz \
	/usr/share/bash-completion/completions/pathwarden-agent
# Nothing of the other package's, nothing from the build tree.
if dpkg-deb -c "$ag" | grep -q 'multipath\|sbin/pathwarden$' ||
   dpkg-deb -c "$pw" | grep -q 'pathwarden-agent\|/build/\|\.o$\|\.a$'; then
	not_ok "no stray files in either package"
else
	ok "no stray files in either package"
fi

# Debian 13 on: every file under /usr (merged /usr), none in /lib, /bin,
# /sbin.  Debian 12: plugins and unit in /lib, where its multipath-tools
# keeps its own.
case "$plugdir" in
/usr/*)	stray='^\./(lib|bin|sbin)/'
	what="every file under /usr (merged /usr suite)" ;;
*)	stray='^\./usr/lib/(multipath|systemd)/'
	what="plugins and unit under /lib, as this suite's multipath-tools ($plugdir)" ;;
esac
if { dpkg-deb -c "$pw" && dpkg-deb -c "$ag"; } > "$T/all" && [ -s "$T/all" ] &&
   ! awk '{print $NF}' "$T/all" | grep -E "$stray"; then
	ok "$what"
else
	not_ok "$what"
fi

# The plugins fit one multipath-tools series: the package pins it.
# (Without multipath-tools or the package, the check fails, not the script.)
mpt=$(dpkg-query -W -f '${Version}' multipath-tools) || :
range=$("$top/scripts/mpt-series.sh" "$mpt") || :
min=$(echo "$range" | cut -d' ' -f2)
end=$(echo "$range" | cut -d' ' -f3)
dep=$(dpkg-deb -f "$pw" Depends) || :
echo "# Depends: $dep"
# (dpkg-shlibdeps may raise the lower bound to the exact version built
# against: still within the range.)
case ", $dep," in
*", multipath-tools (>= $min"*"), multipath-tools (<< $end~),"*)
	ok "Depends pins multipath-tools to [$min, $end) (installed: $mpt)" ;;
*)	not_ok "Depends pins multipath-tools to [$min, $end) (installed: $mpt)" ;;
esac

# The plugins find the private library through their RUNPATH.  A
# package that did not build or unpack fails the checks on its files.
mkdir -p "$T/x"
dpkg-deb -x "$pw" "$T/x" || :
rp=$(readelf -d "$T/x$plugdir/libcheckrtpg.so" 2>/dev/null | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
check "checker RUNPATH is /usr/lib/pathwarden (got: ${rp:-none})" \
	test "$rp" = /usr/lib/pathwarden

# The packaged plugins load as multipathd loads them (RTLD_NOW) into this
# suite's own libmultipath, every symbol resolved.
if LD_LIBRARY_PATH="$T/x/usr/lib/pathwarden" python3 -c '
import ctypes, os, sys
ctypes.CDLL("libmultipath.so.0", mode=os.RTLD_NOW | os.RTLD_GLOBAL)
ctypes.CDLL("libmpathutil.so.0", mode=os.RTLD_NOW | os.RTLD_GLOBAL)
for so in sys.argv[1:]:
    ctypes.CDLL(so, mode=os.RTLD_NOW)
' "$T/x$plugdir/libcheckrtpg.so" "$T/x$plugdir/libpriortpg.so" > "$T/load" 2>&1; then
	ok "packaged plugins load with RTLD_NOW into this suite's libmultipath"
else
	not_ok "packaged plugins load with RTLD_NOW into this suite's libmultipath"
	sed 's/^/# /' "$T/load"
fi

# The packaged programs run with the libraries their Depends name: the
# daemon parses the packaged example configuration, the agent answers.
if "$T/x/usr/sbin/pathwarden" -n -c "$T/x/etc/pathwarden/pathwarden.conf.example" \
	> "$T/n" 2>&1; then
	ok "packaged pathwarden -n accepts the packaged example configuration"
else
	not_ok "packaged pathwarden -n accepts the packaged example configuration"
	sed 's/^/# /' "$T/n"
fi
mkdir -p "$T/a"
dpkg-deb -x "$ag" "$T/a" || :
if "$T/a/usr/sbin/pathwarden-agent" --help > "$T/h" 2>&1 && grep -qi usage "$T/h"; then
	ok "packaged pathwarden-agent runs"
else
	not_ok "packaged pathwarden-agent runs"
	sed 's/^/# /' "$T/h" | head -5
fi

# The unit as packaged parses, and its programs are the packaged ones:
# verify a copy whose /usr/sbin/pathwarden points into the extracted tree
# (the rest, /bin/kill and the targets, is this host's).
u="$T/x$unitdir/pathwarden.service"
if [ -f "$u" ] && [ -x "$T/x/usr/sbin/pathwarden" ] &&
   grep -q '^ExecStart=/usr/sbin/pathwarden ' "$u"; then
	mkdir -p "$T/unit"
	sed "s|/usr/sbin/pathwarden|$T/x/usr/sbin/pathwarden|g" "$u" \
		> "$T/unit/pathwarden.service"
	if (cd "$T/unit" && systemd-analyze verify --man=no ./pathwarden.service) \
		> "$T/verify" 2>&1 && ! grep -q . "$T/verify"; then
		ok "systemd-analyze verify of the packaged unit"
	else
		not_ok "systemd-analyze verify of the packaged unit"
		sed 's/^/# /' "$T/verify"
	fi
else
	not_ok "packaged unit runs the packaged /usr/sbin/pathwarden"
fi
tap_done
