import { declareFields, type Field, type FieldSpec, fields, hexThenSetFlags, protocolField, Values } from './field.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/** Keeps a field to VXLAN layers (gpe false) or VXLAN-GPE ones (true): both are Wireshark's `vxlan`. */
const only = (gpe: boolean, list: Field[]): Field[] =>
  list.map((f) => ({
    ...f,
    read: (l, v, ctx) => {
      if ((l.proto === vxlanGpe) === gpe) f.read(l, v, ctx);
    },
  }));

/** Wireshark's vxlan_next_protocols. */
const NEXT_PROTOCOL_VALS = { 1: 'IPv4', 2: 'IPv6', 3: 'Ethernet', 4: 'Network Service Header', 5: 'MPLS' };

/** VXLAN's flags word's flags (RFC 7348's I, VXLAN-GBP's G, D and A), and its reserved bits. */
const VXLAN_FLAGS: FieldSpec[] = [
  {
    name: 'vxlan.flag_g',
    label: 'GBP Extension',
    type: 'bool',
    tfs: ['Defined', 'Not defined'],
    bits: 16,
    mask: 0x8000,
    at: 0,
    child: true,
  },
  { name: 'vxlan.flag_i', label: 'VXLAN Network ID (VNI)', type: 'bool', bits: 16, mask: 0x0800, at: 0, child: true },
  { name: 'vxlan.flag_d', label: "Don't Learn", type: 'bool', bits: 16, mask: 0x0040, at: 0, child: true },
  { name: 'vxlan.flag_a', label: 'Policy Applied', type: 'bool', bits: 16, mask: 0x0008, at: 0, child: true },
  {
    name: 'vxlan.flags_reserved',
    label: 'Reserved(R)',
    type: 'uint',
    bits: 16,
    base: 'hex',
    mask: 0x77b7,
    at: 0,
    child: true,
  },
];
/** The word's title, as Wireshark's bitmask item has it: `0x0800, VXLAN Network ID (VNI)`. */
const FLAGS_TEXT = hexThenSetFlags(4, VXLAN_FLAGS);

/**
 * The fields of both headers, in the order of Wireshark's tree. VXLAN-GPE's
 * flags byte is 8 bits where VXLAN's flags word is 16: vxlan.flags and
 * vxlan.flags_reserved are read for VXLAN only.
 */
const VXLAN_HF = declareFields(() => [
  protocolField('vxlan', 'Virtual eXtensible Local Area Network'),
  ...only(
    false,
    fields(
      { name: 'vxlan.flags', label: 'Flags', type: 'uint', bits: 16, base: 'hex', at: 0, display: FLAGS_TEXT },
      ...VXLAN_FLAGS,
      { name: 'vxlan.gbp', label: 'Group Policy ID', type: 'uint', bits: 16, at: 2 },
    ),
  ),
  ...only(
    true,
    fields(
      { name: 'vxlan.ver', label: 'Version', type: 'uint', mask: 0x30, at: 0, child: true },
      { name: 'vxlan.i_bit', label: 'Instance', type: 'uint', mask: 0x08, at: 0, child: true },
      { name: 'vxlan.p_bit', label: 'Next Protocol Bit', type: 'uint', mask: 0x04, at: 0, child: true },
      { name: 'vxlan.o_bit', label: 'OAM bit', type: 'uint', mask: 0x01, at: 0, child: true },
      { name: 'vxlan.reserved_16', label: 'Reserved', type: 'uint', bits: 16, at: 1 },
      { name: 'vxlan.next_proto', label: 'Next Protocol', type: 'uint', values: NEXT_PROTOCOL_VALS, at: 3 },
    ),
  ),
  ...fields(
    { name: 'vxlan.vni', label: 'VXLAN Network Identifier (VNI)', type: 'uint', bits: 24, at: 4 },
    { name: 'vxlan.reserved8', label: 'Reserved', type: 'uint', at: 7 },
  ),
]);

/** VXLAN (RFC 7348, UDP 4789): 8-byte header with a 24-bit network identifier, then Ethernet. */
export const vxlan = protocol({
  name: 'vxlan',
  abbrev: 'vxlan',
  title: 'Virtual eXtensible Local Area Network',
  hf: VXLAN_HF,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  json: jsonMembers(VXLAN_HF, [{ name: 'vni', field: 'vxlan.vni' }]),
  summary: (l, out) => out.str(`VXLAN vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
});

/** The "next protocol" numbers VXLAN-GPE and NSH share, as the EtherTypes we dispatch on. */
const NEXT_PROTOCOL_ETHERTYPES = [0, 0x0800, 0x86dd, 0x6558, 0x894f, 0x8847];

export function handoffNextProtocol(ctx: PacketCtx, l: Layer, next: number): void {
  const etherType = NEXT_PROTOCOL_ETHERTYPES[next];
  if (etherType) ctx.handoff(l, Table.EtherType, etherType, l.hdrEnd, l.end);
}

/**
 * VXLAN-GPE's flags byte and its reserved bits as -V draws them: Wireshark declares them under VXLAN's names (a byte
 * where VXLAN's is a word), which here are VXLAN's only.
 */
const GPE_DRAWN = declareFields(() =>
  fields(
    { name: 'vxlan.flags', label: 'Flags', type: 'uint', base: 'hex', at: 0 },
    { name: 'vxlan.flags_reserved', label: 'Reserved(R)', type: 'uint', mask: 0xc2, at: 0, child: true },
  ),
);
const treeValues = new Values();

/** -V's tree of a VXLAN-GPE header: its flags byte over its flags, then its other fields. */
function gpeTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const [flags, reserved] = GPE_DRAWN();
  const show = (f: Field) => {
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    visit(f, treeValues, 1);
  };
  for (const f of VXLAN_HF()) {
    if (f.type === 'protocol') continue;
    if (f.name === 'vxlan.ver') show(flags!);
    show(f);
    if (f.name === 'vxlan.o_bit') show(reserved!);
  }
}

/** VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe, UDP 4790): VXLAN with a next-protocol field. */
export const vxlanGpe = protocol({
  name: 'vxlan-gpe',
  abbrev: 'vxlan',
  title: 'Virtual eXtensible Local Area Network',
  hf: VXLAN_HF,
  tree: gpeTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    handoffNextProtocol(ctx, l, l.buf[l.off + 3]!);
  },
  json: jsonMembers(VXLAN_HF, [
    { name: 'vni', field: 'vxlan.vni' },
    { name: 'nextProtocol', field: 'vxlan.next_proto' },
  ]),
  summary: (l, out) => out.str(`VXLAN-GPE vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
});

/** The VNI of a VXLAN or VXLAN-GPE header, -1 when the header was cut short. */
export const vxlanVni = (l: Layer): number => (l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) >>> 8 : -1);
