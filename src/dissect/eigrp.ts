import { ipv4 as ipv4Text, ipv6 as ipv6Text } from './addr.js';
import {
  checksumFields,
  declareFields,
  fields,
  hexThenText,
  namedOrUnknown,
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

/**
 * EIGRP (RFC 7868), the routing protocol of Cisco's DMVPN designs, as Wireshark's packet-eigrp.c reads it: the
 * 20-byte header (its checksum over the message checked), then TLVs, each a subtree: the Hello's parameters (K values,
 * hold time), software version, authentication, sequence, next multicast sequence and stub options, and the routes
 * of IPv4 and IPv6 (internal and external: next hop, external data, the legacy metric with its flags, then each
 * destination as a prefix length and as many bytes of address as it needs). Other TLVs show their type and length.
 */
const HEADER = 20;
const TLV_PARAMETERS = 0x0001;
const TLV_AUTH = 0x0002;
const TLV_SEQUENCE = 0x0003;
const TLV_SW_VERSION = 0x0004;
const TLV_NEXT_MCAST_SEQ = 0x0005;
const TLV_STUB = 0x0006;
const TLV_IPV4_INTERNAL = 0x0102;
const TLV_IPV4_EXTERNAL = 0x0103;
const TLV_IPV6_INTERNAL = 0x0402;
const TLV_IPV6_EXTERNAL = 0x0403;
/** K1 to K5 all 255 in a Parameters TLV: the router is going down (RFC 7868 5.3.2). */
const PEER_TERMINATION = 255;

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

const u16 = (l: Layer, q: number): number => l.dv.getUint16(q);
const tlvType = (l: Layer, p: number): number => u16(l, p);

/** The bytes a TLV's type reads before any list (4: a type and length alone). */
const FIXED_PARTS: Readonly<Record<number, number>> = {
  [TLV_PARAMETERS]: 12,
  [TLV_AUTH]: 24,
  [TLV_SEQUENCE]: 5,
  [TLV_SW_VERSION]: 8,
  [TLV_NEXT_MCAST_SEQ]: 8,
  [TLV_STUB]: 6,
  [TLV_IPV4_INTERNAL]: 25,
  [TLV_IPV4_EXTERNAL]: 45,
  [TLV_IPV6_INTERNAL]: 37,
  [TLV_IPV6_EXTERNAL]: 57,
};
const fixedPart = (type: number): number => FIXED_PARTS[type] ?? 4;

/** A route TLV: where its parts are, by family and kind (0 when it is none). */
function routeLayout(type: number): { addr: number; ext: number; metric: number; dest: number } | null {
  if (type === TLV_IPV4_INTERNAL) return { addr: 4, ext: 0, metric: 8, dest: 24 };
  if (type === TLV_IPV4_EXTERNAL) return { addr: 4, ext: 8, metric: 28, dest: 44 };
  if (type === TLV_IPV6_INTERNAL) return { addr: 16, ext: 0, metric: 20, dest: 36 };
  if (type === TLV_IPV6_EXTERNAL) return { addr: 16, ext: 20, metric: 40, dest: 56 };
  return null;
}

/**
 * Calls `each(q, n)` for every destination in the route TLV at p: its prefix length at q and the n bytes of address
 * that follow (as many as the prefix needs). A prefix longer than the address shows its length alone (n = -1) and
 * ends the walk, as in Wireshark; so does a destination past the TLV. Wireshark 4.0 steps one byte more after an
 * IPv6 prefix shorter than 128 on a byte boundary (a quirk of its dissector: followed, to read the same routes).
 */
function forDestinations(l: Layer, p: number, len: number, each: (q: number, n: number) => void): void {
  const layout = routeLayout(tlvType(l, p));
  if (!layout) return;
  const size = layout.addr === 4 ? 4 : 16;
  const end = Math.min(p + len, l.end);
  for (let q = p + layout.dest; q < end; ) {
    const bits = l.buf[q]!;
    if (bits > size * 8) return each(q, -1);
    const n = Math.ceil(bits / 8);
    if (q + 1 + n > end) return;
    each(q, n);
    q += 1 + n + (size === 16 && bits < 128 && bits % 8 === 0 ? 1 : 0);
  }
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
  const layout = routeLayout(type);
  if (!layout) return name;
  let title = name;
  let first = true;
  forDestinations(l, p, len, (q, n) => {
    if (n < 0) return;
    const a = destinationAddress(l, q, n, layout.addr === 4 ? 4 : 16);
    const text = layout.addr === 4 ? ipv4Text(a, 0) : ipv6Text(a, 0);
    title += `  ${first ? '=' : ','}   ${text}/${l.buf[q]}`;
    first = false;
  });
  return title;
}

/** A big-endian number of `size` bytes at q (a 3-byte one read with the byte before it, inside the TLV). */
const numberAt = (l: Layer, q: number, size: 1 | 2 | 3 | 4): number =>
  size === 1 ? l.buf[q]! : size === 2 ? u16(l, q) : size === 4 ? l.dv.getUint32(q) : l.dv.getUint32(q - 1) & 0xffffff;

/** A number of `size` bytes at `at` in a TLV of one of `types`, where the TLV and the message hold it. */
function inTlv(types: readonly number[], at: number, size: 1 | 2 | 3 | 4): RecordReader {
  return (l, v, _ctx, p, len) => {
    if (!types.includes(tlvType(l, p)) || at + size > len || p + at + size > l.end) return;
    const q = p + at;
    v.num(numberAt(l, q, size), l.buf, q, size);
  };
}

/** A number at `at` in a route TLV's metric (`metric`) or external data (`ext`). */
function inRoute(part: 'metric' | 'ext', at: number, size: 1 | 2 | 3 | 4): RecordReader {
  return (l, v, _ctx, p, len) => {
    const layout = routeLayout(tlvType(l, p));
    if (!layout || (part === 'ext' && layout.ext === 0)) return;
    const q = p + layout[part] + at;
    if (q + size > p + len || q + size > l.end) return;
    v.num(numberAt(l, q, size), l.buf, q, size);
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

const routeFlag = (name: string, label: string, mask: number, part: 'metric' | 'ext', at: number): FieldSpec => ({
  name,
  label,
  type: 'bool',
  mask,
  record: flagOf(inRoute(part, at, 1), mask),
});

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
    if (routeLayout(tlvType(l, p))?.addr === size)
      forDestinations(l, p, len, (q, n) => putDestination(l, v, q, n, size, address));
  },
});

/** A version word as Wireshark shows it: `12.04`. */
const versionText = (n: number): string => `${n >> 8}.${String(n & 0xff).padStart(2, '0')}`;

const TLVS = list({
  name: 'eigrp.tlv',
  title: tlvTitle,
  in: [{ start: (l) => l.off + HEADER, end: (l) => l.end }],
  // A TLV past the message or cut by the capture ends the walk unshown; one shorter than its type's fixed part shows
  // what it holds and ends it (Wireshark's exception: malformed, or the capture's limit).
  size: (l, p) => (u16(l, p + 2) >= 4 ? u16(l, p + 2) : 0),
  header: 4,
  last: (l, p, len) => len < fixedPart(tlvType(l, p)),
  fields: [
    {
      name: 'eigrp.tlv_type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: TLV_TYPES,
      display: namedOrUnknown(TLV_TYPES, 4),
      at: 0,
    },
    { name: 'eigrp.tlv.len', label: 'Length', type: 'uint', bits: 16, at: 2 },
    {
      name: 'eigrp.auth.type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      display: namedOrUnknown(AUTH_TYPES),
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
    { name: 'eigrp.seq.addrlen', label: 'Address length', type: 'uint', record: inTlv([TLV_SEQUENCE], 4, 1) },
    {
      name: 'eigrp.seq.ipv4addr',
      label: 'IP Address',
      type: 'ipv4',
      record: (l, v, _ctx, p, len) => {
        if (tlvType(l, p) === TLV_SEQUENCE && l.buf[p + 4] === 4 && len >= 9 && p + 9 <= l.end)
          v.num(l.dv.getUint32(p + 5), l.buf, p + 5, 4);
      },
    },
    {
      name: 'eigrp.seq.ipv6addr',
      label: 'IPv6 Address',
      type: 'ipv6',
      record: (l, v, _ctx, p, len) => {
        if (tlvType(l, p) === TLV_SEQUENCE && l.buf[p + 4] === 16 && len >= 21 && p + 21 <= l.end)
          v.bytes(l.buf, p + 5, 16);
      },
    },
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
      name: 'eigrp.ipv4.nexthop',
      label: 'NextHop',
      type: 'ipv4',
      record: (l, v, _ctx, p, len) => {
        if (routeLayout(tlvType(l, p))?.addr === 4 && len >= 8 && p + 8 <= l.end)
          v.num(l.dv.getUint32(p + 4), l.buf, p + 4, 4);
      },
    },
    {
      name: 'eigrp.ipv6.nexthop',
      label: 'NextHop',
      type: 'ipv6',
      record: (l, v, _ctx, p, len) => {
        const layout = routeLayout(tlvType(l, p));
        if (layout?.addr === 16 && len >= 20 && p + 20 <= l.end) v.bytes(l.buf, p + 4, 16);
      },
    },
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
      display: namedOrUnknown(EXTERNAL_PROTOCOLS),
      record: inRoute('ext', 18, 1),
    },
    routeFlag('eigrp.opaque.flag.ext', 'Route is External', 0x01, 'ext', 19),
    routeFlag('eigrp.opaque.flag.cd', 'Route is Candidate Default', 0x02, 'ext', 19),
    { name: 'eigrp.old_metric.delay', label: 'Scaled Delay', type: 'uint', bits: 32, record: inRoute('metric', 0, 4) },
    { name: 'eigrp.old_metric.bw', label: 'Scaled BW', type: 'uint', bits: 32, record: inRoute('metric', 4, 4) },
    { name: 'eigrp.old_metric.mtu', label: 'MTU', type: 'uint', bits: 24, record: inRoute('metric', 8, 3) },
    { name: 'eigrp.old_metric.hopcount', label: 'Hop Count', type: 'uint', record: inRoute('metric', 11, 1) },
    { name: 'eigrp.old_metric.rel', label: 'Reliability', type: 'uint', record: inRoute('metric', 12, 1) },
    { name: 'eigrp.old_metric.load', label: 'Load', type: 'uint', record: inRoute('metric', 13, 1) },
    { name: 'eigrp.old_metric.intag', label: 'Route Tag', type: 'uint', record: inRoute('metric', 14, 1) },
    routeFlag('eigrp.metric.flags.srcwd', 'Source Withdraw', 0x01, 'metric', 15),
    routeFlag('eigrp.metric.flags.cd', 'Candidate Default', 0x02, 'metric', 15),
    routeFlag('eigrp.metric.flags.active', 'Route is Active', 0x04, 'metric', 15),
    routeFlag('eigrp.metric.flags.repl', 'Route is Replicated', 0x08, 'metric', 15),
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
      display: namedOrUnknown(OPCODE_VALS),
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
  'eigrp.metric.flags.srcwd': 'Flags',
};
const depthOf = (name: string): number =>
  name.startsWith('eigrp.opaque.') || name.startsWith('eigrp.metric.flags.')
    ? 4
    : name.startsWith('eigrp.extdata.') || name.startsWith('eigrp.old_metric.')
      ? 3
      : 2;

/**
 * -V as Wireshark's: the header, then each TLV a subtree: a route's external data and legacy metric are subtrees,
 * their flags subtrees of those; each destination's prefix length then its address, in turn.
 */
function eigrpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of EIGRP_FIELDS()) {
    if (f.type === 'protocol' || f.list !== null) continue;
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    if (treeValues.n > 0) visit(f, treeValues, 1);
  }
  const all = TLVS.fields;
  const prefix = all.filter((f) => f.name.endsWith('.prefixlen'));
  const destination = all.filter((f) => f.name.endsWith('.destination'));
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p, len } = tlvCursor;
    visitText(visit, TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of all) {
      if (prefix.includes(f) || destination.includes(f)) continue;
      treeValues.n = 0;
      f.recordRead!(l, treeValues, ctx, p, len);
      if (treeValues.n === 0) continue;
      const title = SUBTREE_BEFORE[f.name];
      if (title) visitText(visit, title, l.buf, treeValues.offs[0]!, 1, depthOf(f.name) - 1);
      visit(f, treeValues, depthOf(f.name));
    }
    // Each destination's prefix length, then its address (an invalid length has no address).
    const k = routeLayout(tlvType(l, p))?.addr === 4 ? 0 : 1;
    const size = k === 0 ? 4 : 16;
    forDestinations(l, p, len, (q, n) => {
      oneValue.n = 0;
      putDestination(l, oneValue, q, n, size, false);
      visit(prefix[k]!, oneValue, 2);
      oneValue.n = 0;
      putDestination(l, oneValue, q, n, size, true);
      if (oneValue.n > 0) visit(destination[k]!, oneValue, 2);
    });
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
 * Where a corrupt TLV ends the walk, or -1: a length under 4 (Wireshark's `Corrupt TLV`), under its type's fixed part,
 * or past the message (not one the capture cut: that is its limit, not the packet's fault). Walked as TLVS walks.
 */
function corruptTlv(l: Layer): number {
  for (let p = l.off + HEADER, n = 0; p + 4 <= l.end && n < 256; n++) {
    const len = u16(l, p + 2);
    if (len < fixedPart(u16(l, p)) || (p + len > l.end && !l.short)) return p;
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

/** The digest's length an authentication TLV at p says, where its type has one (MD5 16, SHA-256 32); else 0. */
function digestLength(l: Layer, p: number): number {
  const type = u16(l, p + 4);
  const n = u16(l, p + 6);
  return (type === AUTH_MD5 && n === 16) || (type === AUTH_SHA256 && n === 32) ? n : 0;
}
