import type { ByteSource } from './byte-source.js';
import { CaptureError, MAX_RECORD, newFrame, type Frame, type FrameSource } from './frame.js';

/** Largest record we accept when the file's snaplen is smaller (libpcap's MAXIMUM_SNAPLEN). */
const MAX_SNAPLEN = 262144;

const PCAP_MAGICS = {
  micro: 0xa1b2c3d4,
  nano: 0xa1b23c4d,
  /** Alexey Kuznetzov's modified format: 8 more bytes per record header. */
  kuznetzov: 0xa1b2cd34,
} as const;

/** Part of a file, on record boundaries: [start, end) in bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Classic libpcap files: both byte orders, micro- and nanosecond magic. With
 * a range, only the records from its start up to its end (a worker's part).
 */
export class PcapReader implements FrameSource {
  readonly frame: Frame = newFrame();
  problem: CaptureError | null = null;
  readonly description: string;
  readonly le: boolean;
  readonly recordHeader: number;
  readonly maxCaplen: number;
  private pos: number;
  private readonly end: number;
  recordAt = -1;

  constructor(
    private readonly src: ByteSource,
    range: ByteRange | null = null,
  ) {
    this.pos = range?.start ?? 24;
    this.end = range?.end ?? Infinity;
    if (!src.ensure(0, 24)) throw new CaptureError('pcap file header is cut short (needs 24 bytes)', 0);
    const dv = src.dv;
    let magic = dv.getUint32(0, true);
    this.le = isPcapMagic(magic);
    if (!this.le) magic = dv.getUint32(0, false);
    if (!isPcapMagic(magic)) throw new CaptureError('not a pcap file (bad magic)', 0);
    const nano = magic === PCAP_MAGICS.nano;
    this.recordHeader = magic === PCAP_MAGICS.kuznetzov ? 24 : 16;
    const major = dv.getUint16(4, this.le);
    if (major !== 2) throw new CaptureError(`unsupported pcap version ${major}.${dv.getUint16(6, this.le)}`, 4);
    const snaplen = dv.getUint32(16, this.le);
    // A header's snaplen of 2^31 must not let one record header buffer gigabytes from a pipe.
    this.maxCaplen = Math.min(Math.max(snaplen, MAX_SNAPLEN), MAX_RECORD);
    // The upper bits of the link type field carry FCS information (pcap-linktype(7)).
    this.frame.linktype = dv.getUint32(20, this.le) & 0x03ffffff;
    this.frame.tsDigits = nano ? 9 : 6;
    this.description = `pcap (${nano ? 'nanosecond' : 'microsecond'}, ${this.le ? 'little' : 'big'}-endian)`;
  }

  next(): boolean {
    if (this.problem) return false;
    const src = this.src;
    const at = this.pos;
    if (at >= this.end) return false;
    if (!src.ensure(at, this.recordHeader)) {
      const left = src.available(at);
      if (left > 0)
        this.problem = new CaptureError(
          `capture cut short: record header at offset ${at} has ${left} of ${this.recordHeader} bytes`,
          at,
        );
      return false;
    }
    let dv = src.dv;
    let h = at - src.base;
    const caplen = dv.getUint32(h + 8, this.le);
    if (caplen > this.maxCaplen) {
      this.problem = new CaptureError(
        `record at offset ${at} claims ${caplen} captured bytes (more than the ${this.maxCaplen} allowed)`,
        at,
      );
      return false;
    }
    if (!src.ensure(at, this.recordHeader + caplen)) {
      this.problem = new CaptureError(
        `capture cut short: record at offset ${at} needs ${caplen} ` +
          `bytes, ${Math.max(0, src.available(at) - this.recordHeader)} left`,
        at,
      );
      return false;
    }
    dv = src.dv;
    h = at - src.base;
    const f = this.frame;
    f.data = src.buf;
    f.dv = dv;
    f.tsSec = dv.getUint32(h, this.le);
    const frac = dv.getUint32(h + 4, this.le);
    f.tsNsec = f.tsDigits === 9 ? frac : frac * 1000;
    // A fraction of a second of more than a second (a lying record) carries into the seconds.
    if (f.tsNsec >= 1e9) {
      f.tsSec += Math.floor(f.tsNsec / 1e9);
      f.tsNsec %= 1e9;
    }
    f.caplen = caplen;
    f.len = Math.max(dv.getUint32(h + 12, this.le), caplen);
    f.off = h + this.recordHeader;
    this.recordAt = at;
    this.pos = at + this.recordHeader + caplen;
    return true;
  }

  get position(): number {
    return this.pos;
  }

  seek(offset: number): void {
    this.src.reposition(offset);
    this.pos = offset;
    this.problem = null;
  }

  close(): void {
    this.src.close();
  }
}

function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGICS.micro || m === PCAP_MAGICS.nano || m === PCAP_MAGICS.kuznetzov;
}
