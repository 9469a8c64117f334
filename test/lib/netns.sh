# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Shell helpers of the on-the-wire tests (DPDK ports on net_tap, the taps
# in network namespaces, scapy at the other ends), sourced with ". FILE":
#
#   nl_skip REASON           print "skipped: REASON", exit 77
#   nl_need_netns            skip without root, ip, namespaces, /dev/net/tun
#   nl_need_secgw            skip without make, libdpdk or the sources
#   nl_need_scapy            skip without scapy for $NL_PY
#   nl_check_gw GW MODE SO   fail without the gateway executable GW
#                            (unless GW_A=secgw) or, in MODE inline, the
#                            net_swipsec driver SO
#   nl_ns NAME               make a namespace without IPv6, removed on exit
#   nl_link NAME             a link removed on exit (if still there)
#   nl_tmp                   NL_TMP: a temporary directory, removed on exit
#   nl_build_secgw           build ipsec-secgw into NL_SECGW (in NL_TMP)
#   nl_start NAME LOG CMD... run CMD in the background, output to LOG;
#                            NL_PID is its pid, stopped on exit
#   nl_run CMD...            run CMD (stopped on exit), its exit status
#   nl_dpdk_prefix PREFIX    EAL's runtime directory of --file-prefix
#                            PREFIX, removed on exit
#   nl_wait_log PID LOG PATTERN NAME   wait (30 s) for PATTERN in LOG
#   nl_stop PID NAME         SIGINT, wait 10 s; its exit status (KILL: 137)
#   nl_into_ns IF NS [FROM]  move IF (in namespace FROM) into NS, no IPv6,
#                            up
#   nl_cleanup               everything above, on EXIT (nl_trap)
#
# Names made with $$ are unique per run; everything made is removed on
# every exit (nl_trap installs the traps). A script with more to remove
# defines nl_cleanup_hook, run first.

NL_PY=${SCAPY_PYTHON:-/usr/bin/python3}
NL_SECGW_SRC=${SECGW_SRC:-/usr/share/dpdk/examples/ipsec-secgw}
NL_NSS=
NL_LINKS=
NL_PIDS=
NL_TMP=

nl_skip() { echo "skipped: $*"; exit 77; }

nl_need_netns() {
	[ "$(id -u)" = 0 ] || nl_skip "needs root (network namespaces, taps)"
	command -v ip >/dev/null || nl_skip "no ip command (iproute2)"
	[ -c /dev/net/tun ] || nl_skip "no /dev/net/tun for net_tap"
}

nl_need_secgw() {
	command -v make >/dev/null || nl_skip "no make to build ipsec-secgw"
	command -v pkg-config >/dev/null && pkg-config --exists libdpdk ||
		nl_skip "no libdpdk pkg-config to build ipsec-secgw"
	[ -f "$NL_SECGW_SRC/Makefile" ] ||
		nl_skip "no ipsec-secgw sources in $NL_SECGW_SRC (dpdk-doc)"
}

nl_need_scapy() {
	"$NL_PY" -c 'import scapy.layers.ipsec' 2>/dev/null ||
		nl_skip "no scapy for $NL_PY (python3-scapy)"
}

nl_check_gw() {
	if [ "${GW_A:-}" != secgw ] && [ ! -x "$1" ]; then
		echo "FAIL: no gateway executable $1"
		exit 1
	fi
	if [ "$2" = inline ] && [ ! -f "$3" ]; then
		echo "FAIL: inline mode needs net_swipsec, no $3"
		exit 1
	fi
}

nl_tmp() { NL_TMP=$(mktemp -d); }

nl_ns() {
	ip netns add "$1" || nl_skip "cannot create network namespace $1"
	NL_NSS="$NL_NSS $1"
	ip netns exec "$1" true 2>/dev/null ||
		nl_skip "ip netns exec does not work here (a chroot whose / is not a mount point?)"
	ip netns exec "$1" ip link set lo up
	# no IPv6 chatter from its interfaces (a tap made there, by a DPDK
	# process run in it, is silent from its start)
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

nl_link() { NL_LINKS="$NL_LINKS $1"; }

NL_PREFIXES=
nl_dpdk_prefix() { NL_PREFIXES="$NL_PREFIXES $1"; }

nl_build_secgw() {
	echo "building ipsec-secgw from $NL_SECGW_SRC"
	cp -r "$NL_SECGW_SRC" "$NL_TMP/secgw-src" &&
		make -C "$NL_TMP/secgw-src" -j2 >"$NL_TMP/make.log" 2>&1 || {
		tail -20 "$NL_TMP/make.log"
		echo "FAIL: ipsec-secgw build"
		exit 1
	}
	NL_SECGW=$NL_TMP/secgw-src/build/ipsec-secgw
}

nl_start() {
	log=$2	# $1: a name, for the reader
	shift 2
	"$@" >"$log" 2>&1 &
	NL_PID=$!
	NL_PIDS="$NL_PIDS $NL_PID"
}

# nl_run CMD...: CMD in the background, waited for: a signal to the script
# is taken at once (its trap stops CMD too). Returns CMD's exit status.
nl_run() {
	"$@" &
	nl_run_pid=$!
	NL_PIDS="$nl_run_pid $NL_PIDS"
	wait "$nl_run_pid"
}

nl_wait_log() {
	i=0
	until grep -q "$3" "$2" 2>/dev/null; do
		if ! kill -0 "$1" 2>/dev/null || [ $i -ge 300 ]; then
			tail -40 "$2"
			echo "FAIL: $4 did not start"
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "$4 runs (pid $1)"
}

nl_stop() {
	kill -INT "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "FAIL: $2 still running 10 s after SIGINT"
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1"
}

nl_into_ns() {
	ip ${3:+-n "$3"} link set "$1" netns "$2" &&
	ip netns exec "$2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip netns exec "$2" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
	ip netns exec "$2" sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" &&
	ip netns exec "$2" ip link set "$1" up || {
		echo "FAIL: $1 into namespace $2"
		exit 1
	}
}

nl_cleanup() {
	command -v nl_cleanup_hook >/dev/null && nl_cleanup_hook
	for p in $NL_PIDS; do
		kill -0 "$p" 2>/dev/null || continue
		kill -TERM "$p" 2>/dev/null
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
	done
	for n in $NL_NSS; do
		ip netns del "$n" 2>/dev/null
	done
	for l in $NL_LINKS; do
		ip link del "$l" 2>/dev/null
	done
	[ -n "$NL_TMP" ] && rm -rf "$NL_TMP"
	for p in $NL_PREFIXES; do
		rm -rf "${XDG_RUNTIME_DIR:-/var/run}/dpdk/$p"
	done
}

nl_trap() {
	trap nl_cleanup EXIT
	trap 'exit 1' INT TERM
}
