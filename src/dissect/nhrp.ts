import type { Protocol } from './packet.js';

/** NHRP (RFC 2332), DMVPN's address resolution over GRE 0x2001: the fixed header. */
const TYPE_NAMES: Record<number, string> = {
  1: 'Resolution Request', 2: 'Resolution Reply', 3: 'Registration Request', 4: 'Registration Reply',
  5: 'Purge Request', 6: 'Purge Reply', 7: 'Error Indication', 8: 'Traffic Indication',
};

export const nhrp: Protocol = {
  name: 'nhrp',
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    l.hdrEnd = l.off + 20;
  },
  fields: (l) => ({
    afn: l.dv.getUint16(l.off), protocolType: l.dv.getUint16(l.off + 2), hopCount: l.buf[l.off + 7],
    length: l.dv.getUint16(l.off + 8), version: l.buf[l.off + 16], type: l.buf[l.off + 17],
  }),
  summary: (l) => `NHRP ${TYPE_NAMES[l.buf[l.off + 17]!] ?? `type ${l.buf[l.off + 17]}`}`,
};
