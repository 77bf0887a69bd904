import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { visible } from '../output/escape.js';
import { OutputClosed, writeAll } from '../output/sink.js';

const FLUSH_AT = 1 << 20;
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
const STDOUT = 1;

/** A file gredump was asked to write and could not: one clear line, exit 2. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    reason: string,
  ) {
    super(`cannot write ${visible(path)}: ${reason}`);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ELOOP: 'is a symbolic link (gredump does not write through links)',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENXIO: 'no reader on the other end',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'name too long',
};

function writeError(path: string, err: unknown): WriteError {
  if (err instanceof WriteError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new WriteError(path, code, code && REASONS[code] ? `${REASONS[code]} (${code})` : (err as Error).message);
}

/**
 * How a file is opened: `replace` (-w OUT, as tcpdump: an existing regular
 * file is replaced; a FIFO or character device such as /dev/null is written
 * to; a symbolic link, even a dangling one, a block device or anything else
 * is refused) or `new` (the UI's `w`: created, never an existing name).
 * Neither follows a link at the last step of the path (O_NOFOLLOW), and
 * `new` cannot race with a link planted between a check and the open (O_EXCL).
 */
export type OpenHow = 'replace' | 'new';

function openForWriting(path: string, how: OpenHow): number {
  let fd: number;
  try {
    fd = openSync(
      path,
      how === 'new' ? O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW : O_WRONLY | O_CREAT | O_NOFOLLOW,
      0o644,
    );
  } catch (err) {
    throw writeError(path, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile()) {
      if (how === 'replace') ftruncateSync(fd, 0);
    } else if (!st.isCharacterDevice() && !st.isFIFO()) {
      throw new WriteError(path, undefined, 'not a regular file, a FIFO or a character device');
    }
  } catch (err) {
    closeSync(fd);
    throw writeError(path, err);
  }
  return fd;
}

/**
 * Writes a classic pcap file (what tcpdump -w writes), buffered, with
 * microsecond or nanosecond timestamps. `close()` must be called for the
 * last records to reach the file. A failed write (a full disk) is a
 * WriteError; the file is cut back to its last whole record, so that what
 * was written stays readable, and later writes are ignored.
 */
export class PcapWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(FLUSH_AT + 65536 + 16);
  private used = 0;
  private closed = false;
  private broken = false;
  /** Bytes in the file, all whole records. */
  private written = 0;
  private readonly regular: boolean;

  readonly path: string;

  /** `target`: a path (opened as `how` says), or a file descriptor opened by the caller (then closed by close()). */
  constructor(
    target: string | number,
    readonly linktype = 1,
    readonly nano = false,
    snaplen = 262144,
    how: OpenHow = 'replace',
  ) {
    // "-": standard output (-w -), written to and left open for the process.
    this.path = typeof target === 'number' ? `file descriptor ${target}` : target === '-' ? 'standard output' : target;
    this.fd = typeof target === 'number' ? target : target === '-' ? STDOUT : openForWriting(target, how);
    this.regular = fstatSync(this.fd).isFile();
    const h = this.buf;
    h.fill(0, 0, 24);
    h.writeUInt32LE(nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(snaplen, 16);
    h.writeUInt32LE(linktype, 20);
    this.used = 24;
    try {
      this.flush();
    } catch (err) {
      if (this.fd !== STDOUT) closeSync(this.fd);
      throw err;
    }
  }

  /** Appends a record; `len` is the wire length when the data was cut by a snaplen. */
  write(tsSec: number, tsNsec: number, data: Uint8Array, len = data.length): void {
    if (this.broken) return;
    if (this.used + 16 + data.length > this.buf.length) this.flush();
    if (16 + data.length > this.buf.length) this.buf = Buffer.allocUnsafe(16 + data.length);
    const b = this.buf;
    let o = this.used;
    b.writeUInt32LE(tsSec >>> 0, o);
    b.writeUInt32LE(this.nano ? tsNsec : Math.floor(tsNsec / 1000), o + 4);
    b.writeUInt32LE(data.length, o + 8);
    b.writeUInt32LE(len, o + 12);
    o += 16;
    b.set(data, o);
    this.used = o + data.length;
  }

  flush(): void {
    if (this.broken || this.used === 0) return;
    if (this.fd === STDOUT) {
      // A pipe (tcpdump -w - | ...): a full one is waited out; a reader gone (| head) ends the run as for lines.
      try {
        writeAll(STDOUT, this.buf.subarray(0, this.used));
      } catch (err) {
        this.broken = true;
        throw err instanceof OutputClosed ? err : writeError(this.path, err);
      } finally {
        this.used = 0;
      }
      return;
    }
    let done = 0;
    try {
      // writeSync may write less than asked (a disk filling up): go on until all is written or it fails.
      while (done < this.used) done += writeSync(this.fd, this.buf, done, this.used - done);
    } catch (err) {
      this.broken = true;
      this.used = 0;
      if (this.regular && done > 0) {
        try {
          ftruncateSync(this.fd, this.written);
        } catch {
          // the records before stay whole; this buffer's may be cut
        }
      }
      throw writeError(this.path, err);
    }
    this.written += done;
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      if (this.fd !== STDOUT) closeSync(this.fd);
    }
  }
}
