/**
 * Long fuzzing run: npm run fuzz -- [seconds] (default 300). Takes turns,
 * until the time is up, at: mutated real packets from fixtures/ and
 * ../shared/corpus and random bytes; mutated whole capture files (header
 * fields, record and block lengths, pcapng options, timestamps, cuts);
 * sequences of IP fragments and GRE sequence numbers (the reassembly's
 * budget checked after every packet); display filters (words of filters
 * at random, and any text) on real packets; mutated ESP through the
 * decryption paths with keys given. Prints the failing input and the seed to replay it,
 * and at the end the inputs of each kind.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/dissect/engine.js';
import { engineOptions } from '../src/dissect/state.js';
import { TunnelTable } from '../src/tunnels/table.js';
import {
  checkFile,
  checkFilter,
  checkPacket,
  checkSequence,
  decryptionSetup,
  fileMutation,
  filterText,
  fragmentSequence,
  LINKTYPES,
  mutation,
  sampleFiles,
  samples,
} from '../test/support/fuzz.js';
import { CORPUS, FIXTURES } from '../test/support/paths.js';

const seconds = Number(process.argv[2] ?? 300);
const pool = samples([FIXTURES, CORPUS], 1000);
const files = sampleFiles(FIXTURES);
const decrypt = decryptionSetup(FIXTURES);
const filterPackets = samples([FIXTURES], 3);
const dir = mkdtempSync(join(tmpdir(), 'gredump-fuzz-'));
const path = join(dir, 'capture');
const deadline = Date.now() + seconds * 1000;
const BUDGET = 256 * 1024;

let table = new TunnelTable();
const engine = new Engine();
const decryptEngine = decrypt.engine();
const packetInput = fc.oneof(
  mutation(pool),
  fc
    .record({ linktype: fc.constantFrom(...LINKTYPES), bytes: fc.uint8Array({ maxLength: 512 }) })
    .map((r) => ({ ...r, len: r.bytes.length })),
);

/** Each kind: its property and how many inputs a turn runs (a turn is a few seconds). */
const kinds: {
  name: string;
  runs: number;
  done: number;
  property: () => fc.IPropertyWithHooks<never> | fc.IProperty<never>;
}[] = [
  {
    name: 'packets',
    runs: 10_000,
    done: 0,
    property: () => fc.property(packetInput, (m) => checkPacket(engine, table, m.bytes, m.linktype, m.len)) as never,
  },
  {
    name: 'whole files',
    runs: 500,
    done: 0,
    property: () =>
      fc.property(fileMutation(files), (bytes) => {
        writeFileSync(path, bytes);
        checkFile(path, new Engine(), new TunnelTable());
      }) as never,
  },
  {
    name: 'fragment and sequence-number sequences',
    runs: 500,
    done: 0,
    property: () =>
      fc.property(fragmentSequence(), (packets) =>
        checkSequence(new Engine(engineOptions(8, BUDGET / (1024 * 1024))), new TunnelTable(), packets, BUDGET),
      ) as never,
  },
  {
    name: 'display filters',
    runs: 2_000,
    done: 0,
    property: () => fc.property(filterText(), (text) => checkFilter(text, engine, filterPackets)) as never,
  },
  {
    name: 'ESP through decryption',
    runs: 5_000,
    done: 0,
    property: () =>
      fc.property(mutation(decrypt.pool), (m) =>
        checkPacket(decryptEngine, table, m.bytes, m.linktype, m.len),
      ) as never,
  },
];

console.log(
  `fuzzing for ${seconds}s: ${pool.length} real packets and random ` +
    `bytes, ${files.length} capture files, fragment ` +
    `sequences, display filters on ${filterPackets.length} packets, ${decrypt.pool.length} ESP packets with keys`,
);
try {
  for (let turn = 0; Date.now() < deadline; turn++) {
    const kind = kinds[turn % kinds.length]!;
    const seed = Date.now() ^ (turn * 2654435761);
    fc.assert(kind.property(), { numRuns: kind.runs, seed });
    kind.done += kind.runs;
    // A fresh table now and then, so its bounds are not what every run tests.
    if (turn % 40 === 0) table = new TunnelTable();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const k of kinds) console.log(`${k.name}: ${k.done} inputs`);
console.log(`${kinds.reduce((n, k) => n + k.done, 0)} inputs, no failure`);
