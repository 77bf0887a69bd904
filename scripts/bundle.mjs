/**
 * The program in a few files for a fast start (`npm run build` runs it after
 * tsc): Node's ESM loader spends about a millisecond resolving, reading and
 * compiling each of the ~90 files `gredump -r` needs, about 90 ms in all.
 * esbuild joins tsc's output (dist/src) into dist/src/bundle/: `main.js`,
 * the workers under their own names (found by `new URL('./read-worker.js',
 * import.meta.url)` as before), and shared chunks. Each dynamic import stays
 * a chunk of its own, loaded only by the runs that use it (the UI, live
 * capture, the audit, the merge); packages (ink, React, chalk...) stay in
 * node_modules. The folder is as deep as dist/src/cli, so paths taken from
 * import.meta.url (package.json, the native binding) are unchanged.
 */
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plain JavaScript, outside tsc's project: a checkout whose node_modules lacks esbuild still compiles.
const src = fileURLToPath(new URL('../dist/src', import.meta.url));
const outdir = fileURLToPath(new URL('../dist/src/bundle', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
// Every worker (a file named *-worker.js, started by new URL('./X-worker.js', import.meta.url)) is an entry of its own.
const workers = readdirSync(src, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('-worker.js'));
await build({
  entryPoints: ['cli/main.js', ...workers].map((f) => ({ in: join(src, f), out: basename(f, '.js') })),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
// Node looks for the package.json nearest to each module to learn its type; one beside the bundle ends the
// search at once (without it, `gredump -r` of 10 packets ran 15-20M more instructions, about 3% of its start).
writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
