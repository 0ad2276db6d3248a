#!/bin/sh
# SCSI commands and instructions per multipathd check cycle (checker +
# prio) for rtpg+rtpg against stock tur+alua, on the same replayed
# active/optimized path.  Instructions are counted by callgrind, so the
# figures repeat on a loaded machine; the warm-up is subtracted by
# running each configuration twice with different cycle counts.
set -eu
bench=${1:?usage: bench-check.sh BENCH_BINARY OUT_DIR}
out=${2:?}
N1=20
N2=220
mkdir -p "$out"

instr() { # config cycles -> instructions
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1.$2" \
		"$bench" "$1" "$2" > "$out/run.$1.$2" 2> "$out/vg.$1.$2" ||
		{ echo "bench: $1 $2 failed, see $out/vg.$1.$2" >&2; exit 1; }
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/vg.$1.$2"
}
cmds() { # config cycles -> "tur inq inq83 rtpg" per cycle (x100)
	sed -n 's/.* tur=\([0-9]*\) inq=\([0-9]*\) inq83=\([0-9]*\) rtpg=\([0-9]*\).*/\1 \2 \3 \4/p' "$out/run.$1.$2"
}

for c in rtpg stock; do
	i1=$(instr $c $N1); i2=$(instr $c $N2)
	eval "instr_$c=$(( (i2 - i1) / (N2 - N1) ))"
	set -- $(cmds $c $N2)
	eval "tur_$c=$1 inq_$c=$2 vpd_$c=$3 rtpg_$c=$4"
done

per() { awk -v a="$1" -v n="$N2" 'BEGIN { printf "%.2f", a / n }'; }
total_rtpg=$((tur_rtpg + inq_rtpg + vpd_rtpg + rtpg_rtpg))
total_stock=$((tur_stock + inq_stock + vpd_stock + rtpg_stock))
# On a live host the stock alua prio reads VPD 0x83 from sysfs, not SG_IO.
live_stock=$((total_stock - vpd_stock))

printf '%-22s %10s %10s %10s\n' "per check cycle" "rtpg+rtpg" "tur+alua" "ratio"
printf '%-22s %10s %10s\n' "  TUR" "$(per $tur_rtpg)" "$(per $tur_stock)"
printf '%-22s %10s %10s\n' "  INQUIRY VPD 0x83" "$(per $vpd_rtpg)" "$(per $vpd_stock)"
printf '%-22s %10s %10s\n' "  RTPG" "$(per $rtpg_rtpg)" "$(per $rtpg_stock)"
printf '%-22s %10s %10s %10s\n' "SCSI commands (SG_IO)" "$(per $total_rtpg)" \
	"$(per $total_stock)" \
	"$(awk -v a=$total_rtpg -v b=$total_stock 'BEGIN{printf "%.2f", a/b}')"
printf '%-22s %10s %10s %10s\n' "  live host (sysfs VPD)" "$(per $total_rtpg)" \
	"$(per $live_stock)" \
	"$(awk -v a=$total_rtpg -v b=$live_stock 'BEGIN{printf "%.2f", a/b}')"
printf '%-22s %10s %10s %10s\n' "instructions" "$instr_rtpg" "$instr_stock" \
	"$(awk -v a=$instr_rtpg -v b=$instr_stock 'BEGIN{printf "%.2f", a/b}')"
echo "($N2 - $N1 cycles under callgrind; raw output in $out)"
