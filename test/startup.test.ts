import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { Engine } from '../src/dissect/engine.js';
import { fieldsBuilt } from '../src/dissect/field.js';
import { lookupField } from '../src/dissect/field-index.js';
import { writePacketText } from '../src/output/packet-text.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { TextOut } from '../src/util/text-out.js';
import { frameOf } from './support/frames.js';
import { samples } from './support/fuzz.js';
import { BIN, FIXTURES, ROOT, withThisNode } from './support/paths.js';

// bin/gredump.js runs the bundles (scripts/bundle.mjs) when they are at least as new as tsc's output: the CommonJS
// one from its code cache where Node can require() ES modules (20.19 and later), else the ES module one.
const BUNDLE = join(ROOT, 'dist/src/bundle/main.js');
const COMMON_JS = join(ROOT, 'dist/src/bundle/main.cjs');
const TSC_MAIN = join(ROOT, 'dist/src/cli/main.js');
const mtime = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const stale = mtime(BUNDLE) < mtime(TSC_MAIN) || mtime(COMMON_JS) < mtime(BUNDLE);
const skip = stale ? 'the bundle is older than tsc’s output (a bare tsc; npm run build makes it)' : false;
const commonJs = (process.features as { require_module?: boolean }).require_module === true;

const dir = mkdtempSync(join(tmpdir(), 'gredump-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// tsc's files run as bin/gredump.js ran them before the bundle, and the ES module bundle, as it runs where Node
// cannot require() ES modules.
const entry = (name: string, main: string) => {
  const path = join(dir, name);
  const url = JSON.stringify(pathToFileURL(main).href);
  writeFileSync(path, `import { main } from ${url};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return path;
};
const unbundled = entry('unbundled.mjs', TSC_MAIN);
const esModules = entry('es-modules.mjs', BUNDLE);
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
    const b = run(unbundled, args);
    for (const a of [run(BIN, args), run(esModules, args)]) {
      assert.equal(a.stdout, b.stdout, args.join(' '));
      assert.equal(a.stderr, b.stderr, args.join(' '));
      assert.equal(a.status, b.status, args.join(' '));
    }
  }
});

const commonJsSkip = skip || (!commonJs && 'this Node cannot require() ES modules: it runs the ES module bundle');
/** What `expr` (of `loaded`, the CommonJS bundle as bin/load-bundle.js loads it) is, printed by a fresh Node. */
function inCommonJs(expr: string): { out: string; err: string } {
  const load = JSON.stringify(join(ROOT, 'bin/load-bundle.js'));
  const code = `const loaded = require(${load}).loadCommonJsBundle(); process.stdout.write(String(${expr}))`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr };
}

test('V8 takes the CommonJS bundle’s code cache (a refused one would cost the compile it saves)', {
  skip: commonJsSkip,
}, () => {
  const { out, err } = inCommonJs('loaded.script.cachedDataRejected');
  assert.equal(out, 'false', err);
});

/**
 * What a run loads: its ES module URLs (a load hook), its CommonJS files (require.cache at exit, as URLs) and Node's
 * own modules (process.moduleLoadList at exit).
 */
function loads(args: string[], onTerminal = false): { status: number | null; lines: number; loaded: string[] } {
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
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const { cache } = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(${JSON.stringify(list)}, [
  ...Object.keys(cache).map((path) => pathToFileURL(path).href),
  ...process.moduleLoadList,
].join('\\n') + '\\n'));
`,
  );
  const node = ['--import', pathToFileURL(register).href];
  // util-linux's script(1) gives the run a terminal (its output is not what is asked here).
  const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  const r = onTerminal
    ? spawnSync('script', ['-qec', [process.execPath, ...node, BIN, ...args].map(quote).join(' '), '/dev/null'], {
        encoding: 'latin1',
      })
    : run(BIN, args, node);
  return {
    status: r.status,
    lines: r.stdout.split('\n').length - 1,
    loaded: readFileSync(list, 'utf8').trimEnd().split('\n'),
  };
}

test('-r (and the audit into a pipe) of a 10-packet file loads the bundle’s files only: no package, no node:crypto', {
  skip,
}, () => {
  const { status, lines, loaded } = loads(['-r', fixture('arkime-ah-esp.pcap')]);
  assert.equal(status, 0);
  assert.equal(lines, 10);
  const ours = [...new Set(loaded.filter((url) => url.startsWith(pathToFileURL(ROOT).href)))];
  console.log(`-r of 10 packets loads ${ours.length} files of gredump's`);
  // The CommonJS bundle is read as a file (bin/load-bundle.js), not loaded as a module.
  const bin = ['bin/gredump.js', 'bin/load-bundle.js'].map((path) => pathToFileURL(join(ROOT, path)).href);
  assert.deepEqual(
    ours.filter((url) => !url.includes('/dist/src/bundle/') && !bin.includes(url)),
    [],
  );
  if (commonJs) assert.deepEqual(ours, bin);
  assert.ok(ours.length <= 20, `${ours.length} files`);
  assert.deepEqual(
    loaded.filter((url) => url.includes('/node_modules/')),
    [],
  );
  // Loaded by require at first use (src/util/crypto.ts); the hook's own thread loads worker_threads, so that is not
  // asked, nor node:net, which that thread's messaging loads. Nor node:tty (src/util/terminal.ts): output to a pipe.
  const unwanted = ['NativeModule crypto', 'NativeModule tty'];
  assert.deepEqual(
    unwanted.filter((m) => loaded.includes(m)),
    [],
  );
  // Nor does the audit, whose keyed hash reads its key from /dev/urandom, and whose colours (chalk) are for a terminal.
  const audit = loads(['audit', fixture('arkime-ah-esp.pcap')]);
  assert.equal(audit.status, 0);
  assert.deepEqual(
    unwanted.filter((m) => audit.loaded.includes(m)),
    [],
  );
  assert.deepEqual(
    audit.loaded.filter((url) => url.includes('/node_modules/')),
    [],
  );
  // The look-alikes: decrypting ESP with keys does load node:crypto, and the audit on a terminal chalk.
  assert.ok(
    loads(['-r', fixture('esp-scapy.pcap'), '--esp-sa', fixture('esp-scapy.esp_sa')]).loaded.includes(
      'NativeModule crypto',
    ),
  );
  const coloured = loads(['audit', fixture('arkime-ah-esp.pcap')], true);
  assert.equal(coloured.status, 0);
  assert.ok(coloured.loaded.some((url) => url.includes('/node_modules/chalk/')));
  assert.ok(coloured.loaded.includes('NativeModule tty'));
});

test('before any build, bin/gredump.js says so in one line and exits 2', () => {
  const bare = join(dir, 'unbuilt');
  cpSync(join(ROOT, 'bin'), join(bare, 'bin'), { recursive: true });
  const r = spawnSync(process.execPath, [join(bare, 'bin/gredump.js'), '-r', fixture('gre-kinds.pcap')], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'gredump: not built yet: run npm ci (or npm run build) in its folder\n');
});

test('run as a program, bin/gredump.js drops NODE_EXTRA_CA_CERTS, which Node would read at every start', (t) => {
  // A file that is not there: the Node that reads it says so on its standard error.
  const env = withThisNode({ ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'no-such-ca.pem') });
  const args = ['-r', fixture('gre-kinds.pcap'), '-c', '1'];
  const throughNode = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  if (!throughNode.stderr.includes('extra certs')) {
    t.skip(`Node ${process.version} does not read NODE_EXTRA_CA_CERTS as it starts`);
    return;
  }
  const asProgram = spawnSync(BIN, args, { encoding: 'utf8', env });
  assert.equal(asProgram.status, 0);
  assert.equal(asProgram.stderr, '');
  assert.equal(asProgram.stdout, throughNode.stdout);
  assert.match(asProgram.stdout, /^00:00:00\.010000 192\.0\.2\.1 > 198\.51\.100\.7: GRE key 0x64 /);
});

test('each worker file of the bundle names a worker the CommonJS build starts, and has its ES module twin', {
  skip: commonJsSkip,
}, () => {
  const { out } = inCommonJs('JSON.stringify(Object.entries(loaded.workers).map(([k, start]) => [k, typeof start]))');
  const workers = JSON.parse(out) as [string, string][];
  const bundleDir = join(ROOT, 'dist/src/bundle');
  const files = readdirSync(bundleDir).filter((f) => /-worker\.js$/.test(f));
  // Those tsc built: the audit's, the merge's and -r's threads.
  assert.deepEqual(files.sort(), ['audit-worker.js', 'merge-worker.js', 'read-worker.js']);
  assert.deepEqual(
    workers.sort(),
    files.map((f) => [f.replace(/\.js$/, ''), 'function']),
  );
  for (const f of files) {
    const shim = readFileSync(join(bundleDir, f), 'utf8');
    const name = f.replace(/\.js$/, '');
    assert.ok(shim.includes(`workers[${JSON.stringify(name)}]()`), f);
    assert.ok(shim.includes(`import('./${name}.esm.js')`), f);
    assert.ok(statSync(join(bundleDir, `${name}.esm.js`)).isFile(), f);
  }
});

test('a run that reads no field (text lines, the audit) builds none: fields are built at their first use', () => {
  const engine = new Engine();
  const table = new TunnelTable();
  const out = new TextOut();
  for (const s of samples([FIXTURES])) {
    const ctx = engine.dissect(frameOf(s.bytes, s.linktype));
    writePacketText(ctx, out);
    out.pos = 0;
    table.observe(ctx);
  }
  assert.ok(table.tunnels.size > 0);
  assert.equal(fieldsBuilt(), 0);
  assert.ok(lookupField('gre.key'));
  assert.ok(fieldsBuilt() > 0);
});
