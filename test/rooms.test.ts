import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/paths.js';

/**
 * The rooms of src/ and the arrows between them, as the README's Design
 * picture draws them: a room imports only the rooms it names here, and the
 * ground floor (util/, with output's escape.ts and sink.ts) from anywhere.
 */
const MAY_IMPORT: Record<string, string[]> = {
  cli: ['merge', 'ui', 'audit', 'tunnels', 'output', 'filter', 'dissect', 'capture', 'ipsec'],
  merge: ['cli', 'ui', 'audit', 'tunnels', 'output', 'filter', 'dissect', 'capture', 'ipsec'],
  ui: ['audit', 'tunnels', 'dissect'],
  audit: ['tunnels', 'dissect'],
  tunnels: ['dissect'],
  output: ['dissect'],
  filter: ['dissect'],
  dissect: ['capture', 'ipsec'],
  capture: [],
  ipsec: [],
  ground: [],
};
/** Files of a room below their folder's: the bytes every room writes out. */
const GROUND_FILES = ['output/escape.ts', 'output/sink.ts'];
/** The UI reads no packets: it is handed snapshots and lists, never a packet context or the engine. */
const NOT_FOR_UI = ['dissect/engine.ts', 'dissect/packet.ts'];

const SRC = join(ROOT, 'src');
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*'(\.\.?\/[^']+)'/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** A file's room: its folder under src/, or the ground floor. */
function room(file: string): string {
  const rel = relative(SRC, file);
  if (rel.startsWith('util/') || GROUND_FILES.includes(rel)) return 'ground';
  return rel.split('/')[0]!;
}

test('every import goes the way the Design picture allows', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const from = room(file);
    const rel = relative(SRC, file);
    assert.ok(from in MAY_IMPORT, `${rel}: a room the picture does not draw`);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = join(dirname(file), spec!).replace(/\.js$/, '.ts');
      const to = room(target);
      const targetRel = relative(SRC, target);
      const allowed = to === from || to === 'ground' || MAY_IMPORT[from]!.includes(to);
      if (!allowed) wrong.push(`${rel} imports ${spec} (${from} -> ${to})`);
      if (from === 'ui' && NOT_FOR_UI.some((f) => targetRel.startsWith(f.replace(/\.ts$/, '')))) {
        wrong.push(`${rel} imports ${spec}: the UI reads no packets`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test("the README's picture names every room", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const design = readme.slice(readme.indexOf('## Design'));
  for (const r of Object.keys(MAY_IMPORT).filter((r) => r !== 'ground')) {
    assert.ok(design.includes(`src/${r}/`), `src/${r}/ is not in the Design section`);
  }
  for (const f of GROUND_FILES) assert.ok(design.includes(f), `${f} is not in the Design section`);
});
