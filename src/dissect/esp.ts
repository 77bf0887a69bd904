import type { Protocol } from './packet.js';

/**
 * ESP (RFC 4303): SPI and sequence number; the rest is ciphertext.
 * aux = 1 when the payload was opened (decrypted or NULL-encrypted) and the
 * layers that follow came out of it.
 */
export const esp: Protocol = {
  name: 'esp',
  dissect(ctx, l) {
    l.aux = 0;
    if (!ctx.need(l, 8)) {
      // The SPI alone still names the security association.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
  },
  fields(l) {
    const o: Record<string, unknown> = { spi: l.dv.getUint32(l.off) };
    if (l.off + 8 <= l.end) o.seq = l.dv.getUint32(l.off + 4);
    return o;
  },
  summary: (l) => `ESP spi 0x${l.dv.getUint32(l.off).toString(16).padStart(8, '0')}${l.off + 8 <= l.end ? ` seq ${l.dv.getUint32(l.off + 4)}` : ''}`,
};
