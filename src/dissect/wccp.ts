import { declareFields, fields, protocolField, type FieldReader } from './field.js';
import { Table, protocol } from './packet.js';
import { jsonMembers } from './json.js';

/**
 * WCCP redirection over GRE 0x883E: WCCPv2 puts a 4-byte redirect header
 * before the IP packet, WCCPv1 does not; an IPv4 version nibble tells which.
 */
/** A byte of the WCCPv2 redirect header (absent before a bare IPv4 packet); mask for its flags. */
const redirect =
  (at: number, mask = 0): FieldReader =>
  (l, v) => {
    if (l.hdrEnd <= l.off) return;
    const b = l.buf[l.off + at]!;
    v.num(mask ? ((b & mask) !== 0 ? 1 : 0) : b, l.buf, l.off + at, 1);
  };

/** WCCP's well-known services (0: web caching, HTTP). */
const SERVICE_NAMES: Readonly<Record<number, string>> = {
  0: 'HTTP',
};

/**
 * Wireshark reads the redirect header as part of GRE (gre.wccp.*); here it
 * is its own layer, whose fields keep Wireshark's names.
 */
const WCCP_FIELDS = declareFields(() => [
  protocolField('wccp', 'WCCP Redirect header'),
  ...fields(
    {
      name: 'gre.wccp.dynamic_service',
      label: 'Dynamic Service',
      type: 'bool',
      tfs: ['Dynamic service', 'Well-known service'],
      mask: 0x01,
      read: redirect(0, 0x01),
    },
    {
      name: 'gre.wccp.alternative_bucket_used',
      label: 'Alternative bucket used',
      type: 'bool',
      tfs: ['Alternative bucket used', 'Primary bucket used'],
      mask: 0x02,
      read: redirect(0, 0x02),
    },
    {
      name: 'gre.wccp.redirect_header_valid',
      label: 'WCCP Redirect header is valid',
      type: 'bool',
      tfs: ['Header is present, but ignore contents', 'Header contents are valid'],
      mask: 0x04,
      read: redirect(0, 0x04),
    },
    { name: 'gre.wccp.service_id', label: 'Service ID', type: 'uint', values: SERVICE_NAMES, read: redirect(1) },
    { name: 'gre.wccp.alternative_bucket', label: 'Alternative Bucket', type: 'uint', read: redirect(2) },
    { name: 'gre.wccp.primary_bucket', label: 'Primary Bucket', type: 'uint', read: redirect(3) },
  ),
]);

export const wccp = protocol({
  name: 'wccp',
  abbrev: 'wccp',
  // Wireshark reads the redirect header as part of GRE (gre.wccp.*): no protocol of its own in the frame.
  frameNames: () => '',
  title: 'WCCP Redirect header',
  hf: WCCP_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 1)) return;
    const bareIp = l.buf[l.off]! >> 4 === 4;
    if (!bareIp && !ctx.need(l, 4)) return;
    l.hdrEnd = bareIp ? l.off : l.off + 4;
    ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
  },
  json: jsonMembers(WCCP_FIELDS, [
    // The whole redirect header as one number (Wireshark names only its parts, gre.wccp.*).
    { name: 'redirect', only: (l) => l.hdrEnd > l.off, value: (l) => l.dv.getUint32(l.off) },
  ]),
  summary: (_l, out) => out.str('WCCP'),
});
