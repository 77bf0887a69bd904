import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/paths.js';

/** The real program in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen. */
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'gredump-tui-'));
const session = `gredump-test-${process.pid}`;

const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(pattern: RegExp, what: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const s = screen();
    if (pattern.test(s)) return s;
    await sleep(100);
  }
  assert.fail(`${what}: ${pattern} never appeared; the screen was:\n${screen()}`);
}

/** Starts gredump in a fresh 100x30 tmux session, as a person at a terminal would (CI unset). */
function start(args: string, status: string, env = 'env -u CI'): void {
  tmux('kill-session', '-t', session);
  const cmd = `cd ${ROOT} && ${env} node bin/gredump.js ${args}; echo "EXIT=$?" > ${status}; sleep 60`;
  const r = tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
  assert.equal(r.status, 0, r.stderr);
}

async function exitStatus(status: string): Promise<string> {
  for (let i = 0; i < 50 && !existsSync(status); i++) await sleep(100);
  return readFileSync(status, 'utf8').trim();
}

test('under tmux: the tunnel, its key, the multicast group, OSPF and the cleartext badge; Enter drills down; q exits 0', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  const status = join(dir, 'cleartext.status');
  try {
    start('-r fixtures/gre-ospf-cleartext.pcap', status);
    const home = await waitFor(/done/, 'the file was read');
    assert.match(home, /CLEARTEXT\s+gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+42\s+24/);
    assert.match(home, /224\.0\.0\.5\s+OSPFv2 Hello\s+8 pkts/);
    assert.match(home, /OSPFv2 1\.1\.1\.1 area 0\.0\.0\.0/);
    assert.match(home, /HIGH\s+cleartext-tunnel/);
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(/last 24 packets/, 'Enter opened the packet list');
    tmux('send-keys', '-t', session, 'Enter');
    const layers = await waitFor(/LAYERS/, 'Enter opened the layer tree');
    assert.match(layers, /BYTES/);
    tmux('send-keys', '-t', session, 'Escape');
    await waitFor(/last 24 packets/, 'Esc went back');
    tmux('send-keys', '-t', session, 'Escape');
    await waitFor(/TUNNELS \(1\)/, 'Esc went home');
    tmux('send-keys', '-t', session, 'q');
    assert.equal(await exitStatus(status), 'EXIT=0');
  } finally {
    tmux('kill-session', '-t', session);
  }
});

test('under tmux: GRE over IPsec shows as encrypted ESP', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  const status = join(dir, 'ipsec.status');
  try {
    start('-r fixtures/gre-over-ipsec.pcap', status);
    const home = await waitFor(/done/, 'the file was read');
    assert.match(home, /ENCRYPTED\s+esp\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+0xc0010001/);
    tmux('send-keys', '-t', session, 'q');
    assert.equal(await exitStatus(status), 'EXIT=0');
  } finally {
    tmux('kill-session', '-t', session);
  }
});

test('under tmux: an unreadable file is one line and exit 2, before any UI', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  const status = join(dir, 'missing.status');
  try {
    start('-r fixtures/no-such-file.pcap', status);
    assert.equal(await exitStatus(status), 'EXIT=2');
    assert.match(screen(), /gredump: fixtures\/no-such-file\.pcap: no such file/);
    assert.doesNotMatch(screen(), /TUNNELS/);
  } finally {
    tmux('kill-session', '-t', session);
  }
});

test('on a terminal with CI set, or with --no-tui: text lines, never a half-drawn UI', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  for (const [args, env] of [['-r fixtures/gre-kinds.pcap', 'env CI=true'], ['-r fixtures/gre-kinds.pcap --no-tui', 'env -u CI']] as const) {
    const status = join(dir, `${env.length}.status`);
    try {
      start(args, status, env);
      assert.equal(await exitStatus(status), 'EXIT=0');
      const s = screen();
      assert.match(s, /^00:00:00\.010000 192\.0\.2\.1 > 198\.51\.100\.7: GRE key 0x64 proto TEB/m);
      assert.doesNotMatch(s, /TUNNELS/);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }
});

test('under tmux: -r - reads packets from the pipe and keys from the terminal, while the pipe is still open', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  const status = join(dir, 'pipe.status');
  try {
    // The pipe stays open for 20 s after the capture: the UI must draw and answer keys meanwhile.
    tmux('kill-session', '-t', session);
    const cmd = `cd ${ROOT} && (cat fixtures/gre-ospf-cleartext.pcap; sleep 20) | (env -u CI node bin/gredump.js -r -; echo "EXIT=$?" > ${status}); sleep 60`;
    assert.equal(tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd).status, 0);
    const home = await waitFor(/CLEARTEXT\s+gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+42\s+24/, 'the piped packets were read');
    assert.match(home, /^gredump -  24 pkts/m);
    assert.doesNotMatch(home, /done/, 'the pipe is still open');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(/last 24 packets/, 'Enter, read from the terminal, opened the packet list');
    tmux('send-keys', '-t', session, 'Escape');
    await waitFor(/TUNNELS \(1\)/, 'Esc went home');
    tmux('send-keys', '-t', session, 'q');
    assert.equal(await exitStatus(status), 'EXIT=0');
  } finally {
    tmux('kill-session', '-t', session);
  }
});

test('under tmux: several files with one missing: the UI opens on the others and says which could not be read; exit 2', { skip: haveTmux ? false : 'tmux is not installed', timeout: 60_000 }, async () => {
  const status = join(dir, 'one-missing.status');
  try {
    start('-r fixtures/gre-ospf-cleartext.pcap fixtures/no-such-file.pcap fixtures/gre-over-ipsec.pcap', status);
    const home = await waitFor(/warning: fixtures\/no-such-file\.pcap: no such file/, 'the readable files were read, the missing one said');
    assert.match(home, /TUNNELS \(2\)/);
    assert.match(home, /CLEARTEXT\s+gre\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+42\s+24/);
    assert.match(home, /ENCRYPTED\s+esp\s+192\.0\.2\.1 ⇄ 198\.51\.100\.7\s+0xc0010001/);
    tmux('send-keys', '-t', session, 'q');
    assert.equal(await exitStatus(status), 'EXIT=2', 'as in text mode, a file that could not be read makes the status 2');
  } finally {
    tmux('kill-session', '-t', session);
  }
});
