import { spiText } from './addr.js';

/**
 * Why a packet could not be fully read, or what is odd about it: stable ids
 * (like Zeek's "weirds") that the JSON, the text lines and the audit count.
 * `text` gets the layer's protocol name and two numbers the dissector gave.
 */
export interface Warning {
  readonly id: string;
  /** The packet could not be fully read: counted as malformed by the audit. */
  readonly malformed: boolean;
  /** A resource bound of ours stopped dissection, not a fault of the packet. */
  readonly limit?: boolean;
  /**
   * A fault Wireshark's tree shows no exception for (`_ws.malformed`): it reads on past it, as this dissector does (a
   * GRE version RFC 2784 has a receiver discard), or stops there with an expert item (ERSPAN's unknown version).
   */
  readonly readOn: boolean;
  readonly text: (proto: string, a: number, b: number) => string;
}

function w(id: string, malformed: boolean, text: Warning['text'], limit = false, readOn = false): Warning {
  return { id, malformed, text, limit, readOn };
}

/** A malformed packet that is read on all the same (Warning.readOn). */
const readOn = (id: string, text: Warning['text']): Warning => w(id, true, text, false, true);

const hex = (n: number, width = 4) => '0x' + n.toString(16).padStart(width, '0');

export const W = {
  truncated: w('truncated', false, (p, a, b) => `${p} needs ${a} bytes, ${b} captured (cut by the snapshot length)`),
  tooShort: w('too-short', true, (p, a, b) => `${p} needs ${a} bytes, the packet has ${b}`),
  snaplen: w('truncated', false, (_p, a, b) => `frame captured ${a} of ${b} bytes (cut by the snapshot length)`),
  badLength: w('bad-length', true, (p, a, b) => `${p} length field says ${a}, which does not fit (${b})`),
  badVersion: w('bad-version', true, (p, a) => `${p} version ${a} is not one we know`),
  badHeaderLength: w('bad-header-length', true, (p, a) => `${p} header length ${a} is impossible`),
  ipv4BadChecksum: w('bad-checksum', false, (p, a, b) => `${p} checksum ${hex(a)} is wrong (should be ${hex(b)})`),
  l2tpBadAvp: w(
    'l2tp-bad-avp',
    true,
    (_p, a, b) => `L2TP AVP length ${a} is under 6 or runs past the message (${b} bytes left)`,
  ),
  eigrpBadTlv: w(
    'eigrp-bad-tlv',
    true,
    (_p, a) => `EIGRP TLV length ${a} does not fit its type or the message (the TLVs after it are not read)`,
  ),
  greBadChecksum: w('gre-bad-checksum', false, (_p, a, b) => `GRE checksum ${hex(a)} is wrong (should be ${hex(b)})`),
  greReservedBits: w('gre-reserved-bits', false, (_p, a) => `GRE reserved bits set (flags ${hex(a)})`),
  erspanUnknownVersion: readOn('bad-version', (_p, a) => `ERSPAN version ${a} is not one we know`),
  greUnknownVersion: readOn('gre-unknown-version', (_p, a) => `GRE version ${a} is not defined`),
  greBadRouting: w('gre-bad-routing', true, () => `GRE routing (RFC 1701 SRE) list runs past the packet`),
  geneveBadOption: w(
    'geneve-bad-option',
    false,
    (_p, a, b) => `Geneve option at ${a} runs past the options' ${b} bytes`,
  ),
  pptpNoKey: readOn('pptp-no-key', () => `enhanced GRE (PPTP) without the key bit`),
  pptpNotPpp: readOn('pptp-not-ppp', (_p, a) => `enhanced GRE (version 1) carrying ${hex(a)}, not PPP (0x880b)`),
  pptpBadCookie: w(
    'pptp-bad-cookie',
    false,
    (_p, a) => `PPTP magic cookie ${hex(a, 8)} is wrong (should be 0x1a2b3c4d)`,
  ),
  tooManyLayers: w('too-many-layers', false, (_p, a) => `more than ${a} layers; dissection stopped`, true),
  tunnelTooDeep: w(
    'tunnel-too-deep',
    false,
    (_p, a) => `tunnels nested deeper than ${a}; dissection stopped (--max-depth)`,
    true,
  ),
  fragment: w('fragment', false, (p, a) => `${p} fragment at offset ${a}, waiting for the rest`),
  reassemblyDropped: w(
    'reassembly-dropped',
    false,
    (p) => `${p} fragment dropped: reassembly limits reached (--reassembly-mb)`,
    true,
  ),
  nhrpBadChecksum: w('nhrp-bad-checksum', false, (_p, a) => `NHRP checksum ${hex(a)} is wrong`),
  badOptions: w('bad-options', true, (p) => `${p} options run past the header`),
  /** A TCP option whose length runs past the header: tshark notes it (expert note), the segment is still read. */
  tcpOptionPastEnd: w('tcp-option-past-end', false, () => `tcp option length runs past the end of the options`),
  /** A BGP message whose rest is in the next segment: TCP is not reassembled here, and the packet is not at fault. */
  bgpContinues: w(
    'bgp-continues',
    false,
    (_p, a, b) => `BGP message of ${a} bytes continues in the next segment (${b} here; TCP is not reassembled)`,
  ),
  extensionLoop: w('too-many-extension-headers', true, (p, a) => `${p} has more than ${a} extension headers`),
  mplsNoBottom: w('mpls-no-bottom', true, () => `MPLS label stack has no bottom-of-stack entry`),
  espUnopened: w(
    'esp-not-decrypted',
    false,
    (_p, a, b) =>
      `ESP SPI ${spiText(a)} matched an SA but did not ` +
      `decrypt: ${
        [
          'packet too short',
          'ciphertext not a whole number of blocks',
          'ICV mismatch (wrong key?)',
          'impossible trailer (wrong key?)',
        ][b]
      }`,
  ),
  ikeNotDecrypted: w(
    'ike-not-decrypted',
    false,
    (_p, a) =>
      `IKEv2 SK payload matched a key but did not ` +
      `open: ${['too short', 'ICV mismatch (wrong key?)', 'impossible padding (wrong key?)', 'bad length'][a]}`,
  ),
  ikeMalformed: w('ike-malformed', true, () => `IKE payloads do not fit the message (a length or count is wrong)`),
  internalError: w(
    'internal-error',
    true,
    (p) => `${p} dissector failed; dissection stopped (a gredump bug: please report it)`,
  ),
} as const;
