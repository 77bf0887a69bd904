import { mac } from './addr.js';
import { typeSummary } from './ethernet.js';
import { declareFields, fields, protocolField, type FieldSpec } from './field.js';
import { Table, protocol } from './packet.js';
import { jsonMembers } from './json.js';
import { ETHERTYPE_NAMES } from './numbers.js';

/** The I-TAG, the customer's addresses and their type: 802.1ah's header, as Wireshark reads it. */
const HEADER_LENGTH = 18;

/** Wireshark's ieee8021ah.etype: the type after a tag, 802.1ah's and 802.1ad's (`at` bytes into the header). */
export const tagType = (at: number, alias: boolean): FieldSpec => ({
  name: 'ieee8021ah.etype',
  label: 'Type',
  type: 'uint',
  bits: 16,
  base: 'hex',
  values: ETHERTYPE_NAMES,
  alias,
  read: (l, v) => {
    if (l.off + at + 2 <= l.end) v.num(l.dv.getUint16(l.off + at), l.buf, l.off + at, 2);
  },
});

/**
 * Wireshark's ieee8021ah fields: the I-TAG, then the customer's addresses and type, all 802.1ah's own (the customer
 * frame has no Ethernet layer of its own, as in tshark).
 */
const PBB_FIELDS = declareFields(() => [
  protocolField('ieee8021ah', 'IEEE 802.1ah'),
  ...fields(
    { name: 'ieee8021ah.priority', label: 'Priority', type: 'uint', bits: 32, mask: 0xe0000000, at: 0 },
    { name: 'ieee8021ah.drop', label: 'DROP', type: 'uint', bits: 32, mask: 0x10000000, at: 0 },
    { name: 'ieee8021ah.nca', label: 'NCA', type: 'uint', bits: 32, mask: 0x08000000, at: 0 },
    { name: 'ieee8021ah.res1', label: 'RES1', type: 'uint', bits: 32, mask: 0x04000000, at: 0 },
    { name: 'ieee8021ah.res2', label: 'RES2', type: 'uint', bits: 32, mask: 0x03000000, at: 0 },
    { name: 'ieee8021ah.isid', label: 'I-SID', type: 'uint', bits: 32, mask: 0x00ffffff, at: 0 },
    { name: 'ieee8021ah.cdst', label: 'C-Destination', type: 'ether', at: 4 },
    { name: 'ieee8021ah.csrc', label: 'C-Source', type: 'ether', at: 10 },
    tagType(16, false),
  ),
]);

/** Provider backbone bridging (802.1ah, EtherType 0x88E7): an I-TAG, the customer's addresses and type, its payload. */
export const pbb = protocol({
  ethertype: true,
  name: 'pbb',
  abbrev: 'ieee8021ah',
  title: 'IEEE 802.1ah',
  hf: PBB_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, HEADER_LENGTH)) return;
    l.hdrEnd = l.off + HEADER_LENGTH;
    const type = l.dv.getUint16(l.off + 16);
    if (type > 1500) ctx.handoff(l, Table.EtherType, type, l.hdrEnd, l.end);
  },
  json: jsonMembers(PBB_FIELDS, [
    { name: 'isid', field: 'ieee8021ah.isid' },
    { name: 'src', field: 'ieee8021ah.csrc' },
    { name: 'dst', field: 'ieee8021ah.cdst' },
    { name: 'type', field: 'ieee8021ah.etype' },
  ]),
  summary(l, out) {
    out.str(`PBB isid ${l.dv.getUint32(l.off) & 0xffffff} ${mac(l.buf, l.off + 10)} > ${mac(l.buf, l.off + 4)}`);
    typeSummary(l.dv.getUint16(l.off + 16), l, l.hdrEnd, out);
  },
});
