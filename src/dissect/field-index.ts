import { protocolField, type Field, type Values } from './field.js';
import { abbrevOf, DATA_FIELDS, FRAME_FIELDS } from './frame-fields.js';
import { registerAll } from './handoff.js';
import type { Layer, PacketCtx, Protocol } from './packet.js';
import { registeredProtocols } from './registry.js';

/**
 * The catalogue of every declared field, by Wireshark's filter name, and
 * the one way to read a field's occurrences from a dissected packet:
 * the layers of its protocol in order (outermost first), optionally only
 * chosen layers of that protocol (the display filter's `ip.src#2`).
 */

/** A protocol as the catalogue knows it: Wireshark's abbreviation, its title and fields. */
export interface ProtocolFields {
  readonly abbrev: string;
  readonly title: string;
  readonly fields: readonly Field[];
}

export interface FieldEntry {
  readonly field: Field;
  /** The protocol whose layers hold it; null for the fields of frame and data, which read the packet context. */
  readonly abbrev: string | null;
  /** Other protocols whose layers hold it too (an `alias` field of theirs reads it there). */
  readonly also: readonly { abbrev: string; field: Field }[];
  /** The protocol objects answering to `abbrev` (sll and sll2 share one): layers are matched by identity. */
  readonly protos: readonly Protocol[];
}

let entries: Map<string, FieldEntry> | null = null;
let protocols: Map<string, ProtocolFields> | null = null;

function build(): Map<string, FieldEntry> {
  registerAll();
  entries = new Map();
  protocols = new Map();
  protocols.set('frame', { abbrev: 'frame', title: 'Frame', fields: FRAME_FIELDS });
  protocols.set('data', { abbrev: 'data', title: 'Data', fields: DATA_FIELDS });
  for (const f of [...FRAME_FIELDS, ...DATA_FIELDS])
    entries.set(f.name, { field: f, abbrev: null, also: [], protos: [] });
  const aliases: { abbrev: string; field: Field }[] = [];
  const objects = new Map<string, Protocol[]>();
  for (const p of registeredProtocols()) {
    const abbrev = p.abbrev ?? p.name;
    const same = objects.get(abbrev);
    if (same) {
      same.push(p);
      continue; // a protocol object per dispatch key (sll, sll2) shares one abbreviation
    }
    const protos = [p];
    objects.set(abbrev, protos);
    // A protocol that declares no fields yet still answers to its name.
    const hf = p.hf?.() ?? [protocolField(abbrev, p.title ?? abbrev)];
    protocols.set(abbrev, { abbrev, title: p.title ?? abbrev, fields: hf });
    for (const f of hf) {
      if (f.alias) aliases.push({ abbrev, field: f });
      else if (entries.has(f.name)) throw new Error(`field ${f.name} is declared twice`);
      else entries.set(f.name, { field: f, abbrev, also: [], protos });
    }
  }
  for (const a of aliases) {
    const e = entries.get(a.field.name);
    if (!e || e.abbrev === null || e.field.type !== a.field.type)
      throw new Error(`field ${a.field.name}: an alias of no such field`);
    entries.set(a.field.name, { ...e, also: [...e.also, a] });
  }
  return entries;
}

export function lookupField(name: string): FieldEntry | undefined {
  return (entries ?? build()).get(name);
}

export function fieldNames(): string[] {
  return [...(entries ?? build()).keys()];
}

/** The catalogue of protocols by abbreviation (`frame` first). */
export function protocolCatalogue(): ReadonlyMap<string, ProtocolFields> {
  if (!protocols) build();
  return protocols!;
}

/**
 * Reads the occurrences of a field into v (emptied first). layers, when
 * given, picks layers of its protocol by number: pairs of inclusive
 * bounds, 1 the outermost, negative from the innermost (-1); a layer in
 * any pair is read.
 */
export function readField(entry: FieldEntry, ctx: PacketCtx, v: Values, layers: readonly number[] | null = null): void {
  v.n = 0;
  const { field: f, abbrev } = entry;
  if (abbrev === null) {
    // The frame (and its data) is one layer.
    if (layers === null || inLayers(1, 1, layers)) f.read(ctx.layers[0]!, v, ctx);
    return;
  }
  if (layers === null && entry.also.length === 0 && entry.protos.length === 1) {
    // The common case, on every packet a filter reads: one protocol object, compared by identity.
    const p = entry.protos[0];
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      if (l.proto === p) f.read(l, v, ctx);
    }
    return;
  }
  if (layers === null) {
    for (let i = 0; i < ctx.count; i++) {
      const l = ctx.layers[i]!;
      const r = readerIn(entry, l);
      if (r) r.read(l, v, ctx);
    }
    return;
  }
  if (entry.also.length > 0) return readAliasedLayers(entry, ctx, v, layers);
  let total = 0;
  for (let i = 0; i < ctx.count; i++) if (abbrevOf(ctx.layers[i]!) === abbrev) total++;
  let n = 0;
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (abbrevOf(l) !== abbrev) continue;
    n++;
    if (inLayers(n, total, layers)) f.read(l, v, ctx);
  }
}

/** Whether layer n of total is in one of the pairs (a negative bound counts from the innermost, -1). */
function inLayers(n: number, total: number, layers: readonly number[]): boolean {
  for (let k = 0; k < layers.length; k += 2) {
    const lo = layers[k]!;
    const hi = layers[k + 1]!;
    if (n >= (lo < 0 ? total + 1 + lo : lo) && n <= (hi < 0 ? total + 1 + hi : hi)) return true;
  }
  return false;
}

/**
 * The chosen layers of a field some other protocol holds too: as Wireshark
 * numbers an occurrence by the layer of the protocol that added it, the
 * ip.version of an IPv6 header is in IPv6 layer 1, 2..., not IPv4's.
 */
function readAliasedLayers(entry: FieldEntry, ctx: PacketCtx, v: Values, layers: readonly number[]): void {
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    const r = readerIn(entry, l);
    if (!r) continue;
    const a = abbrevOf(l);
    let n = 0;
    let total = 0;
    for (let j = 0; j < ctx.count; j++) {
      if (abbrevOf(ctx.layers[j]!) !== a) continue;
      total++;
      if (j <= i) n++;
    }
    if (inLayers(n, total, layers)) r.read(l, v, ctx);
  }
}

/** The field that reads the entry in layer l: its own in its protocol's layers, an alias in another's, or none. */
function readerIn(entry: FieldEntry, l: Layer): Field | null {
  const a = abbrevOf(l);
  if (a === entry.abbrev) return entry.field;
  for (const x of entry.also) if (x.abbrev === a) return x.field;
  return null;
}
