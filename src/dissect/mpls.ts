import { fields, protocolField, type FieldSpec } from './field.js';
import { Table, type Protocol } from './packet.js';
import { W } from './warnings.js';
import { jsonRest } from './json.js';

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
  7: 'Entropy Label Indicator',
  13: 'Generic Associated Channel Label (GAL)',
  14: 'OAM Alert',
  15: 'Extension',
};

/** A part of each label stack entry, one occurrence per entry. */
function entryField(name: string, label: string, mask: number, extra: Partial<FieldSpec> = {}): FieldSpec {
  const shift = 31 - Math.clz32(mask & -mask);
  return {
    name,
    label,
    type: 'uint',
    bits: 32,
    mask,
    ...extra,
    read: (l, v) => {
      for (let i = 0; i < l.aux; i++) {
        const p = l.off + 4 * i;
        v.num((l.dv.getUint32(p) & mask) >>> shift, l.buf, p, 4);
      }
    },
  };
}

export const mpls: Protocol = {
  name: 'mpls',
  abbrev: 'mpls',
  title: 'MultiProtocol Label Switching Header',
  hf: [
    protocolField('mpls', 'MultiProtocol Label Switching Header'),
    ...fields(
      entryField('mpls.label', 'MPLS Label', 0xfffff000, { base: 'dec_hex', values: SPECIAL_LABELS }),
      entryField('mpls.exp', 'MPLS Experimental Bits', 0xe00),
      entryField('mpls.bottom', 'MPLS Bottom Of Label Stack', 0x100),
      entryField('mpls.ttl', 'MPLS TTL', 0xff),
    ),
  ],
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
  json: jsonRest((l) => {
    const labels: { label: number; exp: number; bos: boolean; ttl: number }[] = [];
    for (let i = 0; i < l.aux; i++) {
      const e = l.dv.getUint32(l.off + 4 * i);
      labels.push({ label: e >>> 12, exp: (e >> 9) & 7, bos: (e & 0x100) !== 0, ttl: e & 0xff });
    }
    return { labels };
  }),
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
};
