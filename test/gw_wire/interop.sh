#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# The gateway under test (A: secpath_gw) against unmodified ipsec-secgw
# (B: DPDK's example, built here with make from dpdk-doc's sources,
# lookaside with crypto_aesni_gcm, one lcore), on the wire:
#
#   host A --- tap --- A --- tap ==bridge== tap --- B --- tap --- host B
#   (scapy)    clear        ESP  (wire ns, sniffed)  ESP       clear  (scapy)
#
# Each gateway has a clear (protected) port whose tap is in its host's
# namespace, and an ESP (unprotected, -u) port whose tap is in the wire
# namespace, where a Linux bridge joins the two. interop_peer.py sends
# clear UDP from host A, checks it at host B (contents, order, Ethernet
# addresses) and the ESP between (SPI, outer addresses, sequence numbers
# 1..COUNT, some decrypted by scapy), and the reverse, on 5 SA pairs:
# AES-GCM-128 and 256, IPv4 tunnel and transport, AES-GCM-128 IPv6 tunnel
# (IPv4 inside) (COUNT each way each).
#
# MODE lookaside: A's SAs lookaside-none on crypto_aesni_gcm; inline: A's
# SAs inline-crypto-offload on a net_swipsec port over its ESP tap (the
# driver loaded with -d). B is lookaside in both.
#
# GW_A=secgw (environment) runs ipsec-secgw as A too: the plumbing's own
# test, until secpath_gw exists (GW is then ignored, may be "secgw").
#
# Usage: interop.sh GW SWIPSEC_SO [PREFIX] [COUNT] [MODE]
#   GW          secpath_gw's executable
#   SWIPSEC_SO  librte_net_swipsec.so (inline mode only; else "-")
#   COUNT       packets each way on each SA pair (default 2000)
#   MODE        lookaside (default) or inline
# GW_LOG=DIR keeps both gateways' output.
#
# Skips (77) without root, ip netns, bridges, /dev/net/tun, make, the
# ipsec-secgw sources (dpdk-doc) or scapy. Everything it makes goes on
# every exit.

GW=$1
SO=${2:--}
PREFIX=${3:-gw_interop}
COUNT=${4:-2000}
MODE=${5:-lookaside}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/netns.sh"

case $MODE in
lookaside|inline) ;;
*) echo "FAIL: MODE is lookaside or inline, not $MODE"; exit 1 ;;
esac
nl_check_gw "$GW" "$MODE" "$SO"
nl_need_netns
nl_need_secgw
nl_need_scapy

ID=$$
NS_W=gwiw$ID NS_HA=gwia$ID NS_HB=gwib$ID
BR=gwbr$ID
IF_AE=gwae$ID IF_AC=gwac$ID IF_BE=gwbe$ID IF_BC=gwbc$ID
LOAD=
nl_cleanup_hook() {
	if [ -n "${GW_LOG:-}" ]; then
		mkdir -p "$GW_LOG"
		cp "$NL_TMP"/*.log "$NL_TMP"/*.cfg "$GW_LOG" 2>/dev/null
	fi
	[ -n "$LOAD" ] && [ "$LOAD" != "$SO" ] && rm -rf "$(dirname "$LOAD")"
}
nl_trap
nl_tmp
TMP=$NL_TMP
nl_dpdk_prefix "${PREFIX}_a"
nl_dpdk_prefix "${PREFIX}_b"
for n in "$NS_W" "$NS_HA" "$NS_HB"; do
	nl_ns "$n"
done
for l in "$IF_AE" "$IF_AC" "$IF_BE" "$IF_BC"; do
	nl_link "$l"
done
ip netns exec "$NS_W" ip link add "$BR" type bridge 2>/dev/null ||
	nl_skip "no Linux bridge support"
ip netns exec "$NS_W" ip link set "$BR" up

nl_build_secgw
SECGW=$NL_SECGW

# The MAC addresses: the gateways' ports (net_tap's mac=), the hosts'.
MAC_AE=02:0a:00:00:00:01 MAC_AC=02:0a:00:00:00:02
MAC_BE=02:0b:00:00:00:01 MAC_BC=02:0b:00:00:00:02
MAC_HA=02:0c:00:00:00:0a MAC_HB=02:0c:00:00:00:0b

# Keys end with the 4-byte salt (interop_peer.py has the same).
K128=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:0a:0b:0c:0d
K256=21:22:23:24:25:26:27:28:29:2a:2b:2c:2d:2e:2f:30:31:32:33:34:35:36:37:38
K256=$K256:39:3a:3b:3c:3d:3e:3f:40:1a:1b:1c:1d

# conf SIDE ESP_PORT CLR_PORT TYPE: one end's configuration. SA pair k
# (1..5) joins host A 10.1.k.2 and host B 10.2.k.2; SPI 10k+1 goes from A
# to B, 10k+2 from B to A. IPv4 tunnels between 172.16.0.1 (A) and .2
# (B), the IPv6 one (k = 5) between fd00::1 and fd00::2.
# Transport SPs have /32 masks both ways (ipsec-secgw's inline crypto
# transport SAs take their addresses from them).
conf() {
	side=$1 pe=$2 pc=$3 type=$4
	if [ "$side" = A ]; then
		me=1 peer=2 o=1 i=2 nmac=$MAC_BE hmac=$MAC_HA
	else
		me=2 peer=1 o=2 i=1 nmac=$MAC_AE hmac=$MAC_HB
	fi
	for k in 1 2 3 4 5; do
		case $k in 1|3|5) alg=aes-128-gcm key=$K128 ;;
		*) alg=aes-256-gcm key=$K256 ;; esac
		if [ $k = 5 ]; then
			cat <<EOF
sp ipv4 out esp protect $k$o pri 1 dst 10.$peer.$k.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect $k$i pri 1 dst 10.$me.$k.0/24 sport 0:65535 dport 0:65535
sa out $k$o aead_algo $alg aead_key $key mode ipv6-tunnel src fd00::$me dst fd00::$peer$type
sa in $k$i aead_algo $alg aead_key $key mode ipv6-tunnel src fd00::$peer dst fd00::$me$type
EOF
		elif [ $k -le 2 ]; then
			cat <<EOF
sp ipv4 out esp protect $k$o pri 1 dst 10.$peer.$k.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect $k$i pri 1 dst 10.$me.$k.0/24 sport 0:65535 dport 0:65535
sa out $k$o aead_algo $alg aead_key $key mode ipv4-tunnel src 172.16.0.$me dst 172.16.0.$peer$type
sa in $k$i aead_algo $alg aead_key $key mode ipv4-tunnel src 172.16.0.$peer dst 172.16.0.$me$type
EOF
		else
			cat <<EOF
sp ipv4 out esp protect $k$o pri 1 src 10.$me.$k.2/32 dst 10.$peer.$k.2/32 sport 0:65535 dport 0:65535
sp ipv4 in esp protect $k$i pri 1 src 10.$peer.$k.2/32 dst 10.$me.$k.2/32 sport 0:65535 dport 0:65535
sa out $k$o aead_algo $alg aead_key $key mode transport$type
sa in $k$i aead_algo $alg aead_key $key mode transport$type
EOF
		fi
	done
	cat <<EOF
rt ipv4 dst 172.16.0.$peer/32 port $pe
rt ipv6 dst fd00::$peer/128 port $pe
rt ipv4 dst 10.$peer.0.0/16 port $pe
rt ipv4 dst 10.$me.0.0/16 port $pc
neigh port $pe $nmac
neigh port $pc $hmac
EOF
}

EAL="--no-huge -m 512 --no-pci --no-shconf --log-level=lib.eal:error"
# B: ipsec-secgw, lookaside, lcore 1
conf B 0 1 "" >"$TMP/b.cfg"
nl_start ipsec-secgw-B "$TMP/b.log" ip netns exec "$NS_W" "$SECGW" $EAL --file-prefix "${PREFIX}_b" \
	-l 1 --vdev crypto_aesni_gcm0 \
	--vdev "net_tap0,iface=$IF_BE,mac=$MAC_BE" \
	--vdev "net_tap1,iface=$IF_BC,mac=$MAC_BC" \
	-- -p 0x3 -u 0x1 -P -l -w 64 --config "(0,0,1),(1,0,1)" \
	-f "$TMP/b.cfg"
PID_B=$NL_PID

# A: the gateway (or ipsec-secgw), lcore 0
if [ "${GW_A:-}" = secgw ]; then
	A_EXE=$SECGW A_NAME=ipsec-secgw-A A_READY="entering main loop"
else
	A_EXE=$GW A_NAME=secpath_gw A_READY="secpath_gw: forwarding"
fi
A_TAPS="--vdev net_tap0,iface=$IF_AE,mac=$MAC_AE"
A_TAPS="$A_TAPS --vdev net_tap1,iface=$IF_AC,mac=$MAC_AC"
if [ "$MODE" = inline ]; then
	# EAL refuses a -d plugin below a world-writable directory: a
	# private copy then; the project's libraries it links are found
	# beside the original, in the build directory.
	LOAD=$(sh "$HERE/../../devtools/private-plugin.sh" "$SO") ||
		{ echo "FAIL: no private copy of $SO for EAL's -d"; exit 1; }
	LIBS=$(cd "$(dirname "$SO")" && pwd)
	conf A 2 1 " type inline-crypto-offload port_id 2" >"$TMP/a.cfg"
	nl_start "$A_NAME" "$TMP/a.log" ip netns exec "$NS_W" \
		env LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
		"$A_EXE" $EAL --file-prefix "${PREFIX}_a" -l 0 -d "$LOAD" \
		$A_TAPS --vdev net_swipsec0,port=net_tap0 \
		-- -p 0x6 -u 0x4 -P -l -w 64 --config "(2,0,0),(1,0,0)" \
		-f "$TMP/a.cfg"
else
	conf A 0 1 "" >"$TMP/a.cfg"
	nl_start "$A_NAME" "$TMP/a.log" ip netns exec "$NS_W" "$A_EXE" $EAL \
		--file-prefix "${PREFIX}_a" -l 0 --vdev crypto_aesni_gcm0 \
		$A_TAPS -- -p 0x3 -u 0x1 -P -l -w 64 \
		--config "(0,0,0),(1,0,0)" -f "$TMP/a.cfg"
fi
PID_A=$NL_PID
nl_wait_log "$PID_B" "$TMP/b.log" "entering main loop" ipsec-secgw-B
nl_wait_log "$PID_A" "$TMP/a.log" "$A_READY" "$A_NAME"

# The gateways run in the wire's namespace, where their taps are made
# (without IPv6: silent). The clear ones into their hosts' namespaces,
# the ESP ones onto the bridge.
nl_into_ns "$IF_AC" "$NS_HA" "$NS_W"
nl_into_ns "$IF_BC" "$NS_HB" "$NS_W"
# net_tap gives the kernel's side of the tap the port's MAC address: on
# a bridge that makes it a local address, not forwarded; another one.
n=0
for t in "$IF_AE" "$IF_BE"; do
	n=$((n + 1))
	ip -n "$NS_W" link set "$t" up &&
	ip netns exec "$NS_W" ip link set "$t" address 02:0d:00:00:00:0$n &&
	ip netns exec "$NS_W" ip link set "$t" master "$BR" ||
		nl_skip "cannot put a tap on a bridge"
done

fail=0
nl_run ip netns exec "$NS_W" "$NL_PY" "$HERE/interop_peer.py" \
	--sniff-if "$IF_AE" \
	--a-if "$IF_AC" --a-ns "$NS_HA" --b-if "$IF_BC" --b-ns "$NS_HB" \
	--count "$COUNT" --mac-ae "$MAC_AE" --mac-ac "$MAC_AC" \
	--mac-be "$MAC_BE" --mac-bc "$MAC_BC" --mac-ha "$MAC_HA" \
	--mac-hb "$MAC_HB" || fail=1

for p in "A $PID_A $A_NAME" "B $PID_B ipsec-secgw-B"; do
	set -- $p
	nl_stop "$2" "$3"
	rc=$?
	[ $rc -eq 0 ] && echo "ok: $3 exits 0" ||
		{ echo "FAIL: $3 exit status $rc"; fail=1; }
done
if [ "${GW_A:-}" != secgw ]; then
	"$NL_PY" "$HERE/gw_summary.py" "$TMP/a.log" \
		"sa dir=out spi=11 | packets=$COUNT" \
		"sa dir=out spi=21 | packets=$COUNT" \
		"sa dir=out spi=31 | packets=$COUNT" \
		"sa dir=out spi=41 | packets=$COUNT" \
		"sa dir=out spi=51 | packets=$COUNT" \
		"sa dir=in spi=12 | packets=$COUNT auth_failed=0 replay=0" \
		"sa dir=in spi=22 | packets=$COUNT auth_failed=0 replay=0" \
		"sa dir=in spi=32 | packets=$COUNT auth_failed=0 replay=0" \
		"sa dir=in spi=42 | packets=$COUNT auth_failed=0 replay=0" \
		"sa dir=in spi=52 | packets=$COUNT auth_failed=0 replay=0" \
		"drops | malformed=0 no_sa=0 auth_failed=0 replay=0" \
		"drops | policy_mismatch=0 no_policy=0 discard=0" \
		"drops | esp_protected=0 no_route=0 tx_full=0 nomem=0 crypto=0" \
		"ports | rx=$((COUNT * 10)) tx=$((COUNT * 10))" \
		|| fail=1
fi
if [ $fail -ne 0 ]; then
	for s in a b; do
		echo "--- $s.log"
		tail -30 "$TMP/$s.log"
	done
	echo "FAIL: interop ($MODE)"
else
	echo "PASS: interop ($MODE)"
fi
exit $fail
