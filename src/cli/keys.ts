import { readFileSync } from 'node:fs';
import { SaDatabase } from '../ipsec/sa-database.js';
import { SaFileError, parseEspSa, readKeyFile, readTcpdumpSecrets } from '../ipsec/sa-file.js';
import { parseXfrmState } from '../ipsec/xfrm.js';
import { ikev2KeysFromTcpdump, parseIkev2Keys } from '../ipsec/ikev2-keys.js';
import type { CliOptions } from './args.js';

/** `--xfrm -` read once: worker threads get the text with their options, not a second read of stdin. */
interface WithStdin {
  xfrmStdin?: string;
}

function xfrmText(opts: CliOptions & WithStdin, path: string): string {
  if (path !== '-') return readKeyFile(path, (t) => t);
  if (opts.files.includes('-')) throw new SaFileError('--xfrm -: standard input already carries the capture');
  opts.xfrmStdin ??= readFileSync(0, 'latin1');
  return opts.xfrmStdin;
}

/**
 * The SAs from --esp-sa files, -E specifications, --xfrm states and
 * --ikev2-keys tables; throws
 * SaFileError naming the bad line. States --xfrm cannot use are said
 * through `warn` (file, line, SPI and why; never a key).
 */
export function loadSas(
  opts: CliOptions,
  warn: (msg: string) => void = (m) => process.stderr.write(`gredump: ${m}\n`),
): SaDatabase | undefined {
  if (opts.espSa.length === 0 && opts.espSecrets.length === 0 && opts.xfrm.length === 0 && opts.ikev2Keys.length === 0)
    return undefined;
  const tcpdump = opts.espSecrets.map((spec) => readTcpdumpSecrets(spec));
  const entries = [
    ...opts.espSa.flatMap((path) => readKeyFile(path, (text) => parseEspSa(text, path))),
    ...tcpdump.flatMap((t) => t.esp),
  ];
  for (const path of opts.xfrm) {
    const r = parseXfrmState(xfrmText(opts, path), path);
    // Worker threads load again: only the first load speaks.
    if (!(opts as WithStdin & { xfrmWarned?: boolean }).xfrmWarned) for (const s of r.skipped) warn(s);
    entries.push(...r.entries);
  }
  (opts as { xfrmWarned?: boolean }).xfrmWarned = true;
  const ike = [
    ...opts.ikev2Keys.flatMap((path) => readKeyFile(path, (text) => parseIkev2Keys(text, path))),
    ...ikev2KeysFromTcpdump(tcpdump.flatMap((t) => t.ikev2)),
  ];
  return new SaDatabase(entries, ike);
}
