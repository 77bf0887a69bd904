import { ipv4, mac } from './addr.js';
import type { Protocol } from './packet.js';

/** ARP for Ethernet and IPv4 (the only kind tunnels carry); other kinds show the header only. */
export const arp: Protocol = {
  name: 'arp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const hlen = l.buf[l.off + 4]!;
    const plen = l.buf[l.off + 5]!;
    if (!ctx.need(l, 8 + 2 * (hlen + plen))) return;
    l.hdrEnd = l.off + 8 + 2 * (hlen + plen);
  },
  fields(l) {
    const o: Record<string, unknown> = { opcode: l.dv.getUint16(l.off + 6) };
    if (isEthernetIpv4(l.buf, l.off)) {
      o.senderMac = mac(l.buf, l.off + 8);
      o.senderIp = ipv4(l.buf, l.off + 14);
      o.targetMac = mac(l.buf, l.off + 18);
      o.targetIp = ipv4(l.buf, l.off + 24);
    }
    return o;
  },
  summary(l, out) {
    const op = l.dv.getUint16(l.off + 6);
    const ethernetIpv4 = isEthernetIpv4(l.buf, l.off);
    if (ethernetIpv4 && op === 1) out.str('ARP who-has ').ipv4(l.buf, l.off + 24).str(' tell ').ipv4(l.buf, l.off + 14);
    else if (ethernetIpv4 && op === 2) out.str('ARP reply ').ipv4(l.buf, l.off + 14).str(' is-at ').mac(l.buf, l.off + 8);
    else out.str('ARP opcode ').num(op);
  },
};

function isEthernetIpv4(buf: Uint8Array, off: number): boolean {
  return buf[off + 4] === 6 && buf[off + 5] === 4 && buf[off] === 0 && buf[off + 1] === 1;
}
