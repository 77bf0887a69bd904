import { createRequire } from 'node:module';
import type { Frame } from './frame.js';

/**
 * Live capture through the `cap` libpcap binding, an optional dependency:
 * offline use installs and runs without libpcap. Errors come back as one
 * line a person can act on.
 */
export class LiveCaptureError extends Error {}

/** What gredump captures unless told otherwise: tunnels, IPsec and their control traffic, tagged or not. */
const TUNNEL_TRAFFIC = 'ip proto 47 or ip proto 50 or ip proto 51 or ip6 proto 47 or ip6 proto 50 or ip6 proto 51'
  + ' or udp port 500 or udp port 4500 or udp port 4754 or tcp port 1723';
export const DEFAULT_FILTER = `(${TUNNEL_TRAFFIC}) or (vlan and (${TUNNEL_TRAFFIC}))`;

interface CapDevice {
  name: string;
  description?: string;
  addresses?: { addr: string }[];
  flags?: string;
}

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', fn: (nbytes: number, truncated: boolean) => void): void;
}

interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[] };
}

/** cap names the link types it supports; these are their pcap numbers. */
const LINKTYPES: Record<string, number> = {
  ETHERNET: 1, NULL: 0, LINKTYPE_LINUX_SLL: 113, LINUX_SLL: 113, RAW: 101, IEEE802_11_RADIO: 127,
};

/**
 * cap 0.2.1 leaves a handle whose open() failed half made (libpcap's handle
 * set, its poll handle not): when the object is garbage-collected, its
 * destructor stops that poll handle and the process crashes. Failed handles
 * are kept here, never collected, for as long as the process lives.
 */
const failedHandles: CapHandle[] = [];

function loadCap(): CapModule {
  try {
    return createRequire(import.meta.url)('cap') as CapModule;
  } catch {
    throw new LiveCaptureError('live capture needs libpcap and the cap module, which are not installed: '
      + 'apt-get install libpcap-dev (or your system\'s libpcap development package), then npm rebuild cap (or npm install)');
  }
}

export function listInterfaces(): CapDevice[] {
  return loadCap().Cap.deviceList();
}

export interface LiveOptions {
  iface: string;
  filter: string;
  /** libpcap's kernel buffer, bytes. */
  bufferSize?: number;
}

/**
 * An open capture: calls `onFrame` with each packet (the frame object and
 * its buffer are reused), timestamped from the process clock since cap
 * passes no timestamps. Captures go on until stop().
 */
export class LiveCapture {
  readonly linktype: number;
  packets = 0;
  private readonly handle: CapHandle;
  private readonly buffer = Buffer.alloc(262144);
  private readonly frame: Frame;
  private open = true;

  constructor(opts: LiveOptions, onFrame: (frame: Frame) => void) {
    const cap = loadCap();
    const names = cap.Cap.deviceList().map((d) => d.name);
    if (!names.includes(opts.iface)) {
      throw new LiveCaptureError(`no such interface ${opts.iface}; there are: ${names.join(', ')} (gredump -D lists them)`);
    }
    this.handle = new cap.Cap();
    let type: string;
    try {
      type = this.handle.open(opts.iface, opts.filter, opts.bufferSize ?? 16 * 1024 * 1024, this.buffer);
    } catch (err) {
      failedHandles.push(this.handle);
      throw new LiveCaptureError(describeOpenError(opts, (err as Error).message));
    }
    const linktype = LINKTYPES[type];
    if (linktype === undefined) {
      this.handle.close();
      throw new LiveCaptureError(`${opts.iface}: link type ${type} is not one gredump reads`);
    }
    this.linktype = linktype;
    this.frame = {
      data: this.buffer, dv: new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength),
      off: 0, caplen: 0, len: 0, tsSec: 0, tsNsec: 0, tsDigits: 6, linktype,
    };
    this.handle.on('packet', (nbytes) => {
      // Wall-clock milliseconds as a double: sub-microsecond, and no allocation at 100k packets a second.
      const ms = performance.timeOrigin + performance.now();
      const f = this.frame;
      f.tsSec = Math.floor(ms / 1000);
      f.tsNsec = Math.floor((ms - f.tsSec * 1000) * 1e6);
      f.caplen = Math.min(nbytes, this.buffer.length);
      f.len = nbytes;
      this.packets++;
      onFrame(f);
    });
  }

  stop(): void {
    if (!this.open) return;
    this.open = false;
    this.handle.close();
  }
}

function describeOpenError(opts: LiveOptions, message: string): string {
  if (/permission|not permitted|EPERM|socket: Operation/i.test(message)) {
    return `${opts.iface}: no permission to capture (${message.trim()}); run as root or give node the capability: `
      + 'setcap cap_net_raw,cap_net_admin=eip $(which node)';
  }
  if (/filter|syntax|parse|compile/i.test(message)) return `the capture filter does not compile: ${message.trim()}`;
  return `${opts.iface}: ${message.trim()}`;
}
