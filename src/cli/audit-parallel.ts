import type { FrameFilter } from '../capture/libpcap.js';
import { splitPcap } from '../capture/pcap-split.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import type { SaDatabase } from '../ipsec/sa-database.js';
import type { ByteRange } from '../capture/pcap.js';
import { TunnelTable } from '../tunnels/table.js';
import type { Plain } from '../tunnels/state.js';
import type { CliOptions } from './args.js';
import { drive } from './drive.js';
import type { ParallelPlan } from './parallel-plan.js';
import { probeInputs, type Input } from './inputs.js';

/**
 * The audit's engine. IPv4 header checksums are not verified: a wrong one is
 * a warning that is neither malformed nor a limit, and nothing the audit
 * reports (nor any -Y field) reads its verdict.
 */
export function auditEngine(opts: CliOptions, sas: SaDatabase | undefined): Engine {
  return new Engine({ ...engineOptions(opts.maxDepth, opts.reassemblyMb, sas), headerChecksums: false });
}

/** One piece of work for a worker: a whole file, or a range of records of a pcap file. */
export interface AuditUnit {
  index: number;
  /** Which of the files given (the same path may be given twice). */
  file: number;
  path: string;
  range: ByteRange | null;
}

export interface ReassemblyCounts {
  completed: number;
  expired: number;
  dropped: number;
  waiting: number;
}

export interface UnitResult {
  index: number;
  /**
   * The unit's table: itself when audited in this thread, as plain data
   * (TunnelTable.toState) when it crossed from a worker; null when it overflowed.
   */
  table: TunnelTable | Plain;
  /** The table had to evict (more tunnels or peers than --max-tunnels): the unit stopped there, sending no table. */
  overflowed: boolean;
  reassembly: ReassemblyCounts;
  read: number;
  /** What ended the unit early, said with the file's name (see drive), or null. */
  problem: string | null;
  openError: string | null;
  /** Where the unit's reader stopped: its range's end exactly, if that end was a true record boundary. */
  stoppedAt: number;
}

/**
 * Audits the files across worker threads, large pcap files cut in parts,
 * and merges the parts' tables in capture order, so the report reads as if
 * the files had been read one after the other in one thread. As there, a
 * file that cannot be opened is a warning and status 2, and a file cut short
 * is read up to the cut (later parts of it are left out).
 *
 * Resolves to null, having said nothing, as soon as a part or the merge
 * had to evict tunnels or peers (more of them than --max-tunnels): the
 * tables are then full, and copying and merging full tables costs more
 * than the threads gain (a flood of 1.7M distinct tunnels took 3.5 times as long
 * across two threads as in one); the caller audits in one thread instead.
 * A part stops at its first eviction, and the workers are ended (their
 * memory given back) before this resolves. Memory is bounded by the options:
 * each table holds at most --max-tunnels tunnels, and at most WINDOW parts
 * a thread are read ahead of the merge.
 */
export async function auditInParallel(
  opts: CliOptions,
  plan: ParallelPlan,
  sas: SaDatabase | undefined,
  filter: FrameFilter | null,
  say: (msg: string) => void,
  inputs: readonly Input[] = probeInputs(opts.files),
): Promise<{ table: TunnelTable; reassembly: ReassemblyCounts; status: number } | null> {
  // Said at the end, so that a run given up for one thread says nothing twice.
  const said: string[] = [];
  const warn = (msg: string) => said.push(msg);
  const units: AuditUnit[] = [];
  /** The index of each file's last unit. */
  const lastOf: number[] = [];
  const parts = (size: number) => (size >= 2 * plan.partBytes ? Math.ceil(size / plan.partBytes) : 1);
  // Done once the workers are starting: cutting reads a little of the file at every cut.
  const cut = () => {
    opts.files.forEach((path, file) => {
      const n = parts(inputs[file]!.size);
      const ranges = n > 1 ? splitPcap(path, n) : null;
      for (const range of ranges ?? [null]) units.push({ index: units.length, file, path, range });
      lastOf[file] = units.length - 1;
    });
    return units;
  };
  // At most a thread a unit (a file is cut in as many parts as asked, unless no safe cut is found).
  const threads = Math.min(
    plan.workers,
    inputs.reduce((n, f) => n + parts(f.size), 0),
  );
  const limits = { maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels };
  let table: TunnelTable | null = null;
  const reassembly: ReassemblyCounts = { completed: 0, expired: 0, dropped: 0, waiting: 0 };
  let status = 0;

  // Parts are merged as soon as those before them are in, into a table for their file, so that
  // memory holds this table, the file's and the few parts that came early, not every part whole.
  let file = newFileMerge(limits);
  let overflowed = false;
  const merge = (r: UnitResult) => {
    const u = units[r.index]!;
    if (r.openError !== null) {
      warn(r.openError);
      status = 2;
    } else {
      // A cut is found by looking for records that look right, which a capture whose packets carry
      // pcap records could fool. The reader before such a cut stops past it, not on it: that file is
      // then read again here, in one piece.
      if (u.range !== null && u.range.end !== Infinity && r.problem === null && r.stoppedAt !== u.range.end)
        file.fooled = true;
      // Read in one go, the file would have stopped at the problem.
      if (!file.fooled && file.problem === null) {
        file.read += r.read;
        file.table.absorb(unitTable(r, limits));
        addReassembly(file.reassembly, r.reassembly);
        file.problem = r.problem;
      }
    }
    if (r.index !== lastOf[u.file]) return;
    if (file.fooled) {
      file = newFileMerge(limits);
      auditUnits([{ ...u, index: 0, range: null }], new Int32Array(COUNTERS), opts, sas, filter, (whole) => {
        overflowed ||= whole.overflowed;
        if (whole.openError !== null) {
          warn(whole.openError);
          status = 2;
          return;
        }
        if (whole.overflowed) return;
        file.read = whole.read;
        file.table.absorb(unitTable(whole, limits));
        addReassembly(file.reassembly, whole.reassembly);
        file.problem = whole.problem;
      });
    }
    // The first file's table is the run's: no copy of it is made.
    if (table === null) table = file.table;
    else table.absorb(file.table);
    addReassembly(reassembly, file.reassembly);
    if (file.problem !== null) {
      if (file.read === 0) {
        warn(file.problem);
        status = 2;
      } else warn(`warning: ${file.problem}; ${file.read} packets read before it`);
    }
    file = newFileMerge(limits);
  };
  const full = () => overflowed || evicted(file.table) || (table !== null && evicted(table));
  const finished = await runUnits(cut, opts, sas, filter, threads, merge, full);
  if (!finished) return null;
  for (const msg of said) say(msg);
  return { table: table ?? new TunnelTable(limits), reassembly, status };
}

function unitTable(r: UnitResult, limits: { maxTunnels: number; maxPeers: number }): TunnelTable {
  return r.table instanceof TunnelTable ? r.table : TunnelTable.fromState(r.table, 'worker table', limits);
}

function evicted(t: TunnelTable): boolean {
  const counts = t.overflow.counts;
  return counts.has('tunnels evicted') || counts.has('IPsec peers evicted');
}

function newFileMerge(limits: { maxTunnels: number; maxPeers: number }) {
  return {
    table: new TunnelTable(limits),
    reassembly: { completed: 0, expired: 0, dropped: 0, waiting: 0 } as ReassemblyCounts,
    read: 0,
    problem: null as string | null,
    fooled: false,
  };
}

function addReassembly(into: ReassemblyCounts, from: ReassemblyCounts): void {
  into.completed += from.completed;
  into.expired += from.expired;
  into.dropped += from.dropped;
  into.waiting += from.waiting;
}

export interface WorkerInput {
  opts: CliOptions;
  /** COUNTERS Int32s shared by every thread (see NEXT, MERGED). */
  counter: SharedArrayBuffer;
  /** Units a thread may read ahead of the merge (see WINDOW). */
  window: number;
}

/** In the shared counters: the index of the next unit to take. */
const NEXT = 0;
/** The number of units merged, or GIVEN_UP. */
const MERGED = 1;
export const COUNTERS = 2;
const GIVEN_UP = 0x7fffffff;
/** Units a thread may be ahead of the merge: each unit read early is a table held whole until its turn. */
const WINDOW = 2;

/**
 * Takes units from the shared counter until none are left, or `most` of
 * them (in whichever thread runs it), auditing each with its own engine and
 * table. A worker (which may wait) takes no unit `window` or more ahead of
 * the merge until the merge catches up.
 */
export function auditUnits(
  units: AuditUnit[],
  counter: Int32Array,
  opts: CliOptions,
  sas: SaDatabase | undefined,
  filter: FrameFilter | null,
  send: (r: UnitResult) => void,
  most = Infinity,
  window = Infinity,
): void {
  for (let n = 0; n < most; n++) {
    const i = Atomics.add(counter, NEXT, 1);
    if (i >= units.length) return;
    for (let m = Atomics.load(counter, MERGED); i >= m + window; m = Atomics.load(counter, MERGED))
      Atomics.wait(counter, MERGED, m);
    if (Atomics.load(counter, MERGED) === GIVEN_UP) return;
    const unit = units[i]!;
    const engine = auditEngine(opts, sas);
    const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
    const result: UnitResult = {
      index: unit.index,
      table: null,
      overflowed: false,
      reassembly: { completed: 0, expired: 0, dropped: 0, waiting: 0 },
      read: 0,
      problem: null,
      openError: null,
      stoppedAt: 0,
    };
    // Overflow counts change rarely: the eviction is looked for only when one does.
    const overflow = table.overflow.counts;
    let kinds = 0;
    drive([unit], {
      filter,
      onFrame: (f) => {
        table.observe(engine.dissect(f));
        if (overflow.size === kinds) return;
        kinds = overflow.size;
        // A full table ends the threaded audit (see auditInParallel): reading on would be work thrown away.
        if (evicted(table)) {
          result.overflowed = true;
          return false;
        }
        return undefined;
      },
      onFileEnd(end) {
        result.read = end.read;
        result.openError = end.openError;
        result.problem = end.problem;
        result.stoppedAt = end.position;
      },
    });
    if (result.openError === null && !result.overflowed) {
      result.table = table;
      const r = engine.state.reassembly;
      result.reassembly = { completed: r.completed, expired: r.expired, dropped: r.dropped, waiting: r.waiting };
    }
    send(result);
  }
}

/**
 * This thread and threads - 1 workers take units from one shared counter
 * (the workers start first, and are sent the units `cut` makes, as their
 * start takes longer);
 * `merge` is given the results in unit order, each as soon as those before
 * it are in (this thread yields between its units so that workers' results
 * are taken as they come). Resolves to true when every unit is merged,
 * false when a unit's table had to evict (see auditInParallel), once the
 * workers have ended.
 */
async function runUnits(
  cut: () => AuditUnit[],
  opts: CliOptions,
  sas: SaDatabase | undefined,
  filter: FrameFilter | null,
  threads: number,
  merge: (r: UnitResult) => void,
  full: () => boolean,
): Promise<boolean> {
  // node:worker_threads (and the streams it loads, about 4 ms of a start) only for an audit that uses threads.
  const { WorkerPool } = await import('./pool.js');
  const counter = new SharedArrayBuffer(COUNTERS * 4);
  const shared = new Int32Array(counter);
  const window = WINDOW * threads;
  const early = new Map<number, UnitResult>();
  let next = 0;
  let units: AuditUnit[] = [];
  return new Promise((resolve, reject) => {
    let failed = false;
    const take = (r: UnitResult) => {
      if (failed) return;
      const giveUp = () => {
        failed = true;
        Atomics.store(shared, MERGED, GIVEN_UP);
        Atomics.notify(shared, MERGED);
        // The one-thread audit starts once the workers' memory is given back.
        void pool.end().then(() => resolve(false));
      };
      if (r.overflowed) return giveUp();
      early.set(r.index, r);
      for (let x = early.get(next); x !== undefined; x = early.get(next)) {
        early.delete(next++);
        merge(x);
        if (full()) return giveUp();
        Atomics.store(shared, MERGED, next);
        Atomics.notify(shared, MERGED);
      }
      if (next < units.length) return schedule(); // this thread may have stopped at the window's edge
      pool.stop();
      resolve(true);
    };
    const input: WorkerInput = { opts, counter, window };
    const pool = new WorkerPool(
      new URL('./audit-worker.js', import.meta.url),
      Array.from({ length: threads - 1 }, () => ({ workerData: input })),
      take,
      (err) => {
        failed = true;
        reject(err);
      },
    );
    units = cut();
    pool.post(units);
    // Workers start while this thread works on its own share, a unit at a time, within the window (it cannot wait).
    let scheduled = false;
    const schedule = () => {
      if (scheduled || failed) return;
      scheduled = true;
      setImmediate(own);
    };
    const own = () => {
      scheduled = false;
      if (failed || Atomics.load(shared, NEXT) >= Math.min(units.length, next + window)) return;
      auditUnits(units, shared, opts, sas, filter, take, 1);
      schedule();
    };
    own();
  });
}
