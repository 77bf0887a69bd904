import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerAll } from '../src/dissect/handoff.js';
import { registeredProtocols } from '../src/dissect/registry.js';
import { Engine } from '../src/dissect/engine.js';
import { frameOf } from './support/frames.js';
import { checkJsonMembers, samples } from './support/fuzz.js';
import { CORPUS, FIXTURES, HAVE_CORPUS, NO_CORPUS } from './support/paths.js';

if (!HAVE_CORPUS) console.log(`# ${NO_CORPUS}: checking the packets of fixtures/ only`);

/**
 * --json writes each layer's members as bytes, from the same walk over the
 * protocol's declared members (dissect/json.ts) that gives their object
 * form: the bytes must be valid JSON that reads back to itself and equal the
 * object form stringified, on every real packet and on every cut of the
 * fixture packets (the fuzz tests check random and mutated packets too).
 * Each protocol declares its members once, as one list.
 */
// Members and fields are built at their first use (field.ts's declareFields), not at load: this builds every
// protocol's, so that a member naming no field of its protocol fails here whichever captures the tests read.
test('every protocol declares its JSON members once, as one list of members', () => {
  registerAll();
  for (const p of registeredProtocols()) {
    const members = p.json.members();
    assert.ok(Array.isArray(members), p.name);
    assert.ok(p.hf === undefined || p.hf().length > 0, p.name);
    const names = members.filter((m) => m.rest === null).map((m) => m.name);
    assert.equal(new Set(names).size, names.length, `${p.name}: a member declared twice`);
  }
});

test('the JSON members are valid JSON that reads back to itself on every corpus packet', () => {
  const engine = new Engine();
  for (const s of samples([FIXTURES, CORPUS], Infinity)) checkJsonMembers(engine.dissect(frameOf(s.bytes, s.linktype)));
});

test('the JSON members are valid JSON on every cut of every fixture packet', () => {
  const engine = new Engine();
  for (const s of samples([FIXTURES])) {
    for (let n = 0; n <= s.bytes.length; n++)
      checkJsonMembers(engine.dissect(frameOf(s.bytes.subarray(0, n), s.linktype, s.bytes.length)));
  }
});
