#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
#
# Unmodified ipsec-secgw (DPDK's example, built here with make from
# /usr/share/dpdk/examples/ipsec-secgw) with "type inline-crypto-offload"
# and "type inline-protocol-offload" SAs on a net_swipsec port, loaded
# with -d:
#
#   port 0  net_tap0     the ESP side's tap, wrapped (owned, not listed)
#   port 1  net_tap1     the clear (protected) side
#   port 2  net_swipsec0 port=net_tap0: the unprotected port (-u 0x4)
#
# Each tap goes into a network namespace of its own once ipsec-secgw runs;
# scapy (secgw_peer.py) is the IPsec peer on the ESP side and the host on
# the clear side. Six SA pairs, COUNT packets each way on each (contents,
# outer addresses, ESP sequence numbers), then tampered ICVs and replays
# dropped:
#
#   SPI out/in  type             mode              AEAD
#   5/6, 7/8    inline crypto    IPv4 tunnel       AES-GCM-128, 256
#   9/10, 11/12 inline protocol  IPv4 tunnel       AES-GCM-128, 256
#   13/14       inline crypto    transport (IPv4)  AES-GCM-128
#   15/16       inline protocol  transport (IPv4)  AES-GCM-256
#
# Inline crypto transport SAs take their addresses from the SP rules (full
# /32 masks both ways: sa_add_address_inline_crypto()). Inline protocol
# needs ipsec-secgw to read the SA (session userdata) from the security
# dynfield, which it does only with the port's security context: its
# generic poll worker (this mixed configuration) passes the context of the
# lcore's FIRST RX queue for every queue (rxql->sec_ctx, not rxql[i], in
# ipsec_poll_mode_worker(): DPDK 22.11's bug), so the net_swipsec queue is
# listed first in --config; otherwise every inline-protocol packet is
# dropped ("SA not saved in private data").
#
# Skips (77) without root, ip netns, /dev/net/tun, make, the ipsec-secgw
# sources (dpdk-doc) or python3-scapy. Everything it makes (namespaces,
# taps, files) goes on every exit.
#
# Usage: secgw_swipsec.sh <librte_net_swipsec.so> [file prefix] [COUNT]
# SECGW_LOG=FILE keeps ipsec-secgw's output; SECGW_ONLY=NAME runs the peer
# on the SA pairs whose name (secgw_peer.py) contains NAME.

SO=$1
PREFIX=${2:-secgw_swipsec}
COUNT=${3:-1700}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/netns.sh"

[ -f "$SO" ] || { echo "FAIL: no driver $SO"; exit 1; }
nl_need_netns
nl_need_secgw
nl_need_scapy

ID=$$
NS_ESP=swpe$ID NS_CLR=swpc$ID
IF_ESP=swu$ID IF_CLR=swp$ID
LOAD=
nl_cleanup_hook() {
	# SECGW_LOG=FILE keeps ipsec-secgw's output
	[ -n "${SECGW_LOG:-}" ] && cp "$TMP/secgw.log" "$SECGW_LOG" 2>/dev/null
	[ -n "$LOAD" ] && [ "$LOAD" != "$SO" ] && rm -rf "$(dirname "$LOAD")"
}
nl_trap
nl_tmp
TMP=$NL_TMP
nl_dpdk_prefix "$PREFIX"
nl_ns "$NS_ESP"
nl_ns "$NS_CLR"
nl_link "$IF_ESP"
nl_link "$IF_CLR"

# EAL refuses a -d plugin below a world-writable directory: a private copy
# then; the project's libraries it links (sw_inline, secpath, ...) are
# found beside the original, in the build directory.
LOAD=$(sh "$HERE/../../devtools/private-plugin.sh" "$SO") ||
	{ echo "FAIL: no private copy of $SO for EAL's -d"; exit 1; }
LIBS=$(cd "$(dirname "$SO")" && pwd)

nl_build_secgw
SECGW=$NL_SECGW

# Keys end with the 4-byte salt (secgw_peer.py has the same).
K128=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:0a:0b:0c:0d
K256=21:22:23:24:25:26:27:28:29:2a:2b:2c:2d:2e:2f:30:31:32:33:34:35:36:37:38
K256=$K256:39:3a:3b:3c:3d:3e:3f:40:1a:1b:1c:1d
cat >"$TMP/secgw.cfg" <<EOF
sp ipv4 out esp protect 5 pri 1 dst 192.168.2.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp protect 7 pri 1 dst 192.168.3.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 6 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5006:5006
sp ipv4 in esp protect 8 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5008:5008
sa out 5 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.5 type inline-crypto-offload port_id 2
sa in 6 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.5 dst 172.16.1.1 type inline-crypto-offload port_id 2
sa out 7 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.6 type inline-crypto-offload port_id 2
sa in 8 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.6 dst 172.16.1.1 type inline-crypto-offload port_id 2
sp ipv4 out esp protect 9 pri 1 dst 192.168.4.0/24 sport 0:65535 dport 0:65535
sp ipv4 out esp protect 11 pri 1 dst 192.168.5.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 10 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5010:5010
sp ipv4 in esp protect 12 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5012:5012
sa out 9 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.9 type inline-protocol-offload port_id 2
sa in 10 aead_algo aes-128-gcm aead_key $K128 mode ipv4-tunnel src 172.16.1.9 dst 172.16.1.1 type inline-protocol-offload port_id 2
sa out 11 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.11 type inline-protocol-offload port_id 2
sa in 12 aead_algo aes-256-gcm aead_key $K256 mode ipv4-tunnel src 172.16.1.11 dst 172.16.1.1 type inline-protocol-offload port_id 2
sp ipv4 out esp protect 13 pri 1 src 192.168.1.2/32 dst 192.168.6.2/32 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 14 pri 1 src 192.168.6.2/32 dst 192.168.1.2/32 sport 0:65535 dport 5014:5014
sa out 13 aead_algo aes-128-gcm aead_key $K128 mode transport type inline-crypto-offload port_id 2
sa in 14 aead_algo aes-128-gcm aead_key $K128 mode transport type inline-crypto-offload port_id 2
sp ipv4 out esp protect 15 pri 1 dst 192.168.7.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 16 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 5016:5016
sa out 15 aead_algo aes-256-gcm aead_key $K256 mode transport type inline-protocol-offload port_id 2
sa in 16 aead_algo aes-256-gcm aead_key $K256 mode transport type inline-protocol-offload port_id 2
rt ipv4 dst 172.16.1.0/24 port 2
rt ipv4 dst 192.168.6.0/24 port 2
rt ipv4 dst 192.168.7.0/24 port 2
rt ipv4 dst 192.168.1.0/24 port 1
EOF

nl_start ipsec-secgw "$TMP/secgw.log" \
	env LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	"$SECGW" --no-huge -m 512 --no-pci --no-shconf --file-prefix "$PREFIX" \
	-l 1 -d "$LOAD" \
	--vdev "net_tap0,iface=$IF_ESP" --vdev "net_tap1,iface=$IF_CLR" \
	--vdev net_swipsec0,port=net_tap0 \
	--log-level=pmd.net.swipsec:info \
	-- -p 0x6 -u 0x4 -P -l -w 64 --config "(2,0,1),(1,0,1)" \
	-f "$TMP/secgw.cfg"
SECGW_PID=$NL_PID
nl_wait_log "$SECGW_PID" "$TMP/secgw.log" "entering main loop" ipsec-secgw

# The taps into their namespaces, up, without IPv6 chatter.
nl_into_ns "$IF_ESP" "$NS_ESP"
nl_into_ns "$IF_CLR" "$NS_CLR"

fail=0
nl_run ip netns exec "$NS_ESP" "$NL_PY" "$HERE/secgw_peer.py" --esp-if "$IF_ESP" \
	--clr-if "$IF_CLR" --clr-ns "$NS_CLR" --count "$COUNT" || fail=1

nl_stop "$SECGW_PID" ipsec-secgw
rc=$?
[ $rc -eq 0 ] && echo "ok: ipsec-secgw exits 0" ||
	{ echo "FAIL: ipsec-secgw exit status $rc"; fail=1; }
if grep -q "create_inline_session() failed\|SEC Session init failed" \
		"$TMP/secgw.log"; then
	echo "FAIL: an inline SA was refused"
	fail=1
fi
grep -i "swipsec\|flow\|inline" "$TMP/secgw.log" | head -20
if [ $fail -ne 0 ]; then
	tail -40 "$TMP/secgw.log"
	echo "FAIL: secgw_swipsec"
else
	echo "PASS: secgw_swipsec"
fi
exit $fail
