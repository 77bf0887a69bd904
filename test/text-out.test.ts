import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextOut } from '../src/util/text-out.js';

/** Output is written digit by digit into bytes: it must read exactly as JavaScript's own text for the same values. */
const out = new TextOut(16);

test('num writes what String() writes, for any number', () => {
  for (const n of [
    0,
    -0,
    9,
    10,
    99,
    100,
    65535,
    4294967295,
    4294967296,
    1767225600,
    2 ** 53 - 1,
    2 ** 53,
    -7,
    0.5,
    1e21,
    NaN,
    Infinity,
  ]) {
    assert.equal(out.num(n).take(), String(n));
  }
  fc.assert(
    fc.property(
      fc.oneof(fc.nat(), fc.integer(), fc.maxSafeInteger(), fc.double()),
      (n) => out.num(n).take() === String(n),
    ),
    { numRuns: 20000 },
  );
});

test('padded, hex, hexBytes, ipv4 and mac write what the string forms write', () => {
  fc.assert(
    fc.property(
      fc.nat({ max: 999999999 }),
      fc.integer({ min: 1, max: 9 }),
      (n, width) => out.padded(n, width).take() === String(n).padStart(width, '0'),
    ),
  );
  fc.assert(
    fc.property(
      fc.nat({ max: 0xffffffff }),
      fc.integer({ min: 0, max: 8 }),
      (n, width) => out.hex(n, width).take() === '0x' + n.toString(16).padStart(width, '0'),
    ),
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (b) => {
      assert.equal(out.ipv4(b, 2).take(), `${b[2]}.${b[3]}.${b[4]}.${b[5]}`);
      assert.equal(out.mac(b, 0).take(), [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
      assert.equal(out.hexBytes(b, 1, 4).take(), Buffer.from(b.subarray(1, 5)).toString('hex'));
      return true;
    }),
  );
});

test('str writes any string as UTF-8, growing the buffer as needed', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary' })), (parts) => {
      for (const p of parts) out.str(p);
      return out.take() === Buffer.from(parts.join(''), 'utf8').toString('utf8');
    }),
  );
});
