import { Table, type Protocol } from './packet.js';

/** PPPoE (RFC 2516): session stage (0x8864) carries PPP; discovery (0x8863) carries tags only. */
export const pppoe: Protocol = {
  name: 'pppoe',
  dissect(ctx, l) {
    if (!ctx.need(l, 6)) return;
    l.hdrEnd = l.off + 6;
    const len = l.dv.getUint16(l.off + 4);
    const end = Math.min(l.end, l.hdrEnd + len);
    const code = l.buf[l.off + 1];
    if (code === 0 && end - l.hdrEnd >= 2) ctx.handoff(l, Table.EtherType, 0x880b, l.hdrEnd, end);
  },
  fields: (l) => ({ code: l.buf[l.off + 1], session: l.dv.getUint16(l.off + 2), length: l.dv.getUint16(l.off + 4) }),
  summary: (l, out) => out.str(`PPPoE session ${l.dv.getUint16(l.off + 2)}`),
};
