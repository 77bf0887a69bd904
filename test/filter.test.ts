import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES, ROOT } from './support/paths.js';

/**
 * -f on files: libpcap compiles the filter and pcap_offline_filter runs it,
 * so gredump keeps exactly the packets tcpdump keeps (tcpdump is the oracle;
 * CI installs it).
 */
const dir = mkdtempSync(join(tmpdir(), 'gredump-filter-'));
const gredump = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const tcpdump = (...args: string[]) => spawnSync('tcpdump', args, { encoding: 'latin1' });

const skip = !existsSync(join(ROOT, 'native/build/Release/gredump_pcap.node'))
  ? 'the libpcap binding is not built (apt-get install libpcap-dev, then npm run build:native)'
  : spawnSync('tcpdump', ['--version']).status !== 0
    ? 'tcpdump, the oracle here, is not installed (CI installs it)'
    : null;
if (skip) console.log(`# filter tests skipped: ${skip}`);

const CASES: [string, string][] = [
  ['gre-kinds.pcap', 'ip proto 47 and host 203.0.113.9'],
  ['gre-kinds.pcap', 'ip6 or (ip and not host 192.0.2.1)'],
  ['tcpdump-various_gre.pcap', 'vlan and ip proto 47'],
  ['tcpdump-OSPFv2_Capture_FINAL.pcapng', 'ip multicast'],
  ['gre-over-ipsec.pcap', 'esp'],
];

test('-r IN -f BPF -w OUT writes the packets tcpdump writes for the same filter', { skip: skip ?? false }, () => {
  for (const [name, filter] of CASES) {
    const input = join(FIXTURES, name);
    const ours = join(dir, 'ours.pcap');
    const theirs = join(dir, 'theirs.pcap');
    const r = gredump('-r', input, '-f', filter, '-w', ours);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(tcpdump('-r', input, '-w', theirs, filter).status, 0);
    // Records only: the file headers differ in the snaplen each tool writes.
    const records = (p: string) => readFileSync(p).subarray(24);
    assert.ok(records(theirs).length > 0, `${name}: "${filter}" passes some packets`);
    assert.ok(records(theirs).length < readFileSync(input).length - 24, `${name}: "${filter}" drops some packets`);
    assert.deepEqual(records(ours), records(theirs), `${name}: ${filter}`);
    const lines = gredump('-r', input, '-f', filter, '--json').stdout.trim().split('\n').length;
    const count = tcpdump('-nn', '-r', input, filter).stdout.trim().split('\n').length;
    assert.equal(lines, count, `${name}: -r with -f prints what tcpdump prints`);
  }
});

test('audit -f: the report covers the packets the filter passes', { skip: skip ?? false }, () => {
  const all = JSON.parse(gredump('audit', join(FIXTURES, 'gre-kinds.pcap'), '--json').stdout) as {
    tunnels: { endpoints: string[] }[];
  };
  const some = JSON.parse(
    gredump('audit', join(FIXTURES, 'gre-kinds.pcap'), '--json', '-f', 'host 203.0.113.9').stdout,
  ) as { tunnels: { endpoints: string[] }[] };
  assert.ok(some.tunnels.length > 0 && some.tunnels.length < all.tunnels.length);
  for (const t of some.tunnels) assert.ok(t.endpoints.includes('203.0.113.9'), t.endpoints.join(' '));
});

test("a filter that does not compile is libpcap's message and exit 2", { skip: skip ?? false }, () => {
  const r = gredump('-r', join(FIXTURES, 'gre-kinds.pcap'), '-f', 'ip proto (((');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^gredump: the filter does not compile for link type 1: .*syntax error\n$/);
  assert.match(gredump('-r', join(FIXTURES, 'gre-kinds.pcap'), '--all').stderr, /--all is for live capture/);
});
