#!/bin/sh
# Build the lab VM from Debian packages alone, or reuse the cached one.
#
#   kernel:    LAB_SUITE's kernel (trixie unless said otherwise) from the
#              suite's guest root (lab/suite-root.sh); with LAB_SUITE=host
#              the package the host's
#              linux-image-amd64 currently depends on (resolved,
#              never a fixed version), fetched with 'apt-get download' and
#              unpacked with 'dpkg -x'; the .deb ships no modules.dep, so the
#              tree is depmod'ed in the cache.
#   initramfs: static busybox, the modules needed to mount the host's root
#              over 9p with a tmpfs overlay, and lab/initramfs-init.
#
# Output: $BUILD/lab/vm.env (KVER, KERNEL, INITRD, MODROOT, ROOTDIR, SUITE)
# for lab/boot.sh; with LAB_ROOT_FLAVOR=cluster (lab/boot-cluster.sh) the
# suite's cluster root (lab/suite-root.sh SUITE cluster) in vm-cluster.env.
# Each part is rebuilt only when one of its inputs changed.
set -eu
. "$(dirname "$0")/lib.sh"

mkdir -p "$LAB_BUILD/logs"
lab_step "install lab packages" 900 "$LAB_BUILD/logs/deps.log" \
	sh "$LAB_DIR/deps.sh"

# --- The kernel -----------------------------------------------------------
# A suite (lib.sh: trixie unless LAB_SUITE says otherwise): the suite's
# own kernel, from its guest root (lab/suite-root.sh), whose modules the
# guest loads from that root.  LAB_SUITE=host: the kernel the host's
# linux-image-amd64 points to, with the host's root as the guest's userland.
resolve_kernel() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' |
		head -n 1
}

host_kernel() {
	kpkg=$(resolve_kernel)
	if [ -z "$kpkg" ]; then
		# A fresh machine may have no package lists yet.
		lab_step "apt-get update" 300 "$LAB_BUILD/logs/apt-update.log" \
			apt-get update
		kpkg=$(resolve_kernel)
	fi
	[ -n "$kpkg" ] || lab_die "cannot resolve the kernel package from" \
		"linux-image-amd64 (apt-cache depends linux-image-amd64)"
	kver=${kpkg#linux-image-}
	kpkgver=$(apt-cache policy "$kpkg" | sed -n 's/^ *Candidate: //p')
	[ -n "$kpkgver" ] && [ "$kpkgver" != "(none)" ] ||
		lab_die "no installable version of $kpkg (apt-cache policy $kpkg)"

	kdir="$LAB_BUILD/kernel/$kver"
	if [ "$(cat "$kdir/.done" 2>/dev/null)" != "$kpkgver" ]; then
		lab_say "fetching kernel $kpkg $kpkgver"
		rm -rf "$kdir"
		mkdir -p "$kdir/dl"
		lab_step "download $kpkg" 900 "$LAB_BUILD/logs/kernel-download.log" \
			sh -c 'cd "$1" && apt-get download -q "$2=$3"' _ \
			"$kdir/dl" "$kpkg" "$kpkgver"
		lab_step "unpack $kpkg" 300 "$LAB_BUILD/logs/kernel-unpack.log" \
			sh -c 'dpkg -x "$1"/*.deb "$2"' _ "$kdir/dl" "$kdir/root"
		# Debian 12 packages the modules under /lib; later ones under /usr/lib.
		for m in "$kdir/root/lib/modules/$kver" \
			 "$kdir/root/usr/lib/modules/$kver"; do
			[ -d "$m" ] || continue
			mkdir -p "$kdir/modroot/lib/modules"
			mv "$m" "$kdir/modroot/lib/modules/$kver"
		done
		[ -d "$kdir/modroot/lib/modules/$kver" ] ||
			lab_die "no modules in $kpkg (looked in $kdir/root)"
		lab_step "depmod $kver" 300 "$LAB_BUILD/logs/depmod.log" \
			depmod -b "$kdir/modroot" "$kver"
		cp "$kdir/root/boot/vmlinuz-$kver" "$kdir/vmlinuz" ||
			lab_die "no /boot/vmlinuz-$kver in $kpkg"
		rm -rf "$kdir/dl" "$kdir/root"
		echo "$kpkgver" > "$kdir/.done"
	fi
	kernel="$kdir/vmlinuz"
	modroot="$kdir/modroot"
	guest_modroot=$modroot
	rootdir=""
}

suite_kernel() {
	rootdir=$("$LAB_DIR/suite-root.sh" "$LAB_SUITE" ${LAB_ROOT_FLAVOR:-})
	kver=$(ls "$rootdir/boot" | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)
	[ -n "$kver" ] || lab_die "no kernel in the $LAB_SUITE root ($rootdir/boot)"
	kpkgver=$(dpkg-query --admindir="$rootdir/var/lib/dpkg" -W \
		-f '${Version}' "linux-image-$kver" 2>/dev/null) ||
		lab_die "linux-image-$kver is not installed in $rootdir"
	[ -s "$rootdir/lib/modules/$kver/modules.dep" ] ||
		lab_die "no modules.dep for $kver in the $LAB_SUITE root"
	kernel="$rootdir/boot/vmlinuz-$kver"
	modroot="$rootdir"
	guest_modroot=""	# the guest's root has them in place
}

if [ -n "${LAB_SUITE:-}" ]; then
	suite_kernel
else
	host_kernel
fi

# --- Initramfs ------------------------------------------------------------
# Only what the root mount needs; every other module is loaded in the guest
# from the depmod'ed tree, which the initramfs bind-mounts on /lib/modules.
BOOT_MODULES="virtio_pci 9pnet_virtio 9p overlay"
busybox=/bin/busybox
[ -x "$busybox" ] || lab_die "no static busybox at $busybox (busybox-static)"
stamp=$( {
	echo "$kpkgver $BOOT_MODULES ${LAB_SUITE:-host}"
	dpkg-query -W -f '${Version}\n' busybox-static
	cat "$LAB_DIR/initramfs-init" "$0"
} | sha256sum | cut -d' ' -f1)
initrd="$LAB_BUILD/initramfs-$kver.img"
if [ "$(cat "$initrd.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -s "$initrd" ]; then
	lab_say "building initramfs for $kver"
	stage="$LAB_BUILD/initramfs.d"
	rm -rf "$stage"
	mkdir -p "$stage/bin" "$stage/modules" "$stage/proc" "$stage/sys" \
		 "$stage/dev" "$stage/ro" "$stage/rw" "$stage/newroot"
	cp "$busybox" "$stage/bin/busybox"
	cp "$LAB_DIR/initramfs-init" "$stage/init"
	chmod 0755 "$stage/init"
	# --show-depends lists each module after the ones it needs, so the
	# order of this list is a valid load order.
	: > "$stage/modules/order"
	deps="$LAB_BUILD/logs/boot-modules.txt"
	: > "$deps"
	for mod in $BOOT_MODULES; do
		modprobe -d "$modroot" -S "$kver" --show-depends "$mod" \
			>> "$deps" || lab_die "module $mod not found in $kver"
	done
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		# modprobe -d names the file under the module root it was given
		case "$path" in "$modroot"/*) ;; *) path="$modroot$path" ;; esac
		base=$(basename "$path")
		grep -qx "$base" "$stage/modules/order" && continue
		cp "$path" "$stage/modules/$base"
		echo "$base" >> "$stage/modules/order"
	done < "$deps"
	[ -s "$stage/modules/order" ] || lab_die "no boot module resolved"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
		gzip -1 > "$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	echo "$stamp" > "$initrd.stamp"
	rm -rf "$stage"
fi

vmenv="$LAB_BUILD/vm${LAB_ROOT_FLAVOR:+-$LAB_ROOT_FLAVOR}.env"
cat > "$vmenv.tmp" <<ENV
KVER=$kver
KPKGVER=$kpkgver
KERNEL=$kernel
INITRD=$initrd
MODROOT=$guest_modroot
ROOTDIR=$rootdir
SUITE=${LAB_SUITE:-}
ENV
mv "$vmenv.tmp" "$vmenv"
