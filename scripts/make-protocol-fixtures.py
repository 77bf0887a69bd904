#!/usr/bin/python3
"""Writes captures of headers the corpus lacks, with scapy (Debian's
python3-scapy), for the fields declared from them: test/fields-tshark.test.ts
holds every field to tshark on them, frame by frame.
Run: /usr/bin/python3 scripts/make-protocol-fixtures.py
"""
import os
import struct
from socket import AF_INET6, inet_aton, inet_pton

from scapy.all import GRE, ICMP, IP, TCP, UDP, VXLAN, Ether, IPv6, Raw, wrpcap
from scapy.layers.dot11 import Dot11, Dot11Beacon, Dot11Elt, Dot11QoS
from scapy.layers.l2 import LLC, SNAP
from scapy.layers.ppp import (
    GRE_PPTP,
    PPP_CHAP,
    PPP_CHAP_ChallengeResponse,
    PPP_IPCP,
    PPP_IPCP_Option_DNS1,
    PPP_IPCP_Option_IPAddress,
    PPP_LCP_Auth_Protocol_Option,
    PPP_LCP_Configure,
    PPP_LCP_Echo,
    PPP_LCP_Magic_Number_Option,
    PPP_LCP_MRU_Option,
    PPP_PAP_Request,
    PPP_PAP_Response,
    PPPoE,
)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures')
T0 = 1767225600


def timed(pkts):
    for i, p in enumerate(pkts):
        p.time = T0 + i / 100
    return pkts


def ppp_control():
    """PPP's control protocols as PPTP (GRE version 1) and PPPoE carry them."""
    def pptp(ppp, seq):
        outer = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src='192.0.2.140', dst='198.51.100.140')
        return outer / GRE_PPTP(call_id=0x4000, seqnum_present=1, seqence_number=seq) / Raw(ppp)

    def pppoe(ppp):
        outer = Ether(src='02:00:00:00:00:03', dst='02:00:00:00:00:04', type=0x8864)
        return outer / PPPoE(sessionid=0x0011) / Raw(ppp)

    lcp_req = PPP_LCP_Configure(code=1, id=1, options=[
        PPP_LCP_MRU_Option(max_recv_unit=1400),
        PPP_LCP_Auth_Protocol_Option(auth_protocol=0xc223, algorithm=5),
        PPP_LCP_Magic_Number_Option(magic_number=0x1a2b3c4d),
    ])
    chap_challenge = PPP_CHAP_ChallengeResponse(code=1, id=7, value=bytes(range(16)), optional_name=b'lns')
    chap_response = PPP_CHAP_ChallengeResponse(code=2, id=7, value=bytes(range(16, 32)), optional_name=b'alice')
    ipcp_req = PPP_IPCP(code=1, id=3, options=[
        PPP_IPCP_Option_IPAddress(data='0.0.0.0'),
        PPP_IPCP_Option_DNS1(data='0.0.0.0'),
    ])
    # PPP written byte by byte: address and control (FF 03) in PPTP, none in PPPoE, then the protocol.
    frames = [
        pptp(b'\xff\x03\xc0\x21' + bytes(lcp_req), 1),
        pptp(b'\xff\x03\xc2\x23' + bytes(chap_challenge), 2),
        pptp(b'\xff\x03\xc2\x23' + bytes(chap_response), 3),
        pptp(b'\xff\x03\xc2\x23' + bytes(PPP_CHAP(code=3, id=7, data=b'S=welcome')), 4),
        pptp(b'\xff\x03\x80\x21' + bytes(ipcp_req), 5),
        pptp(b'\xff\x03\xc0\x21' + bytes(PPP_LCP_Echo(code=9, id=4, magic_number=0x1a2b3c4d)), 6),
        # PPPoE: no address and control; PAP asked, refused, asked again and accepted; CHAP failure.
        pppoe(b'\xc0\x23' + bytes(PPP_PAP_Request(id=1, username=b'bob', password=b'secret'))),
        pppoe(b'\xc0\x23' + bytes(PPP_PAP_Response(code=3, id=1, message=b'bad password'))),
        pppoe(b'\xc0\x23' + bytes(PPP_PAP_Request(id=2, username=b'bob', password=b'Secret'))),
        pppoe(b'\xc0\x23' + bytes(PPP_PAP_Response(code=2, id=2, message=b''))),
        pppoe(b'\xc2\x23' + bytes(PPP_CHAP(code=4, id=9, data=b'E=691'))),
        # IPv6CP and CCP configure requests, and a control header cut short (2 of its 4 bytes).
        pppoe(b'\x80\x57' + bytes.fromhex('0105000e010a0211223344556677')),
        pppoe(b'\x80\xfd' + bytes.fromhex('0106000a120601000040')),
        pptp(b'\xff\x03\xc0\x21\x09\x05', 7),
    ]
    return timed(frames)


def wlan_aruba():
    """802.11 frames as Aruba controllers tunnel them in GRE (0x8200), one of each DS direction."""
    def aruba(frame):
        outer = Ether(src='02:00:00:00:00:05', dst='02:00:00:00:00:06') / IP(src='192.0.2.150', dst='198.51.100.150')
        return outer / GRE(proto=0x8200) / frame

    inner = IP(src='10.150.0.1', dst='10.150.0.2') / UDP(sport=40001, dport=40000) / Raw(b'hello')
    ap, sta, gw, peer = '00:11:22:33:44:01', '00:11:22:33:44:02', '00:11:22:33:44:03', '00:11:22:33:44:04'
    snap = LLC(dsap=0xAA, ssap=0xAA, ctrl=3) / SNAP(OUI=0, code=0x0800)
    frames = [
        # Data to the DS (station -> AP), QoS data from it with TID 5, data within the BSS (no DS bit), WDS (both bits).
        aruba(Dot11(type=2, subtype=0, FCfield='to-DS', addr1=ap, addr2=sta, addr3=gw, ID=0x2c, SC=0x1230) / snap / inner),
        aruba(Dot11(type=2, subtype=8, FCfield='from-DS+retry', addr1=sta, addr2=ap, addr3=gw, SC=0x1241) / Dot11QoS(TID=5) / snap / inner),
        aruba(Dot11(type=2, subtype=0, FCfield=0, addr1=sta, addr2=peer, addr3=ap, SC=0x0010) / snap / inner),
        aruba(Dot11(type=2, subtype=8, FCfield='to-DS+from-DS', addr1=ap, addr2=gw, addr3=peer, addr4=sta, SC=0x0020) / Dot11QoS(TID=3) / snap / inner),
        # A protected frame (its body stays unread), a Null frame (no body) and a beacon (management).
        aruba(Dot11(type=2, subtype=0, FCfield='to-DS+protected', addr1=ap, addr2=sta, addr3=gw, SC=0x0030) / Raw(bytes(range(24)))),
        aruba(Dot11(type=2, subtype=4, FCfield='to-DS+pw-mgt', addr1=ap, addr2=sta, addr3=ap, SC=0x0040)),
        aruba(Dot11(type=0, subtype=8, addr1='ff:ff:ff:ff:ff:ff', addr2=ap, addr3=ap, SC=0x0050) / Dot11Beacon() / Dot11Elt(ID=0, info=b'lab')),
    ]
    return timed(frames)


def wlan_qos():
    """802.11 QoS data frames in Aruba's GRE, for the QoS control field's readings by direction (a station's TXOP
    request or queue size, an AP's EOSP and power-save buffer state), little-endian words with bits in both bytes, and
    protected frames' headers: CCMP, TKIP, WEP, one cut short. (No A-MSDU: tshark dissects each subframe's packet,
    which gredump does not.)"""
    def aruba(frame):
        outer = Ether(src='02:00:00:00:00:05', dst='02:00:00:00:00:06') / IP(src='192.0.2.151', dst='198.51.100.151')
        return outer / GRE(proto=0x8200) / frame

    ap, sta, gw, peer = '00:11:22:33:44:01', '00:11:22:33:44:02', '00:11:22:33:44:03', '00:11:22:33:44:04'
    inner = LLC(dsap=0xAA, ssap=0xAA, ctrl=3) / SNAP(OUI=0, code=0x0800) / IP(src='10.151.0.1', dst='10.151.0.2') / UDP(sport=40001, dport=40000) / Raw(b'hello')
    frames = []
    for ds, fc in enumerate([0, 'to-DS', 'from-DS', 'to-DS+from-DS']):
        # QoS words: none set; TID 5 with bit 4 (queue size, or EOSP); buffer state indicated; TXOP/queue values; all.
        for qos in (0x0000, 0x0015, 0x0235, 0x0a76, 0x0260, 0xfe7f, 0xff7f):
            frames.append(aruba(Dot11(type=2, subtype=8, FCfield=fc, addr1=ap, addr2=sta, addr3=gw, addr4=peer, ID=0x1234, SC=0xabc5)
                                / Raw(qos.to_bytes(2, 'little')) / inner))
    # Protected frames: CCMP (Ext IV, packet number 0x17061), TKIP (its WEP seed), WEP (key 1), a CCMP header cut.
    for body in ('617000200100000000010203', '012102e00304050600010203', '010203400001020304050607', '617000'):
        frames.append(aruba(Dot11(type=2, subtype=8, FCfield='from-DS+protected', addr1=sta, addr2=ap, addr3=gw, SC=0x10) / Raw(bytes(2) + bytes.fromhex(body))))
    return timed(frames)


def ipx_gre():
    """IPX in GRE, written byte by byte (scapy has none)."""
    def gre(proto, payload):
        outer = Ether(src='02:00:00:00:00:07', dst='02:00:00:00:00:08') / IP(src='192.0.2.160', dst='198.51.100.160')
        return outer / GRE(proto=proto) / Raw(payload)

    def ipx(ptype, dst, src, payload):
        # checksum (none), length, hops, packet type, then destination and source: network, node, socket
        addr = lambda a: bytes.fromhex(a[0]) + bytes.fromhex(a[1].replace(':', '')) + a[2].to_bytes(2, 'big')
        return b'\xff\xff' + (30 + len(payload)).to_bytes(2, 'big') + bytes([1, ptype]) + addr(dst) + addr(src) + payload

    station = ('00000001', '02:00:00:00:01:01', 0x4000)
    sap = ('00000000', 'ff:ff:ff:ff:ff:ff', 0x0452)
    server = ('0000000a', '02:00:00:00:01:0a', 0x0451)
    frames = [
        # A SAP general query for file servers (packet type 4) and an NCP request to a server (0x11).
        gre(0x8137, ipx(4, sap, station, bytes.fromhex('00010004'))),
        gre(0x8137, ipx(0x11, server, station, bytes.fromhex('1111000100000016'))),
        # An IPX header cut after 12 of its 30 bytes.
        gre(0x8137, ipx(4, sap, station, b'')[:12]),
    ]
    return timed(frames)


def tcp_udp_streams():
    """TCP and UDP conversations over a GRE tunnel's underlay and inside it, for the fields tshark keeps per stream
    (tcp.stream, relative sequence numbers, window scaling, completeness, udp.stream, the streams' times)."""
    a, b = '192.0.2.1', '198.51.100.2'
    pkts = []

    def at(seconds, p):
        p.time = T0 + seconds
        pkts.append(p)

    def eth(p):
        return Ether(src='02:00:00:00:00:11', dst='02:00:00:00:00:12') / p

    def ab(tcp):
        return eth(IP(src=a, dst=b) / tcp)

    def ba(tcp):
        return eth(IP(src=b, dst=a) / tcp)

    def tunnelled(inner):
        return eth(IP(src=a, dst=b) / GRE() / inner)

    # BGP inside the tunnel: a handshake with window scaling both ways, data, a FIN each way, the last ACK.
    inside = ('10.0.0.1', '10.0.0.2')
    bgp = lambda src, dst, **kw: tunnelled(IP(src=src, dst=dst) / TCP(**kw))
    at(0.00, bgp(*inside, sport=40000, dport=179, flags='S', seq=1000, window=64240,
                 options=[('MSS', 1436), ('SAckOK', b''), ('WScale', 7)]))
    at(0.25, bgp(*inside[::-1], sport=179, dport=40000, flags='SA', seq=5000, ack=1001, window=65160,
                 options=[('MSS', 1436), ('WScale', 8)]))
    at(0.50, bgp(*inside, sport=40000, dport=179, flags='A', seq=1001, ack=5001, window=502))
    at(0.75, bgp(*inside, sport=40000, dport=179, flags='PA', seq=1001, ack=5001, window=502) / Raw(b'\xff' * 16 + b'\x00\x13\x04'))
    at(1.00, bgp(*inside[::-1], sport=179, dport=40000, flags='PA', seq=5001, ack=1020, window=255) / Raw(b'\xff' * 16 + b'\x00\x13\x04'))
    # A telnet session seen from its middle (no SYN): sequence numbers start at 1, the window's scale is unknown.
    at(1.25, ab(TCP(sport=40001, dport=23, flags='PA', seq=777777, ack=888888, window=1000) / Raw(b'show ip route\r\n')))
    at(1.50, ba(TCP(sport=23, dport=40001, flags='A', seq=888888, ack=777792, window=2000)))
    at(1.75, bgp(*inside, sport=40000, dport=179, flags='FA', seq=1020, ack=5020, window=502))
    at(2.00, bgp(*inside[::-1], sport=179, dport=40000, flags='FA', seq=5020, ack=1021, window=255))
    at(2.25, bgp(*inside, sport=40000, dport=179, flags='A', seq=1021, ack=5021, window=502))
    # The same ports again with a new initial sequence number: a new stream; the SYN-ACK's scaling without the SYN's
    # is not used; then a reset.
    at(2.50, bgp(*inside, sport=40000, dport=179, flags='S', seq=99000, window=64240))
    at(2.75, bgp(*inside[::-1], sport=179, dport=40000, flags='SA', seq=7000, ack=99001, window=65160,
                 options=[('WScale', 3)]))
    at(3.00, bgp(*inside, sport=40000, dport=179, flags='A', seq=99001, ack=7001, window=1000))
    at(3.25, bgp(*inside[::-1], sport=179, dport=40000, flags='R', seq=7001, window=0))
    # ICMP errors quoting a UDP datagram and a telnet segment.
    at(3.50, ba(ICMP(type=3, code=3) / IP(src=a, dst=b) / UDP(sport=5353, dport=53) / Raw(b'q' * 8)))
    at(3.75, ba(ICMP(type=3, code=1) / IP(src=a, dst=b) / TCP(sport=40001, dport=23, flags='PA', seq=777792,
                                                               ack=888888)))
    # UDP: a query and its answer, another source port, the same ports inside the tunnel and inside VXLAN, an empty
    # datagram, and one stamped before the one ahead of it.
    at(4.00, ab(UDP(sport=5353, dport=53) / Raw(b'a' * 4)))
    at(4.25, ba(UDP(sport=53, dport=5353) / Raw(b'b' * 4)))
    at(4.50, ab(UDP(sport=5354, dport=53) / Raw(b'c' * 4)))
    at(4.75, tunnelled(IP(src='10.0.0.1', dst='10.0.0.2') / UDP(sport=5353, dport=53) / Raw(b'd' * 4)))
    at(5.00, ab(UDP(sport=4789, dport=4789) / VXLAN(vni=5) / Ether() / IP(src='10.0.0.1', dst='10.0.0.2')
                / UDP(sport=5353, dport=53) / Raw(b'e' * 4)))
    at(5.25, eth(IPv6(src='2001:db8::1', dst='2001:db8::2') / UDP(sport=1, dport=2)))
    at(5.50, eth(IPv6(src='2001:db8::1', dst='2001:db8::2') / TCP(sport=1, dport=2, flags='S', seq=0)))
    at(1.00, ab(UDP(sport=5353, dport=53) / Raw(b'z')))
    # A SYN without window scaling, answered with it: neither side scales.
    at(6.00, ab(TCP(sport=40002, dport=443, flags='S', seq=10, window=64240, options=[('MSS', 1460)])))
    at(6.25, ba(TCP(sport=443, dport=40002, flags='SA', seq=20, ack=11, window=65160, options=[('WScale', 8)])))
    at(6.50, ab(TCP(sport=40002, dport=443, flags='A', seq=11, ack=21, window=500)))
    # Closed with no data (FIN, or RST), with data and a RST, with data, FIN and RST: a segment after each shows it.
    for port, ends in ((40003, ['FA', 'FA']), (40004, ['R']), (40005, ['PA', 'R']), (40006, ['PA', 'FA', 'R'])):
        t = 7 + (port - 40003)
        at(t, ab(TCP(sport=port, dport=22, flags='S', seq=100)))
        at(t + 0.1, ba(TCP(sport=22, dport=port, flags='SA', seq=200, ack=101)))
        at(t + 0.2, ab(TCP(sport=port, dport=22, flags='A', seq=101, ack=201)))
        for i, flags in enumerate(ends):
            data = Raw(b'x') if flags == 'PA' else Raw(b'')
            at(t + 0.3 + i / 10, ab(TCP(sport=port, dport=22, flags=flags, seq=101, ack=201) / data))
        at(t + 0.9, ba(TCP(sport=22, dport=port, flags='A', seq=201, ack=102)))
    return pkts


def bpdu_body(version, btype, flags, root, cost, bridge, port, ages=(0, 20, 2, 15)):
    """A configuration or RST BPDU: identifiers as (priority with the system ID extension, MAC)."""
    b = struct.pack('>HBBB', 0, version, btype, flags)
    b += struct.pack('>H', root[0]) + bytes.fromhex(root[1].replace(':', '')) + struct.pack('>I', cost)
    b += struct.pack('>H', bridge[0]) + bytes.fromhex(bridge[1].replace(':', '')) + struct.pack('>H', port)
    return b + b''.join(struct.pack('>H', int(a * 256)) for a in ages)


def llc_stp():
    """802.2 LLC frames and the spanning trees they carry: STP, RSTP, MSTP, Cisco's PVST+ over SNAP, on a LAN and
    bridged through a gretap tunnel; LLC's I, S and U formats; RFC 1042 SNAP; IPX over LLC and raw; BPDUs cut short;
    a BPDU to GVRP's address; SNAP's 802.1 BPDU; an MST BPDU of the layout with no version 3 length."""
    stp_mac = '01:80:c2:00:00:00'
    pvst_mac = '01:00:0c:cc:cc:cd'
    a, b = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
    root = (0x8001, '00:11:22:33:44:55')
    me = (0x8001, a)
    conf = bpdu_body(0, 0, 0x81, root, 4, me, 0x8002, (1, 20, 2, 15))
    tcn = struct.pack('>HBB', 0, 0, 0x80)
    rst = bpdu_body(2, 2, 0x7e, root, 20000, me, 0x8001, (0.5, 20, 2, 15)) + b'\x00'
    msti = lambda flags, mstid, mac, cost, bprio, pprio, hops: (
        struct.pack('>BH', flags, 0x8000 | mstid) + bytes.fromhex(mac.replace(':', ''))
        + struct.pack('>IBBB', cost, bprio, pprio, hops))
    name = b'region1'.ljust(32, b'\x00')
    mst_tail = struct.pack('>B', 0) + name + struct.pack('>H', 7) + bytes(range(16))
    mst_tail += struct.pack('>I', 2000) + struct.pack('>H', 0x7001) + bytes.fromhex('020000000099') + b'\x14'
    mstis = msti(0x3c, 10, '00:11:22:33:44:56', 0, 0x80, 0x80, 20)
    mstis += msti(0x49, 20, '02:00:00:00:00:0a', 200, 0x60, 0x90, 19)
    mst = bpdu_body(3, 2, 0x3d, root, 0, me, 0x8003) + b'\x00' + struct.pack('>H', 64 + len(mstis)) + mst_tail + mstis
    pvst_tlv = struct.pack('>HHH', 0, 2, 1213)
    pvst = bpdu_body(0, 0, 0x01, (0x8000 | 1213, '00:11:22:33:44:55'), 19, (0x8000 | 1213, b), 0x8005) + b'\x00' + pvst_tlv
    rpvst = bpdu_body(2, 2, 0x3c, (0x8000 | 30, '00:11:22:33:44:55'), 0, (0x8000 | 30, b), 0x8005) + b'\x00'
    rpvst += struct.pack('>HHH', 0, 2, 30)
    def dot3(dst, src, payload, vlan=None):
        if vlan is None:
            return Ether(dst=dst, src=src, type=len(payload)) / Raw(payload)
        return Ether(dst=dst, src=src, type=0x8100) / Raw(struct.pack('>HH', vlan, len(payload)) + payload)
    stp_llc = lambda body: b'\x42\x42\x03' + body
    pvst_snap = lambda body: b'\xaa\xaa\x03\x00\x00\x0c\x01\x0b' + body
    outer = lambda inner: (Ether(src='02:00:00:00:01:01', dst='02:00:00:00:01:02')
                           / IP(src='192.0.2.1', dst='198.51.100.7') / GRE(proto=0x6558, key_present=1, key=7)
                           / Raw(bytes(inner)))
    ipv4 = bytes(IP(src='10.0.0.1', dst='10.0.0.2') / UDP(sport=1000, dport=2000) / Raw(b'snap'))
    ipx = bytes.fromhex('ffff00220004' + '00000001ffffffffffff9001' + '000000020200000000029002') + b'ping'
    frames = [
        dot3(stp_mac, a, stp_llc(conf)),
        dot3(stp_mac, a, stp_llc(tcn)),
        dot3(stp_mac, a, stp_llc(rst)),
        dot3(stp_mac, a, stp_llc(mst)),
        dot3(pvst_mac, b, pvst_snap(pvst), vlan=1213),
        dot3(pvst_mac, b, pvst_snap(rpvst), vlan=30),
        outer(dot3(stp_mac, a, stp_llc(rst))),
        outer(dot3(pvst_mac, b, pvst_snap(pvst), vlan=1213)),
        dot3(b, a, b'\xaa\xaa\x03\x00\x00\x00\x08\x00' + ipv4),
        dot3('ff:ff:ff:ff:ff:ff', a, b'\xe0\xe0\x03' + ipx),
        dot3(b, a, b'\x18\x18\x0a\x0b' + b'data'),  # I format: N(S) 5, N(R) 5, poll
        dot3(b, a, b'\x18\x19\x01\x0d'),  # S format: RR response, N(R) 6, final
        dot3(b, a, b'\x18\x18\x7f'),  # U format: SABME, poll
        dot3(b, a, b'\x18\x19\x73'),  # U format: UA response, final
        dot3(b, a, b'\x4e\x4f\x03' + b'data'),  # SAPs with no dissector here
        dot3(stp_mac, a, stp_llc(conf[:20])),  # cut inside the bridge identifier
        dot3(stp_mac, a, stp_llc(struct.pack('>HBB', 0, 0, 0x33) + b'\x00' * 8)),  # unknown BPDU type
        dot3(stp_mac, a, stp_llc(bpdu_body(3, 2, 0, root, 0, me, 0x8001) + b'\x00\x00\x00')),  # MSTP too short
        dot3(stp_mac, a, b'\x42'),  # no room for LLC
        dot3('01:80:c2:00:00:21', a, stp_llc(conf)),  # to GVRP's address: not STP
        dot3(b, a, b'\x18\x19\x0a\x0b' + b'data'),  # I format, a response with the poll bit (still Poll)
        dot3(stp_mac, a, b'\xaa\xaa\x03\x00\x80\xc2\x00\x0e' + conf),  # SNAP's 802.1 BPDU
        dot3('ff:ff:ff:ff:ff:ff', a, ipx),  # Novell's raw 802.3 IPX: no LLC
        dot3(stp_mac, a, stp_llc(mst[:36] + b'\x00\x00' + b'\x00' + b'tab\there'.ljust(32, b'\x00') + mst[71:102])),
    ]
    return timed(frames)


def inet_checksum(data):
    if len(data) % 2:
        data += b'\x00'
    total = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def pim_message(ptype, body, src6=None, dst6=None, checksummed=None, bad=False):
    """A PIMv2 message with its checksum over the message (or `checksummed` bytes of it), after IPv6's pseudo-header
    when given the addresses; `bad` stores a wrong one."""
    msg = struct.pack('>BBH', 0x20 | ptype, 0, 0) + body
    covered = msg[:checksummed] if checksummed else msg
    pseudo = b''
    if src6:
        pseudo = inet_pton(AF_INET6, src6) + inet_pton(AF_INET6, dst6) + struct.pack('>II', len(covered), 103)
    c = inet_checksum(pseudo + covered) ^ (0x1234 if bad else 0)
    return msg[:2] + struct.pack('>H', c) + msg[4:]


def pim_hellos():
    """PIM across GRE tunnels, as multicast routing meets there: Hellos with every option Wireshark names (hold time,
    goodbye and infinity, LAN prune delay with and without T, DR priority, generation ID, state refresh, bidir
    capable, IPv4 and IPv6 address lists, the old address list type, an unknown option), over IPv4 and IPv6, a bad
    checksum, an option whose length runs past the message, Registers (one carrying an IPv4 packet, a null one), and
    two Hellos the audit must not take for neighbours (PIM version 3; one inside a Register)."""
    opt = lambda t, v: struct.pack('>HH', t, len(v)) + v
    addr4 = lambda a: struct.pack('>BB', 1, 0) + inet_aton(a)
    addr6 = lambda a: struct.pack('>BB', 2, 0) + inet_pton(AF_INET6, a)
    hello = (opt(1, struct.pack('>H', 105)) + opt(2, struct.pack('>HH', 0x8000 | 500, 2500))
             + opt(19, struct.pack('>I', 200)) + opt(20, struct.pack('>I', 0x3f0e1c2d))
             + opt(21, struct.pack('>BBH', 1, 60, 0)) + opt(22, b'')
             + opt(24, addr4('10.9.0.1') + addr4('10.9.0.2')) + opt(65001, addr4('10.9.0.3'))
             + opt(65004, b'\x01\x02\x03\x04'))
    goodbye = opt(1, struct.pack('>H', 0)) + opt(20, struct.pack('>I', 7)) + opt(2, struct.pack('>HH', 10, 100))
    forever = opt(1, struct.pack('>H', 0xffff)) + opt(19, struct.pack('>I', 1))
    src6, dst6 = 'fe80::1', 'ff02::d'
    hello6 = opt(1, struct.pack('>H', 105)) + opt(24, addr6('2001:db8::1') + addr6('2001:db8::2'))
    runs_past = opt(1, struct.pack('>H', 105)) + struct.pack('>HH', 20, 40) + b'\x00\x00'
    inner = bytes(IP(src='10.1.0.5', dst='239.1.1.1', ttl=16) / UDP(sport=5000, dport=5001) / Raw(b'stream'))
    register = pim_message(1, struct.pack('>I', 0) + inner, checksummed=8)
    null_register = pim_message(1, struct.pack('>I', 0x40000000) + bytes(20), checksummed=8)
    gre = lambda inner_ip: (Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02')
                            / IP(src='192.0.2.1', dst='198.51.100.7') / GRE(proto=0x0800) / inner_ip)
    gre6 = lambda inner_ip: (Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02')
                             / IP(src='192.0.2.1', dst='198.51.100.7') / GRE(proto=0x86dd) / inner_ip)
    pim4 = lambda src, dst, msg: IP(src=src, dst=dst, proto=103, ttl=1) / Raw(msg)
    frames = [
        gre(pim4('10.0.0.1', '224.0.0.13', pim_message(0, hello))),
        gre(pim4('10.0.0.2', '224.0.0.13', pim_message(0, goodbye))),
        gre(pim4('10.0.0.2', '224.0.0.13', pim_message(0, forever, bad=True))),
        gre6(IPv6(src=src6, dst=dst6, nh=103, hlim=1) / Raw(pim_message(0, hello6, src6, dst6))),
        gre(pim4('10.0.0.1', '224.0.0.13', pim_message(0, runs_past))),
        gre(pim4('10.0.0.1', '10.0.0.9', register)),
        gre(pim4('10.0.0.1', '10.0.0.9', null_register)),
        # Not neighbours: a type-0 message of PIM version 3, and a Hello inside the packet a Register carries.
        gre(pim4('10.0.0.66', '224.0.0.13', bytes([0x30]) + pim_message(0, forever)[1:])),
        gre(pim4('10.0.0.1', '10.0.0.9', pim_message(1, struct.pack('>I', 0) + bytes(
            IP(src='10.1.0.5', dst='224.0.0.13', proto=103, ttl=1) / Raw(pim_message(0, forever))), checksummed=8))),
    ]
    return timed(frames)


def avp(atype, value=b'', vendor=0, mandatory=True, hidden=False, length=None):
    """An L2TP attribute-value pair: M and H bits, length (10 bits), vendor, type, value."""
    n = 6 + len(value) if length is None else length
    return struct.pack('>HHH', (0x8000 if mandatory else 0) | (0x4000 if hidden else 0) | n, vendor, atype) + value


def l2tp_control():
    """L2TP control messages with the AVPs Wireshark reads: L2TPv3 over IP (protocol 115) and over UDP, L2TPv2 over
    UDP (and its data messages, PPP); every IETF AVP type of RFC 2661/3931/5515 with a value, Cisco's vendor AVPs, an
    unknown vendor's and an unknown type, hidden AVPs, a zero-length body (ZLB) acknowledgement, and the malformed
    ones: an AVP length under 6, and one past the message."""
    u16 = lambda n: struct.pack('>H', n)
    u32 = lambda n: struct.pack('>I', n)
    msg = lambda t: avp(0, u16(t))

    def v3(avps, ccid=0x22, ns=1, nr=1):
        return struct.pack('>HHIHH', 0xc803, 12 + len(avps), ccid, ns, nr) + avps

    def v2(avps, tunnel=0, session=0, ns=0, nr=0):
        return struct.pack('>HHHHHH', 0xc802, 12 + len(avps), tunnel, session, ns, nr) + avps

    eth = lambda: Ether(src='02:00:00:00:03:01', dst='02:00:00:00:03:02')
    over_ip = lambda body, a='192.0.2.150', b='198.51.100.150': eth() / IP(src=a, dst=b, proto=115) / Raw(
        b'\x00\x00\x00\x00' + body)
    over_udp = lambda body, a='192.0.2.151', b='198.51.100.151': eth() / IP(src=a, dst=b) / UDP(
        sport=1701, dport=1701) / Raw(body)

    sccrq3 = v3(msg(1) + avp(2, b'\x01\x00') + avp(7, b'lcce-a.example') + avp(8, b'gredump tests')
                + avp(3, u32(3)) + avp(4, u32(2)) + avp(6, u16(0x1120)) + avp(60, u32(0x0a000001))
                + avp(61, u32(0x11)) + avp(62, u16(4) + u16(5) + u16(7)) + avp(5, bytes(range(1, 9)))
                + avp(10, u16(16)) + avp(73, bytes(range(16)))
                + avp(1, u32(0x11), vendor=9) + avp(2, u16(4) + u16(5), vendor=9) + avp(10, u16(1), vendor=9)
                + avp(14, u16(1500), vendor=9) + avp(9, bytes(8), vendor=9) + avp(99, b'\x01\x02', vendor=9),
                ccid=0)
    sccrp3 = v3(msg(2) + avp(7, b'lcce-b') + avp(61, u32(0x22))
                + avp(59, b'\x00' + bytes(range(16))) + avp(12, u16(0x10) + b'\x01' + b'advice'), ccid=0x11)
    icrq3 = v3(msg(10) + avp(63, u32(4097)) + avp(64, u32(0)) + avp(65, u32(0xcafe0001)) + avp(68, u16(5))
               + avp(69, u16(1)) + avp(70, u16(2)) + avp(66, b'pw-100') + avp(71, u16(3)) + avp(15, u32(77))
               + avp(74, struct.pack('>Q', 1000000000)) + avp(75, struct.pack('>Q', 100000000))
               + avp(5, bytes(8), vendor=9) + avp(3, u32(4097), vendor=9) + avp(4, u32(0), vendor=9)
               + avp(5, u32(0xbeef), vendor=9) + avp(6, b'cisco-end', vendor=9) + avp(7, u16(5), vendor=9)
               + avp(8, u16(3), vendor=9), ns=2)
    csun3 = v3(msg(28) + avp(97, u32(4097) + struct.pack('>QQ', 5000, 6000)), ns=3)
    cdn3 = v3(msg(14) + avp(1, u16(2) + u16(6) + b'vendor error') + avp(63, u32(4097)) + avp(64, u32(8193))
              + avp(46, u16(3) + u16(0xc021) + b'\x01' + b'lcp down'), ns=4)
    stopccn3 = v3(msg(4) + avp(1, u16(6) + u16(0)) + avp(61, u32(0x22)), ns=5)
    hello3 = v3(msg(6), ns=6)
    zlb3 = v3(b'', ns=7)
    odd3 = v3(msg(6) + avp(36, bytes(range(8))) + avp(7, b'hidden-name', hidden=True)
              + avp(1, b'\xaa\xbb', vendor=311) + avp(4, b'\x01', vendor=311, hidden=True)
              + avp(200, b'\x01\x02\x03') + avp(201) + avp(72, b'en') + avp(98, b'') + avp(39), ns=8)
    short3 = v3(msg(6) + avp(10, u16(4)) + struct.pack('>HHH', 0x8004, 0, 7) + avp(8, b'after'), ns=9)
    past3 = v3(msg(6) + avp(7, b'longer', length=40), ns=10)

    sccrq2 = v2(msg(1) + avp(2, b'\x01\x00') + avp(3, u32(1)) + avp(4, u32(3)) + avp(6, u16(0x0600))
                + avp(7, b'lac') + avp(8, b'vendor') + avp(9, u16(7)) + avp(10, u16(4))
                + avp(11, bytes(range(16))))
    sccrp2 = v2(msg(2) + avp(7, b'lns') + avp(9, u16(9)) + avp(13, bytes(range(16, 32))), tunnel=7)
    icrq2 = v2(msg(10) + avp(14, u16(3)) + avp(15, u32(12345)) + avp(18, u32(1)) + avp(25, u32(2))
               + avp(21, b'5551000') + avp(22, b'5552000') + avp(23, b'sub') + avp(37, b'grp1'), tunnel=9, ns=1)
    iccn2 = v2(msg(12) + avp(24, u32(56000)) + avp(19, u32(1)) + avp(38, u32(48000)) + avp(29, u16(2))
               + avp(30, b'alice') + avp(31, bytes(range(8))) + avp(32, u16(7)) + avp(33, bytes(range(16)))
               + avp(16, u32(9600)) + avp(17, u32(128000)) + avp(39), tunnel=9, session=3, ns=2, nr=1)
    wen2 = v2(msg(15) + avp(34, u16(0) + u32(1) + u32(2) + u32(3) + u32(4) + u32(5) + u32(6)), tunnel=9, session=3,
              ns=3, nr=2)
    sli2 = v2(msg(16) + avp(35, u16(0) + u32(0xffffffff) + u32(0)), tunnel=9, session=3, ns=4, nr=2)
    cdn2 = v2(msg(14) + avp(1, u16(3)) + avp(14, u16(3)) + avp(12, u16(16) + b'\x02'), tunnel=9, session=3, ns=5,
              nr=2)
    stop2 = v2(msg(4) + avp(1, u16(1) + u16(0)) + avp(9, u16(7)), tunnel=9, ns=6, nr=2)

    # L2TPv2 data: PPP (address, control, protocol) carrying IPv4; with length and sequence; with offset padding.
    ppp_ip = b'\xff\x03\x00\x21' + bytes(IP(src='10.151.0.1', dst='10.151.0.2') / ICMP(id=5, seq=1))
    data2 = struct.pack('>HHH', 0x0002, 9, 3) + ppp_ip
    data2_ls = struct.pack('>HHHHHH', 0x4802, 12 + len(ppp_ip), 9, 3, 4, 0) + ppp_ip
    data2_offset = struct.pack('>HHHH', 0x0202, 9, 3, 2) + b'\x00\x00' + ppp_ip

    frames = [over_ip(m) for m in (sccrq3, sccrp3, icrq3, csun3, cdn3, stopccn3, hello3, zlb3, odd3, short3, past3)]
    frames.append(over_udp(sccrq3, '192.0.2.152', '198.51.100.152'))
    frames += [over_udp(m) for m in (sccrq2, sccrp2, icrq2, iccn2, wen2, sli2, cdn2, stop2)]
    frames += [over_udp(m) for m in (data2, data2_ls, data2_offset)]
    return timed(frames)


def pptp_message(ctype, body, cookie=0x1A2B3C4D, mtype=1):
    """A PPTP control message (RFC 2637): length, message type, magic cookie, control message type, reserved, body."""
    return struct.pack('>HHIHH', 12 + len(body), mtype, cookie, ctype, 0) + body


def pptp_control():
    """PPTP's control connection on TCP 1723, every control message type in the order of a session (PNS 192.0.2.10,
    PAC 198.51.100.20): start, echo, an outgoing call, its link info, an incoming call, a WAN error, the calls cleared
    and disconnected, stop; then a wrong magic cookie, an unknown type, two messages in one segment, one split over
    two segments, a segment of 6 bytes, a message inside a GRE tunnel, one quoted in an ICMP error, hostile names
    (controls, a name too long for Wireshark's label), and a message cut by the snapshot length."""
    pns, pac = '192.0.2.10', '198.51.100.20'
    name = lambda s: s.ljust(64, b'\x00')[:64]
    pkts = []
    seq = {}

    def seg(src, dst, sport, dport, payload, flags='PA', outer=None):
        """A segment of the connection (src, sport) -> (dst, dport), its sequence number where the last one ended."""
        key = (src, sport, dst, dport)
        s = seq.setdefault(key, 1000 + sport)
        seq[key] = s + len(payload) + (1 if 'S' in flags or 'F' in flags else 0)
        ack = seq.get((dst, dport, src, sport), 0)
        ip = IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=s, ack=ack) / Raw(payload)
        if outer:
            ip = IP(src=outer[0], dst=outer[1]) / GRE(proto=0x0800) / ip
        p = Ether(src='02:00:00:00:03:01', dst='02:00:00:00:03:02') / ip
        pkts.append(p)
        return p

    c = lambda payload: seg(pns, pac, 40010, 1723, payload)
    s = lambda payload: seg(pac, pns, 1723, 40010, payload)
    seg(pns, pac, 40010, 1723, b'', 'S')
    seg(pac, pns, 1723, 40010, b'', 'SA')
    seg(pns, pac, 40010, 1723, b'', 'A')
    caps = lambda framing, bearer, channels, firmware: struct.pack('>IIHH', framing, bearer, channels, firmware)
    # Start-Control-Connection-Request and -Reply: names with a quote, a backslash, a tab and bytes over 0x7f.
    c(pptp_message(1, struct.pack('>BBH', 1, 0, 0) + caps(3, 3, 0, 0x0100) + name(b'pns.example')
                   + name(b'gredump "lab" \\ \tv1 \xc3\xa9')))
    s(pptp_message(2, struct.pack('>BBBB', 1, 0, 1, 0) + caps(1, 2, 8, 0x1234) + name(b'pac') + name(b'Vendor\xffInc')))
    c(pptp_message(5, struct.pack('>I', 0x12345678)))
    s(pptp_message(6, struct.pack('>IBBH', 0x12345678, 1, 0, 0)))
    # Outgoing-Call-Request and -Reply (call 0x4001 <-> 0x8001), Set-Link-Info.
    c(pptp_message(7, struct.pack('>HHIIIIHHHH', 0x4001, 7, 300, 100000000, 3, 3, 64, 0, 4, 0)
                   + name(b'5550') + name(b'')))
    s(pptp_message(8, struct.pack('>HHBBHIHHI', 0x8001, 0x4001, 1, 0, 0, 64000, 32, 5, 3)))
    c(pptp_message(15, struct.pack('>HHII', 0x8001, 0, 0xFFFFFFFF, 0)))
    # Incoming-Call-Request, -Reply, -Connected (call 0x8002 <-> 0x4002), a WAN-Error-Notify.
    s(pptp_message(9, struct.pack('>HHIIHH', 0x8002, 9, 2, 4, 3, 7) + name(b'100') + name(b'5551234') + name(b'sub')))
    c(pptp_message(10, struct.pack('>HHBBHHH', 0x4002, 0x8002, 1, 0, 16, 0, 0)))
    s(pptp_message(11, struct.pack('>HHIHHI', 0x4002, 0, 56000, 16, 2, 2)))
    s(pptp_message(14, struct.pack('>HHIIIIII', 0x4001, 0, 1, 2, 3, 4, 5, 6)))
    # Call-Clear-Request, Call-Disconnect-Notify (RFC 2637's 128 bytes of statistics; Wireshark reads 64),
    # Stop-Control-Connection-Request and -Reply.
    c(pptp_message(12, struct.pack('>HH', 0x4001, 0)))
    s(pptp_message(13, struct.pack('>HBBHH', 0x8001, 4, 0, 0x10, 0) + b'rx 100 tx 200'.ljust(128, b'\x00')))
    c(pptp_message(3, struct.pack('>BBH', 2, 0, 0)))
    s(pptp_message(4, struct.pack('>BBH', 1, 0, 0)))
    # A wrong magic cookie; an unknown type 16 (its body is data); a management message (type 2).
    c(pptp_message(5, struct.pack('>I', 1), cookie=0xDEADBEEF))
    c(pptp_message(16, b'abcdefgh'))
    c(pptp_message(5, struct.pack('>I', 2), mtype=2))
    # An Echo-Request and -Reply in one segment (tshark reads the first); an OCRQ split over two segments (the
    # first malformed, the second read as a message of its own: bad cookie, type 0); a segment of 6 bytes.
    c(pptp_message(5, struct.pack('>I', 3)) + pptp_message(6, struct.pack('>IBBH', 3, 1, 0, 0)))
    ocrq = pptp_message(7, struct.pack('>HHIIIIHHHH', 0x4003, 8, 300, 64000, 1, 1, 8, 0, 0, 0) + name(b'') + name(b''))
    c(ocrq[:100])
    c(ocrq[100:])
    c(b'\x00\x10\x00\x01\x1a\x2b')
    # An Echo-Reply on a PPTP connection inside a GRE tunnel (10.0.0.1 <-> 10.0.0.2).
    seg('10.0.0.2', '10.0.0.1', 1723, 40020, pptp_message(6, struct.pack('>IBBH', 9, 2, 6, 0)),
        outer=('203.0.113.1', '198.51.100.20'))
    # An ICMP error quoting the first 20 bytes of a Set-Link-Info (cut in its send ACCM).
    sli = bytes(IP(src=pns, dst=pac) / TCP(sport=40011, dport=1723, flags='PA', seq=5, ack=7)
                / Raw(pptp_message(15, struct.pack('>HHII', 0x8002, 0, 0xFFFFFFFF, 0xFFFFFFFF))))
    pkts.append(Ether(src='02:00:00:00:03:02', dst='02:00:00:00:03:01')
                / IP(src='203.0.113.1', dst=pns) / ICMP(type=3, code=4, nexthopmtu=1400) / Raw(sli[:40 + 20]))
    # Hostile names: 64 control bytes (too long for Wireshark's label once escaped) and an escape sequence.
    seg('203.0.113.30', pac, 40030, 1723, pptp_message(1, struct.pack('>BBH', 1, 0, 0) + caps(1, 1, 1, 1)
                                                       + b'\x01' * 64 + name(b'\x1b[31mred\x7f\x1b]0;x\x07')))
    # A Start-Control-Connection-Request cut by the snapshot length inside its host name.
    cut = seg('203.0.113.31', pac, 40031, 1723, pptp_message(1, struct.pack('>BBH', 1, 0, 0) + caps(1, 1, 1, 1)
                                                             + name(b'cut-here') + name(b'vendor')))
    pkts[-1] = Ether(bytes(cut)[:14 + 20 + 20 + 40])
    pkts[-1].wirelen = len(cut)
    return timed(pkts)


def eigrp_tlvs():
    """EIGRP inside a GRE tunnel (192.0.2.1 -> 198.51.100.7), as a DMVPN runs it: a Hello with MD5 authentication,
    parameters, software version and stub options; an Update with an internal and an external IPv4 route (a /24 and a
    /16, three and two bytes of destination); a Hello with the sequence and next multicast sequence TLVs and an
    internal IPv6 route; a goodbye (K values 255: peer termination); a bad checksum; a TLV whose length is under 4; a
    Hello whose authentication TLV is of type 0."""
    from scapy.contrib.eigrp import (EIGRP, EIGRPAuthData, EIGRPExtRoute, EIGRPIntRoute, EIGRPNms, EIGRPParam,
                                     EIGRPSeq, EIGRPStub, EIGRPSwVer, EIGRPv6IntRoute)
    gre = lambda msg: (Ether(src='02:00:00:00:04:01', dst='02:00:00:00:04:02')
                       / IP(src='192.0.2.1', dst='198.51.100.7') / GRE(proto=0x0800)
                       / IP(src='10.0.0.1', dst='224.0.0.10', proto=88, ttl=2) / msg)
    hello = EIGRP(opcode=5, asn=100, tlvlist=[
        EIGRPAuthData(authtype=2, keyid=1, authdata=bytes(range(16))), EIGRPParam(k1=1, k3=1, holdtime=15),
        EIGRPSwVer(), EIGRPStub(flags=0x0009)])
    update = EIGRP(opcode=1, asn=100, flags=8, seq=23, tlvlist=[
        EIGRPIntRoute(nexthop='0.0.0.0', delay=2560, bandwidth=25600, mtu=1500, hopcount=1, reliability=255, load=1,
                      prefixlen=24, dst='192.168.1.0'),
        EIGRPExtRoute(nexthop='10.0.0.2', originrouter='10.9.9.9', originasn=200, tag=5, externalmetric=20,
                      extprotocolid=6, flags=0x02, delay=100, bandwidth=1000, mtu=1500, hopcount=2, reliability=255,
                      load=1, prefixlen=16, dst='172.16.0.0')])
    sequence = EIGRP(opcode=5, asn=100, flags=2, tlvlist=[
        EIGRPSeq(addrlen=4, ipaddr='10.0.0.2'), EIGRPNms(nms=25), EIGRPv6IntRoute(prefixlen=64, dst='2001:db8::')])
    goodbye = EIGRP(opcode=5, asn=100, tlvlist=[EIGRPParam(k1=255, k2=255, k3=255, k4=255, k5=255, holdtime=15)])
    bad = bytearray(bytes(EIGRP(opcode=5, asn=100, tlvlist=[EIGRPParam(k1=1, k3=1, holdtime=15)])))
    bad[2] ^= 0x10
    short_tlv = bytes(EIGRP(opcode=5, asn=100)) + struct.pack('>HH', 1, 2) + bytes(8)
    # An authentication TLV of type 0: it authenticates nothing (the audit counts this Hello unauthenticated).
    type0 = EIGRP(opcode=5, asn=100, tlvlist=[
        EIGRPAuthData(authtype=0, keyid=1, authdata=bytes(16)), EIGRPParam(k1=1, k3=1, holdtime=15)])
    frames = [gre(hello), gre(update), gre(sequence), gre(goodbye), gre(Raw(bytes(bad))), gre(Raw(short_tlv)),
              gre(type0)]
    return timed(frames)


def ppp_options():
    """PPP's control protocols' bodies as Wireshark reads them, in a PPPoE session (0x0022) and in PPTP (GRE version 1,
    call 0x4001): LCP Configure-Requests with every option type read (unknown ones too, one whose length is 1, one past
    the options, ones too short for their value, one Wireshark throws on, a length byte missing), a Configure-Nak,
    -Reject and -Ack, every other LCP code (Terminate, Code-Reject, Protocol-Reject, Echo, Discard, Identification, Time
    Remaining, an unknown one), an Echo-Request cut inside its magic number; IPCP with every address option and each
    compression protocol; IPv6CP's interface identifier and compression; CCP's options and Reset codes; PAP's requests
    (a password, never read out), Ack and Nak; CHAP's Challenge, Response (a name of control bytes), Success, Failure,
    value sizes past the packet and of 0; a Configure-Request whose length runs past the packet."""
    u16 = lambda n: struct.pack('>H', n)
    u32 = lambda n: struct.pack('>I', n)
    opt = lambda t, v=b'', length=None: bytes([t, 2 + len(v) if length is None else length]) + v

    def pppoe(proto, code, ident, body, length=None):
        n = 4 + len(body) if length is None else length
        ppp = u16(proto) + bytes([code, ident]) + u16(n) + body
        outer = Ether(src='02:00:00:00:05:01', dst='02:00:00:00:05:02', type=0x8864)
        return outer / PPPoE(sessionid=0x0022) / Raw(ppp)

    def pptp(proto, code, ident, body, seq):
        ppp = b'\xff\x03' + u16(proto) + bytes([code, ident]) + u16(4 + len(body)) + body
        outer = Ether(src='02:00:00:00:05:03', dst='02:00:00:00:05:04') / IP(src='192.0.2.160', dst='198.51.100.160')
        return outer / GRE_PPTP(call_id=0x4001, seqnum_present=1, seqence_number=seq) / Raw(ppp)

    LCP, IPCP, IPV6CP, CCP, PAP, CHAP = 0xc021, 0x8021, 0x8057, 0x80fd, 0xc023, 0xc223
    lcp_all = (opt(1, u16(1492)) + opt(2, u32(0x000a0000)) + opt(3, u16(0xc023)) + opt(4, u16(0xc025))
               + opt(5, u32(0x01020304)) + opt(6, u32(3000)) + opt(7) + opt(8) + opt(10, b'\x00') + opt(13, b'\x00')
               + opt(13, b'\x03' + b'5551234') + opt(17, u16(1600)) + opt(18) + opt(19, b'\x01' + b'id') + opt(15)
               + opt(16) + opt(21, b'\x01') + opt(22, b'\x00\x00') + opt(29) + opt(12, b'\x00') + opt(30, b'\x01\x02'))
    lcp_disc = (opt(19, b'\x02' + inet_aton('10.0.0.1')) + opt(19, b'\x03' + bytes.fromhex('020000000107'))
                + opt(19, b'\x04' + u32(0x01020304) + u32(0x05060708)) + opt(19, b'\x05' + b'5551')
                + opt(19, b'\x00') + opt(19, b'\x02' + b'\x0a\x00') + opt(19, b'\x09' + b'\xab\xcd')
                + opt(19, b'\x04' + b'\x01\x02\x03') + opt(23, u16(0x0102)))
    lcp_auth = (opt(3, u16(0xc227)) + opt(3, u16(0xc223) + b'\x80') + opt(3, u16(0xc223) + b'\x81\x99')
                + opt(3, u16(0xc023) + b'\x42') + opt(3, u16(0x4321)) + opt(2, u32(0)) + opt(2, u32(0xffffffff))
                + opt(10, b'\x08') + opt(6, u32(0)))
    lcp_bad = (opt(1, u16(1500)) + opt(1, b'\x05', length=3) + opt(5, b'\x00\x01', length=4) + opt(13, length=2)
               + opt(7, length=1))
    lcp_past = opt(1, u16(1500)) + opt(5, u32(1), length=30)
    ipcp_all = (opt(3, inet_aton('10.1.1.2')) + opt(129, inet_aton('10.1.1.53')) + opt(130, inet_aton('10.1.1.137'))
                + opt(131, inet_aton('10.1.2.53')) + opt(132, inet_aton('10.1.2.137'))
                + opt(2, u16(0x002d) + b'\x0f\x01') + opt(1, inet_aton('10.1.1.1') + inet_aton('10.1.1.2'))
                + opt(4, inet_aton('10.1.1.9')) + opt(200, b'\xab'))
    ipcp_comp = (opt(2, u16(0x0061) + u16(15) + u16(16) + u16(0) + u16(5) + u16(168))
                 + opt(2, u16(0x0003) + u16(7) + u16(1500) + u16(40)) + opt(2, u16(0x0037) + b'\x03\x00')
                 + opt(2, u16(0x1234) + b'\x01\x02'))
    ccp_all = (opt(18, u32(0x01000061)) + opt(26, b'\x78\x00') + opt(26, b'\x49\x03') + opt(24, b'\x78\x02')
               + opt(21, b'\x2c') + opt(17, u16(1) + b'\x03') + opt(17, u16(1) + b'\x07\x00') + opt(1, b'\x01\x02')
               + opt(2) + opt(3) + opt(16) + opt(20, b'\x05') + opt(23, u16(2) + b'\x03\x01') + opt(25, b'\x02')
               + opt(99, b'\x01'))
    frames = [
        pppoe(LCP, 1, 1, lcp_all),
        pppoe(LCP, 1, 2, lcp_disc),
        pppoe(LCP, 4, 2, lcp_auth),
        pppoe(LCP, 1, 3, lcp_bad),
        pppoe(LCP, 1, 4, lcp_past),
        # A quality protocol option with data (Wireshark throws reading it: the walk ends there), a length byte missing.
        pppoe(LCP, 1, 5, opt(4, u16(0xc025) + u32(3000)) + opt(1, u16(1500))),
        pppoe(LCP, 1, 6, opt(1, u16(1500)) + b'\x07'),
        pppoe(LCP, 3, 1, opt(1, u16(1400)) + opt(3, u16(0xc223) + b'\x05')),
        pppoe(LCP, 4, 1, opt(13, b'\x06')),
        pppoe(LCP, 2, 5, opt(5, u32(0x0a0b0c0d)) + opt(7) + opt(8)),
        pppoe(LCP, 5, 6, b'user request'),
        pppoe(LCP, 6, 6, b''),
        pppoe(LCP, 7, 7, bytes.fromhex('2001000401')),
        pppoe(LCP, 8, 8, u16(0x80fd)),
        pppoe(LCP, 9, 9, u32(0x11223344) + b'ping-data'),
        pppoe(LCP, 10, 9, u32(0x55667788)),
        pppoe(LCP, 11, 10, u32(0x11223344) + b'discard'),
        pppoe(LCP, 12, 11, u32(0x11223344) + b'hello\x01'),
        pppoe(LCP, 13, 12, u32(0x11223344) + u32(3600) + b'left'),
        pppoe(LCP, 13, 13, u32(0x11223344) + u32(0xffffffff)),
        pppoe(LCP, 16, 14, b'\x01\x02'),
        pppoe(LCP, 9, 15, b'\x00\x01'),
        pptp(IPCP, 1, 1, ipcp_all, 1),
        pptp(IPCP, 3, 1, ipcp_comp, 2),
        pptp(IPCP, 3, 2, opt(2, u16(0x0003) + u16(7) + u16(16)), 3),
        pptp(IPCP, 4, 3, opt(131, inet_aton('0.0.0.0')), 4),
        pptp(IPV6CP, 1, 1, opt(1, bytes.fromhex('0211223344556677')) + opt(2, u16(0x004f)) + opt(9, b'\x01'), 5),
        pptp(IPV6CP, 2, 1, opt(1, bytes.fromhex('0011223344556677')), 6),
        pptp(CCP, 1, 1, ccp_all, 7),
        pptp(CCP, 2, 1, opt(18, u32(0x00000040)), 8),
        pptp(CCP, 14, 2, b'', 9),
        pptp(CCP, 15, 2, b'', 10),
        pptp(LCP, 1, 20, opt(1, u16(1400)) + opt(5, u32(0xdeadbeef)), 11),
        pppoe(PAP, 1, 1, b'\x05alice\x06s3cret'),
        pppoe(PAP, 2, 1, b'\x0bWelcome in.'),
        pppoe(PAP, 3, 2, b'\x04Nope'),
        pppoe(PAP, 1, 3, b'\x00\x00'),
        pppoe(PAP, 1, 4, b'\x09ali'),
        pppoe(PAP, 7, 5, b'\x01\x02\x03'),
        pppoe(CHAP, 1, 1, b'\x08' + bytes(range(1, 9)) + b'lns.example'),
        pppoe(CHAP, 2, 1, b'\x10' + bytes(range(16)) + b'bob\x01\x1b'),
        pppoe(CHAP, 3, 1, b'Access granted'),
        pppoe(CHAP, 4, 1, b'E=691 R=0'),
        pppoe(CHAP, 1, 2, b'\x20' + bytes(4)),
        pppoe(CHAP, 1, 3, b'\x00' + b'only-a-name'),
        pppoe(CHAP, 9, 4, b'\xaa\xbb'),
        pppoe(LCP, 1, 21, opt(1, u16(1400)), length=40),
        # FCS alternatives, numbered modes (a window of 0 with an address, one of 128), multilink header formats.
        pppoe(LCP, 1, 22, opt(9, b'\x07') + opt(9, b'\x00') + opt(11, b'\x04') + opt(11, b'\x00' + b'\x03\x01')
              + opt(11, b'\x80') + opt(27, b'\x02\x04') + opt(27, b'\x09\x01')),
        pptp(CCP, 1, 3, opt(19, b'\x05') + opt(19, b'\x05\x01\x02'), 12),
    ]
    return timed(frames)
def eigrp_message(opcode, tlvs, flags=0, seq=0, asn=100):
    """An EIGRP message: its 20-byte header (version 2, the checksum over the whole message) and the TLVs' bytes."""
    body = b''.join(tlvs)
    head = struct.pack('>BBHIIIHH', 2, opcode, 0, flags, seq, 0, 0, asn)
    c = inet_checksum(head + body)
    return head[:2] + struct.pack('>H', c) + head[4:] + body


def eigrp_tlv(ttype, value, length=None):
    return struct.pack('>HH', ttype, 4 + len(value) if length is None else length) + value


def wide_metric(offset=0, priority=0, rel=255, load=1, mtu=1500, hops=0, delay=10000000, bw=100000, flags=0):
    """A wide metric (24 bytes): offset (in 2-byte words of attributes after it), priority, reliability, load, MTU
    (3 bytes) and hop count, delay and bandwidth (6 bytes each), reserved and flags."""
    return (struct.pack('>BBBB', offset, priority, rel, load) + struct.pack('>I', mtu)[1:] + bytes([hops])
            + delay.to_bytes(6, 'big') + bw.to_bytes(6, 'big') + struct.pack('>HH', 0, flags))


def mp_route(ttype, afi, nexthop, dests, tid=0, rid='10.0.0.1', metric=None, attrs=b'', ext=b''):
    """A multi-protocol (wide metric) route TLV: topology, AFI, router ID, wide metric and its attributes, next hop,
    external data, then each destination (prefix length, then as many bytes as it needs)."""
    return eigrp_tlv(ttype, struct.pack('>HH', tid, afi) + inet_aton(rid) + (metric or wide_metric()) + attrs
                     + nexthop + ext + b''.join(dests))


def eigrp_wide():
    """Named-mode EIGRP (wide metrics) inside a GRE tunnel, as a DMVPN hub sends it: multi-protocol route TLVs
    (0x0602 internal, 0x0603 external, 0x0604 community) of IPv4 and IPv6 with several destinations and metric
    attributes, TID lists, a Sequence TLV of several addresses, the legacy IPv4 Ext-Community TLV, an unknown AFI, and
    TLVs cut short by their length."""
    gre = lambda msg: (Ether(src='02:00:00:00:04:01', dst='02:00:00:00:04:02')
                       / IP(src='192.0.2.1', dst='198.51.100.7') / GRE(proto=0x0800)
                       / IP(src='10.0.0.1', dst='224.0.0.10', proto=88, ttl=2) / Raw(msg))
    v4 = lambda bits, addr: bytes([bits]) + inet_aton(addr)[:(bits + 7) // 8]
    # Wireshark 4.0 reads one byte more after an IPv6 prefix shorter than 128 on a byte boundary: padded so.
    v6 = lambda bits, addr: (bytes([bits]) + inet_pton(AF_INET6, addr)[:(bits + 7) // 8]
                             + (b'\x00' if bits < 128 and bits % 8 == 0 else b''))
    ext = lambda proto, flags: inet_aton('10.9.9.9') + struct.pack('>IIIHBB', 200, 7, 20, 0, proto, flags)
    tag = struct.pack('>BBI', 2, 2, 77)
    scaled = struct.pack('>BBI', 1, 2, 2816)
    internal4 = mp_route(0x0602, 1, inet_aton('0.0.0.0'), [v4(24, '192.168.1.0'), v4(32, '10.1.1.1'),
                                                           v4(19, '172.20.224.0'), v4(0, '0.0.0.0')])
    attributed = mp_route(0x0602, 1, inet_aton('10.0.0.2'), [v4(8, '10.0.0.0')], tid=3,
                          metric=wide_metric(offset=6, priority=1, hops=2, flags=0x0600), attrs=tag + scaled)
    external4 = mp_route(0x0603, 1, inet_aton('10.0.0.2'), [v4(16, '172.16.0.0')], rid='10.0.0.2',
                         metric=wide_metric(delay=0xFFFFFFFFFFFF, bw=0xFFFFFFFFFFFF, hops=3, flags=0x0200),
                         ext=ext(6, 0x02))
    internal6 = mp_route(0x0602, 2, inet_pton(AF_INET6, '::'), [v6(64, '2001:db8:1::'), v6(128, '2001:db8::1'),
                                                                v6(56, '2001:db8:2::')])
    external6 = mp_route(0x0603, 2, inet_pton(AF_INET6, 'fe80::1'), [v6(48, '2001:db8:3::')],
                         ext=ext(9, 0x01), metric=wide_metric(mtu=1400, delay=1000000, bw=1000000))
    community = mp_route(0x0604, 1, inet_aton('0.0.0.0'), [v4(24, '192.168.9.0')])
    tids = eigrp_tlv(0x0008, struct.pack('>HHHH', 0, 4, 0, 2))
    mtr_tids = eigrp_tlv(0x00f5, struct.pack('>HHHHH', 0x8000, 6, 0, 1, 9))
    sequence = eigrp_tlv(0x0003, bytes([4]) + inet_aton('10.0.0.2') + bytes([16]) + inet_pton(AF_INET6, 'fe80::2')
                         + bytes([4]) + inet_aton('10.0.0.3'))
    # The legacy Ext-Community TLV of IPv4, which Wireshark reads as an IPv4 route: next hop, legacy metric, destination.
    legacy_metric = struct.pack('>II', 2560, 25600) + struct.pack('>I', 1500)[1:] + bytes([1, 255, 1, 0, 0])
    ext_comm4 = eigrp_tlv(0x0104, inet_aton('10.0.0.2') + legacy_metric + v4(24, '192.168.7.0'))
    unknown_afi = mp_route(0x0602, 3, b'', [b'\x01\x02\x03'])
    frames = [
        eigrp_message(1, [internal4, attributed, external4], flags=8, seq=40),
        eigrp_message(1, [internal6, external6], seq=41),
        eigrp_message(1, [community, ext_comm4], seq=42),
        eigrp_message(5, [tids, mtr_tids, sequence, eigrp_tlv(0x0005, struct.pack('>I', 42))]),
        eigrp_message(1, [unknown_afi], seq=43),
        # A wide-metric TLV whose length ends inside its wide metric, then one that would follow it.
        eigrp_message(1, [eigrp_tlv(0x0602, internal4[4:4 + 20], length=24), internal4], seq=44),
        # A Sequence TLV whose last address is cut by its length; an IPv6 route TLV whose length ends in a destination.
        eigrp_message(5, [eigrp_tlv(0x0003, bytes([4]) + inet_aton('10.0.0.2') + bytes([16, 0xfe, 0x80]))]),
        eigrp_message(1, [eigrp_tlv(0x0602, internal6[4:-5])], seq=45),
    ]
    # (No frame cut by the capture: Wireshark checks the checksum over the bytes captured, where gredump leaves it
    # unverified.)
    return timed([gre(m) for m in frames])
def isis_tlvs():
    """IS-IS inside a GRE tunnel (192.0.2.20 -> 198.51.100.20, GRE 0x00FE), the TLVs routers send beyond the corpus's:
    an L1 LSP with two areas, protocols supported (one unknown), a hostname with a tab and a byte over 0x7f, a TE router
    ID, IP internal and external reachability, extended IS reachability with a sub-TLV, extended IP and IPv6
    reachability with sub-TLVs, /0 and /56 prefixes, multi-topology and HMAC-MD5 authentication; an L2 LSP with a bad
    checksum and its attached, overload and partition repair bits set; one with no checksum (0); a PSNP with LSP
    entries and HMAC-MD5; a CSNP with a cleartext password; a point-to-point hello with the adjacency state TLV (1, 5
    and 15 bytes), multi-topology and restart signaling (3 bytes); a LAN hello with IS neighbours, padding and restart
    signaling naming its neighbour (RA and RR set)."""
    from scapy.utils import fletcher16_checkbytes

    def tlv(t, value):
        return struct.pack('>BB', t, len(value)) + value

    def pdu(ptype, fixed, tlvs, hello=False):
        header_len = 8 + len(fixed)
        body = fixed + b''.join(tlvs)
        length = 8 + len(body)
        common = struct.pack('>BBBBBBBB', 0x83, header_len, 1, 0, ptype, 1, 0, 0)
        if hello:
            # circuit type, source ID, holding time, then the PDU length.
            body = body[:9] + struct.pack('>H', length) + body[11:]
        else:
            body = struct.pack('>H', length) + body[2:]
        return bytearray(common + body)

    def lsp(ptype, lsp_id, seq, bits, tlvs, checksum='good'):
        fixed = struct.pack('>HH', 0, 1199) + lsp_id + struct.pack('>IHB', seq, 0, bits)
        b = pdu(ptype, fixed, tlvs)
        if checksum == 'good':
            b[24:26] = fletcher16_checkbytes(bytes(b[12:]), 12)
        elif checksum == 'bad':
            b[24:26] = fletcher16_checkbytes(bytes(b[12:]), 12)
            b[25] ^= 0x01
        return bytes(b)

    sysid = bytes.fromhex('192168000020')
    md5 = tlv(10, b'\x36' + bytes(range(16)))
    ext_is = tlv(22, sysid + b'\x01' + b'\x00\x00\x0a' + b'\x06' + tlv(6, inet_aton('10.20.0.1'))
                 + bytes.fromhex('19216800002102') + b'\x00\x01\x00' + b'\x00')
    ext_ip = tlv(135, struct.pack('>I', 10) + bytes([0x40 | 24]) + inet_aton('10.20.1.0')[:3] + b'\x03' + tlv(1, b'\x07')
                 + struct.pack('>I', 0) + bytes([0x80 | 0]) + struct.pack('>I', 20) + bytes([30]) + inet_aton('10.20.2.4'))
    ip6 = tlv(236, struct.pack('>I', 10) + bytes([0x20, 56]) + inet_pton(AF_INET6, '2001:db8:1::')[:7] + b'\x03' + tlv(1, b'\x01')
              + struct.pack('>I', 1) + bytes([0xc0, 0]) + struct.pack('>I', 5) + bytes([0x00, 128])
              + inet_pton(AF_INET6, '2001:db8::1'))
    ip_int = tlv(128, b'\x0a\x80\x80\x80' + inet_aton('10.20.3.0') + inet_aton('255.255.255.0')
                 + b'\x14\x80\x80\x80' + inet_aton('10.20.4.0') + inet_aton('255.255.254.0'))
    ip_ext = tlv(130, b'\x4a\x80\x80\x80' + inet_aton('172.16.0.0') + inet_aton('255.240.0.0'))
    mt = tlv(229, struct.pack('>HH', 0x0000, 0x8002))
    l1 = lsp(18, sysid + b'\x00\x00', 0x21, 0x01, [
        tlv(1, b'\x03\x49\x00\x01' + b'\x01\x39'), tlv(129, b'\xcc\x8e\x42'), tlv(137, b'edge\t1\xff.example'),
        tlv(134, inet_aton('10.20.255.1')), ip_int, ip_ext, ext_is, ext_ip, ip6, mt, md5])
    l2_bad = lsp(20, sysid + b'\x00\x01', 0x22, 0x80 | 0x08 | 0x04 | 0x03, [tlv(1, b'\x03\x49\x00\x01')], 'bad')
    l2_none = lsp(20, sysid + b'\x01\x00', 0x23, 0x03, [tlv(137, b'edge2')], 'none')
    entries = (struct.pack('>H', 1100) + sysid + b'\x00\x00' + struct.pack('>IH', 0x21, 0x1234)
               + struct.pack('>H', 0) + bytes.fromhex('1921680000210000') + struct.pack('>IH', 7, 0xabcd))
    psnp = bytes(pdu(26, struct.pack('>H', 0) + sysid + b'\x00', [tlv(9, entries), md5]))
    csnp = bytes(pdu(25, struct.pack('>H', 0) + sysid + b'\x00' + bytes(8) + b'\xff' * 8,
                     [tlv(9, entries), tlv(10, b'\x01' + b'hunter2')]))
    p2p = bytes(pdu(17, b'\x03' + sysid + struct.pack('>HH', 30, 0) + b'\x05', [
        tlv(1, b'\x03\x49\x00\x01'), tlv(240, b'\x00'), tlv(240, b'\x01' + struct.pack('>I', 5)),
        tlv(240, b'\x02' + struct.pack('>I', 5) + bytes.fromhex('192168000021') + struct.pack('>I', 9)),
        mt, tlv(211, b'\x02' + struct.pack('>H', 25))], hello=True))
    lan = bytes(pdu(15, b'\x01' + sysid + struct.pack('>HH', 9, 0) + b'\x40' + sysid + b'\x01', [
        tlv(6, bytes.fromhex('020000002001') + bytes.fromhex('020000002002')),
        tlv(211, b'\x03' + struct.pack('>H', 0) + bytes.fromhex('192168000021')), tlv(8, bytes(10))], hello=True))
    gre = lambda body: (Ether(src='02:00:00:00:05:01', dst='02:00:00:00:05:02')
                        / IP(src='192.0.2.20', dst='198.51.100.20') / GRE(proto=0x00FE) / Raw(body))
    return timed([gre(b) for b in (l1, l2_bad, l2_none, psnp, csnp, p2p, lan)])


def ppp_vj_bcp():
    """PPP's Van Jacobson TCP/IP (RFC 1144) and bridged frames (RFC 3518) in PPTP, each header read every way: VJ
    uncompressed (a telnet segment, the connection number 5 in the protocol byte; one of 9 bytes, one of IPv6);
    VJ compressed with every delta (urgent pointer, a negative window, a two-byte ack after a zero, sequence, IP ID),
    with RFC 1144's two special cases, without a connection number, and cut inside its header; BCP with an Ethernet
    frame, with its FCS kept and two pad bytes, a bridge control packet, Token Ring's pad byte, an unknown MAC type."""
    def pptp(ppp, seq):
        outer = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src='192.0.2.141', dst='198.51.100.141')
        return outer / GRE_PPTP(call_id=0x4141, seqnum_present=1, seqence_number=seq) / Raw(ppp)
    tcp = bytearray(bytes(IP(src='10.141.0.1', dst='10.141.0.2') / TCP(sport=40001, dport=23, flags='PA') / Raw(b'vj')))
    tcp[9] = 5
    v6 = bytes(IPv6(src='2001:db8::1', dst='2001:db8::2') / TCP(sport=1, dport=2))
    frame = bytes(Ether(src='02:00:00:00:01:41', dst='02:00:00:00:01:42') / IP(src='10.141.0.3', dst='10.141.0.4')
                  / UDP(sport=40002, dport=9) / Raw(b'bridged'))
    ppps = [
        b'\x00\x2f' + bytes(tcp),
        b'\x00\x2f' + bytes(tcp[:9]),
        b'\x00\x2f' + v6,
        # C I P A W U: connection 5, checksum, urgent 0x0102, window -3, ack 0x1234 (0 then two bytes), ipid 2.
        b'\x00\x2d' + bytes([0x77, 5, 0xab, 0xcd, 0x01, 0x02, 0xfd, 0x00, 0x12, 0x34, 0x02]) + b'data',
        # C I P S A W: window 300 (0 then two bytes), ack 9, seq 7, ipid 0x0400.
        b'\x00\x2d' + bytes([0x7e, 6, 0xab, 0xcd, 0x00, 0x01, 0x2c, 0x09, 0x07, 0x00, 0x04, 0x00]) + b'more',
        b'\x00\x2d' + bytes([0x4f, 5, 0xab, 0xcd]) + b'unidirectional',
        b'\x00\x2d' + bytes([0x0b, 0xab, 0xcd]) + b'echoed',
        b'\x00\x2d' + bytes([0x80 | 0x02, 0xab, 0xcd, 0x00, 0xff, 0xfe]) + b'reserved bit, window -2',
        b'\x00\x2d' + bytes([0x0c, 0xab, 0xcd, 0x00]),
        b'\x00\x2d' + bytes([0x40, 5]),
        b'\x00\x31' + bytes([0x00, 1]) + frame,
        b'\x00\x31' + bytes([0x82, 1]) + frame + bytes.fromhex('deadbeef') + b'\x00\x00',
        b'\x00\x31' + bytes([0x10, 1]) + bytes(8),
        b'\x00\x31' + bytes([0x00, 3, 0x00]) + bytes(20),
        b'\x00\x31' + bytes([0x00, 9]) + bytes(10),
        b'\x00\x31' + bytes([0x20]),
    ]
    return timed([pptp(b, i) for i, b in enumerate(ppps)])


def tcp_analysis():
    """A TCP stream inside a GRE tunnel that shows each of tshark's SEQ/ACK analysis flags (tcp.analysis.*): the
    handshake's RTT, ACKs with their RTT, bytes in flight less a SACK block, a segment the capture missed, duplicate
    ACKs and the fast retransmission they call for, a retransmission after a timeout, a spurious one, one out of
    order, a zero window with its probe and the probe's ACK, a window update, a keep-alive and its ACK, a full window,
    an ACK of data never seen, the same ports again with a new initial sequence number, a SYN sent again, and a
    reset that gives its reason."""
    a, b = '192.0.2.1', '198.51.100.2'
    c, s = '10.0.0.1', '10.0.0.2'
    pkts = []

    def seg(seconds, to_server, flags, seq, ack=0, window=1000, data=0, options=None, text=b''):
        src, dst, sport, dport = (c, s, 40100, 5001) if to_server else (s, c, 5001, 40100)
        tcp = TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=window, options=options or [])
        outer = IP(src=a, dst=b) if to_server else IP(src=b, dst=a)
        p = Ether(src='02:00:00:00:00:11', dst='02:00:00:00:00:12') / outer / GRE() / IP(src=src, dst=dst) / tcp
        if data or text:
            p = p / Raw(text or b'x' * data)
        p.time = T0 + seconds
        pkts.append(p)

    seg(0.000, True, 'S', 1000, window=64240, options=[('MSS', 1400), ('SAckOK', b''), ('WScale', 2)])
    seg(0.010, False, 'SA', 5000, 1001, 65535, options=[('MSS', 1400), ('SAckOK', b''), ('WScale', 1)])
    seg(0.020, True, 'A', 1001, 5001)
    seg(0.030, True, 'PA', 1001, 5001, data=100)
    seg(0.031, True, 'A', 1101, 5001, data=100)
    seg(0.040, False, 'A', 5001, 1201, 2000)
    seg(0.050, True, 'A', 1201, 5001, data=100)
    # 1301-1401 not captured; then three ACKs of 1301, the last with a SACK of what came after; the fast retransmission.
    seg(0.051, True, 'PA', 1401, 5001, data=100)
    seg(0.052, False, 'A', 5001, 1301, 2000)
    seg(0.053, False, 'A', 5001, 1301, 2000)
    seg(0.054, False, 'A', 5001, 1301, 2000, options=[('NOP', None), ('NOP', None), ('SAck', (1401, 1501))])
    seg(0.055, True, 'A', 1301, 5001, data=100)
    seg(0.060, False, 'A', 5001, 1501, 2000)
    # Sent again after 300 ms unanswered; then again, already acknowledged (spurious).
    seg(0.100, True, 'A', 1501, 5001, data=100)
    seg(0.400, True, 'A', 1501, 5001, data=100)
    seg(0.410, False, 'A', 5001, 1601, 2000)
    seg(0.420, True, 'A', 1501, 5001, data=100)
    # 1701 before 1601, within the handshake's RTT: out of order.
    seg(0.430, True, 'A', 1701, 5001, data=100)
    seg(0.432, True, 'A', 1601, 5001, data=100)
    # The receiver's window closes; a probe of one byte, its ACK, the window opens again.
    seg(0.440, False, 'A', 5001, 1801, 0)
    seg(0.640, True, 'A', 1801, 5001, data=1)
    seg(0.650, False, 'A', 5001, 1801, 0)
    seg(0.700, False, 'A', 5001, 1801, 250)
    seg(0.710, True, 'PA', 1801, 5001, data=100)
    seg(0.720, False, 'A', 5001, 1901, 250)
    # A keep-alive (one byte before the next) and its ACK.
    seg(10.000, True, 'A', 1900, 5001)
    seg(10.010, False, 'A', 5001, 1901, 250)
    # The window is 250 << 1 = 500 bytes from 1901: the second segment fills it.
    seg(10.020, True, 'A', 1901, 5001, data=250)
    seg(10.021, True, 'PA', 2151, 5001, data=250)
    # An ACK of data the capture never saw.
    seg(10.030, False, 'A', 5001, 3000, 250)
    # The same ports with a new initial sequence number (a new stream), its SYN sent again a second later.
    seg(20.000, True, 'S', 70000, window=64240, options=[('MSS', 1400)])
    seg(21.000, True, 'S', 70000, window=64240, options=[('MSS', 1400)])
    seg(21.010, False, 'SA', 9000, 70001, 65535, options=[('MSS', 1400)])
    seg(21.020, True, 'A', 70001, 9001, 64240)
    # The server resets it with its reason as text (RFC 1122 4.2.2.12): no protocol's data.
    seg(21.030, False, 'RA', 9001, 70001, 0, text=b'refused by policy 7\x00')
    return pkts


def bgp_message(mtype, body=b'', length=None, marker=b'\xff' * 16):
    """A BGP message (RFC 4271): marker, length (the whole message's), type, body."""
    return marker + struct.pack('>HB', 19 + len(body) if length is None else length, mtype) + body


def bgp_prefix(text):
    """An NLRI prefix as BGP writes it: the length in bits, then only the bytes that hold them."""
    addr, bits = text.split('/')
    raw = inet_pton(AF_INET6, addr) if ':' in addr else inet_aton(addr)
    return bytes([int(bits)]) + raw[: (int(bits) + 7) // 8]


def bgp_attr(flags, atype, value):
    """A path attribute: flags, type code, a length of one byte, or two with the extended-length flag (0x10)."""
    if flags & 0x10:
        return struct.pack('>BBH', flags, atype, len(value)) + value
    return struct.pack('>BBB', flags, atype, len(value)) + value


def bgp_tunnel(ttype, sub_tlvs):
    """A tunnel's TLV of the tunnel encapsulation attribute (RFC 9012): type, length, its sub-TLVs."""
    value = b''.join(sub_tlvs)
    return struct.pack('>HH', ttype, len(value)) + value


def bgp_sub_tlv(stype, value):
    """A tunnel's sub-TLV: type, a length of one byte, or two from type 128 (RFC 9012)."""
    return struct.pack('>BH' if stype >= 128 else '>BB', stype, len(value)) + value


def bgp_capability(ctype, value=b''):
    return struct.pack('>BB', ctype, len(value)) + value


def bgp_open(asn, hold, ident, caps, version=4):
    params = b''.join(struct.pack('>BB', 2, len(c)) + c for c in caps)
    return bgp_message(1, struct.pack('>BHH4sB', version, asn, hold, inet_aton(ident), len(params)) + params)


def bgp():
    """An iBGP session between a DMVPN hub and a spoke inside GRE, as its messages cross the tunnel: the OPENs with their
    capabilities (multiprotocol, route refresh, 4-octet AS, graceful restart, ADD-PATH, enhanced route refresh, FQDN,
    one unknown), KEEPALIVEs (two in one segment), UPDATEs announcing and withdrawing IPv4 routes with the usual path
    attributes and IPv6 routes in MP_REACH/MP_UNREACH, a ROUTE-REFRESH, NOTIFICATIONs (a shutdown with its
    communication, a bad peer AS, the hold timer), a segment that begins inside a message, a message split over two
    segments, and a length under the header's; then odd ones, extended communities and a route's tunnels."""
    hub, spoke = '192.0.2.1', '198.51.100.2'
    h, s = '10.0.0.1', '10.0.0.2'
    pkts = []
    seqs = {True: 1000, False: 5000}

    def seg(to_hub, flags, data=b''):
        src, dst, sport, dport = (s, h, 40179, 179) if to_hub else (h, s, 179, 40179)
        outer = IP(src=spoke, dst=hub) if to_hub else IP(src=hub, dst=spoke)
        ack = 0 if flags == 'S' else seqs[not to_hub]
        tcp = TCP(sport=sport, dport=dport, flags=flags, seq=seqs[to_hub], ack=ack, window=16384)
        seqs[to_hub] += len(data) + (1 if 'S' in flags or 'F' in flags else 0)
        p = Ether(src='02:00:00:00:00:21', dst='02:00:00:00:00:22') / outer / GRE() / IP(src=src, dst=dst, ttl=1) / tcp
        if data:
            p = p / Raw(data)
        pkts.append(p)

    seqs[True] -= 1
    seg(True, 'S')
    seqs[False] -= 1
    seg(False, 'SA')
    seg(True, 'A')
    as4 = bgp_capability(65, struct.pack('>I', 65000))
    seg(True, 'PA', bgp_open(65000, 180, '10.0.0.2', [
        bgp_capability(1, struct.pack('>HBB', 1, 0, 1)),
        bgp_capability(1, struct.pack('>HBB', 2, 0, 1)),
        bgp_capability(128),
        bgp_capability(2),
        bgp_capability(70),
        as4,
        bgp_capability(64, struct.pack('>HHBB', 0x8078, 1, 1, 0x80)),
        bgp_capability(69, struct.pack('>HBB', 1, 1, 3)),
        bgp_capability(73, b'\x05spoke\x07example'),
        bgp_capability(200, b'\x01\x02'),
    ]))
    # A 4-octet AS: AS_TRANS in My AS.
    seg(False, 'PA', bgp_open(23456, 90, '10.0.0.1', [
        bgp_capability(1, struct.pack('>HBB', 1, 0, 1)),
        bgp_capability(2),
        bgp_capability(65, struct.pack('>I', 4200000001)),
    ]))
    seg(True, 'PA', bgp_message(4))
    seg(False, 'PA', bgp_message(4) + bgp_message(4))
    communities = struct.pack('>II', (65000 << 16) | 100, 0xFFFFFF01)
    as_path = struct.pack('>BB', 2, 2) + struct.pack('>II', 4200000001, 65010)
    attrs = b''.join([
        bgp_attr(0x40, 1, b'\x00'),
        bgp_attr(0x40, 2, as_path),
        bgp_attr(0x40, 3, inet_aton('10.0.0.1')),
        bgp_attr(0x80, 4, struct.pack('>I', 20)),
        bgp_attr(0x40, 5, struct.pack('>I', 100)),
        bgp_attr(0x40, 6, b''),
        bgp_attr(0xC0, 7, struct.pack('>I', 65010) + inet_aton('10.9.9.9')),
        bgp_attr(0xC0, 8, communities),
        bgp_attr(0x80, 9, inet_aton('10.0.0.9')),
        bgp_attr(0x80, 10, inet_aton('10.0.0.5') + inet_aton('10.0.0.6')),
    ])
    nlri = b''.join(bgp_prefix(p) for p in ['172.16.10.0/24', '172.17.0.0/16', '10.255.0.7/32', '10.128.0.0/9'])
    seg(False, 'PA', bgp_message(2, struct.pack('>H', 0) + struct.pack('>H', len(attrs)) + attrs + nlri))
    # 2-octet ASNs (told by tshark's heuristic), an AS_SET, and ADD-PATH's path identifiers before each prefix.
    as_path2 = struct.pack('>BBHH', 2, 2, 65010, 65020) + struct.pack('>BBHH', 1, 2, 100, 200)
    attrs2 = b''.join([
        bgp_attr(0x40, 1, b'\x01'),
        bgp_attr(0x40, 2, as_path2),
        bgp_attr(0x40, 3, inet_aton('10.0.0.1')),
        bgp_attr(0xC0, 7, struct.pack('>H', 65020) + inet_aton('10.9.9.8')),
        bgp_attr(0xC0, 8, struct.pack('>II', 0xFFFFFF02, 0xFFFF0000)),
    ])
    nlri2 = b''.join(struct.pack('>I', n) + bgp_prefix(p) for n, p in [(1, '10.1.0.0/16'), (2, '10.2.0.0/16')])
    seg(False, 'PA', bgp_message(2, struct.pack('>H', 0) + struct.pack('>H', len(attrs2)) + attrs2 + nlri2))
    withdrawn = b''.join(bgp_prefix(p) for p in ['172.16.10.0/24', '192.168.128.0/17'])
    seg(False, 'PA', bgp_message(2, struct.pack('>H', len(withdrawn)) + withdrawn + struct.pack('>H', 0)))
    mp_reach = struct.pack('>HBB', 2, 1, 16) + inet_pton(AF_INET6, '2001:db8::1') + b'\x00' + b''.join(
        bgp_prefix(p) for p in ['2001:db8:10::/48', '2001:db8:20:1::/64']
    )
    mp_unreach = struct.pack('>HB', 2, 1) + bgp_prefix('2001:db8:30::/48')
    attrs6 = b''.join([
        bgp_attr(0x40, 1, b'\x02'),
        bgp_attr(0x50, 2, b''),
        bgp_attr(0x90, 14, mp_reach),
        bgp_attr(0x90, 15, mp_unreach),
    ])
    seg(False, 'PA', bgp_message(2, struct.pack('>H', 0) + struct.pack('>H', len(attrs6)) + attrs6))
    # End-of-RIB: an empty UPDATE.
    seg(True, 'PA', bgp_message(2, struct.pack('>HH', 0, 0)))
    seg(True, 'PA', bgp_message(5, struct.pack('>HBB', 1, 0, 1)))
    # An UPDATE split over two segments; then a segment that begins inside a message (its start not captured).
    update = bgp_message(2, struct.pack('>H', 0) + struct.pack('>H', len(attrs)) + attrs + nlri)
    seg(False, 'PA', update[:30])
    seg(False, 'PA', update[30:])
    seg(False, 'PA', update[40:] + bgp_message(4))
    seg(True, 'PA', bgp_message(3, b'\x02\x02' + struct.pack('>H', 65001)))
    seg(True, 'PA', bgp_message(3, b'\x04\x00'))
    seg(True, 'PA', bgp_message(3, b'\x06\x02\x0dmaintenance 7'))
    seg(True, 'PA', bgp_message(3, b'\x06\x04'))
    seg(True, 'PA', bgp_message(4, length=12))
    seg(True, 'PA', bgp_message(7, b'\x01\x02\x03'))
    # IPv4 in MP_REACH (a next hop of 4 bytes, an SNPA) and MP_UNREACH; IPv6 with a link-local next hop as well.
    mp4 = struct.pack('>HBB', 1, 1, 4) + inet_aton('10.0.0.1') + b'\x01\x02\xab\xcd' + bgp_prefix('10.50.0.0/16')
    attrs4 = bgp_attr(0x80, 14, mp4) + bgp_attr(0x80, 15, struct.pack('>HB', 1, 1) + bgp_prefix('10.60.0.0/16'))
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(attrs4)) + attrs4))
    hops = inet_pton(AF_INET6, '2001:db8::1') + inet_pton(AF_INET6, 'fe80::1')
    mp6 = struct.pack('>HBB', 2, 1, 32) + hops + b'\x00' + bgp_prefix('2001:db8:40::/48')
    attrs6 = bgp_attr(0x80, 14, mp6)
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(attrs6)) + attrs6))
    # An OPEN with the deprecated authentication parameter and one of no known type.
    params = struct.pack('>BB', 1, 3) + b'\x01\x02\x03' + struct.pack('>BB', 9, 2) + b'\x00\x00'
    seg(True, 'PA', bgp_message(1, struct.pack('>BHH4sB', 4, 65000, 180, inet_aton('10.0.0.2'), len(params)) + params))
    # A NOTIFICATION of each other major error code, some with data; an unsupported capability's list.
    seg(True, 'PA', bgp_message(3, b'\x01\x02\x00\x0c'))
    seg(True, 'PA', bgp_message(3, b'\x03\x0b'))
    seg(True, 'PA', bgp_message(3, b'\x05\x01'))
    seg(True, 'PA', bgp_message(3, b'\x07\x04\xaa'))
    seg(True, 'PA', bgp_message(3, b'\x09\x01'))
    seg(True, 'PA', bgp_message(3, b'\x02\x07' + bgp_capability(69, struct.pack('>HBB', 1, 1, 3))))
    # What tshark reads of odd ones: withdrawn routes with path identifiers; confederation segments, AS4_PATH and
    # AS4_AGGREGATOR, a reserved community, a CLUSTER_LIST of a length no multiple of 4 (extended), large
    # communities, an unknown attribute; IPv6 prefixes with path identifiers and a MED of 2 bytes; a prefix of 33 bits;
    # an attribute past the list; capabilities of wrong lengths; a bad peer AS of 5 bytes; a Cease whose data is no
    # communication.
    withdrawn = b''.join(struct.pack('>I', n) + bgp_prefix(p) for n, p in [(1, '10.1.0.0/16'), (7, '10.9.9.0/24')])
    seg(False, 'PA', bgp_message(2, struct.pack('>H', len(withdrawn)) + withdrawn + struct.pack('>H', 0)))
    confed = struct.pack('>BBHH', 3, 2, 1, 2) + struct.pack('>BBH', 4, 1, 3) + struct.pack('>BBH', 2, 1, 23456)
    odd = b''.join([
        bgp_attr(0x40, 2, confed),
        bgp_attr(0xC0, 17, struct.pack('>BBII', 2, 2, 4200000001, 65)),
        bgp_attr(0xC0, 18, struct.pack('>I', 4200000002) + inet_aton('192.0.2.44')),
        bgp_attr(0xC0, 8, struct.pack('>II', 0x0000ABCD, 0xFFFF029A)),
        bgp_attr(0xD0, 10, inet_aton('10.0.0.5') + inet_aton('10.0.0.6') + b'\x01\x02\x03'),
        bgp_attr(0xC0, 32, struct.pack('>III', 65000, 1, 2) + struct.pack('>III', 4200000001, 3, 4)),
        bgp_attr(0xC0, 200, b'\x01\x02'),
    ])
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(odd)) + odd + bgp_prefix('10.7.0.0/16')))
    mp6 = struct.pack('>HBB', 2, 1, 16) + inet_pton(AF_INET6, '2001:db8::9') + b'\x00'
    mp6 += struct.pack('>I', 5) + bgp_prefix('2001:db8:1::/48')
    attrs = bgp_attr(0x80, 14, mp6) + bgp_attr(0x80, 4, b'\x00\x01')
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(attrs)) + attrs))
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, 0) + b'\x21\x0a\x00\x00\x00\x01'))
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, 3) + b'\x40\x01\x05'))
    caps = bgp_capability(64, b'\x00\x10') + bgp_capability(1, b'\x00\x01\x00') + bgp_capability(65, b'\x00\x01')
    params = struct.pack('>BB', 2, len(caps)) + caps
    seg(True, 'PA', bgp_message(1, struct.pack('>BHH4sB', 4, 65000, 180, inet_aton('10.0.0.2'), len(params)) + params))
    seg(True, 'PA', bgp_message(3, b'\x02\x02\x00\x00\xfd\xe8\x01'))
    seg(True, 'PA', bgp_message(3, b'\x06\x02\x05abc'))
    # An UPDATE as full tables carry them: an AS_PATH prepended 60 times and 40 communities, titles longer than a
    # tree's label holds (tshark cuts what it appends to a title without a mark).
    prepended = struct.pack('>BB', 2, 60) + struct.pack('>H', 65010) * 60
    communities = b''.join(struct.pack('>HH', 65000, n) for n in range(40))
    long_attrs = (bgp_attr(0x40, 1, b'\x00') + bgp_attr(0x40, 2, prepended) + bgp_attr(0x40, 3, inet_aton('10.0.0.1'))
                  + bgp_attr(0xC0, 8, communities))
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(long_attrs)) + long_attrs + bgp_prefix('10.70.0.0/16')))
    # Extended communities (RFC 4360) as VPNs and tunnels carry them: route targets and origins of each kind, an OSPF
    # domain ID, router ID and route type, a link bandwidth, the tunnel's encapsulation (RFC 5512: GRE), a colour, a
    # cost, subtypes unknown to Wireshark, a type it reads as unknown and one it does not know; then a list whose
    # length is no multiple of 8.
    ext = b''.join([
        struct.pack('>BBHI', 0x00, 0x02, 65000, 100),
        struct.pack('>BBHI', 0x00, 0x03, 65000, 7),
        struct.pack('>BBHI', 0x00, 0x05, 65000, 1),
        struct.pack('>BBHI', 0x00, 0x7f, 65000, 1),
        struct.pack('>BB', 0x01, 0x02) + inet_aton('192.0.2.1') + struct.pack('>H', 5),
        struct.pack('>BB', 0x01, 0x07) + inet_aton('10.0.0.1') + struct.pack('>H', 0),
        struct.pack('>BBIH', 0x02, 0x02, 4200000001, 9),
        struct.pack('>BBHf', 0x40, 0x04, 65000, 125000000.0),
        struct.pack('>BBHI', 0x40, 0x80, 65000, 5000),
        struct.pack('>BB', 0x41, 0x01) + inet_aton('192.0.2.9') + struct.pack('>H', 3),
        struct.pack('>BBIH', 0x42, 0x04, 65010, 4),
        struct.pack('>BB', 0x03, 0x06) + inet_aton('0.0.0.0') + bytes([5, 1]),
        struct.pack('>BBIH', 0x03, 0x0c, 0, 2),
        struct.pack('>BBHI', 0x03, 0x0b, 0, 10),
        struct.pack('>BBBBI', 0x43, 0x01, 128, 0x81, 1000),
        struct.pack('>BBBBI', 0x43, 0x01, 7, 0x01, 5),
        struct.pack('>BBHI', 0x43, 0x00, 0, 2),
        struct.pack('>BBHI', 0x08, 0x00, 1, 2),
        struct.pack('>BBHI', 0x8f, 0x01, 1, 2),
    ])
    ext_attrs = (bgp_attr(0x40, 1, b'\x00') + bgp_attr(0x40, 3, inet_aton('10.0.0.1')) + bgp_attr(0xC0, 16, ext)
                 + bgp_attr(0xC0, 16, ext[:12]))
    seg(False, 'PA', bgp_message(2, struct.pack('>HH', 0, len(ext_attrs)) + ext_attrs + bgp_prefix('10.71.0.0/16')))
    # Two UPDATEs the segment cuts inside an extended community: a cost (tshark names it before reading its value) and
    # a route target (named after it): what each shows of the community it holds part of.
    for community in (struct.pack('>BBBBI', 0x43, 0x01, 128, 0x81, 1000), struct.pack('>BBHI', 0x00, 0x02, 65000, 100)):
        cut_attrs = bgp_attr(0xC0, 16, ext[:8] + community)
        message = bgp_message(2, struct.pack('>HH', 0, len(cut_attrs)) + cut_attrs + bgp_prefix('10.72.0.0/16'))
        seg(False, 'PA', message[:len(message) - len(bgp_prefix('10.72.0.0/16')) - 3])
    # From the spoke (tshark's reassembly would take the hub's next bytes for the rest of the messages cut above): a
    # route's tunnels (TUNNEL_ENCAPSULATION, RFC 9012): GRE with its key, protocol type, colour, load balancing, an
    # egress endpoint and an authenticator; VXLAN, NVGRE and VXLAN-GPE with their VNIs; L2TPv3 with a session and a
    # cookie; MPLS in GRE; an SR policy (preference, binding SID, ENLP, priority, a segment list of a weight, an MPLS
    # SID and another type, a name), and a tunnel type tshark does not know.
    t, st = bgp_tunnel, bgp_sub_tlv
    mac = bytes.fromhex('020000000033')
    tunnels = b''.join([
        t(2, [st(1, struct.pack('>I', 1003)), st(2, struct.pack('>H', 0x0800)), st(4, struct.pack('>I', 77)),
              st(5, struct.pack('>I', 16)), st(6, b'\x00\x01' + inet_aton('198.51.100.2')), st(3, b'\x01\x02\x03')]),
        t(8, [st(1, b'\xc0' + (5001).to_bytes(3, 'big') + mac + b'\x00\x00'), st(8, struct.pack('>H', 4789))]),
        t(9, [st(1, b'\x80' + (5002).to_bytes(3, 'big') + mac + b'\x00\x01')]),
        t(12, [st(1, b'\x60\x00\x00' + (5003).to_bytes(3, 'big') + b'\x00')]),
        t(1, [st(1, struct.pack('>I', 42) + b'\xaa\xbb\xcc\xdd'), st(5, struct.pack('>I', 8))]),
        t(11, [st(1, struct.pack('>I', 9)), st(7, b'\x2e')]),
        t(15, [st(12, struct.pack('>BBI', 0, 0, 100)), st(13, b'\xc0\x00\x00\x3e\x81\x00'), st(14, b'\x00\x00\x03'),
               st(15, b'\x05\x00'),
               # A segment list: a weight, an MPLS SID (type A), a type B.
               st(128, bytes([0, 9, 6, 0, 0, 0, 0, 0, 10, 1, 6, 0x80, 0, 0x00, 0x3e, 0x81, 0x40, 2, 3, 1, 2, 3])),
               st(129, b'\x00gre-policy')]),
        t(300, [st(200, b'\x01\x02')]),
    ])
    # Then what tshark reads on past: an encapsulation of a tunnel type it has no reader for (its value read as
    # sub-TLVs), a cookie of one byte, a binding SID and a policy name of none, a segment list of none (its length
    # counted down from 65,535); and an UPDATE the segment cuts inside a sub-TLV.
    odd_tunnels = [
        t(7, [st(1, b'\x01\x00'), st(5, struct.pack('>I', 8))]),
        t(1, [st(1, b'\x00\x00\x00\x07\x09')]) + t(15, [st(13, b'\x40\x00'), st(129, b'')]),
        t(15, [st(128, b'')]),
    ]
    origin, next_hop = bgp_attr(0x40, 1, b'\x00'), bgp_attr(0x40, 3, inet_aton('10.0.0.1'))
    # The first also carries a customer's attributes across the provider (ATTR_SET, RFC 6368), one set in another.
    inner_set = bgp_attr(0xC0, 128, struct.pack('>I', 65002) + bgp_attr(0x80, 4, struct.pack('>I', 7)))
    attr_set = bgp_attr(0xC0, 128, struct.pack('>I', 65001) + origin + bgp_attr(0x40, 5, struct.pack('>I', 200))
                        + inner_set)
    for value, more in [(tunnels, attr_set)] + [(odd, b'') for odd in odd_tunnels]:
        tunnel_attrs = origin + next_hop + bgp_attr(0xD0, 23, value) + more
        body = struct.pack('>HH', 0, len(tunnel_attrs)) + tunnel_attrs + bgp_prefix('10.80.0.0/16')
        seg(True, 'PA', bgp_message(2, body))
    tunnel_attrs = origin + bgp_attr(0xC0, 23, tunnels[:40])
    message = bgp_message(2, struct.pack('>HH', 0, len(tunnel_attrs)) + tunnel_attrs + bgp_prefix('10.81.0.0/16'))
    seg(True, 'PA', message[:len(message) - 20])
    return timed(pkts)


# A system description as Cisco's IOS writes it: longer than a label of Wireshark's tree holds (240 bytes).
CISCO_DESCRIPTION = (b'Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, RELEASE '
                     b'SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2017 '
                     b'by Cisco Systems, Inc.\nCompiled Sat 19-Aug-17 09:28 by prod_rel_team')


def cdp_checksum(frame):
    """Cisco's CDP checksum: RFC 1071's, but an odd length's last byte b is summed as the word 0x00b, and as
    0xff00 + b - 1 where b's top bit is set (Cisco's off-by-one, which Wireshark checks for)."""
    if len(frame) % 2:
        b = frame[-1]
        frame = frame[:-1] + (bytes([0xff, b - 1]) if b & 0x80 else bytes([0, b]))
    return inet_checksum(frame)


def cdp_frame(tlvs, version=2, ttl=180, bad=False, cut=0):
    """A CDP frame of its TLVs (type, value), or (type, value, length) for a length that lies; `cut` bytes off its end
    after the checksum (a frame shorter than its last TLV says)."""
    body = b''
    for t in tlvs:
        ttype, value = t[0], t[1]
        length = t[2] if len(t) > 2 else 4 + len(value)
        body += struct.pack('>HH', ttype, length) + value
    frame = struct.pack('>BBH', version, ttl, 0) + body
    c = cdp_checksum(frame) ^ (0x0101 if bad else 0)
    frame = frame[:2] + struct.pack('>H', c) + frame[4:]
    return frame[:len(frame) - cut] if cut else frame


def cdp_address(ptype, protocol, address):
    return struct.pack('>BB', ptype, len(protocol)) + protocol + struct.pack('>H', len(address)) + address


def cdp():
    """Cisco Discovery Protocol as a router or switch sends it: under LLC SNAP on a LAN and through a gretap tunnel,
    as GRE protocol type 0x2000 (CDP on a tunnel interface), and in PPP (0x0207) in GRE; every TLV Wireshark reads
    (device and port IDs, addresses of each kind, capabilities, a software version of several lines, platform, IP
    prefixes and an ODR gateway, VTP domain, native VLAN, duplex, VoIP VLANs, power, MTU, trust, system name and OID,
    management addresses, location, power requested and available, spare PoE, HP's text TLVs), an unknown TLV, a TLV
    of invalid length with bytes after it, odd lengths whose last byte has its top bit set and not, a bad checksum,
    a Port ID 3 bytes short, frames shorter than their last TLV, names in UTF-8 and a long software version."""
    ip4 = lambda a: cdp_address(1, b'\xcc', inet_aton(a))
    ip6 = lambda a: cdp_address(2, bytes.fromhex('aaaa0300000086dd'), inet_pton(AF_INET6, a))
    router = [
        (0x0001, b'R1.example'),
        (0x0002, struct.pack('>I', 3) + ip4('192.0.2.11') + ip6('2001:db8::11') + cdp_address(1, b'\x81', b'\x49\x01')),
        (0x0003, b'Tunnel40'),
        (0x0004, struct.pack('>I', 0x29)),
        (0x0005, b'Cisco IOS Software, Version 15.5(3)S2\nTechnical Support: http://www.cisco.com/techsupport\r\n'
                 b'Copyright (c) 1986-2016\rCompiled by prod_rel_team'),
        (0x0006, b'cisco ISR4331'),
        (0x0007, inet_aton('10.1.0.0') + b'\x18' + inet_aton('10.2.0.0') + b'\x10'),
        (0x0016, struct.pack('>I', 1) + ip4('198.51.100.11')),
        (0x001b, b'\x00'),
    ]
    switch = [
        (0x0001, b'SW1'),
        (0x0003, b'GigabitEthernet0/1'),
        (0x0004, struct.pack('>I', 0x0628)),
        (0x0009, b'lab'),
        (0x000a, struct.pack('>H', 30)),
        (0x000b, b'\x01'),
        (0x000e, b'\x01' + struct.pack('>H', 110)),
        (0x000f, b'\x20\x00'),
        (0x0010, struct.pack('>H', 6300)),
        (0x0011, struct.pack('>I', 1500)),
        (0x0012, b'\x00'),
        (0x0013, b'\x00'),
        (0x0014, b'sw1.example'),
        (0x0015, bytes.fromhex('060c2b06010401090c0301010f00')),
        (0x0017, b'\x00Rack 4, row 2'),
        (0x0019, struct.pack('>HHII', 7, 1, 15400, 12950)),
        (0x001a, struct.pack('>HHIII', 7, 1, 0, 15400, 30000)),
        (0x001f, b'\x05'),
    ]
    access_point = [
        (0x0001, b'AP-7'),
        (0x1000, b'00:11:22:33:44:55'),
        (0x1002, b''),
        (0x1003, b'11'),
        (0x0009, b''),
        (0x0007, inet_aton('192.0.2.1')),
        (0x000b, b'\x00'),
        (0x0099, b'\xde\xad'),
    ]
    gre = lambda proto, payload: (Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02')
                                  / IP(src='192.0.2.21', dst='198.51.100.21') / GRE(proto=proto, key_present=1, key=40)
                                  / Raw(payload))
    def dot3(src, payload):
        llc = b'\xaa\xaa\x03\x00\x00\x0c\x20\x00' + payload
        return Ether(dst='01:00:0c:cc:cc:cc', src=src, type=len(llc)) / Raw(llc)
    frames = [
        gre(0x2000, cdp_frame(router)),
        gre(0x2000, cdp_frame([(0x0001, b'R2.example'), (0x0003, b'Tunnel40'), (0x0004, struct.pack('>I', 1))],
                              bad=True)),
        dot3('02:00:00:00:03:01', cdp_frame(switch)),
        Ether(src='02:00:00:00:02:01', dst='02:00:00:00:02:02') / IP(src='192.0.2.21', dst='198.51.100.21')
        / GRE(proto=0x6558) / Raw(bytes(dot3('02:00:00:00:03:01', cdp_frame(switch[:6])))),
        dot3('02:00:00:00:03:02', cdp_frame(access_point)),
        # PPP (address, control, protocol 0x0207) in GRE.
        gre(0x880b, b'\xff\x03\x02\x07' + cdp_frame([(0x0001, b'R3'), (0x0006, b'odd')])),
        # Odd lengths: the last byte under 0x80 (on a LAN, padded to 60 bytes after the length 802.3 gives), and over.
        Ether(bytes(dot3('02:00:00:00:03:03', cdp_frame([(0x0001, b'odd')]))).ljust(60, b'\x00')),
        gre(0x2000, cdp_frame([(0x0001, b'R4'), (0x0006, b'\x9e')])),
        gre(0x2000, cdp_frame([(0x0001, b'R5'), (0x0006, b'A')])),
        # A TLV of invalid length (2), then bytes Wireshark calls data.
        gre(0x2000, cdp_frame([(0x0001, b'R6'), (0x0011, b'', 2), (0x0000, b'tail')])),
        # A Port ID 3 bytes short (Wireshark's guess), then a TLV after it.
        gre(0x2000, cdp_frame([(0x0003, b'Gi0/1', 6), (0x0006, b'x')])),
        # Frames shorter than their last TLV says: in its value, and in its header.
        gre(0x2000, cdp_frame([(0x0001, b'R7'), (0x0006, b'platform-cut')], cut=4)),
        gre(0x2000, cdp_frame([(0x0001, b'R8'), (0x0006, b'p')])[:-3]),
        # A header only; and a header cut short.
        gre(0x2000, cdp_frame([])),
        gre(0x2000, b'\x02\xb4'),
        # Control bytes in a device ID and a platform: escaped on every output.
        gre(0x2000, cdp_frame([(0x0001, b'R9\x1b[31m\x07'), (0x0006, b'a\x00b\tc')])),
        # Names in UTF-8, one with a bidirectional override and a byte that is not UTF-8; a software version longer
        # than a tree's label holds, as Cisco's are.
        dot3('02:00:00:00:03:04', cdp_frame([(0x0001, 'Zürich-R1\u202e'.encode() + b'\xff'),
                                             (0x0003, 'Gi0/1 (Genève)'.encode()),
                                             (0x0005, CISCO_DESCRIPTION), (0x0006, 'cisco WS-C3750E-Zürich'.encode())])),
    ]
    return timed(frames)


def lldp_tlv(ttype, value, length=None):
    """An LLDP TLV: 7 bits of type, 9 of length, then its value; `length` one that lies."""
    return struct.pack('>H', (ttype << 9) | (len(value) if length is None else length)) + value


def lldp_org(oui, subtype, value):
    return lldp_tlv(127, struct.pack('>I', oui)[1:] + bytes([subtype]) + value)


def lldp():
    """LLDP as switches and routers send it: on a LAN (padded after the End of LLDPDU) and through a gretap tunnel;
    every TLV read (IDs of each subtype, TTL, port and system descriptions, capabilities, management addresses of
    IPv4, IPv6 and another family with their OIDs, IEEE 802.1's and 802.3's TLVs, power via MDI short and long), an
    unknown organisation's TLV and an unread 802.1 subtype, an unknown TLV type; the first three TLVs wrong each way
    (an ID Wireshark refuses, a TLV out of place, a mandatory TLV again), frames cut inside a TLV, control bytes;
    LLDP-MED as a phone and a switch send it (capabilities, network policies, extended power, inventory, coordinates,
    civic addresses whole and cut, an ELIN, an unknown subtype); 802.3bt's power, EEE and frame preemption; names in
    UTF-8 and texts longer than a tree's title holds."""
    chassis_mac = lldp_tlv(1, b'\x04' + bytes.fromhex('0200000004aa'))
    port_name = lldp_tlv(2, b'\x05Gi0/1')
    ttl = lldp_tlv(3, struct.pack('>H', 120))
    end = lldp_tlv(0, b'')
    switch = (chassis_mac + port_name + ttl
              + lldp_tlv(4, b'uplink to core')
              + lldp_tlv(5, b'sw1.example')
              + lldp_tlv(6, b'Cisco IOS Software, C2960 Software\r\nCopyright (c) 1986-2016')
              + lldp_tlv(7, struct.pack('>HH', 0x0014, 0x0004))
              + lldp_tlv(8, b'\x05\x01' + inet_aton('198.51.100.4') + b'\x02' + struct.pack('>I', 10001)
                         + b'\x07' + bytes.fromhex('2b060104010901'))
              + lldp_tlv(8, b'\x11\x02' + inet_pton(AF_INET6, '2001:db8::4') + b'\x03' + struct.pack('>I', 7) + b'\x00')
              + lldp_tlv(8, b'\x07\x06' + bytes.fromhex('0200000004aa') + b'\x01' + struct.pack('>I', 0)
                         + b'\x02' + bytes.fromhex('0000'))
              + lldp_org(0x0080c2, 1, struct.pack('>H', 30))
              + lldp_org(0x0080c2, 2, b'\x06' + struct.pack('>H', 40))
              + lldp_org(0x0080c2, 3, struct.pack('>H', 30) + b'\x05users')
              + lldp_org(0x0080c2, 4, b'\x02\x88\xcc')
              + lldp_org(0x0080c2, 7, b'\x0b' + struct.pack('>I', 5001))
              + lldp_org(0x0080c2, 0x0e, b'\x01\x02')
              + lldp_org(0x00120f, 1, b'\x03' + struct.pack('>HH', 0x6c01, 0x0010))
              + lldp_org(0x00120f, 2, b'\x0f\x01\x01')
              + lldp_org(0x00120f, 2, b'\x07\x02\x05' + b'\x51' + struct.pack('>HH', 255, 300))
              + lldp_org(0x00120f, 3, b'\x03' + struct.pack('>I', 2))
              + lldp_org(0x00120f, 4, struct.pack('>H', 9216))
              + lldp_org(0x02abcd, 9, b'vendor')
              + lldp_tlv(9, b'\xde\xad')
              + end)
    tunnel = (lldp_tlv(1, b'\x05\x01' + inet_aton('192.0.2.31'))
              + lldp_tlv(2, b'\x04\x02' + inet_pton(AF_INET6, '2001:db8::31'))
              + ttl
              + lldp_tlv(5, b'R31\x1b[2J\x07')
              + end)
    local = (lldp_tlv(1, b'\x07rack-4') + lldp_tlv(2, b'\x03' + bytes.fromhex('0200000004bb')) + ttl
             + lldp_tlv(7, struct.pack('>HH', 0x0080, 0x0080)) + end)
    other_ids = (lldp_tlv(1, b'\x05\x06' + bytes.fromhex('0200000004cc')) + lldp_tlv(2, b'\x02\x01\x02\x03') + ttl
                 + lldp_tlv(1, b'\x01chassis-again') + lldp_tlv(4, b'not read'))
    med = lambda subtype, value: lldp_org(0x0012bb, subtype, value)
    policy = lambda app, unknown, tagged, vlan, prio, dscp: med(2, bytes([app]) + struct.pack(
        '>I', (unknown << 23) | (tagged << 22) | (vlan << 9) | (prio << 6) | dscp)[1:])
    phone = (lldp_tlv(1, b'\x05\x01' + inet_aton('10.70.0.7')) + lldp_tlv(2, b'\x03' + bytes.fromhex('0200000004f7'))
             + ttl + lldp_tlv(5, b'SEP0200000004F7') + lldp_tlv(7, struct.pack('>HH', 0x0024, 0x0024))
             + med(1, struct.pack('>H', 0x0033) + b'\x03')
             + policy(1, 0, 1, 110, 5, 46) + policy(2, 1, 0, 0, 0, 0)
             + med(4, b'\x52' + struct.pack('>H', 63))
             + b''.join(med(5 + i, v) for i, v in enumerate(
                 [b'1.0', b'9.4.1', b'sip78xx.14-1', b'FCH1234ABCD', b'Cisco Systems, Inc.', b'CP-7841', b'']))
             + end)
    # Coordinates (RFC 3825): 37.375 N, 121.97 W (34-bit two's complement), 15 m at resolution 30, datum WGS84.
    coordinate = lambda res, degrees: ((res << 34) | (int(degrees * 2 ** 25) & (2 ** 34 - 1))).to_bytes(5, 'big')
    altitude = ((1 << 36) | (30 << 30) | (15 * 256)).to_bytes(5, 'big')
    civic = lambda elements: b'\x02' + bytes([len(elements) + 3]) + b'\x02US' + elements
    med_switch = (chassis_mac + port_name + ttl
                  + med(1, struct.pack('>H', 0x000f) + b'\x04')
                  + med(3, b'\x01' + coordinate(34, 37.375) + coordinate(34, -121.97) + altitude + b'\x01')
                  + med(3, civic(b'\x01\x02CA\x03\x08San Jose\x13\x03170\x1c\x024B\x06\x00'))
                  + med(3, b'\x02\x09\x02US\x13\x05170')
                  + med(3, b'\x03' + b'4085550123')
                  + med(4, b'\x1f' + struct.pack('>H', 154))
                  + med(0x0c, b'\x01')
                  + end)
    lan = lambda payload, src='02:00:00:00:04:01': Ether(
        bytes(Ether(src=src, dst='01:80:c2:00:00:0e', type=0x88cc) / Raw(payload)).ljust(60, b'\x00'))
    frames = [
        lan(switch),
        Ether(src='02:00:00:00:04:10', dst='02:00:00:00:04:11') / IP(src='192.0.2.31', dst='198.51.100.31')
        / GRE(proto=0x6558) / Raw(bytes(lan(tunnel, '02:00:00:00:04:31'))),
        lan(local),
        lan(other_ids),
        # A chassis MAC of 5 bytes: Wireshark refuses it and ends the walk.
        lan(lldp_tlv(1, b'\x04' + bytes(5)) + port_name + ttl + end),
        # A port ID first: nothing is read.
        lan(port_name + chassis_mac + ttl + end),
        # No TTL third: the walk ends after the port ID.
        lan(chassis_mac + port_name + lldp_tlv(5, b'no-ttl') + end),
        # Cut inside a TLV's value, and inside a TLV's header.
        Ether(bytes(Ether(src='02:00:00:00:04:01', dst='01:80:c2:00:00:0e', type=0x88cc)
                    / Raw(chassis_mac + port_name + ttl + lldp_tlv(5, b'cut-name')))[:-4]),
        Ether(bytes(Ether(src='02:00:00:00:04:01', dst='01:80:c2:00:00:0e', type=0x88cc) / Raw(chassis_mac + b'\x04'))),
        # LLDP-MED: an IP phone's and the switch port's it sits on.
        lan(phone, '02:00:00:00:04:70'),
        lan(med_switch),
        # IEEE 802.3's newer TLVs: power via MDI with 802.3bt's extension, EEE, frame preemption, an unread subtype.
        lan(chassis_mac + port_name + ttl
            + lldp_org(0x00120f, 2, b'\x0f\x01\x05\x51' + struct.pack('>HH', 510, 600)
                       + struct.pack('>HHHHHBHBI', 300, 310, 320, 330, 0xd5a7, 0x0c, 900, 0x2d, 0x05001234)[:-1])
            + lldp_org(0x00120f, 5, struct.pack('>HHHHH', 17, 17, 20, 17, 17))
            + lldp_org(0x00120f, 7, struct.pack('>H', 0x002d))
            + lldp_org(0x00120f, 6, b'\x00')
            + end),
        # Names in UTF-8, one with a bidirectional override and a byte that is not UTF-8; a system description longer
        # than a tree's label holds (Cisco's are); a locally assigned chassis ID too long for its title.
        lan(lldp_tlv(1, b'\x07' + b'chassis-' * 31) + lldp_tlv(2, b'\x05' + 'Gi0/1 (Zürich)'.encode()) + ttl
            + lldp_tlv(5, 'Zürich-sw1\u202e'.encode() + b'\xff')
            + lldp_tlv(6, CISCO_DESCRIPTION + ' Genève'.encode())
            + end),
    ]
    return timed(frames)


if __name__ == '__main__':
    wrpcap(os.path.join(FIXTURES, 'ppp-control.pcap'), ppp_control())
    wrpcap(os.path.join(FIXTURES, 'wlan-aruba.pcap'), wlan_aruba())
    wrpcap(os.path.join(FIXTURES, 'ipx-gre.pcap'), ipx_gre())
    wrpcap(os.path.join(FIXTURES, 'tcp-udp-streams.pcap'), tcp_udp_streams())
    wrpcap(os.path.join(FIXTURES, 'tcp-analysis.pcap'), tcp_analysis())
    wrpcap(os.path.join(FIXTURES, 'bgp.pcap'), bgp())
    wrpcap(os.path.join(FIXTURES, 'llc-stp.pcap'), llc_stp())
    wrpcap(os.path.join(FIXTURES, 'cdp.pcap'), cdp())
    wrpcap(os.path.join(FIXTURES, 'lldp.pcap'), lldp())
    wrpcap(os.path.join(FIXTURES, 'pim-hellos.pcap'), pim_hellos())
    wrpcap(os.path.join(FIXTURES, 'l2tp-control.pcap'), l2tp_control())
    wrpcap(os.path.join(FIXTURES, 'pptp-control.pcap'), pptp_control())
    wrpcap(os.path.join(FIXTURES, 'eigrp-tlvs.pcap'), eigrp_tlvs())
    wrpcap(os.path.join(FIXTURES, 'wlan-qos.pcap'), wlan_qos())
    wrpcap(os.path.join(FIXTURES, 'ppp-options.pcap'), ppp_options())
    wrpcap(os.path.join(FIXTURES, 'eigrp-wide.pcap'), eigrp_wide())
    wrpcap(os.path.join(FIXTURES, 'isis-tlvs.pcap'), isis_tlvs())
    wrpcap(os.path.join(FIXTURES, 'ppp-vj-bcp.pcap'), ppp_vj_bcp())
