import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { compressionOf, MAGIC_BYTES } from '../capture/compressed.js';

/**
 * What a run knows of an input file before reading it, found once at the
 * start (a stat, and for a regular file its first bytes): the thread plans,
 * the parts cut for threads and the UI's progress all read it from here.
 */
export interface Input {
  readonly path: string;
  /** Found (and, if a regular file, opened); false for standard input too. */
  readonly found: boolean;
  /** Its size, for a regular file; 0 for standard input, a FIFO or a device. */
  readonly size: number;
  /** A compressed capture, known by its first bytes (read in order only: never cut into parts). */
  readonly compressed: boolean;
}

export function probeInputs(paths: readonly string[]): Input[] {
  return paths.map(probe);
}

function probe(path: string): Input {
  const st = path === '-' ? undefined : statSync(path, { throwIfNoEntry: false });
  if (!st) return { path, found: false, size: 0, compressed: false };
  // Only a regular file can be looked into without taking its first bytes (a FIFO's are gone once read).
  if (!st.isFile()) return { path, found: true, size: 0, compressed: false };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { path, found: false, size: 0, compressed: false };
  }
  try {
    const head = new Uint8Array(MAGIC_BYTES);
    const compressed = compressionOf(head.subarray(0, readSync(fd, head, 0, MAGIC_BYTES, 0))) !== null;
    return { path, found: true, size: st.size, compressed };
  } catch {
    return { path, found: false, size: 0, compressed: false };
  } finally {
    closeSync(fd);
  }
}
