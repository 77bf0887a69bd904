import type { Frame } from '../capture/frame.js';
import { FrameFilter } from '../capture/libpcap.js';
import { openCapture } from '../capture/open.js';
import type { ByteRange } from '../capture/pcap.js';
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

/** A capture to read: a file ('-' for standard input), or a range of a pcap file's records. */
export interface DriveSource {
  path: string;
  range?: ByteRange | null;
}

/** How the reading of one source ended. */
export interface SourceEnd {
  /** The source's place in the list given. */
  index: number;
  path: string;
  /** Frames read from it. */
  read: number;
  /** Why it could not be opened (then nothing was read), or null. */
  openError: string | null;
  /** What ended it early, said with the file's name (a structural problem, compressed data cut short), or null. */
  problem: string | null;
  /** Where its reader stopped (bytes of the input). */
  position: number;
}

export interface DriveOptions {
  filter?: FrameFilter | null;
  /** Frames to read at most, over all the sources. */
  count?: number;
  /** Each frame (that the filter passes); false ends the run. */
  onFrame(frame: Frame): void | false;
  /** After each source, also one that could not be opened. */
  onFileEnd?(end: SourceEnd): void;
}

/**
 * The frame loop: reads the sources in turn, handing every frame to
 * `onFrame`. Reading errors are not thrown but told to `onFileEnd`.
 */
export function drive(sources: readonly DriveSource[], o: DriveOptions): void {
  let left = o.count ?? Infinity;
  const onFrame = o.onFrame;
  for (let index = 0; index < sources.length && left > 0; index++) {
    const { path, range = null } = sources[index]!;
    const end: SourceEnd = { index, path, read: 0, openError: null, problem: null, position: 0 };
    let source;
    try {
      source = openCapture(path, o.filter ?? null, range);
    } catch (err) {
      end.openError = (err as Error).message;
      o.onFileEnd?.(end);
      continue;
    }
    let read = 0;
    try {
      while (left > 0 && source.next()) {
        read++;
        left--;
        if (onFrame(source.frame) === false) left = 0; // the caller has what it wants
      }
    } catch (err) {
      // Compressed data that ends or breaks mid-stream: as a capture cut short.
      if (!(err instanceof CompressionError)) throw err;
      end.problem = err.message;
    } finally {
      source.close();
    }
    end.read = read;
    end.position = source.position;
    if (end.problem === null && source.problem)
      end.problem = `${path === '-' ? 'standard input' : path}: ${source.problem.message}`;
    o.onFileEnd?.(end);
  }
}

/**
 * Reads the capture files in turn (see drive). An unreadable file, or one
 * with nothing readable, is one warning line and exit status 2; a file cut
 * short after some packets is a warning and the run goes on. Returns the
 * exit status.
 */
export function eachFrame(
  files: string[],
  count: number,
  filter: FrameFilter | null,
  warn: (msg: string) => void,
  onFrame: (frame: Frame) => void | false,
): number {
  let status = 0;
  drive(
    files.map((path) => ({ path })),
    {
      filter,
      count,
      onFrame,
      onFileEnd(end) {
        const problem = end.openError ?? end.problem;
        if (problem === null) return;
        if (end.read === 0) {
          warn(problem);
          status = 2;
        } else warn(`warning: ${problem}; ${end.read} packets read before it`);
      },
    },
  );
  return status;
}
