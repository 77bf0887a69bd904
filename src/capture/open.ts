import { ByteSource } from './byte-source.js';
import { CompressionError } from './compressed.js';
import { stdinQueue, WouldBlock } from './stdin-queue.js';
import { FilteredSource } from './filtered.js';
import { CaptureError, type FrameSource } from './frame.js';
import type { FrameFilter } from './libpcap.js';
import { PcapReader, type ByteRange } from './pcap.js';
import { PcapngReader } from './pcapng.js';

/**
 * Opens a capture file ("-" for standard input) and picks the reader from its
 * first bytes; with a filter, only the frames it passes; with a range (of a
 * pcap file, see splitPcap), only its records. Throws an Error with a
 * one-line message when it cannot, and WouldBlock when standard input under
 * the UI has not sent the headers yet.
 */
export function openCapture(
  path: string,
  filter: FrameFilter | null = null,
  range: ByteRange | null = null,
): FrameSource {
  // What was read of such headers (through the decompressor, perhaps a whole deflate block) goes back for a next try.
  const queue = path === '-' ? stdinQueue() : null;
  queue?.mark();
  try {
    return openReader(path, filter, range);
  } catch (err) {
    if (err instanceof WouldBlock) queue?.rewind();
    throw err;
  } finally {
    queue?.unmark();
  }
}

function openReader(path: string, filter: FrameFilter | null, range: ByteRange | null): FrameSource {
  let src: ByteSource;
  try {
    src = ByteSource.open(path);
  } catch (err) {
    if (err instanceof CompressionError || err instanceof WouldBlock) throw err;
    throw new Error(describeOpenError(path, err));
  }
  try {
    if (!src.ensure(0, 4))
      throw new CaptureError(src.available(0) === 0 ? 'empty file' : 'too short to be a capture', 0);
    const m = src.dv.getUint32(0, false);
    const reader = m === 0x0a0d0d0a && !range ? new PcapngReader(src) : new PcapReader(src, range);
    return filter ? new FilteredSource(reader, filter) : reader;
  } catch (err) {
    src.close();
    const name = path === '-' ? 'standard input' : path;
    if (err instanceof CompressionError || err instanceof WouldBlock) throw err;
    if (err instanceof CaptureError)
      throw new Error(
        `${name}: ${err.message === 'not a pcap file (bad magic)' ? 'not a pcap or pcapng capture' : err.message}`,
      );
    throw new Error(describeOpenError(path, err));
  }
}

function describeOpenError(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return `${path}: no such file`;
    case 'EACCES':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory`;
    default:
      return e.message?.startsWith(path) ? e.message : `${path}: ${e.message ?? String(err)}`;
  }
}
