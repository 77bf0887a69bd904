import { Table, type Protocol } from './packet.js';

/** Geneve (RFC 8926, UDP 6081): 8 bytes, options of (length x 4) bytes, then the payload named by an EtherType. */
export const geneve: Protocol = {
  name: 'geneve',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const len = 8 + (l.buf[l.off]! & 0x3f) * 4;
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + 2), l.hdrEnd, l.end);
  },
  fields: (l) => ({ vni: l.dv.getUint32(l.off + 4) >>> 8, protocolType: l.dv.getUint16(l.off + 2) }),
  summary: (l, out) => out.str(`Geneve vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
};
