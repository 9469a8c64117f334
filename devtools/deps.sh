#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Install what building, testing and running the demo need (Debian 12, root),
# then the DPDK driver headers of the installed version (driver-sdk.sh: from
# Debian's dpdk source package, once; dpkg-dev and xz-utils unpack it).
set -e
pkgs="dpdk dpdk-dev libdpdk-dev dpdk-doc libnuma-dev meson ninja-build \
pkg-config gcc doxygen libipsec-mb-dev libssl-dev python3 python3-scapy \
dpkg-dev xz-utils make iproute2 iputils-ping"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing >/dev/null
fi
# Without them everything but net_swipsec builds; the test
# net_swipsec_built says why.
sh "$(dirname "$0")/driver-sdk.sh" >/dev/null ||
	echo "deps.sh: no DPDK driver headers: net_swipsec will not be built" >&2
