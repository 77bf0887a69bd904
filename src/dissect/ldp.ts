/**
 * LDP (RFC 5036) on UDP and TCP 646: every PDU begins with version 1, a
 * length and the LDP identifier (LSR ID and label space), which the audit
 * lists. Sessions run over TCP, where RFC 5036 asks for TCP-MD5.
 */
export const LDP_PORT = 646;

/** The LSR ID of the LDP PDU at [p, end), or null. */
export function ldpLsrId(buf: Uint8Array, p: number, end: number): string | null {
  if (p + 10 > end || buf[p] !== 0 || buf[p + 1] !== 1) return null;
  return `${buf[p + 4]}.${buf[p + 5]}.${buf[p + 6]}.${buf[p + 7]}`;
}
