import { fstatSync, writeSync } from 'node:fs';
import { nativeBinding } from '../util/native.js';
import { TextOut } from '../util/text-out.js';

const FLUSH_AT = 1 << 16;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/**
 * A pipe's buffer for large output (Linux's default pipe-max-size): at the
 * default 64 KiB, each 64 KiB written waited for the reader to be woken and
 * drain it (`| cat`: about 2,400 waits for the 150 MB of the bench's lines,
 * 100 at 1 MiB).
 */
const PIPE_SIZE = 1 << 20;
/** Descriptors whose pipe was enlarged, or found not to be a pipe. */
const looked = new Set<number>();

/** The native binding's calls for writing to a pipe. */
interface PipeCalls {
  /** F_SETPIPE_SZ: the pipe's size after asking for `bytes`; -1 for no pipe (or no such call). */
  pipeSize(fd: number, bytes: number): number;
  /** poll(2): whether fd takes a write, after waiting at most `ms`. */
  waitWritable(fd: number, ms: number): boolean;
}
/** Where the binding is built (and new enough to have them); null loads nothing again. */
let pipeCalls: PipeCalls | null | undefined;

/**
 * The binding's calls for writing to a pipe, or null without the binding:
 * output is then written as without them (a full non-blocking pipe waited
 * out by short sleeps, at the pipe's own size).
 */
export function outputHelpers(): PipeCalls | null {
  if (pipeCalls !== undefined) return pipeCalls;
  try {
    const b = nativeBinding() as Partial<PipeCalls>;
    pipeCalls = typeof b.pipeSize === 'function' ? (b as PipeCalls) : null;
  } catch {
    pipeCalls = null;
  }
  return pipeCalls;
}

/** Thrown when the reader of our output went away (`gredump ... | head`). */
export class OutputClosed extends Error {}

/** Writes all of `data` to a file descriptor, waiting out a full pipe; a closed one is OutputClosed. */
export function writeAll(fd: number, data: Uint8Array): void {
  // Only output that has filled a buffer: a short run loads no binding.
  if (data.length >= FLUSH_AT && !looked.has(fd)) enlargePipe(fd);
  while (data.length > 0) {
    try {
      const n = writeSync(fd, data);
      data = data.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A descriptor left non-blocking by our parent: wait until the reader makes room.
        const io = outputHelpers();
        if (io) io.waitWritable(fd, 1000);
        else Atomics.wait(sleeper, 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') throw new OutputClosed();
      throw err;
    }
  }
}

function enlargePipe(fd: number): void {
  looked.add(fd);
  let fifo = false;
  try {
    fifo = fstatSync(fd).isFIFO();
  } catch {
    // not ours to judge: the write says what is wrong
  }
  if (fifo) outputHelpers()?.pipeSize(fd, PIPE_SIZE);
}

/**
 * Buffered synchronous writes to a file descriptor: lines are written as
 * bytes into `out`, one system call per 64 KiB instead of one per line, and
 * no unbounded queue in Node's stream.
 */
export class LineSink {
  readonly out = new TextOut(2 * FLUSH_AT);

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.out.str(s);
    this.endLine();
  }

  /** Part of a line; written out when 64 KiB have gathered. */
  text(s: string): void {
    this.out.str(s);
    if (this.out.pos >= FLUSH_AT) this.flush();
  }

  /** Ends the line written into `out`. */
  endLine(): void {
    this.out.byte(0x0a);
    if (this.out.pos >= FLUSH_AT) this.flush();
  }

  flush(): void {
    const data = this.out.buf.subarray(0, this.out.pos);
    this.out.pos = 0;
    writeAll(this.fd, data);
  }
}
