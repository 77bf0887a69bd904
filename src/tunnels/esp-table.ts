import { mergeIke, newIkeLog } from './ike.js';
import { addCounts, PER_TUNNEL, type Overflow } from './limits.js';
import { SequenceTracker } from './sequence.js';
import type { Protection } from './tunnel.js';

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
  readonly sent = [0, 0];
  /** What the opened payloads began with: 4/41 (tunnel mode), 47 and others (transport mode), 50 (opaque ESP). */
  readonly innerProtocols = new Map<number, number>();
  /** OSPFv3 routers found in the payload, by router ID. */
  readonly ospf3 = new Map<string, Ospf3Router>();
  ospf3Packets = 0;
  /** Sent to a multicast destination: a group SA by definition (RFC 4301 4.1). */
  multicast = false;
  /** Set by the table when the same SPI is used by more than one sender (see EspPeers.groupSpis). */
  group = false;

  constructor(readonly spi: number, readonly proto: 'esp' | 'ah', readonly src: string, readonly dst: string) {}

  /** Both directions' trackers added up (the SA as one number, for JSON's seqMissing...). */
  get seq(): { first: number; last: number; missing: number; gaps: number; duplicates: number; reordered: number } {
    const [a, b] = this.seqs;
    const first = a.first >= 0 ? a : b;
    return {
      first: first.first, last: first.last,
      missing: a.missing + b.missing, gaps: a.gaps + b.gaps, duplicates: a.duplicates + b.duplicates, reordered: a.reordered + b.reordered,
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
    this.sent[0] += later.sent[0]!;
    this.sent[1] += later.sent[1]!;
    addCounts(this.innerProtocols, later.innerProtocols);
    this.ospf3Packets += later.ospf3Packets;
    for (const [id, r] of later.ospf3) {
      const mine = this.ospf3.get(id);
      if (mine) mine.packets += r.packets;
      else if (this.ospf3.size < PER_TUNNEL.ospfRouters) this.ospf3.set(id, { ...r });
    }
    this.multicast ||= later.multicast;
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
  /** For IPv4 pairs: endpoints[0] as a number (the table finds a packet's direction by it). */
  num0 = -1;
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
    for (const [mine, theirs] of [[this.sas, later.sas], [this.ahSas, later.ahSas]] as const) {
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

  /**
   * The mode every SA was read to have; `mixed` when SAs were read to differ;
   * null when some could not be read (each SA says its own).
   */
  get mode(): IpsecMode | 'mixed' | null {
    const modes = new Set(this.allSas.map((sa) => sa.mode));
    if (modes.has('tunnel') && modes.has('transport')) return 'mixed';
    if (modes.size !== 1) return null;
    const [m] = modes;
    return m === 'unknown' ? null : m!;
  }
}
