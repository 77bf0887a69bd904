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

/** Hands the payload on by its EtherType, or for an 802.3 length to LLC, as far as the length says. */
export function typeOrLengthHandoff(ctx: PacketCtx, l: Layer, type: number): void {
  if (type > 1500) ctx.handoff(l, Table.EtherType, type, l.hdrEnd, l.end);
  else ctx.handoff(l, Table.Ieee8023, 0, l.hdrEnd, Math.min(l.end, l.hdrEnd + type));
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
        if (t > 1500) v.num(t, l.buf, l.off + at, 2);
      },
    },
    {
      name: lengthName,
      label: 'Length',
      type: 'uint',
      bits: 16,
      read: (l, v) => {
        const t = l.dv.getUint16(l.off + at);
        if (t <= 1500) v.num(t, l.buf, l.off + at, 2);
      },
    },
  ];
}

/** What a type field says: a named protocol, the type in hex, or for an 802.3 length the LLC payload at p. */
export function typeSummary(type: number, l: Layer, p: number, out: TextOut): void {
  if (type <= 1500) return llcSummary(l, p, out);
  const name = ETHER_NAMES[type];
  if (name !== undefined) out.byte(0x20).str(name);
  else out.str(' type ').hex(type, 4);
}

/** Ether types that no dissector here takes, named (those that one takes name themselves after). */
const ETHER_NAMES: Record<number, string> = {
  0x9000: 'Loopback',
  0x88cc: 'LLDP',
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

/** Cisco's SNAP protocols (OUI 00:00:0c). */
const CISCO_SNAP: Record<number, string> = {
  0x2000: 'CDP',
  0x2003: 'VTP',
  0x2004: 'DTP',
  0x010b: 'PVST+',
  0x0111: 'UDLD',
};

/**
 * 802.3 with an LLC header (the type field is a length): named by its SAPs, or for SNAP by OUI and protocol, as tcpdump
 * names them.
 */
function llcSummary(l: Layer, p: number, out: TextOut): void {
  if (p + 3 > l.end) {
    out.str(' 802.3');
    return;
  }
  const dsap = l.buf[p]!;
  const ssap = l.buf[p + 1]!;
  if (dsap === 0xaa && ssap === 0xaa && p + 8 <= l.end) {
    const oui = (l.buf[p + 3]! << 16) | (l.buf[p + 4]! << 8) | l.buf[p + 5]!;
    const pid = l.dv.getUint16(p + 6);
    const cisco = oui === 0x00000c ? CISCO_SNAP[pid] : undefined;
    if (cisco !== undefined) out.str(' LLC SNAP ').str(cisco);
    else out.str(' LLC SNAP oui ').hex(oui, 6).str(' pid ').hex(pid, 4);
    return;
  }
  if (dsap === 0x42 && ssap === 0x42) out.str(' LLC STP');
  else if (dsap === 0xe0 && ssap === 0xe0)
    out.str(' LLC'); // IPX's own summary follows
  else if (dsap === 0xfe && ssap === 0xfe) out.str(' LLC OSI');
  else out.str(' LLC dsap ').hex(dsap, 2).str(' ssap ').hex(ssap, 2);
}

/** The type field, or for 802.3 the length (<= 1500) of what follows; -1 where it was not captured. */
export const ethernetTypeOrLength = (l: Layer): number => (l.off + 14 <= l.end ? l.dv.getUint16(l.off + 12) : -1);

/** The LLC header's length after an 802.3 header (which ends at hdrEnd): 8 with SNAP (both SAPs 0xaa), else 3. */
export function llcLength(l: Layer): number {
  const p = l.hdrEnd;
  return p + 2 <= l.end && l.buf[p] === 0xaa && l.buf[p + 1] === 0xaa ? 8 : 3;
}

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
