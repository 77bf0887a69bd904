import { DMVPN_LIMITS, newDmvpnState, type DmvpnState, type FlowLeg, type NhrpEvent } from './dmvpn.js';
import { eachWithin, read, StateError, type Plain } from './state.js';
import { PROTECTIONS } from './tunnel.js';

/**
 * The DMVPN view's state (NHRP messages and inner flows, dmvpn.ts) as plain
 * data for partials and worker threads, and back, every value checked.
 */
export function dmvpnToState(s: DmvpnState): Plain {
  const flows: Plain[] = [];
  for (const [src, byDst] of s.flows)
    for (const [dst, legs] of byDst) flows.push([src, dst, legs.map((l) => [l.src, l.dst, l.key, l.packets, l.first])]);
  return { events: s.events.map((e) => ({ ...e }) as unknown as Plain), flows, flowsNotKept: s.flowsNotKept };
}

const U32 = 0xffffffff;
const num = (v: unknown, at: string) => read.int(v, at, -1, U32);
const text = (v: unknown, at: string) => (v === null ? null : read.str(v, at, 64));

export function dmvpnFromState(v: unknown, at: string): DmvpnState {
  const s = newDmvpnState();
  if (v === undefined) return s; // a table with no NHRP leaves it out
  const o = read.obj(v, at);
  // Paths relative to each item (eachWithin): their text is made only for a check that fails.
  eachWithin(read.arr(o.events, `${at}.events`, DMVPN_LIMITS.events), `${at}.events`, (x) => {
    const e = read.obj(x, '');
    const event: NhrpEvent = {
      t: read.time(e.t, '.t'),
      type: read.int(e.type, '.type', 0, 255),
      reqid: num(e.reqid, '.reqid'),
      srcNbma: text(e.srcNbma, '.srcNbma'),
      srcProto: text(e.srcProto, '.srcProto'),
      dstProto: text(e.dstProto, '.dstProto'),
      outerSrc: read.str(e.outerSrc, '.outerSrc', 64),
      outerDst: read.str(e.outerDst, '.outerDst', 64),
      key: e.key === null ? null : read.u32(e.key, '.key'),
      code: num(e.code, '.code'),
      holdingTime: num(e.holdingTime, '.holdingTime'),
      prefix: num(e.prefix, '.prefix'),
      clientNbma: text(e.clientNbma, '.clientNbma'),
      clientProto: text(e.clientProto, '.clientProto'),
      natNbma: text(e.natNbma, '.natNbma'),
      natProto: text(e.natProto, '.natProto'),
      authSpi: num(e.authSpi, '.authSpi'),
      protection: read.oneOf(e.protection, '.protection', PROTECTIONS),
      natT: read.bool(e.natT, '.natT'),
      quotedType: num(e.quotedType, '.quotedType'),
      quotedReqid: num(e.quotedReqid, '.quotedReqid'),
      quotedSrc: text(e.quotedSrc, '.quotedSrc'),
      quotedDst: text(e.quotedDst, '.quotedDst'),
    };
    s.events.push(event);
  });
  eachWithin(read.arr(o.flows, `${at}.flows`, DMVPN_LIMITS.flows), `${at}.flows`, (x) => {
    const f = read.arr(x, '', 3);
    const src = read.u32(f[0], '[0]');
    const dst = read.u32(f[1], '[1]');
    let byDst = s.flows.get(src);
    if (!byDst) s.flows.set(src, (byDst = new Map()));
    if (byDst.has(dst)) throw new StateError(': flow given twice');
    const legs: FlowLeg[] = [];
    eachWithin(read.arr(f[2], '[2]', DMVPN_LIMITS.legsPerFlow), '[2]', (y) => {
      const l = read.arr(y, '', 5);
      legs.push({
        src: read.u32(l[0], '[0]'),
        dst: read.u32(l[1], '[1]'),
        key: read.int(l[2], '[2]', -1, U32),
        packets: read.int(l[3], '[3]'),
        first: read.time(l[4], '[4]'),
      });
    });
    byDst.set(dst, legs);
    s.flowCount++;
  });
  s.flowsNotKept = read.int(o.flowsNotKept, `${at}.flowsNotKept`);
  return s;
}
