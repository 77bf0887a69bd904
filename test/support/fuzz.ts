import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCapture } from '../../src/capture/open.js';
import { MAX_TS_SEC } from '../../src/capture/frame.js';
import { buildReport } from '../../src/audit/report.js';
import { reportText } from '../../src/audit/report-text.js';
import { evaluate } from '../../src/audit/rules.js';
import { Engine } from '../../src/dissect/engine.js';
import { engineOptions } from '../../src/dissect/state.js';
import { SaDatabase } from '../../src/ipsec/sa-database.js';
import { parseEspSa } from '../../src/ipsec/sa-file.js';
import { MAX_LAYERS, type PacketCtx } from '../../src/dissect/packet.js';
import { fieldNames, lookupField, readField, type FieldEntry } from '../../src/dissect/field-index.js';
import { Values } from '../../src/dissect/field.js';
import { writeFieldValue } from '../../src/output/field-format.js';
import { detailWriter } from '../../src/output/packet-detail.js';
import { JsonBytes, walkMembers } from '../../src/dissect/json.js';
import { layerFields, packetJson } from '../../src/output/packet-json.js';
import { packetText } from '../../src/output/packet-text.js';
import { TextOut } from '../../src/util/text-out.js';
import { TunnelTable } from '../../src/tunnels/table.js';
import { DisplayFilter, describeFilterError } from '../../src/filter/compile.js';
import { FilterError } from '../../src/filter/parse.js';
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
      if (kind === 'flip')
        for (let k = 0; k <= n % 8; k++) bytes[(pos + k * 7 + seed) % bytes.length]! ^= 1 << ((seed + k) % 8);
      else if (kind === 'run') bytes.fill(seed & 0xff, pos, Math.min(bytes.length, pos + n));
      else if (kind === 'length' && pos + 1 < bytes.length) {
        bytes[pos] = (value >> 8) & 0xff;
        bytes[pos + 1] = value & 0xff;
      } else if (kind === 'cut')
        return { linktype: s.linktype, bytes: bytes.subarray(0, pos), len: seed % 2 ? len : pos };
      return { linktype: s.linktype, bytes, len };
    });
}

/**
 * Dissects, prints and audits one packet, and checks what must hold for any
 * input: no dissector fails, layers stay inside their buffers, and the
 * outputs and the tunnel table take the result.
 */
export function checkPacket(
  engine: Engine,
  table: TunnelTable,
  bytes: Uint8Array,
  linktype: number,
  len = bytes.length,
): void {
  const ctx = engine.dissect(frameOf(bytes, linktype, len));
  for (let i = 0; i < ctx.warnCount; i++) {
    if (ctx.warnings[i]!.id === 'internal-error') {
      throw new Error(
        `a dissector threw on ${Buffer.from(bytes).toString('hex')} (link type ${linktype}): ${ctx.lastError?.stack}`,
      );
    }
  }
  if (ctx.count > MAX_LAYERS) throw new Error('more layers than the cap');
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    if (!(l.off <= l.hdrEnd && l.hdrEnd <= l.end && l.end <= l.buf.length)) {
      throw new Error(
        `${l.proto.name} layer out of its buffer: off ${l.off} hdrEnd ${l.hdrEnd} end ${l.end} of ${l.buf.length}`,
      );
    }
  }
  JSON.parse(packetJson(ctx));
  checkJsonMembers(ctx);
  packetText(ctx);
  checkFields(ctx);
  table.observe(ctx);
}

const detail = detailWriter(null, false);
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
 * The bytes form of each layer's JSON members must be valid JSON that reads
 * back to the same text (no duplicate keys, no NaN, strings escaped), to the
 * byte, and equal the object form of the same walk stringified.
 */
export function checkJsonMembers(ctx: PacketCtx): void {
  for (let i = 0; i < ctx.count; i++) {
    const l = ctx.layers[i]!;
    jsonBytes.out = members;
    jsonBytes.open();
    walkMembers(l.proto.json.members(), l, ctx, jsonBytes);
    jsonBytes.close();
    const text = members.take();
    let again: string;
    try {
      again = JSON.stringify(JSON.parse(text));
    } catch {
      throw new Error(`${l.proto.name}: the JSON members are invalid JSON ${text}`);
    }
    if (again !== text) throw new Error(`${l.proto.name}: the JSON members are ${text}, which reads back as ${again}`);
    // The writer compiled for -r --json, after the layer's "protocol", writes what the walk writes.
    l.proto.json.bytes(l, ctx, members.str('{"protocol":""'), jsonBytes);
    const compiled = members.byte(0x7d).take();
    const walked = text === '{}' ? '{"protocol":""}' : `{"protocol":"",${text.slice(1)}`;
    if (compiled !== walked)
      throw new Error(`${l.proto.name}: the compiled writer wrote ${compiled}, the walk ${walked}`);
    const object = JSON.stringify(layerFields(l, ctx));
    if (object !== text)
      throw new Error(`${l.proto.name}: the bytes form ${text} and the object form ${object} differ`);
  }
}

const jsonBytes = new JsonBytes();

// ---- Whole files, packet sequences and decryption (#22) ----

/** Word values that make lengths, counts and times lie. */
const LYING_WORDS = [
  0, 1, 3, 4, 11, 12, 16, 28, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 0x00010000, 0x01000000,
];

/** Offsets of the structure of a capture file: its header, each record's or block's header, and pcapng's options. */
export function structureOffsets(file: Uint8Array): number[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: number[] = [0, 4, 6, 8, 12, 16, 20];
  if (file.length < 24) return out;
  const magicBE = dv.getUint32(0, false);
  if (magicBE === 0x0a0d0d0a) {
    const le = dv.getUint32(8, true) === 0x1a2b3c4d;
    for (let o = 0; o + 12 <= file.length && out.length < 4000; ) {
      const len = dv.getUint32(o + 4, le);
      for (let k = 0; k < Math.min(len, 48); k += 4) out.push(o + k);
      if (len < 12 || len % 4) break;
      o += len;
    }
  } else {
    const le =
      dv.getUint32(0, true) >>> 0 === 0xa1b2c3d4 ||
      dv.getUint32(0, true) >>> 0 === 0xa1b23c4d ||
      dv.getUint32(0, true) >>> 0 === 0xa1b2cd34;
    for (let o = 24; o + 16 <= file.length && out.length < 4000; ) {
      out.push(o, o + 4, o + 8, o + 12);
      o += 16 + dv.getUint32(o + 8, le);
    }
  }
  return out;
}

/**
 * A mutation of a whole capture file: a lying word at a structural offset (either byte order), a flipped byte there, a
 * cut, or a duplicated stretch.
 */
export function fileMutation(files: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      i: fc.nat({ max: files.length - 1 }),
      edits: fc.array(
        fc.record({
          kind: fc.constantFrom('word', 'word', 'flip', 'cut', 'repeat'),
          at: fc.nat(),
          value: fc.constantFrom(...LYING_WORDS),
          be: fc.boolean(),
          seed: fc.nat(),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ i, edits }) => {
      let file = Uint8Array.from(files[i]!);
      for (const e of edits) {
        const offsets = structureOffsets(file);
        const at = offsets[e.at % offsets.length]!;
        if (at >= file.length) continue;
        if (e.kind === 'word' && at + 4 <= file.length) new DataView(file.buffer).setUint32(at, e.value, !e.be);
        else if (e.kind === 'flip') file[at + (e.seed % 4)] = (file[at + (e.seed % 4)] ?? 0) ^ (1 << (e.seed % 8));
        else if (e.kind === 'cut') file = file.slice(0, at + (e.seed % 16));
        else if (e.kind === 'repeat')
          file = Uint8Array.from([
            ...file.subarray(0, at),
            ...file.subarray(at, Math.min(file.length, at + 64 + (e.seed % 256))),
            ...file.subarray(at),
          ]);
      }
      return file;
    });
}

/**
 * Reads a whole capture file as every mode does, and checks what must hold
 * for any file: the readers fail only with a named offset, every frame lies
 * inside its buffer with a time that is a real date, and the outputs and the
 * audit (text and JSON) take what was read without NaN.
 */
export function checkFile(path: string, engine: Engine, table: TunnelTable): number {
  let src;
  try {
    src = openCapture(path);
  } catch (err) {
    if (!(err instanceof Error) || /internal|Invalid|NaN|undefined/.test(err.message)) throw err;
    return 0;
  }
  let n = 0;
  try {
    while (src.next()) {
      const f = src.frame;
      if (!(f.off >= 0 && f.caplen >= 0 && f.off + f.caplen <= f.data.length))
        throw new Error(`frame outside its buffer: off ${f.off} caplen ${f.caplen} of ${f.data.length}`);
      if (!(Number.isSafeInteger(f.tsSec) && f.tsSec >= 0 && f.tsSec <= MAX_TS_SEC && f.tsNsec >= 0 && f.tsNsec < 1e9))
        throw new Error(`impossible time ${f.tsSec}.${f.tsNsec}`);
      const ctx = engine.dissect(f);
      const line = packetText(ctx);
      if (/NaN|undefined|Invalid/.test(line)) throw new Error(`text line: ${line}`);
      JSON.parse(packetJson(ctx));
      table.observe(ctx);
      n++;
    }
    if (src.problem && !/offset \d+/.test(src.problem.message))
      throw new Error(`a problem without its offset: ${src.problem.message}`);
  } finally {
    src.close();
  }
  const report = buildReport(table, evaluate(table));
  const text = reportText(report, { palette: null, files: [path] });
  if (/NaN|Invalid Date/.test(text)) throw new Error('NaN in the audit');
  JSON.parse(JSON.stringify(report));
  return n;
}

/**
 * A sequence of IPv4 fragments (of a few datagrams, any offsets and lengths, some empty, some last) in a GRE tunnel,
 * with GRE sequence numbers that jump.
 */
export function fragmentSequence(): fc.Arbitrary<Uint8Array[]> {
  return fc
    .array(
      fc.record({
        id: fc.nat({ max: 3 }),
        off: fc.nat({ max: 8191 }),
        len: fc.constantFrom(0, 0, 8, 16, 24, 1480, 3),
        more: fc.boolean(),
        seq: fc.nat(),
        proto: fc.constantFrom(47, 17, 4),
      }),
      { maxLength: 200 },
    )
    .map((frags) =>
      frags.map((f) => {
        const payload = new Uint8Array(f.len).fill(f.id);
        const ip = new Uint8Array(20 + payload.length);
        const dv = new DataView(ip.buffer);
        ip[0] = 0x45;
        dv.setUint16(2, ip.length);
        dv.setUint16(4, f.id);
        dv.setUint16(6, (f.more ? 0x2000 : 0) | f.off);
        ip[8] = 64;
        ip[9] = f.proto;
        ip.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
        ip.set(payload, 20);
        const gre = new Uint8Array(12 + ip.length);
        new DataView(gre.buffer).setUint32(0, 0x30000800);
        new DataView(gre.buffer).setUint32(4, 7);
        new DataView(gre.buffer).setUint32(8, f.seq);
        gre.set(ip, 12);
        const outer = new Uint8Array(20 + gre.length);
        const odv = new DataView(outer.buffer);
        outer[0] = 0x45;
        odv.setUint16(2, outer.length);
        outer[8] = 64;
        outer[9] = 47;
        outer.set([192, 0, 2, 1, 198, 51, 100, 7], 12);
        outer.set(gre, 20);
        return outer;
      }),
    );
}

/**
 * Runs a packet sequence (raw IPv4, link type 228) through one engine and table; the reassembly's budget must hold
 * throughout.
 */
export function checkSequence(engine: Engine, table: TunnelTable, packets: Uint8Array[], budget: number): void {
  for (const p of packets) {
    checkPacket(engine, table, p, 228);
    if (engine.state.reassembly.held > budget)
      throw new Error(`reassembly holds ${engine.state.reassembly.held} bytes, over its ${budget}`);
  }
}

/** The captures whole files are mutated from: the fixtures' own, small enough to read often. */
export function sampleFiles(dir: string, maxBytes = 64 * 1024): Uint8Array[] {
  return (readdirSync(dir) as string[])
    .filter((n) => /\.(pcap|pcapng)$/.test(n))
    .sort()
    .map((n) => readFileSync(join(dir, n)))
    .filter((b) => b.length <= maxBytes)
    .map((b) => new Uint8Array(b));
}

/** An engine that decrypts with the scapy fixture's keys, and its packets: the decryption paths to fuzz. */
export function decryptionSetup(fixtures: string): { engine: () => Engine; pool: Sample[] } {
  const sas = new SaDatabase(
    parseEspSa(readFileSync(join(fixtures, 'esp-scapy.esp_sa'), 'latin1'), 'esp-scapy.esp_sa'),
  );
  const pool: Sample[] = [];
  const src = openCapture(join(fixtures, 'esp-scapy.pcap'));
  while (src.next())
    pool.push({
      linktype: src.frame.linktype,
      bytes: src.frame.data.slice(src.frame.off, src.frame.off + src.frame.caplen),
    });
  src.close();
  return { engine: () => new Engine(engineOptions(8, 32, sas)), pool };
}

/** Words of display filters besides field names: tshark 4.0's operators and functions, literals of each kind. */
const FILTER_WORDS = [
  ...['==', '!=', '===', '!==', '~=', '>', '<', '>=', '<=', '&&', '||', '!', '&', '+', '-', '*', '/', '%', '~'],
  ...['and', 'or', 'not', 'in', 'contains', 'matches', 'any', 'all', 'eq', 'ne', 'gt', 'lt', 'ge', 'le'],
  ...['(', ')', '{', '}', '[', ']', ',', '#', ':', '..', '-', '#-1', '#[1,3]', '[0]', '[-1:5]', '[1-2]', '[:3]'],
  ...['len(', 'count(', 'upper(', 'lower(', 'string(', 'abs(', 'max(', 'min('],
  ...['0', '1', '-1', '69', '450', '255', '4294967296', '0x45', '0b101', '052', '1.5', '-0.5', 'ff', 'IP', 'true'],
  ...['02:00', '08-00.45', '10.0.0.1', '10.0.0.0/8', '::1', 'fe80::/10', '02:00:00:00:00:01', '1000..2000'],
  ...['"x"', '"\\xff"', '"\\377"', 'r"\\d+"', '"(?i)ab"', '"[unclosed"', '"\\q"', '"unclosed', '"ÿ"', '""'],
];

/** Display filter texts: filters made by tshark 4.0's grammar, words of filters at random, and any characters. */
export function filterText(): fc.Arbitrary<string> {
  const field = fc.constantFrom(...fieldNames());
  const literal = fc.constantFrom(...FILTER_WORDS.filter((w) => /^[-0-9a-zA-Z"r:]/.test(w) && !/\($/.test(w)));
  const { expr } = fc.letrec<{ operand: string; expr: string }>((tie) => ({
    operand: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      field,
      literal,
      fc.tuple(field, fc.constantFrom('[0]', '[1:2]', '[-2:]', '[2-3]', '#1', '#-1', '#[1-2]')).map(([f, r]) => f + r),
      fc
        .tuple(fc.constantFrom('len', 'count', 'upper', 'lower', 'string', 'abs'), tie('operand'))
        .map(([fn, a]) => `${fn}(${a})`),
      fc.tuple(tie('operand'), tie('operand')).map(([a, b]) => `max(${a}, ${b})`),
      fc
        .tuple(tie('operand'), fc.constantFrom(' + ', ' - ', ' * ', ' / ', ' % ', ' & '), tie('operand'))
        .map(([a, op, b]) => `{${a}${op}${b}}`),
      tie('operand').map((a) => `-${a}`),
    ),
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      field,
      fc
        .tuple(
          fc.constantFrom('', 'any ', 'all '),
          tie('operand'),
          fc.constantFrom(' == ', ' != ', ' === ', ' ~= ', ' > ', ' <= ', ' contains ', ' matches '),
          tie('operand'),
        )
        .map(([q, a, rel, b]) => q + a + rel + b),
      fc.tuple(field, fc.array(literal, { minLength: 1, maxLength: 3 })).map(([f, ls]) => `${f} in {${ls.join(' ')}}`),
      fc
        .tuple(tie('expr'), fc.constantFrom(' and ', ' or ', ' && ', ' || '), tie('expr'))
        .map(([a, op, b]) => a + op + b),
      tie('expr').map((e) => `not (${e})`),
    ),
  }));
  const word = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...FILTER_WORDS) },
    { weight: 3, arbitrary: field },
    { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  );
  const words = fc
    .array(fc.tuple(word, fc.constantFrom('', ' ', ' ')), { minLength: 1, maxLength: 10 })
    .map((ws) => ws.map(([w, sep]) => w + sep).join(''));
  return fc.oneof(
    { weight: 6, arbitrary: expr },
    { weight: 3, arbitrary: words },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  );
}

/**
 * A filter either compiles or is refused with a FilterError whose message and caret can be shown; one that
 * compiles answers true or false on every packet given, never throws.
 */
export function checkFilter(text: string, engine: Engine, packets: Sample[]): void {
  let filter: DisplayFilter;
  try {
    filter = new DisplayFilter(text);
  } catch (err) {
    if (!(err instanceof FilterError)) throw new Error(`filter ${JSON.stringify(text)}: ${(err as Error).stack}`);
    describeFilterError(err, text);
    return;
  }
  for (const p of packets) {
    const answer = filter.match(engine.dissect(frameOf(p.bytes, p.linktype)));
    if (typeof answer !== 'boolean') throw new Error(`filter ${JSON.stringify(text)} answered ${String(answer)}`);
  }
}
