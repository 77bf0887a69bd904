import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { outputHelpers, writeAll } from '../src/output/sink.js';

/**
 * Output into a pipe (`gredump -r big.pcap | cat`): once the output has
 * filled a buffer the pipe is enlarged, so that the writer does not wait for
 * its reader every 64 KiB, and a full non-blocking pipe is waited out by
 * poll(2), not by sleeping. Both need the binding (native/pcap.c).
 */
const skip =
  process.platform !== 'linux'
    ? 'F_SETPIPE_SZ is Linux'
    : outputHelpers() === null
      ? 'the libpcap binding is not built (apt-get install libpcap-dev, then npm run build:native)'
      : false;
if (skip) console.log(`# pipe output tests skipped: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), 'gredump-pipe-'));
let made = 0;
/**
 * A FIFO opened for reading and writing (so that opening waits for no reader), non-blocking as a parent may leave it.
 */
function fifo(): { path: string; fd: number } {
  const path = join(dir, `fifo${made++}`);
  assert.equal(spawnSync('mkfifo', [path]).status, 0);
  return { path, fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK) };
}

test('a buffer-full of output enlarges the pipe; a short output leaves it as it is', { skip }, () => {
  const big = fifo();
  writeAll(big.fd, new Uint8Array(1 << 16));
  // At the default 64 KiB, a pipe holding the first write would take nothing more.
  assert.equal(writeSync(big.fd, new Uint8Array(900 << 10)), 900 << 10);
  closeSync(big.fd);
  const small = fifo();
  writeAll(small.fd, new Uint8Array(100));
  assert.ok(writeSync(small.fd, new Uint8Array(900 << 10)) <= 64 << 10);
  closeSync(small.fd);
});

test('a full non-blocking pipe is waited out until its reader drains it, every byte delivered', { skip }, async () => {
  const { path, fd } = fifo();
  // The reader starts late: the writer meets EAGAIN and waits for room.
  const reader = spawn('sh', ['-c', `sleep 0.3; wc -c < '${path}'`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let counted = '';
  reader.stdout.on('data', (d: Buffer) => {
    counted += d.toString();
  });
  const data = new Uint8Array(4 << 20).fill(0x61);
  writeAll(fd, data);
  // The reader's open ends when every writer has closed: this one is the last.
  closeSync(fd);
  const status = await new Promise((r) => reader.on('exit', r));
  assert.equal(status, 0);
  assert.equal(Number(counted.trim()), 4 << 20);
});
