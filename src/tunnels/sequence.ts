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
}
