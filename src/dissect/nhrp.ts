import { Table, type Protocol } from './packet.js';

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

/**
 * WCCP redirection over GRE 0x883E: WCCPv2 puts a 4-byte redirect header
 * before the IP packet, WCCPv1 does not; an IPv4 version nibble tells which.
 */
export const wccp: Protocol = {
  name: 'wccp',
  dissect(ctx, l) {
    if (!ctx.need(l, 1)) return;
    const bareIp = l.buf[l.off]! >> 4 === 4;
    l.hdrEnd = bareIp ? l.off : l.off + 4;
    if (l.hdrEnd > l.end) return void ctx.need(l, 4);
    ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
  },
  fields: (l) => (l.hdrEnd > l.off ? { redirect: l.dv.getUint32(l.off) } : {}),
  summary: () => 'WCCP',
};

/** Payloads we name but do not dissect (IPX, AppleTalk): shown as data. */
function named(name: string, label: string): Protocol {
  return {
    name,
    dissect(_ctx, l) {
      l.hdrEnd = l.off;
    },
    fields: (l) => ({ length: l.end - l.off }),
    summary: (l) => `${label} ${l.end - l.off} bytes`,
  };
}

export const ipx = named('ipx', 'IPX');
export const appletalk = named('appletalk', 'AppleTalk');
