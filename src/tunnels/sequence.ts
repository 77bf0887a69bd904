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

  observe(seq: number): void {
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
   * later part of the same capture, read by another worker): their first
   * number is judged against this tracker's last, as if read in one go.
   */
  absorbLater(later: SequenceTracker): void {
    if (later.last < 0) return;
    if (this.last < 0) {
      Object.assign(this, { first: later.first, last: later.last, missing: later.missing, gaps: later.gaps, reordered: later.reordered, duplicates: later.duplicates });
      return;
    }
    const last = later.last;
    this.observe(later.first);
    this.missing += later.missing;
    this.gaps += later.gaps;
    this.reordered += later.reordered;
    this.duplicates += later.duplicates;
    this.last = last;
  }
}
