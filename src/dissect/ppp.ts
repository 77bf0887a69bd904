import { hex } from './addr.js';
import {
  declareFields,
  field,
  fields,
  fieldsByName,
  protocolField,
  Values,
  type Base,
  type Field,
  type FieldReader,
} from './field.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { jsonMembers } from './json.js';
import { keyInfo } from './registry.js';
import {
  BODY_FIELDS,
  CCP,
  CHAP,
  controlStart,
  controlTree,
  IPCP,
  IPV6CP,
  LCP,
  OPTIONS,
  PAP,
  PROTOCOL_VALS,
} from './ppp-control.js';

/**
 * PPP frames as GRE v1 (PPTP) and PPPoE carry them: optional HDLC address
 * and control (FF 03), a one- or two-byte protocol (RFC 1661 field
 * compression). The LCP family of control protocols (LCP, IPCP, CCP,
 * IPv6CP, PAP, CHAP) share a code/identifier/length header, read here.
 * aux = the PPP protocol number.
 */
const PPP_COMPRESSED = 0x00fd;

const CONTROL_NAMES: Record<number, string> = {
  0xc021: 'LCP',
  0x8021: 'IPCP',
  0x80fd: 'CCP',
  0x8057: 'IPv6CP',
  0xc023: 'PAP',
  0xc223: 'CHAP',
  0x80fb: 'CCP-link',
  0x8281: 'MPLSCP',
};
const DATA_NAMES: Record<number, string> = {
  0x0021: 'IP',
  0x0023: 'OSI',
  0x0029: 'AppleTalk',
  0x002b: 'IPX',
  0x002d: 'VJ compressed TCP/IP',
  0x002f: 'VJ uncompressed TCP/IP',
  0x0031: 'bridged',
  0x0057: 'IPv6',
  0x00fd: 'compressed',
  0x00fb: 'compressed-link',
  0x0281: 'MPLS',
  0x0283: 'MPLS multicast',
};
/**
 * Data protocols whose frames are a network protocol's packet as it was sent: readable on the path. Van Jacobson's
 * TCP/IP (RFC 1144) compresses the headers alone, so its payload is as readable as IPv4's; bridged frames (RFC 3518)
 * are whole Ethernet frames.
 */
const READABLE_PROTOCOLS = new Set([0x0021, 0x0023, 0x0029, 0x002b, 0x002d, 0x002f, 0x0031, 0x0057, 0x0281, 0x0283]);
const CODE_NAMES: Record<number, string> = {
  1: 'Configure-Request',
  2: 'Configure-Ack',
  3: 'Configure-Nak',
  4: 'Configure-Reject',
  5: 'Terminate-Request',
  6: 'Terminate-Ack',
  7: 'Code-Reject',
  8: 'Protocol-Reject',
  9: 'Echo-Request',
  10: 'Echo-Reply',
  11: 'Discard-Request',
  14: 'Reset-Request',
  15: 'Reset-Ack',
};

/** Whether the frame starts with HDLC address and control (FF 03). */
const hasAddressControl = (l: Layer): boolean =>
  l.off + 2 <= l.end && l.buf[l.off] === 0xff && l.buf[l.off + 1] === 0x03;

/**
 * The code, identifier and length of the control protocols whose fields
 * are Wireshark's ppp.* (LCP, IPCP, CCP, IPv6CP...); PAP and CHAP have their own.
 */
const PPP_CODE_VALS: Readonly<Record<number, string>> = {
  0: 'Vendor Specific',
  1: 'Configuration Request',
  2: 'Configuration Ack',
  3: 'Configuration Nak',
  4: 'Configuration Reject',
  5: 'Termination Request',
  6: 'Termination Ack',
  7: 'Code Reject',
  8: 'Protocol Reject',
  9: 'Echo Request',
  10: 'Echo Reply',
  11: 'Discard Request',
  12: 'Identification',
  13: 'Time Remaining',
  14: 'Reset Request',
  15: 'Reset Ack',
};
/** The codes each protocol names (Wireshark's lcp_vals, ccp_vals and cp_vals): the others are `Unknown`. */
const CODES_NAMED: Readonly<Record<number, (code: number) => boolean>> = {
  [LCP]: (code) => code <= 13,
  [CCP]: (code) => code <= 7 || code === 14 || code === 15,
  0x80fb: (code) => code <= 7 || code === 14 || code === 15,
};
const cpCodeNamed = (protocol: number, code: number): boolean => (CODES_NAMED[protocol] ?? ((c) => c <= 7))(code);
const PAP_CODE_VALS = { 1: 'Authenticate-Request', 2: 'Authenticate-Ack', 3: 'Authenticate-Nak' };
const CHAP_CODE_VALS = { 1: 'Challenge', 2: 'Response', 3: 'Success', 4: 'Failure' };
/** The control protocols Wireshark dissects as protocols of their own: number, filter name, title. */
const CONTROL_PROTOCOLS: readonly (readonly [number, string, string])[] = [
  [LCP, 'lcp', 'PPP Link Control Protocol'],
  [IPCP, 'ipcp', 'PPP IP Control Protocol'],
  [CCP, 'ccp', 'PPP Compression Control Protocol'],
  [IPV6CP, 'ipv6cp', 'PPP IPv6 Control Protocol'],
  [PAP, 'pap', 'PPP Password Authentication Protocol'],
  [CHAP, 'chap', 'PPP Challenge Handshake Authentication Protocol'],
];
const CONTROL_NAMES_IN_FRAME = new Map(CONTROL_PROTOCOLS.map(([protocol, name]) => [protocol, `ppp:${name}`]));
const PPP_CODE_PROTOCOLS = new Set([LCP, IPCP, CCP, IPV6CP, 0x80fb, 0x8281]);
const isPppCode = (l: Layer): boolean => PPP_CODE_PROTOCOLS.has(l.aux);
const isPap = (l: Layer): boolean => l.aux === PAP;
const isChap = (l: Layer): boolean => l.aux === CHAP;

/**
 * A byte or word of the code/identifier/length header of the control protocols `of` holds of (none of a cut header, as
 * tshark).
 */
const controlField =
  (of: (l: Layer) => boolean, at: number, size: number): FieldReader =>
  (l, v) => {
    if (!of(l)) return;
    const start = controlStart(l.buf, l.off);
    // PAP's and CHAP's code and identifier are read before their length (Wireshark draws them from a cut header).
    if (start + (isPap(l) || (isChap(l) && at < 2) ? at + size : 4) > l.end) return;
    const p = start + at;
    v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

/**
 * Wireshark's control protocols are layers of their own after ppp; here
 * their header is read in the ppp layer, so their presence (`lcp`, `pap`)
 * is a field of it, spanning the control packet (none of a cut header: tshark's is malformed).
 */
const controlPresence = (name: string, label: string, protocol: number) =>
  field({
    name,
    label,
    type: 'protocol',
    read: (l, v) => {
      if (l.aux !== protocol) return;
      const p = controlStart(l.buf, l.off);
      // PAP and CHAP from their code on (they draw a cut header); the others from a whole header.
      if (p + (protocol === PAP || protocol === CHAP ? 1 : 4) <= l.end) v.num(1, l.buf, p, Math.max(0, l.hdrEnd - p));
    },
  });

/** The code/identifier/length fields of a control protocol (Wireshark's `${prefix}.code`...). */
const controlHeader = (
  prefix: string,
  of: (l: Layer) => boolean,
  codes: Readonly<Record<number, string>>,
  idBase: Base,
) =>
  fields(
    {
      name: `${prefix}.code`,
      label: 'Code',
      type: 'uint',
      values: codes,
      display: (_n, _b, _o, text) => text,
      // LCP's, CCP's and the other control protocols' codes are named apart (IPCP names no Echo Request).
      read: (l, v, ctx) => {
        const n = v.n;
        controlField(of, 0, 1)(l, v, ctx);
        if (v.n === n) return;
        const code = v.nums[n]!;
        const named = prefix !== 'ppp' || cpCodeNamed(l.aux, code);
        v.strs[n] = `${(named ? codes[code] : undefined) ?? 'Unknown'} (${code})`;
      },
    },
    { name: `${prefix}.identifier`, label: 'Identifier', type: 'uint', base: idBase, read: controlField(of, 1, 1) },
    { name: `${prefix}.length`, label: 'Length', type: 'uint', bits: 16, read: controlField(of, 2, 2) },
  );

const PPP_FIELDS = declareFields(() => [
  protocolField('ppp', 'Point-to-Point Protocol'),
  ...fields(
    {
      name: 'ppp.address',
      label: 'Address',
      type: 'uint',
      base: 'hex',
      read: (l, v) => {
        if (hasAddressControl(l)) v.num(0xff, l.buf, l.off, 1);
      },
    },
    {
      name: 'ppp.control',
      label: 'Control',
      type: 'uint',
      base: 'hex',
      read: (l, v) => {
        if (hasAddressControl(l)) v.num(0x03, l.buf, l.off + 1, 1);
      },
    },
    {
      name: 'ppp.protocol',
      label: 'Protocol',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: PROTOCOL_VALS,
      read: (l, v) => {
        const p = hasAddressControl(l) ? l.off + 2 : l.off;
        v.num(l.aux, l.buf, p, l.aux > 0xff ? 2 : 1);
      },
    },
  ),
  ...CONTROL_PROTOCOLS.map(([protocol, name, label]) => controlPresence(name, label, protocol)),
  ...controlHeader('ppp', isPppCode, PPP_CODE_VALS, 'dec_hex'),
  ...controlHeader('pap', isPap, PAP_CODE_VALS, 'dec'),
  ...controlHeader('chap', isChap, CHAP_CODE_VALS, 'dec'),
  ...fields(...BODY_FIELDS),
  ...OPTIONS.fields,
]);

const pppFieldsByName = fieldsByName(PPP_FIELDS);
const treeValues = new Values();
/** PPP's own fields, and the control header's: what the tree draws before the control packet's body. */
const OWN = ['ppp.address', 'ppp.control', 'ppp.protocol'];
const HEADER = ['ppp.code', 'ppp.identifier', 'ppp.length', 'pap.code', 'pap.identifier', 'pap.length'].concat([
  'chap.code',
  'chap.identifier',
  'chap.length',
]);

/**
 * -V as Wireshark's: PPP's fields, then the control protocol Wireshark dissects as one of its own (LCP, PAP...) under
 * its title, at PPP's depth (ppp-control.ts); another's code, identifier and length stay under PPP's title.
 */
function pppTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const named = pppFieldsByName();
  const draw = (name: string): void => {
    const f = named.get(name)!;
    treeValues.n = 0;
    f.read(l, treeValues, ctx);
    if (treeValues.n > 0) visit(f, treeValues, 1);
  };
  for (const name of OWN) draw(name);
  const header = HEADER.map((name) => named.get(name)!);
  if (CONTROL_TITLED.has(l.aux)) controlTree(l, ctx, visit, header, named);
  else for (const name of HEADER) draw(name);
}
const CONTROL_TITLED = new Set([LCP, IPCP, CCP, IPV6CP, PAP, CHAP]);

/** Whether the layer holds a whole code/identifier/length header of a control protocol. */
const hasControlHeader = (l: Layer): boolean =>
  CONTROL_NAMES[l.aux] !== undefined && controlStart(l.buf, l.off) + 4 <= l.end;

/** PPP inside PPPoE has no address/control bytes and always a 2-byte protocol; the same code reads both. */
export const ppp = protocol({
  name: 'ppp',
  abbrev: 'ppp',
  frameNames: (l) => CONTROL_NAMES_IN_FRAME.get(l.aux) ?? 'ppp',
  title: 'Point-to-Point Protocol',
  hf: PPP_FIELDS,
  dissect(ctx, l) {
    let p = l.off;
    if (p + 2 <= l.end && l.buf[p] === 0xff && l.buf[p + 1] === 0x03) p += 2;
    if (p + 1 > l.end) {
      ctx.need(l, p + 1 - l.off);
      return;
    }
    let protocol = l.buf[p]!;
    if (protocol & 1) p += 1;
    else {
      if (p + 2 > l.end) {
        ctx.need(l, p + 2 - l.off);
        return;
      }
      protocol = l.dv.getUint16(p);
      p += 2;
    }
    l.aux = protocol;
    l.hdrEnd = p;
    if (CONTROL_NAMES[protocol] !== undefined) {
      if (!ctx.need(l, p + 4 - l.off)) return;
      l.hdrEnd = Math.min(l.end, p + Math.max(4, l.dv.getUint16(p + 2)));
      return;
    }
    ctx.handoff(l, Table.PppProto, protocol, p, l.end);
  },
  json: jsonMembers(PPP_FIELDS, [
    { name: 'pppProtocol', field: 'ppp.protocol' },
    {
      name: 'control',
      only: hasControlHeader,
      // One code, identifier and length: the fields of whichever control protocol it is.
      members: [
        { name: 'protocol', value: (l) => CONTROL_NAMES[l.aux] },
        { name: 'code', field: 'ppp.code' },
        { name: 'code', field: 'pap.code' },
        { name: 'code', field: 'chap.code' },
        { name: 'id', field: 'ppp.identifier' },
        { name: 'id', field: 'pap.identifier' },
        { name: 'id', field: 'chap.identifier' },
        { name: 'length', field: 'ppp.length' },
        { name: 'length', field: 'pap.length' },
        { name: 'length', field: 'chap.length' },
      ],
    },
    { name: 'compressed', value: (l) => (l.aux === PPP_COMPRESSED ? true : undefined) },
  ]),
  label: pppLabel,
  summary: (l, out) => out.str(pppLabel(l)),
  tree: pppTree,
});

/** "PPP LCP Configure-Request", "PPP CHAP Challenge", "PPP IPv4". */
function pppLabel(l: Layer): string {
  const control = CONTROL_NAMES[l.aux];
  if (control === undefined) {
    if (l.hdrEnd < l.end && keyInfo(Table.PppProto, l.aux)?.namesItself) return 'PPP';
    return `PPP ${DATA_NAMES[l.aux] ?? hex(l.aux, 4)}`;
  }
  const start = controlStart(l.buf, l.off);
  const code = start < l.end ? l.buf[start]! : -1;
  // PAP's and CHAP's codes are their own (CHAP's 1 is a Challenge, not a Configure-Request).
  const names: Readonly<Record<number, string>> = isPap(l) ? PAP_CODE_VALS : isChap(l) ? CHAP_CODE_VALS : CODE_NAMES;
  return `PPP ${control} ${names[code] ?? `code ${code}`}`;
}

/** The payload is compressed (MPPE/MPPC: PPTP's encryption). */
export const pppCompressed = (l: Layer): boolean => l.aux === PPP_COMPRESSED;
/** The frame is a network protocol's packet, readable (IPv4, IPv6, VJ's TCP/IP, IPX, AppleTalk, OSI, MPLS, bridged). */
export const pppReadable = (l: Layer): boolean => READABLE_PROTOCOLS.has(l.aux);
