import { compact, eachWithin, read, StateError, withDefaults, type FieldCoverage, type Plain } from './state.js';

/** Numbers kept from the start of each part: a seam is judged exactly when its disorder resolves within them. */
export const HEAD = 16;

const SEQUENCE_DEFAULTS: Readonly<Record<string, Plain>> = {
  first: -1,
  last: -1,
  missing: 0,
  gaps: 0,
  reordered: 0,
  duplicates: 0,
  head: [],
};

/**
 * Sequence-number analysis for one direction of a flow (RFC 2890 GRE, ESP):
 * numbers are 32 bits and wrap; a jump forward is a gap, an earlier number
 * is a reorder (or a replay for ESP), the same number again a duplicate.
 */
export class SequenceTracker {
  last = -1;
  first = -1;
  /** Numbers skipped over (packets that never arrived or not yet). */
  missing = 0;
  gaps = 0;
  reordered = 0;
  duplicates = 0;
  /**
   * The first numbers seen (at most HEAD): a part of a capture read alone
   * judges its first numbers without the number before them, which a merge
   * replays against the earlier part's last (see absorbLater).
   */
  readonly head: number[] = [];

  observe(seq: number): void {
    if (this.head.length < HEAD) this.head.push(seq);
    if (this.last < 0) {
      this.first = this.last = seq;
      return;
    }
    const delta = (seq - this.last) >>> 0;
    if (delta === 0) this.duplicates++;
    else if (delta === 1) this.last = seq;
    else if (delta < 0x80000000) {
      this.gaps++;
      this.missing += delta - 1;
      this.last = seq;
    } else this.reordered++;
  }

  /**
   * Takes in the numbers that came after this tracker's (a later part of the
   * same capture, read by another worker or sensor), as if read in one go:
   * the later part's first numbers are judged again against this tracker's
   * last; what the later part counted after them is added. Exact whenever
   * that part's head has brought both readings to the same last number (at
   * once, unless the numbers are out of order right at the seam; always,
   * when the later part has no more numbers than its head).
   */
  absorbLater(later: SequenceTracker): void {
    if (later.last < 0) return;
    // The later part's own reading of its head, to tell what it counted after it.
    const own = new SequenceTracker();
    for (const seq of later.head) own.observe(seq);
    for (const seq of later.head) this.observe(seq);
    if (later.head.length < HEAD) return; // its every number was in the head: read again here
    this.missing += later.missing - own.missing;
    this.gaps += later.gaps - own.gaps;
    this.reordered += later.reordered - own.reordered;
    this.duplicates += later.duplicates - own.duplicates;
    this.last = later.last;
  }

  static readonly fields: FieldCoverage = {
    state: ['last', 'first', 'missing', 'gaps', 'reordered', 'duplicates', 'head'],
    caches: [],
  };

  toState(): Record<string, Plain> {
    return compact(
      {
        first: this.first,
        last: this.last,
        missing: this.missing,
        gaps: this.gaps,
        reordered: this.reordered,
        duplicates: this.duplicates,
        head: [...this.head],
      },
      SEQUENCE_DEFAULTS,
    );
  }

  static fromState(v: unknown, at: string): SequenceTracker {
    const o = withDefaults(v, at, SEQUENCE_DEFAULTS);
    const t = new SequenceTracker();
    t.first = read.seq(o.first, `${at}.first`);
    t.last = read.seq(o.last, `${at}.last`);
    t.missing = read.int(o.missing, `${at}.missing`);
    t.gaps = read.int(o.gaps, `${at}.gaps`);
    t.reordered = read.int(o.reordered, `${at}.reordered`);
    t.duplicates = read.int(o.duplicates, `${at}.duplicates`);
    eachWithin(read.arr(o.head, `${at}.head`, HEAD), `${at}.head`, (seq) => t.head.push(read.u32(seq, '')));
    if (t.last < 0 !== (t.head.length === 0)) throw new StateError(`${at}.head: does not match last`);
    return t;
  }
}
