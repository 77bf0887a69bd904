import type { PacketCtx } from '../dissect/packet.js';
import type { Span } from '../util/span.js';

/** A span as nanoseconds: exact to 2^53 ns (104 days); a longer (hostile) one is off by some nanoseconds. */
const spanNs = (s: Span): number => s.sec * 1e9 + s.nsec;
function setSpan(s: Span, ns: number): void {
  s.sec = Math.trunc(ns / 1e9);
  s.nsec = ns - s.sec * 1e9;
}

/**
 * An entry's numbers, in two columns of a chunk: those that need a double (its packet, which a long live capture can
 * take past 2^32; the frame times' seconds; the analysis's spans in nanoseconds), and the 32-bit rest (TCP's numbers
 * and frames are 32-bit, as Wireshark's). Doubles for all took 168 bytes an entry, 40 MB more for the UI's read of a
 * 1M-packet capture; these take 112.
 */
const F_PACKET = 0;
const F_PREV_SEC = 1;
const F_FIRST_SEC = 2;
const F_ACK_RTT = 3;
const F_FIRST_RTT = 4;
const F_RTO = 5;
const DOUBLES = 6;
const U_PACKED = 0;
const U_STREAM = 1;
const U_SEQ = 2;
const U_ACK = 3;
const U_NEXT_SEQ = 4;
const U_WINDOW = 5;
const U_PREV_NSEC = 6;
const U_FIRST_NSEC = 7;
const U_ACK_BASE = 8;
const U_FLAGS = 9;
const U_DUP_ACK_NUM = 10;
const U_ACKS_FRAME = 11;
const U_BYTES_IN_FLIGHT = 12;
const U_PUSH_BYTES = 13;
const U_DUP_ACK_FRAME = 14;
const U_RTO_FRAME = 15;
const WORDS = 16;
const ENTRIES_PER_CHUNK = 4096;

/** The packed word's bits above the layer's number (0-63) and the completeness (bits 7-14). */
const RELATIVE = 1 << 15;
const NO_TIMES = 1 << 16;
const SCALE_SHIFT = 17;
/** The window scale is 5 bits from SCALE_SHIFT: -2 to 14 stored plus 2, 31 for a SYN's NaN. */
const SCALE_NONE = 31;
const NO_NEXT_SEQ = 1 << 22;
/** The analysis's word: its 16 flags, then whether it was made. */
const ANALYSIS_PRESENT = 1 << 16;

interface Chunk {
  readonly f: Float64Array;
  readonly u: Uint32Array;
}

/**
 * What each packet's TCP and UDP layers saw of their conversations when the capture was read in order (the engine's
 * flow facts: tcp.stream, the relative sequence numbers, the stream's times, the SEQ/ACK analysis), for the UI's
 * lists, which dissect a packet again on its own: its detail and its filters then read what a read in order gives, as
 * tshark's. Kept only for packets with such layers, in chunks; a live capture's are forgotten with its packets.
 */
export class FlowLog {
  private readonly chunks: Chunk[] = [];
  /** Entries in the chunks dropped from the front. */
  private droppedEntries = 0;
  private length = 0;

  /** Keeps the facts of packet `seq`'s TCP and UDP layers (read after the engine dissected it in order). */
  record(seq: number, ctx: PacketCtx): void {
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      const f = l.flow;
      if (f.stream < 0) continue;
      const at = this.length - this.droppedEntries;
      const c = Math.floor(at / ENTRIES_PER_CHUNK);
      if (c >= this.chunks.length)
        this.chunks.push({
          f: new Float64Array(ENTRIES_PER_CHUNK * DOUBLES),
          u: new Uint32Array(ENTRIES_PER_CHUNK * WORDS),
        });
      const { f: d, u } = this.chunks[c]!;
      const p = (at % ENTRIES_PER_CHUNK) * DOUBLES;
      const q = (at % ENTRIES_PER_CHUNK) * WORDS;
      const a = f.analysis;
      d[p + F_PACKET] = seq;
      d[p + F_PREV_SEC] = f.prevSec;
      d[p + F_FIRST_SEC] = f.firstSec;
      d[p + F_ACK_RTT] = spanNs(a.ackRtt);
      d[p + F_FIRST_RTT] = spanNs(a.firstRtt);
      d[p + F_RTO] = spanNs(a.rto);
      u[q + U_PACKED] =
        i +
        f.completeness * 128 +
        (f.relative ? RELATIVE : 0) +
        (f.noTimes ? NO_TIMES : 0) +
        (Number.isNaN(f.winScale) ? SCALE_NONE : f.winScale + 2) * (1 << SCALE_SHIFT) +
        (f.nextSeq < 0 ? NO_NEXT_SEQ : 0);
      u[q + U_STREAM] = f.stream;
      u[q + U_SEQ] = f.seq;
      u[q + U_ACK] = f.ack;
      u[q + U_NEXT_SEQ] = f.nextSeq < 0 ? 0 : f.nextSeq;
      u[q + U_WINDOW] = f.window;
      u[q + U_PREV_NSEC] = f.prevNsec;
      u[q + U_FIRST_NSEC] = f.firstNsec;
      u[q + U_ACK_BASE] = f.ackBase;
      u[q + U_FLAGS] = a.flags + (a.present ? ANALYSIS_PRESENT : 0);
      u[q + U_DUP_ACK_NUM] = a.dupAckNum;
      u[q + U_ACKS_FRAME] = a.acksFrame;
      u[q + U_BYTES_IN_FLIGHT] = a.bytesInFlight;
      u[q + U_PUSH_BYTES] = a.pushBytesSent;
      u[q + U_DUP_ACK_FRAME] = a.dupAckFrame;
      u[q + U_RTO_FRAME] = a.rtoFrame;
      this.length++;
    }
  }

  /** Gives packet `seq`'s layers, dissected again on their own, the facts recorded for them. */
  restore(seq: number, ctx: PacketCtx): void {
    let i = this.lowerBound(seq);
    for (; i < this.length; i++) {
      const at = i - this.droppedEntries;
      const { f: d, u } = this.chunks[Math.floor(at / ENTRIES_PER_CHUNK)]!;
      const p = (at % ENTRIES_PER_CHUNK) * DOUBLES;
      const q = (at % ENTRIES_PER_CHUNK) * WORDS;
      if (d[p + F_PACKET] !== seq) return;
      const packed = u[q + U_PACKED]!;
      const layer = packed % 64;
      if (layer >= ctx.count) continue;
      const f = ctx.layers[layer]!.flow;
      f.stream = u[q + U_STREAM]!;
      f.completeness = Math.floor(packed / 128) % 256;
      f.relative = (packed & RELATIVE) !== 0;
      f.noTimes = (packed & NO_TIMES) !== 0;
      const scale = (packed >>> SCALE_SHIFT) & 31;
      f.winScale = scale === SCALE_NONE ? Number.NaN : scale - 2;
      f.seq = u[q + U_SEQ]!;
      f.ack = u[q + U_ACK]!;
      f.nextSeq = packed & NO_NEXT_SEQ ? -1 : u[q + U_NEXT_SEQ]!;
      f.window = u[q + U_WINDOW]!;
      f.prevSec = d[p + F_PREV_SEC]!;
      f.prevNsec = u[q + U_PREV_NSEC]!;
      f.firstSec = d[p + F_FIRST_SEC]!;
      f.firstNsec = u[q + U_FIRST_NSEC]!;
      f.ackBase = u[q + U_ACK_BASE]!;
      const a = f.analysis;
      const flags = u[q + U_FLAGS]!;
      a.flags = flags % ANALYSIS_PRESENT;
      a.present = (flags & ANALYSIS_PRESENT) !== 0;
      a.dupAckNum = u[q + U_DUP_ACK_NUM]!;
      a.acksFrame = u[q + U_ACKS_FRAME]!;
      setSpan(a.ackRtt, d[p + F_ACK_RTT]!);
      setSpan(a.firstRtt, d[p + F_FIRST_RTT]!);
      a.bytesInFlight = u[q + U_BYTES_IN_FLIGHT]!;
      a.pushBytesSent = u[q + U_PUSH_BYTES]!;
      a.dupAckFrame = u[q + U_DUP_ACK_FRAME]!;
      setSpan(a.rto, d[p + F_RTO]!);
      a.rtoFrame = u[q + U_RTO_FRAME]!;
    }
  }

  /** Forgets the entries of packets below `oldest`, a chunk at a time (a live capture's ring moved on). */
  trim(oldest: number): void {
    while (this.chunks.length > 1) {
      if (this.chunks[0]!.f[(ENTRIES_PER_CHUNK - 1) * DOUBLES + F_PACKET]! >= oldest) break;
      this.chunks.shift();
      this.droppedEntries += ENTRIES_PER_CHUNK;
    }
  }

  /** The first entry whose packet is at least `seq`. */
  private lowerBound(seq: number): number {
    let lo = this.droppedEntries;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = mid - this.droppedEntries;
      const d = this.chunks[Math.floor(at / ENTRIES_PER_CHUNK)]!.f;
      if (d[(at % ENTRIES_PER_CHUNK) * DOUBLES + F_PACKET]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
