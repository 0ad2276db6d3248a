# Capture what the lab's targets answer (hex) for decoder fixtures and bug
# reports: INQUIRY, VPD 0x83, RTPG in both formats, per path, in the
# initial state and with hpms01 standby.  Output: $PW_RESULTS/capture/.
out=$PW_RESULTS/capture
mkdir -p "$out"
dump() {
	local tag=$1 d n
	for d in /dev/sd?; do
		n=$(basename "$d")
		sg_inq -H "$d" > "$out/$tag-$n-inquiry.hex" 2>&1
		sg_vpd -p di -H "$d" > "$out/$tag-$n-vpd83.hex" 2>&1
		sg_rtpg -H "$d" > "$out/$tag-$n-rtpg.hex" 2>&1
		sg_rtpg -e -H "$d" > "$out/$tag-$n-rtpg-ext.hex" 2>&1
		# sg_rtpg prints what the header claims; sg_raw what arrived.
		sg_raw -r 1024 "$d" a3 0a 00 00 00 00 00 00 04 00 00 00 \
			> "$out/$tag-$n-rtpg-raw.txt" 2>&1
		sg_raw -r 1024 "$d" a3 2a 00 00 00 00 00 00 04 00 00 00 \
			> "$out/$tag-$n-rtpg-ext-raw.txt" 2>&1
		sg_rtpg -d "$d" > "$out/$tag-$n-rtpg.txt" 2>&1
		sg_rtpg -e -d "$d" > "$out/$tag-$n-rtpg-ext.txt" 2>&1
	done
}
for d in /dev/sd?; do echo "$(basename "$d") $(multipathd show paths raw format '%d %n' | awk -v d="$(basename "$d")" '$1 == d { print $2 }')"; done > "$out/paths.txt"
dump initial
lio_set_state hpms01 standby
sleep 1
dump hpms01-standby
lio_set_state hpms01 ao
for f in "$out"/initial-sd?-rtpg*raw.txt; do echo "== $f"; cat "$f"; done
tap_ok "captured $(ls "$out" | wc -l) files"
