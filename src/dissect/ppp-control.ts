import { shownHex } from './addr.js';
import {
  appendedTitle,
  asciiText,
  Values,
  visitText,
  type Field,
  type FieldReader,
  type FieldSpec,
  type RecordReader,
  type TrueFalse,
  ENABLED,
} from './field.js';
import { list } from './field-list.js';
import type { Layer, PacketCtx } from './packet.js';
import { plural } from '../util/words.js';
import { u8, u16, u32, type LayerRead } from './layer-read.js';

/**
 * The bodies of PPP's control protocols as Wireshark's packet-ppp.c reads them (RFC 1661, 1332, 5072, 1962, 1334,
 * 1994): the options of LCP's, IPCP's, IPv6CP's and CCP's Configure-Request, -Ack, -Nak and -Reject, each a subtree;
 * the magic number and data of Echo and Discard, the rejected protocol, the data of Terminate and Code-Reject; PAP's
 * peer ID and message, CHAP's value, name and message. PAP's password is never read out (nor its length): this
 * project prints no password it finds. Wireshark dissects these as protocols of their own (`lcp`, `pap`); here they
 * are fields of the ppp layer (ppp.ts), drawn under a title of their own by `controlTree`.
 *
 * Every read is bounded by the captured bytes, and the option walk ends where Wireshark's does: an option length
 * under 2, one past the options, or an option whose dissector throws in Wireshark (its fields drawn up to there).
 */
export const LCP = 0xc021;
export const IPCP = 0x8021;
export const CCP = 0x80fd;
export const IPV6CP = 0x8057;
export const PAP = 0xc023;
export const CHAP = 0xc223;

/** Wireshark's names of every PPP protocol number (ppp_vals): ppp.protocol's, an LCP option's, a Protocol-Reject's. */
export const PROTOCOL_VALS: Readonly<Record<number, string>> = {
  0x0001: 'Padding Protocol',
  0x0003: 'ROHC small-CID',
  0x0005: 'ROHC large-CID',
  0x0021: 'Internet Protocol version 4',
  0x0023: 'OSI Network Layer',
  0x0025: 'Xerox NS IDP',
  0x0027: 'DECnet Phase IV',
  0x0029: 'Appletalk',
  0x002b: 'Novell IPX',
  0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP',
  0x0031: 'Bridging PDU',
  0x0033: 'Stream Protocol (ST-II)',
  0x0035: 'Banyan Vines',
  0x0039: 'AppleTalk EDDP',
  0x003b: 'AppleTalk SmartBuffered',
  0x003d: 'Multi-Link',
  0x003f: 'NETBIOS Framing',
  0x0041: 'Cisco Systems',
  0x0043: 'Ascom Timeplex',
  0x0045: 'Fujitsu Link Backup and Load Balancing (LBLB)',
  0x0047: 'DCA Remote Lan',
  0x0049: 'Serial Data Transport Protocol (PPP-SDTP)',
  0x004b: 'SNA over 802.2',
  0x004d: 'SNA',
  0x004f: 'IPv6 Header Compression ',
  0x0051: 'KNX Bridging Data',
  0x0053: 'Encryption',
  0x0055: 'Individual Link Encryption',
  0x0057: 'Internet Protocol version 6',
  0x0059: 'PPP Muxing',
  0x005b: 'Vendor-Specific Network Protocol (VSNP)',
  0x005d: 'TRILL Network Protocol (TNP)',
  0x0061: 'RTP IPHC Full Header',
  0x0063: 'RTP IPHC Compressed TCP',
  0x0065: 'RTP IPHC Compressed Non TCP',
  0x0067: 'RTP IPHC Compressed UDP 8',
  0x0069: 'RTP IPHC Compressed RTP 8',
  0x006f: 'Stampede Bridging',
  0x0073: 'MP+ Protocol',
  0x00c1: 'NTCITS IPI',
  0x00fb: 'Single link compression in multilink',
  0x00fd: 'Compressed datagram',
  0x0201: '802.1d Hello Packets',
  0x0203: 'IBM Source Routing BPDU',
  0x0205: 'DEC LANBridge100 Spanning Tree',
  0x0207: 'Cisco Discovery Protocol',
  0x0209: 'Netcs Twin Routing',
  0x020b: 'STP - Scheduled Transfer Protocol',
  0x020d: 'EDP - Extreme Discovery Protocol',
  0x0211: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0213: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0231: 'Luxcom',
  0x0233: 'Sigma Network Systems',
  0x0235: 'Apple Client Server Protocol',
  0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast',
  0x0285: 'IEEE p1284.4 standard - data packets',
  0x0287: 'ETSI TETRA Network Protocol Type 1',
  0x0289: 'Multichannel Flow Treatment Protocol',
  0x2063: 'RTP IPHC Compressed TCP No Delta',
  0x2065: 'RTP IPHC Context State',
  0x2067: 'RTP IPHC Compressed UDP 16',
  0x2069: 'RTP IPHC Compressed RTP 16',
  0x4001: 'Cray Communications Control Protocol',
  0x4003: 'CDPD Mobile Network Registration Protocol',
  0x4005: 'Expand accelerator protocol',
  0x4007: 'ODSICP NCP',
  0x4009: 'DOCSIS DLL',
  0x400b: 'Cetacean Network Detection Protocol',
  0x4021: 'Stacker LZS',
  0x4023: 'RefTek Protocol',
  0x4025: 'Fibre Channel',
  0x4027: 'EMIT Protocols',
  0x405b: 'Vendor-Specific Protocol (VSP)',
  0x405d: 'TRILL Link State Protocol (TLSP)',
  0x8021: 'Internet Protocol Control Protocol',
  0x8023: 'OSI Network Layer Control Protocol',
  0x8025: 'Xerox NS IDP Control Protocol',
  0x8027: 'DECnet Phase IV Control Protocol',
  0x8029: 'AppleTalk Control Protocol',
  0x802b: 'Novell IPX Control Protocol',
  0x8031: 'Bridging NCP',
  0x8033: 'Stream Protocol Control Protocol',
  0x8035: 'Banyan Vines Control Protocol',
  0x803d: 'Multi-Link Control Protocol',
  0x803f: 'NETBIOS Framing Control Protocol',
  0x8041: 'Cisco Systems Control Protocol',
  0x8043: 'Ascom Timeplex',
  0x8045: 'Fujitsu LBLB Control Protocol',
  0x8047: 'DCA Remote Lan Network Control Protocol (RLNCP)',
  0x8049: 'Serial Data Control Protocol (PPP-SDCP)',
  0x804b: 'SNA over 802.2 Control Protocol',
  0x804d: 'SNA Control Protocol',
  0x804f: 'IP6 Header Compression Control Protocol',
  0x8051: 'KNX Bridging Control Protocol',
  0x8053: 'Encryption Control Protocol',
  0x8055: 'Individual Link Encryption Control Protocol',
  0x8057: 'IPv6 Control Protocol',
  0x8059: 'PPP Muxing Control Protocol',
  0x805b: 'Vendor-Specific Network Control Protocol (VSNCP)',
  0x805d: 'TRILL Network Control Protocol',
  0x806f: 'Stampede Bridging Control Protocol',
  0x8073: 'MP+ Control Protocol',
  0x80c1: 'NTCITS IPI Control Protocol',
  0x80fb: 'Single link compression in multilink control',
  0x80fd: 'Compression Control Protocol',
  0x8207: 'Cisco Discovery Protocol Control Protocol',
  0x8209: 'Netcs Twin Routing',
  0x820b: 'STP - Control Protocol',
  0x820d: 'EDPCP - Extreme Discovery Protocol Control Protocol',
  0x8235: 'Apple Client Server Protocol Control',
  0x8281: 'MPLS Control Protocol',
  0x8285: 'IEEE p1284.4 standard - Protocol Control',
  0x8287: 'ETSI TETRA TNP1 Control Protocol',
  0x8289: 'Multichannel Flow Treatment Protocol',
  0xc021: 'Link Control Protocol',
  0xc023: 'Password Authentication Protocol',
  0xc025: 'Link Quality Report',
  0xc027: 'Shiva Password Authentication Protocol',
  0xc029: 'Callback Control Protocol (CBCP)',
  0xc02b: 'BACP Bandwidth Allocation Control Protocol',
  0xc02d: 'BAP Bandwidth Allocation Protocol',
  0xc05b: 'Vendor-Specific Authentication Protocol (VSAP)',
  0xc081: 'Container Control Protocol',
  0xc223: 'Challenge Handshake Authentication Protocol',
  0xc225: 'RSA Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol',
  0xc229: 'Mitsubishi Security Information Exchange Protocol (SIEP)',
  0xc26f: 'Stampede Bridging Authorization Protocol',
  0xc281: 'Proprietary Authentication Protocol',
  0xc283: 'Proprietary Authentication Protocol',
  0xc481: 'Proprietary Node ID Authentication Protocol',
};

/** Where the control packet starts: after the address and control (FF 03) and the protocol. */
export function controlStart(buf: Uint8Array, off: number): number {
  let p = off;
  if (buf[p] === 0xff && buf[p + 1] === 0x03) p += 2;
  return p + (buf[p]! & 1 ? 1 : 2);
}

/** The control protocols whose packets Wireshark reads with one code switch (its dissect_cp), and their titles. */
const CP_TITLES: Readonly<Record<number, string>> = {
  [LCP]: 'PPP Link Control Protocol',
  [IPCP]: 'PPP IP Control Protocol',
  [CCP]: 'PPP Compression Control Protocol',
  [IPV6CP]: 'PPP IPv6 Control Protocol',
};
/** Those, PAP and CHAP: the title line of each, as Wireshark's protocol of its own. */
export const CONTROL_TITLES: Readonly<Record<number, string>> = {
  ...CP_TITLES,
  [PAP]: 'PPP Password Authentication Protocol',
  [CHAP]: 'PPP Challenge Handshake Authentication Protocol',
};

const CONFREQ = 1;
const CONFREJ = 4;
const CODEREJ = 7;
const PROTREJ = 8;
const ECHOREQ = 9;
const DISCREQ = 11;
const IDENT = 12;
const TIMEREMAIN = 13;

/** The control packet's start, where its 4-byte header is captured whole; else -1. */
function headerAt(l: Layer): number {
  const s = controlStart(l.buf, l.off);
  return s + 4 <= l.end ? s : -1;
}
const codeOf = (l: Layer, s: number): number => l.buf[s]!;
/** The bytes after the header the length field says (may be negative, or past the capture). */
const bodyLength = (l: Layer, s: number): number => u16(l, s + 2) - 4;

// ---------------------------------------------------------------------------------------------------------------
// Options.

/** The protocols whose Type and Length fields an option's are (Wireshark's `lcp.opt.type`, `ipcp.opt.type`...). */
type Family = 'lcp' | 'ipcp' | 'ipv6cp' | 'ccp';

interface Kind {
  /** Wireshark's short name of the option's protocol: the Options line's, and the length errors'. */
  readonly name: string;
  /** Whose Type and Length it shows (IPv6CP's compression option is IPCP's). */
  readonly family: Family;
  /** The length it must have, or at least (an LCP option's error then names Vendor Specific, 6, as Wireshark's). */
  readonly fixed?: number;
  readonly min?: number;
  /** Its fields are not read here (only Type and Length): README's list of what is left. */
  readonly unread?: boolean;
  /** Its item's name where it is not `name` (the Type line's text); and what Wireshark appends to it in the title. */
  readonly item?: (l: Layer, p: number, len: number) => string;
  readonly text?: (l: Layer, p: number, len: number) => string;
  /** Wireshark's dissector throws on it (reads past the option): the walk ends after the fields that fit. */
  readonly throws?: (l: Layer, p: number, len: number) => boolean;
}

const CALLBACK_OPERATIONS: Readonly<Record<number, string>> = {
  0: 'Location is determined by user authentication',
  1: 'Message is dialing string',
  2: 'Message is location identifier',
  3: 'Message is E.164',
  4: 'Message is distinguished name',
  5: 'unassigned',
  6: 'Location is determined during CBCP negotiation',
};
const EP_DISC_CLASSES: Readonly<Record<number, string>> = {
  0: 'Null',
  1: 'Locally assigned address',
  2: 'Internet Protocol (IP) address',
  3: 'IEEE 802.1 globally assigned MAC address',
  4: 'PPP magic-number block',
  5: 'Public switched network directory number',
};
const DCE_MODES: Readonly<Record<number, string>> = {
  1: 'Mode-1 (No Additional Negotiation)',
  2: 'Mode-2 (Full PPP Negotiation and State Machine)',
};
const CHAP_ALGORITHMS: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Reserved',
  4: 'Reserved',
  5: 'CHAP with MD5',
  6: 'CHAP with SHA-1',
  128: 'MS-CHAP',
  129: 'MS-CHAP-2',
};
const COMPRESS_PROTOCOLS: Readonly<Record<number, string>> = {
  0x0003: 'Robust Header Compression (ROHC)',
  0x002d: 'VJ compression',
  0x0037: 'VJ compression (RFC1172-typo)',
  0x0061: 'IPHC compression',
};
const VJ = 0x002d;
const VJ_1172 = 0x0037;
const IPHC = 0x0061;
const ROHC = 0x0003;
/** The bytes each compression protocol's fields take in the option (Wireshark reads them all: a shorter one throws). */
const COMPRESS_SIZE: Readonly<Record<number, number>> = { [VJ]: 6, [VJ_1172]: 6, [IPHC]: 14, [ROHC]: 10 };
const CCP_CHECK_MODES: Readonly<Record<number, string>> = {
  0: 'None',
  1: 'LCB',
  2: 'CRC',
  3: 'Sequence Number',
  4: 'Extended Mode',
};
const LZSDCP_CHECK_MODES: Readonly<Record<number, string>> = {
  0: 'None',
  1: 'LCB',
  2: 'Sequence Number',
  3: 'Sequence Number + LCB (default)',
};
const LZSDCP_PROCESS_MODES: Readonly<Record<number, string>> = { 0: 'None (default)', 1: 'Process-Uncompressed' };
const CCP_DCE_MODES: Readonly<Record<number, string>> = {
  1: 'No Additional Negotiation',
  2: 'Full PPP Negotiation and State Machine',
};
const DEFLATE_METHODS: Readonly<Record<number, string>> = { 8: 'zlib compression' };
const DEFLATE_CHECKS: Readonly<Record<number, string>> = { 0: 'sequence number check method' };

/** LCP's async control characters, bit 0 first. */
const CONTROL_CHARS = [
  ['nul', 'NUL'],
  ['soh', 'SOH'],
  ['stx', 'STX'],
  ['etx', 'ETX'],
  ['eot', 'EOT'],
  ['enq', 'ENQ'],
  ['ack', 'ACK'],
  ['bel', 'BEL'],
  ['bs', 'BS'],
  ['ht', 'HT'],
  ['lf', 'LF'],
  ['vt', 'VT'],
  ['ff', 'FF'],
  ['cr', 'CR'],
  ['so', 'SO'],
  ['si', 'SI'],
  ['dle', 'DLE'],
  ['dc1', 'DC1 (XON)'],
  ['dc2', 'DC2'],
  ['dc3', 'DC3 (XOFF)'],
  ['dc4', 'DC4'],
  ['nak', 'NAK'],
  ['syn', 'SYN'],
  ['etb', 'ETB'],
  ['can', 'CAN'],
  ['em', 'EM'],
  ['sub', 'SUB'],
  ['esc', 'ESC'],
  ['fs', 'FS'],
  ['gs', 'GS'],
  ['rs', 'RS'],
  ['us', 'US'],
] as const;
/** MPPE/MPPC's supported bits, in Wireshark's order, and their words. */
const MPPE_BITS: readonly (readonly [string, number, TrueFalse])[] = [
  ['h', 0x01000000, ['Stateless mode ON', 'Stateless mode OFF']],
  ['m', 0x80, ['56-bit encryption ON', '56-bit encryption OFF']],
  ['s', 0x40, ['128-bit encryption ON', '128-bit encryption OFF']],
  ['l', 0x20, ['40-bit encryption ON', '40-bit encryption OFF']],
  ['d', 0x10, ['Obsolete (should NOT be 1)', 'Obsolete (should ALWAYS be 0)']],
  ['c', 0x01, ['Desire to negotiate MPPC', 'No desire to negotiate MPPC']],
];

/** The ACCM in the title: Wireshark appends the first name without its `, ` (and a parenthesis it never opened). */
function accmTitle(map: number): string {
  let s = `: 0x${map.toString(16).padStart(8, '0')}`;
  if (map === 0) return `${s} (None)`;
  if (map === 0xffffffff) return `${s} (All)`;
  let any = false;
  for (let i = 31; i >= 0; i--) {
    if (((map >>> i) & 1) === 0) continue;
    s += any ? `, ${CONTROL_CHARS[i]![1]}` : CONTROL_CHARS[i]![1];
    any = true;
  }
  return `${s})`;
}
/** The ACCM field's text: the names of the characters set, then (None) or (All). */
function accmText(map: number): string {
  let s = '';
  for (let i = 31; i >= 0; i--) if ((map >>> i) & 1) s += `, ${CONTROL_CHARS[i]![1]}`;
  return map === 0 ? `${s} (None)` : map === 0xffffffff ? `${s} (All)` : s;
}

/** A numbered mode's window, as Wireshark's title and field show it (1 to 127 frames are valid). */
const windowText = (n: number): string => `${plural(n, 'frame')}${n === 0 || n > 127 ? ' [invalid]' : ''}`;
/** The FCS alternatives, in Wireshark's order. */
const FCS_ALTERNATIVES: readonly (readonly [string, number, string])[] = [
  ['ccitt32', 0x04, 'CCITT 32-bit'],
  ['ccitt16', 0x02, 'CCITT 16-bit'],
  ['null', 0x01, 'NULL FCS'],
];
const MULTILINK_CODES: Readonly<Record<number, string>> = {
  2: 'Long sequence number fragment format with classes',
  6: 'Short sequence number fragment format with classes',
};
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
/** `%02x` of a 16-bit protocol number, as Wireshark's titles write it. */
const protocolTitle = (n: number): string => `${PROTOCOL_VALS[n] ?? 'Unknown'} (0x${n.toString(16).padStart(2, '0')})`;

const KINDS: Readonly<Record<Family, Readonly<Record<number, Kind>>>> = {
  lcp: {
    0: { name: 'Vendor Specific', family: 'lcp', min: 6, unread: true },
    1: { name: 'Maximum Receive Unit', family: 'lcp', fixed: 4, text: (l, p) => `: ${u16(l, p + 2)}` },
    2: { name: 'Async Control Character Map', family: 'lcp', fixed: 6, text: (l, p) => accmTitle(u32(l, p + 2)) },
    3: {
      name: 'Authentication Protocol',
      family: 'lcp',
      min: 4,
      text: (l, p) => `: ${protocolTitle(u16(l, p + 2))}`,
    },
    4: {
      name: 'Quality Protocol',
      family: 'lcp',
      min: 4,
      text: (l, p) => `: ${protocolTitle(u16(l, p + 2))}`,
      // Its data is read as `length + 4` bytes: past the option whenever there is any.
      throws: (_l, _p, len) => len > 4,
    },
    5: {
      name: 'Magic Number',
      family: 'lcp',
      fixed: 6,
      text: (l, p) =>
        `: 0x${u32(l, p + 2)
          .toString(16)
          .padStart(8, '0')}`,
    },
    6: {
      name: 'Link Quality Monitoring',
      family: 'lcp',
      fixed: 6,
      text: (l, p) => {
        const period = u32(l, p + 2);
        return `: ${plural(period, 'microsecond')}${period === 0 ? ' [illegal]' : ''}`;
      },
    },
    7: { name: 'Protocol Field Compression', family: 'lcp', fixed: 2 },
    8: { name: 'Address and Control Field Compression', family: 'lcp', fixed: 2 },
    9: {
      name: 'FCS Alternatives',
      family: 'lcp',
      fixed: 3,
      text: (l, p) =>
        `: 0x${u8(l, p + 2)
          .toString(16)
          .padStart(2, '0')}`,
    },
    10: {
      name: 'Self Describing Pad',
      family: 'lcp',
      fixed: 3,
      text: (l, p) => `: ${plural(u8(l, p + 2), 'octet')}${u8(l, p + 2) === 0 ? ' [invalid]' : ''}`,
    },
    11: { name: 'Numbered Mode', family: 'lcp', min: 3, text: (l, p) => `: ${windowText(u8(l, p + 2))}` },
    13: {
      name: 'Callback',
      family: 'lcp',
      min: 3,
      text: (l, p) => `: ${CALLBACK_OPERATIONS[u8(l, p + 2)] ?? 'Unknown'}`,
    },
    15: { name: 'Compound Frames (Deprecated)', family: 'lcp', fixed: 2 },
    16: { name: 'Nominal Data Encapsulation (Deprecated)', family: 'lcp', fixed: 2 },
    17: { name: 'Multilink MRRU', family: 'lcp', fixed: 4, text: (l, p) => `: ${u16(l, p + 2)}` },
    18: { name: 'Multilink Short Sequence Number Header', family: 'lcp', fixed: 2 },
    19: {
      name: 'Multilink Endpoint Discriminator',
      family: 'lcp',
      min: 3,
      text: (l, p) => `: Class: ${EP_DISC_CLASSES[u8(l, p + 2)] ?? 'Unknown'}`,
    },
    21: {
      name: 'DCE Identifier',
      family: 'lcp',
      fixed: 3,
      text: (l, p) => `: ${DCE_MODES[u8(l, p + 2)] ?? 'Unknown'}`,
    },
    22: { name: 'Multi Link Plus Procedure', family: 'lcp', fixed: 4 },
    23: {
      name: 'Link Discriminator for BACP',
      family: 'lcp',
      fixed: 4,
      text: (l, p) => `: ${u16(l, p + 2)} (0x${hex4(u16(l, p + 2))})`,
    },
    24: { name: 'Authentication Option', family: 'lcp', min: 3, unread: true },
    25: { name: 'Consistent Overhead Byte Stuffing (COBS)', family: 'lcp', fixed: 3, unread: true },
    26: { name: 'Prefix Elision', family: 'lcp', min: 2, unread: true },
    27: { name: 'Multilink header format', family: 'lcp', fixed: 4 },
    28: { name: 'Internationalization', family: 'lcp', min: 7, unread: true },
    29: { name: 'Simple Data Link on SONET/SDH', family: 'lcp', fixed: 2 },
  },
  ipcp: {
    1: { name: 'IP Addresses (deprecated)', family: 'ipcp', fixed: 10 },
    2: {
      name: 'IP Compression Protocol',
      family: 'ipcp',
      throws: (l, p, len) => len < 4 || len < (COMPRESS_SIZE[u16(l, p + 2)] ?? 4),
    },
    3: { name: 'IP Address', family: 'ipcp', fixed: 6 },
    4: { name: "Mobile Node's Home IP Address", family: 'ipcp', fixed: 6 },
    129: { name: 'Primary DNS Server IP Address', family: 'ipcp', fixed: 6 },
    130: { name: 'Primary NBNS Server IP Address', family: 'ipcp', fixed: 6 },
    131: { name: 'Secondary DNS Server IP Address', family: 'ipcp', fixed: 6 },
    132: { name: 'Secondary NBNS Server IP Address', family: 'ipcp', fixed: 6 },
  },
  ipv6cp: {
    1: { name: 'Interface Identifier', family: 'ipv6cp', fixed: 10 },
    // Read by IPCP's dissector: its item and fields are IPCP's.
    2: {
      name: 'IPv6 compression',
      family: 'ipcp',
      item: () => 'IP Compression Protocol',
      throws: (l, p, len) => len < 4 || len < (COMPRESS_SIZE[u16(l, p + 2)] ?? 4),
    },
  },
  ccp: {
    0: { name: 'OUI', family: 'ccp', min: 6, unread: true },
    1: { name: 'Predictor type 1', family: 'ccp' },
    2: { name: 'Predictor type 2', family: 'ccp' },
    3: { name: 'Puddle Jumper', family: 'ccp' },
    16: { name: 'Hewlett-Packard PPC', family: 'ccp' },
    17: {
      name: 'Stac Electronics LZS',
      family: 'ccp',
      min: 5,
      item: (_l, _p, len) => (len === 6 ? 'Stac Electronics LZS (Ascend Proprietary version)' : 'Stac Electronics LZS'),
    },
    18: { name: 'Microsoft PPE/PPC', family: 'ccp', fixed: 6 },
    19: { name: 'Gandalf FZA', family: 'ccp', min: 3 },
    20: { name: 'V.42bis compression', family: 'ccp' },
    21: { name: 'BSD LZW Compress', family: 'ccp', fixed: 3 },
    23: { name: 'LZS-DCP', family: 'ccp', fixed: 6 },
    24: { name: 'MVRCA (Magnalink)', family: 'ccp', fixed: 4 },
    25: {
      name: 'PPP for Data Compression in Data Circuit-Terminating Equipment (DCE)',
      family: 'ccp',
      fixed: 3,
    },
    26: { name: 'Deflate', family: 'ccp', fixed: 4 },
    27: { name: 'V.44/LZJH compression', family: 'ccp', min: 4, unread: true },
  },
};
const FAMILY_OF: Readonly<Record<number, Family>> = { [LCP]: 'lcp', [IPCP]: 'ipcp', [IPV6CP]: 'ipv6cp', [CCP]: 'ccp' };

/** The option kind Wireshark knows at p (of the layer's protocol), or undefined. */
const kindAt = (l: Layer, p: number): Kind | undefined => {
  const family = FAMILY_OF[l.aux];
  return family ? KINDS[family][l.buf[p]!] : undefined;
};

/** The line Wireshark draws in place of an option whose length its dissector refuses, or null. */
function lengthError(l: Layer, kind: Kind, len: number): string | null {
  const bytes = plural(len, 'byte');
  if (kind.fixed !== undefined && len !== kind.fixed)
    return `${kind.name} (with option length = ${bytes}; should be ${kind.fixed})`;
  if (kind.min !== undefined && len < kind.min)
    return l.aux === LCP
      ? `Vendor Specific (with option length = ${bytes}; should be at least 6)`
      : `${kind.name} (with option length = ${bytes}; should be at least ${kind.min})`;
  return null;
}

/** The option at p, of len bytes, drawn as a subtree with its fields: its kind; else null. */
function readKind(l: Layer, p: number, len: number): Kind | null {
  const kind = kindAt(l, p);
  return kind !== undefined && lengthError(l, kind, len) === null ? kind : null;
}

/** Whether the layer holds a control packet whose options Wireshark walks: their start and end then. */
function optionsEnd(l: Layer): number {
  if (FAMILY_OF[l.aux] === undefined) return -1;
  const s = headerAt(l);
  if (s < 0) return -1;
  const code = codeOf(l, s);
  const n = bodyLength(l, s);
  return code >= CONFREQ && code <= CONFREJ && n > 0 && s + 4 + n <= l.end ? s + 4 + n : -1;
}

/** A field of the options of `protocol` (LCP's, CCP's...) of those types, `size` bytes at `off` in the option. */
const ofType =
  (protocol: number, types: readonly number[], off: number, size: number, read: LayerRead): RecordReader =>
  (l, v, _ctx, p, len) => {
    if (l.aux !== protocol || !types.includes(l.buf[p]!) || readKind(l, p, len) === null) return;
    if (off + size > len || p + off + size > l.end) return;
    v.num(read(l, p + off), l.buf, p + off, size);
  };
/** The bytes of an option from `off` to its end, where there are some (Wireshark's data fields). */
const restOf =
  (protocol: number, types: readonly number[], off: number, when: (l: Layer, p: number, len: number) => boolean) =>
  (l: Layer, v: Values, _ctx: PacketCtx, p: number, len: number): void => {
    if (l.aux !== protocol || !types.includes(l.buf[p]!) || readKind(l, p, len) === null) return;
    if (len > off && p + len <= l.end && when(l, p, len)) v.bytes(l.buf, p + off, len - off);
  };
/** The compression protocol of an IPCP (or IPv6CP) compression option, where it is one of `protocols`. */
const compressField =
  (protocols: readonly number[], off: number, size: number, read: LayerRead): RecordReader =>
  (l, v, _ctx, p, len) => {
    if (!isCompressOption(l, p, len) || len < 4 || !protocols.includes(u16(l, p + 2))) return;
    if (off + size <= len && p + off + size <= l.end) v.num(read(l, p + off), l.buf, p + off, size);
  };
const isCompressOption = (l: Layer, p: number, _len: number): boolean =>
  (l.aux === IPCP || l.aux === IPV6CP) && l.buf[p] === 2;

/** The Type field of a family's options: `Maximum Receive Unit (1)`. */
const typeField = (family: Family): FieldSpec => ({
  name: `${family}.opt.type`,
  label: 'Type',
  type: 'uint',
  display: (_n, _b, _o, text) => text,
  record: (l, v, _ctx, p, len) => {
    const kind = readKind(l, p, len);
    if (kind === null || kind.family !== family) return;
    const t = l.buf[p]!;
    v.str(`${kind.item?.(l, p, len) ?? kind.name} (${t})`, l.buf, p, 1, t);
  },
});
const lengthField = (family: Family): FieldSpec => ({
  name: `${family}.opt.length`,
  label: 'Length',
  type: 'uint',
  record: (l, v, _ctx, p, len) => {
    const kind = readKind(l, p, len);
    if (kind !== null && kind.family === family) v.num(len, l.buf, p + 1, 1);
  },
});
/** A flag of a word of `bytes` bytes at `off` in an option. */
const flagOf =
  (protocol: number, type: number, off: number, bytes: 1 | 4, mask: number): RecordReader =>
  (l, v, ctx, p, len) => {
    const n = v.n;
    ofType(protocol, [type], off, bytes, bytes === 1 ? u8 : u32)(l, v, ctx, p, len);
    if (v.n > n) v.nums[n] = (v.nums[n]! & mask) !== 0 ? 1 : 0;
  };
/** A masked part of a byte at `off` in an option, shifted down. */
const bitsOf =
  (protocol: number, type: number, off: number, mask: number): RecordReader =>
  (l, v, ctx, p, len) => {
    const n = v.n;
    ofType(protocol, [type], off, 1, u8)(l, v, ctx, p, len);
    if (v.n > n) v.nums[n] = (v.nums[n]! & mask) >>> (31 - Math.clz32(mask & -mask));
  };
const HAS_MAGIC_BLOCK = (l: Layer, p: number, len: number): boolean => u8(l, p + 2) === 4 && (len - 3) % 4 === 0;

/** The options of a Configure-Request, -Ack, -Nak or -Reject: each a record of its type, length and value. */
export const OPTIONS = list({
  name: 'ppp.opt',
  title: (l, p, len) => optionTitle(l, p, len),
  in: [{ when: (l) => optionsEnd(l) >= 0, start: (l) => controlStart(l.buf, l.off) + 4, end: (l) => optionsEnd(l) }],
  // A length under 2 or past the options ends the walk (Wireshark draws a line of it: optionsTree).
  size: (l, p, end) => {
    const n = l.buf[p + 1]!;
    return n >= 2 && p + n <= end ? n : 0;
  },
  header: 2,
  last: (l, p, len) => {
    const kind = readKind(l, p, len);
    return kind?.throws?.(l, p, len) ?? false;
  },
  fields: [
    typeField('lcp'),
    lengthField('lcp'),
    {
      name: 'lcp.opt.mru',
      label: 'Maximum Receive Unit',
      type: 'uint',
      bits: 16,
      record: ofType(LCP, [1], 2, 2, u16),
    },
    {
      name: 'lcp.opt.asyncmap',
      label: 'Async Control Character Map',
      type: 'uint',
      bits: 32,
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(8, '0')}${accmText(n)}`,
      record: ofType(LCP, [2], 2, 4, u32),
    },
    ...CONTROL_CHARS.map(([name, label], bit): [string, string, number] => [name, label, bit])
      .reverse()
      .map(
        ([name, label, bit]): FieldSpec => ({
          name: `lcp.opt.asyncmap.${name}`,
          label,
          type: 'bool',
          bits: 32,
          mask: 2 ** bit,
          child: true,
          record: flagOf(LCP, 2, 2, 4, 2 ** bit),
        }),
      ),
    {
      name: 'lcp.opt.auth_protocol',
      label: 'Authentication Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: PROTOCOL_VALS,
      record: ofType(LCP, [3], 2, 2, u16),
    },
    {
      name: 'lcp.opt.algorithm',
      label: 'Algorithm',
      type: 'uint',
      values: CHAP_ALGORITHMS,
      record: (l, v, ctx, p, len) => {
        if (len > 4 && u16(l, p + 2) === 0xc223) ofType(LCP, [3], 4, 1, u8)(l, v, ctx, p, len);
      },
    },
    {
      name: 'lcp.opt.quality_protocol',
      label: 'Quality Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: PROTOCOL_VALS,
      record: ofType(LCP, [4], 2, 2, u16),
    },
    {
      name: 'lcp.opt.reporting_period',
      label: 'Reporting Period',
      type: 'uint',
      bits: 32,
      display: (n) => `${plural(n, 'microsecond')}${n === 0 ? ' [illegal]' : ''}`,
      record: ofType(LCP, [6], 2, 4, u32),
    },
    {
      name: 'lcp.opt.fcs_alternatives',
      label: 'FCS Alternatives',
      type: 'uint',
      base: 'hex',
      display: (n) =>
        `0x${n.toString(16).padStart(2, '0')}${FCS_ALTERNATIVES.filter(([, m]) => (n & m) !== 0)
          .map(([, , label]) => `, ${label}`)
          .join('')}`,
      record: ofType(LCP, [9], 2, 1, u8),
    },
    ...FCS_ALTERNATIVES.map(
      ([name, mask, label]): FieldSpec => ({
        name: `lcp.opt.fcs_alternatives.${name}`,
        label,
        type: 'bool',
        mask,
        child: true,
        record: flagOf(LCP, 9, 2, 1, mask),
      }),
    ),
    {
      name: 'lcp.opt.maximum',
      label: 'Maximum',
      type: 'uint',
      display: (n) => `${plural(n, 'octet')}${n === 0 ? ' [invalid]' : ''}`,
      record: ofType(LCP, [10], 2, 1, u8),
    },
    { name: 'lcp.opt.window', label: 'Window', type: 'uint', display: windowText, record: ofType(LCP, [11], 2, 1, u8) },
    {
      name: 'lcp.opt.hdlc_address',
      label: 'Address',
      type: 'bytes',
      record: restOf(LCP, [11], 3, () => true),
    },
    {
      name: 'lcp.opt.operation',
      label: 'Operation',
      type: 'uint',
      values: CALLBACK_OPERATIONS,
      record: ofType(LCP, [13], 2, 1, u8),
    },
    {
      name: 'lcp.opt.message',
      label: 'Message',
      type: 'bytes',
      record: restOf(LCP, [13], 3, () => true),
    },
    { name: 'lcp.opt.mrru', label: 'MRRU', type: 'uint', bits: 16, record: ofType(LCP, [17], 2, 2, u16) },
    {
      name: 'lcp.opt.ep_disc_class',
      label: 'Class',
      type: 'uint',
      values: EP_DISC_CLASSES,
      record: ofType(LCP, [19], 2, 1, u8),
    },
    {
      name: 'lcp.opt.ip_address',
      label: 'IP Address',
      type: 'ipv4',
      record: (l, v, ctx, p, len) => {
        if (u8(l, p + 2) === 2 && len >= 7) ofType(LCP, [19], 3, 4, u32)(l, v, ctx, p, len);
      },
    },
    {
      name: 'lcp.opt.802_1_address',
      label: 'IEEE 802.1 Address',
      type: 'ether',
      record: (l, v, _ctx, p, len) => {
        if (l.aux !== LCP || l.buf[p] !== 19 || readKind(l, p, len) === null) return;
        if (u8(l, p + 2) === 3 && len >= 9 && p + 9 <= l.end) v.bytes(l.buf, p + 3, 6);
      },
    },
    {
      name: 'lcp.opt.magic_block',
      label: 'PPP Magic-Number Block',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (l.aux !== LCP || l.buf[p] !== 19 || readKind(l, p, len) === null || len <= 3) return;
        if (HAS_MAGIC_BLOCK(l, p, len) && p + len <= l.end) v.bytes(l.buf, p + 3, Math.min(len - 3, 20));
      },
    },
    {
      name: 'lcp.opt.magic_number',
      label: 'Magic Number',
      type: 'uint',
      bits: 32,
      base: 'hex',
      // The magic number option's, and each of a multilink endpoint discriminator's block (under it).
      record: (l, v, ctx, p, len) => {
        ofType(LCP, [5], 2, 4, u32)(l, v, ctx, p, len);
        if (l.aux !== LCP || l.buf[p] !== 19 || readKind(l, p, len) === null || len <= 3) return;
        if (!HAS_MAGIC_BLOCK(l, p, len) || p + len > l.end) return;
        for (let q = p + 3; q + 4 <= p + len; q += 4) v.num(u32(l, q), l.buf, q, 4);
      },
    },
    {
      name: 'lcp.opt.psndn',
      label: 'Public Switched Network Directory Number',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (l.aux !== LCP || l.buf[p] !== 19 || readKind(l, p, len) === null || len <= 3) return;
        if (u8(l, p + 2) === 5 && p + len <= l.end) v.bytes(l.buf, p + 3, Math.min(len - 3, 15));
      },
    },
    {
      name: 'lcp.opt.data',
      label: 'Data',
      type: 'bytes',
      // After an authentication protocol (and CHAP's algorithm), and an endpoint discriminator of no other field.
      record: (l, v, _ctx, p, len) => {
        if (l.aux !== LCP || readKind(l, p, len) === null || p + len > l.end) return;
        const type = l.buf[p];
        if (type === 3 && len > 4) {
          const off = u16(l, p + 2) === 0xc223 ? 5 : 4;
          if (len > off) v.bytes(l.buf, p + off, len - off);
        } else if (type === 19 && len > 3) {
          const cls = u8(l, p + 2);
          const n = len - 3;
          const data =
            cls === 1 || (cls === 2 && n < 4) || (cls === 3 && n < 6) || (cls === 4 && n % 4 !== 0) || cls > 5;
          if (data) v.bytes(l.buf, p + 3, cls === 1 ? Math.min(n, 20) : n);
        }
      },
    },
    {
      name: 'lcp.opt.code',
      label: 'Code',
      type: 'uint',
      values: MULTILINK_CODES,
      record: ofType(LCP, [27], 2, 1, u8),
    },
    {
      name: 'lcp.opt.max_susp_classes',
      label: 'Max suspendable classes',
      type: 'uint',
      record: ofType(LCP, [27], 3, 1, u8),
    },
    {
      name: 'lcp.opt.mode',
      label: 'Mode',
      type: 'uint',
      values: DCE_MODES,
      record: ofType(LCP, [21], 2, 1, u8),
    },
    {
      name: 'lcp.opt.unused',
      label: 'Unused',
      type: 'bytes',
      record: restOf(LCP, [22], 2, () => true),
    },
    {
      name: 'lcp.opt.link_discrim',
      label: 'Link Discriminator',
      type: 'uint',
      bits: 16,
      base: 'dec_hex',
      record: ofType(LCP, [23], 2, 2, u16),
    },
    typeField('ipcp'),
    lengthField('ipcp'),
    { name: 'ipcp.opt.src_address', label: 'Source IP Address', type: 'ipv4', record: ofType(IPCP, [1], 2, 4, u32) },
    {
      name: 'ipcp.opt.dst_address',
      label: 'Destination IP Address',
      type: 'ipv4',
      record: ofType(IPCP, [1], 6, 4, u32),
    },
    {
      name: 'ipcp.opt.compress_proto',
      label: 'IP Compression Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: COMPRESS_PROTOCOLS,
      record: (l, v, _ctx, p, len) => {
        if (isCompressOption(l, p, len) && len >= 4 && p + 4 <= l.end) v.num(u16(l, p + 2), l.buf, p + 2, 2);
      },
    },
    {
      name: 'ipcp.opt.max_slot_id',
      label: 'Max Slot ID',
      type: 'uint',
      record: compressField([VJ, VJ_1172], 4, 1, u8),
    },
    {
      name: 'ipcp.opt.comp_slot_id',
      label: 'Comp Slot ID',
      type: 'bool',
      mask: 0x01,
      tfs: ['The slot identifier may be compressed', 'The slot identifier must not be compressed'],
      record: (l, v, ctx, p, len) => {
        const n = v.n;
        compressField([VJ, VJ_1172], 5, 1, u8)(l, v, ctx, p, len);
        if (v.n > n) v.nums[n] = v.nums[n]! & 1;
      },
    },
    {
      name: 'ipcp.opt.tcp_space',
      label: 'TCP Space',
      type: 'uint',
      bits: 16,
      record: compressField([IPHC], 4, 2, u16),
    },
    {
      name: 'ipcp.opt.non_tcp_space',
      label: 'Non TCP Space',
      type: 'uint',
      bits: 16,
      record: compressField([IPHC], 6, 2, u16),
    },
    {
      name: 'ipcp.opt.f_max_period',
      label: 'F Max Period',
      type: 'uint',
      bits: 16,
      display: (n) => `${n}${n === 0 ? ' (infinity)' : ''}`,
      record: compressField([IPHC], 8, 2, u16),
    },
    {
      name: 'ipcp.opt.f_max_time',
      label: 'F Max Time',
      type: 'uint',
      bits: 16,
      display: (n) => `${n}${n === 0 ? ' (infinity)' : ''}`,
      record: compressField([IPHC], 10, 2, u16),
    },
    { name: 'ipcp.opt.max_cid', label: 'Max CID', type: 'uint', bits: 16, record: compressField([ROHC], 4, 2, u16) },
    { name: 'ipcp.opt.mrru', label: 'MRRU', type: 'uint', bits: 16, record: compressField([ROHC], 6, 2, u16) },
    {
      name: 'ipcp.opt.max_header',
      label: 'Max Header',
      type: 'uint',
      bits: 16,
      record: (l, v, ctx, p, len) => {
        compressField([IPHC], 12, 2, u16)(l, v, ctx, p, len);
        compressField([ROHC], 8, 2, u16)(l, v, ctx, p, len);
      },
    },
    {
      name: 'ipcp.data',
      label: 'Data',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (!isCompressOption(l, p, len) || len <= 4 || p + len > l.end) return;
        if (COMPRESS_SIZE[u16(l, p + 2)] === undefined) v.bytes(l.buf, p + 4, len - 4);
      },
    },
    { name: 'ipcp.opt.ip_address', label: 'IP Address', type: 'ipv4', record: ofType(IPCP, [3], 2, 4, u32) },
    {
      name: 'ipcp.opt.mobilenodehomeaddress',
      label: "Mobile Node's Home Address",
      type: 'ipv4',
      record: ofType(IPCP, [4], 2, 4, u32),
    },
    {
      name: 'ipcp.opt.pri_dns_address',
      label: 'Primary DNS Address',
      type: 'ipv4',
      record: ofType(IPCP, [129], 2, 4, u32),
    },
    {
      name: 'ipcp.opt.pri_nbns_address',
      label: 'Primary NBNS Address',
      type: 'ipv4',
      record: ofType(IPCP, [130], 2, 4, u32),
    },
    {
      name: 'ipcp.opt.sec_dns_address',
      label: 'Secondary DNS Address',
      type: 'ipv4',
      record: ofType(IPCP, [131], 2, 4, u32),
    },
    {
      name: 'ipcp.opt.sec_nbns_address',
      label: 'Secondary NBNS Address',
      type: 'ipv4',
      record: ofType(IPCP, [132], 2, 4, u32),
    },
    typeField('ipv6cp'),
    lengthField('ipv6cp'),
    {
      name: 'ipv6cp.interface_identifier',
      label: 'Interface Identifier',
      type: 'bytes',
      separator: ':',
      record: (l, v, _ctx, p, len) => {
        if (l.aux === IPV6CP && l.buf[p] === 1 && readKind(l, p, len) !== null && p + 10 <= l.end)
          v.bytes(l.buf, p + 2, 8);
      },
    },
    typeField('ccp'),
    lengthField('ccp'),
    {
      name: 'ccp.opt.history_count',
      label: 'History Count',
      type: 'uint',
      bits: 16,
      record: (l, v, ctx, p, len) => {
        if (l.buf[p] !== 17 || len !== 6) ofType(CCP, [17, 23], 2, 2, u16)(l, v, ctx, p, len);
      },
    },
    {
      name: 'ccp.opt.cm',
      label: 'Check Mode Field',
      type: 'uint',
      display: (n) => `${n}, Check Mode: ${CCP_CHECK_MODES[n & 7] ?? 'Unknown'}`,
      record: (l, v, ctx, p, len) => {
        if (len !== 6) ofType(CCP, [17], 4, 1, u8)(l, v, ctx, p, len);
      },
    },
    {
      name: 'ccp.opt.cm.reserved',
      label: 'Reserved',
      type: 'uint',
      mask: 0xf8,
      child: true,
      record: (l, v, ctx, p, len) => {
        if (len !== 6) bitsOf(CCP, 17, 4, 0xf8)(l, v, ctx, p, len);
      },
    },
    {
      name: 'ccp.opt.cm.check_mode',
      label: 'Check Mode',
      type: 'uint',
      mask: 0x07,
      values: CCP_CHECK_MODES,
      child: true,
      record: (l, v, ctx, p, len) => {
        if (len !== 6) bitsOf(CCP, 17, 4, 0x07)(l, v, ctx, p, len);
      },
    },
    {
      name: 'ccp.opt.supported_bits',
      label: 'Supported Bits',
      type: 'uint',
      bits: 32,
      base: 'hex',
      display: (n) =>
        `0x${n.toString(16).padStart(8, '0')}${MPPE_BITS.filter(([, m]) => (n & m) !== 0)
          .map(([name]) => `, ${name.toUpperCase()}`)
          .join('')}`,
      record: ofType(CCP, [18], 2, 4, u32),
    },
    ...MPPE_BITS.map(
      ([name, mask, tfs]): FieldSpec => ({
        name: `ccp.opt.supported_bits.${name}`,
        label: name.toUpperCase(),
        type: 'bool',
        bits: 32,
        mask,
        tfs,
        child: true,
        record: flagOf(CCP, 18, 2, 4, mask),
      }),
    ),
    { name: 'ccp.opt.history', label: 'History', type: 'uint', record: ofType(CCP, [19], 2, 1, u8) },
    { name: 'ccp.opt.version', label: 'Version', type: 'bytes', record: restOf(CCP, [19], 3, () => true) },
    {
      name: 'ccp.opt.vd',
      label: 'Vers/Dict',
      type: 'uint',
      base: 'hex',
      record: ofType(CCP, [21], 2, 1, u8),
    },
    { name: 'ccp.opt.vd.vers', label: 'Vers', type: 'uint', mask: 0xe0, child: true, record: bitsOf(CCP, 21, 2, 0xe0) },
    { name: 'ccp.opt.vd.dict', label: 'Dict', type: 'uint', mask: 0x1f, child: true, record: bitsOf(CCP, 21, 2, 0x1f) },
    {
      name: 'ccp.opt.check_mode',
      label: 'Check Mode',
      type: 'uint',
      values: LZSDCP_CHECK_MODES,
      record: ofType(CCP, [23], 4, 1, u8),
    },
    {
      name: 'ccp.opt.process_mode',
      label: 'Process Mode',
      type: 'uint',
      values: LZSDCP_PROCESS_MODES,
      record: ofType(CCP, [23], 5, 1, u8),
    },
    { name: 'ccp.opt.fe', label: 'Features', type: 'uint', mask: 0xc0, record: bitsOf(CCP, 24, 2, 0xc0) },
    {
      name: 'ccp.opt.p',
      label: 'Packet by Packet flag',
      type: 'bool',
      mask: 0x20,
      tfs: ENABLED,
      record: flagOf(CCP, 24, 2, 1, 0x20),
    },
    { name: 'ccp.opt.History', label: 'History', type: 'uint', mask: 0x1f, record: bitsOf(CCP, 24, 2, 0x1f) },
    { name: 'ccp.opt.contexts', label: '# Contexts', type: 'uint', record: ofType(CCP, [24], 3, 1, u8) },
    {
      name: 'ccp.opt.mode',
      label: 'Mode',
      type: 'uint',
      values: CCP_DCE_MODES,
      record: ofType(CCP, [25], 2, 1, u8),
    },
    {
      name: 'ccp.opt.window',
      label: 'Window',
      type: 'uint',
      mask: 0xf0,
      // Shown as the window's size in bytes: 2 to the power of the nibble and 8.
      display: (n) => String(2 ** (n + 8)),
      record: bitsOf(CCP, 26, 2, 0xf0),
    },
    {
      name: 'ccp.opt.method',
      label: 'Method',
      type: 'uint',
      mask: 0x0f,
      values: DEFLATE_METHODS,
      record: bitsOf(CCP, 26, 2, 0x0f),
    },
    { name: 'ccp.opt.mbz', label: 'MBZ', type: 'uint', mask: 0xfc, record: bitsOf(CCP, 26, 3, 0xfc) },
    {
      name: 'ccp.opt.chk',
      label: 'Chk',
      type: 'uint',
      mask: 0x03,
      values: DEFLATE_CHECKS,
      record: bitsOf(CCP, 26, 3, 0x03),
    },
    {
      name: 'ccp.opt.data',
      label: 'Data',
      type: 'bytes',
      // The predictors' and the other options Wireshark reads no field of; Stac's Ascend version.
      record: (l, v, ctx, p, len) => {
        restOf(CCP, [1, 2, 3, 16, 20], 2, () => true)(l, v, ctx, p, len);
        restOf(CCP, [17], 2, (_l, _p, n) => n === 6)(l, v, ctx, p, len);
      },
    },
  ],
});

/** The option's subtree title: its item's name and what Wireshark appends to it. */
function optionTitle(l: Layer, p: number, len: number): string {
  const kind = kindAt(l, p);
  if (kind === undefined) return `Unknown (0x${l.buf[p]!.toString(16).padStart(2, '0')}) (${plural(len, 'byte')})`;
  const error = lengthError(l, kind, len);
  if (error !== null) return error;
  return `${kind.item?.(l, p, len) ?? kind.name}${kind.text?.(l, p, len) ?? ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The bodies of the other codes, PAP's and CHAP's.

/** A field of the body of dissect_cp's codes, at `off` after the header, where the code is one of `codes`. */
const cpBody =
  (codes: readonly number[], off: number, size: number, read: LayerRead): FieldReader =>
  (l, v) => {
    if (CP_TITLES[l.aux] === undefined) return;
    const s = headerAt(l);
    if (s < 0 || !codes.includes(codeOf(l, s))) return;
    const q = s + 4 + off;
    if (q + size <= l.end) v.num(read(l, q), l.buf, q, size);
  };
/** The rest of the body from `off`, where the length says there is some and it is captured. */
const cpRest =
  (codes: readonly number[] | null, off: number, text: boolean): FieldReader =>
  (l, v) => {
    if (CP_TITLES[l.aux] === undefined) return;
    const s = headerAt(l);
    if (s < 0) return;
    const code = codeOf(l, s);
    if (codes === null ? DATA_ELSEWHERE.has(code) : !codes.includes(code)) return;
    const n = bodyLength(l, s) - off;
    const q = s + 4 + off;
    if (n <= 0 || q + n > l.end) return;
    if (text) v.str(asciiText(l.buf, q, n), l.buf, q, n);
    else v.bytes(l.buf, q, n);
  };
/**
 * The codes whose body is not ppp.data: the options, the magic numbers, the rejected protocol, and a Vendor-Specific
 * packet's (code 0: its magic number, OUI and kind are not read here).
 */
const DATA_ELSEWHERE = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13]);
const MAGIC_CODES = [ECHOREQ, 10, DISCREQ, IDENT, TIMEREMAIN];

/** PAP's and CHAP's header, if whole, and their length field; the reader of a field of theirs. */
const authBody =
  (protocol: number, read: (l: Layer, v: Values, s: number, code: number, n: number) => void): FieldReader =>
  (l, v) => {
    if (l.aux !== protocol) return;
    const s = headerAt(l);
    if (s >= 0) read(l, v, s, codeOf(l, s), u16(l, s + 2));
  };
/** A PAP field of `length` bytes and the length byte before it, at q, where they are captured. */
const papString = (l: Layer, v: Values, q: number, lengthOnly: boolean): void => {
  if (q + 1 > l.end) return;
  const n = l.buf[q]!;
  if (lengthOnly) v.num(n, l.buf, q, 1);
  else if (q + 1 + n <= l.end) v.str(asciiText(l.buf, q + 1, n), l.buf, q + 1, n);
};
/**
 * Whether the control packet at s is cut short: by the capture, or before the end its length says (Wireshark's
 * buffer then ends past the bytes there are: PPPoE's payload length, the IP datagram's).
 */
const cut = (l: Layer, s: number): boolean => l.short || s + u16(l, s + 2) > l.end;
/**
 * Whether a CHAP Challenge or Response has its Data item: a body the length says, within the capture (or past it,
 * where the capture cut the packet: Wireshark draws the item, then throws reading in it).
 */
const chapData = (l: Layer, s: number, code: number, n: number): boolean =>
  (code === 1 || code === 2) && n - 4 > 0 && (s + n <= l.end || cut(l, s));
/** CHAP's value size, where there is a Data item and the size is captured; -1 else. */
const chapValueSize = (l: Layer, s: number, code: number, n: number): number =>
  chapData(l, s, code, n) && s + 5 <= l.end ? l.buf[s + 4]! : -1;

export const BODY_FIELDS: FieldSpec[] = [
  {
    name: 'ppp.data',
    label: 'Data',
    type: 'bytes',
    // Terminate's, Reset's and unknown codes' data; a Code-Reject's rejected packet.
    read: cpRest(null, 0, false),
  },
  {
    name: 'lcp.magic_number',
    label: 'Magic Number',
    type: 'uint',
    bits: 32,
    base: 'hex',
    read: cpBody(MAGIC_CODES, 0, 4, u32),
  },
  { name: 'lcp.data', label: 'Data', type: 'bytes', read: cpRest([ECHOREQ, 10, DISCREQ], 4, false) },
  {
    name: 'lcp.secs_remaining',
    label: 'Seconds Remaining',
    type: 'uint',
    bits: 32,
    display: (n) => `${n} ${n === 0xffffffff ? '(forever)' : 'seconds'}`,
    read: cpBody([TIMEREMAIN], 4, 4, u32),
  },
  {
    name: 'lcp.message',
    label: 'Message',
    type: 'string',
    read: (l, v, ctx) => {
      cpRest([IDENT], 4, true)(l, v, ctx);
      cpRest([TIMEREMAIN], 8, true)(l, v, ctx);
    },
  },
  {
    name: 'lcp.rej_proto',
    label: 'Rejected Protocol',
    type: 'uint',
    bits: 16,
    base: 'hex',
    values: PROTOCOL_VALS,
    read: cpBody([PROTREJ], 0, 2, u16),
  },
  {
    name: 'pap.data',
    label: 'Data',
    type: 'none',
    // From the header to the end of the frame (Wireshark's -1), however short.
    read: authBody(PAP, (l, v, s) => {
      // Where the packet is cut right after its header, Wireshark's item of it throws.
      if (l.end > s + 4 || !cut(l, s)) v.num(1, l.buf, s + 4, l.end - s - 4);
    }),
  },
  {
    name: 'pap.peer_id.length',
    label: 'Peer-ID-Length',
    type: 'uint',
    child: true,
    read: authBody(PAP, (l, v, s, code) => code === 1 && papString(l, v, s + 4, true)),
  },
  {
    name: 'pap.peer_id',
    label: 'Peer-ID',
    type: 'string',
    child: true,
    read: authBody(PAP, (l, v, s, code) => code === 1 && papString(l, v, s + 4, false)),
  },
  {
    name: 'pap.message.length',
    label: 'Message-Length',
    type: 'uint',
    child: true,
    read: authBody(PAP, (l, v, s, code) => (code === 2 || code === 3) && papString(l, v, s + 4, true)),
  },
  {
    name: 'pap.message',
    label: 'Message',
    type: 'string',
    child: true,
    read: authBody(PAP, (l, v, s, code) => (code === 2 || code === 3) && papString(l, v, s + 4, false)),
  },
  {
    name: 'pap.stuff',
    label: 'stuff',
    type: 'bytes',
    child: true,
    read: authBody(PAP, (l, v, s, code) => {
      if ((code < 1 || code > 3) && (l.end > s + 4 || !cut(l, s))) v.bytes(l.buf, s + 4, l.end - s - 4);
    }),
  },
  {
    name: 'chap.data',
    label: 'Data',
    type: 'none',
    read: authBody(CHAP, (l, v, s, code, n) => {
      if (chapData(l, s, code, n)) v.num(1, l.buf, s + 4, Math.min(n, l.end - s) - 4);
    }),
  },
  {
    name: 'chap.value_size',
    label: 'Value Size',
    type: 'uint',
    child: true,
    display: (_n, _b, _o, text) => text,
    read: authBody(CHAP, (l, v, s, code, n) => {
      const size = chapValueSize(l, s, code, n);
      if (size < 0) return;
      const text = size > n - 5 ? `${plural(size, 'byte')} (invalid, must be <= ${n - 5})` : String(size);
      v.str(text, l.buf, s + 4, 1, size);
    }),
  },
  {
    name: 'chap.value',
    label: 'Value',
    type: 'bytes',
    child: true,
    read: authBody(CHAP, (l, v, s, code, n) => {
      const size = chapValueSize(l, s, code, n);
      if (size >= 0 && size <= n - 5 && n - 5 > 0 && s + 5 + size <= l.end) v.bytes(l.buf, s + 5, size);
    }),
  },
  {
    name: 'chap.name',
    label: 'Name',
    type: 'string',
    child: true,
    read: authBody(CHAP, (l, v, s, code, n) => {
      const size = chapValueSize(l, s, code, n);
      const rest = n - 5 - size;
      if (size >= 0 && size <= n - 5 && rest > 0 && s + n <= l.end)
        v.str(asciiText(l.buf, s + 5 + size, rest), l.buf, s + 5 + size, rest);
    }),
  },
  {
    name: 'chap.message',
    label: 'Message',
    type: 'string',
    read: authBody(CHAP, (l, v, s, code, n) => {
      if ((code === 3 || code === 4) && n > 4 && s + n <= l.end)
        v.str(asciiText(l.buf, s + 4, n - 4), l.buf, s + 4, n - 4);
    }),
  },
  {
    name: 'chap.stuff',
    label: 'Stuff',
    type: 'bytes',
    read: authBody(CHAP, (l, v, s, code, n) => {
      if ((code < 1 || code > 4) && n > 4 && s + n <= l.end) v.bytes(l.buf, s + 4, n - 4);
    }),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The -V tree.

type Visit = (f: Field, v: Values, depth: number) => void;
const treeValues = new Values();
const optionCursor = OPTIONS.cursor();

/** Draws a field's occurrences in the layer at depth (none where it has none). */
function draw(f: Field, l: Layer, ctx: PacketCtx, visit: Visit, depth: number): void {
  treeValues.n = 0;
  f.read(l, treeValues, ctx);
  if (treeValues.n > 0) visit(f, treeValues, depth);
}

/**
 * The control packet's lines after PPP's own: its title (Wireshark's protocol's, at the depth of PPP's), its code,
 * identifier and length (`header`, the fields ppp.ts declares), then its body as Wireshark's tree has it.
 */
export function controlTree(
  l: Layer,
  ctx: PacketCtx,
  visit: Visit,
  header: readonly Field[],
  named: ReadonlyMap<string, Field>,
): void {
  const title = CONTROL_TITLES[l.aux];
  const s = headerAt(l);
  if (title === undefined) return;
  if (s < 0) {
    // A cut header: PAP's and CHAP's code and identifier as far as they go (LCP's and the others' nothing).
    const at = controlStart(l.buf, l.off);
    if ((l.aux !== PAP && l.aux !== CHAP) || at >= l.end) return;
    visitText(visit, title, l.buf, at, l.end - at, 0);
    for (const f of header) draw(f, l, ctx, visit, 1);
    return;
  }
  visitText(visit, title, l.buf, s, Math.min(l.end, s + Math.max(4, u16(l, s + 2))) - s, 0);
  for (const f of header) draw(f, l, ctx, visit, 1);
  const field = (name: string): Field => named.get(name)!;
  if (l.aux === PAP) {
    for (const name of ['pap.data', 'pap.peer_id.length', 'pap.peer_id', 'pap.message.length', 'pap.message'])
      draw(field(name), l, ctx, visit, 1);
    draw(field('pap.stuff'), l, ctx, visit, 1);
    return;
  }
  if (l.aux === CHAP) {
    if (u16(l, s + 2) < 4) return;
    for (const name of ['chap.data', 'chap.value_size', 'chap.value', 'chap.name', 'chap.message', 'chap.stuff'])
      draw(field(name), l, ctx, visit, 1);
    return;
  }
  const code = codeOf(l, s);
  if (code >= CONFREQ && code <= CONFREJ) optionsTree(l, ctx, visit, s);
  else if (code === CODEREJ) {
    const n = bodyLength(l, s);
    if (n > 0 && s + 4 + n <= l.end)
      visitText(visit, `Rejected Packet (${plural(n, 'byte')}): ${shownHex(l.buf, s + 4, n)}`, l.buf, s + 4, n, 1);
  } else
    for (const name of [
      'lcp.rej_proto',
      'lcp.magic_number',
      'lcp.secs_remaining',
      'lcp.data',
      'lcp.message',
      'ppp.data',
    ])
      draw(field(name), l, ctx, visit, 1);
}

/** The Options line and each option's subtree, and the line Wireshark draws where its walk ends on a bad length. */
function optionsTree(l: Layer, ctx: PacketCtx, visit: Visit, s: number): void {
  const end = optionsEnd(l);
  if (end < 0) return;
  const start = s + 4;
  let names = '';
  // The names of the options Wireshark hands to a dissector of theirs, but one that throws.
  let p = start;
  for (let n = 0; p + 2 <= end && n < 256; n++) {
    const len = l.buf[p + 1]!;
    if (len < 2 || p + len > end) break;
    const kind = kindAt(l, p);
    if (kind !== undefined) {
      if (lengthError(l, kind, len) === null && kind.throws?.(l, p, len)) break;
      names += `, ${kind.name}`;
    }
    p += len;
  }
  const line = `Options: (${plural(end - start, 'byte')})${names}`;
  // The options' names are appended to the line.
  visitText(visit, appendedTitle(line), l.buf, start, end - start, 1);
  let last = start;
  for (let ok = optionCursor.region(l, 0, -1, 0); ok; ok = optionCursor.step(l)) {
    const { p: q, len } = optionCursor;
    last = q + len;
    visitText(visit, optionTitle(l, q, len), l.buf, q, len, 2);
    if (readKind(l, q, len) === null) continue;
    for (const f of OPTIONS.fields) {
      treeValues.n = 0;
      f.recordRead!(l, treeValues, ctx, q, len);
      if (treeValues.n > 0) visit(f, treeValues, f.name === 'lcp.opt.magic_number' && l.buf[q] === 19 ? 4 : 3);
    }
    if (OPTIONS.isLast(l, q, len)) return;
  }
  // Where the walk ended early: a length byte past the options, a length under 2, or one past the options.
  if (last >= end || (last + 1 < end && l.buf[last + 1]! >= 2 && last + l.buf[last + 1]! <= end)) return;
  const kind = kindAt(l, last);
  const name = kind?.name ?? `Unknown (0x${l.buf[last]!.toString(16).padStart(2, '0')})`;
  if (last + 1 >= end) {
    visitText(visit, `${name} (length byte past end of options)`, l.buf, last, 1, 2);
    return;
  }
  const len = l.buf[last + 1]!;
  const text =
    len < 2
      ? `${name} (with too-short option length = ${plural(len, 'byte')})`
      : `${name} (option length = ${plural(len, 'byte')} says option goes past end of options)`;
  visitText(visit, text, l.buf, last, Math.min(len < 2 ? 2 : end - last, end - last), 2);
}
