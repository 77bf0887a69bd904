import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * Cisco MetaData (TrustSec SGT tagging), 8 bytes either way:
 * in Ethernet (EtherType 0x8909): version(1) length(1) options(2) SGT(2) type(2);
 * in GRE (protocol type 0x8909) the inner type comes first: type(2) version(1) length(1) options(2) SGT(2).
 */
function makeCiscoMetadata(typeAt: number, versionAt: number, sgtAt: number): Protocol {
  return {
    name: 'cmd',
    dissect(ctx, l) {
      if (!ctx.need(l, 8)) return;
      l.hdrEnd = l.off + 8;
      ctx.handoff(l, Table.EtherType, l.dv.getUint16(l.off + typeAt), l.hdrEnd, l.end);
    },
    json: jsonRest((l) => ({
      type: l.dv.getUint16(l.off + typeAt),
      version: l.buf[l.off + versionAt],
      sgt: l.dv.getUint16(l.off + sgtAt),
    })),
    summary: (l, out) => out.str(`CMD sgt ${l.dv.getUint16(l.off + sgtAt)}`),
  };
}

export const ciscoMetadataEthernet = makeCiscoMetadata(6, 0, 4);
export const ciscoMetadataGre = makeCiscoMetadata(0, 2, 6);
