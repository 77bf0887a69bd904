import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openCapture } from '../../src/capture/open.js';
import { Engine } from '../../src/dissect/engine.js';
import { Values } from '../../src/dissect/field.js';
import { lookupField, protocolCatalogue, readField } from '../../src/dissect/field-index.js';
import type { EngineOptions } from '../../src/dissect/state.js';
import { fieldValueText } from '../../src/output/field-format.js';

const run = promisify(execFile);

/**
 * The declared isakmp.* fields, frame by frame, from tshark (-T fields -e)
 * and from our declarations (readField + fieldValueText): the same text
 * both ways, occurrences in tree order.
 */
const AGG = '~';

export function declaredIsakmpFields(): string[] {
  return protocolCatalogue()
    .get('isakmp')!
    .fields.map((f) => f.name)
    .filter((n) => n !== 'isakmp');
}

export async function tsharkIsakmp(path: string, names: string[], extra: string[] = []): Promise<string[][]> {
  const args = [
    '-n',
    '-r',
    path,
    ...extra,
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'separator=\t',
    '-E',
    `aggregator=${AGG}`,
    '-e',
    'frame.encap_type',
  ];
  for (const n of names) args.push('-e', n);
  const { stdout } = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 });
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines
    .map((l) => l.split('\t'))
    .filter((c) => c[0] !== '')
    .map((c) => c.slice(1));
}

export function ourIsakmp(path: string, names: string[], options?: EngineOptions): string[][] {
  const engine = new Engine(options);
  const source = openCapture(path);
  const v = new Values();
  const entries = names.map((n) => lookupField(n)!);
  const out: string[][] = [];
  try {
    while (source.next()) {
      const ctx = engine.dissect(source.frame);
      out.push(
        entries.map((e) => {
          readField(e, ctx, v);
          const parts: string[] = [];
          for (let i = 0; i < v.n; i++) parts.push(fieldValueText(e.field, v, i));
          return parts.join(AGG);
        }),
      );
    }
  } finally {
    source.close();
  }
  return out;
}

export interface FieldMismatch {
  frame: number;
  field: string;
  tshark: string;
  ours: string;
}

export function compareIsakmp(names: string[], theirs: string[][], ours: string[][]): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  if (theirs.length !== ours.length)
    out.push({ frame: 0, field: 'frames', tshark: String(theirs.length), ours: String(ours.length) });
  for (let i = 0; i < Math.min(theirs.length, ours.length); i++) {
    names.forEach((n, j) => {
      const a = theirs[i]![j] ?? '';
      const b = ours[i]![j] ?? '';
      if (a !== b) out.push({ frame: i + 1, field: n, tshark: a, ours: b });
    });
  }
  return out;
}
