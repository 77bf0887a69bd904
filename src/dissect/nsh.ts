import type { Protocol } from './packet.js';
import { handoffNextProtocol } from './vxlan.js';
import { jsonRest } from './json.js';

/** Network Service Header (RFC 8300, EtherType 0x894F): length in 4-byte words, then the next protocol. */
export const nsh: Protocol = {
  name: 'nsh',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const len = (l.dv.getUint16(l.off) & 0x3f) * 4;
    if (len < 8 || !ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    handoffNextProtocol(ctx, l, l.buf[l.off + 3]!);
  },
  json: jsonRest((l) => ({
    spi: l.dv.getUint32(l.off + 4) >>> 8,
    si: l.buf[l.off + 7],
    nextProtocol: l.buf[l.off + 3],
  })),
  summary: (l, out) => out.str(`NSH spi ${l.dv.getUint32(l.off + 4) >>> 8} si ${l.buf[l.off + 7]}`),
};
