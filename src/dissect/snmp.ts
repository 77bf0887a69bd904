import type { Layer } from './packet.js';

const latin1 = new TextDecoder('latin1');

/**
 * The community string of an SNMPv1/v2c message, the payload of a UDP (or
 * TCP) layer; SNMP is not dissected as a layer of its own. SEQUENCE { INTEGER version (0 or
 * 1), OCTET STRING community, ... } with short BER lengths; null for
 * anything else, or for a message cut before the community's end.
 */
export function snmpCommunity(carrier: Layer): string | null {
  const buf = carrier.buf;
  const p = carrier.hdrEnd;
  const end = carrier.end;
  if (p < 0 || p + 7 > end || buf[p] !== 0x30) return null;
  let q = p + 2;
  if (buf[p + 1]! & 0x80) q += buf[p + 1]! & 0x7f;
  if (buf[q] !== 0x02 || buf[q + 1] !== 1 || buf[q + 2]! > 1) return null;
  q += 3;
  if (buf[q] !== 0x04) return null;
  const len = buf[q + 1]!;
  if (len & 0x80 || q + 2 + len > end) return null;
  return latin1.decode(buf.subarray(q + 2, q + 2 + len));
}
