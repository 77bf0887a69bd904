// Run by `npm install` / `npm ci` (and `npm run build:native`): builds the
// libpcap binding that live capture needs. Without libpcap's headers the
// build is skipped with a message, and everything but live capture works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const HINT =
  'live capture (-i, -D) and filters on files (-f with -r) are off until it is: ' +
  "apt-get install libpcap-dev (or your system's libpcap development package), then npm run build:native";

/**
 * Where libpcap's headers and library are: pkg-config's or pcap-config's
 * answer (a libpcap built into /opt, a distribution that puts them
 * elsewhere), else the usual fixed places.
 */
function pcapFlags() {
  for (const [tool, args] of [
    ['pkg-config', ['--cflags', '--libs', 'libpcap']],
    ['pcap-config', ['--cflags', '--libs']],
  ]) {
    const r = spawnSync(tool, args, { encoding: 'utf8' });
    if (r.status === 0) {
      const words = r.stdout.trim().split(/\s+/).filter(Boolean);
      return { cflags: words.filter((w) => w.startsWith('-I')), ldflags: words.filter((w) => w.startsWith('-L')) };
    }
  }
  return ['/usr/include/pcap/pcap.h', '/usr/include/pcap.h', '/usr/local/include/pcap.h'].some(existsSync)
    ? { cflags: [], ldflags: [] }
    : null;
}

const flags = pcapFlags();
if (!flags) {
  console.warn(`gredump: libpcap's headers are not installed; ${HINT}`);
  process.exit(0);
}
// npm names its own node-gyp in npm_config_node_gyp; elsewhere, node-gyp on the PATH.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
// gyp's Makefiles add CFLAGS and LDFLAGS from the environment to their own.
const env = {
  ...process.env,
  CFLAGS: [process.env.CFLAGS ?? '', ...flags.cflags].join(' ').trim(),
  LDFLAGS: [process.env.LDFLAGS ?? '', ...flags.ldflags].join(' ').trim(),
};
const run = spawnSync(cmd, args, { cwd: here, encoding: 'utf8', env });
if (run.status !== 0) {
  const why = run.error ? run.error.message : (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n');
  console.warn(`gredump: the libpcap binding did not build:\n${why}\n${HINT}`);
}
