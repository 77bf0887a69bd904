import { isAscii } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import type { ReassemblyCounts } from '../cli/audit-parallel.js';
import { TunnelTable } from '../tunnels/table.js';
import { read, StateError, type Plain } from '../tunnels/state.js';
import type { TableLimits } from '../tunnels/limits.js';
import { PartialError } from './errors.js';
import { parseAscii } from './json-pieces.js';

/**
 * A partial: the state of an audit (not its verdicts), written by `gredump
 * audit --partial` and joined by `gredump merge`. A gzip file of two JSON
 * lines: a header (format, version, sensors, the capture span, the files
 * read, reassembly counts), then the tables as plain data (state.ts). The
 * header alone puts partials in order before any table is read.
 */
const PARTIAL_FORMAT = 'gredump-partial';
/** 2: IKE SAs count their initiator's requests and their responder's answers (ike.ts). */
const PARTIAL_VERSION = 2;
/** Larger than any real partial (100,000 tunnels take about 150 MB), below what one JavaScript string holds. */
const MAX_PARTIAL_BYTES = 400 * 1024 * 1024;

export { PartialError };

export interface PartialHeader {
  format: typeof PARTIAL_FORMAT;
  version: number;
  describes: string;
  /** Sensors whose packets this covers (`--sensor`; a merged partial lists them all). */
  sensors: string[];
  /** Capture times: of the first and last packet in reading order, and the earliest and latest. */
  span: { start: number; end: number; first: number | null; last: number | null; packets: number };
  files: string[];
  reassembly: ReassemblyCounts;
  /** The SHA-256 of the state line: checked when the state is read; orders partials that tie on everything else. */
  stateSha256: string;
}

export interface Partial {
  header: PartialHeader;
  table: TunnelTable;
}

export function partialHeader(
  table: TunnelTable,
  sensors: string[],
  files: string[],
  reassembly: ReassemblyCounts,
): Omit<PartialHeader, 'stateSha256'> {
  return {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    describes:
      'the state of a gredump audit (tunnels, IPsec peers, routing, ' +
      'sequence numbers, counters); join partials with `gredump merge`',
    sensors: [...new Set(sensors)].sort(),
    span: {
      start: table.startTs,
      end: table.endTs,
      first: Number.isFinite(table.firstSeen) ? table.firstSeen : null,
      last: table.packets ? table.lastSeen : null,
      packets: table.packets,
    },
    files,
    reassembly: { ...reassembly },
  };
}

export function encodePartial(header: Omit<PartialHeader, 'stateSha256'>, table: TunnelTable): Buffer {
  const state = JSON.stringify(table.toState());
  const full: PartialHeader = { ...header, stateSha256: sha256(state) };
  return gzipSync(`${JSON.stringify(full)}\n${state}\n`);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Writes a file we make ourselves: a new temporary name opened with
 * O_EXCL|O_NOFOLLOW beside the target, then renamed over it. A link planted
 * at the target is replaced, never followed; nothing half-written is seen.
 */
export function writeFileSafely(path: string, data: Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    throw new PartialError(`${path}: cannot write (${(err as Error).message})`);
  }
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw new PartialError(`${path}: cannot write (${(err as Error).message})`);
  }
}

/** The gzip bytes of a partial file, its size checked; any fault is a PartialError naming the file. */
function readRaw(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new PartialError(
      `${path}: ` +
        (e.code === 'ELOOP'
          ? 'is a symbolic link (give the file itself)'
          : e.code === 'ENOENT'
            ? 'no such file'
            : e.message),
    );
  }
  let raw: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new PartialError(`${path}: not a regular file`);
    if (st.size > MAX_PARTIAL_BYTES) throw new PartialError(`${path}: ${st.size} bytes, larger than a partial can be`);
    raw = Buffer.alloc(st.size);
    for (let off = 0; off < raw.length; ) {
      const n = readSync(fd, raw, off, raw.length - off, off);
      if (n === 0) break;
      off += n;
    }
  } finally {
    closeSync(fd);
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b)
    throw new PartialError(`${path}: not a gredump partial (not gzip)`);
  return raw;
}

/**
 * The header line alone, from the start of the file: the first few KiB
 * unpacked, and only the header decoded as text (the state is neither
 * decoded nor, mostly, unpacked); the whole file when the header is longer.
 */
function readHeaderLine(path: string): string {
  const raw = readRaw(path);
  for (const input of [1024, 64 * 1024]) {
    try {
      const head = gunzipSync(raw.subarray(0, input), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: MAX_PARTIAL_BYTES,
      });
      const nl = head.indexOf(NL);
      if (nl >= 0) return head.toString('utf8', 0, nl);
    } catch {
      // said below, by reading the whole
    }
    if (input >= raw.length) break;
  }
  return readLines(path, raw).headerText;
}

const NL = 0x0a;

/**
 * The size to unpack a partial into: what the gzip trailer says (ISIZE, the
 * text's length modulo 2^32) when it is plausible, so that the text comes
 * out in one buffer, not in 16 KiB chunks copied together at the end (a
 * third of the unpacking's CPU for the bench's 270 KB states). A wrong
 * trailer only costs more chunks; the text's size is still bounded by
 * maxOutputLength.
 */
function outputChunk(raw: Buffer): number {
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0; // 18: gzip's header and trailer
  return Math.min(Math.max(isize + 1, 64 * 1024), 16 << 20);
}

/**
 * The two lines of a partial file, its size and gzip checked; any fault is a
 * PartialError naming the file. The SHA-256 is of the state line's bytes
 * (the same as of its text when it is UTF-8, which JSON.stringify writes).
 */
function readLines(path: string, raw = readRaw(path)): { headerText: string; table: Buffer; tableSha256: string } {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(raw, { maxOutputLength: MAX_PARTIAL_BYTES, chunkSize: outputChunk(raw) });
  } catch (err) {
    throw new PartialError(`${path}: not a gredump partial (${(err as Error).message})`);
  }
  const nl = bytes.indexOf(NL);
  if (nl < 0 || bytes[bytes.length - 1] !== NL || bytes.indexOf(NL, nl + 1) !== bytes.length - 1)
    throw new PartialError(`${path}: not a gredump partial (expected two lines)`);
  const table = bytes.subarray(nl + 1, -1);
  return {
    headerText: bytes.toString('utf8', 0, nl),
    table,
    tableSha256: createHash('sha256').update(table).digest('hex'),
  };
}

/**
 * JSON text, or (the state line) its bytes: ASCII, as JSON.stringify of the usual state is, is parsed in pieces of
 * one-byte text.
 */
function parse(text: string | Buffer, path: string, what: string): unknown {
  try {
    return typeof text === 'string'
      ? JSON.parse(text)
      : isAscii(text)
        ? parseAscii(text)
        : JSON.parse(text.toString('utf8'));
  } catch (err) {
    throw new PartialError(`${path}: ${what} is not JSON (${(err as Error).message})`);
  }
}

function checkHeader(v: unknown, path: string): PartialHeader {
  try {
    const o = read.obj(v, 'header');
    if (o.format !== PARTIAL_FORMAT) throw new StateError(`not a gredump partial (format ${JSON.stringify(o.format)})`);
    const version = read.int(o.version, 'header.version', 1, 1e6);
    if (version !== PARTIAL_VERSION)
      throw new StateError(`partial version ${version}; this gredump reads version ${PARTIAL_VERSION}`);
    const span = read.obj(o.span, 'header.span');
    const maybe = (x: unknown, at: string) => (x === -1 ? -1 : read.time(x, at));
    const r = read.obj(o.reassembly, 'header.reassembly');
    return {
      format: PARTIAL_FORMAT,
      version,
      describes: read.str(o.describes, 'header.describes'),
      sensors: [...read.set(o.sensors, 'header.sensors', 100_000, (x, a) => read.str(x, a, 256))],
      span: {
        start: maybe(span.start, 'header.span.start'),
        end: maybe(span.end, 'header.span.end'),
        first: span.first === null ? null : read.time(span.first, 'header.span.first'),
        last: span.last === null ? null : read.time(span.last, 'header.span.last'),
        packets: read.int(span.packets, 'header.span.packets'),
      },
      files: read.arr(o.files, 'header.files', 1_000_000).map((f, i) => read.str(f, `header.files[${i}]`, 4096)),
      reassembly: {
        completed: read.int(r.completed, 'header.reassembly.completed'),
        expired: read.int(r.expired, 'header.reassembly.expired'),
        dropped: read.int(r.dropped, 'header.reassembly.dropped'),
        // Periods of one live capture carry the change of the waiting count, which may fall.
        waiting: read.int(r.waiting, 'header.reassembly.waiting', -Number.MAX_SAFE_INTEGER),
      },
      stateSha256:
        typeof o.stateSha256 === 'string' && /^[0-9a-f]{64}$/.test(o.stateSha256)
          ? o.stateSha256
          : fail('header.stateSha256: expected a SHA-256 in hex'),
    };
  } catch (err) {
    if (err instanceof StateError) throw new PartialError(`${path}: ${err.message}`);
    throw err;
  }
}

/** What puts a partial in its place among others, read from its header alone. */
export interface PartialKey {
  path: string;
  header: PartialHeader;
  digest: string;
}

export function readPartialKey(path: string): PartialKey {
  const header = checkHeader(parse(readHeaderLine(path), path, 'the header'), path);
  return { path, header, digest: header.stateSha256 };
}

function fail(message: string): never {
  throw new StateError(message);
}

export function readPartial(path: string, limits: TableLimits): Partial {
  const { headerText, table: tableBytes, tableSha256 } = readLines(path);
  const header = checkHeader(parse(headerText, path, 'the header'), path);
  if (tableSha256 !== header.stateSha256)
    throw new PartialError(`${path}: the state does not match its header's SHA-256 (damaged or edited)`);
  try {
    const table = TunnelTable.fromState(parse(tableBytes, path, 'the state'), 'state', limits);
    if (table.packets !== header.span.packets)
      throw new StateError(`the header says ${header.span.packets} packets, the state ${table.packets}`);
    return { header, table };
  } catch (err) {
    if (err instanceof StateError) throw new PartialError(`${path}: ${err.message}`);
    throw err;
  }
}

/**
 * The order partials are folded in, whatever the order they are given in:
 * by the time of their first packet, then of their last, then by sensor and
 * content. Shards of one capture that do not overlap in time fold in
 * capture order, so sequence numbers continue across their seams.
 */
export function foldOrder(a: PartialKey, b: PartialKey): number {
  const x = a.header;
  const y = b.header;
  return (
    x.span.start - y.span.start ||
    x.span.end - y.span.end ||
    cmp(x.sensors.join('\n'), y.sensors.join('\n')) ||
    cmp(a.digest, b.digest)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function isDirectoryTarget(path: string): boolean {
  if (path.endsWith('/')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export type { Plain };
