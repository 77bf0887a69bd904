import { createHash } from 'node:crypto';
import { parseIp } from '../util/ip-text.js';

/**
 * Community ID v1 (the cross-tool flow hash that Zeek, Suricata, Arkime and
 * others write): SHA-1 over the seed, the two addresses, the IP protocol, a
 * zero byte and the two ports, the endpoints ordered so that both
 * directions hash alike, as "1:" and the digest in base64. ICMP and ICMPv6
 * take type and code as ports, a request and its reply as one flow.
 */
const PORTED = new Set([6, 17, 132, 1, 58]);
/** ICMP types that have a counterpart (request and reply): that counterpart stands as the second port. */
const ICMP4_PAIRS: Record<number, number> = {
  8: 0,
  0: 8,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  10: 9,
  9: 10,
  17: 18,
  18: 17,
};
const ICMP6_PAIRS: Record<number, number> = {
  128: 129,
  129: 128,
  133: 134,
  134: 133,
  135: 136,
  136: 135,
  130: 131,
  131: 130,
  139: 140,
  140: 139,
  144: 145,
  145: 144,
};

function less(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The Community ID of a flow, or null when an address is not an IP address. */
export function communityId(
  proto: number,
  src: string,
  dst: string,
  srcPort = 0,
  dstPort = 0,
  seed = 0,
): string | null {
  let a = parseIp(src);
  let b = parseIp(dst);
  if (!a || !b || a.length !== b.length) return null;
  let sp = srcPort;
  let dp = dstPort;
  let oneWay = false;
  if (proto === 1 || proto === 58) {
    // For ICMP, srcPort is the type and dstPort the code.
    const pair = (proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS)[srcPort];
    if (pair === undefined) oneWay = true;
    else dp = pair;
  }
  const ported = PORTED.has(proto);
  if (!oneWay) {
    const c = less(a, b);
    if (c > 0 || (c === 0 && ported && sp > dp)) {
      [a, b] = [b, a];
      [sp, dp] = [dp, sp];
    }
  }
  const buf = Buffer.alloc(2 + a.length * 2 + 2 + (ported ? 4 : 0));
  let o = buf.writeUInt16BE(seed, 0);
  buf.set(a, o);
  o += a.length;
  buf.set(b, o);
  o += b.length;
  o = buf.writeUInt8(proto, o);
  o = buf.writeUInt8(0, o);
  if (ported) {
    o = buf.writeUInt16BE(sp, o);
    buf.writeUInt16BE(dp, o);
  }
  return `1:${createHash('sha1').update(buf).digest('base64')}`;
}
