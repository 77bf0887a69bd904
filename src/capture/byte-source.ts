import { isTerminal } from '../util/terminal.js';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { stdinQueue } from './stdin-queue.js';
import { compressionOf, CompressionError, Decompressor, MAGIC_BYTES, unsupportedMessage } from './compressed.js';

const CHUNK = 256 * 1024;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Called before a pipe, FIFO or device is read (the read may wait): the
 * output is written out then, so that `tcpdump -w - | gredump -r -` prints
 * each packet as it comes and not at 64 KiB or the end (as tcpdump -l).
 */
let beforeWaiting: (() => void) | null = null;
export function onBeforeWaiting(fn: (() => void) | null): void {
  beforeWaiting = fn;
}

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

  /** Set for compressed input: the bytes come from it, in order. */
  private decompressor: Decompressor | null = null;

  /** Regular files are read by position (a worker reads its part); pipes, FIFOs and devices in order. */
  private constructor(
    private readonly fd: number,
    private readonly ownsFd: boolean,
    private readonly seekable: boolean,
  ) {}

  static open(path: string): ByteSource {
    let src: ByteSource;
    if (path === '-') {
      if (isTerminal(0))
        throw new Error('standard input is a terminal, not a capture; pipe one in (tcpdump -w - | gredump -r -)');
      src = new ByteSource(0, false, false);
    } else {
      const fd = openSync(path, 'r');
      const st = fstatSync(fd);
      if (st.isDirectory()) {
        closeSync(fd);
        throw new Error(`${path}: is a directory`);
      }
      src = new ByteSource(fd, true, st.isFile());
    }
    try {
      src.recogniseCompression(path);
    } catch (err) {
      src.close();
      throw err;
    }
    return src;
  }

  /**
   * Looks at the first bytes: compressed input is read through a
   * decompressor; otherwise, from a pipe, the bytes read stay as the start
   * of the buffer.
   */
  private recogniseCompression(path: string): void {
    const head = new Uint8Array(MAGIC_BYTES);
    let got = 0;
    while (got < MAGIC_BYTES) {
      const n = this.readRaw(head, got, MAGIC_BYTES - got, this.seekable ? got : null);
      if (n === 0) break;
      got += n;
    }
    const format = compressionOf(head.subarray(0, got));
    if (!format) {
      if (!this.seekable) {
        this.buf.set(head.subarray(0, got));
        this.filled = got;
        if (got < MAGIC_BYTES) this.eof = true;
      }
      return;
    }
    if (!format.decoder) throw new CompressionError(unsupportedMessage(format, path));
    let rawPos = got;
    this.decompressor = new Decompressor(
      format,
      path,
      (buf) => {
        const n = this.readRaw(buf, 0, buf.length, this.seekable ? rawPos : null);
        rawPos += n;
        return n;
      },
      head.subarray(0, got),
    );
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
    if (rel > this.filled && (!this.seekable || this.decompressor))
      throw new Error('pipes and compressed files cannot skip forward');
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
      if (!this.seekable) beforeWaiting?.();
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
    if (this.decompressor) return this.decompressor.read(this.buf, at, this.buf.length - at);
    // Files by position (a part of a file can be read on its own), pipes in order.
    return this.readRaw(this.buf, at, this.buf.length - at, this.seekable ? this.base + at : null);
  }

  private readRaw(buf: Uint8Array, at: number, len: number, position: number | null): number {
    // Under the UI standard input comes through a queue (WouldBlock when it is empty).
    const queue = this.ownsFd ? null : stdinQueue();
    if (queue) return queue.read(buf, at, len);
    for (;;) {
      try {
        return readSync(this.fd, buf, at, len, position);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 2);
          continue;
        }
        if (code === 'EOF') return 0;
        throw err;
      }
    }
  }
}
