#!/bin/sh
// 2>/dev/null; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// Run as a program, this file is first a shell script. The line above is to JavaScript a comment; to the shell, `//`
// (a directory: it fails, its error sent to /dev/null) and then two commands that start Node on this file without
// NODE_EXTRA_CA_CERTS. Node 20 reads and parses that file's certificates at every start, before any script runs
// (about 40 ms); gredump makes no TLS connection, so they would serve it nothing.
// The command is compiled from src/cli/main.ts (npm install runs the build, scripts/bundle.mjs). It runs:
// - the CommonJS bundle from its code cache (./load-bundle.js), the fastest start, where this Node can require()
//   the ES-module packages the bundle uses (Node 20.19 and later); the terminal UI (ink cannot be required: it
//   awaits at its top level) is handed to the ES module bundle;
// - else the ES module bundle, when it was made from tsc's latest output;
// - else tsc's own files (after a bare `tsc`).
// This file is CommonJS (./package.json): Node starts a CommonJS main faster than an ES module one.
const { statSync } = require('node:fs');
const { join } = require('node:path');

const built = (path) => statSync(join(__dirname, path), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = '../dist/src/bundle/main.js';
const tsc = '../dist/src/cli/main.js';
const fresh = built(bundle) >= built(tsc);
const runModules = async (argv) => (await import(fresh ? bundle : tsc)).main(argv);
const argv = process.argv.slice(2);

if (built(fresh ? bundle : tsc) < 0) {
  process.stderr.write('gredump: not built yet: run npm ci (or npm run build) in its folder\n');
  process.exitCode = 2;
} else {
  const run =
    fresh && process.features.require_module && built('../dist/src/bundle/main.cjs') >= built(bundle)
      ? require('./load-bundle.js').loadCommonJsBundle().main(argv, runModules)
      : runModules(argv);
  run.then((status) => {
    process.exitCode = status;
  });
}
