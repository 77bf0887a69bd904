import { Table, type Protocol } from './packet.js';
import { jsonRest } from './json.js';

/**
 * BSD loopback (link type 0, address family in the capturing host's byte
 * order) and OpenBSD loop (108, network order). IPv6's family number differs
 * between BSDs: 24, 28 or 30.
 */
const AF_INET = 2;
const AF_INET6 = [24, 28, 30, 10];

function family(dv: DataView, off: number, bigEndianOnly: boolean): number {
  const be = dv.getUint32(off, false);
  if (bigEndianOnly) return be;
  // Host order is unknown: a family number is small, so take whichever reading is.
  return be < 0x10000 ? be : dv.getUint32(off, true);
}

function makeNull(bigEndianOnly: boolean): Protocol {
  return {
    name: 'null',
    dissect(ctx, l) {
      if (!ctx.need(l, 4)) return;
      l.hdrEnd = l.off + 4;
      const af = family(l.dv, l.off, bigEndianOnly);
      if (af === AF_INET) ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
      else if (AF_INET6.includes(af)) ctx.handoff(l, Table.EtherType, 0x86dd, l.hdrEnd, l.end);
    },
    json: jsonRest((l) => ({ family: family(l.dv, l.off, bigEndianOnly) })),
    summary: () => {},
  };
}

export const nullLoopback = makeNull(false);
export const openbsdLoop = makeNull(true);
