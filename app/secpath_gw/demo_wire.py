#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""The attacker on the wire of devtools/demo.sh, with scapy.

Run in the wire's namespace, where a bridge joins the two gateways' ESP
ports. It takes one ESP packet that gateway A sends to gateway B (seen on
A's port of the bridge) and, through the bridge,
sends it again (replays), sends it with a changed byte of its ICV
(tampered), and sends clear UDP to host B's network, which a protect
policy covers (a policy violation). Gateway B must drop each one under
its reason; the demo prints B's counters afterwards.

Usage: demo_wire.py A_BRIDGE_PORT BRIDGE B_ESP_MAC HOST_B_ADDR
"""

import select
import socket
import sys
import time

from scapy.all import Ether, IP, UDP, Raw, ESP, conf  # noqa: E402

conf.verb = 0
ETH_P_ALL = 0x0003


def main():
    a_port, bridge, b_mac, host_b = sys.argv[1:5]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((a_port, 0))
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                        socket.htons(ETH_P_ALL))
    out.bind((bridge, 0))
    # one ESP packet on its way to B (host A pings host B meanwhile)
    esp = None
    end = time.time() + 10
    while esp is None and time.time() < end:
        r, _, _ = select.select([s], [], [], 0.2)
        if not r:
            continue
        data, addr = s.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        f = Ether(data)
        if f.dst.lower() == b_mac.lower() and ESP in f:
            esp = data
    if esp is None:
        print("demo_wire: saw no ESP packet for gateway B")
        return 1
    f = Ether(esp)
    print("demo_wire: captured ESP spi %d seq %d, %d bytes; sending it"
          " again 3 times (replays)" % (f[ESP].spi, f[ESP].seq, len(esp)))
    for _ in range(3):
        out.send(esp)
    bad = bytearray(esp)
    bad[-1] ^= 0x01
    print("demo_wire: the same with one ICV bit changed, 2 times"
          " (tampered)")
    for _ in range(2):
        out.send(bytes(bad))
    clear = Ether(dst=b_mac, src=f.src) / \
        IP(src="10.1.0.2", dst=host_b) / UDP(sport=1234, dport=4321) / \
        Raw(b"clear text where a protect policy applies")
    print("demo_wire: clear UDP to %s on the ESP side, 4 times (policy"
          " violation)" % host_b)
    for _ in range(4):
        out.send(bytes(clear))
    time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
