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
import peerlib  # noqa: E402
from peerlib import (Inbound, Link, check, drain, outbound,  # noqa: E402
                     raw_socket)

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
    link = Link(s_clr, s_esp)
    for name, proto, spi_out, spi_in, key, net, remote in SAS:
        tunnel = remote is not None
        totals["out"] += outbound(link, name, spi_out, key, CLR_HOST,
                                  net + "2", tunnel, a.count,
                                  outer=(GW, remote))
        ib = Inbound(link, name, spi_in, key, net + "2", CLR_HOST, tunnel,
                     5000 + spi_in, outer=(remote, GW))
        frames = [ib.make() for _ in range(a.count)]
        got = ib.send([f for _, f, _ in frames], a.count)
        check("%s in: %d ESP packets sent, %d came out in clear" %
              (name, a.count, len(got)), len(got) == a.count)
        totals["in"] += len(got)
        ib.check_contents(got, [i for i, _, _ in frames], "good packets")
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
        got = ib.send([f for _, f, _ in frames], 32)
        ib.check_contents(got, [i for i, _, _ in frames],
                          "32 good packets after the bad ones")
    print("peer: %d SA pairs, %d packets out and %d in through the"
          " gateway (good ones), %.1f s" % (len(SAS), totals["out"],
                                            totals["in"], time.monotonic() - t0))
    return 1 if peerlib.failures else 0


if __name__ == "__main__":
    sys.exit(main())
