import fc from 'fast-check';
import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { evaluate } from '../src/audit/rules.js';
import { buildReport } from '../src/audit/report.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { checkPacket, LINKTYPES, mutation, samples } from './support/fuzz.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: mutating the packets of fixtures/ only`);

/** A few thousand hostile inputs on every run; `npm run fuzz` goes on for as long as asked. */
test('random bytes on every link type never break dissection, output or audit', { timeout: 60_000 }, () => {
  const engine = new Engine();
  const table = new TunnelTable();
  fc.assert(
    fc.property(fc.constantFrom(...LINKTYPES), fc.uint8Array({ maxLength: 256 }), (linktype, bytes) => checkPacket(engine, table, bytes, linktype)),
    { numRuns: 2000 },
  );
  JSON.stringify(buildReport(table, evaluate(table)));
});

test('mutated real packets (bit flips, byte runs, lying lengths, cuts) never break dissection, output or audit', { timeout: 60_000 }, () => {
  const pool = samples([FIXTURES, CORPUS]);
  const engine = new Engine();
  const table = new TunnelTable();
  fc.assert(
    fc.property(mutation(pool), (m) => checkPacket(engine, table, m.bytes, m.linktype, m.len)),
    { numRuns: 4000 },
  );
  JSON.stringify(buildReport(table, evaluate(table)));
});
