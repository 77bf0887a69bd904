import { declareFields, fields, protocolField } from './field.js';
import { Table, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/** PPPoE (RFC 2516): session stage (0x8864) carries PPP; discovery (0x8863) carries tags only. */
/** Wireshark's code_vals. */
const CODE_VALS = {
  0x00: 'Session Data',
  0x07: 'Active Discovery Offer (PADO)',
  0x09: 'Active Discovery Initiation (PADI)',
  0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)',
  0xa7: 'Active Discovery Terminate (PADT)',
};

const PPPOE_FIELDS = declareFields(() => [
  protocolField('pppoe', 'PPP-over-Ethernet'),
  ...fields(
    { name: 'pppoe.version', label: 'Version', type: 'uint', mask: 0xf0, at: 0 },
    { name: 'pppoe.type', label: 'Type', type: 'uint', mask: 0x0f, at: 0 },
    { name: 'pppoe.code', label: 'Code', type: 'uint', base: 'hex', values: CODE_VALS, at: 1 },
    { name: 'pppoe.session_id', label: 'Session ID', type: 'uint', bits: 16, base: 'hex', at: 2 },
    { name: 'pppoe.payload_length', label: 'Payload Length', type: 'uint', bits: 16, at: 4 },
  ),
]);

export const pppoe = protocol({
  // Wireshark names the two stages protocols of their own.
  frameNames: (l) => (l.key === 0x8864 ? 'pppoes' : 'pppoed'),
  name: 'pppoe',
  abbrev: 'pppoe',
  title: 'PPP-over-Ethernet',
  hf: PPPOE_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 6)) return;
    l.hdrEnd = l.off + 6;
    const len = l.dv.getUint16(l.off + 4);
    const end = Math.min(l.end, l.hdrEnd + len);
    const code = l.buf[l.off + 1];
    if (code === 0 && end - l.hdrEnd >= 2) ctx.handoff(l, Table.EtherType, 0x880b, l.hdrEnd, end);
  },
  json: jsonMembers(PPPOE_FIELDS, [
    { name: 'code', field: 'pppoe.code' },
    { name: 'session', field: 'pppoe.session_id' },
    { name: 'length', field: 'pppoe.payload_length' },
  ]),
  summary: (l, out) => out.str(`PPPoE session ${l.dv.getUint16(l.off + 2)}`),
});
