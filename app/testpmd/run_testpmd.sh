#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Run unmodified dpdk-testpmd forwarding between two net_null ports, no
# hugepages, with its mbuf pool served by the mbuf_ext mempool handler
# (loaded with -d, chosen with --mbuf-pool-ops-name). Prints testpmd's
# statistics every 2 s and stops it with SIGINT after the given time.
#
# Usage: app/testpmd/run_testpmd.sh [build dir] [io|mac|...] [seconds]
#
# The command it runs, for a build in build/:
#   dpdk-testpmd --no-huge -m 1024 --no-pci --no-shconf \
#     --file-prefix run_testpmd --vdev net_null0 --vdev net_null1 -l 0-1 \
#     -d build/librte_mempool_mbuf_ext.so \
#     --mbuf-pool-ops-name mbuf_ext -- \
#     --forward-mode=io --tx-first --total-num-mbufs=16384 --stats-period 2

BUILD=${1:-build}
MODE=${2:-io}
SECS=${3:-10}
SO=$BUILD/librte_mempool_mbuf_ext.so

[ -e "$SO" ] || { echo "$SO not found: build first" >&2; exit 1; }
# The plugin needs librte_mbuf_extension from the build, wherever it is
# loaded from.
LD_LIBRARY_PATH=$(readlink -f "$BUILD")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
# EAL refuses plugins below a world-writable directory: use a private copy.
BUILT_SO=$SO
SO=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$SO") || exit 1
[ "$SO" = "$BUILT_SO" ] || trap 'rm -rf "$(dirname "$SO")"' EXIT
timeout -s INT "$SECS" ${TESTPMD:-dpdk-testpmd} --no-huge -m 1024 \
	--no-pci --no-shconf --file-prefix run_testpmd \
	--vdev net_null0 --vdev net_null1 -l 0-1 \
	-d "$SO" --mbuf-pool-ops-name mbuf_ext -- \
	--forward-mode="$MODE" --tx-first --total-num-mbufs=16384 \
	--stats-period 2
rc=$?
# Stopped by timeout's SIGINT after the given time: testpmd quit cleanly.
[ $rc -eq 124 ] && rc=0
exit $rc
