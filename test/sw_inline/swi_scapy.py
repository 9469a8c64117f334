#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The mbuf-extension authors
"""ESP peer of the sw_inline_proto suite: scapy's SecurityAssociation.

Reads jobs from the file named by argv[1], one a line, and writes one
answer a job (same order) to stdout:

  SA <id> <spi> <key> <salt> <tun4|tun6|trs> <esn 0|1> <src> <dst>
      an SA (hex key, salt, tunnel addresses); no answer
  DEC <id> <seq_hi> <ip>
      decrypt the ESP IP packet <ip> (hex), the high half of its sequence
      number being <seq_hi> (ESN): "OK <seq> <inner ip>" or "ERR <why>"
  ENC <id> <seq64> <ip>
      encrypt the IP packet <ip> with sequence number <seq64>: "OK <ip>"
  RAW <id> <seq64> <plain>
      ESP packet (tunnel IPv4 SAs only) whose encrypted part is <plain> as
      given, trailer included (to make bad trailers with a good ICV):
      "OK <ip>"
"""
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.ipsec import ESP, SecurityAssociation


def ip_of(data):
    return IP(data) if data[0] >> 4 == 4 else IPv6(data)


def make_sa(f):
    spi, key, salt, mode, esn = (int(f[2]), bytes.fromhex(f[3]),
                                 bytes.fromhex(f[4]), f[5], f[6] == '1')
    src, dst = bytes.fromhex(f[7]), bytes.fromhex(f[8])
    tun = None
    if mode == 'tun4':
        tun = IP(src='.'.join(map(str, src[:4])),
                 dst='.'.join(map(str, dst[:4])))
    elif mode == 'tun6':
        import ipaddress
        tun = IPv6(src=str(ipaddress.IPv6Address(src)),
                   dst=str(ipaddress.IPv6Address(dst)))
    sa = SecurityAssociation(ESP, spi=spi, crypt_algo='AES-GCM',
                             crypt_key=key + salt, tunnel_header=tun,
                             esn_en=esn)
    return {'sa': sa, 'spi': spi, 'key': key, 'salt': salt, 'esn': esn,
            'tun': tun}


def main():
    sas = {}
    out = []
    for line in open(sys.argv[1]):
        f = line.split()
        if not f:
            continue
        try:
            if f[0] == 'SA':
                sas[f[1]] = make_sa(f)
                continue
            s = sas[f[1]]
            if f[0] == 'DEC':
                pkt = ip_of(bytes.fromhex(f[3]))
                esp = pkt[ESP]
                inner = s['sa'].decrypt(pkt, esn_en=s['esn'],
                                        esn=int(f[2]))
                seq = (int(f[2]) << 32) | esp.seq if s['esn'] else esp.seq
                out.append('OK %d %s' % (seq, bytes(inner).hex()))
            elif f[0] == 'ENC':
                seq = int(f[2])
                pkt = ip_of(bytes.fromhex(f[3]))
                # scapy takes "seq_num or self.seq_num": a low half of 0
                # would become its own counter
                s['sa'].seq_num = seq & 0xffffffff
                enc = s['sa'].encrypt(pkt, seq_num=seq & 0xffffffff,
                                      esn_en=s['esn'], esn=seq >> 32)
                out.append('OK ' + bytes(enc).hex())
            elif f[0] == 'RAW':
                seq = int(f[2])
                plain = bytes.fromhex(f[3])
                iv = struct.pack('>Q', seq)
                hdr = struct.pack('>II', s['spi'], seq & 0xffffffff)
                aad = hdr if not s['esn'] else struct.pack(
                    '>III', s['spi'], seq >> 32, seq & 0xffffffff)
                ct = AESGCM(s['key']).encrypt(s['salt'] + iv, plain, aad)
                ip = s['tun'].copy()
                ip.proto = 50
                out.append('OK ' + bytes(ip / (hdr + iv + ct)).hex())
            else:
                out.append('ERR unknown job')
        except Exception as e:  # an answer a job, whatever happens
            out.append('ERR ' + type(e).__name__ + ':' +
                       str(e).replace(' ', '_').replace('\n', '_'))
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
