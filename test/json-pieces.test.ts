import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAscii } from '../src/merge/json-pieces.js';

/** JSON.parse's value or its error, as text, to compare the two ways of parsing. */
function outcome(parse: () => unknown): string {
  try {
    const v = parse();
    return `${Object.getPrototypeOf(v) === Object.prototype ? 'object ' : ''}${JSON.stringify(v)}`;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

const same = (text: string) =>
  assert.equal(
    outcome(() => parseAscii(Buffer.from(text, 'latin1'))),
    outcome(() => JSON.parse(text)),
  );

// Large enough to be cut (over 96 KiB), with the characters the cutter must see through inside strings.
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, s: 'x"\\,]}{[:', n: [1, [2, { z: '{' }]] }));

test('a large state parsed in pieces is what JSON.parse makes of it, in any shape JSON.stringify writes', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat({ max: 6000 }), (v, n) =>
      same(JSON.stringify({ before: v, rows: rows(n), nested: { rows: rows(n >> 1), v }, after: [v, rows(n >> 2)] })),
    ),
    { numRuns: 40 },
  );
});

test('text not in the plain form is parsed whole: the same value, or JSON.parse own error', () => {
  const plain = JSON.stringify({ k: rows(4000), m: { a: 1 } });
  for (const text of [
    plain.replace('"k":', '"k" :'), // whitespace after a key
    plain.replace('[{', '[ {'), // and before an item
    `${plain} `,
    plain.replace('},{', '},,{'), // an empty item
    plain.replace('},{', '}{'),
    plain.slice(0, -1),
    plain.replace('"id":7', '"id":07'),
    plain.replace('"k":[', '"k":{'), // brackets that do not match
    JSON.stringify({ a: rows(2000), b: rows(2000), c: 1 }).replace('"c"', '"a"'), // a key given twice: the last wins
    `{"x":1,"__proto__":{"polluted":1},"y":${JSON.stringify(rows(3000))}}`, // an own key, not the prototype
    JSON.stringify({ 2: rows(2000), b: rows(2000), 1: 5 }), // index keys first
    JSON.stringify('y'.repeat(200_000)),
    JSON.stringify([[[[[rows(3000)], 1]]]]), // cut four levels down, then parsed whole
    `${'['.repeat(100_000)}${']'.repeat(100_000)}`, // too deep to cut: parsed whole
    `${'['.repeat(100_000)}${']'.repeat(99_999)}`,
  ])
    same(text);
  assert.equal(
    Object.getPrototypeOf(parseAscii(Buffer.from(`{"__proto__":{"p":1},"r":${JSON.stringify(rows(3000))}}`))),
    Object.prototype,
  );
});

test('the plain form is cut into small strings; other text is parsed as one', () => {
  const parse = JSON.parse;
  let longest = 0;
  JSON.parse = (text: string, reviver?: Parameters<typeof parse>[1]) => {
    longest = Math.max(longest, text.length);
    return parse(text, reviver);
  };
  try {
    const plain = JSON.stringify({ k: rows(4000), m: { rows: rows(3000) } });
    parseAscii(Buffer.from(plain));
    assert.ok(longest <= 96 * 1024 + 2, `${longest} characters parsed at once`);
    longest = 0;
    parseAscii(Buffer.from(plain.replace('"k":', '"k" :')));
    assert.equal(longest, plain.length + 1);
  } finally {
    JSON.parse = parse;
  }
});

test('a list cut where its items seem to end: a guess in a string or an item is refused, the value the same', () => {
  // Items whose text holds what a cut between items looks like (`},{"id":`), in strings and in nested objects.
  const tricky = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: i, s: i % 7 ? 'x' : '},{"id":1', n: [{ id: i }, { id: -i }] }));
  for (const n of [1, 2, 1500, 4000])
    same(JSON.stringify({ a: 1, t: tricky(n), u: [], v: rows(n), w: { t: tricky(n >> 1) }, z: [tricky(3)] }));
  const text = JSON.stringify({ t: tricky(4000) });
  for (const broken of [text.replace('},{"id":9,', '},,{"id":9,'), text.slice(0, -2), `${text.slice(0, -1)},}`])
    same(broken);
});
