/**
 * Value names that several protocols' fields share, in Wireshark's words
 * (etype_vals, ipproto_val) so that -V reads as tshark -V does.
 */
export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4', 0x86dd: 'IPv6', 0x0806: 'ARP', 0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'QinQ: old non-standard 802.1ad', 0x8847: 'MPLS label switched packet', 0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session', 0x880b: 'PPP', 0x6558: 'Transparent Ethernet bridging',
  0x88be: 'ERSPAN', 0x22eb: 'ERSPAN Type III', 0x2001: 'NHRP', 0x883e: 'Web Cache Coordination Protocol',
  0x8137: 'Netware IPX/SPX', 0x809b: 'AppleTalk', 0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)',
  0x8909: 'Cisco MetaData', 0x894f: 'Network Service Header', 0x8903: 'Cisco FabricPath', 0x0000: 'Unknown',
};

export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6', 47: 'Generic Routing Encapsulation', 50: 'Encap Security Payload', 51: 'Authentication Header',
  58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'Destination Options for IPv6', 88: 'EIGRP', 89: 'OSPF IGP', 103: 'PIM',
  112: 'Virtual Router Redundancy Protocol', 115: 'Layer 2 Tunneling Protocol Version 3', 132: 'SCTP', 137: 'MPLS in IP',
};
