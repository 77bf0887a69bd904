/**
 * Value names that several protocols' fields share, in Wireshark's words
 * (etype_vals, ipproto_val) so that -V reads as tshark -V does.
 */
export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x86dd: 'IPv6',
  0x0806: 'ARP',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'QinQ: old non-standard 802.1ad',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x6558: 'Transparent Ethernet bridging',
  // As an EtherType, 0x2001 is Cisco's CGMP; in GRE it is NHRP (GRE_PROTOCOL_NAMES).
  0x2001: 'Cisco Group Management Protocol',
  0x8137: 'Netware IPX/SPX',
  0x809b: 'AppleTalk LLAP bridging',
  0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x8909: 'CiscoMetaData',
  0x894f: 'Network Service Header',
  0x8903: 'Data Center Ethernet (DCE) protocol(Cisco)',
};

/** The GRE protocol types Aruba controllers tunnel 802.11 frames under, as Wireshark takes them: 0x8200 to 0x8370. */
export const ARUBA_GRE_TYPES: readonly number[] = Array.from({ length: 24 }, (_, i) => 0x8200 + 0x10 * i);

/** GRE's own names of its protocol types (Wireshark's gre_typevals): `gre.proto == IP`, as tshark reads it. */
export const GRE_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0x0000: 'Possible GRE keepalive packet',
  0x880b: 'PPP',
  0x0800: 'IP',
  0x0806: 'ARP',
  0x00fe: 'OSI',
  0x883e: 'WCCP',
  0x2000: 'CDP (Cisco)',
  0x2001: 'NHRP',
  0x88be: 'ERSPAN',
  0x22eb: 'ERSPAN III',
  0x6400: 'MIKROTIK EoIP',
  0xfeae: 'AIROHIVE AP AP',
  0x8137: 'IPX',
  0x6558: 'Transparent Ethernet bridging',
  0x6559: 'Frame Relay',
  0x86dd: 'IPv6',
  0x8847: 'MPLS label switched packet',
  0x894f: 'Network Service Header',
  0x8881: 'CDMA2000 A10 Unstructured byte stream',
  0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x8909: 'CiscoMetaData',
  0xb7ea: 'Huawei GRE bonding',
  0x9000: 'ARUBA WLAN',
  ...Object.fromEntries(ARUBA_GRE_TYPES.map((t) => [t, 'ARUBA WLAN'])),
};

export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  58: 'ICMPv6',
  59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6',
  88: 'EIGRP',
  89: 'OSPF IGP',
  94: 'IP in IP',
  97: 'Ether in IP',
  103: 'PIM',
  112: 'VRRP',
  115: 'Layer 2 Tunneling',
  132: 'SCTP',
  137: 'MPLS in IP',
  143: 'Ethernet',
};

/** Differentiated Services codepoints (IPv4's DS field, IPv6's traffic class), in Wireshark's words. */
export const DSCP_NAMES: Readonly<Record<number, string>> = {
  0: 'Default',
  1: 'Lower Effort',
  8: 'Class Selector 1',
  10: 'Assured Forwarding 11',
  12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13',
  16: 'Class Selector 2',
  18: 'Assured Forwarding 21',
  20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23',
  24: 'Class Selector 3',
  26: 'Assured Forwarding 31',
  28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33',
  32: 'Class Selector 4',
  34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43',
  40: 'Class Selector 5',
  44: 'Voice Admit',
  46: 'Expedited Forwarding',
  48: 'Class Selector 6',
  56: 'Class Selector 7',
};

/** Explicit Congestion Notification codepoints (RFC 3168), in Wireshark's words. */
export const ECN_NAMES: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};

/** The short DSCP names Wireshark gives in the DS field's line (dscp_short_vals). */
const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VOICE-ADMIT',
  46: 'EF PHB',
  48: 'CS6',
  56: 'CS7',
};
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** IPv4's DS field or IPv6's traffic class as tshark -V shows it: `0x00 (DSCP: CS0, ECN: Not-ECT)`. */
export const differentiatedServices = (n: number): string =>
  `0x${n.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[n >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[n & 3]})`;

/** The network layer protocol IDs (NLPIDs, ISO/IEC TR 9577) as Wireshark names them (nlpid_vals): IS-IS, NHRP. */
export const NLPID_NAMES: Readonly<Record<number, string>> = {
  0x0: 'NULL',
  0x1: 'X.29',
  0x3: 'X.633',
  0x8: 'Q.931',
  0x9: 'Q.2931',
  0xc: 'Q.2119',
  0x80: 'SNAP',
  0x81: 'CLNP',
  0x82: 'ESIS',
  0x83: 'ISIS',
  0x85: 'IDRP',
  0x8f: 'Avaya SPBM Fabric IPVPN',
  0x8a: 'ESIS (X.25)',
  0x8c: 'ISO 10030',
  0x8d: 'ISO 11577',
  0xb0: 'Data compression protocol',
  0xcc: 'IP',
  0xc0: 'TRILL',
  0xc1: 'SubNetwork Dependent Convergence Function',
  0x8e: 'IPv6',
  0xcf: 'PPP',
};
