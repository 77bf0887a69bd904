/** The Internet checksum (RFC 1071) of buf[off, end): 0 when a packet that includes its checksum is intact. */
export function internetChecksum(dv: DataView, off: number, end: number, initial = 0): number {
  let sum = initial;
  let i = off;
  // 32-bit reads (half as many), added as their two 16-bit halves so that the
  // sum stays a small integer for any packet; folded below (& keeps the low 16 bits of any safe integer).
  for (; i + 3 < end; i += 4) {
    const w = dv.getUint32(i);
    sum += (w >>> 16) + (w & 0xffff);
  }
  for (; i + 1 < end; i += 2) sum += dv.getUint16(i);
  if (i < end) sum += dv.getUint8(i) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** Wireshark's names of a checksum's status (its `*.checksum.status` fields): not verified unless a preference asks. */
export const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
/** A checksum's status (CHECKSUM_STATUS): not checked, absent (a zero UDP checksum over IPv4), or illegal. */
export const CHECKSUM_BAD = 0;
export const CHECKSUM_GOOD = 1;
export const CHECKSUM_UNVERIFIED = 2;
export const CHECKSUM_NOT_PRESENT = 3;
export const CHECKSUM_ILLEGAL = 4;

/** A checksum's status from the one it should be (-1: not checked) and the one it is. */
export const checksumStatus = (expected: number, stored: number): number =>
  expected < 0 ? CHECKSUM_UNVERIFIED : expected === stored ? CHECKSUM_GOOD : CHECKSUM_BAD;

/** Wireshark's words after a checksum: ` [correct]`, ` incorrect, should be 0x1234`, ` [unverified]` (-1). */
export const checksumVerdict = (expected: number, stored: number): string =>
  expected < 0
    ? ' [unverified]'
    : expected === stored
      ? ' [correct]'
      : ` incorrect, should be 0x${expected.toString(16).padStart(4, '0')}`;
