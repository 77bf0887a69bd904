import type { Layer, Protocol } from './packet.js';
import { W } from './warnings.js';

/** TCP header and options; aux = the MSS option's value, or 0. The payload is not dissected. */
const FLAG_NAMES = 'FSRPAUEC';

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
      flags: flagText(l.buf[l.off + 13]!), window: l.dv.getUint16(l.off + 14), payload: l.end - l.hdrEnd,
    };
    if (l.aux) o.mss = l.aux;
    return o;
  },
  jsonMembers(l) {
    const s = `"srcPort":${tcpSrcPort(l)},"dstPort":${tcpDstPort(l)},"seq":${l.dv.getUint32(l.off + 4)},"ack":${l.dv.getUint32(l.off + 8)},`
      + `"flags":"${flagText(l.buf[l.off + 13]!)}","window":${l.dv.getUint16(l.off + 14)},"payload":${l.end - l.hdrEnd}`;
    return l.aux ? `${s},"mss":${l.aux}` : s;
  },
  summary(l) {
    let s = `TCP ${tcpSrcPort(l)} > ${tcpDstPort(l)} [${flagText(l.buf[l.off + 13]!)}]`;
    if (l.aux) s += ` mss ${l.aux}`;
    const n = l.end - l.hdrEnd;
    return n > 0 ? `${s} length ${n}` : s;
  },
};

function flagText(flags: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += FLAG_NAMES[i];
  return s || '.';
}
