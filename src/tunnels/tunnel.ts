import type { Layer } from '../dissect/packet.js';
import { addressText } from './addresses.js';
import { CleartextWatch } from './cleartext.js';
import { addCounts, Overflow, PER_TUNNEL } from './limits.js';
import { RoutingInfo } from './routing.js';
import { SequenceTracker } from './sequence.js';

export type TunnelKind = 'gre' | 'gretap' | 'erspan' | 'pptp' | 'gre-udp';
export type Protection = 'cleartext' | 'integrity-only' | 'encrypted' | 'unknown';

/** Worst first: a tunnel seen once in clear is a cleartext tunnel. */
export const PROTECTION_ORDER: Protection[] = ['cleartext', 'integrity-only', 'unknown', 'encrypted'];

export class DirectionStats {
  packets = 0;
  bytes = 0;
  readonly seq = new SequenceTracker();
}

export interface MulticastGroup {
  group: string;
  protocols: Map<string, number>;
  packets: number;
  lastSeen: number;
}

const EMPTY_ROUTING = new RoutingInfo(new Overflow());
const EMPTY_CLEARTEXT = new CleartextWatch(new Overflow());

/** One encapsulation between two outer endpoints: (kind, unordered address pair, key or call ID). */
export class Tunnel {
  packets = 0;
  bytes = 0;
  firstSeen = Infinity;
  lastSeen = 0;
  /** [A→B, B→A], A being endpoints[0]. */
  readonly directions = [new DirectionStats(), new DirectionStats()] as const;
  /** Inner protocols and their packet counts, in the order first seen (see `inner`). */
  private readonly innerNames: string[] = [];
  private readonly innerCounts: number[] = [];
  /** By destination: an IPv4 address as a number, an IPv6 one as text. */
  readonly multicast = new Map<number | string, MulticastGroup>();
  readonly protections = new Set<Protection>();
  readonly outerVlans = new Set<number>();
  readonly nestedIn = new Set<number>();
  /** Made when the tunnel first carries routing or watched ports: most tunnels never do, and a flood of new tunnels should not make them. */
  private routingInfo: RoutingInfo | null = null;
  private cleartextWatch: CleartextWatch | null = null;
  readonly malformed = new Map<string, number>();
  readonly espSpis = new Set<number>();
  checksumErrors = 0;
  keepalives = 0;
  keepaliveFirst = 0;
  keepaliveLast = 0;
  /** Packets that arrived in outer IP fragments (counted once, when reassembled). */
  fragmented = 0;
  icmpFragNeeded = 0;
  pathMtu = 0;
  /** Largest TCP MSS announced inside, and the bytes this encapsulation adds (outer IP + GRE [+ UDP, ESP]). */
  maxMss = 0;
  overhead = 0;
  /** PPP data frames of a PPTP tunnel: in clear (IP) or MPPE-compressed/encrypted. */
  pppClear = 0;
  pppMppe = 0;
  /** Where this tunnel's packets were decrypted or read through ESP-NULL. */
  insideEsp = false;
  /** For IPv4 endpoints: both as numbers and the table's hash of the identity (-1 otherwise). */
  numA = -1;
  numB = -1;
  numHash = -1;

  constructor(
    readonly id: number,
    readonly kind: TunnelKind,
    readonly endpoints: [string, string],
    readonly key: number | null,
    private readonly overflow: Overflow,
  ) {
  }

  /** What the routing protocols said (a shared empty one, not to be written, when none was seen). */
  get routing(): RoutingInfo {
    return this.routingInfo ?? EMPTY_ROUTING;
  }

  get cleartext(): CleartextWatch {
    return this.cleartextWatch ?? EMPTY_CLEARTEXT;
  }

  /** The same, for recording. */
  routingToWrite(): RoutingInfo {
    return (this.routingInfo ??= new RoutingInfo(this.overflow));
  }

  cleartextToWrite(): CleartextWatch {
    return (this.cleartextWatch ??= new CleartextWatch(this.overflow));
  }

  /**
   * What protects the payload, the worst seen. PPTP in clear is judged by its
   * PPP data: MPPE (0x00FD after CCP) is encrypted, IP frames are readable,
   * control frames alone tell nothing.
   */
  get protection(): Protection {
    for (const p of PROTECTION_ORDER) if (this.protections.has(p)) return p;
    if (this.kind !== 'pptp') return 'unknown';
    if (this.pppClear > 0) return 'cleartext';
    return this.pppMppe > 0 ? 'encrypted' : 'unknown';
  }

  get label(): string {
    const key = this.key === null ? '' : this.kind === 'pptp' ? ` call ${this.key}` : ` key ${this.key}`;
    return `${this.kind} ${this.endpoints[0]} <-> ${this.endpoints[1]}${key}`;
  }

  /** Packets by inner protocol, in the order first seen. */
  get inner(): Map<string, number> {
    return new Map(this.innerNames.map((n, i) => [n, this.innerCounts[i]!]));
  }

  /** Called for every layer inside the tunnel: a short list searched by identity beats a Map here. */
  countInner(name: string, n = 1): void {
    const names = this.innerNames;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) {
        this.innerCounts[i]! += n;
        return;
      }
    }
    names.push(name);
    this.innerCounts.push(n);
  }

  /** A packet to the multicast destination of `net`; text is made only for a new group. */
  countMulticast(net: Layer, protocol: string, ts: number): void {
    const key = net.proto.name === 'ipv4' ? net.dv.getUint32(net.off + 16) : addressText(net, 'dst');
    let g = this.multicast.get(key);
    if (!g) {
      if (!this.overflow.room(this.multicast.size, PER_TUNNEL.multicastGroups, 'multicast groups')) return;
      g = { group: addressText(net, 'dst'), protocols: new Map(), packets: 0, lastSeen: 0 };
      this.multicast.set(key, g);
    }
    g.packets++;
    g.lastSeen = ts;
    g.protocols.set(protocol, (g.protocols.get(protocol) ?? 0) + 1);
  }

  /**
   * Takes in the same tunnel as seen in a later part of the capture (a plain
   * copy from a worker); `ids` maps that part's tunnel ids to this table's.
   */
  absorb(later: Tunnel, ids: Map<number, number>): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.firstSeen = Math.min(this.firstSeen, later.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, later.lastSeen);
    for (let d = 0; d < 2; d++) {
      const mine = this.directions[d]!;
      const theirs = later.directions[d]!;
      mine.packets += theirs.packets;
      mine.bytes += theirs.bytes;
      mine.seq.absorbLater(theirs.seq);
    }
    later.innerNames.forEach((name, i) => this.countInner(name, later.innerCounts[i]!));
    for (const [key, g] of later.multicast) {
      const mine = this.multicast.get(key);
      if (mine) {
        mine.packets += g.packets;
        mine.lastSeen = Math.max(mine.lastSeen, g.lastSeen);
        addCounts(mine.protocols, g.protocols);
      } else if (this.overflow.room(this.multicast.size, PER_TUNNEL.multicastGroups, 'multicast groups')) {
        this.multicast.set(key, { ...g, protocols: new Map(g.protocols) });
      }
    }
    for (const p of later.protections) this.protections.add(p);
    for (const v of later.outerVlans) this.outerVlans.add(v);
    for (const id of later.nestedIn) this.nestedIn.add(ids.get(id) ?? id);
    // `later` is a plain copy: its private fields are there, its getters are not.
    if (later.routingInfo) this.routingToWrite().absorb(later.routingInfo);
    if (later.cleartextWatch) this.cleartextToWrite().absorb(later.cleartextWatch);
    addCounts(this.malformed, later.malformed);
    for (const spi of later.espSpis) this.espSpis.add(spi);
    this.checksumErrors += later.checksumErrors;
    if (later.keepalives > 0) {
      if (this.keepalives === 0) this.keepaliveFirst = later.keepaliveFirst;
      this.keepaliveLast = later.keepaliveLast;
      this.keepalives += later.keepalives;
    }
    this.fragmented += later.fragmented;
    this.icmpFragNeeded += later.icmpFragNeeded;
    if (later.pathMtu > 0 && (this.pathMtu === 0 || later.pathMtu < this.pathMtu)) this.pathMtu = later.pathMtu;
    this.maxMss = Math.max(this.maxMss, later.maxMss);
    this.overhead = Math.max(this.overhead, later.overhead);
    this.pppClear += later.pppClear;
    this.pppMppe += later.pppMppe;
    this.insideEsp ||= later.insideEsp;
  }

  countKeepalive(ts: number): void {
    if (this.keepalives++ === 0) this.keepaliveFirst = ts;
    this.keepaliveLast = ts;
  }
}
