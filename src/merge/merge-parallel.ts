import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { CliOptions } from '../cli/args.js';
import type { ReassemblyCounts } from '../cli/audit-parallel.js';
import { WorkerPool } from '../cli/pool.js';
import type { TableLimits } from '../tunnels/limits.js';
import type { Plain } from '../tunnels/state.js';
import { TunnelTable } from '../tunnels/table.js';
import { PartialError } from './errors.js';
import { addFold, type Fold, foldRun, type Merged, merged, sortedKeys } from './merge.js';

/**
 * Below this many bytes of partials (gzip) in all, a merge runs in one
 * thread: a worker thread loads every module again and starts with code V8
 * has not optimised, about a third of a second of CPU before it gains. The
 * bench's partials (18 KiB each) take about 10 ms of CPU each, so 4 MiB is
 * over two seconds of folding.
 */
const MIN_BYTES = 4 << 20;

/** Partials in the shortest run (see cut): a worker's run costs its table's crossing too. */
const LEAST_RUN = 8;

/**
 * How many threads fold these partials: `--threads N` as asked (with two
 * partials or more), by default one a core (at most 8) once the partials
 * are large enough to gain from them.
 */
export function mergeThreads(opts: CliOptions, paths: string[]): number {
  const threads = Math.min(opts.threads ?? Math.min(availableParallelism(), 8), paths.length);
  if (threads < 2 || opts.threads !== undefined) return Math.max(threads, 1);
  let total = 0;
  for (const p of paths) {
    try {
      total += statSync(p).size;
    } catch {
      return 1; // the one-thread path says what is wrong with the file
    }
  }
  return total >= MIN_BYTES ? threads : 1;
}

/** A run folded in a worker, as it crosses threads. */
export interface RunResult {
  index: number;
  /** The fold, its table as plain data (TunnelTable.toState); null when a partial of the run was refused. */
  fold: {
    table: Plain;
    reassembly: ReassemblyCounts;
    sensors: string[];
    files: string[];
    withinBounds: boolean;
  } | null;
  /** The refusal's one line (a PartialError's message). */
  refused: string | null;
}

/** What a worker is sent once the partials are in order: the runs, the index of the next run to take, the bounds. */
export interface RunsMessage {
  runs: string[][];
  counter: SharedArrayBuffer;
  limits: TableLimits;
}

/** Folds a run and says how it went, as it crosses threads. */
export function foldOrRefuse(runs: string[][], index: number, limits: TableLimits): Fold | string {
  try {
    return foldRun(runs[index]!, limits);
  } catch (err) {
    if (err instanceof PartialError) return err.message;
    throw err;
  }
}

/**
 * The merge across threads: the partials put in order by their headers,
 * cut into contiguous runs; this thread and threads - 1 workers take runs
 * from one shared counter, each folding a run into a table of its own; the
 * runs' folds are added in order, so the result is the one fold of all the
 * partials in order (merging is associative). A refused partial is said as
 * the one-thread merge says it: the first in folding order. When a bound
 * was reached (more tunnels than --max-tunnels, a per-tunnel cap), what is
 * kept depends on where the runs were cut: the partials are then folded
 * again in one thread.
 */
export function mergeInThreads(paths: string[], limits: TableLimits, threads: number): Promise<Merged> {
  return new Promise((resolve, reject) => {
    let stopped = false;
    const finish = (then: () => void) => {
      if (stopped) return;
      stopped = true;
      pool.stop();
      try {
        then();
      } catch (err) {
        reject(err);
      }
    };
    const early = new Map<number, Fold | string>();
    let next = 0;
    let total: Fold | null = null;
    let runs: string[][] = [];
    let keys: string[] = [];
    const take = (index: number, r: Fold | string) => {
      if (stopped) return;
      early.set(index, r);
      for (let x = early.get(next); x !== undefined; x = early.get(next)) {
        early.delete(next++);
        if (typeof x === 'string') return finish(() => reject(new PartialError(x)));
        if (total === null) total = x;
        else addFold(total, x);
      }
      if (next < runs.length) return;
      const fold = total!;
      finish(() => resolve(merged(fold.withinBounds ? fold : foldRun(keys, limits))));
    };
    // Workers load their modules while this thread reads the headers.
    const pool = new WorkerPool<RunResult>(
      new URL('./merge-worker.js', import.meta.url),
      Array.from({ length: threads - 1 }, () => ({})),
      (r) =>
        take(
          r.index,
          r.fold === null
            ? r.refused!
            : {
                ...r.fold,
                table: TunnelTable.fromState(r.fold.table, 'worker table', limits),
                sensors: new Set(r.fold.sensors),
              },
        ),
      (err) => finish(() => reject(err)),
    );
    try {
      keys = sortedKeys(paths).map((k) => k.path);
    } catch (err) {
      return finish(() => reject(err));
    }
    runs = cut(keys, threads, LEAST_RUN);
    const counter = new SharedArrayBuffer(4);
    pool.post({ runs, counter, limits } satisfies RunsMessage);
    const shared = new Int32Array(counter);
    // A run at a time, yielding between them so that the workers' folds are taken as they come.
    const own = () => {
      if (stopped) return;
      const i = Atomics.add(shared, 0, 1);
      if (i >= runs.length) return;
      try {
        take(i, foldOrRefuse(runs, i, limits));
      } catch (err) {
        return finish(() => reject(err));
      }
      setImmediate(own);
    };
    own();
  });
}

/**
 * `items` cut into contiguous runs for this many threads, taken in order as
 * threads come free: each run is a share of what is left (half of it over
 * the threads, at least `least` items), so runs shrink as they go and the
 * last ones are short: a thread that finishes first waits little for the
 * others (eight equal runs for two threads left one idle for up to a run,
 * about a second, on the bench's 1,000 partials).
 */
export function cut<T>(items: T[], threads: number, least = 1): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const n = Math.max(least, Math.ceil((items.length - i) / (2 * threads)));
    runs.push(items.slice(i, i + n));
    i += n;
  }
  return runs;
}
