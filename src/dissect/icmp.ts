import { Table, type Layer, type PacketCtx, type Protocol } from './packet.js';

/**
 * ICMP and ICMPv6. An error message quotes the packet that caused it; that
 * packet is dissected too, with its layers marked quoted, so it is never
 * mistaken for traffic. aux = 1 when this message quotes a packet.
 */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);

function quote(ctx: PacketCtx, l: Layer, etherType: number): void {
  l.aux = 1;
  ctx.quoted = true;
  if (l.hdrEnd < l.end) ctx.handoff(l, Table.EtherType, etherType, l.hdrEnd, l.end);
}

const V4_NAMES: Record<number, string> = {
  0: 'echo reply', 3: 'unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  11: 'time exceeded', 12: 'parameter problem', 13: 'timestamp', 14: 'timestamp reply',
};
const V4_UNREACH: Record<number, string> = {
  0: 'net', 1: 'host', 2: 'protocol', 3: 'port', 4: 'fragmentation needed', 13: 'administratively prohibited',
};

/** Type 3 code 4: the path MTU the router asked for (RFC 1191), or 0. */
export function icmpNextHopMtu(l: Layer): number {
  return l.buf[l.off] === 3 && l.buf[l.off + 1] === 4 ? l.dv.getUint16(l.off + 6) : 0;
}

export const icmp: Protocol = {
  name: 'icmp',
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    l.aux = 0;
    if (ICMP_ERRORS.has(l.buf[l.off]!) && !ctx.quoted) quote(ctx, l, 0x0800);
  },
  fields(l) {
    const type = l.buf[l.off]!;
    const o: Record<string, unknown> = { type, code: l.buf[l.off + 1] };
    if (type === 0 || type === 8) {
      o.id = l.dv.getUint16(l.off + 4);
      o.seq = l.dv.getUint16(l.off + 6);
    }
    const mtu = icmpNextHopMtu(l);
    if (mtu) o.mtu = mtu;
    return o;
  },
  jsonMembers(l, out) {
    const type = l.buf[l.off]!;
    out.str('"type":').num(type).str(',"code":').num(l.buf[l.off + 1]!);
    if (type === 0 || type === 8) out.str(',"id":').num(l.dv.getUint16(l.off + 4)).str(',"seq":').num(l.dv.getUint16(l.off + 6));
    const mtu = icmpNextHopMtu(l);
    if (mtu) out.str(',"mtu":').num(mtu);
  },
  summary(l, out) {
    const type = l.buf[l.off]!;
    const code = l.buf[l.off + 1]!;
    out.str('ICMP ');
    if (V4_NAMES[type] !== undefined) out.str(V4_NAMES[type]);
    else out.str('type ').num(type);
    if (type === 3) {
      if (V4_UNREACH[code] !== undefined) out.byte(0x20).str(V4_UNREACH[code]);
      else out.str(' code ').num(code);
    }
    const mtu = icmpNextHopMtu(l);
    if (mtu) out.str(' (mtu ').num(mtu).byte(0x29);
    if (type === 0 || type === 8) out.str(' id ').num(l.dv.getUint16(l.off + 4)).str(' seq ').num(l.dv.getUint16(l.off + 6));
    if (l.aux) out.str(', quoting');
  },
};

const V6_NAMES: Record<number, string> = {
  1: 'unreachable', 2: 'packet too big', 3: 'time exceeded', 4: 'parameter problem',
  128: 'echo request', 129: 'echo reply', 130: 'MLD query', 131: 'MLD report', 132: 'MLD done',
  133: 'router solicitation', 134: 'router advertisement', 135: 'neighbor solicitation',
  136: 'neighbor advertisement', 137: 'redirect', 143: 'MLDv2 report',
};

export const icmpv6: Protocol = {
  name: 'icmpv6',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = Math.min(l.end, l.off + 8);
    l.aux = 0;
    if (ICMPV6_ERRORS.has(l.buf[l.off]!) && !ctx.quoted && l.off + 8 <= l.end) quote(ctx, l, 0x86dd);
  },
  fields(l) {
    const type = l.buf[l.off]!;
    const o: Record<string, unknown> = { type, code: l.buf[l.off + 1] };
    if (type === 2 && l.off + 8 <= l.end) o.mtu = l.dv.getUint32(l.off + 4);
    return o;
  },
  summary(l, out) {
    const type = l.buf[l.off]!;
    out.str('ICMPv6 ');
    if (V6_NAMES[type] !== undefined) out.str(V6_NAMES[type]);
    else out.str('type ').num(type);
    if (type === 2 && l.off + 8 <= l.end) out.str(' (mtu ').num(l.dv.getUint32(l.off + 4)).byte(0x29);
    if ((type === 128 || type === 129) && l.off + 8 <= l.end) out.str(' id ').num(l.dv.getUint16(l.off + 4)).str(' seq ').num(l.dv.getUint16(l.off + 6));
    if (l.aux) out.str(', quoting');
  },
};
