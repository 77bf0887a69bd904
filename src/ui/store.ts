import { evaluate } from '../audit/rules.js';
import type { Finding } from '../audit/catalogue.js';
import { dmvpnText } from '../audit/report-dmvpn.js';
import { visible } from '../output/escape.js';
import { dmvpnReport } from '../tunnels/dmvpn.js';
import type { EspPeers } from '../tunnels/esp-table.js';
import type { TunnelTable } from '../tunnels/table.js';
import type { Protection, Tunnel } from '../tunnels/tunnel.js';
import { keyText } from '../tunnels/tunnel.js';
import { DISCOVERY, DISCOVERY_PROTOCOLS } from '../tunnels/routing.js';
import { ospfAuthName } from '../dissect/ospf.js';
import { spiText } from '../dissect/addr.js';
import { reflectionSubject } from '../audit/ike-rules.js';
import { type IkeReflection, type IkeSaRecord, ikeReflections } from '../tunnels/ike.js';
import { plural } from '../util/words.js';

/** Seconds of history in a row's sparkline. */
const SPARK_SECONDS = 16;
const PUBLISH_MS = 100;

export interface TunnelRow {
  id: number;
  kind: string;
  endpoints: [string, string];
  key: string;
  packets: number;
  bytes: number;
  rate: Rate;
  /** Packets a second, each of the last seconds: the sparkline. */
  spark: number[];
  inner: string;
  multicast: number;
  anomalies: number;
  protection: Protection;
  lastSeen: number;
  insideEsp: boolean;
}

export interface EspRow {
  /** The peer pair as the packet lists know it: `lower|higher` address. */
  key: string;
  /** esp, ah, or ike when the pair has only key exchange. */
  kind: string;
  endpoints: [string, string];
  /** SPIs in hex, as text lines print them; IKE versions for an IKE-only pair. */
  spis: string;
  packets: number;
  /** ESP's bytes from its header on, as the audit counts them (AH and IKE in packets only). */
  bytes: number;
  rate: Rate;
  spark: number[];
  protection: Protection;
  mode: string;
  lastSeen: number;
  /** The peer pairs whose packets the row lists: its own, or a reflection's reflectors. */
  pairs: string[];
  /** What its packets are: `IKE, ESP`. */
  protocols: string;
  /**
   * An IKE reflection's target, its reflectors folded into this one row as
   * the audit folds them (endpoints: the target, then how many hosts).
   */
  reflection: boolean;
}

/** A line of the routing panel; Enter on an OSPF router lists its hellos, on another line its tunnel's packets. */
export interface RoutingRow {
  text: string;
  tunnelId: number;
  routerId: string | null;
  /** The display filter of the line's packets in its tunnel (`rip`); null: all of the tunnel's. */
  filter: string | null;
  /** A line of the DMVPN view (the panel is then titled with DMVPN too). */
  dmvpn: boolean;
}

/** A finding and what it is about, to go to: tunnels by id, peer pairs by key. */
export interface FindingRow extends Finding {
  tunnels: number[];
  peers: string[];
}

export interface GroupRow {
  group: string;
  /** The tunnel that carries it (Enter lists the group's packets there). */
  tunnelId: number;
  protocol: string;
  tunnel: string;
  packets: number;
  lastSeen: number;
}

export interface Snapshot {
  source: string;
  /** The capture filter as the header says it (the driver words it: "tunnel traffic (default)"); null: none asked. */
  filter: string | null;
  packets: number;
  bytes: number;
  /** The whole capture's packets a second, as RATE is a row's. */
  rate: Rate;
  /** Packets libpcap dropped (kernel buffer and interface), live only; null for files. */
  drops: number | null;
  elapsedSec: number;
  /** 0..1 while a file is being read; null for live capture. */
  progress: number | null;
  done: boolean;
  tunnels: TunnelRow[];
  esp: EspRow[];
  groups: GroupRow[];
  routing: RoutingRow[];
  findings: FindingRow[];
  warning: string | null;
  /** The time of the newest packet (live: the present), for "seen N s ago". */
  now: number;
}

type TablePart = Pick<Snapshot, 'tunnels' | 'esp' | 'groups' | 'routing' | 'findings' | 'now'>;

interface History {
  second: number;
  counts: number[];
}

/**
 * Packets a second. While packets come, over the last whole second (the
 * newest second of the capture's clock is still filling); once a file is
 * read, over the row's own time, first packet to last: what the file says
 * of it, not of its last second. Null where there is no time to divide by
 * (one packet, or all at one instant).
 */
export type Rate = number | null;

const averageRate = (packets: number, first: number, last: number): Rate =>
  last > first ? packets / (last - first) : null;

/** What a row's sparkline and RATE say. */
interface Activity {
  spark: number[];
  rate: Rate;
}

/**
 * Between the engine and the UI: counts every dissected packet into each
 * tunnel's and peer pair's seconds, and publishes immutable snapshots of the table at
 * most ten times a second. React reads snapshots only
 * (useSyncExternalStore); packets are kept by the driver's lists.
 */
export class Store {
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly history = new Map<number, History>();
  /** A peer pair's history goes with the pair when the table evicts it. */
  private readonly peerHistory = new WeakMap<EspPeers, History>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly started = Date.now();
  /** The capture's clock: the newest second a packet was captured in, or, live, the present one (never back). */
  private lastSecond = 0;
  private progress: number | null = null;
  private done = false;
  private warning: string | null = null;
  private rateWindow = { second: 0, count: 0, rate: 0 };
  private drops: (() => number | null) | null = null;
  /**
   * The table's part of the last snapshot, and the packet count, end and clock it was made at: with none of them
   * moved since, nothing in it changed.
   */
  private built: { packets: number; done: boolean; second: number; part: TablePart } | null = null;

  constructor(
    readonly table: TunnelTable,
    private readonly source: string,
    private readonly filter: string | null,
    private readonly live: boolean,
    /** This host's clock, in ms (a test's own for live captures). */
    private readonly now: () => number = Date.now,
  ) {
    if (!live) this.progress = 0;
    // An evicted tunnel's history goes with it: the store holds no more tunnels than the table.
    table.onEvict = (t) => this.history.delete(t.id);
    this.snapshot = this.build();
  }

  /** After the table observed a packet (captured at `second`): count it for the tunnels and peer pairs it crossed. */
  onPacket(second: number): void {
    this.tick(second);
    this.rateWindow.count++;
    for (const t of this.table.active) {
      let h = this.history.get(t.id);
      if (!h) this.history.set(t.id, (h = { second, counts: [0] }));
      countPacket(h, second);
    }
    for (const p of this.table.activePeers) {
      let h = this.peerHistory.get(p);
      if (!h) this.peerHistory.set(p, (h = { second, counts: [0] }));
      countPacket(h, second);
    }
  }

  /**
   * Moves the clock on to `second`: the second before it becomes the last whole one (quiet if the capture skipped
   * it). A packet from an earlier second (a second file, a late one) counts in the present one.
   */
  private tick(second: number): void {
    if (second <= this.lastSecond) return;
    const rate = second === this.rateWindow.second + 1 ? this.rateWindow.count : 0;
    this.rateWindow = { second, count: 0, rate };
    this.lastSecond = second;
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
   * The cost counts the screen's redraw too, which React runs in a microtask
   * queued while the snapshot is published (about 20 ms on a 100x30 screen,
   * where the snapshot of a few tunnels takes 1 ms): measured by a microtask
   * queued after it.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = () => {
      const began = performance.now();
      this.publish();
      queueMicrotask(() => {
        if (this.running) this.timer = setTimeout(tick, Math.max(PUBLISH_MS, 10 * (performance.now() - began)));
      });
    };
    tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  publish(): void {
    this.snapshot = this.build();
    for (const fn of this.listeners) fn();
  }

  private build(): Snapshot {
    const t = this.table;
    // Live, packets are stamped by this host's clock: once one has come, a quiet link's rates fall as the seconds
    // pass (as iftop's).
    if (this.live && !this.done && this.lastSecond > 0) this.tick(Math.floor(this.now() / 1000));
    // A file read to its end, a quiet second: the table is as it was, only the time and the counters move.
    let b = this.built;
    if (b?.packets !== t.packets || b.done !== this.done || b.second !== this.lastSecond)
      this.built = b = { packets: t.packets, done: this.done, second: this.lastSecond, part: this.buildPart() };
    const elapsedSec = (Date.now() - this.started) / 1000;
    return {
      // What came from files and packets is drawn escaped (names, warnings, findings' text).
      source: visible(this.source),
      filter: this.filter === null ? null : visible(this.filter),
      packets: t.packets,
      bytes: t.bytes,
      rate: this.done ? averageRate(t.packets, t.firstSeen, t.lastSeen) : this.rateWindow.rate,
      drops: this.drops?.() ?? null,
      elapsedSec,
      progress: this.progress,
      done: this.done,
      ...b.part,
      warning: this.warning === null ? null : visible(this.warning),
    };
  }

  /** What the snapshot shows of the table: rows for every tunnel, peer pair, group, router and finding. */
  private buildPart(): TablePart {
    const t = this.table;
    const tunnels: TunnelRow[] = [];
    const groups: GroupRow[] = [];
    const routing: RoutingRow[] = [];
    const ids = new Map<string, number>();
    for (const tunnel of t.tunnels.values()) {
      const { spark, rate } = this.activity([this.history.get(tunnel.id)], tunnel.packets, [tunnel]);
      const inner = [...tunnel.inner.entries()]
        .filter(([n]) => n !== 'eth' && n !== 'vlan')
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([n]) => n)
        .join(',');
      const [ab, ba] = tunnel.directions;
      const anomalies =
        ab.seq.missing +
        ba.seq.missing +
        ab.seq.reordered +
        ba.seq.reordered +
        ab.seq.duplicates +
        ba.seq.duplicates +
        tunnel.checksumErrors +
        tunnel.fragmented +
        tunnel.icmpFragNeeded +
        [...tunnel.malformed.values()].reduce((a, b) => a + b, 0);
      const label = tunnel.label;
      ids.set(label, tunnel.id);
      const row = (text: string, filter: string | null, routerId: string | null = null) =>
        routing.push({ text, tunnelId: tunnel.id, routerId, filter, dmvpn: false });
      tunnels.push({
        id: tunnel.id,
        // A DMVPN pair says it is a pair of one multipoint GRE tunnel (Cisco's mGRE).
        kind: tunnel.kind === 'gre' && tunnel.role === 'multipoint' ? 'mgre' : tunnel.kind,
        endpoints: tunnel.endpoints,
        key: tunnel.key === null ? '-' : keyText(tunnel.kind, tunnel.key).trim().replace(/^key /, ''),
        packets: tunnel.packets,
        bytes: tunnel.bytes,
        rate,
        spark,
        inner,
        multicast: tunnel.multicast.size,
        anomalies,
        protection: tunnel.protection,
        lastSeen: tunnel.lastSeen,
        insideEsp: tunnel.insideEsp,
      });
      for (const g of tunnel.multicast.values()) {
        const protocol = [...g.protocols.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([p]) => p)
          .join(',');
        groups.push({
          group: g.group,
          tunnelId: tunnel.id,
          protocol,
          tunnel: label,
          packets: g.packets,
          lastSeen: g.lastSeen,
        });
      }
      const mismatches = tunnel.routing.ospfMismatches();
      for (const m of mismatches.list)
        row(`MISMATCH OSPF ${m.a} and ${m.b}: ${m.what.join('; ')} via ${label}`, 'ospf');
      if (mismatches.moreGroups > 0)
        row(
          `MISMATCH OSPF ${mismatches.moreGroups} more groups (${mismatches.moreRouters} routers) via ${label}`,
          'ospf',
        );
      for (const { stuck, larger } of tunnel.routing.ospfMtuMismatches().list)
        row(
          `MISMATCH OSPF MTU ${stuck.routerId} (${stuck.interfaceMtu}) stuck in ExStart with ` +
            `${larger.routerId} (${larger.interfaceMtu}) via ${label}`,
          // Opens the tunnel's Database Descriptions, where each router's MTU and ExStart flags are.
          'ospf.msg == 2',
        );
      for (const r of tunnel.routing.recursive)
        row(
          `RECURSIVE ${r.prefix} holds endpoint ${r.endpoint}, announced by ${r.protocol} ${r.router} via ${label}`,
          // Opens the tunnel's OSPF updates and RIP packets, where the prefix is announced.
          r.protocol === 'OSPF' ? 'ospf.msg == 4' : 'rip',
        );
      for (const r of tunnel.routing.ospf.values()) {
        const timers = r.helloInterval !== undefined ? ` hello ${r.helloInterval}s dead ${r.deadInterval}s` : '';
        const mtu = r.interfaceMtu !== undefined ? ` mtu ${r.interfaceMtu}` : '';
        row(
          `OSPFv${r.version} ${r.routerId} area ${r.area}${timers} auth ${ospfAuthName(r.authType)}${mtu} via ${label}`,
          null,
          r.routerId,
        );
      }
      if (tunnel.routing.rip.packets)
        row(
          `RIP ${[...tunnel.routing.rip.versions].map((v) => `v${v}`).join('/')} ` +
            `${plural(tunnel.routing.rip.routes.size, 'route')} via ${label}`,
          'rip',
        );
      if (tunnel.routing.eigrp.packets) row(`EIGRP AS ${[...tunnel.routing.eigrp.as].join(',')} via ${label}`, 'eigrp');
      if (tunnel.routing.pim.packets)
        row(`PIM neighbours ${[...tunnel.routing.pim.neighbors].join(', ')} via ${label}`, 'pim');
      for (const protocol of DISCOVERY_PROTOCOLS)
        if (tunnel.routing[protocol].devices.size)
          row(
            `${DISCOVERY[protocol].devices} ${[...tunnel.routing[protocol].devices].join(', ')} via ${label}`,
            protocol,
          );
    }
    // DMVPN clouds (NHRP captures only), in the routing panel as the audit's text section says them; Enter opens the
    // cloud's first tunnel.
    if (t.dmvpn.events.length) {
      for (const cloud of dmvpnReport(t.dmvpn, t.tunnels.values(), t.lastSeen)) {
        for (const line of dmvpnText([cloud], (p) => p.toUpperCase(), false).slice(1))
          routing.push({
            text: line.slice(2),
            tunnelId: cloud.tunnels[0] ?? -1,
            routerId: null,
            filter: null,
            dmvpn: true,
          });
      }
    }
    const esp = espRows(t.esp.values(), (pairs, packets) =>
      this.activity(
        pairs.map((p) => this.peerHistory.get(p)),
        packets,
        pairs,
      ),
    );
    return {
      tunnels,
      esp,
      groups,
      routing,
      findings: evaluate(t).map((f) => findingRow({ ...f, message: visible(f.message) }, ids, tunnels, esp)),
      // Live, "seen 4s ago" counts on as the host's clock does when the link is quiet.
      now: this.live && !this.done && t.packets > 0 ? Math.max(t.lastSeen, this.now() / 1000) : t.lastSeen,
    };
  }

  /**
   * A row's last seconds up to the newest of the capture's clock (its
   * tunnel's or peer pairs' added), and its rate over `packets` seen
   * between the first and last time of `spans`.
   */
  private activity(
    histories: (History | undefined)[],
    packets: number,
    spans: { firstSeen: number; lastSeen: number }[],
  ): Activity {
    const spark: number[] = [];
    for (const h of histories) {
      if (!h) continue;
      advance(h, this.lastSecond);
      const counts = h.counts.slice(-SPARK_SECONDS);
      while (spark.length < counts.length) spark.unshift(0);
      const at = spark.length - counts.length;
      for (let i = 0; i < counts.length; i++) spark[at + i]! += counts[i]!;
    }
    if (!this.done) return { spark, rate: spark.length > 1 ? spark[spark.length - 2]! : 0 };
    let first = Infinity;
    let last = -Infinity;
    for (const s of spans) {
      first = Math.min(first, s.firstSeen);
      last = Math.max(last, s.lastSeen);
    }
    return { spark, rate: averageRate(packets, first, last) };
  }
}

/** Counts a packet captured at `second`. */
function countPacket(h: History, second: number): void {
  advance(h, second);
  h.counts[h.counts.length - 1]!++;
}

/** Moves a row's per-second counts up to `second`, adding zeros for quiet seconds. */
function advance(h: History, second: number): void {
  if (second <= h.second) return;
  const gap = Math.min(second - h.second, SPARK_SECONDS);
  for (let i = 0; i < gap; i++) h.counts.push(0);
  if (h.counts.length > SPARK_SECONDS + 1) h.counts.splice(0, h.counts.length - SPARK_SECONDS - 1);
  h.second = second;
}

/**
 * A row a peer pair, but the pairs that only answered an IKE reflection
 * (each of their SAs reflected, no ESP or AH) fold into one row a target,
 * as the audit's report says them: a flood answered by thousands of hosts
 * is one line, not thousands.
 */
function espRows(peers: Iterable<EspPeers>, activity: RowActivity): EspRow[] {
  const shown = [...peers].filter((p) => p.packets > 0 || p.ahPackets > 0 || p.ike.packets > 0);
  const reflections = ikeReflections(shown.map((p) => p.ikeLog));
  const targetOf = new Map<IkeSaRecord, IkeReflection>();
  for (const r of reflections) for (const sa of r.sas) targetOf.set(sa, r);
  // A reflection's row stands where its first reflector's would.
  const order: (EspRow | IkeReflection)[] = [];
  const reflectors = new Map<IkeReflection, EspPeers[]>();
  for (const p of shown) {
    const sas = [...p.ikeLog.sas.values()];
    const r = targetOf.get(sas[0]!);
    if (!r || p.packets > 0 || p.ahPackets > 0 || !sas.every((sa) => targetOf.has(sa))) {
      order.push(espRow(p, activity));
      continue;
    }
    let pairs = reflectors.get(r);
    if (!pairs) {
      reflectors.set(r, (pairs = []));
      order.push(r);
    }
    pairs.push(p);
  }
  return order.map((x) => ('target' in x ? reflectionRow(x, reflectors.get(x)!, activity) : x));
}

/** A row's sparkline and RATE, of the pairs it lists, which count `packets`. */
type RowActivity = (pairs: EspPeers[], packets: number) => Activity;

/** The peer pair as the packet lists know it: `lower|higher` address. */
const pairKey = (p: EspPeers): string => `${p.endpoints[0]}|${p.endpoints[1]}`;

function reflectionRow(r: IkeReflection, pairs: EspPeers[], activity: RowActivity): EspRow {
  const packets = pairs.reduce((n, p) => n + p.ike.packets, 0);
  return {
    key: `reflection ${r.target}`,
    kind: 'ike',
    endpoints: [r.target, `${r.responders} ${r.responders === 1 ? 'host' : 'hosts'}`],
    spis: `IKEv${r.versions.join('/')} reflection`,
    packets,
    bytes: 0,
    ...activity(pairs, packets),
    protection: 'unknown',
    mode: '',
    lastSeen: pairs.reduce((t, p) => Math.max(t, p.lastSeen), 0),
    pairs: pairs.map(pairKey),
    reflection: true,
    protocols: 'IKE',
  };
}

function espRow(p: EspPeers, activity: RowActivity): EspRow {
  const key = pairKey(p);
  const protocols = [p.ike.packets ? 'IKE' : '', p.packets ? 'ESP' : '', p.ahPackets ? 'AH' : '']
    .filter((x) => x)
    .join(', ');
  if (p.packets === 0 && p.ahPackets === 0) {
    return {
      key,
      kind: 'ike',
      endpoints: p.endpoints,
      spis: `IKEv${[...p.ike.versions].join('/')}`,
      packets: p.ike.packets,
      bytes: 0,
      ...activity([p], p.ike.packets),
      protection: 'unknown',
      mode: '',
      lastSeen: p.lastSeen,
      pairs: [key],
      reflection: false,
      protocols,
    };
  }
  const spis = p.packets > 0 ? [...p.sas.keys()] : [...p.ahSpis];
  const packets = p.packets + p.ahPackets + p.ike.packets;
  return {
    key,
    kind: p.packets > 0 ? 'esp' : 'ah',
    endpoints: p.endpoints,
    spis: spis.map(spiText).join(','),
    packets,
    bytes: p.bytes,
    ...activity([p], packets),
    // The worst of the pair's SAs, as the audit says it.
    protection: p.protection,
    mode: p.mode ?? '',
    lastSeen: p.lastSeen,
    pairs: [key],
    reflection: false,
    protocols,
  };
}

/** What a finding is about: its subject, and any tunnel or peer pair its message names. */
function findingRow(f: Finding, ids: Map<string, number>, tunnels: TunnelRow[], esp: EspRow[]): FindingRow {
  const t = new Set<number>();
  const peers = new Set<string>();
  const subject = f.subject ?? '';
  const id = ids.get(subject);
  if (id !== undefined) t.add(id);
  for (const e of esp) {
    if (
      e.reflection
        ? subject === reflectionSubject(e.endpoints[0])
        : subject === `ESP ${e.endpoints[0]} <-> ${e.endpoints[1]}`
    )
      peers.add(e.key);
  }
  if (t.size === 0 && peers.size === 0) {
    for (const [label, tid] of ids) if (f.message.includes(label)) t.add(tid);
    for (const r of tunnels)
      if (t.size === 0 && f.message.includes(`${r.endpoints[0]} <-> ${r.endpoints[1]}`)) t.add(r.id);
    for (const e of esp) if (f.message.includes(e.endpoints[0]) && f.message.includes(e.endpoints[1])) peers.add(e.key);
  }
  return { ...f, tunnels: [...t], peers: [...peers] };
}
