import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { ETHERTYPE_NAMES } from './numbers.js';
import { Table, type Layer, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * Cisco MetaData (TrustSec SGT tagging), 8 bytes either way:
 * in Ethernet (EtherType 0x8909): version(1) length(1) options(2) SGT(2) type(2);
 * in GRE (protocol type 0x8909) the inner type comes first: type(2) version(1) length(1) options(2) SGT(2).
 */
const inGre = (l: Layer): boolean => l.proto === ciscoMetadataGre;
const typeAt = (l: Layer): number => (inGre(l) ? 0 : 6);
/** Version, length, options and SGT follow one another in both layouts. */
const versionAt = (l: Layer): number => (inGre(l) ? 2 : 0);

/** The field `at` bytes after the version, of `size` bytes, or the type word. */
const word =
  (at: number | 'type', size: 1 | 2): FieldReader =>
  (l, v) => {
    const p = l.off + (at === 'type' ? typeAt(l) : versionAt(l) + at);
    if (p + size <= l.end) v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

/** Wireshark's cmd fields, one set for both layouts. */
const CMD_FIELDS = declareFields(() => [
  protocolField('cmd', 'Cisco MetaData'),
  ...fields(
    {
      name: 'cmd.type',
      label: 'Type',
      type: 'uint',
      bits: 16,
      base: 'hex',
      values: ETHERTYPE_NAMES,
      read: word('type', 2),
    },
    { name: 'cmd.version', label: 'Version', type: 'uint', read: word(0, 1) },
    { name: 'cmd.length', label: 'Length', type: 'uint', read: word(1, 1) },
    { name: 'cmd.options', label: 'Options', type: 'uint', bits: 16, base: 'hex', read: word(2, 2) },
    { name: 'cmd.sgt', label: 'SGT', type: 'uint', bits: 16, read: word(4, 2) },
  ),
]);

export const ciscoMetadataEthernet = protocol({
  name: 'cmd',
  abbrev: 'cmd',
  title: 'Cisco MetaData',
  hf: CMD_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    l.hdrEnd = l.off + 8;
    ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + typeAt(l)), l.hdrEnd, l.end);
  },
  json: jsonMembers(CMD_FIELDS, [
    { name: 'type', field: 'cmd.type' },
    { name: 'version', field: 'cmd.version' },
    { name: 'sgt', field: 'cmd.sgt' },
  ]),
  summary: (l, out) => out.str(`CMD sgt ${l.dv.getUint16(l.off + versionAt(l) + 4)}`),
});

/** The same protocol in GRE, told apart by identity (inGre). */
export const ciscoMetadataGre = protocol({ ...ciscoMetadataEthernet });
