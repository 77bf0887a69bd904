import type { Layer } from '../dissect/packet.js';
import { addressText } from './addresses.js';
import { CleartextWatch } from './cleartext.js';
import { addCounts, Overflow, PER_TUNNEL } from './limits.js';
import { RoutingInfo } from './routing.js';
import { SequenceTracker } from './sequence.js';

/** GRE's kinds, then the other encapsulations the audit lists: VXLAN and Geneve (by VNI), IP in IP, L2TPv3 (by session ID). */
export type TunnelKind = 'gre' | 'gretap' | 'erspan' | 'pptp' | 'gre-udp' | 'vxlan' | 'geneve' | 'ipip' | 'l2tpv3';
/**
 * What a tunnel is for, which decides what its findings mean:
 * `point-to-point` (a site-to-site GRE pair), `multipoint` (mGRE/DMVPN: NHRP
 * inside), `mirror` (ERSPAN: copies of traffic sent to a collector),
 * `redirect` (WCCP: web traffic sent to a cache), `multicast-distribution`
 * (GRE to a multicast group: draft-rosen MDT, OTV), `remote-access` (PPTP),
 * `overlay` (VXLAN, Geneve: tenant frames between VTEPs).
 */
export type TunnelRole = 'point-to-point' | 'multipoint' | 'mirror' | 'redirect' | 'multicast-distribution' | 'remote-access' | 'overlay';

/** A GRE key or PPTP call ID as every output writes it: hex with 0x, as text lines do (JSON keeps numbers). */
export function keyText(kind: TunnelKind, key: number | null): string {
  if (key === null) return '';
  if (kind === 'vxlan' || kind === 'geneve') return ` vni ${key}`;
  if (kind === 'l2tpv3') return ` session 0x${key.toString(16)}`;
  return kind === 'pptp' ? ` call ${key}` : ` key 0x${key.toString(16)}`;
}

/** A reply to a probe later than this is not its reply (Cisco's keepalive period is 10 s by default). */
const KEEPALIVE_REPLY_WINDOW = 5;

/**
 * Cisco-style GRE keepalives of one sender: it sends a GRE packet whose
 * inner packet is a GRE header addressed back to itself; the far end
 * decapsulates it and routes that inner packet back (the reply). The period
 * is measured between this sender's own probes.
 */
export class KeepaliveSender {
  probes = 0;
  first = 0;
  last = 0;
  /** The last probe not yet answered, or -1. */
  pending = -1;
  answered = 0;
  rttSum = 0;
  /** Replies to probes of this sender that were not captured. */
  unmatched = 0;
  /** The first reply of this part of the capture, when it came before any probe (matched across a seam by absorb). */
  leadReply = -1;

  probe(ts: number): void {
    if (this.probes++ === 0) this.first = ts;
    this.last = ts;
    this.pending = ts;
  }

  reply(ts: number): void {
    if (this.pending >= 0 && ts >= this.pending && ts - this.pending <= KEEPALIVE_REPLY_WINDOW) {
      this.answered++;
      this.rttSum += ts - this.pending;
      this.pending = -1;
      return;
    }
    this.unmatched++;
    if (this.probes === 0 && this.leadReply < 0) this.leadReply = ts;
  }

  get intervalSec(): number | null {
    return this.probes > 1 ? (this.last - this.first) / (this.probes - 1) : null;
  }

  absorb(later: KeepaliveSender): void {
    if (this.pending >= 0 && later.leadReply >= 0 && later.leadReply - this.pending <= KEEPALIVE_REPLY_WINDOW) {
      this.answered++;
      this.rttSum += later.leadReply - this.pending;
      this.unmatched--;
      this.pending = -1;
    }
    if (this.probes === 0 && this.leadReply < 0) this.leadReply = later.leadReply;
    if (later.probes > 0) {
      if (this.probes === 0) this.first = later.first;
      this.last = later.last;
      this.pending = later.pending;
    }
    this.probes += later.probes;
    this.answered += later.answered;
    this.rttSum += later.rttSum;
    this.unmatched += later.unmatched;
  }
}
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
const EMPTY_MAP: ReadonlyMap<never, never> = new Map<never, never>();
const EMPTY_SET: ReadonlySet<never> = new Set<never>();
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
  /** See `multicast`. */
  private multicastGroups: Map<number | string, MulticastGroup> | null = null;
  readonly protections = new Set<Protection>();
  private vlans: Set<number> | null = null;
  private nesting: Set<number> | null = null;
  /** Made when the tunnel first carries routing or watched ports: most tunnels never do, and a flood of new tunnels should not make them. */
  private routingInfo: RoutingInfo | null = null;
  private cleartextWatch: CleartextWatch | null = null;
  private malformedCounts: Map<string, number> | null = null;
  checksumErrors = 0;
  /** Keepalive-shaped packets (probes and replies). */
  keepalives = 0;
  /** Keepalives by sender: [endpoints[0], endpoints[1]]. */
  readonly keepaliveSenders = [new KeepaliveSender(), new KeepaliveSender()] as const;
  /** Sent to a multicast group (the outer destination): a distribution tree, not a pair. */
  outerMulticast = false;
  /** Read through AH (signed, not encrypted) rather than out of ESP. */
  insideAh = false;
  /** The inner IPv4 address pair carried (a hash), and whether more than one was (-2): tells keys used for entropy. */
  innerFlow = -1;
  /** Set on a tunnel that stands for several GRE keys used for entropy (see TunnelTable.reportTunnels). */
  entropy: { lowBits: number; keys: number[] } | null = null;
  /** Part of a DMVPN cloud, as the NHRP it carries says (set from dmvpnReport by TunnelTable.markMultipoint). */
  multipoint = false;
  /** IP in IP: which versions inside which (4in4, 6in4, 4in6, 6in6). */
  readonly ipVersions = new Set<string>();
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

  /**
   * By destination: an IPv4 address as a number, an IPv6 one as text. This
   * and the collections below are made when first written (most tunnels of
   * a flood never need them); until then they read as empty.
   */
  get multicast(): ReadonlyMap<number | string, MulticastGroup> {
    return this.multicastGroups ?? EMPTY_MAP;
  }

  /** VLAN IDs of the outer frames. */
  get outerVlans(): ReadonlySet<number> {
    return this.vlans ?? EMPTY_SET;
  }

  addOuterVlan(vlan: number): void {
    (this.vlans ??= new Set()).add(vlan);
  }

  /** Ids of the tunnels this one was seen inside. */
  get nestedIn(): ReadonlySet<number> {
    return this.nesting ?? EMPTY_SET;
  }

  addNestedIn(id: number): void {
    (this.nesting ??= new Set()).add(id);
  }

  /** Malformed packets by reason. */
  get malformed(): ReadonlyMap<string, number> {
    return this.malformedCounts ?? EMPTY_MAP;
  }

  countMalformed(reason: string): void {
    const m = (this.malformedCounts ??= new Map());
    m.set(reason, (m.get(reason) ?? 0) + 1);
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

  /** The tunnel as findings and the UI name it: `gre A <-> B key 0x2a`, `gre S -> group G` for multicast. */
  get label(): string {
    const m = this.multicastEnds;
    const ends = m ? `${m.source} -> group ${m.group}` : `${this.endpoints[0]} <-> ${this.endpoints[1]}`;
    const versions = this.ipVersions.size ? ` (${[...this.ipVersions].sort().join(', ')})` : '';
    const entropy = this.entropy ? ` (entropy in the low ${this.entropy.lowBits} bits: ${this.entropy.keys.length} keys)` : '';
    return `${this.kind} ${ends}${keyText(this.kind, this.key)}${versions}${entropy}`;
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
    const groups = (this.multicastGroups ??= new Map());
    let g = groups.get(key);
    if (!g) {
      if (!this.overflow.room(groups.size, PER_TUNNEL.multicastGroups, 'multicast groups')) return;
      g = { group: addressText(net, 'dst'), protocols: new Map(), packets: 0, lastSeen: 0 };
      groups.set(key, g);
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
    // `later` is a plain copy: its private fields are there (null when never written), its getters are not.
    for (const [key, g] of later.multicastGroups ?? []) {
      const groups = (this.multicastGroups ??= new Map());
      const mine = groups.get(key);
      if (mine) {
        mine.packets += g.packets;
        mine.lastSeen = Math.max(mine.lastSeen, g.lastSeen);
        addCounts(mine.protocols, g.protocols);
      } else if (this.overflow.room(groups.size, PER_TUNNEL.multicastGroups, 'multicast groups')) {
        groups.set(key, { ...g, protocols: new Map(g.protocols) });
      }
    }
    for (const p of later.protections) this.protections.add(p);
    for (const v of later.vlans ?? []) this.addOuterVlan(v);
    for (const id of later.nesting ?? []) this.addNestedIn(ids.get(id) ?? id);
    // `later` is a plain copy: its private fields are there, its getters are not.
    if (later.routingInfo) this.routingToWrite().absorb(later.routingInfo);
    if (later.cleartextWatch) this.cleartextToWrite().absorb(later.cleartextWatch);
    if (later.malformedCounts) addCounts((this.malformedCounts ??= new Map()), later.malformedCounts);
    this.checksumErrors += later.checksumErrors;
    this.keepalives += later.keepalives;
    this.keepaliveSenders[0].absorb(later.keepaliveSenders[0]);
    this.keepaliveSenders[1].absorb(later.keepaliveSenders[1]);
    this.outerMulticast ||= later.outerMulticast;
    this.insideAh ||= later.insideAh;
    for (const v of later.ipVersions) this.ipVersions.add(v);
    if (later.innerFlow !== -1) this.innerFlow = this.innerFlow === -1 || this.innerFlow === later.innerFlow ? later.innerFlow : -2;
    this.fragmented += later.fragmented;
    this.icmpFragNeeded += later.icmpFragNeeded;
    if (later.pathMtu > 0 && (this.pathMtu === 0 || later.pathMtu < this.pathMtu)) this.pathMtu = later.pathMtu;
    this.maxMss = Math.max(this.maxMss, later.maxMss);
    this.overhead = Math.max(this.overhead, later.overhead);
    this.pppClear += later.pppClear;
    this.pppMppe += later.pppMppe;
    this.insideEsp ||= later.insideEsp;
  }

  /** An inner IPv4 packet between these addresses (either way round). */
  noteInnerFlow(a: number, b: number): void {
    const h = (a ^ b) >>> 0;
    if (this.innerFlow === -1) this.innerFlow = h;
    else if (this.innerFlow !== h) this.innerFlow = -2;
  }

  /** A keepalive probe sent by endpoints[sender]. */
  countKeepaliveProbe(sender: 0 | 1, ts: number): void {
    this.keepalives++;
    this.keepaliveSenders[sender].probe(ts);
  }

  /** A keepalive reply travelling to endpoints[sender], whose probe it reflects. */
  countKeepaliveReply(sender: 0 | 1, ts: number): void {
    this.keepalives++;
    this.keepaliveSenders[sender].reply(ts);
  }

  /** What the tunnel is for (see TunnelRole), from its kind, its outer destination and what it carries. */
  get role(): TunnelRole {
    if (this.kind === 'erspan') return 'mirror';
    if (this.kind === 'pptp') return 'remote-access';
    const names = this.innerNames;
    if (names.includes('wccp')) return 'redirect';
    if (this.outerMulticast) return 'multicast-distribution';
    if (this.kind === 'vxlan' || this.kind === 'geneve') return 'overlay';
    if (this.multipoint || names.includes('nhrp')) return 'multipoint';
    return 'point-to-point';
  }

  /** For a multicast-distribution tunnel: the sender and the group (endpoints are sorted as text). */
  get multicastEnds(): { source: string; group: string } | null {
    if (!this.outerMulticast) return null;
    const [a, b] = this.endpoints;
    const aIsGroup = this.directions[1].packets > 0 && this.directions[0].packets === 0;
    return aIsGroup ? { source: b, group: a } : { source: a, group: b };
  }
}
