#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Build and run every test against DPDK 24.11 LTS: devtools/test.sh run in
# a Debian 13 (trixie) root, which ships libdpdk-dev 24.11. Run as root on a
# Debian 12 machine, from any directory.
#
# The root is made once with debootstrap and kept, with its installed
# packages, its apt archives and its build directories, in
# ${LTS_CACHE:-/var/cache/mbuf-extension}/trixie: a second run downloads
# nothing. Delete that directory to start again from nothing.
#
# The source tree is bind-mounted read-write at /src in the root; the build
# directories are in the root (/build/dpdk-lts, /build/dpdk-lts-asan), never
# in the source tree, and are made again when the tree is another one.
# Ends with test.sh's line "N passed, N failed, N skipped" from the run in
# the root; exits non-zero if anything failed.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${LTS_CACHE:-/var/cache/mbuf-extension}
root=$cache/trixie
mirror=http://deb.debian.org/debian

fail() {
	echo "test-lts.sh: $*" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap, mount, chroot)"
mkdir -p "$cache" || fail "cannot create $cache"

# One run at a time: two would share the root and its build directories.
exec 9>"$cache/lock"
flock -n 9 || fail "another test-lts.sh holds $cache/lock"

# Everything mounted into the root, in mount order; unmounted in reverse on
# any exit.
mounted=()
inner=
cleanup() {
	local i
	# Stopped by a signal: stop the run in the root first, which keeps
	# the mounts busy.
	if [ -n "$inner" ] && kill -0 "$inner" 2>/dev/null; then
		kill -TERM -- "-$inner" 2>/dev/null
		wait "$inner" 2>/dev/null
	fi
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null ||
			umount -l "${mounted[i]}" ||
			echo "test-lts.sh: cannot unmount ${mounted[i]}" >&2
	done
	mounted=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

bind() { # source, target below the root
	local target=$root$2
	mkdir -p "$target" || return 1
	mount --bind "$1" "$target" || return 1
	mounted+=("$target")
	# On a systemd host / is a shared mount: without this, what is
	# mounted below the root would show on the host too.
	mount --make-rslave "$target"
}

# The root: made once, then kept. A root whose debootstrap did not finish
# is made again.
if [ ! -e "$root/.mbuf-extension-root" ]; then
	if ! command -v debootstrap >/dev/null; then
		echo "installing debootstrap on the host"
		export DEBIAN_FRONTEND=noninteractive
		{ apt-get update -qq &&
			apt-get install -y -qq debootstrap >/dev/null; } ||
			fail "cannot install debootstrap"
	fi
	awk -v r="$root" '$2 == r || index($2, r "/") == 1 { exit 1 }' \
		/proc/mounts || fail "something is still mounted below $root"
	rm -rf "$root"
	echo "making a Debian 13 root in $root"
	debootstrap --variant=minbase trixie "$root" "$mirror" \
		>"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log"; fail "debootstrap failed"; }
	touch "$root/.mbuf-extension-root"
fi
# The build directories in the root serve one source tree at a time: the
# files of another tree may be older than the objects built from the last
# one, and ninja would keep those objects.
if [ "$(cat "$root/build/source-tree" 2>/dev/null)" != "$src" ]; then
	rm -rf "$root/build"
	mkdir -p "$root/build" && echo "$src" >"$root/build/source-tree"
fi
# apt in the root needs the host's name servers.
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null

# The root on itself first: "ip netns exec" (the on-the-wire tests)
# remounts / as a slave in its mount namespace, which needs / to be a mount
# point inside the root too. Unmounted last.
bind "$root" / || fail "cannot mount $root on itself"
bind /proc /proc || fail "cannot mount /proc"
bind /sys /sys || fail "cannot mount /sys"
bind /dev /dev || fail "cannot mount /dev"
# /dev/net/tun is a node of /dev itself; /dev/pts and /dev/shm are mounts
# of their own.
for d in /dev/pts /dev/shm; do
	if mountpoint -q "$d"; then
		bind "$d" "$d" || fail "cannot mount $d"
	fi
done
bind "$src" /src || fail "cannot mount $src"

log=$cache/test-lts.log
rm -f "$log"
: > "$log"
# The inner run writes its log; it is shown as it goes but for its last
# line (the summary), which is printed after the DPDK version. It runs in a
# session of its own, in the background: a signal then stops this script at
# once, and the trap stops the whole run (setsid does not fork here: its
# pid is the group's). The summary is read from the log once the run has
# ended, never from the display pipeline.
# Debian's archive here lists the 24.11 source package but serves none of
# its files (404), so net_swipsec's driver headers cannot be fetched: its
# test may skip there, saying so (on Debian 12 a failed fetch fails it).
setsid chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	LANG=C.UTF-8 BUILD_DIR=/build/dpdk-lts \
	MBEXT_ALLOW_NO_DRIVER_SDK="the Debian 13 archive serves no dpdk source files here" \
	bash /src/devtools/test.sh > "$log" 2>&1 &
inner=$!
tail -n +1 -f --pid="$inner" "$log" | sed -u '$d' &
shower=$!
wait "$inner"
rc=$?
inner=
wait "$shower" 2>/dev/null

version=$(chroot "$root" pkg-config --modversion libdpdk 2>/dev/null)
echo "DPDK version tested: ${version:-unknown} (Debian 13 root $root)"
last=$(tail -1 "$log")
case $last in
*" passed, "*" failed"*) ;;
*)	# test.sh stopped before its summary: show what it last said
	echo "$last"
	rc=1; last="0 passed, 1 failed, 0 skipped" ;;
esac
echo "$last"
exit "$rc"
