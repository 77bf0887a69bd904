import { declareFields, fields, protocolField, type FieldSpec } from './field.js';
import { jsonMembers } from './json.js';
import { typeOrLength, typeOrLengthHandoff, typeSummary } from './ethernet.js';
import { Table, type Layer, protocol, DATA_AFTER } from './packet.js';
import { tagType } from './pbb.js';

const VLAN_FIELDS = declareFields(() => [
  protocolField('vlan', '802.1Q Virtual LAN'),
  ...fields(...tci('vlan', true), ...typeOrLength('vlan.etype', 'vlan.len', 2)),
]);

/** 802.1Q and 802.1ad (QinQ) tags: TCI then the inner EtherType. */
export const vlan = protocol({
  ethertype: true,
  payloadData: DATA_AFTER,
  name: 'vlan',
  abbrev: 'vlan',
  title: '802.1Q Virtual LAN',
  hf: VLAN_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    typeOrLengthHandoff(ctx, l, l.dv.getUint16(l.off + 2));
  },
  json: jsonMembers(VLAN_FIELDS, [
    { name: 'id', field: 'vlan.id' },
    { name: 'pcp', field: 'vlan.priority' },
    { name: 'dei', field: 'vlan.dei', number: true },
    // The type word whether it is a type or an 802.3 length (vlan.etype, vlan.len).
    { name: 'type', value: (l) => l.dv.getUint16(l.off + 2) },
  ]),
  summary(l, out) {
    out.str('vlan ').num(l.dv.getUint16(l.off) & 0x0fff);
    typeSummary(l.dv.getUint16(l.off + 2), l, l.off + 4, out);
  },
});

/**
 * The 802.1ad service tag (EtherType 0x88A8): read as a VLAN tag, and
 * written to JSON as one, but Wireshark's `ieee8021ad` with its own fields,
 * its type Wireshark's ieee8021ah.etype (as 802.1ah's).
 */
export const ieee8021ad = protocol({
  ethertype: true,
  payloadData: DATA_AFTER,
  ...vlan,
  // Its type is always an EtherType to Wireshark (a length is one nothing takes: its bytes are data).
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + 2), l.hdrEnd, l.end);
  },
  abbrev: 'ieee8021ad',
  title: 'IEEE 802.1ad',
  hf: declareFields(() => [
    protocolField('ieee8021ad', 'IEEE 802.1ad'),
    ...fields(...tci('ieee8021ad', false), tagType(2, true)),
  ]),
});

/** 802.1Q's priorities as tshark 4.0 names them by default (its vlan.version preference, IEEE 802.1Q-2011). */
const PRIORITY_NAMES: Readonly<Record<number, string>> = {
  0: 'Best Effort (default)',
  1: 'Background',
  2: 'Excellent Effort',
  3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter',
  5: 'Voice, < 10ms latency and jitter',
  6: 'Internetwork Control',
  7: 'Network Control',
};

/**
 * The tag control information, as Wireshark names it under `abbrev`: in 802.1Q (`vlan`) the priorities are named and
 * the DEI is a flag; in 802.1ad the DEI is a number.
 */
function tci(abbrev: string, dot1q: boolean): FieldSpec[] {
  return [
    {
      name: `${abbrev}.priority`,
      label: 'Priority',
      type: 'uint',
      values: dot1q ? PRIORITY_NAMES : undefined,
      bits: 16,
      mask: 0xe000,
      at: 0,
    },
    {
      name: `${abbrev}.dei`,
      label: 'DEI',
      type: dot1q ? 'bool' : 'uint',
      tfs: dot1q ? ['Eligible', 'Ineligible'] : undefined,
      bits: 16,
      mask: 0x1000,
      at: 0,
    },
    { name: `${abbrev}.id`, label: 'ID', type: 'uint', bits: 16, mask: 0x0fff, at: 0 },
  ];
}

/** The VLAN ID (12 bits) of an 802.1Q or 802.1ad tag. */
export const vlanId = (l: Layer): number => l.dv.getUint16(l.off) & 0x0fff;
/** The tag's type field, or an 802.3 length (<= 1500); -1 where it was not captured (802.1Q and 802.1ad alike). */
export const vlanTypeOrLength = (l: Layer): number => (l.off + 4 <= l.end ? l.dv.getUint16(l.off + 2) : -1);
