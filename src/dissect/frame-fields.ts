import { ENCAPSULATION_NAMES, ENCAPSULATION_OF_LINKTYPE } from '../capture/encapsulation.js';
import { fabricpath } from './fabricpath.js';
import { fields, SET_NOT_SET, type Field, type FieldReader, type FieldSpec, type Values } from './field.js';
import { Table, type Layer, type PacketCtx } from './packet.js';
import { Span } from '../util/span.js';

/**
 * Two protocols that are no layer of the packet but read the packet context: Wireshark's `frame` (the record:
 * number, lengths, times, the protocols in it), in the order tshark -V shows its lines, and `data` (the bytes at
 * the end that no protocol took).
 */

const EMPTY: Uint8Array = new Uint8Array(0);

/** The abbreviation a layer answers to in filters and field output. */
export const abbrevOf = (l: Layer): string => l.proto.abbrev ?? l.proto.name;

/** The frame's time: a time of day (frame.time), or seconds since the epoch (frame.time_epoch). */
function arrival(v: Values, ctx: PacketCtx): void {
  if (ctx.hasTs) v.time(ctx.tsSec, ctx.tsNsec);
}

const bytesAndBits = (n: number): string => `${n} bytes (${n * 8} bits)`;

const DIRECTIONS = { 0: 'Unknown', 1: 'Inbound', 2: 'Outbound' };
const RECEPTION_TYPES = { 0: 'Not specified', 1: 'Unicast', 2: 'Multicast', 3: 'Broadcast', 4: 'Promiscuous' };
/** The error bits of epb_flags, from bit 24 up, with Wireshark's names. */
const PACKET_ERRORS: readonly (readonly [string, string])[] = [
  ['frame.packet_flags_crc_error', 'CRC error'],
  ['frame.packet_flags_packet_too_error', 'Packet too long error'],
  ['frame.packet_flags_packet_too_short_error', 'Packet too short error'],
  ['frame.packet_flags_wrong_inter_frame_gap_error', 'Wrong interframe gap error'],
  ['frame.packet_flags_unaligned_frame_error', 'Unaligned frame error'],
  ['frame.packet_flags_start_frame_delimiter_error', 'Start frame delimiter error'],
  ['frame.packet_flags_preamble_error', 'Preamble error'],
  ['frame.packet_flags_symbol_error', 'Symbol error'],
];

/** The packet's flags word, big-endian, for -V to draw its bits from (it lights no bytes: it is no packet's). */
const flagsWord = new Uint8Array(4);
const flagsView = new DataView(flagsWord.buffer);

/** The reader of epb_flags' bits under mask (0: the whole word), shifted down; a flag's is 1 or 0. */
function packetFlags(mask: number): FieldReader {
  const lowest = (mask & -mask) >>> 0;
  return (_l, v, ctx) => {
    const w = ctx.packetFlags;
    if (w < 0) return;
    flagsView.setUint32(0, w);
    v.num(mask === 0 ? w : ((w & mask) >>> 0) / lowest, flagsWord, 0, 0);
  };
}

/** A part of epb_flags: a number under its mask, or a flag. */
function flagsPart(
  name: string,
  label: string,
  mask: number,
  o: { type?: 'bool'; base?: 'hex'; values?: Readonly<Record<number, string>> },
): FieldSpec {
  const bool = o.type === 'bool';
  return {
    name,
    label,
    type: bool ? 'bool' : 'uint',
    bits: 32,
    mask,
    child: true,
    ...(o.base ? { base: o.base } : {}),
    ...(o.values ? { values: o.values } : {}),
    ...(bool ? { tfs: SET_NOT_SET } : {}),
    read: packetFlags(mask),
  };
}

export const FRAME_FIELDS: readonly Field[] = fields(
  { name: 'frame', label: 'Frame', type: 'protocol', read: (_l, v, ctx) => v.bytes(ctx.data, ctx.dataOff, ctx.caplen) },
  // pcapng's: the section, the interface and the packet's flags word.
  {
    name: 'frame.section_number',
    label: 'Section number',
    type: 'uint',
    bits: 32,
    read: (_l, v, ctx) => {
      if (ctx.iface) v.num(ctx.iface.section, EMPTY, 0, 0);
    },
  },
  {
    name: 'frame.interface_id',
    label: 'Interface id',
    type: 'uint',
    bits: 32,
    display: (n, _b, _o, name) => `${n} (${name})`,
    // The number, with the interface's name for -V to show beside it.
    read: (_l, v, ctx) => {
      if (!ctx.iface) return;
      v.str(ctx.iface.name, EMPTY, 0, 0);
      v.nums[v.n - 1] = ctx.iface.id;
    },
  },
  {
    name: 'frame.interface_name',
    label: 'Interface name',
    type: 'string',
    child: true,
    read: (_l, v, ctx) => {
      if (ctx.iface) v.str(ctx.iface.name, EMPTY, 0, 0);
    },
  },
  {
    name: 'frame.interface_description',
    label: 'Interface description',
    type: 'string',
    child: true,
    read: (_l, v, ctx) => {
      if (ctx.iface?.description) v.str(ctx.iface.description, EMPTY, 0, 0);
    },
  },
  {
    name: 'frame.packet_flags',
    label: 'Packet flags',
    type: 'uint',
    bits: 32,
    base: 'hex',
    read: packetFlags(0),
  },
  flagsPart('frame.packet_flags_direction', 'Direction', 0x3, { base: 'hex', values: DIRECTIONS }),
  flagsPart('frame.packet_flags_reception_type', 'Reception type', 0x1c, { values: RECEPTION_TYPES }),
  flagsPart('frame.packet_flags_fcs_length', 'FCS length', 0x1e0, {}),
  flagsPart('frame.packet_flags_reserved', 'Reserved', 0xfe00, {}),
  ...PACKET_ERRORS.map(([name, label], k) => flagsPart(name, label, 0x1000000 * 2 ** k, { type: 'bool' })),
  {
    name: 'frame.encap_type',
    label: 'Encapsulation type',
    type: 'int',
    bits: 16,
    values: ENCAPSULATION_NAMES,
    read: (_l, v, ctx) => {
      const e = ENCAPSULATION_OF_LINKTYPE[ctx.linktype];
      if (e !== undefined) v.num(e, EMPTY, 0, 0);
    },
  },
  // A frame with no time (pcapng's simple packet block) has none of the times, as in tshark.
  {
    name: 'frame.time',
    label: 'Arrival Time',
    type: 'time',
    read: (_l, v, ctx) => arrival(v, ctx),
  },
  {
    name: 'frame.offset_shift',
    label: 'Time shift for this packet',
    type: 'reltime',
    generated: true,
    read: (_l, v, ctx) => {
      if (ctx.hasTs) v.time(0, 0);
    },
  },
  {
    name: 'frame.time_epoch',
    label: 'Epoch Time',
    type: 'reltime',
    read: (_l, v, ctx) => arrival(v, ctx),
  },
  {
    name: 'frame.time_delta',
    label: 'Time delta from previous captured frame',
    type: 'reltime',
    generated: true,
    read: (_l, v, ctx) => sinceThen(v, ctx, ctx.prevSec, ctx.prevNsec),
  },
  {
    name: 'frame.time_delta_displayed',
    label: 'Time delta from previous displayed frame',
    type: 'reltime',
    generated: true,
    read: (_l, v, ctx) => {
      // The first frame shown is told from itself, as in tshark.
      if (Number.isNaN(ctx.shownSec)) sinceThen(v, ctx, ctx.tsSec, ctx.tsNsec);
      else sinceThen(v, ctx, ctx.shownSec, ctx.shownNsec);
    },
  },
  {
    name: 'frame.time_relative',
    label: 'Time since reference or first frame',
    type: 'reltime',
    generated: true,
    read: (_l, v, ctx) => sinceThen(v, ctx, ctx.firstSec, ctx.firstNsec),
  },
  {
    name: 'frame.number',
    label: 'Frame Number',
    type: 'uint',
    bits: 32,
    read: (_l, v, ctx) => v.num(ctx.frameNo, EMPTY, 0, 0),
  },
  {
    name: 'frame.len',
    label: 'Frame Length',
    type: 'uint',
    bits: 32,
    display: bytesAndBits,
    read: (_l, v, ctx) => v.num(ctx.len, EMPTY, 0, 0),
  },
  {
    name: 'frame.cap_len',
    label: 'Capture Length',
    type: 'uint',
    bits: 32,
    display: bytesAndBits,
    read: (_l, v, ctx) => v.num(ctx.caplen, EMPTY, 0, 0),
  },
  // Marking and ignoring frames are Wireshark's GUI's: never, here.
  {
    name: 'frame.marked',
    label: 'Frame is marked',
    type: 'bool',
    bits: 0,
    generated: true,
    read: (_l, v) => v.num(0, EMPTY, 0, 0),
  },
  {
    name: 'frame.ignored',
    label: 'Frame is ignored',
    type: 'bool',
    bits: 0,
    generated: true,
    read: (_l, v) => v.num(0, EMPTY, 0, 0),
  },
  {
    name: 'frame.protocols',
    label: 'Protocols in frame',
    type: 'string',
    generated: true,
    read: (_l, v, ctx) => v.str(protocolsInFrame(ctx), EMPTY, 0, 0),
  },
);

/** The frame's time since an earlier one (none for a frame with no time). */
export function sinceThen(v: Values, ctx: PacketCtx, fromSec: number, fromNsec: number): void {
  if (ctx.hasTs) timeSince(v, ctx, fromSec, fromNsec);
}

/** The frame's time since an earlier one, a frame with no time taken as at 0 (TCP's and UDP's stream times). */
export function timeSince(v: Values, ctx: PacketCtx, fromSec: number, fromNsec: number): void {
  since.setDelta(ctx.tsSec, ctx.tsNsec, fromSec, fromNsec);
  v.time(since.sec, since.nsec);
}
const since = new Span();

/**
 * The layers' names joined by colons, as Wireshark's frame.protocols: with `ethertype` where a protocol hands its
 * payload on through Wireshark's ethertype dissector, and `data` for bytes at the end that no protocol took.
 */
function protocolsInFrame(ctx: PacketCtx): string {
  const data = trailingData(ctx);
  let s = '';
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    const names = l.proto.frameNames?.(l) ?? abbrevOf(l);
    if (names !== '') s += (s === '' ? '' : ':') + names;
    const next = i + 1 < ctx.count ? ctx.layers[i + 1]! : null;
    // tshark's Ethernet hands FabricPath its frame itself, not through the ethertype dissector.
    const byEtherType = next
      ? next.via === Table.EtherType && next.proto !== fabricpath
      : ctx.restEnd > ctx.restOff && ctx.restTable === Table.EtherType;
    if (l.proto.ethertype && byEtherType) s += ':ethertype';
  }
  return data > 0 ? (s === '' ? 'data' : `${s}:data`) : s;
}

/** Where trailingData found the bytes: tail.buf[tail.off, tail.off + length). */
export const tail: { buf: Uint8Array; off: number; layer: number } = { buf: EMPTY, off: 0, layer: -1 };

/**
 * The length of the bytes at the packet's end that no protocol took (Wireshark's `data`), 0 when there are none:
 * those handed on to a protocol no table names, or after the header of a last layer whose payload is data to
 * Wireshark (a TCP or UDP payload, an ICMP echo's). Sets `tail`, with the layer whose tree shows them within its own
 * (-1: a protocol of their own, after the last layer). A layer's payloadData says `within` for either kind.
 */
export function trailingData(ctx: PacketCtx): number {
  const l = ctx.count === 0 ? null : ctx.layers[ctx.count - 1]!;
  if (ctx.restEnd > ctx.restOff) {
    tail.buf = ctx.restBuf;
    tail.off = ctx.restOff;
    // The layer that handed them on may draw them in its own tree (GRE's, for a protocol type it has no reader for).
    tail.layer = l !== null && l.proto.payloadData?.(l) === 'within' ? ctx.count - 1 : -1;
    return ctx.restEnd - ctx.restOff;
  }
  if (l === null) return 0;
  if (l.hdrEnd < 0 || l.hdrEnd >= l.end) return 0;
  const payload = l.proto.payloadData?.(l) ?? null;
  if (payload === null) return 0;
  tail.buf = l.buf;
  tail.off = l.hdrEnd;
  tail.layer = payload === 'within' ? ctx.count - 1 : -1;
  return l.end - l.hdrEnd;
}

/** The bytes no protocol took, as one occurrence (the protocol's and data.data's). */
const trailingBytes: FieldReader = (_l, v, ctx) => {
  const n = trailingData(ctx);
  if (n > 0) v.bytes(tail.buf, tail.off, n);
};

export const DATA_FIELDS: readonly Field[] = fields(
  {
    name: 'data',
    label: 'Data',
    type: 'protocol',
    read: trailingBytes,
  },
  { name: 'data.data', label: 'Data', type: 'bytes', read: trailingBytes },
  {
    name: 'data.len',
    label: 'Length',
    type: 'int',
    bits: 32,
    generated: true,
    read: (_l, v, ctx) => {
      const n = trailingData(ctx);
      if (n > 0) v.num(n, EMPTY, 0, 0);
    },
  },
);
