import { declareFields, fields, protocolField, type FieldReader, type FieldSpec } from './field.js';
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
 * aux = the ERSPAN type (1, 2 or 3), 0 for a header of another version or
 * cut before its version word, which Wireshark draws and reads no further.
 */
/**
 * A masked part of the header word at `at` (16, 32 or 64 bits: a 64-bit
 * field's mask lies in its low word), where `when` holds for the layer.
 */
function part(when: (l: Layer) => boolean, at: number, bits: 16 | 32 | 64, mask: number, bool = false): FieldReader {
  const shift = 31 - Math.clz32(mask & -mask);
  return (l, v) => {
    if (!when(l) || l.off + at + bits / 8 > l.end) return;
    const p = l.off + at;
    const w = bits === 16 ? l.dv.getUint16(p) : l.dv.getUint32(bits === 64 ? p + 4 : p);
    v.num(bool ? ((w & mask) !== 0 ? 1 : 0) : (w & mask) >>> shift, l.buf, p, bits / 8);
  };
}
const II_III = (l: Layer) => l.aux === 2 || l.aux === 3;
/** Every header's version word (type I has none); one of another version is drawn twice, the second flagged. */
const versionWord = part((l) => l.aux !== 1, 0, 16, 0xf000);
const II = (l: Layer) => l.aux === 2;
const III = (l: Layer) => l.aux === 3;

/**
 * Type III's optional platform-specific sub-header (8 bytes after the
 * header, where the O flag is set): its ID, the top 6 bits of its first
 * word, says how the rest is laid out. -1 where there is none, or its
 * first word was not captured.
 */
function platformId(l: Layer): number {
  if (l.aux !== 3 || l.off + 16 > l.end || (l.dv.getUint16(l.off + 10) & 1) === 0) return -1;
  return l.dv.getUint32(l.off + 12) >>> 26;
}
/** Layers whose sub-header has one of these platform IDs. */
const platform =
  (...ids: number[]) =>
  (l: Layer) =>
    ids.includes(platformId(l));
/** IDs of no known layout (2, 8-63), whose 8 bytes Wireshark shows as one reserved field. */
const platformReserved = (l: Layer) => {
  const id = platformId(l);
  return id === 2 || id >= 8;
};

/** Wireshark's value names: erspan_version_vals, erspan_encap_vals... */
const VERSION_VALS = { 1: 'Type II', 2: 'Type III' };
const ENCAP_VALS = {
  0: 'Originally without VLAN tag',
  1: 'Originally ISL encapsulated',
  2: 'Originally 802.1Q encapsulated',
  3: 'VLAN tag preserved in frame',
};
const BSO_VALS = {
  0: 'Good or unknown integrity',
  1: 'Short frame',
  2: 'Oversized frame',
  3: 'CRC or alignment error',
};
const TRUNCATED_VALS = { 0: 'Not truncated', 1: 'Truncated' };
const FRAME_TYPE_VALS = { 0: 'Ethernet', 2: 'IP' };
const GRANULARITY_VALS = { 0: '100 microseconds', 1: '100 nanoseconds', 2: 'IEEE 1588', 3: 'Custom granularity' };

/**
 * The platform sub-header's fields, named by platform ID as Wireshark names
 * them (pid1: Nexus 1000v; 0 is taken for 7, as some switches send it).
 */
function platformFields(): FieldSpec[] {
  const word = (name: string, label: string, when: (l: Layer) => boolean, at: 12 | 16, mask: number): FieldSpec => ({
    name,
    label,
    type: 'uint',
    bits: 32,
    mask,
    read: part(when, at, 32, mask),
  });
  const [pid1, pid3, pid4, pid5, pid7] = [platform(1), platform(3), platform(4), platform(5, 6), platform(7, 0)];
  return [
    word('erspan.platid', 'Platform ID', (l) => platformId(l) >= 0, 12, 0xfc000000),
    word('erspan.pid1.rsvd1', 'Reserved', pid1, 12, 0x03fff000),
    word('erspan.pid1.vsmid', 'VSM Domain ID', pid1, 12, 0x00000fff),
    word('erspan.pid1.port_index', 'Port ID/Index', pid1, 16, 0xffffffff),
    word('erspan.pid3.rsvd1', 'Reserved', pid3, 12, 0x03ffc000),
    word('erspan.pid3.port_index', 'Port ID/Index', pid3, 12, 0x00003fff),
    word('erspan.pid3.timestamp', 'Upper 32-bit Timestamp', pid3, 16, 0xffffffff),
    word('erspan.pid4.rsvd1', 'Reserved', pid4, 12, 0x03ffc000),
    word('erspan.pid4.rsvd2', 'Reserved', pid4, 12, 0x00003fff),
    word('erspan.pid4.rsvd3', 'Reserved', pid4, 16, 0xffffffff),
    word('erspan.pid5.switchid', 'Switch ID', pid5, 12, 0x03ff0000),
    word('erspan.pid5.port_index', 'Port ID/Index', pid5, 12, 0x0000ffff),
    word('erspan.pid5.timestamp', 'Timestamp (seconds)', pid5, 16, 0xffffffff),
    word('erspan.pid7.rsvd1', 'Reserved', pid7, 12, 0x03f00000),
    word('erspan.pid7.source_index', 'Source Index', pid7, 12, 0x000fffff),
    word('erspan.pid7.timestamp', 'Upper 32-bit Timestamp', pid7, 16, 0xffffffff),
    // Wireshark's mask of this 64-bit field keeps the low 26 bits of the 8 bytes.
    {
      name: 'erspan.pid.rsvd',
      label: 'Reserved',
      type: 'uint',
      bits: 64,
      mask: 0x03ffffff,
      read: part(platformReserved, 12, 64, 0x03ffffff),
    },
  ];
}

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
      read: (l, v, ctx) => {
        versionWord(l, v, ctx);
        if (l.aux === 0) versionWord(l, v, ctx);
      },
    },
    { name: 'erspan.vlan', label: 'Vlan', type: 'uint', bits: 16, mask: 0x0fff, read: part(II_III, 0, 16, 0x0fff) },
    { name: 'erspan.cos', label: 'COS', type: 'uint', bits: 16, mask: 0xe000, read: part(II_III, 2, 16, 0xe000) },
    {
      name: 'erspan.encap',
      label: 'Encap',
      type: 'uint',
      bits: 16,
      mask: 0x1800,
      values: ENCAP_VALS,
      read: part(II, 2, 16, 0x1800),
    },
    {
      name: 'erspan.bso',
      label: 'Bad/Short/Oversized',
      type: 'uint',
      bits: 16,
      mask: 0x1800,
      values: BSO_VALS,
      read: part(III, 2, 16, 0x1800),
    },
    {
      name: 'erspan.truncated',
      label: 'Truncated',
      type: 'uint',
      bits: 16,
      mask: 0x0400,
      values: TRUNCATED_VALS,
      read: part(II_III, 2, 16, 0x0400),
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
    {
      name: 'erspan.ft',
      label: 'Frame Type',
      type: 'uint',
      bits: 16,
      mask: 0x7c00,
      values: FRAME_TYPE_VALS,
      read: part(III, 10, 16, 0x7c00),
    },
    { name: 'erspan.hw', label: 'Hardware ID', type: 'uint', bits: 16, mask: 0x03f0, read: part(III, 10, 16, 0x03f0) },
    {
      name: 'erspan.direction',
      label: 'Direction',
      type: 'bool',
      tfs: ['Egress', 'Ingress'],
      bits: 16,
      mask: 0x0008,
      read: part(III, 10, 16, 0x0008, true),
    },
    {
      name: 'erspan.gra',
      label: 'Timestamp granularity',
      type: 'uint',
      bits: 16,
      mask: 0x0006,
      values: GRANULARITY_VALS,
      read: part(III, 10, 16, 0x0006),
    },
    {
      name: 'erspan.o',
      label: 'Optional Sub headers',
      type: 'uint',
      bits: 16,
      mask: 0x0001,
      read: part(III, 10, 16, 0x0001),
    },
    ...platformFields(),
  ),
]);

/** The type III members after the session, written when its first 12 bytes are there. */
const wholeIII = (l: Layer): boolean => l.off + 12 <= l.end;

const LABELS = ['ERSPAN', 'ERSPAN-I', 'ERSPAN-II', 'ERSPAN-III'];
const erspanLabel = (l: Layer): string => LABELS[l.aux]!;

export const erspan = protocol({
  // After a header of another version, Wireshark reads nothing, not even data.
  payloadData: (l) => (l.aux === 0 ? null : 'after'),
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
    // A header cut short keeps the fields it holds, as Wireshark draws them before its exception.
    const version = l.off + 2 <= l.end ? l.dv.getUint8(l.off) >> 4 : 0;
    if (version === 1) {
      l.aux = 2;
      if (!ctx.need(l, 8)) return void (l.hdrEnd = l.end);
      l.hdrEnd = l.off + 8;
      ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
      return;
    }
    if (version !== 2) {
      l.hdrEnd = Math.min(l.off + 2, l.end);
      if (ctx.need(l, 2)) ctx.warn(l, W.erspanUnknownVersion, version);
      return;
    }
    l.aux = 3;
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
    { name: 'type', value: (l) => (l.aux === 0 ? undefined : l.aux) },
    { name: 'version', field: 'erspan.version' },
    { name: 'vlan', field: 'erspan.vlan' },
    { name: 'cos', field: 'erspan.cos' },
    { name: 'sessionId', field: 'erspan.spanid' },
    { name: 'index', field: 'erspan.index' },
    { name: 'timestamp', field: 'erspan.timestamp', only: wholeIII },
    { name: 'sgt', field: 'erspan.sgt', only: wholeIII },
    { name: 'frameType', field: 'erspan.ft', only: wholeIII },
    { name: 'hwId', field: 'erspan.hw', only: wholeIII },
    { name: 'platformId', field: 'erspan.platid' },
  ]),
  label: erspanLabel,
  summary(l, out) {
    out.str(erspanLabel(l));
    if (l.aux === 0) {
      if (l.off + 2 <= l.end) out.str(' version ').num(l.buf[l.off]! >> 4);
    } else if (l.aux !== 1 && l.off + 4 <= l.end) out.str(' session ').num(l.dv.getUint16(l.off + 2) & 0x03ff);
  },
});
