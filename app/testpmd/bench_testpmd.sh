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
#   plugin    mbuf_ext with the testpmd plugin: an extension on every
#             received packet, checked on TX (doc/guides/testpmd_plugin.rst)
#   swipsec   the default pool, testpmd forwarding between two net_swipsec
#             ports that wrap the two net_null ports (doc/guides/
#             net_swipsec.rst): the wrapper's cost on plain traffic
# in alternating rounds of the same run. Prints Mpps (TX of both ports
# between "start tx_first" and "stop" in interactive testpmd) per run,
# per second of wall time and per second of CPU time of the forwarding
# lcore (which does not count time the lcore lost to other processes on a
# shared machine), then the median and best per configuration and their
# ratios to the baseline.
#
# With METHOD=stats, each run is instead non-interactive testpmd
# (--tx-first --stats-period 2, stopped by SIGINT after the given
# seconds) and its figure is the Rx-pps of both ports over the last two
# periods (one figure: printed twice).
#
# The first configuration of CONFIGS is the baseline: for each other one
# it also prints, over the rounds, min / median / max of the ratio to the
# baseline's run of the same round.
#
# Usage: app/testpmd/bench_testpmd.sh [build dir] [rounds] [seconds]
#   env MODES="io mac" CONFIGS="default mbuf_ext nocache lazy"
#       METHOD=interactive|stats EXTRA_D="-d other.so" (plugins for every
#       configuration but default)

BUILD=${1:-build}
ROUNDS=${2:-3}
SECS=${3:-8}
MODES=${MODES:-"io mac"}
METHOD=${METHOD:-interactive}
EXTRA_D=${EXTRA_D:-}
CONFIGS=${CONFIGS:-"default mbuf_ext nocache lazy"}
BASE=${CONFIGS%% *}
SO=$BUILD/librte_mempool_mbuf_ext.so
LAZY_SO=$BUILD/app/testpmd/librte_mempool_mbuf_ext_lazy.so
PLUGIN_SO=$BUILD/app/testpmd/librte_mbuf_ext_testpmd.so
SWIPSEC_SO=$BUILD/librte_net_swipsec.so
SWIPSEC_VDEVS="--vdev net_swipsec0,port=net_null0 --vdev net_swipsec1,port=net_null1"
TESTPMD=${TESTPMD:-dpdk-testpmd}

if [ ! -e "$SO" ]; then
	echo "$SO not found: build first (meson setup $BUILD && ninja -C $BUILD)" >&2
	exit 1
fi
command -v "$TESTPMD" >/dev/null || { echo "$TESTPMD not found" >&2; exit 1; }
# The plugin needs librte_mbuf_extension from the build, wherever it is
# loaded from.
LD_LIBRARY_PATH=$(readlink -f "$BUILD")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
# EAL refuses plugins below a world-writable directory: use private copies.
PLUGIN="$(dirname "$0")/../../devtools/private-plugin.sh"
BUILT_SO=$SO
SO=$(sh "$PLUGIN" "$SO") || exit 1
LAZY_SO=$(sh "$PLUGIN" "$LAZY_SO") || exit 1
PLUGIN_SO=$(sh "$PLUGIN" "$PLUGIN_SO") || exit 1
if [ -e "$SWIPSEC_SO" ]; then
	SWIPSEC_SO=$(sh "$PLUGIN" "$SWIPSEC_SO") || exit 1
fi
PRIV=
[ "$SO" = "$BUILT_SO" ] ||
	PRIV="$(dirname "$SO") $(dirname "$LAZY_SO") $(dirname "$PLUGIN_SO") $(dirname "$SWIPSEC_SO")"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP" $PRIV' EXIT INT TERM

# CPU time (ns) of testpmd's forwarding thread rte-worker-1, 0 if not
# found. It sleeps on the EAL pipe while forwarding is stopped, so the
# difference around start/stop is its forwarding time on a CPU.
worker_cpu_ns() {
	pid=$(pgrep -f "^[^ ]*testpmd .*file-prefix bench_testpmd_$$ " | head -1)
	for t in /proc/"$pid"/task/*; do
		if [ "$(cat "$t/comm" 2>/dev/null)" = "rte-worker-1" ]; then
			cut -d' ' -f1 "$t/schedstat"
			return
		fi
	done
	echo 0
}

# run CONFIG MODE -> prints "wall_Mpps cpu_Mpps" of one run: packets
# transmitted by both ports between start and stop, per second of wall
# time and per second of CPU time of the forwarding lcore (robust when
# other processes share the cores).
run() {
	[ "$METHOD" = stats ] && { run_stats "$@"; return; }
	case $1 in
	default)  extra="";         pmd="" ;;
	mbuf_ext) extra="-d $SO --mbuf-pool-ops-name mbuf_ext $EXTRA_D"; pmd="" ;;
	nocache)  extra="";         pmd="--mbcache=0" ;;
	lazy)     extra="-d $LAZY_SO --mbuf-pool-ops-name mbuf_ext_lazy"; pmd="" ;;
	plugin)   extra="-d $SO -d $PLUGIN_SO --mbuf-pool-ops-name mbuf_ext"
		  pmd="" ;;
	swipsec)  extra="-d $SWIPSEC_SO $SWIPSEC_VDEVS"; pmd="" ;;
	esac
	{
		sleep 3
		c0=$(worker_cpu_ns)
		t0=$(date +%s%N)
		echo "start tx_first"
		sleep "$SECS"
		echo "stop"
		t1=$(date +%s%N)
		sleep 1
		c1=$(worker_cpu_ns)
		echo "$c0 $c1 $t0 $t1" > "$TMP/cpu"
		echo "quit"
	} | timeout $((SECS + 30)) "$TESTPMD" --no-huge -m 1024 --no-pci \
		--no-shconf --file-prefix bench_testpmd_$$ \
		--vdev net_null0 --vdev net_null1 -l 0-1 $extra -- -i \
		--forward-mode="$2" --total-num-mbufs=16384 $pmd \
		> "$TMP/out" 2>&1
	if ! grep -q "Bye" "$TMP/out" || [ ! -s "$TMP/cpu" ]; then
		echo "testpmd $1 $2 failed:" >&2
		tail -5 "$TMP/out" >&2
		echo "0 0"
		return
	fi
	tx=$(awk '/Accumulated forward statistics/ { a = 1 }
		a && /TX-packets:/ { print $2; exit }' "$TMP/out")
	read -r c0 c1 t0 t1 < "$TMP/cpu"
	rm -f "$TMP/cpu"
	awk -v p="$tx" -v c="$((c1 - c0))" -v t="$((t1 - t0))" 'BEGIN {
		printf "%.2f %.2f\n", p * 1e3 / t, (c > 0 ? p * 1e3 / c : 0) }'
}

# Options of configuration $1: "EAL args|testpmd args".
cfg_args() {
	case $1 in
	default)  echo "|" ;;
	mbuf_ext) echo "-d $SO --mbuf-pool-ops-name mbuf_ext $EXTRA_D|" ;;
	nocache)  echo "|--mbcache=0" ;;
	lazy)     echo "-d $LAZY_SO --mbuf-pool-ops-name mbuf_ext_lazy|" ;;
	plugin)   echo "-d $SO -d $PLUGIN_SO --mbuf-pool-ops-name mbuf_ext|" ;;
	swipsec)  echo "-d $SWIPSEC_SO $SWIPSEC_VDEVS|" ;;
	esac
}

# METHOD=stats: Rx-pps of both ports, mean of the last two periods.
run_stats() {
	a=$(cfg_args "$1")
	timeout -s INT "$SECS" "$TESTPMD" --no-huge -m 1024 --no-pci \
		--no-shconf --file-prefix bench_testpmd_$$ \
		--vdev net_null0 --vdev net_null1 -l 0-1 ${a%%|*} -- \
		--forward-mode="$2" --tx-first --total-num-mbufs=16384 \
		--stats-period 2 ${a#*|} > "$TMP/out" 2>&1
	awk '/Rx-pps:/ { v[n++] = $2 }
		END { if (n < 8) { print "0 0"; exit }
			s = v[n-1] + v[n-2] + v[n-3] + v[n-4]
			printf "%.2f %.2f\n", s / 2e6, s / 2e6 }' "$TMP/out"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus"
echo "dpdk: $(pkg-config --modversion libdpdk 2>/dev/null)"
if [ "$METHOD" = stats ]; then
	echo "dpdk-testpmd --no-huge --vdev net_null0 --vdev net_null1 -l 0-1" \
		"-- --tx-first --stats-period 2 --total-num-mbufs=16384," \
		"$ROUNDS rounds of $SECS s"
	echo "Mpps: Rx-pps of both ports, mean of the last two periods" \
		"(printed twice)"
else
	echo "dpdk-testpmd -i --no-huge --vdev net_null0 --vdev net_null1" \
		"-l 0-1, start tx_first, --total-num-mbufs=16384, $ROUNDS" \
		"rounds of $SECS s"
	echo "Mpps: TX packets of both ports per second of wall time / per"
	echo "second of CPU time of the forwarding lcore"
fi
for mode in $MODES; do
	for r in $(seq 1 "$ROUNDS"); do
		line="  $mode round $r:"
		for cfg in $CONFIGS; do
			set -- $(run "$cfg" "$mode")
			echo "$1" >> "$TMP/$mode.$cfg.wall"
			echo "$2" >> "$TMP/$mode.$cfg.cpu"
			[ "$cfg" = "$BASE" ] && { bw=$1; bc=$2; }
			awk -v a="$1" -v b="$bw" 'BEGIN {
				printf "%.1f\n", (b > 0 ? 100 * a / b : 0) }' \
				>> "$TMP/$mode.$cfg.rwall"
			awk -v a="$2" -v b="$bc" 'BEGIN {
				printf "%.1f\n", (b > 0 ? 100 * a / b : 0) }' \
				>> "$TMP/$mode.$cfg.rcpu"
			line="$line $cfg $1/$2"
		done
		echo "$line Mpps"
	done
	for kind in wall cpu; do
		base=$(median < "$TMP/$mode.$BASE.$kind")
		bbest=$(sort -n "$TMP/$mode.$BASE.$kind" | tail -1)
		for cfg in $CONFIGS; do
			m=$(median < "$TMP/$mode.$cfg.$kind")
			b=$(sort -n "$TMP/$mode.$cfg.$kind" | tail -1)
			awk -v m="$m" -v b="$b" -v bm="$base" -v bb="$bbest" \
				-v c="$cfg" -v f="$mode" -v k="$kind" \
				-v base="$BASE" 'BEGIN {
				printf "%s %-4s %-9s median %6.2f Mpps (%5.1f%% of %s)  best %6.2f Mpps (%5.1f%%)\n",
					f, k, c, m, (bm > 0 ? 100 * m / bm : 0),
					base, b, (bb > 0 ? 100 * b / bb : 0) }'
		done
		for cfg in $CONFIGS; do
			[ "$cfg" = "$BASE" ] && continue
			sort -n "$TMP/$mode.$cfg.r$kind" | awk -v c="$cfg" \
				-v base="$BASE" \
				-v f="$mode" -v k="$kind" '{ v[NR] = $1 } END {
				printf "%s %-4s %-9s per-round ratio to %s: min %.1f%% median %.1f%% max %.1f%% (%d rounds)\n",
					f, k, c, base, v[1], v[int((NR + 1) / 2)], v[NR], NR }'
		done
	done
done
