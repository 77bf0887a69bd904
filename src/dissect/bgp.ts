import { hex, ipv4 as ipv4Text, ipv6 as ipv6Text } from './addr.js';
import {
  appendedTitle,
  asciiText,
  declareFields,
  fields,
  fieldsByName,
  fieldsFoundByName,
  hexThenText,
  occurrence,
  SET_NOT_SET,
  TRUE_FALSE,
  Values,
  visitText,
  YES_NO,
  type Field,
  type FieldReader,
  type FieldSpec,
  type TrueFalse,
} from './field.js';
import { jsonMembers } from './json.js';
import { AFN_NAMES } from './numbers.js';
import { protocol, Table, type Layer, type PacketCtx } from './packet.js';
import { W } from './warnings.js';
import { printfFixed } from '../util/printf.js';
import { plural } from '../util/words.js';

/**
 * BGP-4 (RFC 4271) on TCP 179, as tshark 4.0's packet-bgp.c reads it: a layer for each message of a segment (tshark's
 * loop over the segment), the bytes before the first marker a continuation, and the body of OPEN (optional parameters
 * and the capabilities of RFC 5492), UPDATE (withdrawn routes, path attributes, NLRI, with tshark's heuristics for
 * ADD-PATH's path identifiers and 2- or 4-octet AS numbers), NOTIFICATION, KEEPALIVE and ROUTE-REFRESH.
 *
 * Without TCP reassembly, as tshark with `bgp.desegment` off: a message that runs past its segment shows what the
 * segment holds (malformed), and the next segment's first bytes are a continuation. The audit reads OPENs for each
 * speaker's AS (bgpOpen, adjacencies.ts).
 *
 * aux: the message type, CONTINUATION for bytes before a marker, NO_MESSAGE where the header cannot be read or its
 * length is under the header's; hint: FOLLOWS for a message after another in the same segment.
 */
export const BGP_PORT = 179;
const MARKER = 16;
const HEADER = 19;
const MAX_MESSAGE = 4096;
const CONTINUATION = -2;
const NO_MESSAGE = -1;
const FOLLOWS = 1;

const OPEN = 1;
const UPDATE = 2;
const NOTIFICATION = 3;
const ROUTE_REFRESH = 5;
const ROUTE_REFRESH_CISCO = 128;
const CAPABILITY_PARAMETER = 2;
const CAP_AS4 = 65;
const AS_TRANS = 23456;

const TYPES: Readonly<Record<number, string>> = {
  1: 'OPEN Message',
  2: 'UPDATE Message',
  3: 'NOTIFICATION Message',
  4: 'KEEPALIVE Message',
  5: 'ROUTE-REFRESH Message',
  6: 'CAPABILITY Message',
  128: 'Cisco ROUTE-REFRESH Message',
};
const typeText = (t: number): string => TYPES[t] ?? `Unknown message type (0x${t.toString(16).padStart(2, '0')})`;
const SHORT_TYPES: Readonly<Record<number, string>> = {
  1: 'OPEN',
  2: 'UPDATE',
  3: 'NOTIFICATION',
  4: 'KEEPALIVE',
  5: 'ROUTE-REFRESH',
  6: 'CAPABILITY',
  128: 'ROUTE-REFRESH',
};

const CAPABILITIES: Readonly<Record<number, string>> = {
  0: 'Reserved capability',
  1: 'Multiprotocol extensions capability',
  2: 'Route refresh capability',
  3: 'Cooperative route filtering capability',
  4: 'Multiple routes to a destination capability',
  5: 'Extended Next Hop Encoding',
  6: 'BGP-Extended Message',
  7: 'BGPsec capability',
  8: 'Multiple Labels capability',
  9: 'BGP Role',
  64: 'Graceful Restart capability',
  65: 'Support for 4-octet AS number capability',
  66: 'Deprecated Dynamic Capability (Cisco)',
  67: 'Support for Dynamic capability',
  68: 'Multisession BGP Capability',
  69: 'Support for Additional Paths',
  70: 'Enhanced route refresh capability',
  71: 'Long-Lived Graceful Restart (LLGR) Capability',
  72: 'CP-ORF Capability',
  73: 'FQDN Capability',
  128: 'Route refresh capability (Cisco)',
  130: 'Cooperative route filtering capability (Cisco)',
  131: 'Multisession BGP Capability (Cisco)',
};
const PARAMETERS: Readonly<Record<number, string>> = { 1: 'Authentication', 2: 'Capability' };
const SAFI: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Unicast',
  2: 'Multicast',
  3: 'Unicast+Multicast (Deprecated)',
  4: 'Labeled Unicast',
  5: 'MCAST-VPN',
  6: 'Multi-Segment Pseudowires',
  7: 'Encapsulation (Deprecated)',
  8: 'MCAST-VPLS',
  64: 'Tunnel (Deprecated)',
  65: 'VPLS',
  66: 'Cisco MDT',
  67: '4over6',
  68: '6over4',
  69: 'Layer-1 VPN',
  70: 'EVPN',
  71: 'BGP-LS',
  72: 'BGP-LS-VPN',
  73: 'SR Policy',
  74: 'SD-WAN',
  75: 'Routing Policy Distribution',
  76: 'Classful Transport Planes',
  77: 'Tunneled Traffic Flowspec',
  78: 'MCAST-TREE',
  128: 'Labeled VPN Unicast',
  129: 'Labeled VPN Multicast',
  130: 'Labeled VPN Unicast+Multicast (Deprecated)',
  132: 'Route Target Filter',
  133: 'Flow Spec Filter',
  134: 'Flow Spec Filter VPN',
  140: 'Layer-3 VPN (Deprecated)',
};
const SEND_RECEIVE: Readonly<Record<number, string>> = { 1: 'Receive', 2: 'Send', 3: 'Both' };
const MAJOR_ERRORS: Readonly<Record<number, string>> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'CAPABILITY Message Error',
};
/** Each major error's minor code: its field, label's words and names (none for the hold timer's). */
const MINOR_ERRORS: Readonly<Record<number, readonly [string, string, Readonly<Record<number, string>> | undefined]>> =
  {
    1: [
      'bgp.notify.minor_error',
      'Message Header',
      { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
    ],
    2: [
      'bgp.notify.minor_error_open',
      'Open Message',
      {
        1: 'Unsupported Version Number',
        2: 'Bad Peer AS',
        3: 'Bad BGP Identifier',
        4: 'Unsupported Optional Parameter',
        5: 'Authentication Failure [Deprecated]',
        6: 'Unacceptable Hold Time',
        7: 'Unsupported Capability',
        8: 'No supported AFI/SAFI (Cisco)',
      },
    ],
    3: [
      'bgp.notify.minor_error_update',
      'Update Message',
      {
        1: 'Malformed Attribute List',
        2: 'Unrecognized Well-known Attribute',
        3: 'Missing Well-known Attribute',
        4: 'Attribute Flags Error',
        5: 'Attribute Length Error',
        6: 'Invalid ORIGIN Attribute',
        7: 'AS Routing Loop [Deprecated]',
        8: 'Invalid NEXT_HOP Attribute',
        9: 'Optional Attribute Error',
        10: 'Invalid Network Field',
        11: 'Malformed AS_PATH',
      },
    ],
    4: ['bgp.notify.minor_error_expired', 'Hold Timer Expired', undefined],
    5: [
      'bgp.notify.minor_error_state',
      'State Machine',
      {
        1: 'Receive Unexpected Message in OpenSent State',
        2: 'Receive Unexpected Message in OpenConfirm State',
        3: 'Receive Unexpected Message in Established State',
      },
    ],
    6: [
      'bgp.notify.minor_error_cease',
      'Cease',
      {
        1: 'Maximum Number of Prefixes Reached',
        2: 'Administratively Shutdown',
        3: 'Peer De-configured',
        4: 'Administratively Reset',
        5: 'Connection Rejected',
        6: 'Other Configuration Change',
        7: 'Connection Collision Resolution',
        8: 'Out of Resources',
        9: 'Hard Reset',
      },
    ],
    7: [
      'bgp.notify.minor_error_capability',
      'Capability Message',
      {
        1: 'Invalid Action Value',
        2: 'Invalid Capability Length',
        3: 'Malformed Capability Value',
        4: 'Unsupported Capability Code',
      },
    ],
  };
const MINOR_UNKNOWN = 'bgp.notify.minor_error_unknown';
const CEASE = 6;
const ADMIN_SHUTDOWN = 2;
const ADMIN_RESET = 4;
const ROUTE_REFRESH_SUBTYPES: Readonly<Record<number, string>> = {
  0: 'Normal route refresh request [RFC2918] with/without ORF [RFC5291]',
  1: 'Demarcation of the beginning of a route refresh',
  2: 'Demarcation of the ending of a route refresh',
};

const ATTRIBUTES: Readonly<Record<number, string>> = {
  1: 'ORIGIN',
  2: 'AS_PATH',
  3: 'NEXT_HOP',
  4: 'MULTI_EXIT_DISC',
  5: 'LOCAL_PREF',
  6: 'ATOMIC_AGGREGATE',
  7: 'AGGREGATOR',
  8: 'COMMUNITIES',
  9: 'ORIGINATOR_ID',
  10: 'CLUSTER_LIST',
  11: 'DPA',
  12: 'ADVERTISER',
  13: 'RCID_PATH / CLUSTER_ID',
  14: 'MP_REACH_NLRI',
  15: 'MP_UNREACH_NLRI',
  16: 'EXTENDED_COMMUNITIES',
  17: 'AS4_PATH',
  18: 'AS4_AGGREGATOR',
  19: 'SAFI_SPECIFIC_ATTRIBUTE',
  20: 'Connector Attribute',
  21: 'AS_PATHLIMIT ',
  22: 'PMSI_TUNNEL_ATTRIBUTE',
  23: 'TUNNEL_ENCAPSULATION_ATTRIBUTE',
  24: 'Traffic Engineering',
  25: 'IPv6 Address Specific Extended Community',
  26: 'AIGP',
  27: 'PE Distinguisher Labels',
  28: 'BGP Entropy Label Capability Attribute',
  29: 'BGP-LS Attribute',
  30: 'Deprecated',
  31: 'Deprecated',
  32: 'LARGE_COMMUNITY',
  33: 'BGPsec_PATH',
  36: 'D_PATH',
  40: 'BGP Prefix-SID',
  99: 'LINK_STATE (unofficial code point)',
  128: 'ATTR_SET',
  129: 'Deprecated',
  241: 'Deprecated',
  242: 'Deprecated',
  243: 'Deprecated',
};
const ORIGINS: Readonly<Record<number, string>> = { 0: 'IGP', 1: 'EGP', 2: 'INCOMPLETE' };
const AS_SET = 1;
const AS_CONFED_SET = 4;
const SEGMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'AS_SET',
  2: 'AS_SEQUENCE',
  4: 'AS_CONFED_SET',
  3: 'AS_CONFED_SEQUENCE',
};
const WELL_KNOWN_COMMUNITIES: Readonly<Record<number, string>> = {
  0xffff0000: 'GRACEFUL_SHUTDOWN',
  0xffff0001: 'ACCEPT_OWN',
  0xffff029a: 'BLACKHOLE',
  0xffffff01: 'NO_EXPORT',
  0xffffff02: 'NO_ADVERTISE',
  0xffffff03: 'NO_EXPORT_SUBCONFED',
  0xffffff04: 'NOPEER',
};
const ATTR_SET = 128;
const FLAG_OPTIONAL = 0x80;
const FLAG_TRANSITIVE = 0x40;
const FLAG_PARTIAL = 0x20;
const FLAG_EXTENDED_LENGTH = 0x10;
const AFI_IPV4 = 1;
const AFI_IPV6 = 2;
const AFI_L2VPN = 25;
const AFI_L2VPN_OLD = 196;
const AFI_BGP_LS = 16388;
/** The SAFIs whose NLRI and next hop are read here (tshark reads VPN, labelled, EVPN, flowspec and more). */
const PLAIN_SAFIS = new Set([1, 2, 3]);
/** The SAFIs tshark reads prefixes of in each family (decode_prefix_MP); another is its `Unknown SAFI` line. */
const IPV6_SAFIS = new Set([1, 2, 3, 4, 5, 7, 64, 73, 128, 129, 130, 133, 134]);
const IPV4_SAFIS = new Set([...IPV6_SAFIS, 66, 132]);
const L2VPN_SAFIS = new Set([65, 70, 128, 129, 130]);

/** A read past the bytes the segment holds of the message: tshark's exception, which ends its tree there. */
const CUT = Symbol('cut');

/**
 * Where a walk puts each item of a message's tree, in the order of its bytes: a field's occurrence (its name; its
 * number; a text: a string's value, a mark's (FT_NONE) whole line, the words after a number), or, with `line`, the
 * line -V shows where tshark formats it apart from the field; a line of no field has the name ''.
 */
type Sink = (
  name: string,
  depth: number,
  buf: Uint8Array,
  p: number,
  size: number,
  n: number,
  text: string,
  line: string,
) => void;

/**
 * The depth from which tshark's tree takes no item (its gui.max_tree_depth, 500, counted from the tree's root): only
 * ATTR_SETs nested in ATTR_SETs reach it.
 */
const MAX_DEPTH = 499;

/** One message's walk: reads bounded by what the segment holds of it (`end`), items to `put`. */
class Walk {
  /** Levels added to every item's depth: those of the ATTR_SETs the attributes walked are in. */
  shift = 0;

  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
    private readonly sink: Sink,
  ) {}

  /** An item to the sink, `shift` levels deeper. */
  put(name: string, depth: number, buf: Uint8Array, p: number, size: number, n: number, text: string, line: string) {
    if (depth + this.shift >= MAX_DEPTH) throw CUT;
    this.sink(name, depth + this.shift, buf, p, size, n, text, line);
  }

  u8(p: number): number {
    if (p + 1 > this.end) throw CUT;
    return this.buf[p]!;
  }

  u16(p: number): number {
    if (p + 2 > this.end) throw CUT;
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  u24(p: number): number {
    if (p + 3 > this.end) throw CUT;
    return (this.buf[p]! << 16) | (this.buf[p + 1]! << 8) | this.buf[p + 2]!;
  }

  u32(p: number): number {
    if (p + 4 > this.end) throw CUT;
    return ((this.buf[p]! << 24) | (this.buf[p + 1]! << 16) | (this.buf[p + 2]! << 8) | this.buf[p + 3]!) >>> 0;
  }

  /** A number of `size` bytes (1 to 4) at p, as field `name` (its -V line `line` where given). */
  num(name: string, depth: number, p: number, size: number, line = '', text = ''): number {
    const n = size === 1 ? this.u8(p) : size === 2 ? this.u16(p) : size === 3 ? this.u24(p) : this.u32(p);
    this.put(name, depth, this.buf, p, size, n, text, line);
    return n;
  }

  /** An IEEE float's 4 bytes at p (an FT_FLOAT). */
  float(name: string, depth: number, p: number): void {
    this.put(name, depth, this.buf, p, 4, floatAt(this, p), '', '');
  }

  /** Six bytes at p as a number (an FT_UINT48 shown as three 16-bit words by its display). */
  raw(name: string, depth: number, p: number): void {
    this.put(name, depth, this.buf, p, 6, this.u16(p) * 2 ** 32 + this.u32(p + 2), rawText(this, p), '');
  }

  /** An IPv4 address's 4 bytes at p. */
  ipv4(name: string, depth: number, p: number): void {
    const n = this.u32(p);
    this.put(name, depth, this.buf, p, 4, n, '', '');
  }

  /** Bytes (a byte field) at p; none past the end of what is held. */
  bytes(name: string, depth: number, p: number, size: number, line = ''): void {
    if (p + size > this.end) throw CUT;
    this.put(name, depth, this.buf, p, size, 0, '', line);
  }

  /**
   * The length tshark gives an item of bytes or a string at p whose length it worked out as `size`: -1 is the rest of
   * what is held (at least a byte), a length under that its reported bounds error.
   */
  sized(p: number, size: number): number {
    if (size >= 0) return size;
    if (size < -1 || p >= this.end) throw CUT;
    return this.end - p;
  }

  /**
   * A mark (FT_NONE) at [p, p + size): its whole line. It reads nothing, so it is drawn past the end too, cut there,
   * but not begun past it (tshark checks that its first byte, if any, is held). What tshark appends to a mark's label
   * (an AS_PATH, communities) is cut as appended text is.
   */
  mark(name: string, depth: number, p: number, size: number, line: string): void {
    if (p > this.end) throw CUT;
    this.put(name, depth, this.buf, p, Math.max(0, Math.min(size, this.end - p)), 0, appendedTitle(line), '');
  }

  /** A subtree's title, whose bytes tshark checks exist: one past what is held is the end of the tree. */
  subtree(depth: number, p: number, size: number, line: string): void {
    if (p + size > this.end) throw CUT;
    this.put('', depth, this.buf, p, size, 0, '', line);
  }

  /**
   * A line of tshark's expert item (none where it begins past what is held), then its error where its bytes are not
   * all held: either ends the tree.
   */
  expert(depth: number, p: number, size: number, line: string): void {
    if (p > this.end) throw CUT;
    this.text(depth, p, size, line);
    if (p + size > this.end) throw CUT;
  }

  /** A line of no field (a prefix's subtree title). */
  text(depth: number, p: number, size: number, line: string): void {
    this.put('', depth, this.buf, p, Math.max(0, Math.min(size, this.end - p)), 0, '', line);
  }
}

/**
 * The message of layer l: its fields to `put` in the order of tshark's tree, up to the first read past what the
 * segment holds of it.
 */
function walk(l: Layer, put: Sink): void {
  if (l.aux === NO_MESSAGE) return;
  const w = new Walk(l.buf, l.hdrEnd, put);
  try {
    if (l.aux === CONTINUATION) {
      w.mark('bgp.continuation', 1, l.off, l.hdrEnd - l.off, 'Continuation');
      return;
    }
    const p = l.off;
    w.bytes('bgp.marker', 1, p, MARKER);
    const length = w.num('bgp.length', 1, p + MARKER, 2);
    // tshark reads no further in a message longer than RFC 4271's 4,096 bytes (its expert item on the length).
    if (length > MAX_MESSAGE) return;
    w.num('bgp.type', 1, p + 18, 1);
    const end = p + length;
    if (l.aux === OPEN) walkOpen(w, p);
    else if (l.aux === UPDATE) walkUpdate(w, p, end);
    else if (l.aux === NOTIFICATION) walkNotification(w, p, end);
    else if (l.aux === ROUTE_REFRESH || l.aux === ROUTE_REFRESH_CISCO) walkRouteRefresh(w, p);
  } catch (e) {
    if (e !== CUT) throw e;
  }
}

function walkOpen(w: Walk, msg: number): void {
  let p = msg + HEADER;
  w.num('bgp.open.version', 1, p, 1);
  const as = w.u16(p + 1);
  w.num('bgp.open.myas', 1, p + 1, 2, as === AS_TRANS ? `My AS: ${as} (AS_TRANS)` : '');
  w.num('bgp.open.holdtime', 1, p + 3, 2);
  w.ipv4('bgp.open.identifier', 1, p + 5);
  const optLen = w.num('bgp.open.opt.len', 1, p + 9, 1);
  p += 10;
  if (optLen === 0) return;
  const optEnd = p + optLen;
  w.mark('bgp.open.opt', 1, p, optLen, 'Optional Parameters');
  while (p < optEnd) {
    const type = w.u8(p);
    // tshark draws the parameter and its type before it reads the length, which may be past the end.
    const size = p + 2 <= w.end ? w.u8(p + 1) + 2 : w.end - p;
    w.mark('bgp.open.opt.param', 2, p, size, `Optional Parameter: ${PARAMETERS[type] ?? `Unknown Parameter ${type}`}`);
    w.num('bgp.open.opt.param.type', 3, p, 1);
    const len = w.num('bgp.open.opt.param.len', 3, p + 1, 1);
    p += 2;
    if (type === 1) {
      w.bytes('bgp.open.opt.param.auth', 3, p, len);
      p += len;
    } else if (type === CAPABILITY_PARAMETER) {
      const capEnd = p + len;
      while (p < capEnd) p = walkCapability(w, p, 3);
    } else {
      // tshark draws an unknown parameter's bytes under the list, not the parameter, and does not step over them.
      w.bytes('bgp.open.opt.param.unknown', 2, p, len);
    }
  }
}

/**
 * The capabilities tshark finds an empty value wrong for (`Unknown: <MISSING>`): multiprotocol, ORF and Cisco's,
 * BGPsec, graceful restart, 4-octet AS, Cisco's multisession.
 */
const VALUE_NEEDED = new Set([1, 3, 7, 64, 65, 130, 131]);

/** One capability at p, its title at depth; where the next begins. */
function walkCapability(w: Walk, p: number, depth: number): number {
  const type = w.u8(p);
  const len = w.u8(p + 1);
  w.mark('bgp.cap', depth, p, len + 2, `Capability: ${CAPABILITIES[type] ?? `Unknown capability ${type}`}`);
  const d = depth + 1;
  w.num('bgp.cap.type', d, p, 1);
  w.num('bgp.cap.length', d, p + 1, 1);
  p += 2;
  const end = p + len;
  // A value of a length tshark finds wrong is its bytes, none too (`<MISSING>`); an empty one it has no reader for
  // is nothing.
  const unknown = () => {
    if (len !== 0 || VALUE_NEEDED.has(type)) w.bytes('bgp.cap.unknown', d, p, len);
    return end;
  };
  switch (type) {
    case 1:
      if (len !== 4) return unknown();
      w.num('bgp.cap.mp.afi', d, p, 2);
      w.bytes('bgp.cap.reserved', d, p + 2, 1);
      w.num('bgp.cap.mp.safi', d, p + 3, 1);
      return end;
    case 64: {
      if (len < 6 && len !== 2) return unknown();
      const timers = w.u16(p);
      const set = `${timers & 0x8000 ? ', Restart state' : ''}${timers & 0x4000 ? ', Graceful notification' : ''}`;
      w.num('bgp.cap.gr.timers', d, p, 2, '', set);
      w.num('bgp.cap.gr.timers.restart_flag', d + 1, p, 2);
      w.num('bgp.cap.gr.timers.notification_flag', d + 1, p, 2);
      w.num('bgp.cap.gr.timers.restart_time', d + 1, p, 2);
      for (p += 2; p < end; p += 4) {
        w.num('bgp.cap.gr.afi', d, p, 2);
        w.num('bgp.cap.gr.safi', d, p + 2, 1);
        const flags = w.u8(p + 3);
        w.num('bgp.cap.gr.flag', d, p + 3, 1, '', flags & 0x80 ? ', Preserve forwarding state' : '');
        w.num('bgp.cap.gr.flag.pfs', d + 1, p + 3, 1);
      }
      return p;
    }
    case CAP_AS4:
      if (len !== 4) return unknown();
      w.num('bgp.cap.4as', d, p, 4);
      return end;
    case 69:
      if (len % 4 !== 0) return unknown();
      for (; p < end; p += 4) {
        w.num('bgp.cap.ap.afi', d, p, 2);
        w.num('bgp.cap.ap.safi', d, p + 2, 1);
        w.num('bgp.cap.ap.sendreceive', d, p + 3, 1);
      }
      return end;
    case 73: {
      const host = w.num('bgp.cap.orf.fqdn.hostname.len', d, p, 1);
      string(w, 'bgp.cap.orf.fqdn.hostname', d, p + 1, host);
      p += 1 + host;
      const domain = w.num('bgp.cap.orf.fqdn.domain_name.len', d, p, 1);
      string(w, 'bgp.cap.orf.fqdn.domain_name', d, p + 1, domain);
      return p + 1 + domain;
    }
    default:
      // Those of no value (route refresh...), whose bytes tshark shows so too; and extended next hop, ORF, dynamic
      // capability, multisession, BGPsec, whose values tshark reads and gredump does not (README).
      return unknown();
  }
}

/** A string of `size` bytes at p, as tshark shows an ASCII one (controls escaped). */
function string(w: Walk, name: string, depth: number, p: number, size: number): void {
  if (p + size > w.end) throw CUT;
  w.put(name, depth, w.buf, p, size, 0, asciiText(w.buf, p, size), '');
}

function walkNotification(w: Walk, msg: number, end: number): void {
  const p = msg + HEADER;
  const major = w.num('bgp.notify.major_error', 1, p, 1);
  const minor = MINOR_ERRORS[major];
  w.num(minor?.[0] ?? MINOR_UNKNOWN, 1, p + 1, 1);
  const dataLen = end - msg - 21;
  if (dataLen <= 0) return;
  const subcode = w.u8(p + 1);
  const q = p + 2;
  const length = w.u8(q);
  if (dataLen - 1 === length && major === CEASE && (subcode === ADMIN_SHUTDOWN || subcode === ADMIN_RESET)) {
    w.num('bgp.notify.communication_length', 1, q, 1);
    string(w, 'bgp.notify.communication', 1, q + 1, length);
  } else if (major === 2 && subcode === 7) {
    for (let c = q; c < end; ) c = walkCapability(w, c, 1);
  } else if (major === 2 && subcode === 2) {
    // A 32-bit field over the data's bytes: 2 for a 2-octet AS; of more than 4, tshark reads the first 4.
    let n = 0;
    for (let i = 0; i < Math.min(dataLen, 4); i++) n = n * 256 + w.u8(q + i);
    w.put('bgp.notify.error_open.bad_peer_as', 1, w.buf, q, dataLen, n, '', '');
  } else w.bytes('bgp.notify.minor_data', 1, q, dataLen);
}

function walkRouteRefresh(w: Walk, msg: number): void {
  const p = msg + HEADER;
  w.num('bgp.route_refresh.afi', 1, p, 2);
  w.num('bgp.route_refresh.subtype', 1, p + 2, 1);
  w.num('bgp.route_refresh.safi', 1, p + 3, 1);
}

function walkUpdate(w: Walk, msg: number, end: number): void {
  let p = msg + HEADER;
  const withdrawn = w.num('bgp.update.withdrawn_routes.length', 1, p, 2);
  p += 2;
  if (withdrawn > 0) {
    w.mark('bgp.update.withdrawn_routes', 1, p, withdrawn, 'Withdrawn Routes');
    const withPath = addPath(w, p, p + withdrawn, 32);
    p = prefixes4(w, p, p + withdrawn, 'bgp.withdrawn_prefix', 'Withdrawn route', 2, withPath);
    if (p < 0) return;
  }
  const attrLen = w.num('bgp.update.path_attributes.length', 1, p, 2);
  if (attrLen === 0) return;
  w.mark('bgp.update.path_attributes', 1, p + 2, attrLen, 'Path attributes');
  pathAttributes(w, p + 2, attrLen);
  p += 2 + attrLen;
  if (end - p > 0) {
    w.mark('bgp.update.nlri', 1, p, end - p, 'Network Layer Reachability Information (NLRI)');
    if (end - p > 4 && addPath(w, p, end, 32)) prefixes4(w, p, end, 'bgp.nlri_prefix', 'NLRI', 2, true);
    else prefixes4(w, p, end, 'bgp.nlri_prefix', 'NLRI', 2);
  }
}

/**
 * tshark's guess that prefixes at [p, end) carry ADD-PATH's path identifiers (RFC 7911): they read as such, and not
 * as plain prefixes (detect_add_path_prefix46).
 */
function addPath(w: Walk, p: number, end: number, maxBits: number): boolean {
  for (let o = p + 4; o < end; o += 4) {
    const bits = w.u8(o);
    if (bits > maxBits) return false;
    o += 1 + ((bits + 7) >> 3);
    if (o > end) return false;
    if (bits % 8 && w.u8(o - 1) & (0xff >> (bits % 8))) return false;
  }
  for (let o = p; o < end; ) {
    const bits = w.u8(o);
    if (bits === 0 && end - p > 1) return true;
    if (bits > maxBits) return true;
    o += 1 + ((bits + 7) >> 3);
    if (o > end) return true;
    if (bits % 8 && w.u8(o - 1) & (0xff >> (bits % 8))) return true;
  }
  return false;
}

/**
 * IPv4 prefixes from p to end, with path identifiers where `withPath` (the guess is made once, for the whole list):
 * where the last ends (past `end` if it runs over it, where tshark reads on), or -1 where one of an impossible length
 * ended them (and tshark's UPDATE).
 */
function prefixes4(w: Walk, p: number, end: number, name: string, tag: string, depth: number, withPath = false) {
  while (p < end) {
    const advance = prefix(w, p, name, tag, depth, withPath, 4);
    if (advance < 0) return -1;
    p += advance;
  }
  return p;
}

/**
 * One prefix at p (IPv4 or IPv6 by `size`), a subtree: `172.16.10.0/24`, its length and address; where a path
 * identifier comes first, `10.1.0.0/16 PathId 1 ` with the identifier. The bytes it took, or -1 where its length is
 * impossible (tshark's expert line: the list ends).
 */
function prefix(w: Walk, p: number, name: string, tag: string, depth: number, withPath: boolean, size: 4 | 16): number {
  const head = withPath ? 4 : 0;
  const pathId = withPath ? w.u32(p) : 0;
  const bits = w.u8(p + head);
  if (bits > size * 8) {
    w.expert(depth, p + head, 1, `${tag} length ${bits} invalid${size === 4 ? ' (> 32)' : ''}`);
    return -1;
  }
  const bytes = (bits + 7) >> 3;
  const addr = new Uint8Array(size);
  for (let i = 0; i < bytes; i++) addr[i] = w.u8(p + head + 1 + i);
  if (bits % 8) addr[bytes - 1]! &= (0xff00 >> (bits % 8)) & 0xff;
  const text = size === 4 ? ipv4Text(addr, 0) : ipv6Text(addr, 0);
  w.text(depth, p, head + 1 + bytes, withPath ? `${text}/${bits} PathId ${pathId} ` : `${text}/${bits}`);
  if (withPath) w.num('bgp.nlri_path_id', depth + 1, p, 4);
  // IPv4's with a path identifier is the field's own line (decode_path_prefix4); the others name the list.
  w.num('bgp.prefix_length', depth + 1, p + head, 1, withPath && size === 4 ? '' : `${tag} prefix length: ${bits}`);
  // The address as tshark shows it, from the bytes the prefix has (the rest zero): its own buffer.
  const n = size === 4 ? ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0 : 0;
  w.put(name, depth + 1, addr, 0, size, n, '', '');
  return head + 1 + bytes;
}

/** The path attributes at [o, o + len). */
function pathAttributes(w: Walk, o: number, len: number): void {
  for (let i = 0; i < len; ) {
    const p = o + i;
    const flags = w.u8(p);
    const type = w.u8(p + 1);
    const extended = (flags & FLAG_EXTENDED_LENGTH) !== 0;
    const alen = extended ? w.u16(p + 2) : w.u8(p + 2);
    const aoff = extended ? 4 : 3;
    const v = p + aoff;
    // An attribute past the list has its value read by no one, so nothing is appended to its title.
    const inList = aoff + alen <= len - i;
    const name = ATTRIBUTES[type] ?? `Unknown (${type})`;
    const title = `Path Attribute - ${name}${inList ? attributeText(w, type, v, alen, aoff) : ''}`;
    w.mark('bgp.update.path_attribute', 2, p, alen + aoff, title);
    w.num('bgp.update.path_attribute.flags', 3, p, 1, '', flagsText(flags));
    for (const f of FLAG_FIELDS) w.num(f, 4, p, 1);
    w.num('bgp.update.path_attribute.type_code', 3, p + 1, 1);
    w.num('bgp.update.path_attribute.length', 3, p + 2, aoff - 2);
    // tshark's expert item for an attribute past the list, and the end of its reading.
    if (!inList) return w.expert(3, v, alen, `Path attribute length is invalid: ${plural(alen, 'byte')}`);
    attributeValue(w, type, v, alen, aoff);
    i += aoff + alen;
  }
}

const FLAG_FIELDS = [
  'bgp.update.path_attribute.flags.optional',
  'bgp.update.path_attribute.flags.transitive',
  'bgp.update.path_attribute.flags.partial',
  'bgp.update.path_attribute.flags.extended_length',
  'bgp.update.path_attribute.flags.unused',
];

/** `, Transitive, Well-known, Complete`: the flags set, as tshark's bitmask names them, then what absent ones say. */
function flagsText(flags: number): string {
  let s = '';
  if (flags & FLAG_OPTIONAL) s += ', Optional';
  if (flags & FLAG_TRANSITIVE) s += ', Transitive';
  if (flags & FLAG_PARTIAL) s += ', Partial';
  if (flags & FLAG_EXTENDED_LENGTH) s += ', Extended-Length';
  if (!(flags & FLAG_OPTIONAL)) s += ', Well-known';
  if (!(flags & FLAG_TRANSITIVE)) s += ', Non-transitive';
  if (!(flags & FLAG_PARTIAL)) s += ', Complete';
  return s;
}

/**
 * What tshark appends to an attribute's title as it reads its value (`: IGP`, `: 4200000001 65010 `): made first
 * here, so it stops where tshark's reading stops, and the title keeps what was read before (an exception there).
 */
function attributeText(w: Walk, type: number, v: number, len: number, aoff: number): string {
  let s = '';
  try {
    switch (type) {
      case 1:
        if (len === 1) s = `: ${ORIGINS[w.u8(v)] ?? 'Unknown'}`;
        break;
      case 2:
      case 17: {
        const asLen = asLength(w, v, v + len, type);
        if (asLen < 0) break;
        s = ': ';
        if (len === 0) s += 'empty';
        for (let q = v; q < v + len; ) {
          const seg = w.u8(q);
          const n = w.u8(q + 1);
          s += SEGMENT_OPEN[seg] ?? '';
          q += 2;
          for (let j = 0; j < n; j++, q += asLen) {
            s += String(asLen === 2 ? w.u16(q) : w.u32(q));
            if (j !== n - 1) s += seg === AS_SET || seg === AS_CONFED_SET ? ', ' : ' ';
          }
          // A segment's closing mark and a space: ' ' after a sequence's numbers, '} ' after a set's.
          s += `${SEGMENT_CLOSE[seg] ?? ''} `;
        }
        break;
      }
      case 3:
      case 9:
        if (len === 4) {
          w.u32(v);
          s = `: ${ipv4Text(w.buf, v)} `;
        }
        break;
      case 4:
      case 5:
        if (len === 4) s = `: ${w.u32(v)}`;
        break;
      case 7:
      case 18:
        if ((type === 7 && (len === 6 || len === 8)) || (type === 18 && len === 8)) {
          const asLen = len - 4;
          const as = asLen === 2 ? w.u16(v) : w.u32(v);
          w.u32(v + asLen);
          s = `: AS: ${as} origin: ${ipv4Text(w.buf, v + asLen)}`;
        }
        break;
      case 8:
        if (len % 4 === 0) {
          s = ': ';
          for (let q = v; q < v + len; q += 4) s += `${communityText(w, q)} `;
        }
        break;
      case 32:
        // Appended after all are read: a title cut before the last has none.
        if (len > 0 && len % 12 === 0) {
          let all = ':';
          for (let q = v; q < v + len; q += 12) all += ` ${largeCommunityText(w, q)}`;
          s = all;
        }
        break;
      case 10:
        if (len % 4 === 0) {
          s = ':';
          for (let q = v; q < v + len; q += 4) s += ` ${clusterIdText(w, q, aoff)}`;
        }
        break;
    }
  } catch (e) {
    if (e !== CUT) throw e;
  }
  return s;
}

const SEGMENT_OPEN: Readonly<Record<number, string>> = { 1: '{', 4: '[', 3: '(' };
const SEGMENT_CLOSE: Readonly<Record<number, string>> = { 1: '}', 4: ']', 3: ')' };

/**
 * A cluster ID of the list at q, read where tshark reads it: 3 bytes back and the attribute's header size on, which is
 * the ID itself but where the header has an extended length (then a byte later).
 */
function clusterIdText(w: Walk, q: number, aoff: number): string {
  w.u32(q - 3 + aoff);
  return ipv4Text(w.buf, q - 3 + aoff);
}

/** A community as tshark names it in titles: a well-known or reserved one by name, else `AS:value`. */
function communityText(w: Walk, q: number): string {
  const c = w.u32(q);
  if (c >>> 16 === 0 || c >>> 16 === 0xffff) return WELL_KNOWN_COMMUNITIES[c] ?? 'Reserved';
  return `${c >>> 16}:${c & 0xffff}`;
}

/**
 * The size of an AS_PATH's AS numbers, by tshark's heuristic (heuristic_as2_or_4_from_as_path): AS4_PATH's are 4
 * bytes; else 2 where the first segment's count at 2 bytes ends the attribute, or is followed by a segment type and
 * none of its numbers' first two bytes are zero; else 4; -1 where the segments do not then end at the attribute's end.
 */
function asLength(w: Walk, start: number, end: number, type: number): number {
  if (type === 17) return 4;
  if (start === end) return 0;
  const n = w.u8(start + 1);
  const check = start + 2 + 2 * n;
  let size: number;
  if (check === end) size = 2;
  else {
    const next = w.u8(check);
    if (next >= 1 && next <= 4) {
      size = 2;
      for (let j = 0; j < n; j++) if (w.u16(start + 2 + 2 * j) === 0) size = 4;
    } else size = 4;
  }
  let k = start;
  while (k < end) k += 2 + w.u8(k + 1) * size;
  return k === end ? size : -1;
}

/** The value's items of an attribute of `type` at [v, v + len), each as tshark draws it (depth 3). */
function attributeValue(w: Walk, type: number, v: number, len: number, aoff: number): void {
  // tshark's expert item for a value of a length its type cannot have, drawn as a line of the attribute's.
  const invalid = (what: string) => w.expert(3, v, len, `${what} (invalid): ${plural(len, 'byte')}`);
  switch (type) {
    case 1:
      if (len === 1) w.num('bgp.update.path_attribute.origin', 3, v, 1);
      else invalid('Origin');
      return;
    case 2:
    case 17: {
      const asLen = asLength(w, v, v + len, type);
      if (asLen < 0) return;
      const asField =
        asLen === 2 ? 'bgp.update.path_attribute.as_path_segment.as2' : 'bgp.update.path_attribute.as_path_segment.as4';
      for (let q = v; q < v + len; ) {
        const seg = w.u8(q);
        const n = w.u8(q + 1);
        let s = SEGMENT_OPEN[seg] ?? '';
        for (let j = 0; j < n; j++) {
          const at = q + 2 + j * asLen;
          s += String(asLen === 2 ? w.u16(at) : w.u32(at));
          if (j !== n - 1) s += seg === AS_SET || seg === AS_CONFED_SET ? ', ' : ' ';
        }
        s += SEGMENT_CLOSE[seg] ?? '';
        w.mark('bgp.update.path_attribute.as_path_segment', 3, q, n * asLen + 2, `AS Path segment: ${s}`);
        w.num('bgp.update.path_attribute.as_path_segment.type', 4, q, 1);
        w.num('bgp.update.path_attribute.as_path_segment.length', 4, q + 1, 1);
        for (let j = 0; j < n; j++) {
          const at = q + 2 + j * asLen;
          const as = asLen === 2 ? w.u16(at) : w.u32(at);
          w.num(asField, 4, at, asLen, asLen === 2 && as === AS_TRANS ? `AS2: ${as} (AS_TRANS)` : '');
        }
        q += 2 + n * asLen;
      }
      return;
    }
    case 3:
      if (len === 4) w.ipv4('bgp.update.path_attribute.next_hop', 3, v);
      else invalid('Next hop');
      return;
    case 4:
      if (len === 4) w.num('bgp.update.path_attribute.multi_exit_disc', 3, v, 4);
      else invalid('Multiple exit discriminator');
      return;
    case 5:
      if (len === 4) w.num('bgp.update.path_attribute.local_pref', 3, v, 4);
      else invalid('Local preference');
      return;
    case 6:
      if (len !== 0) invalid('Atomic aggregate');
      return;
    case 7:
    case 18:
      if ((type === 7 && (len === 6 || len === 8)) || (type === 18 && len === 8)) {
        const asLen = len - 4;
        w.num('bgp.update.path_attribute.aggregator_as', 3, v, asLen);
        w.ipv4('bgp.update.path_attribute.aggregator_origin', 3, v + asLen);
      } else invalid('Aggregator');
      return;
    case 8: {
      if (len % 4 !== 0) return invalid('Communities');
      let all = '';
      for (let q = v; q < v + len; q += 4) all += `${communityText(w, q)} `;
      w.mark('bgp.update.path_attribute.communities', 3, v, len, `Communities: ${all}`);
      for (let q = v; q < v + len; q += 4) {
        const c = w.u32(q);
        if (c >>> 16 === 0 || c >>> 16 === 0xffff) {
          w.num('bgp.update.path_attribute.community_wellknown', 4, q, 4);
          continue;
        }
        w.mark('bgp.update.path_attribute.community', 4, q, 4, `Community: ${c >>> 16}:${c & 0xffff} `);
        w.num('bgp.update.path_attribute.community_as', 5, q, 2);
        w.num('bgp.update.path_attribute.community_value', 5, q + 2, 2);
      }
      return;
    }
    case 9:
      if (len === 4) w.ipv4('bgp.update.path_attribute.originator_id', 3, v);
      else invalid('Originator identifier');
      return;
    case 10: {
      if (len % 4 !== 0) return invalid('Cluster list');
      let all = '';
      for (let q = v; q < v + len; q += 4) all += ` ${clusterIdText(w, q, aoff)}`;
      w.mark('bgp.path_attribute.cluster_list', 3, v, len, `Cluster List:${all}`);
      for (let q = v; q < v + len; q += 4) w.ipv4('bgp.path_attribute.cluster_id', 4, q - 3 + aoff);
      return;
    }
    case 14:
      mpReach(w, v, len);
      return;
    case 15:
      mpUnreach(w, v, len);
      return;
    case 16:
      // A length no multiple of 8 is tshark's expert item alone.
      if (len % 8 === 0) extendedCommunities(w, v, len);
      return;
    case 23:
      tunnelEncapsulation(w, v, len);
      return;
    case ATTR_SET:
      // RFC 6368: the origin's AS, then path attributes of their own, drawn two levels deeper.
      if (len < 4) return invalid('Attribute set');
      w.num('bgp.update.path_attribute.attr_set.origin_as', 3, v, 4);
      if (len === 4) return;
      w.mark('bgp.update.path_attributes', 3, v + 4, len - 4, 'Path attributes');
      w.shift += 2;
      pathAttributes(w, v + 4, len - 4);
      w.shift -= 2;
      return;
    case 32:
      if (len === 0 || len % 12 !== 0) return;
      for (let q = v; q < v + len; q += 12) {
        // tshark's item has no string value: `[ Null ]` in -T fields, its own words in -V.
        w.put(
          'bgp.large_communities',
          3,
          w.buf,
          q,
          12,
          0,
          '[ Null ]',
          `Large communities: ${largeCommunityText(w, q)}`,
        );
        w.num('bgp.large_communities.ga', 4, q, 4);
        w.num('bgp.large_communities.ldp1', 4, q + 4, 4);
        w.num('bgp.large_communities.ldp2', 4, q + 8, 4);
      }
      return;
    default:
      // Those tshark reads and gredump does not have their header alone (README); the rest are unknown to both.
      if (!TSHARK_ATTRIBUTES.has(type))
        w.mark('bgp.update.path_attributes.unknown', 3, v, len, 'Unknown Path attributes');
  }
}

/** The attribute types tshark 4.0 reads a value of (its others are `Unknown Path attributes`). */
const TSHARK_ATTRIBUTES = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 22, 23, 26, 29, 32, 33, 36, 40, 99, 128,
]);

/**
 * EXTENDED_COMMUNITIES (RFC 4360) as tshark 4.0 reads them: each community's line names it as specifically as known
 * (`Route Target: 65000:100`, `Encapsulation: GRE`) with its general type after it; the type's two flags, then its
 * subtype and values. The types tshark reads with readers of their own that are not read here (QoS marking, CoS
 * capability, EVPN, flow specification, experimental, EIGRP) are shown as an unknown type's (README).
 */
function extendedCommunities(w: Walk, v: number, len: number): void {
  const count = len / 8;
  w.mark(
    'bgp.ext_communities',
    3,
    v,
    len,
    `Carried extended communities: (${count} ${count === 1 ? 'community' : 'communities'})`,
  );
  for (let q = v; q < v + len; q += 8) {
    // tshark reads the type and subtype first; then, of a community the segment cuts, it draws what it holds.
    const type = w.u8(q);
    const subtype = w.u8(q + 1);
    const title =
      q + 8 <= w.end
        ? `${extendedCommunityText(w, q)} [${EXT_TYPES[type] ?? 'Unknown community'}]`
        : cutCommunityTitle(type, subtype, w.end - q);
    w.mark('bgp.ext_community', 4, q, 8, title);
    w.num('bgp.ext_com.type', 5, q, 1);
    w.num('bgp.ext_com.type.auth', 6, q, 1);
    w.num('bgp.ext_com.type.tran', 6, q, 1);
    const kind = EXT_KINDS[type];
    w.num(kind?.subtypeField ?? 'bgp.ext_com.stype_unknown', 5, q + 1, 1);
    switch (kind?.layout) {
      case 'as2':
        w.num('bgp.ext_com.value_as2', 5, q + 2, 2);
        if (type === EXT_NTR_AS2 && subtype === EXT_LINK_BANDWIDTH) w.float('bgp.ext_com.value_link_bw', 5, q + 4);
        else w.num('bgp.ext_com.value_an4', 5, q + 4, 4);
        break;
      case 'ip4':
        if (type === EXT_TR_IP4 && subtype === EXT_OSPF_ROUTER_ID) w.ipv4('bgp.ext_com.value_ospf_rid', 5, q + 2);
        else {
          w.ipv4('bgp.ext_com.value_IP4', 5, q + 2);
          w.num('bgp.ext_com.value_an2', 5, q + 6, 2);
        }
        break;
      case 'as4':
        w.num('bgp.ext_com.value_as4', 5, q + 2, 4);
        w.num('bgp.ext_com.value_an2', 5, q + 6, 2);
        break;
      case 'opaque':
        if (subtype === EXT_COST) {
          w.num('bgp.ext_com_cost.poi', 5, q + 2, 1);
          const id = w.num('bgp.ext_com_cost.cid', 5, q + 3, 1);
          w.num('bgp.ext_com_cost.cid.use', 6, q + 3, 1);
          w.num('bgp.ext_com_cost.cost', 5, q + 4, 4, '', ` (${COST_USE[id & COST_REPLACES ? 0 : 1]})`);
        } else if (type === EXT_TR_OPAQUE && subtype === EXT_OSPF_ROUTE_TYPE) {
          w.ipv4('bgp.ext_com.value_ospf_rtype.area', 5, q + 2);
          w.num('bgp.ext_com.value_ospf_rtype.type', 5, q + 6, 1);
          const type2 = (w.u8(q + 7) & 1) !== 0;
          w.num('bgp.ext_com.value_ospf_rtype.options', 5, q + 7, 1, '', ` (Metric: ${type2 ? 'Type-2' : 'Type-1'})`);
          w.num('bgp.ext_com.value_ospf_rtype.options.mt', 6, q + 7, 1);
        } else if (type === EXT_TR_OPAQUE && subtype === EXT_ENCAPSULATION)
          w.num('bgp.ext_com.tunnel_type', 5, q + 6, 2);
        else w.raw('bgp.ext_com.value_raw', 5, q + 2);
        break;
      default:
        w.raw('bgp.ext_com.value_raw', 5, q + 2);
    }
  }
}

const EXT_TR_AS2 = 0x00;
const EXT_TR_IP4 = 0x01;
const EXT_TR_AS4 = 0x02;
const EXT_TR_OPAQUE = 0x03;
const EXT_NTR_AS2 = 0x40;
const EXT_NTR_IP4 = 0x41;
const EXT_NTR_AS4 = 0x42;
const EXT_NTR_OPAQUE = 0x43;
const EXT_LINK_BANDWIDTH = 0x04;
const EXT_OSPF_ROUTER_ID = 0x07;
const EXT_COST = 0x01;
const EXT_OSPF_ROUTE_TYPE = 0x06;
const EXT_ENCAPSULATION = 0x0c;

/** The general types of extended communities (the high octet), as tshark names them. */
const EXT_TYPES: Readonly<Record<number, string>> = {
  [EXT_TR_AS2]: 'Transitive 2-Octet AS-Specific',
  [EXT_TR_IP4]: 'Transitive IPv4-Address-Specific',
  [EXT_TR_AS4]: 'Transitive 4-Octet AS-Specific',
  [EXT_TR_OPAQUE]: 'Transitive Opaque',
  0x04: 'Transitive QoS Marking',
  0x05: 'Transitive CoS Capability',
  0x06: 'Transitive EVPN',
  0x07: 'FlowSpec Transitive',
  0x08: 'Transitive Flow spec redirect/mirror to IP next-hop',
  0x09: 'Transitive FlowSpec Redirect to indirection-id',
  0x80: 'Generic Transitive Experimental Use',
  0x81: 'Generic Transitive Experimental Use Part 2',
  0x82: 'Generic Transitive Experimental Use Part 3 ',
  0x88: 'Transitive Experimental EIGRP',
  [EXT_NTR_AS2]: 'Non-Transitive 2-Octet AS-Specific',
  [EXT_NTR_IP4]: 'Non-Transitive IPv4-Address-Specific',
  [EXT_NTR_AS4]: 'Non-Transitive 4-Octet AS-Specific',
  [EXT_NTR_OPAQUE]: 'Non-Transitive Opaque',
  0x44: 'Non-Transitive QoS Marking',
};

const ROUTE_TARGET_ORIGIN = { 0x02: 'Route Target', 0x03: 'Route Origin' };
/** Each type read here: its subtype's field, their names, and how its six value bytes are laid out. */
interface ExtKind {
  subtypeField: string;
  subtypes: Readonly<Record<number, string>>;
  layout: 'as2' | 'ip4' | 'as4' | 'opaque';
}
const EXT_KINDS: Readonly<Record<number, ExtKind>> = {
  [EXT_TR_AS2]: {
    subtypeField: 'bgp.ext_com.stype_tr_as2',
    subtypes: {
      ...ROUTE_TARGET_ORIGIN,
      0x05: 'OSPF Domain Identifier',
      0x08: 'BGP Data Collection',
      0x09: 'Source AS',
      0x0a: 'L2VPN Identifier',
      0x10: 'Cisco VPN-Distinguisher',
    },
    layout: 'as2',
  },
  [EXT_NTR_AS2]: {
    subtypeField: 'bgp.ext_com.stype_ntr_as2',
    subtypes: { [EXT_LINK_BANDWIDTH]: 'Link Bandwidth', 0x80: 'Virtual-Network Identifier' },
    layout: 'as2',
  },
  [EXT_TR_IP4]: {
    subtypeField: 'bgp.ext_com.stype_tr_IP4',
    subtypes: {
      ...ROUTE_TARGET_ORIGIN,
      0x05: 'OSPF Domain Identifier',
      [EXT_OSPF_ROUTER_ID]: 'OSPF Router ID',
      0x0a: 'L2VPN Identifier',
      0x0b: 'VRF Route Import',
      0x10: 'Cisco VPN-Distinguisher',
      0x12: 'Inter-area P2MP Segmented Next-Hop',
    },
    layout: 'ip4',
  },
  [EXT_NTR_IP4]: { subtypeField: 'bgp.ext_com.stype_ntr_IP4', subtypes: {}, layout: 'ip4' },
  [EXT_TR_AS4]: {
    subtypeField: 'bgp.ext_com.stype_tr_as4',
    subtypes: {
      ...ROUTE_TARGET_ORIGIN,
      0x04: 'Generic',
      0x05: 'OSPF Domain Identifier',
      0x08: 'BGP Data Collection',
      0x09: 'Source AS',
      0x10: 'Cisco VPN Identifier',
      0x13: 'Route-Target Record',
    },
    layout: 'as4',
  },
  [EXT_NTR_AS4]: { subtypeField: 'bgp.ext_com.stype_ntr_as4', subtypes: { 0x04: 'Generic' }, layout: 'as4' },
  [EXT_TR_OPAQUE]: {
    subtypeField: 'bgp.ext_com.stype_tr_opaque',
    subtypes: {
      [EXT_COST]: 'Cost',
      [EXT_OSPF_ROUTE_TYPE]: 'OSPF Route Type',
      0x0b: 'Color',
      [EXT_ENCAPSULATION]: 'Encapsulation',
      0x0d: 'Default Gateway',
    },
    layout: 'opaque',
  },
  [EXT_NTR_OPAQUE]: {
    subtypeField: 'bgp.ext_com.stype_ntr_opaque',
    subtypes: { [EXT_COST]: 'Cost', 0x00: 'BGP Origin Validation state' },
    layout: 'opaque',
  },
};

/** RFC 5512's tunnel types, the Encapsulation community's. */
const TUNNEL_TYPES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'L2TPv3 over IP',
  2: 'GRE',
  3: 'Transmit tunnel endpoint',
  4: 'IPsec in Tunnel-mode',
  5: 'IP in IP tunnel with IPsec Transport Mode',
  6: 'MPLS-in-IP tunnel with IPsec Transport Mode',
  7: 'IP in IP',
  8: 'VXLAN Encapsulation',
  9: 'NVGRE Encapsulation',
  10: 'MPLS Encapsulation',
  11: 'MPLS in GRE Encapsulation',
  12: 'VxLAN GPE Encapsulation',
  13: 'MPLS in UDP Encapsulation',
};
const OSPF_ROUTE_TYPES: Readonly<Record<number, string>> = {
  1: 'Router',
  2: 'Network',
  3: 'Summary',
  5: 'External',
  7: 'NSSA External',
  129: 'MPLS-VPN Sham',
};
/** Where a Cost community is weighed in the best path algorithm (its point of insertion). */
const COST_POINTS: Readonly<Record<number, string>> = {
  1: '"Lowest Origin code" step',
  2: '"Shortest AS_PATH" step',
  4: '"Lowest MED" step',
  5: '"Highest Local Preference" step',
  26: '"Lowest Accumulated IGP Cost" step',
  128: 'Before BGP Best Path algorithm',
  129: '"Smallest IGP Metric" step',
  130: '"Prefer eBGP to iBGP" step',
  131: '"Smallest BGP RID" step',
};
const COST_USE: TrueFalse = ['Replaces the original attribute value', 'Evaluated after the original attribute value'];
/** A Cost community's ID bit: its value replaces the attribute's (else it is weighed after it). */
const COST_REPLACES = 0x80;

/** Six value bytes as tshark shows a community it has no reader for: `0x0001 0x0000 0x0002`. */
const rawText = (w: Walk, p: number): string => `${hex(w.u16(p), 4)} ${hex(w.u16(p + 2), 4)} ${hex(w.u16(p + 4), 4)}`;
const subtypeName = (kind: ExtKind, subtype: number): string =>
  kind.subtypes[subtype] ?? `Unknown subtype ${hex(subtype, 2)}`;

/**
 * The line of a community the segment cuts after `held` bytes (2 to 7), as tshark had set it when its exception came:
 * an opaque one is named by its subtype before its value is read, a non-transitive 2-octet AS one after its AS, any
 * other after all of it (`Community` until then); the general type is appended last.
 */
function cutCommunityTitle(type: number, subtype: number, held: number): string {
  const kind = EXT_KINDS[type];
  const named = kind !== undefined && (kind.layout === 'opaque' || (type === EXT_NTR_AS2 && held >= 4));
  return named ? `${subtypeName(kind, subtype)}:` : 'Community';
}

/** A community's line before its general type: `Route Target: 65000:100`, `Cost: 5, POI: ... (Evaluated after)`. */
function extendedCommunityText(w: Walk, q: number): string {
  const type = w.u8(q);
  const subtype = w.u8(q + 1);
  const kind = EXT_KINDS[type];
  if (kind === undefined) return `Unknown type ${hex(type, 2)} subtype ${hex(subtype, 2)}: ${rawText(w, q + 2)}`;
  const name = subtypeName(kind, subtype);
  switch (kind.layout) {
    case 'as2':
      if (type === EXT_TR_AS2) return `${name}: ${w.u16(q + 2)}:${w.u32(q + 4)}`;
      if (subtype === EXT_LINK_BANDWIDTH) return `${name}: ASN ${w.u16(q + 2)}, ${megabits(w, q + 4)} Mbps`;
      return `${name}: ${w.u16(q + 2)}:${w.u32(q + 4)}`;
    case 'ip4':
      return `${name}: ${ipv4Text(w.buf, q + 2)}:${w.u16(q + 6)}`;
    case 'as4':
      return `${name}: ${w.u16(q + 2)}.${w.u16(q + 4)}(${w.u32(q + 2)}):${w.u16(q + 6)}`;
  }
  if (subtype === EXT_COST) {
    const point = w.u8(q + 2);
    const use = w.u8(q + 3) & COST_REPLACES ? 'Replaces attribute value' : 'Evaluated after';
    return `${name}: ${w.u32(q + 4)}, POI: ${COST_POINTS[point] ?? `Unknown subtype ${hex(point, 2)}`} (${use})`;
  }
  if (type === EXT_TR_OPAQUE && subtype === EXT_OSPF_ROUTE_TYPE)
    return `${name}: Area: ${ipv4Text(w.buf, q + 2)}, Type: ${OSPF_ROUTE_TYPES[w.u8(q + 6)] ?? 'Unknown'}`;
  if (type === EXT_TR_OPAQUE && subtype === EXT_ENCAPSULATION)
    return `${name}: ${TUNNEL_TYPES[w.u16(q + 6)] ?? 'Unknown'}`;
  return `${name}: ${rawText(w, q + 2)}`;
}

/**
 * A link bandwidth (bytes a second, a float) in Mbit/s as tshark writes it: worked out in single precision, then to 3
 * places (`inf` where that overflows, `-nan` for a NaN whose sign is set).
 */
function megabits(w: Walk, p: number): string {
  const mbps = Math.fround(Math.fround(floatAt(w, p) * 8) / 1000000);
  return Number.isNaN(mbps) && w.u8(p) & 0x80 ? '-nan' : printfFixed(mbps, 3);
}

const floatBytes = new DataView(new ArrayBuffer(4));
/** The IEEE float of 4 bytes at p. */
function floatAt(w: Walk, p: number): number {
  floatBytes.setUint32(0, w.u32(p));
  return floatBytes.getFloat32(0);
}

/**
 * TUNNEL_ENCAPSULATION (RFC 5512, RFC 9012: a route's tunnel, GRE with its key, VXLAN, SR policies) as tshark 4.0
 * reads it: each tunnel's TLV, then its sub-TLVs. tshark moves on by what each sub-TLV's reader reads, not by the
 * sub-TLV's length, and so does this walk: an encapsulation sub-TLV of a tunnel type tshark has no reader for moves
 * it by nothing, so that its value is read as sub-TLVs.
 */
function tunnelEncapsulation(w: Walk, v: number, len: number): void {
  const end = v + len;
  w.subtree(3, v, len, 'TLV Encodings');
  for (let q = v; q < end; ) {
    const tunnel = w.u16(q);
    const tlvLen = w.u16(q + 2);
    w.subtree(4, q, tlvLen + 4, `${ENCAPSULATION_TUNNELS[tunnel] ?? 'Unknown'} (${tlvLen + 4} bytes)`);
    w.num('bgp.update.encaps_tunnel_tlv_type', 5, q, 2);
    w.num('bgp.update.encaps_tunnel_tlv_len', 5, q + 2, 2);
    w.subtree(5, q + 4, tlvLen, 'Sub-TLV Encodings');
    q += 4;
    for (const tlvEnd = q + tlvLen; q < tlvEnd; ) q = tunnelSubTlv(w, tunnel, q);
  }
}

/** The sub-TLV at q of a tunnel of type `tunnel`: where tshark's reading of it ends. */
function tunnelSubTlv(w: Walk, tunnel: number, q: number): number {
  const type = w.u8(q);
  // RFC 9012: a type from 128 has a 2-byte length. tshark adds the header's bytes in 16 bits.
  const long = type >= 128;
  const len = long ? w.u16(q + 1) : w.u8(q + 1);
  const total = (len + (long ? 3 : 2)) & 0xffff;
  w.subtree(6, q, total, `${SUB_TLVS[type] ?? 'Unknown'} (${total} bytes)`);
  w.num('bgp.update.encaps_tunnel_subtlv_type', 7, q, 1);
  w.num('bgp.update.encaps_tunnel_tlv_sublen', 7, q + 1, long ? 2 : 1);
  q += long ? 3 : 2;
  switch (type) {
    case SUB_ENCAPSULATION:
      return encapsulation(w, tunnel, q, len);
    case SUB_PROTOCOL_TYPE:
      // tshark shows the protocol type under its GRE key field, read in 2 bytes.
      w.num('bgp.update.encaps_tunnel_tlv_subtlv_gre_key', 7, q, 2);
      return q + 2;
    case SUB_COLOR:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv_color_value', 7, q, 4);
      return q + 4;
    case SUB_LOAD_BALANCE:
      if (tunnel !== TUNNEL_L2TP && tunnel !== TUNNEL_GRE) return q;
      w.num('bgp.update.encaps_tunnel_tlv_subtlv_lb_block_length', 7, q, 4);
      return q + 4;
    case SUB_PREFERENCE:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.pref.flags', 7, q, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.pref.reserved', 7, q + 1, 1);
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.pref.preference', 7, q + 2, 4);
      return q + 6;
    case SUB_BINDING_SID:
      flagsByte(w, 'bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.flags', 7, q, BINDING_SID_FLAGS);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.reserved', 7, q + 1, 1);
      if (len <= 2) return q + 2;
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.sid', 7, q + 2, len - 2);
      return q + len;
    case SUB_ENLP:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.enlp.flags', 7, q, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.enlp.reserved', 7, q + 1, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.enlp.preference', 7, q + 2, 1);
      return q + 3;
    case SUB_PRIORITY:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.priority.priority', 7, q, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.priority.reserved', 7, q + 1, 1);
      return q + 2;
    case SUB_SEGMENT_LIST:
      return segmentList(w, q, len);
    case SUB_POLICY_NAME:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.policy_name.reserved', 7, q, 1);
      string(w, 'bgp.update.encaps_tunnel_tlv_subtlv.policy_name.name', 7, q + 1, w.sized(q + 1, len - 1));
      return q + len;
    default:
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.value', 7, q, len);
      return q + len;
  }
}

/** An encapsulation sub-TLV's value at q (`len` bytes by its header) for a tunnel of type `tunnel`. */
function encapsulation(w: Walk, tunnel: number, q: number, len: number): number {
  switch (tunnel) {
    case TUNNEL_L2TP:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv_session_id', 7, q, 4);
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv_cookie', 7, q + 4, w.sized(q + 4, len - 4));
      return q + len;
    case TUNNEL_GRE:
    case TUNNEL_MPLS_IN_GRE:
      w.num('bgp.update.encaps_tunnel_tlv_subtlv_gre_key', 7, q, 4);
      return q + 4;
    case TUNNEL_VXLAN:
    case TUNNEL_NVGRE: {
      const kind = tunnel === TUNNEL_VXLAN ? 'vxlan' : 'nvgre';
      flagsByte(w, `bgp.update.encaps_tunnel_tlv_subtlv.${kind}.flags`, 7, q, VNID_MAC_FLAGS);
      w.num(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.vnid`, 7, q + 1, 3);
      w.bytes(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.mac`, 7, q + 4, 6);
      w.num(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.reserved`, 7, q + 10, 2);
      return q + 12;
    }
    case TUNNEL_VXLAN_GPE:
      flagsByte(w, 'bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.flags', 7, q, GPE_FLAGS);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.reserved', 7, q + 1, 2);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.vnid', 7, q + 3, 3);
      // tshark's 16-bit reserved field again, over the last byte.
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.reserved', 7, q + 6, 1);
      return q + 7;
    default:
      return q;
  }
}

/**
 * An SR policy's segment list (draft-ietf-idr-segment-routing-te-policy) at q, `len` bytes by its header: its
 * sub-TLVs as long as more than 2 bytes are left of that length, counted in 16 bits as tshark counts them (a length
 * of 0 leaves 65,535).
 */
function segmentList(w: Walk, q: number, len: number): number {
  w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.reserved', 7, q, 1);
  q += 1;
  w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv', 7, q, w.sized(q, len - 1));
  for (let left = (len - 1) & 0xffff; left > 2; ) {
    const type = w.u8(q);
    const size = w.u8(q + 1);
    w.subtree(8, q, size + 2, `SubTLV: ${SEGMENT_SUB_TLVS[type] ?? 'Unknown'}`);
    w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.type', 9, q, 1);
    w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.length', 9, q + 1, 1);
    q += 2;
    if (size > 0 && type === SEGMENT_TYPE_A) {
      // Type A, an MPLS SID: read as 6 bytes whatever its length says.
      flagsByte(w, 'bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.flags', 9, q, SEGMENT_FLAGS);
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.reserved', 9, q + 1, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.mpls_label', 9, q + 2, 3);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.traffic_class', 9, q + 4, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.bottom_stack', 9, q + 4, 1);
      w.num('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.ttl', 9, q + 5, 1);
      q += 6;
    } else if (size > 0) {
      w.bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.data', 9, q, size);
      q += size;
    }
    left = (left - (size + 2)) & 0xffff;
  }
  return q;
}

/**
 * A flags byte tshark draws as a bitmask: its fields in tshark's order (a name after the byte's, a label, a mask; a
 * flag or a number). Its title names the flags set (`Flags: 0xc0, Valid VN-ID, Valid MAC address`).
 */
type FlagsByte = readonly (readonly [suffix: string, label: string, mask: number, kind: 'flag' | 'hex' | 'dec'])[];
const VNID_MAC_FLAGS: FlagsByte = [
  ['valid_vnid', 'Valid VN-ID', 0x80, 'flag'],
  ['valid_mac', 'Valid MAC address', 0x40, 'flag'],
  ['reserved', 'Reserved', 0x3f, 'hex'],
];
const GPE_FLAGS: FlagsByte = [
  ['version', 'Version', 0xc0, 'dec'],
  ['valid_vnid', 'Valid VN-ID', 0x20, 'flag'],
  ['reserved', 'Reserved', 0x1f, 'hex'],
];
const BINDING_SID_FLAGS: FlagsByte = [
  ['specified', 'Specified-BSID-only', 0x80, 'flag'],
  ['invalid', 'Drop Upon Invalid', 0x40, 'flag'],
  ['reserved', 'Reserved', 0x3f, 'hex'],
];
const SEGMENT_FLAGS: FlagsByte = [
  ['verification', 'SID verification', 0x80, 'flag'],
  ['algorithm', 'SR Algorithm id', 0x40, 'flag'],
  ['reserved', 'Reserved', 0x3f, 'hex'],
];

/** The flags byte at q as field `name`, then each of its fields a level below. */
function flagsByte(w: Walk, name: string, depth: number, q: number, byte: FlagsByte): void {
  const flags = w.u8(q);
  let set = '';
  for (const [, label, mask, kind] of byte) if (kind === 'flag' && flags & mask) set += `, ${label}`;
  w.num(name, depth, q, 1, '', set);
  for (const [suffix] of byte) w.num(`${name}.${suffix}`, depth + 1, q, 1);
}

const TUNNEL_L2TP = 1;
const TUNNEL_GRE = 2;
const TUNNEL_VXLAN = 8;
const TUNNEL_NVGRE = 9;
const TUNNEL_MPLS_IN_GRE = 11;
const TUNNEL_VXLAN_GPE = 12;
/**
 * The attribute's tunnel types as tshark names them: the Encapsulation community's but 0, two spelt otherwise, and
 * four more.
 */
const ENCAPSULATION_TUNNELS: Readonly<Record<number, string>> = {
  ...Object.fromEntries(Object.entries(TUNNEL_TYPES).filter(([type]) => type !== '0')),
  1: 'L2TPv2 over IP',
  12: 'VXLAN GPE Encapsulation',
  14: 'IPv6 Tunnel',
  15: 'SR TE Policy Type',
  16: 'Bare',
  17: 'SR Tunnel',
};
const SUB_ENCAPSULATION = 1;
const SUB_PROTOCOL_TYPE = 2;
const SUB_COLOR = 4;
const SUB_LOAD_BALANCE = 5;
const SUB_PREFERENCE = 12;
const SUB_BINDING_SID = 13;
const SUB_ENLP = 14;
const SUB_PRIORITY = 15;
const SUB_SEGMENT_LIST = 128;
const SUB_POLICY_NAME = 129;
const SUB_TLVS: Readonly<Record<number, string>> = {
  1: 'ENCAPSULATION',
  2: 'PROTOCOL_TYPE',
  3: 'IPsec Tunnel Authenticator',
  4: 'COLOR',
  5: 'LOAD_BALANCE',
  6: 'Tunnel Egress Endpoint',
  7: 'IPv4 DS Field',
  8: 'UDP Destination Port',
  9: 'Embedded Label Handling',
  10: 'MPLS Label Stack',
  11: 'Prefix SID',
  12: 'Preference',
  13: 'Binding SID',
  14: 'ENLP',
  15: 'Priority',
  128: 'Segment List',
  129: 'Policy Name',
};
const SEGMENT_TYPE_A = 1;
const SEGMENT_SUB_TLVS: Readonly<Record<number, string>> = {
  1: 'Type A MPLS SID sub-TLV',
  2: 'Type B SRv6 SID sub-TLV',
  3: 'Type C IPv4 Node and SID sub-TLV',
  4: 'Type D IPv6 Node and SID for SR-MPLS sub-TLV',
  5: 'Type E IPv4 Node, index and SID sub-TLV',
  6: 'Type F IPv4 Local/Remote addresses and SID sub-TLV',
  7: 'Type G IPv6 Node, index for remote and local pair and SID for SR-MPLS sub-TLV',
  8: 'Type H IPv6 Local/Remote addresses and SID sub-TLV',
  9: 'Weight sub-TLV',
  10: 'Type I IPv6 Node and SID for SRv6 sub-TLV',
  11: 'Type J IPv6 Node, index for remote and local pair and SID for SRv6 sub-TLV',
  12: 'Type K IPv6 Local/Remote addresses and SID for SRv6 sub-TLV',
};
const ENLP_VALUES: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Push IPv4, do not push IPv6',
  2: 'Push IPv6, do not push IPv4',
  3: 'Push IPv4, push IPv6',
  4: 'Do not push',
};

/** A large community (RFC 8092): `global:local1:local2`. */
function largeCommunityText(w: Walk, q: number): string {
  return `${w.u32(q)}:${w.u32(q + 4)}:${w.u32(q + 8)}`;
}

/** MP_REACH_NLRI (RFC 4760) of IPv4 and IPv6 unicast and multicast: address family, next hop, SNPAs, NLRI. */
function mpReach(w: Walk, v: number, len: number): void {
  const afi = w.num('bgp.update.path_attribute.mp_reach_nlri.afi', 3, v, 2);
  const safi = w.num('bgp.update.path_attribute.mp_reach_nlri.safi', 3, v + 2, 1);
  const nhLen = w.u8(v + 3);
  w.bytes(
    'bgp.update.path_attribute.mp_reach_nlri.next_hop',
    3,
    v + 3,
    nhLen + 1,
    nextHopLine(w, v + 4, nhLen, afi, safi),
  );
  nextHop(w, v + 4, nhLen, afi, safi);
  let p = v + 4 + nhLen;
  let left = len - nhLen - 4;
  const snpas = w.num('bgp.update.path_attribute.mp_reach_nlri.nbr_snpa', 3, p, 1);
  p++;
  left--;
  for (let i = 0; i < snpas; i++) {
    const n = w.num('bgp.update.path_attribute.mp_reach_nlri.snpa_length', 4, p, 1);
    w.bytes('bgp.update.path_attribute.mp_reach_nlri.snpa', 4, p + 1, n);
    p += 1 + n;
    left -= 1 + n;
  }
  w.mark('bgp.update.path_attribute.mp_reach_nlri', 3, p, left, 'Network Layer Reachability Information (NLRI)');
  // tshark reads MP_REACH's prefixes of these families only (not L2VPN's old number, which MP_UNREACH takes).
  if (left > 0 && afi !== AFI_IPV4 && afi !== AFI_IPV6 && afi !== AFI_L2VPN && afi !== AFI_BGP_LS)
    return w.expert(4, p, left, 'Unknown Address Family');
  mpPrefixes(w, p, left, afi, safi, 'bgp.mp_reach_nlri_ipv4_prefix', 'bgp.mp_reach_nlri_ipv6_prefix', 'MP Reach NLRI');
}

function mpUnreach(w: Walk, v: number, len: number): void {
  const afi = w.num('bgp.update.path_attribute.mp_unreach_nlri.afi', 3, v, 2);
  const safi = w.num('bgp.update.path_attribute.mp_unreach_nlri.safi', 3, v + 2, 1);
  w.mark('bgp.update.path_attribute.mp_unreach_nlri', 3, v + 3, len - 3, 'Withdrawn Routes');
  mpPrefixes(
    w,
    v + 3,
    len - 3,
    afi,
    safi,
    'bgp.mp_unreach_nlri_ipv4_prefix',
    'bgp.mp_unreach_nlri_ipv6_prefix',
    'MP Unreach NLRI',
  );
}

/** The prefixes of an MP_REACH or MP_UNREACH: the ADD-PATH guess is made again before each (decode_prefix_MP). */
function mpPrefixes(
  w: Walk,
  p: number,
  left: number,
  afi: number,
  safi: number,
  v4: string,
  v6: string,
  tag: string,
): void {
  if (left <= 0) return;
  // tshark's line for a family it has no reader for, at the first prefix, which ends its reading.
  const safis = afi === AFI_IPV4 ? IPV4_SAFIS : afi === AFI_IPV6 ? IPV6_SAFIS : L2VPN_SAFIS;
  if (afi !== AFI_IPV4 && afi !== AFI_IPV6 && afi !== AFI_L2VPN && afi !== AFI_L2VPN_OLD && afi !== AFI_BGP_LS)
    return w.expert(4, p, 0, `Unknown AFI (${afi}) value`);
  if (afi !== AFI_BGP_LS && !safis.has(safi)) return w.expert(4, p, 0, `Unknown SAFI (${safi}) for AFI ${afi}`);
  if ((afi !== AFI_IPV4 && afi !== AFI_IPV6) || !PLAIN_SAFIS.has(safi)) return;
  const end = p + left;
  const size = afi === AFI_IPV4 ? 4 : 16;
  while (p < end) {
    const withPath = addPath(w, p, end, size * 8);
    const advance = prefix(w, p, size === 4 ? v4 : v6, tag, 4, withPath, size);
    if (advance < 0) return;
    p += advance;
  }
}

/** tshark's words for a next hop it reads (`2001:db8::1`, `IPv6=... Link-local=...`), or '' where it reads none. */
function nextHopText(w: Walk, p: number, len: number, afi: number, safi: number): string {
  if ((afi !== AFI_IPV4 && afi !== AFI_IPV6) || !PLAIN_SAFIS.has(safi)) return '';
  if (len === 4 && afi === AFI_IPV4) {
    w.u32(p);
    return ipv4Text(w.buf, p);
  }
  if (len === 16 || len === 32) {
    if (p + len > w.end) throw CUT;
    return len === 16 ? ipv6Text(w.buf, p) : `IPv6=${ipv6Text(w.buf, p)} Link-local=${ipv6Text(w.buf, p + 16)}`;
  }
  return '';
}

/** The next hop's line: `Next hop: 2001:db8::1`; of one not read, its bytes in hex. */
function nextHopLine(w: Walk, p: number, len: number, afi: number, safi: number): string {
  const text = nextHopText(w, p, len, afi, safi);
  if (text) return `Next hop: ${text}`;
  if (len === 0) return 'Next hop';
  if (p + len > w.end) throw CUT;
  let hex = '';
  for (let i = 0; i < len; i++) hex += w.buf[p + i]!.toString(16).padStart(2, '0');
  return `Next hop: ${hex}`;
}

function nextHop(w: Walk, p: number, len: number, afi: number, safi: number): void {
  if (!nextHopText(w, p, len, afi, safi)) return;
  if (len === 4) w.ipv4('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4', 4, p);
  else {
    w.bytes('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6', 4, p, 16);
    if (len === 32) w.bytes('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local', 4, p + 16, 16);
  }
}

/** A field's occurrences: where the walk of the layer's message puts it. */
const readerOf =
  (name: string): FieldReader =>
  (l, v) =>
    walk(l, (at, _depth, buf, p, size, n, text) => {
      if (at === name) occurrence(byName().get(name)!, v, buf, p, size, n, text);
    });

const { item, u8, u16, u32 } = fieldsFoundByName(readerOf);
const shown = (_n: number, _b: Uint8Array, _o: number, text: string): string => text;
/** A mark (FT_NONE): its line is the text the walk gives. */
const mark = (name: string, label: string): FieldSpec => item({ name, label, type: 'none', display: shown });
const ipv4 = (name: string, label: string): FieldSpec => item({ name, label, type: 'ipv4' });
const ipv6 = (name: string, label: string): FieldSpec => item({ name, label, type: 'ipv6' });
const bytes = (name: string, label: string): FieldSpec => item({ name, label, type: 'bytes' });
const flag = (name: string, label: string, bits: number, mask: number, tfs = SET_NOT_SET): FieldSpec =>
  item({ name, label, type: 'bool', bits, mask, tfs });
/** A number of `bits` in hex, of no names. */
const hexField = (name: string, label: string, bits: number): FieldSpec =>
  item({ name, label, type: 'uint', bits, base: 'hex' });
/** An 8-bit number in hex, by its name (`Route Target (0x02)`, `Unknown (0x7f)`). */
const hex8 = (name: string, label: string, values: Readonly<Record<number, string>>): FieldSpec =>
  item({ name, label, type: 'uint', bits: 8, base: 'hex', values });

/** The flags byte's field declarations: the byte (hex, the names of its flags set after it), then its fields. */
const flagsFields = (name: string, byte: FlagsByte): FieldSpec[] => [
  item({ name, label: 'Flags', type: 'uint', bits: 8, base: 'hex', display: hexThenText(2) }),
  ...byte.map(([suffix, label, mask, kind]) =>
    kind === 'flag'
      ? flag(`${name}.${suffix}`, label, 8, mask)
      : item({ name: `${name}.${suffix}`, label, type: 'uint', bits: 8, base: kind, mask }),
  ),
];

const BGP_FIELDS = declareFields(() => [
  ...fields(
    {
      name: 'bgp',
      label: 'Border Gateway Protocol',
      type: 'protocol',
      // None where tshark draws no item: a header it could not read, a length under the header's. Its number is the
      // message type (or CONTINUATION), and its text the item's: the type's name after the protocol's (a
      // continuation's item has none: tshark prints `bgp`).
      read: (l, v) => {
        if (l.aux !== NO_MESSAGE) v.num(l.aux, l.buf, l.off, Math.max(0, l.hdrEnd - l.off));
      },
      display: (n) => (n === CONTINUATION ? 'bgp' : `Border Gateway Protocol - ${typeText(n)}`),
    },
    mark('bgp.continuation', 'Continuation'),
    bytes('bgp.marker', 'Marker'),
    u16('bgp.length', 'Length'),
    u8('bgp.type', 'Type', TYPES),
    u8('bgp.open.version', 'Version'),
    u16('bgp.open.myas', 'My AS'),
    u16('bgp.open.holdtime', 'Hold Time'),
    ipv4('bgp.open.identifier', 'BGP Identifier'),
    u8('bgp.open.opt.len', 'Optional Parameters Length'),
    mark('bgp.open.opt', 'Optional Parameters'),
    mark('bgp.open.opt.param', 'Optional Parameter'),
    u8('bgp.open.opt.param.type', 'Parameter Type', PARAMETERS),
    u8('bgp.open.opt.param.len', 'Parameter Length'),
    bytes('bgp.open.opt.param.auth', 'Authentication Data'),
    bytes('bgp.open.opt.param.unknown', 'Unknown'),
    mark('bgp.cap', 'Capability'),
    u8('bgp.cap.type', 'Type', CAPABILITIES),
    u8('bgp.cap.length', 'Length'),
    bytes('bgp.cap.unknown', 'Unknown'),
    u16('bgp.cap.mp.afi', 'AFI', AFN_NAMES),
    bytes('bgp.cap.reserved', 'Reserved'),
    u8('bgp.cap.mp.safi', 'SAFI', SAFI),
    item({
      name: 'bgp.cap.gr.timers',
      label: 'Restart Timers',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: hexThenText(4),
    }),
    flag('bgp.cap.gr.timers.restart_flag', 'Restart state', 16, 0x8000, YES_NO),
    flag('bgp.cap.gr.timers.notification_flag', 'Graceful notification', 16, 0x4000, YES_NO),
    item({ name: 'bgp.cap.gr.timers.restart_time', label: 'Time', type: 'uint', bits: 16, mask: 0x0fff }),
    u16('bgp.cap.gr.afi', 'AFI', AFN_NAMES),
    u8('bgp.cap.gr.safi', 'SAFI', SAFI),
    item({ name: 'bgp.cap.gr.flag', label: 'Flag', type: 'uint', base: 'hex', display: hexThenText(2) }),
    flag('bgp.cap.gr.flag.pfs', 'Preserve forwarding state', 8, 0x80, YES_NO),
    u32('bgp.cap.4as', 'AS Number'),
    u16('bgp.cap.ap.afi', 'AFI', AFN_NAMES),
    u8('bgp.cap.ap.safi', 'SAFI', SAFI),
    u8('bgp.cap.ap.sendreceive', 'Send/Receive', SEND_RECEIVE),
    u8('bgp.cap.orf.fqdn.hostname.len', 'Hostname Length'),
    item({ name: 'bgp.cap.orf.fqdn.hostname', label: 'Hostname', type: 'string' }),
    u8('bgp.cap.orf.fqdn.domain_name.len', 'Domain Name Length'),
    item({ name: 'bgp.cap.orf.fqdn.domain_name', label: 'Domain Name', type: 'string' }),
    u8('bgp.notify.major_error', 'Major error Code', MAJOR_ERRORS),
    ...Object.values(MINOR_ERRORS).map(([name, words, values]) => u8(name, `Minor error Code (${words})`, values)),
    u8(MINOR_UNKNOWN, 'Minor error Code (Unknown)'),
    u8('bgp.notify.communication_length', 'BGP Shutdown Communication Length'),
    item({ name: 'bgp.notify.communication', label: 'Shutdown Communication', type: 'string' }),
    u32('bgp.notify.error_open.bad_peer_as', 'Bad Peer AS'),
    bytes('bgp.notify.minor_data', 'Data'),
    u16('bgp.route_refresh.afi', 'Address family identifier (AFI)', AFN_NAMES),
    u8('bgp.route_refresh.subtype', 'Subtype', ROUTE_REFRESH_SUBTYPES),
    u8('bgp.route_refresh.safi', 'Subsequent address family identifier (SAFI)', SAFI),
    u16('bgp.update.withdrawn_routes.length', 'Withdrawn Routes Length'),
    mark('bgp.update.withdrawn_routes', 'Withdrawn Routes'),
    ipv4('bgp.withdrawn_prefix', 'Withdrawn prefix'),
    u8('bgp.prefix_length', 'Prefix Length'),
    u32('bgp.nlri_path_id', 'NLRI path id'),
    u16('bgp.update.path_attributes.length', 'Total Path Attribute Length'),
    mark('bgp.update.path_attributes', 'Path attributes'),
    mark('bgp.update.path_attributes.unknown', 'Unknown Path attributes'),
    mark('bgp.update.path_attribute', 'Path Attribute'),
    item({
      name: 'bgp.update.path_attribute.flags',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      display: hexThenText(2),
    }),
    flag('bgp.update.path_attribute.flags.optional', 'Optional', 8, FLAG_OPTIONAL),
    flag('bgp.update.path_attribute.flags.transitive', 'Transitive', 8, FLAG_TRANSITIVE),
    flag('bgp.update.path_attribute.flags.partial', 'Partial', 8, FLAG_PARTIAL),
    flag('bgp.update.path_attribute.flags.extended_length', 'Extended-Length', 8, FLAG_EXTENDED_LENGTH),
    item({ name: 'bgp.update.path_attribute.flags.unused', label: 'Unused', type: 'uint', base: 'hex', mask: 0x0f }),
    u8('bgp.update.path_attribute.type_code', 'Type Code', ATTRIBUTES),
    u16('bgp.update.path_attribute.length', 'Length'),
    u8('bgp.update.path_attribute.origin', 'Origin', ORIGINS),
    mark('bgp.update.path_attribute.as_path_segment', 'AS Path segment'),
    u8('bgp.update.path_attribute.as_path_segment.type', 'Segment type', SEGMENT_TYPES),
    u8('bgp.update.path_attribute.as_path_segment.length', 'Segment length (number of ASN)'),
    u16('bgp.update.path_attribute.as_path_segment.as2', 'AS2'),
    u32('bgp.update.path_attribute.as_path_segment.as4', 'AS4'),
    ipv4('bgp.update.path_attribute.next_hop', 'Next hop'),
    u32('bgp.update.path_attribute.multi_exit_disc', 'Multiple exit discriminator'),
    u32('bgp.update.path_attribute.local_pref', 'Local preference'),
    u32('bgp.update.path_attribute.attr_set.origin_as', 'Origin AS'),
    u32('bgp.update.path_attribute.aggregator_as', 'Aggregator AS'),
    ipv4('bgp.update.path_attribute.aggregator_origin', 'Aggregator origin'),
    mark('bgp.update.path_attribute.communities', 'Communities'),
    mark('bgp.update.path_attribute.community', 'Community'),
    u16('bgp.update.path_attribute.community_as', 'Community AS'),
    u16('bgp.update.path_attribute.community_value', 'Community value'),
    item({
      name: 'bgp.update.path_attribute.community_wellknown',
      label: 'Community Well-known',
      type: 'uint',
      bits: 32,
      base: 'hex',
      values: WELL_KNOWN_COMMUNITIES,
    }),
    ipv4('bgp.update.path_attribute.originator_id', 'Originator identifier'),
    item({ name: 'bgp.large_communities', label: 'Large Communities', type: 'string' }),
    u32('bgp.large_communities.ga', 'Global Administrator'),
    u32('bgp.large_communities.ldp1', 'Local Data Part 1'),
    u32('bgp.large_communities.ldp2', 'Local Data Part 2'),
    mark('bgp.ext_communities', 'Carried extended communities'),
    mark('bgp.ext_community', 'Community'),
    hex8('bgp.ext_com.type', 'Type', EXT_TYPES),
    flag('bgp.ext_com.type.auth', 'IANA Authority', 8, 0x80, [
      'Allocated on Standard Action, Early Allocation or Experimental Basis',
      'Allocated on First Come First Serve Basis',
    ]),
    flag('bgp.ext_com.type.tran', 'Transitive across ASes', 8, 0x40, ['Non-transitive', 'Transitive']),
    item({ name: 'bgp.ext_com.stype_unknown', label: 'Subtype', type: 'uint', bits: 8, base: 'hex' }),
    ...[
      ['bgp.ext_com.stype_tr_as2', 'Subtype (AS2)'],
      ['bgp.ext_com.stype_ntr_as2', 'Subtype (Non-transitive AS2)'],
      ['bgp.ext_com.stype_tr_as4', 'Subtype (AS4)'],
      ['bgp.ext_com.stype_ntr_as4', 'Subtype (Non-transitive AS4)'],
      ['bgp.ext_com.stype_tr_IP4', 'Subtype (IPv4)'],
      ['bgp.ext_com.stype_ntr_IP4', 'Subtype (Non-transitive IPv4)'],
      ['bgp.ext_com.stype_tr_opaque', 'Subtype (Opaque)'],
      ['bgp.ext_com.stype_ntr_opaque', 'Subtype (Non-transitive Opaque)'],
    ].map(([name, label]) =>
      hex8(name!, label!, Object.values(EXT_KINDS).find((k) => k.subtypeField === name)!.subtypes),
    ),
    u16('bgp.ext_com.value_as2', '2-Octet AS'),
    u32('bgp.ext_com.value_as4', '4-Octet AS'),
    ipv4('bgp.ext_com.value_IP4', 'IPv4 address'),
    u16('bgp.ext_com.value_an2', '2-Octet AN'),
    u32('bgp.ext_com.value_an4', '4-Octet AN'),
    item({ name: 'bgp.ext_com.value_link_bw', label: 'Link bandwidth', type: 'float' }),
    ipv4('bgp.ext_com.value_ospf_rtype.area', 'Area ID'),
    u8('bgp.ext_com.value_ospf_rtype.type', 'Route type', OSPF_ROUTE_TYPES),
    item({
      name: 'bgp.ext_com.value_ospf_rtype.options',
      label: 'Options',
      type: 'uint',
      bits: 8,
      base: 'hex',
      display: hexThenText(2),
    }),
    flag('bgp.ext_com.value_ospf_rtype.options.mt', 'Metric type', 8, 0x01, ['Type-2', 'Type-1']),
    ipv4('bgp.ext_com.value_ospf_rid', 'Router ID'),
    u16('bgp.ext_com.tunnel_type', 'Tunnel type', TUNNEL_TYPES),
    item({
      name: 'bgp.ext_com.value_raw',
      label: 'Raw Value',
      type: 'uint',
      bits: 48,
      base: 'hex',
      display: (_n, _b, _o, text) => text,
    }),
    u8('bgp.ext_com_cost.poi', 'Point of insertion', COST_POINTS),
    u8('bgp.ext_com_cost.cid', 'Community ID'),
    flag('bgp.ext_com_cost.cid.use', 'Cost use', 8, 0x80, COST_USE),
    item({
      name: 'bgp.ext_com_cost.cost',
      label: 'Cost',
      type: 'uint',
      bits: 32,
      display: (n, _b, _o, text) => `${n}${text}`,
    }),
    mark('bgp.path_attribute.cluster_list', 'Cluster List'),
    ipv4('bgp.path_attribute.cluster_id', 'Cluster ID'),
    u16('bgp.update.path_attribute.mp_reach_nlri.afi', 'Address family identifier (AFI)', AFN_NAMES),
    u8('bgp.update.path_attribute.mp_reach_nlri.safi', 'Subsequent address family identifier (SAFI)', SAFI),
    bytes('bgp.update.path_attribute.mp_reach_nlri.next_hop', 'Next hop'),
    ipv4('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4', 'IPv4 Address'),
    ipv6('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6', 'IPv6 Address'),
    ipv6('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local', 'Link-local Address'),
    u8('bgp.update.path_attribute.mp_reach_nlri.nbr_snpa', 'Number of Subnetwork points of attachment (SNPA)'),
    u8('bgp.update.path_attribute.mp_reach_nlri.snpa_length', 'SNPA Length'),
    bytes('bgp.update.path_attribute.mp_reach_nlri.snpa', 'SNPA'),
    mark('bgp.update.path_attribute.mp_reach_nlri', 'Network Layer Reachability Information (NLRI)'),
    u16('bgp.update.path_attribute.mp_unreach_nlri.afi', 'Address family identifier (AFI)', AFN_NAMES),
    u8('bgp.update.path_attribute.mp_unreach_nlri.safi', 'Subsequent address family identifier (SAFI)', SAFI),
    mark('bgp.update.path_attribute.mp_unreach_nlri', 'Withdrawn Routes'),
    mark('bgp.update.nlri', 'Network Layer Reachability Information (NLRI)'),
    ipv4('bgp.nlri_prefix', 'NLRI prefix'),
    ipv4('bgp.mp_reach_nlri_ipv4_prefix', 'MP Reach NLRI IPv4 prefix'),
    ipv6('bgp.mp_reach_nlri_ipv6_prefix', 'MP Reach NLRI IPv6 prefix'),
    ipv4('bgp.mp_unreach_nlri_ipv4_prefix', 'MP Unreach NLRI IPv4 prefix'),
    ipv6('bgp.mp_unreach_nlri_ipv6_prefix', 'MP Unreach NLRI IPv6 prefix'),
    u16('bgp.update.encaps_tunnel_tlv_type', 'Type code', ENCAPSULATION_TUNNELS),
    u16('bgp.update.encaps_tunnel_tlv_len', 'length'),
    u8('bgp.update.encaps_tunnel_subtlv_type', 'Type code', SUB_TLVS),
    u16('bgp.update.encaps_tunnel_tlv_sublen', 'length'),
    u32('bgp.update.encaps_tunnel_tlv_subtlv_session_id', 'Session ID'),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv_cookie', 'Cookie'),
    u32('bgp.update.encaps_tunnel_tlv_subtlv_gre_key', 'GRE Key'),
    u32('bgp.update.encaps_tunnel_tlv_subtlv_color_value', 'Color Value'),
    u32('bgp.update.encaps_tunnel_tlv_subtlv_lb_block_length', 'Load-balancing block length'),
    ...['vxlan', 'nvgre'].flatMap((kind) => [
      ...flagsFields(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.flags`, VNID_MAC_FLAGS),
      hexField(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.vnid`, 'VN-ID', 24),
      item({ name: `bgp.update.encaps_tunnel_tlv_subtlv.${kind}.mac`, label: 'MAC', type: 'ether' }),
      hexField(`bgp.update.encaps_tunnel_tlv_subtlv.${kind}.reserved`, 'Reserved', 16),
    ]),
    ...flagsFields('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.flags', GPE_FLAGS),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.vnid', 'VN-ID', 24),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.vxlan_gpe.reserved', 'Reserved', 16),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.value', 'Value'),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.pref.flags', 'Flags', 8),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.pref.reserved', 'Reserved', 8),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.pref.preference', 'Preference'),
    ...flagsFields('bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.flags', BINDING_SID_FLAGS),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.reserved', 'Reserved', 8),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.binding_sid.sid', 'Binding SID'),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.enlp.flags', 'Flags', 8),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.enlp.reserved', 'Reserved', 8),
    u8('bgp.update.encaps_tunnel_tlv_subtlv.enlp.preference', 'ENLP', ENLP_VALUES),
    u8('bgp.update.encaps_tunnel_tlv_subtlv.priority.priority', 'Priority'),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.priority.reserved', 'Reserved', 8),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.reserved', 'Reserved', 8),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv', 'sub-TLVs'),
    u8('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.type', 'Type', SEGMENT_SUB_TLVS),
    u8('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.length', 'Length'),
    ...flagsFields('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.flags', SEGMENT_FLAGS),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.reserved', 'Reserved'),
    item({
      name: 'bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.mpls_label',
      label: 'MPLS Label',
      type: 'uint',
      bits: 24,
      base: 'hex',
      mask: 0xfffff0,
    }),
    item({
      name: 'bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.traffic_class',
      label: 'Traffic Class',
      type: 'uint',
      bits: 8,
      base: 'hex',
      mask: 0x0e,
    }),
    flag(
      'bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.bottom_stack',
      'Bottom-of-Stack',
      8,
      0x01,
      TRUE_FALSE,
    ),
    u8('bgp.update.encaps_tunnel_tlv_subtlv.segment_list_subtlv.ttl', 'TTL'),
    bytes('bgp.update.encaps_tunnel_tlv_subtlv.segment_list.subtlv.data', 'Data'),
    hexField('bgp.update.encaps_tunnel_tlv_subtlv.policy_name.reserved', 'Reserved', 8),
    item({ name: 'bgp.update.encaps_tunnel_tlv_subtlv.policy_name.name', label: 'Policy name', type: 'string' }),
  ),
]);
const byName = fieldsByName(BGP_FIELDS);

const treeValues = new Values();

/** -V as tshark's: the message's items in the order of its bytes, at their depths. */
function bgpTree(l: Layer, _ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  walk(l, (name, depth, buf, p, size, n, text, line) => {
    if (line || name === '') return visitText(visit, line, buf, p, size, depth);
    const f = byName().get(name)!;
    treeValues.n = 0;
    occurrence(f, treeValues, buf, p, size, n, text);
    visit(f, treeValues, depth);
  });
}

/** Where a marker (or its beginning, up to the segment's end) starts at or after p, as tshark looks for one. */
function markerAt(l: Layer, p: number): number {
  for (; p < l.end; p++) {
    const n = Math.min(MARKER, l.end - p);
    let i = 0;
    while (i < n && l.buf[p + i] === 0xff) i++;
    if (i === n) return p;
  }
  return l.end;
}

/** The OPEN message at [p, end) of a TCP payload, or null: what the audit reads of each speaker. */
export interface BgpOpen {
  as: number;
  holdTime: number;
  bgpId: string;
}

/** The OPEN message at [p, end) of a TCP payload, or null (the 4-byte AS of RFC 6793's capability where present). */
export function bgpOpen(buf: Uint8Array, p: number, end: number): BgpOpen | null {
  if (p + 29 > end) return null;
  for (let i = 0; i < MARKER; i++) if (buf[p + i] !== 0xff) return null;
  const len = (buf[p + 16]! << 8) | buf[p + 17]!;
  if (buf[p + 18] !== OPEN || len < 29 || p + len > end) return null;
  let as = (buf[p + 20]! << 8) | buf[p + 21]!;
  const holdTime = (buf[p + 22]! << 8) | buf[p + 23]!;
  const bgpId = `${buf[p + 24]}.${buf[p + 25]}.${buf[p + 26]}.${buf[p + 27]}`;
  const optEnd = Math.min(p + 29 + buf[p + 28]!, p + len);
  for (let q = p + 29; q + 2 <= optEnd; q += 2 + buf[q + 1]!) {
    if (buf[q] !== CAPABILITY_PARAMETER) continue;
    const capEnd = Math.min(q + 2 + buf[q + 1]!, optEnd);
    for (let c = q + 2; c + 2 <= capEnd; c += 2 + buf[c + 1]!) {
      if (buf[c] === CAP_AS4 && buf[c + 1] === 4 && c + 6 <= capEnd)
        as = ((buf[c + 2]! << 24) | (buf[c + 3]! << 16) | (buf[c + 4]! << 8) | buf[c + 5]!) >>> 0;
    }
  }
  return { as, holdTime, bgpId };
}

/**
 * Whether the segment holds `size` bytes of the message from l.off. Where it does not, the capture's snapshot length
 * cut it (truncated), or the message goes on in the next segment: no fault of the packet's (tshark reassembles it).
 */
function whole(ctx: PacketCtx, l: Layer, size: number): boolean {
  if (l.end - l.off >= size) return true;
  if (l.short || l.quoted) ctx.need(l, size);
  else ctx.warn(l, W.bgpContinues, size, l.end - l.off);
  return false;
}

/** A message after another in its segment: its packet is counted once (the audit's inner protocols). */
export const bgpFollows = (l: Layer): boolean => l.hint === FOLLOWS;

/** `BGP OPEN`, `BGP KEEPALIVE`, `BGP type 7`; `BGP` of a continuation or a header not read. */
const bgpLabel = (l: Layer): string => (l.aux < 0 ? 'BGP' : `BGP ${SHORT_TYPES[l.aux] ?? `type ${l.aux}`}`);

export const bgp = protocol({
  name: 'bgp',
  abbrev: 'bgp',
  title: 'Border Gateway Protocol',
  hf: BGP_FIELDS,
  tree: bgpTree,
  // One `bgp` in frame.protocols for the segment (tshark's dissector runs once), an item in the tree for each message.
  frameNames: (l) => (bgpFollows(l) ? '' : 'bgp'),
  treeNames: (l) => (l.aux === NO_MESSAGE ? '' : 'bgp'),
  dissect(ctx, l) {
    l.aux = NO_MESSAGE;
    const at = l.hint === FOLLOWS ? l.off : markerAt(l, l.off);
    if (at > l.off) {
      // Bytes before the first marker: a message begun in a segment before (or not BGP at all).
      l.aux = CONTINUATION;
      l.hdrEnd = at;
      if (at < l.end) ctx.handoff(l, Table.TcpPort, BGP_PORT, at, l.end, FOLLOWS);
      return;
    }
    l.hdrEnd = l.end;
    if (!whole(ctx, l, HEADER)) return;
    const length = l.dv.getUint16(l.off + MARKER);
    // tshark's reported bounds error: no tree, and the segment's messages end here.
    if (length < HEADER) {
      ctx.warn(l, W.badLength, length, HEADER);
      return;
    }
    l.aux = l.buf[l.off + 18]!;
    if (!whole(ctx, l, length)) return;
    l.hdrEnd = l.off + length;
    if (l.hdrEnd < l.end) ctx.handoff(l, Table.TcpPort, BGP_PORT, l.hdrEnd, l.end, FOLLOWS);
  },
  json: jsonMembers(BGP_FIELDS, [
    { name: 'type', field: 'bgp.type' },
    { name: 'length', field: 'bgp.length' },
    { name: 'as', field: 'bgp.open.myas' },
    { name: 'holdTime', field: 'bgp.open.holdtime' },
    { name: 'identifier', field: 'bgp.open.identifier' },
    { name: 'majorError', field: 'bgp.notify.major_error' },
  ]),
  label: bgpLabel,
  summary(l, out) {
    out.str(bgpLabel(l));
    // An OPEN's speaker (its 2-octet AS field), a NOTIFICATION's error: what a session's trouble starts from.
    if (l.aux === OPEN && l.off + 29 <= l.hdrEnd)
      out
        .str(' as ')
        .num(l.dv.getUint16(l.off + 20))
        .str(' hold ')
        .num(l.dv.getUint16(l.off + 22))
        .str(' id ')
        .str(ipv4Text(l.buf, l.off + 24));
    if (l.aux === NOTIFICATION && l.off + 21 <= l.hdrEnd)
      out
        .str(' ')
        .str(MAJOR_ERRORS[l.buf[l.off + 19]!] ?? 'error')
        .str(' subcode ')
        .num(l.buf[l.off + 20]!);
  },
});
