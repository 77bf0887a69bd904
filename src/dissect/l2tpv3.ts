import type { Layer, Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * L2TPv3 (RFC 3931) over IP (protocol 115) and over UDP 1701 (which L2TPv2
 * shares: the version is the low 4 bits of the first word there).
 *
 * Over IP a data message is a 32-bit session ID (0 marks a control
 * message); over UDP it follows a flags-and-version word and a reserved
 * word. What follows a session ID, an optional cookie of 0, 4 or 8 bytes and
 * an optional L2-specific sublayer, is per-session configuration that no
 * data packet states: like tshark with its default "Detect" preferences, the
 * payload is not dissected further. aux: the session ID, or -1 for a
 * control message (and for L2TPv2).
 */
export const L2TP_PORT = 1701;
const T_BIT = 0x8000;

/** L2TP version: 3 over IP; from the header over UDP. */
export const l2tpVersion = (l: Layer): number => (l.proto === l2tpIp ? 3 : l.dv.getUint16(l.off) & 0x0f);
/** The data session ID, or -1 for a control message or L2TPv2. */
export const l2tpSessionId = (l: Layer): number => l.aux;

export const l2tpIp: Protocol = {
  name: 'l2tp',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    const sid = l.dv.getUint32(l.off);
    l.aux = sid === 0 ? -1 : sid;
    // A control message: the session ID 0, then the control header (flags, length, connection ID, Ns, Nr).
    l.hdrEnd = sid === 0 ? Math.min(l.end, l.off + 16) : l.off + 4;
  },
  json: jsonRest((l) => (l.aux >= 0 ? { version: 3, sessionId: l.aux } : { version: 3, control: true })),
  summary: (l, out) => (l.aux >= 0 ? out.str('L2TPv3 session ').hex(l.aux, 8) : out.str('L2TPv3 control')),
};

export const l2tpUdp: Protocol = {
  name: 'l2tp',
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    const flags = l.dv.getUint16(l.off);
    l.aux = -1;
    l.hdrEnd = l.off + 2;
    if ((flags & 0x0f) !== 3 || flags & T_BIT) return;
    if (!ctx.need(l, 8)) return;
    l.aux = l.dv.getUint32(l.off + 4);
    l.hdrEnd = l.off + 8;
  },
  json: jsonRest((l) => ({ version: l.dv.getUint16(l.off) & 0x0f, ...(l.aux >= 0 ? { sessionId: l.aux } : { control: (l.dv.getUint16(l.off) & T_BIT) !== 0 }) })),
  summary: (l, out) => {
    const v = l.dv.getUint16(l.off) & 0x0f;
    if (l.aux >= 0) out.str('L2TPv3 session ').hex(l.aux, 8);
    else out.str('L2TPv').num(v).str((l.dv.getUint16(l.off) & T_BIT) !== 0 ? ' control' : ' data');
  },
};
