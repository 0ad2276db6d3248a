#!/bin/sh
# The alert rules (etc/prometheus/pathwarden.rules.yml): promtool's check,
# their unit tests on synthetic series (pathwarden.rules.test.yml), every
# alert tested both ways, and every metric and label they use one the
# daemon exports.  Prints TAP.
# Usage: rules.sh
#
# Without promtool (Debian: prometheus, in scripts/packages.txt and the
# package's Build-Depends) this fails, it does not skip: rules nobody
# could check are not to be shipped as checked.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/tap.sh"
tap_tmp=$(mktemp -d)
trap 'rm -rf "$tap_tmp"' EXIT
rules=$top/etc/prometheus/pathwarden.rules.yml
tests=$top/tests/fleet/pathwarden.rules.test.yml

if ! command -v promtool > /dev/null 2>&1; then
	not_ok "promtool is installed (Debian package prometheus)"
	tap_end || exit 1
fi
ok "promtool is installed: $(promtool --version 2>&1 | head -n 1)"

# diag: the last command's output as TAP diagnostics
diag() {
	printf '%s\n%s\n' "$out" "$err" | sed '/^$/d; s/^/# /'
}

run promtool check rules "$rules"
found=$(echo "$out" | sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p')
check "promtool check rules: ${found:-no} rules" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || diag

run promtool test rules "$tests"
check "promtool test rules: every case as expected" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || diag

# Which alerts the tests see fire, and which they see stay quiet (an
# `exp_alerts: []` case).  A test naming an alert the rules do not have
# would pass without testing anything.
python3 - "$rules" "$tests" > "$tap_tmp/cover" <<'EOF'
import re
import sys

alerts = re.findall(r"^\s*- alert:\s*(\w+)", open(sys.argv[1]).read(), re.M)
fires, quiet, name = set(), set(), None
for line in open(sys.argv[2]):
    m = re.match(r"\s*alertname:\s*(\w+)", line)
    if m:
        name = m.group(1)
        continue
    m = re.match(r"\s*exp_alerts:\s*(.*)$", line)
    if m and name:
        (quiet if m.group(1).strip() == "[]" else fires).add(name)
for a in alerts:
    print("rule", a, a in fires, a in quiet)
for a in sorted((fires | quiet) - set(alerts)):
    print("stray", a)
EOF
n_alerts=0
while read -r kind name fires quiet; do
	case $kind in
	rule)
		n_alerts=$((n_alerts + 1))
		check "$name: a case that fires and one that must not" \
			[ "$fires $quiet" = "True True" ] ;;
	stray)
		not_ok "the tests name alert $name, which the rules do not have" ;;
	esac
done < "$tap_tmp/cover"
check "the rules file has alerts ($n_alerts)" [ "$n_alerts" -gt 0 ]

run python3 "$top/tests/fleet/promql_names.py" "$top/monitor/exposition.c" \
	"$rules"
check "the rules use only metrics and labels pathwarden exports" \
	[ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || diag

tap_end
