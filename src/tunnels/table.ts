import { espDecrypted, espNullEncrypted, espOpened, espSeq, espSpi, espUnopened } from '../dissect/esp.js';
import {
  greCallId,
  greChecksumBad,
  greEnhanced,
  greKey,
  grePayload,
  greProtocolType,
  greSeq,
  greVersion,
} from '../dissect/gre.js';
import { icmpNextHopMtu, icmpv6PacketTooBigMtu } from '../dissect/icmp.js';
import { ipv4Addresses, ipv4Dst, ipv4Reassembled, ipv4Src } from '../dissect/ipv4.js';
import { labelKey, type Layer, type PacketCtx, type Protocol } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { pppReadable, pppCompressed } from '../dissect/ppp.js';
import { ahSeq, ahSpi } from '../dissect/ah.js';
import { vlanId } from '../dissect/vlan.js';
import { vxlanVni } from '../dissect/vxlan.js';
import { geneveVni } from '../dissect/geneve.js';
import { tcpDstPort, tcpMss, tcpSrcPort, tcpSyn } from '../dissect/tcp.js';
import { udpDstPort, udpSrcPort } from '../dissect/udp.js';
import { addressText, isMulticastDestination } from './addresses.js';
import { watched } from './cleartext.js';
import { EspPeers, EspSa, INNER_GRE, INNER_IPV4, INNER_IPV6, INNER_OPAQUE_ESP, INNER_OTHER } from './esp-table.js';
import { ospfAreaText, ospfRouterIdText, ospfVersion } from '../dissect/ospf.js';
import { BGP_PORT, bgpFollows } from '../dissect/bgp.js';
import { BFD_PORTS } from '../dissect/bfd.js';
import { LDP_PORT } from '../dissect/ldp.js';
import { l2tpSessionId, l2tpV2Ids } from '../dissect/l2tpv3.js';
import { FlowCache, mergeDmvpn, newDmvpnState, observeFlow, observeNhrp } from './dmvpn.js';
import { observeIke } from './ike.js';
import { ikeExchangeType, ikeMajorVersion, ikeMessage } from '../dissect/isakmp.js';
import { DEFAULT_LIMITS, Overflow, PER_TUNNEL, addCounts, evictIdle, type TableLimits } from './limits.js';
import { keyedHash4 } from './keyed-hash.js';
import { PeerPairs } from './peer-pair.js';
import { InnerMacs, mirrorEvidence } from './mirror.js';
import { dmvpnFromState, dmvpnToState } from './dmvpn-state.js';
import { eachWithin, MAX_ITEMS, read, StateError, timeState, type FieldCoverage, type Plain } from './state.js';
import { carriesPpp, Tunnel, type Protection, type TunnelKind } from './tunnel.js';

const GDOI_PORT = 848;
const RECENT_BITS = 8;
const RECENT_SLOTS = 1 << RECENT_BITS;

/** A slot of TunnelTable.recent: the same for both directions of a tunnel (a symmetric mix of its addresses). */
function recentSlot(a: number, b: number, key: number): number {
  return (
    Math.imul((a ^ b) + Math.imul(a & b, 0x85ebca6b) + Math.imul(key, 0xc2b2ae35), 0x9e3779b1) >>> (32 - RECENT_BITS)
  );
}

/** UDP ports of the usual link-local multicast chatter, by name. */
const MULTICAST_UDP: Record<number, string> = {
  5353: 'mDNS',
  5355: 'LLMNR',
  1900: 'SSDP',
  137: 'NetBIOS',
  138: 'NetBIOS',
  123: 'NTP',
  547: 'DHCPv6',
};

/** A tunnel's name in `tunnels`, made by join: one flat string, where a template literal keeps a tree of pieces. */
function tunnelId(kind: TunnelKind, lo: string, hi: string, key: number): string {
  return [kind, lo, hi, key].join('|');
}

/**
 * A tunnel's overhead on a packet: the bytes from the outer IP header to the inner IP header, so that an inner
 * Ethernet, VLAN, 802.11, ERSPAN, MPLS or PPP header counts. Without an inner IP header in the same buffer (an inner
 * ARP, a keepalive, a decrypted payload), the outer headers up to the end of the tunnel's own (layer i) and an inner
 * Ethernet header.
 */
function tunnelOverhead(ctx: PacketCtx, i: number, outer: Layer): number {
  const l = ctx.layers[i]!;
  if (l.proto.network) return l.off - outer.off; // IP in IP: the inner header is layer i itself
  for (let j = i + 1; j < ctx.count; j++) {
    const x = ctx.layers[j]!;
    if (!x.proto.network) continue;
    if (x.buf === outer.buf && x.off > outer.off) return x.off - outer.off;
    break;
  }
  const next = i + 1 < ctx.count ? ctx.layers[i + 1]! : null;
  return l.hdrEnd - outer.off + (next?.proto === P.ethernet ? 14 : 0);
}

/** Labels by protocol and the header's first 16 bits (version and message type), made once each. */
const labels = new Map<Protocol, Map<number, string>>();
const LABELS_PER_PROTOCOL = 1024;

/**
 * What a multicast packet is, in a word or two: the message, not just the
 * protocol ("OSPFv2 Hello", "RIPv2 Response", "PIMv2 Hello", "mDNS"). The
 * first two words of the protocol's label, as the audit's JSON has always
 * named groups; a protocol that carries others and has no message of its own
 * (GRE, ESP, VXLAN: a packet cut short inside it) by its name.
 */
function groupLabel(l: Layer): string {
  // A packet that ends at an addressing layer is named by it: its summary holds addresses, not a message.
  if (l.proto.network || l.proto === P.ethernet || l.proto === P.vlan || l.proto === P.ieee8021ad) return l.proto.name;
  const udp = l.proto === P.udp;
  const code = udp ? udpDstPort(l) : labelKey(l);
  let byCode = labels.get(l.proto);
  if (!byCode) labels.set(l.proto, (byCode = new Map()));
  let label = byCode.get(code);
  if (label === undefined) {
    label = udp
      ? (MULTICAST_UDP[code] ?? `UDP ${code}`)
      : (l.proto.label?.(l) ?? '').split(' ').slice(0, 2).join(' ') || l.proto.name;
    if (byCode.size < LABELS_PER_PROTOCOL) byCode.set(code, label);
  }
  return label;
}

/**
 * Watches dissected packets and keeps the tunnels, the ESP peers and what
 * crosses them. Fed by every mode (file, live, audit); knows nothing of
 * output. Its memory follows the number of tunnels and peers, not packets.
 */
export class TunnelTable {
  readonly tunnels = new Map<string, Tunnel>();
  readonly esp = new Map<string, EspPeers>();
  packets = 0;
  bytes = 0;
  malformed = 0;
  readonly malformedReasons = new Map<string, number>();
  firstSeen = Infinity;
  lastSeen = 0;
  /**
   * Times of the first and the last packet in reading order (-1 before any): how partials are put in order. While a
   * packet is observed, endTs is its time, which the methods below read rather than take as an argument: a double
   * passed to a call that is not inlined is boxed, a heap number on each call of each packet (most of the audit's
   * garbage).
   */
  startTs = -1;
  endTs = -1;
  readonly overflow = new Overflow();
  /** NHRP messages and inner flows, for the DMVPN view (plain data: see dmvpn.ts). */
  readonly dmvpn = newDmvpnState();
  private readonly flowCache = new FlowCache();
  private nextId = 1;
  /** IPsec peer pairs, found by their addresses (as numbers for IPv4). */
  private readonly peerPairs = new PeerPairs<EspPeers>();
  /**
   * IPv4 tunnels by a keyed hash of their identity, for lookups without
   * strings: an array indexed by the hash's low bits (cheaper than a Map's
   * lookup), each slot the first of its bucket, the others chained by
   * `nextInBucket` (no array a tunnel). Its length is a power of two,
   * doubled when the tunnels chained outnumber it.
   */
  private buckets: (Tunnel | null)[] = new Array<Tunnel | null>(64).fill(null);
  private chained = 0;
  /**
   * Tunnels lately found, in slots picked by an unkeyed mix of their numbers: a packet found here skips the keyed hash
   * (its one dear part). Only a cache: a capture made to miss it costs one slot's check more than the hash alone.
   */
  private readonly recent: (Tunnel | null)[] = new Array<Tunnel | null>(RECENT_SLOTS).fill(null);
  /** Set by lookup(): 0 when the packet went from endpoints[0], 1 otherwise. */
  private direction: 0 | 1 = 0;

  /** Told of each tunnel evicted, so that what others keep for it (the UI's packets) goes too. */
  onEvict: ((t: Tunnel) => void) | null = null;

  /** Tunnels the last packet observed was inside, outermost first (reused from packet to packet). */
  readonly active: Tunnel[] = [];
  /** The IPsec peer pairs whose ESP, AH or IKE packets the last packet observed counted (outermost first). */
  readonly activePeers: EspPeers[] = [];

  constructor(private readonly limits: TableLimits = DEFAULT_LIMITS) {}

  observe(ctx: PacketCtx): void {
    const ts = ctx.tsSec + ctx.tsNsec / 1e9;
    if (this.packets++ === 0) this.startTs = ts;
    this.endTs = ts;
    this.bytes += ctx.len;
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
    const malformedId = this.countMalformed(ctx);

    const active = this.active;
    // Emptied by pops: a length write goes through the runtime, on every packet.
    while (active.length > 0) active.pop();
    while (this.activePeers.length > 0) this.activePeers.pop();
    let protection: Protection = 'cleartext';
    /** The last IPsec layer read through: AH, or ESP that was opened. */
    let viaAh = false;
    let net = -1;
    let outerVlan = -1;
    let icmpMtu = 0;
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      const name = l.proto.name;
      if (l.quoted) {
        if (l.proto === P.gre && icmpMtu > 0) this.quotedGre(ctx, i, icmpMtu);
        continue;
      }
      // A segment's second BGP message is not a packet more.
      if (l.proto !== P.bgp || !bgpFollows(l)) for (let t = 0; t < active.length; t++) active[t]!.countInner(name);
      // A gretap tunnel's inner frame, in the direction its GRE header was read (what tells a mirror: see mirror.ts).
      if (l.proto === P.ethernet && active.length > 0 && ctx.layers[i - 1]!.proto === P.gre) {
        const t = active[active.length - 1]!;
        if (t.kind === 'gretap') (t.directions[this.direction].macs ??= new InnerMacs()).note(l);
      }
      switch (l.proto) {
        case P.vlan:
        case P.ieee8021ad:
          if (net < 0) outerVlan = vlanId(l);
          break;
        case P.ipv4:
        case P.ipv6:
          // IP right inside IP (4in4, 6in4 and 6rd/ISATAP, 4in6, 6in6): a tunnel of its own.
          if (net >= 0 && net === i - 1 && ctx.layers[net]!.hdrEnd > ctx.layers[net]!.off)
            this.encapsulation(ctx, i, net, 'ipip', -1, protection, outerVlan, viaAh);
          if (active.length > 0 && l.proto === P.ipv4 && ipv4Addresses(l))
            active[active.length - 1]!.noteInnerFlow(ipv4Src(l), ipv4Dst(l));
          // IPv4 in IPv4 GRE: the leg its flow took (a spoke-to-spoke flow through a DMVPN hub takes two).
          if (
            l.proto === P.ipv4 &&
            active.length > 0 &&
            ctx.layers[i - 1]!.proto === P.gre &&
            ctx.layers[net]!.proto === P.ipv4
          ) {
            const t = active[active.length - 1]!;
            if (t.kind === 'gre') observeFlow(this.dmvpn, this.flowCache, ctx.layers[net]!, t.key ?? -1, l, ts);
          }
          if (active.length > 0 && isMulticastDestination(l)) {
            const carried = groupLabel(ctx.layers[ctx.count - 1]!);
            for (const t of active) t.countMulticast(l, carried, ts);
          }
          net = i;
          break;
        case P.gre:
          if (net >= 0) this.gre(ctx, i, net, protection, outerVlan, malformedId, viaAh);
          break;
        case P.l2tpIp:
        case P.l2tpUdp: {
          // A data session: L2TPv3's by its session ID, L2TPv2's by its tunnel and session IDs (control messages are
          // not tunnels of their own here).
          if (net < 0) break;
          const v3 = l2tpSessionId(l);
          const v2 = v3 >= 0 ? -1 : l2tpV2Ids(l);
          if (v3 >= 0) this.encapsulation(ctx, i, net, 'l2tpv3', v3, protection, outerVlan, viaAh);
          else if (v2 >= 0) this.encapsulation(ctx, i, net, 'l2tpv2', v2, protection, outerVlan, viaAh);
          break;
        }
        case P.vxlan:
        case P.vxlanGpe:
        case P.geneve: {
          const vni = l.proto === P.geneve ? geneveVni(l) : vxlanVni(l);
          if (net >= 0 && vni >= 0)
            this.encapsulation(
              ctx,
              i,
              net,
              l.proto === P.geneve ? 'geneve' : 'vxlan',
              vni,
              protection,
              outerVlan,
              viaAh,
            );
          break;
        }
        case P.esp:
          if (net >= 0) this.espLayer(ctx, i, net);
          // What ESP leaves readable is what protects the tunnels found inside it.
          if (espNullEncrypted(l)) protection = 'integrity-only';
          else if (espDecrypted(l)) protection = 'encrypted';
          if (espOpened(l)) viaAh = false;
          break;
        case P.ah:
          if (net >= 0) this.ahLayer(ctx, i, net);
          if (protection === 'cleartext') protection = 'integrity-only';
          viaAh = true;
          break;
        case P.nhrp:
          if (net >= 0) observeNhrp(this.dmvpn, ctx, i, net, protection, ts, this.overflow);
          break;
        case P.isakmp:
          if (net >= 0) this.ike(l, ctx.layers[net]!);
          break;
        case P.icmp:
          icmpMtu = icmpNextHopMtu(l);
          break;
        case P.udp:
          // GDOI (RFC 6407) hands out group keys: the ESP SAs it keys are shared by every group member.
          if (net >= 0 && (udpSrcPort(l) === GDOI_PORT || udpDstPort(l) === GDOI_PORT)) this.gdoi(ctx.layers[net]!);
          if (active.length > 0 && net >= 0) this.innerPayload(l, ctx.layers[net]!, protection);
          break;
        case P.icmpv6: {
          const mtu = icmpv6PacketTooBigMtu(l);
          if (mtu >= 0) icmpMtu = mtu;
          break;
        }
        default:
          if (active.length > 0 && net >= 0) this.innerPayload(l, ctx.layers[net]!, protection);
      }
    }
  }

  /**
   * Takes in a table that watched a later part of the same capture (or the
   * next file), sent by a worker thread as a plain copy: counts add up,
   * sequence numbers continue across the seam, tunnels new to this table are
   * numbered after its own, in the order the later part met them. A table
   * that absorbed others is for reporting; it does not observe packets.
   */
  absorb(later: TunnelTable): void {
    if (later.packets > 0) {
      if (this.packets === 0) this.startTs = later.startTs;
      this.endTs = later.endTs;
    }
    this.packets += later.packets;
    this.bytes += later.bytes;
    this.malformed += later.malformed;
    addCounts(this.malformedReasons, later.malformedReasons);
    this.firstSeen = Math.min(this.firstSeen, later.firstSeen);
    this.lastSeen = Math.max(this.lastSeen, later.lastSeen);
    this.overflow.absorb(later.overflow);
    mergeDmvpn(this.dmvpn, later.dmvpn, this.overflow);
    const ids = new Map<number, number>();
    // Ids first, in order, so that nesting within the later part maps to this table's tunnels.
    for (const [key, t] of later.tunnels) ids.set(t.id, this.tunnels.get(key)?.id ?? this.nextId++);
    for (const [key, t] of later.tunnels) {
      let mine = this.tunnels.get(key);
      if (!mine) {
        if (this.tunnels.size >= this.limits.maxTunnels) {
          evictIdle(this.tunnels, this.overflow, 'tunnels evicted', (e) => this.forget(e));
        }
        mine = new Tunnel(ids.get(t.id)!, t.kind, t.endpoints, t.key, this.overflow);
        this.tunnels.set(key, mine);
      }
      mine.absorb(t, ids);
    }
    for (const [key, p] of later.esp) {
      let mine = this.esp.get(key);
      if (!mine) {
        if (this.esp.size >= this.limits.maxPeers) evictIdle(this.esp, this.overflow, 'IPsec peers evicted');
        this.esp.set(key, (mine = new EspPeers(p.endpoints)));
      }
      mine.absorb(p, this.overflow);
    }
  }

  private countMalformed(ctx: PacketCtx): string | null {
    let id: string | null = null;
    for (let w = 0; w < ctx.warnCount; w++) {
      const warning = ctx.warnings[w]!;
      if (warning.limit) this.overflow.add(warning.id);
      if (!warning.malformed) continue;
      if (id === null) this.malformed++;
      id = warning.id;
      this.malformedReasons.set(id, (this.malformedReasons.get(id) ?? 0) + 1);
    }
    return id;
  }

  /**
   * The tunnel a GRE layer (at i, carried by the network layer at net)
   * belongs to; sets `direction`. IPv4 tunnels are found by numbers alone,
   * so the usual packet makes no string; text is made when a tunnel is new.
   */
  private lookup(ctx: PacketCtx, i: number, net: number): Tunnel {
    const l = ctx.layers[i]!;
    const outer = ctx.layers[net]!;
    let kind: TunnelKind;
    let key: number;
    // PPTP's: version 1 carrying PPP. A PPP header of version 2 to 7 (read as the enhanced header, flagged) is GRE's.
    if (greEnhanced(l) && greVersion(l) === 1) {
      kind = 'pptp';
      key = greCallId(l);
    } else {
      // What the protocol type makes, as the dispatch table says (a packet cut after GRE has no next layer to ask).
      if (ctx.layers[i - 1]?.proto === P.udp) kind = 'gre-udp';
      else kind = grePayload(l)?.tunnel ?? 'gre';
      key = greKey(l);
    }
    if (outer.proto !== P.ipv4) {
      const src = addressText(outer, 'src');
      const t = this.tunnelFor(kind, src, addressText(outer, 'dst'), key);
      this.direction = src === t.endpoints[0] ? 0 : 1;
      return t;
    }
    // Signed, so that a tunnel's numbers stay small integers (a uint32 above 2^31 would be boxed in each tunnel).
    const src = ipv4Src(outer) | 0;
    const dst = ipv4Dst(outer) | 0;
    const slot = recentSlot(src, dst, key);
    const seen = this.recent[slot]!;
    if (seen !== null && this.isTunnel(seen, kind, key, src, dst)) return seen;
    // Lower address first (unsigned), so both directions hash alike. PPTP's call ids are parted from GRE keys; kinds of
    // GRE with the same key share a bucket (kinds are few: no capture can make a long chain of them). Only PPTP or not
    // is hashed, not the version: a malformed version 2 to 7 is kind GRE, and one tunnel must have one hash.
    const pptp = kind === 'pptp' ? 1 : 0;
    const hash = src >>> 0 < dst >>> 0 ? keyedHash4(src, dst, key, pptp) : keyedHash4(dst, src, key, pptp);
    const buckets = this.buckets;
    for (let t: Tunnel | null = buckets[hash & (buckets.length - 1)]!; t !== null; t = t.nextInBucket) {
      if (!this.isTunnel(t, kind, key, src, dst)) continue;
      this.recent[slot] = t;
      return t;
    }
    const srcText = addressText(outer, 'src');
    const t = this.tunnelFor(kind, srcText, addressText(outer, 'dst'), key);
    // Chained once, when new: a second link would make its bucket loop (a tunnel's hash must never change, and if it
    // did, the tunnel is found by name here and its first bucket kept).
    if (t.numHash < 0) {
      // endpoints[0] is the lower address as text: whichever of the packet's it is.
      t.numA = t.endpoints[0] === srcText ? src : dst;
      t.numB = t.numA === src ? dst : src;
      t.numHash = hash;
      this.chain(t);
    }
    this.recent[slot] = t;
    this.direction = t.numA === src ? 0 : 1;
    return t;
  }

  /** Whether t is the tunnel of this kind and key between src and dst (IPv4, as numbers); if so, sets `direction`. */
  private isTunnel(t: Tunnel, kind: TunnelKind, key: number, src: number, dst: number): boolean {
    if (t.kind !== kind || (t.key ?? -1) !== key) return false;
    if (t.numA === src && t.numB === dst) this.direction = 0;
    else if (t.numA === dst && t.numB === src) this.direction = 1;
    else return false;
    return true;
  }

  /** Puts a tunnel first in its bucket, doubling the buckets when they are outnumbered. */
  private chain(t: Tunnel): void {
    if (++this.chained > this.buckets.length) {
      const old = this.buckets;
      this.buckets = new Array<Tunnel | null>(old.length * 2).fill(null);
      for (let first of old) {
        while (first !== null) {
          const next = first.nextInBucket;
          this.link(first);
          first = next;
        }
      }
    }
    this.link(t);
  }

  private link(t: Tunnel): void {
    const slot = t.numHash & (this.buckets.length - 1);
    t.nextInBucket = this.buckets[slot]!;
    this.buckets[slot] = t;
  }

  /** What an evicted tunnel leaves: its packets counted, others told, and no bucket or cache holding it. */
  private forget(e: Tunnel): void {
    this.overflow.add('packets of evicted tunnels', e.packets);
    this.onEvict?.(e);
    this.unchain(e);
  }

  /** Takes an evicted tunnel out of its bucket's chain (one never chained has nothing to take out). */
  private unchain(e: Tunnel): void {
    if (e.numHash < 0) return;
    const recent = recentSlot(e.numA, e.numB, e.key ?? -1);
    if (this.recent[recent] === e) this.recent[recent] = null;
    const slot = e.numHash & (this.buckets.length - 1);
    if (this.buckets[slot] === e) {
      this.buckets[slot] = e.nextInBucket;
    } else {
      for (let t: Tunnel | null = this.buckets[slot]!; t !== null; t = t.nextInBucket) {
        if (t.nextInBucket !== e) continue;
        t.nextInBucket = e.nextInBucket;
        break;
      }
    }
    e.nextInBucket = null;
    e.numHash = -1;
    this.chained--;
  }

  private tunnelFor(kind: TunnelKind, a: string, b: string, key: number): Tunnel {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const id = tunnelId(kind, lo, hi, key);
    let t = this.tunnels.get(id);
    if (!t) {
      if (this.tunnels.size >= this.limits.maxTunnels) {
        evictIdle(this.tunnels, this.overflow, 'tunnels evicted', (e) => this.forget(e));
      }
      t = new Tunnel(this.nextId++, kind, [lo, hi], key < 0 ? null : key, this.overflow);
      this.tunnels.set(id, t);
    }
    return t;
  }

  private gre(
    ctx: PacketCtx,
    i: number,
    net: number,
    protection: Protection,
    outerVlan: number,
    malformedId: string | null,
    viaAh: boolean,
  ): void {
    const ts = this.endTs;
    const l = ctx.layers[i]!;
    const outer = ctx.layers[net]!;
    const t = this.lookup(ctx, i, net);
    const kind = t.kind;
    const emptyProtocolZero = greProtocolType(l) === 0 && l.hdrEnd >= l.end;
    // Most packets have one tunnel: no call to includes() for an empty list.
    if (this.active.length > 0 && this.active.includes(t)) {
      // GRE inside the same tunnel: a Cisco keepalive probe, not a second packet. Its inner
      // header goes back to the sender, so the sender is the far end of this inner direction.
      if (emptyProtocolZero) {
        t.countKeepaliveProbe(this.direction === 0 ? 1 : 0, ts);
        if (protection === 'cleartext') t.clearKeepalives++;
      }
      return;
    }
    const carrier = ctx.layers[net + 1]!;
    const bytes = outer.hdrEnd - outer.off + (carrier.end - carrier.off);
    const d = t.directions[this.direction];
    t.packets++;
    if (protection === 'cleartext') t.clearPackets++;
    t.bytes += bytes;
    t.countBucket(ts, bytes);
    d.packets++;
    d.bytes += bytes;
    if (ts < t.firstSeen) t.firstSeen = ts;
    if (ts > t.lastSeen) t.lastSeen = ts;
    const seq = greSeq(l);
    if (seq >= 0) d.observeSeq(seq);
    if (greChecksumBad(l)) t.checksumErrors++;
    // A bare keepalive travelling back: the reply to a probe of the endpoint it goes to.
    if (emptyProtocolZero) {
      t.countKeepaliveReply(this.direction === 0 ? 1 : 0, ts);
      if (protection === 'cleartext') t.clearKeepalives++;
    }
    if (isMulticastDestination(outer)) t.outerMulticast = true;
    if (outer.proto === P.ipv4 && ipv4Reassembled(outer)) t.fragmented++;
    if (outerVlan >= 0) t.addOuterVlan(outerVlan);
    // PPTP's protection depends on its PPP frames (MPPE or not), judged in the report.
    if (!carriesPpp(kind) || protection !== 'cleartext') t.addProtection(protection);
    if (l.fromEsp && !viaAh) t.insideEsp = true;
    if (viaAh) t.insideAh = true;
    if (malformedId !== null && ctx.warnLayer.subarray(0, ctx.warnCount).some((w) => w >= i)) {
      t.countMalformed(malformedId);
    }
    const overhead = tunnelOverhead(ctx, i, outer);
    if (overhead > t.overhead) t.overhead = overhead;
    for (const a of this.active) t.addNestedIn(a.id);
    this.active.push(t);
  }

  /** Marks the tunnels of DMVPN clouds (their ids, from dmvpnReport) as multipoint. */
  markMultipoint(cloudTunnels: Iterable<number>): void {
    const ids = new Set(cloudTunnels);
    for (const t of this.tunnels.values()) if (ids.has(t.id)) t.multipoint = true;
  }

  /**
   * The tunnels as the report and the findings see them: GRE keys used for
   * entropy (the low 8 bits varying per flow between the same endpoints) are
   * one tunnel, with the keys noted. That is NVGRE's FlowID (RFC 7637), and
   * plain GRE where at least four keys share their upper 24 bits (not all
   * zero: small keys 1, 2, 3 are separate tunnels), each carrying a single
   * inner address pair of its own and no sequence numbers.
   */
  reportTunnels(): Tunnel[] {
    const groups = new Map<string, Tunnel[]>();
    const out: Tunnel[] = [];
    for (const t of this.tunnels.values()) {
      if (t.key === null || (t.kind !== 'gre' && t.kind !== 'gretap')) {
        out.push(t);
        continue;
      }
      const id = `${t.kind}|${t.endpoints[0]}|${t.endpoints[1]}|${t.key >>> 8}`;
      const g = groups.get(id);
      if (g) g.push(t);
      else groups.set(id, [t]);
    }
    for (const g of groups.values()) {
      const first = g[0]!;
      // Sequence numbers count per key: keys that carry them are not merged.
      const noSeq = g.every((t) => t.directions.every((d) => d.seq.last < 0));
      // Entropy spreads flows over keys: each key one flow, and no two keys the same flow.
      const perFlow =
        g.length >= 4 &&
        first.key! >>> 8 !== 0 &&
        g.every((t) => t.innerFlow >= 0) &&
        new Set(g.map((t) => t.innerFlow)).size === g.length;
      if (g.length < 2 || !noSeq || (first.kind === 'gre' && !perFlow)) {
        out.push(...g);
        continue;
      }
      const merged = new Tunnel(first.id, first.kind, first.endpoints, ((first.key! >>> 8) << 8) >>> 0, this.overflow);
      for (const t of g) merged.absorb(t, new Map());
      merged.entropy = { lowBits: 8, keys: g.map((t) => t.key!).sort((a, b) => a - b) };
      out.push(merged);
    }
    // Mirrored traffic over plain gretap: judged over all the keys of a pair (a mirror may put each direction of a port
    // under its own key).
    const pairs = new Map<string, Tunnel[]>();
    for (const t of out) {
      if (t.kind !== 'gretap') continue;
      const id = `${t.endpoints[0]}|${t.endpoints[1]}`;
      const p = pairs.get(id);
      if (p) p.push(t);
      else pairs.set(id, [t]);
    }
    for (const p of pairs.values()) {
      const why = mirrorEvidence(p);
      for (const t of p) t.mirrored = why;
    }
    return out;
  }

  /**
   * A tunnel other than GRE: VXLAN and Geneve (key: the VNI) and IP in IP
   * (no key), the layer at i being its header (the inner IP header for IP in IP).
   */
  private encapsulation(
    ctx: PacketCtx,
    i: number,
    net: number,
    kind: TunnelKind,
    key: number,
    protection: Protection,
    outerVlan: number,
    viaAh: boolean,
  ): void {
    const ts = this.endTs;
    const l = ctx.layers[i]!;
    const outer = ctx.layers[net]!;
    const src = addressText(outer, 'src');
    const t = this.tunnelFor(kind, src, addressText(outer, 'dst'), key);
    if (this.active.includes(t)) return;
    this.direction = src === t.endpoints[0] ? 0 : 1;
    const bytes = outer.end - outer.off;
    const d = t.directions[this.direction];
    t.packets++;
    if (protection === 'cleartext') t.clearPackets++;
    t.bytes += bytes;
    d.packets++;
    d.bytes += bytes;
    if (ts < t.firstSeen) t.firstSeen = ts;
    if (ts > t.lastSeen) t.lastSeen = ts;
    if (isMulticastDestination(outer)) t.outerMulticast = true;
    if (outer.proto === P.ipv4 && ipv4Reassembled(outer)) t.fragmented++;
    if (outerVlan >= 0) t.addOuterVlan(outerVlan);
    // As PPTP's: L2TPv2's protection in clear depends on its PPP frames.
    if (!carriesPpp(kind) || protection !== 'cleartext') t.addProtection(protection);
    if (l.fromEsp && !viaAh) t.insideEsp = true;
    if (viaAh) t.insideAh = true;
    // Inner in outer: 6in4 is IPv6 inside IPv4.
    if (kind === 'ipip') t.addIpVersion(`${l.proto === P.ipv4 ? 4 : 6}in${outer.proto === P.ipv4 ? 4 : 6}`);
    const overhead = tunnelOverhead(ctx, i, outer);
    if (overhead > t.overhead) t.overhead = overhead;
    for (const a of this.active) t.addNestedIn(a.id);
    this.active.push(t);
  }

  /** An ICMP error quoting a tunnel packet: "fragmentation needed" tells the path MTU. */
  private quotedGre(ctx: PacketCtx, i: number, mtu: number): void {
    let net = i - 1;
    while (net >= 0 && !ctx.layers[net]!.proto.network) net--;
    if (net < 0 || !ctx.layers[net]!.quoted) return;
    const t = this.lookup(ctx, i, net);
    t.icmpFragNeeded++;
    if (t.pathMtu === 0 || mtu < t.pathMtu) t.pathMtu = mtu;
  }

  private innerPayload(l: Layer, net: Layer, protection: Protection): void {
    const innermost = this.active[this.active.length - 1]!;
    switch (l.proto) {
      case P.ospf:
        innermost.routingToWrite().observeOspf(l, innermost.endpoints);
        break;
      case P.rip:
        innermost.routingToWrite().observeRip(l, net, innermost.endpoints);
        break;
      case P.eigrp:
        innermost.routingToWrite().observeEigrp(l, net, innermost.endpoints);
        break;
      case P.pim:
        innermost.routingToWrite().observePim(l, addressText(net, 'src'));
        break;
      case P.cdp:
        innermost.routingToWrite().observeDiscovery('cdp', l);
        break;
      case P.lldp:
        innermost.routingToWrite().observeDiscovery('lldp', l);
        break;
      case P.isis:
        innermost.routingToWrite().adjacenciesToWrite().observeIsis(l, this.endTs);
        break;
      case P.tcp: {
        const mss = tcpMss(l);
        if (tcpSyn(l) && mss > 0) for (const t of this.active) if (mss > t.maxMss) t.maxMss = mss;
        const sp = tcpSrcPort(l);
        const dp = tcpDstPort(l);
        if (sp === BGP_PORT || dp === BGP_PORT)
          innermost.routingToWrite().adjacenciesToWrite().observeSession('bgp', l, net);
        else if (sp === LDP_PORT || dp === LDP_PORT)
          innermost.routingToWrite().adjacenciesToWrite().observeSession('ldp', l, net);
        if (protection === 'cleartext' && watched(l)) innermost.cleartextToWrite().observe(l, net);
        break;
      }
      case P.udp: {
        const dp = udpDstPort(l);
        if (dp === BFD_PORTS[0] || dp === BFD_PORTS[1]) innermost.routingToWrite().adjacenciesToWrite().observeBfd(l);
        else if (dp === LDP_PORT) innermost.routingToWrite().adjacenciesToWrite().observeLdpHello(l);
        if (protection === 'cleartext' && watched(l)) innermost.cleartextToWrite().observe(l, net);
        break;
      }
      case P.ppp:
        if (pppCompressed(l)) innermost.pppMppe++;
        else if (pppReadable(l)) innermost.pppClear++;
        break;
    }
  }

  /** The peer pair of an ESP, AH or IKE packet (its direction in peerPairs.direction). */
  private peers(net: Layer): EspPeers {
    const known = this.peerPairs.known(net);
    if (known) return known;
    let p = this.esp.get(this.peerPairs.key);
    if (!p) {
      if (this.esp.size >= this.limits.maxPeers) {
        evictIdle(this.esp, this.overflow, 'IPsec peers evicted');
        this.peerPairs.forget(); // refilled as packets come
      }
      p = new EspPeers([this.peerPairs.first, this.peerPairs.second]);
      this.esp.set(this.peerPairs.key, p);
    }
    this.peerPairs.remember(p);
    return p;
  }

  private espLayer(ctx: PacketCtx, i: number, net: number): void {
    const ts = this.endTs;
    const l = ctx.layers[i]!;
    const outer = ctx.layers[net]!;
    const p = this.peers(outer);
    const spi = espSpi(l);
    const dir = this.peerPairs.direction;
    let sa = p.sas.get(spi);
    if (!sa) {
      if (!this.overflow.room(p.sas.size, PER_TUNNEL.spisPerPeer, 'SPIs')) return;
      sa = new EspSa(spi, 'esp', addressText(outer, 'src'), addressText(outer, 'dst'));
      p.sas.set(spi, sa);
    }
    const bytes = l.end - l.off;
    p.packets++;
    this.activePeers.push(p);
    p.bytes += bytes;
    sa.packets++;
    sa.bytes += bytes;
    sa.sent[dir]++;
    if (isMulticastDestination(outer)) sa.multicast = true;
    const seq = espSeq(l);
    if (seq >= 0) sa.seqs[dir].observe(seq);
    if (ctx.layers[i - 1]?.proto === P.natt) p.natT = true;
    if (ts < p.firstSeen) p.firstSeen = ts;
    if (ts > p.lastSeen) p.lastSeen = ts;
    if (espNullEncrypted(l)) sa.nullPackets++;
    if (espDecrypted(l)) sa.decrypted++;
    if (espUnopened(l)) sa.notDecrypted++;
    if (espOpened(l)) this.countInnerOf(sa, ctx, i);
  }

  private ahLayer(ctx: PacketCtx, i: number, net: number): void {
    const ts = this.endTs;
    const l = ctx.layers[i]!;
    const outer = ctx.layers[net]!;
    const p = this.peers(outer);
    const dir = this.peerPairs.direction;
    p.ahPackets++;
    this.activePeers.push(p);
    const spi = ahSpi(l);
    let sa = p.ahSas.get(spi);
    if (!sa) {
      if (!this.overflow.room(p.ahSas.size, PER_TUNNEL.spisPerPeer, 'SPIs')) return;
      sa = new EspSa(spi, 'ah', addressText(outer, 'src'), addressText(outer, 'dst'));
      p.ahSas.set(spi, sa);
    }
    sa.packets++;
    sa.bytes += l.end - l.off;
    sa.sent[dir]++;
    if (isMulticastDestination(outer)) sa.multicast = true;
    const seq = ahSeq(l);
    if (seq >= 0) sa.seqs[dir].observe(seq);
    if (ts < p.firstSeen) p.firstSeen = ts;
    if (ts > p.lastSeen) p.lastSeen = ts;
    this.countInnerOf(sa, ctx, i);
  }

  /**
   * Counts what an opened ESP or AH payload (the layer at i) began with:
   * 4, 41 (tunnel mode), 47, 0 for anything else; for AH around ESP, what
   * that ESP carries if it was opened, else INNER_OPAQUE_ESP (mode unknown).
   * OSPFv3 found there is listed on the SA.
   */
  private countInnerOf(sa: EspSa, ctx: PacketCtx, i: number): void {
    let j = i + 1;
    let next = j < ctx.count ? ctx.layers[j]!.proto : null;
    if (next === P.esp) {
      if (!espOpened(ctx.layers[j]!)) {
        sa.innerProtocols.set(INNER_OPAQUE_ESP, (sa.innerProtocols.get(INNER_OPAQUE_ESP) ?? 0) + 1);
        return;
      }
      next = ++j < ctx.count ? ctx.layers[j]!.proto : null;
    }
    const n = next === P.ipv4 ? INNER_IPV4 : next === P.ipv6 ? INNER_IPV6 : next === P.gre ? INNER_GRE : INNER_OTHER;
    sa.innerProtocols.set(n, (sa.innerProtocols.get(n) ?? 0) + 1);
    // OSPFv3 right inside (transport mode) or inside the inner IP header (tunnel mode).
    const k = n === INNER_IPV4 || n === INNER_IPV6 ? j + 1 : j;
    const o = k < ctx.count ? ctx.layers[k]! : null;
    if (o && o.proto === P.ospf && o.hdrEnd > o.off && ospfVersion(o) === 3)
      sa.countOspf3(ospfRouterIdText(o), ospfAreaText(o));
  }

  private gdoi(net: Layer): void {
    const ts = this.endTs;
    const p = this.peers(net);
    p.gdoi++;
    if (ts < p.firstSeen) p.firstSeen = ts;
    if (ts > p.lastSeen) p.lastSeen = ts;
  }

  /**
   * Marks the SAs several senders share (group SAs: GDOI/GETVPN, manual
   * keys as RFC 4552's for OSPFv3): sent to a multicast address, used in both
   * directions of a pair, sent to one destination by several sources, or by
   * one source to several destinations with one counter (a group member's
   * numbers, spread over its receivers: they interleave, and no number goes
   * to two of them; SAs that merely share an SPI each count on their own).
   * Their sequence numbers are per sender: no gap or repeat between senders means anything.
   */
  markGroupSas(): void {
    const senders = new Map<string, Set<string>>();
    const streams = new Map<string, { sa: EspSa; d: 0 | 1 }[]>();
    for (const p of this.esp.values()) {
      for (const sa of p.allSas) {
        sa.group = sa.multicast || sa.senders > 1;
        for (const d of [0, 1] as const) {
          if (sa.sent[d] === 0) continue;
          const key = `${sa.proto}|${p.endpoints[1 - d]}|${sa.spi}`;
          let s = senders.get(key);
          if (!s) senders.set(key, (s = new Set()));
          s.add(p.endpoints[d]);
          const from = `${sa.proto}|${p.endpoints[d]}|${sa.spi}`;
          const list = streams.get(from);
          if (list) list.push({ sa, d });
          else streams.set(from, [{ sa, d }]);
        }
      }
    }
    for (const p of this.esp.values()) {
      for (const sa of p.allSas) {
        for (const d of [0, 1] as const) {
          if (sa.sent[d] > 0 && senders.get(`${sa.proto}|${p.endpoints[1 - d]}|${sa.spi}`)!.size > 1) sa.group = true;
        }
      }
    }
    for (const list of streams.values()) {
      if (list.length < 2) continue;
      // One counter: the receivers' numbers interleave (their spans overlap) and none goes to two receivers.
      const seen = new Set<number>();
      let disjoint = true;
      let interleaved = false;
      for (const [i, { sa, d }] of list.entries()) {
        const t = sa.seqs[d];
        for (const seq of t.head) {
          if (seen.has(seq)) disjoint = false;
          seen.add(seq);
        }
        for (const { sa: other, d: od } of list.slice(0, i)) {
          const u = other.seqs[od];
          if (t.first >= 0 && u.first >= 0 && t.first <= u.last && u.first <= t.last) interleaved = true;
        }
      }
      if (disjoint && interleaved) for (const { sa } of list) sa.group = true;
    }
  }

  private ike(l: Layer, net: Layer): void {
    const ts = this.endTs;
    const p = this.peers(net);
    p.ike.packets++;
    this.activePeers.push(p);
    p.ike.versions.add(`${ikeMajorVersion(l)}`);
    const ex = ikeExchangeType(l);
    p.ike.exchanges.set(ex, (p.ike.exchanges.get(ex) ?? 0) + 1);
    const m = ikeMessage(l);
    if (m) observeIke(p.ikeLog, m, addressText(net, 'src'), addressText(net, 'dst'), ts);
    if (ts < p.firstSeen) p.firstSeen = ts;
    if (ts > p.lastSeen) p.lastSeen = ts;
  }

  static readonly fields: FieldCoverage = {
    state: [
      'tunnels',
      'esp',
      'packets',
      'bytes',
      'malformed',
      'malformedReasons',
      'firstSeen',
      'lastSeen',
      'startTs',
      'endTs',
      'overflow',
      'nextId',
      'dmvpn',
    ],
    // Lookups by numbers and the packet being observed (its tunnel direction; the IPsec pairs keep theirs),
    // rebuilt as packets come; the bounds are the run's.
    caches: [
      'peerPairs',
      'buckets',
      'chained',
      'recent',
      'flowCache',
      'direction',
      'active',
      'activePeers',
      'limits',
      'onEvict',
    ],
  };

  /** The table as plain data (see state.ts): tunnels and peers in the order they were met. */
  toState(): Plain {
    return {
      packets: this.packets,
      bytes: this.bytes,
      malformed: this.malformed,
      malformedReasons: [...this.malformedReasons],
      firstSeen: timeState(this.firstSeen),
      lastSeen: this.lastSeen,
      startTs: this.startTs,
      endTs: this.endTs,
      overflow: [...this.overflow.counts],
      nextId: this.nextId,
      tunnels: [...this.tunnels.values()].map((t) => t.toState()),
      esp: [...this.esp.values()].map((p) => p.toState()),
      ...(this.dmvpn.events.length || this.dmvpn.flowCount || this.dmvpn.flowsNotKept
        ? { dmvpn: dmvpnToState(this.dmvpn) }
        : {}),
    };
  }

  /** A table from plain data, every value checked; for absorb() and reports, not to observe packets. */
  static fromState(v: unknown, at = 'table', limits: TableLimits = DEFAULT_LIMITS): TunnelTable {
    const o = read.obj(v, at);
    const table = new TunnelTable(limits);
    table.packets = read.int(o.packets, `${at}.packets`);
    table.bytes = read.int(o.bytes, `${at}.bytes`);
    table.malformed = read.int(o.malformed, `${at}.malformed`);
    for (const [k, n] of read.counts(o.malformedReasons, `${at}.malformedReasons`, 1024, (x, a) => read.str(x, a, 64)))
      table.malformedReasons.set(k, n);
    table.firstSeen = read.time(o.firstSeen, `${at}.firstSeen`);
    table.lastSeen = read.time(o.lastSeen, `${at}.lastSeen`);
    table.startTs = o.startTs === -1 ? -1 : read.time(o.startTs, `${at}.startTs`);
    table.endTs = o.endTs === -1 ? -1 : read.time(o.endTs, `${at}.endTs`);
    for (const [k, n] of read.counts(o.overflow, `${at}.overflow`, 1024, (x, a) => read.str(x, a, 64)))
      table.overflow.counts.set(k, n);
    table.nextId = read.int(o.nextId, `${at}.nextId`, 1);
    const ids = new Set<number>();
    eachWithin(read.arr(o.tunnels, `${at}.tunnels`, MAX_ITEMS), `${at}.tunnels`, (x) => {
      const t = Tunnel.fromState(x, '', table.overflow);
      const key = tunnelId(t.kind, t.endpoints[0], t.endpoints[1], t.key ?? -1);
      if (table.tunnels.has(key)) throw new StateError(': tunnel given twice');
      if (t.id >= table.nextId) throw new StateError('.id: not below nextId');
      if (ids.has(t.id)) throw new StateError('.id: given twice');
      ids.add(t.id);
      table.tunnels.set(key, t);
    });
    eachWithin(read.arr(o.esp, `${at}.esp`, MAX_ITEMS), `${at}.esp`, (x) => {
      const p = EspPeers.fromState(x, '');
      const key = `${p.endpoints[0]}|${p.endpoints[1]}`;
      if (table.esp.has(key)) throw new StateError(': peer pair given twice');
      table.esp.set(key, p);
    });
    Object.assign(table.dmvpn, dmvpnFromState(o.dmvpn, `${at}.dmvpn`));
    return table;
  }
}
