import { Table, type Layer, type PacketCtx, type Protocol } from './packet.js';

/** VXLAN (RFC 7348, UDP 4789): 8-byte header with a 24-bit network identifier, then Ethernet. */
export const vxlan: Protocol = {
  name: 'vxlan',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
  },
  fields: (l) => ({ vni: l.dv.getUint32(l.off + 4) >>> 8 }),
  summary: (l, out) => out.str(`VXLAN vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
};

/** The "next protocol" numbers VXLAN-GPE and NSH share, as the EtherTypes we dispatch on. */
const NEXT_PROTOCOL_ETHERTYPES = [0, 0x0800, 0x86dd, 0x6558, 0x894f, 0x8847];

export function handoffNextProtocol(ctx: PacketCtx, l: Layer, next: number): void {
  const etherType = NEXT_PROTOCOL_ETHERTYPES[next];
  if (etherType) ctx.handoff(l, Table.EtherType, etherType, l.hdrEnd, l.end);
}

/** VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe, UDP 4790): VXLAN with a next-protocol field. */
export const vxlanGpe: Protocol = {
  name: 'vxlan-gpe',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    handoffNextProtocol(ctx, l, l.buf[l.off + 3]!);
  },
  fields: (l) => ({ vni: l.dv.getUint32(l.off + 4) >>> 8, nextProtocol: l.buf[l.off + 3] }),
  summary: (l, out) => out.str(`VXLAN-GPE vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
};
