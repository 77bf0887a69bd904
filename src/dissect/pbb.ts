import { mac } from './addr.js';
import { declareFields, fields, protocolField } from './field.js';
import { Table, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * Wireshark's ieee8021ah fields of the I-TAG and the customer addresses
 * after it. (ieee8021ah.etype, the type after them, is also the 802.1ad
 * tag's type in Wireshark; here it is the customer Ethernet's eth.type.)
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
  ),
]);

/** Provider backbone bridging (802.1ah, EtherType 0x88E7): an I-TAG, then the customer's Ethernet frame. */
export const pbb = protocol({
  name: 'pbb',
  abbrev: 'ieee8021ah',
  title: 'IEEE 802.1ah',
  hf: PBB_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  json: jsonMembers(PBB_FIELDS, [{ name: 'isid', field: 'ieee8021ah.isid' }]),
  summary: (l, out) =>
    out.str(
      `PBB ` +
        `isid ${l.dv.getUint32(l.off) & 0xffffff}` +
        `${l.off + 16 <= l.end ? ` ${mac(l.buf, l.off + 10)} > ${mac(l.buf, l.off + 4)}` : ''}`,
    ),
});
