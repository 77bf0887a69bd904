import { ipv6 } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader, type FieldType } from './field.js';
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
const AUTH_VALS = { 2: 'Simple Password', 3: 'Keyed Message Digest' };
const AF_UNSPEC = 0;
const AF_IP = 2;
const AUTH_MD5 = 3;

/**
 * Where the route entries end: the keyed-MD5 trailer (at the digest
 * offset) is authentication data, not a route.
 */
function entriesEnd(l: Layer): number {
  const md5 = ripAuthType(l) === AUTH_MD5;
  const trailer = md5 ? l.off + l.dv.getUint16(l.off + 8) : l.end;
  return Math.min(l.end, trailer);
}

/**
 * A field of each route entry of address family IP (2) or unspecified
 * (0), at `at` in the entry: v2Only for those RIPv1 leaves zero, ipOnly
 * for those an unspecified family leaves out (the address).
 */
function entryField(at: number, size: number, type: FieldType, v2Only: boolean, ipOnly = false): FieldReader {
  return (l, v) => {
    if (v2Only && l.buf[l.off + 1] !== 2) return;
    for (let p = l.off + 4, end = entriesEnd(l); p + 20 <= end; p += 20) {
      const family = l.dv.getUint16(p);
      if (family === RIP_AUTH_FAMILY && p === l.off + 4) continue;
      if (at === 0) v.num(family, l.buf, p, 2);
      else if (family === AF_IP || (family === AF_UNSPEC && !ipOnly)) {
        v.num(
          type === 'ipv4' ? l.dv.getUint32(p + at) : size === 2 ? l.dv.getUint16(p + at) : l.dv.getUint32(p + at),
          l.buf,
          p + at,
          size,
        );
      }
    }
  };
}

/** A field of the keyed-MD5 authentication entry (the first entry, auth type 3). */
const md5Field =
  (at: number, size: number): FieldReader =>
  (l, v) => {
    if (ripAuthType(l) !== AUTH_MD5) return;
    const p = l.off + 4 + at;
    v.num(size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };

const RIP_FIELDS = declareFields(() => [
  protocolField('rip', 'Routing Information Protocol'),
  ...fields(
    { name: 'rip.command', label: 'Command', type: 'uint', values: COMMAND_VALS, at: 0 },
    { name: 'rip.version', label: 'Version', type: 'uint', values: VERSION_VALS, at: 1 },
    {
      name: 'rip.auth.type',
      label: 'Authentication type',
      type: 'uint',
      bits: 16,
      values: AUTH_VALS,
      read: (l, v) => {
        const t = ripAuthType(l);
        if (t) v.num(t, l.buf, l.off + 6, 2);
      },
    },
    { name: 'rip.digest_offset', label: 'Digest Offset', type: 'uint', bits: 16, read: md5Field(4, 2) },
    { name: 'rip.key_id', label: 'Key ID', type: 'uint', read: md5Field(6, 1) },
    { name: 'rip.auth_data_len', label: 'Auth Data Len', type: 'uint', read: md5Field(7, 1) },
    { name: 'rip.seq_num', label: 'Seq num', type: 'uint', bits: 32, read: md5Field(8, 4) },
    {
      // The trailer's data: 16 bytes after its 4-byte entry header, at the digest offset.
      name: 'rip.authentication_data',
      label: 'Authentication Data',
      type: 'bytes',
      read: (l, v) => {
        if (ripAuthType(l) !== AUTH_MD5) return;
        const p = l.off + l.dv.getUint16(l.off + 8) + 4;
        if (p + 16 <= l.end) v.bytes(l.buf, p, 16);
      },
    },
    {
      name: 'rip.family',
      label: 'Address Family',
      type: 'uint',
      bits: 16,
      values: FAMILY_VALS,
      read: entryField(0, 2, 'uint', false),
    },
    { name: 'rip.route_tag', label: 'Route Tag', type: 'uint', bits: 16, read: entryField(2, 2, 'uint', true) },
    { name: 'rip.ip', label: 'IP Address', type: 'ipv4', read: entryField(4, 4, 'ipv4', false, true) },
    { name: 'rip.netmask', label: 'Netmask', type: 'ipv4', read: entryField(8, 4, 'ipv4', true) },
    { name: 'rip.next_hop', label: 'Next Hop', type: 'ipv4', read: entryField(12, 4, 'ipv4', true) },
    { name: 'rip.metric', label: 'Metric', type: 'uint', bits: 16, read: entryField(18, 2, 'uint', false) },
  ),
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
    { name: 'authType', field: 'rip.auth.type' },
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
