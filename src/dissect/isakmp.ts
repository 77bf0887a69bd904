import { hexBytes } from './addr.js';
import { Table, type Protocol } from './packet.js';

/** IKE / ISAKMP (RFC 2408, RFC 7296) fixed header on UDP 500 and, after the non-ESP marker, 4500. */
const EXCHANGES: Record<number, string> = {
  1: 'Base', 2: 'Identity Protection', 3: 'Authentication Only', 4: 'Aggressive', 5: 'Informational',
  6: 'Transaction (Config Mode)', 32: 'Quick Mode', 33: 'New Group Mode',
  34: 'IKE_SA_INIT', 35: 'IKE_AUTH', 36: 'CREATE_CHILD_SA', 37: 'INFORMATIONAL', 43: 'IKE_INTERMEDIATE', 44: 'IKE_FOLLOWUP_KE',
};

export const isakmp: Protocol = {
  name: 'isakmp',
  dissect(ctx, l) {
    if (!ctx.need(l, 28)) return;
    l.hdrEnd = l.off + 28;
  },
  fields(l) {
    const flags = l.buf[l.off + 19]!;
    return {
      initiatorSpi: hexBytes(l.buf, l.off, 8), responderSpi: hexBytes(l.buf, l.off + 8, 8),
      nextPayload: l.buf[l.off + 16], version: `${l.buf[l.off + 17]! >> 4}.${l.buf[l.off + 17]! & 0xf}`,
      exchangeType: l.buf[l.off + 18], flags, messageId: l.dv.getUint32(l.off + 20), length: l.dv.getUint32(l.off + 24),
    };
  },
  summary(l, out) {
    const ex = l.buf[l.off + 18]!;
    out.str('IKEv').num(l.buf[l.off + 17]! >> 4).byte(0x20);
    if (EXCHANGES[ex] !== undefined) out.str(EXCHANGES[ex]);
    else out.str('exchange ').num(ex);
    // IKEv2's flags say who sends it and whether it answers (RFC 7296 3.1), as tshark shows them.
    if (l.buf[l.off + 17]! >> 4 === 2) {
      const flags = l.buf[l.off + 19]!;
      out.str(flags & 0x08 ? ' Initiator' : ' Responder').str(flags & 0x20 ? ' Response' : ' Request');
    }
  },
};

/**
 * UDP 4500 (RFC 3948): a single 0xFF byte is a NAT keepalive, four zero
 * bytes (the non-ESP marker) precede IKE, anything else is ESP.
 * aux: 0 ESP, 1 IKE, 2 keepalive.
 */
export const natt: Protocol = {
  name: 'natt',
  dissect(ctx, l) {
    l.hdrEnd = l.off;
    const n = l.end - l.off;
    if (n === 1 && l.buf[l.off] === 0xff) {
      l.aux = 2;
      l.hdrEnd = l.end;
      return;
    }
    if (n >= 4 && l.dv.getUint32(l.off) === 0) {
      l.aux = 1;
      l.hdrEnd = l.off + 4;
      ctx.handoff(l, Table.UdpPort, 500, l.hdrEnd, l.end);
      return;
    }
    l.aux = 0;
    ctx.handoff(l, Table.IpProto, 50, l.off, l.end);
  },
  fields: (l) => ({ kind: ['esp', 'ike', 'keepalive'][l.aux] }),
  summary: (l, out) => out.str((l.aux === 2 ? 'NAT-keepalive' : '')),
};
