# make memory (issue 8), not in CI: the flap test's load for longer, with
# the resident memory of multipathd and of the pathwarden daemon sampled
# every PW_MEM_SAMPLE_S (60) seconds over PW_MEM_SECONDS (1800), so a slow
# leak shows as a slope rather than hiding in two readings.  Every path is
# checked every second (rtpg checker and prio) while hpms02's group cycles
# non-optimized -> standby -> transitioning -> non-optimized through the
# agent about once a second.  Writes memory-series.txt (seconds, checker
# calls so far, multipathd KiB, pathwarden KiB) and prints the least-squares
# slope of each over the second half (after malloc's arenas settle), in
# KiB per hour and per 1000 checker calls.  Prints TAP.

SECONDS_TOTAL=${PW_MEM_SECONDS:-1800}
SAMPLE_S=${PW_MEM_SAMPLE_S:-60}
OUT=$PW_RESULTS/memory-series.txt
CTL=$PW_TREE/lab/guest/labctl

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
calls_since() {
	sed -n "$(($1 + 1)),\$p" "$MPATHD_LOG" | grep -Ec ': rtpg state = [a-z]+$'
}

lab_pw_conf "$PW_LAB_CONF"
"$CTL" lab_config pathwarden || { tap_not_ok "pathwarden configuration in place"; tap_done; exit 1; }
ini_fast_checks flap on
sleep 3
mpd=$(pidof multipathd)
pwd_=$(lab_daemon_pid)
from=$(wc -l < "$MPATHD_LOG")
states=(standby transitioning nonoptimized)
n=0 next=0 t0=$SECONDS
log "memory: ${SECONDS_TOTAL} s of flapping, a sample every ${SAMPLE_S} s (multipathd $mpd, pathwarden $pwd_)"
: > "$OUT"
while [ $((SECONDS - t0)) -le "$SECONDS_TOTAL" ]; do
	if [ $((SECONDS - t0)) -ge "$next" ]; then
		echo "$((SECONDS - t0)) $(calls_since "$from") $(rss_kib "$mpd") $(rss_kib "$pwd_")" >> "$OUT"
		next=$((next + SAMPLE_S))
	fi
	lio_set_state hpms02 "${states[$((n % 3))]}" > /dev/null 2>&1 ||
		log "memory: lio_set_state failed"
	n=$((n + 1))
	sleep 1
done
lio_set_state hpms02 nonoptimized > /dev/null 2>&1
ini_fast_checks flap off
sed 's/^/# /' "$OUT"

# slope COLUMN: least squares over the second half of the samples, KiB per
# hour and KiB per 1000 checker calls
slope() {
	awk -v c="$1" '{ t[NR] = $1; k[NR] = $2; v[NR] = $c }
	END {
		h = int(NR / 2) + 1; m = 0
		for (i = h; i <= NR; i++) { m++; st += t[i]; sk += k[i]; sv += v[i] }
		mt = st / m; mk = sk / m; mv = sv / m
		for (i = h; i <= NR; i++) {
			tt += (t[i] - mt) ^ 2; tv += (t[i] - mt) * (v[i] - mv)
			kk += (k[i] - mk) ^ 2; kv += (k[i] - mk) * (v[i] - mv)
		}
		printf "%.0f KiB/h, %.1f KiB per 1000 calls", \
			tt ? tv / tt * 3600 : 0, kk ? kv / kk * 1000 : 0
	}' "$OUT"
}
calls=$(calls_since "$from")
log "memory: $n state changes, $calls checker calls; second half: multipathd $(slope 3), pathwarden $(slope 4)"
log "memory: multipathd $(awk 'NR == 1 { a = $3 } END { print a " -> " $3 }' "$OUT") KiB, pathwarden $(awk 'NR == 1 { a = $4 } END { print a " -> " $4 }' "$OUT") KiB"
tap_check "memory: multipathd and the daemon the same processes throughout" \
	test -n "$mpd" -a -n "$pwd_" -a "$(pidof multipathd)" = "$mpd" -a "$(lab_daemon_pid)" = "$pwd_"
tap_check "memory: $((SECONDS_TOTAL / SAMPLE_S + 1)) samples taken" \
	test "$(wc -l < "$OUT")" -ge "$((SECONDS_TOTAL / SAMPLE_S))"
