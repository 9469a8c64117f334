#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Unmodified dpdk-testpmd forwards in io mode between net_swipsec0 and
# net_swipsec1, which wrap net_null0 and net_null1; the driver is loaded
# with -d. Checks: both wrappers probed and own their backends, testpmd
# sees and forwards on the wrappers only (ports 2 and 3, never the
# backends 0 and 1), both forward packets both ways, the wrappers report
# the driver's name, and closing them gives the backends back.
#
# Usage: testpmd_swipsec.sh <librte_net_swipsec.so> [file prefix]

SO=$1
PREFIX=${2:-testpmd_swipsec}
TESTPMD=${TESTPMD:-dpdk-testpmd}
fail=0

[ -f "$SO" ] || { echo "no driver $SO"; exit 1; }
command -v "$TESTPMD" >/dev/null || { echo "no $TESTPMD: skipped"; exit 77; }
# EAL refuses a -d plugin below a world-writable directory: load a private
# copy then (devtools/private-plugin.sh), removed on exit.
LOAD=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$SO") ||
	{ echo "no private copy of $SO for EAL's -d: skipped"; exit 77; }
OUT=$(mktemp)
trap 'rm -f "$OUT"; [ "$LOAD" = "$SO" ] || rm -rf "$(dirname "$LOAD")"' EXIT

{ sleep 2; echo "show port info 2"; echo "start tx_first"; sleep 2;
  echo "stop"; sleep 1; echo "quit"; } |
timeout 60 "$TESTPMD" --no-huge -m 1024 --no-pci --no-shconf \
	--file-prefix "$PREFIX" -l 0-1 -d "$LOAD" \
	--vdev net_null0 --vdev net_null1 \
	--vdev net_swipsec0,port=net_null0 --vdev net_swipsec1,port=net_null1 \
	--log-level=pmd.net.swipsec:info -- -i --forward-mode=io \
	--total-num-mbufs=16384 > "$OUT" 2>&1
rc=$?

# A count of testpmd's forward statistics of a port (RX-packets,
# TX-packets, TX-total, ...).
fwd() { # port, RX-packets|TX-packets|TX-total|...
	awk -v p="$1" -v k="$2:" '
		/Forward statistics for port/ { cur = $(NF - 1) }
		cur == p { for (i = 1; i < NF; i++)
			if ($i == k) { print $(i + 1); exit } }' "$OUT"
}
check() { # description, condition...
	d=$1; shift
	if "$@"; then
		echo "ok: $d"
	else
		echo "FAIL: $d"
		fail=1
	fi
}
has() { grep -q -- "$1" "$OUT"; }
hasnt() { ! grep -q -- "$1" "$OUT"; }
positive() { [ "${1:-0}" -gt 0 ] 2>/dev/null; }
# io mode sends on one port what the other received, after a first burst
# of 32 (tx_first): each port's TX-total (sent and dropped) is the other's
# RX-packets + 32 (on a busy machine there may be few, never none).
forwarded() { # rx of the other port, tx total of this one
	[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -eq $((${1:-0} + 32)) ]
}

check "testpmd exits 0 (exit $rc)" [ $rc -eq 0 ]
check "net_swipsec0 wraps port 0" has "net_swipsec0: port 2 wraps port 0"
check "net_swipsec1 wraps port 1" has "net_swipsec1: port 3 wraps port 1"
check "testpmd configures the wrappers" has "Configuring Port 3"
check "testpmd does not see the backends" hasnt "Configuring Port 0"
check "port 2 reports driver net_swipsec" has "Driver name: net_swipsec"
for p in 2 3; do
	o=$((5 - p))
	rx=$(fwd $o RX-packets) tx=$(fwd $p TX-packets)
	total=$(fwd $p TX-total)
	echo "port $o RX-packets ${rx:-none}; port $p TX-packets" \
		"${tx:-none}, TX-total ${total:-none}"
	check "port $p sends what port $o received" forwarded "$rx" "$total"
	check "port $p transmits" positive "$tx"
done
check "backend 0 given back at close" has "net_swipsec0: released backend port 0"
check "backend 1 given back at close" has "net_swipsec1: released backend port 1"
if [ $fail -ne 0 ]; then
	tail -40 "$OUT"
	echo "FAIL: swipsec_testpmd"
else
	echo "PASS: swipsec_testpmd"
fi
exit $fail
