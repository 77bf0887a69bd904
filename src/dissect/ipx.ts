import { hexBytes } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import { protocol, type Layer } from './packet.js';

/**
 * Wireshark's ipx fields of the 30-byte IPX header. A network number is
 * Wireshark's FT_IPXNET, a 32-bit number shown in hex (0x00000001): an
 * integer here; an address (ipx.src) is its string "network.node", 8 and 12
 * hex digits. The payload is named, not dissected.
 */
const IPX_HEADER = 30;
/** Where the destination's and the source's network, node and socket begin. */
const DST = 6;
const SRC = 18;
/** A field of the header, read only where the whole header was captured (tshark reads none of a cut one). */
const header =
  (at: number, size: 1 | 2 | 4 | 6): FieldReader =>
  (l, v) => {
    if (l.off + IPX_HEADER > l.end) return;
    const p = l.off + at;
    if (size === 6) v.bytes(l.buf, p, 6);
    else v.num(size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };
/** "network.node", as Wireshark writes an IPX address. */
const addressAt = (l: Layer, at: number): string =>
  `${hexBytes(l.buf, l.off + at, 4)}.${hexBytes(l.buf, l.off + at + 4, 6)}`;
const address =
  (at: number): FieldReader =>
  (l, v) => {
    if (l.off + IPX_HEADER > l.end) return;
    v.str(addressAt(l, at), l.buf, l.off + at, 10);
  };

/** An IPX header's two ends (its destination's socket, which Wireshark takes as the packet's port), or null if cut. */
export function ipxEnds(l: Layer): { src: string; dst: string; dstSocket: number } | null {
  if (l.off + IPX_HEADER > l.end) return null;
  return { src: addressAt(l, SRC), dst: addressAt(l, DST), dstSocket: l.dv.getUint16(l.off + DST + 10) };
}
/** Wireshark's either-end fields: both occurrences, in the order its dissector adds them. */
const both =
  (first: FieldReader, second: FieldReader): FieldReader =>
  (l, v, ctx) => {
    first(l, v, ctx);
    second(l, v, ctx);
  };

/** IPX packet types, in Wireshark's words. */
const PACKET_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x0: 'IPX',
  0x1: 'RIP',
  0x2: 'Echo',
  0x3: 'Error',
  0x4: 'PEP',
  0x5: 'SPX',
  0x10: 'Experimental Protocol',
  0x11: 'NCP',
  0x12: 'Experimental Protocol',
  0x13: 'Experimental Protocol',
  0x14: 'NetBIOS Broadcast',
  0x15: 'Experimental Protocol',
  0x16: 'Experimental Protocol',
  0x17: 'Experimental Protocol',
  0x18: 'Experimental Protocol',
  0x19: 'Experimental Protocol',
  0x1a: 'Experimental Protocol',
  0x1b: 'Experimental Protocol',
  0x1c: 'Experimental Protocol',
  0x1d: 'Experimental Protocol',
  0x1e: 'Experimental Protocol',
  0x1f: 'Experimental Protocol',
};

/** Well-known IPX sockets, in Wireshark's words. */
const SOCKET_NAMES: Readonly<Record<number, string>> = {
  0x2: 'CISCO PING',
  0x451: 'NCP',
  0x452: 'SAP',
  0x453: 'RIP',
  0x455: 'NetBIOS',
  0x456: 'Diagnostic',
  0x457: 'Serialization',
  0x550: 'NWLink SMB Server',
  0x551: 'NWLink SMB Name Query',
  0x552: 'NWLink SMB Redirector',
  0x553: 'NWLink SMB Mailslot Datagram',
  0x554: 'NWLink SMB Messenger',
  0x555: 'NWLink SMB Browse',
  0x55d: 'Attachmate Gateway',
  0x4001: 'IPX Message',
  0x4003: 'IPX Message',
  0x4006: 'NetWare Directory Server',
  0x400c: 'HP LaserJet/QuickSilver',
  0x8104: 'NetWare 386',
  0x8522: 'ADSM',
  0x85be: 'Cisco EIGRP for IPX',
  0x8f83: 'Powerchute UPS Monitoring',
  0x9001: 'NetWare Link Services Protocol',
  0x9004: 'IPX WAN',
  0x900f: 'SNMP Agent',
  0x9010: 'SNMP Sink',
  0x907b: 'SMS Testing and Development',
  0x9086: 'Novell PING',
  0x9091: 'TCP Tunnel',
  0x9092: 'UDP Tunnel',
  0x90b2: 'NDPS Printer Agent/PSM',
  0x90b3: 'NDPS Broker',
  0x90b4: 'NDPS Service Registry Service',
  0x90b5: 'NDPS Event Notification Service',
  0x90b6: 'NDPS Remote Management Service',
  0x90b7: 'NDPS Notify Listener',
  0xe885: 'NT Server-RPC/GW',
};

const IPX_FIELDS = declareFields(() => [
  protocolField('ipx', 'Internetwork Packet eXchange'),
  ...fields(
    { name: 'ipx.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', read: header(0, 2) },
    { name: 'ipx.len', label: 'Length', type: 'uint', bits: 16, read: header(2, 2) },
    { name: 'ipx.hops', label: 'Transport Control (Hops)', type: 'uint', read: header(4, 1) },
    {
      name: 'ipx.packet_type',
      label: 'Packet Type',
      type: 'uint',
      values: PACKET_TYPE_NAMES,
      base: 'hex',
      read: header(5, 1),
    },
    { name: 'ipx.dst.net', label: 'Destination Network', type: 'uint', bits: 32, base: 'hex', read: header(DST, 4) },
    { name: 'ipx.dst.node', label: 'Destination Node', type: 'ether', read: header(DST + 4, 6) },
    {
      name: 'ipx.dst.socket',
      label: 'Destination Socket',
      type: 'uint',
      values: SOCKET_NAMES,
      bits: 16,
      base: 'hex',
      read: header(DST + 10, 2),
    },
    { name: 'ipx.src.net', label: 'Source Network', type: 'uint', bits: 32, base: 'hex', read: header(SRC, 4) },
    { name: 'ipx.src.node', label: 'Source Node', type: 'ether', read: header(SRC + 4, 6) },
    {
      name: 'ipx.src.socket',
      label: 'Source Socket',
      type: 'uint',
      values: SOCKET_NAMES,
      bits: 16,
      base: 'hex',
      read: header(SRC + 10, 2),
    },
    { name: 'ipx.src', label: 'Source Address', type: 'string', hidden: true, read: address(SRC) },
    { name: 'ipx.dst', label: 'Destination Address', type: 'string', hidden: true, read: address(DST) },
    {
      name: 'ipx.addr',
      label: 'Src/Dst Address',
      type: 'string',
      hidden: true,
      read: both(address(SRC), address(DST)),
    },
    {
      name: 'ipx.net',
      label: 'Source or Destination Network',
      type: 'uint',
      bits: 32,
      base: 'hex',
      hidden: true,
      read: both(header(DST, 4), header(SRC, 4)),
    },
    {
      name: 'ipx.node',
      label: 'Source or Destination Node',
      type: 'ether',
      hidden: true,
      read: both(header(DST + 4, 6), header(SRC + 4, 6)),
    },
    {
      name: 'ipx.socket',
      label: 'Source or Destination Socket',
      type: 'uint',
      values: SOCKET_NAMES,
      bits: 16,
      base: 'hex',
      hidden: true,
      read: both(header(DST + 10, 2), header(SRC + 10, 2)),
    },
  ),
]);

/** IPX (EtherType and GRE protocol 0x8137): shown as data of its length. */
export const ipx = protocol({
  name: 'ipx',
  abbrev: 'ipx',
  title: 'Internetwork Packet eXchange',
  hf: IPX_FIELDS,
  dissect(_ctx, l) {
    l.hdrEnd = l.off;
  },
  json: jsonMembers(IPX_FIELDS, [{ name: 'length', value: (l) => l.end - l.off }]),
  summary: (l, out) => out.str(`IPX ${l.end - l.off} bytes`),
});
