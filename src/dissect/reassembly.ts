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
 * A datagram put together lists its fragments as Wireshark's reassembly does:
 * each one's frame, place and length, and what was wrong with it.
 */

/** What was wrong with a fragment, as tshark's reassembly flags it (FD_OVERLAP...). */
export const FRAGMENT_OVERLAP = 1;
/** Its bytes differ from those an earlier fragment gave for the same place. */
export const FRAGMENT_OVERLAP_CONFLICT = 2;
/** A second last fragment (more-fragments clear) that puts the end elsewhere: the first one's end holds. */
export const FRAGMENT_MULTIPLE_TAILS = 4;
/** It runs past the end the last fragment set (what lies past it is left out). */
export const FRAGMENT_TOO_LONG = 8;
/** The flags that make a fragment an error (tshark's ip.fragment.error rather than ip.fragment). */
export const FRAGMENT_ERRORS = FRAGMENT_OVERLAP_CONFLICT | FRAGMENT_MULTIPLE_TAILS | FRAGMENT_TOO_LONG;

/** One fragment of a datagram: the frame it came in, where its bytes go, how many, and its FRAGMENT_ flags. */
export interface Fragment {
  frame: number;
  off: number;
  len: number;
  flags: number;
  /** Its bytes while the datagram waits (null once it is put together). */
  data: Uint8Array | null;
}

/** A datagram put together: its payload, and its fragments in offset order (arrival order at equal offsets). */
export interface Reassembled {
  data: Uint8Array;
  fragments: Fragment[];
}

interface Pending {
  parts: Fragment[];
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
   * Adds the fragment [off, off + data.length) of the datagram `key`, which came in frame `frame`. Returns the
   * datagram when this fragment completes it, null while it waits, and "dropped" when a limit refused it.
   */
  add(
    key: string,
    now: number,
    frame: number,
    off: number,
    data: Uint8Array,
    more: boolean,
  ): Reassembled | null | 'dropped' {
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
    p.bytes += cost;
    this.bytes += cost;
    // An empty fragment adds no bytes (it may still tell the end), but is listed and costs its overhead all the same:
    // a datagram has no business with thousands of them.
    const part: Fragment = { frame, off, len: data.length, flags: 0, data: data.length > 0 ? data.slice() : null };
    p.parts.push(part);
    if (data.length > 0) this.coverRange(p, off, end);
    if (!more) {
      if (p.total < 0) {
        p.total = end;
        // The end is known from now on: units past it no longer count (once per datagram).
        const last = end >> 3;
        for (let u = last; u < p.cover.length; u++) if (p.cover[u] === 8) p.full--;
      } else if (p.total !== end) {
        // Two last fragments that disagree on the end: the first one's holds, as in tshark.
        part.flags |= FRAGMENT_MULTIPLE_TAILS;
      }
    }
    if (p.total < 0) return null;
    const whole = p.total >> 3;
    const rest = p.total & 7;
    if (p.full < whole || (rest > 0 && p.cover[whole]! < rest)) return null;
    this.forget(key, p);
    this.completed++;
    return { data: putTogether(p.parts, p.total), fragments: p.parts };
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

/**
 * The payload of `parts` (all there) of a datagram of `total` bytes, as tshark puts it together: in offset order
 * (arrival order at equal offsets), each fragment adds only the bytes past those before it, so that where fragments
 * overlap the first one's bytes stand; a fragment that overlaps is flagged, and one whose bytes there differ, and one
 * that runs past the end. Their bytes are let go.
 */
function putTogether(parts: Fragment[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  parts.sort((a, b) => a.off - b.off);
  // The end of the bytes put so far: no gap lies below the end (all units are covered).
  let done = 0;
  for (const part of parts) {
    const data = part.data;
    part.data = null;
    if (data === null) continue;
    if (part.off >= total) {
      part.flags |= FRAGMENT_TOO_LONG;
      continue;
    }
    let len = data.length;
    if (part.off + len > total) {
      part.flags |= FRAGMENT_TOO_LONG;
      len = total - part.off;
    }
    const overlap = done - part.off;
    if (overlap > 0) {
      part.flags |= FRAGMENT_OVERLAP;
      const compared = Math.min(data.length, overlap);
      for (let i = 0; i < compared; i++) {
        if (out[part.off + i] !== data[i]) {
          part.flags |= FRAGMENT_OVERLAP_CONFLICT;
          break;
        }
      }
    }
    if (part.off + len > done) {
      out.set(data.subarray(Math.max(0, overlap), len), Math.max(done, part.off));
      done = part.off + len;
    }
  }
  return out;
}
