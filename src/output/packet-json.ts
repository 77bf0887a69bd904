import type { Layer, PacketCtx } from '../dissect/packet.js';

/** Seconds with as many fraction digits as the capture has, as a JSON number literal. */
export function timestampText(sec: number, nsec: number, digits: number): string {
  if (digits <= 0) return String(sec);
  return `${sec}.${String(nsec).padStart(9, '0').slice(0, digits)}`;
}

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
  for (let i = 0; i < ctx.count; i++) layers.push(layerObject(ctx.layers[i]!));
  return layers;
}

function layerObject(l: Layer): Record<string, unknown> {
  const o: Record<string, unknown> = { protocol: l.proto.name, ...l.proto.fields(l) };
  o.protocol = l.proto.name; // a field of the same name must not hide which protocol this is
  if (l.quoted) o.quoted = true;
  if (l.fromEsp) o.fromEsp = true;
  return o;
}

/**
 * One NDJSON line for a dissected packet (without the newline): the text of
 * JSON.stringify over layerObjects, made from each protocol's jsonMembers
 * where it has them.
 */
export function packetJson(ctx: PacketCtx): string {
  let s = `{"frame":${ctx.frameNo},"ts":${timestampText(ctx.tsSec, ctx.tsNsec, ctx.tsDigits)},"caplen":${ctx.caplen},"len":${ctx.len},"layers":[`;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (i > 0) s += ',';
    if (!l.proto.jsonMembers) {
      s += JSON.stringify(layerObject(l));
      continue;
    }
    const members = l.proto.jsonMembers(l);
    s += `{"protocol":"${l.proto.name}"${members ? ',' : ''}${members}${l.quoted ? ',"quoted":true' : ''}${l.fromEsp ? ',"fromEsp":true' : ''}}`;
  }
  return `${s}],"warnings":${ctx.warnCount === 0 ? '[]' : JSON.stringify(warningTexts(ctx))}}`;
}
