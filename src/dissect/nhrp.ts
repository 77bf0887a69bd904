import { Table, type Protocol } from './packet.js';

/**
 * NHRP (RFC 2332), DMVPN's address resolution over GRE 0x2001: the fixed
 * header. Error Indication (7) and Traffic Indication (8) end with the
 * packet that caused them, which is dissected as a quoted packet (like the
 * one an ICMP error carries): after the fixed header, 8 bytes (protocol
 * address lengths, code, offset), the source NBMA address and subaddress
 * and the source and destination protocol addresses; it runs to the
 * extensions (or the NHRP length).
 */
const TYPE_NAMES: Record<number, string> = {
  1: 'Resolution Request', 2: 'Resolution Reply', 3: 'Registration Request', 4: 'Registration Reply',
  5: 'Purge Request', 6: 'Purge Reply', 7: 'Error Indication', 8: 'Traffic Indication',
};
const ERROR_INDICATION = 7;
const TRAFFIC_INDICATION = 8;
const FIXED = 20;

export const nhrp: Protocol = {
  name: 'nhrp',
  dissect(ctx, l) {
    if (!ctx.need(l, FIXED)) return;
    l.hdrEnd = l.off + FIXED;
    const type = l.buf[l.off + 17]!;
    if (type !== ERROR_INDICATION && type !== TRAFFIC_INDICATION) return;
    const mandatory = l.off + FIXED;
    if (mandatory + 8 > l.end) return;
    const nbma = (l.buf[l.off + 18]! & 0x3f) + (l.buf[l.off + 19]! & 0x3f);
    const quoted = mandatory + 8 + nbma + l.buf[mandatory]! + l.buf[mandatory + 1]!;
    const extensions = l.dv.getUint16(l.off + 10);
    const length = l.dv.getUint16(l.off + 8);
    const end = Math.min(l.end, l.off + (extensions || length || l.end - l.off));
    if (quoted >= end) return;
    l.hdrEnd = quoted;
    ctx.quoted = true;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + 2), quoted, end);
  },
  fields: (l) => ({
    afn: l.dv.getUint16(l.off), protocolType: l.dv.getUint16(l.off + 2), hopCount: l.buf[l.off + 7],
    length: l.dv.getUint16(l.off + 8), version: l.buf[l.off + 16], type: l.buf[l.off + 17],
  }),
  summary: (l, out) => out.str(`NHRP ${TYPE_NAMES[l.buf[l.off + 17]!] ?? `type ${l.buf[l.off + 17]}`}`),
};
