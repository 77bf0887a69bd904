import type { Frame } from '../capture/frame.js';
import { FrameFilter } from '../capture/libpcap.js';
import { openCapture } from '../capture/open.js';
import { CompressionError } from '../capture/compressed.js';
import type { CliOptions } from './args.js';

/** -f on files: the packets it passes, compiled by libpcap; null without -f. */
export function fileFilter(opts: CliOptions): FrameFilter | null {
  return opts.filter === undefined ? null : new FrameFilter(opts.filter);
}

/**
 * Compiles the filter for the link type each file starts with, so that one
 * that does not compile is said (PcapError) before any reading starts.
 */
export function checkFilter(filter: FrameFilter, files: string[]): void {
  for (const path of files) {
    if (path === '-') continue;
    let source;
    try {
      source = openCapture(path);
    } catch {
      continue; // said when the file is read
    }
    try {
      if (source.next()) filter.prepare(source.frame.linktype);
    } finally {
      source.close();
    }
  }
}

/**
 * Reads the capture files in turn, handing every frame (that `filter`
 * passes) to `onFrame`, at most `count` in all. An unreadable file, or one with nothing readable, is one
 * warning line and exit status 2; a file cut short after some packets is a
 * warning and the run goes on. `onFrame` returns false to end the run.
 * Returns the exit status.
 */
export function eachFrame(files: string[], count: number, filter: FrameFilter | null, warn: (msg: string) => void, onFrame: (frame: Frame) => void | false): number {
  let status = 0;
  let left = count;
  for (const path of files) {
    if (left <= 0) break;
    let source;
    try {
      source = openCapture(path, filter);
    } catch (err) {
      warn((err as Error).message);
      status = 2;
      continue;
    }
    let read = 0;
    let damage: string | null = null;
    try {
      while (left > 0 && source.next()) {
        read++;
        left--;
        if (onFrame(source.frame) === false) left = 0; // the caller has what it wants
      }
    } catch (err) {
      // Compressed data that ends or breaks mid-stream: as a capture cut short.
      if (!(err instanceof CompressionError)) throw err;
      damage = err.message;
    } finally {
      source.close();
    }
    const name = path === '-' ? 'standard input' : path;
    const problem = damage ?? (source.problem ? `${name}: ${source.problem.message}` : null);
    if (problem) {
      if (read === 0) {
        warn(problem);
        status = 2;
      } else warn(`warning: ${problem}; ${read} packets read before it`);
    }
  }
  return status;
}
