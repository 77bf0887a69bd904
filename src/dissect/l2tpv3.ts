import { hexBytes } from './addr.js';
import {
  declareFields,
  fields,
  hexThenText,
  protocolField,
  Values,
  visitText,
  type Field,
  type FieldReader,
  type FieldSpec,
} from './field.js';
import { jsonMembers } from './json.js';
import {
  AVP_CONTROL_MESSAGE,
  avpHidden,
  avpLength,
  avpList,
  avpType,
  avpUndecoded,
  avpVendor,
  isPwList,
  MESSAGE_SHORT_NAMES,
  PW_LIST_TITLE,
  PW_TYPES,
  VENDOR_IETF,
} from './l2tp-avp.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import type { TextOut } from '../util/text-out.js';

/**
 * L2TPv3 (RFC 3931) over IP (protocol 115) and over UDP 1701 (which L2TPv2
 * shares: the version is the low 4 bits of the first word there). Control
 * messages of both are AVPs (l2tp-avp.ts); an L2TPv2 data message carries PPP.
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
 * message (and for L2TPv2); aux2: the cookie's length, the sublayer's
 * type (the L2-Specific Sublayer AVP's value) times 16, and the pseudowire
 * type times 256.
 */
export const L2TP_PORT = 1701;
const T_BIT = 0x8000;
const L_BIT = 0x4000;
const S_BIT = 0x0800;
const O_BIT = 0x0200;
const P_BIT = 0x0100;
/** A control message of its header alone (12 bytes): a zero-length body, the acknowledgement (ZLB). */
const ZLB_LENGTH = 12;
/** What an L2TPv2 data message carries: PPP, handed on by its EtherType. */
const PPP_ETHERTYPE = 0x880b;

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
/**
 * L2-Specific Sublayer AVP values with a 4-byte sublayer: default (RFC 3931), ATM (RFC 4454), DOCSIS DMPT (RFC 4951
 * type 3).
 */
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
      // The reply's side: the initiator's pseudowire type, and its sublayer unless the reply names one (as Wireshark
      // reads them).
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
  // The session's layout is known even where the capture cuts the message (its fields read what is there).
  l.aux2 = layout;
  if (!ctx.need(l, l.hdrEnd - l.off + skip)) return;
  l.hdrEnd += skip;
  const pw = layout >> 8;
  if (pw === PW_ETHERNET || pw === PW_ETHERNET_VLAN) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
}

/** An L2TPv2 data message: the PPP frame it carries (RFC 2661 5.1), within its length where the L bit gives one. */
function v2Data(ctx: PacketCtx, l: Layer): void {
  const end = v2HeaderEnd(l);
  if (!ctx.need(l, end - l.off)) return;
  l.hdrEnd = end;
  const stop = l.dv.getUint16(l.off) & L_BIT ? Math.min(l.end, l.off + l.dv.getUint16(l.off + 2)) : l.end;
  if (end < stop) ctx.handoff(l, Table.EtherType, PPP_ETHERTYPE, end, stop);
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

/** An AVP whose length is under 6 or runs past the message ends the walk: the packet is malformed, as tshark says. */
function checkAvps(ctx: PacketCtx, l: Layer): void {
  // A quote in an ICMP error is short by design.
  if (l.quoted || !avpsHere(l)) return;
  const end = avpEnd(l);
  for (let p = avpStart(l); p < end; ) {
    const len = p + 6 <= end ? avpLength(l, p) : 0;
    if (len < 6 || p + len > end) {
      if (p + len > l.end && l.short) ctx.warn(l, W.truncated, p + len - l.off, l.end - l.off);
      else ctx.warn(l, W.l2tpBadAvp, len, end - p);
      return;
    }
    p += len;
  }
}

/** The data session ID, or -1 for a control message or L2TPv2. */
export const l2tpSessionId = (l: Layer): number => l.aux;

/** An L2TPv2 data message's tunnel ID (high 16 bits) and session ID (low 16), where captured; -1 otherwise. */
export function l2tpV2Ids(l: Layer): number {
  if (l.proto !== l2tpUdp || l.off + 2 > l.end || !isV2(l) || l.dv.getUint16(l.off) & T_BIT) return -1;
  const at = v2Word(l, 1);
  return at + 4 <= l.end ? l.dv.getUint32(at) : -1;
}

const cookieLength = (l: Layer): number => l.aux2 & 0x0f;
const sublayerType = (l: Layer): number => (l.aux2 >> 4) & 0x0f;
/** The session's pseudowire type, as its set-up said (0, Wireshark's unknown, where it was not seen). */
const pwType = (l: Layer): number => l.aux2 >> 8;
/** Where a data message's session ID is: first over IP, after the flags and reserved words over UDP. */
const sidAt = (l: Layer): number => (l.proto === l2tpIp ? l.off : l.off + 4);
/**
 * Where the flags word is: after the zero session ID of a control message over IP, first over UDP; -1 for data over IP.
 */
const flagsAt = (l: Layer): number => (l.proto !== l2tpIp ? l.off : l.aux < 0 ? l.off + 4 : -1);
/** An L2TPv3 control message: over IP its session ID 0 says so (whatever its flags say, as tshark reads it). */
const isV3Control = (l: Layer): boolean => {
  const p = flagsAt(l);
  if (p < 0 || p + 2 > l.end) return false;
  return l.proto === l2tpIp || (l.dv.getUint16(p) & (T_BIT | 0x0f)) === (T_BIT | 3);
};
const isV2 = (l: Layer): boolean => l.proto !== l2tpIp && (l.dv.getUint16(l.off) & 0x0f) === 2;

/** A number of `size` bytes at `at(l)` (-1: absent), where it was captured. */
const numberAt =
  (at: (l: Layer) => number, size: 1 | 2 | 3 | 4): FieldReader =>
  (l, v) => {
    const p = at(l);
    if (p < 0 || p + size > l.end) return;
    const n =
      size === 1
        ? l.buf[p]!
        : size === 2
          ? l.dv.getUint16(p)
          : size === 4
            ? l.dv.getUint32(p)
            : l.dv.getUint32(p - 1) & 0xffffff;
    v.num(n, l.buf, p, size);
  };
const flagsWord = numberAt(flagsAt, 2);
/** Reads a field through `word`, keeping what `pick` makes of the number read. */
const picked =
  (word: FieldReader, pick: (n: number) => number): FieldReader =>
  (l, v, ctx) => {
    const n = v.n;
    word(l, v, ctx);
    if (v.n > n) v.nums[n] = pick(v.nums[n]!);
  };
/** A bit of the flags word: every message has the first three; offset and priority are L2TPv2's. */
const flagBit = (mask: number, v2Only: boolean): FieldReader =>
  picked(
    numberAt((l) => (v2Only && !isV2(l) ? -1 : flagsAt(l)), 2),
    (n) => ((n & mask) !== 0 ? 1 : 0),
  );

/**
 * The L2TPv2 header's optional words after the flags: length (L bit),
 * tunnel and session IDs, Ns and Nr (S bit), offset size (O bit). `which`
 * is 0 length, 1 tunnel, 2 session, 3 Ns, 4 Nr, 5 offset; -1 when absent.
 */
function v2Word(l: Layer, which: number): number {
  if (!isV2(l)) return -1;
  const flags = l.dv.getUint16(l.off);
  let p = l.off + 2;
  if (flags & 0x4000) {
    if (which === 0) return p;
    p += 2;
  } else if (which === 0) return -1;
  if (which <= 2) return p + (which - 1) * 2;
  p += 4;
  if (flags & 0x0800) {
    if (which <= 4) return p + (which - 3) * 2;
    p += 4;
  } else if (which <= 4) return -1;
  return flags & 0x0200 ? p : -1;
}

/** "L2TPv3 session" (a data message), "L2TPv3 control". */
const l2tpIpLabel = (l: Layer): string => (l.aux >= 0 ? 'L2TPv3 session' : 'L2TPv3 control');

/** Over UDP, also L2TPv2 ("L2TPv2 control", "L2TPv2 data"). */
const l2tpUdpLabel = (l: Layer): string =>
  l.aux >= 0
    ? 'L2TPv3 session'
    : `L2TPv${l.dv.getUint16(l.off) & 0x0f} ${(l.dv.getUint16(l.off) & T_BIT) !== 0 ? 'control' : 'data'}`;

/**
 * The L2TPv3 control header's words after the flags: length (L bit), control connection ID, Ns and Nr (S bit).
 * `which` is 0 length, 1 connection ID, 2 Ns, 3 Nr; -1 when absent.
 */
function v3Word(l: Layer, which: number): number {
  if (!isV3Control(l)) return -1;
  const flags = l.dv.getUint16(flagsAt(l));
  let p = flagsAt(l) + 2;
  if (flags & L_BIT) {
    if (which === 0) return p;
    p += 2;
  } else if (which === 0) return -1;
  if (which === 1) return p;
  return flags & S_BIT ? p + 4 + (which - 2) * 2 : -1;
}

/** A word of the L2TPv3 control header (v3Word's `which`) or of L2TPv2's (v2Word's `which`). */
const controlWord = (v3: number, v2: number, size: 2 | 4): FieldReader =>
  numberAt((l) => (isV3Control(l) ? (v3 < 0 ? -1 : v3Word(l, v3)) : v2 >= 0 ? v2Word(l, v2) : -1), size);

/** A control message of either version: its length (-1 without the L bit; 0 when cut before it). */
function controlLength(l: Layer): number {
  const at = isV3Control(l) ? v3Word(l, 0) : isV2(l) && l.dv.getUint16(l.off) & T_BIT ? v2Word(l, 0) : -1;
  if (at < 0) return -1;
  return at + 2 <= l.end ? l.dv.getUint16(at) : 0;
}
/** A control message with a body: AVPs (Wireshark reads them only where the L bit gives the message's length). */
const avpsHere = (l: Layer): boolean => controlLength(l) > ZLB_LENGTH;
/** Where the AVPs start: after the header's last word. */
function avpStart(l: Layer): number {
  if (!isV3Control(l)) return v2HeaderEnd(l);
  const nr = v3Word(l, 3);
  return nr >= 0 ? nr + 2 : v3Word(l, 1) + 4;
}
/** The end of an L2TPv2 header: after the session ID, Ns and Nr, and the offset padding (RFC 2661 3.1). */
function v2HeaderEnd(l: Layer): number {
  const offset = v2Word(l, 5);
  if (offset >= 0) return offset + 2 + (offset + 2 <= l.end ? l.dv.getUint16(offset) : 0);
  const nr = v2Word(l, 4);
  return nr >= 0 ? nr + 2 : v2Word(l, 2) + 2;
}
/** Where they end: the message's length from its flags word, within what was captured. */
const avpEnd = (l: Layer): number => Math.min(l.end, flagsAt(l) + controlLength(l));

// A data message's pseudowire type is Wireshark's generated item of the AVP's field.
const AVPS = avpList({ when: avpsHere, start: avpStart, end: avpEnd }, (l, v) => {
  if (l.aux >= 0) v.num(pwType(l), l.buf, l.off, 0);
});

/**
 * The flags word's text after its value, as Wireshark's bitmask item: the type, then the names of the flags set
 * (`0xc803, Type: Control Message, Length Bit, Sequence Bit`); L2TPv2's offset and priority bits too.
 */
const flagsText = (l: Layer, flags: number): string =>
  `, Type: ${flags & T_BIT ? 'Control Message' : 'Data Message'}${flags & L_BIT ? ', Length Bit' : ''}` +
  `${flags & S_BIT ? ', Sequence Bit' : ''}${isV2(l) && flags & O_BIT ? ', Offset bit' : ''}` +
  `${isV2(l) && flags & P_BIT ? ', Priority' : ''}`;

/** The default (RFC 3931) or ATM sublayer after the cookie, where the session's set-up asked for one. */
const sublayerAt = (l: Layer): number => {
  const t = sublayerType(l);
  return l.aux >= 0 && (t === SUBLAYER_DEFAULT || t === SUBLAYER_ATM) ? sidAt(l) + 4 + cookieLength(l) : -1;
};

const sublayerByte = numberAt(sublayerAt, 1);
const SUBLAYER_DEFAULT = 1;
const SUBLAYER_ATM = 2;

/** The sublayer's subtree title (Wireshark's FT_NONE item), over its 4 bytes, for the sublayer of its kind. */
function sublayerTitle(name: string, label: string, kind: number): FieldSpec {
  return {
    name,
    label,
    type: 'none',
    read: (l, v) => {
      const p = sublayerAt(l);
      if (p >= 0 && sublayerType(l) === kind && p + 4 <= l.end) v.bytes(l.buf, p, 4);
    },
  };
}

/** A flag of the sublayer's first byte, under its title; `atmOnly`: of the ATM sublayer alone. */
function sublayerBit(name: string, label: string, mask: number, atmOnly: boolean): FieldSpec {
  const bit = picked(sublayerByte, (n) => ((n & mask) !== 0 ? 1 : 0));
  return {
    name,
    label,
    type: 'bool',
    mask,
    child: true,
    read: (l, v, ctx) => {
      if (!atmOnly || sublayerType(l) === SUBLAYER_ATM) bit(l, v, ctx);
    },
  };
}

const L2TP_FIELDS = declareFields(() => [
  protocolField('l2tp', 'Layer 2 Tunneling Protocol'),
  ...fields(
    {
      name: 'l2tp.flags',
      label: 'Flags',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
      read: (l, v) => {
        const p = flagsAt(l);
        if (p >= 0 && p + 2 <= l.end) v.str(flagsText(l, l.dv.getUint16(p)), l.buf, p, 2, l.dv.getUint16(p));
      },
    },
    {
      name: 'l2tp.type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      mask: T_BIT,
      values: { 0: 'Data Message', 1: 'Control Message' },
      child: true,
      read: picked(flagsWord, (n) => n >>> 15),
    },
    {
      name: 'l2tp.length_bit',
      label: 'Length Bit',
      type: 'bool',
      tfs: ['Length field is present', 'Length field is not present'],
      bits: 16,
      mask: 0x4000,
      child: true,
      read: flagBit(0x4000, false),
    },
    {
      name: 'l2tp.seq_bit',
      label: 'Sequence Bit',
      type: 'bool',
      tfs: ['Ns and Nr fields are present', 'Ns and Nr fields are not present'],
      bits: 16,
      mask: 0x0800,
      child: true,
      read: flagBit(0x0800, false),
    },
    {
      name: 'l2tp.offset_bit',
      label: 'Offset bit',
      type: 'bool',
      tfs: ['Offset Size field is present', 'Offset size field is not present'],
      bits: 16,
      mask: 0x0200,
      child: true,
      read: flagBit(0x0200, true),
    },
    {
      name: 'l2tp.priority',
      label: 'Priority',
      type: 'bool',
      tfs: ['This data message has priority', 'No priority'],
      bits: 16,
      mask: 0x0100,
      child: true,
      read: flagBit(0x0100, true),
    },
    {
      name: 'l2tp.version',
      label: 'Version',
      type: 'uint',
      bits: 16,
      mask: 0x000f,
      child: true,
      read: picked(flagsWord, (n) => n & 0x0f),
    },
    { name: 'l2tp.length', label: 'Length', type: 'uint', bits: 16, read: controlWord(0, 0, 2) },
    { name: 'l2tp.tunnel', label: 'Tunnel ID', type: 'uint', bits: 16, read: controlWord(-1, 1, 2) },
    { name: 'l2tp.session', label: 'Session ID', type: 'uint', bits: 16, read: controlWord(-1, 2, 2) },
    {
      name: 'l2tp.ccid',
      label: 'Control Connection ID',
      type: 'uint',
      bits: 32,
      base: 'hex',
      read: controlWord(1, -1, 4),
    },
    { name: 'l2tp.Ns', label: 'Ns', type: 'uint', bits: 16, read: controlWord(2, 3, 2) },
    { name: 'l2tp.Nr', label: 'Nr', type: 'uint', bits: 16, read: controlWord(3, 4, 2) },
    { name: 'l2tp.offset', label: 'Offset', type: 'uint', bits: 16, read: controlWord(-1, 5, 2) },
    {
      name: 'l2tp.offset_padding',
      label: 'Offset Padding',
      type: 'none',
      read: (l, v) => {
        const p = v2Word(l, 5);
        if (p < 0 || p + 2 > l.end || l.dv.getUint16(p) === 0) return;
        v.bytes(l.buf, p + 2, Math.min(l.dv.getUint16(p), l.end - p - 2));
      },
    },
    {
      name: 'l2tp.zero_length_body_message',
      label: 'Zero Length Body message',
      type: 'none',
      read: (l, v) => {
        if (controlLength(l) === ZLB_LENGTH) v.bytes(l.buf, l.off, 0);
      },
    },
    {
      name: 'l2tp.res',
      label: 'Reserved',
      type: 'uint',
      bits: 16,
      base: 'hex',
      read: numberAt((l) => (l.proto !== l2tpIp && l.aux >= 0 ? l.off + 2 : -1), 2),
    },
    {
      name: 'l2tp.sid',
      label: 'Session ID',
      type: 'uint',
      bits: 32,
      base: 'hex',
      // Over IP a control message's zero session ID is one too, as tshark shows it.
      read: numberAt((l) => (l.proto === l2tpIp || l.aux >= 0 ? sidAt(l) : -1), 4),
    },
    {
      name: 'l2tp.cookie',
      label: 'Cookie',
      type: 'bytes',
      read: (l, v) => {
        const p = sidAt(l) + 4;
        if (l.aux >= 0 && cookieLength(l) > 0 && p + cookieLength(l) <= l.end) v.bytes(l.buf, p, cookieLength(l));
      },
    },
    sublayerTitle('l2tp.l2_spec_def', 'Default L2-Specific Sublayer', SUBLAYER_DEFAULT),
    sublayerTitle('l2tp.l2_spec_atm', 'ATM-Specific Sublayer', SUBLAYER_ATM),
    sublayerBit('l2tp.l2_spec_s', 'S-bit', 0x40, false),
    // RFC 4454's bits: transport type, EFCI, CLP, command/response.
    sublayerBit('l2tp.l2_spec_t', 'T-bit', 0x08, true),
    sublayerBit('l2tp.l2_spec_g', 'G-bit', 0x04, true),
    sublayerBit('l2tp.l2_spec_c', 'C-bit', 0x02, true),
    sublayerBit('l2tp.l2_spec_u', 'U-bit', 0x01, true),
    {
      name: 'l2tp.l2_spec_sequence',
      label: 'Sequence Number',
      type: 'uint',
      bits: 24,
      child: true,
      read: numberAt((l) => (sublayerAt(l) < 0 ? -1 : sublayerAt(l) + 1), 3),
    },
  ),
  ...AVPS.fields,
]);

const treeValues = new Values();
const avpCursor = AVPS.cursor();

/**
 * -V as Wireshark's: over IP the session ID first (a control message's zero too), a data message's pseudowire type
 * after it, then each AVP a subtree: its flags, length, vendor and type, then its value (a list of pseudowire types
 * and a Connect Speed Update one level deeper), or `Vendor-Specific AVP data` where Wireshark does not read it.
 */
function l2tpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const show = (f: Field, depth: number): void => {
    if (treeValues.n > 0) visit(f, treeValues, depth);
  };
  const sessionId = (f: Field): void => {
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    show(f, 1);
    if (treeValues.n === 0 || l.aux < 0) return;
    const pw = pwType(l);
    visitText(visit, `[Pseudowire Type: ${PW_TYPES[pw] ?? 'Unknown'} (${pw})]`, l.buf, l.off, 0, 1);
  };
  const all = L2TP_FIELDS();
  const sid = all.find((f) => f.name === 'l2tp.sid')!;
  if (l.proto === l2tpIp) sessionId(sid);
  for (const f of all) {
    if (f.type === 'protocol' || f.list !== null) continue;
    if (f === sid) {
      if (l.proto !== l2tpIp) sessionId(f);
      continue;
    }
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    show(f, 1);
  }
  let drawn = avpsHere(l) ? avpStart(l) : -1;
  for (let ok = avpCursor.region(l, 0, -1, 0); ok; ok = avpCursor.step(l)) {
    const { p, len } = avpCursor;
    visitText(visit, AVPS.title(l, p, len), l.buf, p, len, 1);
    for (const f of AVPS.fields) {
      treeValues.n = 0;
      f.recordRead!(l, treeValues, ctx, p, len);
      if (f.name === 'l2tp.avp.pw_type' && isPwList(l, p)) visitText(visit, PW_LIST_TITLE, l.buf, p + 6, len - 6, 2);
      show(f, f.name.endsWith('.pw_type') || f.name.startsWith('l2tp.avp.csu.') ? 3 : 2);
    }
    if (avpUndecoded(l, p, len)) visitText(visit, 'Vendor-Specific AVP data', l.buf, p + 6, len - 6, 2);
    drawn = p + len;
  }
  // Wireshark's walk ends at a length under 6, saying so under the AVP before it (judged on a whole 6-byte header).
  if (drawn >= 0 && drawn + 6 <= avpEnd(l) && avpLength(l, drawn) < 6) {
    const text = `AVP length must be >= 6, got ${avpLength(l, drawn)}`;
    visitText(visit, text, l.buf, drawn, 2, drawn === avpStart(l) ? 1 : 2);
  }
}

/**
 * A control message's type, as Wireshark's Info column names it: `SCCRQ`, `ZLB`; '' for a data message, and where no
 * readable Control Message AVP comes first (hidden, another vendor's, no L bit).
 */
function messageName(l: Layer): string {
  if (controlLength(l) === ZLB_LENGTH) return 'ZLB';
  if (!avpsHere(l)) return '';
  const p = avpStart(l);
  if (p + 8 > avpEnd(l) || avpHidden(l, p) || avpVendor(l, p) !== VENDOR_IETF) return '';
  if (avpType(l, p) !== AVP_CONTROL_MESSAGE || avpLength(l, p) < 8) return '';
  const type = l.dv.getUint16(p + 6);
  return MESSAGE_SHORT_NAMES[type] || `Unknown (${type})`;
}

/** The cookie, as hex, where the session's set-up gave one: right after the session ID. */
const cookieText = (l: Layer): string | undefined =>
  cookieLength(l) > 0 && sidAt(l) + 4 + cookieLength(l) <= l.end
    ? hexBytes(l.buf, sidAt(l) + 4, cookieLength(l))
    : undefined;

export const l2tpIp = protocol({
  name: 'l2tp',
  title: 'Layer 2 Tunneling Protocol version 3',
  hf: L2TP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.aux2 = 0;
    if (l.dv.getUint32(l.off) !== 0) return dataMessage(ctx, l, l.off);
    l.aux = -1;
    // A control message: the session ID 0, then the control header (flags, length, connection ID, Ns, Nr).
    l.hdrEnd = Math.min(l.end, l.off + 16);
    controlMessage(ctx, l, l.off + 4);
    checkAvps(ctx, l);
  },
  tree: l2tpTree,
  json: jsonMembers(L2TP_FIELDS, [
    { name: 'version', value: () => 3 },
    { name: 'sessionId', only: (l) => l.aux >= 0, field: 'l2tp.sid' },
    { name: 'cookie', only: (l) => l.aux >= 0, value: cookieText },
    { name: 'control', only: (l) => l.aux < 0, value: () => true },
    { name: 'messageType', only: (l) => messageName(l) !== '', value: messageName },
  ]),
  label: l2tpIpLabel,
  summary: (l, out) => withSession(l2tpIpLabel(l), l, out),
});

export const l2tpUdp = protocol({
  name: 'l2tp',
  title: 'Layer 2 Tunneling Protocol',
  hf: L2TP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    const flags = l.dv.getUint16(l.off);
    // As Wireshark: a version other than 2 or 3 is not L2TP, though on its port (the payload stays UDP's data).
    if ((flags & 0x0f) !== 2 && (flags & 0x0f) !== 3) return;
    l.aux = -1;
    l.aux2 = 0;
    l.hdrEnd = l.off + 2;
    if ((flags & T_BIT) !== 0) checkAvps(ctx, l);
    else if ((flags & 0x0f) === 2) return v2Data(ctx, l);
    if ((flags & 0x0f) !== 3) return;
    if (flags & T_BIT) return controlMessage(ctx, l, l.off);
    if (!ctx.need(l, 8)) return;
    dataMessage(ctx, l, l.off + 4);
  },
  json: jsonMembers(L2TP_FIELDS, [
    { name: 'version', field: 'l2tp.version' },
    { name: 'sessionId', only: (l) => l.aux >= 0, field: 'l2tp.sid' },
    { name: 'cookie', only: (l) => l.aux >= 0, value: cookieText },
    { name: 'control', only: (l) => l.aux < 0, value: (l) => (l.dv.getUint16(l.off) & T_BIT) !== 0 },
    { name: 'messageType', only: (l) => l.aux < 0 && messageName(l) !== '', value: messageName },
  ]),
  label: l2tpUdpLabel,
  summary: (l, out) => withSession(l2tpUdpLabel(l), l, out),
  tree: l2tpTree,
});

/** The label, and a data session's ID or a control message's type after it. */
function withSession(label: string, l: Layer, out: TextOut): void {
  out.str(label);
  if (l.aux >= 0) out.byte(0x20).hex(l.aux, 8);
  else {
    const name = messageName(l);
    if (name) out.byte(0x20).str(name);
  }
}
