#!/usr/bin/env node
// The command is compiled from src/cli/main.ts (npm install runs the build): the bundle
// (scripts/bundle.mjs) when it was made from tsc's latest output, else tsc's own files (after a bare `tsc`).
import { statSync } from 'node:fs';

const built = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = '../dist/src/bundle/main.js';
const { main } = await import(built(bundle) >= built('../dist/src/cli/main.js') ? bundle : '../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
