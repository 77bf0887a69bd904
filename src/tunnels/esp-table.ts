import { mergeIke, newIkeLog } from './ike.js';
import { addCounts, PER_TUNNEL, type Overflow } from './limits.js';
import { SequenceTracker } from './sequence.js';
import type { Protection } from './tunnel.js';
import { compact, read, StateError, timeState, withDefaults, type FieldCoverage, type Plain } from './state.js';

const SA_DEFAULTS: Readonly<Record<string, Plain>> = {
  packets: 0,
  bytes: 0,
  nullPackets: 0,
  decrypted: 0,
  notDecrypted: 0,
  seqs: [{}, {}],
  sent: [0, 0],
  innerProtocols: [],
  ospf3: [],
  ospf3Packets: 0,
  multicast: false,
  group: false,
};

/** IPsec mode of an SA: read from what its opened payload begins with; `unknown` where nothing could be read. */
export type IpsecMode = 'tunnel' | 'transport' | 'unknown';

/** What an opened ESP or AH payload began with (innerProtocols keys): IP in IP means tunnel mode. */
export const INNER_IPV4 = 4;
export const INNER_IPV6 = 41;
export const INNER_GRE = 47;
/** AH around ESP that could not be opened: what ESP carries, and so the mode, cannot be read. */
export const INNER_OPAQUE_ESP = 50;
export const INNER_OTHER = 0;

/** An OSPFv3 router whose packets an SA authenticates (RFC 4552: OSPFv3's own authentication is IPsec). */
export interface Ospf3Router {
  routerId: string;
  area: string;
  packets: number;
}

/**
 * One security association as seen between one peer pair: one SPI of one
 * protocol (ESP or AH). Its sequence numbers are kept per sender (per
 * direction of the pair): senders sharing a group or manual SA (GDOI/GETVPN,
 * RFC 4552 OSPFv3) each count on their own.
 */
export class EspSa {
  packets = 0;
  bytes = 0;
  nullPackets = 0;
  /** Opened with the run's keys, and those an SA matched but that would not open (wrong key?). */
  decrypted = 0;
  notDecrypted = 0;
  /** Sequence numbers by sender: [endpoints[0] -> endpoints[1], the reverse]. */
  readonly seqs = [new SequenceTracker(), new SequenceTracker()] as const;
  /** Packets by sender, in the same order. */
  readonly sent: [number, number] = [0, 0];
  /** What the opened payloads began with: 4/41 (tunnel mode), 47 and others (transport mode), 50 (opaque ESP). */
  readonly innerProtocols = new Map<number, number>();
  /** OSPFv3 routers found in the payload, by router ID. */
  readonly ospf3 = new Map<string, Ospf3Router>();
  ospf3Packets = 0;
  /** Sent to a multicast destination: a group SA by definition (RFC 4301 4.1). */
  multicast = false;
  /** Set by the table when the same SPI is used by more than one sender (see EspPeers.groupSpis). */
  group = false;

  constructor(
    readonly spi: number,
    readonly proto: 'esp' | 'ah',
    readonly src: string,
    readonly dst: string,
  ) {}

  /** Both directions' trackers added up (the SA as one number, for JSON's seqMissing...). */
  get seq(): { first: number; last: number; missing: number; gaps: number; duplicates: number; reordered: number } {
    const [a, b] = this.seqs;
    const first = a.first >= 0 ? a : b;
    return {
      first: first.first,
      last: first.last,
      missing: a.missing + b.missing,
      gaps: a.gaps + b.gaps,
      duplicates: a.duplicates + b.duplicates,
      reordered: a.reordered + b.reordered,
    };
  }

  /** Senders seen using this SPI between the pair (1 or 2). */
  get senders(): number {
    return (this.sent[0] > 0 ? 1 : 0) + (this.sent[1] > 0 ? 1 : 0);
  }

  /** tunnel, transport, or unknown when nothing inside was read (or only ESP that stayed encrypted, inside AH). */
  get mode(): IpsecMode {
    return modeOf(this.innerProtocols);
  }

  /**
   * What this SA leaves of its payload: ESP with NULL encryption and AH alone
   * are readable (integrity-only); AH around ESP is what that ESP is.
   */
  get protection(): Protection {
    if (this.proto === 'ah') {
      const esp = this.innerProtocols.get(INNER_OPAQUE_ESP) ?? 0;
      return esp > 0 && esp * 2 >= this.packets ? 'encrypted' : 'integrity-only';
    }
    return this.nullPackets > 0 && this.nullPackets * 2 >= this.packets ? 'integrity-only' : 'encrypted';
  }

  /** Every payload this SA carried was OSPFv3: IPsec is OSPFv3's authentication here (RFC 4552). */
  get onlyOspf3(): boolean {
    return this.ospf3Packets > 0 && this.ospf3Packets === this.packets;
  }

  countOspf3(routerId: string, area: string): void {
    this.ospf3Packets++;
    let r = this.ospf3.get(routerId);
    if (!r) {
      if (this.ospf3.size >= PER_TUNNEL.ospfRouters) return;
      this.ospf3.set(routerId, (r = { routerId, area, packets: 0 }));
    }
    r.packets++;
  }

  /** Takes in the same SA as seen in a later part of the capture. */
  absorb(later: EspSa): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.nullPackets += later.nullPackets;
    this.decrypted += later.decrypted;
    this.notDecrypted += later.notDecrypted;
    this.seqs[0].absorbLater(later.seqs[0]);
    this.seqs[1].absorbLater(later.seqs[1]);
    this.sent[0] += later.sent[0];
    this.sent[1] += later.sent[1];
    addCounts(this.innerProtocols, later.innerProtocols);
    this.ospf3Packets += later.ospf3Packets;
    for (const [id, r] of later.ospf3) {
      const mine = this.ospf3.get(id);
      if (mine) mine.packets += r.packets;
      else if (this.ospf3.size < PER_TUNNEL.ospfRouters) this.ospf3.set(id, { ...r });
    }
    this.multicast ||= later.multicast;
  }
  static readonly fields: FieldCoverage = {
    state: [
      'spi',
      'proto',
      'src',
      'dst',
      'packets',
      'bytes',
      'nullPackets',
      'decrypted',
      'notDecrypted',
      'seqs',
      'sent',
      'innerProtocols',
      'ospf3',
      'ospf3Packets',
      'multicast',
      'group',
    ],
    caches: [],
  };

  toState(): Plain {
    return compact(
      {
        spi: this.spi,
        proto: this.proto,
        src: this.src,
        dst: this.dst,
        packets: this.packets,
        bytes: this.bytes,
        nullPackets: this.nullPackets,
        decrypted: this.decrypted,
        notDecrypted: this.notDecrypted,
        seqs: this.seqs.map((t) => t.toState()),
        sent: [...this.sent],
        innerProtocols: [...this.innerProtocols],
        ospf3: [...this.ospf3.values()].map((r) => [r.routerId, r.area, r.packets]),
        ospf3Packets: this.ospf3Packets,
        multicast: this.multicast,
        group: this.group,
      },
      SA_DEFAULTS,
    );
  }

  static fromState(v: unknown, at: string): EspSa {
    const o = withDefaults(v, at, SA_DEFAULTS);
    const proto = o.proto === undefined ? 'esp' : read.oneOf(o.proto, `${at}.proto`, ['esp', 'ah'] as const);
    const sa = new EspSa(
      read.u32(o.spi, `${at}.spi`),
      proto,
      read.str(o.src, `${at}.src`, 64),
      read.str(o.dst, `${at}.dst`, 64),
    );
    sa.packets = read.int(o.packets, `${at}.packets`);
    sa.bytes = read.int(o.bytes, `${at}.bytes`);
    sa.nullPackets = read.int(o.nullPackets, `${at}.nullPackets`);
    sa.decrypted = read.int(o.decrypted, `${at}.decrypted`);
    sa.notDecrypted = read.int(o.notDecrypted, `${at}.notDecrypted`);
    const seqs = read.arr(o.seqs, `${at}.seqs`, 2);
    if (seqs.length !== 2) throw new StateError(`${at}.seqs: expected two`);
    seqs.forEach((x, i) => Object.assign(sa.seqs[i]!, SequenceTracker.fromState(x, `${at}.seqs[${i}]`)));
    const sent = read.arr(o.sent, `${at}.sent`, 2);
    if (sent.length !== 2) throw new StateError(`${at}.sent: expected two`);
    sent.forEach((x, i) => (sa.sent[i] = read.int(x, `${at}.sent[${i}]`)));
    for (const [k, n] of read.counts(o.innerProtocols, `${at}.innerProtocols`, 256, (x, a) => read.int(x, a, 0, 255)))
      sa.innerProtocols.set(k, n);
    read.arr(o.ospf3, `${at}.ospf3`, PER_TUNNEL.ospfRouters).forEach((x, i) => {
      const r = read.arr(x, `${at}.ospf3[${i}]`, 3);
      const routerId = read.str(r[0], `${at}.ospf3[${i}][0]`, 64);
      if (sa.ospf3.has(routerId)) throw new StateError(`${at}.ospf3[${i}]: given twice`);
      sa.ospf3.set(routerId, {
        routerId,
        area: read.str(r[1], `${at}.ospf3[${i}][1]`, 64),
        packets: read.int(r[2], `${at}.ospf3[${i}][2]`),
      });
    });
    sa.ospf3Packets = read.int(o.ospf3Packets, `${at}.ospf3Packets`);
    sa.multicast = read.bool(o.multicast, `${at}.multicast`);
    sa.group = read.bool(o.group, `${at}.group`);
    return sa;
  }
}

function modeOf(inner: Map<number, number>): IpsecMode {
  let tunnel = 0;
  let other = 0;
  for (const [p, n] of inner) {
    if (p === INNER_IPV4 || p === INNER_IPV6) tunnel += n;
    else if (p !== INNER_OPAQUE_ESP) other += n;
  }
  if (tunnel + other === 0) return 'unknown';
  return tunnel >= other ? 'tunnel' : 'transport';
}

/** Worst first, as tunnels' protections are. */
const SA_PROTECTION_ORDER: Protection[] = ['integrity-only', 'encrypted'];

/** ESP (and AH) between one pair of endpoints, with every SA seen and the IKE traffic beside it. */
export class EspPeers {
  packets = 0;
  bytes = 0;
  ahPackets = 0;
  natT = false;
  firstSeen = Infinity;
  lastSeen = 0;
  /** ESP SAs by SPI. */
  readonly sas = new Map<number, EspSa>();
  /** AH SAs by SPI. */
  readonly ahSas = new Map<number, EspSa>();
  readonly ike = { packets: 0, versions: new Set<string>(), exchanges: new Map<number, number>() };
  /** GDOI (RFC 6407, UDP 848) between these peers: group keys are handed out here. */
  gdoi = 0;
  /** The IKE SAs between the pair, as a story (ike.ts). */
  readonly ikeLog = newIkeLog();

  constructor(readonly endpoints: [string, string]) {}

  get ahSpis(): Set<number> {
    return new Set(this.ahSas.keys());
  }

  /** Every SA, ESP then AH. */
  get allSas(): EspSa[] {
    return [...this.sas.values(), ...this.ahSas.values()];
  }

  /** Takes in the same peer pair as seen in a later part of the capture (a plain copy from a worker). */
  absorb(later: EspPeers, overflow: Overflow): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.ahPackets += later.ahPackets;
    this.natT ||= later.natT;
    this.gdoi += later.gdoi;
    this.firstSeen = Math.min(this.firstSeen, later.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, later.lastSeen);
    for (const [mine, theirs] of [
      [this.sas, later.sas],
      [this.ahSas, later.ahSas],
    ] as const) {
      for (const [spi, sa] of theirs) {
        let sa0 = mine.get(spi);
        if (!sa0) {
          if (!overflow.room(mine.size, PER_TUNNEL.spisPerPeer, 'SPIs')) continue;
          mine.set(spi, (sa0 = new EspSa(spi, sa.proto, sa.src, sa.dst)));
        }
        sa0.absorb(sa);
      }
    }
    this.ike.packets += later.ike.packets;
    for (const v of later.ike.versions) this.ike.versions.add(v);
    addCounts(this.ike.exchanges, later.ike.exchanges);
    mergeIke(this.ikeLog, later.ikeLog);
  }

  /** ESP SAs with NULL encryption (readable payload). */
  get nullSas(): EspSa[] {
    return [...this.sas.values()].filter((sa) => sa.protection === 'integrity-only');
  }

  /** True when any ESP SA of the pair uses NULL encryption (kept for the UI and older callers). */
  get nullEncrypted(): boolean {
    return this.nullSas.length > 0;
  }

  /** The worst protection of the pair's SAs: one readable SA makes the pair readable. */
  get protection(): Protection {
    const all = this.allSas;
    for (const p of SA_PROTECTION_ORDER) if (all.some((sa) => sa.protection === p)) return p;
    return 'unknown';
  }

  /** The mode IKE negotiated for this SPI (a child SA of the pair's IKE log, IKEv2 decrypted), or null. */
  negotiatedMode(spi: number): 'tunnel' | 'transport' | null {
    const hex = spi.toString(16).padStart(8, '0');
    for (const ike of this.ikeLog.sas.values())
      for (const c of ike.children) if (c.mode && (c.initiatorSpi === hex || c.responderSpi === hex)) return c.mode;
    return null;
  }

  /** What the SA carried says its mode; where nothing inside could be read, what IKE negotiated for it. */
  saMode(sa: EspSa): IpsecMode {
    const read = sa.mode;
    return read === 'unknown' ? (this.negotiatedMode(sa.spi) ?? 'unknown') : read;
  }

  /**
   * The mode every SA has (read, or negotiated in IKE); `mixed` when SAs
   * differ; null when some are unknown (each SA says its own).
   */
  get mode(): IpsecMode | 'mixed' | null {
    const modes = new Set(this.allSas.map((sa) => this.saMode(sa)));
    if (modes.has('tunnel') && modes.has('transport')) return 'mixed';
    if (modes.size !== 1) return null;
    const [m] = modes;
    return m === 'unknown' ? null : m!;
  }

  static readonly fields: FieldCoverage = {
    state: [
      'endpoints',
      'packets',
      'bytes',
      'ahPackets',
      'natT',
      'firstSeen',
      'lastSeen',
      'sas',
      'ahSas',
      'ike',
      'gdoi',
      'ikeLog',
    ],
    caches: [],
  };

  toState(): Plain {
    return {
      endpoints: [...this.endpoints],
      packets: this.packets,
      bytes: this.bytes,
      ahPackets: this.ahPackets,
      natT: this.natT,
      firstSeen: timeState(this.firstSeen),
      lastSeen: this.lastSeen,
      sas: [...this.sas.values()].map((sa) => sa.toState()),
      ahSas: [...this.ahSas.values()].map((sa) => sa.toState()),
      ...(this.gdoi ? { gdoi: this.gdoi } : {}),
      ike: { packets: this.ike.packets, versions: [...this.ike.versions], exchanges: [...this.ike.exchanges] },
      ...(this.ikeLog.sas.size || this.ikeLog.dropped
        ? { ikeLog: { sas: [...this.ikeLog.sas] as unknown as Plain, dropped: this.ikeLog.dropped } }
        : {}),
    };
  }

  static fromState(v: unknown, at: string): EspPeers {
    const o = read.obj(v, at);
    const eps = read.arr(o.endpoints, `${at}.endpoints`, 2).map((e, i) => read.str(e, `${at}.endpoints[${i}]`, 64));
    if (eps.length !== 2 || eps[0]! > eps[1]!) throw new StateError(`${at}.endpoints: expected two addresses in order`);
    const p = new EspPeers([eps[0]!, eps[1]!]);
    p.packets = read.int(o.packets, `${at}.packets`);
    p.bytes = read.int(o.bytes, `${at}.bytes`);
    p.ahPackets = read.int(o.ahPackets, `${at}.ahPackets`);
    p.natT = read.bool(o.natT, `${at}.natT`);
    p.firstSeen = read.time(o.firstSeen, `${at}.firstSeen`);
    p.lastSeen = read.time(o.lastSeen, `${at}.lastSeen`);
    read.arr(o.sas, `${at}.sas`, PER_TUNNEL.spisPerPeer).forEach((x, i) => {
      const sa = EspSa.fromState(x, `${at}.sas[${i}]`);
      if (p.sas.has(sa.spi)) throw new StateError(`${at}.sas[${i}]: SPI given twice`);
      p.sas.set(sa.spi, sa);
    });
    read.arr(o.ahSas ?? [], `${at}.ahSas`, PER_TUNNEL.spisPerPeer).forEach((x, i) => {
      const sa = EspSa.fromState(x, `${at}.ahSas[${i}]`);
      if (p.ahSas.has(sa.spi)) throw new StateError(`${at}.ahSas[${i}]: SPI given twice`);
      p.ahSas.set(sa.spi, sa);
    });
    p.gdoi = o.gdoi === undefined ? 0 : read.int(o.gdoi, `${at}.gdoi`);
    const ike = read.obj(o.ike, `${at}.ike`);
    p.ike.packets = read.int(ike.packets, `${at}.ike.packets`);
    for (const version of read.set(ike.versions, `${at}.ike.versions`, 16, (x, a) => read.str(x, a, 4)))
      p.ike.versions.add(version);
    for (const [k, n] of read.counts(ike.exchanges, `${at}.ike.exchanges`, 256, (x, a) => read.int(x, a, 0, 255)))
      p.ike.exchanges.set(k, n);
    if (o.ikeLog !== undefined) {
      // IKE SAs (ike.ts's records): checked for their shape and bounds, as plain JSON.
      const log = read.obj(o.ikeLog, `${at}.ikeLog`);
      p.ikeLog.dropped = read.int(log.dropped, `${at}.ikeLog.dropped`);
      read.arr(log.sas, `${at}.ikeLog.sas`, 4096).forEach((x, i) => {
        const pair = read.arr(x, `${at}.ikeLog.sas[${i}]`, 2);
        const key = read.str(pair[0], `${at}.ikeLog.sas[${i}][0]`, 128);
        const r = read.obj(pair[1], `${at}.ikeLog.sas[${i}][1]`);
        checkPlain(r, `${at}.ikeLog.sas[${i}][1]`, 0);
        for (const f of ['ispi', 'rspi', 'initiator', 'responder'] as const)
          read.str(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 64);
        for (const f of ['version', 'packets', 'requests', 'answers', 'encrypted', 'decrypted'] as const)
          read.int(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 0, 0xffffffff);
        for (const f of ['events', 'offered', 'offeredGroups', 'weakChosen', 'errors'] as const)
          read.arr(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 4096);
        read.obj(r.exchanges, `${at}.ikeLog.sas[${i}][1].exchanges`);
        if (p.ikeLog.sas.has(key)) throw new StateError(`${at}.ikeLog.sas[${i}]: given twice`);
        p.ikeLog.sas.set(key, r as never);
      });
    }
    return p;
  }
}

/** Plain JSON of bounded depth, lists and text: what may stand in a record read whole. */
function checkPlain(v: unknown, at: string, depth: number): void {
  if (depth > 8) throw new StateError(`${at}: nested too deep`);
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new StateError(`${at}: expected a number`);
    return;
  }
  if (typeof v === 'string') {
    read.str(v, at, 4096);
    return;
  }
  if (Array.isArray(v)) {
    read.arr(v, at, 4096).forEach((x, i) => checkPlain(x, `${at}[${i}]`, depth + 1));
    return;
  }
  const o = read.obj(v, at);
  const keys = Object.keys(o);
  if (keys.length > 256) throw new StateError(`${at}: too many fields`);
  for (const k of keys) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype')
      throw new StateError(`${at}: unexpected field ${JSON.stringify(k)}`);
    checkPlain(o[k], `${at}.${k}`, depth + 1);
  }
}
