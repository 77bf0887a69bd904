import { ipv4 } from './addr.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import { type Layer, protocol } from './packet.js';
import { W } from './warnings.js';

/**
 * OSPFv2 (RFC 2328, 24-byte header with authentication) and OSPFv3
 * (RFC 5340, 16-byte header). Hello bodies give the intervals that must
 * match for an adjacency. Passwords are never read out.
 */
const OSPF_HELLO = 1;
const TYPE_NAMES = ['', 'Hello', 'DB Description', 'LS Request', 'LS Update', 'LS Ack'];

/** OSPFv2 authentication types (RFC 2328 D.3, RFC 5709), as the audit, the UI and the text report name them. */
const OSPF_AUTH_NAMES: Record<number, string> = { 0: 'none', 1: 'simple password', 2: 'cryptographic' };
export const OSPF_AUTH_NONE = 0;
export const OSPF_AUTH_SIMPLE = 1;
export function ospfAuthName(authType: number): string {
  return OSPF_AUTH_NAMES[authType] ?? `type ${authType}`;
}

export const ospfVersion = (l: Layer): number => l.buf[l.off]!;
const ospfType = (l: Layer): number => l.buf[l.off + 1]!;
/** Made once for OSPFv2 and v3: the summary asks for a label on every packet. */
const LABELS = [2, 3].map((v) => TYPE_NAMES.map((name) => `OSPFv${v} ${name}`));
const ospfLabel = (l: Layer): string =>
  LABELS[ospfVersion(l) - 2]?.[ospfType(l)] ??
  `OSPFv${ospfVersion(l)} ${TYPE_NAMES[ospfType(l)] ?? `type ${ospfType(l)}`}`;

/** A Hello whose fixed part (up to the dead interval) was captured. */
const wholeHello = (l: Layer): boolean => ospfType(l) === OSPF_HELLO && l.hdrEnd + 12 <= l.end;

/** Wireshark's ospf_msg_type_vals and auth_vals. */
const MSG_TYPE_VALS = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const AUTH_VALS = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };

/** A field of the v2 or v3 header at `at`, when the message is of that version. */
const inVersion =
  (version: number, at: number, size: number): FieldReader =>
  (l, v) => {
    if (l.buf[l.off] !== version || l.off + at + size > l.end) return;
    const p = l.off + at;
    v.num(size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };

/** The v2 cryptographic authentication fields (auth type 2), at `at` in the header. */
const cryptAuth =
  (at: number, size: number): FieldReader =>
  (l, v) => {
    if (l.buf[l.off] !== 2 || l.off + 24 > l.end || l.dv.getUint16(l.off + 14) !== 2) return;
    const p = l.off + at;
    v.num(size === 1 ? l.buf[p]! : l.dv.getUint32(p), l.buf, p, size);
  };

/**
 * A Hello body field: at v2At in a v2 Hello, v3At in a v3 one (-1: not in that version), of v2Size and v3Size bytes.
 */
const hello =
  (v2At: number, v3At: number, v2Size: number, v3Size = v2Size): FieldReader =>
  (l, v) => {
    const version = l.buf[l.off];
    if (l.buf[l.off + 1] !== OSPF_HELLO || (version !== 2 && version !== 3)) return;
    const rel = version === 2 ? v2At : v3At;
    const size = version === 2 ? v2Size : v3Size;
    if (rel < 0) return;
    const p = l.off + (version === 2 ? 24 : 16) + rel;
    if (p + size > l.end) return;
    v.num(size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };

/** The neighbours a Hello lists after its fixed part. */
const activeNeighbors: FieldReader = (l, v) => {
  const version = l.buf[l.off];
  if (version !== 2 && version !== 3) return;
  for (let i = 0, n = ospfHelloNeighborCount(l); i < n; i++)
    v.num(ospfHelloNeighbor(l, i), l.buf, l.hdrEnd + 20 + 4 * i, 4);
};

/** Wireshark's hidden ospf.msg.hello...: present (true) on a message of that type. */
const isType =
  (type: number): FieldReader =>
  (l, v) => {
    if (l.buf[l.off + 1] === type) v.num(1, l.buf, l.off + 1, 1);
  };

/** OSPFv3's instance ID ranges (RFC 5838's address families), as Wireshark names them: a name for each value. */
const INSTANCE_ID_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Array.from({ length: 256 }, (_, id) => [
    id,
    id < 32
      ? 'IPv6 unicast AF'
      : id < 64
        ? 'IPv6 multicast AF'
        : id < 96
          ? 'IPv4 unicast AF'
          : id < 128
            ? 'IPv4 multicast AF'
            : 'Reserved',
  ]),
);

const OSPF_FIELDS = declareFields(() => [
  protocolField('ospf', 'Open Shortest Path First'),
  ...fields(
    { name: 'ospf.version', label: 'Version', type: 'uint', at: 0 },
    { name: 'ospf.msg', label: 'Message Type', type: 'uint', values: MSG_TYPE_VALS, at: 1 },
    { name: 'ospf.msg.hello', label: 'Hello', type: 'bool', bits: 0, hidden: true, read: isType(1) },
    { name: 'ospf.msg.dbdesc', label: 'Database Description', type: 'bool', bits: 0, hidden: true, read: isType(2) },
    { name: 'ospf.msg.lsreq', label: 'Link State Adv Request', type: 'bool', bits: 0, hidden: true, read: isType(3) },
    { name: 'ospf.msg.lsupdate', label: 'Link State Adv Update', type: 'bool', bits: 0, hidden: true, read: isType(4) },
    {
      name: 'ospf.msg.lsack',
      label: 'Link State Adv Acknowledgement',
      type: 'bool',
      bits: 0,
      hidden: true,
      read: isType(5),
    },
    { name: 'ospf.packet_length', label: 'Packet Length', type: 'uint', bits: 16, at: 2 },
    { name: 'ospf.srcrouter', label: 'Source OSPF Router', type: 'ipv4', at: 4 },
    { name: 'ospf.area_id', label: 'Area ID', type: 'ipv4', at: 8 },
    { name: 'ospf.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', at: 12 },
    {
      name: 'ospf.auth.type',
      label: 'Auth Type',
      type: 'uint',
      bits: 16,
      values: AUTH_VALS,
      read: inVersion(2, 14, 2),
    },
    { name: 'ospf.auth.crypt.key_id', label: 'Auth Crypt Key id', type: 'uint', read: cryptAuth(18, 1) },
    { name: 'ospf.auth.crypt.data_length', label: 'Auth Crypt Data Length', type: 'uint', read: cryptAuth(19, 1) },
    {
      name: 'ospf.auth.crypt.seq_nbr',
      label: 'Auth Crypt Sequence Number',
      type: 'uint',
      bits: 32,
      read: cryptAuth(20, 4),
    },
    {
      name: 'ospf.instance_id',
      label: 'Instance ID',
      type: 'uint',
      values: INSTANCE_ID_NAMES,
      read: inVersion(3, 14, 1),
    },
    { name: 'ospf.hello.network_mask', label: 'Network Mask', type: 'ipv4', read: hello(0, -1, 4) },
    { name: 'ospf.hello.interface_id', label: 'Interface ID', type: 'uint', bits: 32, read: hello(-1, 0, 4) },
    { name: 'ospf.hello.hello_interval', label: 'Hello Interval [sec]', type: 'uint', bits: 32, read: hello(4, 8, 2) },
    { name: 'ospf.hello.router_priority', label: 'Router Priority', type: 'uint', read: hello(7, 4, 1) },
    {
      name: 'ospf.hello.router_dead_interval',
      label: 'Router Dead Interval [sec]',
      type: 'uint',
      bits: 32,
      read: hello(8, 10, 4, 2),
    },
    { name: 'ospf.hello.designated_router', label: 'Designated Router', type: 'ipv4', read: hello(12, 12, 4) },
    {
      name: 'ospf.hello.backup_designated_router',
      label: 'Backup Designated Router',
      type: 'ipv4',
      read: hello(16, 16, 4),
    },
    { name: 'ospf.hello.active_neighbor', label: 'Active Neighbor', type: 'ipv4', read: activeNeighbors },
  ),
]);

export const ospf = protocol({
  name: 'ospf',
  abbrev: 'ospf',
  title: 'Open Shortest Path First',
  hf: OSPF_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 16)) return;
    const version = l.buf[l.off]!;
    if (version !== 2 && version !== 3) return ctx.warn(l, W.badVersion, version);
    const hlen = version === 2 ? 24 : 16;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    const len = l.dv.getUint16(l.off + 2);
    if (len < hlen || l.off + len > l.end) {
      if (len < hlen || !l.short) ctx.warn(l, W.badLength, len, l.end - l.off);
    } else l.end = l.off + len;
  },
  json: jsonMembers(OSPF_FIELDS, [
    { name: 'version', field: 'ospf.version' },
    { name: 'type', field: 'ospf.msg' },
    { name: 'routerId', field: 'ospf.srcrouter' },
    { name: 'area', field: 'ospf.area_id' },
    { name: 'authType', field: 'ospf.auth.type' },
    { name: 'keyId', field: 'ospf.auth.crypt.key_id' },
    { name: 'instanceId', field: 'ospf.instance_id' },
    // The intervals of a Hello whose fixed part was captured whole, or neither.
    { name: 'helloInterval', field: 'ospf.hello.hello_interval', only: wholeHello },
    { name: 'deadInterval', field: 'ospf.hello.router_dead_interval', only: wholeHello },
    { name: 'networkMask', field: 'ospf.hello.network_mask', only: wholeHello },
  ]),
  label: ospfLabel,
  summary(l, out) {
    out
      .str(ospfLabel(l))
      .str(' router ')
      .ipv4(l.buf, l.off + 4)
      .str(' area ')
      .ipv4(l.buf, l.off + 8);
  },
});

/** Whether the message is a Hello. */
export const ospfIsHello = (l: Layer): boolean => ospfType(l) === OSPF_HELLO;
/** The router ID as a number (the header's first 8 bytes must be there). */
export const ospfRouterId = (l: Layer): number => l.dv.getUint32(l.off + 4);
export const ospfRouterIdText = (l: Layer): string => ipv4(l.buf, l.off + 4);
export const ospfArea = (l: Layer): number => l.dv.getUint32(l.off + 8);
export const ospfAreaText = (l: Layer): string => ipv4(l.buf, l.off + 8);
/** OSPFv2's authentication type (OSPFv3 has none in its header). */
export const ospfAuthType = (l: Layer): number => l.dv.getUint16(l.off + 14);
export const OSPF_AUTH_CRYPTO = 2;

const OSPF_DB_DESCRIPTION = 2;
/** OSPFv3's AT option (RFC 7166): the router's packets end with an authentication trailer. */
const OSPFV3_OPTION_AT = 0x000400;
/**
 * An OSPFv3 Hello's or Database Description's options, which say whether the router signs its packets with an
 * authentication trailer (RFC 7166); -1 for other messages, OSPFv2, or options cut short.
 */
export function ospfv3AuthTrailer(l: Layer): -1 | 0 | 1 {
  if (ospfVersion(l) !== 3) return -1;
  const type = ospfType(l);
  const at = type === OSPF_HELLO ? l.hdrEnd + 5 : type === OSPF_DB_DESCRIPTION ? l.hdrEnd + 1 : -1;
  if (at < 0 || at + 3 > l.end) return -1;
  return (l.buf[at + 1]! << 8) & OSPFV3_OPTION_AT ? 1 : 0;
}

/**
 * How many neighbours (router IDs) a Hello lists after its fixed part (20 bytes in both versions); 0 for other
 * messages and for a header cut short.
 */
export function ospfHelloNeighborCount(l: Layer): number {
  if (ospfType(l) !== OSPF_HELLO || l.hdrEnd <= l.off) return 0;
  return Math.max(0, (l.end - l.hdrEnd - 20) >> 2);
}
/** The i-th of them. */
export function ospfHelloNeighbor(l: Layer, i: number): number {
  return l.dv.getUint32(l.hdrEnd + 20 + 4 * i);
}

/** What a Hello's fixed part says; networkMask is -1 in OSPFv3 (which has none). */
export interface OspfHello {
  helloInterval: number;
  deadInterval: number;
  networkMask: number;
}
const helloFields: OspfHello = { helloInterval: 0, deadInterval: 0, networkMask: -1 };

/** The Hello's timers and mask, or null for another message or a Hello cut short. One object, refilled at each call. */
export function ospfHello(l: Layer): OspfHello | null {
  if (!wholeHello(l)) return null;
  const b = l.hdrEnd;
  if (ospfVersion(l) === 2) {
    helloFields.helloInterval = l.dv.getUint16(b + 4);
    helloFields.deadInterval = l.dv.getUint32(b + 8);
    helloFields.networkMask = l.dv.getUint32(b);
  } else {
    helloFields.helloInterval = l.dv.getUint16(b + 8);
    helloFields.deadInterval = l.dv.getUint16(b + 10);
    helloFields.networkMask = -1;
  }
  return helloFields;
}
