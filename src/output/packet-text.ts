import type { Layer, PacketCtx } from '../dissect/packet.js';
import { warningTexts } from './packet-json.js';
import { TextOut } from './text-out.js';
import { writeTime } from './timestamp.js';

/**
 * Writes one line for a packet (without the newline), tcpdump-style: the
 * time, then each network layer as "src > dst:" followed by what it
 * carries, tunnels separated by " | ". Link layers before the first network
 * layer are left out, as tcpdump does without -e.
 */
export function writePacketText(ctx: PacketCtx, out: TextOut): void {
  const lineStart = out.pos;
  const timed = writeTime(ctx, out);
  let firstNetwork = -1;
  for (let i = 0; i < ctx.count; i++) if (ctx.layers[i]!.proto.network) { firstNetwork = i; break; }
  let sawNetwork = false;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (firstNetwork > 0 && i < firstNetwork) continue;
    const before = out.pos;
    // A quoted packet opens where its first layer is (an IP header, or the NHRP packet an Error Indication quotes).
    if (l.quoted && !ctx.layers[i - 1]?.quoted) out.str(' [quoted:');
    else if (l.proto.network && sawNetwork && !l.quoted) out.str(' |');
    out.byte(0x20);
    const start = out.pos;
    l.proto.summary(l, out);
    if (out.pos === start) out.pos = before; // a layer with nothing to say is left out
    if (l.proto.network) sawNetwork = true;
  }
  if (ctx.count > 0 && ctx.layers[ctx.count - 1]!.quoted) out.byte(0x5d);
  if (ctx.count === 0) out.str(' [').num(ctx.caplen).str(' bytes, link type ').num(ctx.linktype).byte(0x5d);
  if (ctx.warnCount > 0) out.str(' [').str(warningTexts(ctx).join('; ')).byte(0x5d);
  // Without a time (-t) the line starts with its first layer, as tcpdump's does.
  if (!timed && out.buf[lineStart] === 0x20) {
    out.buf.copyWithin(lineStart, lineStart + 1, out.pos);
    out.pos--;
  }
}

const scratch = new TextOut(1024);

/** The packet's text line as a string, for the UI and tests. */
export function packetText(ctx: PacketCtx): string {
  writePacketText(ctx, scratch);
  return scratch.take();
}

/** One layer's summary as a string. */
export function summaryText(l: Layer): string {
  l.proto.summary(l, scratch);
  return scratch.take();
}
