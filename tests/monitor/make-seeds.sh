#!/bin/sh
# Seeds for fuzz_monitor: each input prefixed with its parser's byte.
# Usage: make-seeds.sh SRC_DIR FIXTURE_DIR OUT
set -eu
src=$1; fx=$2; out=$3
mkdir -p "$out"
seed() { { printf "\\$(printf %03o "$1")"; cat; } > "$out/$2"; }
seed 0 maps < "$src/../fixtures/multipathd/maps-0.9.4.json"
seed 0 maps-gen < "$fx/misrouted/capture/maps.json"
seed 1 config < "$src/../fixtures/multipathd/show-config-0.9.4.txt"
seed 1 config-gen < "$fx/good/capture/config.txt"
seed 2 dm < "$fx/sessfail/capture/dmstatus/mpatha"
echo "2 1 0 1 alua 2 2 E 0 1 1 8:0 A 0 1 E 0 1 1 8:16 A 0 1" | seed 2 dm-rr
printf '192.168.122.99:3260,1 iqn.2016-02.local.virtual:hpms01.vg1\n[fe80::1]:3260,2 iqn.x:y\n' | seed 3 st
seed 4 conf < "$src/../../etc/pathwarden.conf"
seed 5 storage < "$fx/pve/root/etc/pve/storage.cfg"
printf 'node.session.timeo.replacement_timeout = 5\nnode.conn[0].timeo.noop_out_interval = 1\n# x = 2\n' | seed 6 iscsid
