import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { openCapture } from '../../src/capture/open.js';
import { Engine } from '../../src/dissect/engine.js';
import type { EngineOptions } from '../../src/dissect/state.js';
import { layerFields } from '../../src/output/packet-json.js';
import { BIN, capturesUnder } from './paths.js';

const run = promisify(execFile);

/**
 * The oracle: the contract's fields, frame by frame, from tshark and from
 * gredump, as lists of values in layer order (`-E occurrence=a`).
 */
export const FIELDS: { tshark: string; ours: [protocol: string, field: string] }[] = [
  { tshark: 'ip.src', ours: ['ipv4', 'src'] },
  { tshark: 'ip.dst', ours: ['ipv4', 'dst'] },
  { tshark: 'ipv6.src', ours: ['ipv6', 'src'] },
  { tshark: 'ipv6.dst', ours: ['ipv6', 'dst'] },
  { tshark: 'gre.proto', ours: ['gre', 'protocolType'] },
  { tshark: 'gre.key', ours: ['gre', 'key'] },
  { tshark: 'gre.sequence_number', ours: ['gre', 'seq'] },
  { tshark: 'esp.spi', ours: ['esp', 'spi'] },
  { tshark: 'esp.sequence', ours: ['esp', 'seq'] },
  { tshark: 'ah.spi', ours: ['ah', 'spi'] },
  { tshark: 'erspan.spanid', ours: ['erspan', 'sessionId'] },
  { tshark: 'ospf.msg', ours: ['ospf', 'type'] },
  { tshark: 'udp.srcport', ours: ['udp', 'srcPort'] },
  { tshark: 'udp.dstport', ours: ['udp', 'dstPort'] },
];

export type FrameFields = string[][];

export function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Normalises a value: numbers in any base to decimal, addresses as they are. */
function norm(v: string): string {
  return /^(0x[0-9a-f]+|\d+)$/i.test(v) ? String(Number(v)) : v.toLowerCase();
}

export async function tsharkFields(path: string, extraArgs: string[] = []): Promise<FrameFields[]> {
  // gredump always looks for NULL-encrypted ESP; tshark does when asked.
  const args = [
    '-n',
    '-r',
    path,
    '-o',
    'esp.enable_null_encryption_decode_heuristic:TRUE',
    ...extraArgs,
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'separator=\t',
    '-E',
    'aggregator=,',
  ];
  // The first column tells packets from the pcapng blocks tshark shows as frames too (custom blocks).
  args.push('-e', 'frame.encap_type');
  for (const f of FIELDS) args.push('-e', f.tshark);
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines
    .map((line) => line.split('\t'))
    .filter((cols) => cols[0] !== '')
    .map((cols) => cols.slice(1).map((col) => (col === '' ? [] : col.split(',').map(norm))));
}

export function ourFields(path: string, options?: EngineOptions): FrameFields[] {
  const engine = new Engine(options);
  const source = openCapture(path);
  const out: FrameFields[] = [];
  try {
    while (source.next()) {
      const ctx = engine.dissect(source.frame);
      const row: FrameFields = FIELDS.map(() => []);
      for (let i = 0; i < ctx.count; i++) {
        const l = ctx.layers[i]!;
        const fields = layerFields(l, ctx);
        FIELDS.forEach((f, j) => {
          if (f.ours[0] === l.proto.name && fields[f.ours[1]] !== undefined)
            row[j]!.push(norm(String(fields[f.ours[1]])));
        });
      }
      out.push(row);
    }
  } finally {
    source.close();
  }
  return out;
}

export interface Mismatch {
  frame: number;
  field: string;
  tshark: string;
  ours: string;
}

export function diff(theirs: FrameFields[], ours: FrameFields[]): Mismatch[] {
  const out: Mismatch[] = [];
  if (theirs.length !== ours.length)
    out.push({ frame: 0, field: 'frames', tshark: String(theirs.length), ours: String(ours.length) });
  const n = Math.min(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    FIELDS.forEach((f, j) => {
      const a = (theirs[i]![j] ?? []).join(',');
      const b = (ours[i]![j] ?? []).join(',');
      if (a !== b) out.push({ frame: i + 1, field: f.tshark, tshark: a, ours: b });
    });
  }
  return out;
}

/**
 * The captures whose text from tshark and from gredump differs, each with the first line that differs; `argsFor`
 * gives a capture's arguments (null: nothing to compare there). One capture at a time (its two programs side by
 * side): these run over the whole corpus beside other test files, on two cores.
 */
export async function differingText(
  files: string[],
  argsFor: (file: string) => Promise<string[] | null>,
  tshark: (file: string, args: string[]) => Promise<string>,
  gredump: (file: string, args: string[]) => Promise<string>,
): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    const args = await argsFor(f);
    if (args === null) continue;
    const [t, o] = await Promise.all([tshark(f, args), gredump(f, args)]);
    if (t === o) continue;
    const tl = t.split('\n');
    const ol = o.split('\n');
    const i = tl.findIndex((line, k) => line !== ol[k]);
    out.push(`${f}: tshark ${JSON.stringify(tl[i] ?? null)}, gredump ${JSON.stringify(ol[i] ?? null)}`);
  }
  return out;
}

/**
 * gredump agrees with tshark (`differing` names the captures where not) on every capture under `dir` (at least
 * `atLeast` of them) but those `known` lists by their path under `dir`, each with why; and each listed one still
 * differs, so that a difference mended comes off the list.
 */
export async function agreesButWhereListed(
  dir: string,
  known: Record<string, string>,
  differing: (files: string[]) => Promise<string[]>,
  atLeast: number,
): Promise<void> {
  const files = capturesUnder(dir).filter((f) => !(relative(dir, f) in known));
  assert.ok(files.length >= atLeast, `${files.length} captures under ${dir}`);
  assert.deepEqual(await differing(files), []);
  for (const [name, why] of Object.entries(known))
    assert.equal((await differing([join(dir, name)])).length, 1, `${name}: ${why}`);
}

/** tshark's options for the -z tables compared here: ESP with NULL encryption read through, as gredump reads it. */
const TABLE_OPTIONS = ['-o', 'esp.enable_null_encryption_decode_heuristic:TRUE', '-n', '-q'];
/** tshark's -z tables (`args`) of a capture, as text; `env` for -t's time zone. */
export const tsharkTables = (file: string, args: string[], env = process.env): Promise<string> =>
  run('tshark', [...TABLE_OPTIONS, '-r', file, ...args], { maxBuffer: 256 << 20, env }).then((r) => r.stdout);
/** gredump's -z tables (`args`) of a capture, as text. */
export const gredumpTables = (file: string, args: string[], env = process.env): Promise<string> =>
  run(process.execPath, [BIN, '-q', '-r', file, ...args], { maxBuffer: 256 << 20, env }).then((r) => r.stdout);
