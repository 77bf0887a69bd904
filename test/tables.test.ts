import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { communityId } from '../src/merge/community-id.js';
import { BIN, FIXTURES } from './support/paths.js';

/**
 * --tables: the Community ID against the spec's published vectors, and
 * DuckDB reading the Parquet tables of several sensors back into the same
 * tunnels and findings as the JSON reports.
 */

test("Community ID v1: the spec's baseline vectors (TCP with seeds 0 and 1, UDP, ICMP, ICMPv6, SCTP)", () => {
  assert.equal(communityId(6, '128.232.110.120', '66.35.250.204', 34855, 80), '1:LQU9qZlK+B5F3KDmev6m5PMibrg=');
  assert.equal(communityId(6, '128.232.110.120', '66.35.250.204', 34855, 80, 1), '1:3V71V58M3Ksw/yuFALMcW0LAHvc=');
  assert.equal(communityId(17, '192.168.1.52', '8.8.8.8', 54585, 53), '1:d/FP5EW3wiY1vCndhwleRRKHowQ=');
  assert.equal(communityId(1, '192.168.0.89', '192.168.0.1', 8, 0), '1:X0snYXpgwiv9TZtqg64sgzUn6Dk=');
  assert.equal(
    communityId(58, 'fe80::200:86ff:fe05:80da', 'fe80::260:97ff:fe07:69ea', 135, 0),
    '1:dGHyGvjMfljg6Bppwm3bg0LO8TY=',
  );
  assert.equal(communityId(132, '192.168.170.8', '192.168.170.56', 7, 80), '1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=');
  assert.equal(communityId(6, 'not an address', '10.0.0.1', 1, 2), null);
});

test('Community ID: both directions of a flow, and an ICMP request and its reply, hash alike', () => {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
  const v6 = fc
    .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
    .map((w) => w.map((x) => x.toString(16)).join(':'));
  fc.assert(
    fc.property(
      fc.oneof(fc.tuple(v4, v4), fc.tuple(v6, v6)),
      fc.constantFrom(6, 17, 132),
      fc.nat(65535),
      fc.nat(65535),
      ([a, z], proto, p, q) => {
        assert.equal(communityId(proto, a, z, p, q), communityId(proto, z, a, q, p));
      },
    ),
  );
  assert.equal(communityId(1, '10.0.0.1', '10.0.0.2', 8, 0), communityId(1, '10.0.0.2', '10.0.0.1', 0, 0));
  assert.equal(
    communityId(58, '2001:db8::1', '2001:db8::2', 128, 0),
    communityId(58, '2001:db8::2', '2001:db8::1', 129, 0),
  );
  assert.equal(
    communityId(58, '::ffff:10.0.0.1', '::1', 128, 0),
    communityId(58, '0:0:0:0:0:ffff:a00:1', '::1', 128, 0),
  );
});

test(
  'DuckDB reads the Parquet tables of several sensors: the same tunnels ' + 'and findings as their JSON reports',
  async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = mkdtempSync(join(tmpdir(), 'gredump-tables-'));
    const sensors = { hq: 'gre-ospf-cleartext.pcap', dc: 'gre-health.pcap', branch: 'gre-over-ipsec.pcap' };
    const reports: Record<
      string,
      {
        tunnels: {
          kind: string;
          endpoints: string[];
          key: number | null;
          packets: number;
          bytes: number;
          protection: string;
        }[];
        findings: { id: string; severity: string; message: string }[];
        esp: { spis: number[] }[];
      }
    > = {};
    for (const [sensor, file] of Object.entries(sensors)) {
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          'audit',
          join(FIXTURES, file),
          '--json',
          '--sensor',
          sensor,
          '--tables',
          join(dir, sensor),
          '--tables-format',
          'parquet',
        ],
        { encoding: 'utf8' },
      );
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      reports[sensor] = JSON.parse(r.stdout);
    }
    const db = await DuckDBInstance.create(':memory:');
    const sql = await db.connect();
    const rows = async (q: string) => (await sql.runAndReadAll(q)).getRowObjectsJson() as Record<string, unknown>[];
    const tunnels = await rows(
      `SELECT sensor, kind, endpoint_a, endpoint_b, key, packets, bytes, ` +
        `protection FROM read_parquet('${dir}/*/tunnels.parquet') ORDER BY ` +
        `sensor, tunnel_id`,
    );
    const expected = Object.entries(reports)
      .sort(([a], [z]) => (a < z ? -1 : 1))
      .flatMap(([sensor, r]) =>
        [...r.tunnels]
          .sort((x, y) => (x as unknown as { id: number }).id - (y as unknown as { id: number }).id)
          .map((t) => ({
            sensor,
            kind: t.kind,
            endpoint_a: t.endpoints[0],
            endpoint_b: t.endpoints[1],
            key: t.key === null ? null : String(t.key),
            packets: String(t.packets),
            bytes: String(t.bytes),
            protection: t.protection,
          })),
      );
    assert.deepEqual(tunnels, expected);
    const findings = await rows(
      `SELECT sensor, id, severity, message FROM ` +
        `read_parquet('${dir}/*/findings.parquet') ORDER ` +
        `BY sensor, id, message`,
    );
    const want = Object.entries(reports)
      .flatMap(([sensor, r]) => r.findings.map((f) => ({ sensor, id: f.id, severity: f.severity, message: f.message })))
      .sort((a, z) => (a.sensor + a.id + a.message < z.sensor + z.id + z.message ? -1 : 1));
    assert.deepEqual(findings, want);
    // A fleet question in SQL: cleartext tunnels and their high findings, by sensor.
    const fleet = await rows(`SELECT t.sensor, count(DISTINCT t.tunnel_id) AS cleartext, count(f.id) AS high
    FROM read_parquet('${dir}/*/tunnels.parquet') t LEFT JOIN read_parquet('${dir}/*/findings.parquet') f
      ON f.sensor = t.sensor AND f.subject = t.tunnel AND f.severity = 'high'
    WHERE t.protection = 'cleartext' GROUP BY t.sensor ORDER BY t.sensor`);
    assert.ok(fleet.length >= 2);
    // Inner flows carry their Community ID: the telnet login of the hq capture.
    const flows = await rows(
      `SELECT protocol, client, client_port, server, server_port, ` +
        `community_id FROM read_parquet('${dir}/*/flows.parquet') WHERE ` +
        `protocol = 'telnet'`,
    );
    assert.deepEqual(flows, [
      {
        protocol: 'telnet',
        client: '10.1.0.10',
        client_port: '49152',
        server: '10.2.0.20',
        server_port: '23',
        community_id: communityId(6, '10.1.0.10', '10.2.0.20', 49152, 23),
      },
    ]);
    // SAs and per-minute buckets are there too.
    const spis = await rows(`SELECT spi FROM read_parquet('${dir}/branch/sas.parquet') ORDER BY spi`);
    assert.deepEqual(
      spis.map((s) => Number(s.spi)),
      reports.branch!.esp.flatMap((p) => p.spis).sort((a, z) => a - z),
    );
    const minutes = await rows(`SELECT sum(packets) AS packets FROM read_parquet('${dir}/hq/buckets.parquet')`);
    assert.equal(
      Number(minutes[0]!.packets),
      reports.hq!.tunnels.reduce((n, t) => n + t.packets, 0),
    );
    sql.closeSync();
    db.closeSync();
  },
);

test('--tables as NDJSON, and from merge: the merged tables name every sensor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-tables-'));
  for (const [sensor, file] of [
    ['a', 'gre-health.pcap'],
    ['b', 'gre-kinds.pcap'],
  ]) {
    assert.equal(
      spawnSync(process.execPath, [
        BIN,
        'audit',
        join(FIXTURES, file!),
        '--partial',
        join(dir, `${sensor}.gdp`),
        '--sensor',
        sensor!,
      ]).status,
      0,
    );
  }
  const r = spawnSync(
    process.execPath,
    [BIN, 'merge', join(dir, 'a.gdp'), join(dir, 'b.gdp'), '--tables', join(dir, 'merged')],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const tunnels = readFileSync(join(dir, 'merged', 'tunnels.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { sensor: string });
  const json = JSON.parse(
    spawnSync(process.execPath, [BIN, 'merge', join(dir, 'b.gdp'), join(dir, 'a.gdp'), '--json'], { encoding: 'utf8' })
      .stdout,
  ) as { tunnels: unknown[] };
  assert.equal(tunnels.length, json.tunnels.length);
  assert.ok(tunnels.every((t) => t.sensor === 'a,b'));
});
