import type { Frame } from '../capture/frame.js';
import { registerAll } from './handoff.js';
import { MAX_LAYERS, PacketCtx, Table, type TableId } from './packet.js';
import { resolve } from './registry.js';
import { EngineState, type EngineOptions, DEFAULT_OPTIONS } from './state.js';
import { W } from './warnings.js';

/**
 * Raw-IP link types (101, 12, 14) have no header: the version nibble picks
 * the protocol. Compared, not looked up in a Set: every packet asks.
 */
const isRawIp = (linktype: number) => linktype === 101 || linktype === 12 || linktype === 14;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;

/**
 * The dissection loop: dissect a layer, look its successor up in the table
 * it named, repeat. One PacketCtx is reused for every packet; the returned
 * context is valid until the next call.
 */
export class Engine {
  readonly state: EngineState;
  readonly ctx: PacketCtx;
  private frameNo = 0;

  constructor(options: EngineOptions = DEFAULT_OPTIONS) {
    registerAll();
    this.state = new EngineState(options);
    this.ctx = new PacketCtx(this.state);
  }

  /** The next packet dissected is frame number `next` (a worker printing a part of a file). */
  numberFrom(next: number): void {
    this.frameNo = next - 1;
  }

  dissect(frame: Frame): PacketCtx {
    const ctx = this.ctx;
    ctx.frameNo = ++this.frameNo;
    if (ctx.frameNo === 1) {
      ctx.firstSec = ctx.tsSec = frame.tsSec;
      ctx.firstNsec = ctx.tsNsec = frame.tsNsec;
    }
    ctx.prevSec = ctx.tsSec;
    ctx.prevNsec = ctx.tsNsec;
    ctx.tsSec = frame.tsSec;
    ctx.tsNsec = frame.tsNsec;
    ctx.tsDigits = frame.tsDigits;
    ctx.hasTs = frame.hasTs;
    ctx.caplen = frame.caplen;
    ctx.data = frame.data;
    ctx.dataOff = frame.off;
    ctx.len = frame.len;
    ctx.linktype = frame.linktype;
    ctx.iface = frame.iface;
    ctx.packetFlags = frame.flags;
    ctx.count = 0;
    ctx.warnCount = 0;
    ctx.lastError = null;
    ctx.quoted = false;
    ctx.fromEsp = false;
    ctx.restEnd = -1;

    let table: TableId = Table.Link;
    let key = frame.linktype;
    if (isRawIp(key) || key === LINKTYPE_IPV4 || key === LINKTYPE_IPV6) {
      table = Table.EtherType;
      const nibble = frame.caplen > 0 ? frame.data[frame.off]! >> 4 : 0;
      key = key === LINKTYPE_IPV4 || (key !== LINKTYPE_IPV6 && nibble === 4) ? 0x0800 : 0x86dd;
    }
    let buf = frame.data;
    let dv = frame.dv;
    let off = frame.off;
    let end = frame.off + frame.caplen;
    let short = frame.caplen < frame.len;
    let hint = -1;
    const maxNetwork = this.state.options.maxTunnelDepth + 1;
    let networkLayers = 0;

    for (;;) {
      const proto = resolve(table, key);
      if (!proto) {
        ctx.restBuf = buf;
        ctx.restTable = table;
        ctx.restOff = off;
        ctx.restEnd = end;
        break;
      }
      if (ctx.count >= MAX_LAYERS) {
        ctx.warn(null, W.tooManyLayers, MAX_LAYERS);
        break;
      }
      if (proto.network && !ctx.quoted && ++networkLayers > maxNetwork) {
        ctx.warn(null, W.tunnelTooDeep, maxNetwork - 1);
        break;
      }
      const l = ctx.layers[ctx.count++]!;
      l.proto = proto;
      l.buf = buf;
      l.dv = dv;
      l.off = off;
      l.end = end;
      l.hdrEnd = -1;
      l.short = short;
      l.quoted = ctx.quoted;
      l.fromEsp = ctx.fromEsp;
      l.key = key;
      l.via = table;
      l.hint = hint;
      l.aux = 0;
      l.aux2 = 0;
      l.flow.stream = -1;
      ctx.nextTable = Table.None;
      ctx.nextHint = -1;
      try {
        proto.dissect(ctx, l);
      } catch (err) {
        // A dissector bug must not end the run: the fuzz tests look for this warning.
        ctx.lastError = err as Error;
        ctx.warn(l, W.internalError);
        l.hdrEnd = -1;
        ctx.nextTable = Table.None;
      }
      // A layer whose header could not be read is not kept (its warning says
      // why), unless it handed its bytes on to another protocol unread.
      if (l.hdrEnd < 0) ctx.count--;
      if (ctx.nextTable === Table.None) break;
      table = ctx.nextTable;
      key = ctx.nextKey;
      hint = ctx.nextHint;
      buf = ctx.nextBuf;
      dv = ctx.nextDv;
      off = ctx.nextOff;
      end = ctx.nextEnd;
      short = ctx.nextShort;
    }
    if (frame.caplen < frame.len && !hasWarning(ctx, W.truncated.id))
      ctx.warn(null, W.snaplen, frame.caplen, frame.len);
    return ctx;
  }
}

function hasWarning(ctx: PacketCtx, id: string): boolean {
  for (let i = 0; i < ctx.warnCount; i++) if (ctx.warnings[i]!.id === id) return true;
  return false;
}
