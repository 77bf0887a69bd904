import { declareFields, field, fields, hexThenText, protocolField, SET_NOT_SET, Values, type Field } from './field.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * Van Jacobson TCP/IP header compression (RFC 1144) in PPP, as Wireshark's packet-vj-comp.c reads it: 0x002F
 * (uncompressed) is a whole TCP/IP packet whose IP protocol byte holds the connection number; 0x002D (compressed)
 * a change mask, the fields that changed as deltas, then the TCP payload as sent. Wireshark decompresses only where
 * PPP says which way a frame went (a serial link's capture); inside PPTP or L2TP it cannot, nor can we: the
 * uncompressed packet is read as IPv4 from a copy with the protocol byte put back (TCP), the compressed one's
 * header is shown and its payload left as is. A compressed header without the connection number (the C bit clear)
 * reuses the last one sent: as Wireshark, the number is worked out from the frames read before it (EngineState).
 */

const FLAG_C = 0x40;
const FLAG_I = 0x20;
const FLAG_S = 0x08;
const FLAG_A = 0x04;
const FLAG_W = 0x02;
const FLAG_U = 0x01;
/** The S, A, W and U bits all set, or S, W and U: RFC 1144's special cases, no deltas sent for them. */
const SPECIALS = 0x0f;
const SPECIAL_UNIDIRECTIONAL = 0x0f;
const SPECIAL_ECHOED = 0x0b;
/** The IP header's protocol byte, which an uncompressed packet uses for the connection number. */
const CONNECTION_AT = 9;
const IP_PROTO_TCP = 6;

const CHANGE_MASK_FLAGS: readonly (readonly [number, string, string])[] = [
  [0x80, 'reserved', 'Reserved'],
  [FLAG_C, 'connection_number', 'Connection number flag'],
  [FLAG_I, 'ip_id', 'IP ID flag'],
  [0x10, 'psh', 'TCP PSH flag'],
  [FLAG_S, 'seq', 'TCP Sequence flag'],
  [FLAG_A, 'ack', 'TCP Acknowledgement flag'],
  [FLAG_W, 'win', 'TCP Window flag'],
  [FLAG_U, 'urg', 'TCP Urgent flag'],
];

/**
 * Where a compressed header's fields sit, from the layer's start: each -1 where absent. A delta is one byte, or a zero
 * byte and two more. `end` is the header's end, -1 where the captured bytes end inside it (Wireshark then shows
 * that alone).
 */
interface Layout {
  connection: number;
  checksum: number;
  urgent: number;
  window: number;
  ack: number;
  seq: number;
  ipId: number;
  end: number;
}
const layout: Layout = { connection: -1, checksum: -1, urgent: -1, window: -1, ack: -1, seq: -1, ipId: -1, end: -1 };

function compressedLayout(l: Layer): Layout {
  const b = l.buf;
  const size = l.end - l.off;
  const at = l.off;
  layout.connection = layout.urgent = layout.window = layout.ack = layout.seq = layout.ipId = layout.end = -1;
  if (size < 3) return layout;
  const flags = b[at]!;
  let p = 1;
  const delta = (): number => {
    if (p >= size) return -1;
    const start = p;
    p += b[at + p] !== 0 ? 1 : 3;
    return start;
  };
  if (flags & FLAG_C) layout.connection = p++;
  layout.checksum = p;
  p += 2;
  const special = flags & SPECIALS;
  if (special !== SPECIAL_UNIDIRECTIONAL && special !== SPECIAL_ECHOED) {
    if (flags & FLAG_U) {
      layout.urgent = p;
      p += 2;
    }
    if (flags & FLAG_W && (layout.window = delta()) < 0) return layout;
    if (flags & FLAG_A && (layout.ack = delta()) < 0) return layout;
    if (flags & FLAG_S && (layout.seq = delta()) < 0) return layout;
  }
  if (flags & FLAG_I && (layout.ipId = delta()) < 0) return layout;
  if (p <= size) layout.end = p;
  return layout;
}

const isCompressed = (l: Layer): boolean => l.proto === vjCompressed;
/** The uncompressed packet is read: long enough for its connection number, and IPv4. */
const uncompressedRead = (l: Layer): boolean => l.off + CONNECTION_AT < l.end && l.buf[l.off]! >> 4 === 4;

/** Where the connection number was sent (an uncompressed packet's, a compressed header's with the C bit), or -1. */
function connectionAt(l: Layer): number {
  if (!isCompressed(l)) return uncompressedRead(l) ? l.off + CONNECTION_AT : -1;
  const x = compressedLayout(l);
  return x.end >= 0 && x.connection >= 0 ? l.off + x.connection : -1;
}

/** Wireshark's words for a header it cannot read (its vjc.bad_data), '' for one it reads. */
function badData(l: Layer): string {
  if (isCompressed(l)) return compressedLayout(l).end < 0 ? 'Packet truncated, compression header incomplete' : '';
  if (l.off + CONNECTION_AT >= l.end) return 'Packet truncated before Connection ID field';
  const version = l.buf[l.off]! >> 4;
  return version === 4 ? '' : `IPv${version} unsupported for VJC compression`;
}

/** A delta's value at q (from the layer's start): one byte, or the two after a zero; signed for the window. */
function deltaValue(l: Layer, q: number, signed: boolean): [number, number, number] {
  const p = l.off + q;
  if (l.buf[p] !== 0) return [signed ? (l.buf[p]! << 24) >> 24 : l.buf[p]!, p, 1];
  const v = l.dv.getUint16(p + 1);
  return [signed ? (v << 16) >> 16 : v, p + 1, 2];
}

/** A field read from a compressed header laid out whole. */
const inHeader =
  (where: (x: Layout) => number, read: (l: Layer, q: number) => [number, number, number]): Field['read'] =>
  (l, v) => {
    if (!isCompressed(l)) return;
    const x = compressedLayout(l);
    const q = where(x);
    if (x.end < 0 || q < 0) return;
    const [n, p, len] = read(l, q);
    v.num(n, l.buf, p, len);
  };
const word = (l: Layer, q: number): [number, number, number] => [l.dv.getUint16(l.off + q), l.off + q, 2];
const delta =
  (signed = false) =>
  (l: Layer, q: number): [number, number, number] =>
    deltaValue(l, q, signed);
/**
 * A delta read where it was sent, else the value Wireshark works out where `worked` says none was (the special cases,
 * a clear I bit): no bytes behind it, drawn in brackets (vjcTree).
 */
function either(where: (x: Layout) => number, value: number, worked: (flags: number) => boolean): Field['read'] {
  const sent = inHeader(where, delta());
  return (l, v, ctx) => {
    const before = v.n;
    sent(l, v, ctx);
    if (v.n === before && isCompressed(l) && compressedLayout(l).end >= 0 && worked(l.buf[l.off]!))
      v.num(value, l.buf, l.off, 0);
  };
}
const noIpId = (flags: number): boolean => (flags & FLAG_I) === 0;
const special = (flags: number): boolean =>
  (flags & SPECIALS) === SPECIAL_UNIDIRECTIONAL || (flags & SPECIALS) === SPECIAL_ECHOED;

/** One of Wireshark's expert items, a line of its own: read where `when` holds. */
const expert = (name: string, label: string, when: (l: Layer) => boolean): Field =>
  field({
    name,
    label,
    type: 'none',
    read: (l, v) => {
      if (when(l)) v.num(1, l.buf, l.off, 0);
    },
  });

const VJC_FIELDS = declareFields(() => [
  protocolField('vjc', 'Van Jacobson PPP compression'),
  field({
    name: 'vjc.bad_data',
    label: 'Non-compliant packet data',
    type: 'none',
    display: (_n, _b, _o, text) => text,
    read: (l, v) => {
      const text = badData(l);
      if (text) v.str(text, l.buf, l.off, 0);
    },
  }),
  ...fields(
    {
      name: 'vjc.compressed',
      label: 'Is compressed',
      type: 'bool',
      bits: 0,
      generated: true,
      read: (l, v) => {
        if (isCompressed(l) ? compressedLayout(l).end >= 0 : uncompressedRead(l))
          v.num(isCompressed(l) ? 1 : 0, l.buf, l.off, 0);
      },
    },
    {
      name: 'vjc.change_mask',
      label: 'Change mask',
      type: 'uint',
      base: 'hex',
      display: hexThenText(2),
      read: (l, v) => {
        if (!isCompressed(l) || compressedLayout(l).end < 0) return;
        const flags = l.buf[l.off]!;
        let names = '';
        for (const [bit, , label] of CHANGE_MASK_FLAGS) if (flags & bit) names += `, ${label}`;
        v.str(names, l.buf, l.off, 1, flags);
      },
    },
  ),
  ...CHANGE_MASK_FLAGS.map(([bit, name, label]) =>
    field({
      name: `vjc.change_mask.${name}`,
      label,
      type: 'bool',
      mask: bit,
      tfs: SET_NOT_SET,
      child: true,
      read: (l, v) => {
        if (isCompressed(l) && compressedLayout(l).end >= 0) v.num(l.buf[l.off]! & bit ? 1 : 0, l.buf, l.off, 1);
      },
    }),
  ),
  expert(
    'vjc.special.sawu',
    '.... 1111 = special case for "unidirectional data transfer"',
    (l) => isCompressed(l) && compressedLayout(l).end >= 0 && (l.buf[l.off]! & SPECIALS) === SPECIAL_UNIDIRECTIONAL,
  ),
  expert(
    'vjc.special.swu',
    '.... 1011 = special case for "echoed interactive traffic"',
    (l) => isCompressed(l) && compressedLayout(l).end >= 0 && (l.buf[l.off]! & SPECIALS) === SPECIAL_ECHOED,
  ),
  ...fields({
    name: 'vjc.connection_number',
    label: 'Connection number',
    type: 'uint',
    read: (l, v) => {
      const p = connectionAt(l);
      if (p >= 0) v.num(l.buf[p]!, l.buf, p, 1);
      // A compressed header without one: the last one sent before it (l.aux, set by dissect; -1 none), worked out.
      else if (isCompressed(l) && compressedLayout(l).end >= 0 && l.aux >= 0) v.num(l.aux, l.buf, l.off, 0);
    },
  }),
  expert(
    'vjc.no_connection_id',
    'No connection ID and no prior connection (common at capture start)',
    (l) => isCompressed(l) && connectionAt(l) < 0 && compressedLayout(l).end >= 0 && l.aux < 0,
  ),
  // Nothing tells which way a frame in PPTP or L2TP went, so no connection is ever saved (Wireshark's conversations
  // are per direction).
  expert(
    'vjc.no_connection',
    'No saved connection found (common at capture start)',
    (l) => isCompressed(l) && compressedLayout(l).end >= 0,
  ),
  ...fields(
    {
      name: 'vjc.checksum',
      label: 'TCP Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: inHeader((x) => x.checksum, word),
    },
    {
      name: 'vjc.urgent_pointer',
      label: 'Urgent pointer',
      type: 'uint',
      bits: 16,
      read: inHeader((x) => x.urgent, word),
    },
    {
      name: 'vjc.delta_window',
      label: 'Delta window',
      type: 'int',
      bits: 16,
      read: inHeader((x) => x.window, delta(true)),
    },
    { name: 'vjc.delta_ack', label: 'Delta ack', type: 'uint', bits: 16, read: either((x) => x.ack, 0, special) },
    { name: 'vjc.delta_seq', label: 'Delta seq', type: 'uint', bits: 16, read: either((x) => x.seq, 0, special) },
    // "The assumed change when I is clear is one, not zero" (RFC 1144 3.2.2).
    { name: 'vjc.delta_ipid', label: 'Delta IP ID', type: 'uint', bits: 16, read: either((x) => x.ipId, 1, noIpId) },
  ),
  expert('vjc.no_direction', 'Connection has no direction info, cannot decompress', (l) =>
    isCompressed(l) ? compressedLayout(l).end >= 0 : uncompressedRead(l),
  ),
]);

/** The connection number the frame sent, for JSON (not one worked out from frames before it, as threads read parts). */
function connectionSent(l: Layer): number | undefined {
  const p = connectionAt(l);
  return p >= 0 ? l.buf[p] : undefined;
}

const treeValues = new Values();
const workedOut = new Map<Field, Field>();

/** The fields in Wireshark's order; a value worked out, not read (no bytes behind it), drawn in brackets. */
function vjcTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of VJC_FIELDS()) {
    if (f.type === 'protocol') continue;
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    if (treeValues.n === 0) continue;
    const worked = treeValues.lens[0] === 0 && f.type !== 'none' && !f.generated;
    if (worked && !workedOut.has(f)) workedOut.set(f, { ...f, generated: true });
    visit(worked ? workedOut.get(f)! : f, treeValues, 1);
  }
}

/** Van Jacobson uncompressed TCP/IP (PPP 0x002F): the connection number, then the packet as IPv4. */
export const vjUncompressed = protocol({
  name: 'vjc',
  abbrev: 'vjc',
  title: 'PPP Van Jacobson uncompressed TCP/IP',
  hf: VJC_FIELDS,
  tree: vjcTree,
  dissect(ctx, l) {
    l.hdrEnd = l.end;
    if (!ctx.need(l, CONNECTION_AT + 1) || !uncompressedRead(l)) return;
    // The packet as sent: a copy with the protocol byte put back, as Wireshark's composite buffer.
    const packet = l.buf.slice(l.off, l.end);
    packet[CONNECTION_AT] = IP_PROTO_TCP;
    ctx.handoffBuffer(packet, Table.PppProto, 0x0021);
    ctx.nextShort = l.short;
  },
  json: jsonMembers(VJC_FIELDS, [{ name: 'connection', value: connectionSent }]),
  summary: (l, out) => {
    out.str('VJ uncompressed');
    if (uncompressedRead(l)) out.str(' connection ').num(l.buf[l.off + CONNECTION_AT]!);
  },
});

/** Van Jacobson compressed TCP/IP (PPP 0x002D): the change mask and deltas; the TCP payload after them. */
export const vjCompressed = protocol({
  name: 'vjc',
  abbrev: 'vjc',
  title: 'PPP Van Jacobson compressed TCP/IP',
  hf: VJC_FIELDS,
  tree: vjcTree,
  dissect(ctx, l) {
    const x = compressedLayout(l);
    l.aux = -1;
    if (x.end < 0) {
      ctx.need(l, l.end - l.off + 1);
      l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + x.end;
    // Wireshark's last connection number: a header that sends one sets it, one that does not reuses it.
    if (x.connection >= 0) ctx.state.vjConnection = l.buf[l.off + x.connection]!;
    l.aux = ctx.state.vjConnection;
  },
  json: jsonMembers(VJC_FIELDS, [
    { name: 'connection', value: connectionSent },
    { name: 'changeMask', field: 'vjc.change_mask' },
  ]),
  summary: (l, out) => {
    out.str('VJ compressed');
    const x = compressedLayout(l);
    if (x.end >= 0 && x.connection >= 0) out.str(' connection ').num(l.buf[l.off + x.connection]!);
    if (x.end >= 0) out.str(' data ').num(l.end - l.off - x.end);
  },
});
