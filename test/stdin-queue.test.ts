import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openCapture } from '../src/capture/open.js';
import { installStdinQueue, StdinQueue, WouldBlock } from '../src/capture/stdin-queue.js';
import { Drive } from '../src/cli/drive.js';
import { FIXTURES } from './support/paths.js';

/**
 * The UI's standard input: a pipe that sends a few bytes at a time (as a
 * live tcpdump -w - does) is opened once its headers are there and read
 * without blocking (the UI's Drive, run again after each wait), and what
 * comes out is the capture, frame for frame.
 */
async function framesThroughTrickle(bytes: Uint8Array, piece: number): Promise<string[]> {
  const pipe = new PassThrough();
  const queue = new StdinQueue(pipe);
  installStdinQueue(queue);
  let at = 0;
  const timer = setInterval(() => {
    if (at >= bytes.length) {
      clearInterval(timer);
      pipe.end();
      return;
    }
    pipe.write(bytes.subarray(at, at + piece));
    at += piece;
  }, 1);
  const frames: string[] = [];
  let problem: string | null = 'not ended';
  const reader = new Drive([{ path: '-' }], {
    onFrame: (f) =>
      void frames.push(
        `${f.tsSec}.${f.tsNsec} ${Buffer.from(f.data.subarray(f.off, f.off + f.caplen)).toString('hex')}`,
      ),
    onFileEnd: (end) => (problem = end.openError ?? end.problem),
  });
  let waits = 0;
  for (;;) {
    try {
      if (!reader.run()) break;
    } catch (err) {
      if (!(err instanceof WouldBlock)) throw err;
      waits++;
      await queue.whenData();
    }
  }
  assert.equal(problem, null);
  assert.ok(waits > 10, `the pipe made the reader wait (${waits} times)`);
  return frames;
}

function framesOfFile(path: string): string[] {
  const src = openCapture(path);
  const frames: string[] = [];
  while (src.next())
    frames.push(
      `${src.frame.tsSec}.${src.frame.tsNsec} ` +
        `${Buffer.from(src.frame.data.subarray(src.frame.off, src.frame.off + src.frame.caplen)).toString('hex')}`,
    );
  src.close();
  return frames;
}

test('a pipe that trickles: plain pcap, pcapng and gzip come out frame for frame as from the file', {
  timeout: 60_000,
}, async () => {
  for (const name of ['gre-ospf-cleartext.pcap', 'tcpdump-OSPFv2_Capture_FINAL.pcapng']) {
    const path = `${FIXTURES}/${name}`;
    const expected = framesOfFile(path);
    assert.deepEqual(await framesThroughTrickle(readFileSync(path), 7), expected, `${name}, 7 bytes at a time`);
    assert.deepEqual(
      await framesThroughTrickle(gzipSync(readFileSync(path)), 5),
      expected,
      `${name} gzipped, 5 bytes at a time`,
    );
  }
});
