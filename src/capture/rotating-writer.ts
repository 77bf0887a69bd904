import { existsSync, unlinkSync } from 'node:fs';
import { PcapWriter } from './pcap-writer.js';

/** tcpdump's -C, -G and -W. */
export interface Rotation {
  /** -C: a new file once the current one holds more than this many millions of bytes. */
  sizeMb?: number | undefined;
  /** -G: a new file every this many seconds (of capture time), named by strftime. */
  seconds?: number | undefined;
  /** -W: with -C alone, a ring of this many files; with -G, stop after this many. */
  count?: number | undefined;
}

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * The -w file, rotated as tcpdump rotates it, on top of PcapWriter: with
 * -C alone the files are FILE, FILE1, FILE2... (with -W, FILE0 to FILE(N-1)
 * padded to one width, the oldest overwritten: a ring that bounds the
 * disk); with -G, FILE's strftime fields take the time of each file's first
 * packet, and with -C as well a number follows. -G counts capture time (the
 * packets' timestamps, which live are the kernel's), so that a file read
 * back with -r -w -G is cut as it was captured.
 */
export class RotatingWriter {
  private writer: PcapWriter | null = null;
  private bytes = 0;
  private fileStart = 0;
  /** -C files within the current -G period (or in all without -G). */
  private sizeIndex = 0;
  /** -G periods opened. */
  private periods = 0;
  private period = '';
  private readonly digits: number;
  /** Files this run wrote: only those are overwritten when their name comes round again. */
  private readonly written = new Set<string>();
  /** Every file opened, in order (names may repeat in a ring). */
  readonly opened: string[] = [];
  /** Set once -G -W has written its last file: the capture should stop. */
  done = false;

  constructor(
    private readonly path: string,
    readonly linktype: number,
    private readonly nano: boolean,
    private readonly rotation: Rotation = {},
  ) {
    // tcpdump pads the number to the width of the largest one -W allows.
    this.digits = rotation.count !== undefined ? String(rotation.count - 1).length : 0;
  }

  /**
   * Writes a record, first starting the next file where a limit is reached; false (and nothing written) once -G -W is
   * done.
   */
  write(tsSec: number, tsNsec: number, data: Uint8Array, len = data.length): boolean {
    if (this.done) return false;
    const { sizeMb, seconds, count } = this.rotation;
    if (!this.writer) this.open(tsSec, true);
    else if (seconds !== undefined && tsSec - this.fileStart >= seconds) {
      if (count !== undefined && sizeMb === undefined && this.periods >= count) {
        this.done = true;
        return false;
      }
      this.open(tsSec, true);
    } else if (sizeMb !== undefined && this.bytes > sizeMb * 1_000_000) this.open(tsSec, false);
    this.writer!.write(tsSec, tsNsec, data, len);
    this.bytes += RECORD_HEADER + data.length;
    return true;
  }

  /** Opens the first file now (live: so that a path that cannot be written is said before any packet). */
  start(tsSec: number): void {
    if (!this.writer) this.open(tsSec, true);
  }

  flush(): void {
    this.writer?.flush();
  }

  close(): void {
    this.writer?.close();
  }

  private open(tsSec: number, newPeriod: boolean): void {
    this.writer?.close();
    const { sizeMb, seconds, count } = this.rotation;
    if (newPeriod) {
      this.periods++;
      this.fileStart = tsSec;
      this.sizeIndex = 0;
      this.period = seconds !== undefined ? strftime(this.path, tsSec) : this.path;
    } else this.sizeIndex++;
    let name = this.period;
    if (sizeMb !== undefined) {
      // A ring only with -C alone; with -G too, -W only sets the width (as tcpdump).
      const n = count !== undefined && seconds === undefined ? this.sizeIndex % count : this.sizeIndex;
      if (n > 0 || this.digits > 0) name += String(n).padStart(this.digits, '0');
    }
    if (this.written.has(name) && existsSync(name)) unlinkSync(name);
    this.writer = new PcapWriter(name, this.linktype, this.nano);
    this.written.add(name);
    this.opened.push(name);
    this.bytes = PCAP_HEADER;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** strftime(3)'s common fields, in local time as tcpdump uses them; others are left as written. */
export function strftime(format: string, sec: number): string {
  const d = new Date(sec * 1000);
  const start = new Date(d.getFullYear(), 0, 1);
  const yday =
    Math.floor(
      (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(start.getFullYear(), 0, 1)) / 86_400_000,
    ) + 1;
  return format.replace(/%([a-zA-Z%])/g, (all, f: string) => {
    switch (f) {
      case 'Y':
        return String(d.getFullYear());
      case 'y':
        return two(d.getFullYear() % 100);
      case 'm':
        return two(d.getMonth() + 1);
      case 'd':
        return two(d.getDate());
      case 'e':
        return String(d.getDate()).padStart(2, ' ');
      case 'H':
        return two(d.getHours());
      case 'I':
        return two(d.getHours() % 12 || 12);
      case 'p':
        return d.getHours() < 12 ? 'AM' : 'PM';
      case 'M':
        return two(d.getMinutes());
      case 'S':
        return two(d.getSeconds());
      case 'j':
        return String(yday).padStart(3, '0');
      case 's':
        return String(sec);
      case 'a':
        return DAYS[d.getDay()]!;
      case 'b':
        return MONTHS[d.getMonth()]!;
      case 'F':
        return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
      case 'T':
        return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
      case '%':
        return '%';
      default:
        return all;
    }
  });
}
