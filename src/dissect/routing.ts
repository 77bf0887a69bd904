import { ipv4 } from './addr.js';
import { Table, type Protocol } from './packet.js';

/** The small multicast control protocols that run across tunnels: EIGRP, PIM, IGMP, VRRP. */

const EIGRP_OPCODES: Record<number, string> = { 1: 'Update', 3: 'Query', 4: 'Reply', 5: 'Hello', 10: 'SIA-Query', 11: 'SIA-Reply' };

/** EIGRP (RFC 7868): 20-byte header with the autonomous system number. */
export const eigrp: Protocol = {
  name: 'eigrp',
  dissect(ctx, l) {
    if (!ctx.need(l, 20)) return;
    l.hdrEnd = l.off + 20;
  },
  fields: (l) => ({
    version: l.buf[l.off], opcode: l.buf[l.off + 1], flags: l.dv.getUint32(l.off + 4),
    seq: l.dv.getUint32(l.off + 8), ack: l.dv.getUint32(l.off + 12), as: l.dv.getUint16(l.off + 18),
  }),
  summary: (l, out) => out.str(`EIGRP ${EIGRP_OPCODES[l.buf[l.off + 1]!] ?? `opcode ${l.buf[l.off + 1]}`} AS ${l.dv.getUint16(l.off + 18)}`),
};

const PIM_TYPES = ['Hello', 'Register', 'Register-Stop', 'Join/Prune', 'Bootstrap', 'Assert', 'Graft', 'Graft-Ack', 'Candidate-RP-Advertisement'];

/** PIMv2 (RFC 7761): version and message type; a Register (type 1) carries the multicast packet it registers. */
export const pim: Protocol = {
  name: 'pim',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    const registerData = l.off + 8;
    if ((l.buf[l.off]! & 0xf) === 1 && l.buf[l.off]! >> 4 === 2 && registerData < l.end) {
      l.hdrEnd = registerData;
      const v = l.buf[registerData]! >> 4;
      if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, registerData, l.end);
    }
  },
  fields: (l) => ({ version: l.buf[l.off]! >> 4, type: l.buf[l.off]! & 0xf }),
  summary: (l, out) => out.str(`PIMv${l.buf[l.off]! >> 4} ${PIM_TYPES[l.buf[l.off]! & 0xf] ?? `type ${l.buf[l.off]! & 0xf}`}`),
};

const IGMP_TYPES: Record<number, string> = {
  0x11: 'query', 0x12: 'v1 report', 0x16: 'v2 report', 0x17: 'leave', 0x22: 'v3 report', 0x13: 'DVMRP', 0x14: 'PIMv1',
};

/** IGMP (RFC 1112, 2236, 3376): type and group; a v3 report carries records instead. */
export const igmp: Protocol = {
  name: 'igmp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
  },
  fields(l) {
    const type = l.buf[l.off]!;
    const o: Record<string, unknown> = { type, maxResponse: l.buf[l.off + 1] };
    if (type === 0x22) o.records = l.dv.getUint16(l.off + 6);
    else o.group = ipv4(l.buf, l.off + 4);
    return o;
  },
  summary(l, out) {
    const type = l.buf[l.off]!;
    out.str(`IGMP ${IGMP_TYPES[type] ?? `type ${type}`}`);
    if (type !== 0x22) out.byte(0x20).ipv4(l.buf, l.off + 4);
  },
};

/** VRRP (RFC 5798): version, virtual router ID, priority. */
export const vrrp: Protocol = {
  name: 'vrrp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
  },
  fields: (l) => ({ version: l.buf[l.off]! >> 4, type: l.buf[l.off]! & 0xf, vrid: l.buf[l.off + 1], priority: l.buf[l.off + 2] }),
  summary: (l, out) => out.str(`VRRPv${l.buf[l.off]! >> 4} vrid ${l.buf[l.off + 1]} prio ${l.buf[l.off + 2]}`),
};
