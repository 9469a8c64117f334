#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# dpdk-pdump (the Debian package's, unmodified) captures the ports of the
# forwarding demo while every packet carries an extension, with the
# demo as the primary process (--pdump: rte_pdump_init()) and dpdk-pdump
# as a secondary. pdump copies each captured packet with
# rte_pktmbuf_copy(), reference field and flag included, into its own
# pool, and frees the copies in its own process: the copies must neither
# see nor release blocks.
#
# For each demo pool (handler: packets go out and come back with their
# extension; opt-in: the extension is released before TX), the demo
# forwards while pdump captures both ports (2 s once packets reach the
# capture files), then stops forwarding (SIGUSR1), compares
# the blocks in use with the packets waiting in its rings and drains them
# (capture still running), and waits; pdump is stopped, then the demo,
# which checks that no block or mbuf is left in use. Checked: both exit
# 0, the demo says PASS, pdump dequeued packets, wrote every one, and the
# capture files hold them all (pdump's PMD frees each copy once written).
# The files may hold more: pdump prints its counts before it drains its
# rings at exit (seen: 1024 more).
#
# DPDK requires the same mempool ops, in the same order, in every process
# (a pool records its ops as an index into each process's table, and the
# primary allocates the copies from pdump's pool): the demo and dpdk-pdump
# both load the handler with the same -d. (Measured: when only the demo
# had the handler, the demo called another driver's ops on pdump's pool.)
# dpdk-pdump's pool of copies is a ring pool whatever
# --mbuf-pool-ops-name says (same ops index with and without it). Needs hugepages (root): see
# hugepages.sh; skips without them or without dpdk-pdump.
#
# Usage: test_pdump.sh <mbuf_extension_demo> <librte_mempool_mbuf_ext.so>
#        [file prefix]

DEMO=$1
SO=$2
PREFIX=${3:-mbext_pdump}_$$
PDUMP=${PDUMP:-dpdk-pdump}

[ -x "$DEMO" ] && [ -f "$SO" ] || { echo "usage: $0 DEMO HANDLER_SO"; exit 1; }
. "$(dirname "$0")/hugepages.sh"
command -v "$PDUMP" >/dev/null || skip "no $PDUMP (Debian package dpdk)"
DPID=
PDPID=
PRIV=
cleanup() {
	stop_procs $DPID $PDPID
	huge_release
	[ -n "$PRIV" ] && rm -rf "$PRIV"
	rm -rf "/var/run/dpdk/$PREFIX"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
huge_reserve 160

LOAD=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$SO") ||
	skip "no private copy of $SO for -d (EAL refuses world-writable paths)"
[ "$LOAD" != "$SO" ] && PRIV=$(dirname "$LOAD")

# The ASan build's handler needs the ASan runtime first in dpdk-pdump,
# which is not instrumented.
PRELOAD=
asan=$(ldd "$SO" 2>/dev/null | awk '/libasan/ { print $3; exit }')
[ -n "$asan" ] && PRELOAD=$asan

# Records in a pcap file (24-byte header, 16 bytes before each packet).
pcap_count() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
try:
    d = open(sys.argv[1], 'rb').read()
except OSError:
    print(-1); sys.exit(0)
n, off = 0, 24
while off + 16 <= len(d):
    incl = struct.unpack_from('<I', d, off + 8)[0]
    off += 16 + incl
    n += 1
print(n)
PY
}

fail=0
for pool in handler opt-in; do
	out=$WORK/$pool
	mkdir "$out"
	# The primary's memory at a fixed base, where the secondary can map
	# it (under ASan the default may be taken in the secondary).
	timeout -s KILL 90 "$DEMO" -l 0-1 -m 96 --file-prefix "$PREFIX" \
		--huge-dir "$HUGE" --no-pci --log-level=lib.eal:error \
		--base-virtaddr 0x200000000000 -d "$LOAD" \
		--vdev net_ring0 --vdev net_ring1 -- --time 60 --pool $pool \
		--pdump --linger 30 >"$out/demo.out" 2>&1 9>&- &
	DPID=$!
	if ! wait_for "$out/demo.out" "^mbuf_extension_demo: ports" $DPID; then
		echo "$pool: the demo did not start"
		cat "$out/demo.out"
		fail=1
		continue
	fi
	# An lcore id of its own (2, on CPU 1): the demo's lcore 1 uses the
	# per-lcore cache of pdump's pool when it copies packets.
	LD_PRELOAD=$PRELOAD timeout -s KILL 60 "$PDUMP" --lcores 2@1 \
		--file-prefix "$PREFIX" \
		--huge-dir "$HUGE" --no-pci --log-level=lib.eal:error \
		-d "$LOAD" -- \
		--pdump "port=0,queue=*,rx-dev=$out/rx0.pcap,tx-dev=$out/tx0.pcap,ring-size=4096,total-num-mbufs=8191" \
		--pdump "port=1,queue=*,rx-dev=$out/rx1.pcap,tx-dev=$out/tx1.pcap,ring-size=4096,total-num-mbufs=8191" \
		>"$out/pdump.out" 2>&1 9>&- &
	PDPID=$!
	# Once packets reach the capture files (pdump's own output is
	# buffered), 2 s more; then SIGUSR1 stops the demo's forwarding, and
	# the demo checks and drains its rings while pdump still captures,
	# then lingers.
	i=0
	until [ "$(cat "$out"/*.pcap 2>/dev/null | wc -c)" -gt 65536 ]; do
		i=$((i + 1))
		if ! kill -0 $PDPID 2>/dev/null || [ $i -gt 300 ]; then
			echo "$pool: no packet captured in 30 s"
			break
		fi
		sleep 0.1
	done
	sleep 2
	kill -USR1 $(pgrep -P $DPID) 2>/dev/null
	wait_for "$out/demo.out" "^lingering" $DPID || true
	kill -INT $PDPID 2>/dev/null
	wait $PDPID
	prc=$?
	PDPID=
	kill -INT $DPID 2>/dev/null
	wait $DPID
	drc=$?
	DPID=
	deq=$(awk -F: '/packets dequeued/ { s += $2 } END { print s + 0 }' \
		"$out/pdump.out")
	sent=$(awk -F: '/packets transmitted to vdev/ { s += $2 }
		END { print s + 0 }' "$out/pdump.out")
	cap=0
	for f in rx0 tx0 rx1 tx1; do
		c=$(pcap_count "$out/$f.pcap")
		[ "$c" -gt 0 ] && cap=$((cap + c))
	done
	echo "---- $pool pool: demo exit $drc, dpdk-pdump exit $prc," \
		"dequeued $deq, written $sent, $cap packets in the capture files"
	grep -E "^(drained|handler pool|extension stats|checks|mbufs in use|blocks in use|FAIL|PASS)" \
		"$out/demo.out"
	if [ $drc -ne 0 ] || [ $prc -ne 0 ] ||
			! grep -q "^PASS" "$out/demo.out" ||
			[ "$deq" -le 0 ] || [ "$sent" -ne "$deq" ] ||
			[ "$cap" -lt "$deq" ]; then
		echo "FAIL: $pool"
		echo "-- demo"; tail -30 "$out/demo.out"
		echo "-- dpdk-pdump"; tail -30 "$out/pdump.out"
		fail=1
	fi
done
exit $fail
