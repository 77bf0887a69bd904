/** The Internet checksum (RFC 1071) of buf[off, end): 0 when a packet that includes its checksum is intact. */
export function internetChecksum(dv: DataView, off: number, end: number, initial = 0): number {
  let sum = initial;
  let i = off;
  for (; i + 1 < end; i += 2) sum += dv.getUint16(i);
  if (i < end) sum += dv.getUint8(i) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
