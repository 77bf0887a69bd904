import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * GTP-U (3GPP TS 29.281, UDP 2152): the user-plane tunnel of mobile
 * networks. 8 bytes, 4 more when any of E/S/PN is set, then extension
 * headers; a T-PDU (message type 255) carries an IP packet.
 */
const T_PDU = 255;
const MAX_EXTENSIONS = 16;

export const gtp: Protocol = {
  name: 'gtp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const flags = l.buf[l.off]!;
    let p = l.off + 8;
    if (flags & 0x07) {
      if (!ctx.need(l, 12)) return;
      let next = l.buf[l.off + 11]!;
      p = l.off + 12;
      for (let n = 0; flags & 0x04 && next !== 0; n++) {
        if (n >= MAX_EXTENSIONS || p >= l.end) return void (l.hdrEnd = Math.min(p, l.end));
        const len = l.buf[p]! * 4;
        if (len === 0 || p + len > l.end) return void (l.hdrEnd = Math.min(p, l.end));
        next = l.buf[p + len - 1]!;
        p += len;
      }
    }
    l.hdrEnd = p;
    if (l.buf[l.off + 1] !== T_PDU || p >= l.end) return;
    const v = l.buf[p]! >> 4;
    if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, p, l.end);
  },
  json: jsonRest((l) => ({
    version: l.buf[l.off]! >> 5,
    messageType: l.buf[l.off + 1],
    teid: l.dv.getUint32(l.off + 4),
  })),
  summary: (l, out) => out.str(`GTP-U teid ${l.dv.getUint32(l.off + 4)}`),
};
