#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# The demo: the IPsec gateway secpath_gw (app/secpath_gw, guide
# doc/guides/secpath_gw.rst), end to end, as root on a fresh Debian 12
# machine. It installs what it needs, builds, then:
#
# 1. the gateway alone, in memory: one lcore, net_pcap replaying 64-byte
#    packets, net_null taking the output; encryption, then decryption
#    (lookaside AES-GCM-128): Mpps, the gateway's counters, "blocks in
#    use: 0";
# 2. two gateways on the wire: A (lookaside, crypto_aesni_gcm) and B
#    (inline crypto: a net_swipsec port over its tap), their ESP ports
#    joined by a Linux bridge, a Linux host behind each (network
#    namespaces). Host A pings host B: ESP both ways. On the bridge, an
#    attacker (scapy) replays one of A's ESP packets, tampers with one,
#    and sends clear traffic that a protect policy covers; B drops each
#    under its reason. Both gateways' per-SA counters, policy drops and
#    "blocks in use: 0".
#
# Everything it makes (namespaces, bridge, taps) is removed on exit;
# traffic stays on this machine. The forwarding demo of the extension
# library alone is devtools/demo-forward.sh.
set -e
cd "$(dirname "$0")/.."
sh devtools/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
set +e
GW=$PWD/build/app/secpath_gw/secpath_gw
SO=$PWD/build/librte_net_swipsec.so
. test/lib/netns.sh
nl_need_netns
nl_need_scapy
nl_trap
nl_tmp
TMP=$NL_TMP
EAL="--no-huge -m 512 --no-pci --log-level=lib.eal:error"
K128=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:0a:0b:0c:0d
K256=21:22:23:24:25:26:27:28:29:2a:2b:2c:2d:2e:2f:30:31:32:33:34:35:36:37:38
K256=$K256:39:3a:3b:3c:3d:3e:3f:40:1a:1b:1c:1d

echo "=== 1. the gateway alone, in memory (net_pcap -> secpath_gw -> net_null)"
"$NL_PY" -c "import sys; sys.path.insert(0, 'app/secpath_gw')
import bench_gw as b
open('$TMP/mem.cfg', 'w').write(b.CFG)
b.pcaps('$TMP', 64)" || { echo "FAIL: no packets for part 1"; exit 1; }
for dir in out in; do
	[ $dir = out ] && { unprot=0x2; what="encryption: clear in, ESP out"; }
	[ $dir = in ] && { unprot=0x1; what="decryption: ESP in, clear out"; }
	echo "--- $what, 3 s"
	nl_dpdk_prefix "demo_mem_${dir}_$$"
	timeout --preserve-status -s INT 3 "$GW" $EAL --file-prefix "demo_mem_${dir}_$$" -l 0 \
		--vdev "net_pcap0,rx_pcap=$TMP/$dir.pcap,infinite_rx=1" \
		--vdev net_null0,no-rx=1 --vdev crypto_aesni_gcm0 -- \
		-p 0x3 -u $unprot --config "(0,0,0),(1,0,0)" -w 0 \
		-f "$TMP/mem.cfg" >"$TMP/mem_$dir.log" 2>&1
	rc=$?
	grep "stopped after\|^gw sa\|^gw drops\|in use:" "$TMP/mem_$dir.log"
	[ $rc -eq 0 ] || { tail -20 "$TMP/mem_$dir.log"; echo "FAIL: gateway exit $rc"; exit 1; }
done

echo
echo "=== 2. two gateways on the wire: host A -- A (lookaside) == bridge == B (inline crypto) -- host B"
ID=$$
NS_W=dmw$ID NS_HA=dma$ID NS_HB=dmb$ID BR=dmbr$ID
IF_AE=dmae$ID IF_AC=dmac$ID IF_BE=dmbe$ID IF_BC=dmbc$ID
for n in "$NS_W" "$NS_HA" "$NS_HB"; do nl_ns "$n"; done
ip netns exec "$NS_W" ip link add "$BR" type bridge ||
	nl_skip "no Linux bridge support"
ip netns exec "$NS_W" ip link set "$BR" up
MAC_AE=02:0a:00:00:00:01 MAC_AC=02:0a:00:00:00:02
MAC_BE=02:0b:00:00:00:01 MAC_BC=02:0b:00:00:00:02
MAC_HA=02:0c:00:00:00:0a MAC_HB=02:0c:00:00:00:0b

# conf SIDE ESP_PORT CLR_PORT TYPE: host A is 10.1.0.2, host B 10.2.0.2;
# A's tunnel end 172.16.0.1, B's 172.16.0.2; SPI 11 A to B (AES-GCM-128),
# SPI 12 B to A (AES-GCM-256).
conf() {
	if [ "$1" = A ]; then
		me=1 peer=2 o=11 i=12 ko=$K128 ao=aes-128-gcm ki=$K256
		ai=aes-256-gcm nmac=$MAC_BE hmac=$MAC_HA
	else
		me=2 peer=1 o=12 i=11 ko=$K256 ao=aes-256-gcm ki=$K128
		ai=aes-128-gcm nmac=$MAC_AE hmac=$MAC_HB
	fi
	cat <<EOC
# secpath_gw $1: ipsec-secgw's grammar
sp ipv4 out esp protect $o pri 1 dst 10.$peer.0.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect $i pri 1 dst 10.$me.0.0/24 sport 0:65535 dport 0:65535
sa out $o aead_algo $ao aead_key $ko mode ipv4-tunnel src 172.16.0.$me dst 172.16.0.$peer$4
sa in $i aead_algo $ai aead_key $ki mode ipv4-tunnel src 172.16.0.$peer dst 172.16.0.$me$4
rt ipv4 dst 172.16.0.$peer/32 port $2
rt ipv4 dst 10.$me.0.0/24 port $3
neigh port $2 $nmac
neigh port $3 $hmac
EOC
}
conf A 0 1 "" >"$TMP/a.cfg"
conf B 2 1 " type inline-crypto-offload port_id 2" >"$TMP/b.cfg"
LOAD=$(sh devtools/private-plugin.sh "$SO") ||
	{ echo "FAIL: no private copy of $SO for EAL's -d"; exit 1; }
nl_cleanup_hook() { [ -n "$LOAD" ] && [ "$LOAD" != "$SO" ] && rm -rf "$(dirname "$LOAD")"; }
nl_dpdk_prefix demo_gw_a_$$
nl_dpdk_prefix demo_gw_b_$$
nl_start gateway-A "$TMP/a.log" ip netns exec "$NS_W" "$GW" $EAL \
	--file-prefix demo_gw_a_$$ -l 0 --vdev crypto_aesni_gcm0 \
	--vdev "net_tap0,iface=$IF_AE,mac=$MAC_AE" \
	--vdev "net_tap1,iface=$IF_AC,mac=$MAC_AC" \
	-- -p 0x3 -u 0x1 --config "(0,0,0),(1,0,0)" -f "$TMP/a.cfg"
PID_A=$NL_PID
nl_start gateway-B "$TMP/b.log" ip netns exec "$NS_W" \
	env LD_LIBRARY_PATH="$PWD/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	"$GW" $EAL --file-prefix demo_gw_b_$$ -l 1 -d "$LOAD" \
	--vdev "net_tap0,iface=$IF_BE,mac=$MAC_BE" \
	--vdev "net_tap1,iface=$IF_BC,mac=$MAC_BC" \
	--vdev net_swipsec0,port=net_tap0 \
	-- -p 0x6 -u 0x4 --config "(2,0,1),(1,0,1)" -f "$TMP/b.cfg"
PID_B=$NL_PID
nl_wait_log "$PID_A" "$TMP/a.log" "secpath_gw: forwarding" gateway-A
nl_wait_log "$PID_B" "$TMP/b.log" "secpath_gw: forwarding" gateway-B
for side in A B; do
	if [ $side = A ]; then
		ce=$IF_AE cc=$IF_AC ns=$NS_HA hmac=$MAC_HA gmac=$MAC_AC me=1 peer=2 n=1
	else
		ce=$IF_BE cc=$IF_BC ns=$NS_HB hmac=$MAC_HB gmac=$MAC_BC me=2 peer=1 n=2
	fi
	# the ESP tap onto the bridge (its kernel side another MAC than
	# the port's, or the bridge keeps frames to it), the clear one
	# into the host's namespace, a Linux host there
	ip -n "$NS_W" link set "$ce" address "02:0d:00:00:00:0$n" &&
	ip -n "$NS_W" link set "$ce" master "$BR" &&
	ip -n "$NS_W" link set "$ce" up &&
	nl_into_ns "$cc" "$ns" "$NS_W" &&
	ip -n "$ns" link set "$cc" address "$hmac" &&
	ip -n "$ns" addr add "10.$me.0.2/24" dev "$cc" &&
	ip -n "$ns" route add "10.$peer.0.0/24" via "10.$me.0.1" &&
	ip -n "$ns" neigh add "10.$me.0.1" lladdr "$gmac" dev "$cc" ||
		{ echo "FAIL: set-up of host $side"; exit 1; }
done
echo "--- host A pings host B through both gateways (ESP both ways)"
ip netns exec "$NS_HA" ping -q -c 200 -i 0.005 -W 1 10.2.0.2 | tail -2 &
PING=$!
NL_PIDS="$NL_PIDS $PING"
nl_run ip netns exec "$NS_W" "$NL_PY" app/secpath_gw/demo_wire.py "$IF_AE" \
	"$BR" "$MAC_BE" 10.2.0.2
wait $PING
echo "--- a flood ping, 2000 packets of 1000 bytes"
ip netns exec "$NS_HA" ping -q -f -c 2000 -s 1000 -W 1 10.2.0.2 | tail -2
fail=0
for g in "A $PID_A" "B $PID_B"; do
	set -- $g
	nl_stop "$2" "gateway-$1"
	rc=$?
	echo "--- gateway $1 (exit $rc)"
	grep "^gw \|in use:" "$TMP/$(echo $1 | tr AB ab).log"
	[ $rc -eq 0 ] || fail=1
done
grep -q "^gw drops.* auth_failed=2 replay=3 policy_mismatch=4 " "$TMP/b.log" ||
	{ echo "FAIL: gateway B did not drop the attacker's packets as expected"; fail=1; }
[ $fail -eq 0 ] && echo "demo: done" || echo "FAIL: demo"
exit $fail
