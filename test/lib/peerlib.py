# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""What the scapy ends of the on-the-wire tests share.

AF_PACKET sockets on taps (in other network namespaces too), receiving
with a filter until a count or a timeout, frame filters working on bytes
(fast: no scapy parsing of every frame), the test payloads, scapy's ESP
SAs, and the "ok: " / "FAIL: " lines.
"""

import ctypes
import os
import select
import socket
import struct
import sys
import time

from scapy.all import IP, conf
from scapy.layers.ipsec import ESP, SecurityAssociation

conf.verb = 0
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
CLONE_NEWNET = 0x40000000
BATCH = 256

failures = 0


def check(desc, cond, detail=""):
    """Print "ok: desc" or "FAIL: desc: detail"; count the failures."""
    global failures
    if cond:
        print("ok: " + desc)
    else:
        failures += 1
        print("FAIL: " + desc + (": " + detail if detail else ""))
    sys.stdout.flush()
    return bool(cond)


def note(msg):
    print(msg)
    sys.stdout.flush()


def raw_socket(iface, netns=None):
    """An AF_PACKET socket on iface, in netns if given."""
    old = None
    if netns is not None:
        libc = ctypes.CDLL(None, use_errno=True)
        old = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/var/run/netns/" + netns, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + netns)
        os.close(fd)
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
        s.setsockopt(socket.SOL_SOCKET, 32, 16 << 20)  # SO_SNDBUFFORCE
        s.bind((iface, 0))
    finally:
        if old is not None:
            libc.setns(old, CLONE_NEWNET)
            os.close(old)
    s.setblocking(False)
    return s


def send(s, frame):
    """Send one frame, waiting while the socket's buffer is full."""
    while True:
        try:
            return s.send(frame)
        except BlockingIOError:
            select.select([], [s], [], 0.1)


def drain(s):
    while True:
        try:
            s.recv(65536)
        except BlockingIOError:
            return


def recv_until(s, want, keep, timeout, outgoing=False, with_type=False):
    """Frames received on s that keep() accepts, until want or timeout.

    outgoing: also the frames the interface sends (a sniffer on a tap);
    with_type: (frame, packet type) pairs.
    """
    got = []
    end = time.monotonic() + timeout
    # want 0: whatever comes within the timeout (there should be nothing)
    while want == 0 or len(got) < want:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        while True:
            try:
                data, addr = s.recvfrom(65536)
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING and not outgoing:
                continue
            if keep(data):
                got.append((data, addr[2]) if with_type else data)
    return got


def is_esp(spi):
    """Ethernet / IPv4 without options / ESP of that SPI."""
    want = spi.to_bytes(4, "big")

    def keep(d):
        return (len(d) > 42 and d[12:14] == b"\x08\x00" and d[14] == 0x45
                and d[23] == 50 and d[34:38] == want)
    return keep


def is_esp6(spi):
    """Ethernet / IPv6 without extension headers / ESP of that SPI."""
    want = spi.to_bytes(4, "big")

    def keep(d):
        return (len(d) > 62 and d[12:14] == b"\x86\xdd" and d[20] == 50
                and d[54:58] == want)
    return keep


def is_udp_to(dst, dport):
    """Ethernet / IPv4 without options / UDP to dst:dport."""
    d4 = socket.inet_aton(dst)
    port = dport.to_bytes(2, "big")

    def keep(d):
        return (len(d) > 42 and d[12:14] == b"\x08\x00" and d[23] == 17
                and d[30:34] == d4 and d[36:38] == port)
    return keep


def payload(tag, i):
    """Packet i's UDP payload: 20 to 919 bytes naming tag and i."""
    n = 20 + (i * 37) % 900
    head = ("%s %08d " % (tag, i)).encode()
    return (head * (n // len(head) + 1))[:n]


def ip_csum(hdr):
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))


def udp_frame(dmac, smac, src, dst, sport, dport, data, ident=0):
    """Ethernet / IPv4 / UDP (checksum 0) as bytes, without scapy."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp),
                               ident & 0xffff, 0, 64, 17, 0,
                               socket.inet_aton(src), socket.inet_aton(dst)))
    ip[10:12] = struct.pack("!H", ip_csum(bytes(ip)))
    return mac(dmac) + mac(smac) + b"\x08\x00" + bytes(ip) + udp


def esp_sa(spi, key, src, dst, tunnel):
    """scapy's SA: tunnel src > dst, or transport (tunnel False)."""
    return SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM",
                               crypt_key=key,
                               tunnel_header=IP(src=src, dst=dst)
                               if tunnel else None)
