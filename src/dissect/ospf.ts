import { internetChecksum } from '../util/checksum.js';
import { ipv4PrefixLength } from '../util/ip-text.js';
import { ipUnder, ipv4 } from './addr.js';
import {
  declareFields,
  field,
  type Field,
  type FieldReader,
  type FieldSpec,
  type FieldType,
  fields,
  fieldsByName,
  protocolField,
  TEXT_ITEM,
  SET_NOT_SET,
  type TrueFalse,
  CAPABLE,
  SUPPORTED,
  Values,
  YES_NO,
  hexThenText,
} from './field.js';
import { jsonMembers } from './json.js';
import { type Layer, type PacketCtx, protocol } from './packet.js';
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
    if (l.buf[l.off] !== 2 || l.off + 24 > l.end || l.dv.getUint16(l.off + 14) !== OSPF_AUTH_CRYPTO) return;
    const p = l.off + at;
    v.num(size === 1 ? l.buf[p]! : l.dv.getUint32(p), l.buf, p, size);
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

/** Where a message's body starts (the header's end), or -1 when the header was not read. */
const bodyOf = (l: Layer): number => (l.hdrEnd > l.off ? l.hdrEnd : -1);

/**
 * A field of one message type's fixed body part: at v2At in a v2 message, v3At in a v3 one (-1: not in that
 * version), of v2Size and v3Size bytes.
 */
const inBody =
  (type: number, v2At: number, v3At: number, v2Size: number, v3Size = v2Size): FieldReader =>
  (l, v) => {
    const version = l.buf[l.off];
    if (l.buf[l.off + 1] !== type || (version !== 2 && version !== 3) || bodyOf(l) < 0) return;
    const rel = version === 2 ? v2At : v3At;
    const size = version === 2 ? v2Size : v3Size;
    if (rel < 0) return;
    const p = l.hdrEnd + rel;
    if (p + size > l.end) return;
    v.num(readBigEndian(l.buf, p, size), l.buf, p, size);
  };

/** A field's value in its word: a flag 1 or 0, a masked number shifted down (no mask: the word). */
const masked = (type: FieldType, mask: number, word: number): number =>
  mask === 0 ? word : type === 'bool' ? (word & mask ? 1 : 0) : ((word & mask) >>> 0) / (mask & -mask);

const readBigEndian = (buf: Uint8Array, p: number, size: number): number => {
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + buf[p + i]!;
  return n;
};

/** The neighbours a Hello lists after its fixed part. */
const activeNeighbors: FieldReader = (l, v) => {
  const version = l.buf[l.off];
  if (version !== 2 && version !== 3) return;
  for (let i = 0, n = ospfHelloNeighborCount(l); i < n; i++)
    v.num(ospfHelloNeighbor(l, i), l.buf, l.hdrEnd + 20 + 4 * i, 4);
};

const OSPF_DB_DESCRIPTION = 2;
const OSPF_LS_REQUEST = 3;
const OSPF_LS_UPDATE = 4;
const OSPF_LS_ACK = 5;
const LSA_HEADER = 20;
/** LS Update's count is the sender's: a hostile one cannot make a walk longer than this. */
const MAX_LSAS = 256;

/**
 * Each LSA header a message carries, whole in the capture, at p: a Database Description's and an LS Acknowledge's
 * list of headers, and the LSAs of an LS Update (`inUpdate`: each LSA's body follows its header, which gives its
 * length). Wireshark's order: the order of the tree.
 */
function eachLsa(l: Layer, visit: (p: number, inUpdate: boolean) => void): void {
  const type = l.buf[l.off + 1];
  const version = l.buf[l.off];
  const body = bodyOf(l);
  if (body < 0 || (version !== 2 && version !== 3)) return;
  if (type === OSPF_DB_DESCRIPTION || type === OSPF_LS_ACK) {
    const start = type === OSPF_LS_ACK ? body : body + (version === 2 ? 8 : 12);
    for (let p = start, k = 0; p + LSA_HEADER <= l.end && k < MAX_LSAS; p += LSA_HEADER, k++) visit(p, false);
    return;
  }
  if (type !== OSPF_LS_UPDATE || body + 4 > l.end) return;
  const count = Math.min(l.dv.getUint32(body), MAX_LSAS);
  for (let p = body + 4, k = 0; k < count && p + LSA_HEADER <= l.end; k++) {
    visit(p, true);
    const length = l.dv.getUint16(p + 18);
    if (length < LSA_HEADER) return;
    p += length;
  }
}

/** Each request of an LS Request (12 bytes: the LS type, the Link State ID, the advertising router), at p. */
function eachLsRequest(l: Layer, visit: (p: number) => void): void {
  const body = bodyOf(l);
  if (body < 0 || l.buf[l.off + 1] !== OSPF_LS_REQUEST) return;
  for (let p = body, k = 0; p + 12 <= l.end && k < MAX_LSAS; p += 12, k++) visit(p);
}

/** OSPFv2's opaque LSAs (types 9-11) split their Link State ID into an opaque type and ID. */
const isOpaque = (lsType: number): boolean => lsType >= 9 && lsType <= 11;
/** An opaque LSA's header at p; one of Traffic Engineering (RFC 3630: its ID an instance, not an opaque ID) or not. */
const opaque = (l: Layer, p: number): boolean => isOpaque(l.buf[p + 3]!);
const opaqueTe =
  (te: boolean) =>
  (l: Layer, p: number): boolean =>
    opaque(l, p) && (l.buf[p + 4] === OPAQUE_TE) === te;
const OPAQUE_TE = 1;
/** Wireshark's names of the opaque types (the first byte of an opaque LSA's Link State ID). */
const OPAQUE_TYPE_VALS: Readonly<Record<number, string>> = {
  1: 'Traffic Engineering LSA',
  2: 'Sycamore Optical Topology Descriptions',
  3: 'grace-LSA',
  4: 'Router Information (RI)',
  5: 'L1VPN LSA',
  6: 'Inter-AS-TE-v2 LSA',
  7: 'OSPFv2 Extended Prefix Opaque LSA',
  8: 'OSPFv2 Extended Link Opaque LSA',
  9: 'TTZ LSA',
};
/** An NSSA LSA (type 7): bit 0x08 of its options is P (propagate), not N. */
const NSSA_LSA = 7;

/** A field of each LSA header (v2, v3 or both), at `at` in the header, of `size` bytes. */
const lsaHeaderField =
  (at: number, size: number, version = 0, only: ((l: Layer, p: number) => boolean) | null = null, value = same) =>
  (l: Layer, v: Values): void => {
    if (version !== 0 && l.buf[l.off] !== version) return;
    eachLsa(l, (p) => {
      if (!only || only(l, p)) v.num(value(readBigEndian(l.buf, p + at, size)), l.buf, p + at, size);
    });
  };
const same = (n: number): number => n;

/** A field of each LS Request, at `at` in it: of v2Size bytes in a v2 one, v3Size in a v3 one (0: none there). */
const lsRequestField =
  (at: number, v2Size: number, v3Size: number, v3At = at): FieldReader =>
  (l, v) => {
    const size = l.buf[l.off] === 2 ? v2Size : v3Size;
    const rel = l.buf[l.off] === 2 ? at : v3At;
    if (size === 0) return;
    eachLsRequest(l, (p) => v.num(readBigEndian(l.buf, p + rel, size), l.buf, p + rel, size));
  };

/** Both readers' occurrences, the LSA headers' after the requests' (a message has one kind or the other). */
const both =
  (...readers: FieldReader[]): FieldReader =>
  (l, v, ctx) => {
    for (const read of readers) read(l, v, ctx);
  };

/** A flag of an options or flags word: its name's last part, its label, its mask, its words when set and not. */
type Flag = readonly [name: string, label: string, mask: number, tfs: TrueFalse];
/** Wireshark's bfinfo_v2_options, highest bit first (the order of its tree and of the word's text). */
const V2_OPTIONS: readonly Flag[] = [
  ['dn', 'DN', 0x80, SET_NOT_SET],
  ['o', 'O', 0x40, SET_NOT_SET],
  ['dc', '(DC) Demand Circuits', 0x20, SUPPORTED],
  ['l', '(L) LLS Data block', 0x10, ['Present', 'Not Present']],
  ['n', '(N) NSSA', 0x08, SUPPORTED],
  ['mc', '(MC) Multicast', 0x04, CAPABLE],
  ['e', '(E) External Routing', 0x02, CAPABLE],
  ['mt', '(MT) Multi-Topology Routing', 0x01, YES_NO],
];
/** An NSSA LSA's options: P where the others have N. */
const V2_OPTIONS_NSSA: readonly Flag[] = V2_OPTIONS.map((f) =>
  f[0] === 'n' ? (['p', '(P) Propagate', 0x08, SET_NOT_SET] as const) : f,
);
const V3_OPTIONS: readonly Flag[] = (
  [
    ['at', 'AT', 0x400],
    ['l', 'L', 0x200],
    ['af', 'AF', 0x100],
    ['dc', 'DC', 0x20],
    ['r', 'R', 0x10],
    ['n', 'N', 0x08],
    ['mc', 'MC', 0x04],
    ['e', 'E', 0x02],
    ['v6', 'V6', 0x01],
  ] as const
).map(([name, label, mask]) => [name, label, mask, SET_NOT_SET] as const);
const DBD_FLAGS: readonly Flag[] = [
  ['r', '(R) OOBResync', 0x08, SET_NOT_SET],
  ['i', '(I) Init', 0x04, SET_NOT_SET],
  ['m', '(M) More', 0x02, SET_NOT_SET],
  ['ms', '(MS) Master', 0x01, YES_NO],
];
/** A v2 Router-LSA's flags (Wireshark's bfinfo_v2_router_lsa_flags), and the LLS block's extended options. */
const ROUTER_FLAGS: readonly Flag[] = [
  ['h', '(H) flag', 0x80, YES_NO],
  ['n', '(N) flag', 0x10, YES_NO],
  ['w', '(W) Wild-card multicast receiver', 0x08, YES_NO],
  ['v', '(V) Virtual link endpoint', 0x04, YES_NO],
  ['e', '(E) AS boundary router', 0x02, YES_NO],
  ['b', '(B) Area border router', 0x01, YES_NO],
];
const LLS_OPTIONS: readonly Flag[] = [
  ['rs', '(RS) Restart Signal', 0x02, SET_NOT_SET],
  ['lr', '(LR) LSDB Resynchronization', 0x01, SET_NOT_SET],
];
/** The Database Description's Init flag (RFC 2328 A.3.3): its sender is still in ExStart. */
export const DBD_INIT = 0x04;

/** A flags word as Wireshark's bitfield shows it: `0x52, O, (L) LLS Data block, (E) External Routing`. */
const wordText =
  (digits: number, ...sets: (readonly Flag[])[]) =>
  (n: number, _buf: Uint8Array, _off: number, nssa: string): string => {
    let s = `0x${n.toString(16).padStart(digits, '0')}`;
    for (const [, label, mask] of sets[nssa === 'nssa' ? 1 : 0]!) if (n & mask) s += `, ${label}`;
    return s;
  };

/** The flags of a word: each its own field, under the word in the tree, read wherever the word is. */
const flagFields = (prefix: string, bits: number, flags: readonly Flag[], word: FieldReader): FieldSpec[] =>
  flags.map(([name, label, mask, tfs]) => ({
    name: `${prefix}.${name}`,
    label,
    type: 'bool',
    bits,
    mask,
    tfs,
    child: true,
    read: (l, v, ctx) => {
      const at = v.n;
      word(l, v, ctx);
      for (let i = at; i < v.n; i++) v.nums[i] = masked('bool', mask, v.nums[i]!);
    },
  }));

/**
 * Where a message's options word is: a Hello's and a Database Description's (v2: 1 byte, v3: 3), then (v2) each
 * LSA header's and (v3) the options in the bodies of Router-, Network-, Inter-Area-Router- and Link-LSAs. The text
 * says 'nssa' for an NSSA LSA's (its 0x08 is P).
 */
function optionsWords(l: Layer, visit: (p: number, nssa: boolean) => void): void {
  const version = l.buf[l.off];
  const type = l.buf[l.off + 1];
  const body = bodyOf(l);
  if (body < 0 || (version !== 2 && version !== 3)) return;
  const size = version === 2 ? 1 : 3;
  const fixed =
    type === OSPF_HELLO
      ? body + (version === 2 ? 6 : 5)
      : type === OSPF_DB_DESCRIPTION
        ? body + (version === 2 ? 2 : 1)
        : -1;
  if (fixed >= 0 && fixed + size <= l.end) visit(fixed, false);
  eachLsa(l, (p, inUpdate) => {
    if (version === 2) visit(p + 2, l.buf[p + 3] === NSSA_LSA);
    else if (inUpdate && V3_BODY_OPTIONS.has(l.dv.getUint16(p + 2) & 0x1fff) && p + LSA_HEADER + 4 <= lsaEnd(l, p))
      visit(p + LSA_HEADER + 1, false);
  });
}
/** Where an LSA of an LS Update ends: at its length, or the capture's end. */
const lsaEnd = (l: Layer, p: number): number => Math.min(p + l.dv.getUint16(p + 18), l.end);
/** OSPFv3 LSAs whose body carries the options at its second byte: Router, Network, Inter-Area-Router and Link. */
const V3_BODY_OPTIONS = new Set([1, 2, 4, 8]);

const optionsReader =
  (version: number): FieldReader =>
  (l, v) => {
    if (l.buf[l.off] !== version) return;
    const size = version === 2 ? 1 : 3;
    optionsWords(l, (p, nssa) => v.str(nssa ? 'nssa' : '', l.buf, p, size));
    for (let i = 0; i < v.n; i++) v.nums[i] = readBigEndian(v.bufs[i]!, v.offs[i]!, size);
  };

/** v2's N (or, in an NSSA LSA's options, P): each read where its word says which it is. */
const v2OptionFlag =
  (nssaWord: boolean): FieldReader =>
  (l, v) => {
    if (l.buf[l.off] !== 2) return;
    optionsWords(l, (p, nssa) => {
      if (nssa === nssaWord) v.num(l.buf[p]! & 0x08 ? 1 : 0, l.buf, p, 1);
    });
  };

/** Wireshark's ls_type_vals (v2) and v3_ls_type_vals (a v3 type's function code). */
const LS_TYPE_VALS: Readonly<Record<number, string>> = {
  1: 'Router-LSA',
  2: 'Network-LSA',
  3: 'Summary-LSA (IP network)',
  4: 'Summary-LSA (ASBR)',
  5: 'AS-External-LSA (ASBR)',
  6: 'Group Membership LSA',
  7: 'NSSA AS-External-LSA',
  8: 'External Attributes LSA',
  9: 'Opaque LSA, Link-local scope',
  10: 'Opaque LSA, Area-local scope',
  11: 'Opaque LSA, AS-local scope',
};
const V3_LS_TYPE_VALS: Readonly<Record<number, string>> = {
  1: 'Router-LSA',
  2: 'Network-LSA',
  3: 'Inter-Area-Prefix-LSA',
  4: 'Inter-Area-Router-LSA',
  5: 'AS-External-LSA',
  6: 'Group-Membership-LSA',
  7: 'NSSA-LSA',
  8: 'Link-LSA',
  9: 'Intra-Area-Prefix-LSA',
  12: 'Router Information Opaque-LSA',
};
const FLOODING_SCOPE_VALS = {
  0: 'Link-Local Scoping - Flooded only on originating link',
  1: 'Area Scoping - Flooded only in originating area',
  2: 'AS Scoping - Flooded throughout AS',
  3: 'Reserved',
};
const V3_LSA_HANDLING: TrueFalse = [
  'Treat the LSA as if it had link-local flooding scope',
  'Store and flood the LSA as if the type is understood',
];

/**
 * The OSPF checksum as Wireshark checks it: v2 over the header but its authentication field, and the message with
 * whatever follows it in the IP payload; v3 over IPv6's pseudo-header and the same. Left unchecked (null) where the
 * sender put none (0), or the payload was not captured whole.
 */
function checksumVerdict(l: Layer, ctx: PacketCtx): string | null {
  const stored = l.dv.getUint16(l.off + 12);
  if (stored === 0) return ' (None)';
  const ip = ipUnder(l, ctx);
  if (ip === null || l.short || l.hdrEnd < 0) return null;
  // Over the payload handed over (its own buffer: a reassembled datagram's, a decrypted ESP payload's).
  const end = Math.max(l.end, l.aux);
  const sumOf = (dv: DataView, from: number, to: number): number =>
    from < to ? ~internetChecksum(dv, from, to) & 0xffff : 0;
  let sum = sumOf(l.dv, l.off, l.off + 12) + sumOf(l.dv, l.off + 14, l.off + 16);
  if (l.buf[l.off] === 2) sum += sumOf(l.dv, l.off + 24, end);
  else {
    // The pseudo-header's addresses are the IP layer's, read in its own buffer.
    const addressBytes = ip.proto.family === 6 ? 16 : 4;
    const at = ip.proto.family === 6 ? ip.off + 8 : ip.off + 12;
    if (at + 2 * addressBytes > ip.end) return null;
    sum += sumOf(ip.dv, at, at + 2 * addressBytes) + l.dv.getUint16(l.off + 2) + OSPF_IP_PROTOCOL;
    sum += sumOf(l.dv, l.off + 16, end);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  const expected = ~sum & 0xffff;
  return expected === stored ? ' [correct]' : ` [incorrect, should be 0x${expected.toString(16).padStart(4, '0')}]`;
}
const OSPF_IP_PROTOCOL = 89;

/**
 * Where the bytes after the message end, which belong to it still: a v2 message's cryptographic digest, then its LLS
 * block (RFC 5613), up to the end of the payload handed over. `l.end` where the message was not captured to its
 * length.
 */
function trailerEnd(l: Layer): number {
  if (l.hdrEnd < 0 || l.end !== l.off + l.dv.getUint16(l.off + 2)) return l.end;
  return Math.max(l.end, l.aux);
}

/** A v2 message's cryptographic digest (auth type 2), right after it: its length, or -1 where it is not captured. */
function digestLength(l: Layer): number {
  if (l.buf[l.off] !== 2 || l.hdrEnd < 0 || l.dv.getUint16(l.off + 14) !== OSPF_AUTH_CRYPTO) return -1;
  const length = l.buf[l.off + 19]!;
  return l.end + length <= trailerEnd(l) ? length : -1;
}

/** An item of the tree past the message's fixed parts: a field by name or a text line (TEXT), where, at what depth. */
type Item = (name: string, p: number, size: number, depth: number, text?: string) => void;
const TEXT = '';

/**
 * A v2 LSA's body in an LS Update, as Wireshark's tree has it: a Router-LSA's flags and links, a Network-LSA's mask
 * and routers, a Summary-LSA's mask and metrics, an AS-External- or NSSA-LSA's mask and forwarding blocks (opaque
 * LSAs' are not read). Each item within the LSA's length and the capture.
 */
function lsaBodyV2(l: Layer, p: number, depth: number, item: Item): void {
  const end = lsaEnd(l, p);
  let q = p + LSA_HEADER;
  switch (l.buf[p + 3]) {
    case 1: {
      if (q + 4 > end) return;
      item('ospf.v2.router.lsa.flags', q, 1, depth);
      item('ospf.lsa.number_of_links', q + 2, 2, depth);
      const links = l.dv.getUint16(q + 2);
      // Each link's count of metrics is called TOS, or MT-ID where the LSA's options say multi-topology.
      const metricWord = l.buf[p + 2]! & 0x01 ? 'MT-ID' : 'TOS';
      q += 4;
      for (let k = 0; k < links && q + 12 <= end; k++) {
        const type = l.buf[q + 8]!;
        const metrics = l.buf[q + 9]!;
        const title =
          `Type: ${(LINK_SHORT[type] ?? 'Unknown').padEnd(8)} ID: ${ipv4(l.buf, q).padEnd(15)} ` +
          `Data: ${ipv4(l.buf, q + 4).padEnd(15)} Metric: ${l.dv.getUint16(q + 10)}`;
        item(TEXT, q, 12 + 4 * metrics, depth, title);
        item('ospf.lsa.router.linkid', q, 4, depth + 1);
        item('ospf.lsa.router.linkdata', q + 4, 4, depth + 1);
        item('ospf.lsa.router.linktype', q + 8, 1, depth + 1);
        item('ospf.lsa.router.nummetrics', q + 9, 1, depth + 1, metricWord);
        item('ospf.lsa.router.metric0', q + 10, 2, depth + 1);
        for (let m = 0, r = q + 12; m < metrics && r + 4 <= end; m++, r += 4)
          item('ospf.ls.metric', r, 4, depth + 1, `${metricWord}: ${l.buf[r]}, Metric: ${l.dv.getUint16(r + 2)}`);
        q += 12 + 4 * metrics;
      }
      return;
    }
    case 2:
      if (q + 4 > end) return;
      item('ospf.lsa.network.netmask', q, 4, depth);
      for (q += 4; q + 4 <= end; q += 4) item('ospf.lsa.network.attchrtr', q, 4, depth);
      return;
    case 3:
    case 4:
      if (q + 4 > end) return;
      item('ospf.lsa.asbr.netmask', q, 4, depth);
      for (q += 4; q + 4 <= end; q += 4) {
        item('ospf.lsa.tos', q, 1, depth);
        item('ospf.metric', q + 1, 3, depth);
      }
      return;
    case 5:
    case NSSA_LSA:
      if (q + 4 > end) return;
      item('ospf.lsa.asext.netmask', q, 4, depth);
      for (q += 4; q + 12 <= end; q += 12) {
        item('ospf.lsa.asext.type', q, 1, depth);
        item('ospf.lsa.tos', q, 1, depth, EXTERNAL);
        item('ospf.metric', q + 1, 3, depth);
        item('ospf.lsa.asext.fwdaddr', q + 4, 4, depth);
        item('ospf.lsa.asext.extrttag', q + 8, 4, depth);
      }
  }
}
/** An AS-External LSA's TOS: the low 7 bits of its byte (the high one is the external type). */
const EXTERNAL = 'external';
/** Wireshark's names of a router link's type (ospf_v3_lsa_type_short_vals), and of what its ID and type mean. */
const LINK_SHORT: Readonly<Record<number, string>> = { 1: 'PTP', 2: 'Transit', 3: 'Stub', 4: 'Virtual' };
const LINK_ID: Readonly<Record<number, string>> = {
  1: "Neighboring router's Router ID",
  2: 'IP address of Designated Router',
  3: 'IP network/subnet number',
  4: "Neighboring router's Router ID",
};
/** A link's type, v2's and a v3 router interface's alike (Wireshark's ospf_v3_lsa_type_vals). */
const LINK_TYPE: Readonly<Record<number, string>> = {
  1: 'Point-to-point connection to another router',
  2: 'Connection to a transit network',
  3: 'Connection to a stub network',
  4: 'Virtual link',
};

/**
 * A v3 LSA's body in an LS Update (RFC 5340 A.4), as Wireshark's tree has it: a Router-LSA's flags, options and
 * interfaces, a Network-LSA's options and routers, the prefix LSAs' metrics, options and prefixes, an
 * Inter-Area-Router-LSA's destination, an AS-External- or NSSA-LSA's flags, prefix and the optional parts they say
 * are there, a Link-LSA's priority, options, link-local address and prefixes (a Router Information LSA's TLVs are not
 * read). Prefixes are IPv4 where the header's instance ID says IPv4 (RFC 5838: 66 to 127), as Wireshark reads them.
 * Each item within the LSA's length and the capture.
 */
function lsaBodyV3(l: Layer, p: number, depth: number, item: Item): void {
  const end = lsaEnd(l, p);
  const ipv4Family = l.buf[l.off + 14]! > 65 && l.buf[l.off + 14]! < 128;
  let q = p + LSA_HEADER;
  /** A prefix's length, options and third and fourth bytes (`third`), then its address; where the next begins. */
  const prefix = (at: number, third: string): number => {
    const bits = l.buf[at]!;
    const size = Math.ceil(bits / 32) * 4;
    item('ospf.prefix_length', at, 1, depth);
    item('ospf.v3.prefix.options', at + 1, 1, depth);
    item(third, at + 2, 2, depth);
    addressPrefix(at + 4, bits);
    return at + 4 + size;
  };
  /** An address prefix of `bits` bits at `at` (none where the length is over 128, as in Wireshark). */
  const addressPrefix = (at: number, bits: number): void => {
    if (bits > 128 || at + Math.ceil(bits / 32) * 4 > end) return;
    if (ipv4Family) item('ospf.v3.address_prefix.ipv4', at, 4, depth);
    else item('ospf.v3.address_prefix.ipv6', at, Math.ceil(bits / 32) * 4, depth, String(bits));
  };
  switch (l.dv.getUint16(p + 2) & 0x1fff) {
    case 1: {
      if (q + 4 > end) return;
      item('ospf.v3.router.lsa.flags', q, 1, depth);
      item('ospf.v3.options', q + 1, 3, depth);
      q += 4;
      if (q < end) item(TEXT, q, end - q, depth, 'Router Interfaces');
      for (let k = 1; q + 16 <= end; k++, q += 16) {
        item(TEXT, q, 16, depth + 1, `Entry #${k}`);
        item('ospf.v3.lsa.type', q, 1, depth + 2);
        item('ospf.reserved', q + 1, 1, depth + 2);
        item('ospf.metric', q + 2, 2, depth + 2);
        item('ospf.v3.lsa.interface_id', q + 4, 4, depth + 2);
        item('ospf.v3.lsa.neighbor_interface_id', q + 8, 4, depth + 2);
        item('ospf.v3.lsa.neighbor_router_id', q + 12, 4, depth + 2);
      }
      return;
    }
    case 2:
      if (q + 4 > end) return;
      item('ospf.reserved', q, 1, depth);
      item('ospf.v3.options', q + 1, 3, depth);
      for (q += 4; q + 4 <= end; q += 4) item('ospf.v3.lsa.attached_router', q, 4, depth);
      return;
    case 3:
      if (q + 8 > end) return;
      item('ospf.reserved', q, 1, depth);
      item('ospf.metric', q + 1, 3, depth);
      item('ospf.prefix_length', q + 4, 1, depth);
      item('ospf.v3.prefix.options', q + 5, 1, depth);
      item('ospf.reserved', q + 6, 2, depth);
      addressPrefix(q + 8, l.buf[q + 4]!);
      return;
    case 4:
      if (q + 4 > end) return;
      item('ospf.reserved', q, 1, depth);
      item('ospf.v3.options', q + 1, 3, depth);
      if (q + 12 > end) return;
      item('ospf.reserved', q + 4, 1, depth);
      item('ospf.metric', q + 5, 3, depth);
      item('ospf.v3.lsa.destination_router_id', q + 8, 4, depth);
      return;
    case 5:
    case NSSA_LSA: {
      if (q + 8 > end) return;
      const flags = l.buf[q]!;
      const bits = l.buf[q + 4]!;
      const referenced = l.dv.getUint16(q + 6);
      item('ospf.v3.as.external.flags', q, 1, depth);
      item('ospf.metric', q + 1, 3, depth);
      item('ospf.prefix_length', q + 4, 1, depth);
      item('ospf.v3.prefix.options', q + 5, 1, depth);
      item('ospf.v3.lsa.referenced_ls_type', q + 6, 2, depth);
      addressPrefix(q + 8, bits);
      q += 8 + Math.ceil(bits / 32) * 4;
      // The optional parts the flags and the referenced type say are there; a forwarding address takes 16 bytes.
      if (q < end && flags & AS_EXTERNAL_F) {
        if (ipv4Family) item('ospf.v3.lsa.forwarding_address.ipv4', q, 4, depth);
        else if (q + 16 <= end) item('ospf.v3.lsa.forwarding_address.ipv6', q, 16, depth);
        q += 16;
      }
      if (q + 4 <= end && flags & AS_EXTERNAL_T) {
        item('ospf.v3.lsa.external_route_tag', q, 4, depth);
        q += 4;
      }
      if (q + 4 <= end && referenced !== 0) item('ospf.v3.lsa.referenced_link_state_id', q, 4, depth);
      return;
    }
    case 8: {
      if (q + 4 > end) return;
      item('ospf.v3.lsa.router_priority', q, 1, depth);
      item('ospf.v3.options', q + 1, 3, depth);
      if (q + 24 > end) return;
      if (ipv4Family) item('ospf.v3.lsa.link_local_interface_address.ipv4', q + 4, 4, depth);
      else item('ospf.v3.lsa.link_local_interface_address.ipv6', q + 4, 16, depth);
      item('ospf.v3.lsa.num_prefixes', q + 20, 4, depth);
      const count = Math.min(l.dv.getUint32(q + 20), MAX_LSAS);
      q += 24;
      for (let k = 0; k < count && q + 4 <= end; k++) q = prefix(q, 'ospf.reserved');
      return;
    }
    case 9: {
      if (q + 12 > end) return;
      item('ospf.v3.lsa.num_prefixes', q, 2, depth);
      item('ospf.v3.lsa.referenced_ls_type', q + 2, 2, depth);
      item('ospf.v3.lsa.referenced_link_state_id', q + 4, 4, depth);
      item('ospf.v3.lsa.referenced_advertising_router', q + 8, 4, depth);
      const count = Math.min(l.dv.getUint16(q), MAX_LSAS);
      q += 12;
      for (let k = 0; k < count && q + 4 <= end; k++) q = prefix(q, 'ospf.metric');
    }
  }
}
/** An AS-External- or NSSA-LSA's flags: a forwarding address, a route tag follow (RFC 5340 A.4.7). */
const AS_EXTERNAL_F = 0x02;
const AS_EXTERNAL_T = 0x01;
const V3_ROUTER_FLAGS: readonly Flag[] = [
  ['w', '(W) Wild-card multicast receiver', 0x08, YES_NO],
  ['v', '(V) Virtual link endpoint', 0x04, YES_NO],
  ['e', '(E) AS boundary router', 0x02, YES_NO],
  ['b', '(B) Area border router', 0x01, YES_NO],
];
const PREFIX_OPTIONS: readonly Flag[] = [
  ['p', '(P) Propagate', 0x08, SET_NOT_SET],
  ['mc', '(MC) Multicast', 0x04, SET_NOT_SET],
  ['la', '(LA) Local Address', 0x02, SET_NOT_SET],
  ['nu', '(NU) NoUnicast', 0x01, SET_NOT_SET],
];
const AS_EXTERNAL_FLAGS: readonly Flag[] = [
  ['e', '(E) External Metric', 0x04, ['Type 2', 'Type 1']],
  ['f', '(F) Forwarding Address', AS_EXTERNAL_F, ['Present', 'Absent']],
  ['t', '(T) External Route Tag', AS_EXTERNAL_T, ['Present', 'Not Present']],
];
const PREFIX_IPV6 = 'ospf.v3.address_prefix.ipv6';
/**
 * An IPv6 address prefix of `bits` bits in its `size` bytes at p, as a whole address (a copy): the bits past its
 * length in its last byte cleared as Wireshark clears them (in the last of its 4-byte words).
 */
function prefixAddress(buf: Uint8Array, p: number, size: number, bits: number): Uint8Array {
  const a = new Uint8Array(16);
  a.set(buf.subarray(p, p + size));
  if (size > 0 && bits % 8) a[size - 1]! &= 0xff00 >> (bits % 8);
  return a;
}

/**
 * A v2 Hello's or Database Description's LLS block (RFC 5613, said by the L option), after the message and its
 * digest: its checksum and length, then each TLV (extended options, cryptographic authentication).
 */
function llsBlock(l: Layer, item: Item): void {
  const body = bodyOf(l);
  const type = ospfType(l);
  if (l.buf[l.off] !== 2 || body < 0 || (type !== OSPF_HELLO && type !== OSPF_DB_DESCRIPTION)) return;
  const options = type === OSPF_HELLO ? body + 6 : body + 2;
  if (options >= l.end || !(l.buf[options]! & 0x10)) return;
  const start = l.end + Math.max(0, digestLength(l));
  const end = trailerEnd(l);
  if (start + 4 > end) return;
  item(TEXT, start, end - start, 1, 'OSPF LLS Data Block');
  item('ospf.lls.checksum', start, 2, 2);
  item('ospf.lls.data_length', start + 2, 2, 2);
  const last = Math.min(start + 4 * l.dv.getUint16(start + 2), end);
  for (let q = start + 4, k = 0; q + 4 <= last && k < MAX_LSAS; k++) {
    const tlv = l.dv.getUint16(q);
    const length = l.dv.getUint16(q + 2);
    item(TEXT, q, Math.min(length + 4, end - q), 2, LLS_TLV_NAMES[tlv] ?? 'Unknown LLS TLV');
    item('ospf.tlv_type', q, 2, 3);
    item('ospf.tlv_length', q + 2, 2, 3);
    if (tlv === 1) item('ospf.lls.ext.options', q + 4, 4, 3);
    else if (tlv === 2) {
      item('ospf.v2.lls.sequence_number', q + 4, 4, 3);
      if (length > 4) item('ospf.v2.lls.auth_data', q + 8, length - 4, 3);
    }
    q += length + 4;
  }
}
const LLS_TLV_NAMES: Readonly<Record<number, string>> = { 1: 'Extended options TLV', 2: 'Crypto Authentication TLV' };
/**
 * Items whose value is worked out from their bytes: the LLS block's length is in 32-bit words; a router link's
 * further metric is the low half of its word (the high byte its TOS or MT-ID).
 */
const ITEM_VALUE: Readonly<Record<string, (n: number) => number>> = {
  'ospf.lls.data_length': (n) => n * 4,
  'ospf.ls.metric': (n) => n & 0xffff,
};

/** The flags words among those items, each with its flags (drawn under it in -V). */
const TRAILING_WORDS: Readonly<Record<string, readonly Flag[]>> = {
  'ospf.v2.router.lsa.flags': ROUTER_FLAGS,
  'ospf.v3.router.lsa.flags': V3_ROUTER_FLAGS,
  'ospf.v3.options': V3_OPTIONS,
  'ospf.v3.prefix.options': PREFIX_OPTIONS,
  'ospf.v3.as.external.flags': AS_EXTERNAL_FLAGS,
  'ospf.lls.ext.options': LLS_OPTIONS,
};

/** The items of the message's LSA bodies and LLS block (not its fixed parts): what their fields' readers walk. */
function eachTrailingItem(l: Layer, item: Item): void {
  if (l.buf[l.off] === 2) eachLsa(l, (p, inUpdate) => inUpdate && lsaBodyV2(l, p, 0, item));
  else eachLsa(l, (p, inUpdate) => inUpdate && lsaBodyV3(l, p, 0, item));
  llsBlock(l, item);
}

/**
 * The reader of a field of the LSA bodies or the LLS block: each item of that name (`flag`: the bit of a flag; an
 * AS-External LSA's TOS is the low 7 bits of its byte).
 */
const trailingField =
  (name: string, flag = 0): FieldReader =>
  (l, v) => {
    const value = ITEM_VALUE[name];
    const end = trailerEnd(l);
    eachTrailingItem(l, (n, p, size, _depth, text) => {
      if (n !== name || p + size > end) return;
      if (n === PREFIX_IPV6) return v.bytes(prefixAddress(l.buf, p, size, Number(text)), 0, 16);
      if (size > 4) return v.bytes(l.buf, p, size);
      const raw = readBigEndian(l.buf, p, size);
      const word = text === EXTERNAL ? masked('uint', 0x7f, raw) : masked('bool', flag, raw);
      v.num(value ? value(word) : word, l.buf, p, size);
    });
  };

/** The fields of OSPFv3's LSA bodies (lsaBodyV3), each read where the walk finds it. */
function v3BodyFields(): FieldSpec[] {
  const trailing = (name: string, label: string, type: FieldSpec['type'], more: Partial<FieldSpec> = {}): FieldSpec =>
    ({ name, label, type, ...more, read: trailingField(name) }) as FieldSpec;
  const word = (name: string, label: string, flags: readonly Flag[]): FieldSpec[] => [
    trailing(name, label, 'uint', { bits: 8, base: 'hex', display: wordText(2, flags) }),
    ...flagFields(name, 8, flags, trailingField(name)),
  ];
  return [
    ...word('ospf.v3.router.lsa.flags', 'Flags', V3_ROUTER_FLAGS),
    trailing('ospf.v3.lsa.type', 'Type', 'uint', {
      bits: 8,
      values: LINK_TYPE,
    }),
    trailing('ospf.v3.lsa.interface_id', 'Interface ID', 'uint', { bits: 32 }),
    trailing('ospf.v3.lsa.neighbor_interface_id', 'Neighbor Interface ID', 'uint', { bits: 32 }),
    trailing('ospf.v3.lsa.neighbor_router_id', 'Neighbor Router ID', 'ipv4'),
    trailing('ospf.v3.lsa.attached_router', 'Attached Router', 'ipv4'),
    trailing('ospf.prefix_length', 'PrefixLength', 'uint', { bits: 8 }),
    ...word('ospf.v3.prefix.options', 'PrefixOptions', PREFIX_OPTIONS),
    trailing('ospf.v3.lsa.destination_router_id', 'Destination Router ID', 'ipv4'),
    ...word('ospf.v3.as.external.flags', 'Flags', AS_EXTERNAL_FLAGS),
    trailing('ospf.v3.lsa.referenced_ls_type', 'Referenced LS type', 'uint', {
      bits: 16,
      base: 'hex',
      values: V3_LS_TYPE_VALS,
    }),
    trailing('ospf.v3.lsa.forwarding_address.ipv6', 'Forwarding Address', 'ipv6'),
    trailing('ospf.v3.lsa.forwarding_address.ipv4', 'Forwarding Address', 'ipv4'),
    trailing('ospf.v3.lsa.external_route_tag', 'External Route Tag', 'uint', { bits: 32 }),
    trailing('ospf.v3.lsa.referenced_link_state_id', 'Referenced Link State ID', 'ipv4'),
    trailing('ospf.v3.lsa.router_priority', 'Router Priority', 'uint', { bits: 8 }),
    trailing('ospf.v3.lsa.link_local_interface_address.ipv6', 'Link-local Interface Address', 'ipv6'),
    trailing('ospf.v3.lsa.link_local_interface_address.ipv4', 'Link-local Interface Address', 'ipv4'),
    trailing('ospf.v3.lsa.num_prefixes', '# prefixes', 'uint', { bits: 32 }),
    trailing('ospf.v3.lsa.referenced_advertising_router', 'Referenced Advertising Router', 'ipv4'),
    trailing('ospf.v3.address_prefix.ipv6', 'Address Prefix', 'ipv6'),
    trailing('ospf.v3.address_prefix.ipv4', 'Address Prefix', 'ipv4'),
  ];
}

const OSPF_FIELDS = declareFields(() => [
  protocolField('ospf', 'Open Shortest Path First'),
  ...fields(
    {
      name: 'ospf.header',
      label: 'OSPF Header',
      type: 'none',
      read: (l, v) => {
        if (bodyOf(l) >= 0) v.num(1, l.buf, l.off, l.hdrEnd - l.off);
      },
    },
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
    {
      name: 'ospf.area_id',
      label: 'Area ID',
      type: 'ipv4',
      display: (n, buf, off) => (n === 0 ? `${ipv4(buf, off)} (Backbone)` : ipv4(buf, off)),
      at: 8,
    },
    {
      name: 'ospf.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v, ctx) => {
        if (l.off + 14 > l.end) return;
        v.str(checksumVerdict(l, ctx) ?? '', l.buf, l.off + 12, 2);
        v.nums[v.n - 1] = l.dv.getUint16(l.off + 12);
      },
    },
    {
      name: 'ospf.auth.type',
      label: 'Auth Type',
      type: 'uint',
      bits: 16,
      values: AUTH_VALS,
      read: inVersion(2, 14, 2),
    },
    {
      name: 'ospf.auth.none',
      label: 'Auth Data (none)',
      type: 'bytes',
      bits: 64,
      read: (l, v) => {
        if (l.buf[l.off] === 2 && l.off + 24 <= l.end && l.dv.getUint16(l.off + 14) === OSPF_AUTH_NONE)
          v.bytes(l.buf, l.off + 16, 8);
      },
    },
    // An authentication type RFC 2328 does not define: its 8 bytes. (A simple password is never read out.)
    {
      name: 'ospf.auth.unknown',
      label: 'Auth Unknown',
      type: 'bytes',
      read: (l, v) => {
        if (l.buf[l.off] === 2 && l.off + 24 <= l.end && l.dv.getUint16(l.off + 14) > OSPF_AUTH_CRYPTO)
          v.bytes(l.buf, l.off + 16, 8);
      },
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
    {
      name: 'ospf.reserved',
      label: 'Reserved',
      type: 'bytes',
      // v3's reserved bytes: the header's, a Database Description's two and each LS Request's two.
      read: (l, v) => {
        if (l.buf[l.off] !== 3 || l.off + 16 > l.end) return;
        v.bytes(l.buf, l.off + 15, 1);
        const body = bodyOf(l);
        if (l.buf[l.off + 1] === OSPF_DB_DESCRIPTION && body + 12 <= l.end) {
          v.bytes(l.buf, body, 1);
          v.bytes(l.buf, body + 6, 1);
        }
        eachLsRequest(l, (p) => v.bytes(l.buf, p, 2));
        const end = trailerEnd(l);
        eachTrailingItem(l, (name, p, size) => name === 'ospf.reserved' && p + size <= end && v.bytes(l.buf, p, size));
      },
    },
    {
      name: 'ospf.hello',
      label: 'OSPF Hello Packet',
      type: 'none',
      read: (l, v) => {
        if (ospfType(l) === OSPF_HELLO && bodyOf(l) >= 0) v.num(1, l.buf, l.hdrEnd, l.end - l.hdrEnd);
      },
    },
    { name: 'ospf.hello.network_mask', label: 'Network Mask', type: 'ipv4', read: inBody(OSPF_HELLO, 0, -1, 4) },
    {
      name: 'ospf.hello.interface_id',
      label: 'Interface ID',
      type: 'uint',
      bits: 32,
      read: inBody(OSPF_HELLO, -1, 0, 4),
    },
    {
      name: 'ospf.hello.hello_interval',
      label: 'Hello Interval [sec]',
      type: 'uint',
      bits: 32,
      read: inBody(OSPF_HELLO, 4, 8, 2),
    },
    {
      name: 'ospf.hello.router_priority',
      label: 'Router Priority',
      type: 'uint',
      read: inBody(OSPF_HELLO, 7, 4, 1),
    },
    {
      name: 'ospf.hello.router_dead_interval',
      label: 'Router Dead Interval [sec]',
      type: 'uint',
      bits: 32,
      read: inBody(OSPF_HELLO, 8, 10, 4, 2),
    },
    {
      name: 'ospf.hello.designated_router',
      label: 'Designated Router',
      type: 'ipv4',
      read: inBody(OSPF_HELLO, 12, 12, 4),
    },
    {
      name: 'ospf.hello.backup_designated_router',
      label: 'Backup Designated Router',
      type: 'ipv4',
      read: inBody(OSPF_HELLO, 16, 16, 4),
    },
    { name: 'ospf.hello.active_neighbor', label: 'Active Neighbor', type: 'ipv4', read: activeNeighbors },
    {
      name: 'ospf.v2.options',
      label: 'Options',
      type: 'uint',
      base: 'hex',
      display: wordText(2, V2_OPTIONS, V2_OPTIONS_NSSA),
      read: optionsReader(2),
    },
    ...flagFields('ospf.v2.options', 8, V2_OPTIONS, optionsReader(2)).map((f) =>
      f.name === 'ospf.v2.options.n' ? { ...f, read: v2OptionFlag(false) } : f,
    ),
    { ...flagFields('ospf.v2.options', 8, V2_OPTIONS_NSSA, optionsReader(2))[4]!, read: v2OptionFlag(true) },
    {
      name: 'ospf.v3.options',
      label: 'Options',
      type: 'uint',
      bits: 24,
      base: 'hex',
      display: wordText(6, V3_OPTIONS),
      read: optionsReader(3),
    },
    ...flagFields('ospf.v3.options', 24, V3_OPTIONS, optionsReader(3)),
    {
      name: 'ospf.db.interface_mtu',
      label: 'Interface MTU',
      type: 'uint',
      bits: 16,
      read: inBody(OSPF_DB_DESCRIPTION, 0, 4, 2),
    },
    {
      name: 'ospf.dbd',
      label: 'DB Description',
      type: 'uint',
      base: 'hex',
      display: wordText(2, DBD_FLAGS),
      read: inBody(OSPF_DB_DESCRIPTION, 3, 7, 1),
    },
    ...flagFields('ospf.dbd', 8, DBD_FLAGS, inBody(OSPF_DB_DESCRIPTION, 3, 7, 1)),
    {
      name: 'ospf.db.dd_sequence',
      label: 'DD Sequence',
      type: 'uint',
      bits: 32,
      read: inBody(OSPF_DB_DESCRIPTION, 4, 8, 4),
    },
    {
      name: 'ospf.ls.number_of_lsas',
      label: 'Number of LSAs',
      type: 'uint',
      bits: 32,
      read: inBody(OSPF_LS_UPDATE, 0, 0, 4),
    },
    {
      name: 'ospf.lsa.age',
      label: 'LS Age (seconds)',
      type: 'uint',
      bits: 16,
      mask: 0x7fff,
      read: lsaHeaderField(0, 2, 0, null, (n) => n & 0x7fff),
    },
    {
      name: 'ospf.lsa.donotage',
      label: 'Do Not Age Flag',
      type: 'uint',
      bits: 16,
      mask: 0x8000,
      read: lsaHeaderField(0, 2, 2, null, (n) => n >>> 15),
    },
    {
      name: 'ospf.v3.lsa.do_not_age',
      label: 'Do Not Age',
      type: 'bool',
      bits: 16,
      mask: 0x8000,
      read: lsaHeaderField(0, 2, 3, null, (n) => n >>> 15),
    },
    {
      name: 'ospf.lsa',
      label: 'LS Type',
      type: 'uint',
      values: LS_TYPE_VALS,
      // A v2 request's type is a word of 4 bytes.
      read: both(lsRequestField(0, 4, 0), lsaHeaderField(3, 1, 2)),
    },
    ...v3LsType(),
    ...lsaTypeMarks(),
    {
      name: 'ospf.lsa.id',
      label: 'Link State ID',
      type: 'ipv4',
      // Wireshark's v2 LSA headers' own (an opaque LSA's is an opaque type and ID instead).
      read: lsaHeaderField(4, 4, 2, (l, p) => !opaque(l, p)),
    },
    {
      name: 'ospf.lsid_opaque_type',
      label: 'Link State ID Opaque Type',
      type: 'uint',
      values: OPAQUE_TYPE_VALS,
      read: lsaHeaderField(4, 1, 2, opaque),
    },
    {
      name: 'ospf.lsid_te_lsa.reserved',
      label: 'Link State ID TE-LSA Reserved',
      type: 'uint',
      read: lsaHeaderField(5, 1, 2, opaqueTe(true)),
    },
    {
      name: 'ospf.lsid_te_lsa.instance',
      label: 'Link State ID TE-LSA Instance',
      type: 'uint',
      bits: 16,
      read: lsaHeaderField(6, 2, 2, opaqueTe(true)),
    },
    {
      name: 'ospf.lsid.opaque_id',
      label: 'Link State ID Opaque ID',
      type: 'uint',
      bits: 24,
      read: lsaHeaderField(5, 3, 2, opaqueTe(false)),
    },
    {
      name: 'ospf.link_state_id',
      label: 'Link State ID',
      type: 'ipv4',
      // The requests' (both versions) and v3's LSA headers'.
      read: both(lsRequestField(4, 4, 4), lsaHeaderField(4, 4, 3)),
    },
    {
      name: 'ospf.advrouter',
      label: 'Advertising Router',
      type: 'ipv4',
      read: both(lsRequestField(8, 4, 4), lsaHeaderField(8, 4)),
    },
    {
      name: 'ospf.lsa.seqnum',
      label: 'Sequence Number',
      type: 'uint',
      bits: 32,
      base: 'hex',
      read: lsaHeaderField(12, 4),
    },
    { name: 'ospf.lsa.chksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', read: lsaHeaderField(16, 2) },
    { name: 'ospf.lsa.length', label: 'Length', type: 'uint', bits: 16, read: lsaHeaderField(18, 2) },
    {
      name: 'ospf.v2.router.lsa.flags',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      display: wordText(2, ROUTER_FLAGS),
      read: trailingField('ospf.v2.router.lsa.flags'),
    },
    ...flagFields('ospf.v2.router.lsa.flags', 8, ROUTER_FLAGS, trailingField('ospf.v2.router.lsa.flags')),
    {
      name: 'ospf.lsa.number_of_links',
      label: 'Number of Links',
      type: 'uint',
      bits: 16,
      read: trailingField('ospf.lsa.number_of_links'),
    },
    {
      name: 'ospf.lsa.router.linkid',
      label: 'Link ID',
      type: 'ipv4',
      // What the ID is, by the link's type (the byte 8 after it).
      display: (_n, buf, off) => `${ipv4(buf, off)} - ${LINK_ID[buf[off + 8]!] ?? 'Unknown link ID'}`,
      read: trailingField('ospf.lsa.router.linkid'),
    },
    {
      name: 'ospf.lsa.router.linkdata',
      label: 'Link Data',
      type: 'ipv4',
      read: trailingField('ospf.lsa.router.linkdata'),
    },
    {
      name: 'ospf.lsa.router.linktype',
      label: 'Link Type',
      type: 'uint',
      display: (n) => `${n} - ${LINK_TYPE[n] ?? 'Unknown link type'}`,
      read: trailingField('ospf.lsa.router.linktype'),
    },
    {
      name: 'ospf.lsa.router.nummetrics',
      label: 'Number of Metrics',
      type: 'uint',
      display: (n, _b, _o, metric) => `${n} - ${metric || 'TOS'}`,
      read: trailingField('ospf.lsa.router.nummetrics'),
    },
    {
      name: 'ospf.lsa.router.metric0',
      label: '0 Metric',
      type: 'uint',
      bits: 16,
      read: trailingField('ospf.lsa.router.metric0'),
    },
    // Wireshark writes its line whole (`TOS: 8, Metric: 20`): -V shows the item's text.
    { name: 'ospf.ls.metric', label: 'Metric', type: 'uint', bits: 32, read: trailingField('ospf.ls.metric') },
    {
      name: 'ospf.lsa.network.netmask',
      label: 'Netmask',
      type: 'ipv4',
      read: trailingField('ospf.lsa.network.netmask'),
    },
    {
      name: 'ospf.lsa.network.attchrtr',
      label: 'Attached Router',
      type: 'ipv4',
      read: trailingField('ospf.lsa.network.attchrtr'),
    },
    { name: 'ospf.lsa.asbr.netmask', label: 'Netmask', type: 'ipv4', read: trailingField('ospf.lsa.asbr.netmask') },
    { name: 'ospf.lsa.tos', label: 'TOS', type: 'uint', read: trailingField('ospf.lsa.tos') },
    { name: 'ospf.metric', label: 'Metric', type: 'uint', bits: 32, read: trailingField('ospf.metric') },
    { name: 'ospf.lsa.asext.netmask', label: 'Netmask', type: 'ipv4', read: trailingField('ospf.lsa.asext.netmask') },
    {
      name: 'ospf.lsa.asext.type',
      label: 'External Type',
      type: 'bool',
      mask: 0x80,
      tfs: [
        'Type 2 (metric is larger than any other link state path)',
        'Type 1 (metric is specified in the same units as interface cost)',
      ],
      read: trailingField('ospf.lsa.asext.type', 0x80),
    },
    {
      name: 'ospf.lsa.asext.fwdaddr',
      label: 'Forwarding Address',
      type: 'ipv4',
      read: trailingField('ospf.lsa.asext.fwdaddr'),
    },
    {
      name: 'ospf.lsa.asext.extrttag',
      label: 'External Route Tag',
      type: 'uint',
      bits: 32,
      read: trailingField('ospf.lsa.asext.extrttag'),
    },
    ...v3BodyFields(),
    {
      name: 'ospf.auth.crypt.data',
      label: 'Auth Crypt Data',
      type: 'bytes',
      read: (l, v) => {
        const length = digestLength(l);
        if (length > 0) v.bytes(l.buf, l.end, length);
      },
    },
    {
      name: 'ospf.lls.checksum',
      label: 'Checksum',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: trailingField('ospf.lls.checksum'),
    },
    {
      name: 'ospf.lls.data_length',
      label: 'LLS Data Length',
      type: 'uint',
      bits: 16,
      display: (n) => `${n} bytes`,
      read: trailingField('ospf.lls.data_length'),
    },
    { name: 'ospf.tlv_type', label: 'TLV Type', type: 'uint', bits: 16, read: trailingField('ospf.tlv_type') },
    { name: 'ospf.tlv_length', label: 'TLV Length', type: 'uint', bits: 16, read: trailingField('ospf.tlv_length') },
    {
      name: 'ospf.lls.ext.options',
      label: 'Options',
      type: 'uint',
      bits: 32,
      base: 'hex',
      display: wordText(8, LLS_OPTIONS),
      read: trailingField('ospf.lls.ext.options'),
    },
    ...flagFields('ospf.lls.ext.options', 32, LLS_OPTIONS, trailingField('ospf.lls.ext.options')),
    {
      name: 'ospf.v2.lls.sequence_number',
      label: 'Sequence number',
      type: 'uint',
      bits: 32,
      base: 'hex',
      read: trailingField('ospf.v2.lls.sequence_number'),
    },
    { name: 'ospf.v2.lls.auth_data', label: 'Auth Data', type: 'bytes', read: trailingField('ospf.v2.lls.auth_data') },
  ),
]);

/**
 * Wireshark's hidden marks of an LSA header's type (`ospf.lsa.asext`, `ospf.v3.lsa.link`): present on each header of
 * that type, for filters. v2 types 9 to 11 are one mark (opaque); v3's by function code.
 */
function lsaTypeMarks(): FieldSpec[] {
  const mark = (name: string, label: string, version: number, types: readonly number[]): FieldSpec => ({
    name,
    label,
    type: 'bool',
    bits: 0,
    hidden: true,
    read: lsaHeaderField(
      version === 2 ? 3 : 2,
      version === 2 ? 1 : 2,
      version,
      (l, p) => types.includes(version === 2 ? l.buf[p + 3]! : l.dv.getUint16(p + 2) & 0x1fff),
      (n) => (n ? 1 : 0),
    ),
  });
  return [
    mark('ospf.lsa.router', 'Router LSA', 2, [1]),
    mark('ospf.lsa.network', 'Network LSA', 2, [2]),
    mark('ospf.lsa.summary', 'Summary LSA (IP Network)', 2, [3]),
    mark('ospf.lsa.asbr', 'Summary LSA (ASBR)', 2, [4]),
    mark('ospf.lsa.asext', 'AS-External LSA (ASBR)', 2, [5]),
    mark('ospf.lsa.member', 'Group Membership LSA', 2, [6]),
    mark('ospf.lsa.nssa', 'NSSA AS-External LSA', 2, [7]),
    mark('ospf.lsa.attr', 'External Attributes LSA', 2, [8]),
    mark('ospf.lsa.opaque', 'Opaque LSA', 2, [9, 10, 11]),
    mark('ospf.v3.lsa.router', 'Router-LSA', 3, [1]),
    mark('ospf.v3.lsa.network', 'Network-LSA', 3, [2]),
    mark('ospf.v3.lsa.interprefix', 'Inter-Area-Prefix-LSA', 3, [3]),
    mark('ospf.v3.lsa.interrouter', 'Inter-Area-Router-LSA', 3, [4]),
    mark('ospf.v3.lsa.asext', 'AS-External-LSA', 3, [5]),
    mark('ospf.v3.lsa.member', 'Group-Membership-LSA', 3, [6]),
    mark('ospf.v3.lsa.nssa', 'NSSA-LSA', 3, [7]),
    mark('ospf.v3.lsa.link', 'Link-LSA', 3, [8]),
    mark('ospf.v3.lsa.intraprefix', 'Intra-Area-Prefix-LSA', 3, [9]),
    mark('ospf.v3.lsa.opaque', 'Router Information Opaque-LSA', 3, [12]),
  ];
}

/** OSPFv3's LS type (requests and LSA headers) and its three parts, drawn under it. */
function v3LsType(): FieldSpec[] {
  const word = both(lsRequestField(2, 0, 2, 2), lsaHeaderField(2, 2, 3));
  const part = (spec: Omit<FieldSpec, 'read' | 'bits' | 'child'>): FieldSpec => ({
    ...spec,
    bits: 16,
    child: true,
    read: (l, v, ctx) => {
      word(l, v, ctx);
      for (let i = 0; i < v.n; i++) v.nums[i] = masked(spec.type, spec.mask!, v.nums[i]!);
    },
  });
  return [
    { name: 'ospf.v3.lsa', label: 'LS Type', type: 'uint', bits: 16, base: 'hex', read: word },
    part({ name: 'ospf.v3.lsa.u', label: 'LSA Handling', type: 'bool', mask: 0x8000, tfs: V3_LSA_HANDLING }),
    part({
      name: 'ospf.v3.lsa.s12',
      label: 'Flooding Scope',
      type: 'uint',
      base: 'hex',
      mask: 0x6000,
      values: FLOODING_SCOPE_VALS,
    }),
    part({ name: 'ospf.v3.lsa.fc', label: 'Function Code', type: 'uint', mask: 0x1fff, values: V3_LS_TYPE_VALS }),
  ];
}

/** An AS-External LSA's TOS, as Wireshark draws it: the low 7 bits of its byte (ospf.lsa.tos, registered twice). */
const EXTERNAL_TOS = field({ name: 'ospf.lsa.tos', label: 'TOS', type: 'uint', mask: 0x7f, read: () => {} });
const ospfByName = fieldsByName(OSPF_FIELDS);
const shown = new Values();

type Visit = (f: Field, v: Values, depth: number) => void;

/**
 * -V's tree as Wireshark's: the header and the message's body as subtrees, each options or flags word with its flags
 * under it, each LS request and LSA header a subtree of its own (an LS Update's LSAs show their headers, not their
 * bodies).
 */
function ospfTree(l: Layer, ctx: PacketCtx, visit: Visit): void {
  const named = ospfByName();
  const f = (name: string): Field => named.get(name)!;
  /** Every occurrence of a field, as its reader finds them. */
  const each = (name: string, depth: number) => {
    shown.n = 0;
    f(name).read(l, shown, ctx);
    if (shown.n > 0) visit(f(name), shown, depth);
  };
  /** One occurrence at p (with a text for the field's display), if its bytes were captured (before `limit`). */
  const at = (field: Field, p: number, size: number, depth: number, text = '', limit = l.end) => {
    if (p < 0 || p + size > limit) return;
    shown.n = 0;
    if (field.type === 'bytes') shown.bytes(l.buf, p, size);
    else if (field.name === PREFIX_IPV6) shown.bytes(prefixAddress(l.buf, p, size, Number(text)), 0, 16);
    else if (field.type === 'ipv6') shown.bytes(l.buf, p, 16);
    else {
      shown.str(text, l.buf, p, size);
      const value =
        field.type === 'none' ? 1 : masked(field.type, field.mask, readBigEndian(l.buf, p, Math.min(size, 4)));
      shown.nums[0] = ITEM_VALUE[field.name]?.(value) ?? value;
    }
    visit(field, shown, depth);
  };
  const word = (
    name: string,
    flags: readonly (readonly [string, ...unknown[]])[],
    p: number,
    size: number,
    depth: number,
    text = '',
    limit = l.end,
  ) => {
    at(f(name), p, size, depth, text, limit);
    for (const [flag] of flags) at(f(`${name}.${flag}`), p, size, depth, '', limit);
  };
  const limit = trailerEnd(l);
  /** The LSA bodies' and the LLS block's items. */
  const item: Item = (name, p, size, depth, text = '') => {
    if (name === TEXT || name === 'ospf.ls.metric') at(TEXT_ITEM, p, size, depth, text, limit);
    else if (TRAILING_WORDS[name]) word(name, TRAILING_WORDS[name], p, size, depth, '', limit);
    else at(text === EXTERNAL ? EXTERNAL_TOS : f(name), p, size, depth, text, limit);
  };
  const version = l.buf[l.off];
  const v2 = version === 2;
  each('ospf.header', 1);
  for (const name of HEADER_LINES) each(name, 2);
  if (version === 3) at(f('ospf.reserved'), l.off + 15, 1, 2);
  const body = bodyOf(l);
  if (body < 0 || (version !== 2 && version !== 3)) return;
  // A Database Description's and an LS Update's body is a subtree of the length the header gives: where those bytes
  // are not all held (or the length is under the header's), Wireshark's tree ends before it. (A Hello's is a field,
  // drawn whatever its length.)
  const type = ospfType(l);
  const declared = l.dv.getUint16(l.off + 2);
  if (
    (type === OSPF_DB_DESCRIPTION || type === OSPF_LS_UPDATE) &&
    (declared < body - l.off || l.off + declared > Math.max(l.end, l.aux))
  )
    return;
  const options = (p: number, depth: number, nssa = false) =>
    v2
      ? word('ospf.v2.options', nssa ? V2_OPTIONS_NSSA : V2_OPTIONS, p, 1, depth, nssa ? 'nssa' : '')
      : word('ospf.v3.options', V3_OPTIONS, p, 3, depth);
  switch (type) {
    case OSPF_HELLO: {
      each('ospf.hello', 1);
      const timers = v2 ? HELLO_V2 : HELLO_V3;
      for (const [name, rel, size] of timers) {
        if (name === 'options') options(body + rel, 2);
        else at(f(name), body + rel, size, 2);
      }
      each('ospf.hello.active_neighbor', 2);
      break;
    }
    case OSPF_DB_DESCRIPTION:
      at(TEXT_ITEM, body, l.end - body, 1, 'OSPF DB Description');
      if (v2) {
        at(f('ospf.db.interface_mtu'), body, 2, 2);
        options(body + 2, 2);
        word('ospf.dbd', DBD_FLAGS, body + 3, 1, 2);
        at(f('ospf.db.dd_sequence'), body + 4, 4, 2);
      } else {
        at(f('ospf.reserved'), body, 1, 2);
        options(body + 1, 2);
        at(f('ospf.db.interface_mtu'), body + 4, 2, 2);
        at(f('ospf.reserved'), body + 6, 1, 2);
        word('ospf.dbd', DBD_FLAGS, body + 7, 1, 2);
        at(f('ospf.db.dd_sequence'), body + 8, 4, 2);
      }
      eachLsa(l, (p) => lsaTree(p, 20, 1));
      break;
    case OSPF_LS_REQUEST:
      eachLsRequest(l, (p) => {
        at(TEXT_ITEM, p, 12, 1, 'Link State Request');
        if (v2) at(f('ospf.lsa'), p, 4, 2);
        else {
          at(f('ospf.reserved'), p, 2, 2);
          lsType3(p + 2, 2);
        }
        at(f('ospf.link_state_id'), p + 4, 4, 2);
        at(f('ospf.advrouter'), p + 8, 4, 2);
      });
      break;
    case OSPF_LS_UPDATE:
      at(TEXT_ITEM, body, l.end - body, 1, 'LS Update Packet');
      at(f('ospf.ls.number_of_lsas'), body, 4, 2);
      eachLsa(l, (p) => {
        lsaTree(p, Math.max(LSA_HEADER, l.dv.getUint16(p + 18)), 2);
        if (v2) lsaBodyV2(l, p, 3, item);
        else lsaBodyV3(l, p, 3, item);
      });
      break;
    case OSPF_LS_ACK:
      eachLsa(l, (p) => lsaTree(p, LSA_HEADER, 1));
      break;
  }
  llsBlock(l, item);

  function lsType3(p: number, depth: number): void {
    word('ospf.v3.lsa', LS_TYPE_PARTS, p, 2, depth);
  }

  function lsaTree(p: number, size: number, depth: number): void {
    const type = v2 ? l.buf[p + 3]! : l.dv.getUint16(p + 2) & 0x1fff;
    const name = (v2 ? LS_TYPE_VALS : V3_LS_TYPE_VALS)[type] ?? 'Unknown';
    at(TEXT_ITEM, p, Math.min(size, l.end - p), depth, `LSA-type ${type} (${name}), len ${l.dv.getUint16(p + 18)}`);
    at(f('ospf.lsa.age'), p, 2, depth + 1);
    if (v2) {
      at(f('ospf.lsa.donotage'), p, 2, depth + 1);
      options(p + 2, depth + 1, type === NSSA_LSA);
      at(f('ospf.lsa'), p + 3, 1, depth + 1);
      if (!isOpaque(type)) at(f('ospf.lsa.id'), p + 4, 4, depth + 1);
      else {
        at(f('ospf.lsid_opaque_type'), p + 4, 1, depth + 1);
        if (l.buf[p + 4] === OPAQUE_TE) {
          at(f('ospf.lsid_te_lsa.reserved'), p + 5, 1, depth + 1);
          at(f('ospf.lsid_te_lsa.instance'), p + 6, 2, depth + 1);
        } else at(f('ospf.lsid.opaque_id'), p + 5, 3, depth + 1);
      }
    } else {
      at(f('ospf.v3.lsa.do_not_age'), p, 2, depth + 1);
      lsType3(p + 2, depth + 1);
      at(f('ospf.link_state_id'), p + 4, 4, depth + 1);
    }
    at(f('ospf.advrouter'), p + 8, 4, depth + 1);
    at(f('ospf.lsa.seqnum'), p + 12, 4, depth + 1);
    at(f('ospf.lsa.chksum'), p + 16, 2, depth + 1);
    at(f('ospf.lsa.length'), p + 18, 2, depth + 1);
  }
}

/** OSPFv3's LS type's parts, drawn under it. */
const LS_TYPE_PARTS = [['u'], ['s12'], ['fc']] as const;

/** The header's lines after its title, in Wireshark's order (each present only in its version, or its auth type). */
const HEADER_LINES = [
  'ospf.version',
  'ospf.msg',
  'ospf.packet_length',
  'ospf.srcrouter',
  'ospf.area_id',
  'ospf.checksum',
  'ospf.auth.type',
  'ospf.auth.none',
  'ospf.auth.unknown',
  'ospf.auth.crypt.key_id',
  'ospf.auth.crypt.data_length',
  'ospf.auth.crypt.seq_nbr',
  'ospf.auth.crypt.data',
  'ospf.instance_id',
];
/** A Hello's fixed part in each version's order: a field, its offset in the body, its size ('options': the word). */
const HELLO_V2: readonly (readonly [string, number, number])[] = [
  ['ospf.hello.network_mask', 0, 4],
  ['ospf.hello.hello_interval', 4, 2],
  ['options', 6, 1],
  ['ospf.hello.router_priority', 7, 1],
  ['ospf.hello.router_dead_interval', 8, 4],
  ['ospf.hello.designated_router', 12, 4],
  ['ospf.hello.backup_designated_router', 16, 4],
];
const HELLO_V3: readonly (readonly [string, number, number])[] = [
  ['ospf.hello.interface_id', 0, 4],
  ['ospf.hello.router_priority', 4, 1],
  ['options', 5, 3],
  ['ospf.hello.hello_interval', 8, 2],
  ['ospf.hello.router_dead_interval', 10, 2],
  ['ospf.hello.designated_router', 12, 4],
  ['ospf.hello.backup_designated_router', 16, 4],
];

export const ospf = protocol({
  name: 'ospf',
  abbrev: 'ospf',
  title: 'Open Shortest Path First',
  hf: OSPF_FIELDS,
  tree: ospfTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 16)) return;
    const version = l.buf[l.off]!;
    if (version !== 2 && version !== 3) return ctx.warn(l, W.badVersion, version);
    const hlen = version === 2 ? 24 : 16;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    // The end of the payload handed over, past the message's own: its digest and LLS block (trailerEnd).
    l.aux = l.end;
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

/** Whether the message is an OSPFv2 LS Update (what ospfAnnouncedPrefixes reads). */
export const ospfIsUpdate = (l: Layer): boolean => ospfVersion(l) === 2 && ospfType(l) === OSPF_LS_UPDATE;
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

/**
 * A Database Description's interface MTU and flags word (RFC 2328 A.3.3, RFC 5340 A.3.3): the largest IP packet its
 * sender takes on the link, and whether it is still in ExStart (DBD_INIT); -1 for other messages or a body cut
 * short.
 */
export function ospfDbdMtu(l: Layer): number {
  const at = dbdAt(l, 0, 4);
  return at < 0 ? -1 : l.dv.getUint16(at);
}
export function ospfDbdFlags(l: Layer): number {
  const at = dbdAt(l, 3, 7);
  return at < 0 ? -1 : l.buf[at]!;
}
/** Where a Database Description's field is (v2At or v3At in its body), whole in the capture; -1 otherwise. */
function dbdAt(l: Layer, v2At: number, v3At: number): number {
  if (ospfType(l) !== OSPF_DB_DESCRIPTION || bodyOf(l) < 0) return -1;
  const version = ospfVersion(l);
  if (version !== 2 && version !== 3) return -1;
  const at = l.hdrEnd + (version === 2 ? v2At : v3At);
  return at + 2 <= l.end ? at : -1;
}

/**
 * The IPv4 prefixes an OSPFv2 LS Update announces: a Router-LSA's stub networks, a Network-LSA's network, Summary-
 * (type 3), AS-External- and NSSA-LSAs' destinations, each with its length and the advertising router (a mask that
 * is not contiguous is no prefix).
 */
export function ospfAnnouncedPrefixes(
  l: Layer,
  visit: (prefix: number, length: number, advertisingRouter: number, lsaType: number) => void,
): void {
  if (!ospfIsUpdate(l)) return;
  eachLsa(l, (p) => {
    const end = Math.min(p + l.dv.getUint16(p + 18), l.end);
    const type = l.buf[p + 3]!;
    // A flushed LSA (MaxAge) withdraws what it said; so does a metric of LSInfinity in a summary or external one.
    if ((l.dv.getUint16(p) & 0x7fff) >= MAX_AGE) return;
    if (type !== 1 && type !== 2 && p + LSA_HEADER + 8 <= end && (l.dv.getUint32(p + 24) & 0xffffff) === LS_INFINITY)
      return;
    const router = l.dv.getUint32(p + 8);
    const announce = (network: number, mask: number) => {
      const length = ipv4PrefixLength(mask);
      if (length >= 0) visit((network & mask) >>> 0, length, router, type);
    };
    if (type === 1) {
      for (let q = p + LSA_HEADER + 4, k = 0; q + 12 <= end && k < l.dv.getUint16(p + 22); k++) {
        if (l.buf[q + 8] === STUB_LINK) announce(l.dv.getUint32(q), l.dv.getUint32(q + 4));
        q += 12 + 4 * l.buf[q + 9]!;
      }
    } else if ((type === 2 || type === 3 || type === 5 || type === NSSA_LSA) && p + LSA_HEADER + 4 <= end)
      announce(l.dv.getUint32(p + 4), l.dv.getUint32(p + LSA_HEADER));
  });
}
/** RFC 2328 B: an LSA this old is being flushed; a metric this large is unreachable. */
const MAX_AGE = 3600;
const LS_INFINITY = 0xffffff;
/** A Router-LSA link to a stub network: its ID is the network, its data the mask. */
const STUB_LINK = 3;
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
