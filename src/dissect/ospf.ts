import type { Layer, Protocol } from './packet.js';
import { W } from './warnings.js';

/**
 * OSPFv2 (RFC 2328, 24-byte header with authentication) and OSPFv3
 * (RFC 5340, 16-byte header). Hello bodies give the intervals that must
 * match for an adjacency. Passwords are never read out.
 */
export const OSPF_HELLO = 1;
const TYPE_NAMES = ['', 'Hello', 'DB Description', 'LS Request', 'LS Update', 'LS Ack'];

/** OSPFv2 authentication types (RFC 2328 D.3, RFC 5709), as the audit, the UI and the text report name them. */
const OSPF_AUTH_NAMES: Record<number, string> = { 0: 'none', 1: 'simple password', 2: 'cryptographic' };
export const OSPF_AUTH_NONE = 0;
export const OSPF_AUTH_SIMPLE = 1;
export function ospfAuthName(authType: number): string {
  return OSPF_AUTH_NAMES[authType] ?? `type ${authType}`;
}

export const ospfVersion = (l: Layer): number => l.buf[l.off]!;
export const ospfType = (l: Layer): number => l.buf[l.off + 1]!;

/**
 * Hello interval, dead interval and where the (v2) network mask is (-1 in
 * v3) of a Hello, or null when not a whole Hello.
 */
function ospfHello(l: Layer): { hello: number; dead: number; maskAt: number } | null {
  if (ospfType(l) !== OSPF_HELLO) return null;
  const b = l.hdrEnd;
  if (b + 12 > l.end) return null;
  if (ospfVersion(l) === 2) return { maskAt: b, hello: l.dv.getUint16(b + 4), dead: l.dv.getUint32(b + 8) };
  return { maskAt: -1, hello: l.dv.getUint16(b + 8), dead: l.dv.getUint16(b + 10) };
}

export const ospf: Protocol = {
  name: 'ospf',
  dissect(ctx, l) {
    if (!ctx.need(l, 16)) return;
    const version = l.buf[l.off]!;
    if (version !== 2 && version !== 3) return ctx.warn(l, W.badVersion, version);
    const hlen = version === 2 ? 24 : 16;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    const len = l.dv.getUint16(l.off + 2);
    if (len < hlen || l.off + len > l.end) {
      if (len < hlen || !l.short) ctx.warn(l, W.badLength, len, l.end - l.off);
    } else l.end = l.off + len;
  },
  jsonMembers(l, out) {
    const version = ospfVersion(l);
    out.str('"version":').num(version).str(',"type":').num(ospfType(l))
      .str(',"routerId":"').ipv4(l.buf, l.off + 4).str('","area":"').ipv4(l.buf, l.off + 8).byte(0x22);
    if (version === 2) {
      const authType = l.dv.getUint16(l.off + 14);
      out.str(',"authType":').num(authType);
      if (authType === 2) out.str(',"keyId":').num(l.buf[l.off + 18]!);
    } else out.str(',"instanceId":').num(l.buf[l.off + 14]!);
    const hello = ospfHello(l);
    if (hello) {
      out.str(',"helloInterval":').num(hello.hello).str(',"deadInterval":').num(hello.dead);
      if (hello.maskAt >= 0) out.str(',"networkMask":"').ipv4(l.buf, hello.maskAt).byte(0x22);
    }
  },
  summary(l, out) {
    const type = ospfType(l);
    out.str('OSPFv').num(ospfVersion(l)).byte(0x20);
    if (TYPE_NAMES[type] !== undefined) out.str(TYPE_NAMES[type]);
    else out.str('type ').num(type);
    out.str(' router ').ipv4(l.buf, l.off + 4).str(' area ').ipv4(l.buf, l.off + 8);
  },
};
