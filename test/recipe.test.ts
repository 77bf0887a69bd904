import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
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
  const recipe = spawnSync(
    'sh',
    ['-c', `parallel -j 2 ${gredump} audit {} --partial {}.gdp ::: day-*.pcap && ${gredump} merge *.gdp --json`],
    { cwd: dir, encoding: 'utf8' },
  );
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
  assert.equal(
    failOn.status,
    spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--fail-on', 'high']).status,
  );
});

/**
 * Two "sensors" for the README's --sshlogin line: an sshd in each of two
 * network namespaces this test makes (198.18.7.0/30 and 198.18.7.4/30 on
 * veth pairs), logged into with a key made here. Root only.
 */
function sshHosts(dir: string): { hosts: string[]; ssh: string; close: () => void } | string {
  if (process.getuid?.() !== 0) return 'not root (network namespaces)';
  if (!existsSync('/usr/sbin/sshd') || !have('ssh'))
    return 'openssh-server is not installed (apt-get install openssh-server)';
  if (!have('rsync')) return 'rsync is not installed (GNU parallel transfers files with it)';
  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  const tag = `gds${process.pid % 100000}`;
  const keygen = sh(
    `ssh-keygen -q -t ed25519 -N '' -f ${dir}/host && ssh-keygen -q -t ` +
      `ed25519 -N '' -f ${dir}/client && cp ${dir}/client.pub ${dir}/authorized`,
  );
  if (keygen.status !== 0) return `ssh-keygen failed: ${keygen.stderr.trim()}`;
  mkdirSync('/run/sshd', { recursive: true });
  const hosts: string[] = [];
  const close = () => {
    for (let i = 0; i < 2; i++)
      sh(`ip netns pids ${tag}${i} | xargs -r kill; ip netns del ${tag}${i}; ip link del ${tag}h${i}`);
  };
  for (let i = 0; i < 2; i++) {
    const ns = `${tag}${i}`;
    const [near, far] = [`198.18.7.${4 * i + 1}`, `198.18.7.${4 * i + 2}`];
    const up = sh(
      [
        `ip netns add ${ns}`,
        `ip link add ${tag}h${i} type veth peer name ${tag}s${i} netns ${ns}`,
        `ip addr add ${near}/30 dev ${tag}h${i}`,
        `ip link set ${tag}h${i} up`,
        `ip -n ${ns} addr add ${far}/30 dev ${tag}s${i}`,
        `ip -n ${ns} link set ${tag}s${i} up`,
        `ip -n ${ns} link set lo up`,
        `ip netns exec ${ns} /usr/sbin/sshd -f /dev/null -o ` +
          `ListenAddress=${far} -o HostKey=${dir}/host -o ` +
          `AuthorizedKeysFile=${dir}/authorized -o StrictModes=no -o UsePAM=no ` +
          `-o PermitRootLogin=prohibit-password -o PidFile=none -o MaxStartups=64`,
      ].join(' && '),
    );
    if (up.status !== 0) {
      close();
      return `no sshd in a network namespace here: ${up.stderr.trim()}`;
    }
    hosts.push(far);
  }
  const ssh =
    `ssh -i ${dir}/client -o BatchMode=yes -o StrictHostKeyChecking=no -o ` +
    `UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;
  // sshd has forked into the background; wait until both answer.
  for (let tries = 0; tries < 50; tries++) {
    if (hosts.every((h) => sh(`${ssh} root@${h} true`).status === 0)) return { hosts, ssh, close };
    spawnSync('sleep', ['0.1']);
  }
  close();
  return 'sshd did not answer';
}

test(
  'GNU parallel --sshlogin: two hosts audit the shards, in a shared ' +
    'directory and with the captures sent and the partials brought back; ' +
    'merged, the one-process audit',
  (t) => {
    if (!have('parallel')) return t.skip('GNU parallel is not installed (apt-get install parallel)');
    const dir = mkdtempSync(join(tmpdir(), 'gredump-ssh-'));
    const hosts = sshHosts(dir);
    if (typeof hosts === 'string') return t.skip(hosts);
    try {
      const frames = [...sensorDay({ tunnels: 6, packets: 4 * 400, lossEvery: 97 })];
      const captures = join(dir, 'captures');
      mkdirSync(captures);
      writeFrames(join(dir, 'all.pcap'), frames);
      for (let s = 0; s < 4; s++) writeFrames(join(captures, `day-${s}.pcap`), frames.slice(s * 400, (s + 1) * 400));
      const gredump = `${process.execPath} ${BIN}`;
      const logins = hosts.hosts.map((h) => `2/root@${h}`).join(',');
      const one = spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--json'], { encoding: 'utf8' });
      assert.equal(one.status, 0, one.stderr);
      // The README's line: both hosts see the same directory.
      const shared = spawnSync(
        'sh',
        [
          '-c',
          `parallel --ssh '${hosts.ssh}' --sshlogin ${logins} ` +
            `--joblog ${dir}/jobs --workdir ${captures} ${gredump} audit {} ` +
            `--partial {}.gdp ::: day-*.pcap && ${gredump} merge ${captures}/*.gdp --json`,
        ],
        { cwd: captures, encoding: 'utf8' },
      );
      assert.equal(shared.status, 0, shared.stderr);
      assert.equal(shared.stdout, one.stdout);
      // Every shard ran on one of the two hosts, none on this one.
      const ran = readFileSync(join(dir, 'jobs'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t')[1]);
      assert.equal(ran.length, 4);
      for (const h of ran)
        assert.ok(
          hosts.hosts.some((x) => h === `root@${x}`),
          `ran on ${h}`,
        );
      // Each capture sent to a fresh directory on its host (rsync), its partial brought back, the remote copy removed.
      const back = join(dir, 'back');
      mkdirSync(back);
      for (let s = 0; s < 4; s++) writeFrames(join(back, `day-${s}.pcap`), frames.slice(s * 400, (s + 1) * 400));
      const sent = spawnSync(
        'sh',
        [
          '-c',
          `parallel --ssh '${hosts.ssh}' --sshlogin ${logins} --workdir ... ` +
            `--transferfile {} --return {}.gdp --cleanup ${gredump} audit {} ` +
            `--partial {}.gdp ::: day-*.pcap && ${gredump} merge *.gdp --json`,
        ],
        { cwd: back, encoding: 'utf8' },
      );
      assert.equal(sent.status, 0, sent.stderr);
      assert.equal(sent.stdout, one.stdout);
      assert.deepEqual(
        readdirSync(back)
          .filter((f) => f.endsWith('.gdp'))
          .sort(),
        ['day-0.pcap.gdp', 'day-1.pcap.gdp', 'day-2.pcap.gdp', 'day-3.pcap.gdp'],
      );
    } finally {
      hosts.close();
    }
  },
);

test('the Kubernetes Indexed Job manifest parses and audits shard N into partial N, then merges them', (t) => {
  const text = readFileSync(join(ROOT, 'examples/k8s-indexed-job.yaml'), 'utf8');
  const parsed = spawnSync(
    'python3',
    ['-c', 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'],
    { input: text, encoding: 'utf8' },
  );
  if (parsed.status !== 0 && /No module named/.test(parsed.stderr)) return t.skip('python3-yaml is not installed');
  assert.equal(parsed.status, 0, parsed.stderr);
  type Job = {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    spec: {
      completionMode?: string;
      completions?: number;
      parallelism?: number;
      template: { spec: { containers: { args: string[] }[] } };
    };
  };
  const [shards, merge] = JSON.parse(parsed.stdout) as Job[];
  assert.equal(shards!.kind, 'Job');
  assert.equal(shards!.apiVersion, 'batch/v1');
  assert.equal(shards!.spec.completionMode, 'Indexed');
  assert.equal(shards!.spec.completions, 8);
  const audit = shards!.spec.template.spec.containers[0]!.args.join(' ');
  assert.match(
    audit,
    new RegExp(
      String.raw`gredump audit \/captures\/shard-\$\{JOB_COMPLETION_INDEX\}\.pcap ` +
        String.raw`--partial \/partials\/shard-\$\{JOB_COMPLETION_INDEX\}\.gdp`,
    ),
  );
  assert.equal(merge!.kind, 'Job');
  assert.match(
    merge!.spec.template.spec.containers[0]!.args.join(' '),
    /gredump merge \/partials\/shard-\*\.gdp --json/,
  );
  // The pods' commands, run here on 8 shards with JOB_COMPLETION_INDEX set as Kubernetes sets it.
  const dir = mkdtempSync(join(tmpdir(), 'gredump-k8s-'));
  const frames = [...sensorDay({ tunnels: 4, packets: 800 })];
  const per = Math.ceil(frames.length / 8);
  for (let s = 0; s < 8; s++) writeFrames(join(dir, `shard-${s}.pcap`), frames.slice(s * per, (s + 1) * per));
  writeFrames(join(dir, 'all.pcap'), frames);
  const asRun = (cmd: string, index?: number) =>
    spawnSync(
      'sh',
      [
        '-c',
        cmd
          .replace(/npx --yes gredump/g, `${process.execPath} ${BIN}`)
          .replaceAll('/captures/', `${dir}/`)
          .replaceAll('/partials/', `${dir}/`),
      ],
      { encoding: 'utf8', env: { ...process.env, JOB_COMPLETION_INDEX: String(index ?? '') } },
    );
  for (let s = 0; s < 8; s++) assert.equal(asRun(audit, s).status, 0);
  const merged = asRun(merge!.spec.template.spec.containers[0]!.args.join(' '));
  const one = spawnSync(process.execPath, [BIN, 'audit', join(dir, 'all.pcap'), '--json'], { encoding: 'utf8' });
  assert.equal(merged.stdout, one.stdout);
  assert.equal(merged.status, one.stdout.includes('"severity": "high"') ? 1 : 0);
});
