import type { Layer } from '../dissect/packet.js';
import { isisAuthType, isisHoldingTime, isisIsHello, isisLevel, isisSourceId, isisWhole } from '../dissect/isis.js';
import { bgpOpen } from '../dissect/bgp.js';
import { bfdControl } from '../dissect/bfd.js';
import { ldpLsrId } from '../dissect/ldp.js';
import { TCP_OPTION_AO, TCP_OPTION_MD5, tcpAuthOption } from '../dissect/tcp.js';
import { addressText } from './addresses.js';
import { PER_TUNNEL, type Overflow } from './limits.js';
import { read, StateError, type FieldCoverage, type Plain } from './state.js';

/** An IS-IS system heard inside a tunnel: its levels, hello timing and authentication. */
export interface IsisSystem {
  systemId: string;
  levels: number[];
  packets: number;
  hellos: number;
  /** Seconds between this system's hellos (measured), and the holding time it announces. */
  helloIntervalSec: number | null;
  holdingTime: number | null;
  /** PDUs without the authentication TLV, and the TLV's types where present (1 cleartext password, 54 HMAC-MD5). */
  unauthenticated: number;
  authTypes: number[];
}

/** A TCP session of a routing protocol (BGP, LDP) between two speakers, and whether its segments are signed. */
export interface RoutingSession {
  protocol: 'bgp' | 'ldp';
  peers: [string, string];
  packets: number;
  /** Segments signed with TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925). */
  md5: number;
  ao: number;
  /** BGP: each speaker's AS and BGP identifier from its OPEN; LDP: LSR IDs. */
  as: Record<string, number>;
  ids: Record<string, string>;
}

/**
 * The routing protocols beyond OSPF, RIP and EIGRP inside one tunnel:
 * IS-IS adjacencies, BGP and LDP sessions, BFD. Bounded like the rest.
 */
export class Adjacencies {
  readonly isis = new Map<string, IsisSystem>();
  readonly sessions = new Map<string, RoutingSession>();
  readonly bfd = { packets: 0, authenticated: 0, states: new Set<string>() };
  readonly ldpHellos = { packets: 0, lsrIds: new Set<string>() };
  /** First and last hello of each system (kept beside, so that the records stay plain). */
  private readonly helloTimes = new Map<string, { first: number; last: number }>();

  constructor(private readonly overflow: Overflow) {}

  get empty(): boolean {
    return this.isis.size === 0 && this.sessions.size === 0 && this.bfd.packets === 0 && this.ldpHellos.packets === 0;
  }

  observeIsis(l: Layer, ts: number): void {
    const id = isisSourceId(l);
    if (!id) return;
    let s = this.isis.get(id);
    if (!s) {
      if (!this.overflow.room(this.isis.size, PER_TUNNEL.ospfRouters, 'IS-IS systems')) return;
      s = {
        systemId: id,
        levels: [],
        packets: 0,
        hellos: 0,
        helloIntervalSec: null,
        holdingTime: null,
        unauthenticated: 0,
        authTypes: [],
      };
      this.isis.set(id, s);
    }
    s.packets++;
    const level = isisLevel(l);
    for (const lv of level === 3 ? [1, 2] : [level]) if (lv > 0 && !s.levels.includes(lv)) s.levels.push(lv);
    const auth = isisAuthType(l);
    // TLVs cut short (-1) or a PDU not all here: its authentication is unknown, counted neither way.
    if (auth > 0) {
      if (!s.authTypes.includes(auth)) s.authTypes.push(auth);
    } else if (auth === 0 && isisWhole(l)) s.unauthenticated++;
    if (!isisIsHello(l)) return;
    s.hellos++;
    s.holdingTime = isisHoldingTime(l);
    let t = this.helloTimes.get(id);
    if (!t) this.helloTimes.set(id, (t = { first: ts, last: ts }));
    t.last = ts;
    s.helloIntervalSec = s.hellos > 1 ? Math.round(((t.last - t.first) / (s.hellos - 1)) * 1000) / 1000 : null;
  }

  /** A TCP segment to or from port 179 (BGP) or 646 (LDP), carried by `net`. */
  observeSession(protocol: 'bgp' | 'ldp', l: Layer, net: Layer): void {
    const src = addressText(net, 'src');
    const dst = addressText(net, 'dst');
    const peers: [string, string] = src < dst ? [src, dst] : [dst, src];
    const key = `${protocol}|${peers[0]}|${peers[1]}`;
    let s = this.sessions.get(key);
    if (!s) {
      if (!this.overflow.room(this.sessions.size, PER_TUNNEL.ospfRouters, 'routing sessions')) return;
      s = { protocol, peers, packets: 0, md5: 0, ao: 0, as: {}, ids: {} };
      this.sessions.set(key, s);
    }
    s.packets++;
    const auth = tcpAuthOption(l);
    if (auth === TCP_OPTION_MD5) s.md5++;
    else if (auth === TCP_OPTION_AO) s.ao++;
    if (l.hdrEnd >= l.end) return;
    if (protocol === 'bgp') {
      const open = bgpOpen(l.buf, l.hdrEnd, l.end);
      if (open) {
        s.as[src] = open.as;
        s.ids[src] = open.bgpId;
      }
    } else {
      const lsr = ldpLsrId(l.buf, l.hdrEnd, l.end);
      if (lsr) s.ids[src] = lsr;
    }
  }

  observeBfd(l: Layer): void {
    const c = bfdControl(l.buf, l.hdrEnd, l.end);
    if (!c) return;
    this.bfd.packets++;
    if (c.authType > 0) this.bfd.authenticated++;
    this.bfd.states.add(c.state);
  }

  observeLdpHello(l: Layer): void {
    const lsr = ldpLsrId(l.buf, l.hdrEnd, l.end);
    if (!lsr) return;
    this.ldpHellos.packets++;
    if (this.ldpHellos.lsrIds.size < PER_TUNNEL.ospfRouters) this.ldpHellos.lsrIds.add(lsr);
  }

  /** Takes in what a later part of the capture saw. */
  absorb(later: Adjacencies): void {
    for (const [id, s] of later.isis) {
      const mine = this.isis.get(id);
      const lt = later.helloTimes.get(id);
      if (!mine) {
        if (!this.overflow.room(this.isis.size, PER_TUNNEL.ospfRouters, 'IS-IS systems')) continue;
        this.isis.set(id, { ...s, levels: [...s.levels], authTypes: [...s.authTypes] });
        if (lt) this.helloTimes.set(id, { ...lt });
        continue;
      }
      mine.packets += s.packets;
      mine.unauthenticated += s.unauthenticated;
      for (const lv of s.levels) if (!mine.levels.includes(lv)) mine.levels.push(lv);
      for (const a of s.authTypes) if (!mine.authTypes.includes(a)) mine.authTypes.push(a);
      if (s.holdingTime !== null) mine.holdingTime = s.holdingTime;
      const t = this.helloTimes.get(id);
      if (lt) {
        if (t) t.last = lt.last;
        else this.helloTimes.set(id, { ...lt });
      }
      mine.hellos += s.hellos;
      const tt = this.helloTimes.get(id);
      mine.helloIntervalSec =
        tt && mine.hellos > 1 ? Math.round(((tt.last - tt.first) / (mine.hellos - 1)) * 1000) / 1000 : null;
    }
    for (const [key, s] of later.sessions) {
      const mine = this.sessions.get(key);
      if (!mine) {
        if (this.overflow.room(this.sessions.size, PER_TUNNEL.ospfRouters, 'routing sessions'))
          this.sessions.set(key, { ...s, as: { ...s.as }, ids: { ...s.ids } });
        continue;
      }
      mine.packets += s.packets;
      mine.md5 += s.md5;
      mine.ao += s.ao;
      Object.assign(mine.as, s.as);
      Object.assign(mine.ids, s.ids);
    }
    this.bfd.packets += later.bfd.packets;
    this.bfd.authenticated += later.bfd.authenticated;
    for (const st of later.bfd.states) this.bfd.states.add(st);
    this.ldpHellos.packets += later.ldpHellos.packets;
    for (const id of later.ldpHellos.lsrIds)
      if (this.ldpHellos.lsrIds.size < PER_TUNNEL.ospfRouters) this.ldpHellos.lsrIds.add(id);
  }

  static readonly fields: FieldCoverage = {
    state: ['isis', 'sessions', 'bfd', 'ldpHellos', 'helloTimes'],
    caches: ['overflow'],
  };

  toState(): Plain {
    return {
      isis: [...this.isis.values()].map((s) => {
        const t = this.helloTimes.get(s.systemId);
        return {
          ...s,
          levels: [...s.levels],
          authTypes: [...s.authTypes],
          ...(t ? { helloTimes: [t.first, t.last] } : {}),
        };
      }),
      sessions: [...this.sessions].map(([key, s]) => [
        key,
        { ...s, peers: [...s.peers], as: Object.entries(s.as), ids: Object.entries(s.ids) },
      ]),
      bfd: { packets: this.bfd.packets, authenticated: this.bfd.authenticated, states: [...this.bfd.states] },
      ldpHellos: { packets: this.ldpHellos.packets, lsrIds: [...this.ldpHellos.lsrIds] },
    };
  }

  static fromState(v: unknown, at: string, overflow: Overflow): Adjacencies {
    const o = read.obj(v, at);
    const adj = new Adjacencies(overflow);
    read.arr(o.isis ?? [], `${at}.isis`, PER_TUNNEL.ospfRouters).forEach((x, i) => {
      const a = `${at}.isis[${i}]`;
      const r = read.obj(x, a);
      const systemId = read.str(r.systemId, `${a}.systemId`, 64);
      if (adj.isis.has(systemId)) throw new StateError(`${a}: system given twice`);
      adj.isis.set(systemId, {
        systemId,
        levels: read.arr(r.levels, `${a}.levels`, 2).map((y, j) => read.int(y, `${a}.levels[${j}]`, 1, 2)),
        packets: read.int(r.packets, `${a}.packets`),
        hellos: read.int(r.hellos, `${a}.hellos`),
        helloIntervalSec: r.helloIntervalSec === null ? null : read.time(r.helloIntervalSec, `${a}.helloIntervalSec`),
        holdingTime: r.holdingTime === null ? null : read.int(r.holdingTime, `${a}.holdingTime`, 0, 0xffff),
        unauthenticated: read.int(r.unauthenticated, `${a}.unauthenticated`),
        authTypes: read
          .arr(r.authTypes, `${a}.authTypes`, 256)
          .map((y, j) => read.int(y, `${a}.authTypes[${j}]`, 0, 255)),
      });
      if (r.helloTimes !== undefined) {
        const t = read.arr(r.helloTimes, `${a}.helloTimes`, 2);
        if (t.length !== 2) throw new StateError(`${a}.helloTimes: expected [first, last]`);
        adj.helloTimes.set(systemId, {
          first: read.time(t[0], `${a}.helloTimes[0]`),
          last: read.time(t[1], `${a}.helloTimes[1]`),
        });
      }
    });
    read.arr(o.sessions ?? [], `${at}.sessions`, PER_TUNNEL.ospfRouters).forEach((x, i) => {
      const a = `${at}.sessions[${i}]`;
      const pair = read.arr(x, a, 2);
      const key = read.str(pair[0], `${a}[0]`, 256);
      if (adj.sessions.has(key)) throw new StateError(`${a}: session given twice`);
      const r = read.obj(pair[1], `${a}[1]`);
      const peers = read.arr(r.peers, `${a}[1].peers`, 2).map((y, j) => read.str(y, `${a}[1].peers[${j}]`, 64));
      if (peers.length !== 2) throw new StateError(`${a}[1].peers: expected two`);
      const as: Record<string, number> = {};
      read.arr(r.as, `${a}[1].as`, 2).forEach((y, j) => {
        const e = read.arr(y, `${a}[1].as[${j}]`, 2);
        as[read.str(e[0], `${a}[1].as[${j}][0]`, 64)] = read.u32(e[1], `${a}[1].as[${j}][1]`);
      });
      const ids: Record<string, string> = {};
      read.arr(r.ids, `${a}[1].ids`, 2).forEach((y, j) => {
        const e = read.arr(y, `${a}[1].ids[${j}]`, 2);
        ids[read.str(e[0], `${a}[1].ids[${j}][0]`, 64)] = read.str(e[1], `${a}[1].ids[${j}][1]`, 64);
      });
      adj.sessions.set(key, {
        protocol: read.oneOf(r.protocol, `${a}[1].protocol`, ['bgp', 'ldp'] as const),
        peers: [peers[0]!, peers[1]!],
        packets: read.int(r.packets, `${a}[1].packets`),
        md5: read.int(r.md5, `${a}[1].md5`),
        ao: read.int(r.ao, `${a}[1].ao`),
        as,
        ids,
      });
    });
    if (o.bfd !== undefined) {
      const bfd = read.obj(o.bfd, `${at}.bfd`);
      adj.bfd.packets = read.int(bfd.packets, `${at}.bfd.packets`);
      adj.bfd.authenticated = read.int(bfd.authenticated, `${at}.bfd.authenticated`);
      for (const x of read.set(bfd.states, `${at}.bfd.states`, 16, (y, a) => read.str(y, a, 32))) adj.bfd.states.add(x);
    }
    if (o.ldpHellos !== undefined) {
      const h = read.obj(o.ldpHellos, `${at}.ldpHellos`);
      adj.ldpHellos.packets = read.int(h.packets, `${at}.ldpHellos.packets`);
      for (const x of read.set(h.lsrIds, `${at}.ldpHellos.lsrIds`, PER_TUNNEL.ospfRouters, (y, a) =>
        read.str(y, a, 64),
      ))
        adj.ldpHellos.lsrIds.add(x);
    }
    return adj;
  }
}
