import { detectNullEsp } from '../ipsec/esp-null.js';
import { Table, type Protocol } from './packet.js';

/**
 * ESP (RFC 4303): SPI and sequence number; the rest is ciphertext, unless
 * the NULL-encryption heuristic finds a clear payload, which is then
 * dissected (its layers are marked fromEsp).
 * aux: 0 opaque, 1 NULL-encrypted (payload read); aux2: the ICV length found.
 */
export const ESP_OPAQUE = 0;
export const ESP_NULL = 1;

export const esp: Protocol = {
  name: 'esp',
  dissect(ctx, l) {
    l.aux = ESP_OPAQUE;
    if (!ctx.need(l, 8)) {
      // The SPI alone still names the security association.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
    if (l.short || l.quoted) return;
    const found = detectNullEsp(l.buf, l.dv, l.hdrEnd, l.end);
    if (!found) return;
    l.aux = ESP_NULL;
    l.aux2 = found.icvLength;
    ctx.fromEsp = true;
    ctx.handoff(l, Table.IpProto, found.nextHeader, l.hdrEnd, found.payloadEnd);
  },
  fields(l) {
    const o: Record<string, unknown> = { spi: l.dv.getUint32(l.off) };
    if (l.off + 8 <= l.end) o.seq = l.dv.getUint32(l.off + 4);
    if (l.aux === ESP_NULL) {
      o.encryption = 'null';
      o.icvLength = l.aux2;
    }
    return o;
  },
  summary(l) {
    let s = `ESP spi 0x${l.dv.getUint32(l.off).toString(16).padStart(8, '0')}`;
    if (l.off + 8 <= l.end) s += ` seq ${l.dv.getUint32(l.off + 4)}`;
    return l.aux === ESP_NULL ? `${s} (NULL encryption)` : s;
  },
};
