/**
 * Nothing from a packet or a file reaches a terminal raw (#22): control
 * characters, escape sequences and bidirectional overrides, in a password,
 * a file name or an error, come out as visible escapes in text lines, the
 * audit (text and JSON, where JSON stays valid with the same content), the
 * errors and the UI's snapshots.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mask } from '../src/tunnels/cleartext.js';
import { jsonVisible, visible } from '../src/output/escape.js';
import { writeJson } from '../src/output/json-writer.js';
import { LineSink } from '../src/output/sink.js';
import { Engine } from '../src/dissect/engine.js';
import { TunnelTable } from '../src/tunnels/table.js';
import { Store } from '../src/ui/store.js';
import { BIN } from './support/paths.js';
import { frameOf } from './support/frames.js';
import * as h from './support/hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'gredump-hostile-term-'));
const NAME = `evil\x1b]0;x\x07\u202e\x9b.pcap`;
const capture = h.pcapFile(h.terminalAttackPackets());
const path = join(dir, NAME);
writeFileSync(path, capture);
// Cut inside the last record: a warning that names the file.
const cut = join(dir, `cut\x1b[31m.pcap`);
writeFileSync(cut, capture.subarray(0, capture.length - 5));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(
  'visible: control, C1, bidirectional and lone surrogates escaped; ' +
    'safe text unchanged; escaping twice changes nothing',
  () => {
    assert.equal(visible('plain text ⇄ 192.0.2.1'), 'plain text ⇄ 192.0.2.1');
    assert.equal(
      visible(h.TERMINAL_ATTACK),
      '\\x1b[2J\\x1b]0;owned\\x07\\x08\\x0d\\x9b31m\\u{202e}\\u{2066}evil\\x00\\x7f',
    );
    assert.equal(visible('a\ud800b'), 'a\\u{d800}b');
    assert.equal(visible(visible(h.TERMINAL_ATTACK)), visible(h.TERMINAL_ATTACK));
    assert.equal(mask('\x1bsecret'), '\\x1b****** (7 chars)');
    assert.equal(mask('hunter2'), 'h****** (7 chars)');
  },
);

test('every output of a capture full of terminal escapes, named with them: no raw control character', () => {
  const outputs: [string, ReturnType<typeof run>][] = [
    ['-r', run(['-r', path])],
    ['-r --json', run(['-r', path, '--json'])],
    ['audit', run(['audit', path])],
    ['audit --json', run(['audit', path, '--json'])],
    ['audit --threads 2', run(['audit', path, cut, '--threads', '2'])],
    ['-r cut', run(['-r', cut])],
    ['audit cut', run(['audit', cut])],
    ['missing file', run(['-r', join(dir, `missing\x1b[1m\u202e.pcap`)])],
    ['-w into a missing directory', run(['-r', path, '-w', join(dir, 'no\x1b[5m', 'x.pcap')])],
    ['audit --every --json', run(['audit', path, '--every', '60', '--json'])],
  ];
  for (const [what, r] of outputs) {
    assert.deepEqual(h.rawControls(r.stdout), [], `${what}: stdout`);
    assert.deepEqual(h.rawControls(r.stderr), [], `${what}: stderr`);
  }
  const text = outputs[2]![1].stdout.toString();
  assert.match(text, /telnet password \\x1b\*{8} \(\d+ chars\)/);
  assert.match(text, /ftp password \\x9b\*{8} \(\d+ chars\)/);
  assert.match(text, /gredump audit of .*evil\\x1b\]0;x\\x07\\u\{202e\}\\x9b\.pcap/);
  // JSON: valid, the same content.
  const report = JSON.parse(outputs[3]![1].stdout.toString()) as { findings: { message: string }[] };
  assert.ok(report.findings.some((f) => f.message.includes('telnet password \\x1b********')));
  // The periods' NDJSON: valid, one period a line, the same content.
  const periods = outputs[9]![1].stdout
    .toString()
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { findings: { message: string }[] });
  assert.ok(
    periods.length >= 1 &&
      periods.some((p) => p.findings.some((f) => f.message.includes('telnet password \\x1b********'))),
  );
  assert.match(outputs[6]![1].stderr.toString(), /cut\\x1b\[31m\.pcap/);
  assert.match(outputs[7]![1].stderr.toString(), /^gredump: .*missing\\x1b\[1m\\u\{202e\}\.pcap/);
});

test(
  'the JSON writer of reports and periods (writeJson): the bytes of ' +
    'jsonVisible(JSON.stringify), escapes and all, in one line or indented',
  () => {
    const o = {
      name: h.TERMINAL_ATTACK,
      none: undefined,
      list: [h.TERMINAL_ATTACK, { deep: [h.TERMINAL_ATTACK, null], x: 1 }, undefined],
      empty: [],
      nested: { a: [1, { b: 'c' }] },
      n: null,
    };
    for (const indent of [0, 2] as const) {
      const sink = new LineSink(openSync(join(dir, `json-${indent}`), 'w'));
      writeJson(sink, o, indent);
      sink.flush();
      const out = readFileSync(join(dir, `json-${indent}`));
      assert.equal(out.toString(), `${jsonVisible(JSON.stringify(o, null, indent))}\n`);
      assert.deepEqual(h.rawControls(out), []);
      assert.deepEqual(JSON.parse(out.toString()), JSON.parse(JSON.stringify(o)));
    }
  },
);

test("the UI's snapshot: file names, warnings and findings escaped", () => {
  const table = new TunnelTable();
  const store = new Store(table, `${NAME} ${NAME}`, null, false);
  const engine = new Engine();
  for (const p of h.terminalAttackPackets()) {
    const frame = frameOf(p);
    const ctx = engine.dissect(frame);
    table.observe(ctx);
    store.onPacket(ctx.tsSec);
  }
  store.finish(`warning: ${NAME}: capture cut short`);
  const snap = store.getSnapshot();
  assert.deepEqual(
    h.rawControls(
      Buffer.from(
        JSON.stringify({ ...snap, findings: snap.findings.map((f) => f.message) }).replace(
          /\\u00[0-9a-f]{2}|\\[bfnrt]/g,
          (e) => JSON.parse(`"${e}"`),
        ),
      ),
    ),
    [],
  );
  assert.ok(snap.findings.some((f) => f.message.includes('\\x1b********')));
  store.stop();
});
