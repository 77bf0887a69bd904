import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { FrameFilter } from '../capture/libpcap.js';
import { openCapture } from '../capture/open.js';
import { splitPcap } from '../capture/pcap-split.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import type { SaDatabase } from '../ipsec/sa-database.js';
import type { ByteRange } from '../capture/pcap.js';
import { TunnelTable } from '../tunnels/table.js';
import type { Plain } from '../tunnels/state.js';
import type { CliOptions } from './args.js';
import type { ParallelPlan } from './parallel-plan.js';

/** Where the first record of a pcap file starts (after its 24-byte header), and so its first part. */
const PCAP_FIRST_RECORD = 24;

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
  /** The unit's table as plain data (TunnelTable.toState), as it crosses threads and files. */
  table: Plain;
  reassembly: ReassemblyCounts;
  read: number;
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
 */
export async function auditInParallel(opts: CliOptions, plan: ParallelPlan, sas: SaDatabase | undefined, filter: FrameFilter | null, warn: (msg: string) => void): Promise<{ table: TunnelTable; reassembly: ReassemblyCounts; status: number }> {
  const units: AuditUnit[] = [];
  opts.files.forEach((path, file) => {
    const size = statSync(path).size;
    const ranges = size >= 2 * plan.partBytes ? splitPcap(path, Math.ceil(size / plan.partBytes)) : null;
    for (const range of ranges ?? [null]) units.push({ index: units.length, file, path, range });
  });
  const results = await runUnits(units, opts, sas, filter, Math.min(plan.workers, units.length));
  // A cut is found by looking for records that look right, which a capture whose packets carry
  // pcap records could fool. The reader before such a cut stops past it, not on it: that file is
  // then read again here, in one piece.
  const fooled = new Set(units.filter((u, i) => {
    const r = results[i]!;
    return u.range !== null && u.range.end !== Infinity && r.openError === null && r.problem === null && r.stoppedAt !== u.range.end;
  }).map((u) => u.file));
  const pieces: UnitResult[] = [];
  units.forEach((u, i) => {
    if (!fooled.has(u.file)) pieces.push(results[i]!);
    else if (u.range!.start === PCAP_FIRST_RECORD) {
      auditUnits([{ ...u, range: null }], new Int32Array(1), opts, sas, filter, (r) => pieces.push(r));
    }
  });

  const limits = { maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels };
  const table = new TunnelTable(limits);
  const reassembly: ReassemblyCounts = { completed: 0, expired: 0, dropped: 0, waiting: 0 };
  let status = 0;
  let i = 0;
  while (i < pieces.length) {
    const { file, path } = units[pieces[i]!.index]!;
    let read = 0;
    let problem: string | null = null;
    for (; i < pieces.length && units[pieces[i]!.index]!.file === file; i++) {
      const r = pieces[i]!;
      if (r.openError !== null) {
        warn(r.openError);
        status = 2;
        continue;
      }
      if (problem !== null) continue; // read in one go, the file would have stopped at the problem
      read += r.read;
      table.absorb(TunnelTable.fromState(r.table, 'worker table', limits));
      reassembly.completed += r.reassembly.completed;
      reassembly.expired += r.reassembly.expired;
      reassembly.dropped += r.reassembly.dropped;
      reassembly.waiting += r.reassembly.waiting;
      problem = r.problem;
    }
    if (problem !== null) {
      if (read === 0) {
        warn(`${path}: ${problem}`);
        status = 2;
      } else warn(`warning: ${path}: ${problem}; ${read} packets read before it`);
    }
  }
  return { table, reassembly, status };
}

export interface WorkerInput {
  opts: CliOptions;
  units: AuditUnit[];
  /** One Int32: the index of the next unit to take, shared by every thread. */
  counter: SharedArrayBuffer;
}

/**
 * Takes units from the shared counter until none are left (in whichever
 * thread runs it), auditing each with its own engine and table.
 */
export function auditUnits(units: AuditUnit[], counter: Int32Array, opts: CliOptions, sas: SaDatabase | undefined, filter: FrameFilter | null, send: (r: UnitResult) => void): void {
  for (let i = Atomics.add(counter, 0, 1); i < units.length; i = Atomics.add(counter, 0, 1)) {
    const unit = units[i]!;
    const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, sas));
    const table = new TunnelTable({ maxTunnels: opts.maxTunnels, maxPeers: opts.maxTunnels });
    const result: UnitResult = { index: unit.index, table: null, reassembly: { completed: 0, expired: 0, dropped: 0, waiting: 0 }, read: 0, problem: null, openError: null, stoppedAt: 0 };
    let source;
    try {
      source = openCapture(unit.path, filter, unit.range);
    } catch (err) {
      result.openError = (err as Error).message;
      send(result);
      continue;
    }
    try {
      while (source.next()) {
        result.read++;
        table.observe(engine.dissect(source.frame));
      }
    } finally {
      source.close();
    }
    result.table = table.toState();
    result.problem = source.problem?.message ?? null;
    result.stoppedAt = source.position;
    const r = engine.state.reassembly;
    result.reassembly = { completed: r.completed, expired: r.expired, dropped: r.dropped, waiting: r.waiting };
    send(result);
  }
}

/** This thread and threads - 1 workers take units from one shared counter; resolves when every unit is done. */
function runUnits(units: AuditUnit[], opts: CliOptions, sas: SaDatabase | undefined, filter: FrameFilter | null, threads: number): Promise<UnitResult[]> {
  const counter = new SharedArrayBuffer(4);
  const results: UnitResult[] = [];
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const finish = () => {
      if (done < units.length) return;
      for (const w of workers) void w.terminate();
      resolve(results);
    };
    const take = (r: UnitResult) => {
      results[r.index] = r;
      done++;
    };
    for (let t = 1; t < threads; t++) {
      const input: WorkerInput = { opts, units, counter };
      const w = new Worker(new URL('./audit-worker.js', import.meta.url), { workerData: input });
      workers.push(w);
      w.on('error', (err) => {
        for (const x of workers) void x.terminate();
        reject(err);
      });
      w.on('message', (r: UnitResult) => {
        take(r);
        finish();
      });
    }
    // Workers start while this thread works on its own share.
    auditUnits(units, new Int32Array(counter), opts, sas, filter, take);
    finish();
  });
}
