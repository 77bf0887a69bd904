import { ipv4, ipv6 } from './addr.js';
import {
  asciiText,
  declareFields,
  fields,
  protocolField,
  type FieldReader,
  type FieldSpec,
  type FieldType,
  type RecordReader,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers, type JsonSink } from './json.js';
import { type Layer, protocol } from './packet.js';

/**
 * RIPv1/v2 (UDP 520, RFC 2453) and RIPng (UDP 521, RFC 2080): 20-byte route
 * entries. A RIPv2 first entry with family 0xFFFF is authentication (type 2
 * simple password, 3 keyed MD5); the password itself is never read out.
 */
const COMMANDS = ['', 'Request', 'Response'];
const command = (c: number): string => COMMANDS[c] ?? `command ${c}`;
/** Made once for RIPv1 and v2: the summary asks for a label on every packet. */
const LABELS = [1, 2].map((v) => COMMANDS.map((name) => `RIPv${v} ${name}`));
const ripLabel = (l: Layer): string =>
  LABELS[l.buf[l.off + 1]! - 1]?.[l.buf[l.off]!] ?? `RIPv${l.buf[l.off + 1]} ${command(l.buf[l.off]!)}`;
const ripngLabel = (l: Layer): string => `RIPng ${command(l.buf[l.off]!)}`;
const RIP_AUTH_FAMILY = 0xffff;

/** RIPv2 authentication type, or 0 when the message carries none. */
export function ripAuthType(l: Layer): number {
  const p = l.off + 4;
  if (p + 20 > l.end || l.dv.getUint16(p) !== RIP_AUTH_FAMILY) return 0;
  return l.dv.getUint16(p + 2);
}

/** Wireshark's command_vals, version_vals, family_vals and rip_auth_type. */
const COMMAND_VALS = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };
const VERSION_VALS = { 1: 'RIPv1', 2: 'RIPv2' };
const FAMILY_VALS = { 0: 'Unspecified', 2: 'IP', 0xffff: 'Authentication' };
const AUTH_VALS = { 1: 'IP Route', 2: 'Simple Password', 3: 'Keyed Message Digest' };
const AF_UNSPEC = 0;
const AF_IP = 2;
const AUTH_MD5 = 3;

const isV2 = (l: Layer): boolean => l.buf[l.off + 1] === 2;

/** An entry of a family Wireshark reads: IP, or unspecified (a request for the whole table). */
const knownFamily = (l: Layer, p: number): boolean => l.dv.getUint16(p) === AF_IP || l.dv.getUint16(p) === AF_UNSPEC;

/**
 * The route entries (20 bytes each after the header and its authentication entry, to the end of the message), as
 * Wireshark shows them: a subtree per entry of family IP or unspecified, titled by its address and metric; RIPv1
 * leaves the tag, mask and next hop zero, which Wireshark does not show. An entry of another family holds no field
 * (Wireshark's `Unknown address family` item, its title here).
 */
const ENTRIES = list({
  name: 'rip.entry',
  title: (l, p) =>
    !knownFamily(l, p)
      ? `Unknown address family ${l.dv.getUint16(p)}`
      : `${l.dv.getUint16(p) === AF_IP ? `IP Address: ${ipv4(l.buf, p + 4)}` : 'Address not specified'}, ` +
        `Metric: ${l.dv.getUint32(p + 16)}`,
  // To the end, as Wireshark walks them: a keyed-MD5 trailer is also an entry of family 0xFFFF there (unknown).
  in: [{ start: (l) => l.off + 4 + (ripAuthType(l) !== 0 ? 20 : 0), end: (l) => l.end }],
  size: 20,
  fields: [
    { name: 'rip.family', label: 'Address Family', type: 'uint', bits: 16, values: FAMILY_VALS, record: entry(0, 2) },
    { name: 'rip.route_tag', label: 'Route Tag', type: 'uint', bits: 16, record: entry(2, 2, true) },
    { name: 'rip.ip', label: 'IP Address', type: 'ipv4', record: entry(4, 4, false, true) },
    { name: 'rip.netmask', label: 'Netmask', type: 'ipv4', record: entry(8, 4, true) },
    { name: 'rip.next_hop', label: 'Next Hop', type: 'ipv4', record: entry(12, 4, true) },
    // Declared 16 bits, read as the entry's 32-bit word, as Wireshark reads it.
    { name: 'rip.metric', label: 'Metric', type: 'uint', bits: 16, record: entry(16, 4) },
  ],
});

/**
 * A field of a route entry of a known family at `at` in it: v2Only for those RIPv1 leaves zero, ipOnly for those an
 * unspecified family leaves out (the address).
 */
function entry(at: number, size: 2 | 4, v2Only = false, ipOnly = false): RecordReader {
  return (l, v, _ctx, p) => {
    if (!knownFamily(l, p) || (v2Only && !isV2(l)) || (ipOnly && l.dv.getUint16(p) !== AF_IP)) return;
    v.num(size === 2 ? l.dv.getUint16(p + at) : l.dv.getUint32(p + at), l.buf, p + at, size);
  };
}

/** A field of the authentication entry at `at`; `md5`: of the keyed-MD5 entry alone (auth type 3). */
function authField(name: string, label: string, at: number, size: 1 | 2 | 4, md5: boolean): FieldSpec {
  return {
    name,
    label,
    type: 'uint',
    bits: size * 8,
    record: (l, v, _ctx, p) => {
      if (md5 && l.dv.getUint16(p + 2) !== AUTH_MD5) return;
      const q = p + at;
      v.num(size === 1 ? l.buf[q]! : size === 2 ? l.dv.getUint16(q) : l.dv.getUint32(q), l.buf, q, size);
    },
  };
}

/**
 * RIPv2's authentication entry (RFC 2453 4.1, RFC 2082's keyed MD5), a subtree: its type, and keyed MD5's digest
 * offset, key ID, data length, sequence number and zeros. The password of simple authentication is not read out.
 */
const AUTH = list({
  name: 'rip.authentication',
  title: (l, p) =>
    `Authentication: ${(AUTH_VALS as Readonly<Record<number, string>>)[l.dv.getUint16(p + 2)] ?? 'Unknown'}`,
  in: [{ when: (l) => ripAuthType(l) !== 0, start: (l) => l.off + 4, end: (l) => l.off + 24 }],
  size: 20,
  fields: [
    {
      ...authField('rip.auth.type', 'Authentication type', 2, 2, false),
      values: AUTH_VALS,
    },
    authField('rip.digest_offset', 'Digest Offset', 4, 2, true),
    authField('rip.key_id', 'Key ID', 6, 1, true),
    authField('rip.auth_data_len', 'Auth Data Len', 7, 1, true),
    authField('rip.seq_num', 'Seq num', 8, 4, true),
    {
      name: 'rip.zero_padding',
      label: 'Zero adding',
      type: 'string',
      record: (l, v, _ctx, p) => {
        if (l.dv.getUint16(p + 2) === AUTH_MD5) v.str(asciiText(l.buf, p + 12, 8), l.buf, p + 12, 8);
      },
    },
  ],
});

/** The keyed-MD5 trailer at the digest offset: its 16 bytes of data after a 4-byte entry header, a subtree. */
const TRAILER = list({
  name: 'rip.auth.trailer',
  title: () => 'Authentication Data Trailer',
  in: [
    {
      parent: AUTH,
      when: (l, p) => l.dv.getUint16(p + 2) === AUTH_MD5,
      start: (l) => l.off + l.dv.getUint16(l.off + 8),
      end: (l) => l.end,
      count: () => 1,
    },
  ],
  size: 20,
  fields: [
    {
      name: 'rip.authentication_data',
      label: 'Authentication Data',
      type: 'bytes',
      record: (l, v, _ctx, p) => v.bytes(l.buf, p + 4, 16),
    },
  ],
});

const RIP_FIELDS = declareFields(() => [
  protocolField('rip', 'Routing Information Protocol'),
  ...fields(
    {
      name: 'rip.command',
      label: 'Command',
      type: 'uint',
      values: COMMAND_VALS,
      at: 0,
    },
    {
      name: 'rip.version',
      label: 'Version',
      type: 'uint',
      values: VERSION_VALS,
      at: 1,
    },
  ),
  ...AUTH.fields,
  ...TRAILER.fields,
  ...ENTRIES.fields,
]);

export const rip = protocol({
  name: 'rip',
  abbrev: 'rip',
  title: 'Routing Information Protocol',
  hf: RIP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
  },
  json: jsonMembers(RIP_FIELDS, [
    { name: 'command', field: 'rip.command' },
    { name: 'version', field: 'rip.version' },
    { name: 'routes', write: writeRipRoutes },
    { name: 'authType', only: (l) => ripAuthType(l) !== 0, value: ripAuthType },
  ]),
  label: ripLabel,
  summary(l, out) {
    out
      .str(ripLabel(l))
      .byte(0x20)
      .num(Math.floor((l.end - l.off - 4) / 20))
      .str(' entries');
  },
});

/** A field of each RIPng route table entry (20 bytes from offset 4). */
const rteField =
  (at: number, size: number, type: FieldType): FieldReader =>
  (l, v) => {
    for (let p = l.off + 4; p + 20 <= l.end; p += 20) {
      if (type === 'ipv6') v.bytes(l.buf, p, 16);
      else v.num(size === 1 ? l.buf[p + at]! : l.dv.getUint16(p + at), l.buf, p + at, size);
    }
  };

const RIPNG_FIELDS = declareFields(() => [
  protocolField('ripng', 'RIPng'),
  ...fields(
    { name: 'ripng.cmd', label: 'Command', type: 'uint', values: { 1: 'Request', 2: 'Response' }, at: 0 },
    { name: 'ripng.version', label: 'Version', type: 'uint', at: 1 },
    { name: 'ripng.reserved', label: 'Reserved', type: 'bytes', bits: 16, at: 2 },
    { name: 'ripng.rte.ipv6_prefix', label: 'IPv6 Prefix', type: 'ipv6', read: rteField(0, 16, 'ipv6') },
    {
      name: 'ripng.rte.route_tag',
      label: 'Route Tag',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: rteField(16, 2, 'uint'),
    },
    { name: 'ripng.rte.prefix_length', label: 'Prefix Length', type: 'uint', read: rteField(18, 1, 'uint') },
    { name: 'ripng.rte.metric', label: 'Metric', type: 'uint', read: rteField(19, 1, 'uint') },
  ),
]);

export const ripng = protocol({
  name: 'ripng',
  abbrev: 'ripng',
  title: 'RIPng',
  hf: RIPNG_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
  },
  json: jsonMembers(RIPNG_FIELDS, [
    { name: 'command', field: 'ripng.cmd' },
    { name: 'version', field: 'ripng.version' },
    { name: 'routes', value: ripngRoutes },
  ]),
  label: ripngLabel,
  summary: (l, out) => out.str(`${ripngLabel(l)} ${Math.floor((l.end - l.off - 4) / 20)} entries`),
});

/**
 * The routes of address family IP as the contract lists them: per entry, the
 * prefix (rip.ip, with rip.netmask as a length) and rip.metric. Written
 * through the sink: RIP is common enough in tunnels that a list built a
 * packet would cost.
 */
function writeRipRoutes(l: Layer, out: JsonSink): void {
  out.openList();
  for (let p = l.off + 4; p + 20 <= l.end; p += 20) {
    if (l.dv.getUint16(p) !== 2) continue;
    const mask = l.dv.getUint32(p + 8);
    out.open();
    out.keyText('prefix');
    out.ipv4Prefix(l.buf, p + 4, mask ? popcount(mask) : -1);
    out.keyText('metric');
    out.num(l.dv.getUint32(p + 16));
    out.close();
  }
  out.closeList();
}

/** RIPng's routes: prefix/length and metric of each entry. */
function ripngRoutes(l: Layer): { prefix: string; metric: number }[] {
  const routes: { prefix: string; metric: number }[] = [];
  for (let p = l.off + 4; p + 20 <= l.end; p += 20) {
    routes.push({ prefix: `${ipv6(l.buf, p)}/${l.buf[p + 18]}`, metric: l.buf[p + 19]! });
  }
  return routes;
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

export const ripCommand = (l: Layer): number => l.buf[l.off]!;
export const ripVersion = (l: Layer): number => l.buf[l.off + 1]!;
export const RIP_RESPONSE = 2;

/** The i-th route entry's mask (RIPv2; 0 in RIPv1, whose routes are classful), for an entry ripRoute() read. */
export const ripRouteMask = (l: Layer, i: number): number => l.dv.getUint32(l.off + 4 + 20 * i + 8);
/** Its metric: 16 and over is unreachable (RFC 2453 3.6), a route withdrawn or poisoned. */
export const ripRouteMetric = (l: Layer, i: number): number => l.dv.getUint32(l.off + 4 + 20 * i + 16);
export const RIP_INFINITY = 16;

/** The IPv4 prefix of the i-th route entry as a number, -1 for another family, -2 past the last entry captured. */
export function ripRoute(l: Layer, i: number): number {
  const p = l.off + 4 + 20 * i;
  if (p + 20 > l.end) return -2;
  return l.dv.getUint16(p) === AF_IP ? l.dv.getUint32(p + 4) : -1;
}
