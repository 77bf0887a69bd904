#!/usr/bin/python3
"""Writes captures of headers the corpus lacks, with scapy (Debian's
python3-scapy), for the fields declared from them: test/fields-tshark.test.ts
holds every field to tshark on them, frame by frame.
Run: /usr/bin/python3 scripts/make-protocol-fixtures.py
"""
import os

from scapy.all import GRE, IP, UDP, Ether, Raw, wrpcap
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


if __name__ == '__main__':
    wrpcap(os.path.join(FIXTURES, 'ppp-control.pcap'), ppp_control())
    wrpcap(os.path.join(FIXTURES, 'wlan-aruba.pcap'), wlan_aruba())
    wrpcap(os.path.join(FIXTURES, 'ipx-gre.pcap'), ipx_gre())
