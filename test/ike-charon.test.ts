import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildReport } from '../src/audit/report.js';
import { openCapture } from '../src/capture/open.js';
import { Engine } from '../src/dissect/engine.js';
import { DEFAULT_OPTIONS } from '../src/dissect/state.js';
import { parseIkev2Keys } from '../src/ipsec/ikev2-keys.js';
import { SaDatabase } from '../src/ipsec/sa-database.js';
import { parseEspSa } from '../src/ipsec/sa-file.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { compareIsakmp, declaredIsakmpFields, ourIsakmp, tsharkIsakmp } from './support/isakmp-fields.js';
import { FIXTURES } from './support/paths.js';
import { tsharkAvailable } from './support/tshark.js';

/**
 * The IKE fixtures made again, as scripts/make-ike-fixtures.sh makes them:
 * two strongSwan charons in network namespaces, a child SA in userspace ESP
 * (kernel-libipsec), a rekey, keys from charon's own log. Where that cannot
 * run (CI without root or strongSwan) the committed fixtures/ike-* captures
 * and key tables stand for such a run; this says why it skips.
 */
const SCRIPT = join(FIXTURES, '..', 'scripts', 'make-ike-fixtures.sh');

function cannotRun(): string | null {
  if (process.getuid?.() !== 0) return 'not root: charon needs network namespaces';
  for (const [bin, pkg] of [
    ['/usr/lib/ipsec/charon', 'strongswan-charon'],
    ['/usr/sbin/swanctl', 'strongswan-swanctl'],
    ['/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so', 'libcharon-extra-plugins'],
  ] as const)
    if (!existsSync(bin))
      return `${bin} is not here (apt install ${pkg}): the committed fixtures/ike-* stand for a run`;
  if (spawnSync('tcpdump', ['--version']).status !== 0) return 'tcpdump is not installed';
  if (!tsharkAvailable()) return 'tshark is not installed';
  return null;
}

test('a fresh charon exchange (IKEv2, child SA, rekey, ESP) reads as tshark reads it, with the keys charon logged', {
  skip: cannotRun() ?? false,
  timeout: 180_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gredump-charon-'));
  try {
    const made = spawnSync('sh', [SCRIPT, dir], {
      env: { ...process.env, ONLY: 'v2-child' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    // The script keeps charon's logs (keys in them) for whoever made fixtures by hand; not here.
    const logs = /logs in (\/tmp\/gredump-ike\.\w+)/.exec(made.stdout)?.[1];
    if (logs) rmSync(logs, { recursive: true, force: true });
    assert.equal(made.status, 0, made.stderr);
    const pcap = join(dir, 'ike-v2-child.pcap');
    const lines = (f: string) =>
      readFileSync(join(dir, f), 'latin1')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'));
    const ikeKeys = lines('ike-v2-child.ikev2-keys');
    const espKeys = lines('ike-v2-child.esp_sa');
    assert.equal(ikeKeys.length, 1);
    assert.equal(espKeys.length, 4, 'two child SAs (the first and its rekey), two directions each');
    const sas = new SaDatabase(
      parseEspSa(espKeys.join('\n'), 'esp_sa'),
      parseIkev2Keys(ikeKeys.join('\n'), 'ikev2_decryption_table'),
    );

    // IKE, every isakmp field, decrypted ones included, as tshark shows them given the same table.
    const names = declaredIsakmpFields();
    const uat = ikeKeys.flatMap((l) => ['-o', `uat:ikev2_decryption_table:${l}`]);
    const ours = ourIsakmp(pcap, names, { ...DEFAULT_OPTIONS, sas });
    assert.deepEqual(compareIsakmp(names, await tsharkIsakmp(pcap, names, uat), ours), []);

    // The audit: IKE up, two child SAs with the SPIs the ESP packets carry, every ESP packet opened.
    const engine = new Engine({ ...DEFAULT_OPTIONS, sas });
    const table = new TunnelTable();
    const src = openCapture(pcap);
    try {
      while (src.next()) table.observe(engine.dissect(src.frame));
    } finally {
      src.close();
    }
    const esp = buildReport(table, []).esp[0]!;
    const [ike] = esp.ikeSas as Record<string, unknown>[];
    assert.equal(ike!.state, 'up');
    const children = ike!.children as { initiatorSpi: string; responderSpi: string; rekeys: string | null }[];
    assert.equal(children.length, 2);
    assert.equal(children[1]!.rekeys, children[0]!.initiatorSpi);
    assert.deepEqual(
      (esp.spis as number[]).map((s) => s.toString(16).padStart(8, '0')).sort(),
      children.flatMap((c) => [c.initiatorSpi, c.responderSpi]).sort(),
    );
    const espSas = esp.sas as { packets: number; decrypted: number; mode: string }[];
    const packets = espSas.reduce((n, s) => n + s.packets, 0);
    assert.ok(packets >= 8, `${packets} ESP packets`);
    for (const s of espSas) assert.deepEqual([s.decrypted, s.mode], [s.packets, 'tunnel']);

    // tshark opens the same ESP packets with the same esp_sa: as many as we do.
    const theirs = execFileSync(
      'tshark',
      [
        '-n',
        '-r',
        pcap,
        '-o',
        'esp.enable_encryption_decode:TRUE',
        ...espKeys.flatMap((l) => ['-o', `uat:esp_sa:${l}`]),
        '-Y',
        'esp && ip.src == 198.18.10.1 || esp && ip.src == 198.18.20.1',
        '-T',
        'fields',
        '-e',
        'frame.number',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .split('\n')
      .filter(Boolean);
    assert.equal(theirs.length, packets);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
