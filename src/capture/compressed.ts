import { createRequire } from 'node:module';

/** The decompressors load only when a compressed capture is met (start-up stays as it was). */
const require = createRequire(import.meta.url);
const fflate = () => require('fflate') as typeof import('fflate');
const fzstd = () => require('fzstd') as typeof import('fzstd');

/**
 * Compressed captures, read as tshark reads them: gzip (fflate) and
 * zstd (fzstd), recognised by their first bytes whatever the file's name,
 * decompressed as they are read (constant memory: a compressed piece at a
 * time). Both libraries decompress synchronously, which the synchronous
 * readers need; Node 20's zlib streams are asynchronous and it has no zstd.
 */

/** Bytes enough to recognise every format below. */
export const MAGIC_BYTES = 6;

interface Format {
  name: string;
  magic: number[];
  /** How to read it when gredump cannot: a command that writes the capture to a pipe. */
  tool: string;
  decoder?: (
    ondata: (chunk: Uint8Array, final?: boolean) => void,
    onmember: () => void,
  ) => { push(chunk: Uint8Array, final?: boolean): void };
  /**
   * Whether the stream ended whole, from its last 8 bytes and the bytes out of its last member (where the decoder does
   * not say).
   */
  whole?: (tail: Uint8Array, memberBytes: number) => boolean;
}

const FORMATS: Format[] = [
  {
    name: 'gzip',
    magic: [0x1f, 0x8b],
    tool: 'zcat',
    decoder: (ondata, onmember) => Object.assign(new (fflate().Gunzip)(ondata), { onmember }),
    // fflate takes a cut stream's end as its end: a whole member ends with its size mod 2^32 (RFC 1952).
    whole: (tail, memberBytes) =>
      tail.length === 8 && new DataView(tail.buffer, tail.byteOffset).getUint32(4, true) === memberBytes >>> 0,
  },
  {
    name: 'zstd',
    magic: [0x28, 0xb5, 0x2f, 0xfd],
    tool: 'zstdcat',
    decoder: (ondata) => new (fzstd().Decompress)(ondata),
  },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], tool: 'xzcat' },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], tool: 'bzcat' },
  { name: 'lz4', magic: [0x04, 0x22, 0x4d, 0x18], tool: 'lz4cat' },
];

/** The compression format the bytes start with, or null. */
export function compressionOf(head: Uint8Array): Format | null {
  return FORMATS.find((f) => head.length >= f.magic.length && f.magic.every((b, i) => head[i] === b)) ?? null;
}

/** A compressed capture in a format gredump does not decompress, or damaged compressed data. */
export class CompressionError extends Error {}

/** The one line for a format gredump does not read: what it is and how to read it all the same. */
export function unsupportedMessage(format: Format, path: string): string {
  const name = path === '-' ? 'standard input' : path;
  const how =
    path === '-' ? `put ${format.tool} in the pipe before gredump -r -` : `${format.tool} ${path} | gredump -r -`;
  return `${name}: compressed with ${format.name}, which gredump does not read; ${how}`;
}

/** Compressed input this large at a time: a gzip bomb expands a piece at most about a thousandfold. */
const PIECE = 16 * 1024;

/**
 * Decompressed bytes of a compressed stream, handed out as they are asked
 * for. `readRaw` reads the compressed input in order; `head` holds the
 * first bytes already read from it (to recognise the format).
 */
export class Decompressor {
  private readonly stream: { push(chunk: Uint8Array, final?: boolean): void };
  private readonly pending: Uint8Array[] = [];
  private pendingOff = 0;
  private inputDone = false;
  private compressedRead = 0;
  /** The last 8 compressed bytes, bytes out in all, and where the current member's began. */
  private tail = new Uint8Array(0);
  private out = 0;
  private memberStart = 0;

  constructor(
    readonly format: Format,
    private readonly path: string,
    private readonly readRaw: (buf: Uint8Array) => number,
    head: Uint8Array,
  ) {
    this.stream = format.decoder!(
      (chunk) => {
        this.out += chunk.length;
        if (chunk.length) this.pending.push(chunk);
      },
      () => {
        this.memberStart = this.out;
      },
    );
    this.feed(head, false);
  }

  /** Copies up to `len` decompressed bytes into buf at `at`; 0 at the end. */
  read(buf: Uint8Array, at: number, len: number): number {
    for (;;) {
      const first = this.pending[0];
      if (first) {
        const n = Math.min(len, first.length - this.pendingOff);
        buf.set(first.subarray(this.pendingOff, this.pendingOff + n), at);
        this.pendingOff += n;
        if (this.pendingOff === first.length) {
          this.pending.shift();
          this.pendingOff = 0;
        }
        return n;
      }
      if (this.inputDone) return 0;
      const piece = new Uint8Array(PIECE);
      const n = this.readRaw(piece);
      if (n === 0) {
        this.inputDone = true;
        this.feed(new Uint8Array(0), true);
      } else this.feed(piece.subarray(0, n), false);
    }
  }

  private feed(chunk: Uint8Array, final: boolean): void {
    try {
      this.stream.push(chunk, final);
    } catch (err) {
      this.inputDone = true;
      const name = this.path === '-' ? 'standard input' : this.path;
      const message = (err as Error).message;
      const what = /unexpected EOF/i.test(message) ? 'cut short' : `damaged (${message})`;
      throw new CompressionError(
        `${name}: ${this.format.name} data ${what} after ${this.compressedRead + chunk.length} compressed bytes`,
      );
    }
    this.compressedRead += chunk.length;
    if (chunk.length) {
      const both = new Uint8Array(this.tail.length + chunk.length);
      both.set(this.tail);
      both.set(chunk, this.tail.length);
      this.tail = both.slice(-8);
    }
    if (final && this.format.whole && !this.format.whole(this.tail, this.out - this.memberStart)) {
      const name = this.path === '-' ? 'standard input' : this.path;
      throw new CompressionError(
        `${name}: ${this.format.name} data cut short or damaged after ${this.compressedRead} compressed bytes`,
      );
    }
  }
}
