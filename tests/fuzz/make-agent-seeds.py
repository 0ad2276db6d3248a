#!/usr/bin/env python3
# Seeds for fuzz_agent: the attribute values a real SCST or LIO node
# shows (tests/agent/fake_tree.c lays the same tree), in the target's
# input layout: a switch byte, then fields with a 2-byte LE length.
# Usage: make-agent-seeds.py OUT_DIR
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def seed(name, sw, fields):
    data = bytes([sw])
    for f in fields:
        b = f.encode()
        data += len(b).to_bytes(2, "little") + b
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(data)


scst = ["1\n[key]\n", "0\n", "active\n[key]\n", "2\n[key]\n",
        "1\n[key]\n", "nonoptimized\n[key]\n", "2\n[key]\n"]
seed("scst-good", 0x12, scst + ["", "", ""])
seed("scst-standby", 0x16, scst[:5] + ["standby\n[key]\n", "2\n"] +
     ["iqn.2016-02.local.virtual:hpms03.vg1", "local", "remote"])
seed("scst-transitioning", 0x3a, scst[:2] + ["transitioning\n"] + scst[3:] +
     ["", "", ""])

member = "iSCSI/iqn.2016-02.local.virtual:hpms01.vg1/tpgt_1/lun_0\n"
lio = ["1\n", "0\n", "Implicit\n", "0\n", member, "1\n", "2\n", "1\n", ""]
seed("lio-good", 0x13, lio + ["", "", ""])
seed("lio-all-devices", 0x11, lio + ["hpms03", "", ""])
seed("lio-explicit", 0x27, lio[:2] + ["Implicit and Explicit\n"] + lio[3:] +
     ["", "hpms01", "hpms02"])
seed("lio-unset-id", 0x13, [""] + lio[1:] + ["", "", ""])
