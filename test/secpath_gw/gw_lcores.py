#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""secpath_gw with two worker lcores, in memory (no root, no taps).

Each lcore polls one RX queue of each port; net_pcap gives each queue its
own file. Outbound: COUNT clear packets per queue, all for one SA (SPI
5), encrypted by both lcores at once: the ESP written to the two TX files
must carry every sequence number 1..2*COUNT exactly once (with AES-GCM a
number given twice is an IV given twice) and decrypt, with scapy, to
exactly the packets sent. Inbound: ESP numbers 1..2*COUNT of SA 6, every
one of them in both queues' files (each lcore sees a copy of each): the
shared replay window must let exactly one copy of each through. The
gateway's summary must agree, with no mbuf and no extension block left.

Usage: gw_lcores.py SECPATH_GW [COUNT]
Exit 0 on success, 77 (skip) without scapy, 1 on failure.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

try:
    from scapy.all import Ether, IP, UDP, Raw, rdpcap, wrpcap, conf
    from scapy.layers.ipsec import ESP, SecurityAssociation
except ImportError:
    print("skipped: no scapy for %s (python3-scapy)" % sys.executable)
    sys.exit(77)

conf.verb = 0
K = bytes(range(1, 17)) + b"\x0a\x0b\x0c\x0d"
KEY = ":".join("%02x" % b for b in K)
CFG = """\
sp ipv4 out esp protect 5 pri 1 dst 192.168.2.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 6 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 0:65535
sa out 5 aead_algo aes-128-gcm aead_key {k} mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.5
sa in 6 aead_algo aes-128-gcm aead_key {k} mode ipv4-tunnel src 172.16.1.5 dst 172.16.1.1
rt ipv4 dst 172.16.1.0/24 port 1
rt ipv4 dst 192.168.1.0/24 port 1
""".format(k=KEY)
failures = 0


def check(desc, cond, detail=""):
    global failures
    print(("ok: " if cond else "FAIL: ") + desc +
          ("" if cond else (": " + detail if detail else "")))
    if not cond:
        failures += 1


def run_gw(gw, tmp, name, rx0, rx1, unprot):
    """The gateway on lcores 0-1: port 0 reads rx0/rx1, port 1 writes
    out0/out1. Returns (summary lines, output packets)."""
    empty = os.path.join(tmp, "empty.pcap")
    outs = [os.path.join(tmp, "%s_out%d.pcap" % (name, q)) for q in (0, 1)]
    prefix = "gw_lcores_%s_%d" % (name, os.getpid())
    cmd = [gw, "--no-huge", "-m", "512", "--no-pci", "--file-prefix", prefix,
           "-l", "0-1", "--log-level=lib.eal:error",
           "--vdev", "crypto_aesni_gcm0",
           "--vdev", "net_pcap0,rx_pcap=%s,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s"
           % (rx0, rx1, os.path.join(tmp, name + "_back0.pcap"),
              os.path.join(tmp, name + "_back1.pcap")),
           "--vdev", "net_pcap1,rx_pcap=%s,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s"
           % (empty, empty, outs[0], outs[1]),
           "--", "-p", "0x3", "-u", unprot,
           "--config", "(0,0,0),(0,1,1),(1,0,0),(1,1,1)",
           "-f", os.path.join(tmp, "gw.cfg"), "-w", "1024"]
    log = open(os.path.join(tmp, name + ".log"), "w+")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        # until the gateway has sent what it will send (or 30 s)
        end = time.time() + 30
        while time.time() < end and p.poll() is None:
            time.sleep(0.5)
            log.seek(0)
            if "secpath_gw: forwarding" in log.read():
                break
        time.sleep(3)
    finally:
        p.send_signal(signal.SIGINT)
        try:
            rc = p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = p.wait()
        subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix],
                       check=False)
    log.seek(0)
    text = log.read()
    log.close()
    check("%s: gateway exit status 0" % name, rc == 0,
          "%d; %s" % (rc, text[-1500:]))
    check("%s: no mbuf and no extension block left" % name,
          "mbufs in use: 0" in text and "blocks in use: 0" in text)
    summary = [line for line in text.splitlines() if line.startswith("gw ")]
    pkts = []
    for o in outs:
        if os.path.exists(o) and os.path.getsize(o) > 24:
            pkts += list(rdpcap(o))
    return summary, pkts


def field(summary, prefix, key):
    for line in summary:
        if line.startswith(prefix):
            for tok in line.split():
                if tok.startswith(key + "="):
                    return int(tok.split("=", 1)[1])
    return None


def main():
    gw = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    tmp = tempfile.mkdtemp(prefix="gw_lcores.")
    try:
        with open(os.path.join(tmp, "gw.cfg"), "w") as f:
            f.write(CFG)
        wrpcap(os.path.join(tmp, "empty.pcap"), [])
        eth = Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02")
        # outbound: two queues of clear packets, each unique
        clear = [[eth / IP(src="192.168.1.2", dst="192.168.2.%d" % (q + 2)) /
                  UDP(sport=1000 + q, dport=2000) /
                  Raw(b"q%d-%06d" % (q, i)) for i in range(count)]
                 for q in (0, 1)]
        for q in (0, 1):
            wrpcap(os.path.join(tmp, "clear%d.pcap" % q), clear[q])
        summary, out = run_gw(gw, tmp, "out",
                              os.path.join(tmp, "clear0.pcap"),
                              os.path.join(tmp, "clear1.pcap"), "0x2")
        esp = [p for p in out if ESP in p and p[ESP].spi == 5]
        seqs = sorted(p[ESP].seq for p in esp)
        check("out: %d ESP packets of SPI 5" % (2 * count),
              len(esp) == 2 * count, "%d" % len(esp))
        check("out: sequence numbers 1..%d, each once (two lcores, one SA)"
              % (2 * count), seqs == list(range(1, 2 * count + 1)),
              "%d distinct of %d, max %d" % (len(set(seqs)), len(seqs),
                                             max(seqs) if seqs else 0))
        sa = SecurityAssociation(ESP, spi=5, crypt_algo="AES-GCM",
                                 crypt_key=K,
                                 tunnel_header=IP(src="172.16.1.1",
                                                  dst="172.16.1.5"))
        got = []
        for p in esp:
            try:
                got.append(bytes(sa.decrypt(p[IP])[Raw].load))
            except Exception:  # noqa: BLE001 - a failed decrypt is counted
                pass
        sent = sorted(bytes(p[Raw].load) for q in clear for p in q)
        check("out: every packet decrypts to one sent, each once",
              sorted(got) == sent, "%d decrypted" % len(got))
        check("out: summary counts %d packets on SA 5" % (2 * count),
              field(summary, "gw sa dir=out spi=5", "packets") == 2 * count,
              str(summary[:1]))

        # inbound: the same ESP numbers in both queues
        sa6 = SecurityAssociation(ESP, spi=6, crypt_algo="AES-GCM",
                                  crypt_key=K,
                                  tunnel_header=IP(src="172.16.1.5",
                                                   dst="172.16.1.1"))
        esp_in = [eth / sa6.encrypt(IP(src="192.168.2.2",
                                       dst="192.168.1.2") /
                                    UDP(sport=2000, dport=1000) /
                                    Raw(b"in-%06d" % i), seq_num=i + 1)
                  for i in range(2 * count)]
        for q in (0, 1):
            wrpcap(os.path.join(tmp, "esp%d.pcap" % q), esp_in)
        summary, out = run_gw(gw, tmp, "in", os.path.join(tmp, "esp0.pcap"),
                              os.path.join(tmp, "esp1.pcap"), "0x1")
        loads = sorted(bytes(p[Raw].load) for p in out
                       if UDP in p and p[UDP].dport == 1000)
        check("in: each of %d numbers through exactly once (two lcores, "
              "one window)" % (2 * count),
              loads == sorted(b"in-%06d" % i for i in range(2 * count)),
              "%d out, %d distinct" % (len(loads), len(set(loads))))
        check("in: summary: %d packets, %d replays on SA 6" %
              (2 * count, 2 * count),
              field(summary, "gw sa dir=in spi=6", "packets") == 2 * count
              and field(summary, "gw sa dir=in spi=6", "replay") ==
              2 * count, str([line for line in summary
                              if "spi=6" in line]))
    finally:
        subprocess.run(["rm", "-rf", tmp], check=False)
    print("PASS: gw_lcores" if failures == 0 else
          "FAIL: gw_lcores (%d checks)" % failures)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
