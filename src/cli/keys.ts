import { SaDatabase } from '../ipsec/sa-database.js';
import { parseEspSa, parseTcpdumpSecrets, readKeyFile } from '../ipsec/sa-file.js';
import type { CliOptions } from './args.js';

/** The SAs from --esp-sa files and -E specifications; throws SaFileError naming the bad line. */
export function loadSas(opts: CliOptions): SaDatabase | undefined {
  if (opts.espSa.length === 0 && opts.espSecrets.length === 0) return undefined;
  const entries = [
    ...opts.espSa.flatMap((path) => readKeyFile(path, (text) => parseEspSa(text, path))),
    ...opts.espSecrets.flatMap((spec) => parseTcpdumpSecrets(spec)),
  ];
  return new SaDatabase(entries);
}
