import { hexBytes, shownHex } from './addr.js';
import {
  declareFields,
  fields as declare,
  fieldsByName,
  NO_FIELDS,
  protocolField,
  Values,
  type Field,
  type FieldSpec,
  type TrueFalse,
  hexThenText,
} from './field.js';
import {
  AH_TRANSFORMS_V1,
  AUTH_V2,
  DH_GROUPS,
  DH_SHORT,
  ENCAP_MODES,
  ENCR_SHORT,
  ENCR_V2,
  ESN_V2,
  ESP_TRANSFORMS_V1,
  EXCHANGES_SHORT_V1,
  EXCHANGES_V1,
  EXCHANGES_V2,
  ID_TYPES,
  IKE_ATTR_TYPES,
  IKE_AUTH_V1,
  IKE_ENCR_V1,
  IKE_HASH_V1,
  INTEG_V2,
  IPSEC_ATTR_TYPES,
  IPSEC_AUTH_V1,
  LIFE_TYPES,
  NOTIFY_V1,
  NOTIFY_V2,
  PAYLOADS,
  PRF_V2,
  PROTOCOLS_V1,
  PROTOCOLS_V2,
  SIGNATURE_HASHES,
  TRANSFORM_IDS_V1,
  TRANSFORM_TYPES,
  TS_TYPES,
  VENDOR_IDS,
  notifyName,
} from './isakmp-names.js';
import { crypto } from '../util/crypto.js';
import { hasKeysOf, openSk, type SkFailure } from '../ipsec/ikev2-keys.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { W } from './warnings.js';
import { IP_PROTOCOL_NAMES } from './numbers.js';
import { jsonMembers, jsonRest } from './json.js';
import { ipv4 } from './ipv4.js';
import { udp as udpProtocol } from './udp.js';
import { plural } from '../util/words.js';

/**
 * IKE / ISAKMP: IKEv1 (RFC 2408, 2409; IPsec DOI RFC 2407) and IKEv2
 * (RFC 7296) on UDP 500 and, after the non-ESP marker, 4500. The message is
 * read once, when dissected, into plain data (IkeMessage): its payloads,
 * proposals, transforms, notifies, and every field occurrence in
 * Wireshark's tree order, which the `hf` readers pick by name. IKEv2's SK
 * payload and IKEv1's encrypted body are ciphertext: reading stops there.
 */

/** Bounds: a hostile message cannot make us walk more than this. */
const MAX_PAYLOADS = 64;
const MAX_PROPOSALS = 32;
const MAX_TRANSFORMS = 64;
const MAX_ATTRS = 32;
const MAX_SELECTORS = 32;
const MAX_DELETE_SPIS = 64;

export interface IkeAttr {
  readonly type: number;
  /** The value as a number (TV, or TLV of at most 6 bytes); -1 otherwise. */
  readonly value: number;
}
export interface IkeTransform {
  /** IKEv2 transform type (1 ENCR, 2 PRF, 3 INTEG, 4 DH, 5 ESN); 0 in IKEv1. */
  readonly type: number;
  readonly id: number;
  readonly attrs: IkeAttr[];
}
export interface IkeProposal {
  readonly num: number;
  readonly protoId: number;
  /** The SPI as hex ('' when empty): an ESP or AH SPI in child SA proposals. */
  readonly spi: string;
  readonly transforms: IkeTransform[];
}
export interface IkeNotify {
  readonly type: number;
  readonly protoId: number;
  readonly spi: string;
  /** Notification data, as the layer's bytes [dataOff, dataOff + dataLen). */
  readonly dataOff: number;
  readonly dataLen: number;
}
export interface IkeDelete {
  readonly protoId: number;
  readonly spis: string[];
}
export interface IkeSelector {
  readonly type: number;
  readonly protocol: number;
  readonly ports: [number, number];
  readonly start: string;
  readonly end: string;
}
export interface IkeId {
  /** 5 (IKEv1), 35 (IDi) or 36 (IDr). */
  readonly payload: number;
  readonly type: number;
  readonly text: string;
}

/** One field occurrence, as Wireshark's tree has it. */
interface Occurrence {
  readonly name: string;
  /** The bytes it is in, when not the layer's (decrypted payloads). */
  readonly buf?: Uint8Array;
  readonly off: number;
  readonly len: number;
  readonly num: number;
  readonly str?: string;
  /** Its depth in the tree: 1 the header and each payload's title, 2 a payload's fields, then deeper records. */
  readonly depth: number;
}

/** An IKE message read into plain data. Offsets are into the layer's buffer. */
export interface IkeMessage {
  readonly ispi: string;
  readonly rspi: string;
  readonly major: number;
  readonly minor: number;
  readonly exchange: number;
  readonly flags: number;
  readonly messageId: number;
  readonly length: number;
  /** Payload types in order, top level only. */
  readonly payloads: number[];
  readonly proposals: IkeProposal[];
  /** Key exchange groups (IKEv2 KE payloads). */
  readonly keGroups: number[];
  readonly notifies: IkeNotify[];
  readonly deletes: IkeDelete[];
  /** Vendor IDs as hex, and their names where well known. */
  readonly vendorIds: { hex: string; name: string | null }[];
  readonly ids: IkeId[];
  readonly authMethods: number[];
  /** Traffic selectors: TSi (44) then TSr (45). */
  readonly tsi: IkeSelector[];
  readonly tsr: IkeSelector[];
  /** The rest of the message is ciphertext (IKEv2 SK/SKF, or IKEv1 with the E flag). */
  readonly encrypted: boolean;
  /** The first payload inside SK (its next payload), or 0. */
  readonly encryptedFirst: number;
  /** Where the SK payload starts (for decryption), or -1. */
  readonly skOff: number;
  readonly occ: Occurrence[];
  /** Why reading stopped early, or null. */
  problem: string | null;
  /** The payloads inside SK, read when the run's IKEv2 keys opened it. */
  decrypted: IkeMessage | null;
  /**
   * IKEv2 NAT detection checked against this packet's addresses and ports:
   * false when a NAT_DETECTION_*_IP hash does not match (a NAT rewrote that
   * side before this capture point), true when it matches, null when absent.
   */
  natSourceOk: boolean | null;
  natDestinationOk: boolean | null;
}

const F_ENCRYPT = 0x01;
const F_INITIATOR = 0x08;
const F_RESPONSE = 0x20;

/** Text for strings taken from packets: printable ASCII kept, anything else as \xNN. */
function printable(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) {
    const c = buf[i]!;
    s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** Cisco Unity's vendor ID: 14 bytes, then its major and minor version (any version is CISCO-UNITY). */
const CISCO_UNITY = [0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9, 0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc];
const isCiscoUnity = (buf: Uint8Array, off: number, len: number): boolean =>
  len >= 16 && CISCO_UNITY.every((b, i) => buf[off + i] === b);

function vendorName(buf: Uint8Array, off: number, len: number): string | null {
  let best: string | null = null;
  let bestLen = 0;
  for (const [hex, name] of VENDOR_IDS) {
    const n = hex.length / 2;
    if (n > len || n <= bestLen) continue;
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = buf[off + i] === parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (ok) {
      best = name;
      bestLen = n;
    }
  }
  return best;
}

function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}
function ipv6Text(b: Uint8Array, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[o + i]! << 8) | b[o + i + 1]!).toString(16));
  // Compress the longest run of zero groups, as RFC 5952.
  let best = -1,
    bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return parts.join(':');
  return `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

/** Reads buf[off, end) as an IKE message whose header was checked to be there (28 bytes). */
export function parseIke(buf: Uint8Array, off: number, end: number): IkeMessage {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const occ: Occurrence[] = [];
  // Set by each payload, proposal, transform and attribute header for the fields that follow it.
  let depth = 1;
  const put = (name: string, o: number, len: number, num: number, str?: string) => {
    occ.push(str === undefined ? { name, off: o, len, num, depth } : { name, off: o, len, num, str, depth });
  };
  const u8 = (o: number) => buf[o]!;
  const u16 = (o: number) => dv.getUint16(o);
  const u32 = (o: number) => dv.getUint32(o);
  const hexOf = (o: number, n: number) => hexBytes(buf, o, n);

  const major = buf[off + 17]! >> 4;
  const v2 = major === 2;
  const flags = buf[off + 19]!;
  const msg: IkeMessage = {
    ispi: hexOf(off, 8),
    rspi: hexOf(off + 8, 8),
    major,
    minor: buf[off + 17]! & 0xf,
    exchange: buf[off + 18]!,
    flags,
    messageId: u32(off + 20),
    length: u32(off + 24),
    payloads: [],
    proposals: [],
    keGroups: [],
    notifies: [],
    deletes: [],
    vendorIds: [],
    ids: [],
    authMethods: [],
    tsi: [],
    tsr: [],
    encrypted: false,
    encryptedFirst: 0,
    skOff: -1,
    occ,
    problem: null,
    decrypted: null,
    natSourceOk: null,
    natDestinationOk: null,
  };
  const m = msg as { -readonly [K in keyof IkeMessage]: IkeMessage[K] };

  put('isakmp.ispi', off, 8, 0);
  put('isakmp.rspi', off + 8, 8, 0);
  put('isakmp.nextpayload', off + 16, 1, u8(off + 16));
  put('isakmp.version', off + 17, 1, u8(off + 17));
  put('isakmp.mjver', off + 17, 1, major);
  put('isakmp.mnver', off + 17, 1, m.minor);
  put('isakmp.exchangetype', off + 18, 1, m.exchange);
  // IKEv2's flags word names its three flags after it: `0x08 (Initiator, No higher version, Request)`.
  put(
    'isakmp.flags',
    off + 19,
    1,
    flags,
    v2
      ? ` (${flags & F_INITIATOR ? 'Initiator' : 'Responder'}, ` +
          `${flags & 0x10 ? 'A higher version enabled' : 'No higher version'}, ` +
          `${flags & F_RESPONSE ? 'Response' : 'Request'})`
      : '',
  );
  if (v2) {
    put('isakmp.flag_i', off + 19, 1, flags & 0x08 ? 1 : 0);
    put('isakmp.flag_v', off + 19, 1, flags & 0x10 ? 1 : 0);
    put('isakmp.flag_r', off + 19, 1, flags & 0x20 ? 1 : 0);
  } else {
    put('isakmp.flag_e', off + 19, 1, flags & 0x01 ? 1 : 0);
    put('isakmp.flag_c', off + 19, 1, flags & 0x02 ? 1 : 0);
    put('isakmp.flag_a', off + 19, 1, flags & 0x04 ? 1 : 0);
  }
  put('isakmp.messageid', off + 20, 4, m.messageId);
  put('isakmp.length', off + 24, 4, m.length);

  // The message ends where its length says, if that fits.
  let msgEnd = end;
  if (m.length >= 28 && off + m.length <= end) msgEnd = off + m.length;
  else if (m.length < 28) m.problem = `length ${m.length} is shorter than the header`;

  if (!v2 && flags & F_ENCRYPT) {
    m.encrypted = true;
    const n = msgEnd - off - 28;
    if (n > 0) put('isakmp.enc.data', off + 28, n, 0, ` (${plural(n, 'byte')})`);
    return msg;
  }

  /**
   * The generic payload header: Wireshark's typepayload (its title, and what it adds: a proposal's `# 1`, a vendor
   * ID's name), next, critical and reserved bits (IKEv2's payloads) or a reserved byte, length.
   */
  const header = (type: number, p: number, top: boolean, title = '') => {
    // A payload's title under the header, a proposal's under its SA, a transform's under its proposal.
    depth = top ? 1 : type === 2 ? 2 : 3;
    put('isakmp.typepayload', p, 1, type, title);
    depth++;
    put('isakmp.nextpayload', p, 1, u8(p));
    if (v2 && top) {
      put('isakmp.criticalpayload', p + 1, 1, u8(p + 1) & 0x80 ? 1 : 0);
      put('isakmp.reserved7', p + 1, 1, u8(p + 1) & 0x7f);
    } else put('isakmp.reserved', p + 1, 1, 0);
    put('isakmp.payloadlength', p + 2, 2, u16(p + 2));
  };

  const attributes = (family: 'ike' | 'ipsec' | 'ike2', p: number, e: number, into: IkeAttr[]) => {
    for (let n = 0; p + 4 <= e && n < MAX_ATTRS; n++) {
      const word = u16(p);
      const tv = (word & 0x8000) !== 0;
      const type = word & 0x7fff;
      const vlen = tv ? 2 : u16(p + 2);
      const voff = p + 4 - (tv ? 2 : 0);
      if (voff + vlen > e) {
        m.problem = `attribute ${type} runs past its transform`;
        return;
      }
      let value = -1;
      if (vlen > 0 && vlen <= 6) {
        value = 0;
        for (let i = 0; i < vlen; i++) value = value * 256 + buf[voff + i]!;
      }
      // The attribute's title, then its fields under it.
      put(`isakmp.${family}.attr`, p, voff + vlen - p, 0, attributeTitle(family, type, vlen, buf, voff, value));
      depth++;
      put(`isakmp.${family}.attr.format`, p, 2, tv ? 1 : 0);
      put(`isakmp.${family}.attr.type`, p, 2, type);
      if (!tv) put(`isakmp.${family}.attr.length`, p + 2, 2, vlen);
      if (vlen > 0) put(`isakmp.${family}.attr.value`, voff, vlen, 0);
      into.push({ type, value });
      const specific = ATTR_FIELDS[family][type];
      if (specific && value >= 0) {
        // (Longer durations are Wireshark's life_duration64, a 64-bit field we do not declare.)
        if (specific !== 'life_duration' || vlen <= 4) put(`isakmp.${family}.attr.${specific}`, voff, vlen, value);
      }
      depth--;
      p = voff + vlen;
    }
  };

  const transform = (p: number, e: number, protoId: number, into: IkeTransform[]) => {
    if (e - p < 8) return false;
    // An IKEv1 transform's title has its number (`Transform (3) # 1`).
    header(3, p, false, v2 ? '' : ` # ${u8(p + 4)}`);
    let type = 0,
      id: number;
    if (v2) {
      type = u8(p + 4);
      id = u16(p + 6);
      put('isakmp.tf.type', p + 4, 1, type);
      put('isakmp.reserved', p + 5, 1, 0);
      const which = ['', 'encr', 'prf', 'integ', 'dh', 'esn'][type];
      put(which ? `isakmp.tf.id.${which}` : 'isakmp.tf.id', p + 6, 2, id);
    } else {
      put('isakmp.trans.number', p + 4, 1, u8(p + 4));
      id = u8(p + 5);
      put('isakmp.trans.id', p + 5, 1, id, transformIdV1(protoId, id));
      put('isakmp.reserved', p + 6, 2, 0);
    }
    const attrs: IkeAttr[] = [];
    // IKE's attributes in an ISAKMP proposal's KEY_IKE transform only (as Wireshark reads them), IPsec's otherwise.
    attributes(v2 ? 'ike2' : protoId === 1 && id === 1 ? 'ike' : 'ipsec', p + 8, e, attrs);
    into.push({ type, id, attrs });
    return true;
  };

  const proposals = (p: number, e: number) => {
    for (let n = 0; p + 8 <= e && n < MAX_PROPOSALS; n++) {
      const next = u8(p);
      const len = u16(p + 2);
      if (len < 8 || p + len > e) {
        m.problem = `proposal length ${len} does not fit`;
        return;
      }
      header(2, p, false, ` # ${u8(p + 4)}`);
      const protoId = u8(p + 5);
      const spiSize = u8(p + 6);
      const count = u8(p + 7);
      put('isakmp.prop.number', p + 4, 1, u8(p + 4));
      put('isakmp.prop.protoid', p + 5, 1, protoId, v2 ? '' : (PROTOCOLS_V1[protoId] ?? ''));
      put('isakmp.spisize', p + 6, 1, spiSize);
      put('isakmp.prop.transforms', p + 7, 1, count);
      let q = p + 8;
      if (q + spiSize > p + len) {
        m.problem = `proposal SPI size ${spiSize} does not fit`;
        return;
      }
      if (spiSize > 0) put('isakmp.spi', q, spiSize, 0);
      const prop: IkeProposal = { num: u8(p + 4), protoId, spi: hexOf(q, spiSize), transforms: [] };
      m.proposals.push(prop);
      q += spiSize;
      for (let t = 0; t < count && t < MAX_TRANSFORMS && q + 8 <= p + len; t++) {
        const tlen = u16(q + 2);
        if (tlen < 8 || q + tlen > p + len) {
          m.problem = `transform length ${tlen} does not fit`;
          return;
        }
        transform(q, q + tlen, protoId, prop.transforms);
        q += tlen;
      }
      p += len;
      if (next === 0) return;
    }
  };

  const selectors = (p: number, e: number, into: IkeSelector[]) => {
    const count = u8(p);
    put('isakmp.ts.number', p, 1, count);
    put('isakmp.reserved', p + 1, 3, 0);
    p += 4;
    for (let n = 0; n < count && n < MAX_SELECTORS && p + 8 <= e; n++) {
      const type = u8(p);
      const len = u16(p + 2);
      const alen = type === 7 ? 4 : type === 8 ? 16 : 0;
      if (len < 8 || p + len > e || (alen && len < 8 + 2 * alen)) {
        m.problem = `traffic selector length ${len} does not fit`;
        return;
      }
      put('isakmp.ts.type', p, 1, type);
      put('isakmp.ts.protoid', p + 1, 1, u8(p + 1));
      put('isakmp.ts.selector_length', p + 2, 2, len);
      put('isakmp.ts.start_port', p + 4, 2, u16(p + 4));
      put('isakmp.ts.end_port', p + 6, 2, u16(p + 6));
      let start = '',
        stop = '';
      if (alen === 4) {
        put('isakmp.ts.start_ipv4', p + 8, 4, u32(p + 8));
        put('isakmp.ts.end_ipv4', p + 12, 4, u32(p + 12));
        start = ipv4Text(buf, p + 8);
        stop = ipv4Text(buf, p + 12);
      } else if (alen === 16) {
        put('isakmp.ts.start_ipv6', p + 8, 16, 0);
        put('isakmp.ts.end_ipv6', p + 24, 16, 0);
        start = ipv6Text(buf, p + 8);
        stop = ipv6Text(buf, p + 24);
      }
      into.push({ type, protocol: u8(p + 1), ports: [u16(p + 4), u16(p + 6)], start, end: stop });
      p += len;
    }
  };

  const identification = (type: number, p: number, e: number) => {
    const idType = u8(p + 4);
    put('isakmp.id.type', p + 4, 1, idType);
    if (!v2) {
      // Zero is `Unused` in Wireshark's words.
      const protocol = u8(p + 5);
      const port = u16(p + 6);
      put('isakmp.id.protoid', p + 5, 1, protocol, protocol === 0 ? 'Unused' : '');
      put('isakmp.id.port', p + 6, 2, port, port === 0 ? 'Unused' : '');
    } else put('isakmp.reserved', p + 5, 3, 0);
    const d = p + 8;
    const n = e - d;
    // The data item (`Identification Data:198.18.0.1`), its fields under it: `treeText` is tshark's text of it,
    // `lineText` ours (the text line's and the audit's).
    const at = occ.length;
    depth++;
    let lineText = '';
    let treeText = '';
    if (idType === 1 && n >= 4) {
      put('isakmp.id.data.ipv4_addr', d, 4, u32(d));
      lineText = treeText = ipv4Text(buf, d);
    } else if (idType === 5 && n >= 16) {
      put('isakmp.id.data.ipv6_addr', d, 16, 0);
      lineText = treeText = ipv6Text(buf, d);
    } else if (idType === 2 || idType === 3) {
      // Up to a NUL, which peers may end the name with: tshark's text stops there too.
      const nul = buf.subarray(d, e).indexOf(0);
      lineText = treeText = printable(buf, d, nul < 0 ? n : nul);
      put(idType === 2 ? 'isakmp.id.data.fqdn' : 'isakmp.id.data.user_fqdn', d, n, 0, lineText);
    } else if (idType === 11) {
      put('isakmp.id.data.key_id', d, n, 0);
      lineText = `keyid:${hexOf(d, n)}`;
    } else if (idType === 4 && n >= 8) {
      put('isakmp.id.data.ipv4_addr', d, 4, u32(d));
      put('isakmp.id.data.ipv4_subnet', d + 4, 4, u32(d + 4));
      lineText = treeText = `${ipv4Text(buf, d)}/${ipv4Text(buf, d + 4)}`;
    } else if (idType === 7 && n >= 8) {
      put('isakmp.id.data.ipv4_range_start', d, 4, u32(d));
      put('isakmp.id.data.ipv4_range_end', d + 4, 4, u32(d + 4));
      lineText = `${ipv4Text(buf, d)}-${ipv4Text(buf, d + 4)}`;
      treeText = `${ipv4Text(buf, d)}/${ipv4Text(buf, d + 4)}`;
    } else {
      lineText = `${ID_TYPES[idType] ?? `type ${idType}`} (${n} bytes)`;
      treeText = shownHex(buf, d, n);
    }
    depth--;
    occ.splice(at, 0, { name: 'isakmp.id.data', off: d, len: n, num: 0, str: treeText, depth });
    m.ids.push({ payload: type, type: idType, text: lineText });
  };

  const notify = (p: number, e: number) => {
    let q = p + 4;
    if (!v2) {
      if (q + 4 > e) {
        m.problem = 'notify payload too short';
        return;
      }
      put('isakmp.notify.doi', q, 4, u32(q));
      q += 4;
    }
    if (q + 4 > e) {
      m.problem = 'notify payload too short';
      return;
    }
    const protoId = u8(q);
    const spiSize = u8(q + 1);
    const type = u16(q + 2);
    put('isakmp.notify.protoid', q, 1, protoId, v2 ? '' : (PROTOCOLS_V1[protoId] ?? ''));
    put('isakmp.spisize', q + 1, 1, spiSize);
    put('isakmp.notify.msgtype', q + 2, 2, type, v2 ? '' : (NOTIFY_V1[type] ?? ''));
    q += 4;
    if (q + spiSize > e) {
      m.problem = `notify SPI size ${spiSize} does not fit`;
      return;
    }
    if (spiSize > 0) put('isakmp.spi', q, spiSize, 0);
    const spi = hexOf(q, spiSize);
    q += spiSize;
    const dataLen = e - q;
    // Wireshark gives every notify a data item, empty ones too.
    put('isakmp.notify.data', q, dataLen, 0);
    if (dataLen > 0) {
      if (!v2 && (type === 36136 || type === 36137) && dataLen === 4) {
        put(`isakmp.notify.data.dpd.are_you_there${type === 36137 ? '_ack' : ''}`, q, 4, u32(q));
      }
      if (v2 && type === 17 && dataLen === 2) put('isakmp.notify.data.accepted_dh_group', q, 2, u16(q));
      // RFC 7427: the hash algorithms the sender supports, two bytes each.
      if (v2 && type === 16431)
        for (let h = q; h + 2 <= e; h += 2) put('isakmp.notify.data.signature_hash_algorithms', h, 2, u16(h));
    }
    m.notifies.push({ type, protoId, spi, dataOff: q, dataLen });
  };

  const del = (p: number, e: number) => {
    let q = p + 4;
    if (!v2) {
      if (q + 4 > e) {
        m.problem = 'delete payload too short';
        return;
      }
      put('isakmp.delete.doi', q, 4, u32(q));
      q += 4;
    }
    if (q + 4 > e) {
      m.problem = 'delete payload too short';
      return;
    }
    const protoId = u8(q);
    const spiSize = u8(q + 1);
    const count = u16(q + 2);
    put('isakmp.delete.protoid', q, 1, protoId, v2 ? '' : (PROTOCOLS_V1[protoId] ?? ''));
    put('isakmp.spisize', q + 1, 1, spiSize);
    put('isakmp.spinum', q + 2, 2, count);
    q += 4;
    const d: IkeDelete = { protoId, spis: [] };
    for (let i = 0; i < count && i < MAX_DELETE_SPIS && spiSize > 0 && q + spiSize <= e; i++, q += spiSize) {
      put('isakmp.delete.spi', q, spiSize, 0);
      d.spis.push(hexOf(q, spiSize));
    }
    m.deletes.push(d);
  };

  let type = u8(off + 16);
  let p = off + 28;
  for (let n = 0; type !== 0; n++) {
    if (n >= MAX_PAYLOADS) {
      m.problem = `more than ${MAX_PAYLOADS} payloads`;
      break;
    }
    if (p + 4 > msgEnd) {
      m.problem = `payload ${PAYLOADS[type] ?? type} runs past the message`;
      break;
    }
    const len = u16(p + 2);
    if (len < 4 || p + len > msgEnd) {
      m.problem = `payload ${PAYLOADS[type] ?? type} length ${len} does not fit`;
      break;
    }
    const e = p + len;
    m.payloads.push(type);
    const unity = (type === 13 || type === 43) && isCiscoUnity(buf, p + 4, len - 4);
    const vendor = unity ? 'CISCO-UNITY' : type === 13 || type === 43 ? vendorName(buf, p + 4, len - 4) : null;
    // A payload's title names a vendor ID, and an IKEv2 notify's type.
    let title = '';
    if (type === 13 || type === 43) {
      title = ` : ${vendor ?? 'Unknown Vendor ID'}`;
      if (unity) title += ` ${u8(p + 18)}.${u8(p + 19)}`;
    } else if (type === 41 && len >= 8) title = ` - ${NOTIFY_V2[u16(p + 6)] ?? 'Unknown'}`;
    header(type, p, true, title);
    switch (type) {
      case 1: // SA (IKEv1): DOI, situation, proposals
        if (len >= 12) {
          put('isakmp.sa.doi', p + 4, 4, u32(p + 4));
          put('isakmp.sa.situation', p + 8, 4, 0);
          if (u32(p + 4) === 1) {
            const situation = u32(p + 8);
            put('isakmp.sa.situation.identity_only', p + 8, 4, situation & 1);
            put('isakmp.sa.situation.secrecy', p + 8, 4, (situation >> 1) & 1);
            put('isakmp.sa.situation.integrity', p + 8, 4, (situation >> 2) & 1);
          }
          proposals(p + 12, e);
        }
        break;
      case 33:
        proposals(p + 4, e);
        break;
      case 4:
        put('isakmp.key_exchange.data', p + 4, len - 4, 0);
        break;
      case 34:
        if (len >= 8) {
          const group = u16(p + 4);
          m.keGroups.push(group);
          put('isakmp.key_exchange.dh_group', p + 4, 2, group);
          put('isakmp.reserved', p + 6, 2, 0);
          put('isakmp.key_exchange.data', p + 8, len - 8, 0);
        }
        break;
      case 5:
      case 35:
      case 36:
        if (len >= 8) identification(type, p, e);
        break;
      case 8:
        put('isakmp.hash', p + 4, len - 4, 0);
        break;
      case 9:
        put('isakmp.sig', p + 4, len - 4, 0);
        break;
      case 10:
      case 40:
        put('isakmp.nonce', p + 4, len - 4, 0);
        break;
      case 11:
      case 41:
        notify(p, e);
        break;
      case 12:
      case 42:
        del(p, e);
        break;
      case 13:
      case 43: {
        put('isakmp.vid_bytes', p + 4, len - 4, 0);
        put('isakmp.vid_string', p + 4, len - 4, 0, vendor ?? 'Unknown Vendor ID');
        if (unity) {
          put('isakmp.vid.cisco_unity.major', p + 18, 1, u8(p + 18));
          put('isakmp.vid.cisco_unity.minor', p + 19, 1, u8(p + 19));
        }
        m.vendorIds.push({ hex: hexOf(p + 4, len - 4), name: vendor });
        break;
      }
      case 20:
      case 130:
        put('isakmp.ike.nat_hash', p + 4, len - 4, 0);
        break;
      case 39:
        if (len >= 8) {
          m.authMethods.push(u8(p + 4));
          put('isakmp.auth.method', p + 4, 1, u8(p + 4));
          put('isakmp.reserved', p + 5, 3, 0);
          put('isakmp.auth.data', p + 8, len - 8, 0);
        }
        break;
      case 44:
      case 45:
        if (len >= 8) selectors(p + 4, e, type === 44 ? m.tsi : m.tsr);
        break;
      case 46:
      case 53:
        // Ciphertext from here on; its next payload names the first payload inside. Without its keys, tshark shows
        // an SK payload's first 4 bytes as its IV (decrypt() gives it the cipher's length) and the rest as encrypted
        // data; an SKF's (RFC 7383) fragment number and total, and no more.
        m.encrypted = true;
        m.encryptedFirst = u8(p);
        m.skOff = p;
        if (type === 53 && len >= 8) {
          put('isakmp.frag.number', p + 4, 2, u16(p + 4));
          put('isakmp.frag.total', p + 6, 2, u16(p + 6));
        } else if (type === 46 && len >= 8) {
          put('isakmp.enc.iv', p + 4, 4, 0);
          put('isakmp.enc.data', p + 4, len - 4, 0, '');
        }
        return msg;
    }
    type = u8(p);
    p = e;
  }
  return msg;
}

/** Specific attribute fields by family and attribute type (Wireshark's names). */
const ATTR_FIELDS: Record<'ike' | 'ipsec' | 'ike2', Record<number, string>> = {
  ike: {
    1: 'encryption_algorithm',
    2: 'hash_algorithm',
    3: 'authentication_method',
    4: 'group_description',
    5: 'group_type',
    11: 'life_type',
    12: 'life_duration',
    14: 'key_length',
  },
  ipsec: {
    1: 'life_type',
    2: 'life_duration',
    3: 'group_description',
    4: 'encap_mode',
    5: 'auth_algorithm',
    6: 'key_length',
    10: 'ecn_tunnel',
    11: 'ext_seq_nbr',
  },
  ike2: { 14: 'key_length' },
};

/**
 * RFC 7296 2.23: NAT_DETECTION_SOURCE_IP is SHA-1(SPIi | SPIr | source IP |
 * source port) as the sender saw them, DESTINATION_IP the same for the
 * receiver; compared with the addresses and ports of the packet as captured.
 */
function checkNat(ctx: PacketCtx, l: Layer, m: IkeMessage): void {
  const notifies = m.notifies.filter((n) => (n.type === 16388 || n.type === 16389) && n.dataLen === 20);
  if (notifies.length === 0) return;
  const me = ctx.layers.indexOf(l);
  let udp: Layer | null = null;
  let net: Layer | null = null;
  for (let i = me - 1; i >= 0 && !net; i--) {
    const x = ctx.layers[i]!;
    if (x.proto === udpProtocol && !udp) udp = x;
    else if (x.proto.network && udp) net = x;
  }
  if (!udp || !net) return;
  const v4 = net.proto === ipv4;
  const alen = v4 ? 4 : 16;
  const srcAt = net.off + (v4 ? 12 : 8);
  const spis = l.buf.subarray(l.off, l.off + 16);
  const hash = (addrAt: number, portAt: number) =>
    crypto()
      .createHash('sha1')
      .update(spis)
      .update(net!.buf.subarray(addrAt, addrAt + alen))
      .update(udp!.buf.subarray(portAt, portAt + 2))
      .digest();
  for (const n of notifies) {
    const source = n.type === 16388;
    const ours = hash(source ? srcAt : srcAt + alen, udp.off + (source ? 0 : 2));
    const theirs = l.buf.subarray(n.dataOff, n.dataOff + 20);
    const ok = Buffer.compare(ours, theirs) === 0;
    // Several source notifies (one per local address) match if any does.
    if (source) m.natSourceOk = m.natSourceOk === true || ok;
    else m.natDestinationOk = m.natDestinationOk === true || ok;
  }
}

const SK_FAILURES: SkFailure[] = ['too-short', 'icv-bad', 'bad-padding', 'bad-length'];

/**
 * Opens the SK payload with the run's IKEv2 keys (--ikev2-keys) and reads
 * the payloads inside as if they followed the header, their field
 * occurrences after the SK payload's own (Wireshark's tree order).
 */
function decrypt(ctx: PacketCtx, l: Layer, m: IkeMessage): void {
  const keys = ctx.state.sas?.ikeKeys(m.ispi, m.rspi);
  if (!keys || !hasKeysOf(keys, isInitiator(m)) || m.payloads.at(-1) !== 46) return;
  const end = Math.min(l.end, l.off + m.length);
  const r = openSk(keys, l.buf.subarray(l.off, end), m.skOff - l.off, isInitiator(m));
  if (!r.ok) {
    ctx.warn(l, W.ikeNotDecrypted, SK_FAILURES.indexOf(r.reason));
    return;
  }
  const inner = new Uint8Array(28 + r.plain.length);
  inner.set(l.buf.subarray(l.off, l.off + 28));
  inner[16] = m.encryptedFirst;
  new DataView(inner.buffer).setUint32(24, inner.length);
  inner.set(r.plain, 28);
  const d = parseIke(inner, 0, inner.length);
  m.decrypted = d;
  // Given the keys, tshark's IV is as long as the cipher's.
  const iv = m.occ.findIndex((o) => o.name === 'isakmp.enc.iv');
  if (iv >= 0) m.occ[iv] = { ...m.occ[iv]!, len: Math.min(keys.enc.ivBytes, end - m.skOff - 4) };
  // The decrypted payloads, under the Encrypted payload.
  for (const o of d.occ) if (o.off >= 28) m.occ.push({ ...o, buf: inner, depth: o.depth + 1 });
}

/** The message of each isakmp layer, read when dissected (layers are reused slots). */
const messages = new WeakMap<Layer, IkeMessage>();

/** The IKE message of a dissected isakmp layer. */
export function ikeMessage(l: Layer): IkeMessage | null {
  return messages.get(l) ?? null;
}

/** The field reader: every occurrence of the named field, in tree order. */
function byName(name: string, type: FieldSpec['type']): FieldSpec['read'] {
  return (l, v) => {
    const m = messages.get(l);
    if (!m) return;
    for (const o of m.occ) {
      if (o.name !== name) continue;
      const buf = o.buf ?? l.buf;
      if (o.str !== undefined) v.str(o.str, buf, o.off, o.len, o.num);
      else if (type === 'bytes' || type === 'ipv6') v.bytes(buf, o.off, o.len);
      else if (type === 'ipv4') v.num(o.num, buf, o.off, 4);
      else v.num(o.num, buf, o.off, o.len);
    }
  };
}

/** IKEv1's Group Type attribute (RFC 2409 appendix A). */
const GROUP_TYPES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED - 0',
  1: 'MODP',
  2: 'ECP',
  3: 'EC2N',
};
/** IPsec's ECN Tunnel attribute (RFC 4301). */
const ECN_TUNNEL: Readonly<Record<number, string>> = {
  0: 'RESERVED',
  1: 'Allowed',
  2: 'Forbidden',
};
/** IKEv1's Extended Sequence Number attribute (RFC 4304). */
const EXTENDED_SEQUENCE: Readonly<Record<number, string>> = {
  0: 'RESERVED',
  1: '64-bit Sequence Number',
};

/** An IKEv1 transform ID's name by its proposal's protocol: `KEY_IKE`; '' under a protocol with no names. */
function transformIdV1(protoId: number, id: number): string {
  const names = TRANSFORM_IDS_V1[protoId];
  return names ? (names[0][id] ?? names[1]) : '';
}

const ATTRIBUTE_LABELS = { ike: 'IKE Attribute', ipsec: 'IPsec Attribute', ike2: 'Transform Attribute' };
const ATTRIBUTE_TYPES: Record<'ike' | 'ipsec' | 'ike2', Record<number, string>> = {
  ike: IKE_ATTR_TYPES,
  ipsec: IPSEC_ATTR_TYPES,
  ike2: { 14: 'Key Length' },
};
/** The attributes whose value Wireshark names in the attribute's title, by family and type. */
const ATTRIBUTE_VALUE_NAMES: Record<'ike' | 'ipsec' | 'ike2', Record<number, Record<number, string>>> = {
  ike: { 1: IKE_ENCR_V1, 2: IKE_HASH_V1, 3: IKE_AUTH_V1, 4: DH_GROUPS, 5: GROUP_TYPES, 11: LIFE_TYPES },
  ipsec: { 1: LIFE_TYPES, 3: DH_GROUPS, 4: ENCAP_MODES, 5: IPSEC_AUTH_V1, 10: ECN_TUNNEL, 11: EXTENDED_SEQUENCE },
  ike2: {},
};
/** Those whose number it writes: life durations, key lengths and rounds. */
const ATTRIBUTE_NUMBERS = { ike: [12, 14], ipsec: [2, 6, 7, 12], ike2: [14] };

/**
 * An attribute's title, as Wireshark's: `IKE Attribute (t=1,l=2): Encryption-Algorithm: 3DES-CBC` (the value named
 * for the attributes that name it, its number for durations and lengths).
 */
function attributeTitle(
  family: 'ike' | 'ipsec' | 'ike2',
  type: number,
  vlen: number,
  buf: Uint8Array,
  voff: number,
  value: number,
): string {
  const name = ATTRIBUTE_TYPES[family][type] ?? `Unknown Attribute Type (${String(type).padStart(2, '0')})`;
  let title = `${ATTRIBUTE_LABELS[family]} (t=${type},l=${vlen}): ${name}`;
  if (vlen < 2) return title;
  const word = (buf[voff]! << 8) | buf[voff + 1]!;
  const names = ATTRIBUTE_VALUE_NAMES[family][type];
  if (names) title += `: ${names[word] ?? `Unknown ${word}`}`;
  else if (ATTRIBUTE_NUMBERS[family].includes(type)) {
    // A duration is the value of its length (up to 8 bytes); a length, its first two bytes.
    const duration = (family === 'ike' && type === 12) || (family === 'ipsec' && type === 2);
    if (!duration) title += `: ${word}`;
    else if (vlen <= 6) title += `: ${value}`;
    else if (vlen <= 8) title += `: ${readBigUint(buf, voff, vlen)}`;
  }
  return title;
}
function readBigUint(buf: Uint8Array, off: number, len: number): bigint {
  let n = 0n;
  for (let i = 0; i < len; i++) n = (n << 8n) | BigInt(buf[off + i]!);
  return n;
}

type Spec = Omit<FieldSpec, 'read' | 'at'>;
function hf(...specs: Spec[]): Field[] {
  return declare(...specs.map((s) => ({ ...s, read: byName(s.name, s.type) })));
}
const u = (
  name: string,
  label: string,
  bits: number,
  values?: Record<number, string>,
  base?: FieldSpec['base'],
): Spec => ({ name, label, type: 'uint', bits, values, base });
const b = (name: string, label: string): Spec => ({ name, label, type: 'bytes' });
const flag = (name: string, label: string, mask: number, tfs: TrueFalse): Spec => ({
  name,
  label,
  type: 'bool',
  tfs,
  bits: 8,
  mask,
  child: true,
});
/** A protocol ID: IKEv1's names are its own (ISAKMP, IPSEC_ESP), given with the occurrence. */
const protocolId = (name: string): Spec => ({
  ...u(name, 'Protocol ID', 32, PROTOCOLS_V2),
  display: (n, _b, _o, v1) => `${v1 || (PROTOCOLS_V2[n] ?? 'Unknown')} (${n})`,
});
/** A bit of an IKEv1 SA's situation (RFC 2407 4.2), drawn under it. */
const situation = (name: string, label: string, mask: number): Spec => ({
  name,
  label,
  type: 'bool',
  bits: 32,
  mask,
  child: true,
});
const attrFamily = (family: 'ike' | 'ipsec' | 'ike2', specific: Spec[]): Spec[] => [
  // The attribute, its title its text (attributeTitle).
  { name: `isakmp.${family}.attr`, label: ATTRIBUTE_LABELS[family], type: 'none', display: (_n, _b, _o, t) => t },
  u(
    `isakmp.${family}.attr.type`,
    'Type',
    16,
    family === 'ike' ? IKE_ATTR_TYPES : family === 'ipsec' ? IPSEC_ATTR_TYPES : { 14: 'Key Length' },
  ),
  {
    name: `isakmp.${family}.attr.format`,
    label: 'Format',
    type: 'bool',
    tfs: ['Type/Value (TV)', 'Type/Length/Value (TLV)'],
    bits: 16,
    mask: 0x8000,
  },
  u(`isakmp.${family}.attr.length`, 'Length', 16),
  b(`isakmp.${family}.attr.value`, 'Value'),
  ...specific,
];

const EXCHANGE_NAMES = { ...EXCHANGES_V1, ...EXCHANGES_V2 };

const ISAKMP_FIELDS = declareFields(() => [
  protocolField('isakmp', 'Internet Security Association and Key Management Protocol'),
  ...hf(
    b('isakmp.ispi', 'Initiator SPI'),
    b('isakmp.rspi', 'Responder SPI'),
    u('isakmp.nextpayload', 'Next payload', 8, PAYLOADS),
    { ...u('isakmp.version', 'Version', 8, undefined, 'hex'), display: (n) => `${n >> 4}.${n & 0xf}` },
    { ...u('isakmp.mjver', 'MjVer', 8, undefined, 'hex'), mask: 0xf0, child: true },
    { ...u('isakmp.mnver', 'MnVer', 8, undefined, 'hex'), mask: 0x0f, child: true },
    u('isakmp.exchangetype', 'Exchange type', 8, EXCHANGE_NAMES),
    {
      ...u('isakmp.flags', 'Flags', 8, undefined, 'hex'),
      display: hexThenText(2),
    },
    flag('isakmp.flag_e', 'Encryption', 0x01, ['Encrypted', 'Not encrypted']),
    flag('isakmp.flag_c', 'Commit', 0x02, ['Commit', 'No commit']),
    flag('isakmp.flag_a', 'Authentication', 0x04, ['Authentication', 'No authentication']),
    flag('isakmp.flag_i', 'Initiator', 0x08, ['Initiator', 'Responder']),
    flag('isakmp.flag_v', 'Version', 0x10, ['A higher version enabled', 'No higher version']),
    flag('isakmp.flag_r', 'Response', 0x20, ['Response', 'Request']),
    u('isakmp.messageid', 'Message ID', 32, undefined, 'hex'),
    u('isakmp.length', 'Length', 32),
    {
      ...u('isakmp.typepayload', 'Payload', 8, PAYLOADS),
      // What Wireshark adds to a payload's title: a proposal's number (`Proposal (2) # 1`), a vendor ID's name.
      display: (n, _b, _o, added) => `${PAYLOADS[n] === undefined ? n : `${PAYLOADS[n]} (${n})`}${added}`,
    },
    {
      name: 'isakmp.criticalpayload',
      label: 'Critical Bit',
      type: 'bool',
      tfs: ['Critical', 'Not critical'],
      bits: 8,
      mask: 0x80,
    },
    { ...u('isakmp.reserved7', 'Reserved', 8, undefined, 'hex'), mask: 0x7f },
    b('isakmp.reserved', 'Reserved'),
    u('isakmp.payloadlength', 'Payload length', 16),
    u('isakmp.sa.doi', 'Domain of interpretation', 32, { 0: 'ISAKMP', 1: 'IPSEC', 2: 'GDOI' }),
    b('isakmp.sa.situation', 'Situation'),
    situation('isakmp.sa.situation.identity_only', 'Identity Only', 1),
    situation('isakmp.sa.situation.secrecy', 'Secrecy', 2),
    situation('isakmp.sa.situation.integrity', 'Integrity', 4),
    u('isakmp.prop.number', 'Proposal number', 8),
    protocolId('isakmp.prop.protoid'),
    u('isakmp.spisize', 'SPI Size', 8),
    b('isakmp.spi', 'SPI'),
    u('isakmp.prop.transforms', 'Proposal transforms', 8),
    u('isakmp.trans.number', 'Transform number', 8),
    // By the proposal's protocol (`KEY_IKE (1)`), given with the occurrence.
    { ...u('isakmp.trans.id', 'Transform ID', 8), display: (n, _b, _o, name) => (name ? `${name} (${n})` : `${n}`) },
    u('isakmp.tf.type', 'Transform Type', 8, TRANSFORM_TYPES),
    u('isakmp.tf.id.encr', 'Transform ID (ENCR)', 16, ENCR_V2),
    u('isakmp.tf.id.prf', 'Transform ID (PRF)', 16, PRF_V2),
    u('isakmp.tf.id.integ', 'Transform ID (INTEG)', 16, INTEG_V2),
    u('isakmp.tf.id.dh', 'Transform ID (D-H)', 16, DH_GROUPS),
    u('isakmp.tf.id.esn', 'Transform ID (ESN)', 16, ESN_V2),
    u('isakmp.tf.id', 'Transform ID', 16),
    ...attrFamily('ike', [
      u('isakmp.ike.attr.encryption_algorithm', 'Encryption Algorithm', 16, IKE_ENCR_V1),
      u('isakmp.ike.attr.hash_algorithm', 'HASH Algorithm', 16, IKE_HASH_V1),
      u('isakmp.ike.attr.authentication_method', 'Authentication Method', 16, IKE_AUTH_V1),
      u('isakmp.ike.attr.group_description', 'Group Description', 16, DH_GROUPS),
      u('isakmp.ike.attr.group_type', 'Group Type', 16, GROUP_TYPES),
      u('isakmp.ike.attr.life_type', 'Life Type', 16, LIFE_TYPES),
      u('isakmp.ike.attr.life_duration', 'Life Duration', 32),
      u('isakmp.ike.attr.key_length', 'Key Length', 16),
    ]),
    ...attrFamily('ipsec', [
      u('isakmp.ipsec.attr.life_type', 'Life Type', 16, LIFE_TYPES),
      u('isakmp.ipsec.attr.life_duration', 'Life Duration', 32),
      u('isakmp.ipsec.attr.group_description', 'Group Description', 16, DH_GROUPS),
      u('isakmp.ipsec.attr.encap_mode', 'Encapsulation Mode', 16, ENCAP_MODES),
      u('isakmp.ipsec.attr.auth_algorithm', 'Authentication Algorithm', 16, IPSEC_AUTH_V1),
      u('isakmp.ipsec.attr.key_length', 'Key Length', 16),
      u('isakmp.ipsec.attr.ecn_tunnel', 'ECN Tunnel', 16, ECN_TUNNEL),
      u('isakmp.ipsec.attr.ext_seq_nbr', 'Extended (64-bit) Sequence Number', 16, EXTENDED_SEQUENCE),
    ]),
    ...attrFamily('ike2', [u('isakmp.ike2.attr.key_length', 'Key Length', 16)]),
    u('isakmp.key_exchange.dh_group', 'DH Group #', 16, DH_GROUPS),
    b('isakmp.key_exchange.data', 'Key Exchange Data'),
    u('isakmp.id.type', 'ID type', 8, ID_TYPES),
    {
      ...u('isakmp.id.protoid', 'Protocol ID', 8, IP_PROTOCOL_NAMES),
      display: (n, _b, _o, unused) => unused || `${IP_PROTOCOL_NAMES[n] ?? 'Unknown'} (${n})`,
    },
    { ...u('isakmp.id.port', 'Port', 16), display: (n, _b, _o, unused) => unused || String(n) },
    {
      name: 'isakmp.id.data',
      label: 'Identification Data:',
      type: 'none',
      display: (_n, _b, _o, t) => `Identification Data:${t}`,
    },
    { name: 'isakmp.id.data.ipv4_addr', label: 'ID_IPV4_ADDR', type: 'ipv4' },
    { name: 'isakmp.id.data.ipv6_addr', label: 'ID_IPV6_ADDR', type: 'ipv6' },
    { name: 'isakmp.id.data.fqdn', label: 'ID_FQDN', type: 'string' },
    { name: 'isakmp.id.data.user_fqdn', label: 'ID_FQDN', type: 'string' },
    b('isakmp.id.data.key_id', 'ID_KEY_ID'),
    { name: 'isakmp.id.data.ipv4_subnet', label: 'ID_IPV4_SUBNET', type: 'ipv4' },
    { name: 'isakmp.id.data.ipv4_range_start', label: 'ID_IPV4_RANGE (Start)', type: 'ipv4' },
    { name: 'isakmp.id.data.ipv4_range_end', label: 'ID_IPV4_RANGE (End)', type: 'ipv4' },
    b('isakmp.hash', 'Hash DATA'),
    b('isakmp.enc.iv', 'Initialization Vector'),
    u('isakmp.frag.number', 'Fragment Number', 16),
    u('isakmp.frag.total', 'Total Fragments', 16),
    // IKEv1's encrypted body gives its size (`Encrypted Data (72 bytes)`), IKEv2's none.
    {
      name: 'isakmp.enc.data',
      label: 'Encrypted Data',
      type: 'none',
      display: (_n, _b, _o, t) => `Encrypted Data${t}`,
    },
    b('isakmp.sig', 'Signature DATA'),
    b('isakmp.nonce', 'Nonce DATA'),
    u('isakmp.notify.doi', 'Domain of interpretation', 32, { 0: 'ISAKMP', 1: 'IPSEC', 2: 'GDOI' }),
    protocolId('isakmp.notify.protoid'),
    {
      ...u('isakmp.notify.msgtype', 'Notify Message Type', 16, NOTIFY_V2),
      // IKEv1's names are its own (NO-PROPOSAL-CHOSEN), given with the occurrence.
      display: (n, _b, _o, v1) => (v1 || NOTIFY_V2[n] ? `${v1 || NOTIFY_V2[n]} (${n})` : String(n)),
    },
    b('isakmp.notify.data', 'Notification DATA'),
    u('isakmp.notify.data.dpd.are_you_there', 'DPD ARE-YOU-THERE sequence', 32),
    u('isakmp.notify.data.dpd.are_you_there_ack', 'DPD ARE-YOU-THERE-ACK sequence', 32),
    u('isakmp.notify.data.accepted_dh_group', 'Accepted DH group number', 16, DH_GROUPS),
    u('isakmp.notify.data.signature_hash_algorithms', 'Supported Signature Hash Algorithm', 16, SIGNATURE_HASHES),
    u('isakmp.delete.doi', 'Domain of interpretation', 32, { 0: 'ISAKMP', 1: 'IPSEC', 2: 'GDOI' }),
    protocolId('isakmp.delete.protoid'),
    u('isakmp.spinum', 'Number of SPIs', 16),
    b('isakmp.delete.spi', 'Delete SPI'),
    b('isakmp.vid_bytes', 'Vendor ID'),
    { name: 'isakmp.vid_string', label: 'Vendor ID', type: 'string' },
    u('isakmp.vid.cisco_unity.major', 'CISCO-UNITY Major version', 8),
    u('isakmp.vid.cisco_unity.minor', 'CISCO-UNITY Minor version', 8),
    b('isakmp.ike.nat_hash', 'HASH of the address and port'),
    u('isakmp.auth.method', 'Authentication Method', 8, AUTH_V2),
    b('isakmp.auth.data', 'Authentication Data'),
    u('isakmp.ts.number', 'Number of Traffic Selectors', 8),
    u('isakmp.ts.type', 'Traffic Selector Type', 8, TS_TYPES),
    u('isakmp.ts.protoid', 'Protocol ID', 8, IP_PROTOCOL_NAMES),
    u('isakmp.ts.selector_length', 'Selector Length', 16),
    u('isakmp.ts.start_port', 'Start Port', 16),
    u('isakmp.ts.end_port', 'End Port', 16),
    { name: 'isakmp.ts.start_ipv4', label: 'Starting Addr', type: 'ipv4' },
    { name: 'isakmp.ts.end_ipv4', label: 'Ending Addr', type: 'ipv4' },
    { name: 'isakmp.ts.start_ipv6', label: 'Starting Addr', type: 'ipv6' },
    { name: 'isakmp.ts.end_ipv6', label: 'Ending Addr', type: 'ipv6' },
  ),
]);

// --- names for text lines and the audit -------------------------------------------------

export const isV2 = (m: IkeMessage): boolean => m.major === 2;
export const isInitiator = (m: IkeMessage): boolean => (m.flags & F_INITIATOR) !== 0;
export const isResponse = (m: IkeMessage): boolean => (m.flags & F_RESPONSE) !== 0;

export function exchangeName(m: IkeMessage): string {
  return (isV2(m) ? EXCHANGES_V2[m.exchange] : EXCHANGES_SHORT_V1[m.exchange]) ?? `exchange-${m.exchange}`;
}

/** A transform in a word: `AES_CBC-256`, `HMAC_SHA2_256_128`, `modp2048`. */
function transformText(m: IkeMessage, p: IkeProposal, t: IkeTransform): string {
  const keyLen = t.attrs.find((a) => a.type === 14)?.value;
  const bits = keyLen !== undefined && keyLen > 0 ? `-${keyLen}` : '';
  if (isV2(m)) {
    switch (t.type) {
      case 1:
        return `${ENCR_SHORT[t.id] ?? `encr-${t.id}`}${bits}`;
      case 2:
        return (PRF_V2[t.id] ?? `prf-${t.id}`).replace(/^PRF_/, 'PRF_');
      case 3:
        return (INTEG_V2[t.id] ?? `integ-${t.id}`).replace(/^AUTH_/, '');
      case 4:
        return DH_SHORT[t.id] ?? `dh-${t.id}`;
      case 5:
        return t.id === 1 ? 'ESN' : 'noESN';
      default:
        return `type${t.type}-${t.id}`;
    }
  }
  if (p.protoId === 1) {
    const parts: string[] = [];
    for (const a of t.attrs) {
      if (a.type === 1) parts.push(`${IKE_ENCR_V1[a.value] ?? `encr-${a.value}`}${bits}`);
      else if (a.type === 2) parts.push(IKE_HASH_V1[a.value] ?? `hash-${a.value}`);
      else if (a.type === 3) parts.push(IKE_AUTH_V1[a.value] ?? `auth-${a.value}`);
      else if (a.type === 4) parts.push(DH_SHORT[a.value] ?? `group-${a.value}`);
    }
    const life = lifetime(t, 11, 12);
    return parts.concat(life ? [life] : []).join('/');
  }
  const name = (p.protoId === 2 ? AH_TRANSFORMS_V1 : ESP_TRANSFORMS_V1)[t.id] ?? `id-${t.id}`;
  const parts = [`${name}${bits}`];
  for (const a of t.attrs) {
    if (a.type === 5) parts.push(IPSEC_AUTH_V1[a.value] ?? `auth-${a.value}`);
    else if (a.type === 3) parts.push(DH_SHORT[a.value] ?? `group-${a.value}`);
    else if (a.type === 4) parts.push(ENCAP_MODES[a.value] ?? `mode-${a.value}`);
  }
  const life = lifetime(t, 1, 2);
  return parts.concat(life ? [life] : []).join('/');
}

/** IKEv1 lifetimes: the duration after each life type, in seconds or kilobytes (`28800s`). */
function lifetime(t: IkeTransform, typeAttr: number, durationAttr: number): string {
  const out: string[] = [];
  let unit = 's';
  for (const a of t.attrs) {
    if (a.type === typeAttr) unit = a.value === 2 ? 'KB' : 's';
    else if (a.type === durationAttr && a.value >= 0) out.push(`${a.value}${unit}`);
  }
  return out.join('+');
}

const AUTH_SHORT: Record<number, string> = {
  1: 'RSA',
  2: 'PSK',
  3: 'DSS',
  9: 'ECDSA-256',
  10: 'ECDSA-384',
  11: 'ECDSA-521',
  12: 'GSPM',
  13: 'NULL',
  14: 'DigSig',
};

/** A proposal in a few words: `#1 IKE AES_CBC-256/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/modp2048`. */
export function proposalText(m: IkeMessage, p: IkeProposal): string {
  const proto = isV2(m)
    ? PROTOCOLS_V2[p.protoId]
    : ({ 1: 'ISAKMP', 2: 'AH', 3: 'ESP', 4: 'IPCOMP' } as Record<number, string>)[p.protoId];
  const spi = p.spi && p.spi.length <= 8 ? ` spi ${p.spi}` : '';
  // IKEv1 offers alternatives as transforms of one proposal; IKEv2 lists one of each kind.
  const sep = isV2(m) ? '/' : ' | ';
  return (
    `#${p.num} ${proto ?? `proto-${p.protoId}`}${spi} ` + `${p.transforms.map((t) => transformText(m, p, t)).join(sep)}`
  );
}

const MAX_SUMMARY_PROPOSALS = 4;
const MAX_SUMMARY_NOTIFIES = 6;

/** "IKEv2 IKE_SA_INIT"; the version alone for a message not read. */
function isakmpLabel(l: Layer): string {
  const m = messages.get(l);
  return m ? `IKEv${m.major} ${exchangeName(m)}` : `IKEv${l.buf[l.off + 17]! >> 4}`;
}

const isakmpFieldsByName = fieldsByName(ISAKMP_FIELDS);
const treeValues = new Values();

export const isakmp = protocol({
  name: 'isakmp',
  abbrev: 'isakmp',
  title: 'Internet Security Association and Key Management Protocol',
  hf: ISAKMP_FIELDS,
  tree(l, _ctx, visit) {
    const m = messages.get(l);
    if (!m) return;
    const named = isakmpFieldsByName();
    for (const o of m.occ) {
      const f = named.get(o.name);
      if (!f) continue;
      treeValues.n = 0;
      const buf = o.buf ?? l.buf;
      if (o.str !== undefined) treeValues.str(o.str, buf, o.off, o.len, o.num);
      else treeValues.num(o.num, buf, o.off, o.len);
      visit(f, treeValues, o.depth);
    }
  },
  dissect(ctx, l) {
    if (!ctx.need(l, 28)) return;
    l.hdrEnd = l.off + 28;
    const m = parseIke(l.buf, l.off, l.end);
    messages.set(l, m);
    if (m.length < 28 || l.off + m.length > l.end) {
      if (!l.short && !l.quoted) ctx.warn(l, W.badLength, m.length, l.end - l.off);
    } else if (m.problem) ctx.warn(l, W.ikeMalformed);
    if (m.skOff >= 0 && isV2(m) && !l.short) decrypt(ctx, l, m);
    if (isV2(m) && m.exchange === 34) checkNat(ctx, l, m);
    // The header is what the layer's own fields cover; the payloads are read above.
    l.hdrEnd = Math.min(l.end, l.off + Math.max(28, m.length));
  },
  json: jsonRest((l) => {
    const flags = l.buf[l.off + 19]!;
    const o: Record<string, unknown> = {
      initiatorSpi: hexBytes(l.buf, l.off, 8),
      responderSpi: hexBytes(l.buf, l.off + 8, 8),
      nextPayload: l.buf[l.off + 16],
      version: `${l.buf[l.off + 17]! >> 4}.${l.buf[l.off + 17]! & 0xf}`,
      exchangeType: l.buf[l.off + 18],
      flags,
      messageId: l.dv.getUint32(l.off + 20),
      length: l.dv.getUint32(l.off + 24),
    };
    const m = messages.get(l);
    if (!m) return o;
    o.exchange = exchangeName(m);
    if (isV2(m)) o.role = isInitiator(m) ? 'initiator' : 'responder';
    o.response = isV2(m) ? isResponse(m) : undefined;
    if (o.response === undefined) delete o.response;
    const b = m.decrypted ?? m;
    o.payloads = b.payloads.map((t) => PAYLOADS[t]?.trim() ?? t);
    if (b.proposals.length) {
      o.proposals = b.proposals.map((p) => ({
        number: p.num,
        protocol: p.protoId,
        spi: p.spi || undefined,
        text: proposalText(b, p),
      }));
    }
    if (b.keGroups.length) o.keGroups = b.keGroups;
    if (b.notifies.length)
      o.notifies = b.notifies.map((n) => ({
        type: n.type,
        name: notifyName(m.major, n.type),
        spi: n.spi || undefined,
      }));
    if (b.deletes.length) o.deletes = b.deletes.map((d) => ({ protocol: d.protoId, spis: d.spis }));
    if (b.vendorIds.length) o.vendorIds = b.vendorIds.map((v) => v.name ?? v.hex);
    if (b.ids.length) o.ids = b.ids.map((i) => i.text);
    if (b.tsi.length || b.tsr.length)
      o.trafficSelectors = { initiator: b.tsi.map(tsText), responder: b.tsr.map(tsText) };
    if (m.encrypted) o.encrypted = true;
    if (m.decrypted) o.decrypted = true;
    if (m.natSourceOk !== null || m.natDestinationOk !== null)
      o.natDetection = { sourceMatches: m.natSourceOk, destinationMatches: m.natDestinationOk };
    return o;
  }),
  label: isakmpLabel,
  summary(l, out) {
    out.str(isakmpLabel(l));
    const m = messages.get(l);
    if (!m) return;
    if (isV2(m)) {
      // The usual pair (initiator asks, responder answers) needs no more words.
      out.str(isInitiator(m) ? ' initiator' : ' responder');
      if (isInitiator(m) === isResponse(m)) out.str(isResponse(m) ? ' response' : ' request');
    }
    out.str(' msgid ').num(m.messageId);
    if ((!isV2(m) && m.exchange !== 2 && m.exchange !== 4) || m.rspi !== '0000000000000000')
      out.str(' spi ').str(m.ispi).byte(0x2f).str(m.rspi);
    else out.str(' spi ').str(m.ispi);
    // What the SK payload held, once opened, reads as the message's own payloads.
    const b = m.decrypted ?? m;
    for (const p of b.proposals.slice(0, MAX_SUMMARY_PROPOSALS)) out.str(' [').str(proposalText(b, p)).byte(0x5d);
    if (b.proposals.length > MAX_SUMMARY_PROPOSALS)
      out
        .str(' +')
        .num(b.proposals.length - MAX_SUMMARY_PROPOSALS)
        .str(' proposals');
    for (const g of b.keGroups) out.str(' KE ').str(DH_SHORT[g] ?? `group-${g}`);
    for (const n of b.notifies.slice(0, MAX_SUMMARY_NOTIFIES))
      out.str(' N(').str(notifyName(m.major, n.type)).byte(0x29);
    for (const d of b.deletes)
      out
        .str(' DELETE(')
        .str(d.protoId === 1 ? 'IKE' : d.spis.join(',') || 'IKE')
        .byte(0x29);
    // A hash that differs: a NAT rewrote that side, or the sender forces UDP encapsulation (strongSwan's encap=yes).
    if (m.natSourceOk === false) out.str(' NAT-D(source differs)');
    if (m.natDestinationOk === false) out.str(' NAT-D(destination differs)');
    for (const a of b.authMethods)
      out
        .str(' AUTH(')
        .str(AUTH_SHORT[a] ?? `method-${a}`)
        .byte(0x29);
    // An empty INFORMATIONAL request is IKEv2's liveness check (dead peer detection).
    if (m.decrypted && m.exchange === 37 && b.payloads.length === 0 && !isResponse(m)) out.str(' (liveness check)');
    for (const i of b.ids) out.str(i.payload === 36 ? ' IDr ' : i.payload === 35 ? ' IDi ' : ' ID ').str(i.text);
    if (b.vendorIds.length)
      out
        .str(' VID(')
        .str(b.vendorIds.map((v) => v.name ?? 'unknown').join(', '))
        .byte(0x29);
    if (b.tsi.length) out.str(' TSi ').str(b.tsi.map(tsText).join(','));
    if (b.tsr.length) out.str(' TSr ').str(b.tsr.map(tsText).join(','));
    if (m.decrypted) out.str(' [decrypted]');
    else if (m.encrypted) out.str(' [encrypted]');
  },
});

function tsText(s: IkeSelector): string {
  const range = s.start === s.end ? s.start : `${s.start}-${s.end}`;
  const proto = s.protocol ? `:${s.protocol}` : '';
  const ports =
    s.ports[0] === 0 && s.ports[1] === 65535
      ? ''
      : `:${s.ports[0]}${s.ports[0] === s.ports[1] ? '' : `-${s.ports[1]}`}`;
  return `${range}${proto}${ports}`;
}

/**
 * UDP 4500 (RFC 3948): a single 0xFF byte is a NAT keepalive, four zero
 * bytes (the non-ESP marker) precede IKE, anything else is ESP.
 * aux: 0 ESP, 1 IKE, 2 keepalive.
 */
const NATT_KINDS = ['esp', 'ike', 'keepalive'];
const NATT_ESP = 0;
const NATT_IKE = 1;
const NATT_KEEPALIVE = 2;
/** Only a keepalive is a message of its own: ESP and IKE inside are named by their layers. */
const nattLabel = (l: Layer): string => (l.aux === NATT_KEEPALIVE ? 'NAT-keepalive' : '');

/** Wireshark's udpencap: its two marks are present or not (FT_NONE), over the bytes that make them. */
const UDPENCAP_FIELDS = declareFields(() => [
  protocolField('udpencap', 'UDP Encapsulation of IPsec Packets'),
  ...declare(
    {
      name: 'udpencap.nat_keepalive',
      label: 'NAT-keepalive packet',
      type: 'none',
      read: (l, v) => {
        if (l.aux === NATT_KEEPALIVE) v.num(1, l.buf, l.off, 1);
      },
    },
    {
      name: 'udpencap.non_esp_marker',
      label: 'Non-ESP Marker',
      type: 'none',
      read: (l, v) => {
        if (l.aux === NATT_IKE) v.num(1, l.buf, l.off, 4);
      },
    },
  ),
]);

export const natt = protocol({
  name: 'natt',
  abbrev: 'udpencap',
  title: 'UDP Encapsulation of IPsec Packets',
  hf: UDPENCAP_FIELDS,
  dissect(ctx, l) {
    l.hdrEnd = l.off;
    const n = l.end - l.off;
    if (n === 1 && l.buf[l.off] === 0xff) {
      l.aux = NATT_KEEPALIVE;
      l.hdrEnd = l.end;
      return;
    }
    if (n >= 4 && l.dv.getUint32(l.off) === 0) {
      l.aux = NATT_IKE;
      l.hdrEnd = l.off + 4;
      ctx.handoff(l, Table.UdpPort, 500, l.hdrEnd, l.end);
      return;
    }
    l.aux = NATT_ESP;
    ctx.handoff(l, Table.IpProto, 50, l.off, l.end);
  },
  json: jsonMembers(NO_FIELDS, [{ name: 'kind', value: (l) => NATT_KINDS[l.aux] }]),
  label: nattLabel,
  summary: (l, out) => out.str(nattLabel(l)),
});

/** The ISAKMP/IKE header's major version (1 or 2). */
export const ikeMajorVersion = (l: Layer): number => l.buf[l.off + 17]! >> 4;
/** The header's exchange type. */
export const ikeExchangeType = (l: Layer): number => l.buf[l.off + 18]!;
