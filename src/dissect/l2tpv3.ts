import { hexBytes } from './addr.js';
import { jsonRest } from './json.js';
import { Table, type Layer, type PacketCtx, type Protocol } from './packet.js';
import type { TextOut } from '../output/text-out.js';

/**
 * L2TPv3 (RFC 3931) over IP (protocol 115) and over UDP 1701 (which L2TPv2
 * shares: the version is the low 4 bits of the first word there).
 *
 * Over IP a data message is a 32-bit session ID (0 marks a control
 * message); over UDP it follows a flags-and-version word and a reserved
 * word. What follows a session ID, a cookie of 0, 4 or 8 bytes, an optional
 * L2-specific sublayer and the pseudowire's frame, is per-session
 * configuration that no data packet states. It is learnt as Wireshark's
 * "Detect" preferences learn it: from the session's set-up (ICRQ/ICRP,
 * OCRQ/OCRP), where each side gives its Local Session ID, the cookie it
 * expects (Assigned Cookie: its length is the cookie's) and the sublayer it
 * requires, and the initiator the pseudowire type. A session whose set-up
 * was not seen has no cookie and no sublayer, and its payload is left
 * undissected, as tshark does. aux: the session ID, or -1 for a control
 * message (and for L2TPv2); aux2: the cookie's length.
 */
export const L2TP_PORT = 1701;
const T_BIT = 0x8000;

const MSG_OCRQ = 7;
const MSG_OCRP = 8;
const MSG_ICRQ = 10;
const MSG_ICRP = 11;
const AVP_MESSAGE_TYPE = 0;
const AVP_LOCAL_SESSION = 63;
const AVP_REMOTE_SESSION = 64;
const AVP_ASSIGNED_COOKIE = 65;
const AVP_PW_TYPE = 68;
const AVP_L2_SUBLAYER = 69;
/** Pseudowire types carrying Ethernet (RFC 4719): Ethernet VLAN, Ethernet. */
const PW_ETHERNET_VLAN = 4;
const PW_ETHERNET = 5;
/** L2-Specific Sublayer AVP values with a 4-byte sublayer: default (RFC 3931), ATM (RFC 4454), DOCSIS DMPT (RFC 4951 type 3). */
const SUBLAYER_BYTES = [0, 4, 4, 4];
/** Sessions remembered: set-ups are rare, a flood of made-up ones stops here. */
const MAX_SESSIONS = 4096;

/** A session's data layout, packed in one number: cookie length, sublayer, pseudowire type. */
const pack = (cookie: number, sublayer: number, pw: number) => cookie | (sublayer << 4) | (pw << 8);

/** What the set-up of each session said, by the session ID data sent to it carries (see above). */
export class L2tpSessions {
  private readonly byId = new Map<number, number>();

  /** The packed layout of a session, or -1 when its set-up was not seen. */
  layout(sid: number): number {
    return this.byId.get(sid) ?? -1;
  }

  /** A control message's AVPs from off to end (after the control header). */
  learn(l: Layer, off: number, end: number): void {
    let msg = -1;
    let local = -1;
    let remote = -1;
    let cookie = 0;
    let sublayer = -1;
    let pw = -1;
    while (off + 6 <= end) {
      const len = l.dv.getUint16(off) & 0x03ff;
      if (len < 6 || off + len > end) return;
      const vendor = l.dv.getUint16(off + 2);
      const type = l.dv.getUint16(off + 4);
      const v = off + 6;
      const hidden = (l.buf[off]! & 0x40) !== 0;
      if (vendor === 0 && !hidden) {
        if (type === AVP_MESSAGE_TYPE && len >= 8) msg = l.dv.getUint16(v);
        else if (type === AVP_LOCAL_SESSION && len >= 10) local = l.dv.getUint32(v);
        else if (type === AVP_REMOTE_SESSION && len >= 10) remote = l.dv.getUint32(v);
        else if (type === AVP_ASSIGNED_COOKIE) cookie = len - 6;
        else if (type === AVP_PW_TYPE && len >= 8) pw = l.dv.getUint16(v);
        else if (type === AVP_L2_SUBLAYER && len >= 8) sublayer = l.dv.getUint16(v);
      }
      off += len;
    }
    if (local <= 0 || (cookie !== 0 && cookie !== 4 && cookie !== 8)) return;
    if (msg === MSG_ICRQ || msg === MSG_OCRQ) this.set(local, cookie, sublayer < 0 ? 0 : sublayer, pw < 0 ? 0 : pw);
    else if (msg === MSG_ICRP || msg === MSG_OCRP) {
      // The reply's side: the initiator's pseudowire type, and its sublayer unless the reply names one (as Wireshark reads them).
      const initiator = remote > 0 ? this.layout(remote) : -1;
      const theirs = initiator < 0 ? 0 : initiator;
      this.set(local, cookie, sublayer >= 0 ? sublayer : (theirs >> 4) & 0x0f, theirs >> 8);
    }
  }

  private set(sid: number, cookie: number, sublayer: number, pw: number): void {
    if (!this.byId.has(sid) && this.byId.size >= MAX_SESSIONS) return;
    this.byId.set(sid, pack(cookie, sublayer < SUBLAYER_BYTES.length ? sublayer : 0, pw & 0xffff));
  }
}

/** A data message's session ID at sidAt: its cookie and sublayer skipped, the pseudowire's frame handed on. */
function dataMessage(ctx: PacketCtx, l: Layer, sidAt: number): void {
  const sid = l.dv.getUint32(sidAt);
  l.aux = sid;
  l.hdrEnd = sidAt + 4;
  const layout = ctx.state.l2tp.layout(sid);
  if (layout < 0) return;
  const cookie = layout & 0x0f;
  const skip = cookie + SUBLAYER_BYTES[(layout >> 4) & 0x0f]!;
  if (!ctx.need(l, l.hdrEnd - l.off + skip)) return;
  l.aux2 = cookie;
  l.hdrEnd += skip;
  const pw = layout >> 8;
  if (pw === PW_ETHERNET || pw === PW_ETHERNET_VLAN) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
}

/** A control message whose flags word is at at: its AVPs, for the sessions they set up. */
function controlMessage(ctx: PacketCtx, l: Layer, at: number): void {
  if (l.end - at < 12) return;
  const flags = l.dv.getUint16(at);
  // Length and sequence bits are set on every L2TPv3 control message (RFC 3931 3.2.1).
  if ((flags & 0xc800) !== 0xc800) return;
  const length = l.dv.getUint16(at + 2);
  if (length < 12 || at + length > l.end) return;
  ctx.state.l2tp.learn(l, at + 12, at + length);
}

/** The data session ID, or -1 for a control message or L2TPv2. */
export const l2tpSessionId = (l: Layer): number => l.aux;

/** The cookie, as hex, where the session's set-up gave one: right after the session ID. */
function cookieField(l: Layer): { cookie?: string } {
  if (l.aux2 <= 0) return {};
  const at = (l.proto === l2tpIp ? l.off : l.off + 4) + 4;
  return { cookie: hexBytes(l.buf, at, l.aux2) };
}

/** "L2TPv3 session" (a data message), "L2TPv3 control". */
const l2tpIpLabel = (l: Layer): string => (l.aux >= 0 ? 'L2TPv3 session' : 'L2TPv3 control');

/** Over UDP, also L2TPv2 ("L2TPv2 control", "L2TPv2 data"), which is not read further. */
const l2tpUdpLabel = (l: Layer): string =>
  l.aux >= 0
    ? 'L2TPv3 session'
    : `L2TPv${l.dv.getUint16(l.off) & 0x0f} ${(l.dv.getUint16(l.off) & T_BIT) !== 0 ? 'control' : 'data'}`;

export const l2tpIp: Protocol = {
  name: 'l2tp',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.aux2 = 0;
    if (l.dv.getUint32(l.off) !== 0) return dataMessage(ctx, l, l.off);
    l.aux = -1;
    // A control message: the session ID 0, then the control header (flags, length, connection ID, Ns, Nr).
    l.hdrEnd = Math.min(l.end, l.off + 16);
    controlMessage(ctx, l, l.off + 4);
  },
  json: jsonRest((l) =>
    l.aux >= 0 ? { version: 3, sessionId: l.aux, ...cookieField(l) } : { version: 3, control: true },
  ),
  label: l2tpIpLabel,
  summary: (l, out) => withSession(l2tpIpLabel(l), l, out),
};

export const l2tpUdp: Protocol = {
  name: 'l2tp',
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    const flags = l.dv.getUint16(l.off);
    l.aux = -1;
    l.aux2 = 0;
    l.hdrEnd = l.off + 2;
    if ((flags & 0x0f) !== 3) return;
    if (flags & T_BIT) return controlMessage(ctx, l, l.off);
    if (!ctx.need(l, 8)) return;
    dataMessage(ctx, l, l.off + 4);
  },
  json: jsonRest((l) => ({
    version: l.dv.getUint16(l.off) & 0x0f,
    ...(l.aux >= 0 ? { sessionId: l.aux, ...cookieField(l) } : { control: (l.dv.getUint16(l.off) & T_BIT) !== 0 }),
  })),
  label: l2tpUdpLabel,
  summary: (l, out) => withSession(l2tpUdpLabel(l), l, out),
};

/** The label, and a data session's ID after it. */
function withSession(label: string, l: Layer, out: TextOut): void {
  out.str(label);
  if (l.aux >= 0) out.byte(0x20).hex(l.aux, 8);
}
