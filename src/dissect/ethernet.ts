import { fields, protocolField } from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Protocol } from './packet.js';

/** Ethernet II. Frames whose type field is an 802.3 length (<= 1500) carry LLC, which we do not dissect. */
export const ethernet: Protocol = {
  name: 'eth',
  abbrev: 'eth',
  title: 'Ethernet II',
  hf: [
    protocolField('eth', 'Ethernet II'),
    ...fields(
      { name: 'eth.dst', label: 'Destination', type: 'ether', at: 0 },
      { name: 'eth.src', label: 'Source', type: 'ether', at: 6 },
      {
        name: 'eth.addr', label: 'Address', type: 'ether', hidden: true,
        read: (l, v) => { v.bytes(l.buf, l.off, 6); v.bytes(l.buf, l.off + 6, 6); },
      },
      {
        name: 'eth.type', label: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPE_NAMES,
        read: (l, v) => { const t = l.dv.getUint16(l.off + 12); if (t > 1500) v.num(t, l.buf, l.off + 12, 2); },
      },
      {
        name: 'eth.len', label: 'Length', type: 'uint', bits: 16,
        read: (l, v) => { const t = l.dv.getUint16(l.off + 12); if (t <= 1500) v.num(t, l.buf, l.off + 12, 2); },
      },
    ),
  ],
  dissect(ctx, l) {
    if (!ctx.need(l, 14)) return;
    l.hdrEnd = l.off + 14;
    const type = l.dv.getUint16(l.off + 12);
    if (type > 1500) ctx.handoff(l, Table.EtherType, type, l.hdrEnd, l.end);
  },
  jsonMembers: (l, out) => out.str('"src":"').mac(l.buf, l.off + 6).str('","dst":"').mac(l.buf, l.off).str('","type":').num(l.dv.getUint16(l.off + 12)),
  summary: (l, out) => out.str('ether ').mac(l.buf, l.off + 6).str(' > ').mac(l.buf, l.off).str(' type ').hex(l.dv.getUint16(l.off + 12), 4),
};
