import {
  NHRP_ERROR_INDICATION,
  NHRP_EXT_NAT,
  NHRP_REGISTRATION_REPLY,
  NHRP_REGISTRATION_REQUEST,
  NHRP_RESOLUTION_REPLY,
  NHRP_RESOLUTION_REQUEST,
  NHRP_TRAFFIC_INDICATION,
  ipv4Text,
  nhrpAuthSpi,
  nhrpCodeText,
  nhrpDstProto,
  nhrpErrorCode,
  nhrpErrorText,
  nhrpExtensionCie,
  nhrpFirstCie,
  nhrpRequestId,
  nhrpSrcNbma,
  nhrpSrcProto,
  nhrpType,
} from '../dissect/nhrp.js';
import { greKey } from '../dissect/gre.js';
import type { Layer, PacketCtx } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';
import { ipv4Addresses, ipv4Dst, ipv4Src } from '../dissect/ipv4.js';
import { addressText, isMulticastDestination } from './addresses.js';
import type { Overflow } from './limits.js';
import { keyText, PROTECTION_ORDER, type Protection, type Tunnel } from './tunnel.js';

/**
 * DMVPN as a capture shows it: NHRP messages (who registered where, who
 * resolved whom, which redirects the hub sent) and the inner flows of GRE
 * packets (to tell spoke-to-spoke traffic through the hub from shortcuts).
 * The state is plain data (a worker thread's copy arrives as a structured
 * clone) merged with mergeDmvpn; clouds, spokes and pairings are made at
 * report time from the merged state, by dmvpnReport.
 */

/** One NHRP message, as the audit needs it. Addresses are text (NHRP is control traffic: few packets). */
export interface NhrpEvent {
  t: number;
  type: number;
  /** -1 for indications. */
  reqid: number;
  srcNbma: string | null;
  srcProto: string | null;
  dstProto: string | null;
  outerSrc: string;
  outerDst: string;
  key: number | null;
  /** The first CIE's code, or the Error Indication's error code; -1 when absent. */
  code: number;
  holdingTime: number;
  prefix: number;
  clientNbma: string | null;
  clientProto: string | null;
  /** Cisco's NAT address extension: the NBMA address the other side saw for `natProto`. */
  natNbma: string | null;
  natProto: string | null;
  /** SPI of the authentication extension, -1 without one. */
  authSpi: number;
  protection: Protection;
  /** Carried in UDP 4500 (IPsec NAT traversal). */
  natT: boolean;
  /**
   * Error Indication: the NHRP packet in error (type, request ID, source protocol address). Traffic Indication: the
   * data packet's addresses.
   */
  quotedType: number;
  quotedReqid: number;
  quotedSrc: string | null;
  quotedDst: string | null;
}

/** An inner IPv4 flow of GRE packets and the outer legs (source, destination, key) it took. */
export interface FlowLeg {
  src: number;
  dst: number;
  key: number;
  packets: number;
  first: number;
}

export interface DmvpnState {
  events: NhrpEvent[];
  /** Inner source -> inner destination -> legs. */
  flows: Map<number, Map<number, FlowLeg[]>>;
  flowCount: number;
  /**
   * Flows not kept past the bound (said in the clouds as viaHubIncomplete; not a `limits` entry, which would change
   * reports of captures without NHRP).
   */
  flowsNotKept: number;
}

export const DMVPN_LIMITS = { events: 8192, flows: 4096, legsPerFlow: 8 } as const;

export function newDmvpnState(): DmvpnState {
  return { events: [], flows: new Map(), flowCount: 0, flowsNotKept: 0 };
}

const text = (a: number): string | null => (a < 0 ? null : ipv4Text(a));

/**
 * Records an NHRP layer (at i; its outer network layer at net). Reads the
 * packet through nhrp.ts's accessors only.
 */
export function observeNhrp(
  s: DmvpnState,
  ctx: PacketCtx,
  i: number,
  net: number,
  protection: Protection,
  ts: number,
  overflow: Overflow,
): void {
  const gre = ctx.layers[i - 1]!;
  const l = ctx.layers[i]!;
  // DMVPN is NHRP over multipoint GRE: NHRP straight over IP, or too short to name anyone, is no cloud.
  if (gre.proto !== P.gre || nhrpSrcProto(l) < 0) return;
  if (!overflow.room(s.events.length, DMVPN_LIMITS.events, 'NHRP messages')) return;
  const type = nhrpType(l);
  const key = greKey(gre);
  let natT = false;
  for (let k = net + 1; k < i; k++) if (ctx.layers[k]!.proto === P.natt) natT = true;
  const outer = ctx.layers[net]!;
  const cie = nhrpFirstCie(l);
  const e: NhrpEvent = {
    t: ts,
    type,
    reqid: nhrpRequestId(l),
    srcNbma: text(nhrpSrcNbma(l)),
    srcProto: text(nhrpSrcProto(l)),
    dstProto: text(nhrpDstProto(l)),
    outerSrc: addressText(outer, 'src'),
    outerDst: addressText(outer, 'dst'),
    key: key < 0 ? null : key,
    code: type === NHRP_ERROR_INDICATION ? nhrpErrorCode(l) : cie ? cie.code : -1,
    holdingTime: cie ? cie.holdingTime : 0,
    prefix: cie ? cie.prefix : 0,
    clientNbma: cie ? text(cie.nbma) : null,
    clientProto: cie ? text(cie.proto) : null,
    natNbma: null,
    natProto: null,
    authSpi: nhrpAuthSpi(l),
    protection,
    natT,
    quotedType: -1,
    quotedReqid: -1,
    quotedSrc: null,
    quotedDst: null,
  };
  const nat = nhrpExtensionCie(l, NHRP_EXT_NAT);
  if (nat) {
    e.natNbma = text(nat.nbma);
    e.natProto = text(nat.proto);
  }
  const q = ctx.layers[i + 1];
  if (q && q.quoted && i + 1 < ctx.count) {
    if (type === NHRP_ERROR_INDICATION && q.proto === P.nhrp) {
      e.quotedType = nhrpType(q);
      e.quotedReqid = nhrpRequestId(q);
      e.quotedSrc = text(nhrpSrcProto(q));
      e.quotedDst = text(nhrpDstProto(q));
    } else if (type === NHRP_TRAFFIC_INDICATION && q.proto === P.ipv4 && ipv4Addresses(q)) {
      e.quotedSrc = ipv4Text(ipv4Src(q));
      e.quotedDst = ipv4Text(ipv4Dst(q));
    }
  }
  s.events.push(e);
}

/**
 * The legs of flows seen lately, in slots picked by their inner addresses:
 * most packets find their flow here rather than in the state's two Maps,
 * whose keys from 2^30 up (any address from 64.0.0.0) are boxed numbers, an
 * allocation and a slow hash on each packet. Only a cache (a miss asks the
 * Maps, and a flow's legs never move), so no capture can make a lookup cost
 * more than the Maps alone. Kept beside the state, not in it: the state is
 * plain data sent between threads.
 */
export class FlowCache {
  private static readonly BITS = 10;
  readonly src = new Uint32Array(1 << FlowCache.BITS);
  readonly dst = new Uint32Array(1 << FlowCache.BITS);
  readonly legs: (FlowLeg[] | null)[] = new Array<FlowLeg[] | null>(1 << FlowCache.BITS).fill(null);

  static slot(src: number, dst: number): number {
    return Math.imul(src ^ Math.imul(dst, 0x85ebca6b), 0x9e3779b1) >>> (32 - FlowCache.BITS);
  }
}

/** A flow's legs, a new flow's made while there is room; null, and counted, past the bound. */
function flowLegs(s: DmvpnState, src: number, dst: number): FlowLeg[] | null {
  let byDst = s.flows.get(src);
  let legs = byDst?.get(dst);
  if (!legs) {
    if (s.flowCount >= DMVPN_LIMITS.flows) {
      s.flowsNotKept++;
      return null;
    }
    if (!byDst) s.flows.set(src, (byDst = new Map()));
    byDst.set(dst, (legs = []));
    s.flowCount++;
  }
  return legs;
}

/**
 * Records the leg an inner IPv4 packet took: outer IPv4 `outer`, GRE key,
 * inner header `inner`. Numbers only: this runs for every GRE packet
 * carrying IPv4, and allocates only for a flow or leg not seen before.
 */
export function observeFlow(
  s: DmvpnState,
  cache: FlowCache,
  outer: Layer,
  key: number,
  inner: Layer,
  ts: number,
): void {
  // Multicast and broadcast go through the hub by design (it replicates them): no shortcut could carry them.
  if (!ipv4Addresses(inner) || isMulticastDestination(inner)) return;
  const src = ipv4Src(inner);
  const dst = ipv4Dst(inner);
  const slot = FlowCache.slot(src, dst);
  let legs = cache.src[slot] === src && cache.dst[slot] === dst ? cache.legs[slot]! : null;
  if (legs === null) {
    legs = flowLegs(s, src, dst);
    if (legs === null) return;
    cache.src[slot] = src;
    cache.dst[slot] = dst;
    cache.legs[slot] = legs;
  }
  const os = ipv4Src(outer);
  const od = ipv4Dst(outer);
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i]!;
    if (leg.src === os && leg.dst === od && leg.key === key) {
      leg.packets++;
      return;
    }
  }
  if (legs.length < DMVPN_LIMITS.legsPerFlow) legs.push({ src: os, dst: od, key, packets: 1, first: ts });
}

/** Takes in the state of a later part of the capture (or the next file). */
export function mergeDmvpn(into: DmvpnState, later: DmvpnState, overflow: Overflow): void {
  for (const e of later.events)
    if (overflow.room(into.events.length, DMVPN_LIMITS.events, 'NHRP messages')) into.events.push(e);
  into.flowsNotKept += later.flowsNotKept;
  for (const [src, byDst] of later.flows) {
    for (const [dst, legs] of byDst) {
      const mine = flowLegs(into, src, dst);
      if (mine === null) continue;
      for (const leg of legs) {
        const same = mine.find((m) => m.src === leg.src && m.dst === leg.dst && m.key === leg.key);
        if (same) {
          same.packets += leg.packets;
          same.first = Math.min(same.first, leg.first);
        } else if (mine.length < DMVPN_LIMITS.legsPerFlow) mine.push({ ...leg });
      }
    }
  }
}

// ---- The report: clouds, hubs, spokes, resolutions, redirects, shortcuts. ----

/**
 * A request not answered this long before the capture ends is "unanswered" (Cisco retries a registration after 1 s).
 */
const UNANSWERED_AFTER_SEC = 1;

export interface DmvpnHub {
  nbma: string;
  tunnel: string | null;
}
export interface DmvpnSpoke {
  tunnel: string;
  nbma: string | null;
  /** The address its packets come from: its NBMA address, or its NAT's outside address. */
  outside: string;
  /** Behind NAT: the outside address (from the outer header or the NAT extension); absent otherwise. */
  natAddress?: string;
  /** Its traffic travels in UDP 4500 (IPsec NAT traversal). */
  natT: boolean;
  registration: {
    state: 'accepted' | 'refused' | 'requested' | 'none';
    requests: number;
    replies: number;
    /** Requests that no reply answered (ignoring the last second of the capture). */
    unanswered: number;
    code?: number;
    codeText?: string;
    holdingTime?: number;
    hub?: string;
  };
}
export interface DmvpnResolution {
  id: number;
  from: string | null;
  fromNbma: string | null;
  for: string | null;
  at: number;
  forwardedBy: string[];
  answer: {
    code: number;
    codeText: string;
    prefix: string | null;
    nbma: string | null;
    tunnel: string | null;
    by: string;
  } | null;
  rttMs: number | null;
  error: { code: number; text: string; from: string } | null;
  unanswered: boolean;
}
export interface DmvpnCloud {
  cloud: string;
  key: number | null;
  hubs: DmvpnHub[];
  protection: Protection;
  nhrpPackets: number;
  /** NHRP packets that carried an authentication extension. */
  nhrpAuthenticated: number;
  spokes: DmvpnSpoke[];
  resolutions: DmvpnResolution[];
  trafficIndications: {
    at: number;
    hub: string;
    to: string | null;
    toNbma: string;
    packet: string | null;
    resolved: number | null;
    shortcut: boolean;
  }[];
  shortcuts: {
    between: [string, string];
    tunnels: [string | null, string | null];
    packets: number;
    tunnelId: number | null;
  }[];
  viaHub: { from: string; to: string; hub: string; flows: string[]; packets: number; shortcutFollowed: boolean }[];
  /** Present (true) when inner flows past the bound were not kept: viaHub may miss some. */
  viaHubIncomplete?: true;
  errors: {
    at: number;
    code: number;
    text: string;
    from: string;
    to: string | null;
    toNbma: string;
    about: string | null;
  }[];
  /** The tunnel table's tunnels (ids) that belong to the cloud: one multipoint tunnel. */
  tunnels: number[];
}

const round = (ts: number) => Math.round(ts * 1e6) / 1e6;
const TYPE_WORDS: Record<number, string> = {
  1: 'Resolution Request',
  2: 'Resolution Reply',
  3: 'Registration Request',
  4: 'Registration Reply',
  5: 'Purge Request',
  6: 'Purge Reply',
};

/** Which side of an event is the hub: messages to an NHS, and the NHS's own. */
function hubSide(e: NhrpEvent): string | null {
  switch (e.type) {
    case NHRP_REGISTRATION_REQUEST:
      return e.outerDst;
    case NHRP_REGISTRATION_REPLY:
    case NHRP_TRAFFIC_INDICATION:
    case NHRP_ERROR_INDICATION:
      return e.outerSrc;
    default:
      return null;
  }
}

export function dmvpnReport(s: DmvpnState, tunnels: Iterable<Tunnel>, captureEnd: number): DmvpnCloud[] {
  const events = [...s.events].sort((a, b) => a.t - b.t);
  if (events.length === 0) return [];
  // Hubs: the NHS side of registrations and indications; failing those, where resolution requests go first.
  const hubTunnel = new Map<string, string | null>();
  for (const e of events) {
    const h = hubSide(e);
    if (h === null) continue;
    const tun = e.type === NHRP_REGISTRATION_REQUEST || e.type === NHRP_REGISTRATION_REPLY ? e.dstProto : e.srcProto;
    if (!hubTunnel.get(h)) hubTunnel.set(h, tun);
  }
  if (hubTunnel.size === 0) {
    const first = events.find((e) => e.type === NHRP_RESOLUTION_REQUEST);
    if (first) hubTunnel.set(first.outerDst, null);
  }
  // Clouds: by GRE key when there is one, else by hub.
  const clouds = new Map<string, DmvpnCloud>();
  const cloudOf = (e: NhrpEvent): DmvpnCloud | null => {
    let id: string;
    if (e.key !== null) id = keyText('gre', e.key).trim();
    else {
      const hub = hubTunnel.has(e.outerDst)
        ? e.outerDst
        : hubTunnel.has(e.outerSrc)
          ? e.outerSrc
          : (keylessHubOf.get(e.outerSrc) ?? keylessHubOf.get(e.outerDst));
      if (hub === undefined) return null;
      id = `hub ${hub}`;
    }
    let c = clouds.get(id);
    if (!c) {
      c = {
        cloud: id,
        key: e.key,
        hubs: [],
        protection: 'encrypted',
        nhrpPackets: 0,
        nhrpAuthenticated: 0,
        spokes: [],
        resolutions: [],
        trafficIndications: [],
        shortcuts: [],
        viaHub: [],
        errors: [],
        tunnels: [],
      };
      clouds.set(id, c);
    }
    return c;
  };
  const addHub = (c: DmvpnCloud, nbma: string) => {
    if (!hubTunnel.has(nbma) || c.hubs.some((h) => h.nbma === nbma)) return;
    c.hubs.push({ nbma, tunnel: hubTunnel.get(nbma) ?? null });
  };
  const spokeOf = (c: DmvpnCloud, tunnel: string, nbma: string | null, outside: string): DmvpnSpoke => {
    let byTunnel = spokeIndex.get(c);
    if (!byTunnel) spokeIndex.set(c, (byTunnel = new Map()));
    let sp = byTunnel.get(tunnel);
    if (!sp) {
      sp = {
        tunnel,
        nbma,
        outside,
        natT: false,
        registration: { state: 'none', requests: 0, replies: 0, unanswered: 0 },
      };
      c.spokes.push(sp);
      byTunnel.set(tunnel, sp);
      // A keyless cloud is found again from its spokes' addresses.
      if (c.key === null && c.hubs[0]) keylessHubOf.set(outside, c.hubs[0].nbma);
    }
    return sp;
  };
  const spokeIndex = new Map<DmvpnCloud, Map<string, DmvpnSpoke>>();
  const keylessHubOf = new Map<string, string>();
  const pending = new Map<string, NhrpEvent>();
  /** Resolutions by request ID and requester's protocol address, for the Error Indications that quote them. */
  const byQuote = new Map<string, DmvpnResolution[]>();
  const resolutions = new Map<string, DmvpnResolution>();

  for (const e of events) {
    const c = cloudOf(e);
    if (!c) continue;
    c.nhrpPackets++;
    if (e.authSpi >= 0) c.nhrpAuthenticated++;
    if (PROTECTION_ORDER.indexOf(e.protection) < PROTECTION_ORDER.indexOf(c.protection)) c.protection = e.protection;
    const h = hubSide(e);
    if (h !== null) addHub(c, h);
    if (e.type === NHRP_RESOLUTION_REQUEST && hubTunnel.has(e.outerDst)) addHub(c, e.outerDst);
    switch (e.type) {
      case NHRP_REGISTRATION_REQUEST: {
        if (e.srcProto === null) break;
        const sp = spokeOf(c, e.srcProto, e.srcNbma, e.outerSrc);
        sp.outside = e.outerSrc;
        if (e.srcNbma !== null && e.outerSrc !== e.srcNbma) sp.natAddress = e.outerSrc;
        if (e.natT) sp.natT = true;
        sp.registration.requests++;
        if (sp.registration.state === 'none') sp.registration.state = 'requested';
        // A retransmission keeps its request ID (RFC 2332 5.2.3; Cisco's retry after 1 s at least): the one before went
        // unanswered.
        const key = `${e.srcProto}|${e.reqid}`;
        const before = pending.get(key);
        if (before && e.t - before.t >= UNANSWERED_AFTER_SEC) sp.registration.unanswered++;
        pending.set(key, e);
        break;
      }
      case NHRP_REGISTRATION_REPLY: {
        if (e.srcProto === null) break;
        const sp = spokeOf(c, e.srcProto, e.srcNbma, e.outerDst);
        if (e.natT) sp.natT = true;
        if (e.natProto === sp.tunnel && e.natNbma !== null && e.natNbma !== sp.nbma) sp.natAddress = e.natNbma;
        pending.delete(`${e.srcProto}|${e.reqid}`);
        const r = sp.registration;
        r.replies++;
        r.state = e.code === 0 ? 'accepted' : 'refused';
        r.code = e.code;
        r.codeText = nhrpCodeText(e.code);
        r.hub = e.outerSrc;
        if (e.code === 0) r.holdingTime = e.holdingTime;
        else delete r.holdingTime;
        break;
      }
      case NHRP_RESOLUTION_REQUEST: {
        const id = `${e.srcProto}|${e.srcNbma}|${e.reqid}`;
        const r = resolutions.get(id);
        if (r) {
          // The same request again from another address: an NHS forwarding it.
          if (e.outerSrc !== r.fromNbma && !r.forwardedBy.includes(e.outerSrc)) r.forwardedBy.push(e.outerSrc);
          break;
        }
        const res: DmvpnResolution = {
          id: e.reqid,
          from: e.srcProto,
          fromNbma: e.srcNbma,
          for: e.dstProto,
          at: round(e.t),
          forwardedBy: [],
          answer: null,
          rttMs: null,
          error: null,
          unanswered: false,
        };
        resolutions.set(id, res);
        const q = `${e.reqid}|${e.srcProto}`;
        byQuote.set(q, [...(byQuote.get(q) ?? []), res]);
        c.resolutions.push(res);
        break;
      }
      case NHRP_RESOLUTION_REPLY: {
        const r = resolutions.get(`${e.srcProto}|${e.srcNbma}|${e.reqid}`);
        if (!r || r.answer) break;
        const prefix = e.code === 0 && e.dstProto !== null ? `${e.dstProto}/${e.prefix}` : null;
        r.answer = {
          code: e.code,
          codeText: nhrpCodeText(e.code),
          prefix,
          nbma: e.clientNbma,
          tunnel: e.clientProto,
          by: e.outerSrc,
        };
        r.rttMs = Math.round((e.t - r.at) * 1e6) / 1e3;
        break;
      }
      case NHRP_ERROR_INDICATION: {
        const about =
          e.quotedType > 0
            ? `${TYPE_WORDS[e.quotedType] ?? `type ${e.quotedType}`}${e.quotedReqid >= 0 ? ` id ${e.quotedReqid}` : ''}`
            : null;
        c.errors.push({
          at: round(e.t),
          code: e.code,
          text: nhrpErrorText(e.code),
          from: e.outerSrc,
          to: e.dstProto,
          toNbma: e.outerDst,
          about,
        });
        if (e.quotedType === NHRP_RESOLUTION_REQUEST) {
          for (const r of byQuote.get(`${e.quotedReqid}|${e.quotedSrc}`) ?? []) {
            if (!r.answer && !r.error) r.error = { code: e.code, text: nhrpErrorText(e.code), from: e.outerSrc };
          }
        }
        break;
      }
      case NHRP_TRAFFIC_INDICATION:
        c.trafficIndications.push({
          at: round(e.t),
          hub: e.outerSrc,
          to: e.dstProto,
          toNbma: e.outerDst,
          packet: e.quotedSrc && e.quotedDst ? `${e.quotedSrc} > ${e.quotedDst}` : null,
          resolved: null,
          shortcut: false,
        });
        break;
    }
  }
  // A request still pending at the end counts only where the capture shows packets the hub sent: a sensor that sees
  // one way only would see no reply to any (a retransmission, above, says so whatever the sensor saw).
  const list = [...tunnels];
  const senders = new Set<string>();
  for (const t of list) for (const i of [0, 1] as const) if (t.directions[i].packets > 0) senders.add(t.endpoints[i]);
  for (const e of pending.values()) {
    if (e.t < captureEnd - UNANSWERED_AFTER_SEC && senders.has(e.outerDst)) {
      const c = cloudOf(e)!;
      const sp = spokeIndex.get(c)?.get(e.srcProto!);
      if (sp) sp.registration.unanswered++;
    }
  }
  for (const r of resolutions.values())
    if (!r.answer && !r.error && r.at < captureEnd - UNANSWERED_AFTER_SEC) r.unanswered = true;

  // The tunnel table's pairs that make each cloud, and spoke-to-spoke shortcuts among them.
  for (const c of clouds.values()) {
    const hubs = new Set(c.hubs.map((h) => h.nbma));
    const spokeAt = new Map<string, DmvpnSpoke>();
    for (const sp of c.spokes) {
      spokeAt.set(sp.outside, sp);
      if (sp.nbma !== null && !spokeAt.has(sp.nbma)) spokeAt.set(sp.nbma, sp);
    }
    // Spokes that only resolve (no registration in the capture) are still spokes.
    for (const r of c.resolutions) {
      if (r.from !== null && r.fromNbma !== null && !spokeAt.has(r.fromNbma)) {
        const sp = spokeOf(c, r.from, r.fromNbma, r.fromNbma);
        spokeAt.set(r.fromNbma, sp);
      }
      if (r.answer?.tunnel && r.answer.by && !hubs.has(r.answer.by) && !spokeAt.has(r.answer.by)) {
        const sp = spokeOf(c, r.answer.tunnel, r.answer.nbma, r.answer.by);
        if (r.answer.nbma !== null && r.answer.nbma !== r.answer.by) sp.natAddress = r.answer.by;
        spokeAt.set(r.answer.by, sp);
      }
    }
    for (const t of list) {
      if (t.kind !== 'gre' || t.key !== c.key) continue;
      const [a, b] = t.endpoints;
      const inCloud = hubs.has(a) || hubs.has(b) || (spokeAt.has(a) && spokeAt.has(b));
      if (!inCloud) continue;
      c.tunnels.push(t.id);
      if (!hubs.has(a) && !hubs.has(b)) {
        const sa = spokeAt.get(a)!;
        const sb = spokeAt.get(b)!;
        c.shortcuts.push({ between: [a, b], tunnels: [sa.tunnel, sb.tunnel], packets: t.packets, tunnelId: t.id });
      }
    }
    c.tunnels.sort((x, y) => x - y);
    const direct = (x: string, y: string) =>
      c.shortcuts.some(
        (sc) => (sc.between[0] === x && sc.between[1] === y) || (sc.between[0] === y && sc.between[1] === x),
      );
    // Redirects: did the spoke resolve the packet's destination afterwards, and did a shortcut come up?
    for (const ti of c.trafficIndications) {
      const dst = ti.packet?.split(' > ')[1];
      const r = c.resolutions.find(
        (x) => x.at >= ti.at && x.fromNbma !== null && spokeAt.get(ti.toNbma)?.tunnel === x.from && x.for === dst,
      );
      if (r) {
        ti.resolved = r.id;
        ti.shortcut = r.answer !== null && r.answer.code === 0 && direct(ti.toNbma, r.answer.by);
      }
    }
    // Spoke -> hub -> spoke: an inner flow seen entering the hub from one spoke and leaving it to another.
    const via = new Map<string, DmvpnCloud['viaHub'][number]>();
    const key = c.key ?? -1;
    for (const [src, byDst] of s.flows) {
      for (const [dst, legs] of byDst) {
        for (const inLeg of legs) {
          const hub = ipv4Text(inLeg.dst);
          if (inLeg.key !== key || !hubs.has(hub)) continue;
          const from = spokeAt.get(ipv4Text(inLeg.src));
          if (!from) continue;
          for (const outLeg of legs) {
            if (outLeg.key !== key || outLeg.src !== inLeg.dst) continue;
            const to = spokeAt.get(ipv4Text(outLeg.dst));
            if (!to || to === from) continue;
            const id = `${from.tunnel}|${to.tunnel}|${hub}`;
            let v = via.get(id);
            if (!v)
              via.set(
                id,
                (v = {
                  from: from.tunnel,
                  to: to.tunnel,
                  hub,
                  flows: [],
                  packets: 0,
                  shortcutFollowed: direct(from.outside, to.outside),
                }),
              );
            v.flows.push(`${ipv4Text(src)} > ${ipv4Text(dst)}`);
            v.packets += Math.min(inLeg.packets, outLeg.packets);
          }
        }
      }
    }
    c.viaHub = [...via.values()];
    if (s.flowsNotKept > 0) c.viaHubIncomplete = true;
  }
  return [...clouds.values()];
}
