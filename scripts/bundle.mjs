/**
 * The program in a few files for a fast start (`npm run build` runs it after
 * tsc): Node's ESM loader spends about a millisecond resolving, reading and
 * compiling each of the ~90 files `gredump -r` needs, about 90 ms in all.
 * esbuild joins tsc's output (dist/src) into dist/src/bundle/: `main.js`,
 * the workers, and shared chunks. Each dynamic import stays a chunk of its
 * own, loaded only by the runs that use it (the UI, live capture, the audit,
 * the merge); packages (ink, React, chalk...) stay in node_modules. The
 * folder is as deep as dist/src/cli, so paths taken from import.meta.url
 * (package.json, the native binding) are unchanged.
 *
 * Then the same program as one CommonJS file, main.cjs (written already in
 * Node's module wrapper, one function expression), which bin/gredump.js
 * runs through bin/load-bundle.js from V8's code cache (main.cjs.cache,
 * written here after training runs on a fixture): Node 20 keeps no compiled
 * code for ES modules. It requires its ES-module packages (Node 20.19+); the
 * UI, whose ink awaits at its top level, is left out: that run is handed to
 * the ES module bundle. A worker (started by new URL('./X-worker.js',
 * import.meta.url) in either build) is a small file written here that runs
 * the worker from main.cjs and its cache where Node can, else the ES module
 * build's X-worker.esm.js.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plain JavaScript, outside tsc's project: a checkout whose node_modules lacks esbuild still compiles.
const src = fileURLToPath(new URL('../dist/src', import.meta.url));
const outdir = fileURLToPath(new URL('../dist/src/bundle', import.meta.url));
const loader = fileURLToPath(new URL('../bin/load-bundle.js', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
// Every worker is a file named *-worker.js.
const workers = readdirSync(src, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('-worker.js'));
const workerName = (f) => basename(f, '.js');
await build({
  entryPoints: [
    { in: join(src, 'cli/main.js'), out: 'main' },
    ...workers.map((f) => ({ in: join(src, f), out: `${workerName(f)}.esm` })),
  ],
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
for (const f of workers) {
  const name = JSON.stringify(workerName(f));
  const load = JSON.stringify(relative(outdir, loader));
  writeFileSync(
    join(outdir, `${workerName(f)}.js`),
    `// Written by scripts/bundle.mjs: the worker from the CommonJS build and its code cache where Node can require()
// ES modules (as bin/gredump.js chooses), else from the ES module build.
import { createRequire } from 'node:module';
if (process.features.require_module) createRequire(import.meta.url)(${load}).loadCommonJsBundle().workers[${name}]();
else await import('./${workerName(f)}.esm.js');
`,
  );
}

await build({
  // The program's main and, started only in a worker thread, each worker.
  stdin: {
    contents: `export { main } from './cli/main.js';\nexport const workers = {\n${workers
      .map((f) => `  ${JSON.stringify(workerName(f))}: () => import('./${f}'),\n`)
      .join('')}};\n`,
    resolveDir: src,
    loader: 'js',
  },
  outfile: join(outdir, 'main.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  // The file's own URL, where the ES module build reads import.meta.url (workers, package.json, the binding).
  define: { 'import.meta.url': 'bundleUrl' },
  // A package loaded on demand (chalk, for a coloured audit) is required, not imported: see the check below.
  supported: { 'dynamic-import': false },
  minifyWhitespace: true, // and comments: the file is ASCII (see below) and 30% shorter
  // The file is already wrapped as Node wraps a CommonJS module, so that bin/load-bundle.js compiles it as read:
  // wrapping it there made V8 copy and flatten a second 540 KB string at every start (498 -> 323 fresh pages).
  banner: {
    js:
      '(function (exports, require, module, __filename, __dirname) {' +
      'const bundleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  footer: { js: '\n})' },
  plugins: [
    {
      name: 'no-ui',
      setup(on) {
        on.onResolve({ filter: /^\.\/tui\.js$/ }, () => ({ path: 'tui', namespace: 'no-ui' }));
        on.onLoad({ filter: /.*/, namespace: 'no-ui' }, () => ({
          contents: 'export function runTui() { throw new Error("the UI runs in the ES module build"); }',
        }));
      },
    },
  ],
});
// Code run by vm.Script cannot import() (Node 20 wants --experimental-vm-modules): every import must be a require().
const commonJs = readFileSync(join(outdir, 'main.cjs'), 'latin1');
if (/\bimport\(/.test(commonJs)) throw new Error('main.cjs has an import()');
// bin/load-bundle.js reads it as latin1, a string of one byte a character, which is faster than UTF-8.
if (/[^\x00-\x7f]/.test(commonJs)) throw new Error('main.cjs is not ASCII');

// Training: the runs people start most, one after another in one process, their output thrown away; what V8
// compiled for them is the cache. The audit requires chalk, an ES module: only where Node can.
const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
const capture = join(fixtures, 'gre-kinds.pcap');
const runs = [
  ['-r', capture],
  ['-r', capture, '--json'],
  ['-r', capture, '-Y', 'gre.key == 1003 || ip.addr == 10.0.0.0/8', '-w', '/dev/null'],
  ['-r', capture, '-T', 'fields', '-e', 'ip.src', '-e', 'gre.key'],
  ['-r', capture, '-V', '-x'],
  ...(process.features.require_module ? [['audit', capture, '--json']] : []),
];
const trainer = `
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const { CODE_CACHE, loadCommonJsBundle } = createRequire(import.meta.url)(${JSON.stringify(loader)});
const { main, script } = loadCommonJsBundle(false);
for (const argv of ${JSON.stringify(runs)}) await main(argv);
writeFileSync(CODE_CACHE, script.createCachedData());
`;
const trained = spawnSync(process.execPath, ['--input-type=module', '-e', trainer], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (trained.status !== 0) throw new Error('the code cache was not written');
