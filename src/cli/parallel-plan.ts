import { availableParallelism } from 'node:os';
import type { CliOptions } from './args.js';
import type { Input } from './inputs.js';

/** How a run over capture files is spread across worker threads. */
export interface ParallelPlan {
  /** Threads to use. */
  workers: number;
  /** Files smaller than this in all are read in one thread (starting workers costs more). */
  minBytes: number;
  /** Parts of about this size are cut from large pcap files. */
  partBytes: number;
}

/**
 * Below this, starting the threads costs more than they gain. Measured with
 * the bench on two cores: at 72 MB threads were slower; JSON lines gain from
 * about 150 MB, the audit from a few hundred MB.
 */
const MIN_BYTES = 128 << 20;

/** --threads, or one a core up to 8. */
const threads = (opts: CliOptions) => opts.threads ?? Math.min(availableParallelism(), 8);

/**
 * On two threads the audit's second thread starts late and slow: it loads
 * every module again and its first part runs before V8 has optimised
 * anything (a worker's first part took 2 to 3 times the CPU of its later
 * ones), about half a second of CPU before it gains. Measured with the bench
 * on two cores: at 361 MB (1M packets) threads were slower (1.16 against
 * 1.01 s), at 722 MB faster (1.51 against 2.44 s).
 */
const AUDIT_MIN_BYTES_TWO_THREADS = 512 << 20;

/** For the audit: parts large enough that merging their tables costs little. */
export function auditPlan(opts: CliOptions, inputs: readonly Input[]): ParallelPlan {
  const total = inputs.reduce((n, f) => n + f.size, 0);
  const workers = threads(opts);
  // --threads N is taken as asked, as for printing.
  const minBytes = workers === 2 && opts.threads === undefined ? AUDIT_MIN_BYTES_TWO_THREADS : MIN_BYTES;
  return { workers, minBytes, partBytes: Math.max(16 << 20, Math.ceil(total / (workers * 4))) };
}

/**
 * For printing packets: small parts, as a part's lines are held until the
 * parts before it are written (JSON lines take about 1.6 times the capture's bytes).
 * Text lines are cheap to make: on two cores, walking the records and
 * starting the threads cost about what the second thread gains (measured on
 * the bench capture), so by default text takes threads from three cores up.
 */
export function readPlan(opts: CliOptions): ParallelPlan {
  const workers = threads(opts);
  return {
    workers: !opts.json && opts.threads === undefined && workers < 3 ? 1 : workers,
    minBytes: MIN_BYTES,
    partBytes: 8 << 20,
  };
}

/** Whether a run over these files is worth worker threads. */
export function wantsParallel(opts: CliOptions, plan: ParallelPlan, inputs: readonly Input[]): boolean {
  // -ttt tells each packet's time against the one before: a part would not know it.
  if (plan.workers < 2 || opts.count !== Infinity || opts.files.includes('-') || opts.timeFormat === 'delta')
    return false;
  let total = 0;
  for (const f of inputs) {
    if (!f.found) return false; // the one-thread path says why the file cannot be read
    if (f.compressed) return false; // read in order only: it cannot be cut into parts
    total += f.size;
  }
  return total >= plan.minBytes;
}
