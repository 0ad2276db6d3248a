#!/bin/sh
# Turn the data of every replay fixture into fuzz seeds: one file per
# (parser, response), the first byte selecting the parser as the fuzz
# target expects.
set -eu
fix=${1:?usage: make-seeds.sh FIXTURE_DIR OUT_DIR}
out=${2:?}
mkdir -p "$out"
n=0
for f in "$fix"/*.replay; do
	# join continuation lines, keep "CMD [once] [delay=N] good HEX..." rules
	awk '/^[ \t]/ { line = line " " $0; next }
	     { if (line != "") print line; line = $0 }
	     END { if (line != "") print line }' "$f" |
	sed 's/#.*//' | while read -r cmd rest; do
		set -- $rest
		while [ $# -gt 0 ] && [ "$1" != good ]; do shift; done
		[ $# -gt 1 ] || continue
		shift
		case "$cmd" in
		rtpg) sel="00 04" ;;
		inq83) sel="01" ;;
		inq) sel="02" ;;
		*) continue ;;
		esac
		for s in $sel; do
			n=$((n + 1))
			bytes=$(printf '\\x%s' $s "$@")
			printf "$bytes" > "$out/seed-$n"
		done
	done
done
# sense data in both formats, and one replay script
printf '\x03\x70\x00\x06\x00\x00\x00\x00\x0a\x00\x00\x00\x00\x2a\x06' > "$out/seed-sense-fixed"
printf '\x03\x72\x02\x04\x0a\x00\x00\x00\x00' > "$out/seed-sense-desc"
{ printf '\x05'; cat "$fix/ua-then-ao.replay"; } > "$out/seed-script"
