import { DMVPN_LIMITS, newDmvpnState, type DmvpnState, type FlowLeg, type NhrpEvent } from './dmvpn.js';
import { read, StateError, type Plain } from './state.js';
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
  for (const [i, x] of read.arr(o.events, `${at}.events`, DMVPN_LIMITS.events).entries()) {
    const a = `${at}.events[${i}]`;
    const e = read.obj(x, a);
    const event: NhrpEvent = {
      t: read.time(e.t, `${a}.t`),
      type: read.int(e.type, `${a}.type`, 0, 255),
      reqid: num(e.reqid, `${a}.reqid`),
      srcNbma: text(e.srcNbma, `${a}.srcNbma`),
      srcProto: text(e.srcProto, `${a}.srcProto`),
      dstProto: text(e.dstProto, `${a}.dstProto`),
      outerSrc: read.str(e.outerSrc, `${a}.outerSrc`, 64),
      outerDst: read.str(e.outerDst, `${a}.outerDst`, 64),
      key: e.key === null ? null : read.u32(e.key, `${a}.key`),
      code: num(e.code, `${a}.code`),
      holdingTime: num(e.holdingTime, `${a}.holdingTime`),
      prefix: num(e.prefix, `${a}.prefix`),
      clientNbma: text(e.clientNbma, `${a}.clientNbma`),
      clientProto: text(e.clientProto, `${a}.clientProto`),
      natNbma: text(e.natNbma, `${a}.natNbma`),
      natProto: text(e.natProto, `${a}.natProto`),
      authSpi: num(e.authSpi, `${a}.authSpi`),
      protection: read.oneOf(e.protection, `${a}.protection`, PROTECTIONS),
      natT: read.bool(e.natT, `${a}.natT`),
      quotedType: num(e.quotedType, `${a}.quotedType`),
      quotedReqid: num(e.quotedReqid, `${a}.quotedReqid`),
      quotedSrc: text(e.quotedSrc, `${a}.quotedSrc`),
      quotedDst: text(e.quotedDst, `${a}.quotedDst`),
    };
    s.events.push(event);
  }
  for (const [i, x] of read.arr(o.flows, `${at}.flows`, DMVPN_LIMITS.flows).entries()) {
    const a = `${at}.flows[${i}]`;
    const f = read.arr(x, a, 3);
    const src = read.u32(f[0], `${a}[0]`);
    const dst = read.u32(f[1], `${a}[1]`);
    let byDst = s.flows.get(src);
    if (!byDst) s.flows.set(src, (byDst = new Map()));
    if (byDst.has(dst)) throw new StateError(`${a}: flow given twice`);
    const legs: FlowLeg[] = read.arr(f[2], `${a}[2]`, DMVPN_LIMITS.legsPerFlow).map((y, j) => {
      const l = read.arr(y, `${a}[2][${j}]`, 5);
      return {
        src: read.u32(l[0], `${a}[2][${j}][0]`),
        dst: read.u32(l[1], `${a}[2][${j}][1]`),
        key: read.int(l[2], `${a}[2][${j}][2]`, -1, U32),
        packets: read.int(l[3], `${a}[2][${j}][3]`),
        first: read.time(l[4], `${a}[2][${j}][4]`),
      };
    });
    byDst.set(dst, legs);
    s.flowCount++;
  }
  s.flowsNotKept = read.int(o.flowsNotKept, `${at}.flowsNotKept`);
  return s;
}
