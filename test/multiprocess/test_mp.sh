#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Extensions across processes: mbext-test's suite mp_primary and, once
# the primary is ready, mp_secondary, as the primary and a secondary
# process of one EAL file prefix (test/multiprocess/test_mp.c).
#
# A secondary needs hugepages. As root, this script mounts a private
# hugetlbfs (2 MB pages) under a temporary directory, raises
# vm.nr_hugepages if fewer than NEED pages are free, and on any exit
# unmounts it (which frees the pages the processes left in it) and puts
# nr_hugepages back as it found it. Without root or hugetlbfs it skips
# (77), saying why.
#
# While the primary holds the plain secondary's mbufs, check_telemetry.py
# reads its telemetry with DPDK's dpdk-telemetry.py (library, handler and
# secpath commands) and checks the counts it must show.
#
# Every process runs under timeout(1), and each waits for its peer at
# most 20 s per message: a crash of one cannot leave the other hanging.
# Runs of this test on one machine take turns (flock).
#
# Usage: test_mp.sh <mbext-test> [file prefix]

TEST=$1
PREFIX=${2:-mbext_mp}_$$
NEED=${MBEXT_MP_HUGEPAGES:-64}

[ -x "$TEST" ] || { echo "no $TEST"; exit 1; }
. "$(dirname "$0")/hugepages.sh"
PPID_=
SPID_=
cleanup() {
	stop_procs $PPID_ $SPID_
	huge_release
	rm -rf "/var/run/dpdk/$PREFIX"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
huge_reserve $NEED
echo "file prefix $PREFIX"

EAL="--file-prefix $PREFIX --huge-dir $HUGE --no-pci \
	--log-level=lib.eal:error"

# A fixed base address for the primary's memory, where nothing else maps:
# a secondary must map it at the same address, and under ASan the address
# the primary would otherwise get may already be taken in the secondary
# ("Cannot get a virtual area at requested address").
# The primary keeps its telemetry socket (read below); the secondaries
# have none.
timeout -s KILL 90 "$TEST" -l 0 -m 64 --proc-type=primary $EAL \
	--base-virtaddr 0x200000000000 -- mp_primary >"$WORK/primary.out" 2>&1 9>&- &
PPID_=$!
# The secondary may start once the primary has set everything up.
if ! wait_for "$WORK/primary.out" "mp_primary: ready for the secondary" \
		$PPID_; then
	echo "the primary did not get ready:"
	cat "$WORK/primary.out"
	exit 1
fi
timeout -s KILL 90 "$TEST" -l 1 --proc-type=secondary $EAL --no-telemetry \
	-- mp_secondary >"$WORK/secondary.out" 2>&1 9>&- &
SPID_=$!
wait $SPID_
src=$?
SPID_=
# Then a secondary that calls nothing of the library.
src2=1
trc=1
if ! wait_for "$WORK/primary.out" \
		"mp_primary: ready for the plain secondary" $PPID_; then
	echo "the primary did not get ready for the plain secondary"
else
	# The primary is running and holds MP_NB (64) handler mbufs with a
	# block each; the secondary imported 64 packets by SPI before.
	# Within the primary's 20 s wait for the plain secondary.
	timeout -s KILL 12 /usr/bin/python3 "$(dirname "$0")/check_telemetry.py" \
		"$PREFIX" 64 mbext_mp_handler 64 >"$WORK/telemetry.out" 2>&1 9>&-
	trc=$?
	timeout -s KILL 60 "$TEST" -l 1 --proc-type=secondary $EAL --no-telemetry \
		-- mp_secondary_plain >"$WORK/secondary_plain.out" 2>&1 9>&- &
	SPID_=$!
	wait $SPID_
	src2=$?
	SPID_=
fi
wait $PPID_
prc=$?
PPID_=
echo "---- primary (exit $prc)"
cat "$WORK/primary.out"
echo "---- secondary (exit $src)"
cat "$WORK/secondary.out"
echo "---- plain secondary (exit $src2)"
cat "$WORK/secondary_plain.out" 2>/dev/null
echo "---- dpdk-telemetry.py while the primary runs (exit $trc)"
cat "$WORK/telemetry.out" 2>/dev/null
left=$(ls "$HUGE" | wc -l)
echo "---- $left hugepage files left by the processes (freed on unmount)"
[ $prc -eq 0 ] && [ $src -eq 0 ] && [ $src2 -eq 0 ] && [ $trc -eq 0 ] &&
	exit 0
exit 1
