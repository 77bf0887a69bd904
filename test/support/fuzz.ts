import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCapture } from '../../src/capture/open.js';
import { Engine } from '../../src/dissect/engine.js';
import { MAX_LAYERS, type PacketCtx } from '../../src/dissect/packet.js';
import { fieldNames, lookupField, readField, type FieldEntry } from '../../src/dissect/field-index.js';
import { Values } from '../../src/dissect/field.js';
import { writeFieldValue } from '../../src/output/field-format.js';
import { detailWriter } from '../../src/output/packet-detail.js';
import { packetJson } from '../../src/output/packet-json.js';
import { packetText } from '../../src/output/packet-text.js';
import { TextOut } from '../../src/output/text-out.js';
import { TunnelTable } from '../../src/tunnels/table.js';
import { frameOf } from './frames.js';

/** Link types the readers hand out, so random bytes reach every first dissector. */
export const LINKTYPES = [0, 1, 9, 12, 101, 107, 108, 113, 228, 229, 276];

export interface Sample {
  linktype: number;
  bytes: Uint8Array;
}

/** Real packets to mutate: every fixture packet, and the corpus's when it is there. */
export function samples(dirs: string[], maxPerFile = 40): Sample[] {
  const out: Sample[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const name of names.filter((n) => /\.(pcap|pcapng)$/.test(n) && !n.includes('_phs')).sort()) {
      try {
        const src = openCapture(join(dir, name));
        for (let i = 0; i < maxPerFile && src.next(); i++) {
          const f = src.frame;
          out.push({ linktype: f.linktype, bytes: f.data.slice(f.off, f.off + f.caplen) });
        }
        src.close();
      } catch {
        // not a capture we read: nothing to sample
      }
    }
  }
  return out;
}

/** One mutation of a real packet: bit flips, a run of one byte, a lying 16-bit length, or a cut. */
export function mutation(pool: Sample[]): fc.Arbitrary<Sample & { len: number }> {
  return fc
    .record({
      i: fc.nat({ max: pool.length - 1 }),
      kind: fc.constantFrom('flip', 'run', 'length', 'cut'),
      at: fc.nat(),
      n: fc.nat({ max: 64 }),
      value: fc.constantFrom(0, 1, 0xff, 0xffff, 0x7fff, 0x8000, 20, 40, 4, 8),
      seed: fc.nat(),
    })
    .map(({ i, kind, at, n, value, seed }) => {
      const s = pool[i]!;
      const bytes = Uint8Array.from(s.bytes);
      let len = bytes.length;
      if (bytes.length === 0) return { linktype: s.linktype, bytes, len };
      const pos = at % bytes.length;
      if (kind === 'flip') for (let k = 0; k <= n % 8; k++) bytes[(pos + k * 7 + seed) % bytes.length]! ^= 1 << ((seed + k) % 8);
      else if (kind === 'run') bytes.fill(seed & 0xff, pos, Math.min(bytes.length, pos + n));
      else if (kind === 'length' && pos + 1 < bytes.length) {
        bytes[pos] = (value >> 8) & 0xff;
        bytes[pos + 1] = value & 0xff;
      } else if (kind === 'cut') return { linktype: s.linktype, bytes: bytes.subarray(0, pos), len: seed % 2 ? len : pos };
      return { linktype: s.linktype, bytes, len };
    });
}

/**
 * Dissects, prints and audits one packet, and checks what must hold for any
 * input: no dissector fails, layers stay inside their buffers, and the
 * outputs and the tunnel table take the result.
 */
export function checkPacket(engine: Engine, table: TunnelTable, bytes: Uint8Array, linktype: number, len = bytes.length): void {
  const ctx = engine.dissect(frameOf(bytes, linktype, len));
  for (let i = 0; i < ctx.warnCount; i++) {
    if (ctx.warnings[i]!.id === 'internal-error') {
      throw new Error(`a dissector threw on ${Buffer.from(bytes).toString('hex')} (link type ${linktype}): ${ctx.lastError?.stack}`);
    }
  }
  if (ctx.count > MAX_LAYERS) throw new Error('more layers than the cap');
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (!(l.off <= l.hdrEnd && l.hdrEnd <= l.end && l.end <= l.buf.length)) {
      throw new Error(`${l.proto.name} layer out of its buffer: off ${l.off} hdrEnd ${l.hdrEnd} end ${l.end} of ${l.buf.length}`);
    }
  }
  JSON.parse(packetJson(ctx));
  checkJsonMembers(ctx);
  packetText(ctx);
  checkFields(ctx);
  table.observe(ctx);
}

const detail = detailWriter(null);
const fieldOut = new TextOut(256);
const fieldValues = new Values();
let allFields: FieldEntry[] | null = null;

/** Every declared field reads and prints (-T fields, -V) whatever the packet: no reader may throw. */
export function checkFields(ctx: PacketCtx): void {
  allFields ??= fieldNames().map((n) => lookupField(n)!);
  detail(ctx, fieldOut);
  fieldOut.take();
  for (const e of allFields) {
    readField(e, ctx, fieldValues);
    for (let i = 0; i < fieldValues.n; i++) writeFieldValue(e.field, fieldValues, i, fieldOut);
    fieldOut.take();
  }
}

const members = new TextOut(256);

/**
 * Each protocol's jsonMembers must write valid JSON that reads back to the
 * same text (no duplicate keys, no NaN, strings escaped), to the byte.
 */
export function checkJsonMembers(ctx: PacketCtx): void {
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (!l.proto.jsonMembers) continue;
    l.proto.jsonMembers(l, members);
    const text = `{${members.take()}}`;
    let again: string;
    try {
      again = JSON.stringify(JSON.parse(text));
    } catch {
      throw new Error(`${l.proto.name}: jsonMembers wrote invalid JSON ${text}`);
    }
    if (again !== text) throw new Error(`${l.proto.name}: jsonMembers wrote ${text}, which reads back as ${again}`);
  }
}
