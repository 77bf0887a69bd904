import type { PacketCtx } from '../dissect/packet.js';
import type { Span } from '../util/span.js';

/** A span as nanoseconds: exact to 2^53 ns (104 days); a longer (hostile) one is off by some nanoseconds. */
const spanNs = (s: Span): number => s.sec * 1e9 + s.nsec;
function setSpan(s: Span, ns: number): void {
  s.sec = Math.trunc(ns / 1e9);
  s.nsec = ns - s.sec * 1e9;
}

/**
 * Doubles an entry takes: its packet, its layer and flags, its stream, the TCP numbers, the stream's first and
 * previous frame times, the acknowledged direction's first sequence number; then the SEQ/ACK analysis (ANALYSIS_AT).
 */
const ANALYSIS_AT = 12;
const STRIDE = ANALYSIS_AT + 9;
const ENTRIES_PER_CHUNK = 4096;

/**
 * What each packet's TCP and UDP layers saw of their conversations when the capture was read in order (the engine's
 * flow facts: tcp.stream, the relative sequence numbers, the stream's times), for the UI's lists, which dissect a
 * packet again on its own: its detail and its filters then read what a read in order gives, as tshark's. Kept only for
 * packets with such layers, in chunks; a live capture's are forgotten with its packets.
 */
export class FlowLog {
  private readonly chunks: Float64Array[] = [];
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
      const c = at / ENTRIES_PER_CHUNK;
      if (c >= this.chunks.length) this.chunks.push(new Float64Array(ENTRIES_PER_CHUNK * STRIDE));
      const row = this.chunks[Math.floor(c)]!;
      const p = (at % ENTRIES_PER_CHUNK) * STRIDE;
      row[p] = seq;
      // Layer, completeness, flags and the window scale (-2 to 14, NaN for a SYN's) in one number.
      row[p + 1] =
        i +
        f.completeness * 128 +
        (f.relative ? 32768 : 0) +
        (f.noTimes ? 65536 : 0) +
        (Number.isNaN(f.winScale) ? 31 : f.winScale + 2) * 131072;
      row[p + 2] = f.stream;
      row[p + 3] = f.seq;
      row[p + 4] = f.ack;
      row[p + 5] = f.nextSeq;
      row[p + 6] = f.window;
      row[p + 7] = f.prevSec;
      row[p + 8] = f.prevNsec;
      row[p + 9] = f.firstSec;
      row[p + 10] = f.firstNsec;
      row[p + 11] = f.ackBase;
      const a = f.analysis;
      const q = p + ANALYSIS_AT;
      // Flags (16 bits), whether shown, and the duplicate ACK's number (32 bits) in one number.
      row[q] = a.flags + (a.present ? 65536 : 0) + a.dupAckNum * 131072;
      row[q + 1] = a.acksFrame;
      row[q + 2] = spanNs(a.ackRtt);
      row[q + 3] = spanNs(a.firstRtt);
      row[q + 4] = a.bytesInFlight;
      row[q + 5] = a.pushBytesSent;
      row[q + 6] = a.dupAckFrame;
      row[q + 7] = spanNs(a.rto);
      row[q + 8] = a.rtoFrame;
      this.length++;
    }
  }

  /** Gives packet `seq`'s layers, dissected again on their own, the facts recorded for them. */
  restore(seq: number, ctx: PacketCtx): void {
    let i = this.lowerBound(seq);
    for (; i < this.length; i++) {
      const at = i - this.droppedEntries;
      const row = this.chunks[Math.floor(at / ENTRIES_PER_CHUNK)]!;
      const p = (at % ENTRIES_PER_CHUNK) * STRIDE;
      if (row[p] !== seq) return;
      const packed = row[p + 1]!;
      const layer = packed % 64;
      if (layer >= ctx.count) continue;
      const f = ctx.layers[layer]!.flow;
      f.stream = row[p + 2]!;
      f.completeness = Math.floor(packed / 128) % 256;
      f.relative = Math.floor(packed / 32768) % 2 === 1;
      f.noTimes = Math.floor(packed / 65536) % 2 === 1;
      const scale = Math.floor(packed / 131072);
      f.winScale = scale === 31 ? Number.NaN : scale - 2;
      f.seq = row[p + 3]!;
      f.ack = row[p + 4]!;
      f.nextSeq = row[p + 5]!;
      f.window = row[p + 6]!;
      f.prevSec = row[p + 7]!;
      f.prevNsec = row[p + 8]!;
      f.firstSec = row[p + 9]!;
      f.firstNsec = row[p + 10]!;
      f.ackBase = row[p + 11]!;
      const a = f.analysis;
      const q = p + ANALYSIS_AT;
      const flags = row[q]!;
      a.flags = flags % 65536;
      a.present = Math.floor(flags / 65536) % 2 === 1;
      a.dupAckNum = Math.floor(flags / 131072);
      a.acksFrame = row[q + 1]!;
      setSpan(a.ackRtt, row[q + 2]!);
      setSpan(a.firstRtt, row[q + 3]!);
      a.bytesInFlight = row[q + 4]!;
      a.pushBytesSent = row[q + 5]!;
      a.dupAckFrame = row[q + 6]!;
      setSpan(a.rto, row[q + 7]!);
      a.rtoFrame = row[q + 8]!;
    }
  }

  /** Forgets the entries of packets below `oldest`, a chunk at a time (a live capture's ring moved on). */
  trim(oldest: number): void {
    while (this.chunks.length > 1) {
      const row = this.chunks[0]!;
      if (row[(ENTRIES_PER_CHUNK - 1) * STRIDE]! >= oldest) break;
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
      if (this.chunks[Math.floor(at / ENTRIES_PER_CHUNK)]![(at % ENTRIES_PER_CHUNK) * STRIDE]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
