import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * Arista's timestamping header (EtherType 0xD28B): subtype 1 (timestamp),
 * a version whose low byte says 64-bit (0x10: 8 bytes) or 48-bit (0x20:
 * 6 bytes) time, then the EtherType of what follows.
 */
const SUBTYPE_TIMESTAMP = 1;

export const arista: Protocol = {
  name: 'arista',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    if (l.dv.getUint16(l.off) !== SUBTYPE_TIMESTAMP) return void (l.hdrEnd = l.off + 4);
    const len = 4 + ((l.dv.getUint16(l.off + 2) & 0xff) === 0x20 ? 6 : 8) + 2;
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.hdrEnd - 2), l.hdrEnd, l.end);
  },
  json: jsonRest((l) => ({ subtype: l.dv.getUint16(l.off), version: l.dv.getUint16(l.off + 2) })),
  summary: (_l, out) => out.str('Arista timestamp'),
};
