import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printfFixed, printfG } from '../src/util/printf.js';

test("printfFixed writes C's %.Nf: the double's exact digits, an exact tie to the even digit", () => {
  // Expected values from C's printf (Python's % formatting, which rounds as glibc's does).
  for (const [x, places, c] of [
    [1 / 1024, 9, '0.000976562'],
    [0.0078125, 6, '0.007812'],
    [1767225604.08, 9, '1767225604.079999924'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [9.9999999, 6, '10.000000'],
    [-4.5, 6, '-4.500000'],
    [0.03125, 4, '0.0312'],
    [0.375, 2, '0.38'],
    [1e22, 2, '10000000000000000000000.00'],
    [-0.0000001, 6, '-0.000000'],
    [12.3456785, 6, '12.345678'],
  ] as const)
    assert.equal(printfFixed(x, places), c, `${x} to ${places} places`);
  // Where toFixed agrees, so does printfFixed.
  for (let i = 0; i < 2000; i++) {
    const x = (i * 7919.123456789) / 977;
    const exact = x.toFixed(30);
    const tie = /^5(0*)$/.test(exact.slice(exact.indexOf('.') + 7));
    if (!tie) assert.equal(printfFixed(x, 6), x.toFixed(6));
  }
});

test("printfG writes C's %g: six significant digits, an exponent below 1e-4 and from 1e6, no trailing zeros", () => {
  // Expected values from C's printf (Python's % formatting).
  for (const [x, c] of [
    [125000000, '1.25e+08'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [1234567, '1.23457e+06'],
    [1.5, '1.5'],
    [100, '100'],
    [0.000123456789, '0.000123457'],
    [999999.5, '1e+06'],
    [-2.5e10, '-2.5e+10'],
    [3.14159265, '3.14159'],
    [0, '0'],
    // An exact tie to the even digit, in both forms.
    [1234565, '1.23456e+06'],
    [1234575, '1.23458e+06'],
    [0.5, '0.5'],
    [2 ** -149, '1.4013e-45'],
  ] as const)
    assert.equal(printfG(x), c, String(x));
  assert.equal(printfG(Number.NaN), 'nan');
  assert.equal(printfG(-Infinity), '-inf');
  assert.equal(printfFixed(Infinity, 3), 'inf');
});
