import { newFrame, type Frame, type FrameSource } from '../capture/frame.js';
import { openCapture } from '../capture/open.js';
import { Engine } from '../dissect/engine.js';
import type { PacketCtx } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import type { EngineOptions } from '../dissect/state.js';
import { PeerPairs } from '../tunnels/peer-pair.js';
import { FlowLog } from './flow-log.js';
import type { TunnelTable } from '../tunnels/table.js';

/**
 * Where the UI's packet lists find their packets again. A file is indexed:
 * each packet costs 8 bytes (where its record starts), and is read and
 * dissected again when a list shows it. A live capture keeps its newest
 * packets in a ring of bounded size. Either way memory does not follow
 * the capture's bytes.
 */
export interface PacketStore {
  /** Packets numbered so far (packet n is frame n + 1). */
  readonly total: number;
  /** The oldest packet that can still be read (live: the ring forgets). */
  readonly oldest: number;
  /** The packet's frame, valid until the next read; null when it cannot be read again. */
  read(seq: number): Frame | null;
  close(): void;
}

const CHUNK = 1 << 16;

/** A growing array of doubles in fixed chunks: growing never copies what is held. */
class ChunkedF64 {
  private readonly chunks: Float64Array[] = [];
  length = 0;

  push(v: number): void {
    const c = this.length >>> 16;
    if (c === this.chunks.length) this.chunks.push(new Float64Array(CHUNK));
    this.chunks[c]![this.length & (CHUNK - 1)] = v;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> 16]![i & (CHUNK - 1)]!;
  }
}

/** Files past the first are told apart in the offset's high part (a file may be up to 2^40 bytes). */
const FILE_SHIFT = 2 ** 40;

/** The packets of capture files, by where their records start. */
export class FileStore implements PacketStore {
  private readonly at = new ChunkedF64();
  private readonly readers: (FrameSource | null)[] = [];
  readonly oldest = 0;

  constructor(private readonly paths: string[]) {}

  get total(): number {
    return this.at.length;
  }

  /** The packet just read from file `file` (its index in paths), whose record is at `recordAt`. */
  add(file: number, recordAt: number): void {
    this.at.push(file * FILE_SHIFT + recordAt);
  }

  read(seq: number): Frame | null {
    if (seq < 0 || seq >= this.at.length) return null;
    const v = this.at.get(seq);
    const file = Math.floor(v / FILE_SHIFT);
    const offset = v - file * FILE_SHIFT;
    let r = this.readers[file];
    if (r === undefined) {
      try {
        r = openCapture(this.paths[file]!);
        // A pcapng reader learns the interfaces as it goes: the first packet brings it past them.
        r.next();
      } catch {
        r = null;
      }
      this.readers[file] = r;
    }
    if (!r?.seek) return null;
    r.seek(offset);
    return r.next() ? r.frame : null;
  }

  close(): void {
    for (const r of this.readers) r?.close();
    this.readers.length = 0;
  }
}

/** Live capture: the newest packets, at most RING_PACKETS of them and RING_BYTES of their bytes. */
const RING_PACKETS = 1 << 18;
const RING_BYTES = 64 << 20;

export class LiveStore implements PacketStore {
  private readonly bytes: Uint8Array;
  private readonly start = new Int32Array(RING_PACKETS);
  private readonly caplen = new Int32Array(RING_PACKETS);
  private readonly len = new Int32Array(RING_PACKETS);
  private readonly sec = new Float64Array(RING_PACKETS);
  private readonly nsec = new Int32Array(RING_PACKETS);
  private readonly link = new Int32Array(RING_PACKETS);
  private readonly digits = new Int8Array(RING_PACKETS);
  private head = 0;
  total = 0;
  oldest = 0;
  private readonly frame = newFrame();

  constructor(
    private readonly maxBytes = RING_BYTES,
    private readonly maxPackets = RING_PACKETS,
  ) {
    this.bytes = new Uint8Array(maxBytes);
  }

  add(f: Frame): void {
    const n = Math.min(f.caplen, this.maxBytes);
    let at = this.head;
    const wrapped = at + n > this.maxBytes;
    const skipped = at;
    if (wrapped) at = 0;
    // The oldest packets go until the new one has room: those in the tail left unused by a
    // wrap, and those its bytes would cover.
    while (this.oldest < this.total) {
      const o = this.oldest % this.maxPackets;
      const s = this.start[o]!;
      const overlaps = s < at + n && s + this.caplen[o]! > at;
      const inSkippedTail = wrapped && s >= skipped;
      if (!overlaps && !inSkippedTail && this.total - this.oldest < this.maxPackets) break;
      this.oldest++;
    }
    const i = this.total % this.maxPackets;
    this.bytes.set(f.data.subarray(f.off, f.off + n), at);
    this.start[i] = at;
    this.caplen[i] = n;
    this.len[i] = f.len;
    this.sec[i] = f.tsSec;
    this.nsec[i] = f.tsNsec;
    this.link[i] = f.linktype;
    this.digits[i] = f.tsDigits;
    this.head = at + n;
    this.total++;
  }

  read(seq: number): Frame | null {
    if (seq < this.oldest || seq >= this.total) return null;
    const i = seq % this.maxPackets;
    const f = this.frame;
    f.data = this.bytes;
    f.dv = new DataView(this.bytes.buffer);
    f.off = this.start[i]!;
    f.caplen = this.caplen[i]!;
    f.len = this.len[i]!;
    f.tsSec = this.sec[i]!;
    f.tsNsec = this.nsec[i]!;
    f.linktype = this.link[i]!;
    f.tsDigits = this.digits[i]!;
    return f;
  }

  close(): void {}
}

/**
 * Packet numbers in increasing order, grown by doubling; the front can be
 * dropped (packets the live ring forgot), counted in `dropped`.
 */
export class SeqList {
  private a = new Uint32Array(64);
  private n = 0;
  private from = 0;
  dropped = 0;

  get length(): number {
    return this.n - this.from;
  }

  push(seq: number): void {
    if (this.n > 0 && this.a[this.n - 1] === seq) return; // a packet inside a tunnel twice is listed once
    if (this.n === this.a.length) {
      if (this.from > this.n / 2) {
        this.a.copyWithin(0, this.from, this.n);
        this.n -= this.from;
        this.from = 0;
      } else {
        const b = new Uint32Array(this.a.length * 2);
        b.set(this.a.subarray(0, this.n));
        this.a = b;
      }
    }
    this.a[this.n++] = seq;
  }

  get(i: number): number {
    return this.a[this.from + i]!;
  }

  /** Drops the packets below `oldest`. */
  trim(oldest: number): void {
    while (this.from < this.n && this.a[this.from]! < oldest) {
      this.from++;
      this.dropped++;
    }
    if (this.from === this.n && this.n > 0) {
      this.n = this.from = 0;
      if (this.a.length > 64) this.a = new Uint32Array(64);
    }
  }

  /** The first index whose packet number is at least `seq`. */
  lowerBound(seq: number): number {
    let lo = this.from;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.a[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.from;
  }
}

/**
 * The lists every packet is filed in as it is read: all packets, each
 * tunnel's, each IPsec peer pair's (IKE, ESP, AH).
 */
export class PacketLists {
  readonly tunnels = new Map<number, SeqList>();
  readonly peers = new Map<string, SeqList>();
  /** The table's names of the peer pairs (lower address first, as text). */
  private readonly peerNames = new PeerPairs<string>(10_000);
  private sinceSweep = 0;
  /** What the packets' TCP and UDP layers saw of their conversations, read in order (the engine keeps them). */
  private readonly flows = new FlowLog();
  firstSec = 0;
  firstNsec = 0;

  constructor(readonly store: PacketStore) {}

  /** After the table observed the packet numbered `seq`. */
  file(seq: number, ctx: PacketCtx, table: TunnelTable): void {
    if (seq === 0) {
      this.firstSec = ctx.tsSec;
      this.firstNsec = ctx.tsNsec;
    }
    this.flows.record(seq, ctx);
    for (const t of table.active) {
      let l = this.tunnels.get(t.id);
      if (!l) this.tunnels.set(t.id, (l = new SeqList()));
      l.push(seq);
    }
    for (let i = 1; i < ctx.count; i++) {
      const proto = ctx.layers[i]!.proto;
      if (proto !== P.esp && proto !== P.ah && proto !== P.isakmp) continue;
      let net = i - 1;
      while (net >= 0 && !ctx.layers[net]!.proto.network) net--;
      if (net < 0) break;
      let key = this.peerNames.known(ctx.layers[net]!);
      if (key === undefined) this.peerNames.remember((key = this.peerNames.key));
      let l = this.peers.get(key);
      if (!l) this.peers.set(key, (l = new SeqList()));
      l.push(seq);
      break;
    }
    // Live: lists of tunnels that went quiet would keep numbers the ring forgot.
    if (this.store.oldest > 0 && ++this.sinceSweep >= 65536) {
      this.sinceSweep = 0;
      this.flows.trim(this.store.oldest);
      for (const m of [this.tunnels, this.peers] as Map<unknown, SeqList>[]) {
        for (const [k, l] of m) {
          l.trim(this.store.oldest);
          if (l.length === 0) m.delete(k);
        }
      }
    }
  }

  /**
   * A packet dissected again on its own with a fresh engine: what needed
   * other packets (reassembly) is not redone, but its TCP and UDP layers
   * are given what they saw of their conversations in the first read. With
   * an engine given (a scan in list order), the previous frame is the
   * list's, not the capture's.
   */
  dissect(seq: number, options: EngineOptions, engine?: Engine): PacketCtx | null {
    const e = engine ?? new Engine(options);
    if (seq > 0) {
      // The time since the previous frame needs that frame's time: read it first (the frame object is reused).
      const prev = engine ? null : this.store.read(seq - 1);
      e.ctx.firstSec = this.firstSec;
      e.ctx.firstNsec = this.firstNsec;
      e.ctx.tsSec = prev ? prev.tsSec : this.firstSec;
      e.ctx.tsNsec = prev ? prev.tsNsec : this.firstNsec;
    }
    const f = this.store.read(seq);
    if (!f) return null;
    e.numberFrom(seq + 1);
    const ctx = e.dissect(f);
    this.flows.restore(seq, ctx);
    return ctx;
  }
}
