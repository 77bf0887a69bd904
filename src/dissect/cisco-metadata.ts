import { Table, type Protocol } from './packet.js';

/**
 * Cisco MetaData (TrustSec SGT tagging). In GRE (protocol type 0x8909) the
 * inner EtherType comes first: type(2) version(1) length(1) options(2) SGT(2).
 */
export const ciscoMetadata: Protocol = {
  name: 'cmd',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off), l.hdrEnd, l.end);
  },
  fields: (l) => ({ type: l.dv.getUint16(l.off), version: l.buf[l.off + 2], sgt: l.dv.getUint16(l.off + 6) }),
  summary: (l) => `CMD sgt ${l.dv.getUint16(l.off + 6)}`,
};
