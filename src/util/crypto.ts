import { createRequire } from 'node:module';

/**
 * node:crypto at its first use: importing it costs some 7 ms of CPU at start (about twenty of Node's own
 * modules), for what only IKE's NAT-D hashes and decryption with keys need.
 */
let loaded: typeof import('node:crypto') | undefined;
export const crypto = (): typeof import('node:crypto') =>
  (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
