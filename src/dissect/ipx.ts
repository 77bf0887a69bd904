import { hexBytes } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import { protocol } from './packet.js';

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
const address =
  (at: number): FieldReader =>
  (l, v) => {
    if (l.off + IPX_HEADER > l.end) return;
    const p = l.off + at;
    v.str(`${hexBytes(l.buf, p, 4)}.${hexBytes(l.buf, p + 4, 6)}`, l.buf, p, 10);
  };
/** Wireshark's either-end fields: both occurrences, in the order its dissector adds them. */
const both =
  (first: FieldReader, second: FieldReader): FieldReader =>
  (l, v, ctx) => {
    first(l, v, ctx);
    second(l, v, ctx);
  };

const IPX_FIELDS = declareFields(() => [
  protocolField('ipx', 'Internetwork Packet eXchange'),
  ...fields(
    { name: 'ipx.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', read: header(0, 2) },
    { name: 'ipx.len', label: 'Length', type: 'uint', bits: 16, read: header(2, 2) },
    { name: 'ipx.hops', label: 'Transport Control (Hops)', type: 'uint', read: header(4, 1) },
    { name: 'ipx.packet_type', label: 'Packet Type', type: 'uint', base: 'hex', read: header(5, 1) },
    { name: 'ipx.dst.net', label: 'Destination Network', type: 'uint', bits: 32, base: 'hex', read: header(DST, 4) },
    { name: 'ipx.dst.node', label: 'Destination Node', type: 'ether', read: header(DST + 4, 6) },
    {
      name: 'ipx.dst.socket',
      label: 'Destination Socket',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: header(DST + 10, 2),
    },
    { name: 'ipx.src.net', label: 'Source Network', type: 'uint', bits: 32, base: 'hex', read: header(SRC, 4) },
    { name: 'ipx.src.node', label: 'Source Node', type: 'ether', read: header(SRC + 4, 6) },
    { name: 'ipx.src.socket', label: 'Source Socket', type: 'uint', bits: 16, base: 'hex', read: header(SRC + 10, 2) },
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
