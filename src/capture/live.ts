import type { Frame } from './frame.js';
import { libpcap, LITTLE_ENDIAN, PcapError, pcapErrorCode, type Device, type PcapStats } from './libpcap.js';

/** What gredump captures unless told otherwise: tunnels, IPsec and their control traffic, tagged or not. */
const TUNNEL_TRAFFIC =
  'ip proto 47 or ip proto 50 or ip proto 51 or ip6 proto 47 or ip6 proto 50 or ip6 proto 51' +
  ' or udp port 500 or udp port 4500 or udp port 4754 or tcp port 1723';
export const DEFAULT_FILTER = `(${TUNNEL_TRAFFIC}) or (vlan and (${TUNNEL_TRAFFIC}))`;
/** For link types without VLAN tags in the frame (Linux cooked, -i any), where `vlan` does not compile. */
const DEFAULT_FILTER_UNTAGGED = TUNNEL_TRAFFIC;

const SNAPLEN = 262144;
/** Packets cross into JavaScript in batches of up to this many bytes, one call a batch. */
const BATCH_BYTES = 4 << 20;
const RECORD_HEADER = 16;

export function listInterfaces(): Device[] {
  try {
    return libpcap().devices();
  } catch (err) {
    if (err instanceof PcapError) throw err;
    throw new PcapError(`cannot list interfaces: ${(err as Error).message}`);
  }
}

export interface LiveOptions {
  iface: string;
  filter: string;
  promiscuous: boolean;
  /** libpcap's kernel buffer in KiB (-B): 32 MiB unless told (tcpdump leaves libpcap's 2 MiB; more absorbs longer bursts). */
  bufferKib?: number | undefined;
}

/**
 * An open live capture: calls `onFrame` with each packet, kernel-timestamped
 * (nanoseconds where the kernel offers them). The frame object and its bytes
 * are reused; copy what must outlive the call. `onError` hears of a capture
 * that fails after it started (the interface went away). Captures go on
 * until stop().
 */
export class LiveCapture {
  readonly linktype: number;
  readonly nanoseconds: boolean;
  /** libpcap's warning on opening (e.g. promiscuous mode not supported), or null. */
  readonly warning: string | null;
  /** The capture filter in use: the one asked for, or the default as the link type allows it. */
  readonly filter: string;
  packets = 0;
  private readonly lib = libpcap();
  private readonly handle: object;
  private readonly batch = new Uint8Array(BATCH_BYTES);
  private readonly view = new DataView(this.batch.buffer);
  private readonly frame: Frame;
  private open = true;
  private finalStats: PcapStats | null = null;

  constructor(opts: LiveOptions, onFrame: (frame: Frame) => void, onError: (message: string) => void) {
    const openWith = (filter: string) =>
      this.lib.open(
        opts.iface,
        {
          snaplen: SNAPLEN,
          promisc: opts.promiscuous ? 1 : 0,
          bufferSize: (opts.bufferKib ?? 32 << 10) * 1024,
          timeoutMs: 100,
        },
        filter,
        this.batch,
        (count, used) => this.onBatch(count, used, onFrame),
        onError,
      );
    let opened;
    this.filter = opts.filter;
    try {
      try {
        opened = openWith(opts.filter);
      } catch (err) {
        if (opts.filter !== DEFAULT_FILTER || pcapErrorCode(err) !== 'EFILTER') throw err;
        this.filter = DEFAULT_FILTER_UNTAGGED;
        opened = openWith(this.filter);
      }
    } catch (err) {
      throw new PcapError(this.describeOpenError(opts, pcapErrorCode(err), (err as Error).message));
    }
    this.handle = opened.handle;
    this.linktype = opened.linktype;
    this.nanoseconds = opened.nanoseconds;
    this.warning = opened.warning;
    this.frame = {
      data: this.batch,
      dv: this.view,
      off: 0,
      caplen: 0,
      len: 0,
      tsSec: 0,
      tsNsec: 0,
      tsDigits: opened.nanoseconds ? 9 : 6,
      linktype: opened.linktype,
    };
  }

  private onBatch(count: number, used: number, onFrame: (frame: Frame) => void): void {
    const v = this.view;
    const f = this.frame;
    const scale = this.nanoseconds ? 1 : 1000;
    let at = 0;
    for (let i = 0; i < count && this.open && at + RECORD_HEADER <= used; i++) {
      f.tsSec = v.getUint32(at, LITTLE_ENDIAN);
      f.tsNsec = v.getUint32(at + 4, LITTLE_ENDIAN) * scale;
      f.caplen = v.getUint32(at + 8, LITTLE_ENDIAN);
      f.len = v.getUint32(at + 12, LITTLE_ENDIAN);
      f.off = at + RECORD_HEADER;
      at = f.off + f.caplen;
      this.packets++;
      onFrame(f);
    }
  }

  /** libpcap's counters: live while capturing, the last reading once stopped. */
  stats(): PcapStats | null {
    if (!this.open) return this.finalStats;
    try {
      return this.lib.stats(this.handle);
    } catch {
      return null;
    }
  }

  stop(): void {
    if (!this.open) return;
    this.finalStats = this.stats();
    this.open = false;
    this.lib.close(this.handle);
  }

  private describeOpenError(opts: LiveOptions, code: string | undefined, message: string): string {
    switch (code) {
      case 'EPERM':
        return (
          `${opts.iface}: no permission to capture (${message.trim()}); run as root or give node the capability: ` +
          'setcap cap_net_raw,cap_net_admin=eip $(which node)'
        );
      case 'ENODEV': {
        const names = listInterfaces().map((d) => d.name);
        return `no such interface ${opts.iface}; there are: ${names.join(', ')} (gredump -D lists them)`;
      }
      case 'EFILTER':
        return `the capture filter does not compile: ${message.trim()}`;
      default:
        return `${opts.iface}: ${message.trim()}`;
    }
  }
}
