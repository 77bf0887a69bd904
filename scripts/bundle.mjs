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
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Plain JavaScript, outside tsc's project: a checkout whose node_modules lacks esbuild still compiles.
const cli = fileURLToPath(new URL('../dist/src/cli', import.meta.url));
const outdir = fileURLToPath(new URL('../dist/src/bundle', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['main', 'read-worker', 'audit-worker'].map((name) => ({ in: `${cli}/${name}.js`, out: name })),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
