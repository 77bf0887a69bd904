import type { FieldSpec } from './field.js';
import type { FlowFacts } from './flow.js';
import { timeSince } from './frame-fields.js';
import { frameRelay, frameRelayDlci } from './frame-relay.js';
import type { Layer, PacketCtx } from './packet.js';
import { ConversationAnalysis, TCP_A_REUSED_PORTS, TcpAnalyser, type SegmentFacts } from './tcp-analysis.js';

/**
 * TCP's and UDP's conversations as Wireshark keeps them: a pair of address and port endpoints, in either direction,
 * numbered in capture order (tcp.stream, udp.stream), with the first and the previous frame's time, and for TCP each
 * direction's base sequence number and window scale and the conversation's completeness. Kept only where something
 * reads them (-V, or a field of theirs in -Y or -T fields): the engine then dissects every frame in order, as tshark's
 * one pass does, and each layer's `flow` holds what its frame saw, as tshark shows it in that pass.
 */
export class Conversation {
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  /** TCP: the flags seen so far (FlowFacts.completeness). */
  completeness = 0;
  /** TCP, per direction (0: from the lower endpoint): the base sequence number, once set; the window scale shift. */
  readonly baseSet = [false, false];
  readonly base = [0, 0];
  /** -1: not known; -2: not used (a SYN without the option); else the shift. */
  readonly winScale = [-1, -1];
  /** TCP: the SEQ/ACK analysis (made at the first segment). */
  analysis: ConversationAnalysis | null = null;
  constructor(
    readonly stream: number,
    ctx: PacketCtx,
  ) {
    this.firstSec = this.prevSec = ctx.tsSec;
    this.firstNsec = this.prevNsec = ctx.tsNsec;
  }
}

/** `tcp.stream`, `udp.stream`: the conversation's number. */
export const streamIndexField = (name: string): FieldSpec => ({
  name,
  conversation: true,
  label: 'Stream index',
  type: 'uint',
  bits: 32,
  generated: true,
  read: (l, v) => {
    if (l.flow.stream >= 0) v.num(l.flow.stream, l.buf, l.off, 0);
  },
});

/**
 * The stream's times (`tcp.time_relative`, `tcp.time_delta`, and UDP's), under -V's `[Timestamps]`, where `shown`
 * says its frame has them.
 */
export const streamTimeFields = (
  protocol: string,
  first: string,
  previous: string,
  shown: (l: Layer) => boolean,
): FieldSpec[] =>
  (
    [
      ['time_relative', first, 'first'],
      ['time_delta', previous, 'prev'],
    ] as const
  ).map(([name, label, since]) => ({
    name: `${protocol}.${name}`,
    conversation: true,
    label,
    type: 'reltime',
    generated: true,
    child: true,
    read: (l, v, ctx) => {
      if (!shown(l)) return;
      const f = l.flow;
      if (since === 'first') timeSince(v, ctx, f.firstSec, f.firstNsec);
      else timeSince(v, ctx, f.prevSec, f.prevNsec);
    },
  }));

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

/** Completeness bits (Wireshark's TCP_COMPLETENESS_*). */
export const COMPLETE_SYN = 0x01;
export const COMPLETE_SYNACK = 0x02;
export const COMPLETE_ACK = 0x04;
export const COMPLETE_DATA = 0x08;
export const COMPLETE_FIN = 0x10;
export const COMPLETE_RST = 0x20;

/** Conversations held at once; past it the least recently seen is forgotten (its next frame opens a new stream). */
const MAX_CONVERSATIONS = 1 << 18;

export class Conversations {
  private readonly tcpTable = new Map<string, Conversation>();
  private readonly udpTable = new Map<string, Conversation>();
  private tcpStreams = 0;
  private udpStreams = 0;
  private readonly analyser = new TcpAnalyser();
  private readonly segment: SegmentFacts = {
    frame: 0,
    sec: 0,
    nsec: 0,
    seq: 0,
    ack: 0,
    length: 0,
    flags: 0,
    window: 0,
    base: 0,
    scaleBack: -1,
  };

  /**
   * A UDP datagram whose length field is at least 8: its stream, and its times but for one an ICMP error quotes or one
   * with no payload (Wireshark leaves them out there, and such a datagram does not move the previous frame's time).
   */
  udp(ctx: PacketCtx, l: Layer, length: number): void {
    const key = frameRelayCircuit(ctx, l) ?? endpointsKey(ctx, l)?.text;
    if (key === undefined) return;
    let conv = this.udpTable.get(key);
    if (conv !== undefined) touch(this.udpTable, key, conv);
    else conv = this.open(this.udpTable, key, this.udpStreams++, ctx);
    const f = l.flow;
    f.stream = conv.stream;
    f.noTimes = l.quoted || length === 8;
    if (!f.noTimes) sinceTimes(f, conv, ctx);
  }

  /**
   * A TCP segment of at least 16 bytes (its window read): its stream, times, sequence numbers as Wireshark's TCP
   * analysis tells them (relative to each direction's first), window scaling and the conversation's completeness.
   * `segmentLength` is -1 where the segment's length is not known (a quoted segment, an IP fragment).
   */
  tcp(ctx: PacketCtx, l: Layer, segmentLength: number): void {
    const key = endpointsKey(ctx, l);
    if (key === null) return;
    const dir = key.fromLower ? 0 : 1;
    const back = 1 - dir;
    const flags = l.dv.getUint16(l.off + 12) & 0x0fff;
    const seq = l.dv.getUint32(l.off + 4);
    const ack = l.dv.getUint32(l.off + 8);
    let conv = this.tcpTable.get(key.text);
    let isNew = false;
    if (conv !== undefined) touch(this.tcpTable, key.text, conv);
    else {
      conv = this.open(this.tcpTable, key.text, this.tcpStreams++, ctx);
      isNew = true;
    }
    const synOnly = (flags & (SYN | ACK)) === SYN;
    const synAck = (flags & (SYN | ACK)) === (SYN | ACK);
    const ta = l.flow.analysis;
    ta.reset();
    // A SYN with another initial sequence number opens a new conversation on the same ports (port reuse); with the
    // same, the next sequence number is what was acknowledged (Wireshark's issue 17616).
    if (synOnly && conv.baseSet[dir] && seq !== conv.base[dir]) {
      conv = this.open(this.tcpTable, key.text, this.tcpStreams++, ctx);
      conv.completeness = COMPLETE_SYN;
      ta.mark(TCP_A_REUSED_PORTS);
    } else if (synOnly && conv.baseSet[dir] && conv.analysis !== null)
      this.analyser.synRepeated(conv.analysis, dir, ta);
    // A SYN-ACK with another: the conversation's base becomes it (Wireshark's issue 16944).
    if (synAck && conv.baseSet[dir] && seq !== conv.base[dir]) {
      conv.base[dir] = seq;
      ta.mark(TCP_A_REUSED_PORTS);
    }
    const analysis = (conv.analysis ??= new ConversationAnalysis());
    this.analyser.clearSack(analysis, dir);

    const f = l.flow;
    f.stream = conv.stream;
    f.noTimes = false;
    f.completeness = conv.completeness;
    sinceTimes(f, conv, ctx);

    const window = l.dv.getUint16(l.off + 14);
    const known = segmentLength >= 0;
    f.relative = known;
    f.seq = seq;
    f.ack = ack;
    f.nextSeq = -1;
    f.window = window;
    if (known) {
      if (!conv.baseSet[dir]) {
        conv.base[dir] = flags & SYN ? seq : (seq - 1) >>> 0;
        conv.baseSet[dir] = true;
      }
      if (!conv.baseSet[back] && flags & ACK) {
        conv.base[back] = (ack - 1) >>> 0;
        conv.baseSet[back] = true;
      }
      f.seq = (seq - conv.base[dir]!) >>> 0;
      if (flags & ACK) f.ack = (ack - conv.base[back]!) >>> 0;
      f.nextSeq = (f.seq + segmentLength + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
      // SYNs are never scaled.
      if (!(flags & SYN) && conv.winScale[dir]! >= 0) f.window = (window * 2 ** conv.winScale[dir]!) >>> 0;
    }
    f.winScale = flags & SYN ? Number.NaN : conv.winScale[dir]!;
    f.ackBase = conv.base[back]!;
    if (known) {
      const s = this.segment;
      s.frame = ctx.frameNo;
      s.sec = ctx.tsSec;
      s.nsec = ctx.tsNsec;
      s.seq = seq;
      s.ack = ack;
      s.length = segmentLength;
      s.flags = flags;
      s.window = window;
      s.base = conv.base[dir]!;
      s.scaleBack = conv.winScale[back]!;
      this.analyser.segment(analysis, dir, s, ta);
    }
    // Wireshark reads the flags and window, then the handshake's times, before the options.
    if (l.hdrEnd >= l.off + 20) this.analyser.handshake(analysis, dir, flags, ctx.tsSec, ctx.tsNsec, ta);

    const length = known ? segmentLength : 0;
    let c = 0;
    if (isNew) {
      // A pure SYN is looked for in a new conversation only.
      if (synOnly) c = COMPLETE_SYN | (length > 0 ? COMPLETE_DATA : 0);
    } else {
      c = conv.completeness;
      if (synAck) c |= COMPLETE_SYNACK;
      if ((flags & (SYN | ACK)) === ACK) c |= length > 0 ? COMPLETE_DATA : COMPLETE_ACK;
      if ((flags & (FIN | ACK)) === (FIN | ACK)) c |= COMPLETE_FIN;
      if (flags & RST) c |= COMPLETE_RST;
    }
    conv.completeness = c;

    const shift = readOptions(l, this.analyser, analysis, dir);
    if (shift >= 0) conv.winScale[dir] = Math.min(shift, 14);
    // Options cut short end Wireshark's dissection of the segment (an exception) before it looks at a SYN's scaling.
    const whole = l.hdrEnd - l.off >= (l.buf[l.off + 12]! >> 4) * 4;
    // Nor is the analysis shown (it is drawn after the options).
    if (!whole) ta.present = false;
    if (flags & SYN && whole) {
      // A SYN without the option: neither side scales. A SYN-ACK with it, after a SYN without: neither does.
      if (conv.winScale[dir] === -1) conv.winScale[dir] = conv.winScale[back] = -2;
      else if (synAck && conv.winScale[back] === -2) conv.winScale[dir] = -2;
    }
  }

  private open(table: Map<string, Conversation>, key: string, stream: number, ctx: PacketCtx): Conversation {
    if (table.size >= MAX_CONVERSATIONS) {
      // Maps keep insertion order, and a conversation seen again is put last: the first is the least recent.
      const oldest = table.keys().next().value;
      if (oldest !== undefined) {
        const gone = table.get(oldest)!.analysis;
        if (gone !== null) this.analyser.forget(gone);
        table.delete(oldest);
      }
    }
    const conv = new Conversation(stream, ctx);
    table.delete(key);
    table.set(key, conv);
    return conv;
  }
}

/** Moves a conversation seen again to the end of its table's order, so that the table forgets the least recent. */
function touch(table: Map<string, Conversation>, key: string, conv: Conversation): void {
  table.delete(key);
  table.set(key, conv);
}

/** Gives f the conversation's first and previous frame times, which its own is told from; it is the previous then. */
function sinceTimes(f: FlowFacts, conv: Conversation, ctx: PacketCtx): void {
  f.firstSec = conv.firstSec;
  f.firstNsec = conv.firstNsec;
  f.prevSec = conv.prevSec;
  f.prevNsec = conv.prevNsec;
  conv.prevSec = ctx.tsSec;
  conv.prevNsec = ctx.tsNsec;
}

/** The window scale option's shift, -1 without one; the SACK blocks handed to the analysis. */
function readOptions(l: Layer, analyser: TcpAnalyser, analysis: ConversationAnalysis, dir: number): number {
  let shift = -1;
  for (let p = l.off + 20; p < l.hdrEnd; ) {
    const kind = l.buf[p]!;
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    const len = p + 1 < l.hdrEnd ? l.buf[p + 1]! : 0;
    if (len < 2 || p + len > l.hdrEnd) break;
    // The last one counts, as in Wireshark.
    if (kind === 3 && len === 3) shift = l.buf[p + 2]!;
    if (kind === 5) analyser.sackBlocks(analysis, dir, l.dv, p, len);
    p += len;
  }
  return shift;
}

/**
 * Under Frame Relay, Wireshark (4.0) keys UDP's conversations by the DLCI alone: its Frame Relay dissector sets the
 * packet's conversation elements to the circuit, which UDP's lookup takes before the addresses (TCP's does not).
 */
function frameRelayCircuit(ctx: PacketCtx, l: Layer): string | undefined {
  for (let i = 0; i < ctx.count && ctx.layers[i] !== l; i++)
    if (ctx.layers[i]!.proto === frameRelay) return `dlci ${frameRelayDlci(ctx.layers[i]!)}`;
  return undefined;
}

const endpoints = { text: '', fromLower: true };
/**
 * The conversation's key: the two endpoints (address of the IP layer under the layer, and port), lower first, so
 * that both directions find one conversation; null where the addresses were not captured.
 */
function endpointsKey(ctx: PacketCtx, l: Layer): typeof endpoints | null {
  let ip: Layer | null = null;
  for (let i = ctx.count - 1; i >= 0; i--) {
    const under = ctx.layers[i]!;
    if (under !== l && under.proto.family !== undefined) {
      ip = under;
      break;
    }
  }
  if (ip === null) return null;
  const v6 = ip.proto.family === 6;
  const at = ip.off + (v6 ? 8 : 12);
  const size = v6 ? 16 : 4;
  if (at + 2 * size > ip.end) return null;
  const src = addressText(ip.buf, at, size);
  const dst = addressText(ip.buf, at + size, size);
  const sport = l.dv.getUint16(l.off);
  const dport = l.dv.getUint16(l.off + 2);
  const fromLower = src < dst || (src === dst && sport <= dport);
  endpoints.fromLower = fromLower;
  endpoints.text = fromLower ? `${src} ${sport} ${dst} ${dport}` : `${dst} ${dport} ${src} ${sport}`;
  return endpoints;
}

/** An address as fixed-width hex, so that text order is the addresses' order. */
function addressText(buf: Uint8Array, off: number, size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += HEX[buf[off + i]!];
  return s;
}
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
