import { closeSync } from 'node:fs';
import { PcapWriter } from '../capture/pcap-writer.js';
import { Engine } from '../dissect/engine.js';
import type { PacketCtx } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { ospfIsHello, ospfRouterId } from '../dissect/ospf.js';
import type { EngineOptions } from '../dissect/state.js';
import { DisplayFilter } from '../filter/compile.js';
import { FilterError } from '../filter/parse.js';
import { visible } from '../output/escape.js';
import { walkDetail } from '../output/packet-detail.js';
import { packetText } from '../output/packet-text.js';
import type {
  FilterProblem,
  LineParts,
  ListSpec,
  PacketDetail,
  PacketList,
  ScanState,
  TreeRow,
  TunnelMatch,
  WriteResult,
} from '../ui/source.js';
import { PacketLists, SeqList } from './packet-index.js';
import { writeNewFile } from './write-file.js';

/** Packet numbers as a list shows them: index i of `count()`, after `dropped()` that left its front. */
interface View {
  count(): number;
  seq(i: number): number;
  dropped(): number;
  lowerBound(seq: number): number;
}

function allView(lists: PacketLists): View {
  const s = lists.store;
  return {
    count: () => s.total - s.oldest,
    seq: (i) => s.oldest + i,
    dropped: () => s.oldest,
    lowerBound: (seq) => Math.max(0, Math.min(seq, s.total) - s.oldest),
  };
}

function seqView(list: SeqList, lists: PacketLists): View {
  return {
    count: () => {
      list.trim(lists.store.oldest);
      return list.length;
    },
    seq: (i) => list.get(i),
    dropped: () => list.dropped,
    lowerBound: (seq) => list.lowerBound(seq),
  };
}

/**
 * Several peer pairs' packets as one list, in capture order (an IKE
 * reflection's reflectors). Packets are filed in number order, so what is
 * new in any pair since the last look comes after all that was taken; a
 * pair that joins later may hold older packets, so the list is then made
 * again.
 */
function unionView(pairs: () => readonly string[], lists: PacketLists): View {
  let out = new SeqList();
  let keys = new Set<string>();
  let seenTotal = -1;
  let next = 0;
  const refresh = () => {
    const store = lists.store;
    if (store.total === seenTotal) return;
    seenTotal = store.total;
    const now = pairs();
    const grown = now.length !== keys.size || now.some((k) => !keys.has(k));
    if (grown) {
      keys = new Set(now);
      out = new SeqList();
      next = 0;
    }
    const fresh: number[] = [];
    for (const key of keys) {
      const list = lists.peers.get(key);
      if (!list) continue;
      list.trim(store.oldest);
      if (grown) out.dropped += list.dropped;
      for (let i = list.lowerBound(next); i < list.length; i++) fresh.push(list.get(i));
    }
    fresh.sort((a, b) => a - b);
    for (const seq of fresh) out.push(seq);
    next = store.total;
    out.trim(store.oldest);
  };
  return {
    count: () => {
      refresh();
      return out.length;
    },
    seq: (i) => out.get(i),
    dropped: () => out.dropped,
    lowerBound: (seq) => out.lowerBound(seq),
  };
}

const EMPTY = new SeqList();

/** Work done between keys and redraws, a slice at a time: filter scans. */
export class Scheduler {
  private readonly jobs = new Set<(deadline: number) => boolean>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private stopped = false;

  add(job: (deadline: number) => boolean): () => void {
    this.jobs.add(job);
    this.wake();
    return () => this.jobs.delete(job);
  }

  private wake(): void {
    if (this.timer || this.stopped) return;
    this.timer = setImmediate(() => this.run());
  }

  private run(): void {
    this.timer = null;
    if (this.stopped) return;
    const deadline = performance.now() + 15;
    let more = false;
    for (const job of this.jobs) if (job(deadline)) more = true;
    if (this.jobs.size === 0) return;
    // With work left, go on at once; otherwise look again for packets that came since.
    if (more) this.timer = setImmediate(() => this.run());
    else this.timer = setTimeout(() => this.run(), 100);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.jobs.clear();
  }
}

/** Lines made lately, by packet number: a list redraws its screen without dissecting it again. */
class LineCache {
  private readonly m = new Map<number, LineParts>();
  get(seq: number, make: () => LineParts): LineParts {
    let v = this.m.get(seq);
    if (v) {
      this.m.delete(seq);
      this.m.set(seq, v);
      return v;
    }
    v = make();
    this.m.set(seq, v);
    if (this.m.size > 4096) this.m.delete(this.m.keys().next().value!);
    return v;
  }
}

export interface ListContext {
  lists: PacketLists;
  options: EngineOptions;
  scheduler: Scheduler;
  /** True once every packet is in (a file read to its end, a capture stopped). */
  complete(): boolean;
  /** The name of the capture, for file names: `tunnels` for tunnels.pcap. */
  stem: string;
}

/** One cache a capture: packet numbers are the capture's own. */
const caches = new WeakMap<ListContext, LineCache>();

function lineOf(c: ListContext, seq: number): LineParts {
  let lines = caches.get(c);
  if (!lines) caches.set(c, (lines = new LineCache()));
  return lines.get(seq, () => {
    const ctx = c.lists.dissect(seq, c.options);
    if (!ctx) return { frameNo: seq + 1, time: '', segments: ['(cannot be read again from the capture)'] };
    const text = visible(packetText(ctx));
    const space = text.indexOf(' ');
    const time = space < 0 ? text : text.slice(0, space);
    return { frameNo: seq + 1, time, segments: space < 0 ? [] : text.slice(space + 1).split(' | ') };
  });
}

/** A buffer a layer was read from (reassembled, decrypted); not a field's copy of its value (a masked prefix). */
function layerBuffer(ctx: PacketCtx, buf: Uint8Array): boolean {
  for (let i = 0; i < ctx.count; i++) if (ctx.layers[i]!.buf === buf) return true;
  return false;
}

function detailOf(c: ListContext, seq: number): PacketDetail | null {
  const ctx = c.lists.dissect(seq, c.options);
  if (!ctx) return null;
  // The frame's bytes are the reader's buffer: copied; buffers the engine made (reassembled, decrypted) are its own.
  const buffers: { title: string; bytes: Uint8Array }[] = [
    { title: 'frame', bytes: ctx.data.slice(ctx.dataOff, ctx.dataOff + ctx.caplen) },
  ];
  const known = new Map<Uint8Array, number>();
  const rows: TreeRow[] = [];
  walkDetail(ctx, null, (depth, text, layer, buf, off, len, expert) => {
    let buffer = -1;
    if (buf === ctx.data) {
      buffer = 0;
      off -= ctx.dataOff;
    } else if (buf && layerBuffer(ctx, buf)) {
      buffer = known.get(buf) ?? -1;
      if (buffer < 0) {
        const l = layer >= 0 ? ctx.layers[layer] : undefined;
        buffer =
          buffers.push({
            title: `${l?.fromEsp ? 'decrypted' : 'reassembled'} ${l?.proto.title ?? l?.proto.name ?? ''}`,
            bytes: buf.slice(),
          }) - 1;
        known.set(buf, buffer);
      }
    }
    rows.push({ depth, text, buffer, off, len: buffer < 0 ? 0 : len, expert });
  });
  return { frameNo: seq + 1, rows, buffers };
}

/** File names hold only what is safe everywhere: `gre_192.0.2.1-198.51.100.7_key0x2a`. */
function safeName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 180) || 'packets'
  );
}

type Predicate = (ctx: PacketCtx) => boolean;

class ListImpl implements PacketList {
  private readonly unschedule: (() => void) | null = null;
  private scanned = 0;

  constructor(
    private readonly c: ListContext,
    readonly title: string,
    private readonly name: string,
    private readonly view: View,
    /** A filtered list: the list it filters and its scan. */
    filterOf: { base: View; match: Predicate; out: SeqList } | null = null,
  ) {
    if (filterOf) {
      const engine = new Engine(c.options);
      let pos = 0; // in the base list, counting what left its front
      const job = (deadline: number): boolean => {
        const base = filterOf.base;
        const n = base.count();
        let i = Math.max(0, pos - base.dropped());
        for (let k = 0; i < n; i++, k++) {
          if ((k & 31) === 31 && performance.now() > deadline) break;
          const seq = base.seq(i);
          const ctx = c.lists.dissect(seq, c.options, engine);
          if (ctx && filterOf.match(ctx)) filterOf.out.push(seq);
          this.scanned++;
        }
        pos = base.dropped() + i;
        return i < n;
      };
      this.unschedule = c.scheduler.add(job);
      this.progress = () => {
        const base = filterOf.base;
        const left = base.count() - Math.max(0, pos - base.dropped());
        return { scanned: this.scanned, of: this.scanned + left, done: left === 0 && c.complete() };
      };
    }
  }

  private progress: (() => ScanState) | null = null;

  length(): number {
    return this.view.count();
  }

  dropped(): number {
    return this.view.dropped();
  }

  scan(): ScanState | null {
    return this.progress?.() ?? null;
  }

  line(i: number): LineParts {
    return lineOf(this.c, this.view.seq(i));
  }

  frameNo(i: number): number {
    return this.view.seq(i) + 1;
  }

  indexOfFrame(frameNo: number): number {
    return this.view.lowerBound(frameNo - 1);
  }

  detail(i: number): PacketDetail | null {
    if (i < 0 || i >= this.view.count()) return null;
    return detailOf(this.c, this.view.seq(i));
  }

  find(from: number, forward: boolean, filter: string): { index: number | null; more: number | null } {
    const match = new DisplayFilter(filter).match;
    const engine = new Engine(this.c.options);
    const n = this.view.count();
    const deadline = performance.now() + 300;
    for (let i = from, k = 0; forward ? i < n : i >= 0; i += forward ? 1 : -1, k++) {
      if ((k & 31) === 31 && performance.now() > deadline) return { index: null, more: i };
      const ctx = this.c.lists.dissect(this.view.seq(i), this.c.options, engine);
      if (ctx && match(ctx)) return { index: i, more: null };
    }
    return { index: null, more: null };
  }

  filtered(filter: string): PacketList {
    const match = new DisplayFilter(filter).match;
    const out = new SeqList();
    return new ListImpl(
      this.c,
      `${this.title}, filter ${filter}`,
      `${this.name}_filtered`,
      seqView(out, this.c.lists),
      { base: this.view, match, out },
    );
  }

  fileName(): string {
    return `${safeName(this.name)}.pcap`;
  }

  write(overwrite: boolean): WriteResult {
    const n = this.view.count();
    if (n === 0) return { error: 'no packets to write' };
    const name = this.fileName();
    const first = this.c.lists.store.read(this.view.seq(0));
    if (!first) return { error: 'the packets cannot be read again' };
    const linktype = first.linktype;
    let written = 0;
    let other = 0;
    try {
      const done = writeNewFile(name, overwrite, (fd) => {
        let w: PcapWriter;
        try {
          w = new PcapWriter(fd, linktype, true);
        } catch (err) {
          closeSync(fd);
          throw err;
        }
        try {
          for (let i = 0; i < n; i++) {
            const f = this.c.lists.store.read(this.view.seq(i));
            if (!f) continue;
            if (f.linktype !== linktype) {
              other++;
              continue;
            }
            w.write(f.tsSec, f.tsNsec, f.data.subarray(f.off, f.off + f.caplen), f.len);
            written++;
          }
        } finally {
          w.close();
        }
      });
      if (!done) return { exists: name };
    } catch (err) {
      return { error: `could not write ${name}: ${(err as Error).message}` };
    }
    const skipped = other ? ` (${other} of another link type left out: a pcap file holds one)` : '';
    return { written: `wrote ${written} packets to ${name}${skipped}` };
  }

  close(): void {
    this.unschedule?.();
  }
}

/** The lists the UI opens, over the packets filed so far. */
export function openList(c: ListContext, spec: ListSpec): PacketList {
  const l = c.lists;
  switch (spec.kind) {
    case 'all':
      return new ListImpl(c, 'all packets', `${c.stem}_all`, allView(l));
    case 'tunnel':
      return new ListImpl(c, spec.title, spec.name, seqView(l.tunnels.get(spec.id) ?? EMPTY, l));
    case 'peer':
      return new ListImpl(c, spec.title, spec.name, seqView(l.peers.get(spec.key) ?? EMPTY, l));
    case 'reflection':
      return new ListImpl(c, spec.title, spec.name, unionView(spec.pairs, l));
    case 'router': {
      const id = spec.routerId.split('.').map(Number);
      // The router ID as ospfRouterId reads it; -1 (never a router ID) for text that is not one.
      const want =
        id.length === 4 && id.every((n) => Number.isInteger(n) && n >= 0 && n < 256)
          ? ((id[0]! << 24) | (id[1]! << 16) | (id[2]! << 8) | id[3]!) >>> 0
          : -1;
      const hello: Predicate = (ctx) => {
        for (let i = 0; i < ctx.count; i++) {
          const x = ctx.layers[i]!;
          if (x.proto !== P.ospf || x.off + 8 > x.end || !ospfIsHello(x)) continue;
          if (ospfRouterId(x) === want) return true;
        }
        return false;
      };
      const out = new SeqList();
      return new ListImpl(c, spec.title, spec.name, seqView(out, l), {
        base: seqView(l.tunnels.get(spec.tunnel) ?? EMPTY, l),
        match: hello,
        out,
      });
    }
  }
}

/** The UI's check of a filter as it is typed: null when it compiles (or is empty), else what is wrong and where. */
export function filterProblem(text: string): FilterProblem | null {
  if (!text.trim()) return null;
  try {
    new DisplayFilter(text);
    return null;
  } catch (err) {
    if (err instanceof FilterError) return { message: err.message, start: err.start, length: err.length };
    return { message: (err as Error).message, start: 0, length: text.length };
  }
}

/**
 * The tunnel table's filter: a tunnel (or peer pair) stays when one of its
 * packets matches. Each list is scanned until its first match.
 */
export function matchTunnels(c: ListContext, filter: string): TunnelMatch {
  const match = new DisplayFilter(filter).match;
  const tunnels = new Set<number>();
  const peers = new Set<string>();
  const pos = new Map<string, number>();
  const engine = new Engine(c.options);
  let scanned = 0;
  let left = 0;
  const each = (deadline: number, key: string, list: SeqList, hit: () => void): boolean => {
    list.trim(c.lists.store.oldest);
    let i = Math.max(0, (pos.get(key) ?? 0) - list.dropped);
    const n = list.length;
    for (let k = 0; i < n; i++, k++) {
      if ((k & 31) === 31 && performance.now() > deadline) break;
      scanned++;
      const ctx = c.lists.dissect(list.get(i), c.options, engine);
      if (ctx && match(ctx)) {
        hit();
        return false;
      }
    }
    pos.set(key, list.dropped + i);
    left += n - i;
    return i < n;
  };
  let ran = false;
  const job = (deadline: number): boolean => {
    let more = false;
    ran = true;
    left = 0;
    for (const [id, list] of c.lists.tunnels)
      if (!tunnels.has(id) && each(deadline, `t${id}`, list, () => tunnels.add(id))) more = true;
    for (const [key, list] of c.lists.peers)
      if (!peers.has(key) && each(deadline, `p${key}`, list, () => peers.add(key))) more = true;
    return more;
  };
  const stop = c.scheduler.add(job);
  return {
    filter,
    tunnels,
    peers,
    scan: () => ({ scanned, of: scanned + left, done: ran && left === 0 && c.complete() }),
    close: stop,
  };
}
