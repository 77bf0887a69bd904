import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CATALOGUE } from '../src/audit/catalogue.js';
import { ROOT } from './support/paths.js';

/**
 * The finding catalogue against the code: every id has a rule that raises
 * it (quoted in a rule file of src/audit) and a test that names it (in a
 * test file other than this one), so no id is declared and forgotten.
 */

const sources = (dir: string, skip: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.tsx?$/.test(f) && f !== skip)
    .map((f) => readFileSync(join(ROOT, dir, f), 'utf8'));

test('every finding id in the catalogue has a rule in src/audit', () => {
  const rules = sources('src/audit', 'catalogue.ts').join('\n');
  const missing = Object.keys(CATALOGUE).filter((id) => !rules.includes(`'${id}'`));
  assert.deepEqual(missing, [], 'ids no rule raises');
});

test('every finding id in the catalogue is named by a test', () => {
  const tests = sources('test', 'catalogue.test.ts').join('\n');
  const missing = Object.keys(CATALOGUE).filter((id) => !tests.includes(id));
  assert.deepEqual(missing, [], 'ids no test names');
});
