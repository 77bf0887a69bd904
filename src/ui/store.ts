import type { Frame } from '../capture/frame.js';
import type { PacketCtx } from '../dissect/packet.js';
import { evaluate } from '../audit/rules.js';
import type { Finding } from '../audit/catalogue.js';
import type { TunnelTable } from '../tunnels/table.js';
import { dmvpnReport } from '../tunnels/dmvpn.js';
import { dmvpnText } from '../audit/report-dmvpn.js';
import type { Protection, Tunnel } from '../tunnels/tunnel.js';
import { visible } from '../output/escape.js';

/** Raw packets kept per tunnel for the drill-down; the oldest go first. */
export const PACKETS_PER_TUNNEL = 500;
/** Kept packets over all tunnels: past it a tunnel keeps only what it already had room for. */
export const PACKETS_KEPT = 200_000;
/** Seconds of history in a tunnel's sparkline. */
export const SPARK_SECONDS = 16;
const PUBLISH_MS = 100;

/** A packet kept for the drill-down: its bytes only; its text is made when a list shows it. */
export interface StoredPacket {
  frameNo: number;
  linktype: number;
  tsSec: number;
  tsNsec: number;
  len: number;
  bytes: Uint8Array;
}

/**
 * A tunnel's newest packets in a ring of slots whose buffers are reused:
 * every packet is copied (it may be among the newest), so the copy must not
 * allocate. Slots are handed out as StoredPackets only when a view asks.
 */
class PacketRing {
  private readonly slots: { frameNo: number; linktype: number; tsSec: number; tsNsec: number; len: number; caplen: number; data: Uint8Array }[] = [];
  private next = 0;

  get size(): number {
    return this.slots.length;
  }

  add(frameNo: number, frame: Frame, tsSec: number, tsNsec: number): void {
    let slot = this.slots[this.next];
    if (!slot) {
      slot = { frameNo: 0, linktype: 0, tsSec: 0, tsNsec: 0, len: 0, caplen: 0, data: new Uint8Array(Math.max(frame.caplen, 256)) };
      this.slots.push(slot);
    } else if (slot.data.length < frame.caplen) slot.data = new Uint8Array(frame.caplen);
    slot.data.set(frame.data.subarray(frame.off, frame.off + frame.caplen));
    slot.caplen = frame.caplen;
    slot.frameNo = frameNo;
    slot.linktype = frame.linktype;
    slot.tsSec = tsSec;
    slot.tsNsec = tsNsec;
    slot.len = frame.len;
    this.next = (this.next + 1) % PACKETS_PER_TUNNEL;
  }

  /** Oldest first, as copies a view may keep. */
  packets(): StoredPacket[] {
    const ordered = this.slots.length < PACKETS_PER_TUNNEL ? this.slots : [...this.slots.slice(this.next), ...this.slots.slice(0, this.next)];
    return ordered.map((s) => ({ frameNo: s.frameNo, linktype: s.linktype, tsSec: s.tsSec, tsNsec: s.tsNsec, len: s.len, bytes: s.data.slice(0, s.caplen) }));
  }
}

export interface TunnelRow {
  id: number;
  kind: string;
  endpoints: [string, string];
  key: string;
  packets: number;
  bytes: number;
  /** Packets a second over the last whole second, and the history behind the sparkline. */
  rate: number;
  spark: number[];
  inner: string;
  multicast: number;
  anomalies: number;
  protection: Protection;
  lastSeen: number;
  insideEsp: boolean;
}

export interface EspRow {
  endpoints: [string, string];
  spis: string;
  packets: number;
  protection: Protection;
  mode: string;
  lastSeen: number;
}

export interface GroupRow {
  group: string;
  protocol: string;
  tunnel: string;
  packets: number;
  lastSeen: number;
}

export interface Snapshot {
  source: string;
  filter: string | null;
  packets: number;
  bytes: number;
  rate: number;
  /** Packets libpcap dropped (kernel buffer and interface), live only; null for files. */
  drops: number | null;
  elapsedSec: number;
  /** 0..1 while a file is being read; null for live capture. */
  progress: number | null;
  done: boolean;
  tunnels: TunnelRow[];
  esp: EspRow[];
  groups: GroupRow[];
  routing: string[];
  /** DMVPN clouds as the audit's text section says them (absent without NHRP). */
  dmvpn?: { clouds: number; lines: string[] };
  findings: Finding[];
  warning: string | null;
  /** The time of the newest packet, for "seen N s ago". */
  now: number;
}

interface History {
  second: number;
  counts: number[];
  ring: PacketRing;
}

/**
 * Between the engine and the UI: takes every dissected packet, keeps a
 * bounded packet list per tunnel, and publishes immutable snapshots at most
 * ten times a second. React reads snapshots only (useSyncExternalStore).
 */
export class Store {
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly history = new Map<number, History>();
  private timer: NodeJS.Timeout | null = null;
  private readonly started = Date.now();
  private lastSecond = 0;
  private progress: number | null = null;
  private done = false;
  private warning: string | null = null;
  private rateWindow = { second: 0, count: 0, rate: 0 };
  private kept = 0;
  private drops: (() => number | null) | null = null;

  constructor(readonly table: TunnelTable, private readonly source: string, private readonly filter: string | null, live: boolean) {
    if (!live) this.progress = 0;
    // An evicted tunnel's history and kept packets go with it, and its packets leave the budget.
    table.onEvict = (t) => {
      const h = this.history.get(t.id);
      if (!h) return;
      this.kept -= h.ring.size;
      this.history.delete(t.id);
    };
    this.snapshot = this.build();
  }

  /** After the table observed the packet: file it under the tunnels it crossed. */
  onPacket(ctx: PacketCtx, frame: Frame): void {
    const second = ctx.tsSec;
    if (second !== this.rateWindow.second) {
      this.rateWindow.rate = this.rateWindow.count;
      this.rateWindow = { second, count: 0, rate: this.rateWindow.rate };
    }
    this.rateWindow.count++;
    this.lastSecond = second;
    if (this.table.active.length === 0) return;
    for (const t of this.table.active) {
      let h = this.history.get(t.id);
      if (!h) {
        h = { second, counts: [0], ring: new PacketRing() };
        this.history.set(t.id, h);
      }
      advance(h, second);
      h.counts[h.counts.length - 1]!++;
      // Each tunnel keeps its newest packets; a ring that is full reuses its oldest slot, and
      // past the total budget a tunnel that has no slot yet gets none.
      const full = h.ring.size >= PACKETS_PER_TUNNEL;
      if (!full && this.kept >= PACKETS_KEPT) {
        this.table.overflow.add('packets not kept for the UI');
        continue;
      }
      if (!full) this.kept++;
      h.ring.add(ctx.frameNo, frame, ctx.tsSec, ctx.tsNsec);
    }
  }

  /** Live capture: where to read libpcap's drop count at each snapshot. */
  setDropCounter(read: () => number | null): void {
    this.drops = read;
  }

  setProgress(fraction: number): void {
    this.progress = fraction;
  }

  finish(warning: string | null = null): void {
    this.done = true;
    this.progress = this.progress === null ? null : 1;
    this.warning = warning;
    this.publish();
  }

  packetsOf(tunnelId: number): StoredPacket[] {
    return this.history.get(tunnelId)?.ring.packets() ?? [];
  }

  tunnel(id: number): Tunnel | undefined {
    for (const t of this.table.tunnels.values()) if (t.id === id) return t;
    return undefined;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /**
   * Publishes now, and from then on every 100 ms until stopped, or less
   * often when a snapshot is costly: a snapshot covers every tunnel, so
   * with many of them (a flood) a fixed rate would make reading quadratic;
   * spaced by ten times its cost, snapshots take at most a tenth of the time.
   */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      const began = performance.now();
      this.publish();
      this.timer = setTimeout(tick, Math.max(PUBLISH_MS, 10 * (performance.now() - began)));
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  publish(): void {
    this.snapshot = this.build();
    for (const fn of this.listeners) fn();
  }

  private build(): Snapshot {
    const t = this.table;
    const tunnels: TunnelRow[] = [];
    const groups: GroupRow[] = [];
    const routing: string[] = [];
    for (const tunnel of t.tunnels.values()) {
      const h = this.history.get(tunnel.id);
      if (h) advance(h, this.lastSecond);
      const spark = h ? h.counts.slice(-SPARK_SECONDS) : [];
      const inner = [...tunnel.inner.entries()].filter(([n]) => n !== 'eth' && n !== 'vlan').sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n]) => n).join(',');
      const [ab, ba] = tunnel.directions;
      const anomalies = ab.seq.missing + ba.seq.missing + ab.seq.reordered + ba.seq.reordered + ab.seq.duplicates + ba.seq.duplicates
        + tunnel.checksumErrors + tunnel.fragmented + tunnel.icmpFragNeeded + [...tunnel.malformed.values()].reduce((a, b) => a + b, 0);
      const label = tunnel.label;
      tunnels.push({
        id: tunnel.id, kind: tunnel.kind, endpoints: tunnel.endpoints,
        key: tunnel.key === null ? '-' : tunnel.kind === 'pptp' ? `call ${tunnel.key}` : String(tunnel.key),
        packets: tunnel.packets, bytes: tunnel.bytes, rate: spark.length > 1 ? spark[spark.length - 2]! : spark[0] ?? 0, spark,
        inner, multicast: tunnel.multicast.size, anomalies, protection: tunnel.protection, lastSeen: tunnel.lastSeen, insideEsp: tunnel.insideEsp,
      });
      for (const g of tunnel.multicast.values()) {
        const protocol = [...g.protocols.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p).join(',');
        groups.push({ group: g.group, protocol, tunnel: label, packets: g.packets, lastSeen: g.lastSeen });
      }
      const mismatches = tunnel.routing.ospfMismatches();
      for (const m of mismatches.list) routing.push(`MISMATCH OSPF ${m.a} and ${m.b}: ${m.what.join('; ')} via ${label}`);
      if (mismatches.moreGroups > 0) routing.push(`MISMATCH OSPF ${mismatches.moreGroups} more groups (${mismatches.moreRouters} routers) via ${label}`);
      for (const r of tunnel.routing.ospf.values()) {
        const timers = r.helloInterval !== undefined ? ` hello ${r.helloInterval}s dead ${r.deadInterval}s` : '';
        routing.push(`OSPFv${r.version} ${r.routerId} area ${r.area}${timers} auth ${['none', 'password', 'crypto'][r.authType] ?? r.authType} via ${label}`);
      }
      if (tunnel.routing.rip.packets) routing.push(`RIP ${[...tunnel.routing.rip.versions].map((v) => `v${v}`).join('/')} ${tunnel.routing.rip.routes.size} routes via ${label}`);
      if (tunnel.routing.eigrp.packets) routing.push(`EIGRP AS ${[...tunnel.routing.eigrp.as].join(',')} via ${label}`);
      if (tunnel.routing.pim.packets) routing.push(`PIM neighbours ${[...tunnel.routing.pim.neighbors].join(', ')} via ${label}`);
    }
    const esp: EspRow[] = [];
    for (const p of t.esp.values()) {
      if (p.packets === 0 && p.ahPackets === 0) continue;
      esp.push({
        endpoints: p.endpoints, spis: [...p.sas.keys()].map((s) => `0x${s.toString(16)}`).join(','), packets: p.packets + p.ahPackets,
        protection: p.packets === 0 || p.nullEncrypted ? 'integrity-only' : 'encrypted', mode: p.mode ?? '', lastSeen: p.lastSeen,
      });
    }
    const elapsedSec = (Date.now() - this.started) / 1000;
    const clouds = t.dmvpn.events.length ? dmvpnReport(t.dmvpn, t.tunnels.values(), t.lastSeen) : [];
    const dmvpn = clouds.length ? { clouds: clouds.length, lines: dmvpnText(clouds, (p) => p.toUpperCase(), false).slice(1).map((l) => l.slice(2)) } : undefined;
    return {
      // What came from files and packets is drawn escaped (names, warnings, findings' text).
      source: visible(this.source), filter: this.filter === null ? null : visible(this.filter), packets: t.packets, bytes: t.bytes, rate: this.rateWindow.rate,
      drops: this.drops?.() ?? null, elapsedSec, progress: this.progress, done: this.done, tunnels, esp, groups, routing,
      findings: evaluate(t).map((f) => ({ ...f, message: visible(f.message) })), warning: this.warning === null ? null : visible(this.warning),
      ...(dmvpn ? { dmvpn } : {}),
      now: t.lastSeen,
    };
  }
}

/** Moves a tunnel's per-second counts up to `second`, adding zeros for quiet seconds. */
function advance(h: History, second: number): void {
  if (second <= h.second) return;
  const gap = Math.min(second - h.second, SPARK_SECONDS);
  for (let i = 0; i < gap; i++) h.counts.push(0);
  if (h.counts.length > SPARK_SECONDS + 1) h.counts.splice(0, h.counts.length - SPARK_SECONDS - 1);
  h.second = second;
}
