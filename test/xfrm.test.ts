import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEspSa, SaFileError, type SaEntry } from '../src/ipsec/sa-file.js';
import { parseXfrmState } from '../src/ipsec/xfrm.js';
import { BIN, FIXTURES } from './support/paths.js';

/**
 * --xfrm: the kernel's SAs from `ip xfrm state`. The states of
 * fixtures/esp-scapy.xfrm-add are those of esp-scapy.esp_sa (plus three
 * gredump cannot use); where this machine can make them (root, iproute2,
 * a kernel with ESP), the test makes them in a network namespace of its
 * own, dumps them with `ip xfrm state` and `ip -s xfrm state`, and holds
 * the committed text to what the kernel printed.
 */
const XFRM = join(FIXTURES, 'esp-scapy.xfrm');
const ESP_SA = join(FIXTURES, 'esp-scapy.esp_sa');

/** What an SA does, keys included (compared, never printed: messages name the SPI). */
const shape = (e: SaEntry) => ({
  family: e.family,
  src: e.src,
  dst: e.dst,
  spi: e.spi,
  enc: e.enc.name,
  auth: e.auth.name,
});
const sameKeys = (a: SaEntry, b: SaEntry) => a.encKey.equals(b.encKey) && a.authKey.equals(b.authKey);

function bySpi(entries: SaEntry[]): SaEntry[] {
  return [...entries].sort((a, b) => (a.spi ?? 0) - (b.spi ?? 0));
}

test('ip xfrm state text becomes the SAs of the same esp_sa file, algorithm by algorithm', () => {
  const xfrm = parseXfrmState(readFileSync(XFRM, 'latin1'), 'esp-scapy.xfrm');
  const espSa = parseEspSa(readFileSync(ESP_SA, 'latin1'), 'esp-scapy.esp_sa');
  const ours = bySpi(xfrm.entries);
  const theirs = bySpi(espSa);
  assert.deepEqual(ours.map(shape), theirs.map(shape));
  ours.forEach((e, i) => assert.ok(sameKeys(e, theirs[i]!), `keys of SPI 0x${e.spi!.toString(16)} differ`));
  // NAT-T encapsulation is read too.
  assert.deepEqual(
    [...xfrm.encap.values()].map((e) => e.type),
    ['espinudp', 'espinudp', 'espinudp'],
  );
});

test('a state it cannot use is named with why, by file and line, and never with its key', () => {
  const text = readFileSync(XFRM, 'latin1');
  const { skipped } = parseXfrmState(text, 'esp-scapy.xfrm');
  assert.equal(skipped.length, 3);
  assert.match(
    skipped.find((s) => s.includes('0x00009001'))!,
    /^esp-scapy\.xfrm:\d+: esp SPI 0x00009001 .*rfc4543\(gcm\(aes\)\) \(AES-GMAC.*not supported/,
  );
  assert.match(skipped.find((s) => s.includes('0x00009002'))!, /xcbc\(aes\) \(AES-XCBC-MAC\) is not supported/);
  assert.match(skipped.find((s) => s.includes('0x00009003'))!, /AH carries no encryption/);
  const keys = [...text.matchAll(/0x[0-9a-f]{16,}/g)].map((m) => m[0].slice(2));
  for (const s of skipped) for (const k of keys) assert.ok(!s.includes(k), 'a key in a message');
  // ESN, hidden keys and unknown modes are said too.
  const esn = parseXfrmState(
    'src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x00000001 reqid 1 mode ' +
      'tunnel\n\treplay-window 0 flag af-unspec esn\n\taead ' +
      'rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128\n',
    'x',
  );
  assert.match(esn.skipped[0]!, /extended sequence numbers/);
  const hidden = parseXfrmState(
    'src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x00000001 reqid 1 mode tunnel\n\tenc cbc(aes) (256 bits)\n',
    'x',
  );
  assert.match(hidden.skipped[0]!, /not 0x and hex digits/);
  const iptfs = parseXfrmState(
    'src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x00000001 reqid 1 mode ' +
      'iptfs\n\tenc cbc(aes) 0x000102030405060708090a0b0c0d0e0f\n',
    'x',
  );
  assert.match(iptfs.skipped[0]!, /mode iptfs is not supported/);
});

test('ip -s xfrm state (key sizes, decimal SPIs, lifetimes, stats) reads the same', () => {
  const s = `src 192.168.1.10 dst 192.168.1.20
\tproto esp spi 0xca56d890(3394689168) reqid 16409(0x00004019) mode tunnel
\treplay-window 0 seq 0x00000000 flag af-unspec (0x10100000)
\tauth-trunc hmac(sha256) 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f (256 bits) 128
\tenc cbc(aes) 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f (256 bits)
\tlastused 2026-07-08 17:25:53
\tanti-replay context: seq 0x0, oseq 0xc, bitmap 0x00000000
\tdir out
\tlifetime config:
\t  limit: soft (INF)(bytes), hard (INF)(bytes)
\t  expire add: soft 0(sec), hard 0(sec)
\tlifetime current:
\t  832(bytes), 12(packets)
\t  add 2026-07-08 17:25:40 use 2026-07-08 17:25:43
\tstats:
\t  replay-window 0 replay 0 failed 0
`;
  const r = parseXfrmState(s, 'ip-s');
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.entries.map(shape), [
    {
      family: 4,
      src: '192.168.1.10',
      dst: '192.168.1.20',
      spi: 0xca56d890,
      enc: 'AES-CBC [RFC3602]',
      auth: 'HMAC-SHA-256-128 [RFC4868]',
    },
  ]);
});

test('text that is not ip xfrm state output is refused by file and line', () => {
  assert.throws(
    () => parseXfrmState('hello world\n', 'keys.txt'),
    (e: Error) => e instanceof SaFileError && /^keys\.txt:1: expected "src ADDRESS dst ADDRESS"/.test(e.message),
  );
  assert.throws(() => parseXfrmState('\tproto esp\n', 'k'), /k:1: an indented line before/);
});

test('gredump --xfrm decrypts what --esp-sa decrypts, from a file and from standard input', () => {
  const pcap = join(FIXTURES, 'esp-scapy.pcap');
  const esp = spawnSync(process.execPath, [BIN, '-r', pcap, '--esp-sa', ESP_SA], { encoding: 'utf8' });
  const xfrm = spawnSync(process.execPath, [BIN, '-r', pcap, '--xfrm', XFRM], { encoding: 'utf8' });
  const stdin = spawnSync(process.execPath, [BIN, '-r', pcap, '--xfrm', '-'], {
    encoding: 'utf8',
    input: readFileSync(XFRM),
  });
  assert.equal(esp.status, 0);
  assert.ok((esp.stdout.match(/decrypted, ICV good/g) ?? []).length >= 20);
  assert.equal(xfrm.stdout, esp.stdout);
  assert.equal(stdin.stdout, esp.stdout);
  assert.match(xfrm.stderr, /esp-scapy\.xfrm:\d+: esp SPI 0x00009001 .* not used/);
  const both = spawnSync(process.execPath, [BIN, '-r', '-', '--xfrm', '-'], { encoding: 'utf8', input: '' });
  assert.equal(both.status, 2);
  assert.match(both.stderr, /standard input already carries the capture/);
});

/** Makes the fixture's states in a namespace of our own and dumps them; null (with why) where this machine cannot. */
function kernelDump(): { plain: string; stats: string } | string {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 is not installed';
  const ns = `gdxfrm${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) return 'cannot make a network namespace';
  try {
    for (const line of readFileSync(join(FIXTURES, 'esp-scapy.xfrm-add'), 'utf8').trim().split('\n')) {
      const r = spawnSync('ip', ['-n', ns, 'xfrm', 'state', 'add', ...line.split(' ')], { encoding: 'utf8' });
      if (r.status !== 0 && line.includes(' esp ') && !/rfc4543|xcbc/.test(line))
        return `this kernel cannot make the states (${r.stderr.trim()})`;
    }
    const plain = spawnSync('ip', ['-n', ns, 'xfrm', 'state'], { encoding: 'utf8' }).stdout;
    const stats = spawnSync('ip', ['-n', ns, '-s', 'xfrm', 'state'], { encoding: 'utf8' }).stdout;
    return { plain, stats };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

test('the committed text is what the kernel prints (regenerated where the kernel can)', (t) => {
  const dump = kernelDump();
  if (typeof dump === 'string') {
    t.diagnostic(`using the committed esp-scapy.xfrm: ${dump}`);
    return;
  }
  const committed = bySpi(parseXfrmState(readFileSync(XFRM, 'latin1'), 'committed').entries);
  for (const [what, text] of Object.entries(dump)) {
    const made = bySpi(parseXfrmState(text, what).entries);
    assert.deepEqual(made.map(shape), committed.map(shape), what);
    made.forEach((e, i) =>
      assert.ok(sameKeys(e, committed[i]!), `${what}: keys of SPI 0x${e.spi!.toString(16)} differ`),
    );
  }
});
