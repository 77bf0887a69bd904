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

/** Address family numbers (IANA's registry) as Wireshark names them (afn_vals). */
export const AFN_NAMES: Record<number, string> = {
  0: 'Reserved',
  1: 'IPv4',
  2: 'IPv6',
  3: 'NSAP',
  4: 'HDLC (8-bit multidrop)',
  5: 'BBN 1822',
  6: '802 (includes all 802 media plus Ethernet)',
  7: 'E.163',
  8: 'E.164 (SMDS, Frame Relay, ATM)',
  9: 'F.69 (Telex)',
  10: 'X.121 (X.25, Frame Relay)',
  11: 'IPX',
  12: 'Appletalk',
  13: 'Decnet IV',
  14: 'Banyan Vines',
  15: 'E.164 with NSAP subaddress',
  16: 'DNS (Domain Name System)',
  17: 'Distinguished Name',
  18: 'AS Number',
  19: 'XTP over IP version 4',
  20: 'XTP over IP version 6',
  21: 'XTP native mode XTP',
  22: 'Fibre Channel World-Wide Port Name',
  23: 'Fibre Channel World-Wide Node Name',
  24: 'GWID',
  25: 'Layer-2 VPN',
  196: 'Layer-2 VPN (old)',
  26: 'MPLS-TP Section Endpoint Identifier',
  27: 'MPLS-TP LSP Endpoint Identifier',
  28: 'MPLS-TP Pseudowire Endpoint Identifier',
  29: 'MT IP: Multi-Topology IP version 4',
  30: 'MT IPv6: Multi-Topology IP version 6',
  16384: 'EIGRP Common Service Family',
  16385: 'EIGRP IPv4 Service Family',
  16386: 'EIGRP IPv6 Service Family',
  16387: 'LISP Canonical Address Format (LCAF)',
  16388: 'BGP-LS',
  16389: '48-bit MAC Address',
  16390: '64-bit MAC Address',
  16391: 'OUI',
  16392: 'MAC/24',
  16393: 'MAC/40',
  16394: 'IPv6/64',
  16395: 'RBridge Port ID',
  16396: 'TRILL Nickname',
  65535: 'Reserved',
};

/**
 * Organisation codes (OUIs) named as tshark 4.0 names them (from its manuf file, which names every code): those that
 * LLC SNAP headers and LLDP's organisation TLVs carry here.
 */
export const OUI_NAMES: Readonly<Record<number, string>> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x0000f8: 'Digital Equipment Corporation',
  0x00000c: 'Cisco Systems, Inc',
  0x000081: 'Bay Networks',
  0x0080c2: 'IEEE',
  0x00120f: 'Ieee 802.3',
  0x0012bb: 'Telecommunications Industry Association TR-41 Committee',
  0x000142: 'Cisco Systems, Inc',
  0x000ecf: 'PROFIBUS Nutzerorganisation e.V.',
  0x001b21: 'Intel Corporate',
  0x00005e: 'ICANN, IANA Department',
};

/** An organisation code as Wireshark's BASE_OUI shows it: `00:80:c2 (IEEE)`. */
export function ouiText(n: number): string {
  const hex = n.toString(16).padStart(6, '0');
  const text = `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4)}`;
  const name = OUI_NAMES[n];
  // tshark 4.0 writes this text into 32 bytes: a long name loses its end, and its parenthesis.
  return name === undefined ? text : `${text} (${name})`.slice(0, 31);
}
