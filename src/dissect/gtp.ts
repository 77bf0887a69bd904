import { declareFields, fields, protocolField, type FieldReader, YES_NO } from './field.js';
import { Table, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * GTP-U (3GPP TS 29.281, UDP 2152): the user-plane tunnel of mobile
 * networks. 8 bytes, 4 more when any of E/S/PN is set, then extension
 * headers; a T-PDU (message type 255) carries an IP packet.
 */
const T_PDU = 255;
const MAX_EXTENSIONS = 16;

/**
 * A field of the 4 optional bytes (there when any of E/S/PN is set), shown when its own flag is set, as Wireshark does.
 */
const optional =
  (at: number, size: 1 | 2, flag: number): FieldReader =>
  (l, v) => {
    const p = l.off + at;
    if ((l.buf[l.off]! & flag) === 0 || p + size > l.end) return;
    v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

/** GTP versions, in Wireshark's words (it calls 3-7 None). */
const VERSION_NAMES: Readonly<Record<number, string>> = {
  0: 'GTP release 97/98 version',
  1: 'GTP release 99 version',
  2: 'GTPv2-C',
  3: 'None',
  4: 'None',
  5: 'None',
  6: 'None',
  7: 'None',
};

/** The protocol type bit: GTP' (charging) or GTP. */
const PROTOCOL_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "GTP'",
  1: 'GTP',
};

/** Wireshark's gtp fields of the GTPv1-U header. */
const GTP_FIELDS = declareFields(() => [
  protocolField('gtp', 'GPRS Tunneling Protocol'),
  ...fields(
    { name: 'gtp.flags', label: 'Flags', type: 'uint', base: 'hex', at: 0 },
    {
      name: 'gtp.flags.version',
      label: 'Version',
      type: 'uint',
      values: VERSION_NAMES,
      mask: 0xe0,
      at: 0,
      child: true,
    },
    {
      name: 'gtp.flags.payload',
      label: 'Protocol type',
      type: 'uint',
      values: PROTOCOL_TYPE_NAMES,
      mask: 0x10,
      at: 0,
      child: true,
    },
    {
      name: 'gtp.flags.e',
      label: 'Is Next Extension Header present?',
      type: 'bool',
      tfs: YES_NO,
      mask: 0x04,
      at: 0,
      child: true,
    },
    {
      name: 'gtp.flags.s',
      label: 'Is Sequence Number present?',
      type: 'bool',
      tfs: YES_NO,
      mask: 0x02,
      at: 0,
      child: true,
    },
    {
      name: 'gtp.flags.pn',
      label: 'Is N-PDU number present?',
      type: 'bool',
      tfs: YES_NO,
      mask: 0x01,
      at: 0,
      child: true,
    },
    { name: 'gtp.message', label: 'Message Type', type: 'uint', base: 'hex', values: { 255: 'T-PDU' }, at: 1 },
    { name: 'gtp.length', label: 'Length', type: 'uint', bits: 16, at: 2 },
    { name: 'gtp.teid', label: 'TEID', type: 'uint', bits: 32, base: 'hex_dec', at: 4 },
    {
      name: 'gtp.seq_number',
      label: 'Sequence number',
      type: 'uint',
      bits: 16,
      base: 'hex_dec',
      read: optional(8, 2, 0x02),
    },
    { name: 'gtp.npdu_number', label: 'N-PDU Number', type: 'uint', base: 'hex', read: optional(10, 1, 0x01) },
  ),
]);

export const gtp = protocol({
  name: 'gtp',
  abbrev: 'gtp',
  title: 'GPRS Tunneling Protocol',
  hf: GTP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const flags = l.buf[l.off]!;
    let p = l.off + 8;
    if (flags & 0x07) {
      if (!ctx.need(l, 12)) return;
      let next = l.buf[l.off + 11]!;
      p = l.off + 12;
      for (let n = 0; flags & 0x04 && next !== 0; n++) {
        if (n >= MAX_EXTENSIONS || p >= l.end) return void (l.hdrEnd = Math.min(p, l.end));
        const len = l.buf[p]! * 4;
        if (len === 0 || p + len > l.end) return void (l.hdrEnd = Math.min(p, l.end));
        next = l.buf[p + len - 1]!;
        p += len;
      }
    }
    l.hdrEnd = p;
    if (l.buf[l.off + 1] !== T_PDU || p >= l.end) return;
    const v = l.buf[p]! >> 4;
    if (v === 4 || v === 6) ctx.handoff(l, Table.EtherType, v === 4 ? 0x0800 : 0x86dd, p, l.end);
  },
  json: jsonMembers(GTP_FIELDS, [
    { name: 'version', field: 'gtp.flags.version' },
    { name: 'messageType', field: 'gtp.message' },
    { name: 'teid', field: 'gtp.teid' },
  ]),
  summary: (l, out) => out.str(`GTP-U teid ${l.dv.getUint32(l.off + 4)}`),
});
