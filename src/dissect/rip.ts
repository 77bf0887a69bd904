import { ipv6 } from './addr.js';
import type { Layer, Protocol } from './packet.js';

/**
 * RIPv1/v2 (UDP 520, RFC 2453) and RIPng (UDP 521, RFC 2080): 20-byte route
 * entries. A RIPv2 first entry with family 0xFFFF is authentication (type 2
 * simple password, 3 keyed MD5); the password itself is never read out.
 */
const COMMANDS = ['', 'Request', 'Response'];
export const RIP_AUTH_FAMILY = 0xffff;

/** RIPv2 authentication type, or 0 when the message carries none. */
export function ripAuthType(l: Layer): number {
  const p = l.off + 4;
  if (p + 20 > l.end || l.dv.getUint16(p) !== RIP_AUTH_FAMILY) return 0;
  return l.dv.getUint16(p + 2);
}

export const rip: Protocol = {
  name: 'rip',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
  },
  jsonMembers(l, out) {
    out.str('"command":').num(l.buf[l.off]!).str(',"version":').num(l.buf[l.off + 1]!).str(',"routes":[');
    let first = true;
    for (let p = l.off + 4; p + 20 <= l.end; p += 20) {
      if (l.dv.getUint16(p) !== 2) continue;
      if (!first) out.byte(0x2c);
      first = false;
      out.str('{"prefix":"').ipv4(l.buf, p + 4);
      const mask = l.dv.getUint32(p + 8);
      if (mask) out.byte(0x2f).num(popcount(mask));
      out.str('","metric":').num(l.dv.getUint32(p + 16)).byte(0x7d);
    }
    out.byte(0x5d);
    const auth = ripAuthType(l);
    if (auth) out.str(',"authType":').num(auth);
  },
  summary(l, out) {
    const command = l.buf[l.off]!;
    out.str('RIPv').num(l.buf[l.off + 1]!).byte(0x20);
    if (COMMANDS[command] !== undefined) out.str(COMMANDS[command]);
    else out.str('command ').num(command);
    out.byte(0x20).num(Math.floor((l.end - l.off - 4) / 20)).str(' entries');
  },
};

export const ripng: Protocol = {
  name: 'ripng',
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
  },
  fields(l) {
    const routes: { prefix: string; metric: number }[] = [];
    for (let p = l.off + 4; p + 20 <= l.end; p += 20) {
      routes.push({ prefix: `${ipv6(l.buf, p)}/${l.buf[p + 18]}`, metric: l.buf[p + 19]! });
    }
    return { command: l.buf[l.off], version: l.buf[l.off + 1], routes };
  },
  summary: (l, out) => out.str(`RIPng ${COMMANDS[l.buf[l.off]!] ?? `command ${l.buf[l.off]}`} ${Math.floor((l.end - l.off - 4) / 20)} entries`),
};

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}
