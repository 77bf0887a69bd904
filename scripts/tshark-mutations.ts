/**
 * Differential run against tshark: npm run tshark-mutations -- FILE TITLE [COUNT] [SEED] [FROM] [-- TSHARK OPTIONS].
 * Writes COUNT (default 500) mutations of FILE's frames (a classic pcap: test/support/tshark-mutations.ts), each
 * from byte FROM on (default 34, past Ethernet and a plain IPv4 header). Then it reads them with tshark (TCP's
 * sequence analysis off, which would take the repeated segments for retransmissions) and with gredump, and compares,
 * frame by frame, the -V lines of each top-level item whose title begins with TITLE (`Generic Routing
 * Encapsulation`; `A|B` for either), expert items and the marks of an exception left out. It prints the first
 * differences and how many frames differ: where gredump's reading of hostile input parts from tshark's.
 */
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../test/support/paths.js';
import { linesByFrame, mutatedCapture } from '../test/support/tshark-mutations.js';

const dash = process.argv.indexOf('--');
const args = process.argv.slice(2, dash < 0 ? undefined : dash);
const tsharkOptions = dash < 0 ? [] : process.argv.slice(dash + 1);
const [file, title, count = '500', seed = '7', from = '34'] = args;
if (!file || !title) {
  console.error('usage: npm run tshark-mutations -- FILE TITLE [COUNT] [SEED] [FROM] [-- TSHARK OPTIONS]');
  process.exit(2);
}

let mutated: Buffer;
try {
  mutated = mutatedCapture(
    readFileSync(file),
    () => true,
    Number(count),
    Number(seed),
    () => Number(from),
  );
} catch (e) {
  console.error(`${file}: ${(e as Error).message}`);
  process.exit(2);
}
const titles = title.split('|');
const dir = mkdtempSync(join(tmpdir(), 'gredump-mutations-'));
try {
  const path = join(dir, 'mutated.pcap');
  writeFileSync(path, mutated);
  const big: ExecFileSyncOptionsWithStringEncoding = { maxBuffer: 1 << 30, encoding: 'utf8', stdio: 'pipe' };
  const options = ['-o', 'tcp.analyze_sequence_numbers:FALSE', ...tsharkOptions];
  const theirs = linesByFrame(execFileSync('tshark', ['-n', '-r', path, '-V', ...options], big), titles);
  const ours = linesByFrame(execFileSync(process.execPath, [BIN, '-r', path, '-V'], big), titles);
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
