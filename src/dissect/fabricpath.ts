import { CHECKSUM_STATUS } from '../util/checksum.js';
import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { Table, type Layer, type PacketCtx, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * A FabricPath frame ends in a checksum of its own, over the whole frame,
 * after the classical Ethernet frame it carries: tshark 4.0 reads the last
 * 4 bytes of the frame as wire length gives it so, and the carried frame
 * ends before them. Where the capture cut the frame, the checksum starts
 * past what was captured.
 */
const FCS_LEN = 4;
const fcsStart = (ctx: PacketCtx, l: Layer): number =>
  l.end + (l.short && l.buf === ctx.data ? ctx.len - ctx.caplen : 0) - FCS_LEN;

/** The checksum (its value, or the status tshark gives it unverified) where it was captured whole after the header. */
const fcs =
  (status: boolean): FieldReader =>
  (l, v, ctx) => {
    const p = fcsStart(ctx, l);
    if (p >= l.hdrEnd && p + FCS_LEN <= l.end) v.num(status ? 2 : l.dv.getUint32(p), l.buf, p, FCS_LEN);
  };

/**
 * Wireshark's cfp fields of the FTag/TTL word and the trailing checksum.
 * (Its hierarchical MAC fields split the outer Ethernet addresses, read here as eth's.)
 */
const CFP_FIELDS = declareFields(() => [
  protocolField('cfp', 'Cisco FabricPath'),
  ...fields(
    { name: 'cfp.ftag', label: 'FTAG', type: 'uint', bits: 16, mask: 0xffc0, at: 0 },
    { name: 'cfp.ttl', label: 'TTL', type: 'uint', bits: 16, mask: 0x003f, at: 0 },
    { name: 'cfp.fcs', label: 'Frame check sequence', type: 'uint', bits: 32, base: 'hex', read: fcs(false) },
    {
      name: 'cfp.fcs.status',
      label: 'FCS status',
      type: 'uint',
      base: 'none',
      values: CHECKSUM_STATUS,
      generated: true,
      read: fcs(true),
    },
  ),
]);

/**
 * Cisco FabricPath (EtherType 0x8903 in the outer header): FTag and TTL in
 * two bytes, then the classical Ethernet frame it carries, then the checksum.
 */
export const fabricpath = protocol({
  name: 'fabricpath',
  abbrev: 'cfp',
  title: 'Cisco FabricPath',
  hf: CFP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 2)) return;
    l.hdrEnd = l.off + 2;
    const end = Math.max(l.hdrEnd, Math.min(l.end, fcsStart(ctx, l)));
    ctx.handoff(l, Table.EtherType, 0x6558, l.hdrEnd, end);
  },
  json: jsonMembers(CFP_FIELDS, [
    { name: 'ftag', field: 'cfp.ftag' },
    { name: 'ttl', field: 'cfp.ttl' },
  ]),
  summary: (_l, out) => out.str('FabricPath'),
});
