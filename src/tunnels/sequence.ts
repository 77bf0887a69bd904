/** Numbers kept from the start of a tracker, so that a later part of a capture is judged as one thread judges it. */
const HEAD = 4;

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
   * The first numbers seen, and the counts they made: a tracker that read a
   * later part of a capture judged them without the part before it, so they
   * are judged again when it is absorbed (see absorbLater).
   */
  head: number[] = [];
  headCounts = { missing: 0, gaps: 0, reordered: 0, duplicates: 0 };

  observe(seq: number): void {
    this.judge(seq);
    if (this.head.length < HEAD) {
      this.head.push(seq);
      this.headCounts = { missing: this.missing, gaps: this.gaps, reordered: this.reordered, duplicates: this.duplicates };
    }
  }

  private judge(seq: number): void {
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
   * Takes in the counts of the numbers that came after this tracker's (a
   * later part of the same capture, read by another worker), as if read in
   * one go: its first numbers are judged again after this tracker's last,
   * and the rest keep the later tracker's verdicts. Exact unless the seam
   * falls among more than HEAD numbers older than this tracker's last.
   */
  absorbLater(later: SequenceTracker): void {
    if (later.last < 0) return;
    if (this.last < 0) {
      Object.assign(this, {
        first: later.first, last: later.last, missing: later.missing, gaps: later.gaps, reordered: later.reordered, duplicates: later.duplicates,
        head: [...later.head], headCounts: { ...later.headCounts },
      });
      return;
    }
    for (const seq of later.head) this.judge(seq);
    this.missing += later.missing - later.headCounts.missing;
    this.gaps += later.gaps - later.headCounts.gaps;
    this.reordered += later.reordered - later.headCounts.reordered;
    this.duplicates += later.duplicates - later.headCounts.duplicates;
    // The later part's last stands unless this one's is ahead of it.
    if (((later.last - this.last) >>> 0) < 0x80000000) this.last = later.last;
  }
}
