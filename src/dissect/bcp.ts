import { declareFields, fields, hexThenText, protocolField, YES_NO } from './field.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * PPP's bridged frames (RFC 3518, PPP 0x0031), as Wireshark's bcp_bpdu: a flags byte (the LAN's FCS kept, 802.3
 * padding zero-filled, a bridge control packet, pad bytes at the end), the MAC type, one pad byte for Token Ring and
 * FDDI, then the frame. An Ethernet frame is handed on; a frame that keeps its FCS is handed on without those 4 bytes
 * (Wireshark shows them as Ethernet's FCS).
 */

const FCS_PRESENT = 0x80;
const ZERO_PAD = 0x20;
const BRIDGE_CONTROL = 0x10;
const PADS = 0x0f;
const MAC_ETHERNET = 1;
const FCS_LENGTH = 4;

/** Wireshark's bcp_bpdu_mac_type_vals. */
const MAC_TYPES: Readonly<Record<number, string>> = {
  1: 'IEEE 802.3/Ethernet',
  2: 'IEEE 802.4',
  3: 'IEEE 802.5, non-canonical addresses',
  4: 'FDDI, non-canonical addresses',
  11: 'IEEE 802.5, canonical addresses',
  12: 'FDDI, canonical addresses',
};
/** MAC types whose frames follow a pad byte. */
const PADDED_TYPES = new Set([2, 3, 4, 11, 12]);

/** The flags: bit, field name, label. */
const FLAGS: readonly (readonly [number, string, string])[] = [
  [FCS_PRESENT, 'fcs_present', 'LAN FCS present'],
  [ZERO_PAD, 'zeropad', '802.3 pad zero-filled'],
  [BRIDGE_CONTROL, 'bcontrol', 'Bridge control'],
];

const headerLength = (l: Layer): number => (PADDED_TYPES.has(l.buf[l.off + 1]!) ? 3 : 2);

const BCP_FIELDS = declareFields(() => [
  protocolField('bcp_bpdu', 'PPP Bridging Control Protocol Bridged PDU'),
  ...fields(
    {
      name: 'bcp_bpdu.flags',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      display: hexThenText(2),
      read: (l, v) => {
        if (l.off >= l.end) return;
        const flags = l.buf[l.off]!;
        let names = '';
        for (const [bit, , label] of FLAGS) if (flags & bit) names += `, ${label}`;
        v.str(names, l.buf, l.off, 1, flags);
      },
    },
    ...FLAGS.map(([bit, name, label]) => ({
      name: `bcp_bpdu.flags.${name}`,
      label,
      type: 'bool' as const,
      mask: bit,
      tfs: YES_NO,
      at: 0,
      child: true,
    })),
    { name: 'bcp_bpdu.pads', label: 'Pads', type: 'uint', mask: PADS, at: 0, child: true },
    {
      name: 'bcp_bpdu.mac_type',
      label: 'MAC Type',
      type: 'uint',
      values: MAC_TYPES,
      at: 1,
    },
    {
      name: 'bcp_bpdu.pad',
      label: 'Pad',
      type: 'bytes',
      read: (l, v) => {
        if (l.off + 3 <= l.end && headerLength(l) === 3) v.bytes(l.buf, l.off + 2, 1);
      },
    },
  ),
]);

export const bcp = protocol({
  name: 'bcp',
  abbrev: 'bcp_bpdu',
  title: 'PPP Bridging Control Protocol Bridged PDU',
  hf: BCP_FIELDS,
  dissect(ctx, l) {
    // A cut header still shows what it has (the flags of a 1-byte frame).
    l.hdrEnd = l.end;
    if (!ctx.need(l, 2) || !ctx.need(l, headerLength(l))) return;
    l.hdrEnd = l.off + headerLength(l);
    const flags = l.buf[l.off]!;
    if (flags & BRIDGE_CONTROL || l.buf[l.off + 1] !== MAC_ETHERNET) return;
    // The pads and a kept FCS end the frame, unless the capture cut it before them.
    const frameEnd = l.short ? l.end : l.end - (flags & PADS) - (flags & FCS_PRESENT ? FCS_LENGTH : 0);
    if (frameEnd > l.hdrEnd) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, frameEnd);
  },
  // A frame of a MAC type Wireshark does not read is its `data`.
  payloadData: (l) =>
    l.off + 2 <= l.end && !(l.buf[l.off]! & BRIDGE_CONTROL) && MAC_TYPES[l.buf[l.off + 1]!] === undefined
      ? 'after'
      : null,
  json: jsonMembers(BCP_FIELDS, [
    { name: 'flags', field: 'bcp_bpdu.flags' },
    { name: 'macType', field: 'bcp_bpdu.mac_type' },
  ]),
  summary: (l, out) => {
    out.str('BCP');
    if (l.off + 2 > l.end) return;
    if (l.buf[l.off]! & BRIDGE_CONTROL) out.str(' bridge control');
    else out.str(' MAC type ').num(l.buf[l.off + 1]!);
  },
});
