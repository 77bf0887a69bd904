import { type Field, type FieldReader, type FieldSpec, type FieldType, readUint, type Values } from './field.js';
import type { Layer } from './packet.js';

/**
 * What Wireshark reads out of an IPv6 header's addresses and draws, generated, after them: a 6to4 address's gateway
 * and SLA ID (RFC 3056), a Teredo address's server, port and client (RFC 4380, the last two inverted), the MAC a SLAAC
 * address was made from (modified EUI-64: the universal/local bit flipped, ff:fe taken out), an ISATAP address's IPv4
 * (RFC 5214), and an IPv4 address embedded after the well-known NAT64 prefix 64:ff9b::/96 (RFC 6052). Each is a field
 * of the source's, one of the destination's and (hidden) one of either.
 */
const SOURCE = 8;
const DESTINATION = 24;

interface Detail {
  /** Whether the address at a is of this kind. */
  readonly is: (buf: Uint8Array, a: number) => boolean;
  /** Its fields: name after `ipv6.src_`, `ipv6.dst_` and `ipv6.`, label after `Source `, `Destination ` and none. */
  readonly fields: readonly (readonly [name: string, label: string, type: FieldType, read: Read])[];
}
/** An occurrence of the field from the address at a. */
type Read = (l: Layer, v: Values, a: number) => void;

const u16 = (buf: Uint8Array, p: number): number => readUint(buf, p, 2);
const u32 = (buf: Uint8Array, p: number): number => readUint(buf, p, 4);
const ipv4At =
  (at: number): Read =>
  (l, v, a) =>
    v.num(u32(l.buf, a + at), l.buf, a + at, 4);
const NAT64_PREFIX = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

const DETAILS: readonly Detail[] = [
  {
    is: (buf, a) => u16(buf, a) === 0x2002,
    fields: [
      ['6to4_gw_ipv4', '6to4 Gateway IPv4', 'ipv4', ipv4At(2)],
      ['6to4_sla_id', '6to4 SLA ID', 'uint', (l, v, a) => v.num(u16(l.buf, a + 6), l.buf, a + 6, 2)],
    ],
  },
  {
    is: (buf, a) => u32(buf, a) === 0x20010000,
    fields: [
      ['ts_ipv4', 'Teredo Server IPv4', 'ipv4', ipv4At(4)],
      ['tc_port', 'Teredo Port', 'uint', (l, v, a) => v.num(u16(l.buf, a + 10) ^ 0xffff, l.buf, a + 10, 2)],
      [
        'tc_ipv4',
        'Teredo Client IPv4',
        'ipv4',
        // Its bytes inverted, in a buffer of their own (as the SLAAC MAC's below), which -V and -T fields print.
        (l, v, a) => {
          const client = Uint8Array.from(l.buf.subarray(a + 12, a + 16), (b) => b ^ 0xff);
          v.num(u32(client, 0), client, 0, 4);
        },
      ],
    ],
  },
  {
    is: (buf, a) => (buf[a + 8]! & 0x02) !== 0 && u16(buf, a + 11) === 0xfffe,
    fields: [
      [
        'slaac_mac',
        'SLAAC MAC',
        'ether',
        (l, v, a) => {
          // The MAC is no run of the packet's bytes: made in a buffer of its own (read for -V, -T and -Y only).
          const b = l.buf;
          v.bytes(Uint8Array.of(b[a + 8]! & ~0x02, b[a + 9]!, b[a + 10]!, b[a + 13]!, b[a + 14]!, b[a + 15]!), 0, 6);
        },
      ],
    ],
  },
  {
    is: (buf, a) => (u32(buf, a + 8) & 0xfcffffff) === 0x00005efe,
    fields: [['isatap_ipv4', 'ISATAP IPv4', 'ipv4', ipv4At(12)]],
  },
];

const isNat64 = (buf: Uint8Array, a: number): boolean => NAT64_PREFIX.every((b, i) => buf[a + i] === b);

/** The addresses of the layer a side's field reads: its source's, its destination's, or (-1) both. */
const SIDE_ADDRESSES: Readonly<Record<number, readonly number[]>> = {
  [SOURCE]: [SOURCE],
  [DESTINATION]: [DESTINATION],
  [-1]: [SOURCE, DESTINATION],
};

/** The one address the fields read while -V draws them, or -1: both. */
let onlyAddress = -1;

/** A side's field: read from each of its addresses that is of the kind (`is`). */
function addressReader(is: (buf: Uint8Array, a: number) => boolean, read: Read, side: number): FieldReader {
  const addresses = SIDE_ADDRESSES[side]!;
  return (l, v) => {
    for (const s of addresses)
      if ((onlyAddress < 0 || onlyAddress === s) && is(l.buf, l.off + s)) read(l, v, l.off + s);
  };
}

const SIDES: readonly (readonly [side: number, name: string, label: string])[] = [
  [SOURCE, 'src_', 'Source '],
  [DESTINATION, 'dst_', 'Destination '],
  [-1, '', ''],
];

/** The address details' fields, kind by kind, each as the source's, the destination's and either's (hidden). */
export const ADDRESS_FIELDS: FieldSpec[] = [
  ...DETAILS.flatMap((detail) =>
    detail.fields.flatMap(([name, label, type, read]) =>
      SIDES.map(
        ([side, prefix, labelPrefix]): FieldSpec => ({
          name: `ipv6.${prefix}${name}`,
          label: `${labelPrefix}${label}`,
          type,
          bits: type === 'uint' ? 16 : undefined,
          generated: true,
          hidden: side < 0,
          read: addressReader(detail.is, read, side),
        }),
      ),
    ),
  ),
  {
    name: 'ipv6.embed_ipv4_prefix',
    label: 'Embedded IPv4 Prefix',
    type: 'bytes',
    generated: true,
    read: addressReader(isNat64, (l, v, a) => v.bytes(l.buf, a, 12), -1),
  },
  ...SIDES.map(
    ([side, prefix, labelPrefix]): FieldSpec => ({
      name: `ipv6.${prefix}embed_ipv4`,
      label: `${labelPrefix}Embedded IPv4`,
      type: 'ipv4',
      generated: true,
      read: addressReader(isNat64, ipv4At(12), side),
    }),
  ),
];

/**
 * Draws the details at depth 1 in Wireshark's order: kind by kind (6to4, Teredo, SLAAC, ISATAP), the source's then
 * the destination's; then an embedded IPv4's prefix, address and (again, not hidden) address, for each address.
 */
export function drawAddressDetails(fields: readonly Field[], show: (f: Field, depth: number) => void): void {
  const named = (name: string) => fields.find((f) => f.name === name)!;
  for (const detail of DETAILS)
    for (const [side, prefix] of SIDES.slice(0, 2)) {
      onlyAddress = side;
      for (const [name] of detail.fields) show(named(`ipv6.${prefix}${name}`), 1);
    }
  for (const [side, prefix] of SIDES.slice(0, 2)) {
    onlyAddress = side;
    for (const name of ['ipv6.embed_ipv4_prefix', `ipv6.${prefix}embed_ipv4`, 'ipv6.embed_ipv4']) show(named(name), 1);
  }
  onlyAddress = -1;
}
