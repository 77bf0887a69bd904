import { SequenceTracker } from './sequence.js';

/** One SPI (one direction of a security association). */
export class EspSa {
  packets = 0;
  bytes = 0;
  nullPackets = 0;
  readonly seq = new SequenceTracker();
  constructor(readonly spi: number, readonly src: string, readonly dst: string) {}
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
  /** What NULL-ESP or AH payloads began with: 4/41 (tunnel mode) or anything else (transport mode). */
  readonly innerProtocols = new Map<number, number>();

  constructor(readonly endpoints: [string, string]) {}

  get nullEncrypted(): boolean {
    let nul = 0;
    for (const sa of this.sas.values()) nul += sa.nullPackets;
    return nul > 0 && nul * 2 >= this.packets;
  }

  /** tunnel, transport, or null when nothing inside was seen. */
  get mode(): 'tunnel' | 'transport' | null {
    if (this.innerProtocols.size === 0) return null;
    let tunnel = 0;
    let other = 0;
    for (const [p, n] of this.innerProtocols) if (p === 4 || p === 41) tunnel += n; else other += n;
    return tunnel >= other ? 'tunnel' : 'transport';
  }
}
