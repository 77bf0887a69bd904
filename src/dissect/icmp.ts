import { internetChecksum } from '../util/checksum.js';
import { checksumFields, declareFields, fields, protocolField, type FieldReader } from './field.js';
import { jsonMembers } from './json.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';

/**
 * ICMP and ICMPv6. An error message quotes the packet that caused it; that
 * packet is dissected too, with its layers marked quoted, so it is never
 * mistaken for traffic. aux = 1 when this message quotes a packet.
 */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);

function quote(ctx: PacketCtx, l: Layer, etherType: number): void {
  l.aux = 1;
  ctx.quoted = true;
  if (l.hdrEnd < l.end) ctx.handoff(l, Table.EtherType, etherType, l.hdrEnd, l.end);
}

const V4_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'timestamp',
  14: 'timestamp reply',
};
const V4_UNREACH: Record<number, string> = {
  0: 'net',
  1: 'host',
  2: 'protocol',
  3: 'port',
  4: 'fragmentation needed',
  13: 'administratively prohibited',
};

/** Type 3 code 4: the path MTU the router asked for (RFC 1191), or 0. */
export function icmpNextHopMtu(l: Layer): number {
  return l.buf[l.off] === 3 && l.buf[l.off + 1] === 4 ? l.dv.getUint16(l.off + 6) : 0;
}

/** "ICMP echo request": made once a type, as the summary asks on every packet. */
const labels = (protocol: string, names: Record<number, string>): Record<number, string> =>
  Object.fromEntries(Object.entries(names).map(([type, name]) => [type, `${protocol} ${name}`]));
const V4_LABELS = labels('ICMP', V4_NAMES);
const icmpLabel = (l: Layer): string => V4_LABELS[l.buf[l.off]!] ?? `ICMP type ${l.buf[l.off]}`;

/** Wireshark's icmp_type_str, as tshark 4.0 shows it. */
const ICMP_TYPE_STR: Record<number, string> = {
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  19: 'Reserved (for security)',
  30: 'Traceroute',
  31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You',
  34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply',
  37: 'Domain Name Request',
  38: 'Domain Name Reply',
  39: 'SKIP',
  40: 'Photuris',
  41: 'Experimental mobility protocols',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};

/** The codes' names of the types that name them, in Wireshark's words (unreach_str, redir_str, ttl_str...). */
const ICMP_CODE_STR: Record<number, Record<number, string>> = {
  3: {
    0: 'Network unreachable',
    1: 'Host unreachable',
    2: 'Protocol unreachable',
    3: 'Port unreachable',
    4: 'Fragmentation needed',
    5: 'Source route failed',
    6: 'Destination network unknown',
    7: 'Destination host unknown',
    8: 'Source host isolated',
    9: 'Network administratively prohibited',
    10: 'Host administratively prohibited',
    11: 'Network unreachable for TOS',
    12: 'Host unreachable for TOS',
    13: 'Communication administratively filtered',
    14: 'Host precedence violation',
    15: 'Precedence cutoff in effect',
  },
  5: {
    0: 'Redirect for network',
    1: 'Redirect for host',
    2: 'Redirect for TOS and network',
    3: 'Redirect for TOS and host',
  },
  6: {
    0: 'Alternate address for host',
  },
  9: {
    0: 'Normal router advertisement',
    16: 'Does not route common traffic',
  },
  11: {
    0: 'Time to live exceeded in transit',
    1: 'Fragment reassembly time exceeded',
  },
  12: {
    0: 'Pointer indicates the error',
    1: 'Required option missing',
    2: 'Bad length',
  },
  40: {
    0: 'Bad SPI',
    1: 'Authentication Failed',
    2: 'Decompression Failed',
    3: 'Decryption Failed',
    4: 'Need Authentication',
    5: 'Need Authorization',
  },
  42: {
    0: 'No error',
  },
  43: {
    0: 'No error',
    1: 'Malformed Query',
    2: 'No Such Interface',
    3: 'No Such Table Entry',
    4: 'Multiple Interfaces Satisfy Query',
  },
};

/** Router advertisements of these codes are Mobile IP's to Wireshark (RFC 5944's code 16 and the usual 0). */
const MOBILE_IP_CODES = [0, 16];

/**
 * The type as tshark -V shows it, `8 (Echo (ping) request)`; the code follows it (an ICMP layer has its 8-byte header
 * whole, so the byte beside a type or a code is its code or type).
 */
const typeText = (n: number, buf: Uint8Array, off: number): string => {
  const name = n === 9 && MOBILE_IP_CODES.includes(buf[off + 1]!) ? 'Mobile IP Advertisement' : ICMP_TYPE_STR[n];
  return `${n} (${name ?? 'Unknown ICMP (obsolete or malformed?)'})`;
};

/** The code as tshark -V shows it, named where its type names codes: `3 (Port unreachable)`; the type precedes it. */
const codeText = (n: number, buf: Uint8Array, off: number): string => {
  const names = ICMP_CODE_STR[buf[off - 1]!];
  return names ? `${n} (${names[n] ?? `Unknown code: ${n}`})` : String(n);
};

/** The types whose second word is an identifier and a sequence number (echo, timestamp, information, mask). */
const ICMP_IDENT_TYPES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

/** Echo request and reply: the JSON's id and seq are theirs only. */
const isEcho = (l: Layer): boolean => l.buf[l.off] === 0 || l.buf[l.off] === 8;

/** A 16-bit word at `at` of a message of one of `types`, big- or little-endian (Wireshark shows both). */
const word16 =
  (types: ReadonlySet<number>, at: number, littleEndian = false): FieldReader =>
  (l, v) => {
    if (l.off + at + 2 > l.end || !types.has(l.buf[l.off]!)) return;
    v.num(l.dv.getUint16(l.off + at, littleEndian), l.buf, l.off + at, 2);
  };

/**
 * The checksum an ICMP message should carry, as Wireshark checks it (always, for ICMP): over the whole message, its
 * own checksum word left out; -1 (unverified) where the message was not captured whole or is quoted in an error.
 */
function expectedChecksum(l: Layer): number {
  if (l.short || l.quoted) return -1;
  return internetChecksum(l.dv, l.off + 4, l.end, l.dv.getUint16(l.off));
}

const ICMP_FIELDS = declareFields(() => [
  protocolField('icmp', 'Internet Control Message Protocol'),
  ...fields(
    { name: 'icmp.type', label: 'Type', type: 'uint', values: ICMP_TYPE_STR, display: typeText, at: 0 },
    { name: 'icmp.code', label: 'Code', type: 'uint', display: codeText, at: 1 },
    // A quote is not checked (Wireshark says why).
    ...checksumFields(
      'icmp.checksum',
      2,
      (l) => expectedChecksum(l),
      (l) => (l.quoted ? ' [unverified] [in ICMP error packet]' : null),
    ),
    {
      name: 'icmp.ident',
      label: 'Identifier (BE)',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      read: word16(ICMP_IDENT_TYPES, 4),
    },
    {
      name: 'icmp.ident_le',
      label: 'Identifier (LE)',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      read: word16(ICMP_IDENT_TYPES, 4, true),
    },
    {
      name: 'icmp.seq',
      label: 'Sequence Number (BE)',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      read: word16(ICMP_IDENT_TYPES, 6),
    },
    {
      name: 'icmp.seq_le',
      label: 'Sequence Number (LE)',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      read: word16(ICMP_IDENT_TYPES, 6, true),
    },
    {
      name: 'icmp.mtu',
      label: 'MTU of next hop',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        if (l.off + 8 <= l.end && l.buf[l.off] === 3 && l.buf[l.off + 1] === 4)
          v.num(l.dv.getUint16(l.off + 6), l.buf, l.off + 6, 2);
      },
    },
  ),
]);

export const icmp = protocol({
  // An echo's data is Wireshark's `data`, within ICMP's tree; other messages' bodies are ICMP's own.
  payloadData: (l) => (l.buf[l.off] === 0 || l.buf[l.off] === 8 ? 'within' : null),
  name: 'icmp',
  abbrev: 'icmp',
  title: 'Internet Control Message Protocol',
  hf: ICMP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    l.aux = 0;
    if (ICMP_ERRORS.has(l.buf[l.off]!) && !ctx.quoted) quote(ctx, l, 0x0800);
  },
  json: jsonMembers(ICMP_FIELDS, [
    { name: 'type', field: 'icmp.type' },
    { name: 'code', field: 'icmp.code' },
    { name: 'id', field: 'icmp.ident', only: isEcho },
    { name: 'seq', field: 'icmp.seq', only: isEcho },
    { name: 'mtu', field: 'icmp.mtu', omit: 0 },
  ]),
  label: icmpLabel,
  summary(l, out) {
    const type = l.buf[l.off]!;
    const code = l.buf[l.off + 1]!;
    out.str(icmpLabel(l));
    if (type === 3) {
      if (V4_UNREACH[code] !== undefined) out.byte(0x20).str(V4_UNREACH[code]);
      else out.str(' code ').num(code);
    }
    const mtu = icmpNextHopMtu(l);
    if (mtu) out.str(' (mtu ').num(mtu).byte(0x29);
    if (type === 0 || type === 8)
      out
        .str(' id ')
        .num(l.dv.getUint16(l.off + 4))
        .str(' seq ')
        .num(l.dv.getUint16(l.off + 6));
    if (l.aux) out.str(', quoting');
  },
});

const V6_NAMES: Record<number, string> = {
  1: 'unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'MLD query',
  131: 'MLD report',
  132: 'MLD done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  143: 'MLDv2 report',
};

const V6_LABELS = labels('ICMPv6', V6_NAMES);
const icmpv6Label = (l: Layer): string => V6_LABELS[l.buf[l.off]!] ?? `ICMPv6 type ${l.buf[l.off]}`;

/** Wireshark's icmpv6_type_val, the common ones. */
const ICMPV6_TYPE_VAL: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  143: 'Multicast Listener Report Message v2',
};
const ICMPV6_ECHO = new Set([128, 129]);
/** A 32-bit word at 4 of a message of type `type` (the MTU of Packet Too Big, the pointer of Parameter Problem). */
const word32At4 =
  (type: number): FieldReader =>
  (l, v) => {
    if (l.off + 8 <= l.end && l.buf[l.off] === type) v.num(l.dv.getUint32(l.off + 4), l.buf, l.off + 4, 4);
  };

const ICMPV6_FIELDS = declareFields(() => [
  protocolField('icmpv6', 'Internet Control Message Protocol v6'),
  ...fields(
    { name: 'icmpv6.type', label: 'Type', type: 'uint', values: ICMPV6_TYPE_VAL, at: 0 },
    { name: 'icmpv6.code', label: 'Code', type: 'uint', at: 1 },
    { name: 'icmpv6.checksum', label: 'Checksum', type: 'uint', bits: 16, base: 'hex', at: 2 },
    { name: 'icmpv6.mtu', label: 'MTU', type: 'uint', bits: 32, read: word32At4(2) },
    { name: 'icmpv6.pointer', label: 'Pointer', type: 'uint', bits: 32, read: word32At4(4) },
    {
      name: 'icmpv6.echo.identifier',
      label: 'Identifier',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: word16(ICMPV6_ECHO, 4),
    },
    { name: 'icmpv6.echo.sequence_number', label: 'Sequence', type: 'uint', bits: 16, read: word16(ICMPV6_ECHO, 6) },
  ),
]);

export const icmpv6 = protocol({
  payloadData: (l) => (l.buf[l.off] === 128 || l.buf[l.off] === 129 ? 'within' : null),
  name: 'icmpv6',
  abbrev: 'icmpv6',
  title: 'Internet Control Message Protocol v6',
  hf: ICMPV6_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = Math.min(l.end, l.off + 8);
    l.aux = 0;
    if (ICMPV6_ERRORS.has(l.buf[l.off]!) && !ctx.quoted && l.off + 8 <= l.end) quote(ctx, l, 0x86dd);
  },
  json: jsonMembers(ICMPV6_FIELDS, [
    { name: 'type', field: 'icmpv6.type' },
    { name: 'code', field: 'icmpv6.code' },
    { name: 'mtu', field: 'icmpv6.mtu' },
  ]),
  label: icmpv6Label,
  summary(l, out) {
    const type = l.buf[l.off]!;
    out.str(icmpv6Label(l));
    if (type === 2 && l.off + 8 <= l.end)
      out
        .str(' (mtu ')
        .num(l.dv.getUint32(l.off + 4))
        .byte(0x29);
    if ((type === 128 || type === 129) && l.off + 8 <= l.end)
      out
        .str(' id ')
        .num(l.dv.getUint16(l.off + 4))
        .str(' seq ')
        .num(l.dv.getUint16(l.off + 6));
    if (l.aux) out.str(', quoting');
  },
});

/** The MTU of an ICMPv6 Packet Too Big, -1 for any other message (or one cut short). */
export function icmpv6PacketTooBigMtu(l: Layer): number {
  return l.buf[l.off] === 2 && l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) : -1;
}
