import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, ROOT } from './support/paths.js';
import { sensorDay, writeFrames } from './support/sensor-day.js';

/**
 * The README's recipes, run: GNU parallel audits 8 shards of captures into
 * partials and gredump merge joins them into the report one process makes
 * of all the packets; the Kubernetes Indexed Job manifest parses and does
 * the same per shard.
 */
const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

test('GNU parallel: 8 shards audited side by side, merged, print the one-process audit byte for byte', (t) => {
  if (!have('parallel')) return t.skip('GNU parallel is not installed (apt-get install parallel)');
  const dir = mkdtempSync(join(tmpdir(), 'gredump-recipe-'));
  const SHARD = 1500;
  const frames = [...sensorDay({ tunnels: 20, packets: 8 * SHARD, lossEvery: 97 })];
  writeFrames(join(dir, 'all.pcap'), frames);
  // Eight captures of consecutive stretches of the day, as a sensor rotating its files would leave them.
  const per = Math.ceil(frames.length / 8);
  for (let s = 0; s < 8; s++) writeFrames(join(dir, `day-${s}.pcap`), frames.slice(s * per, (s + 1) * per));
  const gredump = `${process.execPath} ${BIN}`;
  // As in the README, in the directory of captures.
  const recipe = spawnSync('sh', ['-c', `parallel -j 2 ${gredump} audit {} --partial {}.gdp ::: day-*.pcap && ${gredump} merge *.gdp --json`], { cwd: dir, encoding: 'utf8' });
  assert.equal(recipe.status, 0, recipe.stderr);
  const one = spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--json'], { encoding: 'utf8' });
  assert.equal(one.status, 0, one.stderr);
  assert.equal(recipe.stdout, one.stdout);
  const report = JSON.parse(one.stdout) as { tunnels: unknown[]; findings: { id: string }[] };
  assert.equal(report.tunnels.length, 20);
  // The losses and repeats of the day, across the shards' seams too.
  assert.ok(report.findings.some((f) => f.id === 'gre-sequence-gaps'));
  assert.ok(report.findings.some((f) => f.id === 'gre-sequence-disorder'));
  // --fail-on gives the same verdict.
  const failOn = spawnSync('sh', ['-c', `${gredump} merge *.gdp --fail-on high`], { cwd: dir });
  assert.equal(failOn.status, spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--fail-on', 'high']).status);
});

test('the Kubernetes Indexed Job manifest parses and audits shard N into partial N, then merges them', (t) => {
  const text = readFileSync(join(ROOT, 'examples/k8s-indexed-job.yaml'), 'utf8');
  const parsed = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'], { input: text, encoding: 'utf8' });
  if (parsed.status !== 0 && /No module named/.test(parsed.stderr)) return t.skip('python3-yaml is not installed');
  assert.equal(parsed.status, 0, parsed.stderr);
  type Job = { apiVersion: string; kind: string; metadata: { name: string }; spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: { args: string[] }[] } } } };
  const [shards, merge] = JSON.parse(parsed.stdout) as Job[];
  assert.equal(shards!.kind, 'Job');
  assert.equal(shards!.apiVersion, 'batch/v1');
  assert.equal(shards!.spec.completionMode, 'Indexed');
  assert.equal(shards!.spec.completions, 8);
  const audit = shards!.spec.template.spec.containers[0]!.args.join(' ');
  assert.match(audit, /gredump audit \/captures\/shard-\$\{JOB_COMPLETION_INDEX\}\.pcap --partial \/partials\/shard-\$\{JOB_COMPLETION_INDEX\}\.gdp/);
  assert.equal(merge!.kind, 'Job');
  assert.match(merge!.spec.template.spec.containers[0]!.args.join(' '), /gredump merge \/partials\/shard-\*\.gdp --json/);
  // The pods' commands, run here on 8 shards with JOB_COMPLETION_INDEX set as Kubernetes sets it.
  const dir = mkdtempSync(join(tmpdir(), 'gredump-k8s-'));
  const frames = [...sensorDay({ tunnels: 4, packets: 800 })];
  const per = Math.ceil(frames.length / 8);
  for (let s = 0; s < 8; s++) writeFrames(join(dir, `shard-${s}.pcap`), frames.slice(s * per, (s + 1) * per));
  writeFrames(join(dir, 'all.pcap'), frames);
  const asRun = (cmd: string, index?: number) => spawnSync('sh', ['-c', cmd.replace(/npx --yes gredump/g, `${process.execPath} ${BIN}`).replaceAll('/captures/', `${dir}/`).replaceAll('/partials/', `${dir}/`)],
    { encoding: 'utf8', env: { ...process.env, JOB_COMPLETION_INDEX: String(index ?? '') } });
  for (let s = 0; s < 8; s++) assert.equal(asRun(audit, s).status, 0);
  const merged = asRun(merge!.spec.template.spec.containers[0]!.args.join(' '));
  const one = spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--json'], { encoding: 'utf8' });
  assert.equal(merged.stdout, one.stdout);
  assert.equal(merged.status, one.stdout.includes('"severity": "high"') ? 1 : 0);
});
