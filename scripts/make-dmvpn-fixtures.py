#!/usr/bin/python3
"""Writes fixtures/dmvpn.pcap: three DMVPN clouds whose NHRP (RFC 2332 as
Cisco's DMVPN uses it) is built byte by byte here (scapy has no NHRP) and
carried in scapy's GRE, and for the third cloud in scapy's ESP (NULL
encryption, NAT-T). Every address is a documentation (NBMA) or private
(tunnel, LAN) one. Run: /usr/bin/python3 scripts/make-dmvpn-fixtures.py

Cloud 1, hub 192.0.2.1 (tunnel 172.16.1.1), GRE key 100, cleartext, no
NHRP authentication:
  spoke A 198.51.100.10 / 172.16.1.10  registers, accepted (hold 7200)
  spoke B 198.51.100.20 / 172.16.1.20  registers, accepted
  spoke C 198.51.100.30 / 172.16.1.30  behind NAT (seen as 203.0.113.7),
           accepted; the reply's NAT extension names its outside address
  spoke D 203.0.113.40 / 172.16.1.40   refused (code 14, already registered)
  spoke E 203.0.113.50 / 172.16.1.50   three requests, never answered
  Phase 2: A resolves 172.16.1.20 (id 2, through the hub), B answers A;
           A and B then talk directly.
  Phase 3: A's traffic for 10.30.0.5 goes through the hub to C; the hub
           sends A a Traffic Indication; A resolves 10.30.0.5 (id 3), C
           answers (prefix 24); A and C then talk directly.
  Through the hub: B's traffic for 10.30.0.5 goes spoke -> hub -> spoke,
           and no shortcut follows.
  B's resolution of 172.16.1.99 (id 4) is never answered.
  D's resolution of 172.16.1.20 (id 8) gets an Error Indication from the
           hub (code 6, protocol address unreachable) quoting it.
Cloud 2, hub 192.0.2.2 (172.16.2.1), GRE key 200, cleartext, NHRP with an
  authentication extension (cleartext password, SPI 1): spoke F
  198.51.100.60 / 172.16.2.60 registers, accepted.
Cloud 3, hub 192.0.2.3 (172.16.3.1), no key, GRE inside ESP with NULL
  encryption (transport mode) in UDP 4500: spoke G 198.51.100.70 /
  172.16.3.70 behind NAT (seen as 203.0.113.70) registers, accepted.
And fixtures/dmvpn-phase1.pcap, a Phase 1 cloud, and fixtures/dmvpn-multicast.pcap, a hub replicating a
multicast stream (see the end).
"""
import os
import struct

from scapy.all import GRE, ICMP, IP, UDP, Ether, Raw, wrpcap
from scapy.layers.ipsec import ESP, SecurityAssociation

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
T0 = 1767225600

RES_REQ, RES_REP, REG_REQ, REG_REP, ERR_IND, TRAFFIC_IND = 1, 2, 3, 4, 7, 8
FLAG_NAT = 0x0002
FLAG_UNIQUE = 0x8000


def a4(s):
    return bytes(map(int, s.split('.')))


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def cie(code=0, prefix=32, mtu=1514, hold=7200, nbma=None, proto=None):
    nb = a4(nbma) if nbma else b''
    pr = a4(proto) if proto else b''
    return struct.pack('!BBHHHBBBB', code, prefix, 0, mtu, hold, len(nb), 0, len(pr), 0) + nb + pr


def ext(kind, value=b'', compulsory=True):
    return struct.pack('!HH', (0x8000 if compulsory else 0) | kind, len(value)) + value


def nhrp(kind, src_nbma, src_proto, dst_proto, reqid=0, flags=0, cies=(), exts=None, hop=255, quoted=b'', error=0):
    """An NHRP packet: fixed header, mandatory part, extensions (a list, the End extension added)."""
    mand = struct.pack('!BB', 4, 4)
    if kind == ERR_IND:
        mand += struct.pack('!HHH', 0, error, 0)
    elif kind == TRAFFIC_IND:
        mand += struct.pack('!HHH', 0, 0, 0)
    else:
        mand += struct.pack('!HI', flags, reqid)
    mand += a4(src_nbma) + a4(src_proto) + a4(dst_proto) + b''.join(cies) + quoted
    extensions = b''
    if exts is not None:
        extensions = b''.join(exts) + ext(0)
    size = 20 + len(mand) + len(extensions)
    extoff = 20 + len(mand) if exts is not None else 0
    fixed = struct.pack('!HH5sBHHHBBBB', 1, 0x0800, bytes(5), hop, size, 0, extoff, 1, kind, 4, 0)
    pkt = bytearray(fixed + mand + extensions)
    struct.pack_into('!H', pkt, 12, checksum(bytes(pkt)))
    return bytes(pkt)


# Cisco sends the responder, forward and reverse transit extensions in every request (empty until filled):
# an NHS that forwards a request adds its own record to the forward transit extension, the responder
# names itself in its reply's responder address extension and copies the request's transit records.
def std_exts(*more, responder=b'', forward=b''):
    return [ext(3, responder), ext(4, forward), ext(5), *more]


def auth_ext(password):
    return ext(7, struct.pack('!HH', 0, 1) + password)


def nat_ext(nbma, proto):
    return ext(9, cie(hold=0, nbma=nbma, proto=proto), compulsory=False)


frames = []
clock = [0.0]


def at(dt):
    clock[0] += dt
    return T0 + clock[0]


# The MAC addresses are fixed (scapy would take the host's).
MACS = dict(src='02:fc:00:00:00:01', dst='02:fc:00:00:00:05')


def gre(src, dst, payload, key=None, proto=0x2001):
    g = GRE(proto=proto) if key is None else GRE(key_present=1, key=key, proto=proto)
    return Ether(**MACS) / IP(src=src, dst=dst) / g / payload


def add(pkt, dt=0.01):
    pkt.time = at(dt)
    frames.append(pkt)


def ping(src, dst, i, reply=False):
    return IP(src=src, dst=dst, ttl=63) / ICMP(type=0 if reply else 8, id=77, seq=i) / Raw(b'dmvpn' * 4)


HUB, HUB_T, KEY = '192.0.2.1', '172.16.1.1', 100
HUB_RECORD = cie(prefix=0, nbma=HUB, proto=HUB_T)
A, A_T = '198.51.100.10', '172.16.1.10'
B, B_T = '198.51.100.20', '172.16.1.20'
C, C_T, C_OUT = '198.51.100.30', '172.16.1.30', '203.0.113.7'
D, D_T = '203.0.113.40', '172.16.1.40'
E, E_T = '203.0.113.50', '172.16.1.50'

# Registrations.
for (nbma, tun, outer) in ((A, A_T, A), (B, B_T, B)):
    add(gre(outer, HUB, Raw(nhrp(REG_REQ, nbma, tun, HUB_T, 1, FLAG_NAT, [cie()], std_exts())), KEY), 0.2)
    add(gre(HUB, outer, Raw(nhrp(REG_REP, nbma, tun, HUB_T, 1, FLAG_NAT, [cie()], std_exts())), KEY), 0.002)
add(gre(C_OUT, HUB, Raw(nhrp(REG_REQ, C, C_T, HUB_T, 1, FLAG_NAT, [cie()], std_exts(nat_ext(HUB, HUB_T)))), KEY), 0.2)
add(gre(HUB, C_OUT, Raw(nhrp(REG_REP, C, C_T, HUB_T, 1, FLAG_NAT, [cie()], std_exts(nat_ext(C_OUT, C_T)))), KEY), 0.002)
add(gre(D, HUB, Raw(nhrp(REG_REQ, D, D_T, HUB_T, 7, FLAG_UNIQUE | FLAG_NAT, [cie()], std_exts())), KEY), 0.2)
add(gre(HUB, D, Raw(nhrp(REG_REP, D, D_T, HUB_T, 7, FLAG_UNIQUE | FLAG_NAT, [cie(code=14)], std_exts())), KEY), 0.002)
for i in (1, 2, 3):
    add(gre(E, HUB, Raw(nhrp(REG_REQ, E, E_T, HUB_T, i, FLAG_NAT, [cie()], std_exts())), KEY), 1.0)

# Phase 2: A resolves B through the hub; B answers A directly; A and B talk.
add(gre(A, HUB, Raw(nhrp(RES_REQ, A, A_T, B_T, 2, FLAG_NAT, [cie()], std_exts())), KEY), 0.5)
add(gre(HUB, B, Raw(nhrp(RES_REQ, A, A_T, B_T, 2, FLAG_NAT, [cie()], std_exts(forward=HUB_RECORD), hop=254)), KEY), 0.003)
add(gre(B, A, Raw(nhrp(RES_REP, A, A_T, B_T, 2, 0x8000 | 0x4000 | FLAG_NAT, [cie(nbma=B, proto=B_T)],
                       std_exts(responder=cie(nbma=B, proto=B_T), forward=HUB_RECORD))), KEY), 0.004)
add(gre(A, B, ping('10.10.0.5', '10.20.0.5', 1), KEY, 0x0800), 0.01)
add(gre(B, A, ping('10.20.0.5', '10.10.0.5', 1, True), KEY, 0x0800), 0.001)

# Phase 3: A -> hub -> C, the hub redirects A, A resolves 10.30.0.5, C answers, A and C talk.
data = ping('10.10.0.5', '10.30.0.5', 2)
add(gre(A, HUB, data, KEY, 0x0800), 0.5)
add(gre(HUB, C_OUT, data, KEY, 0x0800), 0.001)
add(gre(HUB, A, Raw(nhrp(TRAFFIC_IND, HUB, HUB_T, '10.10.0.5', quoted=bytes(data)[:28], exts=std_exts())), KEY), 0.001)
add(gre(A, HUB, Raw(nhrp(RES_REQ, A, A_T, '10.30.0.5', 3, FLAG_NAT, [cie()], std_exts())), KEY), 0.005)
add(gre(HUB, C_OUT, Raw(nhrp(RES_REQ, A, A_T, '10.30.0.5', 3, FLAG_NAT, [cie()], std_exts(forward=HUB_RECORD), hop=254)), KEY), 0.003)
add(gre(C_OUT, A, Raw(nhrp(RES_REP, A, A_T, '10.30.0.5', 3, 0x8000 | 0x4000 | FLAG_NAT, [cie(prefix=24, nbma=C, proto=C_T)],
                           std_exts(nat_ext(C_OUT, C_T), responder=cie(nbma=C, proto=C_T), forward=HUB_RECORD))), KEY), 0.006)
add(gre(A, C_OUT, ping('10.10.0.5', '10.30.0.5', 3), KEY, 0x0800), 0.01)
add(gre(C_OUT, A, ping('10.30.0.5', '10.10.0.5', 3, True), KEY, 0x0800), 0.001)

# Through the hub, no shortcut: B -> hub -> C.
for i in (4, 5):
    data = ping('10.20.0.5', '10.30.0.5', i)
    add(gre(B, HUB, data, KEY, 0x0800), 0.3)
    add(gre(HUB, C_OUT, data, KEY, 0x0800), 0.001)

# Unanswered resolution; a resolution answered by an Error Indication.
add(gre(B, HUB, Raw(nhrp(RES_REQ, B, B_T, '172.16.1.99', 4, FLAG_NAT, [cie()], std_exts())), KEY), 0.2)
bad = nhrp(RES_REQ, D, D_T, B_T, 8, FLAG_NAT, [cie()], std_exts())
add(gre(D, HUB, Raw(bad), KEY), 0.2)
add(gre(HUB, D, Raw(nhrp(ERR_IND, HUB, HUB_T, D_T, quoted=bad, error=6)), KEY), 0.002)

# Cloud 2: NHRP authenticated with a cleartext password.
F, F_T = '198.51.100.60', '172.16.2.60'
add(gre(F, '192.0.2.2', Raw(nhrp(REG_REQ, F, F_T, '172.16.2.1', 1, FLAG_NAT, [cie()], std_exts(auth_ext(b'dmvpnkey')))), 200), 0.3)
add(gre('192.0.2.2', F, Raw(nhrp(REG_REP, F, F_T, '172.16.2.1', 1, FLAG_NAT, [cie()], std_exts(auth_ext(b'dmvpnkey')))), 200), 0.002)

# Cloud 3: GRE in ESP (NULL encryption, HMAC-SHA1-96) in UDP 4500 through a NAT.
G, G_T, G_OUT, HUB3 = '198.51.100.70', '172.16.3.70', '203.0.113.70', '192.0.2.3'
for (src, dst, spi, body) in (
    (G_OUT, HUB3, 0x3001, nhrp(REG_REQ, G, G_T, '172.16.3.1', 1, FLAG_NAT, [cie()], std_exts())),
    (HUB3, G_OUT, 0x3002, nhrp(REG_REP, G, G_T, '172.16.3.1', 1, FLAG_NAT, [cie()], std_exts(nat_ext(G_OUT, G_T)))),
):
    sa = SecurityAssociation(ESP, spi=spi, crypt_algo='NULL', crypt_key=None, auth_algo='HMAC-SHA1-96', auth_key=bytes(range(20)))
    inner = IP(src=src, dst=dst) / GRE(proto=0x2001) / Raw(body)
    esp = sa.encrypt(inner)
    pkt = Ether(**MACS) / IP(src=src, dst=dst) / UDP(sport=4500, dport=4500) / esp[ESP]
    pkt[UDP].len = None
    add(Ether(bytes(pkt)), 0.3)

wrpcap(os.path.join(FIXTURES, 'dmvpn.pcap'), frames)
print(f'dmvpn.pcap: {len(frames)} frames')

# dmvpn-phase1.pcap: a Phase 1 cloud (hub 192.0.2.4, tunnel 172.16.4.1, key 300): spokes H and I register
# (accepted) and, their tunnels pointing at the hub only, every packet between them goes spoke -> hub -> spoke,
# both ways; no resolution, no redirect.
frames.clear()
clock[0] = 0.0
HUB4, HUB4_T, KEY4 = '192.0.2.4', '172.16.4.1', 300
H, H_T = '198.51.100.80', '172.16.4.80'
I, I_T = '198.51.100.90', '172.16.4.90'
for (nbma, tun) in ((H, H_T), (I, I_T)):
    add(gre(nbma, HUB4, Raw(nhrp(REG_REQ, nbma, tun, HUB4_T, 1, FLAG_NAT, [cie()], std_exts())), KEY4), 0.2)
    add(gre(HUB4, nbma, Raw(nhrp(REG_REP, nbma, tun, HUB4_T, 1, FLAG_NAT, [cie()], std_exts())), KEY4), 0.002)
for i in (1, 2, 3):
    there, back = ping('10.80.0.5', '10.90.0.5', i), ping('10.90.0.5', '10.80.0.5', i, True)
    add(gre(H, HUB4, there, KEY4, 0x0800), 1.0)
    add(gre(HUB4, I, there, KEY4, 0x0800), 0.001)
    add(gre(I, HUB4, back, KEY4, 0x0800), 0.002)
    add(gre(HUB4, H, back, KEY4, 0x0800), 0.001)
wrpcap(os.path.join(FIXTURES, 'dmvpn-phase1.pcap'), frames)
print(f'dmvpn-phase1.pcap: {len(frames)} frames')

# dmvpn-multicast.pcap: hub 192.0.2.5 (tunnel 172.16.5.1, key 500); spokes J, K, L register (accepted); J sends a
# multicast stream to 239.1.1.1, which the hub replicates to K and L (spoke -> hub -> spoke by design: no shortcut can
# carry multicast); and one unicast ping J -> hub -> K that no shortcut follows (the look-alike).
frames.clear()
clock[0] = 0.0
HUB5, HUB5_T, KEY5 = '192.0.2.5', '172.16.5.1', 500
SPOKES5 = [('198.51.100.101', '172.16.5.101'), ('198.51.100.102', '172.16.5.102'), ('198.51.100.103', '172.16.5.103')]
for (nbma, tun) in SPOKES5:
    add(gre(nbma, HUB5, Raw(nhrp(REG_REQ, nbma, tun, HUB5_T, 1, FLAG_NAT, [cie()], std_exts())), KEY5), 0.1)
    add(gre(HUB5, nbma, Raw(nhrp(REG_REP, nbma, tun, HUB5_T, 1, FLAG_NAT, [cie()], std_exts())), KEY5), 0.002)
J, K, L = (nbma for (nbma, _) in SPOKES5)
for i in range(5):
    stream = IP(src='10.101.0.5', dst='239.1.1.1', ttl=30) / UDP(sport=5000, dport=5000) / Raw(b'video' * 20)
    add(gre(J, HUB5, stream, KEY5, 0x0800), 1.0)
    add(gre(HUB5, K, stream, KEY5, 0x0800), 0.001)
    add(gre(HUB5, L, stream, KEY5, 0x0800), 0.001)
there = ping('10.101.0.5', '10.102.0.5', 1)
add(gre(J, HUB5, there, KEY5, 0x0800), 1.0)
add(gre(HUB5, K, there, KEY5, 0x0800), 0.001)
wrpcap(os.path.join(FIXTURES, 'dmvpn-multicast.pcap'), frames)
print(f'dmvpn-multicast.pcap: {len(frames)} frames')

