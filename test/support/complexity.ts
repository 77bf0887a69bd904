import { performance } from 'node:perf_hooks';

/**
 * How much longer `run(2n)` takes than `run(n)`: the best of `tries` runs
 * at each size (the first, warming up, discarded). Linear work gives about
 * 2, quadratic about 4; tests hold the ratio, never an absolute time.
 */
export function doublingRatio(n: number, run: (n: number) => void, tries = 3): number {
  run(Math.min(n, 1000));
  const best = (size: number) => {
    let t = Infinity;
    for (let i = 0; i < tries; i++) {
      const start = performance.now();
      run(size);
      t = Math.min(t, performance.now() - start);
    }
    return t;
  };
  const small = best(n);
  const large = best(2 * n);
  return large / small;
}

/**
 * Fails unless doubling the input at most about doubles the time: the
 * ratio must come under `limit` (linear work gives about 2, quadratic 4)
 * in one of `attempts` measurements, so that a slow spell of a shared
 * machine does not fail a linear path while a quadratic one fails every time.
 */
export function assertLinear(n: number, run: (n: number) => void, what: string, limit = 3, attempts = 3): void {
  const ratios: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const r = doublingRatio(n, run);
    ratios.push(r);
    if (r < limit) return;
  }
  throw new Error(`doubling ${what} multiplied the time by ${ratios.map((r) => r.toFixed(2)).join(', then ')}`);
}
