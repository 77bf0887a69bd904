/**
 * Long fuzzing run: npm run fuzz -- [seconds] (default 300). Mutates real
 * packets from fixtures/ and ../shared/corpus, and random bytes, until the
 * time is up; prints the failing input and the seed to replay it.
 */
import fc from 'fast-check';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { checkPacket, LINKTYPES, mutation, samples } from '../test/support/fuzz.js';
import { CORPUS, FIXTURES } from '../test/support/paths.js';

const seconds = Number(process.argv[2] ?? 300);
const pool = samples([FIXTURES, CORPUS], 1000);
const deadline = Date.now() + seconds * 1000;
let runs = 0;
let table = new TunnelTable();
const engine = new Engine();
const input = fc.oneof(
  mutation(pool),
  fc.record({ linktype: fc.constantFrom(...LINKTYPES), bytes: fc.uint8Array({ maxLength: 512 }) }).map((r) => ({ ...r, len: r.bytes.length })),
);
console.log(`fuzzing for ${seconds}s over ${pool.length} real packets and random bytes`);
while (Date.now() < deadline) {
  const seed = Date.now() ^ (runs * 2654435761);
  fc.assert(fc.property(input, (m) => checkPacket(engine, table, m.bytes, m.linktype, m.len)), { numRuns: 10_000, seed });
  runs += 10_000;
  // A fresh table now and then, so its bounds are not what every run tests.
  if (runs % 100_000 === 0) table = new TunnelTable();
}
console.log(`${runs} inputs, no failure`);
