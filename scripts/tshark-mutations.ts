/**
 * Differential run against tshark: npm run tshark-mutations -- FILE TITLE [COUNT] [SEED] [FROM] [-- TSHARK OPTIONS].
 * Writes COUNT (default 500) mutations of FILE's frames (a classic pcap): in each, 1 to 4 bytes at or after byte FROM
 * of the frame (default 34, past Ethernet and a plain IPv4 header) changed, often to 0, 0xff or a small number
 * (lengths, types), and one frame in seven cut by the capture inside what is mutated. Then it reads them with tshark
 * (TCP's sequence analysis off, which would take the repeated segments for retransmissions) and with gredump, and
 * compares, frame by frame, the -V lines of each top-level item whose title begins with TITLE (`Generic Routing
 * Encapsulation`; `A|B` for either), expert items and the marks of an exception left out. It prints the first differences and how many
 * frames differ: where gredump's reading of hostile input parts from tshark's. test/bgp.test.ts holds BGP to this.
 */
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../test/support/paths.js';

const dash = process.argv.indexOf('--');
const args = process.argv.slice(2, dash < 0 ? undefined : dash);
const tsharkOptions = dash < 0 ? [] : process.argv.slice(dash + 1);
const [file, title, count = '500', seedText = '7', fromText = '34'] = args;
if (!file || !title) {
  console.error('usage: npm run tshark-mutations -- FILE TITLE [COUNT] [SEED] [FROM] [-- TSHARK OPTIONS]');
  process.exit(2);
}

const input = readFileSync(file);
if (input.length < 24 || input.readUInt32LE(0) !== 0xa1b2c3d4) {
  console.error(`${file}: not a little-endian classic pcap`);
  process.exit(2);
}
const records: Buffer[] = [];
for (let off = 24; off + 16 <= input.length; ) {
  const size = 16 + input.readUInt32LE(off + 8);
  records.push(Buffer.from(input.subarray(off, off + size)));
  off += size;
}

let seed = Number(seedText);
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const from = Number(fromText);
const out = [input.subarray(0, 24)];
for (let i = 0; i < Number(count); i++) {
  const record = Buffer.from(records[i % records.length]!);
  const data = record.subarray(16);
  if (data.length <= from) {
    out.push(record);
    continue;
  }
  for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
    const x = random();
    data[from + Math.floor(random() * (data.length - from))] =
      x < 0.3 ? 0 : x < 0.45 ? 0xff : x < 0.6 ? Math.floor(random() * 20) : Math.floor(random() * 256);
  }
  if (random() < 0.15) {
    const caplen = from + Math.floor(random() * (data.length - from));
    record.writeUInt32LE(caplen, 8);
    out.push(record.subarray(0, 16 + caplen));
  } else out.push(record);
}

// Titles differ where tshark's item is not named as its protocol (NHRP's): `A|B` takes either.
const titles = title.split('|');

/** Each frame's lines of the items so titled (each title as `TITLE`), without expert items and exceptions. */
function linesByFrame(text: string): Map<number, string[]> {
  const frames = new Map<number, string[]>();
  let lines: string[] | null = null;
  let inside = false;
  let skipUnder = -1;
  for (const line of text.split('\n')) {
    const frame = /^Frame (\d+):/.exec(line);
    if (frame) {
      frames.set(Number(frame[1]), (lines = []));
      inside = false;
      continue;
    }
    if (lines === null || line.trim() === '' || /^[0-9a-f]{4} {2}/.test(line)) continue;
    if (!line.startsWith(' ')) {
      inside = titles.some((t) => line.startsWith(t));
      skipUnder = -1;
      if (inside) lines.push('TITLE');
      continue;
    }
    const indent = line.search(/\S/);
    if (!inside || (skipUnder >= 0 && indent > skipUnder)) continue;
    skipUnder = -1;
    if (/^\[(Expert Info|Malformed|Packet size limited|BoundError)/.test(line.trim())) skipUnder = indent;
    else lines.push(line);
  }
  return frames;
}

const dir = mkdtempSync(join(tmpdir(), 'gredump-mutations-'));
try {
  const path = join(dir, 'mutated.pcap');
  writeFileSync(path, Buffer.concat(out));
  const big: ExecFileSyncOptionsWithStringEncoding = { maxBuffer: 1 << 30, encoding: 'utf8', stdio: 'pipe' };
  const options = ['-o', 'tcp.analyze_sequence_numbers:FALSE', ...tsharkOptions];
  const theirs = linesByFrame(execFileSync('tshark', ['-n', '-r', path, '-V', ...options], big));
  const ours = linesByFrame(execFileSync(process.execPath, [BIN, '-r', path, '-V'], big));
  let differ = 0;
  for (const [frame, lines] of theirs) {
    const mine = ours.get(frame) ?? [];
    if (mine.length === lines.length && mine.every((l, i) => l === lines[i])) continue;
    if (++differ > 5) continue;
    const first = lines.findIndex((l, i) => l !== mine[i]);
    const at = first < 0 ? lines.length : first;
    console.log(`frame ${frame}, from line ${at + 1}:`);
    for (const l of lines.slice(at, at + 6)) console.log(`- ${l}`);
    for (const l of mine.slice(at, at + 6)) console.log(`+ ${l}`);
  }
  console.log(`${differ} of ${theirs.size} frames differ (- tshark, + gredump)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
