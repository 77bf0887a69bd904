import { writeSync } from 'node:fs';
import { TextOut } from './text-out.js';

const FLUSH_AT = 1 << 16;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown when the reader of our output went away (`gredump ... | head`). */
export class OutputClosed extends Error {}

/** Writes all of `data` to a file descriptor, waiting out a full pipe; a closed one is OutputClosed. */
export function writeAll(fd: number, data: Uint8Array): void {
  while (data.length > 0) {
    try {
      const n = writeSync(fd, data);
      data = data.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') throw new OutputClosed();
      throw err;
    }
  }
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
