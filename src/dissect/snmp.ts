import type { Layer } from './packet.js';

const latin1 = new TextDecoder('latin1');

/** SNMPv3 (RFC 3412): its messages carry no community; with privacy their PDU is encrypted. */
export const SNMP_V3 = 3;

/**
 * Where the version INTEGER of an SNMP message starts, the payload of a UDP (or TCP) layer: SEQUENCE { INTEGER
 * version, ... } with a short or long BER length; -1 for anything else. SNMP is not dissected as a layer of its own.
 */
function versionAt(carrier: Layer): number {
  const buf = carrier.buf;
  const p = carrier.hdrEnd;
  if (p < 0 || p + 7 > carrier.end || buf[p] !== 0x30) return -1;
  const q = p + 2 + (buf[p + 1]! & 0x80 ? buf[p + 1]! & 0x7f : 0);
  return q + 3 <= carrier.end && buf[q] === 0x02 && buf[q + 1] === 1 ? q : -1;
}

/** The message's version: 0 (SNMPv1), 1 (v2c), 3 (v3), or -1 when it is not an SNMP message's start. */
export function snmpVersion(carrier: Layer): number {
  const q = versionAt(carrier);
  return q < 0 ? -1 : carrier.buf[q + 2]!;
}

/**
 * The community string of an SNMPv1/v2c message (after the version, an OCTET STRING with a short length); null for
 * anything else, or for a message cut before the community's end.
 */
export function snmpCommunity(carrier: Layer): string | null {
  const buf = carrier.buf;
  let q = versionAt(carrier);
  if (q < 0 || buf[q + 2]! > 1) return null;
  q += 3;
  if (buf[q] !== 0x04) return null;
  const len = buf[q + 1]!;
  if (len & 0x80 || q + 2 + len > carrier.end) return null;
  return latin1.decode(buf.subarray(q + 2, q + 2 + len));
}
