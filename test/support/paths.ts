import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** Paths from the repository root, whether running from test/ or dist/test/. */
const here = fileURLToPath(new URL('.', import.meta.url));
export const ROOT = resolve(here, here.includes('/dist/') ? '../../..' : '../..');
export const FIXTURES = resolve(ROOT, 'fixtures');
/**
 * The shared corpus beside the repository, when there is one (a plain clone
 * has none). GREDUMP_CORPUS points elsewhere; CI sets it to a missing folder
 * to run the suite as a clone would.
 */
export const CORPUS = resolve(ROOT, process.env.GREDUMP_CORPUS ?? '../shared/corpus');
export const HAVE_CORPUS = existsSync(CORPUS);
/** The one line a test says when it skips for want of the corpus. */
export const NO_CORPUS = `${CORPUS} is not here (a plain clone has no corpus)`;
export const BIN = resolve(ROOT, 'bin/gredump.js');
/** `env` with this Node first on the PATH: bin/gredump.js, run as a program, execs the `node` it finds there. */
export const withThisNode = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...env,
  PATH: `${dirname(process.execPath)}:${env.PATH ?? ''}`,
});

/** The captures under dir (pcap, pcapng, cap), sorted; the corpus's `_phs` folder (tshark's text) left out. */
export function capturesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === '_phs') continue;
    if (statSync(p).isDirectory()) out.push(...capturesUnder(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out.sort();
}
