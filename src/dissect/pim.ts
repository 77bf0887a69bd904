import { ipUnder, ipv4, ipv6 } from './addr.js';
import {
  declareFields,
  fields,
  checksumFields,
  protocolField,
  Values,
  visitText,
  YES_NO,
  type Field,
  type FieldReader,
  type FieldSpec,
  type RecordReader,
} from './field.js';
import { list } from './field-list.js';
import { jsonMembers } from './json.js';
import { AFN_NAMES } from './numbers.js';
import { Table, protocol, type Layer, type PacketCtx } from './packet.js';
import { internetChecksum } from '../util/checksum.js';
import { u8, u16, u32, type LayerRead } from './layer-read.js';

/**
 * PIMv2 (RFC 7761; dense mode RFC 3973), as Wireshark's packet-pim.c reads it: the header with its checksum checked
 * (over the whole message, or a Register's 8-byte header; over IPv6 with its pseudo-header), a Hello's options (the
 * neighbour's hold time, DR priority, generation ID, LAN prune delay, state refresh, secondary addresses), and a
 * Register's flags and the multicast packet it carries (dissected as IP). PIM across a GRE tunnel is how multicast
 * routing meets on the tunnel: a Hello says who the neighbour is, for how long, and who is DR. The other messages'
 * bodies (Register-Stop, Join/Prune, Graft, Graft-Ack, Bootstrap, Assert, Candidate-RP, State Refresh, DF election)
 * are not read yet, nor PIMv1 over IGMP; a version other than 2 shows its header only, as Wireshark's.
 */

const PIM_HELLO = 0;
const PIM_REGISTER = 1;
/** The message type (the low nibble of the first byte). */
const pimType = (l: Layer): number => l.buf[l.off]! & 0xf;
const isV2 = (l: Layer): boolean => l.buf[l.off]! >> 4 === 2;

/** Wireshark's pimtypevals (PIMv2), for -V and the text line alike. */
const PIM_TYPE_VALS: Readonly<Record<number, string>> = {
  0: 'Hello',
  1: 'Register',
  2: 'Register-stop',
  3: 'Join/Prune',
  4: 'Bootstrap',
  5: 'Assert',
  6: 'Graft',
  7: 'Graft-Ack',
  8: 'Candidate-RP-Advertisement',
  9: 'State-Refresh',
  10: 'DF election',
  11: 'ECMP redirect',
  12: 'PFM source discovery',
};
const pimLabel = (l: Layer): string => `PIMv${l.buf[l.off]! >> 4} ${PIM_TYPE_VALS[pimType(l)] ?? `type ${pimType(l)}`}`;

/** Hello option types as Wireshark names them (pim_opt_vals). */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Hold Time',
  2: 'LAN Prune Delay',
  17: 'Label Parameters',
  18: 'Deprecated',
  19: 'DR Priority',
  20: 'Generation ID',
  21: 'State-Refresh',
  22: 'Bidirectional Capable',
  23: 'VCI Capability',
  24: 'Address List',
  25: 'Neighbor List TLV',
  26: 'Join Attribute',
  27: 'PIM-over-TCP-Capable',
  28: 'PIM-over-SCTP-Capable',
  29: 'Pop-Count',
  30: 'PIM MT-ID',
  31: 'Interface ID',
  32: 'PIM ECMP Redirect Hello Option',
  33: 'vPC Peer ID',
  34: 'DR Load Balancing Capability',
  35: 'DR Load Balancing List',
  36: 'Hierarchical Join/Prune Attribute',
  65001: 'Address list, old implementation',
  65004: 'RPF Proxy Vector (Cisco proprietary)',
};
const OPT_HOLD_TIME = 1;
const OPT_LAN_PRUNE_DELAY = 2;
const OPT_DR_PRIORITY = 19;
const OPT_GENERATION_ID = 20;
const OPT_STATE_REFRESH = 21;
const OPT_ADDRESS_LIST = 24;
const OPT_ADDRESS_LIST_OLD = 65001;
const ENCODING_TYPES = { 0: 'Native' };
const IP_VERSIONS: Readonly<Record<number, string>> = { 0: 'Dummy Header', 4: 'IPv4', 6: 'IPv6' };
/** A hold time of 0 says the neighbour is leaving; 0xffff that it never expires. */
const HOLDTIME_NAMES: Readonly<Record<number, string>> = { 0: 'goodbye', 0xffff: 'Infinity' };

/** The Register's flags word (type 1, at 4). */
const registerFlag =
  (mask: number, bool: boolean): FieldReader =>
  (l, v) => {
    if (!isRegister(l) || l.off + 8 > l.end) return;
    const w = l.dv.getUint32(l.off + 4);
    v.num(bool ? ((w & mask) !== 0 ? 1 : 0) : w, l.buf, l.off + 4, 4);
  };

/**
 * The checksum the message should carry, as Wireshark checks it: over the message (a Register's first 8 bytes), its
 * own word left out, after IPv6's pseudo-header; -1 where it cannot be checked: not PIMv2, or the bytes it covers
 * not all captured (a quoted message is checked over what the quote holds, as Wireshark does).
 */
function expectedChecksum(l: Layer, ctx: PacketCtx): number {
  const register = pimType(l) === PIM_REGISTER;
  const length = register ? 8 : l.end - l.off;
  if (!isV2(l) || l.off + length > l.end || (!register && l.short && !l.quoted)) return -1;
  let initial = l.dv.getUint16(l.off);
  const ip = ipUnder(l, ctx);
  if (ip?.proto.family === 6) {
    // Source and destination, the upper-layer length and next header 103, summed uncomplemented.
    initial += ~internetChecksum(ip.dv, ip.off + 8, ip.off + 40) & 0xffff;
    initial += Math.floor(length / 65536) + (length & 0xffff) + 103;
  }
  return internetChecksum(l.dv, l.off + 4, l.off + length, initial);
}

/** A PIMv2 Hello: its options follow the 4-byte header, to the message's end. */
const isHello = (l: Layer): boolean => isV2(l) && pimType(l) === PIM_HELLO;
const isRegister = (l: Layer): boolean => isV2(l) && pimType(l) === PIM_REGISTER;
/** l.aux: a PIM message inside the packet a Register carries (a Hello there is no neighbour of the tunnel's). */
const IN_REGISTER = 1;
/** A Hello from a neighbour on the link it came over: PIMv2, not a packet a Register carries. */
export const isNeighbourHello = (l: Layer): boolean => isHello(l) && l.aux !== IN_REGISTER;

/** An option's value at `at` in an option of type `type`, where its bytes were captured; `read` gets its offset. */
function optionValue(type: number, at: number, size: number, read: LayerRead): RecordReader {
  return (l, v, _ctx, p) => {
    if (l.dv.getUint16(p) !== type || p + at + size > l.end) return;
    v.num(read(l, p + at), l.buf, p + at, size);
  };
}

const OPTIONS = list({
  name: 'pim.option',
  title: optionTitle,
  in: [{ when: isHello, start: (l) => l.off + 4, end: (l) => l.end }],
  // An option whose value runs past the message ends the walk unshown (Wireshark's item for it throws).
  size: (l, p, end) => (p + 4 <= end && p + 4 + l.dv.getUint16(p + 2) <= end ? 4 + l.dv.getUint16(p + 2) : 0),
  header: 4,
  min: 4,
  fields: [
    { name: 'pim.optiontype', label: 'Type', type: 'uint', bits: 16, at: 0 },
    { name: 'pim.optionlength', label: 'Length', type: 'uint', bits: 16, at: 2 },
    {
      name: 'pim.holdtime',
      label: 'Holdtime',
      type: 'uint',
      bits: 16,
      values: HOLDTIME_NAMES,
      // Wireshark's special values (BASE_SPECIAL_VALS): named where they are, the number alone otherwise.
      display: (n) => (HOLDTIME_NAMES[n] === undefined ? String(n) : `${HOLDTIME_NAMES[n]} (${n})`),
      record: optionValue(OPT_HOLD_TIME, 4, 2, u16),
    },
    {
      name: 'pim.t',
      label: 'T',
      type: 'bool',
      mask: 0x80,
      record: optionValue(OPT_LAN_PRUNE_DELAY, 4, 1, (l, q) => l.buf[q]! >> 7),
    },
    {
      name: 'pim.propagation_delay',
      label: 'Propagation Delay',
      type: 'uint',
      bits: 16,
      mask: 0x7fff,
      record: optionValue(OPT_LAN_PRUNE_DELAY, 4, 2, (l, q) => u16(l, q) & 0x7fff),
    },
    {
      name: 'pim.override_interval',
      label: 'Override Interval',
      type: 'uint',
      bits: 16,
      record: optionValue(OPT_LAN_PRUNE_DELAY, 6, 2, u16),
    },
    {
      name: 'pim.dr_priority',
      label: 'DR Priority',
      type: 'uint',
      bits: 32,
      record: optionValue(OPT_DR_PRIORITY, 4, 4, u32),
    },
    {
      name: 'pim.generation_id',
      label: 'Generation ID',
      type: 'uint',
      bits: 32,
      record: optionValue(OPT_GENERATION_ID, 4, 4, u32),
    },
    {
      name: 'pim.state_refresh_version',
      label: 'Version',
      type: 'uint',
      record: optionValue(OPT_STATE_REFRESH, 4, 1, u8),
    },
    {
      name: 'pim.state_refresh_interval',
      label: 'Interval',
      type: 'uint',
      record: optionValue(OPT_STATE_REFRESH, 5, 1, u8),
    },
    {
      name: 'pim.state_refresh_reserved',
      label: 'Reserved',
      type: 'uint',
      bits: 16,
      record: optionValue(OPT_STATE_REFRESH, 6, 2, u16),
    },
    {
      name: 'pim.optionvalue',
      label: 'Unknown',
      type: 'bytes',
      record: (l, v, _ctx, p, len) => {
        if (KNOWN_OPTIONS.has(l.dv.getUint16(p)) || len <= 4 || p + len > l.end) return;
        v.bytes(l.buf, p + 4, len - 4);
      },
    },
  ],
});

/** The options whose values are fields of their own (the others' are `pim.optionvalue`). */
const KNOWN_OPTIONS = new Set([
  OPT_HOLD_TIME,
  OPT_LAN_PRUNE_DELAY,
  OPT_DR_PRIORITY,
  OPT_GENERATION_ID,
  OPT_STATE_REFRESH,
  OPT_ADDRESS_LIST,
  OPT_ADDRESS_LIST_OLD,
]);

/** An encoded unicast address's value, by its family (1 IPv4, 2 IPv6): the list's line and its `Unicast` alike. */
const ipv4Address: RecordReader = (l, v, _ctx, p) => {
  if (l.buf[p] === 1) v.num(l.dv.getUint32(p + 2), l.buf, p + 2, 4);
};
const ipv6Address: RecordReader = (l, v, _ctx, p) => {
  if (l.buf[p] === 2) v.bytes(l.buf, p + 2, 16);
};

/**
 * The encoded unicast addresses of an Address List option: family (1 IPv4, 2 IPv6), encoding type, then the address.
 * Wireshark stops at a family it does not know.
 */
const ADDRESSES = list({
  name: 'pim.address',
  title: (l, p) => `Address: ${addressText(l, p)}`,
  in: [
    {
      parent: OPTIONS,
      when: (l, p) => isAddressList(l, p),
      start: (_l, p) => p + 4,
      end: (_l, p, len) => p + len,
    },
  ],
  // Wireshark starts an address anywhere before the option's end and reads it whole, past that end too; it stops at
  // a family or encoding it does not know, and at the message's end (malformed).
  size: (l, p) => {
    const size = addressSize(l, p);
    return p + size <= l.end ? size : 0;
  },
  header: 1,
  min: 1,
  fields: [
    {
      name: 'pim.address_list',
      label: 'Address',
      type: 'ipv4',
      record: ipv4Address,
    },
    {
      name: 'pim.address_list_ip6',
      label: 'Address',
      type: 'ipv6',
      record: ipv6Address,
    },
    { name: 'pim.addr_address_family', label: 'Address Family', type: 'uint', values: AFN_NAMES, at: 0 },
    { name: 'pim.addr_encoding_type', label: 'Encoding Type', type: 'uint', values: ENCODING_TYPES, at: 1 },
    {
      name: 'pim.unicast',
      label: 'Unicast',
      type: 'ipv4',
      record: ipv4Address,
    },
    {
      name: 'pim.unicast_ipv6',
      label: 'Unicast',
      type: 'ipv6',
      record: ipv6Address,
    },
  ],
});

const isAddressList = (l: Layer, p: number): boolean => {
  const type = l.dv.getUint16(p);
  return type === OPT_ADDRESS_LIST || type === OPT_ADDRESS_LIST_OLD;
};

/** An encoded unicast address's size: family 1 (IPv4) or 2 (IPv6), encoding 0 (native); 0 for any other. */
function addressSize(l: Layer, p: number): number {
  if (p + 2 > l.end || l.buf[p + 1] !== 0) return 0;
  return l.buf[p] === 1 ? 6 : l.buf[p] === 2 ? 18 : 0;
}

const addressText = (l: Layer, p: number): string => (l.buf[p] === 1 ? ipv4(l.buf, p + 2) : ipv6(l.buf, p + 2));

/** `Option 1: Hold Time: 105`, `Option 2: LAN Prune Delay: T = 0, ...`, `Option 24: Address List`, as Wireshark's. */
function optionTitle(l: Layer, p: number): string {
  const type = l.dv.getUint16(p);
  const title = `Option ${type}: ${OPTION_NAMES[type] ?? `Unknown: ${type}`}`;
  const has = (n: number) => p + 4 + n <= l.end;
  switch (type) {
    case OPT_HOLD_TIME: {
      if (!has(2)) return title;
      const t = l.dv.getUint16(p + 4);
      return `${title}: ${t}${HOLDTIME_NAMES[t] === undefined ? '' : ` (${HOLDTIME_NAMES[t]})`}`;
    }
    case OPT_LAN_PRUNE_DELAY:
      if (!has(4)) return title;
      return (
        `${title}: T = ${l.buf[p + 4]! >> 7}, Propagation Delay = ${l.dv.getUint16(p + 4) & 0x7fff}ms, ` +
        `Override Interval = ${l.dv.getUint16(p + 6)}ms`
      );
    case OPT_DR_PRIORITY:
    case OPT_GENERATION_ID:
      return has(4) ? `${title}: ${l.dv.getUint32(p + 4)}` : title;
    case OPT_STATE_REFRESH:
      return has(4) ? `${title}: Version = ${l.buf[p + 4]}, Interval = ${l.buf[p + 5]}s` : title;
    default:
      return title;
  }
}

const PIM_FIELDS = declareFields(() => [
  protocolField('pim', 'Protocol Independent Multicast'),
  ...fields(
    { name: 'pim.version', label: 'Version', type: 'uint', mask: 0xf0, at: 0 },
    {
      name: 'pim.type',
      label: 'Type',
      type: 'uint',
      mask: 0x0f,
      values: PIM_TYPE_VALS,
      at: 0,
    },
    {
      name: 'pim.res_bytes',
      label: 'Reserved byte(s)',
      type: 'bytes',
      read: (l, v) => {
        if (l.off + 2 <= l.end) v.bytes(l.buf, l.off + 1, 1);
      },
    },
    ...checksumFields('pim.cksum', 2, expectedChecksum),
    // What follows the header (tshark's item over the message's body); a Hello's counts its options.
    {
      name: 'pim.option',
      label: 'PIM Options',
      type: 'none',
      display: (n) => (n < 0 ? 'PIM Options' : `PIM Options: ${n}`),
      read: (l, v) => {
        // Another version's item is there even over no bytes.
        if (l.off + 4 > l.end || (isV2(l) && l.off + 4 === l.end)) return;
        v.num(isHello(l) ? optionCount(l) : -1, l.buf, l.off + 4, l.end - l.off - 4);
      },
    },
    { name: 'pim.register_flag', label: 'Flags', type: 'uint', bits: 32, base: 'hex', read: registerFlag(0, false) },
    {
      name: 'pim.register_flag.border',
      label: 'Border',
      type: 'bool',
      tfs: YES_NO,
      bits: 32,
      mask: 0x80000000,
      child: true,
      read: registerFlag(0x80000000, true),
    },
    {
      name: 'pim.register_flag.null_register',
      label: 'Null-Register',
      type: 'bool',
      tfs: YES_NO,
      bits: 32,
      mask: 0x40000000,
      child: true,
      read: registerFlag(0x40000000, true),
    },
    {
      name: 'pim.ip_version',
      label: 'IP Version',
      type: 'uint',
      mask: 0xf0,
      values: IP_VERSIONS,
      read: (l, v) => {
        if (isRegister(l) && l.off + 9 <= l.end) v.num(l.buf[l.off + 8]! >> 4, l.buf, l.off + 8, 1);
      },
    },
    // A null Register's dummy header: the source and group it registers, in the family of the PIM message's own IP.
    {
      name: 'pim.dummy_header',
      label: 'Dummy Header',
      type: 'none',
      display: (n) => `Dummy Header${n === 6 ? 'IPv6' : 'IPv4'}`,
      read: (l, v, ctx) => {
        if (dummyHeader(l)) v.num(ipUnder(l, ctx)?.proto.family ?? 4, l.buf, l.off + 8, l.end - l.off - 8);
      },
    },
    dummyAddress('pim.source', 'Source', 'ipv4', 12),
    dummyAddress('pim.source_ip6', 'Source', 'ipv6', 8),
    dummyAddress('pim.group', 'Group', 'ipv4', 16),
    dummyAddress('pim.group_ip6', 'Group', 'ipv6', 24),
  ),
  ...OPTIONS.fields,
  ...ADDRESSES.fields,
]);

/** A Register whose packet's version nibble is 0: a null Register's dummy header. */
const dummyHeader = (l: Layer): boolean => isRegister(l) && l.off + 9 <= l.end && l.buf[l.off + 8]! >> 4 === 0;

/** An address of a null Register's dummy header, at `at` in it, read as the PIM message's own IP family. */
function dummyAddress(name: string, label: string, type: 'ipv4' | 'ipv6', at: number): FieldSpec {
  const size = type === 'ipv4' ? 4 : 16;
  return {
    name,
    label,
    type,
    read: (l, v, ctx) => {
      const q = l.off + 8 + at;
      if (!dummyHeader(l) || q + size > l.end || (ipUnder(l, ctx)?.proto.family === 6) !== (type === 'ipv6')) return;
      if (type === 'ipv4') v.num(l.dv.getUint32(q), l.buf, q, 4);
      else v.bytes(l.buf, q, 16);
    },
  };
}

const optionCursor = OPTIONS.cursor();
const addressCursor = ADDRESSES.cursor();

/** The bytes of the value Wireshark reads from each option whose value is fields of its own. */
const OPTION_VALUE_SIZES: Readonly<Record<number, number>> = {
  [OPT_HOLD_TIME]: 2,
  [OPT_LAN_PRUNE_DELAY]: 4,
  [OPT_DR_PRIORITY]: 4,
  [OPT_GENERATION_ID]: 4,
  [OPT_STATE_REFRESH]: 4,
};
const countCursor = OPTIONS.cursor();

/**
 * A Hello's options, counted as Wireshark counts them; -1 (no count shown) where its walk ends in an exception: a
 * message cut by the snap length, 2 or 3 bytes left over, an option or the value it reads, or an address, running
 * past the message's end.
 */
function optionCount(l: Layer): number {
  if (l.short) return -1;
  let n = 0;
  let end = l.off + 4;
  for (let ok = countCursor.region(l, 0, -1, 0); ok; ok = countCursor.step(l)) {
    const { p, len } = countCursor;
    n++;
    end = p + len;
    if (p + 4 + (OPTION_VALUE_SIZES[l.dv.getUint16(p)] ?? 0) > l.end) return -1;
    if (!isAddressList(l, p)) continue;
    // Addresses until the option's end, each read whole: one that the message does not hold throws.
    for (let q = p + 4; q < p + len; ) {
      if (q + 2 > l.end) return -1;
      const size = addressSize(l, q);
      if (size === 0) break;
      if (q + size > l.end) return -1;
      q += size;
    }
  }
  return l.end - end < 2 ? n : -1;
}

const values = new Values();
const REGISTER_BODY = new Set([
  'pim.ip_version',
  'pim.dummy_header',
  'pim.source',
  'pim.source_ip6',
  'pim.group',
  'pim.group_ip6',
]);

/**
 * -V as Wireshark's: the header, then what follows it under `PIM Options`: a Hello's options, each a subtree of its
 * type, length and value, an address list's addresses a subtree each under `Address List (24)`; a Register's flags.
 */
function pimTree(l: Layer, ctx: PacketCtx, visit: (f: Field, v: Values, depth: number) => void): void {
  const show = (f: Field, depth: number): void => {
    if (values.n > 0) visit(f, values, depth); // a child (a flag) is drawn one deeper by the visit
  };
  for (const f of PIM_FIELDS()) {
    if (f.type === 'protocol' || f.list !== null) continue;
    values.n = 0;
    f.read(l, values, ctx);
    // After the header, a Register's fields are under `PIM Options`.
    show(f, f.name.startsWith('pim.register_flag') || REGISTER_BODY.has(f.name) ? 2 : 1);
  }
  for (let ok = optionCursor.region(l, 0, -1, 0); ok; ok = optionCursor.step(l)) {
    const { p, len } = optionCursor;
    visitText(visit, OPTIONS.title(l, p, len), l.buf, p, len, 2);
    for (const f of OPTIONS.fields) {
      values.n = 0;
      f.recordRead!(l, values, ctx, p, len);
      show(f, 3);
    }
    if (!isAddressList(l, p)) continue;
    visitText(
      visit,
      `${l.dv.getUint16(p) === OPT_ADDRESS_LIST_OLD ? 'old ' : ''}Address List (${l.dv.getUint16(p)})`,
      l.buf,
      p,
      len,
      3,
    );
    for (let more = addressCursor.region(l, 0, p, len); more; more = addressCursor.step(l)) {
      const q = addressCursor.p;
      for (const f of ADDRESSES.fields) {
        values.n = 0;
        f.recordRead!(l, values, ctx, q, addressCursor.len);
        // The address is the subtree's title line; its family, encoding and value are under it.
        show(f, f.name.startsWith('pim.address_list') ? 4 : 5);
      }
    }
  }
}

export const pim = protocol({
  name: 'pim',
  abbrev: 'pim',
  title: 'Protocol Independent Multicast',
  hf: PIM_FIELDS,
  tree: pimTree,
  dissect(ctx, l) {
    // A header cut short keeps what it has (Wireshark shows its version and type).
    if (!ctx.need(l, 4)) {
      if (l.end > l.off) l.hdrEnd = l.end;
      return;
    }
    l.hdrEnd = l.off + 4;
    const below = ctx.layers[ctx.layers.indexOf(l) - 2];
    if (below?.proto === pim && isRegister(below)) l.aux = IN_REGISTER;
    // A Register carries the multicast packet it registers.
    const registerData = l.off + 8;
    if (isRegister(l) && registerData < l.end) {
      l.hdrEnd = registerData;
      const v = l.buf[registerData]! >> 4;
      if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, registerData, l.end);
    }
  },
  json: jsonMembers(PIM_FIELDS, [
    { name: 'version', field: 'pim.version' },
    { name: 'type', field: 'pim.type' },
    { name: 'holdtime', field: 'pim.holdtime' },
    { name: 'drPriority', field: 'pim.dr_priority' },
    { name: 'generationId', field: 'pim.generation_id' },
  ]),
  label: pimLabel,
  summary: (l, out) => out.str(pimLabel(l)),
});
