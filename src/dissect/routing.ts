import { ipv4 } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader, type Values } from './field.js';
import { list } from './field-list.js';
import { type Layer, protocol } from './packet.js';
import { jsonMembers, jsonRest } from './json.js';
import { ipv6 } from './ipv6.js';

/** The small multicast control protocols that run across tunnels: IGMP, VRRP (PIM: pim.ts, EIGRP: eigrp.ts). */

const IGMP_TYPES: Record<number, string> = {
  0x11: 'query',
  0x12: 'v1 report',
  0x16: 'v2 report',
  0x17: 'leave',
  0x22: 'v3 report',
  0x13: 'DVMRP',
  0x14: 'PIMv1',
};
const igmpLabel = (l: Layer): string => `IGMP ${IGMP_TYPES[l.buf[l.off]!] ?? `type ${l.buf[l.off]}`}`;

/** IGMP (RFC 1112, 2236, 3376): type and group; a v3 report carries records instead. */
/** Wireshark's commands (IGMP types). */
const IGMP_TYPE_VALS = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x13: 'DVMRP Protocol',
  0x14: 'PIM Routing Message',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x1e: 'Traceroute Response',
  0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
};
const IGMP_QUERY = 0x11;
const IGMP_V3_REPORT = 0x22;
const IGMP_RECORD_TYPE_VALS = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

/** The IGMP version a message is (RFC 3376 section 7.1), or 0 for the types read as other protocols. */
function igmpVersion(l: Layer): number {
  const type = l.buf[l.off]!;
  if (type === 0x12) return 1;
  if (type === 0x16 || type === 0x17) return 2;
  if (type === IGMP_V3_REPORT) return 3;
  if (type !== IGMP_QUERY) return 0;
  if (l.end - l.off >= 12) return 3;
  return l.buf[l.off + 1] === 0 ? 1 : 2;
}

/** A multicast traceroute (mtrace) query or response: checksum and group where IGMP has them, its own fields after. */
const isMtrace = (l: Layer): boolean => l.buf[l.off] === 0x1e || l.buf[l.off] === 0x1f;

/**
 * A query, report or leave other than a v3 report holds a group at byte 4; the types read as other protocols (PIMv1,
 * DVMRP, mtrace) have other fields there.
 */
const hasGroup = (l: Layer): boolean => igmpVersion(l) !== 0 && l.buf[l.off] !== IGMP_V3_REPORT;

/** A field of the messages of the versions given: `at` from the start, 1, 2 or 4 bytes. */
const igmpField =
  (versions: readonly number[], at: number, size: number, query = false): FieldReader =>
  (l, v) => {
    if (!versions.includes(igmpVersion(l)) || (query && l.buf[l.off] !== IGMP_QUERY) || l.off + at + size > l.end)
      return;
    const p = l.off + at;
    v.num(size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };

const versionedChecksum = igmpField([1, 2, 3], 2, 2);

/**
 * Max Resp of a query or a v2 report or leave; a v3 query's code is a time, floating point from 128 (RFC 3376 4.1.1).
 */
const maxResp: FieldReader = (l, v) => {
  const type = l.buf[l.off]!;
  // A v1 query's byte 1 is reserved.
  if ((type !== IGMP_QUERY && type !== 0x16 && type !== 0x17) || igmpVersion(l) === 1) return;
  const code = l.buf[l.off + 1]!;
  const value = igmpVersion(l) === 3 && code >= 128 ? ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3) : code;
  v.num(value, l.buf, l.off + 1, 1);
};

/** The S flag (0x08) or the QRV (0x07) of a v3 query's byte 8. */
const v3QueryFlags =
  (mask: number): FieldReader =>
  (l, v) => {
    if (igmpVersion(l) !== 3 || l.buf[l.off] !== IGMP_QUERY) return;
    const b = l.buf[l.off + 8]! & mask;
    v.num(mask === 0x08 ? (b ? 1 : 0) : b, l.buf, l.off + 8, 1);
  };

/** Source addresses from s on, n of them, as far as they were captured. */
function sources(l: Layer, v: Values, s: number, n: number): void {
  for (let i = 0; i < n && s + 4 <= l.end; i++, s += 4) v.num(l.dv.getUint32(s), l.buf, s, 4);
}

/**
 * The group records of a v3 report (RFC 3376 4.2.4): type, aux data length
 * (in words), source count, group, sources, aux data; as many as the
 * report's count says while their 8 fixed bytes are captured. The group
 * address, source count and sources of the other messages (v1 and v2, a v3
 * query's) are the same fields, read outside the records.
 */
const V3_RECORDS = list({
  name: 'igmp.record',
  title: (l, p) =>
    `Group Record : ${ipv4(l.buf, p + 4)} ` +
    ` ${(IGMP_RECORD_TYPE_VALS as Record<number, string>)[l.buf[p]!] ?? 'Unknown'}`,
  in: [
    {
      when: (l) => l.buf[l.off] === IGMP_V3_REPORT && l.off + 8 <= l.end,
      start: (l) => l.off + 8,
      end: (l) => l.end,
      count: (l) => l.dv.getUint16(l.off + 6),
    },
  ],
  size: (l, p) => 8 + 4 * l.dv.getUint16(p + 2) + 4 * l.buf[p + 1]!,
  min: 8,
  fields: [
    { name: 'igmp.record_type', label: 'Record Type', type: 'uint', values: IGMP_RECORD_TYPE_VALS, at: 0 },
    { name: 'igmp.aux_data_len', label: 'Aux Data Len', type: 'uint', at: 1 },
    {
      name: 'igmp.num_src',
      label: 'Num Src',
      type: 'uint',
      bits: 16,
      at: 2,
      read: (l, v, ctx) => {
        if (igmpVersion(l) === 3 && l.buf[l.off] === IGMP_QUERY) igmpField([3], 10, 2)(l, v, ctx);
      },
    },
    {
      name: 'igmp.maddr',
      label: 'Multicast Address',
      type: 'ipv4',
      at: 4,
      read: (l, v) => {
        if ((hasGroup(l) || isMtrace(l)) && l.off + 8 <= l.end) v.num(l.dv.getUint32(l.off + 4), l.buf, l.off + 4, 4);
      },
    },
    {
      name: 'igmp.saddr',
      label: 'Source Address',
      type: 'ipv4',
      read: (l, v) => {
        if (igmpVersion(l) === 3 && l.buf[l.off] === IGMP_QUERY && l.off + 12 <= l.end)
          sources(l, v, l.off + 12, l.dv.getUint16(l.off + 10));
      },
      record: (l, v, _ctx, p) => sources(l, v, p + 8, l.dv.getUint16(p + 2)),
    },
  ],
});

/** IGMP types Wireshark hands to another protocol: DVMRP (0x13), PIMv1 (0x14), RGMP (0xfc-0xff). */
const IGMP_CARRIES = new Set([0x13, 0x14, 0xfc, 0xfd, 0xfe, 0xff]);

export const igmp = protocol({
  name: 'igmp',
  abbrev: 'igmp',
  // Wireshark's IGMP names itself twice in the frame's protocols (the dissector, then the message's own), with one
  // item in its tree; DVMRP, PIMv1 and RGMP messages it hands on, undissected here.
  frameNames: (l) => (IGMP_CARRIES.has(l.buf[l.off]!) ? 'igmp' : 'igmp:igmp'),
  treeNames: () => 'igmp',
  title: 'Internet Group Management Protocol',
  hf: declareFields(() => [
    protocolField('igmp', 'Internet Group Management Protocol'),
    ...fields(
      {
        name: 'igmp.version',
        label: 'IGMP Version',
        type: 'uint',
        read: (l, v) => {
          const n = igmpVersion(l);
          if (n) v.num(n, l.buf, l.off, 1);
        },
      },
      { name: 'igmp.type', label: 'Type', type: 'uint', base: 'hex', values: IGMP_TYPE_VALS, at: 0 },
      { name: 'igmp.max_resp', label: 'Max Resp Time', type: 'uint', read: maxResp },
      {
        name: 'igmp.checksum',
        label: 'Checksum',
        type: 'uint',
        bits: 16,
        base: 'hex',
        read: (l, v, ctx) => {
          if (isMtrace(l) && l.off + 4 <= l.end) v.num(l.dv.getUint16(l.off + 2), l.buf, l.off + 2, 2);
          else versionedChecksum(l, v, ctx);
        },
      },
      {
        name: 'igmp.s',
        label: 'S',
        type: 'bool',
        tfs: ['SUPPRESS router side processing', 'Do not suppress router side processing'],
        mask: 0x08,
        read: v3QueryFlags(0x08),
      },
      { name: 'igmp.qrv', label: 'QRV', type: 'uint', mask: 0x07, read: v3QueryFlags(0x07) },
      { name: 'igmp.qqic', label: 'QQIC', type: 'uint', read: igmpField([3], 9, 1, true) },
      {
        name: 'igmp.num_grp_recs',
        label: 'Num Group Records',
        type: 'uint',
        bits: 16,
        read: (l, v, ctx) => {
          if (l.buf[l.off] === IGMP_V3_REPORT) igmpField([3], 6, 2)(l, v, ctx);
        },
      },
    ),
    ...V3_RECORDS.fields,
  ]),
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
  },
  json: jsonRest((l) => {
    const type = l.buf[l.off]!;
    const o: Record<string, unknown> = { type, maxResponse: l.buf[l.off + 1] };
    if (type === 0x22) o.records = l.dv.getUint16(l.off + 6);
    else if (hasGroup(l)) o.group = ipv4(l.buf, l.off + 4);
    return o;
  }),
  label: igmpLabel,
  summary(l, out) {
    out.str(igmpLabel(l));
    if (hasGroup(l)) out.byte(0x20).ipv4(l.buf, l.off + 4);
  },
});

/** VRRP (RFC 5798): version, virtual router ID, priority. */
/** The network layer VRRP rides on: its addresses are IPv6 over IPv6. */
function overIpv6(l: Layer, ctx: { layers: Layer[]; count: number }): boolean {
  const i = ctx.layers.indexOf(l);
  return i > 0 && ctx.layers[i - 1]!.proto === ipv6;
}
const vrrpVersion = (l: Layer): number => l.buf[l.off]! >> 4;
/** A field of VRRP version 2 (auth type, advertisement interval) or 3 (the 12-bit interval). */
const vrrpIn =
  (version: number, at: number, size: number, mask: number, shift = 0): FieldReader =>
  (l, v) => {
    if (vrrpVersion(l) !== version || l.off + at + size > l.end) return;
    const p = l.off + at;
    v.num(((size === 1 ? l.buf[p]! : l.dv.getUint16(p)) & mask) >> shift, l.buf, p, size);
  };
const VRRP_AUTH_VALS = {
  0: 'No Authentication',
  1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]',
  2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]',
};

const VRRP_TYPES: Record<number, string> = { 1: 'Advertisement' };

/** "VRRPv3 Advertisement". */
const vrrpLabel = (l: Layer): string =>
  `VRRPv${l.buf[l.off]! >> 4} ${VRRP_TYPES[l.buf[l.off]! & 0x0f] ?? `type ${l.buf[l.off]! & 0x0f}`}`;

const VRRP_FIELDS = declareFields(() => [
  protocolField('vrrp', 'Virtual Router Redundancy Protocol'),
  ...fields(
    { name: 'vrrp.typever', label: 'VRRP message version and type', type: 'uint', at: 0 },
    { name: 'vrrp.version', label: 'VRRP protocol version', type: 'uint', mask: 0xf0, at: 0, child: true },
    {
      name: 'vrrp.type',
      label: 'VRRP packet type',
      type: 'uint',
      mask: 0x0f,
      values: VRRP_TYPES,
      at: 0,
      child: true,
    },
    { name: 'vrrp.virt_rtr_id', label: 'Virtual Rtr ID', type: 'uint', at: 1 },
    { name: 'vrrp.prio', label: 'Priority', type: 'uint', at: 2 },
    { name: 'vrrp.addr_count', label: 'Addr Count', type: 'uint', at: 3 },
    { name: 'vrrp.auth_type', label: 'Auth Type', type: 'uint', values: VRRP_AUTH_VALS, read: vrrpIn(2, 4, 1, 0xff) },
    { name: 'vrrp.adver_int', label: 'Adver Int', type: 'uint', read: vrrpIn(2, 5, 1, 0xff) },
    { name: 'vrrp.reserved_mbz', label: 'Reserved', type: 'uint', mask: 0xf0, read: vrrpIn(3, 4, 1, 0xf0, 4) },
    {
      name: 'vrrp.short_adver_int',
      label: 'Adver Int',
      type: 'uint',
      bits: 16,
      mask: 0x0fff,
      read: vrrpIn(3, 4, 2, 0x0fff),
    },
    { name: 'vrrp.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', at: 6 },
    {
      name: 'vrrp.ip_addr',
      label: 'IP Address',
      type: 'ipv4',
      read: (l, v, ctx) => {
        if (overIpv6(l, ctx)) return;
        for (let i = 0, p = l.off + 8; i < l.buf[l.off + 3]! && p + 4 <= l.end; i++, p += 4)
          v.num(l.dv.getUint32(p), l.buf, p, 4);
      },
    },
    {
      name: 'vrrp.ipv6_addr',
      label: 'IPv6 Address',
      type: 'ipv6',
      read: (l, v, ctx) => {
        if (!overIpv6(l, ctx)) return;
        for (let i = 0, p = l.off + 8; i < l.buf[l.off + 3]! && p + 16 <= l.end; i++, p += 16) v.bytes(l.buf, p, 16);
      },
    },
  ),
]);

export const vrrp = protocol({
  name: 'vrrp',
  abbrev: 'vrrp',
  title: 'Virtual Router Redundancy Protocol',
  hf: VRRP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
  },
  json: jsonMembers(VRRP_FIELDS, [
    { name: 'version', field: 'vrrp.version' },
    { name: 'type', field: 'vrrp.type' },
    { name: 'vrid', field: 'vrrp.virt_rtr_id' },
    { name: 'priority', field: 'vrrp.prio' },
  ]),
  label: vrrpLabel,
  summary: (l, out) => out.str(`VRRPv${l.buf[l.off]! >> 4} vrid ${l.buf[l.off + 1]} prio ${l.buf[l.off + 2]}`),
});
