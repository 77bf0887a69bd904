import { declareFields } from './field.js';
import { list } from './field-list.js';
import { Table, protocol } from './packet.js';
import { W } from './warnings.js';
import { jsonMembers } from './json.js';

/**
 * MPLS label stack (RFC 3032). MPLS does not say what it carries: after the
 * bottom of the stack, a first nibble of 4 or 6 is IP; 0 is a pseudowire
 * control word followed by Ethernet (RFC 4448), as Wireshark guesses too.
 * The reserved labels say it outright (RFC 3032, 5586, Y.1711): 0 is IPv4,
 * 2 is IPv6, 13 (GAL) and 14 (OAM alert) carry no IP.
 * aux = the number of labels.
 */
const MAX_LABELS = 32;
const LABEL_IPV4_NULL = 0;
const LABEL_IPV6_NULL = 2;
const LABEL_GAL = 13;
const LABEL_OAM = 14;

/** Wireshark's special_labels. */
const SPECIAL_LABELS = {
  0: 'IPv4 Explicit-Null',
  1: 'Router Alert',
  2: 'IPv6 Explicit-Null',
  3: 'Implicit-Null',
  7: 'Entropy Label Indicator (ELI)',
  13: 'Generic Associated Channel Label (GAL)',
  14: 'OAM Alert',
};

const TITLE = 'MultiProtocol Label Switching Header';

/**
 * The label stack: an entry of 4 bytes per label, as many as the dissector
 * found (aux). Each entry is a protocol item of its own in Wireshark's tree,
 * all in one layer: `count(mpls)` counts entries, `mpls.label#2` is no
 * second entry but a second stack.
 */
const ENTRIES = list({
  name: 'mpls.entry',
  title(l, p) {
    const e = l.dv.getUint32(p);
    const label = e >>> 12;
    const name = (SPECIAL_LABELS as Record<number, string>)[label];
    return (
      `${TITLE}, Label: ${label}${name ? ` (${name})` : ''}, ` +
      `Exp: ${(e >> 9) & 7}, S: ${(e >> 8) & 1}, TTL: ${e & 0xff}`
    );
  },
  in: [{ start: (l) => l.off, end: (l) => l.off + 4 * l.aux }],
  size: 4,
  asLayers: true,
  fields: [
    {
      name: 'mpls',
      label: TITLE,
      type: 'protocol',
      // A stack cut before its first entry is still MPLS.
      read: (l, v) => {
        if (l.aux === 0) v.num(1, l.buf, l.off, Math.max(0, l.end - l.off));
      },
      record: (l, v, _ctx, p) => v.num(1, l.buf, p, 4),
    },
    {
      name: 'mpls.label',
      label: 'MPLS Label',
      type: 'uint',
      bits: 32,
      mask: 0xfffff000,
      base: 'dec_hex',
      values: SPECIAL_LABELS,
      at: 0,
    },
    { name: 'mpls.exp', label: 'MPLS Experimental Bits', type: 'uint', bits: 32, mask: 0xe00, at: 0 },
    { name: 'mpls.bottom', label: 'MPLS Bottom Of Label Stack', type: 'uint', bits: 32, mask: 0x100, at: 0 },
    { name: 'mpls.ttl', label: 'MPLS TTL', type: 'uint', bits: 32, mask: 0xff, at: 0 },
  ],
});
const HF = declareFields(() => ENTRIES.fields);

export const mpls = protocol({
  name: 'mpls',
  abbrev: 'mpls',
  title: TITLE,
  hf: HF,
  dissect(ctx, l) {
    let p = l.off;
    let bottom = -1;
    for (let n = 1; ; n++) {
      if (p + 4 > l.end) {
        l.hdrEnd = p;
        l.aux = n - 1;
        if (!l.quoted) ctx.warn(l, l.short ? W.truncated : W.tooShort, p + 4 - l.off, l.end - l.off);
        return;
      }
      const entry = l.dv.getUint32(p);
      p += 4;
      if (entry & 0x100) {
        l.aux = n;
        bottom = entry >>> 12;
        break;
      }
      if (n >= MAX_LABELS) {
        l.hdrEnd = p;
        l.aux = n;
        return ctx.warn(l, W.mplsNoBottom);
      }
    }
    l.hdrEnd = p;
    if (p >= l.end || bottom === LABEL_GAL || bottom === LABEL_OAM) return;
    if (bottom === LABEL_IPV4_NULL) return ctx.handoff(l, Table.EtherType, 0x0800, p, l.end);
    if (bottom === LABEL_IPV6_NULL) return ctx.handoff(l, Table.EtherType, 0x86dd, p, l.end);
    const nibble = l.buf[p]! >> 4;
    if (nibble === 4) ctx.handoff(l, Table.EtherType, 0x0800, p, l.end);
    else if (nibble === 6) ctx.handoff(l, Table.EtherType, 0x86dd, p, l.end);
    else if (nibble === 0 && p + 4 + 14 <= l.end) ctx.handoff(l, Table.EtherType, 0x6558, p + 4, l.end);
  },
  json: jsonMembers(HF, [
    {
      name: 'labels',
      list: 'mpls.entry',
      members: [
        { name: 'label', field: 'mpls.label' },
        { name: 'exp', field: 'mpls.exp' },
        { name: 'bos', field: 'mpls.bottom', boolean: true },
        { name: 'ttl', field: 'mpls.ttl' },
      ],
    },
  ]),
  // Each label as tcpdump gives it: label, traffic class, [S] on the bottom of the stack, TTL.
  summary(l, out) {
    out.str('MPLS');
    for (let i = 0; i < l.aux; i++) {
      const e = l.dv.getUint32(l.off + 4 * i);
      out
        .str(i === 0 ? ' label ' : ', label ')
        .num(e >>> 12)
        .str(' tc ')
        .num((e >> 9) & 7);
      if (e & 0x100) out.str(' [S]');
      out.str(' ttl ').num(e & 0xff);
    }
  },
});
