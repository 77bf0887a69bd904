import { fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import type { Protocol } from './packet.js';

/**
 * Wireshark's ipx fields of the 30-byte IPX header, those of a type we
 * have (its networks are FT_IPXNET, its "network.node" addresses strings:
 * not declared). The payload is named, not dissected.
 */
const IPX_HEADER = 30;
/** A field of the header, read only where the whole header was captured (tshark reads none of a cut one). */
const header =
  (at: number, size: 1 | 2 | 6): FieldReader =>
  (l, v) => {
    if (l.off + IPX_HEADER > l.end) return;
    const p = l.off + at;
    if (size === 6) v.bytes(l.buf, p, 6);
    else v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

const IPX_FIELDS = [
  protocolField('ipx', 'Internetwork Packet eXchange'),
  ...fields(
    { name: 'ipx.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', read: header(0, 2) },
    { name: 'ipx.len', label: 'Length', type: 'uint', bits: 16, read: header(2, 2) },
    { name: 'ipx.hops', label: 'Transport Control (Hops)', type: 'uint', read: header(4, 1) },
    { name: 'ipx.packet_type', label: 'Packet Type', type: 'uint', base: 'hex', read: header(5, 1) },
    { name: 'ipx.dst.node', label: 'Destination Node', type: 'ether', read: header(10, 6) },
    { name: 'ipx.dst.socket', label: 'Destination Socket', type: 'uint', bits: 16, base: 'hex', read: header(16, 2) },
    { name: 'ipx.src.node', label: 'Source Node', type: 'ether', read: header(22, 6) },
    { name: 'ipx.src.socket', label: 'Source Socket', type: 'uint', bits: 16, base: 'hex', read: header(28, 2) },
  ),
];

/** IPX (EtherType and GRE protocol 0x8137): shown as data of its length. */
export const ipx: Protocol = {
  name: 'ipx',
  abbrev: 'ipx',
  title: 'Internetwork Packet eXchange',
  hf: IPX_FIELDS,
  dissect(_ctx, l) {
    l.hdrEnd = l.off;
  },
  json: jsonMembers(IPX_FIELDS, [{ name: 'length', value: (l) => l.end - l.off }]),
  summary: (l, out) => out.str(`IPX ${l.end - l.off} bytes`),
};
