#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# The extension against the FreeBSD m_tag-style baseline (issue 9: m_tag
# should cost at least 5x the extension on a clone-heavy workload) as
# distributions: RUNS runs (default 5) of mbuf_extension_mtag on lcore 1,
# each measuring every variant alternately in the same process, then the
# min, median and max over the runs of each run's ratios m_tag / extension
# (on the totals per packet and on the cost added over no tag).
#
# Twice: with glibc's default malloc (per-thread cache of 7 chunks per
# size), then with a per-thread cache deep enough for the tags of a burst
# (GLIBC_TUNABLES=glibc.malloc.tcache_count=512), closer to the per-CPU
# buckets of the UMA zones behind FreeBSD's malloc(9), which hold hundreds
# of items.
#
# Usage: bash devtools/bench-mtag.sh [BUILD_DIR] [RUNS]
# MTAG_ARGS adds arguments of the command (e.g. MTAG_ARGS="--burst 256").
set -u
cd "$(dirname "$0")/.."
. devtools/bench-lib.sh
bench_args mbuf_extension_mtag "$@"
eal="--no-huge -m 256 --no-pci --no-shconf --file-prefix bench_mtag -l 1"
eal="$eal --log-level=lib.eal:error"
args=${MTAG_ARGS:-}

# One run per line: "run N: lib T A, handler T A, cycles ..."
series() { # label, GLIBC_TUNABLES value (empty: unset)
	local label=$1 tun=${2:+GLIBC_TUNABLES=$2} i out rc=0
	echo "--- $label: ${tun:+$tun }$bench $eal -- $args"
	for i in $(seq 1 "$runs"); do
		out=$(env -u GLIBC_TUNABLES $tun $bench $eal -- $args 2>&1) ||
			rc=1
		echo "$out" | awk -v run="$i" '
			/^cycles per packet/ { t = 1; next }
			/^$/ { t = 0 }
			t && /^no tag  / { none = $NF }
			t && /^no tag, handler pool/ { noneh = $NF }
			t && /^extension, library free/ { ext = $NF }
			t && /^extension, handler pool/ { exth = $NF }
			t && /^m_tag/ { mtag = $NF }
			/^ratio: m_tag \/ extension, library free/ {
				lt = $(NF - 2); la = $NF }
			/^ratio: m_tag \/ extension, handler pool/ {
				ht = $(NF - 2); ha = $NF }
			END { printf "run %d: library-total %s library-added " \
				"%s handler-total %s handler-added %s " \
				"(cycles/pkt: no tag %s/%s, extension %s/%s, " \
				"m_tag %s; plain/handler pool)\n", run, lt, la,
				ht, ha, none, noneh, ext, exth, mtag }' |
			tee -a "$tmp.$label"
		[ $rc -eq 0 ] || { echo "$out" | tail -12; return 1; }
	done
	distributions "$tmp.$label" "$label" library-total library-added \
		handler-total handler-added
}

bench_start
rc=0
series glibc-default "" || rc=1
series tcache-512 glibc.malloc.tcache_count=512 || rc=1
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "summary, m_tag / extension (goal: >= 5x, as medians; library:"
echo "opted-in pool and library free; handler: mbuf_ext handler pool;"
echo "added: over no tag on the same pool):"
cat "$tmp.summary"
exit $rc
