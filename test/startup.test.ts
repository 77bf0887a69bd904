import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { BIN, FIXTURES, ROOT } from './support/paths.js';

// bin/gredump.js runs the bundle (scripts/bundle.mjs) when it is at least as new as tsc's output.
const BUNDLE = join(ROOT, 'dist/src/bundle/main.js');
const TSC_MAIN = join(ROOT, 'dist/src/cli/main.js');
const stale =
  statSync(BUNDLE, { throwIfNoEntry: false }) === undefined || statSync(BUNDLE).mtimeMs < statSync(TSC_MAIN).mtimeMs;
const skip = stale ? 'the bundle is older than tsc’s output (a bare tsc; npm run build makes it)' : false;

const dir = mkdtempSync(join(tmpdir(), 'gredump-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// tsc's files run as bin/gredump.js ran them before the bundle.
const unbundled = join(dir, 'unbundled.mjs');
writeFileSync(
  unbundled,
  `import { main } ` +
    `from ${JSON.stringify(pathToFileURL(TSC_MAIN).href)};\nprocess.exitCode ` +
    `= await main(process.argv.slice(2));\n`,
);
const run = (entry: string, args: string[], node: string[] = []) =>
  spawnSync(process.execPath, [...node, entry, ...args], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
const fixture = (name: string) => join(FIXTURES, name);

test('the bundle prints what tsc’s files print, byte for byte (workers and lazy imports included)', { skip }, () => {
  // Partials for the merge across threads (its worker is an entry of the bundle too).
  const partials = ['gre-ospf-cleartext.pcap', 'dmvpn.pcap'].map((name) => {
    const out = join(dir, `${name}.gdp`);
    assert.equal(run(BIN, ['audit', fixture(name), '--partial', out]).status, 0);
    return out;
  });
  const runs = [
    ['merge', ...partials, '--json', '--threads', '2'],
    ['-r', fixture('gre-ospf-cleartext.pcap')],
    ['-r', fixture('gre-kinds.pcap'), '--json'],
    ['-r', fixture('gre-kinds.pcap'), '--json', '--threads', '2'],
    ['-r', fixture('esp-scapy.pcap'), '--esp-sa', fixture('esp-scapy.esp_sa'), '-V'],
    ['-r', fixture('gre-kinds.pcap'), '-Y', 'gre.key == 0x64', '-T', 'fields', '-e', 'gre.key'],
    ['audit', fixture('gre-ospf-cleartext.pcap'), '--json'],
    ['audit', fixture('dmvpn.pcap'), '--threads', '2'],
    ['-r', fixture('nope.pcap')],
    ['--frobnicate'],
  ];
  for (const args of runs) {
    const a = run(BIN, args);
    const b = run(unbundled, args);
    assert.equal(a.stdout, b.stdout, args.join(' '));
    assert.equal(a.stderr, b.stderr, args.join(' '));
    assert.equal(a.status, b.status, args.join(' '));
  }
});

/** What a run loads: its module URLs (a load hook) and Node's own modules (process.moduleLoadList at exit). */
function loads(args: string[]): { status: number | null; lines: number; loaded: string[] } {
  const list = join(dir, 'loaded.txt');
  rmSync(list, { force: true });
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(list)}, url + '\\n');
  return next(url, context);
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
process.on('exit', () => appendFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n') + '\\n'));
`,
  );
  const r = run(BIN, args, ['--import', pathToFileURL(register).href]);
  return {
    status: r.status,
    lines: r.stdout.split('\n').length - 1,
    loaded: readFileSync(list, 'utf8').trimEnd().split('\n'),
  };
}

test('-r of a 10-packet file loads the bundle’s files only: no package (ink, React, chalk), no node:crypto', {
  skip,
}, () => {
  const { status, lines, loaded } = loads(['-r', fixture('arkime-ah-esp.pcap')]);
  assert.equal(status, 0);
  assert.equal(lines, 10);
  const ours = loaded.filter((url) => url.startsWith(pathToFileURL(ROOT).href) && !url.endsWith('/bin/gredump.js'));
  console.log(`-r of 10 packets loads ${ours.length} files of gredump's`);
  assert.deepEqual(
    ours.filter((url) => !url.includes('/dist/src/bundle/')),
    [],
  );
  assert.ok(ours.length <= 20, `${ours.length} files`);
  assert.deepEqual(
    loaded.filter((url) => url.includes('/node_modules/')),
    [],
  );
  // Loaded by require at first use (src/util/crypto.ts); the hook's own thread loads worker_threads, so that is not
  // asked.
  assert.ok(!loaded.includes('NativeModule crypto'));
  // The look-alike: decrypting ESP with keys does load it, and the audit its colours (chalk).
  assert.ok(
    loads(['-r', fixture('esp-scapy.pcap'), '--esp-sa', fixture('esp-scapy.esp_sa')]).loaded.includes(
      'NativeModule crypto',
    ),
  );
  assert.ok(loads(['audit', fixture('arkime-ah-esp.pcap')]).loaded.some((url) => url.includes('/node_modules/chalk/')));
});
