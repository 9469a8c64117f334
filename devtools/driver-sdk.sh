#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Fetch the DPDK driver headers (ethdev_driver.h, ethdev_vdev.h,
# bus_vdev_driver.h, bus_driver.h, dev_driver.h) of exactly the installed
# libdpdk-dev, which Debian does not install (DPDK installs them only when
# built with enable_driver_sdk). They come from Debian's dpdk source
# package of the same version, fetched with apt-get source, and are kept in
#
#   ${MBEXT_DRIVER_SDK_CACHE:-/var/cache/mbuf-extension/dpdk-src}/<version>
#
# where <version> is pkg-config's version of libdpdk (what meson sees):
# the headers of lib/ and drivers/bus/ (the rest of the tree is dropped),
# DPDK's VERSION file and debian-version (the Debian version they came
# from). Nothing is fetched when they are there already. The build finds
# them there (meson option dpdk_driver_sdk, doc/guides/net_swipsec.rst).
#
# A deb-src entry is added if apt has none for the installed version: one
# for each binary entry of the archive that serves that version, with the
# same suites, components and key, in
# /etc/apt/sources.list.d/mbuf-extension-deb-src.{sources,list}.
#
# Run as root, after the packages of deps.sh (which calls it) are in.
# Prints the directory on success. On failure it says why and leaves the
# reason in <cache>/<version>.unavailable (removed by the next success),
# which the test net_swipsec_built reports as its reason to skip; without
# that file, missing headers fail that test.
set -e
cache=${MBEXT_DRIVER_SDK_CACHE:-/var/cache/mbuf-extension/dpdk-src}
deb_ver=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) || deb_ver=
[ -n "$deb_ver" ] || { echo "driver-sdk.sh: libdpdk-dev is not installed" >&2; exit 1; }
ver=$(pkg-config --modversion libdpdk)
dest=$cache/$ver

fail() {
	echo "driver-sdk.sh: $*" >&2
	mkdir -p "$cache" &&
		echo "$*" > "$cache/$ver.unavailable" 2>/dev/null || true
	exit 1
}

present() {
	[ "$(cat "$dest/VERSION" 2>/dev/null)" = "$ver" ] &&
		[ "$(cat "$dest/debian-version" 2>/dev/null)" = "$deb_ver" ]
}
if present; then
	echo "$dest"
	exit 0
fi

mkdir -p "$cache"
# One fetch at a time (several trees may run deps.sh at once).
exec 8>"$cache/.lock"
flock 8
if present; then
	echo "$dest"
	exit 0
fi

has_src() {
	apt-cache showsrc --only-source dpdk 2>/dev/null |
		grep -qx "Version: $deb_ver"
}

# deb-src entries: copies, as deb-src, of the binary entries of the
# archive(s) that serve the installed version (apt-cache madison).
add_deb_src() {
	uris=$(apt-cache madison libdpdk-dev |
		awk -F' [|] ' -v v="$deb_ver" \
			'$2 == v { split($3, a, " "); print a[1] }' | sort -u)
	[ -n "$uris" ] || {
		echo "driver-sdk.sh: no archive serves libdpdk-dev $deb_ver" >&2
		return 1
	}
	out=/etc/apt/sources.list.d/mbuf-extension-deb-src
	# deb822 stanzas: Types deb, one of the URIs, not disabled.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$out.sources" ] || continue
		awk -v uris="$uris" '
		BEGIN { RS = ""; n = split(uris, u, "\n") }
		{
			types = ""; uri = 0; off = 0
			k = split($0, l, "\n")
			for (i = 1; i <= k; i++) {
				if (l[i] ~ /^Types:/)
					types = " " substr(l[i], 7) " "
				if (l[i] ~ /^URIs:/)
					for (j = 1; j <= n; j++)
						if (index(l[i] " ", " " u[j] " ") ||
						    index(l[i] " ", " " u[j] "/ "))
							uri = 1
				if (tolower(l[i]) ~ /^enabled:[ \t]*no/)
					off = 1
			}
			if (types !~ /[ \t]deb[ \t]/ || !uri || off)
				next
			for (i = 1; i <= k; i++) {
				if (l[i] ~ /^#/)
					continue
				if (l[i] ~ /^Types:/)
					l[i] = "Types: deb-src"
				print l[i]
			}
			print ""
		}' "$f"
	done > "$out.sources.new"
	# One-line entries: "deb [options] URI suite components".
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && [ "$f" != "$out.list" ] || continue
		awk -v uris="$uris" '
		BEGIN { n = split(uris, u, "\n") }
		$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/)
				while (i <= NF && $i !~ /\]$/)
					i++
			if ($2 ~ /^\[/)
				i++
			for (j = 1; j <= n; j++)
				if ($i == u[j] || $i == u[j] "/") {
					sub(/^[ \t]*deb/, "deb-src")
					print
				}
		}' "$f"
	done > "$out.list.new"
	for e in sources list; do
		if [ -s "$out.$e.new" ]; then
			mv "$out.$e.new" "$out.$e"
			echo "driver-sdk.sh: added $out.$e:" >&2
			grep -v '^Signed-By: *-' "$out.$e" | sed 's/^/  /' >&2
		else
			rm -f "$out.$e.new"
		fi
	done
	apt-get update -qq || true
}

if ! has_src; then
	add_deb_src || true
	has_src || fail "apt knows no source of dpdk $deb_ver" \
		"(deb-src entry of the archive of libdpdk-dev)"
fi

# What an interrupted fetch left (under the lock: no other fetch runs).
rm -rf "$cache"/.fetch.*
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
# apt's _apt user downloads into a directory it may write.
chmod 755 "$tmp"
chown _apt "$tmp" 2>/dev/null || true
echo "driver-sdk.sh: fetching the source of dpdk $deb_ver" >&2
if ! (cd "$tmp" && apt-get source -qq "dpdk=$deb_ver") >"$tmp/log" 2>&1
then
	tail -20 "$tmp/log" >&2
	fail "apt-get source dpdk=$deb_ver failed:" \
		"$(grep -m1 '^E: ' "$tmp/log")"
fi
top=$(dirname "$(find "$tmp" -mindepth 2 -maxdepth 2 -name VERSION | head -1)")
[ "$(cat "$top/VERSION" 2>/dev/null)" = "$ver" ] ||
	fail "the source of dpdk $deb_ver says version" \
		"'$(cat "$top/VERSION" 2>/dev/null)', libdpdk says $ver"
# Keep the headers of lib/ and drivers/bus/ and the version.
mkdir "$tmp/keep"
(cd "$top" && find lib drivers/bus -name '*.h' \
	-exec cp --parents -t "$tmp/keep" {} +)
cp "$top/VERSION" "$tmp/keep/VERSION"
echo "$deb_ver" > "$tmp/keep/debian-version"
chmod -R a+rX "$tmp/keep"
rm -rf "$dest"
mv "$tmp/keep" "$dest"
rm -f "$cache/$ver.unavailable"
echo "$dest"
