import { ipv4 as ipv4Text, ipv6 as ipv6Text } from './addr.js';
import {
  appendedTitle,
  checksumFields,
  declareFields,
  fields,
  hexThenText,
  protocolField,
  SET_NOT_SET,
  Values,
  visitText,
  type Field,
  type FieldSpec,
  type RecordReader,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers } from './json.js';
import { type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import { internetChecksum } from '../util/checksum.js';
import { u16 } from './layer-read.js';

/**
 * EIGRP (RFC 7868), the routing protocol of Cisco's DMVPN designs, as Wireshark's packet-eigrp.c reads it: the
 * 20-byte header (its checksum over the message checked), then TLVs, each a subtree: the Hello's parameters (K values,
 * hold time), software version, authentication, sequence (each address), next multicast sequence, stub options and
 * topology ID lists, and the routes: the legacy TLVs of IPv4 and IPv6 (next hop, external data, the legacy metric with
 * its flags), the multi-topology ones (topology, AFI, router ID, tag, legacy metric) and named mode's multi-protocol
 * ones (0x06xx: topology, AFI, router ID, the wide metric and its attributes, next hop by AFI, external data), then
 * each destination as a prefix length and as many bytes of address as it needs. Other TLVs show their type and length.
 */
const HEADER = 20;
const TLV_PARAMETERS = 0x0001;
const TLV_AUTH = 0x0002;
const TLV_SEQUENCE = 0x0003;
const TLV_SW_VERSION = 0x0004;
const TLV_NEXT_MCAST_SEQ = 0x0005;
const TLV_STUB = 0x0006;
const TLV_TIDLIST = 0x0008;
/** The MTR TID list, which Wireshark reads as the peer's (`it's a rose by the wrong name`). */
const TLV_MTR_TIDLIST = 0x00f5;
/** The route TLVs' families (Wireshark's EIGRP_TLV_RANGEMASK, 0xfff0, picks them) and kind (the low nibble). */
const RANGE_IPV4 = 0x0100;
const RANGE_IPV6 = 0x0400;
const RANGE_MP = 0x0600;
const RANGE_MTR = 0x00f0;
const KIND_EXTERNAL = 3;
/** K1 to K5 all 255 in a Parameters TLV: the router is going down (RFC 7868 5.3.2). */
const PEER_TERMINATION = 255;
/** A wide metric's delay or bandwidth of all ones: unreachable. */
const INFINITY = 0xffffffffffff;

/** Wireshark's eigrp_opc2string. */
const OPCODE_VALS: Readonly<Record<number, string>> = {
  1: 'Update',
  2: 'Request',
  3: 'Query',
  4: 'Reply',
  5: 'Hello',
  6: 'IPX/SAP Update',
  7: 'Route Probe',
  8: 'Hello (Ack)',
  9: 'Stub-Info',
  10: 'SIA-Query',
  11: 'SIA-Reply',
};
const eigrpLabel = (l: Layer): string => `EIGRP ${OPCODE_VALS[l.buf[l.off + 1]!] ?? `opcode ${l.buf[l.off + 1]}`}`;

/** Wireshark's eigrp_tlv2string. */
const TLV_TYPES: Readonly<Record<number, string>> = {
  0x0001: 'Parameters',
  0x0002: 'Authentication',
  0x0003: 'Sequence',
  0x0004: 'Software Version',
  0x0005: 'Next multicast sequence',
  0x0006: 'Peer Stub Information',
  0x0007: 'Peer Termination',
  0x0008: 'Peer Topology ID List',
  0x0102: 'Internal Route(IPv4)',
  0x0103: 'External Route(IPv4)',
  0x0104: 'Ext-Community(IPv4)',
  0x0402: 'Internal Route(IPv6)',
  0x0403: 'External Route(IPv6)',
  0x0404: 'Ext-Community(IPv6)',
  0x0302: 'IPX Internal Route(IPX)',
  0x0303: 'IPX External Route(IPX)',
  0x0202: 'Internal Route(ATALK)',
  0x0203: 'External Route(ATALK)',
  0x0204: 'Cable Configuration(ATALK)',
  0x00f1: 'Request(MTR)',
  0x00f2: 'Internal Route(MTR)',
  0x00f3: 'External Route(MTR)',
  0x00f4: 'Ext-Community(MTR)',
  0x00f5: 'TopologyID List',
  0x0601: 'Request',
  0x0602: 'Internal Route',
  0x0603: 'External Route',
  0x0604: 'Ext-Community',
};
const AUTH_MD5 = 2;
const AUTH_SHA256 = 3;
const AUTH_TYPES: Readonly<Record<number, string>> = { 1: 'TEXT', 2: 'MD5', 3: 'SHA256' };
const EXTERNAL_PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'IGRP',
  2: 'EIGRP',
  3: 'Static Route',
  4: 'RIP',
  5: 'Hello',
  6: 'OSPF',
  7: 'IS-IS',
  8: 'EGP',
  9: 'BGP',
  10: 'IDRP',
  11: 'Connected Route',
};
/** Wireshark's eigrp_afi2string: the address families of the multi-protocol and multi-topology route TLVs. */
const AFI_IPV4 = 1;
const AFI_IPV6 = 2;
const AFI_IPX = 11;
const SF_COMMON = 16384;
const SF_IPV4 = 16385;
const SF_IPV6 = 16386;
const AFI_NAMES: Readonly<Record<number, string>> = {
  1: 'IPv4',
  2: 'IPv6',
  11: 'IPX',
  12: 'Appletalk',
  16384: 'Service Family',
  16385: 'IPv4 Service Family',
  16386: 'IPv6 Service Family',
};
/** Wireshark's eigrp_attr_opcode2string: a wide metric's attributes. */
const ATTR_OPCODES: Readonly<Record<number, string>> = {
  0: 'NO-OP for padding',
  1: 'Scaled Metric',
  2: 'Admin Tag',
  3: 'Community',
  4: 'Jitter',
  5: 'Non-Active energy',
  6: 'Active energy',
};
const ATTR_COMMUNITY = 3;
/** The virtual router ID's kind, by its bits 0x8001 as Wireshark reads them. */
const VRID_NAMES: Readonly<Record<number, string>> = { 0: 'Address-Family', 1: 'Multi-Cast', 0x8000: 'Service-Family' };
/** The header's flags: bit, field name (`eigrp.flags.*`), label. */
const HEADER_FLAGS: readonly [number, string, string][] = [
  [0x1, 'init', 'Init'],
  [0x2, 'condrecv', 'Conditional Receive'],
  [0x4, 'restart', 'Restart'],
  [0x8, 'eot', 'End Of Table'],
];
const FLAG_NAMES = HEADER_FLAGS.map(([bit, , label]): [number, string] => [bit, label]);
/** The stub options: bit, field name (`eigrp.stub_options.*`), label. */
const STUB_FLAGS: readonly [number, string, string][] = [
  [0x01, 'connected', 'Connected'],
  [0x02, 'static', 'Static'],
  [0x04, 'summary', 'Summary'],
  [0x08, 'redist', 'Redistributed'],
  [0x10, 'leakmap', 'Leak-Map'],
  [0x20, 'recvonly', 'Receive-Only'],
];
const STUB_NAMES = STUB_FLAGS.map(([bit, , label]): [number, string] => [bit, label]);
/** `, Init, End Of Table`: the names of the bits set, as Wireshark's bitmask items append them. */
const setNames = (names: readonly [number, string][], n: number): string =>
  names.map(([bit, name]) => (n & bit ? `, ${name}` : '')).join('');

/** The TLV's type as Wireshark dissects it (the MTR TID list as the peer's). */
const tlvType = (l: Layer, p: number): number => (u16(l, p) === TLV_MTR_TIDLIST ? TLV_TIDLIST : u16(l, p));
/** Whether the TLV at p (len bytes) and the capture hold `size` bytes at `at` of it. */
const holds = (l: Layer, p: number, len: number, at: number, size: number): boolean =>
  at >= 0 && at + size <= len && p + at + size <= l.end;

/** The bytes a general TLV's type reads (4: a type and length alone); route TLVs are laid out by routeAt. */
const FIXED_PARTS: Readonly<Record<number, number>> = {
  [TLV_PARAMETERS]: 12,
  [TLV_AUTH]: 24,
  [TLV_SW_VERSION]: 8,
  [TLV_NEXT_MCAST_SEQ]: 8,
  [TLV_STUB]: 6,
  [TLV_TIDLIST]: 8,
};

/**
 * A route TLV's parts, as offsets from its start (-1 where it has none), in the order Wireshark reads them: each part
 * follows the one before it, so a part the TLV holds whole comes after parts it holds whole.
 */
interface Route {
  /** The address size of its next hop and destinations: 4, 16, or 0 (another AFI: neither read). */
  family: 0 | 4 | 16;
  tid: number;
  afi: number;
  rid: number;
  /** The multi-topology TLV's route tag. */
  tag: number;
  /** The legacy metric (16 bytes) or the wide metric (24 bytes), and the wide metric's attributes. */
  metric: number;
  wide: number;
  attrs: number;
  attrLen: number;
  nexthop: number;
  /** The next hop's size (IPX's: 10, its fields not read here). */
  nhSize: number;
  ext: number;
  /** Where the destinations start; an AFI whose destinations are not read (`Unknown AFI`) marks them from there. */
  dest: number;
  unknownAfi: boolean;
  /** A service family's: its services follow (not read here: the subtree's title alone). */
  services: boolean;
  /** Where Wireshark's reading of the TLV stops with an exception (attributes it cannot read), else -1. */
  broken: number;
}

/** The next hop's size in a multi-protocol or multi-topology TLV, by its AFI (an IPX one: network and host). */
function nexthopSize(afi: number): number {
  if (afi === AFI_IPV4 || afi === SF_IPV4) return 4;
  if (afi === AFI_IPV6 || afi === SF_IPV6) return 16;
  return afi === AFI_IPX ? 10 : 0;
}

/**
 * Calls `each(q, opcode)` for each attribute of a wide metric's (at q, its opcode, then its offset in words), while
 * Wireshark reads them; gives where its reading stops with an exception (an attribute past them, or a community,
 * whose reading Wireshark 4.0 starts past its bytes), or -1.
 */
function forAttributes(l: Layer, at: number, size: number, each: (q: number, opcode: number) => void): number {
  for (let k = 0; k < size && at + k < l.end; ) {
    const q = at + k;
    if (k + 2 > size || q + 2 > l.end) {
      each(q, -1);
      return q;
    }
    const opcode = l.buf[q]!;
    each(q, opcode);
    if (opcode === ATTR_COMMUNITY || (ATTR_VALUE_FIELDS[opcode] && k + 6 > size)) return q;
    k += 2 + l.buf[q + 1]! * 2;
  }
  return -1;
}

/** The parts of the route TLV at p (len bytes), or null for a TLV of another kind. */
function routeAt(l: Layer, p: number, len: number): Route | null {
  const type = tlvType(l, p);
  const range = type & 0xfff0;
  const external = (type & 0x000f) === KIND_EXTERNAL;
  const r: Route = {
    family: 0,
    tid: -1,
    afi: -1,
    rid: -1,
    tag: -1,
    metric: -1,
    wide: -1,
    attrs: -1,
    attrLen: 0,
    nexthop: -1,
    nhSize: 0,
    ext: -1,
    dest: 0,
    unknownAfi: false,
    services: false,
    broken: -1,
  };
  let afi = -1;
  let q: number;
  if (range === RANGE_IPV4 || range === RANGE_IPV6) {
    r.family = range === RANGE_IPV4 ? 4 : 16;
    r.nexthop = 4;
    r.nhSize = r.family;
    q = 4 + r.family;
    if (external) r.ext = q;
    r.metric = external ? q + 20 : q;
    r.dest = r.metric + 16;
    return r;
  }
  if (range === RANGE_MP) {
    [r.tid, r.afi, r.rid, r.wide] = [4, 6, 8, 12];
    q = 36;
    // The attributes' size, in 2-byte words: a signed byte, as Wireshark reads it (over 127, none).
    const words = holds(l, p, len, 12, 1) ? (l.buf[p + 12]! << 24) >> 24 : 0;
    if (words > 0) {
      r.attrs = q;
      r.attrLen = words * 2;
      q += r.attrLen;
      if (holds(l, p, len, r.attrs, r.attrLen)) r.broken = forAttributes(l, p + r.attrs, r.attrLen, () => {});
    }
  } else if (range === RANGE_MTR && type !== TLV_TIDLIST) {
    [r.tid, r.afi, r.rid, r.tag, r.metric] = [6, 8, 10, 14, 18];
    q = 34;
  } else return null;
  if (holds(l, p, len, r.afi, 2)) afi = u16(l, p + r.afi);
  r.nhSize = nexthopSize(afi);
  if (r.nhSize > 0) r.nexthop = q;
  q += r.nhSize;
  // IPX's external data and destinations are IPX's own (not read here): the TLV's reading stops at its next hop.
  if (afi === AFI_IPX) {
    r.dest = -1;
    return r;
  }
  if (external) {
    r.ext = q;
    q += 20;
  }
  r.dest = q;
  r.family = afi === AFI_IPV4 ? 4 : afi === AFI_IPV6 ? 16 : 0;
  r.services = afi === SF_COMMON || afi === SF_IPV4 || afi === SF_IPV6;
  r.unknownAfi = r.family === 0 && !r.services;
  return r;
}

/** The size of each part of a route TLV that Wireshark reads as a subtree of its own (whole, or not at all). */
const PART_SIZES = { metric: 16, wide: 24, ext: 20 } as const;
/** Where a route's part is in the TLV at p, if Wireshark shows it: the TLV holds it, and what comes before it. */
function partAt(l: Layer, p: number, len: number, r: Route, part: 'metric' | 'wide' | 'ext'): number {
  const at = r[part];
  if (at < 0 || !holds(l, p, len, at, PART_SIZES[part])) return -1;
  return r.broken >= 0 && p + at > r.broken ? -1 : p + at;
}

/**
 * Calls `each(q, n)` for every destination in the route TLV at p: its prefix length at q and the n bytes of address
 * that follow (as many as the prefix needs). A prefix longer than the address shows its length alone (n = -1) and
 * ends the walk, as in Wireshark; gives where Wireshark's reading stops with an exception (a destination past the
 * TLV), or -1. Destinations follow each other as RFC 7868 puts them (Wireshark 4.0 steps one byte too far after
 * each: the README's difference); one byte more after an IPv6 prefix shorter than 128 on a byte boundary, as
 * Wireshark 4.0 steps (a quirk of its dissector: followed, to read the same routes).
 */
function forDestinations(l: Layer, p: number, len: number, each: (q: number, n: number) => void): number {
  const r = routeAt(l, p, len);
  if (!r || r.family === 0 || r.broken >= 0) return -1;
  const size = r.family;
  const end = Math.min(p + len, l.end);
  if (r.dest > len) return p + len;
  for (let q = p + r.dest; q < end; ) {
    const bits = l.buf[q]!;
    if (bits > size * 8) {
      each(q, -1);
      return -1;
    }
    const n = Math.ceil(bits / 8);
    if (q + 1 + n > end) return q;
    each(q, n);
    q += 1 + n + (size === 16 && bits < 128 && bits % 8 === 0 ? 1 : 0);
  }
  return -1;
}

/**
 * Calls `each(q, n)` for each address of the Sequence TLV at p: its length at q, then n bytes of address; one its TLV
 * cuts ends the walk (Wireshark's `Truncated prematurely`, no exception).
 */
function forSequence(l: Layer, p: number, len: number, each: (q: number, n: number) => void): void {
  const end = Math.min(p + len, l.end);
  for (let q = p + 4; q < end; ) {
    const n = l.buf[q]!;
    each(q, q + 1 + n > end ? -1 : n);
    q += 1 + n;
  }
}

/** The TIDs the TID list at p says it holds (its size in bytes, halved), or -1 where the TLV lacks the size. */
const tidCount = (l: Layer, p: number, len: number): number => (holds(l, p, len, 6, 2) ? u16(l, p + 6) >> 1 : -1);
/** Whether the TID list at p holds the TIDs it says (Wireshark's subtree of them; past the TLV it throws). */
const tidsHeld = (l: Layer, p: number, len: number): boolean =>
  tidCount(l, p, len) >= 0 && holds(l, p, len, 8, 2 * tidCount(l, p, len));

/**
 * Whether Wireshark's reading of the TLV at p (len bytes, all captured) stops with an exception, which ends its walk:
 * shorter than its type's fixed part, a route TLV shorter than its parts, its attributes or a destination cut.
 */
function tlvBroken(l: Layer, p: number, len: number): boolean {
  const type = tlvType(l, p);
  if (len < (FIXED_PARTS[type] ?? 4)) return true;
  if (type === TLV_TIDLIST) return !tidsHeld(l, p, len);
  const r = routeAt(l, p, len);
  if (!r) return false;
  if (r.broken >= 0) return true;
  if (r.dest < 0) return r.nexthop >= 0 && r.nexthop + 10 > len;
  // The `Unknown AFI` mark covers the rest of the TLV: with nothing left, Wireshark's adding it throws.
  return r.dest > len || (r.unknownAfi && r.dest === len) || forDestinations(l, p, len, () => {}) >= 0;
}

/** A destination's address: its bytes masked to the prefix length, zero-filled after them. */
function destinationAddress(l: Layer, q: number, n: number, size: 4 | 16): Uint8Array {
  const a = new Uint8Array(size);
  a.set(l.buf.subarray(q + 1, q + 1 + n));
  const bits = l.buf[q]!;
  if (bits % 8 !== 0) a[n - 1]! &= 0xff << (8 - (bits % 8));
  return a;
}

/** The TLV's title: its type's name, and what Wireshark appends (`: EIGRP=12.4, TLV=1.2`, `  =   10.0.0.0/8`). */
function tlvTitle(l: Layer, p: number, len: number): string {
  // The walk keeps only TLVs the capture holds whole (TLVS' size): len bytes are there.
  const type = tlvType(l, p);
  const name = TLV_TYPES[type] ?? `Unknown TLV (0x${type.toString(16).padStart(4, '0')})`;
  if (type === TLV_PARAMETERS && len >= 12 && [4, 5, 6, 7, 8].every((k) => l.buf[p + k] === PEER_TERMINATION))
    return `${name}: Peer Termination`;
  if (type === TLV_AUTH && len >= 6) return `Authentication ${AUTH_TYPES[u16(l, p + 4)] ?? ''}`;
  // Each part as Wireshark appends it, where the TLV holds it.
  if (type === TLV_SW_VERSION && len >= 6)
    return `${name}: EIGRP=${l.buf[p + 4]}.${l.buf[p + 5]}${len >= 8 ? `, TLV=${l.buf[p + 6]}.${l.buf[p + 7]}` : ''}`;
  if (type === TLV_NEXT_MCAST_SEQ && len >= 8) return `${name}: ${l.dv.getUint32(p + 4)}`;
  let title = name;
  let first = true;
  const size = routeAt(l, p, len)?.family === 16 ? 16 : 4;
  forDestinations(l, p, len, (q, n) => {
    if (n < 0) return;
    const a = destinationAddress(l, q, n, size);
    const text = size === 4 ? ipv4Text(a, 0) : ipv6Text(a, 0);
    title += `  ${first ? '=' : ','}   ${text}/${l.buf[q]}`;
    first = false;
  });
  return appendedTitle(title);
}

/** A big-endian number of `size` bytes at q (a 3-byte one read with the byte before it, inside the TLV). */
const numberAt = (l: Layer, q: number, size: 1 | 2 | 3 | 4 | 6): number =>
  size === 1
    ? l.buf[q]!
    : size === 2
      ? u16(l, q)
      : size === 4
        ? l.dv.getUint32(q)
        : size === 6
          ? u16(l, q) * 2 ** 32 + l.dv.getUint32(q + 2)
          : l.dv.getUint32(q - 1) & 0xffffff;

/** A number of `size` bytes at `at` in a TLV of one of `types`, where the TLV and the message hold it. */
function inTlv(types: readonly number[], at: number, size: 1 | 2 | 3 | 4): RecordReader {
  return (l, v, _ctx, p, len) => {
    if (!types.includes(tlvType(l, p)) || !holds(l, p, len, at, size)) return;
    const q = p + at;
    v.num(numberAt(l, q, size), l.buf, q, size);
  };
}

/** A number at `at` in a route TLV's legacy metric (`metric`), wide metric (`wide`) or external data (`ext`). */
function inRoute(part: 'metric' | 'wide' | 'ext', at: number, size: 1 | 2 | 3 | 4 | 6): RecordReader {
  return (l, v, _ctx, p, len) => {
    const r = routeAt(l, p, len);
    const q = r ? partAt(l, p, len, r, part) + at : -1;
    if (q >= p) v.num(numberAt(l, q, size), l.buf, q, size);
  };
}

/** A route TLV's number at a place of its own (`tid`, `afi`, `rid`, `tag`), where the TLV holds it. */
function routeNumber(part: 'tid' | 'afi' | 'rid' | 'tag', size: 2 | 4): RecordReader {
  return (l, v, _ctx, p, len) => {
    const at = routeAt(l, p, len)?.[part] ?? -1;
    if (holds(l, p, len, at, size)) v.num(numberAt(l, p + at, size), l.buf, p + at, size);
  };
}

/** A flag of the byte or word `word` reads: 1 or 0. */
const flagOf =
  (word: RecordReader, mask: number): RecordReader =>
  (l, v, ctx, p, len) => {
    const n = v.n;
    word(l, v, ctx, p, len);
    if (v.n > n) v.nums[n] = (v.nums[n]! & mask) !== 0 ? 1 : 0;
  };

const extFlag = (name: string, label: string, mask: number): FieldSpec => ({
  name,
  label,
  type: 'bool',
  mask,
  record: flagOf(inRoute('ext', 19, 1), mask),
});

/** The route flags' byte: the legacy metric's last, or the first of the wide metric's flags word. */
const legacyFlags = inRoute('metric', 15, 1);
const wideFlags = inRoute('wide', 22, 1);
const routeFlagsByte: RecordReader = (l, v, ctx, p, len) => {
  legacyFlags(l, v, ctx, p, len);
  wideFlags(l, v, ctx, p, len);
};
const routeFlag = (name: string, label: string, mask: number): FieldSpec => ({
  name,
  label,
  type: 'bool',
  mask,
  record: flagOf(routeFlagsByte, mask),
});

/** A wide metric's delay or bandwidth: `Infinity` for all ones (unreachable). */
const wideNumber = (n: number): string => (n === INFINITY ? 'Infinity' : String(n));

/**
 * The 4-byte value of each attribute of `opcode` in a wide metric's attributes (or, opcode -1, each one's opcode; -2,
 * each one's offset).
 */
function attributeField(opcode: number): RecordReader {
  return (l, v, _ctx, p, len) => {
    const r = routeAt(l, p, len);
    if (!r || r.attrs < 0 || partAt(l, p, len, r, 'wide') < 0 || !holds(l, p, len, r.attrs, r.attrLen)) return;
    forAttributes(l, p + r.attrs, r.attrLen, (q, op) => putAttribute(l, v, q, op, opcode, p + r.attrs + r.attrLen));
  };
}

/** Into v: the opcode (want -1), offset (-2) or value (want: the opcode) of the attribute at q, where it has one. */
function putAttribute(l: Layer, v: Values, q: number, op: number, want: number, end: number): void {
  if (want === -1) v.num(l.buf[q]!, l.buf, q, 1);
  else if (want === -2) {
    if (q + 2 <= end) v.num(l.buf[q + 1]!, l.buf, q + 1, 1);
  } else if (op === want && q + 6 <= end) v.num(l.dv.getUint32(q + 2), l.buf, q + 2, 4);
}

/** An attribute's value field, by its opcode. */
const ATTR_VALUE_FIELDS: Readonly<Record<number, [string, string]>> = {
  1: ['eigrp.attr.scaled', 'Legacy Metric'],
  2: ['eigrp.attr.tag', 'Tag'],
  4: ['eigrp.attr.jitter', 'Jitter'],
  5: ['eigrp.attr.qenergy', 'Q-Energy'],
  6: ['eigrp.attr.energy', 'Energy'],
};

const stubWord = inTlv([TLV_STUB], 4, 2);
const stubFlag = (name: string, label: string, mask: number): FieldSpec => ({
  name: `eigrp.stub_options.${name}`,
  label,
  type: 'bool',
  tfs: SET_NOT_SET,
  bits: 16,
  mask,
  child: true,
  record: flagOf(stubWord, mask),
});

/**
 * A destination's prefix length, or (`address`) its address zero-filled past its bytes, into v: in a buffer of its own,
 * as an address is shown from its bytes; none for a length longer than the address (n < 0).
 */
function putDestination(l: Layer, v: Values, q: number, n: number, size: 4 | 16, address: boolean): void {
  if (!address) return v.num(l.buf[q]!, l.buf, q, 1);
  if (n < 0) return;
  const a = destinationAddress(l, q, n, size);
  if (size === 4) v.num(new DataView(a.buffer).getUint32(0), a, 0, 4);
  else v.bytes(a, 0, 16);
}

/** Every destination's prefix length or address in a route TLV of the family of `size`-byte addresses. */
const destinationField = (
  name: string,
  label: string,
  type: 'uint' | 'ipv4' | 'ipv6',
  size: 4 | 16,
  address: boolean,
): FieldSpec => ({
  name,
  label,
  type,
  record: (l, v, _ctx, p, len) => {
    if (routeAt(l, p, len)?.family === size)
      forDestinations(l, p, len, (q, n) => putDestination(l, v, q, n, size, address));
  },
});

/** A route's next hop of `size` bytes, where the TLV holds it and Wireshark reads it. */
const nexthopField = (name: string, type: 'ipv4' | 'ipv6', size: 4 | 16): FieldSpec => ({
  name,
  label: 'NextHop',
  type,
  record: (l, v, _ctx, p, len) => {
    const r = routeAt(l, p, len);
    if (!r || r.nhSize !== size || r.broken >= 0 || !holds(l, p, len, r.nexthop, size)) return;
    const q = p + r.nexthop;
    if (size === 4) v.num(l.dv.getUint32(q), l.buf, q, 4);
    else v.bytes(l.buf, q, 16);
  },
});

/** Each address of a Sequence TLV whose length is `size`. */
const sequenceAddress = (name: string, label: string, type: 'ipv4' | 'ipv6', size: 4 | 16): FieldSpec => ({
  name,
  label,
  type,
  record: (l, v, _ctx, p, len) => {
    if (tlvType(l, p) !== TLV_SEQUENCE) return;
    forSequence(l, p, len, (q, n) => {
      if (n !== size) return;
      if (size === 4) v.num(l.dv.getUint32(q + 1), l.buf, q + 1, 4);
      else v.bytes(l.buf, q + 1, 16);
    });
  },
});

/** A version word as Wireshark shows it: `12.04`. */
const versionText = (n: number): string => `${n >> 8}.${String(n & 0xff).padStart(2, '0')}`;

const TLVS = list({
  name: 'eigrp.tlv',
  title: tlvTitle,
  in: [{ start: (l) => l.off + HEADER, end: (l) => l.end }],
  // A TLV past the message or cut by the capture ends the walk unshown; one whose reading Wireshark stops with an
  // exception (malformed) shows what it holds and ends it.
  size: (l, p) => (u16(l, p + 2) >= 4 ? u16(l, p + 2) : 0),
  header: 4,
  last: tlvBroken,
  fields: [
    {
      name: 'eigrp.tlv_type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: TLV_TYPES,
      at: 0,
    },
    { name: 'eigrp.tlv.len', label: 'Length', type: 'uint', bits: 16, at: 2 },
    {
      name: 'eigrp.auth.type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      values: AUTH_TYPES,
      record: inTlv([TLV_AUTH], 4, 2),
    },
    { name: 'eigrp.auth.length', label: 'Length', type: 'uint', bits: 16, record: inTlv([TLV_AUTH], 6, 2) },
    { name: 'eigrp.auth.keyid', label: 'Key ID', type: 'uint', bits: 32, record: inTlv([TLV_AUTH], 8, 4) },
    { name: 'eigrp.auth.keyseq', label: 'Key Sequence', type: 'uint', bits: 32, record: inTlv([TLV_AUTH], 12, 4) },
    {
      name: 'eigrp.nullpad',
      label: 'Nullpad',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (tlvType(l, p) === TLV_AUTH && len >= 24 && p + 24 <= l.end) v.bytes(l.buf, p + 16, 8);
      },
    },
    {
      name: 'eigrp.auth.digest',
      label: 'Digest',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        // Wireshark shows the digest of MD5 (16 bytes) and SHA-256 (32) alone.
        const n = tlvType(l, p) === TLV_AUTH ? digestLength(l, p) : 0;
        if (n > 0 && 24 + n <= len) v.bytes(l.buf, p + 24, n);
      },
    },
    ...[1, 2, 3, 4, 5, 6].map(
      (k): FieldSpec => ({
        name: `eigrp.par.k${k}`,
        label: `K${k}`,
        type: 'uint',
        record: inTlv([TLV_PARAMETERS], 3 + k, 1),
      }),
    ),
    { name: 'eigrp.par.holdtime', label: 'Hold Time', type: 'uint', bits: 16, record: inTlv([TLV_PARAMETERS], 10, 2) },
    {
      name: 'eigrp.release_version',
      label: 'EIGRP Release',
      type: 'uint',
      bits: 16,
      base: 'custom',
      display: versionText,
      record: inTlv([TLV_SW_VERSION], 4, 2),
    },
    {
      name: 'eigrp.tlv_version',
      label: 'EIGRP TLV version',
      type: 'uint',
      bits: 16,
      base: 'custom',
      display: versionText,
      record: inTlv([TLV_SW_VERSION], 6, 2),
    },
    {
      name: 'eigrp.seq.addrlen',
      label: 'Address length',
      type: 'uint',
      record: (l, v, _ctx, p, len) => {
        if (tlvType(l, p) === TLV_SEQUENCE) forSequence(l, p, len, (q) => v.num(l.buf[q]!, l.buf, q, 1));
      },
    },
    sequenceAddress('eigrp.seq.ipv4addr', 'IP Address', 'ipv4', 4),
    sequenceAddress('eigrp.seq.ipv6addr', 'IPv6 Address', 'ipv6', 16),
    {
      name: 'eigrp.next_mcast_seq',
      label: 'Multicast Sequence',
      type: 'uint',
      bits: 32,
      record: inTlv([TLV_NEXT_MCAST_SEQ], 4, 4),
    },
    {
      name: 'eigrp.stub_options',
      label: 'Stub Options',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      record: (l, v, ctx, p, len) => {
        const n = v.n;
        stubWord(l, v, ctx, p, len);
        if (v.n > n) v.strs[n] = setNames(STUB_NAMES, v.nums[n]!);
      },
    },
    ...STUB_FLAGS.map(([mask, name, label]) => stubFlag(name, label, mask)),
    {
      name: 'eigrp.tidlist.flags',
      label: 'TID List Flags',
      type: 'uint',
      bits: 16,
      base: 'hex',
      record: inTlv([TLV_TIDLIST], 4, 2),
    },
    { name: 'eigrp.tidlist.len', label: 'TID List Size', type: 'uint', bits: 16, record: inTlv([TLV_TIDLIST], 6, 2) },
    {
      name: 'eigrp.tidlist',
      label: 'TID List',
      type: 'uint',
      bits: 16,
      record: (l, v, _ctx, p, len) => {
        // The TIDs are a subtree of the size the list says: one past the TLV shows none.
        if (tlvType(l, p) !== TLV_TIDLIST || !tidsHeld(l, p, len)) return;
        for (let k = 0, q = p + 8; k < tidCount(l, p, len); k++, q += 2) v.num(u16(l, q), l.buf, q, 2);
      },
    },
    { name: 'eigrp.tid', label: 'Topology', type: 'uint', bits: 16, record: routeNumber('tid', 2) },
    {
      name: 'eigrp.afi',
      label: 'AFI',
      type: 'uint',
      bits: 16,
      values: AFI_NAMES,
      record: routeNumber('afi', 2),
    },
    { name: 'eigrp.routerid', label: 'RouterID', type: 'ipv4', record: routeNumber('rid', 4) },
    { name: 'eigrp.old_metric.tag', label: 'Tag', type: 'uint', bits: 32, record: routeNumber('tag', 4) },
    { name: 'eigrp.metric.offset', label: 'Offset', type: 'uint', record: inRoute('wide', 0, 1) },
    { name: 'eigrp.metric.priority', label: 'Priority', type: 'uint', record: inRoute('wide', 1, 1) },
    { name: 'eigrp.metric.reliability', label: 'Reliability', type: 'uint', record: inRoute('wide', 2, 1) },
    { name: 'eigrp.metric.load', label: 'Load', type: 'uint', record: inRoute('wide', 3, 1) },
    { name: 'eigrp.metric.mtu', label: 'MTU', type: 'uint', bits: 24, record: inRoute('wide', 4, 3) },
    { name: 'eigrp.metric.hopcount', label: 'Hop Count', type: 'uint', record: inRoute('wide', 7, 1) },
    {
      name: 'eigrp.metric.delay',
      label: 'Delay',
      type: 'uint',
      bits: 64,
      display: wideNumber,
      record: inRoute('wide', 8, 6),
    },
    {
      name: 'eigrp.metric.bandwidth',
      label: 'Bandwidth',
      type: 'uint',
      bits: 64,
      display: wideNumber,
      record: inRoute('wide', 14, 6),
    },
    {
      name: 'eigrp.metric.reserved',
      label: 'Reserved',
      type: 'uint',
      bits: 16,
      base: 'hex',
      record: inRoute('wide', 20, 2),
    },
    {
      name: 'eigrp.attr.opcode',
      label: 'Opcode',
      type: 'uint',
      values: ATTR_OPCODES,
      record: attributeField(-1),
    },
    { name: 'eigrp.attr.offset', label: 'Offset', type: 'uint', record: attributeField(-2) },
    ...Object.entries(ATTR_VALUE_FIELDS).map(
      ([op, [name, label]]): FieldSpec => ({ name, label, type: 'uint', bits: 32, record: attributeField(+op) }),
    ),
    nexthopField('eigrp.ipv4.nexthop', 'ipv4', 4),
    nexthopField('eigrp.ipv6.nexthop', 'ipv6', 16),
    { name: 'eigrp.extdata.origrid', label: 'Originating RouterID', type: 'ipv4', record: inRoute('ext', 0, 4) },
    { name: 'eigrp.extdata.as', label: 'Originating A.S.', type: 'uint', bits: 32, record: inRoute('ext', 4, 4) },
    { name: 'eigrp.extdata.tag', label: 'Administrative Tag', type: 'uint', bits: 32, record: inRoute('ext', 8, 4) },
    { name: 'eigrp.extdata.metric', label: 'External Metric', type: 'uint', bits: 32, record: inRoute('ext', 12, 4) },
    { name: 'eigrp.extdata.reserved', label: 'Reserved', type: 'uint', bits: 16, record: inRoute('ext', 16, 2) },
    {
      name: 'eigrp.extdata.proto',
      label: 'External Protocol ID',
      type: 'uint',
      values: EXTERNAL_PROTOCOLS,
      record: inRoute('ext', 18, 1),
    },
    extFlag('eigrp.opaque.flag.ext', 'Route is External', 0x01),
    extFlag('eigrp.opaque.flag.cd', 'Route is Candidate Default', 0x02),
    { name: 'eigrp.old_metric.delay', label: 'Scaled Delay', type: 'uint', bits: 32, record: inRoute('metric', 0, 4) },
    { name: 'eigrp.old_metric.bw', label: 'Scaled BW', type: 'uint', bits: 32, record: inRoute('metric', 4, 4) },
    { name: 'eigrp.old_metric.mtu', label: 'MTU', type: 'uint', bits: 24, record: inRoute('metric', 8, 3) },
    { name: 'eigrp.old_metric.hopcount', label: 'Hop Count', type: 'uint', record: inRoute('metric', 11, 1) },
    { name: 'eigrp.old_metric.rel', label: 'Reliability', type: 'uint', record: inRoute('metric', 12, 1) },
    { name: 'eigrp.old_metric.load', label: 'Load', type: 'uint', record: inRoute('metric', 13, 1) },
    { name: 'eigrp.old_metric.intag', label: 'Route Tag', type: 'uint', record: inRoute('metric', 14, 1) },
    routeFlag('eigrp.metric.flags.srcwd', 'Source Withdraw', 0x01),
    routeFlag('eigrp.metric.flags.cd', 'Candidate Default', 0x02),
    routeFlag('eigrp.metric.flags.active', 'Route is Active', 0x04),
    routeFlag('eigrp.metric.flags.repl', 'Route is Replicated', 0x08),
    destinationField('eigrp.ipv4.prefixlen', 'Prefix Length', 'uint', 4, false),
    destinationField('eigrp.ipv4.destination', 'Destination', 'ipv4', 4, true),
    destinationField('eigrp.ipv6.prefixlen', 'Prefix Length', 'uint', 16, false),
    destinationField('eigrp.ipv6.destination', 'Destination', 'ipv6', 16, true),
  ],
});

/** The checksum the message should carry (-1 where the capture does not hold it all): over the whole message. */
function expectedChecksum(l: Layer): number {
  if (l.short) return -1;
  const stored = u16(l, l.off + 2);
  return internetChecksum(l.dv, l.off, l.end, ~stored & 0xffff);
}

const EIGRP_FIELDS = declareFields(() => [
  protocolField('eigrp', 'Cisco EIGRP'),
  ...fields(
    { name: 'eigrp.version', label: 'Version', type: 'uint', at: 0 },
    {
      name: 'eigrp.opcode',
      label: 'Opcode',
      type: 'uint',
      values: OPCODE_VALS,
      at: 1,
    },
    ...checksumFields('eigrp.checksum', 2, expectedChecksum),
    {
      name: 'eigrp.flags',
      label: 'Flags',
      type: 'uint',
      bits: 32,
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(8, '0')}${setNames(FLAG_NAMES, n)}`,
      at: 4,
    },
    ...HEADER_FLAGS.map(
      ([mask, name, label]): FieldSpec => ({
        name: `eigrp.flags.${name}`,
        label,
        type: 'bool',
        tfs: SET_NOT_SET,
        bits: 32,
        mask,
        at: 4,
        child: true,
      }),
    ),
    { name: 'eigrp.seq', label: 'Sequence', type: 'uint', bits: 32, at: 8 },
    { name: 'eigrp.ack', label: 'Acknowledge', type: 'uint', bits: 32, at: 12 },
    {
      name: 'eigrp.vrid',
      label: 'Virtual Router ID',
      type: 'uint',
      bits: 16,
      display: (n) => `${n} (${VRID_NAMES[n & 0x8001] ?? 'Unknown'})`,
      at: 16,
    },
    { name: 'eigrp.as', label: 'Autonomous System', type: 'uint', bits: 16, at: 18 },
  ),
  ...TLVS.fields,
]);

const treeValues = new Values();
const oneValue = new Values();
const tlvCursor = TLVS.cursor();
/** The fields drawn under a subtree title of their own in a route TLV: title, then its fields' depth. */
const SUBTREE_BEFORE: Readonly<Record<string, string>> = {
  'eigrp.extdata.origrid': 'External Data',
  'eigrp.opaque.flag.ext': 'External Flags',
  'eigrp.old_metric.delay': 'Legacy Metric',
  'eigrp.metric.offset': 'Wide Metric',
  'eigrp.metric.flags.srcwd': 'Flags',
};
const depthOf = (name: string): number =>
  name.startsWith('eigrp.opaque.') || name.startsWith('eigrp.metric.flags.')
    ? 4
    : name === 'eigrp.old_metric.tag'
      ? 2
      : /^eigrp\.(extdata|old_metric|metric|attr)\./.test(name)
        ? 3
        : 2;

/** A route TLV's fields in the order Wireshark shows them, by its kind (ATTRIBUTES: where the attributes go). */
const ATTRIBUTES = 'attributes';
const NEXTHOPS = ['eigrp.ipv4.nexthop', 'eigrp.ipv6.nexthop'];
const IDS = ['eigrp.tid', 'eigrp.afi', 'eigrp.routerid'];
const EXT_FIELDS = [
  'eigrp.extdata.origrid',
  'eigrp.extdata.as',
  'eigrp.extdata.tag',
  'eigrp.extdata.metric',
  'eigrp.extdata.reserved',
  'eigrp.extdata.proto',
  'eigrp.opaque.flag.ext',
  'eigrp.opaque.flag.cd',
];
const LEGACY_FIELDS = ['delay', 'bw', 'mtu', 'hopcount', 'rel', 'load', 'intag'].map((n) => `eigrp.old_metric.${n}`);
const WIDE_FIELDS = ['offset', 'priority', 'reliability', 'load', 'mtu', 'hopcount', 'delay', 'bandwidth', 'reserved'];
const FLAG_FIELDS = ['srcwd', 'cd', 'active', 'repl'].map((n) => `eigrp.metric.flags.${n}`);
const ROUTE_ORDER: Readonly<Record<number, readonly string[]>> = {
  [RANGE_IPV4]: [...NEXTHOPS, ...EXT_FIELDS, ...LEGACY_FIELDS, ...FLAG_FIELDS],
  [RANGE_IPV6]: [...NEXTHOPS, ...EXT_FIELDS, ...LEGACY_FIELDS, ...FLAG_FIELDS],
  [RANGE_MTR]: [...IDS, 'eigrp.old_metric.tag', ...LEGACY_FIELDS, ...FLAG_FIELDS, ...NEXTHOPS, ...EXT_FIELDS],
  [RANGE_MP]: [
    ...IDS,
    ...WIDE_FIELDS.map((n) => `eigrp.metric.${n}`),
    ...FLAG_FIELDS,
    ATTRIBUTES,
    ...NEXTHOPS,
    ...EXT_FIELDS,
  ],
};
/** Fields -V draws in a walk of their own: a route's, a sequence's addresses, the TIDs. */
const DRAWN_APART = new Set([
  ...Object.values(ROUTE_ORDER).flat(),
  ...Object.values(ATTR_VALUE_FIELDS).map(([name]) => name),
  'eigrp.old_metric.tag',
  'eigrp.attr.opcode',
  'eigrp.attr.offset',
  'eigrp.seq.addrlen',
  'eigrp.seq.ipv4addr',
  'eigrp.seq.ipv6addr',
  'eigrp.tidlist',
  'eigrp.ipv4.prefixlen',
  'eigrp.ipv4.destination',
  'eigrp.ipv6.prefixlen',
  'eigrp.ipv6.destination',
]);
let fieldByName: ReadonlyMap<string, Field> | null = null;
const tlvField = (name: string): Field => (fieldByName ??= new Map(TLVS.fields.map((f) => [f.name, f]))).get(name)!;

/** Visits the field's occurrences in the TLV at p, under the subtree title it starts. */
function visitField(
  l: Layer,
  ctx: PacketCtx,
  visit: (f: Field, v: Values, depth: number) => void,
  f: Field,
  p: number,
  len: number,
): void {
  treeValues.n = 0;
  f.recordRead!(l, treeValues, ctx, p, len);
  if (treeValues.n === 0) return;
  const title = SUBTREE_BEFORE[f.name];
  if (title) visitText(visit, title, l.buf, treeValues.offs[0]!, 1, depthOf(f.name) - 1);
  visit(f, treeValues, depthOf(f.name));
}

/** One value into oneValue, then visited: a value of a walk (an attribute's, a destination's, an address's). */
function visitOne(visit: (f: Field, v: Values, depth: number) => void, name: string, put: (v: Values) => void): void {
  oneValue.n = 0;
  put(oneValue);
  if (oneValue.n > 0) visit(tlvField(name), oneValue, depthOf(name));
}

/** A route TLV's fields, its attributes and its destinations, in Wireshark's order. */
function routeTree(
  l: Layer,
  ctx: PacketCtx,
  visit: (f: Field, v: Values, depth: number) => void,
  p: number,
  len: number,
  r: Route,
): void {
  for (const name of ROUTE_ORDER[tlvType(l, p) & 0xfff0]!) {
    if (name !== ATTRIBUTES) {
      visitField(l, ctx, visit, tlvField(name), p, len);
      continue;
    }
    if (r.attrs < 0 || partAt(l, p, len, r, 'wide') < 0 || !holds(l, p, len, r.attrs, r.attrLen)) continue;
    const at = p + r.attrs;
    const end = at + r.attrLen;
    visitText(visit, 'Attributes', l.buf, at, r.attrLen, 2);
    forAttributes(l, at, r.attrLen, (q, op) => {
      visitOne(visit, 'eigrp.attr.opcode', (v) => putAttribute(l, v, q, op, -1, end));
      visitOne(visit, 'eigrp.attr.offset', (v) => putAttribute(l, v, q, op, -2, end));
      const value = ATTR_VALUE_FIELDS[op];
      if (value) visitOne(visit, value[0], (v) => putAttribute(l, v, q, op, op, end));
    });
  }
  // Each destination's prefix length, then its address (an invalid length has no address).
  if (r.family !== 0) {
    const family = r.family === 4 ? 'ipv4' : 'ipv6';
    forDestinations(l, p, len, (q, n) => {
      visitOne(visit, `eigrp.${family}.prefixlen`, (v) => putDestination(l, v, q, n, r.family as 4 | 16, false));
      visitOne(visit, `eigrp.${family}.destination`, (v) => putDestination(l, v, q, n, r.family as 4 | 16, true));
    });
  } else if (r.broken >= 0 || r.dest < 0 || r.dest > len) return;
  else if (r.unknownAfi && r.dest < len) visitText(visit, 'Unknown AFI', l.buf, p + r.dest, len - r.dest, 2);
  else if (r.services) visitText(visit, 'SAF Service ', l.buf, p + r.dest, len - r.dest, 2);
}

/**
 * -V as Wireshark's: the header, then each TLV a subtree: a route's external data and metric are subtrees, their
 * flags subtrees of those; its attributes in turn, then each destination's prefix length and address in turn; a
 * sequence's addresses each after its length; a TID list's TIDs a subtree.
 */
function eigrpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of EIGRP_FIELDS()) {
    if (f.type === 'protocol' || f.list !== null) continue;
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    if (treeValues.n > 0) visit(f, treeValues, 1);
  }
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p, len } = tlvCursor;
    visitText(visit, TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of TLVS.fields) if (!DRAWN_APART.has(f.name)) visitField(l, ctx, visit, f, p, len);
    const type = tlvType(l, p);
    const r = routeAt(l, p, len);
    if (r) routeTree(l, ctx, visit, p, len, r);
    else if (type === TLV_SEQUENCE)
      forSequence(l, p, len, (q, n) => {
        visitOne(visit, 'eigrp.seq.addrlen', (v) => v.num(l.buf[q]!, l.buf, q, 1));
        if (n === 4) visitOne(visit, 'eigrp.seq.ipv4addr', (v) => v.num(l.dv.getUint32(q + 1), l.buf, q + 1, 4));
        if (n === 16) visitOne(visit, 'eigrp.seq.ipv6addr', (v) => v.bytes(l.buf, q + 1, 16));
      });
    else if (type === TLV_TIDLIST && tidsHeld(l, p, len)) {
      const n = tidCount(l, p, len);
      visitText(visit, `${n} TIDs`, l.buf, p + 8, 2 * n, 2);
      treeValues.n = 0;
      tlvField('eigrp.tidlist').recordRead!(l, treeValues, ctx, p, len);
      if (treeValues.n > 0) visit(tlvField('eigrp.tidlist'), treeValues, 3);
    }
  }
  const bad = corruptTlv(l);
  if (bad >= 0 && u16(l, bad + 2) < 4) visitText(visit, 'Corrupt TLV (Length field less than 4)', l.buf, bad + 2, 2, 1);
}

export const eigrp = protocol({
  name: 'eigrp',
  abbrev: 'eigrp',
  title: 'Cisco EIGRP',
  hf: EIGRP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, HEADER)) return;
    l.hdrEnd = l.off + HEADER;
    const bad = corruptTlv(l);
    if (bad >= 0) ctx.warn(l, W.eigrpBadTlv, u16(l, bad + 2));
  },
  json: jsonMembers(EIGRP_FIELDS, [
    { name: 'version', field: 'eigrp.version' },
    { name: 'opcode', field: 'eigrp.opcode' },
    { name: 'flags', field: 'eigrp.flags' },
    { name: 'seq', field: 'eigrp.seq' },
    { name: 'ack', field: 'eigrp.ack' },
    { name: 'as', field: 'eigrp.as' },
  ]),
  label: eigrpLabel,
  summary: (l, out) =>
    out
      .str(eigrpLabel(l))
      .str(' AS ')
      .num(u16(l, l.off + 18)),
  tree: eigrpTree,
});

export const eigrpAs = (l: Layer): number => u16(l, l.off + 18);

/**
 * Where a corrupt TLV ends the walk, or -1: a length under 4 (Wireshark's `Corrupt TLV`), one whose reading Wireshark
 * stops with an exception (tlvBroken), or past the message (not one the capture cut, unless under its type's fixed
 * part: that is the capture's limit, not the packet's fault). Walked as TLVS walks.
 */
function corruptTlv(l: Layer): number {
  for (let p = l.off + HEADER, n = 0; p + 4 <= l.end && n < 256; n++) {
    const len = u16(l, p + 2);
    if (len < 4) return p;
    if (p + len > l.end) return l.short && len >= (FIXED_PARTS[tlvType(l, p)] ?? 4) ? -1 : p;
    if (tlvBroken(l, p, len)) return p;
    p += len;
  }
  return -1;
}

/**
 * Whether the message carries a whole authentication TLV: MD5 (a 16-byte digest) or SHA-256 (32 bytes), its digest
 * inside the message. A corrupt, cut or empty one authenticates nothing.
 */
export function eigrpAuthenticated(l: Layer): boolean {
  for (let p = l.off + HEADER; p + 4 <= l.end; ) {
    const len = u16(l, p + 2);
    if (len < 4 || p + len > l.end) return false;
    if (u16(l, p) === TLV_AUTH) return len >= 24 && digestLength(l, p) > 0 && len >= 24 + digestLength(l, p);
    p += len;
  }
  return false;
}

const OPCODE_UPDATE = 1;
/** A legacy metric's delay of all ones: the destination is unreachable (a withdrawal; a wide one's is INFINITY). */
const LEGACY_INFINITY = 0xffffffff;

/**
 * Calls `each(prefix, length)` for each IPv4 destination an Update announces as reachable: those of its legacy,
 * multi-topology and wide-metric IPv4 route TLVs (internal and external), walked as Wireshark walks them (a broken
 * TLV ends the walk); one whose metric's delay is infinite (a withdrawal) is left out, as is one whose metric was
 * not captured.
 */
export function eigrpUpdateRoutes(l: Layer, each: (prefix: number, length: number) => void): void {
  if (l.off + HEADER > l.end || l.buf[l.off + 1] !== OPCODE_UPDATE) return;
  for (let p = l.off + HEADER; p + 4 <= l.end; ) {
    const len = u16(l, p + 2);
    if (len < 4 || p + len > l.end || tlvBroken(l, p, len)) return;
    const r = routeAt(l, p, len);
    if (r && r.family === 4 && reachable(l, p, len, r))
      forDestinations(l, p, len, (q, n) => {
        if (n < 0) return;
        let prefix = 0;
        for (let k = 0; k < 4; k++) prefix = prefix * 256 + (k < n ? l.buf[q + 1 + k]! : 0);
        const bits = l.buf[q]!;
        each(bits === 0 ? 0 : (prefix & (0xffffffff << (32 - bits))) >>> 0, bits);
      });
    p += len;
  }
}

/** Whether a route TLV's metric is captured and its delay finite. */
function reachable(l: Layer, p: number, len: number, r: Route): boolean {
  const wide = partAt(l, p, len, r, 'wide');
  if (wide >= 0) return numberAt(l, wide + 8, 6) !== INFINITY;
  const legacy = partAt(l, p, len, r, 'metric');
  return legacy >= 0 && numberAt(l, legacy, 4) !== LEGACY_INFINITY;
}

/** The digest's length an authentication TLV at p says, where its type has one (MD5 16, SHA-256 32); else 0. */
function digestLength(l: Layer, p: number): number {
  const type = u16(l, p + 4);
  const n = u16(l, p + 6);
  return (type === AUTH_MD5 && n === 16) || (type === AUTH_SHA256 && n === 32) ? n : 0;
}
