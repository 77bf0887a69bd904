/**
 * BFD (RFC 5880) control packets on UDP 3784 (single hop, RFC 5881) and
 * 4784 (multihop, RFC 5883): the audit reads the state, whether the
 * authentication section is present (the A bit) and its type.
 */
export const BFD_PORTS = [3784, 4784] as const;
const STATE_NAMES = ['AdminDown', 'Down', 'Init', 'Up'];

export interface BfdControl {
  version: number;
  state: string;
  /** 0 none; 1 simple password, 2/3 keyed MD5, 4/5 keyed SHA1 (RFC 5880 4.1). */
  authType: number;
  myDiscriminator: number;
}

export function bfdControl(buf: Uint8Array, p: number, end: number): BfdControl | null {
  if (p + 24 > end) return null;
  const version = buf[p]! >> 5;
  if (version !== 1) return null;
  const authenticated = (buf[p + 1]! & 0x04) !== 0;
  const authType = authenticated && p + 25 <= end ? buf[p + 24]! : 0;
  return {
    version,
    state: STATE_NAMES[buf[p + 1]! >> 6]!,
    authType,
    myDiscriminator: ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0,
  };
}
