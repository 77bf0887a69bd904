import {
  CHECKSUM_BAD,
  CHECKSUM_GOOD,
  CHECKSUM_STATUS,
  CHECKSUM_UNVERIFIED,
  checksumVerdict,
  internetChecksum,
} from '../util/checksum.js';
import {
  declareFields,
  type Field,
  fields,
  hexThenText,
  protocolField,
  type FieldReader,
  Values,
  YES_NO,
} from './field.js';
import { jsonMembers } from './json.js';
import { GRE_PROTOCOL_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import { keyInfo, type KeyInfo, resolve } from './registry.js';

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
const GRE_RESERVED = 0x00f8;
/** The enhanced header's reserved flags: the acknowledgement bit takes the first of the five. */
const GRE_RESERVED_PPP = 0x0078;
/** What RFC 2637 says an enhanced header has clear: its reserved flags, and RFC 1701's bits it has no use for. */
const GRE_ENHANCED_CLEAR = 0x4f78;
const GRE_PPP = 0x880b;

/** aux of a GRE layer: the checksum verdict (its low bits), and whether its header was read whole. */
const GRE_CSUM = 3;
const GRE_CSUM_NONE = 0;
const GRE_CSUM_GOOD = 1;
const GRE_CSUM_BAD = 2;
/** Present but not checkable: the packet was cut or is a fragment. */
const GRE_CSUM_UNVERIFIED = 3;
/** The header was read whole: a payload no protocol reads is data, in GRE's tree. */
const GRE_READ = 4;

const greFlags = (l: Layer): number => l.dv.getUint16(l.off);
export const greVersion = (l: Layer): number => l.dv.getUint16(l.off) & 7;
export const greProtocolType = (l: Layer): number => l.dv.getUint16(l.off + 2);
const checksumVerdictOf = (l: Layer): number => l.aux & GRE_CSUM;

/**
 * PPTP's enhanced header (RFC 2637: payload length and call ID for a key, an acknowledgement number), where Wireshark
 * reads it (its is_ppp): PPP with a version other than 0. A version 1 header carrying anything else is read as
 * version 0's, a PPP one of version 2 to 7 as PPTP's. (CDMA2000's A10 types, which Wireshark reads so too, are not
 * read here.)
 */
const enhanced = (flags: number, protocolType: number): boolean => protocolType === GRE_PPP && (flags & 7) !== 0;
export const greEnhanced = (l: Layer): boolean => enhanced(greFlags(l), greProtocolType(l));

/**
 * Offsets of the optional fields (-1 where absent) and where the fixed part ends: one object, rewritten by each call
 * (read it at once).
 */
const offsets = { key: -1, seq: -1, ack: -1, end: 4 };

/** The offsets, from the flags and protocol type: for each field of every GRE packet, so nothing is allocated. */
function fieldOffsets(flags: number, protocolType: number): typeof offsets {
  let p = flags & (GRE_C | GRE_R) ? 8 : 4;
  offsets.key = flags & GRE_K ? p : -1;
  if (offsets.key >= 0) p += 4;
  offsets.seq = flags & GRE_S ? p : -1;
  if (offsets.seq >= 0) p += 4;
  offsets.ack = flags & GRE_A && enhanced(flags, protocolType) ? p : -1;
  if (offsets.ack >= 0) p += 4;
  offsets.end = p;
  return offsets;
}

const offsetsOf = (l: Layer): typeof offsets => fieldOffsets(greFlags(l), greProtocolType(l));

/** A 32-bit optional field at `rel` from the header, or -1 when absent or not captured. */
function word(l: Layer, rel: number): number {
  return rel >= 0 && l.off + rel + 4 <= l.end ? l.dv.getUint32(l.off + rel) : -1;
}

/** The GRE key (not an enhanced header's), or -1. */
export function greKey(l: Layer): number {
  return greEnhanced(l) ? -1 : word(l, offsetsOf(l).key);
}

/** PPTP call ID (an enhanced header's), or -1. */
export function greCallId(l: Layer): number {
  const w = greEnhanced(l) ? word(l, offsetsOf(l).key) : -1;
  return w < 0 ? -1 : w & 0xffff;
}

/** The sequence number, or -1. */
export function greSeq(l: Layer): number {
  return word(l, offsetsOf(l).seq);
}

/**
 * A 32-bit optional field (or one of its 16-bit halves) where the flags say it is; `header` true for an enhanced
 * header's only, false for another's only, null for either.
 */
function optional(which: 'key' | 'seq' | 'ack', header: boolean | null, half: -1 | 0 | 2): FieldReader {
  return (l, v) => {
    if (header !== null && greEnhanced(l) !== header) return;
    const rel = offsetsOf(l)[which];
    if (rel < 0) return;
    // A half is read where its own two bytes are held (the payload length of a key cut after it).
    const at = l.off + rel + Math.max(half, 0);
    if (half < 0) {
      if (at + 4 <= l.end) v.num(l.dv.getUint32(at), l.buf, at, 4);
    } else if (at + 2 <= l.end) v.num(l.dv.getUint16(at), l.buf, at, 2);
  };
}

/**
 * RFC 1701's source route entries (SREs), after the fixed part: address family (2 bytes), offset (1), length (1), the
 * routing information; a NULL SRE (family and length 0) ends the list. The first one's offset, or -1: no routing
 * field, or no byte of it held (Wireshark's item for an SRE needs one).
 */
function firstSre(l: Layer): number {
  if (!(greFlags(l) & GRE_R)) return -1;
  const at = l.off + offsetsOf(l).end;
  return at < l.end ? at : -1;
}

/** The SRE after the one at p, as firstSre: -1 after the NULL SRE, or where p's runs to or past the bytes' end. */
function nextSre(l: Layer, p: number): number {
  if (p + 4 > l.end) return -1;
  const len = l.buf[p + 3]!;
  if (len === 0 && l.dv.getUint16(p) === 0) return -1;
  return p + 4 + len < l.end ? p + 4 + len : -1;
}

/** The one SRE an SRE field reads (greTree's, SRE by SRE), or -1: each of them. */
let onlySre = -1;

/** A field of each SRE: `at` its offset there, `size` its bytes (0: the SRE itself, -1: its routing information). */
function sreField(at: number, size: number): FieldReader {
  return (l, v) => {
    if (onlySre >= 0) putSre(l, v, onlySre, at, size);
    else for (let p = firstSre(l); p >= 0; p = nextSre(l, p)) putSre(l, v, p, at, size);
  };
}

/** The occurrence of an SRE field in the SRE at p, where it is captured (as tshark adds an item it holds bytes for). */
function putSre(l: Layer, v: Values, p: number, at: number, size: number): void {
  if (size === 0) {
    // The SRE itself (gre.routing, a mark): its length where that is held, else the bytes left, as Wireshark's item.
    v.num(0, l.buf, p, p + 4 <= l.end ? Math.min(4 + l.buf[p + 3]!, l.end - p) : l.end - p);
    return;
  }
  if (size < 0) {
    if (p + 4 > l.end) return;
    const len = l.buf[p + 3]!;
    if ((len === 0 && l.dv.getUint16(p) === 0) || p + 4 + len > l.end) return;
    v.bytes(l.buf, p + 4, len);
    return;
  }
  if (p + at + size > l.end) return;
  v.num(size === 2 ? l.dv.getUint16(p + at) : l.buf[p + at]!, l.buf, p + at, size);
}

/** The checksum and the offset word after it sit at 4 when the C or R bit is set: whether `bytes` of them are held. */
const hasChecksumWord = (l: Layer, bytes: 2 | 4): boolean =>
  (greFlags(l) & (GRE_C | GRE_R)) !== 0 && l.off + 4 + bytes <= l.end;

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
        if (greEnhanced(l)) v.num(greFlags(l) & GRE_A ? 1 : 0, l.buf, l.off, 2);
      },
    },
    // An enhanced header takes the first of these bits for the acknowledgement flag: its reserved flags are the other
    // four (greTree draws those).
    {
      name: 'gre.flags.reserved',
      label: 'Flags (Reserved)',
      type: 'uint',
      bits: 16,
      mask: GRE_RESERVED,
      child: true,
      read: (l, v) => {
        v.num((greFlags(l) & (greEnhanced(l) ? GRE_RESERVED_PPP : GRE_RESERVED)) >> 3, l.buf, l.off, 2);
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
        if (!hasChecksumWord(l, 2)) return;
        const stored = l.dv.getUint16(l.off + 4);
        const verdict = checksumVerdictOf(l);
        const expected =
          verdict === GRE_CSUM_GOOD ? stored : verdict === GRE_CSUM_BAD ? shouldBe(l.dv, l.off, l.end, stored) : -1;
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
        if (!hasChecksumWord(l, 2)) return;
        const verdict = checksumVerdictOf(l);
        const status =
          verdict === GRE_CSUM_GOOD ? CHECKSUM_GOOD : verdict === GRE_CSUM_BAD ? CHECKSUM_BAD : CHECKSUM_UNVERIFIED;
        v.num(status, l.buf, l.off + 4, 2);
      },
    },
    {
      name: 'gre.offset',
      label: 'Offset',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        if (hasChecksumWord(l, 4)) v.num(l.dv.getUint16(l.off + 6), l.buf, l.off + 6, 2);
      },
    },
    { name: 'gre.key', label: 'Key', type: 'uint', bits: 32, base: 'hex', read: optional('key', false, -1) },
    { name: 'gre.key.payload_length', label: 'Payload Length', type: 'uint', bits: 16, read: optional('key', true, 0) },
    { name: 'gre.key.call_id', label: 'Call ID', type: 'uint', bits: 16, read: optional('key', true, 2) },
    { name: 'gre.sequence_number', label: 'Sequence Number', type: 'uint', bits: 32, read: optional('seq', null, -1) },
    { name: 'gre.ack_number', label: 'Acknowledgment Number', type: 'uint', bits: 32, read: optional('ack', null, -1) },
    // RFC 1701's SREs, each field once per SRE (greTree draws them SRE by SRE). `src_length` is Wireshark's name.
    { name: 'gre.routing', label: 'Routing', type: 'none', read: sreField(0, 0) },
    { name: 'gre.routing.address_family', label: 'Address Family', type: 'uint', bits: 16, read: sreField(0, 2) },
    { name: 'gre.routing.sre_offset', label: 'SRE Offset', type: 'uint', bits: 8, read: sreField(2, 1) },
    { name: 'gre.routing.src_length', label: 'SRE Length', type: 'uint', bits: 8, read: sreField(3, 1) },
    { name: 'gre.routing.information', label: 'Routing Information', type: 'bytes', read: sreField(4, -1) },
  ),
]);

/** The enhanced header's reserved flags as -V draws them (four bits): gre.flags.reserved's other declaration. */
const RESERVED_PPP_DRAWN = declareFields(() =>
  fields({
    name: 'gre.flags.reserved',
    label: 'Flags (Reserved)',
    type: 'uint',
    bits: 16,
    mask: GRE_RESERVED_PPP,
    at: 0,
    child: true,
  }),
);

const treeValues = new Values();

/** -V's tree as Wireshark's: the header's fields, the enhanced header's four reserved flags, then SRE by SRE. */
function greTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const all = GRE_FIELDS();
  const show = (f: Field) => {
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    visit(f, treeValues, 1);
  };
  let routing = 0;
  for (const f of all) {
    if (f.name === 'gre.routing') break;
    routing++;
    if (f.type === 'protocol') continue;
    if (f.name === 'gre.flags.reserved' && greEnhanced(l)) show(RESERVED_PPP_DRAWN()[0]!);
    else show(f);
  }
  for (let p = firstSre(l); p >= 0; p = nextSre(l, p)) {
    onlySre = p;
    for (let i = routing; i < all.length; i++) show(all[i]!);
    onlySre = -1;
  }
}

export const gre = protocol({
  name: 'gre',
  abbrev: 'gre',
  title: 'Generic Routing Encapsulation',
  hf: GRE_FIELDS,
  tree: greTree,
  // A payload no protocol reads is Wireshark's data, within GRE's tree (an unknown protocol type's, a keepalive's).
  // Asked only of a frame's last layer, by the writers of -V and frame.protocols: the packet's walk does not look up
  // its protocol type twice.
  payloadData: (l) => (l.aux & GRE_READ && resolve(Table.GreProto, greProtocolType(l)) === undefined ? 'within' : null),
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    const dv = l.dv;
    const flags = dv.getUint16(l.off);
    const protocolType = dv.getUint16(l.off + 2);
    const version = flags & 7;
    const isEnhanced = enhanced(flags, protocolType);
    l.aux = GRE_CSUM_NONE;
    l.hdrEnd = l.off + 4;
    // Read on as Wireshark does, and flagged: RFC 2784 has a receiver discard an unknown version, RFC 2637's enhanced
    // header carries PPP and has a key.
    if (version > 1) ctx.warn(l, W.greUnknownVersion, version);
    else if (version === 1 && !isEnhanced) ctx.warn(l, W.pptpNotPpp, protocolType);
    if (isEnhanced && !(flags & GRE_K)) ctx.warn(l, W.pptpNoKey);
    if (flags & (isEnhanced ? GRE_ENHANCED_CLEAR : GRE_RESERVED)) ctx.warn(l, W.greReservedBits, flags);
    // The checksum covers the whole packet, whatever follows in the header; only a whole packet can be checked (a
    // fragment is whole once reassembled).
    if (flags & GRE_C && l.off + 6 <= l.end) {
      if (l.short) l.aux = GRE_CSUM_UNVERIFIED;
      else if (internetChecksum(dv, l.off, l.end) === 0) l.aux = GRE_CSUM_GOOD;
      else {
        l.aux = GRE_CSUM_BAD;
        const sum = dv.getUint16(l.off + 4);
        ctx.warn(l, W.greBadChecksum, sum, shouldBe(dv, l.off, l.end, sum));
      }
    }
    const fixed = fieldOffsets(flags, protocolType).end;
    if (!ctx.need(l, fixed)) return;
    let p = l.off + fixed;
    if (flags & GRE_R) {
      // RFC 1701 source route entries, until a NULL SRE.
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
        return ctx.warn(l, l.short ? W.truncated : W.greBadRouting, p - l.off, l.end - l.off);
      }
    }
    l.hdrEnd = p;
    l.aux |= GRE_READ;
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
      value: (l) => {
        const verdict = checksumVerdictOf(l);
        return verdict === GRE_CSUM_GOOD ? true : verdict === GRE_CSUM_BAD ? false : undefined;
      },
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
    const isEnhanced = greEnhanced(l);
    const at = offsetsOf(l);
    const verdict = checksumVerdictOf(l);
    out.str('GRE');
    if (version !== 0) out.byte(0x76).num(version);
    if (verdict === GRE_CSUM_GOOD) out.str(' sum ok');
    else if (verdict === GRE_CSUM_BAD) {
      const sum = l.dv.getUint16(l.off + 4);
      out
        .str(' bad sum ')
        .hex(sum, 4)
        .str(' (should be ')
        .hex(shouldBe(l.dv, l.off, l.end, sum), 4)
        .byte(0x29);
    } else if (verdict === GRE_CSUM_UNVERIFIED)
      out
        .str(' sum ')
        .hex(l.dv.getUint16(l.off + 4), 4)
        .str(' (not checked: packet cut short)');
    const key = word(l, at.key);
    if (key >= 0 && isEnhanced) out.str(' call ').num(key & 0xffff);
    else if (key >= 0) out.str(' key ').hex(key);
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
export const greChecksumBad = (l: Layer): boolean => checksumVerdictOf(l) === GRE_CSUM_BAD;

/** What the dispatch table says of the protocol type: its name, and the tunnel it makes (handoff.ts). */
export const grePayload = (l: Layer): KeyInfo | undefined => keyInfo(Table.GreProto, greProtocolType(l));
