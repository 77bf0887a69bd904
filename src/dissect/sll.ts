import { hexBytes } from './addr.js';
import { Table, type Layer, type PacketCtx, type Protocol } from './packet.js';

/**
 * Linux cooked capture (what `-i any` gives): v1 (link type 113, 16 bytes)
 * and v2 (276, 20 bytes). The protocol field is an EtherType, except for the
 * few ARPHRD/LLC special values, which carry nothing we dissect.
 */
const ARPHRD_IPGRE = 778;
const ARPHRD_IP6GRE = 823;
const ARPHRD_NETLINK = 824;

function handoffProtocol(ctx: PacketCtx, l: Layer, arphrd: number, protocol: number): void {
  if (arphrd === ARPHRD_NETLINK) return;
  // A capture on a GRE device itself: the protocol field is the GRE protocol type.
  const table = arphrd === ARPHRD_IPGRE || arphrd === ARPHRD_IP6GRE ? Table.GreProto : Table.EtherType;
  if (protocol > 1500) ctx.handoff(l, table, protocol, l.hdrEnd, l.end);
}

export const sll: Protocol = {
  name: 'sll',
  dissect(ctx, l) {
    if (!ctx.need(l, 16)) return;
    l.hdrEnd = l.off + 16;
    handoffProtocol(ctx, l, l.dv.getUint16(l.off + 2), l.dv.getUint16(l.off + 14));
  },
  fields(l) {
    const alen = Math.min(l.dv.getUint16(l.off + 4), 8);
    return {
      version: 1, packetType: l.dv.getUint16(l.off), arphrd: l.dv.getUint16(l.off + 2),
      src: hexBytes(l.buf, l.off + 6, alen), type: l.dv.getUint16(l.off + 14),
    };
  },
  summary: () => {},
};

export const sll2: Protocol = {
  name: 'sll',
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    l.hdrEnd = l.off + 20;
    handoffProtocol(ctx, l, l.dv.getUint16(l.off + 8), l.dv.getUint16(l.off));
  },
  fields(l) {
    const alen = Math.min(l.buf[l.off + 11]!, 8);
    return {
      version: 2, packetType: l.buf[l.off + 10], arphrd: l.dv.getUint16(l.off + 8),
      ifindex: l.dv.getUint32(l.off + 4), src: hexBytes(l.buf, l.off + 12, alen), type: l.dv.getUint16(l.off),
    };
  },
  summary: () => {},
};
