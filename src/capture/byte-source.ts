import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

const CHUNK = 256 * 1024;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Synchronous, chunked reads from a file descriptor (a file or a pipe such as
 * standard input). Readers ask for `need` bytes at `pos`; memory stays at one
 * chunk unless a single record is larger than that.
 */
export class ByteSource {
  buf: Uint8Array = new Uint8Array(CHUNK);
  dv: DataView = new DataView(this.buf.buffer);
  /** File offset of buf[0]. */
  base = 0;
  /** Valid bytes are buf[0, filled). */
  filled = 0;
  eof = false;

  private constructor(private readonly fd: number, private readonly ownsFd: boolean) {}

  static open(path: string): ByteSource {
    if (path === '-') {
      if (process.stdin.isTTY) throw new Error('standard input is a terminal, not a capture; pipe one in (tcpdump -w - | gredump -r -)');
      return new ByteSource(0, false);
    }
    const fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw new Error(`${path}: is a directory`);
    }
    return new ByteSource(fd, true);
  }

  /** Makes file bytes [pos, pos + need) available in buf; false if the input ends first. */
  ensure(pos: number, need: number): boolean {
    const rel = pos - this.base;
    if (rel + need <= this.filled) return true;
    // A file may have grown since its end was met (the UI re-reads a file it is still loading).
    if (this.eof && !this.ownsFd) return false;
    this.eof = false;
    // Move the unread tail to the front, growing the buffer for an oversized record.
    // (A file can also be read from further on: a worker reading its part of it.)
    if (rel > this.filled && !this.ownsFd) throw new Error('standard input cannot skip forward');
    const keep = Math.max(0, this.filled - rel);
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2));
      if (keep > 0) bigger.set(this.buf.subarray(rel, this.filled));
      this.buf = bigger;
      this.dv = new DataView(bigger.buffer);
    } else if (rel > 0 && keep > 0) {
      this.buf.copyWithin(0, rel, this.filled);
    }
    this.base = pos;
    this.filled = keep;
    while (this.filled < need && !this.eof) {
      const n = this.readSome(this.filled);
      if (n === 0) this.eof = true;
      this.filled += n;
    }
    return this.filled >= need;
  }

  /**
   * Random access in a file: the next ensure() at `pos` reads afresh unless
   * pos is in the bytes held (a file still being written is read again past
   * what was its end).
   */
  reposition(pos: number): void {
    if (!this.ownsFd) throw new Error('standard input cannot be read out of order');
    if (pos >= this.base && pos < this.base + this.filled) return;
    this.base = pos;
    this.filled = 0;
    this.eof = false;
  }

  /** Bytes available from pos without reading further. */
  available(pos: number): number {
    return this.filled - (pos - this.base);
  }

  close(): void {
    if (this.ownsFd) closeSync(this.fd);
  }

  private readSome(at: number): number {
    for (;;) {
      try {
        // Files by position (a part of a file can be read on its own), pipes in order.
        return readSync(this.fd, this.buf, at, this.buf.length - at, this.ownsFd ? this.base + at : null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 2); continue; }
        if (code === 'EOF') return 0;
        throw err;
      }
    }
  }
}
