#!/usr/bin/env python3
"""Generate a fake initiator host for pathwarden's tests.

Writes OUT/root (a sysfs tree laid out as the kernel lays it out, with the
symlinks iSCSI and SCSI disks have), OUT/capture (multipathd 0.9.4's answers
to "show maps json" and "show config"), OUT/replay (RTPG/INQUIRY answers per
disk for the core's replay backend) and OUT/pathwarden.conf.

The default is the seed cluster: hpms01 and hpms02, two portals each, one
LUN, hpms01 active/optimized, multipathd configured as pathwarden ships it.
Options break one thing at a time so doctor and the verdicts can be tested.
"""
import argparse
import json
import os

NODES = [("hpms01", ["192.168.122.99", "192.168.152.99"]),
         ("hpms02", ["192.168.122.98", "192.168.152.98"])]
STATE_NAMES = {0: "active/optimized", 1: "active/non-optimized", 2: "standby",
               3: "unavailable", 0xe: "offline", 0xf: "transitioning"}
PRIO = {0: 50, 1: 10, 2: 1}


def sd_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return "sd" + s


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def hexs(data):
    return " ".join("%02x" % b for b in data)


def inquiry():
    d = bytearray(36)
    d[2] = 6
    d[3] = 2
    d[4] = 31
    d[5] = 0x10          # TPGS: implicit ALUA
    d[8:16] = b"LIO-ORG "
    d[16:32] = b"vg1".ljust(16)
    d[32:36] = b"4.0 "
    return d


def vpd83(serial, rel_port, tpg):
    naa = bytes.fromhex("6001405" + serial)[:16].ljust(16, b"\0")
    desig = bytes([0x01, 0x03, 0, 16]) + naa
    desig += bytes([0x51, 0x94, 0, 4, 0, 0, rel_port >> 8, rel_port & 0xff])
    desig += bytes([0x51, 0x95, 0, 4, 0, 0, tpg >> 8, tpg & 0xff])
    return bytes([0, 0x83, len(desig) >> 8, len(desig) & 0xff]) + desig


def rtpg(groups):
    """groups: list of (group_id, state, preferred, [rel ports])"""
    body = b""
    for gid, st, pref, ports in groups:
        body += bytes([(0x80 if pref else 0) | st, 0x8f, gid >> 8, gid & 0xff,
                       0, 2, 0, len(ports)])
        for p in ports:
            body += bytes([0, 0, p >> 8, p & 0xff])
    n = len(body)
    return bytes([n >> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]) + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--luns", type=int, default=1)
    ap.add_argument("--ao", default="hpms01",
                    help="node whose group RTPG reports optimized")
    ap.add_argument("--mp-ao", default=None,
                    help="node multipathd still believes optimized "
                         "(stale prios, default: --ao)")
    ap.add_argument("--mp-none", action="store_true",
                    help="multipathd believes no node optimized (both "
                         "non-optimized: group_by_prio merged the paths)")
    ap.add_argument("--both-ao", action="store_true")
    ap.add_argument("--not-serving", default=None,
                    help="NODE: that node's group reports --down-state "
                         "and multipathd has its paths ghost (standby) "
                         "or failed (unavailable); the other node's is "
                         "non-optimized unless --ao names it")
    ap.add_argument("--down-state", default="standby",
                    choices=["standby", "unavailable"])
    ap.add_argument("--multibus", action="store_true")
    ap.add_argument("--stock-detect", action="store_true",
                    help="prio/checker rtpg without detect_* no")
    ap.add_argument("--failback-manual", action="store_true")
    ap.add_argument("--drop-session", type=int, default=0,
                    help="leave out the N-th session (1-based)")
    ap.add_argument("--session-failed", type=int, default=0)
    ap.add_argument("--node-down", default=None,
                    help="every session of NODE failed (a crash): its "
                         "paths failed in dm and by multipathd's checker "
                         "with their last prio kept, dm on the next group, "
                         "its disks answering again (after the restore)")
    ap.add_argument("--no-maps", action="store_true")
    ap.add_argument("--disagree", action="store_true",
                    help="one path of the AO group reports ANO")
    ap.add_argument("--slow", action="store_true")
    ap.add_argument("--no-plugins", action="store_true")
    ap.add_argument("--wrong-checker", action="store_true",
                    help="multipathd runs tur though rtpg is configured")
    ap.add_argument("--iscsid-defaults", type=int, default=0,
                    help="the N-th session (1-based) logged in with "
                         "iscsid.conf's NOP-Out 5 s / 5 s (as pvestatd's "
                         "own login would), not pathwarden's 1 s / 1 s")
    ap.add_argument("--pve", action="store_true",
                    help="a Proxmox VE host: /etc/pve/storage.cfg with a "
                         "storage on a managed portal, one on a portal "
                         "pathwarden.conf lacks, one naming the other "
                         "node's target; no iscsid.conf (open-iscsi's "
                         "defaults)")
    a = ap.parse_args()
    mp_ao = a.mp_ao or a.ao
    root = os.path.join(a.out, "root")
    os.makedirs(a.out, exist_ok=True)

    sessions = []
    sid = 0
    for ni, (node, portals) in enumerate(NODES):
        for pi, portal in enumerate(portals):
            sid += 1
            if sid == a.drop_session:
                continue
            sessions.append(dict(sid=sid, host=sid + 1, node=node, ni=ni,
                                 portal=portal, rel_port=pi + 1))

    down_node, down_state = None, None
    if a.not_serving:
        down_node = a.not_serving
        down_state = {"standby": 2, "unavailable": 3}[a.down_state]

    def node_state(node, ao_node):
        if a.both_ao:
            return 0
        if node == down_node:
            return down_state
        return 0 if node == ao_node else 1

    maps = []
    disk = 0
    for lun in range(a.luns):
        serial = "%025x" % (0xabc000 + lun)
        wwid = "36001405" + serial[:24]
        paths = []
        for s in sessions:
            name = sd_name(disk)
            dm = "dm-%d" % lun
            disk += 1
            h = s["host"]
            hctl = "%d:0:0:%d" % (h, lun)
            sess_dir = "devices/platform/host%d/session%d" % (h, s["sid"])
            ddir = os.path.join(root, "sys", sess_dir, "target%d:0:0" % h,
                                hctl)
            st = node_state(s["node"], a.ao)
            if a.disagree and s["node"] == a.ao and s["rel_port"] == 2:
                st = 1
            failed = s["sid"] == a.session_failed
            crashed = s["node"] == a.node_down
            mst = 1 if a.mp_none else node_state(s["node"], mp_ao)
            write(ddir + "/state", "running\n")
            write(ddir + "/access_state", STATE_NAMES[st] + "\n")
            write(ddir + "/preferred_path", "0\n")
            write(ddir + "/dh_state", "alua\n")
            write(ddir + "/vendor", "LIO-ORG \n")
            write(ddir + "/model", "vg1             \n")
            write(ddir + "/wwid", "naa.6001405%s\n" % serial[:25])
            bdir = ddir + "/block/" + name
            write(bdir + "/dev", "8:%d\n" % (disk * 16))
            os.makedirs(bdir + "/holders", exist_ok=True)
            if not a.no_maps:
                write(bdir + "/holders/" + dm, "")
            link(bdir + "/device", "../../../" + hctl)
            link(os.path.join(root, "sys/block", name),
                 "../%s/target%d:0:0/%s/block/%s" % (sess_dir, h, hctl, name))
            groups = []
            for ni, (node, portals) in enumerate(NODES):
                gst = node_state(node, a.ao)
                groups.append((ni + 1, gst, False,
                               [1, 2] if node == s["node"] else []))
            if a.disagree and s["node"] == a.ao and s["rel_port"] == 2:
                groups[s["ni"]] = (s["ni"] + 1, 1, False, [1, 2])
            rep = os.path.join(a.out, "replay", name + ".replay")
            if failed:
                write(rep, "any transport\n")
            else:
                write(rep, "inq good %s\ninq83 good %s\nrtpg good %s\n" % (
                    hexs(inquiry()),
                    hexs(vpd83(serial, s["rel_port"] + 2 * s["ni"],
                               s["ni"] + 1)),
                    hexs(rtpg(groups))))
            down = failed or crashed or mst == 3
            paths.append(dict(dev=name, dev_t="8:%d" % (disk * 16),
                              node=s["node"],
                              dm_st="failed" if down else "active",
                              chk_st="faulty" if down else
                              "ghost" if mst == 2 else "ready",
                              checker="tur" if a.wrong_checker or
                              a.stock_detect else "rtpg",
                              pri=0 if failed else PRIO.get(mst, 0)))
        if a.multibus:
            groups = [dict(pri=50, paths=paths, active=True)]
        else:
            by = {}
            for p in paths:
                by.setdefault(p["pri"], []).append(p)
            groups = [dict(pri=pri, paths=by[pri], active=False)
                      for pri in sorted(by, reverse=True)]
            # dm goes on with the first group that has a path it can
            # use
            use = next((g for g in groups
                        if any(p["dm_st"] != "failed" for p in g["paths"])),
                       groups[0])
            use["active"] = True
        maps.append(dict(name="mpath%d" % lun if lun else "mpatha",
                         uuid=wwid, sysfs="dm-%d" % lun, groups=groups,
                         npaths=len(paths)))

    for s in sessions:
        sd = os.path.join(root, "sys/devices/platform/host%d/session%d" %
                          (s["host"], s["sid"]))
        node = [n for n in NODES if n[0] == s["node"]][0]
        target = "iqn.2016-02.local.virtual:%s.vg1" % s["node"]
        idir = sd + "/iscsi_session/session%d" % s["sid"]
        write(idir + "/targetname", target + "\n")
        write(idir + "/state",
              ("FAILED" if s["sid"] == a.session_failed or
               s["node"] == a.node_down else "LOGGED_IN") + "\n")
        write(idir + "/tpgt", "1\n")
        write(idir + "/recovery_tmo", ("15" if a.slow else "5") + "\n")
        # iscsi_tcp names its iface; libopeniscsiusr reads it (and would
        # otherwise look in /etc/iscsi/ifaces).
        write(idir + "/ifacename", "default\n")
        # CHAP attributes exist in real sysfs; pathwarden must never read
        # or print them.
        write(idir + "/username", "chapuser-SECRET\n")
        write(idir + "/password", "chappass-SECRET\n")
        link(os.path.join(root, "sys/class/iscsi_session",
                          "session%d" % s["sid"]),
             "../../devices/platform/host%d/session%d/iscsi_session/"
             "session%d" % (s["host"], s["sid"], s["sid"]))
        cname = "connection%d:0" % s["sid"]
        cdir = sd + "/" + cname + "/iscsi_connection/" + cname
        write(cdir + "/persistent_address", s["portal"] + "\n")
        write(cdir + "/persistent_port", "3260\n")
        write(cdir + "/address", s["portal"] + "\n")
        write(cdir + "/port", "3260\n")
        # NOP-Out interval (recv_tmo) and timeout (ping_tmo), as iscsid
        # sets them at login from the node record
        noop = "5" if s["sid"] == a.iscsid_defaults else "1"
        write(cdir + "/recv_tmo", noop + "\n")
        write(cdir + "/ping_tmo", noop + "\n")
        link(os.path.join(root, "sys/class/iscsi_connection", cname),
             "../../devices/platform/host%d/session%d/%s/iscsi_connection/%s"
             % (s["host"], s["sid"], cname, cname))
    # The SCSI and iSCSI host of each session, as iscsi_tcp makes them:
    # libopeniscsiusr finds a session's host through them.
    for h in sorted(set(s["host"] for s in sessions)):
        hdir = os.path.join(root, "sys/devices/platform/host%d" % h)
        write(hdir + "/scsi_host/host%d/proc_name" % h, "iscsi_tcp\n")
        write(hdir + "/iscsi_host/host%d/initiatorname" % h,
              "iqn.1993-08.org.debian:01:fixture\n")
        for cls in ("scsi_host", "iscsi_host"):
            link(os.path.join(root, "sys/class", cls, "host%d" % h),
                 "../../devices/platform/host%d/%s/host%d" % (h, cls, h))
    if a.pve:
        iqn = "iqn.2016-02.local.virtual:%s.vg1"
        write(os.path.join(root, "etc/pve/storage.cfg"),
              "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl\n\n"
              "iscsi: san1\n\tportal %s\n\ttarget %s\n\tcontent none\n\n"
              "iscsi: other\n\tportal 10.1.1.1:3260\n\ttarget %s\n"
              "\tcontent none\n\n"
              "iscsi: crossed\n\tportal %s\n\ttarget %s\n"
              "\tcontent none\n\n"
              "lvm: vmdata\n\tvgname vg1\n\tbase san1:0.0.0.scsi-36001405\n"
              "\tshared 1\n\tcontent images\n"
              % (NODES[0][1][0], iqn % "hpms01", iqn % "hpms02",
                 NODES[1][1][0], iqn % "hpms01"))
    os.makedirs(os.path.join(root, "sys/block"), exist_ok=True)
    # where Debian 12 (/lib) and 13 on (/usr/lib) load plugins from
    for pdir in ("lib/multipath", "usr/lib/multipath"):
        os.makedirs(os.path.join(root, pdir), exist_ok=True)
        if not a.no_plugins:
            for so in ("libcheckrtpg.so", "libpriortpg.so"):
                write(os.path.join(root, pdir, so), "")

    # multipathd 0.9.4 "show maps json" (PRINT_JSON_* templates)
    out = {"major_version": 0, "minor_version": 1, "maps": []}
    for m in ([] if a.no_maps else maps):
        jm = {"name": m["name"], "uuid": m["uuid"], "sysfs": m["sysfs"],
              "failback": "-" if a.failback_manual else "immediate",
              "queueing": "5 chk", "paths": m["npaths"], "write_prot": "rw",
              "dm_st": "active", "features": "1 queue_if_no_path",
              "hwhandler": "1 alua", "action": "", "path_faults": 0,
              "vend": "LIO-ORG", "prod": "vg1", "rev": "4.0",
              "switch_grp": 0, "map_loads": 1, "total_q_time": 0,
              "q_timeouts": 0, "path_groups": []}
        for gi, g in enumerate(m["groups"]):
            jg = {"selector": "round-robin 0" if a.multibus
                  else "service-time 0", "pri": g["pri"],
                  "dm_st": "active" if g["active"] else "enabled",
                  "marginal_st": "normal", "group": gi + 1, "paths": []}
            for p in g["paths"]:
                jg["paths"].append({
                    "dev": p["dev"], "dev_t": p["dev_t"],
                    "dm_st": p["dm_st"], "dev_st": "running",
                    "chk_st": p["chk_st"], "checker": p["checker"],
                    "pri": p["pri"], "host_wwnn": "[undef]",
                    "target_wwnn": "iqn.2016-02.local.virtual:%s.vg1"
                    % p["node"], "host_wwpn": "[undef]",
                    "target_wwpn": "[undef]", "host_adapter": "[undef]",
                    "lun_hex": "0x0000000000000000",
                    "marginal_st": "normal"})
            jm["path_groups"].append(jg)
        out["maps"].append(jm)
    # dm-mpath's status line per map (STATUSTYPE_INFO, service-time)
    for m in ([] if a.no_maps else maps):
        # dm on the group multipathd shows active
        st = "2 0 0 0 %d %d" % (len(m["groups"]), 1 + next(
            gi for gi, g in enumerate(m["groups"]) if g["active"]))
        for g in m["groups"]:
            st += " %s 0 %d 2" % ("A" if g["active"] else "E",
                                  len(g["paths"]))
            for p in g["paths"]:
                st += " %s %s 0 0 1" % (
                    p["dev_t"], "F" if p["dm_st"] == "failed" else "A")
        write(os.path.join(a.out, "capture/dmstatus", m["name"]), st + "\n")
    write(os.path.join(a.out, "capture/maps.json"),
          json.dumps(out, indent=3) + "\n")

    detect = "" if a.stock_detect else \
        "\t\tdetect_prio \"no\"\n\t\tdetect_checker \"no\"\n"
    write(os.path.join(a.out, "capture/config.txt"), """defaults {
	verbosity 2
	polling_interval 5
	max_polling_interval 20
	path_grouping_policy "failover"
	prio "const"
	failback "manual"
	fast_io_fail_tmo %s
	find_multipaths "%s"
	checker_timeout 30
}
blacklist {
	devnode "!^(sd[a-z]|dasd[a-z]|nvme[0-9])"
	device {
		vendor "COMPELNT"
		product "Compellent Vol"
	}
}
devices {
	device {
		vendor "LIO-ORG"
		product ".*"
		path_grouping_policy "group_by_prio"
		path_checker "tur"
		hardware_handler "1 alua"
		prio "alua"
		failback "immediate"
		no_path_retry 12
	}
	device {
		vendor "(LIO-ORG|SCST_BIO|SCST_FIO)"
		product ".*"
		path_grouping_policy "%s"
		path_checker "rtpg"
		prio "rtpg"
%s		failback "%s"
	}
}
overrides {
}
""" % ("15" if a.slow else "5", "strict" if a.no_maps else "no",
       "multibus" if a.multibus else "group_by_prio", detect,
       "manual" if a.failback_manual else "immediate"))

    conf = "# generated by gen_fixture.py\n"
    for node, portals in NODES:
        conf += "node %s %s target iqn.2016-02.local.virtual:%s.vg1\n" % (
            node, " ".join(p + ":3260" for p in portals), node)
    conf += "probe mpatha\nmetrics 127.0.0.1:9857\n" \
            "records %s/records.jsonl\n" % os.path.abspath(a.out)
    write(os.path.join(a.out, "pathwarden.conf"), conf)


if __name__ == "__main__":
    main()
