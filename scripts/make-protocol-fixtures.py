#!/usr/bin/python3
"""Writes captures of headers the corpus lacks, with scapy (Debian's
python3-scapy), for the fields declared from them: test/fields-tshark.test.ts
holds every field to tshark on them, frame by frame.
Run: /usr/bin/python3 scripts/make-protocol-fixtures.py
"""
import os

from scapy.all import GRE, IP, UDP, Ether, Raw, wrpcap
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


if __name__ == '__main__':
    wrpcap(os.path.join(FIXTURES, 'ppp-control.pcap'), ppp_control())
