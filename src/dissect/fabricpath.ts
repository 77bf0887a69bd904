import { fields, protocolField } from './field.js';
import { Table, type Protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * Wireshark's cfp fields of the FTag/TTL word. (Its hierarchical MAC
 * fields split the outer Ethernet addresses, read here as eth's.)
 */
const CFP_FIELDS = [
  protocolField('cfp', 'Cisco FabricPath'),
  ...fields(
    { name: 'cfp.ftag', label: 'FTAG', type: 'uint', bits: 16, mask: 0xffc0, at: 0 },
    { name: 'cfp.ttl', label: 'TTL', type: 'uint', bits: 16, mask: 0x003f, at: 0 },
  ),
];

/**
 * Cisco FabricPath (EtherType 0x8903 in the outer header): FTag and TTL in
 * two bytes, then the classical Ethernet frame it carries.
 */
export const fabricpath: Protocol = {
  name: 'fabricpath',
  abbrev: 'cfp',
  title: 'Cisco FabricPath',
  hf: CFP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    l.hdrEnd = l.off + 2;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  json: jsonMembers(CFP_FIELDS, [
    { name: 'ftag', field: 'cfp.ftag' },
    { name: 'ttl', field: 'cfp.ttl' },
  ]),
  summary: (_l, out) => out.str('FabricPath'),
};
