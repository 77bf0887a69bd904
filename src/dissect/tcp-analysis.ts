import type { FieldSpec } from './field.js';
import type { Layer } from './packet.js';
import { Span } from '../util/span.js';

/**
 * TCP's SEQ/ACK analysis as Wireshark 4.0 makes it in its one pass (packet-tcp.c, tcp_analyze_sequence_number):
 * each direction's next sequence number, last acknowledgement and window, the segments not yet acknowledged, and from
 * them each segment's flags (retransmission, out-of-order, lost segment, duplicate ACK, zero window...), the frame an
 * ACK acknowledges and its RTT, the handshake's RTT and the bytes in flight. Sequence numbers here are the raw ones,
 * compared modulo 2^32 as Wireshark's GT_SEQ/LT_SEQ do; a next sequence number of 0 means "none yet", as there.
 */

/** Wireshark's TCP_A_* flags. */
export const TCP_A_RETRANSMISSION = 0x0001;
export const TCP_A_LOST_PACKET = 0x0002;
export const TCP_A_ACK_LOST_PACKET = 0x0004;
export const TCP_A_KEEP_ALIVE = 0x0008;
export const TCP_A_DUPLICATE_ACK = 0x0010;
export const TCP_A_ZERO_WINDOW = 0x0020;
export const TCP_A_ZERO_WINDOW_PROBE = 0x0040;
export const TCP_A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TCP_A_KEEP_ALIVE_ACK = 0x0100;
export const TCP_A_OUT_OF_ORDER = 0x0200;
export const TCP_A_FAST_RETRANSMISSION = 0x0400;
export const TCP_A_WINDOW_UPDATE = 0x0800;
export const TCP_A_WINDOW_FULL = 0x1000;
export const TCP_A_REUSED_PORTS = 0x2000;
export const TCP_A_SPURIOUS_RETRANSMISSION = 0x4000;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** Unacknowledged segments Wireshark keeps per direction (TCP_MAX_UNACKED_SEGMENTS). */
const MAX_UNACKED_PER_DIRECTION = 10000;
/** Unacknowledged segments kept across all conversations: past it a segment is analysed but not kept. */
const MAX_UNACKED = 1_000_000;
/** SACK blocks kept of a segment for the bytes in flight: Wireshark keeps those under MAX_TCP_SACK_RANGES (4). */
const MAX_SACK_BLOCKS = 3;
/** Fast retransmission: within 20 ms of the last duplicate ACK; out-of-order: 3 ms without a handshake's RTT. */
const FAST_RETRANSMISSION_NS = 20_000_000;
const OUT_OF_ORDER_NS = 3_000_000;

/** (a - b) modulo 2^32 as a signed number: Wireshark's sequence number comparisons. */
const seqDiff = (a: number, b: number): number => (a - b) | 0;
const gtSeq = (a: number, b: number): boolean => seqDiff(a, b) > 0;
const ltSeq = (a: number, b: number): boolean => seqDiff(a, b) < 0;
const u32 = (n: number): number => n >>> 0;
/**
 * The duplicate ACK count of a direction one of whose unseen segments the other acknowledged: Wireshark's -1 in an
 * unsigned count, so it is also "two or more" to the fast retransmission check.
 */
const ACKED_UNSEEN = 0xffffffff;

/**
 * Nanoseconds from (fromSec, fromNsec) to (sec, nsec) as Wireshark's guint64 holds them: a time before is larger than
 * any threshold (Infinity).
 */
function elapsedNs(sec: number, nsec: number, fromSec: number, fromNsec: number): number {
  const ns = (sec - fromSec) * 1e9 + (nsec - fromNsec);
  return ns < 0 ? Number.POSITIVE_INFINITY : ns;
}

/** What one segment's analysis found (Wireshark's tcp_acked, `ta`); one per layer slot, reset for each segment. */
export class SegmentAnalysis {
  /** Wireshark made a `ta` for the segment: the tree shows `[SEQ/ACK analysis]` (tcp.analysis). */
  present = false;
  flags = 0;
  /** The frame of the segment this one acknowledges (0: none), and the time since it. */
  acksFrame = 0;
  readonly ackRtt = new Span();
  /** The conversation's handshake RTT as known at this segment (zero: not known). */
  readonly firstRtt = new Span();
  bytesInFlight = 0;
  pushBytesSent = 0;
  dupAckNum = 0;
  dupAckFrame = 0;
  /** A retransmission's time since the segment it repeats, and that segment's frame. */
  readonly rto = new Span();
  rtoFrame = 0;

  reset(): void {
    this.present = false;
    this.flags = this.acksFrame = this.bytesInFlight = this.pushBytesSent = 0;
    this.dupAckNum = this.dupAckFrame = this.rtoFrame = 0;
    this.ackRtt.clear();
    this.firstRtt.clear();
    this.rto.clear();
  }

  mark(flag: number): void {
    this.present = true;
    this.flags |= flag;
  }
}

/**
 * The segments a direction sent that are not yet acknowledged (Wireshark's tcp_unacked_t list), oldest first, in
 * columns: no object a segment.
 */
class UnackedSegments {
  readonly frame: number[] = [];
  readonly seq: number[] = [];
  readonly nextSeq: number[] = [];
  readonly sec: number[] = [];
  readonly nsec: number[] = [];

  get length(): number {
    return this.frame.length;
  }

  push(frame: number, seq: number, nextSeq: number, sec: number, nsec: number): void {
    this.frame.push(frame);
    this.seq.push(seq);
    this.nextSeq.push(nextSeq);
    this.sec.push(sec);
    this.nsec.push(nsec);
  }

  /** Moves segment `from` to `to` (to <= from), for keeping some in their order. */
  move(from: number, to: number): void {
    this.frame[to] = this.frame[from]!;
    this.seq[to] = this.seq[from]!;
    this.nextSeq[to] = this.nextSeq[from]!;
    this.sec[to] = this.sec[from]!;
    this.nsec[to] = this.nsec[from]!;
  }

  truncate(n: number): void {
    this.frame.length = this.seq.length = this.nextSeq.length = this.sec.length = this.nsec.length = n;
  }
}

/** One direction's analysis (Wireshark's tcp_analyze_seq_flow_info_t and the flow's own fields). */
class DirectionState {
  nextSeq = 0;
  nextSeqFrame = 0;
  nextSeqSec = 0;
  nextSeqNsec = 0;
  maxSeqToBeAcked = 0;
  lastAck = 0;
  lastAckSec = 0;
  lastAckNsec = 0;
  lastNonDupAck = 0;
  dupAckNum = 0;
  /** The window as the header gives it, unscaled; none seen yet is Wireshark's G_MAXUINT32. */
  window = 0xffffffff;
  lastSegmentFlags = 0;
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  /** A SYN was seen and no pure ACK since (the window is then not scaled: Wireshark's issue 14690). */
  firstAck = false;
  readonly unacked = new UnackedSegments();
  /**
   * The lowest start and highest end of the unacknowledged segments, told from `spanBase` (valid while `spanKnown`):
   * kept as segments are added, worked out again after an ACK took some off, so that a direction whose ACKs the
   * capture does not see (up to 10,000 segments) is not walked at every segment.
   */
  spanKnown = false;
  spanBase = 0;
  spanFirst = 0;
  spanLast = 0;
  /** The bytes the SACK blocks of this direction's last segment cover (0: none). */
  sackBytes = 0;
}

/** A TCP conversation's analysis: both directions (0: from the lower endpoint) and the handshake's times. */
export class ConversationAnalysis {
  readonly dirs = [new DirectionState(), new DirectionState()] as const;
  readonly lastSyn = new Span();
  readonly firstRtt = new Span();
}

/** The segment's fields as the analysis reads them. */
export interface SegmentFacts {
  frame: number;
  sec: number;
  nsec: number;
  seq: number;
  ack: number;
  /** The data's length (known: where it is not, as in a lone IP fragment, Wireshark's analysis does not run). */
  length: number;
  flags: number;
  /** As in the header, unscaled. */
  window: number;
  /** The base sequence number of this direction (the bytes in flight are told from it). */
  base: number;
  /** The other direction's window scale shift: -1 not known, -2 none. */
  scaleBack: number;
}

/** The analysis of every TCP conversation the engine keeps, with the bound on the segments they hold. */
export class TcpAnalyser {
  private unackedHeld = 0;

  /** A conversation forgotten (the table's bound): its segments no longer count against the bound. */
  forget(a: ConversationAnalysis): void {
    this.unackedHeld -= a.dirs[0].unacked.length + a.dirs[1].unacked.length;
  }

  /** A SYN with the direction's first sequence number again: the next one is what was acknowledged (issue 17616). */
  synRepeated(a: ConversationAnalysis, dir: number, ta: SegmentAnalysis): void {
    const d = a.dirs[dir]!;
    d.nextSeq = d.maxSeqToBeAcked;
    ta.present = true;
  }

  /** Wireshark's tcp_analyze_sequence_number for a segment whose length is known. */
  segment(a: ConversationAnalysis, dir: number, s: SegmentFacts, ta: SegmentAnalysis): void {
    const fwd = a.dirs[dir]!;
    const rev = a.dirs[1 - dir]!;
    const { seq, ack, flags, window } = s;
    const seglen = s.length;
    if (flags & ACK) rev.validBif = true;
    this.flags(fwd, rev, s, ta);
    // The ACK number changed: the duplicate ACKs are counted afresh.
    if (ack !== fwd.lastAck) {
      fwd.lastNonDupAck = s.frame;
      fwd.dupAckNum = 0;
    }
    this.ackedUnseen(rev, s, ta);
    if (seglen > 0 || flags & (SYN | FIN)) this.retransmission(a, fwd, rev, s, ta);

    let nextSeq = u32(seq + seglen);
    if ((seglen > 0 || flags & (SYN | FIN)) && fwd.unacked.length < MAX_UNACKED_PER_DIRECTION) {
      if (flags & (SYN | FIN)) nextSeq = u32(nextSeq + 1);
      if (this.unackedHeld < MAX_UNACKED) {
        fwd.unacked.push(s.frame, seq, nextSeq, s.sec, s.nsec);
        if (fwd.spanKnown && fwd.spanBase === s.base) {
          fwd.spanFirst = Math.min(fwd.spanFirst, u32(seq - s.base));
          fwd.spanLast = Math.max(fwd.spanLast, u32(nextSeq - s.base));
        } else fwd.spanKnown = false;
        this.unackedHeld++;
      }
    }
    const probe = (ta.flags & TCP_A_ZERO_WINDOW_PROBE) !== 0;
    // Zero window probes do not move the next sequence number.
    if ((gtSeq(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) && !probe) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqFrame = s.frame;
      fwd.nextSeqSec = s.sec;
      fwd.nextSeqNsec = s.nsec;
    }
    if ((seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !probe) fwd.maxSeqToBeAcked = fwd.nextSeq;
    fwd.window = window;
    fwd.lastAck = ack;
    fwd.lastAckSec = s.sec;
    fwd.lastAckNsec = s.nsec;
    fwd.lastSegmentFlags = ta.flags;

    this.acknowledge(rev, s, ta);
    this.inFlight(fwd, rev, s, ta);
  }

  /** The handshake's bookkeeping after the analysis: the last SYN's time, the RTT at the first pure ACK after it. */
  handshake(a: ConversationAnalysis, dir: number, flags: number, sec: number, nsec: number, ta: SegmentAnalysis): void {
    const fwd = a.dirs[dir]!;
    if (flags & SYN) {
      if (!(flags & ACK)) {
        a.lastSyn.sec = sec;
        a.lastSyn.nsec = nsec;
      }
      fwd.firstAck = true;
    }
    if ((flags & (SYN | ACK)) === ACK) {
      if (!a.lastSyn.zero && a.firstRtt.zero) a.firstRtt.setDelta(sec, nsec, a.lastSyn.sec, a.lastSyn.nsec);
      fwd.firstAck = false;
    }
    ta.firstRtt.copy(a.firstRtt);
  }

  /** The SACK blocks of a segment (three at most): the bytes they cover, for the other side's bytes in flight. */
  sackBlocks(a: ConversationAnalysis, dir: number, dv: DataView, p: number, len: number): void {
    const d = a.dirs[dir]!;
    d.sackBytes = 0;
    const end = Math.min(p + len, p + 2 + 8 * MAX_SACK_BLOCKS);
    for (let at = p + 2; at + 8 <= end; at += 8)
      d.sackBytes = u32(d.sackBytes + u32(dv.getUint32(at + 4) - dv.getUint32(at)));
  }

  /** A new segment in this direction: the SACK blocks kept are of this one, if it has any. */
  clearSack(a: ConversationAnalysis, dir: number): void {
    a.dirs[dir]!.sackBytes = 0;
  }

  /** The checks before `finished_fwd`: zero window, lost segment, keep-alive, window update and full, dup ACKs. */
  private flags(fwd: DirectionState, rev: DirectionState, s: SegmentFacts, ta: SegmentAnalysis): void {
    const { seq, ack, flags, window } = s;
    const seglen = s.length;
    const plain = (flags & (SYN | FIN | RST)) === 0;
    if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
      ta.mark(TCP_A_ZERO_WINDOW_PROBE);
      return;
    }
    if (window === 0 && plain) ta.mark(TCP_A_ZERO_WINDOW);
    if (fwd.nextSeq !== 0 && gtSeq(seq, fwd.nextSeq) && !(flags & RST)) {
      ta.mark(TCP_A_LOST_PACKET);
      // Bytes in flight are not told again until the other side acknowledges.
      fwd.validBif = false;
    }
    if ((seglen === 0 || seglen === 1) && seq === u32(fwd.nextSeq - 1) && plain) ta.mark(TCP_A_KEEP_ALIVE);
    const sameAck = seglen === 0 && seq === fwd.nextSeq && ack === fwd.lastAck && plain;
    if (sameAck && window !== 0 && window !== fwd.window) ta.mark(TCP_A_WINDOW_UPDATE);
    if (seglen > 0 && s.scaleBack !== -1 && plain) {
      const shift = rev.firstAck || s.scaleBack === -2 ? 0 : s.scaleBack;
      if (u32(seq + seglen) === u32(rev.lastAck + u32(rev.window << shift))) ta.mark(TCP_A_WINDOW_FULL);
    }
    if (sameAck && window !== 0 && window === fwd.window && rev.lastSegmentFlags & TCP_A_KEEP_ALIVE) {
      ta.mark(TCP_A_KEEP_ALIVE_ACK);
      return;
    }
    if (sameAck && window === 0 && window === fwd.window && rev.lastSegmentFlags & TCP_A_ZERO_WINDOW_PROBE) {
      ta.mark(TCP_A_ZERO_WINDOW_PROBE_ACK);
      return;
    }
    if (sameAck && window !== 0 && window === fwd.window) {
      fwd.dupAckNum = fwd.dupAckNum === ACKED_UNSEEN ? 1 : u32(fwd.dupAckNum + 1);
      ta.mark(TCP_A_DUPLICATE_ACK);
      ta.dupAckNum = fwd.dupAckNum;
      ta.dupAckFrame = fwd.lastNonDupAck;
    }
  }

  /** An ACK beyond what the other direction was seen to send: a segment the capture missed. */
  private ackedUnseen(rev: DirectionState, s: SegmentFacts, ta: SegmentAnalysis): void {
    if (rev.maxSeqToBeAcked === 0 || !gtSeq(s.ack, rev.maxSeqToBeAcked) || !(s.flags & ACK)) return;
    ta.present = true;
    if (ltSeq(rev.maxSeqToBeAcked, rev.nextSeq)) {
      // Said once for the same missing segment.
      rev.maxSeqToBeAcked = rev.nextSeq;
      ta.flags |= TCP_A_ACK_LOST_PACKET;
    } else {
      if (rev.dupAckNum === 0) ta.flags |= TCP_A_ACK_LOST_PACKET;
      rev.dupAckNum = ACKED_UNSEEN;
    }
  }

  /** Data (or a SYN or FIN) that does not advance the sequence: which kind of retransmission, or out of order. */
  private retransmission(
    a: ConversationAnalysis,
    fwd: DirectionState,
    rev: DirectionState,
    s: SegmentFacts,
    ta: SegmentAnalysis,
  ): void {
    const { seq, flags } = s;
    const seglen = s.length;
    if (ta.flags & TCP_A_KEEP_ALIVE) return;
    let notAdvanced = fwd.nextSeq !== 0 && ltSeq(seq, fwd.nextSeq);
    // One byte before the next: after a zero window probe, new data.
    if (seglen > 1 && u32(fwd.nextSeq - 1) === seq) notAdvanced = false;
    if (seglen > 0 && rev.lastAck !== 0 && seqDiff(u32(seq + seglen), rev.lastAck) <= 0) {
      ta.mark(TCP_A_SPURIOUS_RETRANSMISSION);
      return;
    }
    // Wireshark's default order (tcp.fastrt_supersedes_ooo): fast retransmission, then out-of-order.
    const sinceDupAck = elapsedNs(s.sec, s.nsec, rev.lastAckSec, rev.lastAckNsec);
    if (notAdvanced && rev.dupAckNum >= 2 && rev.lastAck === seq && sinceDupAck < FAST_RETRANSMISSION_NS) {
      ta.mark(TCP_A_FAST_RETRANSMISSION);
      return;
    }
    const sinceHighest = elapsedNs(s.sec, s.nsec, fwd.nextSeqSec, fwd.nextSeqNsec);
    // The handshake's RTT where known (a negative one, as Wireshark's unsigned threshold, is no bound).
    const rtt = a.firstRtt;
    const threshold = rtt.zero ? OUT_OF_ORDER_NS : rtt.sec < 0 || rtt.nsec < 0 ? Infinity : rtt.sec * 1e9 + rtt.nsec;
    const end = u32(seq + seglen + (flags & (SYN | FIN) ? 1 : 0));
    if (notAdvanced && sinceHighest < threshold && fwd.nextSeq !== end) {
      ta.mark(TCP_A_OUT_OF_ORDER);
      return;
    }
    if (!notAdvanced) return;
    ta.mark(TCP_A_RETRANSMISSION);
    // From the oldest segment not yet acknowledged, else from the one that last advanced the sequence.
    const u = fwd.unacked;
    if (u.length > 0) {
      ta.rto.setDelta(s.sec, s.nsec, u.sec[0]!, u.nsec[0]!);
      ta.rtoFrame = u.frame[0]!;
    } else {
      ta.rto.setDelta(s.sec, s.nsec, fwd.nextSeqSec, fwd.nextSeqNsec);
      ta.rtoFrame = fwd.nextSeqFrame;
    }
  }

  /** Forgets the other direction's segments this ACK covers; the oldest one it ends at is the one it acknowledges. */
  private acknowledge(rev: DirectionState, s: SegmentFacts, ta: SegmentAnalysis): void {
    const u = rev.unacked;
    const ack = s.ack;
    const n = u.length;
    let kept = 0;
    // Wireshark walks its list newest first and keeps the last segment ending at the ACK: the oldest one.
    for (let i = 0; i < n; i++) {
      const next = u.nextSeq[i]!;
      if (ack === next) {
        if (ta.acksFrame === 0) {
          ta.present = true;
          ta.acksFrame = u.frame[i]!;
          ta.ackRtt.setDelta(s.sec, s.nsec, u.sec[i]!, u.nsec[i]!);
        }
        continue;
      }
      // Acknowledged to its end or beyond: forgotten.
      if (!gtSeq(next, ack)) continue;
      u.move(i, kept);
      // Part of it acknowledged: what is left starts at the ACK.
      if (gtSeq(ack, u.seq[kept]!)) {
        u.seq[kept] = ack;
        rev.spanKnown = false;
      }
      kept++;
    }
    if (kept === n) return;
    u.truncate(kept);
    rev.spanKnown = false;
    this.unackedHeld -= n - kept;
  }

  /** The bytes in flight after this segment and those sent since the last PSH (Wireshark's payload-based count). */
  private inFlight(fwd: DirectionState, rev: DirectionState, s: SegmentFacts, ta: SegmentAnalysis): void {
    const u = fwd.unacked;
    if (s.length === 0 || u.length === 0 || !fwd.validBif) return;
    if (!fwd.spanKnown || fwd.spanBase !== s.base) {
      let first = u32(u.seq[0]! - s.base);
      let last = u32(u.nextSeq[0]! - s.base);
      for (let i = 1; i < u.length; i++) {
        last = Math.max(last, u32(u.nextSeq[i]! - s.base));
        first = Math.min(first, u32(u.seq[i]! - s.base));
      }
      fwd.spanFirst = first;
      fwd.spanLast = last;
      fwd.spanBase = s.base;
      fwd.spanKnown = true;
    }
    // Less what the other side SACKed.
    const inFlight = u32(fwd.spanLast - fwd.spanFirst - rev.sackBytes);
    if (inFlight > 0 && inFlight < 2_000_000_000) {
      ta.present = true;
      // A SYN's or FIN's byte is no data.
      ta.bytesInFlight = s.flags & (SYN | FIN) ? u32(inFlight - 1) : inFlight;
    }
    // Counted afresh from the segment after a PSH.
    fwd.pushBytesSent = fwd.pushSetLast ? s.length : u32(fwd.pushBytesSent + s.length);
    fwd.pushSetLast = (s.flags & PSH) !== 0;
    ta.present = true;
    ta.pushBytesSent = fwd.pushBytesSent;
  }
}

/** The analysis is shown for the segment (Wireshark's tree has `[SEQ/ACK analysis]`). */
const shown = (l: Layer): boolean => l.flow.stream >= 0 && l.flow.analysis.present;
const flagged = (l: Layer, mask: number): boolean => shown(l) && (l.flow.analysis.flags & mask) !== 0;

/** A flag's expert item as Wireshark 4.0 words it (group Sequence). */
interface FlagItem {
  flag: number;
  name: string;
  message: string;
  severity: 'Note' | 'Warning' | 'Chat';
}
const item = (flag: number, name: string, message: string, severity: FlagItem['severity']): FlagItem => ({
  flag,
  name: `tcp.analysis.${name}`,
  message,
  severity,
});
const REUSED = item(
  TCP_A_REUSED_PORTS,
  'reused_ports',
  'A new tcp session is started with the same ports as an earlier session in this trace',
  'Note',
);
const RETRANSMISSION = item(
  TCP_A_RETRANSMISSION,
  'retransmission',
  'This frame is a (suspected) retransmission',
  'Note',
);
const FAST = item(
  TCP_A_FAST_RETRANSMISSION,
  'fast_retransmission',
  'This frame is a (suspected) fast retransmission',
  'Note',
);
const SPURIOUS = item(
  TCP_A_SPURIOUS_RETRANSMISSION,
  'spurious_retransmission',
  'This frame is a (suspected) spurious retransmission',
  'Note',
);
const OUT_OF_ORDER = item(
  TCP_A_OUT_OF_ORDER,
  'out_of_order',
  'This frame is a (suspected) out-of-order segment',
  'Warning',
);
const LOST = item(
  TCP_A_LOST_PACKET,
  'lost_segment',
  'Previous segment(s) not captured (common at capture start)',
  'Warning',
);
const ACK_LOST = item(
  TCP_A_ACK_LOST_PACKET,
  'ack_lost_segment',
  "ACKed segment that wasn't captured (common at capture start)",
  'Warning',
);
const WINDOW_UPDATE = item(TCP_A_WINDOW_UPDATE, 'window_update', 'TCP window update', 'Chat');
const WINDOW_FULL = item(
  TCP_A_WINDOW_FULL,
  'window_full',
  'TCP window specified by the receiver is now completely full',
  'Warning',
);
const KEEP_ALIVE = item(TCP_A_KEEP_ALIVE, 'keep_alive', 'TCP keep-alive segment', 'Note');
const KEEP_ALIVE_ACK = item(TCP_A_KEEP_ALIVE_ACK, 'keep_alive_ack', 'ACK to a TCP keep-alive segment', 'Note');
const DUPLICATE_ACK = item(TCP_A_DUPLICATE_ACK, 'duplicate_ack', 'Duplicate ACK', 'Note');
const ZERO_WINDOW_PROBE = item(TCP_A_ZERO_WINDOW_PROBE, 'zero_window_probe', 'TCP Zero Window Probe', 'Note');
const ZERO_WINDOW = item(TCP_A_ZERO_WINDOW, 'zero_window', 'TCP Zero Window segment', 'Warning');
const ZERO_WINDOW_PROBE_ACK = item(
  TCP_A_ZERO_WINDOW_PROBE_ACK,
  'zero_window_probe_ack',
  'ACK to a TCP Zero Window Probe',
  'Note',
);

/** The flag fields, each present where one of the flags it stands for is set (a fast retransmission is one too). */
const FLAG_FIELDS: [FlagItem, number][] = [
  [RETRANSMISSION, TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION],
  ...[FAST, SPURIOUS, OUT_OF_ORDER, REUSED, LOST, ACK_LOST, WINDOW_UPDATE, WINDOW_FULL, KEEP_ALIVE, KEEP_ALIVE_ACK].map(
    (i): [FlagItem, number] => [i, i.flag],
  ),
  [ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE],
  [ZERO_WINDOW, TCP_A_ZERO_WINDOW],
  [ZERO_WINDOW_PROBE_ACK, TCP_A_ZERO_WINDOW_PROBE_ACK],
];

const ZERO = new Span();

/** A generated 32-bit number (a frame's number too), there where `value` gives one (not null). */
const counted = (name: string, label: string, value: (a: SegmentAnalysis) => number | null): FieldSpec => ({
  name,
  conversation: true,
  label,
  type: 'uint',
  bits: 32,
  generated: true,
  read: (l, v) => {
    const n = shown(l) ? value(l.flow.analysis) : null;
    if (n !== null) v.num(n, l.buf, l.off, 0);
  },
});
const span = (name: string, label: string, value: (a: SegmentAnalysis) => Span): FieldSpec => ({
  name,
  conversation: true,
  label,
  type: 'reltime',
  generated: true,
  read: (l, v) => {
    if (!shown(l)) return;
    const s = value(l.flow.analysis);
    if (!s.zero) v.time(s.sec, s.nsec);
  },
});
const mark = (name: string, label: string, present: (l: Layer) => boolean, times = 1): FieldSpec => ({
  name,
  conversation: true,
  label,
  type: 'none',
  generated: true,
  read: (l, v) => {
    if (present(l)) for (let i = 0; i < times; i++) v.num(0, l.buf, l.off, 0);
  },
});

/**
 * `tcp.analysis.*`, as tshark 4.0 registers them. The flags are Wireshark's expert items (a duplicate ACK is also an
 * item of its own, so that field is there twice); the numbers are there where the tree shows them.
 */
export const TCP_ANALYSIS_FIELDS: FieldSpec[] = [
  mark('tcp.analysis', 'SEQ/ACK analysis', shown),
  counted('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', (a) => a.acksFrame || null),
  span('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', (a) => (a.acksFrame ? a.ackRtt : ZERO)),
  span('tcp.analysis.initial_rtt', 'iRTT', (a) => a.firstRtt),
  counted('tcp.analysis.bytes_in_flight', 'Bytes in flight', (a) => a.bytesInFlight || null),
  // Shown with the bytes in flight.
  counted('tcp.analysis.push_bytes_sent', 'Bytes sent since last PSH flag', (a) =>
    a.bytesInFlight ? a.pushBytesSent : null,
  ),
  mark('tcp.analysis.flags', 'TCP Analysis Flags', (l) => flagged(l, 0xffff)),
  ...FLAG_FIELDS.map(([i, mask]) => mark(i.name, i.message, (l) => flagged(l, mask))),
  mark('tcp.analysis.duplicate_ack', 'Duplicate ACK', (l) => flagged(l, TCP_A_DUPLICATE_ACK), 2),
  counted('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', (a) =>
    a.flags & TCP_A_DUPLICATE_ACK ? a.dupAckNum : null,
  ),
  counted('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', (a) =>
    a.flags & TCP_A_DUPLICATE_ACK ? a.dupAckFrame : null,
  ),
  span('tcp.analysis.rto', 'The RTO for this segment was', (a) => (a.flags & TCP_A_RETRANSMISSION ? a.rto : ZERO)),
  counted('tcp.analysis.rto_frame', 'RTO based on delta from frame', (a) =>
    a.flags & TCP_A_RETRANSMISSION && !a.rto.zero ? a.rtoFrame : null,
  ),
];

/**
 * -V's `[SEQ/ACK analysis]` subtree as Wireshark's: the ACK's frame and RTT, the handshake's RTT, the bytes in flight,
 * then `[TCP Analysis Flags]` with each flag's expert item (its message, severity and group) in Wireshark's order.
 * `draw` visits a field (by name) at a depth; `text` a line of no field.
 */
export function analysisTree(
  l: Layer,
  draw: (name: string, depth: number) => void,
  text: (line: string, depth: number) => void,
): void {
  if (!shown(l)) return;
  const a = l.flow.analysis;
  const expert = (message: string, severity: string, depth: number) => {
    text(`[Expert Info (${severity}/Sequence): ${message}]`, depth);
    text(`[${message}]`, depth + 1);
    text(`[Severity level: ${severity}]`, depth + 1);
    text('[Group: Sequence]', depth + 1);
  };
  const flag = (i: FlagItem) => {
    if (a.flags & i.flag) expert(i.message, i.severity, 3);
  };
  draw('tcp.analysis', 1);
  draw('tcp.analysis.acks_frame', 2);
  draw('tcp.analysis.ack_rtt', 2);
  draw('tcp.analysis.initial_rtt', 2);
  draw('tcp.analysis.bytes_in_flight', 2);
  draw('tcp.analysis.push_bytes_sent', 2);
  if (a.flags === 0) return;
  draw('tcp.analysis.flags', 2);
  flag(REUSED);
  if (a.flags & TCP_A_RETRANSMISSION) {
    flag(RETRANSMISSION);
    draw('tcp.analysis.rto', 3);
    draw('tcp.analysis.rto_frame', 3);
  }
  for (const other of [FAST, SPURIOUS])
    if (a.flags & other.flag) {
      flag(other);
      expert(RETRANSMISSION.message, RETRANSMISSION.severity, 3);
    }
  for (const i of [OUT_OF_ORDER, LOST, ACK_LOST, WINDOW_UPDATE, WINDOW_FULL, KEEP_ALIVE, KEEP_ALIVE_ACK]) flag(i);
  if (a.flags & TCP_A_DUPLICATE_ACK) {
    text('[This is a TCP duplicate ack]', 3);
    draw('tcp.analysis.duplicate_ack_num', 2);
    draw('tcp.analysis.duplicate_ack_frame', 2);
    expert(`${DUPLICATE_ACK.message} (#${a.dupAckNum})`, DUPLICATE_ACK.severity, 3);
  }
  for (const i of [ZERO_WINDOW_PROBE, ZERO_WINDOW, ZERO_WINDOW_PROBE_ACK]) flag(i);
}
