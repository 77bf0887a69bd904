import { visible } from '../output/escape.js';
import type { ByteSource } from './byte-source.js';
import {
  CaptureError,
  MAX_RECORD,
  MAX_TS_SEC,
  newFrame,
  type CaptureInterface,
  type Frame,
  type FrameSource,
} from './frame.js';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** No block we accept is larger; a longer claimed length is a lie, not a packet. */
const MAX_BLOCK = MAX_RECORD;
/** Interfaces a section may describe: a real one has a few; a file of nothing else must not fill memory. */
const MAX_INTERFACES = 65536;
const OPT_IF_NAME = 2;
const OPT_IF_DESCRIPTION = 3;
const OPT_EPB_FLAGS = 2;
/** The most of an interface's name or description kept (a name is a few bytes; a block may claim megabytes). */
const MAX_NAME_BYTES = 1024;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Iface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second, and whether that is a power of ten (10^digits) or of two. */
  unitsPerSec: number;
  digits: number;
  decimal: boolean;
  offsetSec: number;
  shown: CaptureInterface;
}

const utf8 = new TextDecoder();

/** pcapng: sections in either byte order, any number of interfaces each with its own link type and resolution. */
export class PcapngReader implements FrameSource {
  readonly frame: Frame = newFrame();
  problem: CaptureError | null = null;
  description = 'pcapng';
  private pos = 0;
  recordAt = -1;
  private le = true;
  private ifaces: Iface[] = [];
  /** Sections read so far: the current one's number. */
  private section = 0;

  constructor(private readonly src: ByteSource) {
    if (!src.ensure(0, 12)) throw new CaptureError('pcapng section header is cut short', 0);
    if (src.dv.getUint32(0, true) !== SHB) throw new CaptureError('not a pcapng file', 0);
    this.readSectionOrder(0);
    this.description = `pcapng (${this.le ? 'little' : 'big'}-endian)`;
  }

  next(): boolean {
    const src = this.src;
    while (!this.problem) {
      const at = this.pos;
      if (!src.ensure(at, 12)) {
        const left = src.available(at);
        if (left > 0) this.fail(`capture cut short: block header at offset ${at} has ${left} bytes`, at);
        return false;
      }
      let h = at - src.base;
      const type = src.dv.getUint32(h, this.le);
      if (type === SHB && !this.readSectionOrder(at)) return false;
      h = at - src.base;
      const blockLen = src.dv.getUint32(h + 4, this.le);
      if (blockLen < 12 || blockLen % 4 !== 0 || blockLen > MAX_BLOCK) {
        this.fail(`block at offset ${at} has an impossible length ${blockLen}`, at);
        return false;
      }
      if (!src.ensure(at, blockLen)) {
        this.fail(`capture cut short: block at offset ${at} needs ${blockLen} bytes, ${src.available(at)} left`, at);
        return false;
      }
      h = at - src.base;
      const dv = src.dv;
      if (dv.getUint32(h + blockLen - 4, this.le) !== blockLen) {
        this.fail(`block at offset ${at}: trailing length does not match ${blockLen}`, at);
        return false;
      }
      this.pos = at + blockLen;
      switch (type) {
        case SHB:
          this.ifaces = [];
          this.section++;
          break;
        case IDB:
          if (!this.readInterface(h, blockLen, at)) return false;
          break;
        case EPB:
        case OPB:
          this.recordAt = at;
          if (this.readPacket(type, h, blockLen, at)) return true;
          if (this.problem) return false;
          break;
        case SPB:
          this.recordAt = at;
          if (this.readSimplePacket(h, blockLen, at)) return true;
          if (this.problem) return false;
          break;
        default:
          break; // name resolution, statistics, secrets, custom blocks: nothing we dissect
      }
    }
    return false;
  }

  get position(): number {
    return this.pos;
  }

  /** Random access keeps the interfaces read so far (a file that describes them all up front: the usual case). */
  seek(offset: number): void {
    this.src.reposition(offset);
    this.pos = offset;
    this.problem = null;
  }

  close(): void {
    this.src.close();
  }

  private fail(message: string, offset: number): void {
    this.problem = new CaptureError(message, offset);
  }

  /** A section header sets the byte order of everything up to the next one. */
  private readSectionOrder(at: number): boolean {
    if (!this.src.ensure(at, 12)) {
      this.fail(`section header at offset ${at} is cut short`, at);
      return false;
    }
    const h = at - this.src.base;
    const magic = this.src.dv.getUint32(h + 8, true);
    if (magic === BYTE_ORDER_MAGIC) this.le = true;
    else if (magic === 0x4d3c2b1a) this.le = false;
    else {
      if (at === 0) throw new CaptureError('pcapng section header has no byte-order magic', 8);
      this.fail(`section header at offset ${at} has no byte-order magic`, at);
      return false;
    }
    return true;
  }

  private readInterface(h: number, blockLen: number, at: number): boolean {
    const dv = this.src.dv;
    if (blockLen < 20) {
      this.fail(`interface description at offset ${at} is too short`, at);
      return false;
    }
    if (this.ifaces.length >= MAX_INTERFACES) {
      this.fail(
        `interface description at offset ${at}: the section already ` +
          `describes ${MAX_INTERFACES} interfaces, the most read`,
        at,
      );
      return false;
    }
    const iface: Iface = {
      linktype: dv.getUint16(h + 8, this.le),
      snaplen: dv.getUint32(h + 12, this.le),
      unitsPerSec: 1e6,
      digits: 6,
      decimal: true,
      offsetSec: 0,
      shown: { section: this.section, id: this.ifaces.length, name: 'unknown', description: null },
    };
    let name: string | null = null;
    let description: string | null = null;
    // Made safe here, where it is made: the file's bytes may hold a terminal's controls.
    const text = (p: number, len: number) =>
      visible(utf8.decode(this.src.buf.subarray(p, p + Math.min(len, MAX_NAME_BYTES))).replace(/\0+$/, ''));
    // Options: code(2) length(2) value padded to 4, ending with opt_endofopt.
    let o = h + 16;
    const end = h + blockLen - 4;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.le);
      const len = dv.getUint16(o + 2, this.le);
      if (code === 0 || o + 4 + len > end) break;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        const r = dv.getUint8(o + 4);
        const exp = r & 0x7f;
        iface.decimal = (r & 0x80) === 0;
        iface.unitsPerSec = iface.decimal ? 10 ** exp : 2 ** exp;
        iface.digits = iface.decimal ? Math.min(exp, 9) : 9;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        iface.offsetSec = Number(dv.getBigInt64(o + 4, this.le));
      } else if (code === OPT_IF_NAME) name = text(o + 4, len);
      else if (code === OPT_IF_DESCRIPTION) description = text(o + 4, len);
      o += 4 + ((len + 3) & ~3);
    }
    if (name !== null || description !== null)
      iface.shown = { ...iface.shown, name: name ?? description ?? 'unknown', description };
    this.ifaces.push(iface);
    return true;
  }

  private readPacket(type: number, h: number, blockLen: number, at: number): boolean {
    const dv = this.src.dv;
    const enhanced = type === EPB;
    if (blockLen < 32) {
      this.fail(`packet block at offset ${at} is too short`, at);
      return false;
    }
    const ifId = enhanced ? dv.getUint32(h + 8, this.le) : dv.getUint16(h + 8, this.le);
    const iface = this.ifaces[ifId];
    if (!iface) {
      this.fail(`packet block at offset ${at} names interface ${ifId}, which the section does not describe`, at);
      return false;
    }
    const caplen = dv.getUint32(h + 20, this.le);
    if (28 + caplen + 4 > blockLen) {
      this.fail(`packet block at offset ${at} claims ${caplen} captured bytes in a ${blockLen}-byte block`, at);
      return false;
    }
    if (!this.setTimestamp(iface, dv.getUint32(h + 12, this.le), dv.getUint32(h + 16, this.le))) {
      this.fail(`packet block at offset ${at} has a timestamp out of range`, at);
      return false;
    }
    this.frame.hasTs = true;
    this.fill(iface, h + 28, caplen, dv.getUint32(h + 24, this.le));
    this.frame.flags = enhanced ? this.packetFlags(h + 28 + ((caplen + 3) & ~3), h + blockLen - 4) : -1;
    return true;
  }

  /** The epb_flags option among the options in [o, end), or -1. */
  private packetFlags(o: number, end: number): number {
    const dv = this.src.dv;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.le);
      const len = dv.getUint16(o + 2, this.le);
      if (code === 0 || o + 4 + len > end) break;
      if (code === OPT_EPB_FLAGS && len === 4) return dv.getUint32(o + 4, this.le);
      o += 4 + ((len + 3) & ~3);
    }
    return -1;
  }

  private readSimplePacket(h: number, blockLen: number, at: number): boolean {
    const iface = this.ifaces[0];
    if (!iface) {
      this.fail(`simple packet block at offset ${at} comes before any interface description`, at);
      return false;
    }
    const len = this.src.dv.getUint32(h + 8, this.le);
    let caplen = Math.min(len, blockLen - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    const f = this.frame;
    f.tsSec = 0;
    f.tsNsec = 0;
    f.hasTs = false;
    f.flags = -1;
    this.fill(iface, h + 12, caplen, len);
    return true;
  }

  private fill(iface: Iface, off: number, caplen: number, len: number): void {
    const f = this.frame;
    f.data = this.src.buf;
    f.dv = this.src.dv;
    f.off = off;
    f.caplen = caplen;
    f.len = Math.max(len, caplen);
    f.linktype = iface.linktype;
    f.tsDigits = iface.digits;
    f.iface = iface.shown;
  }

  /** False when the time (with the interface's offset) is not between 1970 and 9999. */
  private setTimestamp(iface: Iface, hi: number, lo: number): boolean {
    const f = this.frame;
    const units = hi * 4294967296 + lo;
    let sec: number;
    let rem: number;
    if (units <= Number.MAX_SAFE_INTEGER) {
      sec = Math.floor(units / iface.unitsPerSec);
      rem = units - sec * iface.unitsPerSec;
    } else {
      const big = (BigInt(hi) << 32n) | BigInt(lo);
      const per = BigInt(iface.unitsPerSec);
      sec = Number(big / per);
      rem = Number(big % per);
    }
    f.tsSec = sec + iface.offsetSec;
    f.tsNsec = Math.min(999_999_999, Math.floor((rem * 1e9) / iface.unitsPerSec));
    return Number.isSafeInteger(f.tsSec) && f.tsSec >= 0 && f.tsSec <= MAX_TS_SEC && f.tsNsec >= 0;
  }
}
