import { mergeIke, newIkeLog } from './ike.js';
import { addCounts, PER_TUNNEL, type Overflow } from './limits.js';
import { SequenceTracker } from './sequence.js';

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
}
