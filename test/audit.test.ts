import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, FIXTURES } from './support/paths.js';

interface Report {
  schema: number;
  packets: number;
  malformed: number;
  tunnels: { kind: string; endpoints: string[]; key: number | null; packets: number; protection: string; multicast: string[]; inner: Record<string, number>; insideEsp?: boolean; nestedIn?: number[]; nvgre?: unknown }[];
  esp: { endpoints: string[]; spis: number[]; packets: number; protection: string; mode?: string; ike?: unknown; ah?: unknown }[];
  findings: { id: string; severity: string; message: string }[];
}

function audit(files: string[], extra: string[] = []) {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...files.map((f) => join(FIXTURES, f)), ...extra], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function report(...files: string[]): Report {
  const r = audit(files, ['--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

const brief = (r: Report) => r.tunnels.map((t) => [t.kind, t.endpoints.join(' '), t.key, t.packets, t.protection, t.multicast.join(' ')]);
const ids = (r: Report) => [...new Set(r.findings.map((f) => f.id))].sort();

test('cleartext GRE with OSPF and RIP: one tunnel, its multicast groups, and what is wrong', () => {
  const r = report('gre-ospf-cleartext.pcap');
  assert.equal(r.schema, 1);
  assert.equal(r.packets, 24);
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 42, 24, 'cleartext', '224.0.0.5 224.0.0.9']]);
  assert.equal(r.tunnels[0]!.inner.ospf, 8);
  assert.equal(r.tunnels[0]!.inner.rip, 1);
  assert.deepEqual(r.esp, []);
  assert.deepEqual(ids(r), ['cleartext-credentials', 'cleartext-routing', 'cleartext-tunnel', 'mss-too-large']);
  assert.equal(r.findings[0]!.severity, 'high');
  const creds = r.findings.find((f) => f.id === 'cleartext-credentials')!;
  assert.match(creds.message, /telnet password h\*+ \(7 chars\)/);
  assert.ok(!JSON.stringify(r).includes('hunter2'), 'the password itself is never printed');
});

test('every kind of tunnel is told apart; GRE in GRE belongs to both', () => {
  const r = report('gre-kinds.pcap');
  const kinds = r.tunnels.map((t) => `${t.kind} ${t.endpoints.join('-')} ${t.key}`).sort();
  assert.deepEqual(kinds, [
    'erspan 198.51.100.7-203.0.113.9 null',
    'gre 100.64.0.1-100.64.0.2 2',
    'gre 192.0.2.1-198.51.100.7 1',
    'gre 192.0.2.1-198.51.100.7 null',
    'gre 192.0.2.1-203.0.113.9 null',
    'gre-udp 192.0.2.1-198.51.100.7 null',
    'gretap 192.0.2.1-198.51.100.7 100',
    'gretap 192.0.2.1-203.0.113.9 1280263',
  ]);
  const nested = r.tunnels.find((t) => t.key === 2)!;
  assert.equal(nested.nestedIn!.length, 1);
  assert.deepEqual(r.tunnels.find((t) => t.key === 1280263)!.nvgre, { vsid: 5001, flowId: 7 });
  assert.deepEqual(r.tunnels.find((t) => t.inner.ipv6)!.multicast, ['ff02::1']);
});

test('GRE over IPsec without keys: encrypted ESP between the routers, no tunnel visible', () => {
  const r = report('gre-over-ipsec.pcap');
  assert.deepEqual(r.tunnels, []);
  assert.equal(r.esp.length, 1);
  assert.deepEqual(r.esp[0]!.endpoints, ['192.0.2.1', '198.51.100.7']);
  assert.deepEqual(r.esp[0]!.spis, [0xc0010001, 0xc0020002]);
  assert.equal(r.esp[0]!.protection, 'encrypted');
  assert.equal(r.esp[0]!.packets, 12);
  assert.ok(r.esp[0]!.ike);
  assert.deepEqual(r.findings, []);
});

test('ESP-NULL and AH around GRE: the inner tunnel shows, integrity-only', () => {
  let r = report('esp-null-gre.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 5, 6, 'integrity-only', '224.0.0.5']]);
  assert.equal(r.tunnels[0]!.insideEsp, true);
  assert.deepEqual(r.esp.map((e) => [e.spis, e.protection, e.mode]), [[[0x5001, 0x5002], 'integrity-only', 'transport']]);
  assert.deepEqual(ids(r), ['cleartext-routing', 'esp-null']);
  r = report('ah-gre.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 203.0.113.9', 9, 6, 'integrity-only', '224.0.0.5']]);
  assert.deepEqual(ids(r), ['ah-only', 'cleartext-routing']);
});

test('IPsec tunnel mode shows no GRE', () => {
  const r = report('ipsec-tunnel-mode.pcap');
  assert.deepEqual(r.tunnels, []);
  assert.deepEqual(r.esp.map((e) => [e.spis, e.protection, e.mode]), [[[0x9001], 'integrity-only', 'tunnel']]);
  assert.deepEqual(ids(r), ['esp-null']);
});

test('PPTP: MPPE data is encrypted, PPP carrying IP is not; both are flagged', () => {
  const r = report('pptp.pcap');
  assert.deepEqual(brief(r), [
    ['pptp', '198.51.100.7 203.0.113.50', 0x4001, 5, 'encrypted', ''],
    ['pptp', '198.51.100.7 203.0.113.51', 0x4002, 2, 'cleartext', ''],
  ]);
  assert.deepEqual(ids(r), ['cleartext-tunnel', 'pptp']);
});

test('tunnel health: sequence gaps and disorder, checksum errors, malformed GRE, OSPF mismatch, credentials', () => {
  const r = report('gre-health.pcap');
  assert.equal(r.malformed, 1);
  assert.deepEqual(ids(r), [
    'cleartext-credentials', 'cleartext-routing', 'cleartext-tunnel', 'gre-checksum-errors', 'gre-sequence-disorder',
    'gre-sequence-gaps', 'malformed-gre', 'ospf-mismatch', 'routing-weak-auth',
  ]);
  const text = JSON.stringify(r);
  assert.match(text, /2 packets missing from 192\.0\.2\.1 to 203\.0\.113\.9/);
  assert.match(text, /area 0\.0\.0\.0 vs 0\.0\.0\.1; hello interval 10s vs 30s; dead interval 40s vs 120s/);
  for (const secret of ['s3cr3tpass', 'YWRtaW46YWRtaW4=', 'private', 'cisco']) assert.ok(!text.includes(secret), `${secret} leaked`);
  assert.equal(r.findings.filter((f) => f.id === 'cleartext-credentials').length, 3);
});

test('fragmentation and path MTU: reassembled tunnel packets count once; the advice names the MTU and MSS', () => {
  const r = report('gre-fragments.pcap');
  assert.deepEqual(brief(r), [['gre', '192.0.2.1 198.51.100.7', 7, 2, 'cleartext', '']]);
  const frag = r.findings.find((f) => f.id === 'outer-fragmentation')!;
  assert.match(frag.message, /1 packet arrived in outer IP fragments \(tunnel overhead 28 bytes: set the tunnel MTU to 1372 and the MSS to 1332\)/);
  assert.ok(r.findings.some((f) => f.id === 'path-mtu-exceeded'));
});

test('several files are one audit', () => {
  const r = report('esp-null-gre.pcap', 'ah-gre.pcap');
  assert.equal(r.tunnels.length, 2);
  assert.equal(r.packets, 12);
});

test('--fail-on sets the exit status; the text report reads without colour when piped', () => {
  assert.equal(audit(['gre-over-ipsec.pcap'], ['--fail-on', 'low']).status, 0);
  assert.equal(audit(['gre-ospf-cleartext.pcap'], ['--fail-on', 'high']).status, 1);
  assert.equal(audit(['gre-fragments.pcap'], ['--fail-on', 'high']).status, 1);
  assert.equal(audit(['gre-health.pcap'], ['--fail-on', 'medium']).status, 1);
  assert.equal(audit(['esp-null-gre.pcap'], ['--fail-on', 'info']).status, 1);
  const bad = audit(['gre-ospf-cleartext.pcap'], ['--fail-on', 'severe']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--fail-on wants one of info, low, medium, high/);
  const text = audit(['gre-ospf-cleartext.pcap']);
  assert.equal(text.status, 0, 'findings without --fail-on do not fail');
  assert.ok(!text.stdout.includes('\u001b['), 'no escape codes when not a terminal');
  assert.match(text.stdout, /CLEARTEXT +gre 192\.0\.2\.1 <-> 198\.51\.100\.7 key 42/);
  assert.match(text.stdout, /multicast 224\.0\.0\.5: OSPFv2 Hello 8/);
  assert.match(text.stdout, /multicast 224\.0\.0\.9: RIPv2 Response 1/);
  const missing = audit(['nope.pcap']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.pcap: no such file/);
});
