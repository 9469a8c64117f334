#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# The gateway (secpath_gw) alone, scapy (gw_peer.py) as its IPsec peer on
# the ESP side and as the host on the clear side:
#
#   port 0  net_tap0  the ESP side (unprotected, -u), tap in its namespace
#   port 1  net_tap1  the clear side (protected), tap in another namespace
#   port 2  net_swipsec0 over net_tap0 (MODE inline: the ESP side then)
#
# STAGE checks: valid traffic, policies, tampered ICVs, unknown SPIs,
# truncated frames, replays, too-old numbers, policy violations, wrong SA
# (gw_peer.py); then SIGINT and the gateway's summary must count each bad
# packet under its reason (exact counts: gw_summary.py), show "blocks in
# use: 0", and the gateway exit 0. STAGE fuzz: thousands of garbage and
# mutated ESP frames, then valid traffic still passes, the gateway still
# runs and exits 0 with no block in use.
#
# GW_A=secgw (environment) runs unmodified ipsec-secgw instead (the
# harness's own test: the summary is then not checked, and ipsec-secgw
# 22.11 is known to crash in the fuzz stage).
#
# Usage: gw_peer.sh GW SWIPSEC_SO [PREFIX] [COUNT] [MODE] [STAGE] [FUZZ]
#   SWIPSEC_SO  librte_net_swipsec.so (inline mode only; else "-")
#   COUNT       good packets each way on each of 3 SA pairs (default 300)
#   MODE        lookaside (default: crypto_aesni_gcm), cpu (cpu-crypto),
#               inline (inline-crypto-offload on net_swipsec)
#   STAGE       checks (default) or fuzz; FUZZ frames (default 5000)
# GW_LOG=DIR keeps the gateway's output and configuration;
# GW_FUZZ_SEED=N another fuzz (default 1), GW_FUZZ_OPS (gw_peer.py).
# The counts of its telemetry (dpdk-telemetry.py), read before SIGINT,
# must be its summary's.
#
# Skips (77) without root, ip netns, /dev/net/tun or scapy (and make and
# the ipsec-secgw sources with GW_A=secgw). Everything it makes goes on
# every exit.

GW=$1
SO=${2:--}
PREFIX=${3:-gw_peer}
COUNT=${4:-300}
MODE=${5:-lookaside}
STAGE=${6:-checks}
FUZZ=${7:-5000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/netns.sh"

case $MODE in
lookaside) TYPE= ;;
cpu) TYPE=" type cpu-crypto" ;;
inline) TYPE=" type inline-crypto-offload port_id 2" ;;
*) echo "FAIL: MODE is lookaside, cpu or inline, not $MODE"; exit 1 ;;
esac
nl_check_gw "$GW" "$MODE" "$SO"
nl_need_netns
[ "${GW_A:-}" = secgw ] && nl_need_secgw
nl_need_scapy

ID=$$
NS_ESP=gwpe$ID NS_CLR=gwpc$ID NS_GW=gwpg$ID
IF_ESP=gwpu$ID IF_CLR=gwpp$ID
LOAD=
nl_cleanup_hook() {
	if [ -n "${GW_LOG:-}" ]; then
		mkdir -p "$GW_LOG"
		cp "$NL_TMP"/gw.log "$NL_TMP"/gw.cfg "$NL_TMP"/expect \
			"$NL_TMP"/telemetry "$GW_LOG" 2>/dev/null
	fi
	[ -n "$LOAD" ] && [ "$LOAD" != "$SO" ] && rm -rf "$(dirname "$LOAD")"
}
nl_trap
nl_tmp
TMP=$NL_TMP
nl_dpdk_prefix "$PREFIX"
nl_ns "$NS_ESP"
nl_ns "$NS_CLR"
# the gateway runs in a namespace of its own: its taps are made without
# IPv6, silent (the summary's counts are exact)
nl_ns "$NS_GW"
nl_link "$IF_ESP"
nl_link "$IF_CLR"

if [ "${GW_A:-}" = secgw ]; then
	nl_build_secgw
	EXE=$NL_SECGW NAME=ipsec-secgw READY="entering main loop"
else
	EXE=$GW NAME=secpath_gw READY="secpath_gw: forwarding"
fi

# The ports' MAC addresses and the peer's, the host's (gw_peer.py's
# frames to the gateway have them; its "neigh" lines are the latter).
MAC_CLR=02:00:00:00:00:01 MAC_HOST=02:00:00:00:00:02
MAC_ESP=02:00:00:00:00:03 MAC_PEER=02:00:00:00:00:04
K128=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:0a:0b:0c:0d
K256=21:22:23:24:25:26:27:28:29:2a:2b:2c:2d:2e:2f:30:31:32:33:34:35:36:37:38
K256=$K256:39:3a:3b:3c:3d:3e:3f:40:1a:1b:1c:1d
if [ "$MODE" = inline ]; then PE=2; else PE=0; fi
# SA pairs 5/6, 7/8 (tunnels to 172.16.1.5 and .6), 13/14 (transport);
# SA 17's tunnel end has no route. Inbound policies tell the SAs apart by
# the UDP destination port (5000 + SPI).
cat >"$TMP/gw.cfg" <<EOF
sp ipv4 out esp protect 5 pri 1 dst 192.168.2.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp protect 7 pri 1 dst 192.168.3.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp protect 13 pri 1 src 192.168.1.2/32 dst 192.168.6.2/32 sport 0:65535 dport 0:65535
sp ipv4 out esp protect 17 pri 1 dst 192.168.10.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp bypass pri 1 dst 192.168.9.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp discard pri 1 dst 192.168.8.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 6 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5006:5006
sp ipv4 in esp protect 8 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5008:5008
sp ipv4 in esp protect 14 pri 1 src 192.168.6.2/32 dst 192.168.1.2/32 sport 0:65535 dport 5014:5014
sp ipv4 in esp bypass pri 1 dst 192.168.1.0/24 sport 0:65535 dport 6000:6000
sp ipv4 in esp discard pri 1 dst 192.168.1.0/24 sport 0:65535 dport 6001:6001
sa out 5 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.5$TYPE
sa in 6 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.5 dst 172.16.1.1$TYPE
sa out 7 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.6$TYPE
sa in 8 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.6 dst 172.16.1.1$TYPE
sa out 13 aead_algo aes-128-gcm aead_key $K128 mode transport$TYPE
sa in 14 aead_algo aes-128-gcm aead_key $K128 mode transport$TYPE
sa out 17 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.1 dst 172.30.0.1$TYPE
rt ipv4 dst 172.16.1.0/24 port $PE
rt ipv4 dst 192.168.6.0/24 port $PE
rt ipv4 dst 192.168.9.0/24 port $PE
rt ipv4 dst 192.168.1.0/24 port 1
neigh port $PE $MAC_PEER
neigh port 1 $MAC_HOST
EOF

EAL="--no-huge -m 512 --no-pci --no-shconf --log-level=lib.eal:error"
TAPS="--vdev net_tap0,iface=$IF_ESP,mac=$MAC_ESP"
TAPS="$TAPS --vdev net_tap1,iface=$IF_CLR,mac=$MAC_CLR"
if [ "$MODE" = inline ]; then
	# EAL refuses a -d plugin below a world-writable directory: a
	# private copy then; the project's libraries it links are found
	# beside the original, in the build directory.
	LOAD=$(sh "$HERE/../../devtools/private-plugin.sh" "$SO") ||
		{ echo "FAIL: no private copy of $SO for EAL's -d"; exit 1; }
	LIBS=$(cd "$(dirname "$SO")" && pwd)
	nl_start "$NAME" "$TMP/gw.log" ip netns exec "$NS_GW" \
		env LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
		"$EXE" $EAL --file-prefix "$PREFIX" -l 1 -d "$LOAD" $TAPS \
		--vdev net_swipsec0,port=net_tap0 \
		-- -p 0x6 -u 0x4 -P -l -w 64 --config "(2,0,1),(1,0,1)" \
		-f "$TMP/gw.cfg" ${GW_ARGS:-}
else
	nl_start "$NAME" "$TMP/gw.log" ip netns exec "$NS_GW" \
		"$EXE" $EAL --file-prefix "$PREFIX" \
		-l 1 --vdev crypto_aesni_gcm0 $TAPS \
		-- -p 0x3 -u 0x1 -P -l -w 64 --config "(0,0,1),(1,0,1)" \
		-f "$TMP/gw.cfg" ${GW_ARGS:-}
fi
PID=$NL_PID
nl_wait_log "$PID" "$TMP/gw.log" "$READY" "$NAME"

nl_into_ns "$IF_ESP" "$NS_ESP" "$NS_GW"
nl_into_ns "$IF_CLR" "$NS_CLR" "$NS_GW"

fail=0
if [ "${GW_A:-}" = secgw ]; then TARGET=secgw; else TARGET=gw; fi
nl_run ip netns exec "$NS_ESP" "$NL_PY" "$HERE/gw_peer.py" --esp-if "$IF_ESP" \
	--clr-if "$IF_CLR" --clr-ns "$NS_CLR" --count "$COUNT" \
	--stage "$STAGE" --fuzz "$FUZZ" --seed "${GW_FUZZ_SEED:-1}" \
	--target "$TARGET" --mode "$MODE" \
	--expect "$TMP/expect" --mac-esp "$MAC_ESP" --mac-clr "$MAC_CLR" \
	--mac-peer "$MAC_PEER" --mac-host "$MAC_HOST" || fail=1

if kill -0 "$PID" 2>/dev/null; then
	echo "ok: $NAME still runs"
else
	echo "FAIL: $NAME died"
	fail=1
fi
# Its telemetry, nothing moving: the same counts as its summary after.
TELEMETRY=$(command -v dpdk-telemetry.py)
if [ "$TARGET" = gw ] && [ -n "$TELEMETRY" ]; then
	printf '/secpath_gw/drops\n/secpath_gw/sa\n/secpath_gw/sp\n' |
		"$NL_PY" "$TELEMETRY" -f "$PREFIX" >"$TMP/telemetry" 2>&1
fi
nl_stop "$PID" "$NAME"
rc=$?
[ $rc -eq 0 ] && echo "ok: $NAME exits 0" ||
	{ echo "FAIL: $NAME exit status $rc"; fail=1; }
if [ "$TARGET" = gw ]; then
	if [ -n "$TELEMETRY" ]; then
		"$NL_PY" "$HERE/gw_summary.py" "$TMP/gw.log" -t \
			"$TMP/telemetry" || fail=1
	fi
	if [ "$STAGE" = checks ]; then
		"$NL_PY" "$HERE/gw_summary.py" "$TMP/gw.log" -f "$TMP/expect" ||
			fail=1
	else
		"$NL_PY" "$HERE/gw_summary.py" "$TMP/gw.log" \
			"drops | nomem=0 tx_full=0" || fail=1
	fi
fi
if [ $fail -ne 0 ]; then
	tail -40 "$TMP/gw.log"
	echo "FAIL: gw_peer ($MODE, $STAGE)"
else
	echo "PASS: gw_peer ($MODE, $STAGE)"
fi
exit $fail
