import { hex } from './addr.js';
import { fields, protocolField, type FieldReader } from './field.js';
import { Table, type Layer, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * PPP frames as GRE v1 (PPTP) and PPPoE carry them: optional HDLC address
 * and control (FF 03), a one- or two-byte protocol (RFC 1661 field
 * compression). The LCP family of control protocols (LCP, IPCP, CCP,
 * IPv6CP, PAP, CHAP) share a code/identifier/length header, read here.
 * aux = the PPP protocol number.
 */
const PPP_COMPRESSED = 0x00fd;

const CONTROL_NAMES: Record<number, string> = {
  0xc021: 'LCP',
  0x8021: 'IPCP',
  0x80fd: 'CCP',
  0x8057: 'IPv6CP',
  0xc023: 'PAP',
  0xc223: 'CHAP',
  0x80fb: 'CCP-link',
  0x8281: 'MPLSCP',
};
const DATA_NAMES: Record<number, string> = {
  0x0021: 'IP',
  0x0057: 'IPv6',
  0x00fd: 'compressed',
  0x00fb: 'compressed-link',
  0x0281: 'MPLS',
};
const CODE_NAMES: Record<number, string> = {
  1: 'Configure-Request',
  2: 'Configure-Ack',
  3: 'Configure-Nak',
  4: 'Configure-Reject',
  5: 'Terminate-Request',
  6: 'Terminate-Ack',
  7: 'Code-Reject',
  8: 'Protocol-Reject',
  9: 'Echo-Request',
  10: 'Echo-Reply',
  11: 'Discard-Request',
  14: 'Reset-Request',
  15: 'Reset-Ack',
};

/** Whether the frame starts with HDLC address and control (FF 03). */
const hasAddressControl = (l: Layer): boolean =>
  l.off + 2 <= l.end && l.buf[l.off] === 0xff && l.buf[l.off + 1] === 0x03;

/**
 * The code, identifier and length of the control protocols whose fields
 * are Wireshark's ppp.* (LCP, IPCP, CCP, IPv6CP...; PAP and CHAP have their own).
 */
const PPP_CODE_VALS = {
  1: 'Configuration Request',
  2: 'Configuration Ack',
  3: 'Configuration Nak',
  4: 'Configuration Reject',
  5: 'Termination Request',
  6: 'Termination Ack',
  7: 'Code Reject',
  8: 'Protocol Reject',
  9: 'Echo Request',
  10: 'Echo Reply',
  11: 'Discard Request',
  12: 'Identification',
  13: 'Time Remaining',
  14: 'Reset Request',
  15: 'Reset Ack',
};
const PPP_CODE_PROTOCOLS = new Set([0xc021, 0x8021, 0x80fd, 0x8057, 0x80fb, 0x8281]);
const controlField =
  (at: number, size: number): FieldReader =>
  (l, v) => {
    if (!PPP_CODE_PROTOCOLS.has(l.aux)) return;
    const p = controlStart(l.buf, l.off) + at;
    if (p + size <= l.end) v.num(size === 1 ? l.buf[p]! : l.dv.getUint16(p), l.buf, p, size);
  };

/** PPP inside PPPoE has no address/control bytes and always a 2-byte protocol; the same code reads both. */
export const ppp: Protocol = {
  name: 'ppp',
  abbrev: 'ppp',
  title: 'Point-to-Point Protocol',
  hf: [
    protocolField('ppp', 'Point-to-Point Protocol'),
    ...fields(
      {
        name: 'ppp.address',
        label: 'Address',
        type: 'uint',
        base: 'hex',
        read: (l, v) => {
          if (hasAddressControl(l)) v.num(0xff, l.buf, l.off, 1);
        },
      },
      {
        name: 'ppp.control',
        label: 'Control',
        type: 'uint',
        base: 'hex',
        read: (l, v) => {
          if (hasAddressControl(l)) v.num(0x03, l.buf, l.off + 1, 1);
        },
      },
      {
        name: 'ppp.protocol',
        label: 'Protocol',
        type: 'uint',
        bits: 16,
        base: 'hex',
        read: (l, v) => {
          const p = hasAddressControl(l) ? l.off + 2 : l.off;
          v.num(l.aux, l.buf, p, l.aux > 0xff ? 2 : 1);
        },
      },
      { name: 'ppp.code', label: 'Code', type: 'uint', values: PPP_CODE_VALS, read: controlField(0, 1) },
      { name: 'ppp.identifier', label: 'Identifier', type: 'uint', base: 'dec_hex', read: controlField(1, 1) },
      { name: 'ppp.length', label: 'Length', type: 'uint', bits: 16, read: controlField(2, 2) },
    ),
  ],
  dissect(ctx, l) {
    let p = l.off;
    if (p + 2 <= l.end && l.buf[p] === 0xff && l.buf[p + 1] === 0x03) p += 2;
    if (p + 1 > l.end) {
      ctx.need(l, p + 1 - l.off);
      return;
    }
    let protocol = l.buf[p]!;
    if (protocol & 1) p += 1;
    else {
      if (p + 2 > l.end) {
        ctx.need(l, p + 2 - l.off);
        return;
      }
      protocol = l.dv.getUint16(p);
      p += 2;
    }
    l.aux = protocol;
    l.hdrEnd = p;
    if (CONTROL_NAMES[protocol] !== undefined) {
      if (!ctx.need(l, p + 4 - l.off)) return;
      l.hdrEnd = Math.min(l.end, p + Math.max(4, l.dv.getUint16(p + 2)));
      return;
    }
    ctx.handoff(l, Table.PppProto, protocol, p, l.end);
  },
  json: jsonRest((l) => {
    const o: Record<string, unknown> = { pppProtocol: l.aux };
    const name = CONTROL_NAMES[l.aux];
    const start = controlStart(l.buf, l.off);
    if (name !== undefined && start + 4 <= l.end) {
      o.control = { protocol: name, code: l.buf[start]!, id: l.buf[start + 1]!, length: l.dv.getUint16(start + 2) };
    }
    if (l.aux === PPP_COMPRESSED) o.compressed = true;
    return o;
  }),
  label: pppLabel,
  summary: (l, out) => out.str(pppLabel(l)),
};

/** "PPP LCP Configure-Request", "PPP IPv4". */
function pppLabel(l: Layer): string {
  const control = CONTROL_NAMES[l.aux];
  if (control === undefined) return `PPP ${DATA_NAMES[l.aux] ?? hex(l.aux, 4)}`;
  const start = controlStart(l.buf, l.off);
  const code = start < l.end ? l.buf[start]! : -1;
  return `PPP ${control} ${CODE_NAMES[code] ?? `code ${code}`}`;
}

function controlStart(buf: Uint8Array, off: number): number {
  let p = off;
  if (buf[p] === 0xff && buf[p + 1] === 0x03) p += 2;
  return p + (buf[p]! & 1 ? 1 : 2);
}

/** The payload is compressed (MPPE/MPPC: PPTP's encryption). */
export const pppCompressed = (l: Layer): boolean => l.aux === PPP_COMPRESSED;
/** The payload is IPv4 or IPv6, readable. */
export const pppCarriesIp = (l: Layer): boolean => l.aux === 0x0021 || l.aux === 0x0057;
