import { test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { frameOf } from './support/frames.js';
import { checkJsonMembers, samples } from './support/fuzz.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: checking the packets of fixtures/ only`);

/**
 * --json writes the busiest protocols' fields as text (jsonMembers) instead
 * of stringifying an object: the two must be the same bytes on every real
 * packet, and on every cut of the fixture packets (the fuzz tests compare
 * them on random and mutated packets too).
 */
test('jsonMembers writes exactly JSON.stringify(fields) on every corpus packet', () => {
  const engine = new Engine();
  for (const s of samples([FIXTURES, CORPUS], Infinity)) checkJsonMembers(engine.dissect(frameOf(s.bytes, s.linktype)));
});

test('jsonMembers agrees with fields on every cut of every fixture packet', () => {
  const engine = new Engine();
  for (const s of samples([FIXTURES])) {
    for (let n = 0; n <= s.bytes.length; n++) checkJsonMembers(engine.dissect(frameOf(s.bytes.subarray(0, n), s.linktype, s.bytes.length)));
  }
});
