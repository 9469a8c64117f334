#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Unmodified dpdk-testpmd forwards between two net_null ports on an mbuf
# pool served by the mbuf_ext handler, loaded with -d and chosen with
# --mbuf-pool-ops-name. For each forwarding mode: the handler is
# selected, packets are forwarded, and once forwarding stops the pool is
# full again (nothing lost or kept by the handler).
#
# Usage: testpmd_mbuf_ext.sh <librte_mempool_mbuf_ext.so> [file prefix]

SO=$1
PREFIX=${2:-testpmd_mbuf_ext}
TESTPMD=${TESTPMD:-dpdk-testpmd}
NB_MBUFS=16384
fail=0

[ -f "$SO" ] || { echo "no handler $SO"; exit 1; }
command -v "$TESTPMD" >/dev/null || { echo "no $TESTPMD: skipped"; exit 77; }
OUT=$(mktemp)
PRIV=
trap 'rm -f "$OUT"; [ -n "$PRIV" ] && rm -rf "$PRIV"' EXIT

# EAL refuses a -d plugin below a world-writable directory (a clone in
# /tmp); load a private copy then. librte_mbuf_extension is still found
# through LD_LIBRARY_PATH, which meson test sets.
LOAD=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$SO") || {
	echo "$SO is below a world-writable directory, which EAL" \
		"refuses for -d, and no private copy could be made: skipped"
	exit 77
}
if [ "$LOAD" != "$SO" ]; then
	PRIV=$(dirname "$LOAD")
	echo "loading a copy of $SO from $PRIV (EAL refuses world-writable paths)"
	SO=$LOAD
fi

for mode in io mac; do
	{ sleep 2; echo "start tx_first"; sleep 2; echo "stop"; sleep 1;
	  echo "dump_mempool"; sleep 1; echo "quit"; } |
	timeout 60 "$TESTPMD" --no-huge -m 1024 --no-pci --no-shconf \
		--file-prefix "$PREFIX" --vdev net_null0 --vdev net_null1 \
		-l 0-1 -d "$SO" --mbuf-pool-ops-name mbuf_ext -- -i \
		--forward-mode=$mode --total-num-mbufs=$NB_MBUFS > "$OUT" 2>&1
	rc=$?
	tx=$(awk '/Accumulated forward statistics/ { acc = 1 }
		acc && /TX-packets:/ { print $2; exit }' "$OUT")
	pool=$(awk '/mempool <mb_pool_0>/ { p = 1 }
		p && /common_pool_count=/ { sub(/.*=/, ""); print; exit }' \
		"$OUT")
	echo "$mode: exit $rc, forwarded TX-packets ${tx:-none}," \
		"pool count after stop ${pool:-none} of $NB_MBUFS"
	if [ $rc -ne 0 ] ||
	   ! grep -q "preferred mempool ops selected: mbuf_ext" "$OUT" ||
	   ! grep -q "ops_name: <mbuf_ext>" "$OUT" ||
	   [ "${tx:-0}" -le 0 ] || [ "${pool:-0}" -ne $NB_MBUFS ]; then
		echo "FAIL: $mode"
		tail -20 "$OUT"
		fail=1
	else
		echo "PASS: $mode"
	fi
done
exit $fail
