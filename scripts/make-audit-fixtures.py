#!/usr/bin/python3
"""Writes the audit's role, per-SA, per-sender and keepalive fixtures with
scapy (Debian's python3-scapy), each situation next to the look-alike the
audit must not confuse it with. test/tshark.test.ts and
test/audit-tshark.test.ts hold them to tshark like every fixture;
test/audit.test.ts asserts what the audit says of each.
Run: /usr/bin/python3 scripts/make-audit-fixtures.py [FIXTURE.pcap ...]
"""
import os
import random
import sys
import struct
from socket import AF_INET, AF_INET6, inet_pton

from scapy.all import GRE, GRE_PPTP, ICMP, IP, TCP, UDP, Ether, IPv6, Raw, rdpcap, wrpcap
from scapy.contrib.erspan import ERSPAN_II
from scapy.contrib.ospf import OSPFv3_Hdr, OSPFv3_Hello
from scapy.layers.ipsec import AH, ESP, SecurityAssociation

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
T0 = 1767225600
rnd = random.Random(15)


def at(pkt, t):
    pkt.time = T0 + t
    return pkt


def eth(pkt):
    return Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / pkt


def ospf_hello(src, router_id, auth=0):
    # OSPFv2 Hello, area 0, hello 10 s, dead 40 s; auth 0 none.
    body = bytes([2, 1, 0, 44]) + bytes(map(int, router_id.split('.'))) + bytes(4) + b'\x00\x00' + auth.to_bytes(2, 'big') + bytes(8)
    body += bytes([255, 255, 255, 252, 0, 10, 2, 1, 0, 0, 0, 40]) + bytes(8)
    return IP(src=src, dst='224.0.0.5', ttl=1, proto=89) / Raw(body)


def checksum(data):
    if len(data) % 2:
        data += b'\x00'
    s = sum(int.from_bytes(data[i:i + 2], 'big') for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s & 0xffff).to_bytes(2, 'big')


def with_checksum(data, at):
    return data[:at] + checksum(data[:at] + b'\x00\x00' + data[at + 2:]) + data[at + 2:]


def pim_hello(src):
    # PIMv2 Hello with a holdtime option (105 s).
    return IP(src=src, dst='224.0.0.13', ttl=1, proto=103) / Raw(with_checksum(bytes([0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105]), 2))


def http_get(client, server, sport):
    return IP(src=client, dst=server) / TCP(sport=sport, dport=80, flags='PA', seq=1000, ack=1) / Raw(b'GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n')


def syn(client, server, sport, dport):
    return IP(src=client, dst=server) / TCP(sport=sport, dport=dport, flags='S', seq=999, options=[('MSS', 1460)])


def telnet(client, server, sport):
    # The server's prompt: a telnet session, no password in it.
    return IP(src=server, dst=client) / TCP(sport=23, dport=sport, flags='PA', seq=5000, ack=1) / Raw(b'\r\nrouter1>')


def erspan_mirror():
    """An ERSPAN type II session: mirrored copies of both directions of OSPF,
    telnet and web traffic; with no MSS clamp or routing verdict that applies."""
    pkts = []
    mirrored = [
        Ether(src='00:11:22:33:44:01', dst='01:00:5e:00:00:05') / ospf_hello('10.20.0.1', '20.20.20.1'),
        Ether(src='00:11:22:33:44:02', dst='00:11:22:33:44:01') / syn('10.20.0.9', '10.20.0.1', 40001, 23),
        Ether(src='00:11:22:33:44:01', dst='00:11:22:33:44:02') / telnet('10.20.0.9', '10.20.0.1', 40001),
        Ether(src='00:11:22:33:44:02', dst='00:11:22:33:44:03') / http_get('10.20.0.9', '93.184.216.34', 40002),
    ]
    for i, frame in enumerate(mirrored):
        pkts.append(at(eth(IP(src='192.0.2.20', dst='198.51.100.20') / GRE(seqnum_present=1, seqence_number=i + 1, proto=0x88be)
                           / ERSPAN_II(ver=1, session_id=5, index=i) / frame), i * 0.5))
    return pkts


def wccp_redirect():
    """WCCPv2 redirection: the router sends clients' web requests to the cache in GRE 0x883E."""
    pkts = []
    for i in range(3):
        inner = http_get('10.30.0.%d' % (10 + i), '93.184.216.34', 41000 + i)
        pkts.append(at(eth(IP(src='192.0.2.30', dst='198.51.100.30') / GRE(proto=0x883e) / Raw(bytes([0, 0, 0, 0])) / inner), i))
    return pkts


def gre_multicast():
    """GRE to multicast groups: a draft-rosen default MDT (232.x, PIM between PEs) and an OTV-like overlay (239.x)."""
    pkts = []
    for i in range(3):
        pkts.append(at(eth(IP(src='192.0.2.40', dst='232.1.1.1', ttl=64) / GRE(proto=0x0800) / pim_hello('10.40.0.1')), i * 30))
        pkts.append(at(eth(IP(src='192.0.2.41', dst='232.1.1.1', ttl=64) / GRE(proto=0x0800) / pim_hello('10.40.0.2')), i * 30 + 1))
        pkts.append(at(eth(IP(src='192.0.2.42', dst='239.1.1.1', ttl=64) / GRE(proto=0x0800)
                           / IP(src='10.42.0.1', dst='10.42.0.2') / ICMP(id=1, seq=i)), i * 30 + 2))
    return pkts


def nhrp_registration(src_nbma, src_proto, dst_proto, request_id, reply=False):
    mandatory = bytes([4, 4]) + (0x8000 if not reply else 0).to_bytes(2, 'big') + request_id.to_bytes(4, 'big')
    mandatory += bytes(map(int, src_nbma.split('.'))) + bytes(map(int, src_proto.split('.'))) + bytes(map(int, dst_proto.split('.')))
    # One client information entry: code 0, prefix 32, MTU 1400, holding time 7200.
    cie = bytes([0, 32]) + bytes(2) + (1400).to_bytes(2, 'big') + (7200).to_bytes(2, 'big') + bytes([0, 0, 0, 0])
    total = 20 + len(mandatory) + len(cie)
    fixed = (1).to_bytes(2, 'big') + (0x0800).to_bytes(2, 'big') + bytes(5) + bytes([255]) + total.to_bytes(2, 'big') + bytes(2) + bytes(2)
    fixed += bytes([1, 4 if reply else 3, 4, 0])
    return with_checksum(fixed + mandatory + cie, 12)


def dmvpn():
    """mGRE (DMVPN): spokes register with the hub over NHRP, then send data, all under one tunnel key."""
    pkts = []
    for i, spoke in enumerate(['198.51.100.51', '198.51.100.52']):
        tun = '172.16.0.%d' % (11 + i)
        pkts.append(at(eth(IP(src=spoke, dst='192.0.2.50') / GRE(key_present=1, key=0x1000, proto=0x2001)
                           / Raw(nhrp_registration(spoke, tun, '172.16.0.1', 100 + i))), i))
        pkts.append(at(eth(IP(src='192.0.2.50', dst=spoke) / GRE(key_present=1, key=0x1000, proto=0x2001)
                           / Raw(nhrp_registration(spoke, tun, '172.16.0.1', 100 + i, reply=True))), i + 0.01))
        pkts.append(at(eth(IP(src=spoke, dst='192.0.2.50') / GRE(key_present=1, key=0x1000, proto=0x0800)
                           / IP(src='10.50.%d.1' % i, dst='10.50.100.1') / ICMP(id=2, seq=i)), i + 0.5))
    return pkts


def p2p_lookalike():
    """A point-to-point GRE tunnel carrying what the mirror and the redirect carry: here the verdicts apply."""
    pkts = []
    pkts.append(at(eth(IP(src='192.0.2.60', dst='198.51.100.60') / GRE(key_present=1, key=0x3c, proto=0x0800) / ospf_hello('10.60.0.1', '60.60.60.1')), 0))
    pkts.append(at(eth(IP(src='192.0.2.60', dst='198.51.100.60') / GRE(key_present=1, key=0x3c, proto=0x0800) / http_get('10.60.0.9', '93.184.216.34', 42000)), 1))
    pkts.append(at(eth(IP(src='198.51.100.60', dst='192.0.2.60') / GRE(key_present=1, key=0x3c, proto=0x0800) / telnet('10.60.0.9', '10.61.0.1', 42001)), 2))
    pkts.append(at(eth(IP(src='192.0.2.60', dst='198.51.100.60') / GRE(key_present=1, key=0x3c, proto=0x0800) / syn('10.60.0.9', '10.61.0.1', 42002, 443)), 3))
    return pkts


def keepalive_probe(sender, peer, key):
    inner = IP(src=peer, dst=sender, proto=47) / GRE(key_present=1, key=key, proto=0)
    return eth(IP(src=sender, dst=peer) / GRE(key_present=1, key=key, proto=0x0800) / inner)


def keepalive_reply(sender, peer, key):
    return eth(IP(src=peer, dst=sender, proto=47) / GRE(key_present=1, key=key, proto=0))


def keepalives():
    """Cisco GRE keepalives. Key 1: 203.0.113.1 probes every 10 s, 192.0.2.2 reflects each in 0.8 ms and
    sends none. Key 2: both ends probe every 5 s, one probe of 198.51.100.2 goes unanswered."""
    pkts = []
    for i in range(3):
        t = i * 10
        pkts.append(at(keepalive_probe('203.0.113.1', '192.0.2.2', 1), t))
        pkts.append(at(keepalive_reply('203.0.113.1', '192.0.2.2', 1), t + 0.0008))
        pkts.append(at(eth(IP(src='203.0.113.1', dst='192.0.2.2') / GRE(key_present=1, key=1, proto=0x0800)
                           / IP(src='10.1.0.1', dst='10.2.0.1') / ICMP(id=3, seq=i)), t + 1))
    for i in range(3):
        t = 100 + i * 5
        pkts.append(at(keepalive_probe('198.51.100.1', '198.51.100.2', 2), t))
        pkts.append(at(keepalive_reply('198.51.100.1', '198.51.100.2', 2), t + 0.002))
        pkts.append(at(keepalive_probe('198.51.100.2', '198.51.100.1', 2), t + 1))
        if i != 1:
            pkts.append(at(keepalive_reply('198.51.100.2', '198.51.100.1', 2), t + 1.004))
    return sorted(pkts, key=lambda p: p.time)


def opaque_esp(src, dst, spi, seq, t):
    return at(eth(IP(src=src, dst=dst) / ESP(spi=spi, seq=seq, data=bytes(rnd.getrandbits(8) for _ in range(64)))), t)


def group_sa():
    """GETVPN: group members fetch keys from the key server over GDOI (UDP 848), then each sends with the
    group's SPI and its own counter. Beside it, a unicast SA that really repeats a sequence number."""
    pkts = []
    ks, gm1, gm2, gm3 = '192.0.2.100', '198.51.100.1', '198.51.100.2', '198.51.100.3'
    for i, gm in enumerate([gm1, gm2, gm3]):
        pkts.append(at(eth(IP(src=gm, dst=ks) / UDP(sport=848, dport=848) / Raw(bytes(rnd.getrandbits(8) for _ in range(8)) + bytes(8) + bytes([0x21, 0x10, 32, 0]) + bytes(4) + (48).to_bytes(4, 'big') + bytes(20))), i * 0.1))
    spi = 0x0badcafe
    t = 1
    for seq in range(1, 6):
        pkts.append(opaque_esp(gm1, gm2, spi, seq, t))
        pkts.append(opaque_esp(gm2, gm1, spi, seq, t + 0.01))
        if seq <= 3:
            pkts.append(opaque_esp(gm3, gm2, spi, seq * 2, t + 0.02))
        t += 1
    for i, seq in enumerate([1, 2, 3, 2]):
        pkts.append(opaque_esp('192.0.2.150', '192.0.2.151', 0x1111, seq, 10 + i))
    return pkts


def per_sa():
    """Several SAs between one peer pair, each with its own protection and mode."""
    pkts = []
    auth = bytes(range(20))
    inner = lambda key, src, dst: IP(src=src, dst=dst, proto=47) / GRE(key_present=1, key=key, proto=0x0800) / IP(src='10.9.0.1', dst='10.9.0.2') / ICMP(id=9, seq=1) / Raw(b'gredump-per-sa')
    # Pair 1: NULL encryption on one SA, AES on the other (with more packets).
    null_sa = SecurityAssociation(ESP, spi=0x100, crypt_algo='NULL', auth_algo='HMAC-SHA1-96', auth_key=auth)
    for i in range(2):
        pkts.append(at(eth(null_sa.encrypt(inner(5, '192.0.2.1', '198.51.100.7'))), i))
    for i in range(6):
        pkts.append(opaque_esp('198.51.100.7', '192.0.2.1', 0x200, i + 1, 2 + i))
    # Pair 2: GRE inside AH alone, and encrypted ESP beside it.
    ah_sa = SecurityAssociation(AH, spi=0x300, auth_algo='HMAC-SHA1-96', auth_key=auth)
    for i in range(3):
        pkts.append(at(eth(ah_sa.encrypt(inner(9, '192.0.2.3', '198.51.100.9'))), 10 + i))
    for i in range(4):
        pkts.append(opaque_esp('198.51.100.9', '192.0.2.3', 0x400, i + 1, 13 + i))
    # Pair 3: AH around encrypted ESP: what ESP carries, and so the mode, cannot be read.
    esp_sa = SecurityAssociation(ESP, spi=0x600, crypt_algo='AES-CBC', crypt_key=bytes(range(16)), auth_algo='NULL')
    ah2 = SecurityAssociation(AH, spi=0x500, auth_algo='HMAC-SHA1-96', auth_key=auth)
    for i in range(3):
        pkts.append(at(eth(ah2.encrypt(esp_sa.encrypt(inner(11, '192.0.2.5', '198.51.100.11')))), 20 + i))
    return pkts


def ospfv3_esp_null():
    """RFC 4552: OSPFv3 authenticated by ESP with NULL encryption, a manual SA shared by both routers."""
    pkts = []
    sa = SecurityAssociation(ESP, spi=0x2000, crypt_algo='NULL', auth_algo='HMAC-SHA1-96', auth_key=bytes(range(20)))
    for i in range(3):
        for j, (src, rid) in enumerate([('fe80::1', '1.1.1.1'), ('fe80::2', '2.2.2.2')]):
            hello = IPv6(src=src, dst='ff02::5', hlim=1, nh=89) / OSPFv3_Hdr(src=rid, area='0.0.0.0') / OSPFv3_Hello(hellointerval=10, deadinterval=40)
            p = sa.encrypt(hello)
            p[ESP].seq = i + 1
            pkts.append(at(Ether(src='02:00:00:00:00:0%d' % (j + 1), dst='33:33:00:00:00:05') / p, i * 10 + j))
    return pkts


def isis_p2p_hello(system_id, auth=None):
    sysid = bytes.fromhex(system_id.replace('.', ''))
    tlvs = bytes([1, 4, 3, 0x49, 0, 1]) + bytes([129, 1, 0xcc]) + bytes([132, 4, 10, 80, 0, sysid[-1]])
    if auth == 'hmac-md5':
        tlvs += bytes([10, 17, 54]) + bytes(16)
    elif auth == 'cleartext':
        tlvs += bytes([10, 7, 1]) + b'secret'
    body = bytes([2]) + sysid + (30).to_bytes(2, 'big')
    length = 8 + len(body) + 3 + len(tlvs)
    return bytes([0x83, 20, 1, 0, 17, 1, 0, 0]) + body + length.to_bytes(2, 'big') + bytes([1]) + tlvs


def bgp_open(asn, bgp_id):
    caps = bytes([2, 6, 65, 4]) + asn.to_bytes(4, 'big')
    body = bytes([4]) + asn.to_bytes(2, 'big') + (90).to_bytes(2, 'big') + bytes(map(int, bgp_id.split('.'))) + bytes([len(caps)]) + caps
    return b'\xff' * 16 + (19 + len(body)).to_bytes(2, 'big') + bytes([1]) + body


def ldp_init(lsr_id):
    # LDP PDU: version 1, length, LDP identifier (LSR ID, label space 0); an Initialization message with Common Session Parameters.
    params = (0x0500).to_bytes(2, 'big') + (14).to_bytes(2, 'big') + (1).to_bytes(2, 'big') + (180).to_bytes(2, 'big') + bytes(4) + bytes(map(int, lsr_id.split('.'))) + bytes(2)
    msg = (0x0200).to_bytes(2, 'big') + (4 + len(params)).to_bytes(2, 'big') + (1).to_bytes(4, 'big') + params
    return (1).to_bytes(2, 'big') + (6 + len(msg)).to_bytes(2, 'big') + bytes(map(int, lsr_id.split('.'))) + bytes(2) + msg


def bfd_control(my, your):
    # Version 1, state Up (3), no authentication, detect multiplier 3, length 24, intervals 300 ms.
    return bytes([0x20, 0xc0, 3, 24]) + my.to_bytes(4, 'big') + your.to_bytes(4, 'big') + (300000).to_bytes(4, 'big') * 3


def routing_in_gre():
    """Inside one cleartext GRE tunnel (key 0x46): IS-IS hellos from a system without authentication, one with
    HMAC-MD5 and one with a cleartext password; a BGP session without TCP-MD5 and one with it; an LDP session
    without TCP-MD5; BFD."""
    pkts = []
    gre = lambda src, dst, proto: IP(src=src, dst=dst) / GRE(key_present=1, key=0x46, proto=proto)
    a, b = '192.0.2.70', '198.51.100.70'
    for i in range(3):
        t = i * 10
        pkts.append(at(eth(gre(a, b, 0x00fe) / Raw(isis_p2p_hello('1921.6800.1001'))), t))
        pkts.append(at(eth(gre(b, a, 0x00fe) / Raw(isis_p2p_hello('1921.6800.1002', 'hmac-md5'))), t + 1))
        pkts.append(at(eth(gre(b, a, 0x00fe) / Raw(isis_p2p_hello('1921.6800.1003', 'cleartext'))), t + 2))
    pkts.append(at(eth(gre(a, b, 0x0800) / IP(src='10.70.0.1', dst='10.70.0.2') / TCP(sport=50000, dport=179, flags='PA', seq=1, ack=1) / Raw(bgp_open(65001, '10.70.0.1'))), 31))
    pkts.append(at(eth(gre(b, a, 0x0800) / IP(src='10.70.0.2', dst='10.70.0.1') / TCP(sport=179, dport=50000, flags='PA', seq=1, ack=1) / Raw(bgp_open(65002, '10.70.0.2'))), 32))
    md5 = [(19, bytes(16))]
    pkts.append(at(eth(gre(a, b, 0x0800) / IP(src='10.71.0.1', dst='10.71.0.2') / TCP(sport=50001, dport=179, flags='PA', seq=1, ack=1, options=md5) / Raw(bgp_open(65001, '10.71.0.1'))), 33))
    pkts.append(at(eth(gre(b, a, 0x0800) / IP(src='10.71.0.2', dst='10.71.0.1') / TCP(sport=179, dport=50001, flags='PA', seq=1, ack=1, options=md5) / Raw(bgp_open(65003, '10.71.0.2'))), 34))
    pkts.append(at(eth(gre(a, b, 0x0800) / IP(src='10.72.0.1', dst='10.72.0.2') / TCP(sport=50002, dport=646, flags='PA', seq=1, ack=1) / Raw(ldp_init('10.72.0.1'))), 35))
    pkts.append(at(eth(gre(a, b, 0x0800) / IP(src='10.73.0.1', dst='10.73.0.2', ttl=255) / UDP(sport=49152, dport=3784) / Raw(bfd_control(1, 2))), 36))
    return pkts


def ospf_packet(msg_type, router_id, body):
    """An OSPFv2 message in area 0 without authentication, its checksum set."""
    header = bytes([2, msg_type]) + (24 + len(body)).to_bytes(2, 'big') + bytes(map(int, router_id.split('.')))
    return with_checksum(header + bytes(4) + bytes(12) + body, 12)


def ospf_hello_to(router_id, neighbor):
    """A Hello of a point-to-point tunnel interface (mask /30, hello 10 s, dead 40 s) that has heard the neighbour."""
    body = bytes([255, 255, 255, 252, 0, 10, 0x02, 1, 0, 0, 0, 40]) + bytes(8) + bytes(map(int, neighbor.split('.')))
    return ospf_packet(1, router_id, body)


def ospf_dbd(router_id, mtu, flags, seq):
    """An empty Database Description: the interface MTU, options E, the flags (I 4, M 2, MS 1), the sequence."""
    return ospf_packet(2, router_id, mtu.to_bytes(2, 'big') + bytes([0x02, flags]) + seq.to_bytes(4, 'big'))


def ospf_mtu():
    """OSPF over three GRE tunnels whose routers hear each other's Hellos. Key 0x48: interface MTUs 1476 and 1400;
    the router with 1400 drops the Database Descriptions of the other (RFC 2328 10.6) and sends its initial one again
    every 5 s, never past ExStart (the finding). Key 0x49: the same MTUs with mtu-ignore, the exchange goes on past
    ExStart. Key 0x4a: both 1476, one router retransmitting its initial Database Description (lost packets, not an
    MTU)."""
    pkts = []
    for key, (a, b), (mtu_a, mtu_b), ignores, n in [
        (0x48, ('192.0.2.72', '198.51.100.72'), (1476, 1400), False, 72),
        (0x49, ('192.0.2.73', '198.51.100.73'), (1476, 1400), True, 73),
        (0x4a, ('192.0.2.74', '198.51.100.74'), (1476, 1476), False, 74),
    ]:
        r1, r2 = f'{n}.{n}.{n}.1', f'{n}.{n}.{n}.2'
        i1, i2 = f'10.{n}.0.1', f'10.{n}.0.2'
        side_a = lambda inner, dst, t: at(eth(IP(src=a, dst=b) / GRE(key_present=1, key=key, proto=0x0800) / IP(src=i1, dst=dst, ttl=1, proto=89) / Raw(inner)), t)
        side_b = lambda inner, dst, t: at(eth(IP(src=b, dst=a) / GRE(key_present=1, key=key, proto=0x0800) / IP(src=i2, dst=dst, ttl=1, proto=89) / Raw(inner)), t)
        pkts.append(side_a(ospf_hello_to(r1, r2), '224.0.0.5', 0))
        pkts.append(side_b(ospf_hello_to(r2, r1), '224.0.0.5', 0.5))
        # Both start in ExStart (I, M, MS); r2, the higher router ID, is the master: r1 answers as its slave.
        pkts.append(side_a(ospf_dbd(r1, mtu_a, 0x07, 1000), i2, 1))
        for k in range(4):
            t = 1.01 + 5 * k
            if ignores and k == 2:
                # mtu-ignore: the master takes the slave's answer and goes on (its next sequence number, More clear).
                pkts.append(side_b(ospf_dbd(r2, mtu_b, 0x01, 2001), i1, t))
                pkts.append(side_a(ospf_dbd(r1, mtu_a, 0x00, 2001), i2, t + 0.01))
                break
            pkts.append(side_b(ospf_dbd(r2, mtu_b, 0x07, 2000), i1, t))
            pkts.append(side_a(ospf_dbd(r1, mtu_a, 0x02, 2000), i2, t + 0.01))
    pkts.sort(key=lambda p: p.time)
    return pkts


def ip4(text):
    return bytes(map(int, text.split('.')))


def router_lsa(router_id, stubs, age=1):
    """A Router-LSA of stub links (network, mask, metric 1); age 3600 flushes it."""
    links = b''.join(ip4(net) + ip4(mask) + bytes([3, 0, 0, 1]) for net, mask in stubs)
    body = bytes([0, 0]) + len(stubs).to_bytes(2, 'big') + links
    header = age.to_bytes(2, 'big') + bytes([0x02, 1]) + ip4(router_id) + ip4(router_id) + (0x80000001).to_bytes(4, 'big') + bytes(2)
    return header + (20 + len(body)).to_bytes(2, 'big') + body


def external_lsa(router_id, network, mask):
    """An AS-External-LSA of type 2, metric 1."""
    header = bytes([0, 1, 0x02, 5]) + ip4(network) + ip4(router_id) + (0x80000001).to_bytes(4, 'big') + bytes(2)
    return header + (36).to_bytes(2, 'big') + ip4(mask) + bytes([0x80, 0, 0, 1]) + bytes(8)


def ospf_update(router_id, lsas):
    return ospf_packet(4, router_id, len(lsas).to_bytes(4, 'big') + b''.join(lsas))


def rip_response(routes, metric=1):
    """A RIPv2 response: (network, mask) entries, of one metric (16: unreachable)."""
    entries = b''.join(b'\x00\x02\x00\x00' + ip4(net) + ip4(mask) + bytes(4) + metric.to_bytes(4, 'big') for net, mask in routes)
    return bytes([2, 2, 0, 0]) + entries


def recursive_routes():
    """Routes across GRE tunnels. Key 0x4b: an OSPF router announces 198.51.100.0/24, which holds the tunnel's
    endpoint 198.51.100.75 (recursive routing), beside the tunnel's /30 and its loopback. Key 0x4c, the look-alike: the
    tunnel's /30, a loopback, the next /24 (198.51.101.0) and a default route (0.0.0.0/0, an AS-External-LSA). Key
    0x4d: a RIPv2 speaker announcing 192.0.2.0/24, which holds endpoint 192.0.2.77, and 10.77.1.0/24. Key 0x4f, the
    withdrawals: the endpoint's /24 in a flushed Router-LSA (MaxAge) and in a RIPv2 route of metric 16."""
    pkts = []
    gre = lambda a, b, key: IP(src=a, dst=b) / GRE(key_present=1, key=key, proto=0x0800)
    lsu = ospf_update('75.75.75.1', [router_lsa('75.75.75.1', [('10.75.0.0', '255.255.255.252'), ('75.75.75.1', '255.255.255.255'), ('198.51.100.0', '255.255.255.0')])])
    pkts.append(at(eth(gre('192.0.2.75', '198.51.100.75', 0x4b) / IP(src='10.75.0.1', dst='224.0.0.5', ttl=1, proto=89) / Raw(lsu)), 0))
    lsu = ospf_update('76.76.76.1', [
        router_lsa('76.76.76.1', [('10.76.0.0', '255.255.255.252'), ('76.76.76.1', '255.255.255.255'), ('198.51.101.0', '255.255.255.0')]),
        external_lsa('76.76.76.1', '0.0.0.0', '0.0.0.0'),
    ])
    pkts.append(at(eth(gre('192.0.2.76', '198.51.100.76', 0x4c) / IP(src='10.76.0.1', dst='224.0.0.5', ttl=1, proto=89) / Raw(lsu)), 1))
    rip = rip_response([('192.0.2.0', '255.255.255.0'), ('10.77.1.0', '255.255.255.0')])
    pkts.append(at(eth(gre('198.51.100.77', '192.0.2.77', 0x4d) / IP(src='10.77.0.2', dst='224.0.0.9', ttl=1) / UDP(sport=520, dport=520) / Raw(rip)), 2))
    lsu = ospf_update('79.79.79.2', [router_lsa('79.79.79.2', [('198.51.100.0', '255.255.255.0')], age=3600)])
    pkts.append(at(eth(gre('192.0.2.79', '198.51.100.79', 0x4f) / IP(src='10.79.1.1', dst='224.0.0.5', ttl=1, proto=89) / Raw(lsu)), 3))
    rip = rip_response([('192.0.2.0', '255.255.255.0')], metric=16)
    pkts.append(at(eth(gre('198.51.100.79', '192.0.2.79', 0x4f) / IP(src='10.79.1.2', dst='224.0.0.9', ttl=1) / UDP(sport=520, dport=520) / Raw(rip)), 4))
    return pkts


def eigrp_packet(opcode, tlvs, asn=100):
    # EIGRP header (RFC 7868 6.4): version 2, opcode, checksum, flags, sequence, acknowledgement, virtual router, AS.
    body = bytes([2, opcode]) + bytes(2) + bytes(4) + (1).to_bytes(4, 'big') + bytes(4) + bytes(2) + asn.to_bytes(2, 'big') + b''.join(tlvs)
    return with_checksum(body, 2)


def eigrp_destination(prefix, length):
    return bytes([length]) + bytes(map(int, prefix.split('.')))[:(length + 7) // 8]


def eigrp_legacy(prefix, length, external=False, delay=2560):
    # An IPv4 route TLV (0x0102 internal, 0x0103 external: its external data first), the legacy metric, one destination.
    ext = bytes(4) + (200).to_bytes(4, 'big') + bytes(4) + (20).to_bytes(4, 'big') + bytes([6, 0, 0, 0]) if external else b''
    metric = delay.to_bytes(4, 'big') + (25600).to_bytes(4, 'big') + (1500).to_bytes(3, 'big') + bytes([1, 255, 1, 0, 0])
    value = bytes(4) + ext + metric + eigrp_destination(prefix, length)
    return (0x0103 if external else 0x0102).to_bytes(2, 'big') + (4 + len(value)).to_bytes(2, 'big') + value


def eigrp_wide(prefix, length, external=False, delay=10 ** 7):
    # A multi-protocol route TLV (0x0602 internal, 0x0603 external) of AFI IPv4: topology 0, router ID, the wide
    # metric (no attributes), next hop, external data, one destination.
    wide = bytes([0, 0, 255, 1]) + (1500).to_bytes(3, 'big') + bytes([1]) + delay.to_bytes(6, 'big') + (10 ** 5).to_bytes(6, 'big') + bytes(4)
    ext = bytes(4) + (200).to_bytes(4, 'big') + bytes(4) + (20).to_bytes(4, 'big') + bytes([6, 0, 0, 0]) if external else b''
    value = bytes(2) + (1).to_bytes(2, 'big') + bytes([10, 0, 0, 1]) + wide + bytes(4) + ext + eigrp_destination(prefix, length)
    return (0x0603 if external else 0x0602).to_bytes(2, 'big') + (4 + len(value)).to_bytes(2, 'big') + value


def recursive_eigrp():
    """EIGRP routes across GRE tunnels (DMVPN's classic recursion: a spoke learning the hub's NBMA prefix through the
    tunnel). Key 0x51: an Update's legacy internal route 198.51.100.0/24 holds endpoint 198.51.100.81, beside
    10.81.0.0/16. Key 0x52: named mode's wide-metric routes, internal 192.0.2.0/25 and external 198.51.100.80/28, each
    holding one endpoint. Key 0x53, the look-alikes: a default route, the next /24, another network; the endpoints'
    /24s withdrawn (delays infinite, legacy and wide); a Query and a Reply carrying the endpoint's /24 (not
    announcements); a Hello."""
    gre = lambda a, b, key: IP(src=a, dst=b) / GRE(key_present=1, key=key, proto=0x0800)
    eigrp = lambda src, opcode, tlvs: IP(src=src, dst='224.0.0.10', ttl=1, proto=88) / Raw(eigrp_packet(opcode, tlvs))
    update = 1
    return [
        at(eth(gre('192.0.2.81', '198.51.100.81', 0x51) / eigrp('10.81.0.1', update, [eigrp_legacy('198.51.100.0', 24), eigrp_legacy('10.81.0.0', 16)])), 0),
        at(eth(gre('198.51.100.82', '192.0.2.82', 0x52) / eigrp('10.82.0.2', update, [eigrp_wide('192.0.2.0', 25), eigrp_wide('198.51.100.80', 28, external=True)])), 1),
        at(eth(gre('192.0.2.83', '198.51.100.83', 0x53) / eigrp('10.83.0.1', update, [
            eigrp_legacy('0.0.0.0', 0, external=True), eigrp_legacy('198.51.101.0', 24), eigrp_wide('10.83.0.0', 16),
            eigrp_legacy('198.51.100.0', 24, delay=0xffffffff), eigrp_wide('192.0.2.0', 24, delay=0xffffffffffff)])), 2),
        at(eth(gre('198.51.100.83', '192.0.2.83', 0x53) / eigrp('10.83.0.2', 3, [eigrp_legacy('198.51.100.0', 24)])), 3),
        at(eth(gre('192.0.2.83', '198.51.100.83', 0x53) / eigrp('10.83.0.1', 4, [eigrp_wide('192.0.2.0', 24)])), 4),
        at(eth(gre('192.0.2.83', '198.51.100.83', 0x53) / eigrp('10.83.0.1', 5, [bytes.fromhex('0001000c0100010000000f00')])), 5),
    ]


def ospf_fragments():
    """OSPF too large for one packet: an LS Update of 60 AS-External-LSAs in IPv4 fragments inside GRE (key 0x4e),
    and an OSPFv3 LS Acknowledge of 100 LSA headers in IPv6 fragments."""
    from scapy.contrib.ospf import OSPF_External_LSA, OSPF_Hdr, OSPF_LSUpd, OSPFv3_LSA_Hdr, OSPFv3_LSAck
    from scapy.layers.inet6 import IPv6ExtHdrFragment, fragment6
    from scapy.all import fragment
    lsas = [OSPF_External_LSA(id=f'10.{i}.0.0', adrouter='78.78.78.1', mask='255.255.0.0', metric=20) for i in range(60)]
    update = IP(src='10.78.0.1', dst='224.0.0.5', ttl=1, id=7) / OSPF_Hdr(src='78.78.78.1') / OSPF_LSUpd(lsalist=lsas)
    tunnel = IP(src='192.0.2.78', dst='198.51.100.78') / GRE(key_present=1, key=0x4e, proto=0x0800)
    pkts = [at(eth(tunnel / f), k * 0.001) for k, f in enumerate(fragment(update, fragsize=800))]
    headers = [OSPFv3_LSA_Hdr(id=f'0.0.0.{i}', adrouter='78.78.78.2') for i in range(100)]
    ack = IPv6(src='fe80::78', dst='ff02::5', hlim=1) / IPv6ExtHdrFragment(id=5) / OSPFv3_Hdr(src='78.78.78.2') / OSPFv3_LSAck(lsaheaders=headers)
    pkts += [at(Ether(src='02:00:00:00:00:78', dst='33:33:00:00:00:05') / f, 1 + k * 0.001) for k, f in enumerate(fragment6(IPv6(bytes(ack)), 1280))]
    return pkts


def ospf_odd():
    """OSPF corners (no tunnel): a Hello whose LLS block holds an options TLV of length 0, its value cut by the end
    of the IP payload (an Ethernet trailer follows); an LS Update with a Router-LSA link of two TOS metrics; an LS
    Acknowledge of a grace-LSA's header (opaque: its Link State ID an opaque type and ID) and a TE LSA's; OSPFv3 LS
    Updates of every LSA body Wireshark reads, of the IPv6 and the IPv4 address families."""
    from scapy.all import Padding
    hello = bytes([255, 255, 255, 0, 0, 10, 0x12, 1, 0, 0, 0, 40]) + bytes(8)
    lls = bytes([0, 0, 0, 2, 0, 1, 0, 0])
    ip = lambda payload: IP(src='10.79.0.1', dst='224.0.0.5', ttl=1, proto=89) / Raw(payload)
    pkts = [at(eth(ip(ospf_packet(1, '79.79.79.1', hello) + lls) / Padding(b'\xde\xad\xbe\xef')), 0)]
    link = ip4('10.79.0.0') + ip4('255.255.255.0') + bytes([3, 2, 0, 10]) + bytes([8, 0, 0, 20]) + bytes([16, 0, 0, 30])
    body = bytes([0, 0, 0, 1]) + link
    header = bytes([0, 1, 0x02, 1]) + ip4('79.79.79.1') * 2 + (0x80000001).to_bytes(4, 'big') + bytes(2)
    router = header + (20 + len(body)).to_bytes(2, 'big') + body
    pkts.append(at(eth(ip(ospf_update('79.79.79.1', [router]))), 1))
    grace = bytes([0, 5, 0x02, 9, 3, 0, 0, 0]) + ip4('79.79.79.1') + (0x80000001).to_bytes(4, 'big') + bytes(2) + (20).to_bytes(2, 'big')
    te = bytes([0, 5, 0x02, 10, 1, 0, 0, 8]) + ip4('79.79.79.1') + (0x80000002).to_bytes(4, 'big') + bytes(2) + (20).to_bytes(2, 'big')
    pkts.append(at(eth(ip(ospf_packet(5, '79.79.79.1', grace + te))), 2))
    # OSPFv3 LS Updates of every LSA body Wireshark reads (RFC 5340 A.4): a Router-LSA of two interfaces, a
    # Network-LSA, an Inter-Area-Router-LSA, an AS-External-LSA with a forwarding address, a route tag and a
    # referenced LSA, its prefix of 61 bits (Wireshark clears the bits past the length in the last byte of its last
    # word), an NSSA-LSA with none of those, a Link-LSA, an Intra-Area-Prefix-LSA (a /0 among its prefixes); then, in
    # an instance of the IPv4 address family (RFC 5838: instance 70), an Inter-Area-Prefix-LSA, a Link-LSA and an
    # AS-External-LSA of IPv4 addresses.
    def lsa3(ls_type, lsid, body):
        return struct.pack('>HH4s4sIHH', 1, ls_type, ip4(lsid), ip4('79.79.79.3'), 0x80000001, 0, 20 + len(body)) + body

    def prefix3(bits, addr, third=b'\x00\x00', options=0, family=AF_INET6):
        raw = inet_pton(family, addr)
        return bytes([bits, options]) + third + (raw[:(bits + 31) // 32 * 4] if family == AF_INET6 else raw)

    options = b'\x00\x00\x13'
    interface = lambda kind, metric, iface, neighbor, rid: struct.pack('>BBHII4s', kind, 0, metric, iface, neighbor, ip4(rid))
    v6 = [
        lsa3(0x2001, '0.0.0.0', b'\x03' + options + interface(1, 10, 5, 7, '79.79.79.4') + interface(2, 1, 6, 6, '79.79.79.3')),
        lsa3(0x2002, '0.0.0.6', b'\x00' + options + ip4('79.79.79.3') + ip4('79.79.79.4')),
        lsa3(0x2004, '0.0.0.1', b'\x00' + options + b'\x00' + (20).to_bytes(3, 'big') + ip4('79.79.79.9')),
        lsa3(0x4005, '0.0.0.2', b'\x07' + (100).to_bytes(3, 'big') + bytes([61, 0x08]) + struct.pack('>H', 0x2001)
             + inet_pton(AF_INET6, '2001:db8:45:ff::')[:8] + inet_pton(AF_INET6, '2001:db8::1') + struct.pack('>I', 777)
             + ip4('0.0.0.9')),
        lsa3(0x2007, '0.0.0.3', b'\x04' + (5).to_bytes(3, 'big') + bytes([48, 0]) + b'\x00\x00'
             + inet_pton(AF_INET6, '2001:db8:77::')[:8]),
        lsa3(0x0008, '0.0.0.6', b'\x01' + options + inet_pton(AF_INET6, 'fe80::3') + struct.pack('>I', 2)
             + prefix3(64, '2001:db8:1::', options=0x02) + prefix3(128, '2001:db8::3')),
        lsa3(0x2009, '0.0.0.0', struct.pack('>HH4s4s', 3, 0x2001, ip4('0.0.0.0'), ip4('79.79.79.3'))
             + prefix3(64, '2001:db8:2::', b'\x00\x0a') + prefix3(0, '::', b'\x00\x01') + prefix3(33, '2001:db8:ff00::', b'\x00\x02')),
    ]
    v4 = [
        lsa3(0x2003, '0.0.0.4', b'\x00' + (30).to_bytes(3, 'big') + bytes([24, 0]) + b'\x00\x00' + ip4('10.79.0.0')),
        lsa3(0x0008, '0.0.0.6', b'\x01' + options + ip4('10.79.0.3') + bytes(12) + struct.pack('>I', 1)
             + prefix3(24, '10.79.1.0', family=AF_INET)),
        lsa3(0x4005, '0.0.0.5', b'\x02' + (40).to_bytes(3, 'big') + bytes([16, 0]) + b'\x00\x00' + ip4('10.80.0.0')
             + ip4('10.79.0.9') + bytes(12)),
    ]
    update3 = lambda lsas, instance: (IPv6(src='fe80::3', dst='ff02::5', hlim=1)
                                      / OSPFv3_Hdr(type=4, src='79.79.79.3', instance=instance)
                                      / Raw(struct.pack('>I', len(lsas)) + b''.join(lsas)))
    pkts.append(at(Ether(src='02:00:00:00:00:01', dst='33:33:00:00:00:05') / update3(v6, 0), 3))
    pkts.append(at(Ether(src='02:00:00:00:00:01', dst='33:33:00:00:00:05') / update3(v4, 70), 4))
    return pkts


def overlays():
    """Other tunnels: a VXLAN overlay (VNI 5001) carrying a tenant's telnet and web traffic between two VTEPs, and
    its flooding to a multicast group; Geneve (VNI 77); IP in IP: 4in4, 6in4 (as 6rd and ISATAP use), 4in6."""
    from scapy.layers.vxlan import VXLAN
    from scapy.contrib.geneve import GENEVE
    pkts = []
    tenant = Ether(src='00:00:5e:00:53:01', dst='00:00:5e:00:53:02')
    vtep = lambda src, dst: IP(src=src, dst=dst) / UDP(sport=49153, dport=4789) / VXLAN(vni=5001, flags=0x08)
    pkts.append(at(eth(vtep('192.0.2.80', '198.51.100.80') / tenant / syn('10.80.0.1', '10.80.0.2', 43000, 23)), 0))
    pkts.append(at(eth(vtep('198.51.100.80', '192.0.2.80') / tenant / telnet('10.80.0.1', '10.80.0.2', 43000)), 1))
    pkts.append(at(eth(vtep('192.0.2.80', '198.51.100.80') / tenant / http_get('10.80.0.1', '10.80.0.3', 43001)), 2))
    pkts.append(at(eth(vtep('192.0.2.80', '239.1.1.80') / Ether(src='00:00:5e:00:53:01', dst='ff:ff:ff:ff:ff:ff') / IP(src='10.80.0.1', dst='10.80.0.255') / UDP(sport=9999, dport=9999) / Raw(b'x' * 8)), 3))
    pkts.append(at(eth(IP(src='192.0.2.81', dst='198.51.100.81') / UDP(sport=49154, dport=6081) / GENEVE(vni=77, proto=0x6558) / tenant
                       / IP(src='10.81.0.1', dst='10.81.0.2') / ICMP(id=4, seq=1)), 4))
    pkts.append(at(eth(IP(src='192.0.2.82', dst='198.51.100.82', proto=4) / IP(src='10.82.0.1', dst='10.82.0.2') / ICMP(id=5, seq=1)), 5))
    pkts.append(at(eth(IP(src='192.0.2.83', dst='198.51.100.83', proto=41) / IPv6(src='2001:db8:83::1', dst='2001:db8:83::2') / Raw(b'')), 6))
    pkts.append(at(Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IPv6(src='2001:db8:84::1', dst='2001:db8:84::2', nh=4) / IP(src='10.84.0.1', dst='10.84.0.2') / ICMP(id=6, seq=1), 7))
    return pkts


def gre_entropy():
    """GRE keys used for entropy: between 192.0.2.90 and 198.51.100.90 the low 8 bits of the key follow the inner
    flow (0x00abcd00 + a hash), one flow a key; NVGRE VSID 5001 with three FlowIDs. The look-alike: keys 1 to 5
    between 192.0.2.91 and 198.51.100.91, five tunnels each carrying several flows."""
    pkts = []
    t = 0
    for flow in range(5):
        key = 0x00abcd00 + (flow * 37 + 11) % 256
        for i in range(2):
            pkts.append(at(eth(IP(src='192.0.2.90', dst='198.51.100.90') / GRE(key_present=1, key=key, proto=0x0800)
                               / IP(src='10.90.0.%d' % (flow + 1), dst='10.91.0.1') / UDP(sport=5000 + flow, dport=53) / Raw(b'q')), t))
            t += 0.1
    for flow in range(3):
        pkts.append(at(eth(IP(src='192.0.2.92', dst='198.51.100.92') / GRE(key_present=1, key=(5001 << 8) | (flow + 1), proto=0x6558)
                           / Ether(src='00:00:5e:00:53:11', dst='00:00:5e:00:53:12') / IP(src='10.92.0.%d' % (flow + 1), dst='10.92.1.1') / ICMP(id=flow, seq=1)), t))
        t += 0.1
    for key in range(1, 6):
        for host in range(2):
            pkts.append(at(eth(IP(src='192.0.2.91', dst='198.51.100.91') / GRE(key_present=1, key=key, proto=0x0800)
                               / IP(src='10.%d.0.%d' % (100 + key, host + 1), dst='10.%d.1.1' % (100 + key)) / ICMP(id=key, seq=host)), t))
            t += 0.1
    return pkts


def l2tpv3():
    """L2TPv3 pseudowires: over IP (protocol 115) session 0x1234 both ways, one with a 4-byte cookie (0x5678); over
    UDP 1701 session 0x9abc; and an L2TPv2 control message on UDP 1701, which is no tunnel here."""
    inner = Ether(src='00:00:5e:00:53:21', dst='00:00:5e:00:53:22') / IP(src='10.95.0.1', dst='10.95.0.2') / ICMP(id=9, seq=1)
    sid = lambda n: n.to_bytes(4, 'big')
    return [
        at(eth(IP(src='192.0.2.95', dst='198.51.100.95', proto=115) / Raw(sid(0x1234)) / inner), 0),
        at(eth(IP(src='198.51.100.95', dst='192.0.2.95', proto=115) / Raw(sid(0x1234)) / inner), 1),
        at(eth(IP(src='192.0.2.96', dst='198.51.100.96', proto=115) / Raw(sid(0x5678) + bytes.fromhex('deadbeef')) / inner), 2),
        at(eth(IP(src='192.0.2.97', dst='198.51.100.97') / UDP(sport=1701, dport=1701) / Raw(bytes.fromhex('00030000') + sid(0x9abc)) / inner), 3),
        at(eth(IP(src='192.0.2.98', dst='198.51.100.98') / UDP(sport=1701, dport=1701) / Raw(bytes.fromhex('c8020014000000000000000000080000000000 01'.replace(' ', '')))), 4),
    ]


def gretap_mirror():
    """Mirrored traffic over plain gretap (VMware-style "ERSPAN", tc mirred): one way only, carrying both directions
    of the mirrored conversations, under one key and split over two keys (one per direction of the port, as in
    Zeek's erspan.pcap); and the look-alikes: a two-way gretap L2 tunnel, and one direction of such a tunnel alone."""
    gw, h1, h2 = '00:00:5e:00:53:01', '00:00:5e:00:53:11', '00:00:5e:00:53:12'
    far1, far2 = '00:00:5e:00:53:21', '00:00:5e:00:53:22'

    def frame(src, dst, ip_src, ip_dst, reply, seq):
        return Ether(src=src, dst=dst) / IP(src=ip_src, dst=ip_dst) / ICMP(type=0 if reply else 8, id=7, seq=seq)

    def tap(src, dst, key, inner, t):
        return at(eth(IP(src=src, dst=dst) / GRE(key_present=1, key=key, proto=0x6558) / inner), t)

    conversations = [(h1, gw, '10.110.0.11', '10.110.0.1'), (h2, gw, '10.110.0.12', '10.110.0.1')]
    pkts = []
    t = 0
    for seq in range(2):
        for mac, peer, ip, peer_ip in conversations:
            # One key: both directions of each conversation copied to the collector.
            pkts.append(tap('192.0.2.110', '198.51.100.110', 1, frame(mac, peer, ip, peer_ip, False, seq), t))
            pkts.append(tap('192.0.2.110', '198.51.100.110', 1, frame(peer, mac, peer_ip, ip, True, seq), t + 0.01))
            # Two keys: what the port received under key 0, what it sent under 0x2000000.
            pkts.append(tap('192.0.2.111', '198.51.100.111', 0, frame(mac, peer, ip, peer_ip, False, seq), t + 0.02))
            pkts.append(tap('192.0.2.111', '198.51.100.111', 0x2000000, frame(peer, mac, peer_ip, ip, True, seq), t + 0.03))
            t += 0.1
    pkts.append(tap('192.0.2.110', '198.51.100.110', 1, Ether(src=h1, dst='ff:ff:ff:ff:ff:ff') / IP(src='10.110.0.11', dst='10.110.0.255') / UDP(sport=137, dport=137), t))
    # Look-alikes: hosts h1, h2 behind 192.0.2.112 talk to far1, far2 behind 198.51.100.112; replies come back the other way.
    for seq in range(2):
        for mac, far, ip, far_ip in [(h1, far1, '10.112.0.11', '10.112.0.21'), (h2, far2, '10.112.0.12', '10.112.0.22')]:
            pkts.append(tap('192.0.2.112', '198.51.100.112', 2, frame(mac, far, ip, far_ip, False, seq), t))
            pkts.append(tap('198.51.100.112', '192.0.2.112', 2, frame(far, mac, far_ip, ip, True, seq), t + 0.01))
            # The same tunnel's one direction, captured where only it passes.
            pkts.append(tap('192.0.2.113', '198.51.100.113', 3, frame(mac, far, ip, far_ip, False, seq), t + 0.02))
            t += 0.1
    pkts.append(tap('192.0.2.113', '198.51.100.113', 3, Ether(src=h1, dst='ff:ff:ff:ff:ff:ff') / IP(src='10.112.0.11', dst='10.112.0.255') / UDP(sport=137, dport=137), t))
    return pkts


def l2tp_avp(avp_type, value):
    # Mandatory bit and length, IETF vendor (0), type, value.
    return (0x8000 | (6 + len(value))).to_bytes(2, 'big') + bytes(2) + avp_type.to_bytes(2, 'big') + value


def l2tp_control(ccid, ns, nr, avps):
    # Control header: T, L, S bits and version 3; length; control connection ID; Ns, Nr.
    body = b''.join(avps)
    return bytes.fromhex('c803') + (12 + len(body)).to_bytes(2, 'big') + ccid.to_bytes(4, 'big') + ns.to_bytes(2, 'big') + nr.to_bytes(2, 'big') + body


def l2tpv3_cookies():
    """L2TPv3 sessions whose set-up says the cookie (Assigned Cookie: none, 4 or 8 bytes, one per side) and the
    L2-specific sublayer, before their Ethernet pseudowire data; over IP 115 and over UDP 1701. The data only
    reads right with the cookie learnt from the ICRQ/ICRP (Wireshark's "Detect" preference)."""
    u16 = lambda n: n.to_bytes(2, 'big')
    u32 = lambda n: n.to_bytes(4, 'big')
    pkts = []
    t = 0

    def ping(a, b, seq, reply):
        return Ether(src='00:00:5e:00:53:%02x' % a, dst='00:00:5e:00:53:%02x' % b) / IP(src='10.120.0.%d' % a, dst='10.120.0.%d' % b) / ICMP(type=0 if reply else 8, id=12, seq=seq)

    # (initiator, responder, udp, initiator's session and cookie, responder's session and cookie, sublayer)
    sessions = [
        ('192.0.2.120', '198.51.100.120', False, 0x1001, b'', 0x2001, b'', None),
        ('192.0.2.121', '198.51.100.121', False, 0x1002, bytes.fromhex('a1a2a3a4'), 0x2002, bytes.fromhex('b1b2b3b4'), None),
        ('192.0.2.122', '198.51.100.122', False, 0x1003, bytes.fromhex('c1c2c3c4c5c6c7c8'), 0x2003, bytes.fromhex('d1d2d3d4d5d6d7d8'), None),
        ('192.0.2.123', '198.51.100.123', True, 0x1004, bytes.fromhex('e1e2e3e4'), 0x2004, bytes.fromhex('f1f2f3f4f5f6f7f8'), 1),
    ]
    for a, b, over_udp, sid_a, cookie_a, sid_b, cookie_b, sublayer in sessions:
        def send(src, dst, payload, t):
            if over_udp:
                return at(eth(IP(src=src, dst=dst) / UDP(sport=1701, dport=1701) / Raw(payload)), t)
            return at(eth(IP(src=src, dst=dst, proto=115) / Raw(payload)), t)

        def control(src, dst, msg):
            # Over IP a control message follows a session ID of 0; over UDP it starts the payload.
            return msg if over_udp else bytes(4) + msg

        def data(sid, cookie, inner, seq):
            head = (bytes.fromhex('00030000') if over_udp else b'') + u32(sid) + cookie
            if sublayer == 1:
                head += bytes([0x40]) + seq.to_bytes(3, 'big')  # default L2-specific sublayer: S bit, sequence
            return head + bytes(inner)

        cookie_avp = lambda c: [l2tp_avp(65, c)] if c else []
        sublayer_avp = [l2tp_avp(69, u16(sublayer))] if sublayer is not None else []
        pkts.append(send(a, b, control(a, b, l2tp_control(0, 0, 0, [l2tp_avp(0, u16(1)), l2tp_avp(7, b'lcce-a'), l2tp_avp(61, u32(0x11))])), t))
        pkts.append(send(b, a, control(b, a, l2tp_control(0x11, 0, 1, [l2tp_avp(0, u16(2)), l2tp_avp(7, b'lcce-b'), l2tp_avp(61, u32(0x22))])), t + 0.01))
        pkts.append(send(a, b, control(a, b, l2tp_control(0x22, 1, 1, [l2tp_avp(0, u16(10)), l2tp_avp(63, u32(sid_a)), l2tp_avp(64, u32(0)), l2tp_avp(68, u16(5))]
                                                   + cookie_avp(cookie_a) + sublayer_avp)), t + 0.02))
        pkts.append(send(b, a, control(b, a, l2tp_control(0x11, 1, 2, [l2tp_avp(0, u16(11)), l2tp_avp(63, u32(sid_b)), l2tp_avp(64, u32(sid_a))]
                                                   + cookie_avp(cookie_b) + sublayer_avp)), t + 0.03))
        for seq in range(2):
            # Data to the responder carries its session ID and cookie; data back, the initiator's.
            pkts.append(send(a, b, data(sid_b, cookie_b, ping(1, 2, seq, False), seq), t + 0.1 + seq * 0.1))
            pkts.append(send(b, a, data(sid_a, cookie_a, ping(2, 1, seq, True), seq), t + 0.15 + seq * 0.1))
        t += 1
    return pkts


def l2tpv2_control(tunnel, ns, nr, avps):
    # L2TPv2 control header (RFC 2661 3.1): T, L, S bits and version 2; length; tunnel and session (0) IDs; Ns, Nr.
    body = b''.join(avps)
    return bytes.fromhex('c802') + (12 + len(body)).to_bytes(2, 'big') + tunnel.to_bytes(2, 'big') + bytes(2) + ns.to_bytes(2, 'big') + nr.to_bytes(2, 'big') + body


def l2tpv2_data(tunnel, session, ppp, length=False, sequence=False):
    # L2TPv2 data header: version 2, the L and S bits where asked; the receiver's tunnel and session IDs; then PPP.
    flags = 0x0002 | (0x4000 if length else 0) | (0x0800 if sequence else 0)
    ids = tunnel.to_bytes(2, 'big') + session.to_bytes(2, 'big') + (bytes(4) if sequence else b'')
    size = 2 + (2 if length else 0) + len(ids) + len(ppp)
    return flags.to_bytes(2, 'big') + (size.to_bytes(2, 'big') if length else b'') + ids + ppp


def l2tpv2_tunnels():
    """L2TPv2 (RFC 2661) sessions, each next to its look-alike: PPP carrying IPv4 in clear, both ways (each direction
    names the receiver's tunnel and session IDs, so two tunnels), one message with the length and sequence words;
    MPPE-compressed PPP (encrypted); a session that sent only LCP (nothing said of its payload); control messages
    alone (no tunnel); L2TP inside ESP with NULL encryption (signed, readable) and inside ESP with AES-CBC, keys in
    l2tpv2-tunnels.esp_sa (L2TP/IPsec, RFC 3193)."""
    a, b = '192.0.2.130', '198.51.100.130'
    udp = lambda src, dst: IP(src=src, dst=dst) / UDP(sport=1701, dport=1701)
    ip_ppp = lambda src, dst, t: bytes.fromhex('ff030021') + bytes(IP(src=src, dst=dst) / ICMP(type=t, id=7, seq=1) / Raw(b'l2tp'))
    lcp_echo = bytes.fromhex('ff03c021090100080a0b0c0d')
    lcp_request = bytes.fromhex('ff03c02101010008010405dc')
    sccrq = l2tpv2_control(0, 0, 0, [l2tp_avp(0, bytes.fromhex('0001')), l2tp_avp(9, (10).to_bytes(2, 'big'))])
    sccrp = l2tpv2_control(10, 0, 1, [l2tp_avp(0, bytes.fromhex('0002')), l2tp_avp(9, (11).to_bytes(2, 'big'))])
    pkts = [
        at(eth(udp(a, b) / Raw(sccrq)), 0),
        at(eth(udp(b, a) / Raw(sccrp)), 0.1),
        at(eth(udp(a, b) / Raw(l2tpv2_data(11, 21, ip_ppp('10.130.0.1', '10.130.0.2', 8)))), 1),
        at(eth(udp(b, a) / Raw(l2tpv2_data(10, 20, ip_ppp('10.130.0.2', '10.130.0.1', 0)))), 1.1),
        at(eth(udp(a, b) / Raw(l2tpv2_data(11, 21, ip_ppp('10.130.0.1', '10.130.0.2', 8), length=True, sequence=True))), 2),
        at(eth(udp(a, b) / Raw(l2tpv2_data(11, 21, lcp_echo))), 3),
    ]
    c, d = '192.0.2.131', '198.51.100.131'
    mppe = lambda n: bytes.fromhex('ff0300fd') + (0x9000 + n).to_bytes(2, 'big') + bytes(rnd.getrandbits(8) for _ in range(40))
    pkts += [
        at(eth(udp(c, d) / Raw(l2tpv2_data(31, 41, bytes.fromhex('ff0380fd0101000a120600000040')))), 4),
        at(eth(udp(c, d) / Raw(l2tpv2_data(31, 41, mppe(0)))), 5),
        at(eth(udp(d, c) / Raw(l2tpv2_data(30, 40, mppe(0)))), 5.1),
    ]
    e, f = '192.0.2.132', '198.51.100.132'
    pkts += [
        at(eth(udp(e, f) / Raw(l2tpv2_data(51, 61, lcp_request))), 6),
        at(eth(udp(f, e) / Raw(l2tpv2_data(50, 60, lcp_request))), 6.1),
        at(eth(udp(e, f) / Raw(sccrq)), 7),
        at(eth(udp(f, e) / Raw(bytes.fromhex('c802000c000a000000010001'))), 7.1),
    ]
    g, h = '192.0.2.133', '198.51.100.133'
    null = SecurityAssociation(ESP, spi=0x3301, crypt_algo='NULL', auth_algo='HMAC-SHA1-96', auth_key=bytes(range(20)))
    aes = SecurityAssociation(ESP, spi=0x3401, crypt_algo='AES-CBC', crypt_key=bytes(range(16)),
                              auth_algo='HMAC-SHA1-96', auth_key=bytes(range(20)))
    for i in range(2):
        p = null.encrypt(udp(g, h) / Raw(l2tpv2_data(71, 81, ip_ppp('10.133.0.1', '10.133.0.2', 8))))
        p[ESP].seq = i + 1
        pkts.append(at(eth(p), 8 + i))
    for i in range(2):
        p = aes.encrypt(udp('192.0.2.134', '198.51.100.134') / Raw(l2tpv2_data(91, 101, ip_ppp('10.134.0.1', '10.134.0.2', 8))), iv=bytes(16))
        p[ESP].seq = i + 1
        pkts.append(at(eth(p), 10 + i))
    return pkts


def ppp_readable():
    """PPP carrying a network protocol as it is, beside PPP that hides it. PPTP calls (GRE v1) and an L2TPv2 session
    whose PPP is Van Jacobson TCP/IP (RFC 1144: 0x002F uncompressed, the IP header with the connection number in its
    protocol byte, then 0x002D compressed, a delta header and the TCP payload as sent), IPX (0x002B) or bridged
    Ethernet (0x0031, RFC 3518): each readable on the path. Look-alikes: a call that negotiated CCP and sent MPPE
    (0x00FD: encrypted), one that sent LCP and a Stac-LZS compressed frame (0x4021, CCP's compression without
    MPPE: nothing said of its payload)."""
    udp = lambda src, dst: IP(src=src, dst=dst) / UDP(sport=1701, dport=1701)
    def pptp(src, dst, call, seq, ppp):
        return eth(IP(src=src, dst=dst) / GRE_PPTP(call_id=call, seqnum_present=1, seqence_number=seq) / Raw(ppp))
    tcp = IP(src='10.135.0.1', dst='10.135.0.2') / TCP(sport=40000, dport=23, flags='PA', seq=1, ack=1) / Raw(b'login: ')
    vj_uncompressed = bytearray(bytes(tcp))
    vj_uncompressed[9] = 0  # the connection (slot) number in place of the protocol byte
    # Compressed: change mask 0x40 (connection number present) + C, connection 0, TCP checksum, deltas none, payload.
    vj_compressed = lambda data: bytes([0x40, 0, 0x12, 0x34]) + data
    ipx = bytes.fromhex('ffff00220004') + bytes.fromhex('00000001ffffffffffff4005') + bytes.fromhex('00000002020000000001') + bytes.fromhex('4003') + b'sap!'
    bridged = bytes.fromhex('0001') + bytes(Ether(src='02:00:00:00:01:35', dst='ff:ff:ff:ff:ff:ff') / IP(src='10.136.0.1', dst='10.136.0.255') / UDP(sport=40001, dport=9) / Raw(b'discard'))
    a, b = '192.0.2.135', '198.51.100.135'
    pkts = [
        at(pptp(a, b, 0x135, 1, bytes.fromhex('ff03002f') + bytes(vj_uncompressed)), 0),
        at(pptp(a, b, 0x135, 2, bytes.fromhex('ff03002d') + vj_compressed(b'user\r\n')), 0.1),
        at(pptp(a, b, 0x135, 3, bytes.fromhex('ff03002d') + vj_compressed(b'secret\r\n')), 0.2),
        at(pptp('192.0.2.136', '198.51.100.136', 0x136, 1, bytes.fromhex('ff03002b') + ipx), 1),
        at(pptp('192.0.2.136', '198.51.100.136', 0x137, 1, bytes.fromhex('ff030031') + bridged), 1.1),
        at(eth(udp('192.0.2.137', '198.51.100.137') / Raw(l2tpv2_data(13, 27, bytes.fromhex('ff03002d') + vj_compressed(b'data')))), 2),
    ]
    c, d = '192.0.2.138', '198.51.100.138'
    pkts += [
        at(pptp(c, d, 0x138, 1, bytes.fromhex('ff0380fd0101000a120600000040')), 3),
        at(pptp(c, d, 0x138, 2, bytes.fromhex('ff0300fd9000') + rnd.randbytes(40)), 3.1),
        at(pptp('192.0.2.139', '198.51.100.139', 0x139, 1, bytes.fromhex('ff03c02101010008010405dc')), 4),
        at(pptp('192.0.2.139', '198.51.100.139', 0x139, 2, bytes.fromhex('ff034021') + rnd.randbytes(30)), 4.1),
    ]
    return pkts


def isis_cut():
    """IS-IS in GRE (0x00FE): a hello with HMAC-MD5 whose last 19 bytes, its authentication TLV, were cut off
    (its PDU length says more than is there, as in tcpdump's isis-infinite-loop.pcap): its authentication is
    unknown, no finding; and the look-alike, a whole hello without authentication: cleartext-routing."""
    gre = lambda: IP(src='192.0.2.71', dst='198.51.100.71') / GRE(proto=0x00fe)
    return [
        at(eth(gre() / Raw(isis_p2p_hello('1921.6800.1004', 'hmac-md5')[:-19])), 0),
        at(eth(gre() / Raw(isis_p2p_hello('1921.6800.1005'))), 1),
    ]


def ah_spi_zero():
    """AH with SPI 0, which RFC 4302 2.4 reserves and forbids on the wire (no SA any peer negotiated: zeek's
    ipv6_zero_len_ah.pcap has one), and the look-alike, an AH SA with SPI 0x1000: ah-only."""
    auth = bytes(range(20))
    pkts = []
    for spi, a, b in [(0, '192.0.2.130', '198.51.100.130'), (0x1000, '192.0.2.131', '198.51.100.131')]:
        sa = SecurityAssociation(AH, spi=spi, auth_algo='HMAC-SHA1-96', auth_key=auth)
        for i in range(2):
            pkts.append(at(eth(sa.encrypt(IP(src=a, dst=b) / ICMP(id=13, seq=i))), len(pkts)))
    return pkts


def ike_main_mode():
    """The first two messages of charon's IKEv1 main mode (fixtures/ike-v1-main.pcap): offer and answer, as bytes."""
    first, answer = rdpcap(os.path.join(FIXTURES, 'ike-v1-main.pcap'))[:2]
    return bytes(first[UDP].payload), bytes(answer[UDP].payload)


def isakmp_with(message, ispi, rspi):
    """An ISAKMP message under other cookies (initiator's, responder's: 8 bytes each)."""
    return ispi + rspi + message[16:]


def ike_packet(src, dst, message, t):
    return at(eth(IP(src=src, dst=dst) / UDP(sport=500, dport=500) / Raw(message)), t)


def ike_reflection():
    """IKE reflection: main mode answers from six responders to 192.0.2.66, all to one initiator cookie that
    192.0.2.66 never sent (requests forged with its address elsewhere), two answers sent again; beside it three
    answers to 192.0.2.67's one cookie, too few responders to tell from chance."""
    _, answer = ike_main_mode()
    pkts = []
    for target, cookie, responders in [
        ('192.0.2.66', bytes.fromhex('c9832c40b1d51852'), [f'198.51.100.{i}' for i in range(10, 16)]),
        ('192.0.2.67', bytes.fromhex('5eed5eed5eed5eed'), [f'203.0.113.{i}' for i in range(10, 13)]),
    ]:
        for i, responder in enumerate(responders):
            message = isakmp_with(answer, cookie, rnd.randbytes(8))
            pkts.append(ike_packet(responder, target, message, len(pkts) * 0.01))
            if i < 2:
                pkts.append(ike_packet(responder, target, message, len(pkts) * 0.01))
    return pkts


def ike_reflection_lookalike():
    """What ike_reflection must not be taken for: 192.0.2.68 seen answered by six responders, each to a cookie of
    its own (a capture of one direction), and 192.0.2.69 sending one cookie to six responders, which answer it (a
    scanner: its requests are in the capture)."""
    offer, answer = ike_main_mode()
    pkts = []
    for i in range(6):
        responder = f'198.51.100.{20 + i}'
        pkts.append(ike_packet(responder, '192.0.2.68', isakmp_with(answer, rnd.randbytes(8), rnd.randbytes(8)), i * 0.01))
    cookie = bytes.fromhex('0123456789abcdef')
    for i in range(6):
        responder = f'203.0.113.{20 + i}'
        pkts.append(ike_packet('192.0.2.69', responder, isakmp_with(offer, cookie, bytes(8)), 1 + i * 0.02))
        pkts.append(ike_packet(responder, '192.0.2.69', isakmp_with(answer, cookie, rnd.randbytes(8)), 1.01 + i * 0.02))
    return pkts


def main():
    for name, build in [
        ('erspan-mirror.pcap', erspan_mirror), ('wccp-redirect.pcap', wccp_redirect), ('gre-multicast.pcap', gre_multicast),
        ('dmvpn-nhrp.pcap', dmvpn), ('gre-p2p-lookalike.pcap', p2p_lookalike), ('gre-keepalives.pcap', keepalives),
        ('getvpn-group-sa.pcap', group_sa), ('gre-routing.pcap', routing_in_gre), ('overlays.pcap', overlays), ('gre-entropy.pcap', gre_entropy), ('l2tpv3.pcap', l2tpv3), ('ipsec-per-sa.pcap', per_sa), ('ospfv3-esp-null.pcap', ospfv3_esp_null),
        ('gretap-mirror.pcap', gretap_mirror), ('l2tpv3-cookies.pcap', l2tpv3_cookies),
        ('isis-cut.pcap', isis_cut), ('ah-spi-zero.pcap', ah_spi_zero),
        ('ike-reflection.pcap', ike_reflection), ('ike-reflection-lookalike.pcap', ike_reflection_lookalike),
        ('gre-ospf-mtu.pcap', ospf_mtu), ('gre-recursive-routes.pcap', recursive_routes),
        ('ospf-fragments.pcap', ospf_fragments), ('ospf-odd.pcap', ospf_odd), ('l2tpv2-tunnels.pcap', l2tpv2_tunnels),
        ('gre-recursive-eigrp.pcap', recursive_eigrp), ('ppp-readable.pcap', ppp_readable),
    ]:
        # Names given on the command line: only those fixtures are written.
        if len(sys.argv) < 2 or name in sys.argv[1:]:
            wrpcap(os.path.join(FIXTURES, name), build())


main()
