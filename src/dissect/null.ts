import { Table, type Layer, protocol } from './packet.js';
import { declareFields, fields, protocolField } from './field.js';
import { jsonMembers } from './json.js';

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

/** OpenBSD's loop writes the family in network order; the other readings guess (family). */
const familyOf = (l: Layer): number => family(l.dv, l.off, l.proto === openbsdLoop);

/** The address families of BSD's loopback header (IPv6 has three numbers, by BSD). */
const FAMILY_NAMES: Readonly<Record<number, string>> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

const NULL_FIELDS = declareFields(() => [
  protocolField('null', 'Null/Loopback'),
  ...fields({
    name: 'null.family',
    label: 'Family',
    type: 'uint',
    values: FAMILY_NAMES,
    bits: 32,
    read: (l, v) => {
      if (l.off + 4 <= l.end) v.num(familyOf(l), l.buf, l.off, 4);
    },
  }),
]);

export const nullLoopback = protocol({
  name: 'null',
  abbrev: 'null',
  title: 'Null/Loopback',
  hf: NULL_FIELDS,
  dissect(ctx, l) {
    if (!ctx.need(l, 4)) return;
    l.hdrEnd = l.off + 4;
    const af = familyOf(l);
    if (af === AF_INET) ctx.handoff(l, Table.EtherType, 0x0800, l.hdrEnd, l.end);
    else if (AF_INET6.includes(af)) ctx.handoff(l, Table.EtherType, 0x86dd, l.hdrEnd, l.end);
  },
  json: jsonMembers(NULL_FIELDS, [{ name: 'family', field: 'null.family' }]),
  summary: () => {},
});

/** The same protocol for link type 108, told apart by identity (familyOf). */
export const openbsdLoop = protocol({ ...nullLoopback });
