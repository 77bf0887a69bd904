import type { Layer, Protocol } from './packet.js';
import { W } from './warnings.js';

/** TCP header and options; aux = the MSS option's value, or 0. The payload is not dissected. */
const FLAG_NAMES = 'FSRPAUEC';

/** The flags byte as letters ("." for none), for all 256 values. */
const FLAG_TEXTS = Array.from({ length: 256 }, (_, flags) => {
  let s = '';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += FLAG_NAMES[i];
  return s || '.';
});

export const tcpSrcPort = (l: Layer): number => l.dv.getUint16(l.off);
export const tcpDstPort = (l: Layer): number => l.dv.getUint16(l.off + 2);

export const tcp: Protocol = {
  name: 'tcp',
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    const hlen = (l.buf[l.off + 12]! >> 4) * 4;
    if (hlen < 20) return ctx.warn(l, W.badHeaderLength, hlen);
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    l.aux = 0;
    // Options: kind 0 ends, 1 pads, others carry a length; MSS is kind 2, length 4.
    for (let p = l.off + 20; p < l.hdrEnd; ) {
      const kind = l.buf[p]!;
      if (kind === 0) break;
      if (kind === 1) { p++; continue; }
      const len = p + 1 < l.hdrEnd ? l.buf[p + 1]! : 0;
      if (len < 2 || p + len > l.hdrEnd) {
        ctx.warn(l, W.badOptions);
        break;
      }
      if (kind === 2 && len === 4) l.aux = l.dv.getUint16(p + 2);
      p += len;
    }
  },
  fields(l) {
    const o: Record<string, unknown> = {
      srcPort: tcpSrcPort(l), dstPort: tcpDstPort(l), seq: l.dv.getUint32(l.off + 4), ack: l.dv.getUint32(l.off + 8),
      flags: FLAG_TEXTS[l.buf[l.off + 13]!], window: l.dv.getUint16(l.off + 14), payload: l.end - l.hdrEnd,
    };
    if (l.aux) o.mss = l.aux;
    return o;
  },
  jsonMembers(l, out) {
    out.str('"srcPort":').num(tcpSrcPort(l)).str(',"dstPort":').num(tcpDstPort(l)).str(',"seq":').num(l.dv.getUint32(l.off + 4))
      .str(',"ack":').num(l.dv.getUint32(l.off + 8)).str(',"flags":"').str(FLAG_TEXTS[l.buf[l.off + 13]!]!)
      .str('","window":').num(l.dv.getUint16(l.off + 14)).str(',"payload":').num(l.end - l.hdrEnd);
    if (l.aux) out.str(',"mss":').num(l.aux);
  },
  summary(l, out) {
    out.str('TCP ').num(tcpSrcPort(l)).str(' > ').num(tcpDstPort(l)).str(' [').str(FLAG_TEXTS[l.buf[l.off + 13]!]!).byte(0x5d);
    if (l.aux) out.str(' mss ').num(l.aux);
    // Always, as tcpdump: "length 0" is a pure ACK or SYN (MSS work reads these).
    out.str(' length ').num(Math.max(0, l.end - l.hdrEnd));
  },
};

