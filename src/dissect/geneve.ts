import { declareFields, fields, protocolField } from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

const GENEVE_FIELDS = declareFields(() => [
  protocolField('geneve', 'Generic Network Virtualization Encapsulation'),
  ...fields(
    {
      name: 'geneve.version',
      label: 'Version',
      type: 'uint',
      read: (l, v) => v.num(l.buf[l.off]! >> 6, l.buf, l.off, 1),
    },
    { name: 'geneve.flags', label: 'Flags', type: 'uint', base: 'hex', at: 1 },
    {
      name: 'geneve.flags.oam',
      label: 'Operations, Administration and Management Frame',
      type: 'bool',
      mask: 0x80,
      at: 1,
      child: true,
    },
    { name: 'geneve.flags.critical', label: 'Critical Options Present', type: 'bool', mask: 0x40, at: 1, child: true },
    { name: 'geneve.flags.reserved', label: 'Reserved', type: 'bool', mask: 0x3f, at: 1, child: true },
    {
      name: 'geneve.proto_type',
      label: 'Protocol Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      at: 2,
    },
    { name: 'geneve.vni', label: 'Virtual Network Identifier (VNI)', type: 'uint', bits: 24, base: 'hex_dec', at: 4 },
    { name: 'geneve.reserved', label: 'Reserved', type: 'uint', base: 'hex', at: 7 },
    {
      name: 'geneve.options',
      label: 'Geneve Options',
      type: 'bytes',
      read: (l, v) => {
        const n = (l.buf[l.off]! & 0x3f) * 4;
        if (n > 0 && l.off + 8 + n <= l.end) v.bytes(l.buf, l.off + 8, n);
      },
    },
  ),
]);

/** Geneve (RFC 8926, UDP 6081): 8 bytes, options of (length x 4) bytes, then the payload named by an EtherType. */
export const geneve = protocol({
  name: 'geneve',
  abbrev: 'geneve',
  title: 'Generic Network Virtualization Encapsulation',
  hf: GENEVE_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const len = 8 + (l.buf[l.off]! & 0x3f) * 4;
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + 2), l.hdrEnd, l.end);
  },
  json: jsonMembers(GENEVE_FIELDS, [
    { name: 'vni', field: 'geneve.vni' },
    { name: 'protocolType', field: 'geneve.proto_type' },
  ]),
  summary: (l, out) => out.str(`Geneve vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
});

/** The VNI, -1 when the header was cut short. */
export const geneveVni = (l: Layer): number => (l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) >>> 8 : -1);
