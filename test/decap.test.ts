import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * -w OUT --decap: the inner packets, at the outer packets' times. tshark
 * reads the output, and its innermost addresses and times are those tshark
 * finds in the input.
 */
const haveTshark = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'gredump-decap-'));

function tshark(path: string, fields: string[], extra: string[] = []): string[][] {
  const r = spawnSync(
    'tshark',
    [
      '-n',
      '-r',
      path,
      ...extra,
      '-T',
      'fields',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8' },
  );
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

test('--decap writes the innermost packet of each tunnel, with its time', {
  skip: haveTshark ? false : 'tshark is not installed',
}, () => {
  const input = join(FIXTURES, 'gre-kinds.pcap');
  const out = join(dir, 'gre.pcap');
  const r = spawnSync(process.execPath, [BIN, '-r', input, '-w', out, '--decap'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // tshark's Source and Destination columns name the innermost addresses.
  const fields = ['frame.time_epoch', '_ws.col.Source', '_ws.col.Destination'];
  const inside = tshark(input, fields);
  const written = tshark(out, fields);
  assert.equal(written.length, inside.length);
  assert.ok(inside.length >= 6);
  written.forEach((w, i) => assert.deepEqual(w, inside[i], `frame ${i + 1}`));
});

test('--decap writes decrypted ESP as its inner packet; packets that carry nothing are left out', {
  skip: haveTshark ? false : 'tshark is not installed',
}, () => {
  const input = join(FIXTURES, 'ike-v2-child.pcap');
  const out = join(dir, 'esp.pcap');
  const r = spawnSync(
    process.execPath,
    [BIN, '-r', input, '--esp-sa', join(FIXTURES, 'ike-v2-child.esp_sa'), '-w', out, '--decap'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const written = tshark(out, [
    'frame.time_epoch',
    '_ws.col.Source',
    '_ws.col.Destination',
    'udp.dstport',
    'icmp.type',
  ]);
  // 12 ESP packets decrypted; the IKE packets carry nothing and are not written.
  assert.equal(written.length, 12);
  const esp = tshark(input, ['frame.time_epoch'], ['-Y', 'esp']).map((row) => row[0]);
  assert.deepEqual(
    written.map((w) => w[0]),
    esp,
  );
  // Datagrams to the discard port one way, ICMP port unreachable (type 3) the other.
  assert.ok(
    written.every((w) => (w[1] === '198.18.10.1' && w[3] === '9') || (w[1] === '198.18.20.1' && w[4] === '3')),
    JSON.stringify(written),
  );
  // Without the keys nothing is inside that can be read.
  const none = join(dir, 'none.pcap');
  spawnSync(process.execPath, [BIN, '-r', input, '-w', none, '--decap']);
  assert.equal(tshark(none, ['frame.number']).length, 0);
});

test('--decap without -w is a usage error', () => {
  const r = spawnSync(process.execPath, [BIN, '-r', join(FIXTURES, 'gre-kinds.pcap'), '--decap'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--decap goes with -r FILE -w OUT/);
});
