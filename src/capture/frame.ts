/**
 * One captured frame as a reader hands it out. The object is reused from
 * record to record: `data` is the reader's chunk buffer and the frame's bytes
 * are data[off, off + caplen). Copy what must outlive the next read.
 */
export interface Frame {
  data: Uint8Array;
  dv: DataView;
  off: number;
  caplen: number;
  /** Length on the wire. */
  len: number;
  tsSec: number;
  /** Fraction of the second in nanoseconds. */
  tsNsec: number;
  /** Digits of sub-second precision the source offers (6 for microseconds, 9 for nanoseconds). */
  tsDigits: number;
  /** False for a record with no time (pcapng's simple packet block): its time reads 0, its time fields are absent. */
  hasTs: boolean;
  linktype: number;
  /** pcapng: the interface the packet was captured on (null in a pcap file or a live capture). */
  iface: CaptureInterface | null;
  /** pcapng: the packet's flags word (epb_flags: direction, reception, errors), -1 where it has none. */
  flags: number;
}

/** A pcapng interface as Wireshark shows it in the frame. */
export interface CaptureInterface {
  /** The file's section it was described in, from 1. */
  readonly section: number;
  /** Its number within the section. */
  readonly id: number;
  /** if_name, else if_description, else `unknown`, as Wireshark names it. */
  readonly name: string;
  /** if_description, or null. */
  readonly description: string | null;
}

export function newFrame(): Frame {
  const data = new Uint8Array(0);
  return {
    data,
    dv: new DataView(data.buffer),
    off: 0,
    caplen: 0,
    len: 0,
    tsSec: 0,
    tsNsec: 0,
    tsDigits: 6,
    hasTs: true,
    linktype: 1,
    iface: null,
    flags: -1,
  };
}

/**
 * The latest timestamp a capture may carry (9999-12-31 23:59:59 UTC, as
 * ISO 8601 can write it); a record claiming a later or a negative one is
 * bad, not a packet from the future.
 */
export const MAX_TS_SEC = 253402300799;
/** No record or block we read is larger (pcapng's and pcap's readers alike): a longer claim is a lie. */
export const MAX_RECORD = 16 * 1024 * 1024;

/** A structural problem in a capture file, with the byte offset where it was found. */
export class CaptureError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** What every frame source (file reader, live capture) offers the driver loop. */
export interface FrameSource {
  readonly frame: Frame;
  /** Fills `frame` with the next record; false at the end or on a structural error (see `problem`). */
  next(): boolean;
  /** After next() said false: not the end, more comes later (a live capture between its batches). */
  readonly waiting?: boolean;
  /** Why reading stopped early, or null when the input ended cleanly. */
  readonly problem: CaptureError | null;
  /** Bytes of the input consumed so far (for a progress bar). */
  readonly position: number;
  /** A short description, e.g. "pcap (microsecond, little-endian)". */
  readonly description: string;
  /** File offset of the record `frame` came from (files; the UI's packet index keeps it). */
  readonly recordAt?: number;
  /** Files: the next `next()` reads the record at `offset` (one recordAt gave), for random access. */
  seek?(offset: number): void;
  close(): void;
}
