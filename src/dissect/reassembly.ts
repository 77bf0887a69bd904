/**
 * IPv4 and IPv6 fragment reassembly with bounded memory: at most
 * `maxDatagrams` datagrams and `maxBytes` bytes wait at once, and a datagram
 * whose fragments stop coming is dropped after `timeoutSec` of capture time.
 *
 * Every fragment costs constant time plus its length: coverage is kept per
 * 8-byte unit (fragments start on 8-byte boundaries), so nothing is sorted
 * or scanned per fragment; the parts are put in order once, when complete.
 * The byte budget counts each datagram's and each fragment's overhead, not
 * only payload, so a flood of empty fragments is refused like any other.
 */
interface Pending {
  parts: { off: number; data: Uint8Array }[];
  /** Payload length, known once the last fragment (more-fragments clear) arrived; -1 before. */
  total: number;
  /** Bytes counted against the budget for this datagram. */
  bytes: number;
  firstSeen: number;
  /** Bytes covered from the start of each 8-byte unit (0 to 8): fragments start on a unit. */
  cover: Uint8Array;
  /** Units wholly covered below the end (all of them while the end is unknown). */
  full: number;
}

/** A datagram can be at most 64 KiB of payload (IPv6 jumbograms are not fragmented). */
const MAX_DATAGRAM = 65535;
const UNITS = Math.ceil(MAX_DATAGRAM / 8);
/** What a waiting datagram and a kept part cost besides payload (objects, map entry, the coverage units). */
const DATAGRAM_OVERHEAD = UNITS + 256;
const PART_OVERHEAD = 64;

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;
  /** Counters for the report. */
  completed = 0;
  expired = 0;
  dropped = 0;

  constructor(private readonly limits: { maxDatagrams: number; maxBytes: number; timeoutSec: number }) {}

  /** Bytes held against the budget now (for tests and the report). */
  get held(): number {
    return this.bytes;
  }

  /**
   * Adds the fragment [off, off + data.length) of the datagram `key`. Returns
   * the whole payload when this fragment completes it, null while it waits,
   * and "dropped" when a limit refused it.
   */
  add(key: string, now: number, off: number, data: Uint8Array, more: boolean): Uint8Array | null | 'dropped' {
    this.expire(now);
    if (off + data.length > MAX_DATAGRAM) {
      this.dropped++;
      return 'dropped';
    }
    let p = this.pending.get(key);
    const cost = data.length + PART_OVERHEAD + (p ? 0 : DATAGRAM_OVERHEAD);
    if ((!p && this.pending.size >= this.limits.maxDatagrams) || this.bytes + cost > this.limits.maxBytes) {
      this.dropped++;
      return 'dropped';
    }
    if (!p) {
      p = { parts: [], total: -1, bytes: 0, firstSeen: now, cover: new Uint8Array(UNITS + 1), full: 0 };
      this.pending.set(key, p);
    }
    const end = off + data.length;
    if (!more && p.total >= 0 && p.total !== end) {
      // Two last fragments that disagree on the end: no true datagram (Linux drops it too).
      this.forget(key, p);
      this.dropped++;
      return 'dropped';
    }
    p.bytes += cost;
    this.bytes += cost;
    // An empty fragment adds nothing to keep (it may still tell the end), but costs its overhead
    // all the same: a datagram has no business with thousands of them.
    if (data.length > 0) {
      p.parts.push({ off, data: data.slice() });
      this.coverRange(p, off, end);
    }
    if (!more && p.total < 0) {
      p.total = end;
      // The end is known from now on: units past it no longer count (once per datagram).
      const last = end >> 3;
      for (let u = last; u < p.cover.length; u++) if (p.cover[u] === 8) p.full--;
    }
    if (p.total < 0) return null;
    const whole = p.total >> 3;
    const rest = p.total & 7;
    if (p.full < whole || (rest > 0 && p.cover[whole]! < rest)) return null;

    const out = new Uint8Array(p.total);
    // Fragments may overlap or (lying) run past the end the last fragment set: put in offset
    // order (arrival order at equal offsets), later ones over earlier ones.
    p.parts.sort((a, b) => a.off - b.off);
    for (const part of p.parts) {
      if (part.off < p.total) out.set(part.data.subarray(0, Math.min(part.data.length, p.total - part.off)), part.off);
    }
    this.forget(key, p);
    this.completed++;
    return out;
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Marks [off, end) covered; `off` is on a unit boundary. */
  private coverRange(p: Pending, off: number, end: number): void {
    const limit = p.total < 0 ? Infinity : p.total >> 3;
    for (let u = off >> 3; u << 3 < end; u++) {
      const before = p.cover[u]!;
      const now = Math.max(before, Math.min(8, end - (u << 3)));
      if (now === before) continue;
      p.cover[u] = now;
      if (now === 8 && u < limit) p.full++;
    }
  }

  private expire(now: number): void {
    // Map iteration is insertion order, so the oldest datagrams come first.
    for (const [key, p] of this.pending) {
      if (now - p.firstSeen <= this.limits.timeoutSec) break;
      this.forget(key, p);
      this.expired++;
    }
  }

  private forget(key: string, p: Pending): void {
    this.pending.delete(key);
    this.bytes -= p.bytes;
  }
}
