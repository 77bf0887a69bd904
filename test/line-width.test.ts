import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/paths.js';

/** Biome's line width: it breaks code, not strings or comments, so this holds those to it too. */
const WIDTH = 120;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(tsx?|m?js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

test(`no line of src/, test/, scripts/ or bin/ is over ${WIDTH} columns`, () => {
  const long: string[] = [];
  for (const file of ['src', 'test', 'scripts', 'bin'].flatMap((d) => sources(join(ROOT, d)))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > WIDTH) long.push(`${relative(ROOT, file)}:${i + 1}`);
      });
  }
  assert.deepEqual(long, []);
});
