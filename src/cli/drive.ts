import type { Frame, FrameSource } from '../capture/frame.js';
import { FrameFilter } from '../capture/libpcap.js';
import { openCapture } from '../capture/open.js';
import type { ByteRange } from '../capture/pcap.js';
import { CompressionError } from '../capture/compressed.js';
import { WouldBlock } from '../capture/stdin-queue.js';
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

/** A capture to read: a file ('-' for standard input), a range of a pcap file's records, or a source already open. */
export interface DriveSource {
  path: string;
  range?: ByteRange | null;
  /** A live capture: read between its batches (see FrameSource.waiting). */
  open?: FrameSource;
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
  /** The link type of its last frame (a pcap file's header's when it had none); -1 when it could not be opened. */
  linktype: number;
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

/** Frames read between two questions to run()'s `pause`. */
const PAUSE_EVERY = 1024;

/**
 * The frame loop: reads the sources in turn, handing every frame to
 * `onFrame`. Reading errors are not thrown but told to `onFileEnd`. It can
 * stop and go on where it stopped (see run), so that the UI reads in time
 * slices and a live capture a batch at a time through the same loop.
 */
export class Drive {
  /** The place in the list of the source being read (the list's length once all are read). */
  index = 0;
  /** The reader of the source being read, null between sources. */
  source: FrameSource | null = null;
  private left: number;
  private read = 0;

  constructor(
    private readonly sources: readonly DriveSource[],
    private readonly o: DriveOptions,
  ) {
    this.left = o.count ?? Infinity;
  }

  /**
   * Reads on until every source has ended, the count is reached or onFrame
   * says stop (then false), or until `pause()`, asked every 1024 frames,
   * says so or a live source has nothing more for now (then true: run again
   * to go on). A pipe with no bytes yet throws WouldBlock with everything
   * kept: run again once it has some.
   */
  run(pause?: () => boolean): boolean {
    const onFrame = this.o.onFrame;
    while (this.left > 0 && this.index < this.sources.length) {
      const source = this.source ?? this.open();
      if (!source) continue;
      let left = this.left;
      let read = this.read;
      let problem: string | null = null;
      // Counting down from Infinity would make a heap number a frame: count only a real -c.
      const limited = left !== Infinity;
      try {
        while (left > 0 && source.next()) {
          read++;
          if (limited) left--;
          if (onFrame(source.frame) === false) left = 0; // the caller has what it wants
          if (pause !== undefined && read % PAUSE_EVERY === 0 && pause()) return true;
        }
      } catch (err) {
        if (err instanceof WouldBlock) throw err;
        // Compressed data that ends or breaks mid-stream: as a capture cut short.
        if (!(err instanceof CompressionError)) {
          this.close();
          throw err;
        }
        problem = err.message;
      } finally {
        this.left = left;
        this.read = read;
      }
      if (left > 0 && problem === null && source.waiting) return true;
      this.endSource(source, problem);
    }
    return false;
  }

  /** Closes the source being read (a run stopped before the end). */
  close(): void {
    this.source?.close();
    this.source = null;
  }

  private open(): FrameSource | null {
    const { path, range = null, open } = this.sources[this.index]!;
    try {
      this.source = open ?? openCapture(path, this.o.filter ?? null, range);
    } catch (err) {
      if (err instanceof WouldBlock) throw err;
      this.o.onFileEnd?.({
        index: this.index++,
        path,
        read: 0,
        openError: (err as Error).message,
        problem: null,
        position: 0,
        linktype: -1,
      });
      return null;
    }
    this.read = 0;
    return this.source;
  }

  private endSource(source: FrameSource, thrown: string | null): void {
    this.close();
    const path = this.sources[this.index]!.path;
    const problem =
      thrown ?? (source.problem ? `${path === '-' ? 'standard input' : path}: ${source.problem.message}` : null);
    const end = {
      index: this.index++,
      path,
      read: this.read,
      openError: null,
      problem,
      position: source.position,
      linktype: source.frame.linktype,
    };
    this.o.onFileEnd?.(end);
  }
}

/** Reads the sources to their end (see Drive). */
export function drive(sources: readonly DriveSource[], o: DriveOptions): void {
  new Drive(sources, o).run();
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
  onFileEnd?: (end: SourceEnd) => void,
): number {
  let status = 0;
  drive(
    files.map((path) => ({ path })),
    {
      filter,
      count,
      onFrame,
      onFileEnd(end) {
        onFileEnd?.(end);
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
