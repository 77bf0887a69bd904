import { ipv4 as ipv4Text, ipv6 as ipv6Text, systemIdText } from './addr.js';
import {
  appendedTitle,
  asciiText,
  hexThenText,
  declareFields,
  fieldsByName,
  fields,
  protocolField,
  SET_NOT_SET,
  Values,
  visitText,
  YES_NO,
  type Field,
  type FieldSpec,
  type RecordReader,
  SUPPORTED,
} from './field.js';
import { list } from './field-list.js';
import { type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import { jsonRest } from './json.js';
import { NLPID_NAMES } from './numbers.js';
import { CHECKSUM_NOT_PRESENT, CHECKSUM_STATUS, checksumStatus, checksumVerdict } from '../util/checksum.js';
import { u16, u24, u32 } from './layer-read.js';

/**
 * IS-IS (ISO 10589, RFC 1195): the OSI routing protocol, carried in GRE
 * under protocol type 0x00FE (OSI network layer). An 8-byte common header
 * (NLPID 0x83), then per PDU type a fixed part and TLVs. The audit reads
 * hellos (who is adjacent, at which level) and whether PDUs carry the
 * authentication TLV (10); passwords are never read out. -V and the fields
 * are Wireshark's (packet-isis-hello.c, -lsp.c, -snp.c, -clv.c): each PDU
 * kind's fixed part (source IDs, LAN IDs and LSP IDs as FT_SYSTEM_ID, an
 * LSP's checksum verified as ISO 8473's), then the TLVs the routers send.
 * System IDs are taken as 6 bytes (ID Length 0 or 6), as every router sends.
 */
const ISIS_NLPID = 0x83;
const ISIS_L1_LAN_HELLO = 15;
const ISIS_L2_LAN_HELLO = 16;
const ISIS_P2P_HELLO = 17;
const ISIS_L1_LSP = 18;
const ISIS_L2_LSP = 20;
const TLV_AUTHENTICATION = 10;
/** Authentication TLV types (RFC 5304, ISO 10589): 1 a password in clear, 54 HMAC-MD5. */
export const ISIS_AUTH_CLEARTEXT = 1;
const ISIS_AUTH_HMAC_MD5 = 54;
export function isisAuthName(type: number): string {
  return type === ISIS_AUTH_CLEARTEXT
    ? 'cleartext password'
    : type === ISIS_AUTH_HMAC_MD5
      ? 'HMAC-MD5'
      : `type ${type}`;
}

const TYPE_NAMES: Record<number, string> = {
  15: 'L1 HELLO',
  16: 'L2 HELLO',
  17: 'P2P HELLO',
  18: 'L1 LSP',
  20: 'L2 LSP',
  24: 'L1 CSNP',
  25: 'L2 CSNP',
  26: 'L1 PSNP',
  27: 'L2 PSNP',
};
/** Where the TLVs start, after the common header and the PDU type's fixed part. */
const FIXED_LENGTH: Record<number, number> = { 15: 27, 16: 27, 17: 20, 18: 27, 20: 27, 24: 33, 25: 33, 26: 17, 27: 17 };

const isisType = (l: Layer): number => l.buf[l.off + 4]! & 0x1f;
export const isisIsHello = (l: Layer): boolean => {
  const t = isisType(l);
  return t === ISIS_L1_LAN_HELLO || t === ISIS_L2_LAN_HELLO || t === ISIS_P2P_HELLO;
};

/** The level a PDU speaks for: 1 or 2; a point-to-point hello's circuit type (1, 2, 3 = both). */
export function isisLevel(l: Layer): number {
  const t = isisType(l);
  if (t === ISIS_P2P_HELLO) return l.off + 9 <= l.end ? l.buf[l.off + 8]! & 3 : 0;
  return t === ISIS_L1_LAN_HELLO || t === ISIS_L1_LSP || t === 24 || t === 26 ? 1 : 2;
}

/**
 * The system ID of the sender of a hello (its source ID) or LSP (its LSP ID), as Wireshark writes it: 1921.6800.1001.
 */
export function isisSourceId(l: Layer): string | null {
  const t = isisType(l);
  const at = isisIsHello(l)
    ? l.off + 9
    : t === ISIS_L1_LSP || t === ISIS_L2_LSP
      ? l.off + 12
      : t >= 24 && t <= 27
        ? l.off + 10
        : -1;
  if (at < 0 || at + 6 > l.end) return null;
  return systemId(l.buf, at);
}

export function systemId(buf: Uint8Array, at: number): string {
  const h = (i: number) => buf[at + i]!.toString(16).padStart(2, '0');
  return `${h(0)}${h(1)}.${h(2)}${h(3)}.${h(4)}${h(5)}`;
}

/** A hello's holding time in seconds, or -1. */
export function isisHoldingTime(l: Layer): number {
  return isisIsHello(l) && l.off + 17 <= l.end ? l.dv.getUint16(l.off + 15) : -1;
}

/**
 * Whether the whole PDU is here: its PDU length (after the common header in
 * LSPs and SNPs, after the holding time in hellos) within the bytes present.
 * A PDU cut short (a capture's snap length, a fuzzed length) may have lost
 * its authentication TLV: it tells nothing of authentication.
 */
export function isisWhole(l: Layer): boolean {
  const at = l.off + (isisIsHello(l) ? 17 : 8);
  return at + 2 <= l.end && l.dv.getUint16(at) <= l.end - l.off;
}

/**
 * The authentication TLV's type (1 cleartext, 54 HMAC-MD5...), 0 when the PDU carries none, -1 when the TLVs run past
 * the PDU.
 */
export function isisAuthType(l: Layer): number {
  const start = FIXED_LENGTH[isisType(l)];
  if (start === undefined) return 0;
  for (let p = l.off + start; p + 2 <= l.end; ) {
    const type = l.buf[p]!;
    const len = l.buf[p + 1]!;
    if (p + 2 + len > l.end) return -1;
    if (type === TLV_AUTHENTICATION) return len > 0 ? l.buf[p + 2]! : 0;
    p += 2 + len;
  }
  return 0;
}

/** "IS-IS L1 Hello". */
function isisLabel(l: Layer): string {
  const t = isisType(l);
  return `IS-IS ${TYPE_NAMES[t] ?? `type ${t}`}`;
}

/** Where a PDU's own length field is: after the holding time in hellos, after the common header otherwise. */
const pduLengthAt = (l: Layer): number => l.off + (isisIsHello(l) ? 17 : 8);

/** Wireshark's TLV (CLV) subtree titles, for those the routers at a tunnel's ends send. */
const TLV_TITLES: Record<number, string> = {
  1: 'Area address(es)',
  7: 'Instance Identifier',
  211: 'Restart Signaling',
  229: 'Multi Topology',
  242: 'Router Capability',
  2: 'IS Reachability',
  6: 'IS Neighbor(s)',
  8: 'Padding',
  9: 'LSP entries',
  10: 'Authentication',
  22: 'Extended IS reachability',
  128: 'IP Internal reachability',
  129: 'Protocols Supported',
  130: 'IP External reachability',
  132: 'IP Interface address(es)',
  134: 'Traffic Engineering Router ID',
  135: 'Extended IP Reachability',
  137: 'Hostname',
  232: 'IPv6 Interface address(es)',
  236: 'IPv6 reachability',
  240: 'Point-to-point Adjacency State',
};
/** An LSP's titles where they differ from a hello's. */
const LSP_TITLES: Record<number, string> = { 129: 'Protocols supported', 229: 'Multi Topology supported' };
const tlvTitle = (l: Layer, type: number): string =>
  (pduKind(l) === 'lsp' ? LSP_TITLES[type] : undefined) ?? TLV_TITLES[type] ?? 'Unknown code';

/** The PDU kinds Wireshark names the TLV fields by (isis.hello.clv.type, isis.lsp.clv.type...). */
type PduKind = 'hello' | 'lsp' | 'csnp' | 'psnp';
function pduKind(l: Layer): PduKind | null {
  const t = isisType(l);
  if (isisIsHello(l)) return 'hello';
  if (t === ISIS_L1_LSP || t === ISIS_L2_LSP) return 'lsp';
  if (t === 24 || t === 25) return 'csnp';
  return t === 26 || t === 27 ? 'psnp' : null;
}

/**
 * A TLV's field of PDUs of one kind: its type or length byte, or (`auth`) the authentication TLV's value after its
 * type.
 */
function tlvField(
  kind: PduKind,
  name: string,
  label: string,
  part: 'type' | 'length' | 'auth',
  also: PduKind | null = null,
): FieldSpec {
  return {
    name,
    label,
    type: part === 'auth' ? 'bytes' : 'uint',
    record: (l, v, _ctx, p, len) => {
      const k = pduKind(l);
      if (k !== kind && (also === null || k !== also)) return;
      if (part === 'type') v.num(l.buf[p]!, l.buf, p, 1);
      else if (part === 'length') v.num(l.buf[p + 1]!, l.buf, p + 1, 1);
      else if (l.buf[p] === TLV_AUTHENTICATION && len > 3 && p + len <= l.end) v.bytes(l.buf, p + 3, len - 3);
    },
  };
}

/** Where a TLV's value is: after its type and length, to its end or the captured bytes' end, whichever is first. */
type TlvBody = (l: Layer, v: Values, q: number, end: number) => void;

/** A field of the TLVs of one type in PDUs of the given kinds: `body` reads it from the value. */
function inTlv(kinds: readonly PduKind[], type: number, body: TlvBody): RecordReader {
  return (l, v, _ctx, p, len) => {
    const kind = pduKind(l);
    if (kind === null || !kinds.includes(kind) || l.buf[p] !== type) return;
    body(l, v, p + 2, Math.min(p + len, l.end));
  };
}

/** Each element of `size` bytes of a value (addresses, neighbours, LSP entries), whole ones only. */
const each =
  (size: number, put: (l: Layer, v: Values, q: number) => void): TlvBody =>
  (l, v, q, end) => {
    for (; q + size <= end; q += size) put(l, v, q);
  };

/** The areas of an area addresses TLV (1): each a length byte, then that many bytes. */
function forAreas(l: Layer, q: number, end: number, put: (q: number, n: number) => void): void {
  while (q < end) {
    const n = l.buf[q]!;
    if (q + 1 + n > end) return;
    put(q, n);
    q += 1 + n;
  }
}

/** An area address as Wireshark's print_area writes it: `49.0001` (3 bytes), bare hex, a dot after each 4 bytes. */
function areaText(buf: Uint8Array, q: number, n: number): string {
  const h = (k: number) => buf[q + k]!.toString(16).padStart(2, '0');
  if (n === 3) return `${h(0)}.${h(1)}${h(2)}`;
  let s = '';
  for (let k = 0; k < n; k++) s += h(k) + (n !== 4 && k % 4 === 3 && k + 1 < n ? '.' : '');
  return s;
}

/** Extended IS reachability (22): neighbour ID (7 bytes), 3-byte metric, sub-TLVs' length and the sub-TLVs. */
function forExtIs(l: Layer, q: number, end: number, put: (q: number) => void): void {
  while (q + 11 <= end) {
    put(q);
    q += 11 + l.buf[q + 10]!;
  }
}

/**
 * Extended IP reachability (135) or IPv6 reachability (236): a 4-byte metric, a control byte (the prefix length in
 * its low 6 bits in 135; a byte of its own after it in 236), the prefix's bytes, then sub-TLVs where a flag says.
 * `put` is given the entry, its prefix's offset and length in bits, and where its sub-TLVs' length is (-1: none).
 */
function forPrefixes(
  l: Layer,
  q: number,
  end: number,
  v6: boolean,
  put: (q: number, at: number, bits: number, subAt: number) => void,
): void {
  while (q + (v6 ? 6 : 5) <= end) {
    const bits = v6 ? l.buf[q + 5]! : l.buf[q + 4]! & 0x3f;
    if (bits > (v6 ? 128 : 32)) return;
    const at = q + (v6 ? 6 : 5);
    const after = at + Math.ceil(bits / 8);
    if (after > end) return;
    const sub = (l.buf[q + 4]! & (v6 ? 0x20 : 0x40)) !== 0;
    put(q, at, bits, sub && after < end ? after : -1);
    q = after + (sub ? 1 + (after < end ? l.buf[after]! : 0) : 0);
  }
}

/** A prefix's bytes, zero-padded to a whole address (its own buffer: the packet holds only the prefix's bytes). */
function prefixBytes(l: Layer, at: number, bits: number, size: 4 | 16): Uint8Array {
  const a = new Uint8Array(size);
  a.set(l.buf.subarray(at, at + Math.ceil(bits / 8)));
  return a;
}

/** The restart signaling TLV's flags (RFC 5306): mask, field name, label; -V names those set after the value. */
const RESTART_FLAGS = [
  [0x04, 'sa', 'Suppress Adjacency'],
  [0x02, 'ra', 'Restart Acknowledgment'],
  [0x01, 'rr', 'Restart Request'],
] as const;
const RESTART_RA = 0x02;

/** The point-to-point adjacency state TLV's states (RFC 5303). */
const ADJACENCY_STATES: Readonly<Record<number, string>> = { 0: 'Up', 1: 'Initializing', 2: 'Down' };

/** Multi-topology IDs (RFC 5120) as Wireshark names them. */
const MT_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv4 Unicast Topology',
  1: 'IPv4 In-Band Management purposes',
  2: 'IPv6 Unicast Topology',
  3: 'IPv4 Multicast Topology',
  4: 'IPv6 Multicast Topology',
  5: 'IPv6 In-Band Management purposes',
};
/** A multi-topology entry: `IPv6 Unicast Topology (0x002), Overload bit set`. */
function mtText(n: number): string {
  const id = n & 0x0fff;
  const name =
    MT_NAMES[id] ?? (id < 3996 ? 'Reserved for IETF Consensus' : 'Development, Experimental and Proprietary features');
  return `${name} (0x${id.toString(16).padStart(3, '0')})${n & 0x8000 ? ', Overload bit set' : ''}`;
}

/** A netmask's length in bits: its leading ones. */
const maskBits = (m: number): number => Math.clz32(~m);

/**
 * IP internal and external reachability (128, 130: RFC 1195), 12 bytes an entry: the default, delay, expense and
 * error metrics (each with its bits: distribution, internal or external, supported), the address and its mask.
 */
function ipReachabilityFields(): FieldSpec[] {
  const entries = (put: (l: Layer, v: Values, q: number) => void): RecordReader => {
    const walk = each(12, put);
    const internal = inTlv(LSP, 128, walk);
    const external = inTlv(LSP, 130, walk);
    return (l, v, ctx, p, len) => {
      internal(l, v, ctx, p, len);
      external(l, v, ctx, p, len);
    };
  };
  const name = (suffix: string) => `isis.lsp.ip_reachability.${suffix}`;
  const bit = (field: string, label: string, at: number, mask: number, tfs: readonly [string, string]): FieldSpec => ({
    name: name(field),
    label,
    type: 'bool',
    mask,
    tfs,
    record: entries((l, v, q) => v.num(l.buf[q + at]! & mask ? 1 : 0, l.buf, q + at, 1)),
  });
  const metric = (field: string, label: string, at: number): FieldSpec => ({
    name: name(field),
    label,
    type: 'uint',
    mask: 0x3f,
    record: entries((l, v, q) => v.num(l.buf[q + at]! & 0x3f, l.buf, q + at, 1)),
  });
  const IE: readonly [string, string] = ['External', 'Internal'];
  return [
    {
      name: name('ipv4_prefix'),
      label: 'IPv4 prefix',
      type: 'ipv4',
      // The address and its mask's length (the mask's 4 bytes follow the address).
      display: (_n, buf, off) => {
        const mask = (buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!;
        return `${ipv4Text(buf, off)}/${maskBits(mask)}`;
      },
      record: entries((l, v, q) => v.num(u32(l, q + 4), l.buf, q + 4, 4)),
    },
    metric('default_metric', 'Default Metric', 0),
    bit('default_metric_ie', 'Default Metric IE', 0, 0x40, IE),
    bit('distribution', 'Distribution', 0, 0x80, ['Down', 'Up']),
    ...(
      [
        ['delay', 'Delay Metric', 1],
        ['expense', 'Expense Metric', 2],
        ['error', 'Error Metric', 3],
      ] as const
    ).flatMap(([what, label, at]) => [
      metric(`${what}_metric`, label, at),
      bit(`${what}_metric_support`, label, at, 0x80, ['Not Supported', 'Supported']),
      bit(`${what}_metric_ie`, label, at, 0x40, IE),
    ]),
  ];
}

/** The PDU kinds a TLV's fields are read in. */
const SNP: readonly PduKind[] = ['csnp', 'psnp'];
const HELLO: readonly PduKind[] = ['hello'];
const LSP: readonly PduKind[] = ['lsp'];
const HELLO_LSP: readonly PduKind[] = ['hello', 'lsp'];

/** Fields in both hellos and LSPs, named by the PDU kind (isis.hello.area_address, isis.lsp.area_address). */
function bothKinds(suffix: string, spec: Omit<FieldSpec, 'name'>, type: number, body: TlvBody): FieldSpec[] {
  return HELLO_LSP.map((kind) => ({ ...spec, name: `isis.${kind}.${suffix}`, record: inTlv([kind], type, body) }));
}

const TLV_BODY_FIELDS: FieldSpec[] = [
  ...bothKinds('area_address', { label: 'Area address', type: 'bytes' }, 1, (l, v, q, end) =>
    forAreas(l, q, end, (a, n) => v.bytes(l.buf, a, 1 + n)),
  ),
  ...bothKinds(
    'clv_nlpid.nlpid',
    { label: 'NLPID', type: 'uint', base: 'hex' },
    129,
    each(1, (l, v, q) => v.num(l.buf[q]!, l.buf, q, 1)),
  ),
  ...bothKinds(
    'clv_ipv4_int_addr',
    { label: 'IPv4 interface address', type: 'ipv4' },
    132,
    each(4, (l, v, q) => v.num(u32(l, q), l.buf, q, 4)),
  ),
  ...bothKinds(
    'clv_ipv6_int_addr',
    { label: 'IPv6 interface address', type: 'ipv6' },
    232,
    each(16, (l, v, q) => v.bytes(l.buf, q, 16)),
  ),
  {
    name: 'isis.hello.is_neighbor',
    label: 'IS Neighbor',
    type: 'ether',
    record: inTlv(
      HELLO,
      6,
      each(6, (l, v, q) => v.bytes(l.buf, q, 6)),
    ),
  },
  {
    name: 'isis.hello.clv_restart_flags',
    label: 'Restart Signaling Flags',
    type: 'uint',
    base: 'hex',
    display: (n) => {
      const set = RESTART_FLAGS.map(([mask, , label]) => (n & mask ? `, ${label}` : '')).join('');
      return `0x${n.toString(16).padStart(2, '0')}${set}`;
    },
    record: inTlv(HELLO, 211, (l, v, q, end) => {
      if (q < end) v.num(l.buf[q]!, l.buf, q, 1);
    }),
  },
  ...RESTART_FLAGS.map(
    ([mask, name, label]): FieldSpec => ({
      name: `isis.hello.clv_restart_flags.${name}`,
      label,
      type: 'bool',
      mask,
      child: true,
      record: inTlv(HELLO, 211, (l, v, q, end) => {
        if (q < end) v.num(l.buf[q]! & mask ? 1 : 0, l.buf, q, 1);
      }),
    }),
  ),
  // Only where the restart acknowledgment bit is set, as Wireshark reads them.
  {
    name: 'isis.hello.clv_restart.remain_time',
    label: 'Remaining holding time',
    type: 'uint',
    bits: 16,
    display: (n) => `${n}s`,
    record: inTlv(HELLO, 211, (l, v, q, end) => {
      if (q + 3 <= end && l.buf[q]! & RESTART_RA) v.num(u16(l, q + 1), l.buf, q + 1, 2);
    }),
  },
  {
    name: 'isis.hello.clv_restart.neighbor',
    label: 'Restarting Neighbor ID',
    type: 'systemid',
    bits: 48,
    record: inTlv(HELLO, 211, (l, v, q, end) => {
      if (q + 9 <= end && l.buf[q]! & RESTART_RA) v.bytes(l.buf, q + 3, 6);
    }),
  },
  {
    name: 'isis.hello.adjacency_state',
    label: 'Adjacency State',
    type: 'uint',
    values: ADJACENCY_STATES,
    record: inTlv(HELLO, 240, (l, v, q, end) => {
      if (q < end) v.num(l.buf[q]!, l.buf, q, 1);
    }),
  },
  {
    name: 'isis.hello.extended_local_circuit_id',
    label: 'Extended Local circuit ID',
    type: 'uint',
    bits: 32,
    base: 'hex',
    record: inTlv(HELLO, 240, (l, v, q, end) => {
      if (q + 5 <= end) v.num(u32(l, q + 1), l.buf, q + 1, 4);
    }),
  },
  {
    name: 'isis.hello.neighbor_systemid',
    label: 'Neighbor SystemID',
    type: 'systemid',
    bits: 48,
    record: inTlv(HELLO, 240, (l, v, q, end) => {
      if (q + 11 <= end) v.bytes(l.buf, q + 5, 6);
    }),
  },
  {
    name: 'isis.hello.neighbor_extended_local_circuit_id',
    label: 'Neighbor Extended Local circuit ID',
    type: 'uint',
    bits: 32,
    base: 'hex',
    record: inTlv(HELLO, 240, (l, v, q, end) => {
      if (q + 15 <= end) v.num(u32(l, q + 11), l.buf, q + 11, 4);
    }),
  },
  ...bothKinds(
    'clv_mt',
    { label: 'MT-ID', type: 'uint', bits: 16, base: 'hex', display: mtText },
    229,
    each(2, (l, v, q) => v.num(u16(l, q), l.buf, q, 2)),
  ),
  ...ipReachabilityFields(),
  {
    name: 'isis.lsp.clv_te_router_id',
    label: 'Traffic Engineering Router ID',
    type: 'ipv4',
    record: inTlv(LSP, 134, (l, v, q, end) => {
      if (q + 4 <= end) v.num(u32(l, q), l.buf, q, 4);
    }),
  },
  {
    name: 'isis.lsp.hostname',
    label: 'Hostname',
    type: 'string',
    record: inTlv(LSP, 137, (l, v, q, end) => v.str(asciiText(l.buf, q, end - q), l.buf, q, end - q)),
  },
  {
    name: 'isis.lsp.ext_is_reachability.is_neighbor_id',
    label: 'IS neighbor ID',
    type: 'systemid',
    bits: 56,
    record: inTlv(LSP, 22, (l, v, q, end) => forExtIs(l, q, end, (e) => v.bytes(l.buf, e, 7))),
  },
  {
    name: 'isis.lsp.ext_is_reachability.metric',
    label: 'Metric',
    type: 'uint',
    bits: 24,
    record: inTlv(LSP, 22, (l, v, q, end) => forExtIs(l, q, end, (e) => v.num(u24(l, e + 7), l.buf, e + 7, 3))),
  },
  {
    name: 'isis.lsp.ext_is_reachability.subclvs_length',
    label: 'SubCLV Length',
    type: 'uint',
    display: (n) => (n === 0 ? '0 (no sub-TLVs present)' : String(n)),
    record: inTlv(LSP, 22, (l, v, q, end) => forExtIs(l, q, end, (e) => v.num(l.buf[e + 10]!, l.buf, e + 10, 1))),
  },
  {
    name: 'isis.lsp.rt_capable.router_id',
    label: 'Router ID',
    type: 'uint',
    bits: 32,
    base: 'hex',
    record: inTlv(LSP, 242, (l, v, q, end) => {
      if (q + 5 <= end) v.num(u32(l, q), l.buf, q, 4);
    }),
  },
  ...(
    [
      ['flag_s', 'S bit', 0x01],
      ['flag_d', 'D bit', 0x02],
    ] as const
  ).map(
    ([name, label, mask]): FieldSpec => ({
      name: `isis.lsp.rt_capable.${name}`,
      label,
      type: 'bool',
      mask,
      record: inTlv(LSP, 242, (l, v, q, end) => {
        if (q + 5 <= end) v.num(l.buf[q + 4]! & mask ? 1 : 0, l.buf, q + 4, 1);
      }),
    }),
  ),
  ...prefixFields('ext_ip_reachability', 135, false),
  ...prefixFields('ipv6_reachability', 236, true),
  // The LSP entries of a CSNP or PSNP (9), 16 bytes each: lifetime, LSP ID, sequence number, checksum.
  ...(
    [
      ['lsp_seq_num', 'LSP Sequence Number', 10, 4],
      ['lsp_remain_life', 'Remaining Lifetime', 0, 2],
      ['lsp_checksum', 'LSP checksum', 14, 2],
    ] as const
  ).map(
    ([name, label, at, size]): FieldSpec => ({
      name: `isis.csnp.${name}`,
      label,
      type: 'uint',
      bits: size * 8,
      base: name === 'lsp_remain_life' ? 'dec' : 'hex',
      record: inTlv(
        SNP,
        9,
        each(16, (l, v, q) => v.num(size === 4 ? u32(l, q + at) : u16(l, q + at), l.buf, q + at, size)),
      ),
    }),
  ),
  {
    name: 'isis.csnp.lsp_id',
    label: 'LSP-ID',
    type: 'systemid',
    bits: 64,
    record: inTlv(
      SNP,
      9,
      each(16, (l, v, q) => v.bytes(l.buf, q + 2, 8)),
    ),
  },
];

/** The fields of the prefixes of an Extended IP (135) or IPv6 (236) reachability TLV, entry by entry. */
function prefixFields(what: string, type: number, v6: boolean): FieldSpec[] {
  const entries = (
    put: (l: Layer, v: Values, q: number, at: number, bits: number, subAt: number) => void,
  ): RecordReader =>
    inTlv(LSP, type, (l, v, q, end) =>
      forPrefixes(l, q, end, v6, (e, at, bits, subAt) => put(l, v, e, at, bits, subAt)),
    );
  const subLengths = entries((l, v, _q, _at, _bits, subAt) => {
    if (subAt >= 0) v.num(l.buf[subAt]!, l.buf, subAt, 1);
  });
  // Both TLVs' prefixes without sub-TLVs, in the order of the TLVs.
  const noSub = (t: number): RecordReader =>
    inTlv(LSP, t, (l, v, q, end) =>
      forPrefixes(l, q, end, t === 236, (e, at, bits) => {
        if (!(l.buf[e + 4]! & (t === 236 ? 0x20 : 0x40))) v.num(0, l.buf, at + Math.ceil(bits / 8), 0);
      }),
    );
  const noSubs: RecordReader = (l, v, ctx, p, len) => {
    noSub(135)(l, v, ctx, p, len);
    noSub(236)(l, v, ctx, p, len);
  };
  const flag = (name: string, label: string, mask: number, tfs: readonly [string, string]): FieldSpec => ({
    name: `isis.lsp.${what}.${name}`,
    label,
    type: 'bool',
    mask,
    tfs,
    record: entries((l, v, q) => v.num(l.buf[q + 4]! & mask ? 1 : 0, l.buf, q + 4, 1)),
  });
  return [
    {
      name: `isis.lsp.${what}.metric`,
      label: 'Metric',
      type: 'uint',
      bits: 32,
      record: entries((l, v, q) => v.num(u32(l, q), l.buf, q, 4)),
    },
    flag('distribution', 'Distribution', 0x80, ['Down', 'Up']),
    ...(v6
      ? [
          flag('distribution_internal', 'Distribution', 0x40, ['External', 'Internal']),
          flag('subtlv', 'Sub-TLV', 0x20, YES_NO),
        ]
      : [flag('subtlv', 'Sub-TLV', 0x40, YES_NO)]),
    {
      name: `isis.lsp.${what}.prefix_length`,
      label: 'Prefix Length',
      type: 'uint',
      mask: v6 ? 0 : 0x3f,
      record: entries((l, v, q, _at, bits) => v.num(bits, l.buf, q + (v6 ? 5 : 4), 1)),
    },
    {
      name: `isis.lsp.${what}.subclvs_length`,
      label: 'SubCLV Length',
      type: 'uint',
      // Wireshark adds a prefix without sub-TLVs as a 0 of isis.lsp.ext_ip_reachability.subclvs_length, IPv6's too.
      record: (l, v, ctx, p, len) => {
        subLengths(l, v, ctx, p, len);
        if (!v6) noSubs(l, v, ctx, p, len);
      },
    },
    {
      name: `isis.lsp.${what}.${v6 ? 'ipv6' : 'ipv4'}_prefix`,
      label: v6 ? 'IPv6 prefix' : 'IPv4 prefix',
      type: v6 ? 'ipv6' : 'ipv4',
      record: entries((l, v, _q, at, bits) => {
        const a = prefixBytes(l, at, bits, v6 ? 16 : 4);
        if (v6) v.bytes(a, 0, 16);
        else v.num(new DataView(a.buffer).getUint32(0), a, 0, 4);
      }),
    },
  ];
}

/**
 * The TLVs (ISO 10589 9.x, CLVs in Wireshark) after a PDU's fixed part, up
 * to its PDU length: type, length, value, each whole. Wireshark names their
 * fields by the PDU kind that carries them.
 */
const TLVS = list({
  name: 'isis.clv',
  title: (l, p) => `${tlvTitle(l, l.buf[p]!)} (t=${l.buf[p]}, l=${l.buf[p + 1]})`,
  in: [
    {
      when: (l) => FIXED_LENGTH[isisType(l)] !== undefined && pduLengthAt(l) + 2 <= l.end,
      start: (l) => l.off + FIXED_LENGTH[isisType(l)]!,
      end: (l) => Math.min(l.end, l.off + l.dv.getUint16(pduLengthAt(l))),
    },
  ],
  size: (l, p) => 2 + l.buf[p + 1]!,
  header: 2,
  fields: [
    tlvField('hello', 'isis.hello.clv.type', 'Type', 'type'),
    tlvField('hello', 'isis.hello.clv.length', 'Length', 'length'),
    tlvField('hello', 'isis.hello.clv_authentication', 'Authentication', 'auth'),
    tlvField('lsp', 'isis.lsp.clv.type', 'Type', 'type'),
    tlvField('lsp', 'isis.lsp.clv.length', 'Length', 'length'),
    tlvField('lsp', 'isis.lsp.authentication', 'Authentication', 'auth'),
    tlvField('csnp', 'isis.csnp.clv.type', 'Type', 'type'),
    tlvField('csnp', 'isis.csnp.clv.length', 'Length', 'length'),
    // Wireshark reads a PSNP's authentication under the CSNP's name.
    tlvField('csnp', 'isis.csnp.authentication', 'Authentication', 'auth', 'psnp'),
    tlvField('psnp', 'isis.psnp.clv.type', 'Type', 'type'),
    tlvField('psnp', 'isis.psnp.clv.length', 'Length', 'length'),
    ...TLV_BODY_FIELDS,
  ],
});

/** An IS-IS hello's circuit types. */
const CIRCUIT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Reserved 0 (discard PDU)',
  1: 'Level 1 only',
  2: 'Level 2 only',
  3: 'Level 1 and 2',
};

/** The PDU kinds of the fixed parts: LAN hellos (15, 16) and point-to-point ones (17) apart. */
type HeaderKind = PduKind | 'lan' | 'p2p';
const isKind = (l: Layer, kinds: readonly HeaderKind[]): boolean => {
  const kind = pduKind(l);
  if (kind === null) return false;
  if (kinds.includes(kind)) return true;
  const t = isisType(l);
  return kinds.includes(t === ISIS_P2P_HELLO ? 'p2p' : kind === 'hello' ? 'lan' : kind);
};

/** A number of `size` bytes at `at` in PDUs of the given kinds, masked and shifted down as Wireshark shows it. */
function headerNumber(kinds: readonly HeaderKind[], at: number, size: number, mask = 0, bool = false) {
  const shift = mask === 0 ? 0 : 31 - Math.clz32(mask & -mask);
  return (l: Layer, v: Values): void => {
    const q = l.off + at;
    if (!isKind(l, kinds) || q + size > l.end) return;
    let n = 0;
    for (let k = 0; k < size; k++) n = n * 256 + l.buf[q + k]!;
    if (bool) n = n & mask ? 1 : 0;
    else if (mask) n = (n & mask) >>> shift;
    v.num(n, l.buf, q, size);
  };
}
const headerBytes =
  (kinds: readonly HeaderKind[], at: number, size: number) =>
  (l: Layer, v: Values): void => {
    if (isKind(l, kinds) && l.off + at + size <= l.end) v.bytes(l.buf, l.off + at, size);
  };

/**
 * The checksum an LSP should carry (ISO 8473's Fletcher checksum over the PDU from its LSP ID on, its own two bytes
 * taken as zeros, as Wireshark's osi checksum computes it); -1 where it cannot be checked (the PDU cut short or
 * shorter than its header), -2 for a checksum of 0 (none).
 */
function expectedLspChecksum(l: Layer): number {
  const stored = l.off + 26 <= l.end ? u16(l, l.off + 24) : 0;
  if (stored === 0) return -2;
  const len = l.off + 10 <= l.end ? u16(l, l.off + 8) : 0;
  if (len < 27 || l.off + len > l.end) return -1;
  const start = l.off + 12;
  const n = len - 12;
  const check = 12;
  let c0 = 0;
  let c1 = 0;
  for (let i = 0; i < n; i++) {
    c0 = (c0 + (i === check || i === check + 1 ? 0 : l.buf[start + i]!)) % 255;
    c1 = (c1 + c0) % 255;
  }
  // Wireshark's arithmetic as it is (osi-utils.c): one's complement corrections, then truncating remainders, the
  // result's bytes taken from the two's complement of what is left.
  const factor = (n - check) * c0;
  let x = factor - c0 - c1;
  let y = c1 - factor - 1;
  if (x < 0) x--;
  if (y > 0) y++;
  x %= 255;
  y %= 255;
  if (x === 0) x = 0xff;
  if (y === 0) y = 0x01;
  return ((x << 8) | (y & 0xff)) & 0xffff;
}

const IS_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Unused 0x0 (invalid)',
  1: 'Level 1',
  2: 'Unused 0x2 (invalid)',
  3: 'Level 2',
};
/** An LSP's type block's bits (its byte 26): name, label, mask, and how -V words them. */
const LSP_METRIC_BITS = [
  ['error_metric', 'Error metric', 0x08],
  ['expense_metric', 'Expense metric', 0x04],
  ['delay_metric', 'Delay metric', 0x02],
  ['default_metric', 'Default metric', 0x01],
] as const;

/** The fixed part of each PDU kind after the common header, in Wireshark's order. */
const PDU_HEADER_FIELDS: FieldSpec[] = [
  {
    name: 'isis.hello.circuit_type',
    label: 'Circuit type',
    type: 'uint',
    values: CIRCUIT_TYPE_NAMES,
    base: 'hex',
    mask: 0x03,
    read: headerNumber(['hello'], 8, 1, 0x03),
  },
  {
    name: 'isis.hello.reserved',
    label: 'Reserved',
    type: 'uint',
    base: 'hex',
    mask: 0xfc,
    read: headerNumber(['hello'], 8, 1, 0xfc),
  },
  {
    name: 'isis.hello.source_id',
    label: 'SystemID {Sender of PDU}',
    type: 'systemid',
    bits: 48,
    read: headerBytes(['hello'], 9, 6),
  },
  {
    name: 'isis.hello.holding_timer',
    label: 'Holding timer',
    type: 'uint',
    bits: 16,
    read: headerNumber(['hello'], 15, 2),
  },
  ...(['hello', 'lsp', 'csnp', 'psnp'] as const).map(
    (kind): FieldSpec => ({
      name: `isis.${kind}.pdu_length`,
      label: 'PDU length',
      type: 'uint',
      bits: 16,
      read: headerNumber([kind], kind === 'hello' ? 17 : 8, 2),
    }),
  ),
  {
    name: 'isis.hello.priority',
    label: 'Priority',
    type: 'uint',
    mask: 0x7f,
    read: headerNumber(['lan'], 19, 1, 0x7f),
  },
  {
    name: 'isis.hello.lan_id',
    label: 'SystemID {Designated IS}',
    type: 'systemid',
    bits: 56,
    read: headerBytes(['lan'], 20, 7),
  },
  { name: 'isis.hello.local_circuit_id', label: 'Local circuit ID', type: 'uint', read: headerNumber(['p2p'], 19, 1) },
  {
    name: 'isis.lsp.remaining_life',
    label: 'Remaining lifetime',
    type: 'uint',
    bits: 16,
    read: headerNumber(['lsp'], 10, 2),
  },
  { name: 'isis.lsp.lsp_id', label: 'LSP-ID', type: 'systemid', bits: 64, read: headerBytes(['lsp'], 12, 8) },
  {
    name: 'isis.lsp.sequence_number',
    label: 'Sequence number',
    type: 'uint',
    bits: 32,
    base: 'hex',
    read: headerNumber(['lsp'], 20, 4),
  },
  {
    name: 'isis.lsp.checksum',
    label: 'Checksum',
    type: 'uint',
    bits: 16,
    base: 'hex',
    display: hexThenText(4),
    read: (l, v) => {
      if (!isKind(l, ['lsp']) || l.off + 26 > l.end) return;
      const should = expectedLspChecksum(l);
      const stored = u16(l, l.off + 24);
      v.str(should === -2 ? ' [not present]' : checksumVerdict(should, stored), l.buf, l.off + 24, 2, stored);
    },
  },
  {
    name: 'isis.lsp.checksum.status',
    label: 'Checksum Status',
    type: 'uint',
    base: 'none',
    values: CHECKSUM_STATUS,
    generated: true,
    read: (l, v) => {
      if (!isKind(l, ['lsp']) || l.off + 26 > l.end) return;
      const should = expectedLspChecksum(l);
      const status = should === -2 ? CHECKSUM_NOT_PRESENT : checksumStatus(should, u16(l, l.off + 24));
      v.num(status, l.buf, l.off + 24, 2);
    },
  },
  {
    name: 'isis.lsp.partition_repair',
    label: 'Partition Repair',
    type: 'bool',
    mask: 0x80,
    tfs: SUPPORTED,
    read: headerNumber(['lsp'], 26, 1, 0x80, true),
  },
  { name: 'isis.lsp.att', label: 'Attachment', type: 'uint', mask: 0x78, read: headerNumber(['lsp'], 26, 1, 0x78) },
  ...LSP_METRIC_BITS.map(
    ([name, label, mask]): FieldSpec => ({
      name: `isis.lsp.${name}`,
      label,
      type: 'bool',
      mask,
      tfs: SET_NOT_SET,
      read: headerNumber(['lsp'], 26, 1, mask, true),
    }),
  ),
  {
    name: 'isis.lsp.overload',
    label: 'Overload bit',
    type: 'bool',
    mask: 0x04,
    tfs: SET_NOT_SET,
    read: headerNumber(['lsp'], 26, 1, 0x04, true),
  },
  {
    name: 'isis.lsp.is_type',
    label: 'Type of Intermediate System',
    type: 'uint',
    mask: 0x03,
    values: IS_TYPE_NAMES,
    read: headerNumber(['lsp'], 26, 1, 0x03),
  },
  ...(['csnp', 'psnp'] as const).flatMap((kind): FieldSpec[] => [
    {
      name: `isis.${kind}.source_id`,
      label: 'Source-ID',
      type: 'systemid',
      bits: 48,
      read: headerBytes([kind], 10, 6),
    },
    {
      name: `isis.${kind}.source_circuit`,
      label: 'Source-ID-Circuit',
      type: 'bytes',
      bits: 8,
      read: headerBytes([kind], 16, 1),
    },
  ]),
  {
    name: 'isis.csnp.start_lsp_id',
    label: 'Start LSP-ID',
    type: 'systemid',
    bits: 64,
    read: headerBytes(['csnp'], 17, 8),
  },
  { name: 'isis.csnp.end_lsp_id', label: 'End LSP-ID', type: 'systemid', bits: 64, read: headerBytes(['csnp'], 25, 8) },
];

const ISIS_FIELDS = declareFields(() => [
  protocolField('isis', 'ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol'),
  ...fields(
    {
      name: 'isis.irpd',
      label: 'Intradomain Routing Protocol Discriminator',
      type: 'uint',
      values: NLPID_NAMES,
      base: 'hex',
      at: 0,
    },
    { name: 'isis.len', label: 'Length Indicator', type: 'uint', at: 1 },
    { name: 'isis.version', label: 'Version/Protocol ID Extension', type: 'uint', at: 2 },
    { name: 'isis.sysid_len', label: 'ID Length', type: 'uint', at: 3 },
    { name: 'isis.type.reserved', label: 'Reserved', type: 'uint', base: 'hex', mask: 0xe0, at: 4 },
    { name: 'isis.type', label: 'PDU Type', type: 'uint', mask: 0x1f, at: 4, values: TYPE_NAMES },
    { name: 'isis.version2', label: 'Version', type: 'uint', at: 5 },
    { name: 'isis.reserved', label: 'Reserved', type: 'uint', at: 6 },
    { name: 'isis.max_area_adr', label: 'Maximum Area Addresses', type: 'uint', at: 7 },
    ...PDU_HEADER_FIELDS,
  ),
  ...TLVS.fields,
]);
const isisFieldsByName = fieldsByName(ISIS_FIELDS);
/** The common header's fields: those after the protocol's own. */
const COMMON_HEADER = 9;
/** The TLV list's type, length and authentication fields for each PDU kind, before those of the TLVs' values. */
const TLV_HEADER_FIELDS = 11;

/** Wireshark's titles of the PDU kinds' own protocol items, drawn after the common header. */
const PDU_TITLES: Readonly<Record<PduKind, string>> = {
  hello: 'ISIS HELLO',
  lsp: 'ISO 10589 ISIS Link State Protocol Data Unit',
  csnp: 'ISO 10589 ISIS Complete Sequence Numbers Protocol Data Unit',
  psnp: 'ISO 10589 ISIS Partial Sequence Numbers Protocol Data Unit',
};

const treeValues = new Values();
/** Enough for the most fields a TLV's entries have (IP reachability's 13). */
const entryValues: Values[] = Array.from({ length: 16 }, () => new Values());
const oneValue = new Values();
const tlvCursor = TLVS.cursor();
type Visit = (f: Field, v: Values, depth: number) => void;

/** Visits occurrence i of v alone. */
function visitOne(visit: Visit, f: Field, v: Values, i: number, depth: number): void {
  oneValue.n = 0;
  if (v.strs[i] !== undefined) oneValue.str(v.strs[i]!, v.bufs[i]!, v.offs[i]!, v.lens[i]!, v.nums[i]!);
  else oneValue.num(v.nums[i]!, v.bufs[i]!, v.offs[i]!, v.lens[i]!);
  visit(f, oneValue, depth);
}

/**
 * -V as Wireshark's: the common header under IS-IS's title, then the PDU kind's own item (`ISIS HELLO`...) at the
 * top, its fixed part, then each TLV a subtree: its type and length, then what its value holds, entry by entry.
 */
function isisTree(l: Layer, ctx: PacketCtx, visit: Visit): void {
  const all = ISIS_FIELDS();
  const byName = isisFieldsByName();
  for (let k = 1; k <= COMMON_HEADER; k++) {
    treeValues.n = 0;
    all[k]!.read(l, treeValues, ctx);
    if (treeValues.n > 0) visit(all[k]!, treeValues, 1);
  }
  const kind = pduKind(l);
  if (kind === null || l.off + 9 > l.end) return;
  visitText(visit, PDU_TITLES[kind], l.buf, l.off + 8, l.end - l.off - 8, 0);
  for (const f of all.slice(COMMON_HEADER + 1)) {
    if (f.list !== null) break;
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    if (treeValues.n === 0) continue;
    if (f.name === 'isis.lsp.partition_repair') {
      const b = l.buf[l.off + 26]!;
      visitText(
        visit,
        `Type block(0x${b.toString(16).padStart(2, '0')}): Partition Repair:${b >> 7}, ` +
          `Attached bits:${(b >> 3) & 0xf}, Overload bit:${(b >> 2) & 1}, IS type:${b & 3}`,
        l.buf,
        l.off + 26,
        1,
        1,
      );
    }
    if (f.name === 'isis.lsp.checksum' && expectedLspChecksum(l) === -2) {
      // Wireshark's line for a checksum of 0 (none): a generated item without its value.
      visitText(visit, '[Checksum: [missing]]', l.buf, l.off + 24, 2, 1);
      continue;
    }
    const typeBlock = f.name.startsWith('isis.lsp.') && treeValues.offs[0] === l.off + 26;
    const metricBit = LSP_METRIC_BITS.some(([name]) => f.name === `isis.lsp.${name}`);
    visit(f, treeValues, metricBit ? 3 : typeBlock ? 2 : 1);
    if (f.name === 'isis.hello.priority') {
      const b = l.buf[l.off + 19]!;
      visitText(visit, `${b >> 7}... .... = Reserved: ${b >> 7}`, l.buf, l.off + 19, 1, 1);
    }
  }
  const body = TLVS.fields.slice(TLV_HEADER_FIELDS);
  for (let ok = tlvCursor.region(l, 0, -1, 0); ok; ok = tlvCursor.step(l)) {
    const { p, len } = tlvCursor;
    visitText(visit, TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of TLVS.fields.slice(0, TLV_HEADER_FIELDS)) {
      // The authentication TLV's value is a line of its own (authLine), as Wireshark draws it.
      if (f.type === 'bytes') continue;
      treeValues.n = 0;
      f.recordRead!(l, treeValues, ctx, p, len);
      if (treeValues.n > 0) visit(f, treeValues, 2);
    }
    tlvBody(l, ctx, visit, p, len, body, byName);
  }
}

/** A TLV's value, as Wireshark draws each type. */
function tlvBody(
  l: Layer,
  ctx: PacketCtx,
  visit: Visit,
  p: number,
  len: number,
  body: readonly Field[],
  byName: ReadonlyMap<string, Field>,
): void {
  const kind = pduKind(l)!;
  const type = l.buf[p]!;
  const q = p + 2;
  const end = Math.min(p + len, l.end);
  /** The body's fields that have occurrences here, each read into its own Values. */
  const read = (names: readonly string[], from = 0): [Field, Values][] =>
    names.map((name, k) => {
      const f = byName.get(name)!;
      const v = entryValues[from + k]!;
      v.n = 0;
      f.recordRead!(l, v, ctx, p, len);
      return [f, v];
    });
  const plain = () => {
    for (const f of body) {
      treeValues.n = 0;
      f.recordRead!(l, treeValues, ctx, p, len);
      if (treeValues.n > 0) visit(f, treeValues, 2);
    }
  };
  switch (type) {
    case 1:
      forAreas(l, q, end, (a, n) =>
        // Each part is appended to the title.
        visitText(visit, appendedTitle(`Area address (${n}): ${areaText(l.buf, a + 1, n)}`), l.buf, a, 1 + n, 2),
      );
      return;
    case 129: {
      if (kind !== 'hello' && kind !== 'lsp') return;
      const [[f, v]] = read([`isis.${kind}.clv_nlpid.nlpid`]) as [[Field, Values]];
      const names: string[] = [];
      for (let i = 0; i < v.n; i++) {
        const n = v.nums[i]!;
        names.push(`${NLPID_NAMES[n] ?? 'Unknown'} (0x${n.toString(16).padStart(2, '0')})`);
      }
      if (v.n === 0) return;
      visitText(visit, appendedTitle(`NLPID${v.n > 1 ? 's' : ''}: ${names.join(', ')}`), l.buf, q, end - q, 2);
      visit(f, v, 3);
      return;
    }
    case 9: {
      if (kind !== 'csnp' && kind !== 'psnp') return;
      const fs = read(['isis.csnp.lsp_seq_num', 'isis.csnp.lsp_remain_life', 'isis.csnp.lsp_checksum']);
      const [[id, ids]] = read(['isis.csnp.lsp_id'], 3) as [[Field, Values]];
      for (let i = 0; i < ids.n; i++) {
        visitText(visit, 'LSP Entry', l.buf, q + i * 16, 16, 2);
        for (const [f, v] of fs) visitOne(visit, f, v, i, 3);
        visitOne(visit, id, ids, i, 2);
      }
      return;
    }
    case 22: {
      if (kind !== 'lsp') return;
      const fs = read([
        'isis.lsp.ext_is_reachability.is_neighbor_id',
        'isis.lsp.ext_is_reachability.metric',
        'isis.lsp.ext_is_reachability.subclvs_length',
      ]);
      const ids = fs[0]![1];
      for (let i = 0; i < ids.n; i++) {
        visitText(visit, `IS Neighbor: ${fieldText(fs[0]![0], ids, i)}`, l.buf, ids.offs[i]!, 11, 2);
        for (const [f, v] of fs) visitOne(visit, f, v, i, 3);
      }
      return;
    }
    case 135:
    case 236: {
      if (kind !== 'lsp') return;
      const v6 = type === 236;
      const what = v6 ? 'ipv6_reachability' : 'ext_ip_reachability';
      const fs = read(
        (v6
          ? ['metric', 'distribution', 'distribution_internal', 'subtlv', 'prefix_length', 'ipv6_prefix']
          : ['metric', 'distribution', 'subtlv', 'prefix_length', 'ipv4_prefix']
        ).map((n) => `isis.lsp.${what}.${n}`),
      );
      const sf = byName.get(`isis.lsp.${what}.subclvs_length`)!;
      const [pf, pv] = fs[fs.length - 1]!;
      let i = 0;
      forPrefixes(l, q, end, v6, (e, at, bits, subAt) => {
        const title = `${v6 ? 'IPv6 Reachability' : 'Ext. IP Reachability'}: ${fieldText(pf, pv, i)}/${bits}`;
        visitText(visit, title, l.buf, e, at + Math.ceil(bits / 8) - e, 2);
        for (const [f, v] of fs) visitOne(visit, f, v, i, 3);
        if ((l.buf[e + 4]! & (v6 ? 0x20 : 0x40)) === 0) visitText(visit, 'no sub-TLVs present', l.buf, e, 0, 3);
        else if (subAt >= 0) {
          oneValue.n = 0;
          oneValue.num(l.buf[subAt]!, l.buf, subAt, 1);
          visit(sf, oneValue, 3);
        }
        i++;
      });
      return;
    }
    case 128:
    case 130: {
      if (kind !== 'lsp') return;
      const fs = read([...byName.keys()].filter((n) => n.startsWith('isis.lsp.ip_reachability.')));
      const [pf, pv] = fs[0]!;
      for (let i = 0; i < pv.n; i++) {
        visitOne(visit, pf, pv, i, 2);
        for (const [f, v] of fs.slice(1)) visitOne(visit, f, v, i, 3);
      }
      return;
    }
    case 229: {
      if (kind !== 'hello' && kind !== 'lsp') return;
      const [[, v]] = read([`isis.${kind}.clv_mt`]) as [[Field, Values]];
      for (let i = 0; i < v.n; i++) visitText(visit, mtText(v.nums[i]!), l.buf, v.offs[i]!, 2, 2);
      return;
    }
    case 10:
      authLine(l, visit, q, end);
      return;
    default:
      plain();
  }
}

/** An occurrence's value as -V shows it. */
function fieldText(f: Field, v: Values, i: number): string {
  if (f.type === 'ipv6') return ipv6Text(v.bufs[i]!, v.offs[i]!);
  if (f.type === 'ipv4') return ipv4Text(v.bufs[i]!, v.offs[i]!);
  if (f.type === 'systemid') return systemIdText(v.bufs[i]!, v.offs[i]!, v.lens[i]!);
  return String(v.nums[i]);
}

/**
 * The authentication TLV's line, as Wireshark words it: an HMAC-MD5 digest in hex; a cleartext password's length
 * only: the password is never read out.
 */
function authLine(l: Layer, visit: Visit, q: number, end: number): void {
  if (q >= end) return;
  const type = l.buf[q]!;
  const n = end - q - 1;
  let text: string;
  if (type === ISIS_AUTH_CLEARTEXT) text = `clear text (1), password (length ${n})`;
  else if (type === ISIS_AUTH_HMAC_MD5) {
    let hex = '';
    for (let k = q + 1; k < end; k++) hex += l.buf[k]!.toString(16).padStart(2, '0');
    text = `hmac-md5 (54), message digest (length ${n}) = ${hex}`;
  } else return;
  visitText(visit, text, l.buf, q, end - q, 2);
}

export const isis = protocol({
  // Wireshark's IS-IS comes through its OSI dissector, and names each PDU kind a protocol (isis.hello).
  frameNames: (l) => {
    const kind = pduKind(l);
    return kind ? `osi:isis:isis.${kind}` : 'osi:isis';
  },
  treeNames: (l) => {
    const kind = pduKind(l);
    return kind ? `isis:isis.${kind}` : 'isis';
  },
  name: 'isis',
  abbrev: 'isis',
  title: 'ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol',
  hf: ISIS_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    if (l.buf[l.off] !== ISIS_NLPID) return ctx.warn(l, W.badVersion, l.buf[l.off]!);
    const fixed = FIXED_LENGTH[isisType(l)] ?? 8;
    if (!ctx.need(l, fixed)) return;
    l.hdrEnd = l.off + fixed;
  },
  json: jsonRest((l) => {
    const o: Record<string, unknown> = { type: isisType(l), level: isisLevel(l) };
    const id = isisSourceId(l);
    if (id) o.systemId = id;
    const hold = isisHoldingTime(l);
    if (hold >= 0) o.holdingTime = hold;
    const auth = isisAuthType(l);
    if (auth > 0) o.authType = auth;
    return o;
  }),
  label: isisLabel,
  summary(l, out) {
    out.str(isisLabel(l));
    const id = isisSourceId(l);
    if (id) out.str(' ').str(id);
  },
  tree: isisTree,
});
