#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# The core library's two target ratios as distributions: RUNS runs (default
# 5) of app/mbuf_extension_bench on lcore 1, each measuring the operations
# and their floors alternately in the same process, then the min, median
# and max over the runs of each run's median ratio. Twice: without
# hugepages (as the tests run), then with 2 MB hugepages when they can be
# reserved (as DPDK is deployed; needs root).
#
# Usage: bash devtools/bench-core.sh [BUILD_DIR] [RUNS]
set -u
cd "$(dirname "$0")/.."
. devtools/bench-lib.sh
bench_args mbuf_extension_bench "$@"
eal="-m 256 --no-pci --log-level=lib.eal:error -l 1"

# One run per line: "find_ratio add_release_ratio"
series() { # label, extra EAL args...
	local label=$1 i out rc=0
	shift
	echo "--- $label: $bench $eal $* --file-prefix bench_core"
	for i in $(seq 1 "$runs"); do
		out=$("$bench" $eal "$@" --file-prefix bench_core 2>&1) || rc=1
		echo "$out" | awk -v run="$i" '
			function ratio(i) {
				for (i = 1; i <= NF; i++)
					if ($i ~ /^[0-9.]+x$/)
						return $i
			}
			/^target: find hit/ { f = ratio() }
			/^target: \(add fresh/ { a = ratio() }
			/^mempool get\+put \(floor\)/ { mp = $4 }
			/^dynfield read \(floor\)/ { dr = $4 }
			/^find hit/ { fh = $3 }
			/^add fresh \+ release/ { ar = $5 }
			END { printf "run %d: find %s (%s / %s cycles), " \
				"add+release %s (%s / %s cycles)\n", run, f, fh,
				dr, a, ar, mp }' | tee -a "$tmp.$label"
		[ $rc -eq 0 ] || { echo "$out" | tail -5; return 1; }
	done
	distributions "$tmp.$label" "$label" find add+release
}

bench_start
rc=0
series no-hugepages --no-huge --no-shconf || rc=1

huge_before=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
if [ "$(id -u)" = 0 ] && [ "$huge_before" -lt 256 ]; then
	echo 256 > /proc/sys/vm/nr_hugepages 2>/dev/null
	mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages &&
		mount -t hugetlbfs nodev /dev/hugepages; } 2>/dev/null
fi
if [ "$(sed -n 's/^HugePages_Free: *//p' /proc/meminfo)" -ge 256 ]; then
	series hugepages --huge-unlink || rc=1
else
	echo "--- hugepages: skipped, 256 free 2 MB pages could not be had"
fi
if [ "$(id -u)" = 0 ] && [ "$huge_before" -lt 256 ]; then
	echo "$huge_before" > /proc/sys/vm/nr_hugepages 2>/dev/null
fi

echo
echo "summary (goals: find <= 1.5x, add+release <= 1.3x, as medians):"
cat "$tmp.summary"
exit $rc
