import {
  declareFields,
  type Field,
  type FieldReader,
  type FieldSpec,
  fields,
  fieldShower,
  hexThenSetFlags,
  protocolField,
  readUint,
  Values,
  visitText,
} from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { jsonMembers } from './json.js';
import { W } from './warnings.js';

/** The flags byte's flags: O (OAM), C (critical options present) and the reserved bits. */
const GENEVE_FLAGS: FieldSpec[] = [
  {
    name: 'geneve.flags.oam',
    label: 'Operations, Administration and Management Frame',
    type: 'bool',
    mask: 0x80,
    at: 1,
    child: true,
  },
  { name: 'geneve.flags.critical', label: 'Critical Options Present', type: 'bool', mask: 0x40, at: 1, child: true },
  { name: 'geneve.flags.reserved', label: 'Reserved', type: 'bool', mask: 0x3f, at: 1, child: true },
];

const GENEVE_FIELDS = declareFields(() => [
  protocolField('geneve', 'Generic Network Virtualization Encapsulation'),
  ...fields(
    {
      name: 'geneve.version',
      label: 'Version',
      type: 'uint',
      read: (l, v) => v.num(l.buf[l.off]! >> 6, l.buf, l.off, 1),
    },
    // The options' length in bytes (the header gives it in 4-byte words), then each option's.
    {
      name: 'geneve.option.length',
      label: 'Length',
      type: 'uint',
      display: (n) => `${n} bytes`,
      read: (l, v) => {
        v.num(optionsLength(l), l.buf, l.off, 1);
        eachOption(l, (p, len) => v.num(len, l.buf, p + 3, 1));
      },
    },
    {
      name: 'geneve.flags',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      at: 1,
      display: hexThenSetFlags(2, GENEVE_FLAGS),
    },
    ...GENEVE_FLAGS,
    {
      name: 'geneve.proto_type',
      label: 'Protocol Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      at: 2,
    },
    { name: 'geneve.vni', label: 'Virtual Network Identifier (VNI)', type: 'uint', bits: 24, base: 'hex_dec', at: 4 },
    { name: 'geneve.reserved', label: 'Reserved', type: 'uint', base: 'hex', at: 7 },
    {
      name: 'geneve.options',
      label: 'Geneve Options',
      type: 'bytes',
      read: (l, v) => {
        const n = optionsLength(l);
        if (n > 0 && l.off + 8 + n <= l.end) v.bytes(l.buf, l.off + 8, n);
      },
    },
    // Each option's (eachOption): its bytes, class, type, flags, length, then its data by class and type.
    { name: 'geneve.option', label: 'Option', type: 'bytes', read: option((l, v, p, len) => v.bytes(l.buf, p, len)) },
    {
      name: 'geneve.option.class',
      label: 'Class',
      type: 'uint',
      bits: 16,
      base: 'hex',
      display: (n) => classText(n),
      read: option((l, v, p) => v.num(l.dv.getUint16(p), l.buf, p, 2)),
    },
    {
      name: 'geneve.option.type',
      label: 'Type',
      type: 'uint',
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(2, '0')} (${criticality(n)})`,
      read: option((l, v, p) => v.num(l.buf[p + 2]!, l.buf, p + 2, 1)),
    },
    {
      name: 'geneve.option.type.critical',
      label: 'Critical Option',
      type: 'bool',
      mask: OPT_CRITICAL,
      hidden: true,
      read: option((l, v, p) => v.num(l.buf[p + 2]! & OPT_CRITICAL ? 1 : 0, l.buf, p + 2, 1)),
    },
    // The three flag bits over the length, all reserved: drawn only where one is set.
    {
      name: 'geneve.option.flags',
      label: 'Flags',
      type: 'uint',
      base: 'hex',
      display: (n) => `0x${n.toString(16).padStart(2, '0')} (RSVD)`,
      read: option((l, v, p) => v.num(l.buf[p + 3]! >> 5, l.buf, p + 3, 1)),
    },
    {
      name: 'geneve.option.flags.reserved',
      label: 'Reserved',
      type: 'bool',
      mask: 0xe0,
      child: true,
      read: option((l, v, p) => v.num(l.buf[p + 3]! & 0xe0 ? 1 : 0, l.buf, p + 3, 1)),
    },
    // gcp.vnid is Wireshark's bits item of 28 bits over the word (no mask).
    ...gcpFields(GCP_VNID, [
      {
        name: 'geneve.option.gcp.vnid',
        label: 'GCP Virtual Network ID',
        type: 'uint',
        bits: 32,
        drawn: 0xfffffff0,
        bitsItem: true,
      },
      {
        name: 'geneve.option.gcp.direction',
        label: 'GCP Traffic Direction',
        type: 'bool',
        bits: 32,
        mask: 0x1,
        tfs: ['Egress', 'Ingress'],
      },
      { name: 'geneve.option.gcp.reserved', label: 'GCP Reserved bits', type: 'bool', bits: 32, mask: 0xe },
    ]),
    ...gcpFields(GCP_ENDPOINT, [{ name: 'geneve.option.gcp.endpoint', label: 'GCP Endpoint ID', type: 'bytes' }]),
    ...gcpFields(GCP_PROFILE, [{ name: 'geneve.option.gcp.profile', label: 'GCP Profile ID', type: 'uint', bits: 64 }]),
    {
      name: 'geneve.option.unknown.data',
      label: 'Unknown Option Data',
      type: 'bytes',
      read: option((l, v, p, len) => {
        if (!GCP_NAMES[optionKey(l, p)]) v.bytes(l.buf, p + 4, len - 4);
      }),
    },
  ),
]);

/** An option's class and type as one number (Wireshark's option_names key). */
const optionKey = (l: Layer, p: number): number => l.dv.getUint16(p) * 256 + l.buf[p + 2]!;
const GCP_VNID = 0x013201;
const GCP_ENDPOINT = 0x013202;
const GCP_PROFILE = 0x013203;
const GCP_NAMES: Readonly<Record<number, string>> = {
  [GCP_VNID]: 'GCP Virtual Network ID',
  [GCP_ENDPOINT]: 'GCP Endpoint ID',
  [GCP_PROFILE]: 'GCP Profile ID',
};
const OPT_CRITICAL = 0x80;
const criticality = (type: number): string => (type & OPT_CRITICAL ? 'Critical' : 'Non-critical');

/** Option classes as IANA assigns them (Wireshark's class_id_names): [first, last, name]. */
const CLASS_RANGES: readonly (readonly [number, number, string])[] = [
  [0, 0xff, 'Standard'],
  [0x0100, 0x0100, 'Linux'],
  [0x0101, 0x0101, 'Open vSwitch'],
  [0x0102, 0x0102, 'Open Virtual Networking (OVN)'],
  [0x0103, 0x0103, 'In-band Network Telemetry (INT)'],
  [0x0104, 0x0104, 'VMware'],
  [0x0105, 0x0105, 'Amazon.com, Inc.'],
  [0x0106, 0x0106, 'Cisco Systems, Inc.'],
  [0x0107, 0x0107, 'Oracle Corporation'],
  [0x0108, 0x0110, 'Amazon.com, Inc.'],
  [0x0111, 0x0118, 'IBM'],
  [0x0119, 0x0128, 'Ericsson'],
  [0x0129, 0x0129, 'Oxide Computer Company'],
  [0x0130, 0x0131, 'Cisco Systems, Inc.'],
  [0x0132, 0x0135, 'Google LLC'],
  [0x0136, 0x0136, 'InfoQuick Global Connection Tech Ltd.'],
  [0x0137, 0xfeff, 'Unassigned'],
  [0xfff0, 0xffff, 'Experimental'],
];
const className = (n: number): string => CLASS_RANGES.find(([lo, hi]) => n >= lo && n <= hi)?.[2] ?? 'Unknown';
/** A class as -V shows it, in its field and in its option's title: `Amazon.com, Inc. (0x0108)`. */
const classText = (n: number): string => `${className(n)} (0x${n.toString(16).padStart(4, '0')})`;

/** The options' length in bytes (the header gives it in 4-byte words). */
function optionsLength(l: Layer): number {
  return (l.buf[l.off]! & 0x3f) * 4;
}

/**
 * Calls `each` with each option's offset and length, in order, as Wireshark walks them: an option longer than the
 * options left ends the walk, and its offset is returned (-1 where none does). Only a header read whole (its options
 * held) has options.
 */
function eachOption(l: Layer, each: (p: number, len: number) => void): number {
  if (l.hdrEnd < 0) return -1;
  let p = l.off + 8;
  for (let left = optionsLength(l); left > 0; ) {
    const len = 4 + (l.buf[p + 3]! & 0x1f) * 4;
    if (len > left) return p;
    each(p, len);
    p += len;
    left -= len;
  }
  return -1;
}

/** An option's subtree title: `Unknown, Class: Amazon.com, Inc. (0x0108) Type: 0x01`, its criticality after it. */
function optionName(l: Layer, p: number): string {
  const type = l.buf[p + 2]!.toString(16).padStart(2, '0');
  return `${GCP_NAMES[optionKey(l, p)] ?? 'Unknown'}, Class: ${classText(l.dv.getUint16(p))} Type: 0x${type}`;
}

const noOption = (): void => {};

/** The one option an option field reads (geneveTree's, option by option), or -1: each of them. */
let onlyOption = -1;

/** A field of each option. */
function option(put: (l: Layer, v: Values, p: number, len: number) => void): FieldReader {
  return (l, v) => {
    eachOption(l, (p, len) => {
      if (onlyOption < 0 || onlyOption === p) put(l, v, p, len);
    });
  };
}

/** The data fields of one GCP option (class 0x0132, types 1 to 3), read from its data where it is that option. */
function gcpFields(key: number, specs: Omit<FieldSpec, 'read'>[]): FieldSpec[] {
  return specs.map((spec) => ({
    ...spec,
    read: option((l, v, p, len) => {
      if (optionKey(l, p) !== key) return;
      const size = len - 4;
      if (spec.type === 'bytes') v.bytes(l.buf, p + 4, size);
      else if (spec.bits === 64) {
        if (size > 0 && size <= 8) v.num(readUint(l.buf, p + 4, size), l.buf, p + 4, size);
      } else if (size >= 4) {
        const word = l.dv.getUint32(p + 4);
        const masked = spec.type === 'bool' ? (word & spec.mask! ? 1 : 0) : word >>> 4;
        v.num(masked, l.buf, p + 4, 4);
      }
    }),
  }));
}

const treeValues = new Values();

/**
 * -V's tree as Wireshark's: the header's fields in order (its options' length beside the version, the reserved byte
 * only where it is not 0), then `Options: (n bytes)` and each option a subtree: its name, class and type as title,
 * its fields (the reserved flags only where one is set).
 */
function geneveTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const all = GENEVE_FIELDS();
  const show = fieldShower(l, ctx, visit);
  let options = 0;
  for (const f of all) {
    if (f.name === 'geneve.options') break;
    options++;
    if (f.type === 'protocol' || (f.name === 'geneve.reserved' && l.buf[l.off + 7] === 0)) continue;
    if (f.name === 'geneve.option.length') {
      treeValues.n = 0;
      treeValues.num(optionsLength(l), l.buf, l.off, 1);
      visit(f, treeValues, 1);
    } else show(f, 1);
  }
  const length = optionsLength(l);
  if (length === 0 || l.hdrEnd < 0) return;
  visitText(visit, `Options: (${length} bytes)`, l.buf, l.off + 8, length, 1);
  const lengthField = all.find((f) => f.name === 'geneve.option.length')!;
  eachOption(l, (p, len) => {
    visitText(visit, `${optionName(l, p)} (${criticality(l.buf[p + 2]!)})`, l.buf, p, len, 2);
    onlyOption = p;
    for (let i = options + 2; i < all.length; i++) {
      const f = all[i]!;
      if (!f.hidden && !(f.name.startsWith('geneve.option.flags') && l.buf[p + 3]! >> 5 === 0)) show(f, 3);
      // The option's length after its flags (declared once, with the header's).
      if (f.name === 'geneve.option.flags.reserved') {
        treeValues.n = 0;
        treeValues.num(len, l.buf, p + 3, 1);
        visit(lengthField, treeValues, 3);
      }
    }
    onlyOption = -1;
  });
}

/** Geneve (RFC 8926, UDP 6081): 8 bytes, options of (length x 4) bytes, then the payload named by an EtherType. */
export const geneve = protocol({
  name: 'geneve',
  abbrev: 'geneve',
  title: 'Generic Network Virtualization Encapsulation',
  hf: GENEVE_FIELDS,
  tree: geneveTree,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const len = 8 + (l.buf[l.off]! & 0x3f) * 4;
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    const pastEnd = eachOption(l, noOption);
    if (pastEnd >= 0) ctx.warn(l, W.geneveBadOption, pastEnd - l.off, len - 8);
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + 2), l.hdrEnd, l.end);
  },
  json: jsonMembers(GENEVE_FIELDS, [
    { name: 'vni', field: 'geneve.vni' },
    { name: 'protocolType', field: 'geneve.proto_type' },
  ]),
  summary: (l, out) => out.str(`Geneve vni ${l.dv.getUint32(l.off + 4) >>> 8}`),
});

/** The VNI, -1 when the header was cut short. */
export const geneveVni = (l: Layer): number => (l.off + 8 <= l.end ? l.dv.getUint32(l.off + 4) >>> 8 : -1);
