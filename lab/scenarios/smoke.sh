# Smoke: the lab comes up and shows what it built.  Sourced by lab/guest/run.sh.
mp_topology
mp_paths
for n in $LIO_NODES; do echo "$n in_cmds $(lio_in_cmds "$n")"; done
for d in /dev/sd?; do echo "== $d"; sg_rtpg -d "$d" | grep -E "group id|access state|0x0"; sg_vpd -p di "$d" | grep -iE "relative|group"; done
for d in /sys/block/sd*; do echo "$d $(cat $d/device/access_state 2>/dev/null) $(cat $d/device/dh_state) wwid=$(cat $d/device/wwid)"; done
grep -E 'prio = |path_checker = |linking error|not found' "$MPATHD_LOG" | tail -n 8
tap_ok "smoke"
