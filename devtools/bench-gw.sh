#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Benchmark command of the gateway (not a test): secpath_gw with the
# secpath, secpath_gw --no-secpath and DPDK's ipsec-secgw, in alternating
# rounds, one lcore each, net_pcap replaying packets from memory into the
# gateway and net_null taking its output (app/secpath_gw/bench_gw.py says
# how it measures). Prints per run Mpps and Mpps per CPU second, then
# min / median / max per gateway and direction, cycles per packet, and
# the per-round ratios of secpath_gw to the other two.
#
# Usage: devtools/bench-gw.sh [build dir] [rounds] [seconds] [sizes]
#   e.g. devtools/bench-gw.sh build 5 5 "64 512 1400"
set -e
cd "$(dirname "$0")/.."
BUILD=${1:-build}
ROUNDS=${2:-5}
SECS=${3:-5}
SIZES=${4:-64 512 1400}
sh devtools/deps.sh
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" >/dev/null
# ipsec-secgw, built once from dpdk-doc's sources.
SECGW_DIR=${SECGW_DIR:-/var/cache/mbuf-extension/ipsec-secgw-$(pkg-config --modversion libdpdk)}
if [ ! -x "$SECGW_DIR/build/ipsec-secgw" ]; then
	rm -rf "$SECGW_DIR"
	mkdir -p "$(dirname "$SECGW_DIR")"
	cp -r /usr/share/dpdk/examples/ipsec-secgw "$SECGW_DIR"
	make -C "$SECGW_DIR" -j2 >/dev/null
fi
for size in $SIZES; do
	/usr/bin/python3 app/secpath_gw/bench_gw.py "$BUILD" \
		"$SECGW_DIR/build/ipsec-secgw" "$ROUNDS" "$SECS" "$size"
	echo
done
