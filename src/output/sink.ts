import { writeSync } from 'node:fs';

const FLUSH_AT = 1 << 16;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown when the reader of our output went away (`gredump ... | head`). */
export class OutputClosed extends Error {}

/**
 * Buffered synchronous writes to a file descriptor: one system call per
 * 64 KiB instead of one per line, and no unbounded queue in Node's stream.
 */
export class LineSink {
  private pending = '';

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.pending += s + '\n';
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    let data = Buffer.from(this.pending);
    this.pending = '';
    while (data.length > 0) {
      try {
        const n = writeSync(this.fd, data);
        data = data.subarray(n);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 2); continue; }
        if (code === 'EPIPE') throw new OutputClosed();
        throw err;
      }
    }
  }
}
