import { typeSummary } from './ethernet.js';
import { Table, type Protocol } from './packet.js';

/** 802.1Q and 802.1ad (QinQ) tags: TCI then the inner EtherType. */
export const vlan: Protocol = {
  name: 'vlan',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    const type = l.dv.getUint16(l.off + 2);
    if (type > 1500) ctx.handoff(l, Table.EtherType, type, l.hdrEnd, l.end);
  },
  fields(l) {
    const tci = l.dv.getUint16(l.off);
    return { id: tci & 0x0fff, pcp: tci >> 13, dei: (tci >> 12) & 1, type: l.dv.getUint16(l.off + 2) };
  },
  jsonMembers(l, out) {
    const tci = l.dv.getUint16(l.off);
    out.str('"id":').num(tci & 0x0fff).str(',"pcp":').num(tci >> 13).str(',"dei":').num((tci >> 12) & 1).str(',"type":').num(l.dv.getUint16(l.off + 2));
  },
  summary(l, out) {
    out.str('vlan ').num(l.dv.getUint16(l.off) & 0x0fff);
    typeSummary(l.dv.getUint16(l.off + 2), l, l.off + 4, out);
  },
};
