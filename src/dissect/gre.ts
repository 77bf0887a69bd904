import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_STATUS,
  CHECKSUM_UNVERIFIED,
  checksumVerdict,
  internetChecksum,
} from '../util/checksum.js';
import { declareFields, fields, hexThenText, protocolField, type FieldReader, YES_NO } from './field.js';
import { jsonMembers } from './json.js';
import { GRE_PROTOCOL_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { W } from './warnings.js';
import { keyInfo, type KeyInfo } from './registry.js';

/**
 * GRE: RFC 2784 (checksum), RFC 2890 (key, sequence), RFC 1701 (routing
 * SREs, strict source route, recursion) and the enhanced GRE of PPTP
 * (RFC 2637: version 1, key = payload length + call ID, acknowledgement).
 */
const GRE_C = 0x8000;
const GRE_R = 0x4000;
const GRE_K = 0x2000;
export const GRE_S = 0x1000;
const GRE_SSR = 0x0800;
const GRE_RECUR = 0x0700;
const GRE_A = 0x0080;
const GRE_V0_RESERVED = 0x00f8;
const GRE_V1_RESERVED = 0x4f78;

/** aux of a GRE layer: the checksum verdict. */
const GRE_CSUM_NONE = 0;
const GRE_CSUM_GOOD = 1;
const GRE_CSUM_BAD = 2;
/** Present but not checkable: the packet was cut or is a fragment. */
const GRE_CSUM_UNVERIFIED = 3;

const greFlags = (l: Layer): number => l.dv.getUint16(l.off);
export const greVersion = (l: Layer): number => l.dv.getUint16(l.off) & 7;
export const greProtocolType = (l: Layer): number => l.dv.getUint16(l.off + 2);

/**
 * Offsets of the optional fields (-1 where absent) and where the fixed part ends: one object, rewritten by each call
 * (read it at once).
 */
const offsets = { key: -1, seq: -1, ack: -1, end: 4 };

/** The offsets, from the flags: on every GRE packet, for each of its fields, so nothing is allocated. */
function fieldOffsets(flags: number): typeof offsets {
  let p = flags & (GRE_C | GRE_R) ? 8 : 4;
  offsets.key = flags & GRE_K ? p : -1;
  if (offsets.key >= 0) p += 4;
  offsets.seq = flags & GRE_S ? p : -1;
  if (offsets.seq >= 0) p += 4;
  offsets.ack = (flags & 7) === 1 && flags & GRE_A ? p : -1;
  if (offsets.ack >= 0) p += 4;
  offsets.end = p;
  return offsets;
}

/** A 32-bit optional field at `rel` from the header, or -1 when absent or not captured. */
function word(l: Layer, rel: number): number {
  return rel >= 0 && l.off + rel + 4 <= l.end ? l.dv.getUint32(l.off + rel) : -1;
}

/** The GRE key (version 0), or -1. */
export function greKey(l: Layer): number {
  const flags = greFlags(l);
  return (flags & 7) === 0 ? word(l, fieldOffsets(flags).key) : -1;
}

/** PPTP call ID (version 1), or -1. */
export function greCallId(l: Layer): number {
  const flags = greFlags(l);
  const w = (flags & 7) === 1 ? word(l, fieldOffsets(flags).key) : -1;
  return w < 0 ? -1 : w & 0xffff;
}

/** The sequence number, or -1. */
export function greSeq(l: Layer): number {
  return word(l, fieldOffsets(greFlags(l)).seq);
}

/** A 32-bit optional field (or one of its 16-bit halves) where the flags say it is. */
function optional(which: 'key' | 'seq' | 'ack', version: number, half: -1 | 0 | 2): FieldReader {
  return (l, v) => {
    const flags = greFlags(l);
    if (version >= 0 && (flags & 7) !== version) return;
    const rel = fieldOffsets(flags)[which];
    const w = word(l, rel);
    if (w < 0) return;
    if (half < 0) v.num(w, l.buf, l.off + rel, 4);
    else v.num(half === 0 ? w >>> 16 : w & 0xffff, l.buf, l.off + rel + half, 2);
  };
}

/** The checksum and the offset word after it sit at 4 when the C or R bit is set. */
const hasChecksumWord = (l: Layer): boolean => (greFlags(l) & (GRE_C | GRE_R)) !== 0 && l.off + 8 <= l.end;

const isNvgre = (l: Layer): boolean => greProtocolType(l) === 0x6558;
/** RFC 1701's strict source route and recursion bits: in the JSON when either is set. */
const rfc1701Bits = (l: Layer): boolean => (greFlags(l) & (GRE_SSR | GRE_RECUR)) !== 0;

const GRE_FIELDS = declareFields(() => [
  protocolField('gre', 'Generic Routing Encapsulation'),
  ...fields(
    { name: 'gre.flags_and_version', label: 'Flags and Version', type: 'uint', bits: 16, base: 'hex', at: 0 },
    {
      name: 'gre.flags.checksum',
      label: 'Checksum Bit',
      type: 'bool',
      tfs: YES_NO,
      bits: 16,
      mask: GRE_C,
      at: 0,
      child: true,
    },
    {
      name: 'gre.flags.routing',
      label: 'Routing Bit',
      type: 'bool',
      tfs: YES_NO,
      bits: 16,
      mask: GRE_R,
      at: 0,
      child: true,
    },
    { name: 'gre.flags.key', label: 'Key Bit', type: 'bool', tfs: YES_NO, bits: 16, mask: GRE_K, at: 0, child: true },
    {
      name: 'gre.flags.sequence_number',
      label: 'Sequence Number Bit',
      type: 'bool',
      tfs: YES_NO,
      bits: 16,
      mask: GRE_S,
      at: 0,
      child: true,
    },
    {
      name: 'gre.flags.strict_source_route',
      label: 'Strict Source Route Bit',
      type: 'bool',
      tfs: YES_NO,
      bits: 16,
      mask: GRE_SSR,
      at: 0,
      child: true,
    },
    {
      name: 'gre.flags.recursion_control',
      label: 'Recursion control',
      type: 'uint',
      bits: 16,
      mask: GRE_RECUR,
      at: 0,
      child: true,
    },
    {
      name: 'gre.flags.ack',
      label: 'Acknowledgment',
      type: 'bool',
      tfs: YES_NO,
      bits: 16,
      mask: GRE_A,
      child: true,
      read: (l, v) => {
        if (greVersion(l) !== 0) v.num(greFlags(l) & GRE_A ? 1 : 0, l.buf, l.off, 2);
      },
    },
    // Versions other than 0 (1 is PPTP) take the first of these bits for the acknowledgement flag, as Wireshark reads
    // them: the other four are their reserved bits (tshark draws those four; -V here draws all five).
    {
      name: 'gre.flags.reserved',
      label: 'Flags (Reserved)',
      type: 'uint',
      bits: 16,
      mask: 0x00f8,
      child: true,
      read: (l, v) => {
        v.num((greFlags(l) & (greVersion(l) !== 0 ? 0x0078 : 0x00f8)) >> 3, l.buf, l.off, 2);
      },
    },
    {
      name: 'gre.flags.version',
      label: 'Version',
      type: 'uint',
      bits: 16,
      mask: 7,
      at: 0,
      child: true,
      values: { 0: 'GRE', 1: 'Enhanced GRE' },
    },
    {
      name: 'gre.proto',
      label: 'Protocol Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: GRE_PROTOCOL_NAMES,
      at: 2,
    },
    // Wireshark's verdict after the checksum; the word is there but not checked when only the routing bit is set.
    {
      name: 'gre.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v) => {
        if (!hasChecksumWord(l)) return;
        const stored = l.dv.getUint16(l.off + 4);
        const expected =
          l.aux === GRE_CSUM_GOOD ? stored : l.aux === GRE_CSUM_BAD ? shouldBe(l.dv, l.off, l.end, stored) : -1;
        v.str(checksumVerdict(expected, stored), l.buf, l.off + 4, 2, stored);
      },
    },
    {
      name: 'gre.checksum.status',
      label: 'Checksum Status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v) => {
        if (!hasChecksumWord(l)) return;
        const status =
          l.aux === GRE_CSUM_GOOD ? CHECKSUM_GOOD : l.aux === GRE_CSUM_BAD ? CHECKSUM_BAD : CHECKSUM_UNVERIFIED;
        v.num(status, l.buf, l.off + 4, 2);
      },
    },
    {
      name: 'gre.offset',
      label: 'Offset',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        if (hasChecksumWord(l)) v.num(l.dv.getUint16(l.off + 6), l.buf, l.off + 6, 2);
      },
    },
    { name: 'gre.key', label: 'Key', type: 'uint', bits: 32, base: 'hex', read: optional('key', 0, -1) },
    { name: 'gre.key.payload_length', label: 'Payload Length', type: 'uint', bits: 16, read: optional('key', 1, 0) },
    { name: 'gre.key.call_id', label: 'Call ID', type: 'uint', bits: 16, read: optional('key', 1, 2) },
    { name: 'gre.sequence_number', label: 'Sequence Number', type: 'uint', bits: 32, read: optional('seq', -1, -1) },
    { name: 'gre.ack_number', label: 'Acknowledgment Number', type: 'uint', bits: 32, read: optional('ack', -1, -1) },
  ),
]);

export const gre = protocol({
  name: 'gre',
  abbrev: 'gre',
  title: 'Generic Routing Encapsulation',
  hf: GRE_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    const dv = l.dv;
    const flags = dv.getUint16(l.off);
    const version = flags & 7;
    l.aux = GRE_CSUM_NONE;
    l.hdrEnd = l.off + 4;
    if (version > 1) return ctx.warn(l, W.greUnknownVersion, version);
    if (version === 1 && !(flags & GRE_K)) return ctx.warn(l, W.pptpNoKey);
    if (flags & (version === 0 ? GRE_V0_RESERVED : GRE_V1_RESERVED)) ctx.warn(l, W.greReservedBits, flags);
    const fixed = fieldOffsets(flags).end;
    if (!ctx.need(l, fixed)) return;
    let p = l.off + fixed;
    if (flags & GRE_R) {
      // RFC 1701 source route entries: address family(2) offset(1) length(1) data, until a NULL SRE.
      for (;;) {
        if (p + 4 > l.end) {
          l.hdrEnd = Math.min(p, l.end);
          return ctx.warn(l, l.short ? W.truncated : W.greBadRouting, p + 4 - l.off, l.end - l.off);
        }
        const af = dv.getUint16(p);
        const len = dv.getUint8(p + 3);
        p += 4 + len;
        if (af === 0 && len === 0) break;
      }
      if (p > l.end) {
        l.hdrEnd = l.end;
        return ctx.warn(l, W.greBadRouting);
      }
    }
    l.hdrEnd = p;
    if (flags & GRE_C) {
      // Only a whole packet can be checked (a fragment is whole once reassembled).
      if (l.short) l.aux = GRE_CSUM_UNVERIFIED;
      else if (internetChecksum(dv, l.off, l.end) === 0) l.aux = GRE_CSUM_GOOD;
      else {
        l.aux = GRE_CSUM_BAD;
        const sum = dv.getUint16(l.off + 4);
        ctx.warn(l, W.greBadChecksum, sum, shouldBe(dv, l.off, l.end, sum));
      }
    }
    const protocolType = dv.getUint16(l.off + 2);
    // Protocol type 0 with nothing after it: a keepalive reply travelling back.
    if (p < l.end || protocolType !== 0) ctx.handoff(l, Table.GreProto, protocolType, p, l.end, flags);
  },
  json: jsonMembers(GRE_FIELDS, [
    { name: 'version', field: 'gre.flags.version' },
    { name: 'protocolType', field: 'gre.proto' },
    { name: 'flags', field: 'gre.flags_and_version' },
    { name: 'checksum', field: 'gre.checksum', only: (l) => (greFlags(l) & GRE_C) !== 0 },
    // A verdict, not a header field: left out when the checksum could not be checked.
    {
      name: 'checksumValid',
      value: (l) => (l.aux === GRE_CSUM_GOOD ? true : l.aux === GRE_CSUM_BAD ? false : undefined),
    },
    { name: 'routingOffset', field: 'gre.offset', only: (l) => (greFlags(l) & GRE_R) !== 0 },
    { name: 'payloadLength', field: 'gre.key.payload_length' },
    { name: 'callId', field: 'gre.key.call_id' },
    { name: 'key', field: 'gre.key' },
    // NVGRE (RFC 7637): the key of transparent Ethernet bridging is a virtual subnet ID and a flow ID.
    { name: 'vsid', field: 'gre.key', map: (k) => k >>> 8, only: isNvgre },
    { name: 'flowId', field: 'gre.key', map: (k) => k & 0xff, only: isNvgre },
    { name: 'seq', field: 'gre.sequence_number' },
    { name: 'ack', field: 'gre.ack_number' },
    { name: 'strictSourceRoute', field: 'gre.flags.strict_source_route', only: rfc1701Bits },
    { name: 'recursion', field: 'gre.flags.recursion_control', only: rfc1701Bits },
  ]),
  // Read in place: a line a packet must not build an object.
  summary(l, out) {
    const flags = greFlags(l);
    const version = flags & 7;
    const at = fieldOffsets(flags);
    out.str(version === 1 ? 'GREv1' : 'GRE');
    if (l.aux === GRE_CSUM_GOOD) out.str(' sum ok');
    else if (l.aux === GRE_CSUM_BAD) {
      const sum = l.dv.getUint16(l.off + 4);
      out
        .str(' bad sum ')
        .hex(sum, 4)
        .str(' (should be ')
        .hex(shouldBe(l.dv, l.off, l.end, sum), 4)
        .byte(0x29);
    } else if (l.aux === GRE_CSUM_UNVERIFIED && l.off + 6 <= l.end)
      out
        .str(' sum ')
        .hex(l.dv.getUint16(l.off + 4), 4)
        .str(' (not checked: packet cut short)');
    const key = word(l, at.key);
    if (key >= 0 && version === 1) out.str(' call ').num(key & 0xffff);
    else if (key >= 0 && version === 0) out.str(' key ').hex(key);
    const seq = word(l, at.seq);
    if (seq >= 0) out.str(' seq ').num(seq);
    const ack = word(l, at.ack);
    if (ack >= 0) out.str(' ack ').num(ack);
    const pt = greProtocolType(l);
    const payload = grePayload(l);
    if (pt === 0 && l.hdrEnd >= l.end) out.str(' keepalive');
    else if (payload?.namesItself && l.hdrEnd < l.end) return;
    else if (payload === undefined) out.str(' proto ').hex(pt, 4);
    else if (payload.numbered) out.str(' proto ').str(payload.name).byte(0x20).hex(pt, 4);
    else out.str(' proto ').str(payload.name);
  },
});

/**
 * The checksum the packet should carry: the sum with the field's own value taken out (one's complement: add its
 * complement).
 */
function shouldBe(dv: DataView, off: number, end: number, sum: number): number {
  return internetChecksum(dv, off, end, ~sum & 0xffff);
}

/** The checksum was there and wrong. */
export const greChecksumBad = (l: Layer): boolean => l.aux === GRE_CSUM_BAD;

/** What the dispatch table says of the protocol type: its name, and the tunnel it makes (handoff.ts). */
export const grePayload = (l: Layer): KeyInfo | undefined => keyInfo(Table.GreProto, greProtocolType(l));
