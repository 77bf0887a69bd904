#!/usr/bin/python3
"""Writes fixtures/esp-scapy.pcap and its esp_sa key files with scapy's IPsec
implementation (Debian's python3-scapy), so that gredump's decryption is
checked against an independent ESP encoder, and against tshark.

One SA per cipher, every integrity algorithm at least once, transport mode
(GRE inside, the recommended GRE over IPsec) and tunnel mode, with and
without NAT-T. Run: /usr/bin/python3 scripts/make-esp-fixtures.py
"""
import os

from scapy.all import GRE, ICMP, IP, UDP, Ether, Raw, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
T0 = 1767225600


def ospf_hello(router_id):
    # OSPFv2 Hello, area 0, no authentication, hello 10 s, dead 40 s.
    body = bytes([2, 1, 0, 44]) + bytes(map(int, router_id.split('.'))) + bytes(4) + b'\x00\x00\x00\x00' + bytes(8)
    body += bytes([255, 255, 255, 252, 0, 10, 2, 1, 0, 0, 0, 40]) + bytes(8)
    return IP(src='10.0.0.1', dst='224.0.0.5', ttl=1, proto=89) / Raw(body)


def gre_payload(key, router_id):
    return GRE(key_present=1, key=key, proto=0x0800) / ospf_hello(router_id)


def ping(i):
    return IP(src='10.1.0.1', dst='10.2.0.1') / ICMP(id=7, seq=i) / Raw(b'gredump' * 4)


# (spi, src, dst, scapy cipher, key, icv size, scapy auth, auth key, wireshark cipher, wireshark auth, mode, nat-t)
SAS = [
    (0x1001, '192.0.2.10', '198.51.100.10', 'AES-CBC', bytes(range(16)), None, 'HMAC-SHA1-96', bytes(range(20)),
     'AES-CBC [RFC3602]', 'HMAC-SHA-1-96 [RFC2404]', 'transport', False),
    (0x1002, '198.51.100.10', '192.0.2.10', 'AES-CBC', bytes(range(1, 17)), None, 'HMAC-SHA1-96', bytes(range(1, 21)),
     'AES-CBC [RFC3602]', 'HMAC-SHA-1-96 [RFC2404]', 'transport', False),
    (0x2001, '192.0.2.11', '198.51.100.11', 'AES-CBC', bytes(range(32)), None, 'SHA2-256-128', bytes(range(32)),
     'AES-CBC [RFC3602]', 'HMAC-SHA-256-128 [RFC4868]', 'tunnel', False),
    (0x3001, '192.0.2.12', '198.51.100.12', 'AES-CBC', bytes(range(24)), None, 'SHA2-384-192', bytes(range(48)),
     'AES-CBC [RFC3602]', 'HMAC-SHA-384-192 [RFC4868]', 'transport', True),
    (0x4001, '192.0.2.13', '198.51.100.13', 'AES-CTR', bytes(range(20)), None, 'SHA2-512-256', bytes(range(64)),
     'AES-CTR [RFC3686]', 'HMAC-SHA-512-256 [RFC4868]', 'transport', False),
    (0x5001, '192.0.2.14', '198.51.100.14', 'AES-GCM', bytes(range(20)), 16, 'NULL', b'',
     'AES-GCM with 16 octet ICV [RFC4106]', 'NULL', 'tunnel', False),
    (0x5002, '192.0.2.14', '198.51.100.14', 'AES-GCM', bytes(range(20)), 8, 'NULL', b'',
     'AES-GCM with 8 octet ICV [RFC4106]', 'NULL', 'transport', False),
    (0x5003, '192.0.2.15', '198.51.100.15', 'AES-GCM', bytes(range(28)), 12, 'NULL', b'',
     'AES-GCM with 12 octet ICV [RFC4106]', 'NULL', 'tunnel', True),
    (0x6001, '192.0.2.16', '198.51.100.16', '3DES', bytes(range(24)), None, 'HMAC-MD5-96', bytes(range(16)),
     'TripleDES-CBC [RFC2451]', 'HMAC-MD5-96 [RFC2403]', 'tunnel', True),
    (0x7001, '192.0.2.17', '198.51.100.17', 'NULL', b'', None, 'HMAC-SHA1-96', bytes(range(20)),
     'NULL', 'HMAC-SHA-1-96 [RFC2404]', 'transport', False),
    (0x8001, '192.0.2.18', '198.51.100.18', 'AES-CBC', bytes(range(16)), None, 'NULL', b'',
     'AES-CBC [RFC3602]', 'NULL', 'transport', False),
]


def main():
    frames = []
    keys = ['# Wireshark esp_sa file for esp-scapy.pcap (made by scripts/make-esp-fixtures.py)']
    wrong = ['# The same SAs with every encryption and authentication key off by one bit']
    t = 0
    for (spi, src, dst, cipher, ckey, icv, auth, akey, ws_cipher, ws_auth, mode, natt) in SAS:
        kwargs = dict(crypt_algo=cipher, crypt_key=ckey, auth_algo=auth, auth_key=akey)
        if icv is not None:
            kwargs['crypt_icv_size'] = icv
        if mode == 'tunnel':
            kwargs['tunnel_header'] = IP(src=src, dst=dst)
        if natt:
            kwargs['nat_t_header'] = UDP(sport=4500, dport=4500)
        sa = SecurityAssociation(ESP, spi=spi, **kwargs)
        for i in range(1, 4):
            inner = ping(i) if mode == 'tunnel' else IP(src=src, dst=dst) / gre_payload(spi & 0xffff, f'1.1.1.{i}')
            esp_bytes = bytes(sa.encrypt(inner, seq_num=i))[20 + (8 if natt else 0):]
            if icv is not None and icv < 16:
                # scapy's AEAD path appends the whole 16-byte GCM tag; RFC 4106 truncates it to the ICV size.
                esp_bytes = esp_bytes[:len(esp_bytes) - (16 - icv)]
            # Rebuilt around the ESP bytes, since scapy also leaves the NAT-T UDP length at 8.
            if natt:
                packet = IP(src=src, dst=dst) / UDP(sport=4500, dport=4500) / Raw(esp_bytes)
            else:
                packet = IP(src=src, dst=dst, proto=50) / Raw(esp_bytes)
            frame = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / packet
            t += 1
            frame.time = T0 + t / 100
            frames.append(frame)
        hexkey = lambda k: '0x' + k.hex() if k else ''
        # Bit 1, not bit 0: bit 0 of a DES key byte is parity, which 3DES ignores (the key would still be right).
        flip = lambda k: bytes([k[0] ^ 2]) + k[1:] if k else k
        keys.append(f'"IPv4","{src}","{dst}","0x{spi:08x}","{ws_cipher}","{hexkey(ckey)}","{ws_auth}","{hexkey(akey)}"')
        wrong.append(f'"IPv4","{src}","{dst}","0x{spi:08x}","{ws_cipher}","{hexkey(flip(ckey))}","{ws_auth}","{hexkey(flip(akey))}"')
    wrpcap(os.path.join(FIXTURES, 'esp-scapy.pcap'), frames)
    with open(os.path.join(FIXTURES, 'esp-scapy.esp_sa'), 'w') as f:
        f.write('\n'.join(keys) + '\n')
    with open(os.path.join(FIXTURES, 'esp-scapy-wrong-keys.esp_sa'), 'w') as f:
        f.write('\n'.join(wrong) + '\n')
    print(f'{len(frames)} packets, {len(SAS)} SAs')


main()
