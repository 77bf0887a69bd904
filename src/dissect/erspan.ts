import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { Table, type Layer, protocol } from './packet.js';
import { GRE_S } from './gre.js';
import { W } from './warnings.js';
import { jsonMembers } from './json.js';

/**
 * ERSPAN, Cisco's remote SPAN over GRE (draft-foschiano-erspan):
 * type I  = GRE 0x88BE without a sequence number: no header, Ethernet follows;
 * type II = GRE 0x88BE with a sequence number: 8-byte header (version 1);
 * type III = GRE 0x22EB: 12-byte header (version 2), 8 more with the O flag,
 *            and a frame type (0 Ethernet, 2 IP).
 * GRE hands its flags as the layer's hint. Without them (a capture on a
 * Linux ipgre device, where the cooked header gives only the protocol type),
 * a 0x88BE payload whose first nibble is not version 1 is type I.
 * aux = the ERSPAN type (1, 2 or 3).
 */
/**
 * A masked part of the header word at `at` (16 or 32 bits), in the ERSPAN
 * types listed (2: type II, 3: type III); type I has no header.
 */
function part(types: readonly number[], at: number, bits: 16 | 32, mask: number, bool = false): FieldReader {
  const shift = 31 - Math.clz32(mask & -mask);
  return (l, v) => {
    if (!types.includes(l.aux) || l.off + at + bits / 8 > l.end) return;
    const p = l.off + at;
    const w = bits === 16 ? l.dv.getUint16(p) : l.dv.getUint32(p);
    v.num(bool ? ((w & mask) !== 0 ? 1 : 0) : (w & mask) >>> shift, l.buf, p, bits / 8);
  };
}
const II_III = [2, 3];
const II = [2];
const III = [3];
/** Wireshark's erspan_version_vals. */
const VERSION_VALS = { 1: 'Type II', 2: 'Type III' };

const ERSPAN_FIELDS = declareFields(() => [
  protocolField('erspan', 'Encapsulated Remote Switch Packet ANalysis'),
  ...fields(
    {
      name: 'erspan.version',
      label: 'Version',
      type: 'uint',
      bits: 16,
      mask: 0xf000,
      values: VERSION_VALS,
      read: part(II_III, 0, 16, 0xf000),
    },
    { name: 'erspan.vlan', label: 'Vlan', type: 'uint', bits: 16, mask: 0x0fff, read: part(II_III, 0, 16, 0x0fff) },
    { name: 'erspan.cos', label: 'COS', type: 'uint', bits: 16, mask: 0xe000, read: part(II_III, 2, 16, 0xe000) },
    { name: 'erspan.encap', label: 'Encap', type: 'uint', bits: 16, mask: 0x1800, read: part(II, 2, 16, 0x1800) },
    {
      name: 'erspan.truncated',
      label: 'Truncated',
      type: 'uint',
      bits: 16,
      mask: 0x0400,
      read: part(II_III, 2, 16, 0x0400),
    },
    {
      name: 'erspan.bso',
      label: 'Bad/Short/Oversized',
      type: 'uint',
      bits: 16,
      mask: 0x1800,
      read: part(III, 2, 16, 0x1800),
    },
    { name: 'erspan.spanid', label: 'SpanID', type: 'uint', bits: 16, mask: 0x03ff, read: part(II_III, 2, 16, 0x03ff) },
    {
      name: 'erspan.reserved',
      label: 'Reserved',
      type: 'uint',
      bits: 32,
      mask: 0xfff00000,
      read: part(II, 4, 32, 0xfff00000),
    },
    {
      name: 'erspan.index',
      label: 'Index',
      type: 'uint',
      bits: 32,
      mask: 0x000fffff,
      read: part(II, 4, 32, 0x000fffff),
    },
    {
      name: 'erspan.timestamp',
      label: 'Timestamp',
      type: 'uint',
      bits: 32,
      mask: 0xffffffff,
      read: part(III, 4, 32, 0xffffffff),
    },
    {
      name: 'erspan.sgt',
      label: 'Security Group Tag',
      type: 'uint',
      bits: 16,
      mask: 0xffff,
      read: part(III, 8, 16, 0xffff),
    },
    {
      name: 'erspan.p',
      label: 'Has Ethernet PDU',
      type: 'uint',
      bits: 16,
      mask: 0x8000,
      read: part(III, 10, 16, 0x8000),
    },
    { name: 'erspan.ft', label: 'Frame Type', type: 'uint', bits: 16, mask: 0x7c00, read: part(III, 10, 16, 0x7c00) },
    { name: 'erspan.hw', label: 'Hardware ID', type: 'uint', bits: 16, mask: 0x03f0, read: part(III, 10, 16, 0x03f0) },
    {
      name: 'erspan.gra',
      label: 'Timestamp granularity',
      type: 'uint',
      bits: 16,
      mask: 0x0006,
      read: part(III, 10, 16, 0x0006),
    },
    {
      name: 'erspan.direction',
      label: 'Direction',
      type: 'bool',
      bits: 16,
      mask: 0x0008,
      read: part(III, 10, 16, 0x0008, true),
    },
    {
      name: 'erspan.o',
      label: 'Optional Sub headers',
      type: 'uint',
      bits: 16,
      mask: 0x0001,
      read: part(III, 10, 16, 0x0001),
    },
  ),
]);

/** The type III members after the session, written when its first 12 bytes are there. */
const wholeIII = (l: Layer): boolean => l.off + 12 <= l.end;

const erspanLabel = (l: Layer): string => (l.aux === 1 ? 'ERSPAN-I' : l.aux === 2 ? 'ERSPAN-II' : 'ERSPAN-III');

export const erspan = protocol({
  name: 'erspan',
  abbrev: 'erspan',
  title: 'Encapsulated Remote Switch Packet ANalysis',
  hf: ERSPAN_FIELDS,
  dissect(ctx, l) {
    const typeOne = l.key === 0x88be && (l.hint >= 0 ? !(l.hint & GRE_S) : l.off < l.end && l.buf[l.off]! >> 4 !== 1);
    if (typeOne) {
      l.aux = 1;
      l.hdrEnd = l.off;
      ctx.handoff(l, Table.EtherType, 0x6558, l.off, l.end);
      return;
    }
    if (!ctx.need(l, 8)) return;
    const version = l.dv.getUint8(l.off) >> 4;
    if (version === 1) {
      l.aux = 2;
      l.hdrEnd = l.off + 8;
      ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
      return;
    }
    if (version !== 2) return ctx.warn(l, W.badVersion, version);
    l.aux = 3;
    // A cut type III header keeps what its first 8 bytes say (version, session).
    if (!ctx.need(l, 12)) return void (l.hdrEnd = l.end);
    const w3 = l.dv.getUint16(l.off + 10);
    const hasPlatform = (w3 & 1) !== 0;
    const len = hasPlatform ? 20 : 12;
    if (!ctx.need(l, len)) return void (l.hdrEnd = l.end);
    l.hdrEnd = l.off + len;
    const frameType = (w3 >> 10) & 0x1f;
    if (frameType === 0) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
    else if (frameType === 2 && l.hdrEnd < l.end) {
      const v = l.buf[l.hdrEnd]! >> 4;
      if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, l.hdrEnd, l.end);
    }
  },
  json: jsonMembers(ERSPAN_FIELDS, [
    { name: 'type', value: (l) => l.aux },
    { name: 'version', field: 'erspan.version' },
    { name: 'vlan', field: 'erspan.vlan' },
    { name: 'cos', field: 'erspan.cos' },
    { name: 'sessionId', field: 'erspan.spanid' },
    { name: 'index', field: 'erspan.index' },
    { name: 'timestamp', field: 'erspan.timestamp', only: wholeIII },
    { name: 'sgt', field: 'erspan.sgt', only: wholeIII },
    { name: 'frameType', field: 'erspan.ft', only: wholeIII },
    { name: 'hwId', field: 'erspan.hw', only: wholeIII },
  ]),
  label: erspanLabel,
  summary(l, out) {
    out.str(erspanLabel(l));
    if (l.aux !== 1) out.str(' session ').num(l.dv.getUint16(l.off + 2) & 0x03ff);
  },
});
