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
  /** Where pending text is encoded for writing, reused: UTF-8 takes at most three bytes a UTF-16 unit. */
  private readonly out = Buffer.allocUnsafe(3 * 2 * FLUSH_AT);

  constructor(private readonly fd = 1) {}

  line(s: string): void {
    this.pending += s + '\n';
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    const text = this.pending;
    this.pending = '';
    let data = 3 * text.length <= this.out.length ? this.out.subarray(0, this.out.write(text)) : Buffer.from(text);
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
