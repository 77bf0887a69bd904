import { mergeIke, newIkeLog } from './ike.js';
import { addCounts, PER_TUNNEL, type Overflow } from './limits.js';
import { SequenceTracker } from './sequence.js';
import { compact, read, StateError, timeState, withDefaults, type FieldCoverage, type Plain } from './state.js';

const SA_DEFAULTS: Readonly<Record<string, Plain>> = { packets: 0, bytes: 0, nullPackets: 0, decrypted: 0, notDecrypted: 0, seq: {}, innerProtocols: [] };

/** One SPI (one direction of a security association). */
export class EspSa {
  packets = 0;
  bytes = 0;
  nullPackets = 0;
  /** Opened with the run's keys, and those an SA matched but that would not open (wrong key?). */
  decrypted = 0;
  notDecrypted = 0;
  readonly seq = new SequenceTracker();
  /** What the opened payloads began with: 4/41 (tunnel mode), 47 and others (transport mode). */
  readonly innerProtocols = new Map<number, number>();
  constructor(readonly spi: number, readonly src: string, readonly dst: string) {}

  /** tunnel, transport, or null when nothing inside was seen. */
  get mode(): 'tunnel' | 'transport' | null {
    return modeOf(this.innerProtocols);
  }

  /** Takes in the same SPI as seen in a later part of the capture. */
  absorb(later: EspSa): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.nullPackets += later.nullPackets;
    this.decrypted += later.decrypted;
    this.notDecrypted += later.notDecrypted;
    this.seq.absorbLater(later.seq);
    addCounts(this.innerProtocols, later.innerProtocols);
  }
  static readonly fields: FieldCoverage = { state: ['spi', 'src', 'dst', 'packets', 'bytes', 'nullPackets', 'decrypted', 'notDecrypted', 'seq', 'innerProtocols'], caches: [] };

  toState(): Plain {
    return compact({
      spi: this.spi, src: this.src, dst: this.dst, packets: this.packets, bytes: this.bytes, nullPackets: this.nullPackets,
      decrypted: this.decrypted, notDecrypted: this.notDecrypted, seq: this.seq.toState(), innerProtocols: [...this.innerProtocols],
    }, SA_DEFAULTS);
  }

  static fromState(v: unknown, at: string): EspSa {
    const o = withDefaults(v, at, SA_DEFAULTS);
    const sa = new EspSa(read.u32(o.spi, `${at}.spi`), read.str(o.src, `${at}.src`, 64), read.str(o.dst, `${at}.dst`, 64));
    sa.packets = read.int(o.packets, `${at}.packets`);
    sa.bytes = read.int(o.bytes, `${at}.bytes`);
    sa.nullPackets = read.int(o.nullPackets, `${at}.nullPackets`);
    sa.decrypted = read.int(o.decrypted, `${at}.decrypted`);
    sa.notDecrypted = read.int(o.notDecrypted, `${at}.notDecrypted`);
    Object.assign(sa.seq, SequenceTracker.fromState(o.seq, `${at}.seq`));
    for (const [k, n] of read.counts(o.innerProtocols, `${at}.innerProtocols`, 256, (x, a) => read.int(x, a, 0, 255))) sa.innerProtocols.set(k, n);
    return sa;
  }
}

function modeOf(inner: Map<number, number>): 'tunnel' | 'transport' | null {
  if (inner.size === 0) return null;
  let tunnel = 0;
  let other = 0;
  for (const [p, n] of inner) if (p === 4 || p === 41) tunnel += n; else other += n;
  return tunnel >= other ? 'tunnel' : 'transport';
}

/** ESP (and AH) between one pair of endpoints, with every SPI seen and the IKE traffic beside it. */
export class EspPeers {
  packets = 0;
  bytes = 0;
  ahPackets = 0;
  natT = false;
  firstSeen = Infinity;
  lastSeen = 0;
  readonly sas = new Map<number, EspSa>();
  readonly ahSpis = new Set<number>();
  readonly ike = { packets: 0, versions: new Set<string>(), exchanges: new Map<number, number>() };
  /** The IKE SAs between the pair, as a story (ike.ts). */
  readonly ikeLog = newIkeLog();
  /** What NULL-ESP or AH payloads began with: 4/41 (tunnel mode) or anything else (transport mode). */
  readonly innerProtocols = new Map<number, number>();

  constructor(readonly endpoints: [string, string]) {}

  /** Takes in the same peer pair as seen in a later part of the capture (a plain copy from a worker). */
  absorb(later: EspPeers, overflow: Overflow): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.ahPackets += later.ahPackets;
    this.natT ||= later.natT;
    this.firstSeen = Math.min(this.firstSeen, later.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, later.lastSeen);
    for (const [spi, sa] of later.sas) {
      let mine = this.sas.get(spi);
      if (!mine) {
        if (!overflow.room(this.sas.size, PER_TUNNEL.spisPerPeer, 'SPIs')) continue;
        this.sas.set(spi, (mine = new EspSa(spi, sa.src, sa.dst)));
      }
      mine.absorb(sa);
    }
    for (const spi of later.ahSpis) {
      if (this.ahSpis.has(spi) || overflow.room(this.ahSpis.size, PER_TUNNEL.spisPerPeer, 'SPIs')) this.ahSpis.add(spi);
    }
    this.ike.packets += later.ike.packets;
    for (const v of later.ike.versions) this.ike.versions.add(v);
    addCounts(this.ike.exchanges, later.ike.exchanges);
    mergeIke(this.ikeLog, later.ikeLog);
    addCounts(this.innerProtocols, later.innerProtocols);
  }

  get nullEncrypted(): boolean {
    let nul = 0;
    for (const sa of this.sas.values()) nul += sa.nullPackets;
    return nul > 0 && nul * 2 >= this.packets;
  }

  /** tunnel, transport, or null when nothing inside was seen. */
  get mode(): 'tunnel' | 'transport' | null {
    return modeOf(this.innerProtocols);
  }

  static readonly fields: FieldCoverage = { state: ['endpoints', 'packets', 'bytes', 'ahPackets', 'natT', 'firstSeen', 'lastSeen', 'sas', 'ahSpis', 'ike', 'ikeLog', 'innerProtocols'], caches: [] };

  toState(): Plain {
    return {
      endpoints: [...this.endpoints], packets: this.packets, bytes: this.bytes, ahPackets: this.ahPackets, natT: this.natT,
      firstSeen: timeState(this.firstSeen), lastSeen: this.lastSeen,
      sas: [...this.sas.values()].map((sa) => sa.toState()),
      ahSpis: [...this.ahSpis],
      ike: { packets: this.ike.packets, versions: [...this.ike.versions], exchanges: [...this.ike.exchanges] },
      innerProtocols: [...this.innerProtocols],
      ...(this.ikeLog.sas.size || this.ikeLog.dropped ? { ikeLog: { sas: [...this.ikeLog.sas] as unknown as Plain, dropped: this.ikeLog.dropped } } : {}),
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
    for (const spi of read.set(o.ahSpis, `${at}.ahSpis`, PER_TUNNEL.spisPerPeer, read.u32)) p.ahSpis.add(spi);
    const ike = read.obj(o.ike, `${at}.ike`);
    p.ike.packets = read.int(ike.packets, `${at}.ike.packets`);
    for (const version of read.set(ike.versions, `${at}.ike.versions`, 16, (x, a) => read.str(x, a, 4))) p.ike.versions.add(version);
    for (const [k, n] of read.counts(ike.exchanges, `${at}.ike.exchanges`, 256, (x, a) => read.int(x, a, 0, 255))) p.ike.exchanges.set(k, n);
    for (const [k, n] of read.counts(o.innerProtocols, `${at}.innerProtocols`, 256, (x, a) => read.int(x, a, 0, 255))) p.innerProtocols.set(k, n);
    if (o.ikeLog !== undefined) {
      // IKE SAs (ike.ts's records): checked for their shape and bounds, as plain JSON.
      const log = read.obj(o.ikeLog, `${at}.ikeLog`);
      p.ikeLog.dropped = read.int(log.dropped, `${at}.ikeLog.dropped`);
      read.arr(log.sas, `${at}.ikeLog.sas`, 4096).forEach((x, i) => {
        const pair = read.arr(x, `${at}.ikeLog.sas[${i}]`, 2);
        const key = read.str(pair[0], `${at}.ikeLog.sas[${i}][0]`, 128);
        const r = read.obj(pair[1], `${at}.ikeLog.sas[${i}][1]`);
        checkPlain(r, `${at}.ikeLog.sas[${i}][1]`, 0);
        for (const f of ['ispi', 'rspi', 'initiator', 'responder'] as const) read.str(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 64);
        for (const f of ['version', 'packets', 'encrypted', 'decrypted'] as const) read.int(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 0, 0xffffffff);
        for (const f of ['events', 'offered', 'offeredGroups', 'weakChosen', 'errors'] as const) read.arr(r[f], `${at}.ikeLog.sas[${i}][1].${f}`, 4096);
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
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new StateError(`${at}: unexpected field ${JSON.stringify(k)}`);
    checkPlain(o[k], `${at}.${k}`, depth + 1);
  }
}
