import type { PacketCtx } from '../dissect/packet.js';
import { warningTexts } from './packet-json.js';

let cachedSec = -1;
let cachedClock = '';

/** HH:MM:SS in local time, as tcpdump prints it; computed once per second of capture. */
function clock(sec: number): string {
  if (sec !== cachedSec) {
    const d = new Date(sec * 1000);
    cachedSec = sec;
    cachedClock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  }
  return cachedClock;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/**
 * One line a packet, tcpdump-style: the time, then each network layer as
 * "src > dst:" followed by what it carries, tunnels separated by " | ".
 * Link layers before the first network layer are left out, as tcpdump
 * does without -e.
 */
export function packetText(ctx: PacketCtx): string {
  let line = clock(ctx.tsSec);
  if (ctx.tsDigits > 0) {
    const digits = Math.min(ctx.tsDigits, 9);
    line += '.' + String(Math.floor(ctx.tsNsec / 10 ** (9 - digits))).padStart(digits, '0');
  }
  let firstNetwork = -1;
  for (let i = 0; i < ctx.count; i++) if (ctx.layers[i]!.proto.network) { firstNetwork = i; break; }
  let sawNetwork = false;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (firstNetwork > 0 && i < firstNetwork) continue;
    const s = l.proto.summary(l);
    if (!s) continue;
    if (l.proto.network && sawNetwork) line += l.quoted ? ' [quoted:' : ' |';
    line += ' ' + s;
    if (l.proto.network) sawNetwork = true;
  }
  if (ctx.count > 0 && ctx.layers[ctx.count - 1]!.quoted) line += ']';
  if (ctx.count === 0) line += ` [${ctx.caplen} bytes, link type ${ctx.linktype}]`;
  if (ctx.warnCount > 0) line += ` [${warningTexts(ctx).join('; ')}]`;
  return line;
}
