import { CHECKSUM_STATUS, internetChecksum } from '../util/checksum.js';
import {
  declareFields,
  field,
  fields,
  protocolField,
  visitText,
  type Field,
  type FieldReader,
  type FieldSpec,
  type RecordReader,
  Values,
  hexThenText,
  namedOrUnknown,
} from './field.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import type { TextOut } from '../util/text-out.js';
import { jsonMembers, type MemberSpec } from './json.js';
import { type FieldList, list } from './field-list.js';
import { AFN_NAMES, ETHERTYPE_NAMES, NLPID_NAMES } from './numbers.js';
import { shownHex } from './addr.js';
import { u8, u16 } from './layer-read.js';

/**
 * NHRP (RFC 2332) as DMVPN uses it over GRE 0x2001: the fixed header
 * (20 bytes), the mandatory part (source NBMA and protocol addresses,
 * destination protocol address, request ID and flags, then Client
 * Information Entries) and the extensions (responder address, forward and
 * reverse transit NHS records, authentication, vendor private, Cisco's NAT
 * address). Error Indication (7) quotes the NHRP packet in error and
 * Traffic Indication (8, Cisco's Phase 3 redirect) the data packet that
 * caused it: both are dissected as quoted packets, the first as NHRP, the
 * second by the header's protocol type.
 *
 * aux: where the CIEs (or the quoted packet) start, from l.off;
 * aux2: where the mandatory part ends (the extensions start), from l.off.
 * Both are 0 when the header could not be read that far.
 */
export const NHRP_RESOLUTION_REQUEST = 1;
export const NHRP_RESOLUTION_REPLY = 2;
export const NHRP_REGISTRATION_REQUEST = 3;
export const NHRP_REGISTRATION_REPLY = 4;
const NHRP_PURGE_REQUEST = 5;
const NHRP_PURGE_REPLY = 6;
export const NHRP_ERROR_INDICATION = 7;
export const NHRP_TRAFFIC_INDICATION = 8;

const NHRP_EXT_RESPONDER = 3;
const NHRP_EXT_FORWARD_NHS = 4;
const NHRP_EXT_REVERSE_NHS = 5;
const NHRP_EXT_AUTH = 7;
const NHRP_EXT_VENDOR = 8;
/** Cisco's NAT address extension; 8 bytes long it is RFC 2735's device capabilities (as Wireshark reads it). */
export const NHRP_EXT_NAT = 9;

const FIXED = 20;
const CIE_FIXED = 12;
const AFN_IPV4 = 1;
const NLPID_SNAP = 0x80;

const TYPE_NAMES: Record<number, string> = {
  1: 'NHRP Resolution Request',
  2: 'NHRP Resolution Reply',
  3: 'NHRP Registration Request',
  4: 'NHRP Registration Reply',
  5: 'NHRP Purge Request',
  6: 'NHRP Purge Reply',
  7: 'NHRP Error Indication',
  8: 'NHRP Traffic Indication',
};
/** CIE codes (RFC 2332 5.2.0.1), lower case for text lines. */
const CODE_TEXT: Record<number, string> = {
  0: 'success',
  4: 'administratively prohibited',
  5: 'insufficient resources',
  12: 'no binding exists',
  13: 'binding not unique',
  14: 'already registered',
};
/** Error Indication codes (RFC 2332 5.2.7). */
const NHRP_ERROR_TEXT: Record<number, string> = {
  1: 'unrecognized extension',
  3: 'loop detected',
  6: 'protocol address unreachable',
  7: 'protocol error',
  8: 'SDU size exceeded',
  9: 'invalid extension',
  10: 'invalid resolution reply',
  11: 'authentication failure',
  15: 'hop count exceeded',
  16: 'VPN mismatch',
  17: 'VPN unsupported',
};
export const nhrpCodeText = (code: number): string => CODE_TEXT[code] ?? `code ${code}`;
export const nhrpErrorText = (code: number): string => NHRP_ERROR_TEXT[code] ?? `error ${code}`;

// ---- The layout, read from the layer: every accessor checks its bytes. ----

export const nhrpType = (l: Layer): number => l.buf[l.off + 17]!;
const nhrpAfn = (l: Layer): number => u16(l, l.off);
const protocolType = (l: Layer): number => u16(l, l.off + 2);
/** End of the NHRP packet: its length field, within what was captured. */
function packetEnd(l: Layer): number {
  const size = u16(l, l.off + 10);
  return size < FIXED ? l.end : Math.min(l.end, l.off + size);
}
/** The length field's end, captured or not (Wireshark's mandatory part and extensions end there). */
const declaredEnd = (l: Layer): number => l.off + u16(l, l.off + 10);
const mandatory = (l: Layer) => l.off + FIXED;
const srcNbmaLen = (l: Layer) => u8(l, l.off + 18) & 0x3f;
const srcSubLen = (l: Layer) => u8(l, l.off + 19) & 0x3f;
const srcProtoLen = (l: Layer) => u8(l, l.off + FIXED);
const dstProtoLen = (l: Layer) => u8(l, l.off + FIXED + 1);
const srcNbmaAt = (l: Layer) => l.off + FIXED + 8;
const srcSubAt = (l: Layer) => srcNbmaAt(l) + srcNbmaLen(l);
const srcProtoAt = (l: Layer) => srcSubAt(l) + srcSubLen(l);
const dstProtoAt = (l: Layer) => srcProtoAt(l) + srcProtoLen(l);
/** Has the layer the mandatory part's 8 fixed bytes? */
const hasMandatory = (l: Layer) => l.aux2 >= FIXED + 8 && mandatory(l) + 8 <= l.end;
/** A field of the mandatory part wholly inside it and captured. */
const inMandatory = (l: Layer, p: number, len: number) =>
  hasMandatory(l) && p + len <= l.off + l.aux2 && p + len <= l.end;

const hasRequestId = (t: number) => t >= 1 && t <= 6;

/** An IPv4 address as a number, or -1 where it is absent, not 4 bytes or not captured. */
function addr4(l: Layer, p: number, len: number): number {
  return len === 4 && inMandatory(l, p, 4) ? l.dv.getUint32(p) : -1;
}

/** Source NBMA (outer) address of the packet, IPv4 as a number; -1 when absent. */
export const nhrpSrcNbma = (l: Layer): number =>
  nhrpAfn(l) === AFN_IPV4 && hasMandatory(l) ? addr4(l, srcNbmaAt(l), srcNbmaLen(l)) : -1;
/** Source protocol (tunnel) address; -1 when absent. */
export const nhrpSrcProto = (l: Layer): number => (hasMandatory(l) ? addr4(l, srcProtoAt(l), srcProtoLen(l)) : -1);
/** Destination protocol address: whom a request asks for, the NHS a registration goes to; -1 when absent. */
export const nhrpDstProto = (l: Layer): number => (hasMandatory(l) ? addr4(l, dstProtoAt(l), dstProtoLen(l)) : -1);
/** Request ID (types 1 to 6); -1 otherwise. */
export const nhrpRequestId = (l: Layer): number =>
  hasRequestId(nhrpType(l)) && hasMandatory(l) ? l.dv.getUint32(mandatory(l) + 4) : -1;
/** The mandatory part's flags (types 1 to 6); -1 otherwise. */
const nhrpFlags = (l: Layer): number => (hasRequestId(nhrpType(l)) && hasMandatory(l) ? u16(l, mandatory(l) + 2) : -1);
/** Error Indication's error code; -1 for other types. */
export const nhrpErrorCode = (l: Layer): number =>
  nhrpType(l) === NHRP_ERROR_INDICATION && hasMandatory(l) ? u16(l, mandatory(l) + 4) : -1;

/**
 * A Client Information Entry, read into one reused object (a DMVPN state
 * machine asks for the first CIE of nearly every NHRP packet). Addresses
 * are IPv4 numbers, -1 where absent.
 */
class Cie {
  /** Offset of the entry in the layer's buffer; -1 when there is none. */
  at = -1;
  /** Offset of the next entry. */
  next = 0;
  code = 0;
  prefix = 0;
  mtu = 0;
  holdingTime = 0;
  nbma = -1;
  proto = -1;
}
const cie = new Cie();

/** Reads the CIE at p (ending by `end`) into c; false when it does not fit. */
function readCie(l: Layer, p: number, end: number, c: Cie): boolean {
  c.at = -1;
  if (p + CIE_FIXED > end) return false;
  const nbmaLen = u8(l, p + 8);
  const subLen = u8(l, p + 9);
  const protoLen = u8(l, p + 10);
  const next = p + CIE_FIXED + nbmaLen + subLen + protoLen;
  if (next > end) return false;
  c.at = p;
  c.next = next;
  c.code = u8(l, p);
  c.prefix = u8(l, p + 1);
  c.mtu = u16(l, p + 4);
  c.holdingTime = u16(l, p + 6);
  const nbmaAt = p + CIE_FIXED;
  c.nbma = nbmaLen === 4 && nhrpAfn(l) === AFN_IPV4 ? l.dv.getUint32(nbmaAt) : -1;
  c.proto = protoLen === 4 ? l.dv.getUint32(nbmaAt + nbmaLen + subLen) : -1;
  return true;
}

/** The first CIE of the mandatory part (requests, replies, purges), or null. The object is reused. */
export function nhrpFirstCie(l: Layer): Cie | null {
  const t = nhrpType(l);
  if (!hasRequestId(t) || l.aux === 0) return null;
  return readCie(l, l.off + l.aux, Math.min(l.end, l.off + l.aux2), cie) ? cie : null;
}

/**
 * Finds the extension of `type` and returns its value's offset, or -1; its
 * length is left in extLength. Extensions run from the mandatory part's end
 * to the packet's end.
 */
let extLength = 0;
function nhrpExtension(l: Layer, type: number): number {
  if (l.aux2 === 0 || u16(l, l.off + 14) === 0) return -1;
  const end = packetEnd(l);
  for (let p = l.off + l.aux2; p + 4 <= end; ) {
    const t = u16(l, p) & 0x3fff;
    const len = u16(l, p + 2);
    if (t === type && p + 4 + len <= end) {
      extLength = len;
      return p + 4;
    }
    if (t === 0) break;
    p += 4 + len;
  }
  return -1;
}

/** The first CIE inside the extension of `type` (responder address, NAT address), or null. */
export function nhrpExtensionCie(l: Layer, type: number): Cie | null {
  const at = nhrpExtension(l, type);
  if (at < 0 || (type === NHRP_EXT_NAT && extLength === 8)) return null;
  return readCie(l, at, at + extLength, cie) ? cie : null;
}

/** The authentication extension's SPI (1: Cisco's cleartext password), or -1 without one. */
export function nhrpAuthSpi(l: Layer): number {
  const at = nhrpExtension(l, NHRP_EXT_AUTH);
  return at >= 0 && extLength >= 4 ? u16(l, at + 2) : -1;
}

// ---- Fields, as Wireshark declares them (tshark -G fields). ----

/** Fixed-header field at `at`, present when the header is. */
const hdr =
  (at: number, size: number): FieldReader =>
  (l, v) => {
    if (l.off + at + size <= l.end)
      v.num(
        size === 1 ? l.buf[l.off + at]! : size === 2 ? u16(l, l.off + at) : l.dv.getUint32(l.off + at),
        l.buf,
        l.off + at,
        size,
      );
  };
/** A mandatory-part field at `rel` from its start, for the types `when` accepts. */
const mand =
  (rel: number, size: number, when: (t: number) => boolean): FieldReader =>
  (l, v) => {
    const p = mandatory(l) + rel;
    if (when(nhrpType(l)) && inMandatory(l, p, size))
      v.num(size === 1 ? l.buf[p]! : size === 2 ? u16(l, p) : l.dv.getUint32(p), l.buf, p, size);
  };
/** A flag of the mandatory part, where Wireshark shows it for the packet's type. */
const flag =
  (mask: number, types: readonly number[]): FieldReader =>
  (l, v) => {
    const p = mandatory(l) + 2;
    if (types.includes(nhrpType(l)) && inMandatory(l, p, 2)) v.num(u16(l, p) & mask ? 1 : 0, l.buf, p, 2);
  };
/** The flags of each packet type that has them, in Wireshark's order (the `Flags:` line names those set). */
const FLAGS_OF_TYPE: Record<number, readonly (readonly [number, string])[]> = {};
for (const t of [1, 2])
  FLAGS_OF_TYPE[t] = [
    [0x8000, 'Is Router'],
    [0x4000, 'Authoritative'],
    [0x2000, 'Stable Association'],
    [0x1000, 'Uniqueness Bit'],
    [0x0800, 'Stable Binding'],
    [0x0002, 'Cisco NAT Supported'],
  ];
for (const t of [3, 4])
  FLAGS_OF_TYPE[t] = [
    [0x8000, 'Uniqueness Bit'],
    [0x0002, 'Cisco NAT Supported'],
  ];
for (const t of [5, 6])
  FLAGS_OF_TYPE[t] = [
    [0x8000, 'Expected Purge Reply'],
    [0x0002, 'Cisco NAT Supported'],
  ];
const RESOLUTION = [1, 2];
const REGISTRATION = [3, 4];
const PURGE = [5, 6];
const ALL_REQUESTS = [1, 2, 3, 4, 5, 6];
const U_REGISTRATION = flag(0x8000, REGISTRATION);
const U_RESOLUTION = flag(0x1000, RESOLUTION);

/** An address of the mandatory part: IPv4 when `v4` says so, bytes otherwise. */
function address(
  where: (l: Layer) => number,
  length: (l: Layer) => number,
  v4: (l: Layer, len: number) => boolean,
  asIpv4: boolean,
): FieldReader {
  return (l, v) => {
    if (!hasMandatory(l)) return;
    const len = length(l);
    const p = where(l);
    if (len === 0 || !inMandatory(l, p, len) || v4(l, len) !== asIpv4) return;
    v.num(asIpv4 ? l.dv.getUint32(p) : 0, l.buf, p, len);
  };
}
const nbmaV4 = (l: Layer, len: number) => nhrpAfn(l) === AFN_IPV4 && len === 4;
const protoV4 = (_l: Layer, len: number) => len === 4;

/** A record's bytes that were captured: [p, min(p + len, l.end)). */
const ext =
  (read: (l: Layer, v: Values, type: number, at: number, len: number) => void): RecordReader =>
  (l, v, _ctx, p, len) =>
    read(l, v, u16(l, p) & 0x3fff, p + 4, len - 4);
const isDevCap = (type: number, len: number) => type === NHRP_EXT_NAT && len === 8;
/** An authentication extension of `len` bytes holds the source protocol address where it has room for it. */
function authAddressLength(l: Layer, len: number): number {
  const srcLen = hasMandatory(l) ? srcProtoLen(l) : 0;
  return len >= srcLen + 4 ? srcLen : 0;
}
/** Authentication extension: reserved(2) SPI(2) source address (the source protocol length) data. */
const auth = (part: 'reserved' | 'spi' | 'src' | 'data'): RecordReader =>
  ext((l, v, type, at, len) => {
    if (type !== NHRP_EXT_AUTH || len < 4 || at + len > l.end) return;
    const addrLen = authAddressLength(l, len);
    if (part === 'reserved') v.num(u16(l, at), l.buf, at, 2);
    else if (part === 'spi') v.num(u16(l, at + 2), l.buf, at + 2, 2);
    else if (part === 'src' && addrLen === 4) v.num(l.dv.getUint32(at + 4), l.buf, at + 4, 4);
    else if (part === 'data' && len > 4 + addrLen) v.bytes(l.buf, at + 4 + addrLen, len - 4 - addrLen);
  });

const SHTL_TYPES = { 0: 'NSAP format', 1: 'Native E.164 format' };
const CODE_VALUES = {
  0: 'Success',
  4: 'Administratively Prohibited',
  5: 'Insufficient Resources',
  12: 'No Interworking Layer Address to NBMA Address Binding Exists',
  13: 'Binding Exists But Is Not Unique',
  14: 'Unique Internetworking Layer Address Already Registered',
};
const ERROR_VALUES = {
  1: 'Unrecognized Extension',
  3: 'NHRP Loop Detected',
  6: 'Protocol Address Unreachable',
  7: 'Protocol Error',
  8: 'NHRP SDU Size Exceeded',
  9: 'Invalid Extension',
  10: 'Invalid NHRP Resolution Reply Received',
  11: 'Authentication Failure',
  15: 'Hop Count Exceeded',
  16: 'VPN Mismatch',
  17: 'VPN Unsupported',
};

/**
 * A 1-byte address type and length (the source's, a client's) at `at`, and its type and length bits; -V shows it as
 * `NSAP format/4`.
 */
const typeLen = (name: string, label: string, at: number): FieldSpec[] => [
  {
    name,
    label,
    type: 'uint',
    display: (n) => `${SHTL_TYPES[((n & 0x40) >> 6) as 0 | 1]}/${n & 0x3f}`,
    at,
  },
  { name: `${name}.type`, label: 'Type', type: 'uint', mask: 0x40, values: SHTL_TYPES, at, child: true },
  { name: `${name}.len`, label: 'Length', type: 'uint', mask: 0x3f, at, child: true },
];

/** Wireshark's titles of the extensions. */
const EXTENSION_TITLES: Record<number, string> = {
  0: 'End of Extension',
  3: 'Responder Address Extension',
  4: 'Forward Transit NHS Record Extension',
  5: 'Reverse Transit NHS Record Extension',
  7: 'NHRP Authentication Extension',
  8: 'NHRP Vendor Private Extension',
  9: 'Cisco NAT Address Extension',
};

/**
 * The extensions (RFC 2332 5.3): from the extension offset to the packet's
 * length, a 4-byte header (C bit, type, length) and the value; the End
 * extension (type 0) is the last.
 */
const EXTENSIONS = list({
  name: 'nhrp.ext',
  title: (l, p, len) => {
    const t = u16(l, p) & 0x3fff;
    return isDevCap(t, len - 4) ? 'Device Capabilities Extension' : (EXTENSION_TITLES[t] ?? `Unknown (${t})`);
  },
  in: [
    {
      when: (l) => l.aux2 !== 0 && u16(l, l.off + 14) !== 0,
      start: (l) => l.off + l.aux2,
      end: (l) => Math.min(l.end, declaredEnd(l)),
    },
  ],
  size: (l, p) => 4 + u16(l, p + 2),
  min: 4,
  last: (l, p) => (u16(l, p) & 0x3fff) === 0,
  fields: [
    { name: 'nhrp.ext.c', label: 'Compulsory Flag', type: 'bool', bits: 16, mask: 0x8000, at: 0 },
    { name: 'nhrp.ext.type', label: 'Extension Type', type: 'uint', bits: 16, base: 'hex', mask: 0x3fff, at: 0 },
    { name: 'nhrp.ext.len', label: 'Extension length', type: 'uint', bits: 16, at: 2 },
    { name: 'nhrp.auth_ext.reserved', label: 'Reserved', type: 'uint', bits: 16, record: auth('reserved') },
    { name: 'nhrp.auth_ext.spi', label: 'SPI', type: 'uint', bits: 16, record: auth('spi') },
    { name: 'nhrp.auth_ext.src_addr', label: 'Source Address', type: 'ipv4', record: auth('src') },
    { name: 'nhrp.auth_ext.data', label: 'Data', type: 'bytes', record: auth('data') },
    {
      name: 'nhrp.vendor_ext.id',
      label: 'Vendor ID',
      type: 'uint',
      bits: 24,
      record: ext((l, v, t, at, len) => {
        if (t === NHRP_EXT_VENDOR && len >= 3 && at + 3 <= l.end)
          v.num((l.buf[at]! << 16) | u16(l, at + 1), l.buf, at, 3);
      }),
    },
    {
      name: 'nhrp.vendor_ext.data',
      label: 'Data',
      type: 'bytes',
      record: ext((l, v, t, at, len) => {
        if (t === NHRP_EXT_VENDOR && len > 3 && at + len <= l.end) v.bytes(l.buf, at + 3, len - 3);
      }),
    },
    {
      name: 'nhrp.devcap_ext.srccap',
      label: 'Source Capabilities',
      type: 'uint',
      bits: 32,
      base: 'hex',
      record: devcap(0, 0),
    },
    {
      name: 'nhrp.devcap_ext.srccap.V',
      label: 'VPN-aware',
      type: 'bool',
      bits: 32,
      mask: 1,
      record: devcap(0, 1),
      child: true,
    },
    {
      name: 'nhrp.devcap_ext.dstcap',
      label: 'Destination Capabilities',
      type: 'uint',
      bits: 32,
      base: 'hex',
      record: devcap(4, 0),
    },
    {
      name: 'nhrp.devcap_ext.dstcap.V',
      label: 'VPN-aware',
      type: 'bool',
      bits: 32,
      mask: 1,
      record: devcap(4, 1),
      child: true,
    },
    {
      name: 'nhrp.unknown_ext.value',
      label: 'Extension Value',
      type: 'bytes',
      record: ext((l, v, t, at, len) => {
        if (
          len === 0 ||
          t === 0 ||
          t === NHRP_EXT_RESPONDER ||
          t === NHRP_EXT_FORWARD_NHS ||
          t === NHRP_EXT_REVERSE_NHS ||
          t === NHRP_EXT_NAT ||
          t === NHRP_EXT_AUTH ||
          t === NHRP_EXT_VENDOR ||
          t === 10
        )
          return;
        if (at + len <= l.end) v.bytes(l.buf, at, len);
      }),
    },
  ],
});

/** The client NBMA (which = 0), sub (1) or protocol (2) address of a CIE, as IPv4 or bytes. */
const cieAddress =
  (which: 0 | 1 | 2, asIpv4: boolean): RecordReader =>
  (l, v, _ctx, p) => {
    const nbmaLen = l.buf[p + 8]!;
    const subLen = l.buf[p + 9]!;
    const protoLen = l.buf[p + 10]!;
    const len = which === 0 ? nbmaLen : which === 1 ? subLen : protoLen;
    if (len === 0) return;
    const at = p + CIE_FIXED + (which >= 1 ? nbmaLen : 0) + (which === 2 ? subLen : 0);
    const v4 = which === 0 ? nbmaV4(l, len) : which === 2 ? len === 4 : false;
    if (which !== 1 && v4 !== asIpv4) return;
    v.num(asIpv4 ? l.dv.getUint32(at) : 0, l.buf, at, len);
  };

/**
 * Client Information Entries (RFC 2332 5.2.0.1): 12 fixed bytes and the
 * client's NBMA, sub and protocol addresses, each whole within its part.
 * In Wireshark's order: the mandatory part's (requests, replies, purges),
 * then those of the responder, forward and reverse transit and NAT address
 * extensions (not the device capabilities a NAT extension of 8 bytes is).
 */
const CIES = list({
  name: 'nhrp.cie',
  title: () => 'Client Information Entry',
  in: [
    {
      when: (l) => l.aux > 0 && hasRequestId(nhrpType(l)),
      start: (l) => l.off + l.aux,
      end: (l) => Math.min(l.end, l.off + l.aux2),
    },
    {
      parent: EXTENSIONS,
      when: (l, p, len) => {
        const t = u16(l, p) & 0x3fff;
        return (
          (t === NHRP_EXT_RESPONDER ||
            t === NHRP_EXT_FORWARD_NHS ||
            t === NHRP_EXT_REVERSE_NHS ||
            t === NHRP_EXT_NAT) &&
          !isDevCap(t, len - 4)
        );
      },
      start: (_l, p) => p + 4,
      end: (l, p, len) => Math.min(l.end, p + len),
    },
  ],
  size: (l, p) => CIE_FIXED + l.buf[p + 8]! + l.buf[p + 9]! + l.buf[p + 10]!,
  header: CIE_FIXED,
  fields: [
    { name: 'nhrp.code', label: 'Code', type: 'uint', values: CODE_VALUES, at: 0 },
    { name: 'nhrp.prefix', label: 'Prefix Length', type: 'uint', at: 1 },
    { name: 'nhrp.unused', label: 'Unused', type: 'uint', bits: 16, at: 2 },
    { name: 'nhrp.mtu', label: 'Max Transmission Unit', type: 'uint', bits: 16, at: 4 },
    { name: 'nhrp.htime', label: 'Holding Time (s)', type: 'uint', bits: 16, at: 6 },
    ...typeLen('nhrp.cli.addr_tl', 'Client Address Type/Len', 8),
    ...typeLen('nhrp.cli.saddr_tl', 'Client Sub Address Type/Len', 9),
    { name: 'nhrp.prot.len', label: 'Client Protocol Length', type: 'uint', at: 10 },
    { name: 'nhrp.pref', label: 'CIE Preference Value', type: 'uint', at: 11 },
    { name: 'nhrp.client.nbma.addr', label: 'Client NBMA Address', type: 'ipv4', record: cieAddress(0, true) },
    {
      name: 'nhrp.client.nbma.addr_bytes',
      label: 'Client NBMA Address',
      type: 'bytes',
      record: cieAddress(0, false),
    },
    { name: 'nhrp.client.nbma.saddr', label: 'Client NBMA Sub Address', type: 'bytes', record: cieAddress(1, false) },
    { name: 'nhrp.client.prot.addr', label: 'Client Protocol Address', type: 'ipv4', record: cieAddress(2, true) },
    {
      name: 'nhrp.client.prot.addr_bytes',
      label: 'Client Protocol Address',
      type: 'bytes',
      record: cieAddress(2, false),
    },
  ],
});

/** A CIE in the JSON (CONTRACT.md). */
const CIE_MEMBERS: MemberSpec[] = [
  { name: 'code', field: 'nhrp.code' },
  { name: 'prefixLength', field: 'nhrp.prefix' },
  { name: 'mtu', field: 'nhrp.mtu' },
  { name: 'holdingTime', field: 'nhrp.htime' },
  { name: 'nbma', field: 'nhrp.client.nbma.addr' },
  { name: 'proto', field: 'nhrp.client.prot.addr' },
];

const HF = declareFields(() => [
  protocolField('nhrp', 'NBMA Next Hop Resolution Protocol'),
  ...fields(
    {
      name: 'nhrp.hdr.afn',
      label: 'Address Family Number',
      type: 'uint',
      bits: 16,
      base: 'hex_dec',
      values: AFN_NAMES,
      // A number it does not name is Wireshark's `Unknown (0x5dc9)`.
      display: namedOrUnknown(AFN_NAMES, 4),
      read: hdr(0, 2),
    },
    {
      name: 'nhrp.hdr.pro.type',
      label: 'Protocol Type (short form)',
      type: 'uint',
      bits: 16,
      base: 'hex_dec',
      display: (n) => `${protocolTypeName(n)} (0x${n.toString(16).padStart(4, '0')})`,
      read: hdr(2, 2),
    },
    {
      name: 'nhrp.protocol_type',
      label: 'Protocol Type (long form)',
      type: 'bytes',
      read: (l, v) => {
        if (protocolType(l) !== NLPID_SNAP && l.off + 9 <= l.end) v.bytes(l.buf, l.off + 4, 5);
      },
    },
    { name: 'nhrp.hdr.hopcnt', label: 'Hop Count', type: 'uint', read: hdr(9, 1) },
    { name: 'nhrp.hdr.pktsz', label: 'Packet Length', type: 'uint', bits: 16, read: hdr(10, 2) },
    {
      name: 'nhrp.hdr.chksum',
      label: 'NHRP Packet Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v) => {
        if (!pktszOk(l) || l.off + 14 > l.end) return;
        v.str(checksumVerdict(l), l.buf, l.off + 12, 2, u16(l, l.off + 12));
      },
    },
    {
      name: 'nhrp.hdr.chksum.status',
      label: 'NHRP Packet Checksum Status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: (l, v) => {
        if (pktszOk(l) && l.off + 14 <= l.end) v.num(checksumStatus(l), l.buf, l.off + 12, 2);
      },
    },
    { name: 'nhrp.hdr.extoff', label: 'Extension Offset', type: 'uint', bits: 16, read: afterPktsz(hdr(14, 2)) },
    {
      name: 'nhrp.hdr.version',
      label: 'Version',
      type: 'uint',
      display: (n) => `${n} (${n === 1 ? 'NHRP - rfc2332' : 'Unknown'})`,
      read: afterPktsz(hdr(16, 1)),
    },
    {
      name: 'nhrp.hdr.op.type',
      label: 'NHRP Packet Type',
      type: 'uint',
      values: TYPE_NAMES,
      read: afterPktsz(hdr(17, 1)),
    },
  ),
  ...fields(
    ...typeLen('nhrp.hdr.shtl', 'Source Address Type/Len', 18),
    ...typeLen('nhrp.hdr.sstl', 'Source SubAddress Type/Len', 19),
  ).map(whenPktszOk),
  ...fields(
    { name: 'nhrp.src.prot.len', label: 'Source Protocol Len', type: 'uint', bits: 16, read: mand(0, 1, () => true) },
    {
      name: 'nhrp.dst.prot.len',
      label: 'Destination Protocol Len',
      type: 'uint',
      bits: 16,
      read: mand(1, 1, () => true),
    },
    {
      name: 'nhrp.flags',
      label: 'Flags',
      type: 'uint',
      bits: 16,
      base: 'hex',
      // -V: `0xc002, Is Router, Authoritative, Cisco NAT Supported`, the flags of the packet's type that are set.
      display: hexThenText(4),
      read: (l, v) => {
        const p = mandatory(l) + 2;
        if (!hasRequestId(nhrpType(l)) || !inMandatory(l, p, 2)) return;
        const flags = u16(l, p);
        let set = '';
        for (const [mask, label] of FLAGS_OF_TYPE[nhrpType(l)]!) if (flags & mask) set += `, ${label}`;
        v.str(set, l.buf, p, 2, flags);
      },
    },
    {
      name: 'nhrp.flag.q',
      label: 'Is Router',
      type: 'bool',
      bits: 16,
      mask: 0x8000,
      read: flag(0x8000, RESOLUTION),
      child: true,
    },
    {
      name: 'nhrp.flag.n',
      label: 'Expected Purge Reply',
      type: 'bool',
      bits: 16,
      mask: 0x8000,
      read: flag(0x8000, PURGE),
      child: true,
    },
    {
      name: 'nhrp.flag.a',
      label: 'Authoritative',
      type: 'bool',
      bits: 16,
      mask: 0x4000,
      read: flag(0x4000, RESOLUTION),
      child: true,
    },
    {
      name: 'nhrp.flag.d',
      label: 'Stable Association',
      type: 'bool',
      bits: 16,
      mask: 0x2000,
      read: flag(0x2000, RESOLUTION),
      child: true,
    },
    {
      // Wireshark declares the U bit twice under one name: 0x1000 in resolutions, 0x8000 in registrations.
      name: 'nhrp.flag.u',
      label: 'Uniqueness Bit',
      type: 'bool',
      bits: 16,
      mask: 0x1000,
      child: true,
      read: (l, v, ctx) => (REGISTRATION.includes(nhrpType(l)) ? U_REGISTRATION : U_RESOLUTION)(l, v, ctx),
    },
    {
      name: 'nhrp.flag.s',
      label: 'Stable Binding',
      type: 'bool',
      bits: 16,
      mask: 0x0800,
      read: flag(0x0800, RESOLUTION),
      child: true,
    },
    {
      name: 'nhrp.flag.nat',
      label: 'Cisco NAT Supported',
      type: 'bool',
      bits: 16,
      mask: 0x0002,
      read: flag(0x0002, ALL_REQUESTS),
      child: true,
    },
    {
      name: 'nhrp.reqid',
      label: 'Request ID',
      type: 'uint',
      bits: 32,
      base: 'hex_dec',
      read: mand(4, 4, hasRequestId),
    },
    {
      name: 'nhrp.err.code',
      label: 'Error Code',
      type: 'uint',
      bits: 16,
      values: ERROR_VALUES,
      read: mand(4, 2, (t) => t === NHRP_ERROR_INDICATION),
    },
    {
      name: 'nhrp.err.offset',
      label: 'Error Offset',
      type: 'uint',
      bits: 16,
      read: mand(6, 2, (t) => t === NHRP_ERROR_INDICATION),
    },
    {
      name: 'nhrp.src.nbma.addr',
      label: 'Source NBMA Address',
      type: 'ipv4',
      read: address(srcNbmaAt, srcNbmaLen, nbmaV4, true),
    },
    {
      name: 'nhrp.src.nbma.addr_bytes',
      label: 'Source NBMA Address',
      type: 'bytes',
      read: address(srcNbmaAt, srcNbmaLen, nbmaV4, false),
    },
    {
      name: 'nhrp.src.nbma.saddr',
      label: 'Source NBMA Sub Address',
      type: 'bytes',
      read: address(srcSubAt, srcSubLen, () => false, false),
    },
    {
      name: 'nhrp.src.prot.addr',
      label: 'Source Protocol Address',
      type: 'ipv4',
      read: address(srcProtoAt, srcProtoLen, protoV4, true),
    },
    {
      name: 'nhrp.src.prot.addr_bytes',
      label: 'Source Protocol Address',
      type: 'bytes',
      read: address(srcProtoAt, srcProtoLen, protoV4, false),
    },
    {
      name: 'nhrp.dst.prot.addr',
      label: 'Destination Protocol Address',
      type: 'ipv4',
      read: address(dstProtoAt, dstProtoLen, protoV4, true),
    },
    // Wireshark's spelling.
    {
      name: 'nhrp.dst.prot.addr_byets',
      label: 'Destination Protocol Address',
      type: 'bytes',
      read: address(dstProtoAt, dstProtoLen, protoV4, false),
    },
  ),
  ...CIES.fields,
  ...EXTENSIONS.fields,
]);

function devcap(rel: number, bit: 0 | 1): RecordReader {
  return ext((l, v, t, at, len) => {
    if (!isDevCap(t, len) || at + 8 > l.end) return;
    const w = l.dv.getUint32(at + rel);
    v.num(bit ? w & 1 : w, l.buf, at + rel, 4);
  });
}

/** Wireshark stops after the packet length field when it is under 20. */
const pktszOk = (l: Layer) => l.off + 12 <= l.end && u16(l, l.off + 10) >= FIXED;
function afterPktsz(read: FieldReader): FieldReader {
  return (l: Layer, v: Values, ctx: PacketCtx) => {
    if (pktszOk(l)) read(l, v, ctx);
  };
}
function whenPktszOk<F extends { read: FieldReader }>(f: F): F {
  return { ...f, read: afterPktsz(f.read) };
}
/** 1 good, 0 bad, 2 unverified (the packet's length not all captured), as Wireshark's checksum status. */
function checksumStatus(l: Layer): number {
  const end = declaredEnd(l);
  if (l.short || end > l.end) return 2;
  return internetChecksum(l.dv, l.off, end) === 0 ? 1 : 0;
}
/** What -V writes after the checksum: ` [correct]`, ` incorrect, should be 0x....`, ` [unverified]`. */
function checksumVerdict(l: Layer): string {
  const status = checksumStatus(l);
  if (status === 1) return ' [correct]';
  if (status === 2) return ' [unverified]';
  // The sum of the packet without its checksum field, as a sender computes it.
  const before = ~internetChecksum(l.dv, l.off, l.off + 12) & 0xffff;
  const expected = internetChecksum(l.dv, l.off + 14, declaredEnd(l), before);
  return ` incorrect, should be 0x${expected.toString(16).padStart(4, '0')}`;
}

/** The protocol type's name, as Wireshark's: an NLPID up to 0xff, the ranges RFC 2332 reserves, then an EtherType. */
function protocolTypeName(n: number): string {
  if (n <= 0xff) return NLPID_NAMES[n] ?? 'Unknown NLPID';
  if (n <= 0x3ff) return 'Reserved for future use by the IETF';
  if (n <= 0x4ff) return 'Allocated for use by the ATM Forum';
  if (n <= 0x5ff) return 'Experimental/Local use';
  return ETHERTYPE_NAMES[n] ?? 'Unknown Ethertype';
}

/** Writes an address of `len` bytes at p: IPv4 dotted, anything else in hex. */
function writeAddress(out: TextOut, l: Layer, p: number, len: number): void {
  if (len === 4) out.ipv4(l.buf, p);
  else if (len === 0) out.str('-');
  else out.str('0x').hexBytes(l.buf, p, len);
}

/** "NHRP Registration Request". */
function nhrpLabel(l: Layer): string {
  const t = nhrpType(l);
  return TYPE_NAMES[t] ?? `NHRP type ${t}`;
}

/** The U bit as a registration has it (0x8000): -V draws it there, where a resolution's is 0x1000. */
const U_IN_REGISTRATION = field({
  name: 'nhrp.flag.u',
  label: 'Uniqueness Bit',
  type: 'bool',
  bits: 16,
  mask: 0x8000,
  child: true,
  read: U_REGISTRATION,
});
// One set for every tree: nhrpTree comes back into itself through quoted() (an Error Indication quotes NHRP), which
// it calls between its walks of the CIEs and of the extensions, never within one.
const shown = new Values();
const extensionCursor = EXTENSIONS.cursor();
const cieCursor = CIES.cursor();
/**
 * The fixed header's fields, then the mandatory part's (from the source protocol length on), each in Wireshark's
 * order, which is their declared one; built at the first tree.
 */
let parts: { header: Field[]; mandatory: Field[] } | null = null;
function treeParts(): { header: Field[]; mandatory: Field[] } {
  if (parts) return parts;
  const header: Field[] = [];
  const mandatory: Field[] = [];
  for (const f of HF()) {
    if (f.list !== null || f.type === 'protocol' || f.hidden) continue;
    if (f.name === 'nhrp.src.prot.len' || mandatory.length > 0) mandatory.push(f);
    else header.push(f);
  }
  return (parts = { header, mandatory });
}

/**
 * -V's tree as Wireshark's: the fixed header and the mandatory part as subtrees (the mandatory part's CIEs in it),
 * then each extension with its CIEs.
 */
function nhrpTree(
  l: Layer,
  ctx: PacketCtx,
  visit: (f: Field, v: Values, depth: number) => void,
  quoted: (depth: number) => void,
): void {
  const { header, mandatory: inMandatoryPart } = treeParts();
  const each = (f: Field, depth: number) => {
    shown.n = 0;
    f.read!(l, shown, ctx);
    if (shown.n > 0) visit(f, shown, depth);
  };
  const title = (text: string, p: number, len: number, depth: number) =>
    visitText(visit, text, l.buf, p, Math.min(len, l.end - p), depth);
  /** The fields `from` to `to` (exclusive) of a list's record at p, at depth. */
  const fieldsOf = (list: FieldList, p: number, len: number, depth: number, from = 0, to = list.fields.length) => {
    for (let i = from; i < to; i++) {
      const f = list.fields[i]!;
      shown.n = 0;
      f.recordRead!(l, shown, ctx, p, len);
      if (shown.n > 0) visit(f, shown, depth);
    }
  };
  /** The CIEs of the mandatory part (k 0) or of the extension at pp (k 1), each a subtree at depth. */
  const cies = (k: number, pp: number, plen: number, depth: number) => {
    for (let ok = cieCursor.region(l, k, pp, plen); ok; ok = cieCursor.step(l)) {
      const { p, len } = cieCursor;
      title(CIES.title(l, p, len), p, len, depth);
      fieldsOf(CIES, p, len, depth + 1);
    }
  };
  title('NHRP Fixed Header', l.off, FIXED, 1);
  for (const f of header) each(f, 2);
  if (l.aux2 > FIXED && mandatory(l) < l.end) {
    title('NHRP Mandatory Part', mandatory(l), l.aux2 - FIXED, 1);
    const registration = REGISTRATION.includes(nhrpType(l));
    for (const f of inMandatoryPart) each(registration && f.name === 'nhrp.flag.u' ? U_IN_REGISTRATION : f, 2);
    cies(0, -1, 0, 2);
  }
  const t = nhrpType(l);
  if ((t === NHRP_ERROR_INDICATION || t === NHRP_TRAFFIC_INDICATION) && l.aux > 0 && l.off + l.aux < l.end) {
    title('Packet Causing Indication', l.off + l.aux, l.aux2 - l.aux, 1);
    quoted(2);
  }
  for (let ok = extensionCursor.region(l, 0, -1, 0); ok; ok = extensionCursor.step(l)) {
    const { p, len } = extensionCursor;
    title(EXTENSIONS.title(l, p, len), p, len, 1);
    // An authentication or device capabilities extension's value is a subtree of its own, after the header's fields.
    const data = extensionData(l, p, len);
    if (!data) fieldsOf(EXTENSIONS, p, len, 2);
    else {
      fieldsOf(EXTENSIONS, p, len, 2, 0, EXTENSION_HEADER_FIELDS);
      title(data, p + 4, len - 4, 2);
      fieldsOf(EXTENSIONS, p, len, 3, EXTENSION_HEADER_FIELDS);
    }
    cies(1, p, len, 2);
  }
}

/** The extension list's fields of its 4-byte header (C bit, type, length), before those of its value. */
const EXTENSION_HEADER_FIELDS = 3;

/**
 * The title of an extension value's subtree, as Wireshark's: `Extension Data: SPI=1` (and `: Data=` its bytes) for
 * authentication, `Extension Data: Src is VPN-aware; Dst is non-VPN-aware` for device capabilities; '' for others.
 */
function extensionData(l: Layer, p: number, len: number): string {
  const t = u16(l, p) & 0x3fff;
  const at = p + 4;
  const size = len - 4;
  if (isDevCap(t, size) && at + 8 <= l.end) {
    const vpn = (q: number) => (l.dv.getUint32(q) & 1 ? 'VPN-aware' : 'non-VPN-aware');
    return `Extension Data: Src is ${vpn(at)}; Dst is ${vpn(at + 4)}`;
  }
  if (t !== NHRP_EXT_AUTH || size < 4 || at + size > l.end) return '';
  const addrLen = authAddressLength(l, size);
  const dataLen = size - 4 - addrLen;
  const data = dataLen > 0 ? `: Data=${shownHex(l.buf, at + 4 + addrLen, dataLen)}` : '';
  return `Extension Data: SPI=${u16(l, at + 2)}${data}`;
}

export const nhrp = protocol({
  name: 'nhrp',
  abbrev: 'nhrp',
  title: 'NBMA Next Hop Resolution Protocol',
  hf: HF,
  tree: nhrpTree,
  dissect(ctx, l) {
    l.aux = 0;
    l.aux2 = 0;
    if (!ctx.need(l, FIXED)) return;
    l.hdrEnd = l.off + FIXED;
    const size = u16(l, l.off + 10);
    if (size < FIXED) return ctx.warn(l, W.badLength, size, l.end - l.off);
    if (l.off + size > l.end) {
      // Less captured than the packet says: cut by the snapshot, or lying.
      if (!l.short && !l.quoted) ctx.warn(l, W.badLength, size, l.end - l.off);
    } else if (!l.quoted && !l.short && internetChecksum(l.dv, l.off, l.off + size) !== 0) {
      ctx.warn(l, W.nhrpBadChecksum, u16(l, l.off + 12));
    }
    const extoff = u16(l, l.off + 14);
    if (extoff !== 0 && (extoff < FIXED || extoff > size)) return ctx.warn(l, W.badLength, extoff, size);
    l.aux2 = extoff !== 0 ? extoff : size;
    if (!ctx.need(l, FIXED + 8)) return;
    const t = nhrpType(l);
    const start = dstProtoAt(l) + dstProtoLen(l) - l.off;
    if (start > l.aux2) return ctx.warn(l, W.badLength, start, l.aux2);
    l.aux = start;
    l.hdrEnd = Math.min(l.end, l.off + l.aux2);
    if (t === NHRP_ERROR_INDICATION || t === NHRP_TRAFFIC_INDICATION) {
      const end = Math.min(l.end, l.off + l.aux2);
      if (l.off + start >= end) return;
      l.hdrEnd = l.off + start;
      ctx.quoted = true;
      // The packet in error is NHRP itself; a Traffic Indication quotes a data packet of the header's protocol type.
      if (t === NHRP_ERROR_INDICATION) ctx.handoff(l, Table.GreProto, 0x2001, l.off + start, end);
      else ctx.handoff(l, Table.EtherType, protocolType(l), l.off + start, end);
      return;
    }
    // Every CIE must fit the mandatory part.
    const end = l.off + l.aux2;
    let p = l.off + start;
    while (p < end && readCie(l, p, Math.min(end, l.end), cie)) p = cie.next;
    if (p < end && p + CIE_FIXED <= l.end && !l.short) ctx.warn(l, W.badLength, end - l.off, p - l.off);
  },
  json: jsonMembers(HF, [
    {
      name: '',
      rest: (l) => {
        const o: Record<string, unknown> = {
          afn: u16(l, l.off),
          protocolType: protocolType(l),
          hopCount: l.buf[l.off + 9],
          length: u16(l, l.off + 10),
          version: l.buf[l.off + 16],
          type: nhrpType(l),
        };
        o.checksum = u16(l, l.off + 12);
        o.extensionOffset = u16(l, l.off + 14);
        if (!hasMandatory(l)) return o;
        const text = (p: number, len: number) =>
          len === 4 && inMandatory(l, p, 4) ? ipv4Text(l.dv.getUint32(p)) : undefined;
        const t = nhrpType(l);
        if (hasRequestId(t)) {
          o.requestId = nhrpRequestId(l);
          o.flags = nhrpFlags(l);
        }
        if (t === NHRP_ERROR_INDICATION) {
          o.errorCode = nhrpErrorCode(l);
          o.errorOffset = u16(l, mandatory(l) + 6);
        }
        const srcNbma = nhrpAfn(l) === AFN_IPV4 ? text(srcNbmaAt(l), srcNbmaLen(l)) : undefined;
        if (srcNbma !== undefined) o.srcNbma = srcNbma;
        const srcProto = text(srcProtoAt(l), srcProtoLen(l));
        if (srcProto !== undefined) o.srcProto = srcProto;
        const dstProto = text(dstProtoAt(l), dstProtoLen(l));
        if (dstProto !== undefined) o.dstProto = dstProto;
        return o;
      },
    },
    { name: 'cies', list: 'nhrp.cie', members: CIE_MEMBERS },
    {
      name: 'extensions',
      list: 'nhrp.ext',
      only: hasMandatory,
      omitEmpty: true,
      members: [
        { name: 'type', field: 'nhrp.ext.type' },
        { name: 'compulsory', field: 'nhrp.ext.c' },
        { name: 'length', field: 'nhrp.ext.len' },
        { name: 'spi', field: 'nhrp.auth_ext.spi' },
        { name: 'cies', list: 'nhrp.cie', members: CIE_MEMBERS },
      ],
    },
  ]),
  label: nhrpLabel,
  summary(l, out) {
    out.str(nhrpLabel(l));
    if (!hasMandatory(l)) return;
    const t = nhrpType(l);
    const id = nhrpRequestId(l);
    if (id >= 0) out.str(' id ').num(id);
    const srcProto = () =>
      writeAddress(out, l, srcProtoAt(l), inMandatory(l, srcProtoAt(l), srcProtoLen(l)) ? srcProtoLen(l) : 0);
    const srcNbma = () =>
      writeAddress(out, l, srcNbmaAt(l), inMandatory(l, srcNbmaAt(l), srcNbmaLen(l)) ? srcNbmaLen(l) : 0);
    const dstProto = () =>
      writeAddress(out, l, dstProtoAt(l), inMandatory(l, dstProtoAt(l), dstProtoLen(l)) ? dstProtoLen(l) : 0);
    /** The source's protocol and NBMA addresses, `to`, the destination's protocol address. */
    const route = (to: string) => {
      srcProto();
      out.str(' at ');
      srcNbma();
      out.str(to);
      dstProto();
    };
    const first = nhrpFirstCie(l);
    switch (t) {
      case NHRP_REGISTRATION_REQUEST:
        out.byte(0x20);
        route(' -> NHS ');
        return;
      case NHRP_RESOLUTION_REQUEST:
        out.byte(0x20);
        route(' asks for ');
        return;
      case NHRP_RESOLUTION_REPLY:
        out.byte(0x20);
        if (first && first.code === 0 && first.nbma >= 0) {
          // The destination asked for (a prefix of it), at the NBMA address of the client that holds it.
          const dst = nhrpDstProto(l);
          if (dst >= 0) cieAddressText(out, dst);
          else if (first.proto >= 0) cieAddressText(out, first.proto);
          if (first.prefix !== 32) out.byte(0x2f).num(first.prefix);
          out.str(' is at ');
          cieAddressText(out, first.nbma);
          if (first.proto >= 0 && dst >= 0 && first.proto !== dst) out.str(' via ').str(ipv4Text(first.proto));
        } else {
          dstProto();
          out.str(' for ');
          srcProto();
        }
        out
          .str(' (')
          .str(first ? nhrpCodeText(first.code) : 'no CIE')
          .byte(0x29);
        return;
      case NHRP_REGISTRATION_REPLY:
      case NHRP_PURGE_REQUEST:
      case NHRP_PURGE_REPLY:
        out.byte(0x20);
        srcProto();
        out.str(' at ');
        srcNbma();
        if (t === NHRP_REGISTRATION_REPLY) {
          out.str(' (').str(first ? nhrpCodeText(first.code) : 'no CIE');
          if (first && first.code === 0 && first.holdingTime) out.str(', hold ').num(first.holdingTime).byte(0x73);
          out.byte(0x29);
        }
        return;
      case NHRP_ERROR_INDICATION:
        out
          .byte(0x20)
          .str(nhrpErrorText(nhrpErrorCode(l)))
          .str(' from ');
        route(' to ');
        return;
      case NHRP_TRAFFIC_INDICATION:
        out.str(' from ');
        route(' to ');
        return;
    }
  },
});

function cieAddressText(out: TextOut, a: number): void {
  out
    .num(a >>> 24)
    .byte(0x2e)
    .num((a >>> 16) & 255)
    .byte(0x2e)
    .num((a >>> 8) & 255)
    .byte(0x2e)
    .num(a & 255);
}

export function ipv4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
