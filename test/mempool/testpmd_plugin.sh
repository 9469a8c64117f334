#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Unmodified dpdk-testpmd with the mbuf_ext mempool handler and the
# testpmd plugin (app/testpmd/plugin) loaded with -d: every received
# packet gets an extension, every transmitted one is checked, the PMD
# frees them and only the handler releases the blocks.
#
# Runs, on two net_null ports with --total-num-mbufs=16384:
# - io and mac forwarding, each with the default cached pool and with
#   --mbcache=0 (interactive: start, stop, telemetry, dump_mempool, quit).
#   The plugin's final line must show packets checked, as many as testpmd
#   forwarded and as the plugin tagged, no mismatch, nothing missing or
#   early, no add failure, no block in use; its telemetry the same after
#   stop; the mbuf pool must be full after stop. In mac mode testpmd
#   rewrites ol_flags, which hides every tag: all are "hidden", none
#   missing. The io cached run also restarts the ports with 2 queues each
#   and forwards again;
# - a negative run: MBUF_EXT_TESTPMD_CORRUPT corrupts one tag on RX, which
#   must be reported as exactly one mismatch;
# - without --mbuf-pool-ops-name the plugin must tag nothing and say why;
# - non-interactive, --tx-first, forwarding started at once and stopped by
#   SIGINT: nothing missing, no mismatch, no block in use.
# Runs use --no-flush-rx, except mac_cache: otherwise each start drains
# every RX queue on the main lcore (net_null never runs dry, so until the
# drain's timer expires): packets the plugin tags and testpmd frees
# without sending them, so that more are tagged than checked there.
#
# Usage: testpmd_plugin.sh <librte_mempool_mbuf_ext.so>
#        <librte_mbuf_ext_testpmd.so> <librte_mbuf_extension.so> [prefix]

HANDLER=$1
PLUGIN=$2
LIB=$3
PREFIX=${4:-testpmd_plugin}
TESTPMD=${TESTPMD:-dpdk-testpmd}
NB_MBUFS=16384
fail=0

for f in "$HANDLER" "$PLUGIN" "$LIB"; do
	[ -f "$f" ] || { echo "no $f"; exit 1; }
done
command -v "$TESTPMD" >/dev/null || { echo "no $TESTPMD: skipped"; exit 77; }
have_python=1
command -v python3 >/dev/null || have_python=0

WORK=$(mktemp -d)
PRIVS=
cleanup() {
	rm -rf "$WORK"
	for d in $PRIVS; do rm -rf "$d"; done
}
trap cleanup EXIT
# The plugins need librte_mbuf_extension from the build, wherever they
# are loaded from.
LIBDIR=$(dirname "$(readlink -f "$LIB")")
LD_LIBRARY_PATH=$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH

# EAL refuses a -d plugin below a world-writable directory (a clone in
# /tmp); load private copies then.
private() {
	p=$(sh "$(dirname "$0")/../../devtools/private-plugin.sh" "$1") || {
		echo "$1 is below a world-writable directory, which EAL" \
			"refuses for -d, and no private copy could be made" >&2
		exit 1
	}
	[ "$p" != "$1" ] && PRIVS="$PRIVS $(dirname "$p")"
	echo "$p"
}
HANDLER=$(private "$HANDLER") || exit $?
PLUGIN=$(private "$PLUGIN") || exit $?
[ -n "$PRIVS" ] && echo "loading copies from$PRIVS (EAL refuses" \
	"world-writable paths)"

# The EAL runtime directory of a file prefix (eal_get_runtime_dir()).
runtime_dir() {
	if [ "$(id -u)" -eq 0 ]; then
		echo "/var/run/dpdk/$1"
	else
		echo "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$1"
	fi
}

# Start testpmd in the background, its stdin a FIFO written through fd 3.
# Arguments: run name, then testpmd arguments after the EAL ones (the
# EAL arguments may be extended through EAL_EXTRA).
start_testpmd() {
	name=$1
	shift
	OUT=$WORK/$name.out
	RUN_PREFIX=${PREFIX}_$$_$name
	rm -f "$WORK/in"
	mkfifo "$WORK/in"
	"$TESTPMD" --no-huge -m 1024 --no-pci --no-shconf \
		--file-prefix "$RUN_PREFIX" --vdev net_null0 --vdev net_null1 \
		-l 0-1 -d "$HANDLER" -d "$PLUGIN" $EAL_EXTRA -- "$@" \
		<"$WORK/in" >"$OUT" 2>&1 &
	PID=$!
	exec 3>"$WORK/in"
	# Never hang the test: stop testpmd after 90 s whatever happens.
	(sleep 90; kill -TERM $PID) >/dev/null 2>&1 &
	WATCHDOG=$!
}

send() {
	echo "$*" >&3
}

# Wait until the output has at least $2 lines matching $1 (30 s at most).
# Only for the EAL log (the plugin's lines): testpmd's printf() output to
# a file is buffered until it exits.
wait_for() {
	i=0
	while [ "$(grep -c -- "$1" "$OUT")" -lt "${2:-1}" ]; do
		kill -0 $PID 2>/dev/null || return 1
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
	return 0
}

# Close stdin, wait for testpmd to exit; sets RC.
finish_testpmd() {
	exec 3>&-
	wait $PID
	RC=$?
	kill $WATCHDOG 2>/dev/null
	wait $WATCHDOG 2>/dev/null
	rmdir "$(runtime_dir "$RUN_PREFIX")" 2>/dev/null
}

# One telemetry command to the running testpmd; prints the JSON answer.
telemetry() {
	[ $have_python -eq 1 ] || return 1
	python3 - "$(runtime_dir "$RUN_PREFIX")/dpdk_telemetry.v2" $PID "$1" \
		<<-'EOF'
	import json, socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	s.settimeout(5)
	s.connect(sys.argv[1])
	if json.loads(s.recv(1024))["pid"] != int(sys.argv[2]):
	    sys.exit("another process owns " + sys.argv[1])
	s.send(sys.argv[3].encode())
	print(s.recv(16384).decode())
	EOF
}

# Value of "key N" in the plugin's final line, "none" if absent.
report_value() {
	grep "mbuf_ext_testpmd: rx tagged" "$OUT" | tail -1 |
		sed -n "s/.*[ :]$1 \([0-9]*\).*/\1/p" | grep . || echo none
}

# Sum of testpmd's accumulated TX-packets over all forwarding sessions.
tx_forwarded() {
	awk '/Accumulated forward statistics/ { acc = 1 }
		acc && /TX-packets:/ { n += $2; acc = 0 }
		END { print n + 0 }' "$OUT"
}

# mb_pool_0's common_pool_count in the last dump_mempool.
pool_count() {
	awk '/mempool <mb_pool_0>/ { p = 1 }
		p && /common_pool_count=/ { sub(/.*=/, ""); v = $0; p = 0 }
		END { print v == "" ? "none" : v }' "$OUT"
}

# A count above 0.
positive() {
	[ "$1" != none ] && [ "$1" -gt 0 ]
}

# Check a condition; on failure print what and mark the run failed.
check() { # description, condition...
	what=$1
	shift
	if ! "$@"; then
		echo "  FAIL: $what"
		run_fail=1
	fi
}

end_run() {
	if [ $run_fail -ne 0 ]; then
		echo "FAIL: $1"
		tail -30 "$OUT"
		fail=1
	else
		echo "PASS: $1"
	fi
}

# Fields of the final line, into variables.
read_report() {
	line=$(grep "mbuf_ext_testpmd: rx tagged" "$OUT" | tail -1)
	tagged=$(report_value "rx tagged")
	checked=$(report_value "tx checked")
	hidden=$(report_value hidden)
	mismatch=$(report_value mismatches)
	missing=$(report_value missing)
	early=$(report_value early)
	failed=$(report_value "add failures")
	in_use=$(report_value "blocks in use")
}

# An interactive run in a forwarding mode: start, stop, telemetry,
# dump_mempool, quit. $1 name, $2 mode, then more testpmd arguments.
# RECONFIG=1: a second session on 2 queues per port after a restart.
# FLUSH=1: without --no-flush-rx.
interactive_run() {
	name=$1
	mode=$2
	shift 2
	run_fail=0
	flush=--no-flush-rx
	fwd_secs=2
	if [ "${FLUSH:-0}" -eq 1 ]; then
		# The drain comes first: bounded to 1 s per queue and pass,
		# milliseconds with net_null (its timer grows quadratically).
		flush=
		fwd_secs=4
	fi
	start_testpmd "$name" -i --forward-mode="$mode" \
		--total-num-mbufs=$NB_MBUFS $flush "$@"
	# The callbacks are in place before forwarding starts.
	wait_for "mbuf_ext_testpmd: port 1: callbacks on 1 rx and 1 tx" ||
		{ echo "  no callbacks on port 1"; run_fail=1; }
	send start
	sleep $fwd_secs
	send stop
	sleep 1
	if [ "${RECONFIG:-0}" -eq 1 ]; then
		send port stop all
		send port config all rxq 2
		send port config all txq 2
		send port start all
		wait_for "mbuf_ext_testpmd: port 1: callbacks on 2 rx" ||
			{ echo "  no callbacks on the new queues"; run_fail=1; }
		send start
		sleep 2
		send stop
		sleep 1
	fi
	tel=$(telemetry /mbuf_ext_testpmd/stats) || tel=
	send dump_mempool
	send quit
	finish_testpmd
	read_report
	tx=$(tx_forwarded)
	pool=$(pool_count)
	echo "$name: exit $RC, testpmd forwarded $tx, pool $pool of" \
		"$NB_MBUFS after stop"
	echo "  ${line:-no report line}"
	check "exit status $RC" [ "$RC" -eq 0 ]
	check "packets checked" positive "$checked"
	check "checked $checked = forwarded $tx" [ "$checked" = "$tx" ]
	if [ "${FLUSH:-0}" -eq 1 ]; then
		check "tagged $tagged > checked $checked (drained at start)" \
			[ "$tagged" -gt "$checked" ]
	else
		check "tagged $tagged = checked $checked" \
			[ "$tagged" = "$checked" ]
	fi
	check "mismatches $mismatch" [ "$mismatch" = "${EXPECT_MISMATCH:-0}" ]
	check "missing $missing" [ "$missing" = 0 ]
	check "early $early" [ "$early" = 0 ]
	check "add failures $failed" [ "$failed" = 0 ]
	check "blocks in use $in_use" [ "$in_use" = 0 ]
	check "pool $pool after stop" [ "$pool" = "$NB_MBUFS" ]
	if [ "$mode" = mac ]; then
		check "mac: testpmd's ol_flags rewrite hides every tag" \
			[ "$hidden" = "$checked" ]
	else
		check "io: no tag hidden" [ "$hidden" = 0 ]
	fi
	check "handler selected" grep -q \
		"preferred mempool ops selected: mbuf_ext" "$OUT"
	if [ $have_python -eq 1 ]; then
		echo "  telemetry: ${tel:-no answer}"
		tel_checked=$(echo "$tel" |
			sed -n 's/.*"tx_checked":\([0-9]*\).*/\1/p')
		tel_in_use=$(echo "$tel" |
			sed -n 's/.*"blocks_in_use":\([0-9]*\).*/\1/p')
		check "telemetry tx_checked ${tel_checked:-none}" \
			[ "$tel_checked" = "$checked" ]
		check "telemetry blocks_in_use ${tel_in_use:-none}" \
			[ "$tel_in_use" = 0 ]
	else
		echo "  telemetry not queried: no python3"
	fi
	if [ -n "${EXPECT_MISMATCH:-}" ]; then
		check "first mismatch logged" \
			grep -q "mbuf_ext_testpmd: port .* first mismatch" \
			"$OUT"
	fi
	end_run "$name"
}

EAL_EXTRA="--mbuf-pool-ops-name mbuf_ext"
RECONFIG=1
interactive_run io_cache io
RECONFIG=0
interactive_run io_nocache io --mbcache=0
FLUSH=1
interactive_run mac_cache mac
FLUSH=0
interactive_run mac_nocache mac --mbcache=0

# The check can fail: one corrupted tag is one mismatch.
export MBUF_EXT_TESTPMD_CORRUPT=1000
EXPECT_MISMATCH=1
interactive_run corrupt_one io
unset MBUF_EXT_TESTPMD_CORRUPT EXPECT_MISMATCH

# No pool served by the handler: nothing tagged, and the plugin says why.
run_fail=0
EAL_EXTRA=
start_testpmd no_handler -i --total-num-mbufs=$NB_MBUFS --no-flush-rx
wait_for "no mbuf pool uses the mbuf_ext mempool handler" ||
	{ echo "  no warning"; run_fail=1; }
send start
sleep 1
send stop
sleep 1
send quit
finish_testpmd
read_report
echo "no_handler: exit $RC"
echo "  ${line:-no report line}"
check "exit status $RC" [ "$RC" -eq 0 ]
check "nothing tagged ($tagged)" [ "$tagged" = 0 ]
check "nothing checked ($checked)" [ "$checked" = 0 ]
end_run no_handler

# Forwarding starts at once, before the plugin's callbacks may be in
# place; the first packets (testpmd's --tx-first burst among them) may be
# early, none missing.
run_fail=0
EAL_EXTRA="--mbuf-pool-ops-name mbuf_ext"
start_testpmd auto_start --forward-mode=io --tx-first \
	--total-num-mbufs=$NB_MBUFS --no-flush-rx --stats-period 1
wait_for "mbuf_ext_testpmd: port 1: callbacks on 1 rx and 1 tx" &&
	sleep 2
kill -INT $PID
finish_testpmd
read_report
tx=$(tx_forwarded)
echo "auto_start: exit $RC, testpmd forwarded $tx"
echo "  ${line:-no report line}"
check "exit status $RC" [ "$RC" -eq 0 ]
check "packets checked" positive "$checked"
check "mismatches $mismatch" [ "$mismatch" = 0 ]
check "missing $missing" [ "$missing" = 0 ]
check "add failures $failed" [ "$failed" = 0 ]
check "blocks in use $in_use" [ "$in_use" = 0 ]
end_run auto_start

exit $fail
