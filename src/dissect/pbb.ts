import { mac } from './addr.js';
import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/** Provider backbone bridging (802.1ah, EtherType 0x88E7): an I-TAG, then the customer's Ethernet frame. */
export const pbb: Protocol = {
  name: 'pbb',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  json: jsonRest((l) => ({ isid: l.dv.getUint32(l.off) & 0xffffff })),
  summary: (l, out) =>
    out.str(
      `PBB isid ${l.dv.getUint32(l.off) & 0xffffff}${l.off + 16 <= l.end ? ` ${mac(l.buf, l.off + 10)} > ${mac(l.buf, l.off + 4)}` : ''}`,
    ),
};
