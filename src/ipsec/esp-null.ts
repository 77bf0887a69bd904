import { internetChecksum } from '../util/checksum.js';

/**
 * Recognises ESP with NULL encryption without keys, as Wireshark's
 * esp.enable_null_encryption_decode_heuristic does: for ICV lengths of 12,
 * 16, 24 and 32 bytes, the trailer must hold the RFC 4303 padding 1, 2, 3...,
 * its length, and a next-header byte. Random ciphertext passes that test
 * about once in a thousand packets, so we also require the inner header to
 * be consistent (a checksum or a length that agrees), which real NULL-ESP
 * always is and ciphertext almost never.
 */
const ICV_LENGTHS = [12, 16, 24, 32];

export interface NullEspPayload {
  nextHeader: number;
  /** The clear payload is [start, payloadEnd). */
  payloadEnd: number;
  icvLength: number;
}

export function detectNullEsp(buf: Uint8Array, dv: DataView, start: number, end: number): NullEspPayload | null {
  for (const icv of ICV_LENGTHS) {
    const trailerEnd = end - icv;
    if (trailerEnd - 2 <= start) continue;
    const padLength = buf[trailerEnd - 2]!;
    const nextHeader = buf[trailerEnd - 1]!;
    const payloadEnd = trailerEnd - 2 - padLength;
    if (payloadEnd <= start) continue;
    let padOk = true;
    for (let i = 0; i < padLength; i++)
      if (buf[payloadEnd + i] !== i + 1) {
        padOk = false;
        break;
      }
    if (padOk && plausibleInner(nextHeader, buf, dv, start, payloadEnd))
      return { nextHeader, payloadEnd, icvLength: icv };
  }
  return null;
}

/** Does [start, end) look like a whole packet of protocol `nh`? Shared with decryption, where no ICV was checked. */
export function plausibleInner(nh: number, buf: Uint8Array, dv: DataView, start: number, end: number): boolean {
  const len = end - start;
  switch (nh) {
    case 4: {
      // IPv4 (tunnel mode): version, header length, total length and header checksum agree
      if (len < 20 || buf[start]! >> 4 !== 4) return false;
      const hlen = (buf[start]! & 0xf) * 4;
      return (
        hlen >= 20 && hlen <= len && dv.getUint16(start + 2) === len && internetChecksum(dv, start, start + hlen) === 0
      );
    }
    case 41: // IPv6 (tunnel mode): version and payload length agree
      return len >= 40 && buf[start]! >> 4 === 6 && dv.getUint16(start + 4) === len - 40;
    case 47: {
      // GRE (transport mode, the recommended GRE over IPsec): version 0 or 1, no reserved bits
      if (len < 4) return false;
      const flags = dv.getUint16(start);
      const version = flags & 7;
      return (
        (version === 0 && (flags & 0x00f8) === 0) ||
        (version === 1 && (flags & 0x2000) !== 0 && dv.getUint16(start + 2) === 0x880b)
      );
    }
    case 17: // UDP: its length field is the payload's
      return len >= 8 && dv.getUint16(start + 4) === len;
    case 6: {
      // TCP: a header length that fits and reserved bits clear
      if (len < 20) return false;
      const hlen = (buf[start + 12]! >> 4) * 4;
      return hlen >= 20 && hlen <= len && (buf[start + 12]! & 0x0e) === 0;
    }
    case 1: // ICMP: the checksum covers the whole message
      return len >= 8 && internetChecksum(dv, start, end) === 0;
    case 58: // ICMPv6: a known type (its checksum needs the addresses we may not have)
      return len >= 8 && ((buf[start]! >= 1 && buf[start]! <= 4) || (buf[start]! >= 128 && buf[start]! <= 143));
    case 89: // OSPF: version and length agree
      return len >= 24 && (buf[start] === 2 || buf[start] === 3) && dv.getUint16(start + 2) <= len;
    default:
      return false;
  }
}
