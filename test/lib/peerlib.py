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

from scapy.all import IP, IPv6, conf
from scapy.layers.ipsec import ESP, SecurityAssociation

conf.verb = 0
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
CLONE_NEWNET = 0x40000000
BATCH = 256

failures = 0
# frames sent; frames received (not sent by the socket's interface)
stats = {"sent": 0, "received": 0}


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
    stats["sent"] += 1
    while True:
        try:
            return s.send(frame)
        except BlockingIOError:
            select.select([], [s], [], 0.1)


def drain(s):
    while True:
        try:
            _, addr = s.recvfrom(65536)
        except BlockingIOError:
            return
        if addr[2] != PACKET_OUTGOING:
            stats["received"] += 1


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
            if addr[2] != PACKET_OUTGOING:
                stats["received"] += 1
            elif not outgoing:
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
    """scapy's SA: tunnel src > dst (IPv4 or IPv6), or transport (tunnel
    False)."""
    hdr = None
    if tunnel:
        hdr = (IPv6 if ":" in src else IP)(src=src, dst=dst)
    return SecurityAssociation(ESP, spi=spi, crypt_algo="AES-GCM",
                               crypt_key=key, tunnel_header=hdr)


class Link:
    """The peer's sockets on the gateway's clear and ESP sides.

    to_clr, to_esp: (destination, source) MACs of the frames sent to the
    gateway on each side; from_clr, from_esp: those the gateway's frames
    must have (None: not checked).
    """

    def __init__(self, s_clr, s_esp,
                 to_clr=("02:00:00:00:00:01", "02:00:00:00:00:02"),
                 to_esp=("02:00:00:00:00:03", "02:00:00:00:00:04"),
                 from_clr=None, from_esp=None):
        self.s_clr, self.s_esp = s_clr, s_esp
        self.to_clr, self.to_esp = to_clr, to_esp
        self.from_clr, self.from_esp = from_clr, from_esp


def l2_ok(frames, want):
    """How many frames have the (destination, source) MACs want."""
    if want is None:
        return len(frames)
    w = mac(want[0]) + mac(want[1])
    return sum(1 for d in frames if d[0:12] == w)


def outbound(link, name, spi, key, src, dst, tunnel, count, dport=4000,
             first_seq=1, outer=None):
    """Clear side to ESP side: count UDP packets src > dst:dport sent in
    clear must come out encrypted with the SA (SPI, outer addresses
    outer = (src, dst) of the tunnel or None for transport, sequence
    numbers first_seq.. in order, Ethernet addresses); scapy decrypts
    each to what was sent. Returns how many came out."""
    o_src, o_dst = outer if tunnel else (src, dst)
    sa = esp_sa(spi, key, o_src, o_dst, tunnel)
    frames = [udp_frame(link.to_clr[0], link.to_clr[1], src, dst,
                        1000 + i % 1000, dport, payload(name, i), i)
              for i in range(count)]
    got = []
    for b in range(0, count, BATCH):
        for f in frames[b:b + BATCH]:
            send(link.s_clr, f)
        got += recv_until(link.s_esp, b + min(BATCH, count - b) - len(got),
                          is_esp(spi), 3)
    check("%s out: %d packets sent, %d ESP packets came out" %
          (name, count, len(got)), len(got) == count)
    seq_ok = contents_ok = outer_ok = 0
    first_bad = ""
    a_src, a_dst = socket.inet_aton(o_src), socket.inet_aton(o_dst)
    for i, d in enumerate(got):
        if d[26:30] == a_src and d[30:34] == a_dst:
            outer_ok += 1
        if int.from_bytes(d[38:42], "big") == first_seq + i:
            seq_ok += 1
        try:
            inner = sa.decrypt(IP(d[14:]))
            if (bytes(inner)[12:20] == frames[i][26:34] and
                    bytes(inner[IP].payload) == frames[i][34:]):
                contents_ok += 1
            elif not first_bad:
                first_bad = "packet %d differs" % i
        except Exception as ex:  # scapy raises on a bad ICV
            if not first_bad:
                first_bad = "packet %d: %s" % (i, ex)
    check("%s out: outer addresses %s > %s" % (name, o_src, o_dst),
          outer_ok == len(got) and got, "%d/%d" % (outer_ok, len(got)))
    check("%s out: ESP sequence numbers %d..%d in order" %
          (name, first_seq, first_seq + count - 1),
          seq_ok == len(got) and got, "%d/%d" % (seq_ok, len(got)))
    check("%s out: scapy decrypts every packet to what was sent" % name,
          contents_ok == count, "%d/%d %s" % (contents_ok, count, first_bad))
    if link.from_esp is not None:
        n = l2_ok(got, link.from_esp)
        check("%s out: Ethernet %s > %s" % (name, link.from_esp[1],
                                            link.from_esp[0]),
              n == len(got) and got, "%d/%d" % (n, len(got)))
    return len(got)


class Inbound:
    """ESP side to clear side: UDP src > dst:dport encrypted by scapy with
    the inbound SA (tunnel outer = (src, dst), or transport)."""

    def __init__(self, link, name, spi, key, src, dst, tunnel, dport,
                 outer=None):
        self.link = link
        self.name = name
        self.src, self.dst = src, dst
        self.sa = (esp_sa(spi, key, outer[0], outer[1], True) if tunnel
                   else esp_sa(spi, key, None, None, False))
        self.dport = dport
        self.sent = {}   # seq -> ESP frame
        self.index = {}  # ESP frame -> packet index
        self.next = 0    # packet index

    def make(self, tamper=False, dport=None):
        """(packet index, frame, seq) of the next packet; tamper: flip
        the last byte of the ICV."""
        i = self.next
        self.next += 1
        p = IP(udp_frame(self.link.to_esp[0], self.link.to_esp[1], self.src,
                         self.dst, 2000 + i % 1000, dport or self.dport,
                         payload(self.name, i), i)[14:])
        e = self.sa.encrypt(p)
        f = bytearray(mac(self.link.to_esp[0]) + mac(self.link.to_esp[1]) +
                      b"\x08\x00" + bytes(e))
        if tamper:
            f[-1] ^= 0x01
        seq = e[ESP].seq
        self.sent[seq] = bytes(f)
        self.index[bytes(f)] = i
        return i, bytes(f), seq

    def alias(self, frame, of):
        """frame is a changed copy of make()'s frame of."""
        self.index[frame] = self.index[of]
        return frame

    def send(self, frames, want, timeout=3, dport=None):
        """Send frames, return what came out on the clear side to dst:dport
        (waits for want, or 1 s when want is 0)."""
        got = []
        udp = is_udp_to(self.dst, dport or self.dport)
        # what comes late from an earlier call is not this call's: the
        # payloads of make()'s packets say which they are
        idx = {self.index.get(f) for f in frames}
        head = len(self.name) + 1

        def keep(d):
            if not udp(d):
                return False
            if None in idx or d[42:42 + head] != self.name.encode() + b" ":
                return None in idx   # frames not from make(): all
            try:
                return int(d[42 + head:50 + head]) in idx
            except ValueError:
                return False
        for b in range(0, len(frames), BATCH):
            for f in frames[b:b + BATCH]:
                send(self.link.s_esp, f)
            w = max(min(want, b + BATCH) - len(got), 0)
            got += recv_until(self.link.s_clr, w, keep,
                              timeout if w > 0 else 1)
        return got

    def check_contents(self, got, idx, what):
        ok = 0
        for d, i in zip(got, idx):
            if (d[26:30] == socket.inet_aton(self.src) and
                    d[42:] == payload(self.name, i)):
                ok += 1
        check("%s in: %s: the clear side got what scapy encrypted, in"
              " order" % (self.name, what),
              ok == len(idx) and len(got) == len(idx),
              "%d/%d matched, %d received" % (ok, len(idx), len(got)))
        if self.link.from_clr is not None:
            n = l2_ok(got, self.link.from_clr)
            check("%s in: %s: Ethernet %s > %s" %
                  (self.name, what, self.link.from_clr[1],
                   self.link.from_clr[0]),
                  n == len(got), "%d/%d" % (n, len(got)))
