import fc from 'fast-check';
import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { evaluate } from '../src/audit/rules.js';
import { buildReport } from '../src/audit/report.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineOptions } from '../src/dissect/state.js';
import {
  checkFile,
  checkPacket,
  checkSequence,
  decryptionSetup,
  fileMutation,
  fragmentSequence,
  LINKTYPES,
  mutation,
  checkFilter,
  filterText,
  sampleFiles,
  samples,
} from './support/fuzz.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: mutating the packets of fixtures/ only`);

/** A few thousand hostile inputs on every run; `npm run fuzz` goes on for as long as asked. */
test('random bytes on every link type never break dissection, output or audit', { timeout: 60_000 }, () => {
  const engine = new Engine();
  const table = new TunnelTable();
  fc.assert(
    fc.property(fc.constantFrom(...LINKTYPES), fc.uint8Array({ maxLength: 256 }), (linktype, bytes) =>
      checkPacket(engine, table, bytes, linktype),
    ),
    { numRuns: 2000 },
  );
  JSON.stringify(buildReport(table, evaluate(table)));
});

test('mutated real packets (bit flips, byte runs, lying lengths, cuts) never break dissection, output or audit', {
  timeout: 60_000,
}, () => {
  const pool = samples([FIXTURES, CORPUS]);
  const engine = new Engine();
  const table = new TunnelTable();
  fc.assert(
    fc.property(mutation(pool), (m) => checkPacket(engine, table, m.bytes, m.linktype, m.len)),
    { numRuns: 4000 },
  );
  JSON.stringify(buildReport(table, evaluate(table)));
});

test('any display filter text compiles or is refused with its caret; what compiles answers on every packet', {
  timeout: 60_000,
}, () => {
  const packets = samples([FIXTURES], 3);
  const engine = new Engine();
  fc.assert(
    fc.property(filterText(), (text) => checkFilter(text, engine, packets)),
    { numRuns: 3000 },
  );
});

test('mutated whole capture files (header fields, record and block ' +
  'lengths, options, timestamps, cuts) are read to a named offset, never broken', {
  timeout: 120_000,
}, () => {
  const files = sampleFiles(FIXTURES);
  const dir = mkdtempSync(join(tmpdir(), 'gredump-fuzz-files-'));
  const path = join(dir, 'f');
  fc.assert(
    fc.property(fileMutation(files), (bytes) => {
      writeFileSync(path, bytes);
      checkFile(path, new Engine(), new TunnelTable());
    }),
    { numRuns: 400 },
  );
});

test('fragment and sequence-number sequences keep the reassembly within its budget and never break', {
  timeout: 60_000,
}, () => {
  const budget = 256 * 1024;
  fc.assert(
    fc.property(fragmentSequence(), (packets) =>
      checkSequence(new Engine(engineOptions(8, budget / (1024 * 1024))), new TunnelTable(), packets, budget),
    ),
    { numRuns: 300 },
  );
});

test('mutated ESP packets through the decryption paths (keys given) never break', { timeout: 60_000 }, () => {
  const { engine, pool } = decryptionSetup(FIXTURES);
  const e = engine();
  const table = new TunnelTable();
  fc.assert(
    fc.property(mutation(pool), (m) => checkPacket(e, table, m.bytes, m.linktype, m.len)),
    { numRuns: 2000 },
  );
});
