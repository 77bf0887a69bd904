import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { openCapture } from '../capture/open.js';
import { PcapReader } from '../capture/pcap.js';
import { Engine } from '../dissect/engine.js';
import { engineOptions } from '../dissect/state.js';
import type { SaDatabase } from '../ipsec/sa-database.js';
import { writePacketJson } from '../output/packet-json.js';
import { writePacketText } from '../output/packet-text.js';
import { OutputClosed, writeAll } from '../output/sink.js';
import { TextOut } from '../util/text-out.js';
import { setTimeFormat } from '../output/timestamp.js';
import type { CliOptions } from './args.js';
import { drive, type SourceEnd } from './drive.js';
import { WorkerPool } from './pool.js';
import type { ParallelPlan } from './parallel-plan.js';
import { probeInputs, type Input } from './inputs.js';

/**
 * `gredump -r` across worker threads. The main thread walks the files'
 * records (no dissection), cutting pcap files into parts on true record
 * boundaries and counting frames, so each part knows the number of its
 * first frame; it publishes each part as soon as it is found. Workers
 * dissect and print parts into byte chunks; the main thread writes the
 * chunks in capture order. The output is the bytes one thread prints
 * (but for fragments far apart across a cut: see WARM_UP_BYTES).
 */

/**
 * A worker dissects this much of the capture before its part without
 * printing it, so that IP fragments sent before the cut are there to
 * reassemble with those after it.
 */
const WARM_UP_BYTES = 1 << 18;
/** Record starts are remembered this far apart, to begin a warm-up on one. */
const WARM_UP_STEP = 1 << 16;
/** Bytes of output a worker sends at a time. */
const CHUNK_BYTES = 1 << 18;

/** One piece of work: records [start, end) of a file (the whole file when start < 0), numbered from firstFrame. */
interface ReadUnit {
  file: number;
  start: number;
  end: number;
  /** Where the unprinted warm-up starts (at start: none). */
  warmUpStart: number;
  firstFrame: number;
}

/** Counters in the board's Int32Array. */
const NEXT_UNIT = 0;
/** Units whose output is written: a worker waits before taking a unit too far ahead of it. */
const UNITS_WRITTEN = 1;
/** Units published so far, with WALK_DONE set once the walk has ended. */
const UNITS_PUBLISHED = 2;
const WALK_DONE = 1 << 30;
const FIELDS = 5;

/**
 * The units, in shared memory: the main thread publishes them as its walk
 * finds them, workers take them in order.
 */
class UnitBoard {
  readonly counters: Int32Array;
  private readonly fields: Float64Array;

  constructor(readonly shared: { counters: SharedArrayBuffer; fields: SharedArrayBuffer }) {
    this.counters = new Int32Array(shared.counters);
    this.fields = new Float64Array(shared.fields);
  }

  /**
   * Whether a unit can be cut and still leave room for the file's last one (a file that grew since it was measured is
   * cut less).
   */
  get canCut(): boolean {
    return (Atomics.load(this.counters, UNITS_PUBLISHED) + 2) * FIELDS <= this.fields.length;
  }

  static create(capacity: number): UnitBoard {
    return new UnitBoard({ counters: new SharedArrayBuffer(12), fields: new SharedArrayBuffer(8 * FIELDS * capacity) });
  }

  publish(u: ReadUnit): void {
    if (this.closed) return;
    const i = Atomics.load(this.counters, UNITS_PUBLISHED);
    this.fields.set([u.file, u.start, u.end, u.warmUpStart, u.firstFrame], i * FIELDS);
    Atomics.add(this.counters, UNITS_PUBLISHED, 1);
    Atomics.notify(this.counters, UNITS_PUBLISHED);
  }

  /** No more units: workers waiting for one stop. */
  close(): void {
    Atomics.or(this.counters, UNITS_PUBLISHED, WALK_DONE);
    Atomics.notify(this.counters, UNITS_PUBLISHED);
  }

  /** Closed: the walk is over, or the run ended early (the reader of the output went away). */
  get closed(): boolean {
    return (Atomics.load(this.counters, UNITS_PUBLISHED) & WALK_DONE) !== 0;
  }

  /** The index of the next unit for this worker, once published; -1 when there are no more. */
  take(): number {
    const i = Atomics.add(this.counters, NEXT_UNIT, 1);
    for (;;) {
      const published = Atomics.load(this.counters, UNITS_PUBLISHED);
      if (i < (published & ~WALK_DONE)) return i;
      if (published & WALK_DONE) return -1;
      Atomics.wait(this.counters, UNITS_PUBLISHED, published);
    }
  }

  unit(i: number): ReadUnit {
    const f = this.fields.subarray(i * FIELDS, (i + 1) * FIELDS);
    return { file: f[0]!, start: f[1]!, end: f[2]!, warmUpStart: f[3]!, firstFrame: f[4]! };
  }

  /** Waits while unit i is `ahead` or more units past the one being written. */
  waitForTurn(i: number, ahead: number): void {
    for (
      let written = Atomics.load(this.counters, UNITS_WRITTEN);
      i - written >= ahead;
      written = Atomics.load(this.counters, UNITS_WRITTEN)
    ) {
      Atomics.wait(this.counters, UNITS_WRITTEN, written);
    }
  }

  /** The main thread has written one more unit. */
  written(): number {
    const n = Atomics.add(this.counters, UNITS_WRITTEN, 1) + 1;
    Atomics.notify(this.counters, UNITS_WRITTEN);
    return n;
  }
}

/** What the walk found of one file: its frames, how many units, and what to say after them. */
interface FileWalk {
  frames: number;
  units: number;
  message: string | null;
  status: number;
}

interface Chunk {
  unit: number;
  /** Which worker sent it. */
  worker: number;
  bytes: Uint8Array;
  last: boolean;
}

export interface ReadWorkerInput {
  /** This worker's number, which its chunks carry. */
  worker: number;
  opts: CliOptions;
  board: UnitBoard['shared'];
  /** Units a worker may be ahead of the one being written. */
  ahead: number;
  /**
   * Where the main thread sends each chunk's buffer back once written, to be
   * written into again: without it, the spent buffers would wait for the
   * main thread's garbage collector, which runs rarely there.
   */
  spent: MessagePort;
  /** The run's first packet (seconds, nanoseconds), which text lines' times are told against. */
  firstTs: [number, number] | null;
}

/** Lets the main thread write what workers sent while it walks. */
const writeWhatArrived = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Walks a file's records, cutting a pcap file every `partBytes` at a record
 * boundary (a file of another format is one unit), and publishes its units.
 * Problems are said as the one-thread reader says them.
 */
async function walkFile(
  file: number,
  path: string,
  partBytes: number,
  firstFrame: number,
  board: UnitBoard,
): Promise<FileWalk> {
  const walk: FileWalk = { frames: 0, units: 0, message: null, status: 0 };
  let source;
  try {
    source = openCapture(path);
  } catch (err) {
    walk.message = (err as Error).message;
    walk.status = 2;
    return walk;
  }
  const cuttable = source instanceof PcapReader;
  let start = source.position;
  let unitFirst = firstFrame;
  /** Record starts at least WARM_UP_STEP apart, the newest last. */
  const marks: number[] = [start];
  try {
    let at = start;
    while (source.next()) {
      walk.frames++;
      if (!cuttable) continue;
      const end = source.position;
      if (at - marks[marks.length - 1]! >= WARM_UP_STEP) marks.push(at);
      if (end - start >= partBytes && board.canCut) {
        board.publish({ file, start, end, warmUpStart: warmUpFrom(marks, start), firstFrame: unitFirst });
        walk.units++;
        start = end;
        unitFirst = firstFrame + walk.frames;
        marks.push(end);
        while (marks.length > 1 && marks[1]! <= end - WARM_UP_BYTES) marks.shift();
        await writeWhatArrived();
        if (board.closed) break;
      }
      at = end;
    }
  } finally {
    source.close();
  }
  // The records after the last cut (in a file cut short, up to where it is cut).
  if (firstFrame + walk.frames > unitFirst) {
    board.publish(
      cuttable
        ? { file, start, end: Infinity, warmUpStart: warmUpFrom(marks, start), firstFrame: unitFirst }
        : { file, start: -1, end: -1, warmUpStart: -1, firstFrame: unitFirst },
    );
    walk.units++;
  }
  if (source.problem) {
    if (walk.frames === 0) {
      walk.message = `${path}: ${source.problem.message}`;
      walk.status = 2;
    } else walk.message = `warning: ${path}: ${source.problem.message}; ${walk.frames} packets read before it`;
  }
  return walk;
}

/** The oldest remembered record start within WARM_UP_BYTES before `start`. */
function warmUpFrom(marks: number[], start: number): number {
  for (const m of marks) if (m >= start - WARM_UP_BYTES) return m;
  return start;
}

/** The time of the first packet of the first file that has one (problems are said by the walk). */
function firstPacketTime(files: string[]): [number, number] | null {
  for (const path of files) {
    try {
      const source = openCapture(path);
      try {
        if (source.next()) return [source.frame.tsSec, source.frame.tsNsec];
      } finally {
        source.close();
      }
    } catch {
      // said in its place by the walk
    }
  }
  return null;
}

/** Prints the files across worker threads; resolves to the exit status. */
export function readInParallel(
  opts: CliOptions,
  plan: ParallelPlan,
  warn: (msg: string) => void,
  inputs: readonly Input[] = probeInputs(opts.files),
): Promise<number> {
  // Every unit but a file's last holds at least partBytes.
  const board = UnitBoard.create(inputs.reduce((n, f) => n + Math.floor(f.size / plan.partBytes) + 1, 0));
  const firstTs = opts.json ? null : firstPacketTime(opts.files);
  const spentPorts: MessagePort[] = [];
  const each = Array.from({ length: plan.workers }, (_, t) => {
    const { port1, port2 } = new MessageChannel();
    spentPorts.push(port1);
    const input: ReadWorkerInput = { worker: t, opts, board: board.shared, ahead: plan.workers, spent: port2, firstTs };
    return { workerData: input, transferList: [port2] };
  });

  return new Promise((resolve, reject) => {
    const walks: FileWalk[] = [];
    let walked = false;
    let status = 0;
    let fileIndex = 0;
    let unitsBefore = 0; // units of the files before fileIndex
    /** Chunks received and not yet written, by unit. */
    const waiting = new Map<number, Chunk[]>();
    let finished = false;
    const end = (result: number | Error) => {
      if (finished) return;
      finished = true;
      board.close();
      pool.stop();
      for (const p of spentPorts) p.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    /** Says what each file whose units are all written has to say; ends when every file is done. */
    const sayFinishedFiles = () => {
      const written = Atomics.load(board.counters, UNITS_WRITTEN);
      while (fileIndex < walks.length && unitsBefore + walks[fileIndex]!.units <= written) {
        const walk = walks[fileIndex++]!;
        unitsBefore += walk.units;
        if (walk.message) warn(walk.message);
        status = Math.max(status, walk.status);
      }
      if (walked && fileIndex === walks.length) end(status);
    };
    /** Writes what has arrived of the unit due, and of the ones after it once it is done. */
    const writeDue = () => {
      for (;;) {
        const due = Atomics.load(board.counters, UNITS_WRITTEN);
        const list = waiting.get(due);
        if (!list || list.length === 0) return;
        const c = list.shift()!;
        writeAll(1, c.bytes);
        spentPorts[c.worker]!.postMessage(c.bytes.buffer, [c.bytes.buffer as ArrayBuffer]);
        if (c.last) {
          waiting.delete(due);
          board.written();
        }
      }
    };
    const onChunk = (c: Chunk) => {
      if (finished) return;
      const list = waiting.get(c.unit);
      if (list) list.push(c);
      else waiting.set(c.unit, [c]);
      try {
        writeDue();
        sayFinishedFiles();
      } catch (err) {
        end(err instanceof OutputClosed ? 0 : (err as Error));
      }
    };
    const pool = new WorkerPool(new URL('./read-worker.js', import.meta.url), each, onChunk, end);
    void (async () => {
      let frames = 0;
      for (const [file, path] of opts.files.entries()) {
        const walk = await walkFile(file, path, plan.partBytes, frames + 1, board);
        frames += walk.frames;
        walks.push(walk);
      }
      board.close();
      walked = true;
      sayFinishedFiles();
    })().catch((err: Error) => end(err));
  });
}

/** A file the walk read that a worker cannot open ends the run (the walk says the problems of those it read). */
const stopIfUnopened = (end: SourceEnd) => {
  if (end.openError !== null) throw new Error(end.openError);
};

/**
 * A worker's loop: takes units from the board, dissects each with its own
 * engine (after the warm-up) and sends its lines as byte chunks.
 */
export function printUnits(
  input: ReadWorkerInput,
  sas: SaDatabase | undefined,
  send: (c: Chunk, transfer: ArrayBuffer[]) => void,
): void {
  const { worker, opts, ahead } = input;
  const board = new UnitBoard(input.board);
  const format = opts.json ? writePacketJson : writePacketText;
  setTimeFormat(opts.timeFormat, input.firstTs);
  const out = new TextOut(CHUNK_BYTES + (1 << 16));
  const flush = (unit: number, last: boolean) => {
    const returned = receiveMessageOnPort(input.spent)?.message as ArrayBuffer | undefined;
    const bytes = out.detach(returned ?? null);
    send({ unit, worker, bytes, last }, [bytes.buffer as ArrayBuffer]);
  };
  for (let i = board.take(); i >= 0; i = board.take()) {
    // Not too far ahead of what is written: the main thread holds a unit's lines until its turn.
    board.waitForTurn(i, ahead);
    const unit = board.unit(i);
    const path = opts.files[unit.file]!;
    const engine = new Engine(engineOptions(opts.maxDepth, opts.reassemblyMb, sas));
    if (unit.warmUpStart < unit.start)
      drive([{ path, range: { start: unit.warmUpStart, end: unit.start } }], {
        onFrame: (f) => void engine.dissect(f),
        onFileEnd: stopIfUnopened,
      });
    engine.numberFrom(unit.firstFrame);
    drive([{ path, range: unit.start < 0 ? null : { start: unit.start, end: unit.end } }], {
      onFrame(f) {
        format(engine.dissect(f), out);
        out.byte(0x0a);
        if (out.pos >= CHUNK_BYTES) flush(i, false);
      },
      onFileEnd: stopIfUnopened,
    });
    flush(i, true);
  }
}
