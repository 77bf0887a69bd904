import { Table, type Protocol } from './packet.js';
import { isRegistered } from './registry.js';
import { W } from './warnings.js';

/** UDP: the payload goes to the protocol registered on the lower port first, as Wireshark tries them. */
export const udp: Protocol = {
  name: 'udp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) {
      // The ports were read; what carries them is unknown.
      if (l.end - l.off >= 4) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 8;
    const len = l.dv.getUint16(l.off + 4);
    let end = l.end;
    if (len >= 8 && l.off + len <= l.end) end = l.off + len;
    else if (len < 8 || (!l.short && !l.quoted)) ctx.warn(l, W.badLength, len, l.end - l.off);
    l.end = end;
    const src = l.dv.getUint16(l.off);
    const dst = l.dv.getUint16(l.off + 2);
    const [lo, hi] = src < dst ? [src, dst] : [dst, src];
    if (isRegistered(Table.UdpPort, lo)) ctx.handoff(l, Table.UdpPort, lo, l.hdrEnd, end);
    else if (isRegistered(Table.UdpPort, hi)) ctx.handoff(l, Table.UdpPort, hi, l.hdrEnd, end);
  },
  fields(l) {
    const o: Record<string, unknown> = { srcPort: l.dv.getUint16(l.off), dstPort: l.dv.getUint16(l.off + 2) };
    if (l.off + 6 <= l.end) o.length = l.dv.getUint16(l.off + 4);
    return o;
  },
  jsonMembers(l, out) {
    out.str('"srcPort":').num(l.dv.getUint16(l.off)).str(',"dstPort":').num(l.dv.getUint16(l.off + 2));
    if (l.off + 6 <= l.end) out.str(',"length":').num(l.dv.getUint16(l.off + 4));
  },
  summary: (l, out) => out.str('UDP ').num(l.dv.getUint16(l.off)).str(' > ').num(l.dv.getUint16(l.off + 2)),
};
