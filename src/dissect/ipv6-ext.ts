import { ipv6 as ipv6Text } from './addr.js';
import { type Field, type FieldReader, type FieldSpec, type Values, visitText, YES_NO } from './field.js';
import { IP_PROTOCOL_NAMES } from './numbers.js';
import type { Layer } from './packet.js';

/**
 * IPv6's extension headers as Wireshark draws them within IPv6's tree, each a protocol of its own name
 * (`ipv6.hopopts`, `ipv6.routing`, `ipv6.fraghdr`, `ipv6.dstopts`): the fields of each, the options of hop-by-hop and
 * destination options headers, and the walk over them that IPv6's dissector, its fields and its tree share.
 */
export const HOP_BY_HOP = 0;
export const ROUTING = 43;
export const FRAGMENT_HEADER = 44;
export const DESTINATION_OPTIONS = 60;
/** Bounds a hostile chain of headers. */
export const MAX_EXTENSION_HEADERS = 16;

const NAMES: Readonly<Record<number, string>> = {
  [HOP_BY_HOP]: 'ipv6.hopopts',
  [ROUTING]: 'ipv6.routing',
  [FRAGMENT_HEADER]: 'ipv6.fraghdr',
  [DESTINATION_OPTIONS]: 'ipv6.dstopts',
};
const TITLES: Readonly<Record<number, string>> = {
  [HOP_BY_HOP]: 'IPv6 Hop-by-Hop Option',
  [ROUTING]: 'Routing Header for IPv6',
  [FRAGMENT_HEADER]: 'Fragment Header for IPv6',
  [DESTINATION_OPTIONS]: 'Destination Options for IPv6',
};

/** An extension header's length in bytes, from its first 2 bytes at p (the fragment header's is fixed). */
export const headerLength = (buf: Uint8Array, kind: number, p: number): number =>
  kind === FRAGMENT_HEADER ? 8 : (buf[p + 1]! + 1) * 8;

/**
 * Calls `each` with each extension header Wireshark reads as one (hop-by-hop, routing, fragment, destination options)
 * after the fixed header, in order, as far as Wireshark draws them: a header cut short is the last (its fields check
 * their own bytes; a fragment header is drawn only whole), and so is one whose options run past the bytes.
 */
export function eachHeader(l: Layer, each: (kind: number, p: number, len: number) => void): void {
  if (l.hdrEnd < 0) return;
  let kind = l.buf[l.off + 6]!;
  let p = l.off + 40;
  for (let n = 0; n <= MAX_EXTENSION_HEADERS && NAMES[kind] !== undefined && p + 2 <= l.end; n++) {
    const len = headerLength(l.buf, kind, p);
    if (kind === FRAGMENT_HEADER && p + len > l.end) return;
    each(kind, p, len);
    if (p + len > l.end || runsPast(l, kind, p, len)) return;
    kind = l.buf[p]!;
    p += len;
  }
}

/**
 * Whether Wireshark's reading ends inside the header at p (held whole): an option running past the layer's bytes,
 * or a routing header's addresses past its own end.
 */
export function runsPast(l: Layer, kind: number, p: number, len: number): boolean {
  if (kind === HOP_BY_HOP || kind === DESTINATION_OPTIONS) return eachOption(l.buf, p, len, l.end, noOption) >= 0;
  return kind === ROUTING && 8 + 16 * routingAddressCount(l, p) > len;
}

const noOption = (): void => {};

const OPTION_PAD1 = 0;
const OPTION_PADN = 1;
/** The option types whose data Wireshark reads as fields, and how many bytes of it (whatever the option's length). */
const OPTION_DATA: Readonly<Record<number, number>> = { 4: 1, 5: 2, 0x30: 4, 0xc2: 4, 0xc9: 16 };
const EXPERIMENTAL = new Set([0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe]);
/** Option types Wireshark reads with layouts of their own that are not read here: their data is not drawn. */
const NOT_READ = new Set([0x07, 0x08, 0x0f, 0x26, 0x31, 0x41, 0x63, 0x6d, 0x8b, 0x8c, 0xee]);

/**
 * Walks the options of the hop-by-hop or destination options header at hp (len bytes) as Wireshark does: each option
 * from where the one before it ended, while it starts inside the header (an option may run past the header, into
 * the bytes after it). `each` gets the option's offset, type and data length (0 for Pad1), also for an option whose
 * data runs past end (the bytes held), which Wireshark draws to its length; the walk ends there, and returns where
 * that option is (-1 where none is).
 */
export function eachOption(
  buf: Uint8Array,
  hp: number,
  len: number,
  end: number,
  each: (p: number, type: number, dataLen: number) => void,
): number {
  for (let p = hp + 2; p < hp + len; ) {
    if (p + 2 > end) return p;
    const type = buf[p]!;
    if (type === OPTION_PAD1) {
      each(p, type, 0);
      p += 1;
      continue;
    }
    const dataLen = buf[p + 1]!;
    const used = Math.max(dataLen, OPTION_DATA[type] ?? 0);
    each(p, type, dataLen);
    if (p + 2 + used > end) return p;
    p += 2 + used;
  }
  return -1;
}

/** The one header (its offset) and the one option the fields read while -V draws them; -1: each of them. */
let onlyHeader = -1;
let onlyOption = -1;

/** A field of each header of a kind, read where its bytes are held. */
function ofHeader(kind: number, put: (l: Layer, v: Values, p: number, len: number) => void): FieldReader {
  return (l, v) =>
    eachHeader(l, (k, p, len) => {
      if (k === kind && (onlyHeader < 0 || onlyHeader === p)) put(l, v, p, len);
    });
}

/** A field of each option of the hop-by-hop and destination options headers. */
function ofOption(put: (l: Layer, v: Values, p: number, type: number, dataLen: number) => void): FieldReader {
  return (l, v) =>
    eachHeader(l, (kind, hp, len) => {
      if ((kind !== HOP_BY_HOP && kind !== DESTINATION_OPTIONS) || (onlyHeader >= 0 && onlyHeader !== hp)) return;
      eachOption(l.buf, hp, len, l.end, (p, type, dataLen) => {
        if (onlyOption < 0 || onlyOption === p) put(l, v, p, type, dataLen);
      });
    });
}

/** An option's data field: of the options of `type`, `size` bytes at its data's start. */
const optionData = (type: number, size: number, value: (l: Layer, p: number) => number): FieldReader =>
  ofOption((l, v, p, t) => {
    if (t === type && p + 2 + size <= l.end) v.num(value(l, p + 2), l.buf, p + 2, size);
  });

/** A byte of the header, where it is held (a routing header cut short draws the fields before the cut). */
const byteAt = (l: Layer, v: Values, at: number): void => {
  if (at < l.end) v.num(l.buf[at]!, l.buf, at, 1);
};
/** Bytes of the header, where all of them are held. */
const bytesAt = (l: Layer, v: Values, at: number, len: number): void => {
  if (at + len <= l.end) v.bytes(l.buf, at, len);
};

/** The fields every header kind starts with: its item, next header, length and (generated) length in bytes. */
function headerFields(kind: number, nextLabel = 'Next Header'): FieldSpec[] {
  const name = NAMES[kind]!;
  const lengths: FieldSpec[] =
    kind === FRAGMENT_HEADER
      ? []
      : [
          {
            name: `${name}.len`,
            label: 'Length',
            type: 'uint',
            read: ofHeader(kind, (l, v, p) => v.num(l.buf[p + 1]!, l.buf, p + 1, 1)),
          },
          {
            name: `${name}.len_oct`,
            label: 'Length',
            type: 'uint',
            bits: 16,
            generated: true,
            display: (n) => `${n} bytes`,
            read: ofHeader(kind, (l, v, p, len) => v.num(len, l.buf, p + 1, 1)),
          },
        ];
  return [
    { name, label: TITLES[kind]!, type: 'protocol', read: ofHeader(kind, (l, v, p, len) => v.num(1, l.buf, p, len)) },
    {
      name: `${name}.nxt`,
      label: nextLabel,
      type: 'uint',
      values: IP_PROTOCOL_NAMES,
      read: ofHeader(kind, (l, v, p) => v.num(l.buf[p]!, l.buf, p, 1)),
    },
    ...lengths,
  ];
}

/** Routing header types, Wireshark's routing_header_type. */
const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route',
  1: 'Nimrod',
  2: 'Type 2 Routing',
  3: 'RPL Source Route',
  4: 'Segment Routing',
  5: 'Compact Routing Header 16',
  6: 'Compact Routing Header 32',
  253: 'Experiment 1',
  254: 'Experiment 2',
};
const SOURCE_ROUTE = 0;
const TYPE_2 = 2;
const SEGMENT_ROUTING = 4;
/** Types Wireshark has a dissector of: the others' data is `Type-Specific Data`. RPL's and CRH's are not read here. */
const ROUTING_READ = new Set([0, 2, 3, 4, 5, 6]);

/** How many addresses the routing header at p has: Type 0's (half its length), Type 2's one, Segment Routing's list. */
function routingAddressCount(l: Layer, p: number): number {
  const type = l.buf[p + 2]!;
  return type === SOURCE_ROUTE
    ? l.buf[p + 1]! >> 1
    : type === TYPE_2
      ? 1
      : type === SEGMENT_ROUTING
        ? l.buf[p + 4]! + 1
        : 0;
}

/** Each address of the routing header at p (len bytes) held in it and in the layer's bytes. */
function eachRoutingAddress(l: Layer, p: number, len: number, each: (at: number, index: number) => void): void {
  const count = routingAddressCount(l, p);
  // Segment Routing's indexes count from 0.
  const first = routingType(l, p) === SEGMENT_ROUTING ? 0 : 1;
  const end = Math.min(l.end, p + len);
  for (let i = 0; i < count && p + 8 + 16 * (i + 1) <= end; i++) each(p + 8 + 16 * i, first + i);
}

const routingType = (l: Layer, p: number): number => l.buf[p + 2]!;

/** A field of the routing headers of one type, where its bytes are held. */
const ofRouting = (type: number, put: (l: Layer, v: Values, p: number, len: number) => void): FieldReader =>
  ofHeader(ROUTING, (l, v, p, len) => {
    if (p + 3 < l.end && routingType(l, p) === type) put(l, v, p, len);
  });

/** The address fields, by the routing header type whose addresses each is. */
const ROUTE_ADDRESSES: Readonly<Record<string, number>> = {
  'ipv6.routing.src.addr': SOURCE_ROUTE,
  'ipv6.routing.mipv6.home_address': TYPE_2,
  'ipv6.routing.srh.addr': SEGMENT_ROUTING,
};
const addressField = (name: string, label: string): FieldSpec => {
  const type = ROUTE_ADDRESSES[name]!;
  return {
    name,
    label,
    type: 'ipv6',
    read: ofRouting(type, (l, v, p, len) => eachRoutingAddress(l, p, len, (at) => v.bytes(l.buf, at, 16))),
  };
};

/** The 4 reserved bytes of a routing header of `type` (0 or 2), before its addresses. */
const reservedField = (name: string, type: number): FieldSpec => ({
  name,
  label: 'Reserved',
  type: 'bytes',
  read: ofRouting(type, (l, v, p) => bytesAt(l, v, p + 4, 4)),
});

/** Option types, Wireshark's ipv6_opt_type_vals. */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Pad1',
  1: 'PadN',
  4: 'Tunnel Encapsulation Limit',
  5: 'Router Alert',
  7: 'CALIPSO',
  8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics',
  30: 'Experimental (0x1E)',
  38: 'Quick-Start',
  48: 'Path MTU Option',
  49: 'IOAM Option',
  62: 'Experimental (0x3E)',
  65: 'Tunnel Payload Forwarding (TPF) Information',
  94: 'Experimental (0x5E)',
  99: 'RPL Option',
  109: 'MPL Option',
  126: 'Experimental (0x7E)',
  138: 'Endpoint Identification',
  139: 'ILNP Nonce',
  140: 'Line-Identification Option',
  158: 'Experimental (0x9E)',
  190: 'Experimental (0xBE)',
  194: 'Jumbo Payload',
  201: 'Home Address',
  222: 'Experimental (0xDE)',
  238: 'IP_DFF',
  254: 'Experimental (0xFE)',
};
const ACTIONS = {
  0: 'Skip and continue',
  1: 'Discard',
  2: 'Discard and send ICMP Parameter Problem',
  3: 'Discard and send ICMP if not multicast',
};
const ROUTER_ALERTS = { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' };

/** Whether an option's data is Wireshark's `Unknown Option Payload` (no layout of its own, known or not). */
const unknownPayload = (type: number): boolean =>
  type !== OPTION_PAD1 &&
  type !== OPTION_PADN &&
  OPTION_DATA[type] === undefined &&
  !EXPERIMENTAL.has(type) &&
  !NOT_READ.has(type);

/** The options' fields, from the type's subtree to the data of each layout read here. */
const OPTION_FIELDS: FieldSpec[] = [
  {
    name: 'ipv6.opt',
    label: 'IPv6 Option',
    type: 'none',
    read: ofOption((l, v, p, _t, dataLen) => v.num(0, l.buf, p, 2 + dataLen)),
  },
  {
    name: 'ipv6.opt.type',
    label: 'Type',
    type: 'uint',
    base: 'hex',
    values: OPTION_NAMES,
    read: ofOption((l, v, p, type) => v.num(type, l.buf, p, 1)),
  },
  ...(
    [
      ['ipv6.opt.type.action', 'Action', 'uint', 0xc0, ACTIONS],
      ['ipv6.opt.type.change', 'May Change', 'bool', 0x20, undefined],
      ['ipv6.opt.type.rest', 'Low-Order Bits', 'uint', 0x1f, undefined],
    ] as const
  ).map(
    ([name, label, type, mask, values]): FieldSpec => ({
      name,
      label,
      type,
      mask,
      values,
      base: name === 'ipv6.opt.type.rest' ? 'hex' : undefined,
      tfs: type === 'bool' ? YES_NO : undefined,
      child: true,
      read: ofOption((l, v, p, t) => {
        if (t === OPTION_PAD1) return;
        const bits = t & mask;
        v.num(type === 'bool' ? (bits ? 1 : 0) : bits >> (31 - Math.clz32(mask & -mask)), l.buf, p, 1);
      }),
    }),
  ),
  {
    name: 'ipv6.opt.length',
    label: 'Length',
    type: 'uint',
    read: ofOption((l, v, p, t, dataLen) => {
      if (t !== OPTION_PAD1) v.num(dataLen, l.buf, p + 1, 1);
    }),
  },
  {
    name: 'ipv6.opt.pad1',
    label: 'Pad1',
    type: 'none',
    read: ofOption((l, v, p, t) => {
      if (t === OPTION_PAD1) v.num(0, l.buf, p, 1);
    }),
  },
  ...(
    [
      ['ipv6.opt.padn', 'PadN', (t: number) => t === OPTION_PADN],
      ['ipv6.opt.experimental', 'Experimental Option', (t: number) => EXPERIMENTAL.has(t)],
      ['ipv6.opt.unknown', 'Unknown Option Payload', unknownPayload],
    ] as const
  ).map(
    ([name, label, applies]): FieldSpec => ({
      name,
      label,
      type: 'bytes',
      allowZero: name === 'ipv6.opt.padn',
      read: ofOption((l, v, p, t, dataLen) => {
        if (applies(t) && p + 2 + dataLen <= l.end) v.bytes(l.buf, p + 2, dataLen);
      }),
    }),
  ),
  {
    name: 'ipv6.opt.tel',
    label: 'Tunnel Encapsulation Limit',
    type: 'uint',
    read: optionData(4, 1, (l, p) => l.buf[p]!),
  },
  {
    name: 'ipv6.opt.router_alert',
    label: 'Router Alert',
    type: 'uint',
    bits: 16,
    values: ROUTER_ALERTS,
    read: optionData(5, 2, (l, p) => l.dv.getUint16(p)),
  },
  {
    name: 'ipv6.opt.pmtu.min',
    label: 'Minimum Reported PMTU',
    type: 'uint',
    bits: 16,
    read: optionData(0x30, 2, (l, p) => l.dv.getUint16(p)),
  },
  {
    name: 'ipv6.opt.pmtu.rtn',
    label: 'Return Minimum PMTU',
    type: 'uint',
    bits: 16,
    read: ofOption((l, v, p, t) => {
      if (t === 0x30 && p + 6 <= l.end) v.num(l.dv.getUint16(p + 4) & 0xfffe, l.buf, p + 4, 2);
    }),
  },
  {
    name: 'ipv6.opt.pmtu.r_flag',
    label: 'Return Flag',
    type: 'bool',
    bits: 0,
    read: ofOption((l, v, p, t) => {
      if (t === 0x30 && p + 6 <= l.end) v.num(l.buf[p + 5]! & 1, l.buf, p + 5, 1);
    }),
  },
  {
    name: 'ipv6.opt.jumbo',
    label: 'Payload Length',
    type: 'uint',
    bits: 32,
    read: optionData(0xc2, 4, (l, p) => l.dv.getUint32(p)),
  },
  {
    name: 'ipv6.opt.mipv6.home_address',
    label: 'MIPv6 Home Address',
    type: 'ipv6',
    read: ofOption((l, v, p, t) => {
      if (t === 0xc9 && p + 18 <= l.end) v.bytes(l.buf, p + 2, 16);
    }),
  },
  // What an option's length gives beyond the bytes its layout reads.
  {
    name: 'ipv6.opt_unknown_data',
    label: 'Unknown Data',
    type: 'bytes',
    read: ofOption((l, v, p, t, dataLen) => {
      const read = OPTION_DATA[t];
      if (read !== undefined && read < dataLen && p + 2 + dataLen <= l.end)
        v.bytes(l.buf, p + 2 + read, dataLen - read);
    }),
  },
];

/** The extension headers' fields, in the order of Wireshark's tree: each header's, then the options'. */
export const EXTENSION_FIELDS: FieldSpec[] = [
  ...headerFields(HOP_BY_HOP),
  ...headerFields(ROUTING),
  {
    name: 'ipv6.routing.type',
    label: 'Type',
    type: 'uint',
    values: ROUTING_TYPES,
    read: ofHeader(ROUTING, (l, v, p) => byteAt(l, v, p + 2)),
  },
  {
    name: 'ipv6.routing.segleft',
    label: 'Segments Left',
    type: 'uint',
    read: ofHeader(ROUTING, (l, v, p) => byteAt(l, v, p + 3)),
  },
  reservedField('ipv6.routing.src.reserved', SOURCE_ROUTE),
  addressField('ipv6.routing.src.addr', 'Address'),
  reservedField('ipv6.routing.mipv6.reserved', TYPE_2),
  addressField('ipv6.routing.mipv6.home_address', 'Home Address'),
  {
    name: 'ipv6.routing.srh.last_entry',
    label: 'Last Entry',
    type: 'uint',
    read: ofRouting(SEGMENT_ROUTING, (l, v, p) => byteAt(l, v, p + 4)),
  },
  {
    name: 'ipv6.routing.srh.flags',
    label: 'Flags',
    type: 'uint',
    base: 'hex',
    read: ofRouting(SEGMENT_ROUTING, (l, v, p) => byteAt(l, v, p + 5)),
  },
  {
    name: 'ipv6.routing.srh.tag',
    label: 'Tag',
    type: 'bytes',
    read: ofRouting(SEGMENT_ROUTING, (l, v, p) => bytesAt(l, v, p + 6, 2)),
  },
  addressField('ipv6.routing.srh.addr', 'Address'),
  {
    name: 'ipv6.routing.unknown_data',
    label: 'Type-Specific Data',
    type: 'bytes',
    read: ofHeader(ROUTING, (l, v, p, len) => {
      if (p + 3 < l.end && !ROUTING_READ.has(routingType(l, p))) bytesAt(l, v, p + 4, len - 4);
    }),
  },
  ...headerFields(FRAGMENT_HEADER, 'Next header'),
  {
    name: 'ipv6.fraghdr.reserved_octet',
    label: 'Reserved octet',
    type: 'uint',
    base: 'hex',
    read: ofHeader(FRAGMENT_HEADER, (l, v, p) => v.num(l.buf[p + 1]!, l.buf, p + 1, 1)),
  },
  {
    name: 'ipv6.fraghdr.offset',
    label: 'Offset',
    type: 'uint',
    bits: 16,
    mask: 0xfff8,
    display: (n) => `${n} (${n * 8} bytes)`,
    read: ofHeader(FRAGMENT_HEADER, (l, v, p) => v.num(l.dv.getUint16(p + 2) >> 3, l.buf, p + 2, 2)),
  },
  {
    name: 'ipv6.fraghdr.reserved_bits',
    label: 'Reserved bits',
    type: 'uint',
    bits: 16,
    mask: 0x6,
    read: ofHeader(FRAGMENT_HEADER, (l, v, p) => v.num((l.buf[p + 3]! >> 1) & 3, l.buf, p + 2, 2)),
  },
  {
    name: 'ipv6.fraghdr.more',
    label: 'More Fragments',
    type: 'bool',
    bits: 16,
    mask: 0x1,
    tfs: YES_NO,
    read: ofHeader(FRAGMENT_HEADER, (l, v, p) => v.num(l.buf[p + 3]! & 1, l.buf, p + 2, 2)),
  },
  {
    name: 'ipv6.fraghdr.ident',
    label: 'Identification',
    type: 'uint',
    bits: 32,
    base: 'hex',
    read: ofHeader(FRAGMENT_HEADER, (l, v, p) => v.num(l.dv.getUint32(p + 4), l.buf, p + 4, 4)),
  },
  ...headerFields(DESTINATION_OPTIONS),
  ...OPTION_FIELDS,
];

/** The extension headers' names in frame.protocols, after `ipv6` (`:ipv6.fraghdr`). */
export function extensionNames(l: Layer): string {
  let s = '';
  eachHeader(l, (kind) => {
    s += `:${NAMES[kind]}`;
  });
  return s;
}

/** An option's subtree title: its name, or Wireshark's `Unknown IPv6 Option (n)`. */
const optionTitle = (type: number): string => OPTION_NAMES[type] ?? `Unknown IPv6 Option (${type})`;

/**
 * Draws the extension headers at depth 1 of IPv6's tree, as Wireshark's: each header a subtree of its fields (the
 * routing header's title naming its type, its addresses numbered), each option a subtree of its type (with the
 * type's bits under it), length and data. `fields` are the declared fields, in EXTENSION_FIELDS' order.
 */
export function drawExtensions(
  l: Layer,
  fields: readonly Field[],
  show: (f: Field, depth: number) => void,
  visit: (f: Field, v: Values, depth: number) => void,
): void {
  const optionFields = fields.filter((f) => f.name.startsWith('ipv6.opt') && f.name !== 'ipv6.opt');
  eachHeader(l, (kind, p, len) => {
    const name = NAMES[kind]!;
    let title = TITLES[kind]!;
    if (kind === ROUTING && p + 2 < l.end) {
      const type = routingType(l, p);
      title += ` (${ROUTING_TYPES[type] ?? `Unknown type ${type}`})`;
    }
    visitText(visit, title, l.buf, p, len, 1);
    onlyHeader = p;
    for (const f of fields) {
      if (!f.name.startsWith(`${name}.`)) continue;
      const addressesOf = ROUTE_ADDRESSES[f.name];
      if (addressesOf === undefined) show(f, 2);
      else if (p + 2 < l.end && addressesOf === routingType(l, p)) {
        // Wireshark labels a routing header's addresses by their place in it: `Address[1]: 2001:db8::1`.
        eachRoutingAddress(l, p, len, (at, i) =>
          visitText(visit, `Address[${i}]: ${ipv6Text(l.buf, at)}`, l.buf, at, 16, 2),
        );
      }
    }
    if (kind === HOP_BY_HOP || kind === DESTINATION_OPTIONS) {
      eachOption(l.buf, p, len, l.end, (op, type, dataLen) => {
        visitText(visit, optionTitle(type), l.buf, op, 2 + dataLen, 2);
        onlyOption = op;
        for (const f of optionFields) show(f, 3);
        onlyOption = -1;
      });
    }
    onlyHeader = -1;
  });
}
