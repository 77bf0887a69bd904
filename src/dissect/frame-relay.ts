import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * Frame Relay (link type 107): a Q.922 address of 2 to 4 bytes (the low bit
 * of its last byte is set), then either
 * RFC 2427 multiprotocol encapsulation (control 0x03 and an NLPID) or
 * Cisco's encapsulation (an EtherType).
 */
const NLPID_IPV4 = 0xcc;
const NLPID_IPV6 = 0x8e;
const NLPID_SNAP = 0x80;

export const frameRelay: Protocol = {
  name: 'fr',
  dissect(ctx, l) {
    let p = l.off;
    while (p < l.end && p < l.off + 4 && !(l.buf[p]! & 1)) p++;
    p++;
    if (!ctx.need(l, p - l.off + 2)) return;
    if (l.buf[p] !== 0x03) {
      l.hdrEnd = p + 2;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(p), l.hdrEnd, l.end);
      return;
    }
    let q = p + 1;
    if (l.buf[q] === 0x00) q++; // optional pad before the NLPID
    const nlpid = l.buf[q];
    l.hdrEnd = Math.min(q + 1, l.end);
    if (nlpid === NLPID_IPV4) ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
    else if (nlpid === NLPID_IPV6) ctx.handoff(l, Table.EtherType, 0x86dd, l.hdrEnd, l.end);
    else if (nlpid === NLPID_SNAP && q + 6 <= l.end) {
      l.hdrEnd = q + 6;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(q + 4), l.hdrEnd, l.end);
    }
  },
  json: jsonRest((l) => ({ dlci: ((l.buf[l.off]! >> 2) << 4) | (l.buf[l.off + 1]! >> 4) })),
  summary: () => {},
};
