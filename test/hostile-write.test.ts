/**
 * Files gredump writes (#22): never through a link it did not make, never
 * over the capture it reads; a write that fails is one line and exit 2,
 * and what was written stays readable.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { writeNewFile } from '../src/cli/write-file.js';
import { BIN, FIXTURES } from './support/paths.js';
import * as h from './support/hostile.js';
import { newSession, tmux } from './support/tmux.js';

const dir = mkdtempSync(join(tmpdir(), 'gredump-hostile-write-'));
const FIXTURE = join(FIXTURES, 'gre-ospf-cleartext.pcap');
const root = process.getuid?.() === 0;

function gredump(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, timeout: 30_000, maxBuffer: 1 << 28 });
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, 'no stack trace, no internal error');
  return r;
}

/** A victim file, a link to it, a dangling link, and an existing file, where a file is about to be written. */
function plant(where: string, name: string) {
  const victim = join(where, `victim-of-${name}`);
  writeFileSync(victim, 'precious');
  return {
    victim,
    link: () => symlinkSync(victim, join(where, name)),
    dangling: () => symlinkSync(join(where, `created-through-${name}`), join(where, name)),
    intact: () => {
      assert.equal(readFileSync(victim, 'utf8'), 'precious');
      assert.ok(!existsSync(join(where, `created-through-${name}`)), 'nothing created through a dangling link');
    },
  };
}

test(
  '-w refuses a symbolic link (to a file, or dangling) and writes ' + 'nothing through it; replaces a regular file',
  () => {
    for (const kind of ['link', 'dangling'] as const) {
      const sub = join(dir, `w-${kind}`);
      mkdirSync(sub);
      const p = plant(sub, 'out.pcap');
      p[kind]();
      const r = gredump(['-r', FIXTURE, '-w', join(sub, 'out.pcap')]);
      assert.equal(r.status, 2);
      assert.equal(
        r.stderr,
        `gredump: cannot write ${join(sub, 'out.pcap')}: is a symbolic link ` +
          `(gredump does not write through links) (ELOOP)\n`,
      );
      p.intact();
      assert.ok(lstatSync(join(sub, 'out.pcap')).isSymbolicLink());
    }
    const existing = join(dir, 'existing.pcap');
    writeFileSync(existing, 'old contents, longer than nothing');
    const r = gredump(['-r', FIXTURE, '-w', existing]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readFileSync(existing), readFileSync(FIXTURE));
  },
);

test('-r X -w X is refused, by the same name, another path or a hard link; the capture is untouched', () => {
  const input = join(dir, 'input.pcap');
  writeFileSync(input, readFileSync(FIXTURE));
  linkSync(input, join(dir, 'hard.pcap'));
  // Another spelling of the same path (not normalised), and a hard link.
  for (const out of [input, `${dir}/../${dir.split('/').pop()!}/./input.pcap`, join(dir, 'hard.pcap')]) {
    const r = gredump(['-r', input, '-w', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gredump: cannot write .*: it is the input file .*being read\n$/);
    assert.deepEqual(readFileSync(input), readFileSync(FIXTURE));
  }
});

test('-w into a missing directory or a full device: one line, exit 2', () => {
  let r = gredump(['-r', FIXTURE, '-w', join(dir, 'no', 'such', 'x.pcap')]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `gredump: cannot write ${join(dir, 'no', 'such', 'x.pcap')}: no such directory (ENOENT)\n`);
  r = gredump(['-r', FIXTURE, '-w', '/dev/full']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'gredump: cannot write /dev/full: no space left on device (ENOSPC)\n');
});

test('a disk that fills during -w: one line, exit 2, and the file holds whole records, readable', {
  skip: root ? false : 'needs root to mount a small tmpfs',
}, () => {
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1200k', 'tmpfs', mnt]).status, 0);
  try {
    const big = join(dir, 'big.pcap');
    writeFileSync(big, h.pcapFile(Array.from({ length: 40_000 }, (_, i) => h.oneShotTunnelPacket(i))));
    const out = join(mnt, 'out.pcap');
    const r = gredump(['-r', big, '-w', out]);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr.split('\n').slice(-2)[0]!,
      /^gredump: cannot write .*out\.pcap: no space left on device \(ENOSPC\)$/,
    );
    const back = gredump(['-r', out, '--json']);
    assert.equal(back.status, 0);
    assert.equal(back.stderr, '', 'no record cut short');
    assert.ok(back.stdout.split('\n').length > 1000);
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test('live -w to a path that cannot be opened: one line, exit 2, no hang', {
  skip: root ? false : 'live capture needs root',
}, () => {
  const r = spawnSync(
    process.execPath,
    // A hang would last the --duration; the timeout is far from both a loaded machine's start and it.
    [BIN, '-i', 'lo', '--no-tui', '-w', join(dir, 'no', 'x.pcap'), '--duration', '600'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  // no live capture here
  if (/binding|libpcap/.test(r.stderr) && r.status === 2 && !/cannot write/.test(r.stderr)) return;
  assert.equal(r.signal, null, 'ended by itself, well before --duration');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `gredump: cannot write ${join(dir, 'no', 'x.pcap')}: no such directory (ENOENT)\n`);
});

test(
  "the UI's w: a planted link (to a file or dangling) or an existing " +
    'file is never written through; replacing renames a new file over it',
  () => {
    const sub = join(dir, 'ui-w');
    mkdirSync(sub);
    const fill = (fd: number) => {
      const w = new PcapWriter(fd);
      w.write(1767225600, 0, h.oneShotTunnelPacket(5));
      w.close();
    };
    const first = plant(sub, 'gre_a.pcap');
    first.link();
    const second = plant(sub, 'gre_b.pcap');
    second.dangling();
    writeFileSync(join(sub, 'gre_c.pcap'), 'existing');
    // Without the user's yes, every one of them counts as taken.
    for (const name of ['gre_a.pcap', 'gre_b.pcap', 'gre_c.pcap'])
      assert.equal(writeNewFile(join(sub, name), false, fill), false, name);
    first.intact();
    second.intact();
    assert.equal(readFileSync(join(sub, 'gre_c.pcap'), 'utf8'), 'existing');
    // With it, a new file is renamed over the name: the link goes, its target stays as it was.
    assert.equal(writeNewFile(join(sub, 'gre_a.pcap'), true, fill), true);
    first.intact();
    assert.equal(
      gredump(['-r', join(sub, 'gre_a.pcap')])
        .stdout.trim()
        .split('\n').length,
      1,
    );
    assert.equal(writeNewFile(join(sub, 'gre_d.pcap'), false, fill), true);
    assert.equal(readdirSync(sub).filter((f) => f.startsWith('created-through') || f.endsWith('.part')).length, 0);
  },
);

const haveTmux = spawnSync('tmux', ['-V']).status === 0;
test("the UI's live -w keeps every packet when it is ended by SIGTERM or SIGHUP", {
  skip: root && haveTmux ? false : 'needs root and tmux',
  timeout: 120_000,
}, async () => {
  for (const signal of ['TERM', 'HUP']) {
    const out = join(dir, `ui-live-${signal}.pcap`);
    const session = `gredump-hostile-${process.pid}-${signal}`;
    const pidFile = join(dir, `ui-${signal}.pid`);
    newSession(
      session,
      `env -u CI sh -c 'echo $$ > ${pidFile}; ` +
        `exec ${process.execPath} ${BIN} -i lo -f "udp port 9999" -w ${out}'; ` +
        `sleep 30`,
    );
    try {
      // The UI (ink, React, the driver) can take seconds to load on a busy machine.
      for (let i = 0; i < 300 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(existsSync(out), 'the UI started capturing');
      await new Promise((r) => setTimeout(r, 500));
      const sock = createSocket('udp4');
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => sock.send(Buffer.from(`datagram ${i}`), 9999, '127.0.0.1', r));
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      sock.close();
      await new Promise((r) => setTimeout(r, 300));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      process.kill(pid, `SIG${signal}` as NodeJS.Signals);
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const lines = gredump(['-r', out])
        .stdout.trim()
        .split('\n')
        .filter((l) => /> 127\.0\.0\.1\.9999|9999/.test(l));
      assert.equal(lines.length, 100, `${lines.length} of 100 datagrams written`);
    } finally {
      tmux('kill-session', '-t', session);
    }
  }
});

test('live -w on a disk that fills: one line, exit 2, the capture stopped, the file readable', {
  skip: root ? false : 'needs root',
  timeout: 60_000,
}, async () => {
  const mnt = join(dir, 'small-live');
  mkdirSync(mnt);
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', mnt]).status, 0);
  try {
    const out = join(mnt, 'live.pcap');
    const child = spawn(
      process.execPath,
      [BIN, '-i', 'lo', '--no-tui', '-f', 'udp port 9998', '-w', out, '--duration', '30'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const ended = new Promise<number | null>((r) => child.on('close', r));
    for (let i = 0; i < 50 && !/capturing on/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
    if (!/capturing on/.test(err)) {
      child.kill();
      await ended;
      assert.match(err, /binding|libpcap/, 'only a missing live capture may skip this');
      return;
    }
    const sock = createSocket('udp4');
    const payload = Buffer.alloc(1000, 0x41);
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => sock.send(payload, 9998, '127.0.0.1', r));
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    sock.close();
    const status = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    assert.equal(status, 2, err);
    assert.match(err, /\ngredump: cannot write .*live\.pcap: no space left on device \(ENOSPC\)\n/);
    assert.doesNotMatch(err, /\n\s+at |internal error/);
    const back = gredump(['-r', out]);
    assert.equal(back.status, 0);
    assert.equal(back.stderr, '', 'whole records only');
  } finally {
    spawnSync('umount', [mnt]);
  }
});
