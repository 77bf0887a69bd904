import { closeSync, openSync, readSync } from 'node:fs';
import { crypto } from '../util/crypto.js';

/**
 * A keyed hash of four 32-bit words (HalfSipHash-1-3) under a key drawn
 * once per process, so that no capture can choose which tunnels share a
 * bucket: an unkeyed mix (or V8's own hash of integer Map keys, which is
 * not seeded) lets a crafted capture put every tunnel in one bucket.
 */
const seed = randomKey();
const K0 = seed[0]!;
const K1 = seed[1]!;

/**
 * 64 random bits from the kernel's /dev/urandom: node:crypto would give the same, but loading it took about 6 ms of
 * every audit's start. Where there is no such device, node:crypto after all (loaded at first use: util/crypto.ts).
 */
function randomKey(): Int32Array {
  const key = new Int32Array(2);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, key) === key.byteLength) return key;
    } finally {
      closeSync(fd);
    }
  } catch {} // no /dev/urandom here
  return crypto().randomFillSync(key);
}

export function keyedHash4(a: number, b: number, c: number, d: number): number {
  let v0 = K0;
  let v1 = K1;
  let v2 = 0x6c796765 ^ K0;
  let v3 = 0x74656462 ^ K1;
  // One round per word, then the length word, then three rounds to finish.
  for (let i = 0; i < 5; i++) {
    const m = i === 0 ? a : i === 1 ? b : i === 2 ? c : i === 3 ? d : 16 << 24;
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (let i = 0; i < 3; i++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  // 30 bits: a small integer for V8, never a heap number.
  return (v1 ^ v3) & 0x3fffffff;
}
