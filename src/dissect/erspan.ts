import { Table, type Protocol } from './packet.js';
import { GRE_S } from './gre.js';
import { W } from './warnings.js';

/**
 * ERSPAN, Cisco's remote SPAN over GRE (draft-foschiano-erspan):
 * type I  = GRE 0x88BE without a sequence number: no header, Ethernet follows;
 * type II = GRE 0x88BE with a sequence number: 8-byte header (version 1);
 * type III = GRE 0x22EB: 12-byte header (version 2), 8 more with the O flag,
 *            and a frame type (0 Ethernet, 2 IP).
 * GRE hands its flags as the layer's hint. Without them (a capture on a
 * Linux ipgre device, where the cooked header gives only the protocol type),
 * a 0x88BE payload whose first nibble is not version 1 is type I.
 * aux = the ERSPAN type (1, 2 or 3).
 */
export const erspan: Protocol = {
  name: 'erspan',
  dissect(ctx, l) {
    const typeOne = l.key === 0x88be && (l.hint >= 0 ? !(l.hint & GRE_S) : l.off < l.end && l.buf[l.off]! >> 4 !== 1);
    if (typeOne) {
      l.aux = 1;
      l.hdrEnd = l.off;
      ctx.handoff(l, Table.EtherType, 0x6558, l.off, l.end);
      return;
    }
    if (!ctx.need(l, 8)) return;
    const version = l.dv.getUint8(l.off) >> 4;
    if (version === 1) {
      l.aux = 2;
      l.hdrEnd = l.off + 8;
      ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
      return;
    }
    if (version !== 2) return ctx.warn(l, W.badVersion, version);
    l.aux = 3;
    // A cut type III header keeps what its first 8 bytes say (version, session).
    if (!ctx.need(l, 12)) return void (l.hdrEnd = l.end);
    const w3 = l.dv.getUint16(l.off + 10);
    const hasPlatform = (w3 & 1) !== 0;
    const len = hasPlatform ? 20 : 12;
    if (!ctx.need(l, len)) return void (l.hdrEnd = l.end);
    l.hdrEnd = l.off + len;
    const frameType = (w3 >> 10) & 0x1f;
    if (frameType === 0) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
    else if (frameType === 2 && l.hdrEnd < l.end) {
      const v = l.buf[l.hdrEnd]! >> 4;
      if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, l.hdrEnd, l.end);
    }
  },
  fields(l) {
    if (l.aux === 1) return { type: 1 };
    const w0 = l.dv.getUint16(l.off);
    const w1 = l.dv.getUint16(l.off + 2);
    const o: Record<string, unknown> = {
      type: l.aux, version: w0 >> 12, vlan: w0 & 0x0fff, cos: w1 >> 13, sessionId: w1 & 0x03ff,
    };
    if (l.aux === 2) o.index = l.dv.getUint32(l.off + 4) & 0xfffff;
    else if (l.off + 12 <= l.end) {
      o.timestamp = l.dv.getUint32(l.off + 4);
      o.sgt = l.dv.getUint16(l.off + 8);
      o.frameType = (l.dv.getUint16(l.off + 10) >> 10) & 0x1f;
      o.hwId = (l.dv.getUint16(l.off + 10) >> 4) & 0x3f;
    }
    return o;
  },
  summary(l, out) {
    if (l.aux === 1) out.str('ERSPAN-I');
    else out.str(l.aux === 2 ? 'ERSPAN-II session ' : 'ERSPAN-III session ').num(l.dv.getUint16(l.off + 2) & 0x03ff);
  },
};
