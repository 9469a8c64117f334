#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Benchmark command (not a test): the IPsec figures as distributions.
# Runs app/sw_inline_bench RUNS times (each run alternates its six paths
# round by round: inline crypto, inline protocol and lookaside
# crypto_aesni_gcm, encrypt and decrypt, at 64/512/1400 bytes) and prints,
# per path and size, min / median / max over the runs of Mpps and of the
# ratio to lookaside of the same run. Then app/secpath_bench RUNS times:
# min / median / max of each line's ratio to its baseline.
#
# Usage: devtools/bench-ipsec.sh [build dir] [runs] [lcore]
BUILD=${1:-build}
RUNS=${2:-5}
LCORE=${3:-1}
EAL="--no-huge -m 1024 --no-pci --no-shconf -l $LCORE --log-level=lib.eal:error"
SWI=$BUILD/app/sw_inline_bench/sw_inline_bench
SPB=$BUILD/app/secpath_bench/secpath_bench
[ -x "$SWI" ] && [ -x "$SPB" ] || { echo "build first: $SWI, $SPB" >&2; exit 1; }
export LD_LIBRARY_PATH=$(readlink -f "$BUILD")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)," \
	"$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$(dirname "$0")/.." describe --always --dirty 2>/dev/null)"
echo "command: $0 $BUILD $RUNS $LCORE"
for r in $(seq "$RUNS"); do
	"$SWI" $EAL --file-prefix bench_ipsec_$$ --vdev crypto_aesni_gcm0 \
		> "$TMP/swi.$r" 2>&1 || { cat "$TMP/swi.$r"; exit 1; }
	"$SPB" $EAL --file-prefix bench_ipsec_$$ > "$TMP/spb.$r" 2>&1 ||
		{ cat "$TMP/spb.$r"; exit 1; }
done
echo "sw_inline_bench, one run:"
sed -n '/^size/,$p' "$TMP/swi.1"
echo "secpath_bench, one run:"
cat "$TMP/spb.1" | grep -v "^EAL\|^TELEMETRY"
/usr/bin/python3 - "$TMP" "$RUNS" <<'PY'
import re, statistics, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
def mmm(v):
    return "%.2f / %.2f / %.2f" % (min(v), statistics.median(v), max(v))
rows = {}
for r in range(1, runs + 1):
    for line in open("%s/swi.%d" % (tmp, r)):
        f = line.split()
        if len(f) == 7 and f[0].isdigit() and f[1] in ("encrypt", "decrypt"):
            rows.setdefault((int(f[0]), f[1], f[2]), []).append(
                (float(f[3]), float(f[6].rstrip("x"))))
print("\nsw_inline_bench over %d runs: Mpps min / median / max;"
      " ratio to lookaside min / median / max" % runs)
for k in sorted(rows):
    v = rows[k]
    print("%5d %-8s %-13s %s   %s" % (k[0], k[1], k[2],
          mmm([a for a, _ in v]), mmm([b for _, b in v])))
ratios = {}
for r in range(1, runs + 1):
    for line in open("%s/spb.%d" % (tmp, r)):
        m = re.search(r"\sx([0-9.]+)\s", line)
        if m:
            ratios.setdefault(line[:41].strip(), []).append(
                float(m.group(1)))
print("\nsecpath_bench over %d runs: ratio to the baseline min / median /"
      " max" % runs)
for k, v in ratios.items():
    print("  %-45s %s" % (k[:45], mmm(v)))
PY
