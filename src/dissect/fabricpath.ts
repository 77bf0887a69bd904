import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * Cisco FabricPath (EtherType 0x8903 in the outer header): FTag and TTL in
 * two bytes, then the classical Ethernet frame it carries.
 */
export const fabricpath: Protocol = {
  name: 'fabricpath',
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    l.hdrEnd = l.off + 2;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  json: jsonRest((l) => ({ ftag: l.dv.getUint16(l.off) >> 6, ttl: l.dv.getUint16(l.off) & 0x3f })),
  summary: (_l, out) => out.str('FabricPath'),
};
