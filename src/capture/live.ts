import type { Frame, FrameSource } from './frame.js';
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
  /**
   * libpcap's kernel buffer in KiB (-B): 32 MiB unless told (tcpdump leaves libpcap's 2 MiB; more absorbs longer
   * bursts).
   */
  bufferKib?: number | undefined;
}

/**
 * An open live capture, a frame source read a batch at a time: libpcap's
 * packets cross into JavaScript in batches, and `onBatch` is called with
 * each, to read it with next() (kernel-timestamped, nanoseconds where the
 * kernel offers them) until next() says false with `waiting` set. The frame
 * object and its bytes are reused; copy what must outlive the batch.
 * `onError` hears of a capture that fails after it started (the interface
 * went away). Captures go on until close().
 */
export class LiveCapture implements FrameSource {
  readonly linktype: number;
  readonly nanoseconds: boolean;
  /** libpcap's warning on opening (e.g. promiscuous mode not supported), or null. */
  readonly warning: string | null;
  /** The capture filter in use: the one asked for, or the default as the link type allows it. */
  readonly filter: string;
  packets = 0;
  readonly problem = null;
  readonly position = 0;
  readonly description: string;
  private readonly lib = libpcap();
  private readonly handle: object;
  private readonly batch = new Uint8Array(BATCH_BYTES);
  private readonly view = new DataView(this.batch.buffer);
  readonly frame: Frame;
  private open = true;
  /** The batch being read: records left in it, the bytes it fills, where the next record starts. */
  private left = 0;
  private used = 0;
  private at = 0;
  private finalStats: PcapStats | null = null;

  constructor(opts: LiveOptions, onBatch: () => void, onError: (message: string) => void) {
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
        (count, used) => {
          this.left = count;
          this.used = used;
          this.at = 0;
          onBatch();
        },
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
    this.description = `live capture on ${opts.iface}`;
    this.frame = {
      data: this.batch,
      dv: this.view,
      off: 0,
      caplen: 0,
      len: 0,
      tsSec: 0,
      tsNsec: 0,
      tsDigits: opened.nanoseconds ? 9 : 6,
      hasTs: true,
      linktype: opened.linktype,
      iface: null,
      flags: -1,
    };
  }

  /** The next packet of the batch; false at its end (then `waiting` while the capture is open). */
  next(): boolean {
    const at = this.at;
    if (!this.open || this.left === 0 || at + RECORD_HEADER > this.used) return false;
    const v = this.view;
    const f = this.frame;
    f.tsSec = v.getUint32(at, LITTLE_ENDIAN);
    f.tsNsec = v.getUint32(at + 4, LITTLE_ENDIAN) * (this.nanoseconds ? 1 : 1000);
    f.caplen = v.getUint32(at + 8, LITTLE_ENDIAN);
    f.len = v.getUint32(at + 12, LITTLE_ENDIAN);
    f.off = at + RECORD_HEADER;
    this.at = f.off + f.caplen;
    this.left--;
    this.packets++;
    return true;
  }

  /** More packets come with the next batch. */
  get waiting(): boolean {
    return this.open;
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

  close(): void {
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
