import { Table, type Protocol } from './packet.js';

/**
 * WCCP redirection over GRE 0x883E: WCCPv2 puts a 4-byte redirect header
 * before the IP packet, WCCPv1 does not; an IPv4 version nibble tells which.
 */
export const wccp: Protocol = {
  name: 'wccp',
  dissect(ctx, l) {
    if (!ctx.need(l, 1)) return;
    const bareIp = l.buf[l.off]! >> 4 === 4;
    if (!bareIp && !ctx.need(l, 4)) return;
    l.hdrEnd = bareIp ? l.off : l.off + 4;
    ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
  },
  fields: (l) => (l.hdrEnd > l.off ? { redirect: l.dv.getUint32(l.off) } : {}),
  summary: (_l, out) => out.str('WCCP'),
};
