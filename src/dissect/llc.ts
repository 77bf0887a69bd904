import {
  declareFields,
  fields,
  namedOrUnknown,
  protocolField,
  Values,
  visitText,
  type Field,
  type FieldSpec,
} from './field.js';
import { jsonMembers } from './json.js';
import { ETHERTYPE_NAMES, ouiText } from './numbers.js';
import { DATA_AFTER, Table, protocol, type Layer, type PacketCtx } from './packet.js';
import type { TextOut } from '../util/text-out.js';

/**
 * IEEE 802.2 LLC, after an 802.3 length field (Ethernet, 802.1Q), a Linux cooked capture's protocol 4 and in 802.11
 * bodies: the two service access points, the control field (one byte in the U format, two in 802.2's I and S
 * formats, read little-endian), and SNAP's organisation code and protocol ID where both SAPs are 0xAA. The payload
 * goes by SAP (STP, IPX, OSI), or under SNAP by EtherType (RFC 1042, Cisco's 00:00:f8) or by Cisco's protocol ID
 * (PVST+); only information frames (I, UI) hand theirs on.
 */

/** Wireshark's SAP names (llc.dsap's values). */
const SAP_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NULL LSAP',
  0x01: 'NULL LSAP',
  0x02: 'LLC Sub-Layer Management',
  0x04: 'SNA Path Control',
  0x06: 'TCP/IP',
  0x08: 'SNA',
  0x0c: 'SNA',
  0x0e: 'PROWAY (IEC955) Network Management and Initialization',
  0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Layer (OSLAN 1)',
  0x18: 'Texas Instruments',
  0x20: 'ISO Network Layer (unofficial?)',
  0x34: 'ISO Network Layer (unofficial?)',
  0x42: 'Spanning Tree BPDU',
  0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)',
  0x7e: 'ISO 8208 (X.25 over 802.2)',
  0x7f: 'ISO 802.2',
  0x80: 'XNS',
  0x82: 'BACnet',
  0x86: 'Nestar',
  0x8e: 'PROWAY (IEC955) Active Station List Maintenance',
  0x98: 'ARP',
  0xaa: 'SNAP',
  0xb4: 'HP JetDirect Printer',
  0xba: 'Banyan Vines',
  0xbc: 'Banyan Vines',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC',
  0xfa: 'Ungermann-Bass',
  0xfc: 'Remote Program Load',
  0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

const SAP_SNAP = 0xaa;
const SAP_STP = 0x42;
/** Novell's SAP: IPX, also what a raw 802.3 frame (0xFFFF, no LLC) is handed to. */
export const SAP_NETWARE = 0xe0;
const OUI_ENCAPSULATED_ETHERNET = 0x000000;
/** Cisco's "90-compatible" bridging: the protocol ID is an EtherType, as RFC 1042's. */
const OUI_CISCO_90 = 0x0000f8;
const OUI_CISCO = 0x00000c;
/** IEEE 802.1's code: protocol ID 0x0007 is a bridged 802.3 frame without its FCS, 0x000E a BPDU. */
const OUI_IEEE_802_1 = 0x0080c2;
const PID_BRIDGED_8023 = 0x0007;
const PID_BPDU = 0x000e;
/**
 * Codes whose protocol IDs Wireshark shows under a field of each vendor's (llc.extreme_pid, llc.foundry_pid...), not
 * declared here: not `llc.pid` either. (Extreme, Foundry, AppleTalk, Apple AWDL, IANA, Bluetooth, Cisco WLCCP,
 * Force10, HP, Cimetrics.)
 */
const OWN_PID_FIELDS = new Set([
  0x00e02b, 0x00e052, 0x080007, 0x0017f2, 0x00005e, 0x001958, 0x004096, 0x0001e8, 0x080009, 0x00015d,
]);
const OUI_NORTEL = 0x000081;
/** Nortel's SNAP protocol IDs (llc.nortel_pid). */
const NORTEL_PIDS: Readonly<Record<number, string>> = {
  0x01a1: 'NDP flatnet hello',
  0x01a2: 'NDP segment hello',
  0x01a3: 'NDP bridge hello',
};
/** Cisco's SNAP protocol IDs as Wireshark names them (llc.cisco_pid). */
const CISCO_PIDS: Readonly<Record<number, string>> = {
  0x0102: 'DRIP',
  0x0104: 'PAgP',
  0x0105: 'MLS Hello',
  0x010b: 'PVSTP+',
  0x0111: 'UDLD',
  0x2000: 'CDP',
  0x2001: 'CGMP',
  0x2003: 'VTP',
  0x2004: 'DTP',
  0x200a: 'STP Uplink Fast',
};
/** The U format's modifiers (control & 0xEC, shifted down), commands then responses, and their short names. */
const U_COMMANDS: Readonly<Record<number, string>> = {
  0x00: 'Unnumbered Information',
  0x08: 'Unnumbered Poll',
  0x10: 'Disconnect',
  0x18: 'Unnumbered Acknowledge',
  0x20: 'Set Normal Response Mode',
  0x38: 'Test',
  0x01: 'Set Initialization Mode',
  0x21: 'Frame reject',
  0x31: 'Configure',
  0x03: 'Set Asynchronous Response Mode',
  0x0b: 'Set Asynchronous Balanced Mode',
  0x13: 'Set Asynchronous Response Mode Extended',
  0x1b: 'Set Asynchronous Balanced Mode Extended',
  0x23: 'Reset',
  0x2b: 'Exchange identification',
  0x33: 'Set Normal Response Mode Extended',
  0x3b: 'Beacon',
};
const U_RESPONSES: Readonly<Record<number, string>> = {
  ...U_COMMANDS,
  0x10: 'Request Disconnect',
  0x01: 'Request Initialization Mode',
  0x03: 'Disconnected mode',
};
const U_COMMANDS_SHORT: Readonly<Record<number, string>> = {
  0x00: 'UI',
  0x08: 'UP',
  0x10: 'DISC',
  0x18: 'UA',
  0x20: 'SNRM',
  0x38: 'TEST',
  0x01: 'SIM',
  0x21: 'FRMR',
  0x31: 'CFGR',
  0x03: 'SARM',
  0x0b: 'SABM',
  0x13: 'SARME',
  0x1b: 'SABME',
  0x23: 'RESET',
  0x2b: 'XID',
  0x33: 'SNRME',
  0x3b: 'BCN',
};
const U_RESPONSES_SHORT: Readonly<Record<number, string>> = {
  ...U_COMMANDS_SHORT,
  0x10: 'RD',
  0x01: 'RIM',
  0x03: 'DM',
};
const S_TYPES: Readonly<Record<number, string>> = {
  0: 'Receiver ready',
  1: 'Receiver not ready',
  2: 'Reject',
  3: 'Selective reject',
};
const S_TYPES_SHORT = ['RR', 'RNR', 'REJ', 'SREJ'];
const FRAME_TYPES: Readonly<Record<number, string>> = {
  0: 'Information frame',
  1: 'Supervisory frame',
  3: 'Unnumbered frame',
};

/** The U format's control field is one byte; the I and S formats' are two (802.2 numbers frames modulo 128). */
const isU = (l: Layer): boolean => (l.buf[l.off + 2]! & 3) === 3;
const controlLength = (l: Layer): number => (isU(l) ? 1 : 2);
/** The control field as a number: the byte, or the two bytes little-endian. */
const control = (l: Layer): number => (isU(l) ? l.buf[l.off + 2]! : l.buf[l.off + 2]! | (l.buf[l.off + 3]! << 8));
/** The SSAP's C/R bit says a response. */
const isResponse = (l: Layer): boolean => (l.buf[l.off + 1]! & 1) === 1;
const isSnap = (l: Layer): boolean => l.buf[l.off] === SAP_SNAP && l.buf[l.off + 1] === SAP_SNAP;
/** An I or UI frame: the only ones whose payload Wireshark hands on (XDLC_IS_INFORMATION). */
const information = (l: Layer): boolean => (l.buf[l.off + 2]! & 1) === 0 || l.buf[l.off + 2] === 0x03;
/** SNAP's protocol ID is an EtherType under these codes. */
const byEtherType = (oui: number): boolean => oui === OUI_ENCAPSULATED_ETHERNET || oui === OUI_CISCO_90;
/** Where SNAP's organisation code starts. */
const snapAt = (l: Layer): number => l.off + 2 + controlLength(l);
/** The control field was captured whole (the layer's header reaches past it). */
const controlRead = (l: Layer): boolean => l.hdrEnd >= l.off + 2 + controlLength(l);
const snapOui = (l: Layer): number => {
  const p = snapAt(l);
  return (l.buf[p]! << 16) | (l.buf[p + 1]! << 8) | l.buf[p + 2]!;
};

const snapPid = (l: Layer): number => l.dv.getUint16(snapAt(l) + 3);

const sapName = namedOrUnknown(SAP_NAMES, 2);

/** A part of the control field, read where the frame's format has it. */
function controlPart(
  spec: Omit<FieldSpec, 'read'>,
  format: (l: Layer) => boolean,
  value: (c: number, l: Layer) => number,
): FieldSpec {
  return {
    ...spec,
    read: (l, v) => {
      if (!controlRead(l) || !format(l)) return;
      v.num(value(control(l), l), l.buf, l.off + 2, controlLength(l));
    },
  };
}
const sFormat = (l: Layer): boolean => (l.buf[l.off + 2]! & 3) === 1;
const iFormat = (l: Layer): boolean => (l.buf[l.off + 2]! & 1) === 0;
/** The poll/final bit: 0x10 of a U control byte, 0x100 of an I or S word. */
const pollFinal = (l: Layer): boolean => (control(l) & (isU(l) ? 0x10 : 0x100)) !== 0;
/** The bit is Final in a response; an I frame's is always Poll, as Wireshark's XDLC reads it. */
const isFinal = (l: Layer): boolean => isResponse(l) && !iFormat(l);

/** A SNAP field, present where both SAPs say SNAP and `oui` holds of the organisation code. */
function snapField(
  spec: Omit<FieldSpec, 'read'>,
  at: number,
  oui: (n: number) => boolean,
  frame: (l: Layer) => boolean = () => true,
): FieldSpec {
  const size = spec.bits! / 8;
  return {
    ...spec,
    read: (l, v) => {
      if (!controlRead(l) || !isSnap(l) || !frame(l)) return;
      const p = snapAt(l);
      if (p + 5 > l.end || !oui(snapOui(l))) return;
      v.num(size === 3 ? snapOui(l) : l.dv.getUint16(p + at), l.buf, p + at, size);
    },
  };
}

const LLC_FIELDS = declareFields(() => [
  protocolField('llc', 'Logical-Link Control'),
  ...fields(
    { name: 'llc.dsap', label: 'DSAP', type: 'uint', base: 'hex', values: SAP_NAMES, at: 0, display: sapName },
    sapBits('llc.dsap', 0),
    {
      name: 'llc.dsap.ig',
      label: 'IG Bit',
      type: 'bool',
      mask: 0x01,
      at: 0,
      child: true,
      tfs: ['Group', 'Individual'],
    },
    { name: 'llc.ssap', label: 'SSAP', type: 'uint', base: 'hex', values: SAP_NAMES, at: 1, display: sapName },
    sapBits('llc.ssap', 1),
    {
      name: 'llc.ssap.cr',
      label: 'CR Bit',
      type: 'bool',
      mask: 0x01,
      at: 1,
      child: true,
      tfs: ['Response', 'Command'],
    },
    controlPart(
      { name: 'llc.control', label: 'Control', type: 'uint', bits: 16, base: 'hex' },
      () => true,
      (c) => c,
    ),
    controlPart(
      { name: 'llc.control.n_r', label: 'N(R)', type: 'uint', bits: 16, mask: 0xfe00, child: true },
      (l) => !isU(l),
      (c) => c >> 9,
    ),
    controlPart(
      { name: 'llc.control.n_s', label: 'N(S)', type: 'uint', bits: 16, mask: 0xfe, child: true },
      iFormat,
      (c) => (c >> 1) & 0x7f,
    ),
    controlPart(
      { name: 'llc.control.p', label: 'Poll', type: 'bool', mask: 0x10, child: true, tfs: ['Set', 'Not set'] },
      (l) => !isFinal(l) && pollFinal(l),
      () => 1,
    ),
    controlPart(
      { name: 'llc.control.f', label: 'Final', type: 'bool', mask: 0x10, child: true, tfs: ['Set', 'Not set'] },
      (l) => isFinal(l) && pollFinal(l),
      () => 1,
    ),
    controlPart(
      {
        name: 'llc.control.s_ftype',
        label: 'Supervisory frame type',
        type: 'uint',
        bits: 16,
        base: 'hex',
        mask: 0xc,
        values: S_TYPES,
        child: true,
      },
      sFormat,
      (c) => (c >> 2) & 3,
    ),
    controlPart(
      {
        name: 'llc.control.u_modifier_cmd',
        label: 'Command',
        type: 'uint',
        base: 'hex',
        mask: 0xec,
        values: U_COMMANDS,
        child: true,
      },
      (l) => isU(l) && !isResponse(l),
      (c) => (c & 0xec) >> 2,
    ),
    controlPart(
      {
        name: 'llc.control.u_modifier_resp',
        label: 'Response',
        type: 'uint',
        base: 'hex',
        mask: 0xec,
        values: U_RESPONSES,
        child: true,
      },
      (l) => isU(l) && isResponse(l),
      (c) => (c & 0xec) >> 2,
    ),
    // Wireshark registers this name three times (I: 16 bits, mask 0x1; S and U: 0x3); this is the U format's.
    controlPart(
      { name: 'llc.control.ftype', label: 'Frame type', type: 'uint', base: 'hex', mask: 0x3, values: FRAME_TYPES },
      () => true,
      (c) => ((c & 1) === 0 ? 0 : c & 3),
    ),
    snapField(
      { name: 'llc.oui', label: 'Organization Code', type: 'uint', bits: 24, base: 'oui', display: ouiText },
      0,
      () => true,
    ),
    // Wireshark shows it only where it hands the frame on (an information frame).
    snapField(
      { name: 'llc.type', label: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPE_NAMES },
      3,
      byEtherType,
      information,
    ),
    snapField(
      {
        name: 'llc.cisco_pid',
        label: 'PID',
        type: 'uint',
        bits: 16,
        base: 'hex',
        values: CISCO_PIDS,
      },
      3,
      (oui) => oui === OUI_CISCO,
    ),
    snapField(
      {
        name: 'llc.nortel_pid',
        label: 'PID',
        type: 'uint',
        bits: 16,
        base: 'hex',
        values: NORTEL_PIDS,
      },
      3,
      (oui) => oui === OUI_NORTEL,
    ),
    // Wireshark gives other vendors' organisation codes a protocol ID field of their own too (llc.foundry_pid...):
    // those not declared here show as this one.
    snapField(
      { name: 'llc.pid', label: 'Protocol ID', type: 'uint', bits: 16, base: 'hex' },
      3,
      (oui) => !byEtherType(oui) && oui !== OUI_CISCO && oui !== OUI_NORTEL && !OWN_PID_FIELDS.has(oui),
    ),
  ),
]);

/** A SAP's seven address bits, named as the whole byte would be (`0100 001. = SAP: Spanning Tree BPDU`). */
function sapBits(parent: string, at: number): FieldSpec {
  return {
    name: `${parent}.sap`,
    label: 'SAP',
    type: 'uint',
    base: 'custom',
    mask: 0xfe,
    at,
    child: true,
    display: (n) => SAP_NAMES[n << 1] ?? 'Unknown',
  };
}

const hex = (n: number, digits: number): string => `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;

/** Wireshark's summary of a control field: `U P, func=SABME`, `S F, func=RR, N(R)=6`, `I, N(R)=5, N(S)=5`. */
function controlSummary(l: Layer): string {
  const c = control(l);
  const response = isResponse(l);
  const pf = pollFinal(l) ? (isFinal(l) ? ' F' : ' P') : '';
  if (isU(l)) {
    const m = (c & 0xec) >> 2;
    return `U${pf}, func=${(response ? U_RESPONSES_SHORT : U_COMMANDS_SHORT)[m] ?? 'Unknown'}`;
  }
  if (sFormat(l)) return `S${pf}, func=${S_TYPES_SHORT[(c >> 2) & 3]}, N(R)=${c >> 9}`;
  return `I${pf}, N(R)=${c >> 9}, N(S)=${(c >> 1) & 0x7f}`;
}

/** `.... ..11` for the bits of mask in a word of `bits` bits, as Wireshark draws a field over its word. */
function drawBits(word: number, bits: number, mask: number): string {
  let s = '';
  for (let b = bits - 1; b >= 0; b--) {
    s += (mask >> b) & 1 ? String((word >> b) & 1) : '.';
    if (b > 0 && b % 4 === 0) s += ' ';
  }
  return s;
}

const values = new Values();

/**
 * -V as Wireshark's: the fields in order, but the control field is `Control field: U, func=UI (0x03)` with its parts
 * drawn over its own one or two bytes (an I or S word is little-endian, which the declared fields' drawing does not
 * read).
 */
function llcTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  for (const f of LLC_FIELDS()) {
    if (f.type === 'protocol') continue;
    values.n = 0;
    f.read(l, values, ctx);
    if (values.n === 0) continue;
    if (!f.name.startsWith('llc.control')) {
      visit(f, values, 1); // a child is drawn one deeper by the visit
      continue;
    }
    if (f.name !== 'llc.control') continue;
    const c = values.nums[0]!;
    const u = isU(l);
    const bits = u ? 8 : 16;
    const p = l.off + 2;
    const size = u ? 1 : 2;
    visitText(visit, `Control field: ${controlSummary(l)} (${hex(c, u ? 2 : 4)})`, l.buf, p, size, 1);
    const line = (mask: number, text: string): void =>
      visitText(visit, `${drawBits(c, bits, mask)} = ${text}`, l.buf, p, size, 2);
    const pf = pollFinal(l) ? `${isFinal(l) ? 'Final' : 'Poll'}: Set` : '';
    if (u) {
      const m = (c & 0xec) >> 2;
      const names = isResponse(l) ? U_RESPONSES : U_COMMANDS;
      if (pf) line(0x10, pf);
      line(0xec, `${isResponse(l) ? 'Response' : 'Command'}: ${names[m] ?? 'Unknown'} (${hex(m, 2).toLowerCase()})`);
      line(0x03, 'Frame type: Unnumbered frame (0x3)');
      continue;
    }
    line(0xfe00, `N(R): ${c >> 9}`);
    if (sFormat(l)) {
      if (pf) line(0x100, pf);
      const s = (c >> 2) & 3;
      line(0x0c, `Supervisory frame type: ${S_TYPES[s]} (0x${s})`);
      line(0x03, 'Frame type: Supervisory frame (0x1)');
    } else {
      line(0xfe, `N(S): ${(c >> 1) & 0x7f}`);
      if (pf) line(0x100, pf);
      line(0x01, 'Frame type: Information frame (0x0)');
    }
  }
}

export const llc = protocol({
  name: 'llc',
  abbrev: 'llc',
  title: 'Logical-Link Control',
  hf: LLC_FIELDS,
  tree: llcTree,
  // What follows the header that nothing here reads is Wireshark's data.
  payloadData: DATA_AFTER,
  dissect(ctx, l) {
    // A header cut short keeps what it has (Wireshark shows the SAPs it read, and calls the frame malformed).
    if (!ctx.need(l, 3) || !ctx.need(l, 2 + controlLength(l) + (isSnap(l) ? 5 : 0))) {
      l.hdrEnd = l.end;
      return;
    }
    const header = 2 + controlLength(l) + (isSnap(l) ? 5 : 0);
    l.hdrEnd = l.off + header;
    if (l.hdrEnd >= l.end) return;
    const sap = l.buf[l.off]!;
    if (!isSnap(l)) {
      // GVRP and GMRP share STP's SAP: Wireshark tells them by their destination (not read here: data).
      if (!information(l) || (sap === SAP_STP && l.hint >= 0 && l.hint & GARP_HINT)) return;
      return ctx.handoff(l, Table.LlcSap, sap, l.hdrEnd, l.end);
    }
    const oui = snapOui(l);
    const pid = snapPid(l);
    // 802.1's protocols are handed on whatever the frame's format, the others only from an information frame.
    if (oui === OUI_IEEE_802_1 && pid === PID_BRIDGED_8023) ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, l.end);
    else if (oui === OUI_IEEE_802_1 && pid === PID_BPDU) ctx.handoff(l, Table.LlcSap, SAP_STP, l.hdrEnd, l.end);
    else if (!information(l)) return;
    else if (byEtherType(oui)) ctx.handoff(l, Table.EtherType, pid, l.hdrEnd, l.end);
    else if (oui === OUI_CISCO) ctx.handoff(l, Table.CiscoSnap, pid, l.hdrEnd, l.end, CISCO_SNAP_HINT);
  },
  json: jsonMembers(LLC_FIELDS, [
    { name: 'dsap', field: 'llc.dsap' },
    { name: 'ssap', field: 'llc.ssap' },
    { name: 'control', field: 'llc.control' },
    { name: 'oui', field: 'llc.oui' },
    { name: 'pid', value: (l) => (controlRead(l) && isSnap(l) && snapAt(l) + 5 <= l.end ? snapPid(l) : undefined) },
  ]),
  // The link layer's summary names what LLC carries (ethernet.ts); a line says it once.
  summary() {},
});

/** The hint LLC hands what a Cisco SNAP frame carries: a BPDU in one (PVST+) ends in TLVs (stp.ts). */
export const CISCO_SNAP_HINT = 1;

/** The hint an 802.3 link layer hands LLC: the length field, and whether the frame went to a GARP address. */
const GARP_HINT = 0x10000;
export const llcHint = (length: number, garp: boolean): number => length | (garp ? GARP_HINT : 0);
/** The 802.3 length field a layer handed LLC (llcHint), or -1 (802.11, Linux cooked: no length). */
export const llcLengthField = (l: Layer): number => (l.hint >= 0 ? l.hint & 0xffff : -1);

const CISCO_PID_CDP = 0x2000;
/** Cisco's SNAP protocols (OUI 00:00:0c), as a text line names them (tcpdump's names). */
const CISCO_SNAP: Record<number, string> = {
  [CISCO_PID_CDP]: 'CDP',
  0x2003: 'VTP',
  0x2004: 'DTP',
  0x010b: 'PVST+',
  0x0111: 'UDLD',
};

/** The LLC header's length at p, up to end: SAPs and control field (1 or 2 bytes), and SNAP's 5 where it is SNAP. */
function headerLength(buf: Uint8Array, p: number, end: number): number {
  if (p + 3 > end) return 3;
  const snap = buf[p] === SAP_SNAP && buf[p + 1] === SAP_SNAP;
  return 2 + ((buf[p + 2]! & 3) === 3 ? 1 : 2) + (snap ? 5 : 0);
}

/**
 * The text line's words for the LLC at p (its bytes end by end), after the link layer: named by its SAPs, or for SNAP
 * by organisation code and protocol ID, as tcpdump names them.
 */
export function llcSummary(l: Layer, p: number, end: number, out: TextOut): void {
  if (p + 3 > end) {
    out.str(' 802.3');
    return;
  }
  const dsap = l.buf[p]!;
  const ssap = l.buf[p + 1]!;
  const header = headerLength(l.buf, p, end);
  if (dsap === SAP_SNAP && ssap === SAP_SNAP && p + header <= end) {
    const q = p + header - 5;
    const oui = (l.buf[q]! << 16) | (l.buf[q + 1]! << 8) | l.buf[q + 2]!;
    const pid = l.dv.getUint16(q + 3);
    const cisco = oui === OUI_CISCO ? CISCO_SNAP[pid] : undefined;
    // CDP's own summary follows (`CDPv2, ttl: 180s`, as tcpdump's), where there are bytes for it.
    if (oui === OUI_CISCO && pid === CISCO_PID_CDP && p + header < end) out.str(' LLC SNAP');
    else if (cisco !== undefined) out.str(' LLC SNAP ').str(cisco);
    else out.str(' LLC SNAP oui ').hex(oui, 6).str(' pid ').hex(pid, 4);
    return;
  }
  if (dsap === SAP_STP && ssap === SAP_STP) out.str(' LLC STP');
  else if (dsap === SAP_NETWARE && ssap === SAP_NETWARE)
    out.str(' LLC'); // IPX's own summary follows
  else if (dsap === 0xfe && ssap === 0xfe) out.str(' LLC OSI');
  else out.str(' LLC dsap ').hex(dsap, 2).str(' ssap ').hex(ssap, 2);
}

/** The length of the LLC header of the LLC layer l, as far as it was captured: what a text line's length leaves out. */
export const llcLength = (l: Layer): number => headerLength(l.buf, l.off, l.end);
