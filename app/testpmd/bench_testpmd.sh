#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Benchmark command (not a test): unmodified dpdk-testpmd forwarding
# between two net_null ports, mbuf pool served by
#   default   ring_mp_mc with testpmd's per-lcore cache (250), the baseline
#   mbuf_ext  the mbuf_ext handler, loaded with -d (exact release)
#   nocache   ring_mp_mc with --mbcache=0 (what a cache-less pool costs)
#   lazy      mbuf_ext_lazy: release on cache flush only (not exact)
# in alternating rounds of the same run. Prints Mpps (both ports, TX) per
# run, the median per configuration and the ratios to the baseline.
#
# Usage: app/testpmd/bench_testpmd.sh [build dir] [rounds] [seconds]
#   env MODES="io mac" CONFIGS="default mbuf_ext nocache lazy"

BUILD=${1:-build}
ROUNDS=${2:-3}
SECS=${3:-8}
MODES=${MODES:-"io mac"}
CONFIGS=${CONFIGS:-"default mbuf_ext nocache lazy"}
DRV=$BUILD/drivers/mempool/mbuf_ext
SO=$DRV/librte_mempool_mbuf_ext.so
LAZY_SO=$DRV/librte_mempool_mbuf_ext_lazy.so
TESTPMD=${TESTPMD:-dpdk-testpmd}

if [ ! -e "$SO" ]; then
	echo "$SO not found: build first (meson setup $BUILD && ninja -C $BUILD)" >&2
	exit 1
fi
command -v "$TESTPMD" >/dev/null || { echo "$TESTPMD not found" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# run CONFIG MODE -> prints the Mpps of one run (average of the 1 s
# reports after the first 3, TX of both ports)
run() {
	case $1 in
	default)  extra="";         pmd="" ;;
	mbuf_ext) extra="-d $SO --mbuf-pool-ops-name mbuf_ext"; pmd="" ;;
	nocache)  extra="";         pmd="--mbcache=0" ;;
	lazy)     extra="-d $LAZY_SO --mbuf-pool-ops-name mbuf_ext_lazy"; pmd="" ;;
	esac
	# shellcheck disable=SC2086
	timeout -s INT $((SECS + 4)) "$TESTPMD" --no-huge -m 1024 --no-pci \
		--no-shconf --file-prefix bench_testpmd_$$ \
		--vdev net_null0 --vdev net_null1 -l 0-1 $extra -- \
		--forward-mode="$2" --tx-first --total-num-mbufs=16384 \
		--stats-period 1 $pmd > "$TMP/out" 2>&1
	grep -q "Bye" "$TMP/out" || { echo "testpmd $1 $2 failed:" >&2;
		tail -5 "$TMP/out" >&2; echo 0; return; }
	awk '/Tx-pps/ { n++; if (n % 2 == 1) { r++; s = $2 } else {
		if (r > 3) { t += s + $2; c++ } } }
		END { if (c == 0) print 0; else printf "%.2f\n", t / c / 1e6 }' \
		"$TMP/out"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus"
echo "dpdk: $(pkg-config --modversion libdpdk 2>/dev/null)"
echo "dpdk-testpmd --no-huge --vdev net_null0 --vdev net_null1 -l 0-1," \
	"--tx-first, --total-num-mbufs=16384, $ROUNDS rounds of $SECS s"
for mode in $MODES; do
	for r in $(seq 1 "$ROUNDS"); do
		line="  $mode round $r:"
		for cfg in $CONFIGS; do
			v=$(run "$cfg" "$mode")
			echo "$v" >> "$TMP/$mode.$cfg"
			line="$line $cfg $v"
		done
		echo "$line Mpps"
	done
	base=$(median < "$TMP/$mode.default")
	for cfg in $CONFIGS; do
		m=$(median < "$TMP/$mode.$cfg")
		awk -v m="$m" -v b="$base" -v c="$cfg" -v f="$mode" \
			'BEGIN { printf "%s %-9s median %6.2f Mpps  ratio to default %5.1f%%\n",
				f, c, m, (b > 0 ? 100 * m / b : 0) }'
	done
done
