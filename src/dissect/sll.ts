import { hexBytes } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { ETHERTYPE_NAMES, GRE_PROTOCOL_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import { jsonMembers } from './json.js';
import { SAP_NETWARE } from './llc.js';

/**
 * Linux cooked capture (what `-i any` gives): v1 (link type 113, 16 bytes)
 * and v2 (276, 20 bytes). The protocol field is an EtherType, except for the
 * few ARPHRD/LLC special values: of those, 802.2 LLC (4) and Novell's raw 802.3 IPX (1) are read.
 */
const LINUX_SLL_P_802_3 = 0x0001;
const LINUX_SLL_P_802_2 = 0x0004;
const ARPHRD_IPGRE = 778;
const ARPHRD_IP6GRE = 823;
const ARPHRD_NETLINK = 824;

function handoffProtocol(ctx: PacketCtx, l: Layer, arphrd: number, protocol: number): void {
  if (arphrd === ARPHRD_NETLINK) return;
  // A capture on a GRE device itself: the protocol field is the GRE protocol type.
  const table = arphrd === ARPHRD_IPGRE || arphrd === ARPHRD_IP6GRE ? Table.GreProto : Table.EtherType;
  if (protocol > 1500) ctx.handoff(l, table, protocol, l.hdrEnd, l.end);
  else if (protocol === LINUX_SLL_P_802_2) ctx.handoff(l, Table.Ieee8023, 0, l.hdrEnd, l.end);
  else if (protocol === LINUX_SLL_P_802_3) ctx.handoff(l, Table.LlcSap, SAP_NETWARE, l.hdrEnd, l.end);
}

/**
 * Where v1 (16 bytes) and v2 (20 bytes) keep each field; both are
 * Wireshark's `sll`, with one set of fields.
 */
const isV2 = (l: Layer): boolean => l.proto === sll2;
const pktType = (l: Layer) => (isV2(l) ? l.buf[l.off + 10]! : l.dv.getUint16(l.off));
const haType = (l: Layer) => l.dv.getUint16(l.off + (isV2(l) ? 8 : 2));
const haLen = (l: Layer) => (isV2(l) ? l.buf[l.off + 11]! : l.dv.getUint16(l.off + 4));
const addrAt = (l: Layer) => l.off + (isV2(l) ? 12 : 6);
const protocolAt = (l: Layer) => l.off + (isV2(l) ? 0 : 14);

/** Wireshark's packet_type_vals. */
const PACKET_TYPE_VALS = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};
/** Which of sll.src.eth, .ipv4 and .other the address is: by its length, and IPv4 for a GRE device. */
const addrKind = (l: Layer): 'eth' | 'ipv4' | 'other' | null => {
  const len = haLen(l);
  if (len === 0) return null;
  if (haType(l) === ARPHRD_IPGRE && len === 4) return 'ipv4';
  return len === 6 ? 'eth' : 'other';
};
const address =
  (kind: 'eth' | 'ipv4' | 'other'): FieldReader =>
  (l, v) => {
    if (addrKind(l) !== kind) return;
    const p = addrAt(l);
    if (kind === 'ipv4') v.num(l.dv.getUint32(p), l.buf, p, 4);
    else v.bytes(l.buf, p, Math.min(haLen(l), 8));
  };
/**
 * The protocol field read as an EtherType (etype), a GRE protocol type (gretype) or a Linux protocol number (ltype).
 */
const protocolKind = (l: Layer): 'etype' | 'gretype' | 'ltype' | null => {
  const hatype = haType(l);
  if (hatype === ARPHRD_NETLINK) return null;
  if (hatype === ARPHRD_IPGRE || hatype === ARPHRD_IP6GRE) return 'gretype';
  return l.dv.getUint16(protocolAt(l)) <= 1536 ? 'ltype' : 'etype';
};
const protocolNumber =
  (kind: 'etype' | 'gretype' | 'ltype'): FieldReader =>
  (l, v) => {
    if (protocolKind(l) === kind) v.num(l.dv.getUint16(protocolAt(l)), l.buf, protocolAt(l), 2);
  };

/** Linux's ARPHRD_ device types, as Wireshark names them. */
const HATYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NET/ROM pseudo',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  9: 'Lanstar',
  10: 'Autonet Short Address',
  11: 'Localtalk',
  12: 'LocalNet',
  13: 'Ultra link',
  14: 'SMDS',
  15: 'Frame Relay DLCI',
  16: 'ATM',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  21: 'ATM',
  22: 'MIL-STD-188-220',
  23: 'Metricom STRIP',
  24: 'IEEE 1394.1995',
  25: 'MAPOS',
  26: 'Twinaxial',
  27: 'EUI-64',
  28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec',
  31: 'IPsec tunnel',
  32: 'InfiniBand',
  33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface',
  35: 'Pure IP',
  36: 'Experimental 1',
  37: 'HFI',
  256: 'Experimental 2',
  257: 'AEthernet',
  260: 'Notional KISS type',
  264: 'ADAPT',
  270: 'ROSE',
  271: 'CCITT X.25',
  272: 'Boards with X.25 in firmware',
  280: 'Controller Area Network',
  512: 'PPP',
  513: 'Cisco HDLC',
  516: 'LAPB',
  517: "Digital's DDCMP protocol",
  518: 'Raw HDLC',
  519: 'Raw IP',
  768: 'IPIP tunnel',
  769: 'IP6IP6 tunnel',
  770: 'Frame Relay Access Device',
  771: 'SKIP vif',
  772: 'Loopback',
  774: 'Fiber Distributed Data Interface',
  775: 'AP1000 BIF',
  776: 'sit0 device - IPv6-in-IPv4',
  777: 'IP over DDP tunneller',
  778: 'GRE over IP',
  779: 'PIMSM register interface',
  780: 'High Performance Parallel Interface',
  781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet',
  783: 'Linux-IrDA',
  784: 'Point to point fibrechannel',
  785: 'Fibrechannel arbitrated loop',
  786: 'Fibrechannel public loop',
  787: 'Fibrechannel fabric',
  800: 'Magic type ident for TR',
  801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism2 header',
  803: 'IEEE 802.11 + radiotap header',
  804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 network monitor',
  820: 'PhoNet media type',
  821: 'PhoNet pipe header',
  822: 'CAIF media type',
  823: 'GRE over IPv6',
  824: 'Netlink',
  825: 'IPv6 over LoWPAN',
  826: 'Vsock monitor header',
  65535: 'Void type, nothing is known',
  65534: 'zero header length',
};

/** Linux's protocol numbers that are no EtherType (ETH_P_802_3...), as Wireshark names them. */
const LTYPE_NAMES: Readonly<Record<number, string>> = {
  0x1: 'Raw 802.3',
  0x3: 'Ethernet',
  0x4: '802.2 LLC',
  0x7: 'PPP (HDLC)',
  0xc: 'CAN',
  0xd: 'CAN FD',
  0x17: 'IrDA LAP',
  0xf5: 'ISI',
  0xf6: 'IEEE 802.15.4',
};

const SLL_HF = declareFields(() => [
  protocolField('sll', 'Linux cooked capture'),
  ...fields(
    {
      name: 'sll.pkttype',
      label: 'Packet type',
      type: 'uint',
      bits: 16,
      values: PACKET_TYPE_VALS,
      read: (l, v) => v.num(pktType(l), l.buf, l.off + (isV2(l) ? 10 : 0), isV2(l) ? 1 : 2),
    },
    {
      name: 'sll.hatype',
      label: 'Link-layer address type',
      type: 'uint',
      values: HATYPE_NAMES,
      bits: 16,
      read: (l, v) => v.num(haType(l), l.buf, l.off + (isV2(l) ? 8 : 2), 2),
    },
    {
      name: 'sll.halen',
      label: 'Link-layer address length',
      type: 'uint',
      bits: 16,
      read: (l, v) => v.num(haLen(l), l.buf, l.off + (isV2(l) ? 11 : 4), isV2(l) ? 1 : 2),
    },
    { name: 'sll.src.eth', label: 'Source', type: 'ether', read: address('eth') },
    { name: 'sll.src.ipv4', label: 'Source', type: 'ipv4', read: address('ipv4') },
    { name: 'sll.src.other', label: 'Source', type: 'bytes', read: address('other') },
    {
      name: 'sll.unused',
      label: 'Unused',
      type: 'bytes',
      read: (l, v) => {
        const len = haLen(l);
        if (len < 8) v.bytes(l.buf, addrAt(l) + len, 8 - len);
      },
    },
    {
      name: 'sll.ltype',
      label: 'Protocol',
      type: 'uint',
      values: LTYPE_NAMES,
      bits: 16,
      base: 'hex',
      read: protocolNumber('ltype'),
    },
    {
      name: 'sll.gretype',
      label: 'Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: GRE_PROTOCOL_NAMES,
      read: protocolNumber('gretype'),
    },
    {
      name: 'sll.etype',
      label: 'Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      read: protocolNumber('etype'),
    },
    {
      name: 'sll.ifindex',
      label: 'Interface index',
      type: 'uint',
      bits: 32,
      read: (l, v) => {
        if (isV2(l)) v.num(l.dv.getUint32(l.off + 4), l.buf, l.off + 4, 4);
      },
    },
  ),
]);

/** The JSON's members, one list for both versions (the interface index is v2's only). */
const SLL_JSON = jsonMembers(SLL_HF, [
  { name: 'version', value: (l) => (isV2(l) ? 2 : 1) },
  { name: 'packetType', field: 'sll.pkttype' },
  { name: 'arphrd', field: 'sll.hatype' },
  { name: 'ifindex', field: 'sll.ifindex' },
  // The address as bytes whatever its kind (sll.src.eth, .ipv4 or .other).
  { name: 'src', value: (l) => hexBytes(l.buf, addrAt(l), Math.min(haLen(l), 8)) },
  // The protocol word whichever field it is (sll.etype, .gretype or .ltype).
  { name: 'type', value: (l) => l.dv.getUint16(protocolAt(l)) },
]);

export const sll = protocol({
  payloadData: DATA_AFTER,
  ethertype: true,
  name: 'sll',
  abbrev: 'sll',
  title: 'Linux cooked capture v1',
  hf: SLL_HF,
  dissect(ctx, l) {
    if (!ctx.need(l, 16)) return;
    l.hdrEnd = l.off + 16;
    handoffProtocol(ctx, l, l.dv.getUint16(l.off + 2), l.dv.getUint16(l.off + 14));
  },
  json: SLL_JSON,
  summary: () => {},
});

export const sll2 = protocol({
  payloadData: DATA_AFTER,
  ethertype: true,
  name: 'sll',
  abbrev: 'sll',
  title: 'Linux cooked capture v2',
  hf: SLL_HF,
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    l.hdrEnd = l.off + 20;
    handoffProtocol(ctx, l, l.dv.getUint16(l.off + 8), l.dv.getUint16(l.off));
  },
  json: SLL_JSON,
  summary: () => {},
});
