# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""The hosts of interop.sh, and the sniffer between its gateways.

Run in the wire namespace; host A's and host B's sockets are opened in
theirs. For each SA pair of interop.sh's configuration, COUNT clear UDP
packets from host A to host B, then COUNT back: each must arrive at the
far host (contents, order; Ethernet source the gateway's clear port,
destination the host: the gateways' "neigh"), and the sniffer on A's ESP
tap must see COUNT ESP packets of the SA's SPI between (outer addresses,
Ethernet addresses, sequence numbers 1..COUNT in order; a sample of them
decrypted by scapy with the key of the configuration).

Prints "ok: ..." / "FAIL: ..." lines; exit status 0 when all passed.
"""

import argparse
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import peerlib  # noqa: E402
from peerlib import (BATCH, check, drain, esp_sa, is_esp,  # noqa: E402
                     is_esp6, mac, note, payload, raw_socket, recv_until,
                     send, udp_frame)
from scapy.all import IP, IPv6, UDP  # noqa: E402

K128 = bytes(range(1, 17)) + b"\x0a\x0b\x0c\x0d"
K256 = bytes(range(33, 65)) + b"\x1a\x1b\x1c\x1d"
# name, k (SPIs 10k+1 A to B, 10k+2 B to A), key+salt, tunnel (6: IPv6)
PAIRS = [x for x in [
    ("tun-128", 1, K128, True),
    ("tun-256", 2, K256, True),
    ("trs-128", 3, K128, False),
    ("trs-256", 4, K256, False),
    ("tun6-128", 5, K128, 6),
] if os.environ.get("GW_ONLY", x[0]) in x[0]]
SAMPLE = 40   # ESP packets decrypted by scapy at each end of a run


def is_udp_between(src, dst):
    s4, d4 = socket.inet_aton(src), socket.inet_aton(dst)

    def keep(d):
        return (len(d) > 42 and d[12:14] == b"\x08\x00" and d[23] == 17
                and d[26:30] == s4 and d[30:34] == d4)
    return keep


def one_way(a, name, k, key, tunnel, frm, to):
    """COUNT packets from host frm ("A" or "B") to the other."""
    me, peer = (1, 2) if frm == "A" else (2, 1)
    spi = k * 10 + me
    src, dst = "10.%d.%d.2" % (me, k), "10.%d.%d.2" % (peer, k)
    if tunnel == 6:
        o_src, o_dst = "fd00::%d" % me, "fd00::%d" % peer
    elif tunnel:
        o_src, o_dst = "172.16.0.%d" % me, "172.16.0.%d" % peer
    else:
        o_src, o_dst = src, dst
    s_from, s_to = (a.s_a, a.s_b) if frm == "A" else (a.s_b, a.s_a)
    hmac_from = a.mac_ha if frm == "A" else a.mac_hb
    hmac_to = a.mac_hb if frm == "A" else a.mac_ha
    gw_clr_to = a.mac_bc if frm == "A" else a.mac_ac
    gw_clr_from = a.mac_ac if frm == "A" else a.mac_bc
    esp_smac, esp_dmac = ((a.mac_ae, a.mac_be) if frm == "A"
                          else (a.mac_be, a.mac_ae))
    tag = "%s %s>" % (name, frm)
    what = "%s %s>%s" % (name, frm, "B" if frm == "A" else "A")
    n = a.count
    frames = [udp_frame(gw_clr_from, hmac_from, src, dst,
                        1000 + i % 1000, 4000 + k, payload(tag, i), i)
              for i in range(n)]
    keep = is_udp_between(src, dst)
    got = []
    t0 = time.monotonic()
    for b in range(0, n, BATCH):
        for f in frames[b:b + BATCH]:
            send(s_from, f)
        got += recv_until(s_to, b + min(BATCH, n - b) - len(got), keep, 3)
    dt = time.monotonic() - t0
    check("%s: %d sent, %d arrived (%.1f s)" % (what, n, len(got), dt),
          len(got) == n)
    ok = l2 = 0
    first_bad = ""
    for i, d in enumerate(got):
        if d[0:6] == mac(hmac_to) and d[6:12] == mac(gw_clr_to):
            l2 += 1
        # IP addresses, UDP header and payload as sent (TTL may change)
        if d[26:34] == frames[i][26:34] and d[34:] == frames[i][34:]:
            ok += 1
        elif not first_bad:
            first_bad = "packet %d differs" % i
    check("%s: contents and order as sent" % what, ok == n,
          "%d/%d %s" % (ok, n, first_bad))
    check("%s: Ethernet %s > %s at the host" % (what, gw_clr_to, hmac_to),
          l2 == len(got) and got, "%d/%d" % (l2, len(got)))
    # the ESP between them, seen on A's ESP tap (A's packets come in,
    # B's go out)
    esp = recv_until(a.s_sniff, n, (is_esp6 if tunnel == 6 else is_esp)(spi),
                     2, outgoing=True)
    # offsets of the outer addresses and of the sequence number
    fam = socket.AF_INET6 if tunnel == 6 else socket.AF_INET
    a_off, a_len, s_off = (22, 16, 58) if tunnel == 6 else (26, 4, 38)
    outer_b = socket.inet_pton(fam, o_src) + socket.inet_pton(fam, o_dst)
    check("%s: %d ESP packets of SPI %d on the wire" % (what, len(esp), spi),
          len(esp) == n)
    seq = outer = eth = 0
    for i, d in enumerate(esp):
        if int.from_bytes(d[s_off:s_off + 4], "big") == i + 1:
            seq += 1
        if d[a_off:a_off + 2 * a_len] == outer_b:
            outer += 1
        if d[0:6] == mac(esp_dmac) and d[6:12] == mac(esp_smac):
            eth += 1
    check("%s: ESP sequence numbers 1..%d in order" % (what, n),
          seq == n and len(esp) == n, "%d/%d" % (seq, len(esp)))
    check("%s: ESP outer addresses %s > %s" % (what, o_src, o_dst),
          outer == len(esp) and esp, "%d/%d" % (outer, len(esp)))
    check("%s: ESP Ethernet %s > %s" % (what, esp_smac, esp_dmac),
          eth == len(esp) and esp, "%d/%d" % (eth, len(esp)))
    sa = esp_sa(spi, key, o_src, o_dst, tunnel)
    idx = sorted(set(list(range(min(SAMPLE // 2, len(esp)))) +
                     list(range(max(len(esp) - SAMPLE // 2, 0), len(esp)))))
    dec = 0
    first_bad = ""
    for i in idx:
        try:
            inner = sa.decrypt((IPv6 if tunnel == 6 else IP)(esp[i][14:]))
            exp = IP(frames[i][14:])
            if (inner[IP].src == exp.src and inner[IP].dst == exp.dst and
                    bytes(inner[UDP]) == bytes(exp[UDP])):
                dec += 1
            elif not first_bad:
                first_bad = "packet %d differs" % i
        except Exception as ex:  # scapy raises on a bad ICV
            if not first_bad:
                first_bad = "packet %d: %s" % (i, ex)
    check("%s: scapy decrypts %d sampled ESP packets to what was sent" %
          (what, len(idx)), dec == len(idx) and idx,
          "%d/%d %s" % (dec, len(idx), first_bad))
    return len(got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sniff-if", required=True)
    ap.add_argument("--a-if", required=True)
    ap.add_argument("--a-ns", required=True)
    ap.add_argument("--b-if", required=True)
    ap.add_argument("--b-ns", required=True)
    ap.add_argument("--count", type=int, default=2000)
    for m in ("ae", "ac", "be", "bc", "ha", "hb"):
        ap.add_argument("--mac-" + m, required=True)
    a = ap.parse_args()
    a.s_sniff = raw_socket(a.sniff_if)
    a.s_a = raw_socket(a.a_if, a.a_ns)
    a.s_b = raw_socket(a.b_if, a.b_ns)
    for s in (a.s_sniff, a.s_a, a.s_b):
        drain(s)
    t0 = time.monotonic()
    total = {"A": 0, "B": 0}
    for name, k, key, tunnel in PAIRS:
        for frm in ("A", "B"):
            total[frm] += one_way(a, name, k, key, tunnel, frm, None)
            drain(a.s_sniff)
    note("interop: %d SA pairs, %d packets A>B and %d B>A arrived, %.1f s" %
         (len(PAIRS), total["A"], total["B"], time.monotonic() - t0))
    return 1 if peerlib.failures else 0


if __name__ == "__main__":
    sys.exit(main())
