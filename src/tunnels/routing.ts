import type { Layer } from '../dissect/packet.js';
import {
  ospfAnnouncedPrefixes,
  ospfArea,
  ospfIsUpdate,
  ospfAreaText,
  ospfAuthName,
  ospfAuthType,
  ospfHello,
  ospfHelloNeighbor,
  ospfHelloNeighborCount,
  ospfDbdFlags,
  ospfDbdMtu,
  ospfRouterId,
  ospfRouterIdText,
  ospfVersion,
  ospfv3AuthTrailer,
  DBD_INIT,
  OSPF_AUTH_CRYPTO,
  OSPF_AUTH_NONE,
} from '../dissect/ospf.js';
import {
  RIP_INFINITY,
  RIP_RESPONSE,
  ripAuthType,
  ripCommand,
  ripRoute,
  ripRouteMask,
  ripRouteMetric,
  ripVersion,
} from '../dissect/rip.js';
import { isNeighbourHello } from '../dissect/pim.js';
import { CDP_ID_BYTES, cdpDevice } from '../dissect/cdp.js';
import { LLDP_ID_BYTES, lldpDevice } from '../dissect/lldp.js';
import { eigrpAs, eigrpAuthenticated, eigrpUpdateRoutes } from '../dissect/eigrp.js';
import { addressText } from '../dissect/addr.js';
import { ipv4Text } from '../dissect/nhrp.js';
import { ipv4PrefixLength, parseIpv4 } from '../util/ip-text.js';
import { Adjacencies } from './adjacencies.js';
import { Overflow, PER_TUNNEL } from './limits.js';
import { eachWithin, read, readWithin, StateError, type FieldCoverage, type Plain } from './state.js';

/** What the routing protocols inside one tunnel say: routers, their timers and authentication. */
export interface OspfRouter {
  routerId: string;
  version: number;
  area: string;
  authType: number;
  helloInterval?: number;
  deadInterval?: number;
  networkMask?: string;
  packets: number;
  /** The routers its Hellos list as neighbours (it has heard their Hellos), up to PER_TUNNEL.ospfRouters. */
  neighbors?: string[];
  /** The interface MTU its latest Database Description gave (0, a virtual link's, is not kept). */
  interfaceMtu?: number;
  /** Its Database Descriptions still in ExStart (the I bit set), and those past it: the database exchange. */
  dbdInit?: number;
  dbdExchange?: number;
}

/**
 * A router's members in one order (each member of OspfRouter listed: the compiler holds the list whole), whichever
 * of its messages the capture, or each part of it, showed first: the report's and the state's.
 */
const OSPF_ROUTER_ORDER: { [K in keyof Required<OspfRouter>]: true } = {
  routerId: true,
  version: true,
  area: true,
  authType: true,
  packets: true,
  helloInterval: true,
  deadInterval: true,
  networkMask: true,
  neighbors: true,
  interfaceMtu: true,
  dbdInit: true,
  dbdExchange: true,
};
const OSPF_ROUTER_KEYS = Object.keys(OSPF_ROUTER_ORDER) as (keyof OspfRouter)[];
export function ospfRouterRecord(r: OspfRouter): Plain {
  const o: Record<string, Plain> = {};
  for (const k of OSPF_ROUTER_KEYS) if (r[k] !== undefined) o[k] = r[k] as Plain;
  return o;
}

/**
 * A prefix announced across a tunnel that holds one of the tunnel's own endpoints: a router that takes it for the far
 * end's address routes the tunnel into itself (recursive routing).
 */
export interface RecursiveRoute {
  prefix: string;
  endpoint: string;
  protocol: (typeof RECURSIVE_PROTOCOLS)[number];
  /** The advertising router's ID (OSPF), or the address of the RIP or EIGRP speaker. */
  router: string;
}
/** The routing protocols whose announcements are read for recursive routes. */
const RECURSIVE_PROTOCOLS = ['OSPF', 'RIP', 'EIGRP'] as const;
/** Recursive routes kept per tunnel; past them, counted. */
const RECURSIVE_ROUTES = 16;

/** A router's key: its ID, apart for OSPFv2 and OSPFv3 (a dual-stack router uses one ID for both). */
const routerKey = (id: number, version: number): number => (version === 3 ? id + 2 ** 32 : id);

interface Rip {
  packets: number;
  versions: Set<number>;
  authTypes: Set<number>;
  /** IPv4 prefixes as numbers, made text by ripRoutes(). */
  routes: Set<number>;
}
interface Eigrp {
  packets: number;
  as: Set<number>;
  authenticated: number;
}
interface Pim {
  packets: number;
  neighbors: Set<string>;
}
/** A discovery protocol in the tunnel's traffic: the devices it announces (`R1 (Tunnel40)`: a device and its port). */
interface Discovery {
  packets: number;
  devices: Set<string>;
}
/**
 * The discovery protocols read: how each names a device, and the longest text a device's name may have (two IDs, each
 * byte escaped in 4 characters at most, `\\033`, and ` ()`; LLDP's chassis ID adds its kind, `MA/`).
 */
export const DISCOVERY = {
  cdp: { devices: 'CDP devices', device: cdpDevice, text: 2 * CDP_ID_BYTES * 4 + 3 },
  lldp: { devices: 'LLDP devices', device: lldpDevice, text: 2 * LLDP_ID_BYTES * 4 + 6 },
} as const;
export type DiscoveryProtocol = keyof typeof DISCOVERY;
export const DISCOVERY_PROTOCOLS = Object.keys(DISCOVERY) as DiscoveryProtocol[];

/**
 * What a protocol not seen on a tunnel holds, shared by every tunnel until its first write (through ripToWrite() and
 * the like): most tunnels carry one routing protocol at most, and a merge reads hundreds of thousands of them.
 */
const newRip = (): Rip => ({ packets: 0, versions: new Set(), authTypes: new Set(), routes: new Set() });
const newEigrp = (): Eigrp => ({ packets: 0, as: new Set(), authenticated: 0 });
const newPim = (): Pim => ({ packets: 0, neighbors: new Set() });
const newDiscovery = (): Discovery => ({ packets: 0, devices: new Set() });
const NO_RIP: Readonly<Rip> = newRip();
const NO_EIGRP: Readonly<Eigrp> = newEigrp();
const NO_PIM: Readonly<Pim> = newPim();
const NO_DISCOVERY: Readonly<Discovery> = newDiscovery();
const NO_ADJACENCIES = new Adjacencies(new Overflow());

export class RoutingInfo {
  /** By routerKey(). */
  readonly ospf = new Map<number, OspfRouter>();
  /** Each read-only until the first write, see NO_RIP. */
  rip: Readonly<Rip> = NO_RIP;
  eigrp: Readonly<Eigrp> = NO_EIGRP;
  pim: Readonly<Pim> = NO_PIM;
  cdp: Readonly<Discovery> = NO_DISCOVERY;
  lldp: Readonly<Discovery> = NO_DISCOVERY;
  /** IS-IS, BGP, LDP and BFD (NO_ADJACENCIES, not to be written, until adjacenciesToWrite()). */
  adjacencies: Adjacencies = NO_ADJACENCIES;

  /** Prefixes announced across the tunnel that hold one of its endpoints (see RecursiveRoute). */
  readonly recursive: RecursiveRoute[] = [];
  /**
   * The tunnel's two endpoints as IPv4 numbers (-1 for IPv6), read from their text at the first route announced (-2
   * before): a RIP packet announces routes every 30 s, and each route is checked against them.
   */
  private endpointA = -2;
  private endpointB = -1;
  /** Each OSPF router's area, mask and neighbours as numbers (by routerKey()), to tell a change without making text. */
  private readonly seen = new Map<number, { area: number; mask: number; neighbors?: number[] }>();

  constructor(private readonly overflow: Overflow) {}

  adjacenciesToWrite(): Adjacencies {
    if (this.adjacencies === NO_ADJACENCIES) this.adjacencies = new Adjacencies(this.overflow);
    return this.adjacencies;
  }

  private ripToWrite(): Rip {
    if (this.rip === NO_RIP) this.rip = newRip();
    return this.rip as Rip;
  }

  private eigrpToWrite(): Eigrp {
    if (this.eigrp === NO_EIGRP) this.eigrp = newEigrp();
    return this.eigrp as Eigrp;
  }

  private pimToWrite(): Pim {
    if (this.pim === NO_PIM) this.pim = newPim();
    return this.pim as Pim;
  }

  private discoveryToWrite(protocol: DiscoveryProtocol): Discovery {
    if (this[protocol] === NO_DISCOVERY) this[protocol] = newDiscovery();
    return this[protocol] as Discovery;
  }

  get empty(): boolean {
    return (
      this.ospf.size === 0 &&
      this.rip.packets === 0 &&
      this.eigrp.packets === 0 &&
      this.pim.packets === 0 &&
      this.cdp.packets === 0 &&
      this.lldp.packets === 0 &&
      this.adjacencies.empty
    );
  }

  /** `endpoints`: the tunnel's, whose prefixes its LS Updates must not announce (see RecursiveRoute). */
  observeOspf(l: Layer, endpoints: readonly string[]): void {
    const version = ospfVersion(l);
    const key = routerKey(ospfRouterId(l), version);
    const area = ospfArea(l);
    let r = this.ospf.get(key);
    if (!r) {
      if (!this.overflow.room(this.ospf.size, PER_TUNNEL.ospfRouters, 'OSPF routers')) return;
      r = { routerId: ospfRouterIdText(l), version, area: ospfAreaText(l), authType: 0, packets: 0 };
      this.ospf.set(key, r);
      this.seen.set(key, { area, mask: -1 });
    }
    r.packets++;
    const seen = this.seen.get(key)!;
    // Text only when a value changes: the usual hello repeats them all.
    if (seen.area !== area) {
      seen.area = area;
      r.area = ospfAreaText(l);
    }
    if (version === 2) r.authType = ospfAuthType(l);
    else {
      // OSPFv3 signs in a trailer, said in its Hellos' and Database Descriptions' options.
      const trailer = ospfv3AuthTrailer(l);
      if (trailer >= 0) r.authType = trailer ? OSPF_AUTH_CRYPTO : OSPF_AUTH_NONE;
    }
    if (ospfIsUpdate(l))
      ospfAnnouncedPrefixes(l, (prefix, length, router) => {
        if (length > 0 && this.holdsEndpoint(prefix, prefixMask(length), endpoints))
          this.noteRecursive(prefix, length, ipv4Text(router), 'OSPF', endpoints);
      });
    const flags = ospfDbdFlags(l);
    if (flags >= 0) {
      if (flags & DBD_INIT) r.dbdInit = (r.dbdInit ?? 0) + 1;
      else r.dbdExchange = (r.dbdExchange ?? 0) + 1;
      const mtu = ospfDbdMtu(l);
      if (mtu > 0) r.interfaceMtu = mtu;
      return;
    }
    const hello = ospfHello(l);
    if (!hello) return;
    r.helloInterval = hello.helloInterval;
    r.deadInterval = hello.deadInterval;
    if (version === 2 && hello.networkMask >= 0 && seen.mask !== hello.networkMask) {
      seen.mask = hello.networkMask;
      r.networkMask = ipv4Text(hello.networkMask);
    }
    for (let i = 0, count = ospfHelloNeighborCount(l); i < count; i++) {
      const n = ospfHelloNeighbor(l, i);
      const known = (seen.neighbors ??= []);
      if (known.includes(n) || known.length >= PER_TUNNEL.ospfRouters) continue;
      known.push(n);
      (r.neighbors ??= []).push(ipv4Text(n));
    }
  }

  /** The RIP prefixes announced, as text, sorted. */
  ripRoutes(): string[] {
    return [...this.rip.routes]
      .sort((a, b) => a - b)
      .map((n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
  }

  /**
   * Whether a prefix announced across the tunnel (its network and mask) holds one of its IPv4 endpoints. A default
   * route (mask 0) is left out: it holds every address, and a router's own default to its provider usually wins.
   */
  private holdsEndpoint(network: number, mask: number, endpoints: readonly string[]): boolean {
    if (mask === 0) return false;
    if (this.endpointA === -2) {
      this.endpointA = parseIpv4(endpoints[0] ?? '') ?? -1;
      this.endpointB = parseIpv4(endpoints[1] ?? '') ?? -1;
    }
    const a = this.endpointA;
    const b = this.endpointB;
    return (a >= 0 && ((a ^ network) & mask) === 0) || (b >= 0 && ((b ^ network) & mask) === 0);
  }

  /** Keeps a prefix that holds an endpoint (see holdsEndpoint), once for each endpoint it holds. */
  private noteRecursive(
    prefix: number,
    length: number,
    router: string,
    protocol: RecursiveRoute['protocol'],
    endpoints: readonly string[],
  ): void {
    const text = `${ipv4Text(prefix)}/${length}`;
    endpoints.forEach((endpoint, i) => {
      const address = i === 0 ? this.endpointA : this.endpointB;
      if (address < 0 || (address ^ prefix) >>> (32 - length) !== 0) return;
      if (this.recursive.some((r) => r.prefix === text && r.endpoint === endpoint)) return;
      if (this.overflow.room(this.recursive.length, RECURSIVE_ROUTES, 'recursive routes'))
        this.recursive.push({ prefix: text, endpoint, protocol, router });
    });
  }

  /** `net`: the IP layer that carried the RIP packet (its source names the speaker). */
  observeRip(l: Layer, net: Layer, endpoints: readonly string[]): void {
    const rip = this.ripToWrite();
    rip.packets++;
    const version = ripVersion(l);
    rip.versions.add(version);
    if (version === 2) rip.authTypes.add(ripAuthType(l));
    if (ripCommand(l) !== RIP_RESPONSE) return; // routes are announced in responses
    for (let i = 0, route = ripRoute(l, 0); route !== -2; route = ripRoute(l, ++i)) {
      if (route < 0) continue;
      this.overflow.addWithin(rip.routes, route, PER_TUNNEL.ripRoutes, 'RIP routes');
    }
    if (version === 2) this.ripRecursive(l, net, endpoints);
  }

  /** A RIPv2 response's routes that hold an endpoint of the tunnel (see RecursiveRoute). */
  private ripRecursive(l: Layer, net: Layer, endpoints: readonly string[]): void {
    for (let i = 0, route = ripRoute(l, 0); route !== -2; route = ripRoute(l, ++i)) {
      if (route < 0) continue;
      // A route announced as unreachable (withdrawn, or poisoned reverse) leads nowhere.
      const mask = ripRouteMask(l, i);
      if (!this.holdsEndpoint(route, mask, endpoints) || ripRouteMetric(l, i) >= RIP_INFINITY) continue;
      const length = ipv4PrefixLength(mask);
      if (length > 0) this.noteRecursive((route & mask) >>> 0, length, addressText(net, 'src'), 'RIP', endpoints);
    }
  }

  /** `net`: the IP layer that carried the EIGRP packet (its source names the speaker). */
  observeEigrp(l: Layer, net: Layer, endpoints: readonly string[]): void {
    const eigrp = this.eigrpToWrite();
    eigrp.packets++;
    const as = eigrpAs(l);
    this.overflow.addWithin(eigrp.as, as, PER_TUNNEL.eigrpAs, 'EIGRP AS numbers');
    if (eigrpAuthenticated(l)) eigrp.authenticated++;
    // An Update's reachable routes that hold an endpoint of the tunnel (see RecursiveRoute): DMVPN's classic
    // recursion, a spoke learning the hub's NBMA prefix through the tunnel.
    eigrpUpdateRoutes(l, (prefix, length) => {
      if (length > 0 && this.holdsEndpoint(prefix, prefixMask(length), endpoints))
        this.noteRecursive(prefix, length, addressText(net, 'src'), 'EIGRP', endpoints);
    });
  }

  observePim(l: Layer, src: string): void {
    const pim = this.pimToWrite();
    pim.packets++;
    if (isNeighbourHello(l)) this.overflow.addWithin(pim.neighbors, src, PER_TUNNEL.pimNeighbors, 'PIM neighbours');
  }

  /** A CDP or LLDP frame: the device it announces. */
  observeDiscovery(protocol: DiscoveryProtocol, l: Layer): void {
    const seen = this.discoveryToWrite(protocol);
    seen.packets++;
    const device = DISCOVERY[protocol].device(l);
    if (device !== null)
      this.overflow.addWithin(seen.devices, device, PER_TUNNEL.discoveryDevices, DISCOVERY[protocol].devices);
  }

  /** Takes in what a later part of the capture saw (see TunnelTable.absorb): the later values win. */
  absorb(later: RoutingInfo): void {
    if (later.adjacencies !== NO_ADJACENCIES) this.adjacenciesToWrite().absorb(later.adjacencies);
    for (const [id, r] of later.ospf) {
      const mine = this.ospf.get(id);
      const theirs = later.seen.get(id)!;
      if (mine) {
        // The later part's values win; the neighbours of both parts count.
        const packets = mine.packets + r.packets;
        const known = this.seen.get(id)!.neighbors ?? [];
        const neighbors = mine.neighbors ?? [];
        const dbdInit = sumOf(mine.dbdInit, r.dbdInit);
        const dbdExchange = sumOf(mine.dbdExchange, r.dbdExchange);
        Object.assign(mine, r, { packets });
        if (dbdInit !== undefined) mine.dbdInit = dbdInit;
        if (dbdExchange !== undefined) mine.dbdExchange = dbdExchange;
        for (const [i, n] of (theirs.neighbors ?? []).entries()) {
          if (known.includes(n) || known.length >= PER_TUNNEL.ospfRouters) continue;
          known.push(n);
          neighbors.push(r.neighbors![i]!);
        }
        if (neighbors.length > 0) mine.neighbors = neighbors;
        this.seen.set(id, { ...theirs, neighbors: known.length > 0 ? known : undefined });
        continue;
      }
      if (!this.overflow.room(this.ospf.size, PER_TUNNEL.ospfRouters, 'OSPF routers')) continue;
      this.ospf.set(id, { ...r, ...(r.neighbors ? { neighbors: [...r.neighbors] } : {}) });
      this.seen.set(id, { ...theirs, ...(theirs.neighbors ? { neighbors: [...theirs.neighbors] } : {}) });
    }
    for (const r of later.recursive) {
      if (this.recursive.some((mine) => mine.prefix === r.prefix && mine.endpoint === r.endpoint)) continue;
      if (this.overflow.room(this.recursive.length, RECURSIVE_ROUTES, 'recursive routes'))
        this.recursive.push({ ...r });
    }
    if (later.rip !== NO_RIP) {
      const rip = this.ripToWrite();
      rip.packets += later.rip.packets;
      for (const v of later.rip.versions) rip.versions.add(v);
      for (const a of later.rip.authTypes) rip.authTypes.add(a);
      for (const route of later.rip.routes)
        this.overflow.addWithin(rip.routes, route, PER_TUNNEL.ripRoutes, 'RIP routes');
    }
    if (later.eigrp !== NO_EIGRP) {
      const eigrp = this.eigrpToWrite();
      eigrp.packets += later.eigrp.packets;
      eigrp.authenticated += later.eigrp.authenticated;
      for (const as of later.eigrp.as) this.overflow.addWithin(eigrp.as, as, PER_TUNNEL.eigrpAs, 'EIGRP AS numbers');
    }
    if (later.pim !== NO_PIM) {
      const pim = this.pimToWrite();
      pim.packets += later.pim.packets;
      for (const n of later.pim.neighbors)
        this.overflow.addWithin(pim.neighbors, n, PER_TUNNEL.pimNeighbors, 'PIM neighbours');
    }
    for (const protocol of DISCOVERY_PROTOCOLS) {
      if (later[protocol] === NO_DISCOVERY) continue;
      const seen = this.discoveryToWrite(protocol);
      seen.packets += later[protocol].packets;
      for (const d of later[protocol].devices)
        this.overflow.addWithin(seen.devices, d, PER_TUNNEL.discoveryDevices, DISCOVERY[protocol].devices);
    }
  }

  /**
   * OSPF routers on this tunnel whose hello parameters differ, by group:
   * routers that agree form a group, and each group is compared with the
   * largest (the first seen on a tie), so that n routers give at most n - 1
   * findings and not a pair each (a capture of 256 routers made 32,640).
   */
  ospfMismatches(): OspfMismatches {
    const out: OspfMismatches = { list: [], moreGroups: 0, moreRouters: 0 };
    // OSPFv2 and OSPFv3 are separate protocols: their routers never form an adjacency with each other.
    for (const version of [2, 3]) this.mismatchesOf(version, out);
    return out;
  }

  private mismatchesOf(version: number, out: OspfMismatches): void {
    const groups = new Map<string, OspfRouter[]>();
    for (const r of this.ospf.values()) {
      if (r.version !== version) continue;
      const profile = `${r.area}|${r.helloInterval}|${r.deadInterval}|${r.networkMask}|${r.authType}`;
      const g = groups.get(profile);
      if (g) g.push(r);
      else groups.set(profile, [r]);
    }
    if (groups.size < 2) return;
    let largest: OspfRouter[] = [];
    for (const g of groups.values()) if (g.length > largest.length) largest = g;
    const a = largest[0]!;
    for (const g of groups.values()) {
      if (g === largest) continue;
      const b = g[0]!;
      // Each lists the other in its Hellos: they are neighbours (two-way), whatever differs does not stop them (a
      // mask, which OSPF ignores on point-to-point links, RFC 2328 10.5).
      if (a.neighbors?.includes(b.routerId) && b.neighbors?.includes(a.routerId)) continue;
      const what: string[] = [];
      if (a.area !== b.area) what.push(`area ${a.area} vs ${b.area}`);
      if (a.helloInterval !== undefined && b.helloInterval !== undefined && a.helloInterval !== b.helloInterval)
        what.push(`hello interval ${a.helloInterval}s vs ${b.helloInterval}s`);
      if (a.deadInterval !== undefined && b.deadInterval !== undefined && a.deadInterval !== b.deadInterval)
        what.push(`dead interval ${a.deadInterval}s vs ${b.deadInterval}s`);
      if (a.networkMask && b.networkMask && a.networkMask !== b.networkMask)
        what.push(`network mask ${a.networkMask} vs ${b.networkMask}`);
      if (a.authType !== b.authType)
        what.push(`authentication ${ospfAuthName(a.authType)} vs ${ospfAuthName(b.authType)}`);
      if (what.length === 0) continue;
      if (out.list.length < MISMATCH_GROUPS) out.list.push({ a: routerSet(largest), b: routerSet(g), what });
      else {
        out.moreGroups++;
        out.moreRouters += g.length;
      }
    }
  }

  /**
   * OSPF routers stuck in ExStart because a neighbour's interface MTU is larger than their own: a router drops a
   * Database Description that announces an MTU larger than it takes (RFC 2328 10.6), so the router with the smaller
   * MTU never answers past ExStart, master or slave. Claimed only where the capture shows it: the router sent its
   * initial Database Description twice or more (retransmitted) and none past ExStart, and another router of its
   * version and area announced a larger MTU. A router that goes on (`ip ospf mtu-ignore`) is not stuck.
   */
  ospfMtuMismatches(): { list: { stuck: OspfRouter; larger: OspfRouter }[]; more: number } {
    const out: { list: { stuck: OspfRouter; larger: OspfRouter }[]; more: number } = { list: [], more: 0 };
    for (const b of this.ospf.values()) {
      if (b.interfaceMtu === undefined || (b.dbdInit ?? 0) < 2 || (b.dbdExchange ?? 0) > 0) continue;
      let larger: OspfRouter | null = null;
      for (const a of this.ospf.values()) {
        if (a.version !== b.version || a.area !== b.area || (a.interfaceMtu ?? 0) <= b.interfaceMtu) continue;
        if (larger === null || a.interfaceMtu! > larger.interfaceMtu!) larger = a;
      }
      if (larger === null) continue;
      if (out.list.length < MISMATCH_GROUPS) out.list.push({ stuck: b, larger });
      else out.more++;
    }
    return out;
  }

  static readonly fields: FieldCoverage = {
    state: ['ospf', 'rip', 'eigrp', 'pim', 'cdp', 'lldp', 'seen', 'adjacencies', 'recursive'],
    caches: ['overflow', 'endpointA', 'endpointB'],
  };

  toState(): Plain {
    return {
      ospf: [...this.ospf].map(([id, r]) => {
        const seen = this.seen.get(id)!;
        return [id, ospfRouterRecord(r), seen.area, seen.mask];
      }),
      rip: {
        packets: this.rip.packets,
        versions: [...this.rip.versions],
        authTypes: [...this.rip.authTypes],
        routes: [...this.rip.routes],
      },
      eigrp: { packets: this.eigrp.packets, as: [...this.eigrp.as], authenticated: this.eigrp.authenticated },
      pim: { packets: this.pim.packets, neighbors: [...this.pim.neighbors] },
      // Written where CDP or LLDP was seen: a state of a version before them has neither.
      ...(this.cdp.packets === 0 ? {} : { cdp: { packets: this.cdp.packets, devices: [...this.cdp.devices] } }),
      ...(this.lldp.packets === 0 ? {} : { lldp: { packets: this.lldp.packets, devices: [...this.lldp.devices] } }),
      ...(this.adjacencies.empty ? {} : { adjacencies: this.adjacencies.toState() }),
      ...(this.recursive.length === 0 ? {} : { recursive: this.recursive.map((r) => ({ ...r })) }),
    };
  }

  /** Read with paths relative to the routing state (see readWithin): no path text is made unless a check fails. */
  static fromState(v: unknown, overflow: Overflow): RoutingInfo {
    const o = read.obj(v, '');
    const info = new RoutingInfo(overflow);
    eachWithin(read.arr(o.ospf, '.ospf', PER_TUNNEL.ospfRouters), '.ospf', (x) => {
      const entry = read.arr(x, '', 4);
      if (entry.length !== 4) throw new StateError(': expected [id, router, area, mask]');
      const r = read.obj(entry[1], '[1]');
      const id = routerKey(
        read.int(entry[0], '[0]', 0, 2 ** 33 - 1) % 2 ** 32,
        read.int(r.version, '[1].version', 2, 3),
      );
      if (info.ospf.has(id)) throw new StateError(': router given twice');
      const router: OspfRouter = {
        routerId: read.str(r.routerId, '[1].routerId', 15),
        version: read.int(r.version, '[1].version', 2, 3),
        area: read.str(r.area, '[1].area', 15),
        authType: read.int(r.authType, '[1].authType', 0, 0xffff),
        packets: read.int(r.packets, '[1].packets'),
      };
      if (r.helloInterval !== undefined)
        router.helloInterval = read.int(r.helloInterval, '[1].helloInterval', 0, 0xffff);
      if (r.deadInterval !== undefined) router.deadInterval = read.u32(r.deadInterval, '[1].deadInterval');
      if (r.networkMask !== undefined) router.networkMask = read.str(r.networkMask, '[1].networkMask', 15);
      if (r.interfaceMtu !== undefined) router.interfaceMtu = read.int(r.interfaceMtu, '[1].interfaceMtu', 1, 0xffff);
      if (r.dbdInit !== undefined) router.dbdInit = read.int(r.dbdInit, '[1].dbdInit');
      if (r.dbdExchange !== undefined) router.dbdExchange = read.int(r.dbdExchange, '[1].dbdExchange');
      const seen: { area: number; mask: number; neighbors?: number[] } = {
        area: read.u32(entry[2], '[2]'),
        mask: read.int(entry[3], '[3]', -1, 0xffffffff),
      };
      if (r.neighbors !== undefined) {
        router.neighbors = [];
        seen.neighbors = [];
        for (const n of read.arr(r.neighbors, '[1].neighbors', PER_TUNNEL.ospfRouters)) {
          const text = read.str(n, '[1].neighbors[]', 15);
          const value = parseIpv4(text);
          if (value === null || seen.neighbors.includes(value))
            throw new StateError('[1].neighbors: not a list of router IDs');
          router.neighbors.push(text);
          seen.neighbors.push(value);
        }
      }
      info.ospf.set(id, router);
      info.seen.set(id, seen);
    });
    // A protocol the tunnel did not carry (no packets, empty lists) stays the shared NO_RIP and the like.
    const rip = read.obj(o.rip, '.rip');
    const ripPackets = read.int(rip.packets, '.rip.packets');
    const versions = read.set(rip.versions, '.rip.versions', 256, (y, a) => read.int(y, a, 0, 255));
    const authTypes = read.set(rip.authTypes, '.rip.authTypes', 65536, (y, a) => read.int(y, a, 0, 0xffff));
    const routes = read.set(rip.routes, '.rip.routes', PER_TUNNEL.ripRoutes, read.u32);
    if (ripPackets > 0 || versions.size > 0 || authTypes.size > 0 || routes.size > 0)
      info.rip = {
        packets: ripPackets,
        versions: new Set(versions),
        authTypes: new Set(authTypes),
        routes: new Set(routes),
      };
    const eigrp = read.obj(o.eigrp, '.eigrp');
    const eigrpPackets = read.int(eigrp.packets, '.eigrp.packets');
    const authenticated = read.int(eigrp.authenticated, '.eigrp.authenticated');
    const as = read.set(eigrp.as, '.eigrp.as', PER_TUNNEL.eigrpAs, (y, a) => read.int(y, a, 0, 0xffff));
    if (eigrpPackets > 0 || authenticated > 0 || as.size > 0)
      info.eigrp = { packets: eigrpPackets, as: new Set(as), authenticated };
    const pim = read.obj(o.pim, '.pim');
    const pimPackets = read.int(pim.packets, '.pim.packets');
    const neighbors = read.set(pim.neighbors, '.pim.neighbors', PER_TUNNEL.pimNeighbors, (y, a) => read.str(y, a, 64));
    if (pimPackets > 0 || neighbors.size > 0) info.pim = { packets: pimPackets, neighbors: new Set(neighbors) };
    for (const protocol of DISCOVERY_PROTOCOLS) {
      if (o[protocol] === undefined) continue;
      const seen = read.obj(o[protocol], `.${protocol}`);
      const devices = read.set(seen.devices, `.${protocol}.devices`, PER_TUNNEL.discoveryDevices, (y, a) =>
        read.str(y, a, DISCOVERY[protocol].text),
      );
      info[protocol] = { packets: read.int(seen.packets, `.${protocol}.packets`, 1), devices: new Set(devices) };
    }
    if (o.recursive !== undefined)
      eachWithin(read.arr(o.recursive, '.recursive', RECURSIVE_ROUTES), '.recursive', (x) => {
        const r = read.obj(x, '');
        const protocol = read.oneOf(r.protocol, '.protocol', RECURSIVE_PROTOCOLS);
        info.recursive.push({
          prefix: read.str(r.prefix, '.prefix', 18),
          endpoint: read.str(r.endpoint, '.endpoint', 15),
          protocol,
          router: read.str(r.router, '.router', 15),
        });
      });
    if (o.adjacencies !== undefined)
      info.adjacencies = readWithin('.adjacencies', () => Adjacencies.fromState(o.adjacencies, '', overflow));
    return info;
  }
}

/** The mask of a prefix length (24: 0xffffff00); length 1 to 32. */
const prefixMask = (length: number): number => (~0 << (32 - length)) >>> 0;
const sumOf = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/** Groups of disagreeing routers reported per tunnel; the rest are counted. */
export const MISMATCH_GROUPS = 16;
/** Router IDs named per group; the rest are counted. */
const NAMED_PER_GROUP = 4;

export interface OspfMismatches {
  /**
   * `a` the largest group of routers that agree, `b` a group that differs from it, as text ("1.1.1.1" or "{1.1.1.1,
   * 2.2.2.2 and 3 more}").
   */
  list: { a: string; b: string; what: string[] }[];
  /** Groups past MISMATCH_GROUPS, and their routers. */
  moreGroups: number;
  moreRouters: number;
}

function routerSet(g: OspfRouter[]): string {
  if (g.length === 1) return g[0]!.routerId;
  const named = g
    .slice(0, NAMED_PER_GROUP)
    .map((r) => r.routerId)
    .join(', ');
  return `{${named}${g.length > NAMED_PER_GROUP ? ` and ${g.length - NAMED_PER_GROUP} more` : ''}}`;
}
