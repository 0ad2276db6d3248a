#!/bin/sh
# The systemd unit of the daemon: sandbox exposure and the settings the
# score does not weigh by itself.  Prints TAP.
# Usage: unit-security.sh PATH/TO/pathwarden.service PATH/TO/pathwarden.conf
#
# Exposure bound: 2.5.  What keeps it above 2 is the job itself, each
# weighed by systemd-analyze: uid 0 (0.4: iscsid and multipathd take
# commands from root only), the host network (0.5) with AF_INET/AF_INET6
# (0.3, portal probes to any address, hence no IPAddressDeny 0.2),
# CAP_SYS_ADMIN (0.3, device-mapper ioctls), CAP_SYS_RAWIO (0.2, SG_IO),
# host devices (0.2) and users (0.2), AF_UNIX/AF_NETLINK (0.2).  With
# everything else locked down that lands at 2.3; any loosening moves it
# past 2.5.
set -eu
unit=${1:?usage: unit-security.sh UNIT CONF}
conf=${2:?usage: unit-security.sh UNIT CONF}
max=2.5
T=$(mktemp -d "${TMPDIR:-/tmp}/pw-unit.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

. "$(dirname "$0")/../tap.sh"
tap_plan 7

# Offline: the unit file as written, not whatever is loaded on this host.
# Its exit status is not the verdict: the score it prints is.
systemd-analyze security --offline=yes --no-pager "$unit" > "$T/sec" 2>&1 || :
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$T/sec")
echo "# exposure: ${score:-none} (bound $max)"
grep '✗' "$T/sec" | sed 's/  */ /g; s/^/# /'
if [ -n "$score" ] && awk -v s="$score" -v m="$max" 'BEGIN{exit !(s <= m)}'; then
	ok "exposure $score <= $max"
else
	not_ok "exposure ${score:-unknown} <= $max"
	sed 's/^/# /' "$T/sec" | tail -5
fi

# The capabilities: exactly the two the daemon needs, no more.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$caps" = "CAP_SYS_ADMIN CAP_SYS_RAWIO " ]; then
	ok "capabilities: SYS_ADMIN and SYS_RAWIO only"
else
	not_ok "capabilities: SYS_ADMIN and SYS_RAWIO only (got: $caps)"
fi

# Address families: the four it uses.
fams=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit" | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$fams" = "AF_INET AF_INET6 AF_NETLINK AF_UNIX " ]; then
	ok "address families: unix, netlink, inet, inet6"
else
	not_ok "address families: unix, netlink, inet, inet6 (got: $fams)"
fi

# The file system: read-only but for the iSCSI node db, locks and state,
# and the devices' sysfs (a disk's state file, for I/O parked on a group
# held in transition); the kernel's other tunables stay read-only.
rw=$(sed -n 's/^ReadWritePaths=//p' "$unit" | tr '\n' ' ')
if grep -qx 'ProtectSystem=strict' "$unit" && grep -qx 'ProtectHome=yes' "$unit" &&
   grep -qx 'StateDirectory=pathwarden' "$unit" &&
   grep -qx 'ProtectKernelTunables=yes' "$unit" &&
   [ "$rw" = "-/etc/iscsi -/var/lib/iscsi /run/lock /sys/devices " ]; then
	ok "file system strict, writable: the iSCSI node db (/etc/iscsi or /var/lib/iscsi), /run/lock, /sys/devices and the state dir"
else
	not_ok "file system strict, writable: the iSCSI node db (/etc/iscsi or /var/lib/iscsi), /run/lock, /sys/devices and the state dir (got: $rw)"
fi

# Devices: a closed policy with sd read-only and sg for the RTPGs (the
# async interface writes its request); no other character device.
if grep -qx 'DevicePolicy=closed' "$unit" && grep -qx 'DeviceAllow=block-sd r' "$unit" &&
   grep -qx 'DeviceAllow=char-sg rw' "$unit" &&
   [ "$(grep -c '^DeviceAllow=char-' "$unit")" -eq 1 ]; then
	ok "devices: closed policy, sd read-only, sg for RTPG"
else
	not_ok "devices: closed policy, sd read-only, sg for RTPG"
fi

# The records go where the unit lets the daemon write: the example
# configuration's records path is inside StateDirectory.
state=$(sed -n 's/^StateDirectory=//p' "$unit")
rec=$(sed -n 's/^records[[:space:]]\{1,\}//p' "$conf")
case "$rec" in
/var/lib/"$state"/*) ok "records path $rec is in /var/lib/$state" ;;
*) not_ok "records path ${rec:-none} is in /var/lib/${state:-none}" ;;
esac

# The unit parses: systemd-analyze verify, with the program path and the
# man pages (not installed here) left out of the check.
sed 's|/usr/sbin/pathwarden|/bin/true|g' "$unit" > "$T/pathwarden.service"
if (cd "$T" && systemd-analyze verify --man=no ./pathwarden.service) > "$T/verify" 2>&1 &&
   ! grep -q . "$T/verify"; then
	ok "systemd-analyze verify is silent"
else
	not_ok "systemd-analyze verify is silent"
	sed 's/^/# /' "$T/verify"
fi
tap_done
