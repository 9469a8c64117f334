#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# DPDK's own inline_ipsec_autotest (dpdk-test, Debian package dpdk) on a
# net_swipsec port: port 0 must be the port (the test hard-codes it), so
# its --vdev comes first and names a backend of a later --vdev (net_tap:
# the test asks for the RX checksum offloads, which net_null and net_ring
# lack). The test runs with lpbk_mode = 1, the port's loopback.
#
# Usage: inline_ipsec_autotest.sh LIBRTE_NET_SWIPSEC.so [FILE_PREFIX]
# Fails if a case of PASSING below does not pass; prints every case as
# passed, skipped or failed (table: doc/guides/sw_inline_ipsec.rst).
# Skips (77) without dpdk-test, root or /dev/net/tun.
SO=$1
PREFIX=${2:-inline_ipsec_autotest}
DPDK_TEST=${DPDK_TEST:-dpdk-test}
[ -f "$SO" ] || { echo "no driver $SO"; exit 1; }
command -v "$DPDK_TEST" >/dev/null || { echo "no $DPDK_TEST: skipped"; exit 77; }
[ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] ||
	{ echo "net_tap needs root and /dev/net/tun: skipped"; exit 77; }

# The cases that pass today (numbers of the 22.11.11 suite).
PASSING="19 21 30 38 41 46 47 48 49 50 52 53 56 57 60 61 64 65 68 69 72 73 74"

LOAD=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$SO") ||
	{ echo "no private copy of $SO for EAL's -d: skipped"; exit 77; }
OUT=$(mktemp)
trap 'rm -f "$OUT" "$OUT.cases"; [ "$LOAD" = "$SO" ] || rm -rf "$(dirname "$LOAD")"' EXIT
trap 'exit 1' INT TERM
# the project's libraries the driver links
export LD_LIBRARY_PATH="$(dirname "$SO")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
iface="swia$$"
echo inline_ipsec_autotest | timeout 100 "$DPDK_TEST" --no-huge -m 1024 \
	--no-pci --no-shconf --file-prefix "$PREFIX" -l 0-1 -d "$LOAD" \
	--vdev net_swipsec0,port=net_tap0 --vdev "net_tap0,iface=$iface" \
	>"$OUT" 2>&1
rc=$?
grep -E "^ \+ Tests (Total|Skipped|Passed|Failed)" "$OUT"
# "... + TestCase [ 7] : name result"
sed -n 's/.*TestCase \[ *\([0-9]*\)\] : \(.*\) \(succeeded\|failed\|skipped\)$/\1|\3|\2/p' \
	"$OUT" >"$OUT.cases"
fail=0
n=$(wc -l <"$OUT.cases")
[ "$n" -eq 93 ] || { echo "FAIL: $n cases reported, 93 expected (rc $rc)"; tail -20 "$OUT"; fail=1; }
# A crash after the last case (a signal: rc above 128) fails too.
[ "$rc" -le 128 ] || { echo "FAIL: dpdk-test ended by signal $((rc - 128))"; tail -20 "$OUT"; fail=1; }
for c in $PASSING; do
	r=$(awk -F'|' -v c="$c" '$1 == c { print $2 }' "$OUT.cases")
	if [ "$r" != succeeded ]; then
		echo "FAIL: case $c: ${r:-not run}: $(awk -F'|' -v c="$c" '$1 == c { print $3 }' "$OUT.cases")"
		fail=1
	fi
done
awk -F'|' -v p=" $PASSING " '$2 == "succeeded" && index(p, " " $1 " ") == 0 {
	print "new pass (add it to PASSING): " $1 " " $3 }' "$OUT.cases"
awk -F'|' '{ printf "  %2d %-9s %s\n", $1, $2, $3 }' "$OUT.cases"
rm -f "$OUT.cases"
[ $fail -eq 0 ] && echo "inline_ipsec_autotest: the $(echo $PASSING | wc -w) cases that pass today pass"
exit $fail
