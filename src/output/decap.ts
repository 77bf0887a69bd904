import { espOpened } from '../dissect/esp.js';
import type { PacketCtx, Protocol } from '../dissect/packet.js';
import * as P from '../dissect/protocols.js';

/**
 * -w OUT --decap: what a packet carries, as a frame of its own: the
 * innermost payload of its encapsulations (GRE, ERSPAN, VXLAN, Geneve,
 * GTP-U, IP in IP, decrypted or NULL ESP, AH). The output is Ethernet
 * (link type 1): an inner Ethernet frame is written as it is, an inner IP
 * packet behind a made-up Ethernet header (zero addresses, its EtherType),
 * so that one file holds both. Packets that carry nothing are left out.
 */
const CARRIERS = new Set<Protocol>([P.gre, P.erspan, P.vxlan, P.vxlanGpe, P.geneve, P.gtp, P.ah]);
const ETHERTYPES = new Map<Protocol, number>([
  [P.ipv4, 0x0800],
  [P.ipv6, 0x86dd],
  [P.mpls, 0x8847],
  [P.arp, 0x0806],
]);

export interface DecapFrame {
  readonly data: Uint8Array;
  /** The inner frame's length on the wire, as far as the capture tells. */
  readonly len: number;
}

/** The innermost payload of the packet, as an Ethernet frame; null when it is not encapsulated. */
export function decapsulate(ctx: PacketCtx): DecapFrame | null {
  let inner = -1;
  for (let i = 1; i < ctx.count; i++) {
    const prev = ctx.layers[i - 1]!;
    const l = ctx.layers[i]!;
    if (l.quoted) break;
    const carried =
      CARRIERS.has(prev.proto) ||
      (prev.proto === P.esp && espOpened(prev)) ||
      // IP directly in IP (4in4, 6in4, 4in6...).
      (prev.proto.network === true && l.proto.network === true);
    if (carried) inner = i;
  }
  if (inner < 0) return null;
  const l = ctx.layers[inner]!;
  const body = l.buf.subarray(l.off, l.end);
  const inFrame = l.buf === ctx.data;
  const missing = inFrame && l.end === ctx.dataOff + ctx.caplen ? ctx.len - ctx.caplen : 0;
  if (l.proto === P.ethernet) return { data: body, len: body.length + missing };
  const type = ETHERTYPES.get(l.proto);
  if (type === undefined) return null;
  const frame = new Uint8Array(14 + body.length);
  frame[12] = type >> 8;
  frame[13] = type & 0xff;
  frame.set(body, 14);
  return { data: frame, len: frame.length + missing };
}
