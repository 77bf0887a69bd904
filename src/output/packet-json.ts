import type { Layer, PacketCtx } from '../dissect/packet.js';
import { JsonBytes, JsonObject, walkMembers } from '../dissect/json.js';
import { TextOut } from '../util/text-out.js';

export function warningTexts(ctx: PacketCtx): string[] {
  const out: string[] = [];
  for (let i = 0; i < ctx.warnCount; i++) {
    const w = ctx.warnings[i]!;
    const li = ctx.warnLayer[i]!;
    const proto = li >= 0 ? ctx.layers[li]!.proto.name : 'frame';
    out.push(`${w.id}: ${w.text(proto, ctx.warnA[i]!, ctx.warnB[i]!)}`);
  }
  return out;
}

/** The layers as CONTRACT.md's JSON objects. */
export function layerObjects(ctx: PacketCtx): Record<string, unknown>[] {
  const layers: Record<string, unknown>[] = [];
  for (let i = 0; i < ctx.count; i++) layers.push(layerObject(ctx.layers[i]!, ctx));
  return layers;
}

const objects = new JsonObject();

/** A layer's JSON members as an object: the same walk as the bytes of --json. */
export function layerFields(l: Layer, ctx: PacketCtx): Record<string, unknown> {
  const o = objects.reset();
  walkMembers(l.proto.json.members(), l, ctx, objects);
  return o;
}

function layerObject(l: Layer, ctx: PacketCtx): Record<string, unknown> {
  const o: Record<string, unknown> = { protocol: l.proto.name, ...layerFields(l, ctx) };
  o.protocol = l.proto.name; // a field of the same name must not hide which protocol this is
  if (l.quoted) o.quoted = true;
  if (l.fromEsp) o.fromEsp = true;
  return o;
}

/** Divisors that keep the first 1 to 9 digits of the nanoseconds. */
const FRACTION_DIVISORS = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** "." and the fraction of the second, with as many digits as the capture has (at most 9). */
export function writeFraction(ctx: PacketCtx, out: TextOut): void {
  const digits = Math.min(ctx.tsDigits, 9);
  out.byte(0x2e).padded(Math.floor(ctx.tsNsec / FRACTION_DIVISORS[digits]!), digits);
}

const bytes = new JsonBytes();

/**
 * Writes one NDJSON line for a dissected packet (without the newline): the
 * text of JSON.stringify over layerObjects, written by each protocol's
 * bytes writer, compiled from its declared members (json.ts).
 */
export function writePacketJson(ctx: PacketCtx, out: TextOut): void {
  out.str('{"frame":').num(ctx.frameNo).str(',"ts":').num(ctx.tsSec);
  // Seconds with as many fraction digits as the capture has, as a JSON number.
  if (ctx.tsDigits > 0) writeFraction(ctx, out);
  out.str(',"caplen":').num(ctx.caplen).str(',"len":').num(ctx.len).str(',"layers":[');
  bytes.out = out;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (i > 0) out.byte(0x2c);
    out.str('{"protocol":"').str(l.proto.name).byte(0x22);
    l.proto.json.bytes(l, ctx, out, bytes);
    if (l.quoted) out.str(',"quoted":true');
    if (l.fromEsp) out.str(',"fromEsp":true');
    out.byte(0x7d);
  }
  out
    .str('],"warnings":')
    .str(ctx.warnCount === 0 ? '[]' : JSON.stringify(warningTexts(ctx)))
    .byte(0x7d);
}

const scratch = new TextOut(4096);

/** The packet's NDJSON line as a string, for tests. */
export function packetJson(ctx: PacketCtx): string {
  writePacketJson(ctx, scratch);
  return scratch.take();
}
