# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""The other ends of ipsec-secgw in secgw_swipsec.sh, with scapy.

Run in the ESP side's network namespace; the clear side's socket is opened
in the namespace named by --clr-ns. For each SA pair (inline crypto and
inline protocol; AES-GCM-128 and 256 tunnel, transport): plain UDP packets
sent on the clear side must come out of the ESP side encrypted with the
outbound SA (SPI, outer addresses, sequence numbers 1, 2, ... in order,
contents); ESP packets made by scapy with the inbound SA must come out of
the clear side decrypted (contents, order). Then, on the inbound SA:
packets with a bad ICV and replayed packets must not come out, and good
packets sent after them must. Inline protocol SAs are checked by the
port's own window, which is exact: every number of the window is
replayed; inline crypto SAs by librte_ipsec's (see Inbound below).

Usage: secgw_peer.py --esp-if IF --clr-if IF --clr-ns NS --count N
(SECGW_ONLY=NAME in the environment: only the SA pairs whose name has NAME)
Prints "ok: ..." / "FAIL: ..." lines; exit status 0 when all passed.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from peerlib import (BATCH, check, drain, esp_sa, is_esp,  # noqa: E402
                     is_udp_to, payload, raw_socket, recv_until)
import peerlib  # noqa: E402
from scapy.all import Ether, IP, UDP, Raw  # noqa: E402
from scapy.layers.ipsec import ESP  # noqa: E402

# The SAs of secgw_swipsec.sh's configuration (keys end with the salt).
K128 = bytes(range(1, 17)) + b"\x0a\x0b\x0c\x0d"
K256 = bytes(range(33, 65)) + b"\x1a\x1b\x1c\x1d"
SAS = [x for x in [
    # name, inline protocol, spi out, spi in, key+salt, clear net,
    # tunnel remote (None: transport, the remote host is net + "2")
    ("crypto-tun-128", False, 5, 6, K128, "192.168.2.", "172.16.1.5"),
    ("crypto-tun-256", False, 7, 8, K256, "192.168.3.", "172.16.1.6"),
    ("proto-tun-128", True, 9, 10, K128, "192.168.4.", "172.16.1.9"),
    ("proto-tun-256", True, 11, 12, K256, "192.168.5.", "172.16.1.11"),
    ("crypto-trs-128", False, 13, 14, K128, "192.168.6.", None),
    ("proto-trs-256", True, 15, 16, K256, "192.168.7.", None),
] if os.environ.get("SECGW_ONLY", x[0]) in x[0]]
GW = "172.16.1.1"        # ipsec-secgw's tunnel address
CLR_HOST = "192.168.1.2"  # the host on the clear side

totals = {"out": 0, "in": 0}   # good packets through, each way


def outbound(name, spi, key, net, remote, s_clr, s_esp, count):
    """Clear side to ESP side: encrypted by the port, checked by scapy."""
    dst = net + "2"
    # the outer header: the tunnel's, or the packet's own (transport)
    o_src, o_dst = (GW, remote) if remote else (CLR_HOST, dst)
    sa = esp_sa(spi, key, o_src, o_dst, remote is not None)
    frames = []
    for i in range(count):
        p = (Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") /
             IP(src=CLR_HOST, dst=dst) /
             UDP(sport=1000 + i % 1000, dport=4000) /
             Raw(payload(name, i)))
        frames.append(bytes(p))
    got = []
    for b in range(0, count, BATCH):
        for f in frames[b:b + BATCH]:
            s_clr.send(f)
        got += recv_until(s_esp, b + min(BATCH, count - b) - len(got),
                          is_esp(spi), 3)
    check("%s out: %d packets sent, %d ESP packets came out" %
          (name, count, len(got)), len(got) == count)
    totals["out"] += len(got)
    seq_ok = contents_ok = outer_ok = 0
    first_bad = ""
    for i, d in enumerate(got):
        e = Ether(d)
        ip = e[IP]
        if ip.src == o_src and ip.dst == o_dst:
            outer_ok += 1
        if ip[ESP].seq == i + 1:
            seq_ok += 1
        try:
            inner = sa.decrypt(ip)
            exp = IP(frames[i][14:])
            if (inner[IP].src == exp.src and inner[IP].dst == exp.dst and
                    bytes(inner[UDP].payload) == bytes(exp[UDP].payload)
                    and inner[UDP].sport == exp[UDP].sport):
                contents_ok += 1
            elif not first_bad:
                first_bad = "packet %d differs" % i
        except Exception as ex:  # scapy raises on a bad ICV
            if not first_bad:
                first_bad = "packet %d: %s" % (i, ex)
    check("%s out: outer addresses %s > %s" % (name, o_src, o_dst),
          outer_ok == len(got) and got, "%d/%d" % (outer_ok, len(got)))
    check("%s out: ESP sequence numbers 1..%d in order" % (name, count),
          seq_ok == len(got) and got, "%d/%d" % (seq_ok, len(got)))
    check("%s out: scapy decrypts every packet to what was sent" % name,
          contents_ok == count, "%d/%d %s" % (contents_ok, count, first_bad))


class Inbound:
    """ESP side to clear side, with scapy's SA for the inbound SPI."""

    def __init__(self, name, spi, key, net, remote, s_clr, s_esp):
        self.name = name
        self.src = net + "2"
        self.sa = esp_sa(spi, key, remote, GW, remote is not None)
        self.s_clr, self.s_esp = s_clr, s_esp
        self.dport = 5000 + spi
        self.sent = {}   # seq -> ESP frame
        self.next = 0    # packet index

    def make(self, tamper=False):
        i = self.next
        self.next += 1
        p = (IP(src=self.src, dst=CLR_HOST) /
             UDP(sport=2000 + i % 1000, dport=self.dport) /
             Raw(payload(self.name, i)))
        e = self.sa.encrypt(p)
        f = bytearray(bytes(Ether(dst="02:00:00:00:00:03",
                                  src="02:00:00:00:00:04") / e))
        if tamper:
            f[-1] ^= 0x01   # last byte of the ICV
        self.sent[e[ESP].seq] = bytes(f)
        return i, bytes(f)

    def send(self, frames, want, timeout=3):
        got = []
        for b in range(0, len(frames), BATCH):
            for f in frames[b:b + BATCH]:
                self.s_esp.send(f)
            w = max(min(want, b + BATCH) - len(got), 0)
            got += recv_until(self.s_clr, w, is_udp_to(CLR_HOST, self.dport),
                              timeout if w > 0 else 1)
        return got

    def check_contents(self, got, idx, what):
        ok = 0
        for d, i in zip(got, idx):
            ip = IP(d[14:])
            if (ip.src == self.src and UDP in ip and
                    bytes(ip[UDP].payload) == payload(self.name, i)):
                ok += 1
        check("%s in: %s: the clear side got what scapy encrypted, in"
              " order" % (self.name, what),
              ok == len(idx) and len(got) == len(idx),
              "%d/%d matched, %d received" % (ok, len(idx), len(got)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--esp-if", required=True)
    ap.add_argument("--clr-if", required=True)
    ap.add_argument("--clr-ns", required=True)
    ap.add_argument("--count", type=int, default=5000)
    a = ap.parse_args()
    s_esp = raw_socket(a.esp_if)
    s_clr = raw_socket(a.clr_if, a.clr_ns)
    drain(s_esp)
    drain(s_clr)
    t0 = time.monotonic()
    for name, proto, spi_out, spi_in, key, net, remote in SAS:
        outbound(name, spi_out, key, net, remote, s_clr, s_esp, a.count)
        ib = Inbound(name, spi_in, key, net, remote, s_clr, s_esp)
        frames = [ib.make() for _ in range(a.count)]
        got = ib.send([f for _, f in frames], a.count)
        check("%s in: %d ESP packets sent, %d came out in clear" %
              (name, a.count, len(got)), len(got) == a.count)
        totals["in"] += len(got)
        ib.check_contents(got, [i for i, _ in frames], "good packets")
        # tampered ICVs: nothing comes out
        bad = [ib.make(tamper=True)[1] for _ in range(64)]
        got = ib.send(bad, 0)
        check("%s in: 64 packets with a bad ICV dropped" % name,
              len(got) == 0, "%d came out" % len(got))
        # replayed: good packets inside the window (-w 64), and old ones
        # below it. Inline protocol: the port's window is exact, every
        # number of it is replayed. Inline crypto: librte_ipsec 22.11
        # only catches numbers with seq % 64 < 32 inside the window (its
        # bitmap bit is a uint32_t in esn_inb_update_sqn(): DPDK's bug),
        # so a recent one of those.
        if proto:
            inside = list(range(a.count - 63, a.count + 1))
        else:
            inside = [max(s for s in ib.sent if s <= a.count and
                          s % 64 < 32)]
        replays = [ib.sent[s] for s in inside + list(range(1, 33))]
        got = ib.send(replays, 0)
        check("%s in: %d replayed packets dropped (%d inside the window,"
              " %d with seq %% 64 >= 32)" % (name, len(replays), len(inside),
                                            sum(s % 64 >= 32 for s in inside)),
              len(got) == 0, "%d came out" % len(got))
        # still working after them
        frames = [ib.make() for _ in range(32)]
        got = ib.send([f for _, f in frames], 32)
        ib.check_contents(got, [i for i, _ in frames],
                          "32 good packets after the bad ones")
    print("peer: %d SA pairs, %d packets out and %d in through the"
          " gateway (good ones), %.1f s" % (len(SAS), totals["out"],
                                            totals["in"], time.monotonic() - t0))
    return 1 if peerlib.failures else 0


if __name__ == "__main__":
    sys.exit(main())
