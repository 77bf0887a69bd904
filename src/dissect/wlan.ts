import { mac } from './addr.js';
import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * IEEE 802.11 data frames, as Aruba controllers tunnel them in GRE
 * (protocol types 0x8200-0x82FF): the MAC header, then LLC/SNAP naming an
 * EtherType. Protected (encrypted) frames and A-MSDU aggregates stop here.
 * aux = 1 when the frame body is protected, 2 when it is an A-MSDU.
 */
/** The GRE protocol types Aruba controllers tunnel 802.11 frames under. */
export const ARUBA_GRE_FIRST = 0x8200;
export const ARUBA_GRE_LAST = 0x82ff;
const TYPE_DATA = 2;
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80;
const QOS_AMSDU = 0x80;

export const wlan: Protocol = {
  name: 'wlan',
  dissect(ctx, l) {
    if (!ctx.need(l, 24)) return;
    const fc0 = l.buf[l.off]!;
    const flags = l.buf[l.off + 1]!;
    let hlen = 24;
    if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) hlen += 6;
    const type = (fc0 >> 2) & 3;
    const subtype = fc0 >> 4;
    const qos = type === TYPE_DATA && (subtype & 8) !== 0;
    if (qos) hlen += 2;
    if (qos && flags & FLAG_ORDER) hlen += 4;
    if (!ctx.need(l, hlen)) return;
    l.hdrEnd = l.off + hlen;
    l.aux = 0;
    // Only data frames with a body (not the Null subtypes) carry packets.
    if (type !== TYPE_DATA || subtype & 4) return;
    if (flags & FLAG_PROTECTED) return void (l.aux = 1);
    if (qos && l.buf[l.off + hlen - (flags & FLAG_ORDER ? 6 : 2)]! & QOS_AMSDU) return void (l.aux = 2);
    const p = l.hdrEnd;
    // LLC/SNAP: AA AA 03 00 00 00, then the EtherType.
    if (p + 8 <= l.end && l.buf[p] === 0xaa && l.buf[p + 1] === 0xaa && l.buf[p + 2] === 0x03) {
      l.hdrEnd = p + 8;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(p + 6), p + 8, l.end);
    }
  },
  json: jsonRest((l) => {
    const o: Record<string, unknown> = {
      type: (l.buf[l.off]! >> 2) & 3,
      subtype: l.buf[l.off]! >> 4,
      flags: l.buf[l.off + 1],
      addr1: mac(l.buf, l.off + 4),
      addr2: mac(l.buf, l.off + 10),
      addr3: mac(l.buf, l.off + 16),
    };
    if (l.aux === 1) o.protected = true;
    if (l.aux === 2) o.amsdu = true;
    return o;
  }),
  summary: (l, out) =>
    out.str(
      `802.11 ${mac(l.buf, l.off + 10)} > ${mac(l.buf, l.off + 4)}${l.aux === 1 ? ' protected' : l.aux === 2 ? ' A-MSDU' : ''}`,
    ),
};
