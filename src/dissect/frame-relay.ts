import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/** Cisco HDLC's protocol types, as Wireshark names them: EtherTypes, with names of their own. */
const CISCO_HDLC_TYPES: Record<number, string> = {
  0x0800: 'IP',
  0x86dd: 'IPv6',
  0x2000: 'Cisco Discovery Protocol',
  0x8035: 'SLARP',
  0x8038: 'DEC LanBridge',
  0x4242: 'Spanning Tree BPDU',
  0x809b: 'Appletalk',
  0x80f3: 'AARP',
  0x8137: 'Netware IPX/SPX',
  0x6558: 'Transparent Ethernet bridging',
  0xfefe: 'OSI',
  0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
};

/**
 * Frame Relay (link type 107): a Q.922 address of 2 to 4 bytes (the low bit
 * of its last byte is set), then either
 * RFC 2427 multiprotocol encapsulation (control 0x03 and an NLPID) or
 * Cisco's encapsulation (an EtherType).
 */
const NLPID_IPV4 = 0xcc;
const NLPID_IPV6 = 0x8e;
const NLPID_SNAP = 0x80;
const CONTROL_UI = 0x03;

/** The address's length in bytes: up to the byte whose EA bit is set, 4 at most. */
function addressLength(l: Layer): number {
  let p = l.off;
  while (p < l.end && p < l.off + 4 && !(l.buf[p]! & 1)) p++;
  return p + 1 - l.off;
}

/** After the address: the control byte (RFC 2427) or Cisco's EtherType. */
const afterAddress = (l: Layer): number => l.off + addressLength(l);
const isMultiprotocol = (l: Layer): boolean => l.buf[afterAddress(l)] === CONTROL_UI;
/** Where the NLPID is: after the control byte and an optional pad byte. */
const nlpidAt = (l: Layer): number => afterAddress(l) + (l.buf[afterAddress(l) + 1] === 0x00 ? 2 : 1);

/**
 * The DLCI's bits as Wireshark joins them: 6 and 4, then 7 of a fourth byte's third, then 6 of a last byte without DC.
 */
export function frameRelayDlci(l: Layer): number {
  const b = l.buf;
  const o = l.off;
  const n = addressLength(l);
  let d = ((b[o]! >> 2) << 4) | (b[o + 1]! >> 4);
  if (n === 4) d = (d << 7) | (b[o + 2]! >> 1);
  if (n >= 3 && !(b[o + n - 1]! & 0x02)) d = (d << 6) | (b[o + n - 1]! >> 2);
  return d;
}

/**
 * The last byte of a 3- or 4-byte address: DL-CORE control when its DC bit is set (dc true), else the DLCI's low bits.
 */
const lastByte =
  (dc: boolean | null): FieldReader =>
  (l, v) => {
    const n = addressLength(l);
    const p = l.off + n - 1;
    if (n < 3 || p >= l.end) return;
    const set = (l.buf[p]! & 0x02) !== 0;
    if (dc === null) v.num(set ? 1 : 0, l.buf, p, 1);
    else if (set === dc) v.num(l.buf[p]! >> 2, l.buf, p, 1);
  };

/** A byte or word at the offset `at` gives, when `when` holds. */
const after =
  (at: (l: Layer) => number, size: 1 | 2, when: (l: Layer) => boolean): FieldReader =>
  (l, v) => {
    const p = at(l);
    if (p + size <= l.end && when(l)) v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

/** Wireshark's Frame Relay NLPID names (fr_nlpid_vals). */
const NLPID_NAMES: Readonly<Record<number, string>> = {
  0x0: 'NULL',
  0x1: 'T.70',
  0x3: 'X.633',
  0x8: 'Q.933',
  0x9: 'LMI',
  0xc: 'Q.2119',
  0x80: 'SNAP',
  0x81: 'CLNP',
  0x82: 'ESIS',
  0x83: 'ISIS',
  0x85: 'IDRP',
  0x8a: 'ESIS (X.25)',
  0x8c: 'ISO 10030',
  0x8d: 'ISO 11577',
  0xb0: 'Data compression protocol',
  0xcc: 'IP',
  0x8e: 'IPv6',
  0xcf: 'PPP',
};

/** Wireshark's fr fields of the address and the encapsulation. */
const FR_FIELDS = declareFields(() => [
  protocolField('fr', 'Frame Relay'),
  ...fields(
    { name: 'fr.upper_dlci', label: 'Upper DLCI', type: 'uint', base: 'hex', mask: 0xfc, at: 0 },
    { name: 'fr.cr', label: 'CR', type: 'bool', tfs: ['Command', 'Response'], mask: 0x02, at: 0 },
    {
      name: 'fr.ea',
      label: 'EA',
      type: 'bool',
      tfs: ['Last Octet', 'More Follows'],
      mask: 0x01,
      read: (l, v) => {
        const end = Math.min(l.end, afterAddress(l));
        for (let p = l.off; p < end; p++) v.num(l.buf[p]! & 1, l.buf, p, 1);
      },
    },
    { name: 'fr.second_dlci', label: 'Second DLCI', type: 'uint', base: 'hex', mask: 0xf0, at: 1 },
    { name: 'fr.fecn', label: 'FECN', type: 'bool', mask: 0x08, at: 1 },
    { name: 'fr.becn', label: 'BECN', type: 'bool', mask: 0x04, at: 1 },
    { name: 'fr.de', label: 'DE', type: 'bool', mask: 0x02, at: 1 },
    {
      name: 'fr.third_dlci',
      label: 'Third DLCI',
      type: 'uint',
      base: 'hex',
      mask: 0xfe,
      read: (l, v) => {
        if (addressLength(l) === 4 && l.off + 3 <= l.end) v.num(l.buf[l.off + 2]! >> 1, l.buf, l.off + 2, 1);
      },
    },
    {
      name: 'fr.dlcore_control',
      label: 'DL-CORE Control',
      type: 'uint',
      base: 'hex',
      mask: 0xfc,
      read: lastByte(true),
    },
    { name: 'fr.lower_dlci', label: 'Lower DLCI', type: 'uint', base: 'hex', mask: 0xfc, read: lastByte(false) },
    {
      name: 'fr.dc',
      label: 'DC',
      type: 'bool',
      tfs: ['DLCI Address', 'Control'],
      bits: 16,
      mask: 0x0002,
      read: lastByte(null),
    },
    {
      name: 'fr.dlci',
      label: 'DLCI',
      type: 'uint',
      bits: 32,
      read: (l, v) => {
        if (afterAddress(l) <= l.end) v.num(frameRelayDlci(l), l.buf, l.off, addressLength(l));
      },
    },
    {
      name: 'fr.control',
      label: 'Control Field',
      type: 'uint',
      base: 'hex',
      read: after(afterAddress, 1, isMultiprotocol),
    },
    {
      name: 'fr.nlpid',
      label: 'NLPID',
      type: 'uint',
      values: NLPID_NAMES,
      base: 'hex',
      // A pad byte before the NLPID is read as one too, as Wireshark does.
      read: (l, v) => {
        if (!isMultiprotocol(l)) return;
        const end = Math.min(l.end, nlpidAt(l) + 1);
        for (let p = afterAddress(l) + 1; p < end; p++) v.num(l.buf[p]!, l.buf, p, 1);
      },
    },
    {
      name: 'fr.snaptype',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      read: after(
        (l) => nlpidAt(l) + 4,
        2,
        (l) => isMultiprotocol(l) && l.buf[nlpidAt(l)] === NLPID_SNAP,
      ),
    },
    {
      name: 'fr.chdlctype',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: CISCO_HDLC_TYPES,
      read: after(afterAddress, 2, (l) => !isMultiprotocol(l)),
    },
  ),
]);

export const frameRelay = protocol({
  name: 'fr',
  abbrev: 'fr',
  title: 'Frame Relay',
  hf: FR_FIELDS,
  dissect(ctx, l) {
    const p = afterAddress(l);
    if (!ctx.need(l, p - l.off + 2)) return;
    if (!isMultiprotocol(l)) {
      l.hdrEnd = p + 2;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(p), l.hdrEnd, l.end);
      return;
    }
    const q = nlpidAt(l);
    const nlpid = l.buf[q];
    l.hdrEnd = Math.min(q + 1, l.end);
    if (nlpid === NLPID_IPV4) ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
    else if (nlpid === NLPID_IPV6) ctx.handoff(l, Table.EtherType, 0x86dd, l.hdrEnd, l.end);
    else if (nlpid === NLPID_SNAP && q + 6 <= l.end) {
      l.hdrEnd = q + 6;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(q + 4), l.hdrEnd, l.end);
    }
  },
  json: jsonMembers(FR_FIELDS, [{ name: 'dlci', field: 'fr.dlci' }]),
  summary: () => {},
});
