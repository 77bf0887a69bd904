import type { Protocol } from './packet.js';

/**
 * ESP (RFC 4303): SPI and sequence number; the rest is ciphertext.
 * aux = 1 when the payload was opened (decrypted or NULL-encrypted) and the
 * layers that follow came out of it.
 */
export const esp: Protocol = {
  name: 'esp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    l.aux = 0;
  },
  fields: (l) => ({ spi: l.dv.getUint32(l.off), seq: l.dv.getUint32(l.off + 4) }),
  summary: (l) => `ESP spi 0x${l.dv.getUint32(l.off).toString(16).padStart(8, '0')} seq ${l.dv.getUint32(l.off + 4)}`,
};
