import { Table, type Protocol } from './packet.js';
import { W } from './warnings.js';

/**
 * AH (RFC 4302): signs but does not encrypt, so dissection goes on into what
 * it protects. Length is in 32-bit words minus 2.
 */
export const ah: Protocol = {
  name: 'ah',
  dissect(ctx, l) {
    if (!ctx.need(l, 12)) return;
    const len = (l.buf[l.off + 1]! + 2) * 4;
    // SPI and sequence number were read; a lying length only stops us going further.
    l.hdrEnd = l.off + 12;
    if (len < 12) return ctx.warn(l, W.badLength, len, 12);
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.IpProto, l.buf[l.off]!, l.hdrEnd, l.end);
  },
  fields: (l) => ({
    nextHeader: l.buf[l.off], length: (l.buf[l.off + 1]! + 2) * 4, // in bytes
    spi: l.dv.getUint32(l.off + 4), seq: l.dv.getUint32(l.off + 8),
  }),
  summary: (l, out) => out.str(`AH spi 0x${l.dv.getUint32(l.off + 4).toString(16).padStart(8, '0')} seq ${l.dv.getUint32(l.off + 8)}`),
};
