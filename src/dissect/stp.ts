import {
  declareFields,
  fields,
  hexThenText,
  protocolField,
  Values,
  visitText,
  YES_NO,
  asciiText,
  type Field,
  type FieldSpec,
} from './field.js';
import { list } from './field-list.js';
import { mac as macText } from './addr.js';
import { jsonMembers } from './json.js';
import { CISCO_SNAP_HINT, llcLengthField } from './llc.js';
import { protocol, type Layer, type PacketCtx } from './packet.js';

/**
 * Spanning tree BPDUs (IEEE 802.1D STP, 802.1w RSTP, 802.1s MSTP, Cisco's PVST+), as LLC (SAP 0x42, SNAP's 802.1
 * BPDU) or Cisco's SNAP (PVST+, protocol ID 0x010b) hands them over: on a LAN, or bridged through a gretap or ERSPAN
 * tunnel, where a BPDU tells which bridge is root across the tunnel and when the topology changed. Read as
 * Wireshark's packet-bpdu.c: a configuration or RST BPDU is read only when its fixed part to the port identifier is
 * there (Wireshark reads those fields before it builds the tree, and shows nothing of a shorter one); an MST
 * extension only in a BPDU of at least 102 bytes as sent whose version is 3 or more and whose version 1 length is
 * 0, with IEEE 802.1s MSTI records. Not read: the pre-standard layout (a zero version 3 length: no CIST costs or
 * MSTIs here, Wireshark reads them when the BPDU's length fits it) and SPB's version 4 extension.
 */

const TYPE_CONFIG = 0x00;
const TYPE_RST = 0x02;
/** The bytes Wireshark reads before it draws a configuration or RST BPDU: to the port identifier's end. */
const CONFIG_READ = 27;
/** Where the MST extension's parts, the MSTI records and PVST+'s TLVs start (packet-bpdu.c's offsets). */
const VERSION_1_LENGTH = 35;
const VERSION_3_LENGTH = 36;
const MSTI_START = 102;
const MSTI_SIZE = 16;
const MST_STATIC_LENGTH = 64;
const PVST_TLV = 36;

const VERSIONS: Readonly<Record<number, string>> = {
  0: 'Spanning Tree',
  2: 'Rapid Spanning Tree',
  3: 'Multiple Spanning Tree',
  4: 'Shortest Path Tree',
};
const TYPES: Readonly<Record<number, string>> = {
  0x00: 'Configuration',
  0x02: 'Rapid/Multiple Spanning Tree',
  0x80: 'Topology Change Notification',
};
const ROLES: Readonly<Record<number, string>> = { 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' };
const PVST_TLV_TYPES: Readonly<Record<number, string>> = { 0: 'Originating VLAN' };

/** l.aux: the BPDU is too short for its type to be read (Wireshark shows only the protocol, malformed). */
const UNREAD = 1;

const u8 = (l: Layer, at: number): number => l.buf[l.off + at]!;
const u16 = (l: Layer, at: number): number => l.dv.getUint16(l.off + at);
const bpduType = (l: Layer): number => u8(l, 3);
const readable = (l: Layer): boolean => l.aux !== UNREAD;
const configOrRst = (l: Layer): boolean => readable(l) && (bpduType(l) === TYPE_CONFIG || bpduType(l) === TYPE_RST);
const rst = (l: Layer): boolean => readable(l) && bpduType(l) === TYPE_RST;
/**
 * An MST BPDU (Wireshark's test: version 3 or more, version 1 length 0, at least 102 bytes as sent: l.aux2, the
 * length the 802.3 header gives, so that a snap length's cut does not hide the fields that were captured).
 */
const mst = (l: Layer): boolean =>
  rst(l) && l.aux2 >= MSTI_START && l.off + VERSION_1_LENGTH < l.end && u8(l, 2) >= 3 && u8(l, VERSION_1_LENGTH) === 0;
/** The IEEE 802.1s layout: a version 3 length (0: a layout Wireshark does not know, which leaves out the CIST). */
const mstIeee = (l: Layer): boolean =>
  mst(l) && l.off + VERSION_3_LENGTH + 2 <= l.end && u16(l, VERSION_3_LENGTH) !== 0;
/** The MSTI records' bytes: the version 3 length less its fixed part (under it, a count of records, as Cisco's). */
function mstiBytes(l: Layer): number {
  // A BPDU cut before its version 3 length has no records to read (its length as sent may still say MST).
  if (l.off + VERSION_3_LENGTH + 2 > l.end) return 0;
  const v3 = u16(l, VERSION_3_LENGTH);
  if (v3 === 0) return 0;
  return v3 >= MST_STATIC_LENGTH ? v3 - MST_STATIC_LENGTH : v3 * MSTI_SIZE;
}
/** PVST+'s TLVs follow a configuration BPDU, or an RST BPDU's version 1 length (not an MST BPDU's extension). */
const pvst = (l: Layer): boolean => l.hint === CISCO_SNAP_HINT && configOrRst(l) && !mst(l);

/** A field at a fixed offset, read when `when` holds of the BPDU and its bytes were captured. */
function at(spec: Omit<FieldSpec, 'at' | 'read'>, offset: number, when: (l: Layer) => boolean): FieldSpec {
  const size = spec.type === 'ether' ? 6 : spec.type === 'double' ? 2 : (spec.bits ?? 8) / 8;
  const mask = spec.mask ?? 0;
  return {
    ...spec,
    read: (l, v) => {
      const p = l.off + offset;
      if (!when(l) || p + size > l.end) return;
      if (spec.type === 'ether' || spec.type === 'bytes') return v.bytes(l.buf, p, size);
      const raw = size === 1 ? l.buf[p]! : size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p);
      if (spec.type === 'double') return v.num(raw / 256, l.buf, p, size);
      if (spec.type === 'bool') return v.num(raw & mask ? 1 : 0, l.buf, p, size);
      v.num(mask === 0 ? raw : (raw & mask) >>> Math.log2(mask & -mask), l.buf, p, size);
    },
  };
}

/** A bridge identifier: its fields' prefix, its subtree's title, its parts' labels, where it is and when. */
interface BridgeId {
  prefix: string;
  title: string;
  labels: readonly [string, string, string];
  offset: number;
  when: (l: Layer) => boolean;
}
const ROOT_ID: BridgeId = {
  prefix: 'stp.root',
  title: 'Root Identifier',
  labels: ['Root Bridge Priority', 'Root Bridge System ID Extension', 'Root Bridge System ID'],
  offset: 5,
  when: configOrRst,
};
const BRIDGE_ID: BridgeId = {
  prefix: 'stp.bridge',
  title: 'Bridge Identifier',
  labels: ['Bridge Priority', 'Bridge System ID Extension', 'Bridge System ID'],
  offset: 17,
  when: configOrRst,
};
const CIST_BRIDGE_ID: BridgeId = {
  prefix: 'mstp.cist_bridge',
  title: 'CIST Bridge Identifier',
  labels: ['CIST Bridge Priority', 'CIST Bridge Identifier System ID Extension', 'CIST Bridge Identifier System ID'],
  offset: 93,
  when: mstIeee,
};
/** By its priority's field, the first of its parts. */
const BRIDGE_IDS = new Map([ROOT_ID, BRIDGE_ID, CIST_BRIDGE_ID].map((id) => [`${id.prefix}.prio`, id]));

/** A bridge identifier's three parts: priority (its top 4 bits), system ID extension, MAC. */
function bridgeId(id: BridgeId): FieldSpec[] {
  const { prefix, labels, offset, when } = id;
  const part = (name: string, label: string, value: (w: number) => number): FieldSpec => ({
    name: `${prefix}.${name}`,
    label,
    type: 'uint',
    bits: 16,
    read: (l, v) => {
      if (when(l) && l.off + offset + 2 <= l.end) v.num(value(u16(l, offset)), l.buf, l.off + offset, 2);
    },
  });
  return [
    part('prio', labels[0], (w) => w & 0xf000),
    part('ext', labels[1], (w) => w & 0x0fff),
    at({ name: `${prefix}.hw`, label: labels[2], type: 'ether' }, offset + 2, when),
  ];
}

/** The flags Wireshark draws under a configuration BPDU's flags: TCA and TC. */
const CONFIG_FLAGS = new Set(['stp.flags.tcack', 'stp.flags.tc']);

/**
 * The RST flags, under the BPDU's flags and under each MSTI's: one declaration for both, as Wireshark's. `at`:
 * each flag of the BPDU's byte 4 (a configuration BPDU has only TCA and TC), and of an MSTI record's first byte.
 */
function flagBits(): FieldSpec[] {
  const flag = (name: string, label: string, mask: number): FieldSpec => ({
    name: `stp.flags.${name}`,
    label,
    type: 'bool',
    mask,
    tfs: YES_NO,
    at: 0,
    child: true,
    read: flagReader(`stp.flags.${name}`, mask, false),
  });
  return [
    flag('tcack', 'Topology Change Acknowledgment', 0x80),
    flag('agreement', 'Agreement', 0x40),
    flag('forwarding', 'Forwarding', 0x20),
    flag('learning', 'Learning', 0x10),
    {
      name: 'stp.flags.port_role',
      label: 'Port Role',
      type: 'uint',
      mask: 0x0c,
      values: ROLES,
      at: 0,
      child: true,
      read: flagReader('stp.flags.port_role', 0x0c, true),
    },
    flag('proposal', 'Proposal', 0x02),
    flag('tc', 'Topology Change', 0x01),
  ];
}

function flagReader(name: string, mask: number, number: boolean) {
  return (l: Layer, v: Values): void => {
    if (!configOrRst(l) || (bpduType(l) === TYPE_CONFIG && !CONFIG_FLAGS.has(name))) return;
    const b = u8(l, 4);
    v.num(number ? (b & mask) >> 2 : b & mask ? 1 : 0, l.buf, l.off + 4, 1);
  };
}

/** The names of the flags set, after the flags' hex (`0x3c, Forwarding, Learning, Port Role: Designated`). */
function flagsText(b: number, rstFlags: boolean): string {
  let s = '';
  if (b & 0x80) s += ', Topology Change Acknowledgment';
  if (rstFlags) {
    if (b & 0x40) s += ', Agreement';
    if (b & 0x20) s += ', Forwarding';
    if (b & 0x10) s += ', Learning';
    s += `, Port Role: ${ROLES[((b >> 2) & 3) as keyof typeof ROLES] ?? 'Unknown'}`;
    if (b & 0x02) s += ', Proposal';
  }
  if (b & 0x01) s += ', Topology Change';
  return s;
}

const MSTIS = list({
  name: 'mstp.msti',
  title: (l, p) =>
    `MSTID ${((l.buf[p + 1]! & 0x0f) << 8) | l.buf[p + 2]!}, Regional Root Identifier ` +
    `${(l.buf[p + 1]! & 0xf0) << 8} / ${macText(l.buf, p + 3)}`,
  in: [{ when: mst, start: (l) => l.off + MSTI_START, end: (l) => Math.min(l.end, l.off + MSTI_START + mstiBytes(l)) }],
  size: MSTI_SIZE,
  fields: [
    {
      name: 'mstp.msti.flags',
      label: 'MSTI flags',
      type: 'uint',
      base: 'hex',
      display: hexThenText(2),
      record: (l, v, _ctx, p) => v.str(flagsText(l.buf[p]!, true), l.buf, p, 1, l.buf[p]!),
    },
    ...flagBits(),
    { name: 'mstp.msti.priority', label: 'Priority', type: 'uint', base: 'hex', mask: 0xf0, at: 1 },
    { name: 'mstp.msti.msti_id', label: 'MSTID', type: 'uint', bits: 16, mask: 0xfff, at: 1 },
    { name: 'mstp.msti.root.hw', label: 'Regional Root', type: 'ether', at: 3 },
    { name: 'mstp.msti.root_cost', label: 'Internal root path cost', type: 'uint', bits: 32, at: 9 },
    {
      name: 'mstp.msti.bridge_priority',
      label: 'Bridge Identifier Priority',
      type: 'uint',
      record: (l, v, _ctx, p) => v.num(l.buf[p + 13]! >> 4, l.buf, p + 13, 1),
    },
    {
      name: 'mstp.msti.port_priority',
      label: 'Port identifier priority',
      type: 'uint',
      record: (l, v, _ctx, p) => v.num(l.buf[p + 14]! >> 4, l.buf, p + 14, 1),
    },
    { name: 'mstp.msti.remaining_hops', label: 'Remaining hops', type: 'uint', at: 15 },
  ],
});

/** PVST+'s TLVs after the BPDU: each its type, length and value (an originating VLAN, or bytes). */
const PVST_TLVS = list({
  name: 'stp.pvst.tlv',
  title: (l, p) => {
    const type = l.dv.getUint16(p);
    if (type !== 0) return `Unknown TLV type: 0x${type.toString(16).padStart(4, '0')}`;
    return l.dv.getUint16(p + 2) === 2 ? `Originating VLAN (PVID): ${l.dv.getUint16(p + 4)}` : 'Originating VLAN';
  },
  in: [{ when: pvst, start: (l) => l.off + PVST_TLV, end: (l) => l.end }],
  // A TLV whose value runs past the BPDU ends the walk unshown (Wireshark's item for it throws: malformed).
  size: (l, p, end) => (p + 4 <= end && p + 4 + l.dv.getUint16(p + 2) <= end ? 4 + l.dv.getUint16(p + 2) : 0),
  header: 4,
  min: 4,
  fields: [
    {
      name: 'stp.pvst.tlvtype',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: PVST_TLV_TYPES,
      at: 0,
    },
    { name: 'stp.pvst.tlvlen', label: 'Length', type: 'uint', bits: 16, at: 2 },
    {
      name: 'stp.pvst.origvlan',
      label: 'Originating VLAN',
      type: 'uint',
      bits: 16,
      record: (l, v, _ctx, p, len) => {
        if (l.dv.getUint16(p) === 0 && l.dv.getUint16(p + 2) === 2 && len === 6)
          v.num(l.dv.getUint16(p + 4), l.buf, p + 4, 2);
      },
    },
    {
      name: 'stp.pvst.tlvval',
      label: 'Value',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        const size = l.dv.getUint16(p + 2);
        if (l.dv.getUint16(p) !== 0 && 4 + size === len && p + len <= l.end) v.bytes(l.buf, p + 4, size);
      },
    },
  ],
});

const STP_FIELDS = declareFields(() => [
  protocolField('stp', 'Spanning Tree Protocol'),
  ...fields(
    at(
      {
        name: 'stp.protocol',
        label: 'Protocol Identifier',
        type: 'uint',
        bits: 16,
        base: 'hex',
        values: { 0: 'Spanning Tree Protocol' },
      },
      0,
      readable,
    ),
    at(
      {
        name: 'stp.version',
        label: 'Protocol Version Identifier',
        type: 'uint',
        values: VERSIONS,
      },
      2,
      readable,
    ),
    at(
      {
        name: 'stp.type',
        label: 'BPDU Type',
        type: 'uint',
        base: 'hex',
        values: TYPES,
      },
      3,
      readable,
    ),
    {
      name: 'stp.flags',
      label: 'BPDU flags',
      type: 'uint',
      base: 'hex',
      display: hexThenText(2),
      read: (l, v) => {
        if (configOrRst(l)) v.str(flagsText(u8(l, 4), rst(l)), l.buf, l.off + 4, 1, u8(l, 4));
      },
    },
    ...bridgeId(ROOT_ID),
    at({ name: 'stp.root.cost', label: 'Root Path Cost', type: 'uint', bits: 32 }, 13, configOrRst),
    ...bridgeId(BRIDGE_ID),
    at({ name: 'stp.port', label: 'Port identifier', type: 'uint', bits: 16, base: 'hex' }, 25, configOrRst),
    at({ name: 'stp.msg_age', label: 'Message Age', type: 'double' }, 27, configOrRst),
    at({ name: 'stp.max_age', label: 'Max Age', type: 'double' }, 29, configOrRst),
    at({ name: 'stp.hello', label: 'Hello Time', type: 'double' }, 31, configOrRst),
    at({ name: 'stp.forward', label: 'Forward Delay', type: 'double' }, 33, configOrRst),
    at({ name: 'stp.version_1_length', label: 'Version 1 Length', type: 'uint' }, VERSION_1_LENGTH, rst),
    at({ name: 'mstp.version_3_length', label: 'Version 3 Length', type: 'uint', bits: 16 }, VERSION_3_LENGTH, mst),
    at({ name: 'mstp.config_format_selector', label: 'MST Config ID format selector', type: 'uint' }, 38, mst),
    {
      name: 'mstp.config_name',
      label: 'MST Config name',
      type: 'string',
      read: (l, v) => {
        if (mst(l) && l.off + 71 <= l.end) v.str(asciiText(l.buf, l.off + 39, 32), l.buf, l.off + 39, 32);
      },
    },
    at({ name: 'mstp.config_revision_level', label: 'MST Config revision', type: 'uint', bits: 16 }, 71, mst),
    at({ name: 'mstp.config_digest', label: 'MST Config digest', type: 'bytes', bits: 128 }, 73, mst),
    at(
      { name: 'mstp.cist_internal_root_path_cost', label: 'CIST Internal Root Path Cost', type: 'uint', bits: 32 },
      89,
      mstIeee,
    ),
    ...bridgeId(CIST_BRIDGE_ID),
    at({ name: 'mstp.cist_remaining_hops', label: 'CIST Remaining hops', type: 'uint' }, 101, mst),
  ),
  ...MSTIS.fields,
  ...PVST_TLVS.fields,
]);

const values = new Values();
const cursors = { msti: MSTIS.cursor(), tlv: PVST_TLVS.cursor() };

/** `Root Identifier: 32768 / 1 / 00:11:22:33:44:55`: a bridge identifier's subtree title, as Wireshark writes it. */
function bridgeIdTitle(l: Layer, id: BridgeId): string {
  const w = u16(l, id.offset);
  return `${id.title}: ${w & 0xf000} / ${w & 0x0fff} / ${macText(l.buf, l.off + id.offset + 2)}`;
}

/**
 * -V as Wireshark's: the fields in order, each bridge identifier a subtree of its three parts, the MST extension a
 * subtree holding the CIST's fields and a subtree for each MSTI, PVST+'s TLVs a subtree each.
 */
function stpTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  let depth = 1;
  const show = (f: Field, read: (l: Layer, v: Values, ctx: PacketCtx) => void, at: number): void => {
    values.n = 0;
    read(l, values, ctx);
    if (values.n > 0) visit(f, values, at); // a child (a flag) is drawn one deeper by the visit
  };
  for (const f of STP_FIELDS()) {
    if (f.type === 'protocol' || f.list !== null) continue;
    const id = BRIDGE_IDS.get(f.name);
    // Its title where it was captured whole (Wireshark reads the whole identifier for it).
    if (id?.when(l) && l.off + id.offset + 8 <= l.end)
      visitText(visit, bridgeIdTitle(l, id), l.buf, l.off + id.offset, 8, depth);
    if (f.name === 'mstp.config_format_selector' && mst(l)) {
      visitText(visit, 'MST Extension', l.buf, l.off + VERSION_3_LENGTH, l.end - l.off - VERSION_3_LENGTH, 1);
      depth = 2;
    }
    const partOfId = f.name.endsWith('.prio') || f.name.endsWith('.ext') || f.name.endsWith('.hw');
    show(f, f.read, partOfId ? depth + 1 : depth);
    // The flags' bits under the flags (their declaration is the MSTI records' too).
    if (f.name === 'stp.flags') for (const bit of MSTIS.fields) if (bit.layerRead) show(bit, bit.layerRead, 1);
  }
  for (let ok = cursors.msti.region(l, 0, -1, 0); ok; ok = cursors.msti.step(l)) {
    const { p, len } = cursors.msti;
    visitText(visit, MSTIS.title(l, p, len), l.buf, p, len, 2);
    for (const f of MSTIS.fields) {
      values.n = 0;
      f.recordRead!(l, values, ctx, p, len);
      if (values.n > 0) visit(f, values, 3);
    }
  }
  for (let ok = cursors.tlv.region(l, 0, -1, 0); ok; ok = cursors.tlv.step(l)) {
    const { p, len } = cursors.tlv;
    visitText(visit, PVST_TLVS.title(l, p, len), l.buf, p, len, 1);
    for (const f of PVST_TLVS.fields) {
      values.n = 0;
      f.recordRead!(l, values, ctx, p, len);
      if (values.n > 0) visit(f, values, 2);
    }
  }
}

export const stp = protocol({
  name: 'stp',
  abbrev: 'stp',
  title: 'Spanning Tree Protocol',
  hf: STP_FIELDS,
  tree: stpTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    const type = bpduType(l);
    if ((type === TYPE_CONFIG || type === TYPE_RST) && !ctx.need(l, CONFIG_READ)) l.aux = UNREAD;
    l.hdrEnd = l.end;
    // The BPDU's length as sent: to the end the 802.3 length field gives LLC, where there is one.
    const llc = ctx.layers[ctx.layers.indexOf(l) - 1];
    const length = llc ? llcLengthField(llc) : -1;
    l.aux2 = length >= 0 ? Math.max(l.end - l.off, llc!.off + length - l.off) : l.end - l.off;
  },
  json: jsonMembers(STP_FIELDS, [
    { name: 'version', field: 'stp.version' },
    { name: 'type', field: 'stp.type' },
    { name: 'flags', field: 'stp.flags' },
    { name: 'rootMac', field: 'stp.root.hw' },
    { name: 'rootCost', field: 'stp.root.cost' },
    { name: 'bridgeMac', field: 'stp.bridge.hw' },
    { name: 'port', field: 'stp.port' },
  ]),
  // The link layer's summary names the BPDU's carrier (`LLC STP`, `LLC SNAP PVST+`), as before it was dissected.
  summary() {},
});
