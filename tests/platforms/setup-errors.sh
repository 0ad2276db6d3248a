#!/bin/sh
# The set-up's answers to a bad platform, each one line that says what is
# wrong and what to do, with nothing left half-done: an unsupported
# multipath-tools series, none installed, and (as root, with mmdebstrap) a
# mirror that does not answer.  dpkg-query is faked on PATH; the package
# install step is left out (PW_DEPS_FROM_BUILD_DEPENDS=1).  Prints TAP.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin"
cat > "$T/bin/dpkg-query" <<'FAKE'
#!/bin/sh
# -W -f '${Version}' multipath-tools: $FAKE_MPT; -L: a file list like
# Debian 13's.
case "$1" in
-W) [ -n "$FAKE_MPT" ] || exit 1; printf '%s' "$FAKE_MPT" ;;
-L) printf '%s\n' /usr/lib/multipath/libchecktur.so \
	/usr/lib/systemd/system/multipathd.service ;;
esac
FAKE
chmod +x "$T/bin/dpkg-query"

setup() {	# VERSION -> exit status in $rc, stderr in $T/err
	rm -rf "$T/build"
	rc=0
	FAKE_MPT=$1 PATH="$T/bin:$PATH" PW_DEPS_FROM_BUILD_DEPENDS=1 \
		"$top/scripts/setup-deps.sh" "$T/build" > "$T/out" 2> "$T/err" ||
		rc=$?
}

echo "1..18"
for v in 0.13.0-1 0.9.6-1 1:0.16.0-1 0.9.3-1; do
	setup "$v"
	check "multipath-tools $v refused" test "$rc" -ne 0
	check "  in one line naming the supported series" \
		sh -c "[ \$(wc -l < '$T/err') -eq 1 ] &&
		       grep -q 'support 0.9.4, 0.11 and 0.15' '$T/err'"
	check "  and no series written" test ! -e "$T/build/mpt/series"
done

setup ""
check "no multipath-tools: one line saying to install it" \
	sh -c "[ $rc -ne 0 ] && [ \$(wc -l < '$T/err') -eq 1 ] &&
	       grep -q 'apt-get install multipath-tools' '$T/err'"

setup 0.11.1-2
is "0.11.1-2: series 11" "$(cat "$T/build/mpt/series" 2>/dev/null)" 11
is "  the package range" "$("$top/scripts/mpt-series.sh" 0.11.1-2)" "11 0.11.1 0.12"
is "  plugins where its multipath-tools keeps them" \
	"$(cat "$T/build/mpt/plugindir" 2>/dev/null)" /usr/lib/multipath

# A mirror that does not answer: one line, no root left behind.
if [ "$(id -u)" -eq 0 ] && command -v mmdebstrap > /dev/null; then
	rc=0
	PW_ROOT_CACHE="$T/roots" PW_MIRROR=http://127.0.0.1:9/debian \
		"$top/scripts/bare-root.sh" trixie > "$T/out" 2> "$T/err" || rc=$?
	check "bare root from a dead mirror fails, saying so in its last line" \
		sh -c "[ $rc -ne 0 ] &&
		       tail -n1 '$T/err' | grep -q 'does the mirror answer'"
	check "  and leaves no root, whole or partial" \
		sh -c "! ls '$T/roots'/*.tar* 2>/dev/null | grep -q ."
else
	not_ok "bare root from a dead mirror (needs root and mmdebstrap)"
	not_ok "  and leaves no root (needs root and mmdebstrap)"
fi
[ "$tap_failed" -eq 0 ]
