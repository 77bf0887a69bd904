import {
  declareFields,
  fields,
  fieldsByName,
  protocolField,
  Values,
  type Field,
  type FieldSpec,
  type TrueFalse,
} from './field.js';
import { jsonMembers } from './json.js';
import { llcHint, llcSummary, SAP_NETWARE } from './llc.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol, DATA_AFTER } from './packet.js';
import type { TextOut } from '../util/text-out.js';

const ETH_FIELDS = declareFields(() => [
  protocolField('eth', 'Ethernet II'),
  ...fields(
    { name: 'eth.dst', label: 'Destination', type: 'ether', at: 0 },
    { name: 'eth.src', label: 'Source', type: 'ether', at: 6 },
    // Either address; -V shows each under its own (ethernetTree).
    {
      name: 'eth.addr',
      label: 'Address',
      type: 'ether',
      read: (l, v) => {
        v.bytes(l.buf, l.off, 6);
        v.bytes(l.buf, l.off + 6, 6);
      },
    },
    ...addressBits('eth.dst', 0),
    ...addressBits('eth.src', 6),
    ...addressBits('eth', -1),
    ...typeOrLength('eth.type', 'eth.len', 12),
  ),
]);

const LG: TrueFalse = [
  'Locally administered address (this is NOT the factory default)',
  'Globally unique address (factory default)',
];
const IG: TrueFalse = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];

/**
 * An address's LG and IG bits, as Wireshark declares them: flags of the 24-bit word of its first 3 bytes (its OUI).
 * `at` -1: those of either address (eth.lg, eth.ig), hidden as in Wireshark, for filters.
 */
function addressBits(prefix: string, at: number): FieldSpec[] {
  const bit = (name: string, mask: number, tfs: TrueFalse): FieldSpec => {
    const spec: FieldSpec = {
      name: `${prefix}.${name}`,
      label: `${name.toUpperCase()} bit`,
      type: 'bool',
      tfs,
      bits: 24,
      mask,
    };
    if (at >= 0) return { ...spec, at };
    return {
      ...spec,
      hidden: true,
      read: (l, v) => {
        for (const p of [l.off, l.off + 6])
          if (p + 3 <= l.end) v.num((l.buf[p]! & (mask >> 16)) !== 0 ? 1 : 0, l.buf, p, 3);
      },
    };
  };
  return [bit('lg', 0x20000, LG), bit('ig', 0x10000, IG)];
}

const ethFieldsByName = fieldsByName(ETH_FIELDS);
const treeValues = new Values();

/** The fields -V shows under an address (the address itself, its bits), not at the layer's top. */
const underAddress = (name: string): boolean =>
  name === 'eth.addr' || name.startsWith('eth.dst') || name.startsWith('eth.src');

/**
 * -V's tree in tshark's order: each address, and under it the address again and its LG and IG bits; then the layer's
 * other fields, in their declared order.
 */
function ethernetTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const named = ethFieldsByName();
  const show = (f: Field, depth: number, only?: number) => {
    treeValues.n = 0;
    if (only === undefined) f.read(l, treeValues, ctx);
    else if (l.off + only + 6 <= l.end) treeValues.bytes(l.buf, l.off + only, 6);
    visit(f, treeValues, depth);
  };
  for (const [address, at] of [
    ['eth.dst', 0],
    ['eth.src', 6],
  ] as const) {
    show(named.get(address)!, 1);
    show(named.get('eth.addr')!, 2, at);
    show(named.get(`${address}.lg`)!, 2);
    show(named.get(`${address}.ig`)!, 2);
  }
  for (const f of named.values()) if (f.type !== 'protocol' && !f.hidden && !underAddress(f.name)) show(f, 1);
}

/** Ethernet II. Frames whose type field is an 802.3 length (<= 1500) carry LLC (llc.ts), as far as that length says. */
export const ethernet = protocol({
  ethertype: true,
  payloadData: DATA_AFTER,
  name: 'eth',
  abbrev: 'eth',
  title: 'Ethernet II',
  hf: ETH_FIELDS,
  tree: ethernetTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 14)) return;
    l.hdrEnd = l.off + 14;
    typeOrLengthHandoff(ctx, l, l.dv.getUint16(l.off + 12));
  },
  json: jsonMembers(ETH_FIELDS, [
    { name: 'src', field: 'eth.src' },
    { name: 'dst', field: 'eth.dst' },
    // The type word whether it is a type or an 802.3 length (eth.type, eth.len).
    { name: 'type', value: (l) => l.dv.getUint16(l.off + 12) },
  ]),
  summary(l, out) {
    out
      .str('ether ')
      .mac(l.buf, l.off + 6)
      .str(' > ')
      .mac(l.buf, l.off);
    const type = l.dv.getUint16(l.off + 12);
    typeSummary(type, l, l.off + 14, out);
  },
});

/**
 * Hands the payload on by its EtherType, or for an 802.3 length to LLC as far as the length says, with the length and
 * whether the frame went to a GARP address as the hint (LLC's). A length whose payload starts 0xFFFF is Novell's raw
 * 802.3 IPX, with no LLC header. (Ethernet's type 0 is an unknown EtherType to Wireshark, not a length: isLength.)
 */
export function typeOrLengthHandoff(ctx: PacketCtx, l: Layer, type: number): void {
  if (!isLength(l, type)) return ctx.handoff(l, Table.EtherType, type, l.hdrEnd, l.end);
  const end = Math.min(l.end, l.hdrEnd + type);
  if (l.hdrEnd + 2 <= end && l.dv.getUint16(l.hdrEnd) === 0xffff)
    return ctx.handoff(l, Table.LlcSap, SAP_NETWARE, l.hdrEnd, end);
  ctx.handoff(l, Table.Ieee8023, 0, l.hdrEnd, end, llcHint(type, garpDestination(ctx, l)));
}

/** An 802.3 length, not a type: up to 1500, but Ethernet's 0 (Wireshark's ETHERTYPE_UNK; a tag's 0 is a length). */
const isLength = (l: Layer, type: number): boolean => type <= 1500 && (type !== 0 || l.proto !== ethernet);

/**
 * Whether the frame went to a GARP application's address (01:80:C2:00:00:0D or 01:80:C2:00:00:2x): GVRP and GMRP use
 * STP's SAP, and Wireshark's BPDU dissector hands them on by this address. `l` is the Ethernet layer or a tag after it.
 */
function garpDestination(ctx: PacketCtx, l: Layer): boolean {
  let i = ctx.layers.indexOf(l);
  while (i > 0 && ctx.layers[i]!.proto !== ethernet) i--;
  const e = ctx.layers[i]!;
  if (e.proto !== ethernet) return false;
  const b = e.buf;
  const p = e.off;
  const last = b[p + 5]!;
  return (
    b[p] === 0x01 &&
    b[p + 1] === 0x80 &&
    b[p + 2] === 0xc2 &&
    b[p + 3] === 0 &&
    b[p + 4] === 0 &&
    (last === 0x0d || (last & 0xf0) === 0x20)
  );
}

/** The two readings of a type field at `at`: an EtherType, or an 802.3 length (<= 1500) with LLC following. */
export function typeOrLength(typeName: string, lengthName: string, at: number): FieldSpec[] {
  return [
    {
      name: typeName,
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      read: (l, v) => {
        const t = l.dv.getUint16(l.off + at);
        if (!isLength(l, t)) v.num(t, l.buf, l.off + at, 2);
      },
    },
    {
      name: lengthName,
      label: 'Length',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        const t = l.dv.getUint16(l.off + at);
        if (isLength(l, t)) v.num(t, l.buf, l.off + at, 2);
      },
    },
  ];
}

/** What a type field says: a named protocol, the type in hex, or for an 802.3 length the LLC payload at p. */
export function typeSummary(type: number, l: Layer, p: number, out: TextOut): void {
  if (isLength(l, type)) return llcSummary(l, p, Math.min(l.end, p + type), out);
  const name = ETHER_NAMES[type];
  if (name !== undefined) out.byte(0x20).str(name);
  else out.str(' type ').hex(type, 4);
}

/** Ether types that no dissector here takes, named (those that one takes name themselves after). */
const ETHER_NAMES: Record<number, string> = {
  0x9000: 'Loopback',
  0x8809: 'Slow Protocols (LACP)',
  0x88e5: 'MACsec',
  0x888e: 'EAPOL',
  0x8035: 'RARP',
  0x88f7: 'PTP',
  0x8906: 'FCoE',
  0x8914: 'FIP',
  0x8863: 'PPPoE discovery',
  0x88b5: 'Local Experimental',
  0x893a: 'IEEE 1905',
};

/** The type field, or for 802.3 the length (<= 1500) of what follows; -1 where it was not captured. */
export const ethernetTypeOrLength = (l: Layer): number => (l.off + 14 <= l.end ? l.dv.getUint16(l.off + 12) : -1);

/**
 * A unicast MAC (0 the destination, 1 the source) folded to 30 bits, a
 * small integer: -1 for a group (multicast, broadcast) address or a header
 * cut before the addresses end.
 */
export function ethernetUnicastMac(l: Layer, which: 0 | 1): number {
  const at = l.off + 6 * which;
  if (l.off + 12 > l.end || l.buf[at]! & 1) return -1;
  return (l.dv.getUint32(at + 2) ^ (l.dv.getUint16(at) << 14)) & 0x3fffffff;
}
