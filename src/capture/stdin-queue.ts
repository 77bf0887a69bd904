/**
 * Standard input read without blocking, for the terminal UI under
 * `tcpdump -w - | gredump -r -`: chunks arrive as the pipe gives them, a
 * reader that runs out gets WouldBlock (and waits for more) instead of a
 * synchronous read that would freeze the screen and its keys. At most
 * HIGH_WATER bytes wait; past that the pipe is paused (constant memory).
 */
const HIGH_WATER = 4 << 20;

/** No bytes yet: try again once `whenData()` resolves. */
export class WouldBlock extends Error {}

export class StdinQueue {
  private readonly chunks: Buffer[] = [];
  private off = 0;
  private queued = 0;
  ended = false;
  private wake: (() => void) | null = null;

  constructor(private readonly stream: NodeJS.ReadableStream = process.stdin) {
    stream.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.queued += c.length;
      if (this.queued > HIGH_WATER) stream.pause();
      this.notify();
    });
    stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('error', () => {
      this.ended = true;
      this.notify();
    });
  }

  /** Bytes waiting to be read. */
  get buffered(): number {
    return this.queued;
  }

  /** Set while a reader may have to give back what it reads (see mark). */
  private taken: Buffer[] | null = null;
  private markOff = 0;

  /**
   * From here on, what is read can be given back with rewind(): opening a
   * capture reads its headers, and a pipe that has not sent them all yet
   * must not lose the part it has.
   */
  mark(): void {
    this.taken = [];
    this.markOff = this.off;
  }

  /** Puts back everything read since mark(). */
  rewind(): void {
    if (!this.taken) return;
    // The chunks read through go back in front; the first is read again from where it was at mark().
    this.chunks.unshift(...this.taken);
    this.off = this.markOff;
    this.queued = this.chunks.reduce((n, c) => n + c.length, 0) - this.off;
    this.taken = null;
  }

  unmark(): void {
    this.taken = null;
  }

  /** Copies up to len bytes; 0 once the pipe has ended; WouldBlock while it is empty but open. */
  read(buf: Uint8Array, at: number, len: number): number {
    const first = this.chunks[0];
    if (!first) {
      if (this.ended) return 0;
      throw new WouldBlock('standard input has no bytes yet');
    }
    const n = Math.min(len, first.length - this.off);
    buf.set(first.subarray(this.off, this.off + n), at);
    this.off += n;
    this.queued -= n;
    if (this.off === first.length) {
      const done = this.chunks.shift()!; // (not inside ?.: it must go whether or not it is kept)
      this.taken?.push(done);
      this.off = 0;
    }
    if (this.queued < HIGH_WATER / 2) this.stream.resume();
    return n;
  }

  /** Resolves when more bytes arrive (not: when some are waiting) or the pipe ends. */
  whenData(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((r) => {
      const before = this.wake;
      this.wake = () => {
        before?.();
        r();
      };
    });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** Set by the UI: "-" then reads from this queue instead of blocking reads of fd 0. */
let installed: StdinQueue | null = null;
export const stdinQueue = (): StdinQueue | null => installed;
export function installStdinQueue(q: StdinQueue): void {
  installed = q;
}
