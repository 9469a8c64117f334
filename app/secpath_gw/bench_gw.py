#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""Benchmark of secpath_gw (not a test): devtools/bench-gw.sh runs it.

One worker lcore forwards packets that net_pcap replays from memory
without end (infinite_rx=1) to a net_null port, in one process: no
kernel, no other process on the data path. Three gateways in alternating
rounds, same configuration file, same packets:

  gw          secpath_gw (secpath on: entries recorded, policies checked
              with rte_secpath_policy_check())
  nosecpath   secpath_gw --no-secpath (policies checked as ipsec-secgw
              does: the baseline of the secpath's cost)
  secgw       DPDK's ipsec-secgw example, unmodified (-l: librte_ipsec),
              with bench_shim.c preloaded: it shows the RX checksum
              offloads ipsec-secgw insists on to it, and takes them out
              of its port configuration (these ports have none)

in each round in a rotated order (the first of one round is the last of
the next), for each direction: "out" (clear UDP in, ESP out: encryption)
and "in"
(ESP in, clear out: decryption), lookaside AES-GCM-128 tunnel through
crypto_aesni_gcm. Replayed ESP repeats its sequence numbers, so the
replay window is off (-w 0) in every gateway.

A run's figure is the rate of packets the output port sent (telemetry
/ethdev/stats of the running process, sampled after a warm-up and at the
end of the window), in Mpps, and the same per second of CPU time of the
process (utime + stime over the window), whose inverse times the CPU clock
("cpu MHz" of /proc/cpuinfo, the TSC rate on the machines measured here)
is the worker's cycles per forwarded packet.

Not the same work: ipsec-secgw recomputes the IPv4 header checksum of
every packet it sends; secpath_gw leaves those of clear and decrypted
tunnel packets as they came (it recomputes it for what it changed: ESP
outer headers, transport mode).

Usage: bench_gw.py BUILD_DIR SECGW_BINARY ROUNDS SECONDS [SIZE]
"""

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from scapy.all import Ether, IP, UDP, Raw, wrpcap, conf  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

conf.verb = 0
K128 = bytes(range(1, 17)) + b"\x0a\x0b\x0c\x0d"
KEY = ":".join("%02x" % b for b in K128)
CFG = """\
sp ipv4 out esp protect 5 pri 1 dst 192.168.2.0/24 sport 0:65535 dport 0:65535
sp ipv4 in esp protect 6 pri 1 dst 192.168.1.0/24 sport 0:65535 dport 0:65535
sa out 5 aead_algo aes-128-gcm aead_key {k} mode ipv4-tunnel src 172.16.1.1 dst 172.16.1.5
sa in 6 aead_algo aes-128-gcm aead_key {k} mode ipv4-tunnel src 172.16.1.5 dst 172.16.1.1
rt ipv4 dst 172.16.1.0/24 port 1
rt ipv4 dst 192.168.1.0/24 port 1
neigh port 0 02:00:00:00:00:98
neigh port 1 02:00:00:00:00:99
""".format(k=KEY)
FLOWS = 256


def pcaps(tmp, size):
    """Clear UDP frames of SIZE bytes, and their inbound ESP form."""
    pay = max(0, size - 14 - 20 - 8)
    sa = SecurityAssociation(ESP, spi=6, crypt_algo="AES-GCM",
                             crypt_key=K128,
                             tunnel_header=IP(src="172.16.1.5",
                                              dst="172.16.1.1"))
    clear, esp = [], []
    for i in range(FLOWS):
        clear.append(Ether(dst="02:00:00:00:00:01") /
                     IP(src="192.168.1.2", dst="192.168.2.%d" % (1 + i % 250)) /
                     UDP(sport=1000 + i, dport=2000) / Raw(bytes(pay)))
        inner = IP(src="192.168.2.2", dst="192.168.1.%d" % (1 + i % 250)) / \
            UDP(sport=2000, dport=1000 + i) / Raw(bytes(pay))
        esp.append(Ether(dst="02:00:00:00:00:01") /
                   sa.encrypt(inner, seq_num=i + 1))
    wrpcap(os.path.join(tmp, "out.pcap"), clear)
    wrpcap(os.path.join(tmp, "in.pcap"), esp)


def tel(prefix, cmd):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.recv(4096)
    s.send(cmd.encode())
    r = json.loads(s.recv(65536).decode())
    s.close()
    return r


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        f = f.read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def run(kind, direction, build, secgw, tmp, secs, rnd):
    prefix = "bgw_%s_%s_%d_%d" % (kind, direction, rnd, os.getpid())
    pcap = os.path.join(tmp, direction + ".pcap")
    eal = ["--no-huge", "-m", "1024", "--no-pci", "--file-prefix", prefix,
           "-l", "0", "--log-level=lib.eal:error", "--vdev",
           "crypto_aesni_gcm0"]
    eal += ["--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
            "--vdev", "net_null0,no-rx=1"]
    unprot = "0x2" if direction == "out" else "0x1"
    app = ["-p", "0x3", "-u", unprot, "--config", "(0,0,0),(1,0,0)",
           "-f", os.path.join(tmp, "gw.cfg"), "-w", "0", "-l"]
    env = dict(os.environ)
    if kind == "secgw":
        cmd = [secgw] + eal + ["--"] + app
        ready = "entering main loop"
        # ipsec-secgw wants RX checksum offloads in-memory ports lack
        env["LD_PRELOAD"] = os.path.join(
            build, "app/secpath_gw/libsecpath_gw_bench_shim.so")
    else:
        cmd = [os.path.join(build, "app/secpath_gw/secpath_gw")] + eal + \
            ["--"] + app + (["--no-secpath"] if kind == "nosecpath" else [])
        ready = "secpath_gw: forwarding"
    log = open(os.path.join(tmp, "%s.log" % prefix), "w+")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    t0 = time.time()
    try:
        while True:
            log.seek(0)
            if ready in log.read():
                break
            if p.poll() is not None or time.time() - t0 > 30:
                log.seek(0)
                sys.stdout.write(log.read()[-3000:])
                raise RuntimeError("%s did not start" % kind)
            time.sleep(0.1)
        time.sleep(1.0)
        s0 = tel(prefix, "/ethdev/stats,1")["/ethdev/stats"]["opackets"]
        c0, w0 = cpu_ticks(p.pid), time.time()
        time.sleep(secs)
        s1 = tel(prefix, "/ethdev/stats,1")["/ethdev/stats"]["opackets"]
        c1, w1 = cpu_ticks(p.pid), time.time()
    finally:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    log.seek(0)
    out = log.read()
    log.close()
    subprocess.run(["rm", "-rf", "/var/run/dpdk/" + prefix], check=False)
    if kind != "secgw" and p.returncode != 0:
        sys.stdout.write(out[-2000:])
        raise RuntimeError("%s exited %d" % (kind, p.returncode))
    cpu = (c1 - c0) / os.sysconf("SC_CLK_TCK")
    mpps = (s1 - s0) / (w1 - w0) / 1e6
    return mpps, (s1 - s0) / cpu / 1e6 if cpu > 0 else 0.0


def cpu_info():
    """Model name and clock (MHz) of the first CPU."""
    name, mhz = "?", 0.0
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and name == "?":
                name = line.split(":", 1)[1].strip()
            if line.startswith("cpu MHz") and mhz == 0.0:
                mhz = float(line.split(":", 1)[1])
    return name, mhz


def bench(tmp):
    build, secgw, rounds, secs = sys.argv[1], sys.argv[2], \
        int(sys.argv[3]), float(sys.argv[4])
    size = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    kinds = ["gw", "nosecpath"] + (["secgw"] if secgw != "-" else [])
    with open(os.path.join(tmp, "gw.cfg"), "w") as f:
        f.write(CFG)
    pcaps(tmp, size)
    name, mhz = cpu_info()
    print("CPU: %s, %.0f MHz; %d-byte frames, %d flows, lookaside "
          "AES-GCM-128 (crypto_aesni_gcm), IPv4 tunnel, one lcore; %d "
          "rounds of %.0f s" % (name, mhz, size, FLOWS, rounds, secs))
    res = {}
    for r in range(rounds):
        order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
        for d in ["out", "in"]:
            for k in order:
                res.setdefault((d, k), []).append(
                    run(k, d, build, secgw, tmp, secs, r))
                m, c = res[(d, k)][-1]
                print("round %d %-3s %-9s %6.3f Mpps  %6.3f Mpps/CPU-s" %
                      (r + 1, d, k, m, c))
                sys.stdout.flush()
    print("\nmin / median / max over %d rounds" % rounds)
    for d in ["out", "in"]:
        for k in kinds:
            v = [x[0] for x in res[(d, k)]]
            c = [x[1] for x in res[(d, k)]]
            print("%-3s %-9s Mpps %.3f / %.3f / %.3f   per CPU-s %.3f / "
                  "%.3f / %.3f   cycles/packet (median) %.0f" %
                  (d, k, min(v), statistics.median(v), max(v), min(c),
                   statistics.median(c), max(c),
                   mhz / statistics.median(c)))
        for k in kinds[1:]:
            rat = [res[(d, "gw")][i][0] / res[(d, k)][i][0]
                   for i in range(rounds)]
            ratc = [res[(d, "gw")][i][1] / res[(d, k)][i][1]
                    for i in range(rounds)]
            print("%-3s gw / %-9s per round: Mpps %.3f / %.3f / %.3f   "
                  "per CPU-s %.3f / %.3f / %.3f" %
                  (d, k, min(rat), statistics.median(rat), max(rat),
                   min(ratc), statistics.median(ratc), max(ratc)))


def main():
    tmp = tempfile.mkdtemp(prefix="bench_gw.")
    try:
        bench(tmp)
    finally:
        subprocess.run(["rm", "-rf", tmp], check=False)


if __name__ == "__main__":
    main()
