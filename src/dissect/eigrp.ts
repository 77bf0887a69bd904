import { ipv4 as ipv4Text, ipv6 as ipv6Text } from './addr.js';
import {
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

const EIGRP_OPCODES: Record<number, string> = {
  1: 'Update',
  3: 'Query',
  4: 'Reply',
  5: 'Hello',
  10: 'SIA-Query',
  11: 'SIA-Reply',
};
const eigrpLabel = (l: Layer): string => `EIGRP ${EIGRP_OPCODES[l.buf[l.off + 1]!] ?? `opcode ${l.buf[l.off + 1]}`}`;

/** Wireshark's eigrp_opc2string. */
const OPCODE_VALS = {
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
const VRID_NAMES: Readonly<Record<number, string>> = {
  0: 'Address-Family',
  1: 'Multicast-Family',
  0x8000: 'Service-Family',
};
/** The header's flag fields' names, by bit. */
const FLAG_FIELDS: Readonly<Record<number, string>> = { 1: 'init', 2: 'condrecv', 4: 'restart', 8: 'eot' };
const FLAG_NAMES: readonly [number, string][] = [
  [0x1, 'Init'],
  [0x2, 'Conditional Receive'],
  [0x4, 'Restart'],
  [0x8, 'End Of Table'],
];
const STUB_NAMES: readonly [number, string][] = [
  [0x01, 'Connected'],
  [0x02, 'Static'],
  [0x04, 'Summary'],
  [0x08, 'Redistributed'],
  [0x10, 'Leak-Map'],
  [0x20, 'Receive-Only'],
];
/** `, Init, End Of Table`: the names of the bits set, as Wireshark's bitmask items append them. */
const setNames = (names: readonly [number, string][], n: number): string =>
  names.map(([bit, name]) => (n & bit ? `, ${name}` : '')).join('');

const u16 = (l: Layer, q: number): number => l.dv.getUint16(q);
const tlvType = (l: Layer, p: number): number => u16(l, p);

/** A route TLV: where its parts are, by family and kind (0 when it is none). */
function routeLayout(type: number): { addr: number; ext: number; metric: number; dest: number } | null {
  if (type === TLV_IPV4_INTERNAL) return { addr: 4, ext: 0, metric: 8, dest: 24 };
  if (type === TLV_IPV4_EXTERNAL) return { addr: 4, ext: 8, metric: 28, dest: 44 };
  if (type === TLV_IPV6_INTERNAL) return { addr: 16, ext: 0, metric: 20, dest: 36 };
  if (type === TLV_IPV6_EXTERNAL) return { addr: 16, ext: 20, metric: 40, dest: 56 };
  return null;
}

/**
 * The bytes of a destination of `bits` prefix length: as many as it needs; Wireshark 4.0 reads one more for an IPv6
 * prefix shorter than 128 on a byte boundary (an old quirk of its dissector, kept to read the same routes).
 */
const destinationBytes = (bits: number, size: 4 | 16): number =>
  Math.ceil(bits / 8) + (size === 16 && bits < 128 && bits % 8 === 0 ? 1 : 0);

/** Calls `each(q, n)` for every destination in the route TLV at p (its prefix length at q, n address bytes). */
function forDestinations(l: Layer, p: number, len: number, each: (q: number, n: number) => void): void {
  const layout = routeLayout(tlvType(l, p));
  if (!layout) return;
  const size = layout.addr === 4 ? 4 : 16;
  for (let q = p + layout.dest; q < p + len && q < l.end; ) {
    const bits = l.buf[q]!;
    // A prefix longer than the address: Wireshark shows its length and takes a whole address for it.
    const n = bits > size * 8 ? size : destinationBytes(bits, size);
    if (q + 1 + n > l.end) return;
    each(q, bits > size * 8 ? -1 : n);
    q += 1 + n;
  }
}

/** A destination's address, zero-filled past its bytes. */
function destinationAddress(l: Layer, q: number, n: number, size: 4 | 16): Uint8Array {
  const a = new Uint8Array(size);
  a.set(l.buf.subarray(q + 1, q + 1 + Math.min(n, size)));
  return a;
}

/** The TLV's title: its type's name, and what Wireshark appends (`: EIGRP=12.4, TLV=1.2`, `  =   10.0.0.0/8`). */
function tlvTitle(l: Layer, p: number, len: number): string {
  const type = tlvType(l, p);
  const name = TLV_TYPES[type] ?? `Unknown TLV (0x${type.toString(16).padStart(4, '0')})`;
  if (type === TLV_PARAMETERS && len >= 9 && [4, 5, 6, 7, 8].every((k) => l.buf[p + k] === PEER_TERMINATION))
    return `${name}: Peer Termination`;
  if (type === TLV_AUTH && len >= 6) return `Authentication ${AUTH_TYPES[u16(l, p + 4)] ?? 'Unknown'}`;
  if (type === TLV_SW_VERSION && len >= 8)
    return `${name}: EIGRP=${l.buf[p + 4]}.${l.buf[p + 5]}, TLV=${l.buf[p + 6]}.${l.buf[p + 7]}`;
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

const routeFlag = (name: string, label: string, mask: number, part: 'metric' | 'ext', at: number): FieldSpec => ({
  name,
  label,
  type: 'bool',
  mask,
  record: (l, v, ctx, p, len) => {
    const n = v.n;
    inRoute(part, at, 1)(l, v, ctx, p, len);
    if (v.n > n) v.nums[n] = (v.nums[n]! & mask) !== 0 ? 1 : 0;
  },
});

const stubFlag = (name: string, label: string, mask: number): FieldSpec => ({
  name: `eigrp.stub_options.${name}`,
  label,
  type: 'bool',
  tfs: SET_NOT_SET,
  bits: 16,
  mask,
  child: true,
  record: (l, v, ctx, p, len) => {
    const n = v.n;
    inTlv([TLV_STUB], 4, 2)(l, v, ctx, p, len);
    if (v.n > n) v.nums[n] = (v.nums[n]! & mask) !== 0 ? 1 : 0;
  },
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
  // A length under 4 ends the walk (Wireshark: corrupt TLV); a TLV the capture cuts shows what it holds.
  size: (l, p) => (u16(l, p + 2) >= 4 ? u16(l, p + 2) : 0),
  header: 4,
  min: 4,
  fields: [
    { name: 'eigrp.tlv_type', label: 'Type', type: 'uint', bits: 16, base: 'hex', values: TLV_TYPES, at: 0 },
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
        const n = Math.min(p + len, l.end) - (p + 24);
        if (tlvType(l, p) === TLV_AUTH && n > 0) v.bytes(l.buf, p + 24, n);
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
        inTlv([TLV_STUB], 4, 2)(l, v, ctx, p, len);
        if (v.n > n) v.strs[n] = setNames(STUB_NAMES, v.nums[n]!);
      },
    },
    stubFlag('connected', 'Connected', 0x01),
    stubFlag('static', 'Static', 0x02),
    stubFlag('summary', 'Summary', 0x04),
    stubFlag('redist', 'Redistributed', 0x08),
    stubFlag('leakmap', 'Leak-Map', 0x10),
    stubFlag('recvonly', 'Receive-Only', 0x20),
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
    { name: 'eigrp.opcode', label: 'Opcode', type: 'uint', values: OPCODE_VALS, at: 1 },
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
    ...FLAG_NAMES.map(
      ([mask, label]): FieldSpec => ({
        name: `eigrp.flags.${FLAG_FIELDS[mask]}`,
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
      display: (n) => `${n} (${VRID_NAMES[n] ?? 'Unknown'})`,
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
  if (bad >= 0) visitText(visit, 'Corrupt TLV (Length field less than 4)', l.buf, bad + 2, 2, 1);
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

/** Where a TLV whose length is under 4 ends the walk (Wireshark: corrupt TLV), or -1. */
function corruptTlv(l: Layer): number {
  for (let p = l.off + HEADER, n = 0; p + 4 <= l.end && n < 256; n++) {
    const len = u16(l, p + 2);
    if (len < 4) return p;
    p += len;
  }
  return -1;
}

/** Whether the message carries an authentication TLV (type 0x0002, after the 20-byte header). */
export function eigrpAuthenticated(l: Layer): boolean {
  for (let p = l.off + HEADER; p + 4 <= l.end; ) {
    const len = u16(l, p + 2);
    if (u16(l, p) === TLV_AUTH) return true;
    if (len < 4) return false;
    p += len;
  }
  return false;
}
