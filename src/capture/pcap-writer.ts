import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

/**
 * Writes a classic pcap file (what tcpdump -w writes), buffered, with
 * microsecond or nanosecond timestamps. `close()` must be called for the
 * last records to reach the file.
 */
export class PcapWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(FLUSH_AT + 65536 + 16);
  private used = 0;
  private closed = false;

  /** `target`: a path (created or truncated), or a file descriptor opened by the caller (then closed by close()). */
  constructor(target: string | number, readonly linktype = 1, readonly nano = false, snaplen = 262144) {
    this.fd = typeof target === 'number' ? target : openSync(target, 'w');
    const h = Buffer.alloc(24);
    h.writeUInt32LE(nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(snaplen, 16);
    h.writeUInt32LE(linktype, 20);
    writeSync(this.fd, h);
  }

  /** Appends a record; `len` is the wire length when the data was cut by a snaplen. */
  write(tsSec: number, tsNsec: number, data: Uint8Array, len = data.length): void {
    if (this.used + 16 + data.length > this.buf.length) this.flush();
    if (16 + data.length > this.buf.length) this.buf = Buffer.allocUnsafe(16 + data.length);
    const b = this.buf;
    let o = this.used;
    b.writeUInt32LE(tsSec >>> 0, o);
    b.writeUInt32LE(this.nano ? tsNsec : Math.floor(tsNsec / 1000), o + 4);
    b.writeUInt32LE(data.length, o + 8);
    b.writeUInt32LE(len, o + 12);
    o += 16;
    b.set(data, o);
    this.used = o + data.length;
  }

  flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}
