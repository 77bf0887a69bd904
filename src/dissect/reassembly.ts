/**
 * IPv4 and IPv6 fragment reassembly with bounded memory: at most
 * `maxDatagrams` datagrams and `maxBytes` bytes wait at once, and a datagram
 * whose fragments stop coming is dropped after `timeoutSec` of capture time.
 */
interface Pending {
  parts: { off: number; data: Uint8Array }[];
  /** Payload length, known once the last fragment (more-fragments clear) arrived; -1 before. */
  total: number;
  bytes: number;
  firstSeen: number;
}

/** A datagram can be at most 64 KiB of payload (IPv6 jumbograms are not fragmented). */
const MAX_DATAGRAM = 65535;

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private bytes = 0;
  /** Counters for the report. */
  completed = 0;
  expired = 0;
  dropped = 0;

  constructor(private readonly limits: { maxDatagrams: number; maxBytes: number; timeoutSec: number }) {}

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
    if (!p) {
      if (this.pending.size >= this.limits.maxDatagrams) {
        this.dropped++;
        return 'dropped';
      }
      p = { parts: [], total: -1, bytes: 0, firstSeen: now };
      this.pending.set(key, p);
    }
    if (this.bytes + data.length > this.limits.maxBytes) {
      this.dropped++;
      return 'dropped';
    }
    p.parts.push({ off, data: data.slice() });
    p.bytes += data.length;
    this.bytes += data.length;
    if (!more) p.total = off + data.length;
    if (p.total < 0) return null;

    p.parts.sort((a, b) => a.off - b.off);
    let covered = 0;
    for (const part of p.parts) {
      if (covered >= p.total) break;
      if (part.off > covered) return null;
      covered = Math.max(covered, part.off + part.data.length);
    }
    if (covered < p.total) return null;

    const out = new Uint8Array(p.total);
    // Fragments may overlap or (lying) run past the end the last fragment set.
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
