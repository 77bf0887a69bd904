import type { Layer } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { ipv4Dst } from '../dissect/ipv4.js';
import { addressText } from './addresses.js';
import { CleartextWatch } from './cleartext.js';
import { addCounts, Overflow, PER_TUNNEL } from './limits.js';
import { parseIp } from '../util/ip-text.js';
import { InnerMacs } from './mirror.js';
import { RoutingInfo } from './routing.js';
import { SequenceTracker } from './sequence.js';
import {
  compact,
  eachWithin,
  emptyObject,
  MAX_ITEMS,
  read,
  readWithin,
  StateError,
  timeState,
  withDefaults,
  type FieldCoverage,
  type Plain,
} from './state.js';

/**
 * GRE's kinds, then the other encapsulations the audit lists: VXLAN and Geneve (by VNI), IP in IP, L2TPv3 (by session
 * ID), L2TPv2 (by the tunnel and session IDs a data message carries: the receiver's, so each direction is its own).
 */
const TUNNEL_KINDS = [
  'gre',
  'gretap',
  'erspan',
  'pptp',
  'gre-udp',
  'vxlan',
  'geneve',
  'ipip',
  'l2tpv3',
  'l2tpv2',
] as const;
export type TunnelKind = (typeof TUNNEL_KINDS)[number];
/**
 * The kinds that carry PPP (PPTP, L2TPv2): in clear, what their PPP frames hold says whether the payload is readable
 * (MPPE is encrypted, IP is not, control frames alone tell nothing).
 */
export const carriesPpp = (kind: TunnelKind): boolean => kind === 'pptp' || kind === 'l2tpv2';
/**
 * What a tunnel is for, which decides what its findings mean:
 * `point-to-point` (a site-to-site GRE pair), `multipoint` (mGRE/DMVPN: NHRP
 * inside), `mirror` (ERSPAN: copies of traffic sent to a collector),
 * `redirect` (WCCP: web traffic sent to a cache), `multicast-distribution`
 * (GRE to a multicast group: draft-rosen MDT, OTV), `remote-access` (PPTP, L2TPv2),
 * `overlay` (VXLAN, Geneve: tenant frames between VTEPs).
 */
export type TunnelRole =
  | 'point-to-point'
  | 'multipoint'
  | 'mirror'
  | 'redirect'
  | 'multicast-distribution'
  | 'remote-access'
  | 'overlay';

/** An L2TPv2 tunnel's key holds its tunnel ID in the high 16 bits, its session ID in the low 16. */
export const l2tpv2TunnelId = (key: number): number => key >>> 16;
export const l2tpv2SessionId = (key: number): number => key & 0xffff;

/** A GRE key or PPTP call ID as every output writes it: hex with 0x, as text lines do (JSON keeps numbers). */
export function keyText(kind: TunnelKind, key: number | null): string {
  if (key === null) return '';
  if (kind === 'vxlan' || kind === 'geneve') return ` vni ${key}`;
  if (kind === 'l2tpv3') return ` session 0x${key.toString(16)}`;
  if (kind === 'l2tpv2') return ` tunnel ${l2tpv2TunnelId(key)} session ${l2tpv2SessionId(key)}`;
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

  static readonly fields: FieldCoverage = {
    state: ['probes', 'first', 'last', 'pending', 'answered', 'rttSum', 'unmatched', 'leadReply'],
    caches: [],
  };

  toState(): Plain {
    return compact(
      {
        probes: this.probes,
        first: this.first,
        last: this.last,
        pending: this.pending,
        answered: this.answered,
        rttSum: this.rttSum,
        unmatched: this.unmatched,
        leadReply: this.leadReply,
      },
      KEEPALIVE_DEFAULTS,
    );
  }

  static fromState(v: unknown, at: string): KeepaliveSender {
    const o = withDefaults(v, at, KEEPALIVE_DEFAULTS);
    const k = new KeepaliveSender();
    k.probes = read.int(o.probes, `${at}.probes`);
    k.first = read.time(o.first, `${at}.first`);
    k.last = read.time(o.last, `${at}.last`);
    k.pending = o.pending === -1 ? -1 : read.time(o.pending, `${at}.pending`);
    k.answered = read.int(o.answered, `${at}.answered`);
    k.rttSum = read.time(o.rttSum, `${at}.rttSum`);
    k.unmatched = read.int(o.unmatched, `${at}.unmatched`);
    k.leadReply = o.leadReply === -1 ? -1 : read.time(o.leadReply, `${at}.leadReply`);
    return k;
  }
}
const KEEPALIVE_DEFAULTS: Readonly<Record<string, Plain>> = {
  probes: 0,
  first: 0,
  last: 0,
  pending: -1,
  answered: 0,
  rttSum: 0,
  unmatched: 0,
  leadReply: -1,
};
export const PROTECTIONS = ['cleartext', 'integrity-only', 'encrypted', 'unknown'] as const;
export type Protection = (typeof PROTECTIONS)[number];

/** Worst first: a tunnel seen once in clear is a cleartext tunnel. */
/** The width of a time bucket, in seconds of capture time. */
export const BUCKET_SECONDS = 60;

/** Fields of a tunnel's state left out when they hold these (see compact). */
const TUNNEL_DEFAULTS: Readonly<Record<string, Plain>> = {
  key: null,
  packets: 0,
  bytes: 0,
  firstSeen: null,
  lastSeen: 0,
  inner: [],
  multicast: [],
  protections: [],
  outerVlans: [],
  nestedIn: [],
  routing: null,
  cleartext: null,
  malformed: [],
  checksumErrors: 0,
  keepalives: 0,
  clearPackets: 0,
  clearKeepalives: 0,
  keepaliveSenders: [{}, {}],
  outerMulticast: false,
  insideAh: false,
  innerFlow: -1,
  multipoint: false,
  ipVersions: [],
  fragmented: 0,
  icmpFragNeeded: 0,
  pathMtu: 0,
  maxMss: 0,
  overhead: 0,
  pppClear: 0,
  pppMppe: 0,
  insideEsp: false,
  buckets: [],
};
const DIRECTION_DEFAULTS: Readonly<Record<string, Plain>> = { packets: 0, bytes: 0, seq: {}, macs: null };

export const PROTECTION_ORDER: Protection[] = ['cleartext', 'integrity-only', 'unknown', 'encrypted'];

export class DirectionStats {
  packets = 0;
  bytes = 0;
  /** Made at the first sequence number: most tunnels carry none. */
  private sequence: SequenceTracker | null = null;
  /** A gretap tunnel's inner MACs this way (see mirror.ts); made at its first inner frame. */
  macs: InnerMacs | null = null;

  static readonly fields: FieldCoverage = { state: ['packets', 'bytes', 'sequence', 'macs'], caches: [] };

  /** GRE sequence numbers this way (a shared empty tracker, not to be written, when none came). */
  get seq(): SequenceTracker {
    return this.sequence ?? EMPTY_SEQUENCE;
  }

  observeSeq(seq: number): void {
    (this.sequence ??= new SequenceTracker()).observe(seq);
  }

  /** Takes in the same direction as seen in a later part of the capture. */
  absorb(later: DirectionStats): void {
    this.packets += later.packets;
    this.bytes += later.bytes;
    if (later.sequence) (this.sequence ??= new SequenceTracker()).absorbLater(later.sequence);
    if (later.macs) (this.macs ??= new InnerMacs()).absorb(later.macs);
  }

  toState(): Plain {
    return compact(
      { packets: this.packets, bytes: this.bytes, seq: this.seq.toState(), macs: this.macs?.toState() ?? null },
      DIRECTION_DEFAULTS,
    );
  }

  /** Read into `d` (a tunnel's own direction) or a new one. */
  static fromState(v: unknown, at: string, d = new DirectionStats()): DirectionStats {
    const o = withDefaults(v, at, DIRECTION_DEFAULTS);
    d.packets = read.int(o.packets, `${at}.packets`);
    d.bytes = read.int(o.bytes, `${at}.bytes`);
    // Most directions carry no sequence numbers: their `{}` is read without making a tracker.
    if (!emptyObject(o.seq, `${at}.seq`)) {
      const seq = SequenceTracker.fromState(o.seq, `${at}.seq`);
      if (seq.last >= 0 || Object.keys(seq.toState()).length > 0) d.sequence = seq;
    }
    if (o.macs !== null) d.macs = InnerMacs.fromState(o.macs, `${at}.macs`);
    return d;
  }
}

interface BucketRow {
  packets: number;
  bytes: number;
}

export interface MulticastGroup {
  group: string;
  protocols: Map<string, number>;
  packets: number;
  lastSeen: number;
}

const EMPTY_ROUTING = new RoutingInfo(new Overflow());
const EMPTY_SEQUENCE = new SequenceTracker();
const EMPTY_SENDERS: readonly [KeepaliveSender, KeepaliveSender] = [new KeepaliveSender(), new KeepaliveSender()];
const EMPTY_MAP: ReadonlyMap<never, never> = new Map<never, never>();
const EMPTY_SET: ReadonlySet<never> = new Set<never>();
const EMPTY_CLEARTEXT = new CleartextWatch(new Overflow());

/** The protections held as base-5 digits (one a protection, 1-based, in the order first seen). */
function protectionsOf(digits: number): Protection[] {
  const out: Protection[] = [];
  for (let d = digits; d > 0; d = Math.floor(d / 5)) out.unshift(PROTECTIONS[(d % 5) - 1]!);
  return out;
}

/** One encapsulation between two outer endpoints: (kind, unordered address pair, key or call ID). */
export class Tunnel {
  packets = 0;
  bytes = 0;
  firstSeen = Infinity;
  lastSeen = 0;
  /** [A→B, B→A], A being endpoints[0]. */
  readonly directions = [new DirectionStats(), new DirectionStats()] as const;
  /**
   * Inner protocols and their packet counts, in the order first seen (see `inner`): name, count, name, count (one
   * array, not two).
   */
  private readonly innerSeen: (string | number)[] = [];
  /** See `multicast`. */
  private multicastGroups: Map<number | string, MulticastGroup> | null = null;
  /** See `protections`: each a digit in base 5 (its index in PROTECTIONS + 1), the first seen the most significant. */
  private protectionDigits = 0;
  private vlans: Set<number> | null = null;
  private nesting: Set<number> | null = null;
  /**
   * Made when the tunnel first carries routing or watched ports: most tunnels never do, and a flood of new tunnels
   * should not make them.
   */
  private routingInfo: RoutingInfo | null = null;
  private cleartextWatch: CleartextWatch | null = null;
  private malformedCounts: Map<string, number> | null = null;
  checksumErrors = 0;
  /** Keepalive-shaped packets (probes and replies). */
  keepalives = 0;
  /**
   * Packets that travelled in clear (no IPsec around them), and the keepalives among them: a tunnel that is partly
   * inside ESP (keys given, its other packets decrypted) is in clear only where these say.
   */
  clearPackets = 0;
  clearKeepalives = 0;
  /** See `keepaliveSenders`. */
  private senders: [KeepaliveSender, KeepaliveSender] | null = null;
  /** Sent to a multicast group (the outer destination): a distribution tree, not a pair. */
  outerMulticast = false;
  /** Read through AH (signed, not encrypted) rather than out of ESP. */
  insideAh = false;
  /** The inner IPv4 address pair carried (a hash), and whether more than one was (-2): tells keys used for entropy. */
  innerFlow = -1;
  /** Set on a tunnel that stands for several GRE keys used for entropy (see TunnelTable.reportTunnels). */
  entropy: { lowBits: number; keys: number[] } | null = null;
  /**
   * Why a gretap tunnel carries mirrored copies (see mirror.ts), set by TunnelTable.reportTunnels; null when it does
   * not.
   */
  mirrored: string | null = null;
  /** Part of a DMVPN cloud, as the NHRP it carries says (set from dmvpnReport by TunnelTable.markMultipoint). */
  multipoint = false;
  /** See `ipVersions`. */
  private ipip: Set<string> | null = null;
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
  /**
   * See `buckets`: the first minute (-1 before any packet) and its row held
   * here, later ones in a map made at the second (a flood's tunnels see one).
   */
  private firstBucket = -1;
  private firstRow: BucketRow | null = null;
  private laterBuckets: Map<number, BucketRow> | null = null;
  private bucketNow = -1;
  private bucketRow: BucketRow | null = null;
  /** For IPv4 endpoints: both as numbers and the table's hash of the identity (-1 otherwise). */
  numA = -1;
  numB = -1;
  numHash = -1;
  /** The next tunnel of its bucket in the table's lookup by numbers. */
  nextInBucket: Tunnel | null = null;

  constructor(
    readonly id: number,
    readonly kind: TunnelKind,
    readonly endpoints: [string, string],
    readonly key: number | null,
    private readonly overflow: Overflow,
  ) {}

  /**
   * By destination: an IPv4 address as a signed 32-bit number (a small
   * integer, where the uint32 of a group above 224.0.0.0 would be a heap
   * number made on each packet), an IPv6 one as text. This
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

  /** IP in IP: which versions inside which (4in4, 6in4, 4in6, 6in6). */
  get ipVersions(): ReadonlySet<string> {
    return this.ipip ?? EMPTY_SET;
  }

  addIpVersion(v: string): void {
    (this.ipip ??= new Set()).add(v);
  }

  /** Keepalives by sender: [endpoints[0], endpoints[1]] (shared empty ones, not to be written, when none came). */
  get keepaliveSenders(): readonly [KeepaliveSender, KeepaliveSender] {
    return this.senders ?? EMPTY_SENDERS;
  }

  private sendersToWrite(): [KeepaliveSender, KeepaliveSender] {
    return (this.senders ??= [new KeepaliveSender(), new KeepaliveSender()]);
  }

  /** What protected the payload, each protection once, in the order first seen. */
  get protections(): Protection[] {
    return protectionsOf(this.protectionDigits);
  }

  hasProtection(p: Protection): boolean {
    const digit = PROTECTIONS.indexOf(p) + 1;
    for (let d = this.protectionDigits; d > 0; d = Math.floor(d / 5)) if (d % 5 === digit) return true;
    return false;
  }

  addProtection(p: Protection): void {
    if (!this.hasProtection(p)) this.protectionDigits = this.protectionDigits * 5 + PROTECTIONS.indexOf(p) + 1;
  }

  /**
   * Packets and bytes by minute of capture time (BUCKET_SECONDS), for the time tables (--tables), in the order first
   * seen.
   */
  *buckets(): Generator<[number, BucketRow]> {
    if (this.firstRow) yield [this.firstBucket, this.firstRow];
    if (this.laterBuckets) yield* this.laterBuckets;
  }

  private bucketAt(b: number): BucketRow | null {
    return b === this.firstBucket ? this.firstRow : (this.laterBuckets?.get(b) ?? null);
  }

  /** A new minute's row, if the tunnel has room for it. */
  private addBucket(b: number, row: BucketRow): BucketRow | null {
    const count = this.firstRow ? 1 + (this.laterBuckets?.size ?? 0) : 0;
    if (!this.overflow.room(count, PER_TUNNEL.timeBuckets, 'time buckets')) return null;
    if (!this.firstRow) {
      this.firstBucket = b;
      this.firstRow = row;
    } else (this.laterBuckets ??= new Map()).set(b, row);
    return row;
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
   * What protects the payload, the worst seen. PPTP and L2TPv2 in clear are
   * judged by their PPP data: MPPE (0x00FD after CCP) is encrypted, IP frames
   * are readable, control frames alone tell nothing.
   */
  get protection(): Protection {
    for (const p of PROTECTION_ORDER) if (this.hasProtection(p)) return p;
    if (!carriesPpp(this.kind)) return 'unknown';
    if (this.pppClear > 0) return 'cleartext';
    return this.pppMppe > 0 ? 'encrypted' : 'unknown';
  }

  /** The tunnel as findings and the UI name it: `gre A <-> B key 0x2a`, `gre S -> group G` for multicast. */
  get label(): string {
    const m = this.multicastEnds;
    const ends = m ? `${m.source} -> group ${m.group}` : `${this.endpoints[0]} <-> ${this.endpoints[1]}`;
    const versions = this.ipVersions.size ? ` (${[...this.ipVersions].sort().join(', ')})` : '';
    const entropy = this.entropy
      ? ` (entropy in the low ${this.entropy.lowBits} bits: ${this.entropy.keys.length} keys)`
      : '';
    return `${this.kind} ${ends}${keyText(this.kind, this.key)}${versions}${entropy}`;
  }

  /** Packets by inner protocol, in the order first seen. */
  get inner(): Map<string, number> {
    return new Map(this.innerPairs());
  }

  private innerPairs(): [string, number][] {
    const out: [string, number][] = [];
    const seen = this.innerSeen;
    for (let i = 0; i < seen.length; i += 2) out.push([seen[i] as string, seen[i + 1] as number]);
    return out;
  }

  /** One packet of `bytes` at `ts` into its minute's bucket (a tunnel keeps at most a day of them). */
  countBucket(ts: number, bytes: number): void {
    const b = Math.floor(ts / BUCKET_SECONDS);
    if (b !== this.bucketNow) {
      this.bucketNow = b;
      this.bucketRow = this.bucketAt(b) ?? this.addBucket(b, { packets: 0, bytes: 0 });
    }
    const row = this.bucketRow;
    if (row) {
      row.packets++;
      row.bytes += bytes;
    }
  }

  /** Called for every layer inside the tunnel: a short list searched by identity beats a Map here. */
  countInner(name: string, n = 1): void {
    const seen = this.innerSeen;
    for (let i = 0; i < seen.length; i += 2) {
      if (seen[i] === name) {
        seen[i + 1] = (seen[i + 1] as number) + n;
        return;
      }
    }
    seen.push(name, n);
  }

  /** A packet to the multicast destination of `net`; text is made only for a new group. */
  countMulticast(net: Layer, protocol: string, ts: number): void {
    const key = net.proto === P.ipv4 ? ipv4Dst(net) | 0 : addressText(net, 'dst');
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
    this.directions[0].absorb(later.directions[0]);
    this.directions[1].absorb(later.directions[1]);
    // A plain copy has no methods: its fields are read as they are.
    const seen = later.innerSeen;
    for (let i = 0; i < seen.length; i += 2) this.countInner(seen[i] as string, seen[i + 1] as number);
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
    for (const p of protectionsOf(later.protectionDigits)) this.addProtection(p);
    for (const v of later.vlans ?? []) this.addOuterVlan(v);
    for (const id of later.nesting ?? []) this.addNestedIn(ids.get(id) ?? id);
    // `later` is a plain copy: its private fields are there, its getters are not.
    if (later.routingInfo) this.routingToWrite().absorb(later.routingInfo);
    if (later.cleartextWatch) this.cleartextToWrite().absorb(later.cleartextWatch);
    if (later.malformedCounts) addCounts((this.malformedCounts ??= new Map()), later.malformedCounts);
    this.checksumErrors += later.checksumErrors;
    this.keepalives += later.keepalives;
    this.clearPackets += later.clearPackets;
    this.clearKeepalives += later.clearKeepalives;
    if (later.senders) {
      const senders = this.sendersToWrite();
      senders[0].absorb(later.senders[0]);
      senders[1].absorb(later.senders[1]);
    }
    this.outerMulticast ||= later.outerMulticast;
    this.insideAh ||= later.insideAh;
    for (const v of later.ipip ?? []) this.addIpVersion(v);
    if (later.innerFlow !== -1)
      this.innerFlow = this.innerFlow === -1 || this.innerFlow === later.innerFlow ? later.innerFlow : -2;
    this.fragmented += later.fragmented;
    this.icmpFragNeeded += later.icmpFragNeeded;
    if (later.pathMtu > 0 && (this.pathMtu === 0 || later.pathMtu < this.pathMtu)) this.pathMtu = later.pathMtu;
    this.maxMss = Math.max(this.maxMss, later.maxMss);
    this.overhead = Math.max(this.overhead, later.overhead);
    this.pppClear += later.pppClear;
    this.pppMppe += later.pppMppe;
    this.insideEsp ||= later.insideEsp;
    const absorbBucket = (b: number, row: BucketRow) => {
      const mine = this.bucketAt(b);
      if (mine) {
        mine.packets += row.packets;
        mine.bytes += row.bytes;
      } else this.addBucket(b, { ...row });
    };
    if (later.firstRow) absorbBucket(later.firstBucket, later.firstRow);
    for (const [b, row] of later.laterBuckets ?? []) absorbBucket(b, row);
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
    this.sendersToWrite()[sender].probe(ts);
  }

  /** A keepalive reply travelling to endpoints[sender], whose probe it reflects. */
  countKeepaliveReply(sender: 0 | 1, ts: number): void {
    this.keepalives++;
    this.sendersToWrite()[sender].reply(ts);
  }

  /** What the tunnel is for (see TunnelRole), from its kind, its outer destination and what it carries. */
  get role(): TunnelRole {
    if (this.kind === 'erspan' || this.mirrored !== null) return 'mirror';
    if (carriesPpp(this.kind)) return 'remote-access';
    const names = this.innerSeen;
    // WCCP's redirect (GRE 0x883E) when it is all the tunnel carries: other packets beside it are a tunnel's payload.
    const wccp = names.indexOf('wccp');
    if (wccp >= 0 && (names[wccp + 1] as number) >= this.packets - this.keepalives) return 'redirect';
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

  static readonly fields: FieldCoverage = {
    state: [
      'id',
      'kind',
      'endpoints',
      'key',
      'packets',
      'bytes',
      'firstSeen',
      'lastSeen',
      'directions',
      'innerSeen',
      'multicastGroups',
      'protectionDigits',
      'vlans',
      'nesting',
      'routingInfo',
      'cleartextWatch',
      'malformedCounts',
      'checksumErrors',
      'keepalives',
      'clearPackets',
      'clearKeepalives',
      'senders',
      'outerMulticast',
      'insideAh',
      'innerFlow',
      'multipoint',
      'ipip',
      'fragmented',
      'icmpFragNeeded',
      'pathMtu',
      'maxMss',
      'overhead',
      'pppClear',
      'pppMppe',
      'insideEsp',
      'firstBucket',
      'firstRow',
      'laterBuckets',
    ],
    // The table's lookup by numbers and the bucket being counted, rebuilt as packets come; the table's overflow
    // counter.
    // entropy: set on the report's merged tunnel that stands for several keys (TunnelTable.reportTunnels), never on a
    // table's own.
    // mirrored: set on the report's tunnels from all the gretap keys of one pair (TunnelTable.reportTunnels).
    caches: ['numA', 'numB', 'numHash', 'nextInBucket', 'overflow', 'bucketNow', 'bucketRow', 'entropy', 'mirrored'],
  };

  toState(): Plain {
    return compact(
      {
        id: this.id,
        kind: this.kind,
        endpoints: [...this.endpoints],
        key: this.key,
        packets: this.packets,
        bytes: this.bytes,
        firstSeen: timeState(this.firstSeen),
        lastSeen: this.lastSeen,
        directions: this.directions.map((d) => d.toState()),
        inner: this.innerPairs(),
        // IPv4 keys written unsigned, as they always were.
        multicast: [...this.multicast].map(([k, g]) => [
          typeof k === 'number' ? k >>> 0 : k,
          { group: g.group, protocols: [...g.protocols], packets: g.packets, lastSeen: g.lastSeen },
        ]),
        protections: this.protections,
        outerVlans: [...this.outerVlans],
        nestedIn: [...this.nestedIn],
        routing: this.routingInfo?.toState() ?? null,
        cleartext: this.cleartextWatch?.toState() ?? null,
        malformed: [...this.malformed],
        checksumErrors: this.checksumErrors,
        keepalives: this.keepalives,
        clearPackets: this.clearPackets,
        clearKeepalives: this.clearKeepalives,
        keepaliveSenders: this.keepaliveSenders.map((k) => k.toState()),
        outerMulticast: this.outerMulticast,
        insideAh: this.insideAh,
        innerFlow: this.innerFlow,
        multipoint: this.multipoint,
        ipVersions: [...this.ipVersions],
        fragmented: this.fragmented,
        icmpFragNeeded: this.icmpFragNeeded,
        pathMtu: this.pathMtu,
        maxMss: this.maxMss,
        overhead: this.overhead,
        pppClear: this.pppClear,
        pppMppe: this.pppMppe,
        insideEsp: this.insideEsp,
        buckets: [...this.buckets()].map(([b, row]) => [b, row.packets, row.bytes]),
      },
      TUNNEL_DEFAULTS,
    );
  }

  static fromState(v: unknown, at: string, overflow: Overflow): Tunnel {
    const o = withDefaults(v, at, TUNNEL_DEFAULTS);
    const eps: string[] = [];
    eachWithin(read.arr(o.endpoints, `${at}.endpoints`, 2), `${at}.endpoints`, (e) => eps.push(read.str(e, '', 64)));
    if (eps.length !== 2 || eps[0]! > eps[1]! || !eps.every((e) => parseIp(e) !== null))
      throw new StateError(`${at}.endpoints: expected two addresses in order`);
    const t = new Tunnel(
      read.int(o.id, `${at}.id`, 1),
      read.oneOf(o.kind, `${at}.kind`, TUNNEL_KINDS),
      [eps[0]!, eps[1]!],
      o.key === null ? null : read.u32(o.key, `${at}.key`),
      overflow,
    );
    t.packets = read.int(o.packets, `${at}.packets`);
    t.bytes = read.int(o.bytes, `${at}.bytes`);
    t.firstSeen = read.time(o.firstSeen, `${at}.firstSeen`);
    t.lastSeen = read.time(o.lastSeen, `${at}.lastSeen`);
    const dirs = read.arr(o.directions, `${at}.directions`, 2);
    if (dirs.length !== 2) throw new StateError(`${at}.directions: expected two`);
    eachWithin(dirs, `${at}.directions`, (d, i) => DirectionStats.fromState(d, '', t.directions[i]));
    // What the packets' counts and times say of each other, as observing them makes them.
    const [ab, ba] = t.directions;
    if (ab.packets + ba.packets > t.packets || ab.bytes + ba.bytes > t.bytes)
      throw new StateError(`${at}.directions: more packets or bytes than the tunnel's`);
    if (t.packets > 0 && !(t.firstSeen <= t.lastSeen)) throw new StateError(`${at}.firstSeen: later than lastSeen`);
    for (const [name, n] of read.counts(o.inner, `${at}.inner`, 256, (x, a) => read.str(x, a, 32)))
      t.countInner(name, n);
    eachWithin(read.arr(o.multicast, `${at}.multicast`, PER_TUNNEL.multicastGroups), `${at}.multicast`, (x) => {
      const pair = read.arr(x, '', 2);
      const key = typeof pair[0] === 'number' ? read.u32(pair[0], '[0]') | 0 : read.str(pair[0], '[0]', 64);
      const groups = (t.multicastGroups ??= new Map());
      if (groups.has(key)) throw new StateError(': group given twice');
      const g = read.obj(pair[1], '[1]');
      groups.set(key, {
        group: read.str(g.group, '[1].group', 64),
        protocols: read.counts(g.protocols, '[1].protocols', 1024, (y, b) => read.str(y, b, 64)),
        packets: read.int(g.packets, '[1].packets'),
        lastSeen: read.time(g.lastSeen, '[1].lastSeen'),
      });
    });
    for (const p of read.set(o.protections, `${at}.protections`, 4, (x, a) => read.oneOf(x, a, PROTECTIONS)))
      t.addProtection(p);
    for (const x of read.set(o.outerVlans, `${at}.outerVlans`, 4096, (y, a) => read.int(y, a, 0, 4095)))
      (t.vlans ??= new Set()).add(x);
    for (const x of read.set(o.nestedIn, `${at}.nestedIn`, MAX_ITEMS, (y, a) => read.int(y, a, 1)))
      (t.nesting ??= new Set()).add(x);
    if (o.routing !== null)
      t.routingInfo = readWithin(`${at}.routing`, () => RoutingInfo.fromState(o.routing, overflow));
    if (o.cleartext !== null)
      t.cleartextWatch = readWithin(`${at}.cleartext`, () => CleartextWatch.fromState(o.cleartext, overflow));
    for (const [k, n] of read.counts(o.malformed, `${at}.malformed`, 256, (x, a) => read.str(x, a, 64)))
      (t.malformedCounts ??= new Map()).set(k, n);
    t.checksumErrors = read.int(o.checksumErrors, `${at}.checksumErrors`);
    t.keepalives = read.int(o.keepalives, `${at}.keepalives`);
    t.clearPackets = read.int(o.clearPackets, `${at}.clearPackets`, 0, t.packets);
    t.clearKeepalives = read.int(o.clearKeepalives, `${at}.clearKeepalives`, 0, Math.min(t.keepalives, t.clearPackets));
    const senders = read.arr(o.keepaliveSenders, `${at}.keepaliveSenders`, 2);
    if (senders.length !== 2) throw new StateError(`${at}.keepaliveSenders: expected two`);
    // Most tunnels carry no keepalives: their `[{}, {}]` is read without making senders.
    if (
      !emptyObject(senders[0], `${at}.keepaliveSenders[0]`) ||
      !emptyObject(senders[1], `${at}.keepaliveSenders[1]`)
    ) {
      const read2: KeepaliveSender[] = [];
      eachWithin(senders, `${at}.keepaliveSenders`, (x) => read2.push(KeepaliveSender.fromState(x, '')));
      if (read2.some((k) => Object.keys(k.toState() as object).length > 0)) t.senders = [read2[0]!, read2[1]!];
    }
    t.outerMulticast = read.bool(o.outerMulticast, `${at}.outerMulticast`);
    t.insideAh = read.bool(o.insideAh, `${at}.insideAh`);
    t.innerFlow = o.innerFlow === -1 || o.innerFlow === -2 ? o.innerFlow : read.u32(o.innerFlow, `${at}.innerFlow`);
    t.multipoint = read.bool(o.multipoint, `${at}.multipoint`);
    for (const x of read.set(o.ipVersions, `${at}.ipVersions`, 4, (y, a) =>
      read.oneOf(y, a, ['4in4', '6in4', '4in6', '6in6'] as const),
    ))
      t.addIpVersion(x);
    t.fragmented = read.int(o.fragmented, `${at}.fragmented`);
    t.icmpFragNeeded = read.int(o.icmpFragNeeded, `${at}.icmpFragNeeded`);
    t.pathMtu = read.u32(o.pathMtu, `${at}.pathMtu`);
    t.maxMss = read.int(o.maxMss, `${at}.maxMss`, 0, 0xffff);
    t.overhead = read.int(o.overhead, `${at}.overhead`, 0, 0xffff);
    t.pppClear = read.int(o.pppClear, `${at}.pppClear`);
    t.pppMppe = read.int(o.pppMppe, `${at}.pppMppe`);
    t.insideEsp = read.bool(o.insideEsp, `${at}.insideEsp`);
    eachWithin(read.arr(o.buckets, `${at}.buckets`, PER_TUNNEL.timeBuckets), `${at}.buckets`, (x) => {
      const row = read.arr(x, '', 3);
      const b = read.int(row[0], '[0]', 0, 2 ** 40);
      if (t.bucketAt(b)) throw new StateError(': given twice');
      t.addBucket(b, { packets: read.int(row[1], '[1]'), bytes: read.int(row[2], '[2]') });
    });
    return t;
  }
}
