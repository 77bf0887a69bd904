import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** Paths from the repository root, whether running from test/ or dist/test/. */
const here = fileURLToPath(new URL('.', import.meta.url));
export const ROOT = resolve(here, here.includes('/dist/') ? '../../..' : '../..');
export const FIXTURES = resolve(ROOT, 'fixtures');
export const CORPUS = resolve(ROOT, '../shared/corpus');
export const BIN = resolve(ROOT, 'bin/gredump.js');
