import { declareFields, fields, protocolField } from './field.js';
import { protocol } from './packet.js';
import { handoffNextProtocol } from './vxlan.js';
import { jsonMembers } from './json.js';

/** NSH's next protocols (RFC 8300), in Wireshark's words. */
const NEXT_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'None',
  1: 'IPv4',
  2: 'IPv6',
  3: 'Ethernet',
  4: 'NSH',
  5: 'MPLS',
  254: 'Experiment 1',
  255: 'Experiment 2',
};

/** Wireshark's nsh fields of the base and service path headers. */
const NSH_FIELDS = declareFields(() => [
  protocolField('nsh', 'Network Service Header'),
  ...fields(
    { name: 'nsh.version', label: 'Version', type: 'uint', bits: 16, base: 'dec_hex', mask: 0xc000, at: 0 },
    { name: 'nsh.Obit', label: 'O Bit', type: 'uint', bits: 16, mask: 0x2000, at: 0 },
    { name: 'nsh.CBit', label: 'C Bit', type: 'uint', bits: 16, mask: 0x1000, at: 0 },
    { name: 'nsh.ttl', label: 'Time to live', type: 'uint', bits: 16, base: 'hex', mask: 0x0fc0, at: 0 },
    { name: 'nsh.length', label: 'Length', type: 'uint', bits: 16, base: 'dec_hex', mask: 0x003f, at: 0 },
    { name: 'nsh.mdtype', label: 'MD Type', type: 'uint', base: 'dec_hex', at: 2 },
    {
      name: 'nsh.nextproto',
      label: 'Next Protocol',
      type: 'uint',
      values: NEXT_PROTOCOL_NAMES,
      base: 'dec_hex',
      at: 3,
    },
    { name: 'nsh.spi', label: 'SPI', type: 'uint', bits: 24, base: 'dec_hex', at: 4 },
    { name: 'nsh.si', label: 'SI', type: 'uint', base: 'dec_hex', at: 7 },
  ),
]);

/** Network Service Header (RFC 8300, EtherType 0x894F): length in 4-byte words, then the next protocol. */
export const nsh = protocol({
  name: 'nsh',
  abbrev: 'nsh',
  title: 'Network Service Header',
  hf: NSH_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 8)) return;
    const len = (l.dv.getUint16(l.off) & 0x3f) * 4;
    if (len < 8 || !ctx.need(l, len)) return;
    l.hdrEnd = l.off + len;
    handoffNextProtocol(ctx, l, l.buf[l.off + 3]!);
  },
  json: jsonMembers(NSH_FIELDS, [
    { name: 'spi', field: 'nsh.spi' },
    { name: 'si', field: 'nsh.si' },
    { name: 'nextProtocol', field: 'nsh.nextproto' },
  ]),
  summary: (l, out) => out.str(`NSH spi ${l.dv.getUint32(l.off + 4) >>> 8} si ${l.buf[l.off + 7]}`),
});
