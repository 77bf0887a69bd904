import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAD, SequenceTracker } from '../src/tunnels/sequence.js';

/** The sequence tracker alone: 32-bit numbers that wrap, and a capture read in two parts. */

const track = (seqs: number[]) => {
  const t = new SequenceTracker();
  for (const s of seqs) t.observe(s);
  return t;
};
const counts = (t: SequenceTracker) => ({
  first: t.first,
  last: t.last,
  missing: t.missing,
  gaps: t.gaps,
  reordered: t.reordered,
  duplicates: t.duplicates,
});

test('across 2^32: 0xFFFFFFFE, 0xFFFFFFFF, 0, 1 is in order, not a reorder', () => {
  assert.deepEqual(counts(track([0xfffffffe, 0xffffffff, 0, 1])), {
    first: 0xfffffffe,
    last: 1,
    missing: 0,
    gaps: 0,
    reordered: 0,
    duplicates: 0,
  });
});

test('across 2^32: a gap over the wrap counts the numbers skipped', () => {
  // 0xFFFFFFFF, 0 and 1 never came.
  assert.deepEqual(counts(track([0xfffffffd, 0xfffffffe, 2])), {
    first: 0xfffffffd,
    last: 2,
    missing: 3,
    gaps: 1,
    reordered: 0,
    duplicates: 0,
  });
});

test('across 2^32: a number from before the wrap, after it, is a reorder; the same number again a duplicate', () => {
  assert.deepEqual(counts(track([0xffffffff, 0, 0xffffffff, 0])), {
    first: 0xffffffff,
    last: 0,
    missing: 0,
    gaps: 0,
    reordered: 1,
    duplicates: 1,
  });
});

test('half the number space ahead is a gap, one more is behind (a reorder)', () => {
  assert.equal(track([5, 5 + 0x7fffffff]).gaps, 1);
  assert.equal(track([5, 5 + 0x80000000]).reordered, 1);
});

test('two parts across the wrap, merged, count as one reading (a seam in order, and one out of order)', () => {
  const seqs = Array.from({ length: 40 }, (_, i) => (0xffffffec + i) >>> 0);
  seqs.splice(25, 1); // one lost after the wrap
  [seqs[30], seqs[31]] = [seqs[31]!, seqs[30]!];
  for (const cut of [1, 10, 20, 21, 30, 31, seqs.length - HEAD, seqs.length - 1]) {
    const first = track(seqs.slice(0, cut));
    first.absorbLater(track(seqs.slice(cut)));
    assert.deepEqual(counts(first), counts(track(seqs)), `cut at ${cut}`);
  }
});
