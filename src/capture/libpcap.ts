import { endianness } from 'node:os';
import { nativeBinding } from '../util/native.js';
import type { Frame } from './frame.js';

/**
 * gredump's own libpcap binding (native/pcap.c), built by `npm ci` where
 * libpcap's headers are installed. Reading files needs none of it: it loads
 * on first use, and its absence is one line saying how to get it.
 */
export class PcapError extends Error {}

/** pcap_if_t flags, as libpcap defines them. */
export const IF_LOOPBACK = 0x1;
export const IF_UP = 0x2;
export const IF_RUNNING = 0x4;
export const IF_WIRELESS = 0x8;
export const IF_CONNECTION_STATUS = 0x30;
export const IF_CONNECTED = 0x10;
export const IF_DISCONNECTED = 0x20;

export interface Device {
  name: string;
  description: string | null;
  flags: number;
  addresses: { addr: string; netmask: string | null }[];
}

export interface PcapStats {
  /** Packets the kernel passed the filter. */
  received: number;
  /** Packets dropped because gredump did not read them fast enough (the buffer was full). */
  dropped: number;
  /** Packets the interface or its driver dropped. */
  ifDropped: number;
}

interface OpenResult {
  handle: object;
  linktype: number;
  nanoseconds: boolean;
  snaplen: number;
  warning: string | null;
}

interface Binding {
  open(
    device: string,
    options: { snaplen: number; promisc: number; bufferSize: number; timeoutMs: number },
    filter: string,
    batch: Uint8Array,
    onBatch: (count: number, used: number) => void,
    onError: (message: string) => void,
  ): OpenResult;
  close(handle: object): void;
  stats(handle: object): PcapStats;
  devices(): Device[];
  compile(linktype: number, snaplen: number, expression: string): object;
  matches(program: object, bytes: Uint8Array, offset: number, caplen: number, len: number): boolean;
  version(): string;
}

let binding: Binding | undefined;

export function libpcap(): Binding {
  if (binding) return binding;
  try {
    binding = nativeBinding() as Binding;
    return binding;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'MODULE_NOT_FOUND'
        ? "gredump's libpcap binding is not built"
        : `gredump's libpcap binding does not load (${(err as Error).message.split('\n')[0]})`;
    throw new PcapError(
      `live capture and capture filters need libpcap, and ${why}: ` +
        "apt-get install libpcap-dev (or your system's libpcap development " +
        'package), then npm run build:native (or npm ci)',
    );
  }
}

/** The binding's errors carry libpcap's class of failure in `code`. */
export function pcapErrorCode(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

/**
 * A BPF filter for frames read from files, compiled by libpcap for each link
 * type met (a pcapng file may hold several) and run by pcap_offline_filter,
 * so it means exactly what it means to tcpdump.
 */
export class FrameFilter {
  private readonly programs = new Map<number, object>();
  private readonly lib = libpcap();
  private lastLinktype = -1;
  private lastProgram: object | undefined;

  constructor(readonly expression: string) {}

  matches(f: Frame): boolean {
    if (f.linktype !== this.lastLinktype) {
      this.lastLinktype = f.linktype;
      this.lastProgram = this.prepare(f.linktype);
    }
    return this.lib.matches(this.lastProgram!, f.data, f.off, f.caplen, f.len);
  }

  /** The program for a link type, compiled on first use; throws PcapError with libpcap's message. */
  prepare(linktype: number): object {
    const known = this.programs.get(linktype);
    if (known) return known;
    try {
      const program = this.lib.compile(linktype, 262144, this.expression);
      this.programs.set(linktype, program);
      return program;
    } catch (err) {
      throw new PcapError(`the filter does not compile for link type ${linktype}: ${(err as Error).message}`);
    }
  }
}

/** Whether the binding writes its record headers little-endian (it writes them in the machine's order). */
export const LITTLE_ENDIAN = endianness() === 'LE';
