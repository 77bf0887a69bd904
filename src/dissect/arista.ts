import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * Arista's timestamping header (EtherType 0xD28B): subtype 1 (timestamp),
 * a version whose low byte says 64-bit (0x10: 8 bytes) or 48-bit (0x20:
 * 6 bytes) time, then the EtherType of what follows.
 */
const SUBTYPE_TIMESTAMP = 1;
const VERSION_64 = 0x10;
const VERSION_48 = 0x20;

const isTimestamp = (l: Layer): boolean => l.dv.getUint16(l.off) === SUBTYPE_TIMESTAMP;
/**
 * The time's width in bytes (after the 4 bytes of subtype and version), 0
 * for a version of neither kind (0x0011, 0x0121 in tcpdump's arista_ether):
 * its layout is unknown, so dissection stops there, as tshark's does.
 */
const timeWidth = (l: Layer): number => {
  const v = l.dv.getUint16(l.off + 2) & 0xff;
  return v === VERSION_64 ? 8 : v === VERSION_48 ? 6 : 0;
};

/** A number of the timestamp header: of the 64-bit (8) or the 48-bit (6) time only, or of either (0). */
const timestamp =
  (at: number | 'type', size: 2 | 4, width: 0 | 6 | 8): FieldReader =>
  (l, v) => {
    const w = isTimestamp(l) ? timeWidth(l) : 0;
    if (w === 0 || (width !== 0 && w !== width)) return;
    const p = l.off + (at === 'type' ? 4 + w : at);
    if (p + size <= l.end) v.num(size === 2 ? l.dv.getUint16(p) : l.dv.getUint32(p), l.buf, p, size);
  };

/** The timestamp versions of known layout (64-bit: 0x10, 0x110; 48-bit: 0x20, 0x120). */
const VERSION_NAMES: Readonly<Record<number, string>> = {
  0x10: 'Version 1',
  0x110: 'Version 11',
  0x20: 'Version 2',
  0x120: 'Version 12',
};

/** Wireshark's avsp fields. */
const AVSP_FIELDS = declareFields(() => [
  protocolField('avsp', 'Arista Vendor Specific Protocol'),
  ...fields(
    { name: 'avsp.sub_type', label: 'Sub Type', type: 'uint', bits: 16, values: { 1: 'timestamp' }, at: 0 },
    { name: 'avsp.ver', label: 'Version', type: 'uint', values: VERSION_NAMES, bits: 16, base: 'hex', at: 2 },
    { name: 'avsp.64sec', label: 'Seconds', type: 'uint', bits: 32, read: timestamp(4, 4, 8) },
    { name: 'avsp.64ns', label: 'Nanoseconds', type: 'uint', bits: 32, read: timestamp(8, 4, 8) },
    { name: 'avsp.48sec', label: 'Seconds', type: 'uint', bits: 16, read: timestamp(4, 2, 6) },
    { name: 'avsp.48ns', label: 'Nanoseconds', type: 'uint', bits: 32, read: timestamp(6, 4, 6) },
    {
      name: 'avsp.etype',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      read: timestamp('type', 2, 0),
    },
  ),
]);

export const arista = protocol({
  ethertype: true,
  name: 'arista',
  abbrev: 'avsp',
  title: 'Arista Vendor Specific Protocol',
  hf: AVSP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    const width = isTimestamp(l) ? timeWidth(l) : 0;
    if (width === 0) return void (l.hdrEnd = l.off + 4);
    const len = 4 + width + 2;
    if (!ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.hdrEnd - 2), l.hdrEnd, l.end);
  },
  json: jsonMembers(AVSP_FIELDS, [
    { name: 'subtype', field: 'avsp.sub_type' },
    { name: 'version', field: 'avsp.ver' },
  ]),
  summary: (l, out) => {
    out.str('Arista timestamp');
    if (isTimestamp(l) && timeWidth(l) === 0)
      out
        .str(' version ')
        .hex(l.dv.getUint16(l.off + 2), 4)
        .str(' (unknown)');
  },
});
