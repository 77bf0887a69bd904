/**
 * BGP (RFC 4271) on TCP 179: the audit reads OPEN messages for the
 * speaker's AS (the 4-byte AS capability of RFC 6793 where present) and BGP
 * identifier. TCP segments are not reassembled: an OPEN is read where a
 * segment begins with one, as it does in practice (it is the first message).
 */
export const BGP_PORT = 179;
const BGP_OPEN = 1;
const CAPABILITIES = 2;
const CAP_AS4 = 65;

export interface BgpOpen {
  as: number;
  holdTime: number;
  bgpId: string;
}

/** The OPEN message at [p, end) of a TCP payload, or null. */
export function bgpOpen(buf: Uint8Array, p: number, end: number): BgpOpen | null {
  if (p + 29 > end) return null;
  for (let i = 0; i < 16; i++) if (buf[p + i] !== 0xff) return null;
  const len = (buf[p + 16]! << 8) | buf[p + 17]!;
  if (buf[p + 18] !== BGP_OPEN || len < 29 || p + len > end) return null;
  let as = (buf[p + 20]! << 8) | buf[p + 21]!;
  const holdTime = (buf[p + 22]! << 8) | buf[p + 23]!;
  const bgpId = `${buf[p + 24]}.${buf[p + 25]}.${buf[p + 26]}.${buf[p + 27]}`;
  const optEnd = Math.min(p + 29 + buf[p + 28]!, p + len);
  for (let q = p + 29; q + 2 <= optEnd; q += 2 + buf[q + 1]!) {
    if (buf[q] !== CAPABILITIES) continue;
    const capEnd = Math.min(q + 2 + buf[q + 1]!, optEnd);
    for (let c = q + 2; c + 2 <= capEnd; c += 2 + buf[c + 1]!) {
      if (buf[c] === CAP_AS4 && buf[c + 1] === 4 && c + 6 <= capEnd)
        as = ((buf[c + 2]! << 24) | (buf[c + 3]! << 16) | (buf[c + 4]! << 8) | buf[c + 5]!) >>> 0;
    }
  }
  return { as, holdTime, bgpId };
}
